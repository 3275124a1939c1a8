import { parseDocument } from 'yaml';

import { LedgerError } from '../errors.js';
import type { JsonObject, JsonValue } from '../record/predicate.js';
import { wellFormed } from './safety.js';

/**
 * JSON and YAML files given to us (training runs, DVC files, MLflow metadata), read into JSON
 * values typed as written: YAML 1.2 core schema (so `1e-3` is a number and `2024-01-01` stays a
 * string), integers exact (beyond 2^53 they are kept as decimal text, with a note), non-finite
 * numbers as text. Nothing is dropped; anything that has no JSON form is noted.
 */

const MAX_DEPTH = 100;

export interface StructuredValue {
  value: JsonValue;
  /** What had to be represented differently, e.g. `run.seed: integer beyond 2^53 kept as text`. */
  notes: string[];
}

export function parseStructured(text: string, kind: 'json' | 'yaml', display: string): StructuredValue {
  const notes: string[] = [];
  if (kind === 'json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new LedgerError(
        'BAD_INPUT',
        `is not valid JSON (${error instanceof Error ? error.message : String(error)})`,
        {
          file: display,
          cause: error,
          fix: 'fix the JSON syntax',
        },
      );
    }
    if (!hasUnsafeInteger(parsed)) return { value: toJsonValue(parsed, '', notes, display), notes };
    // JSON.parse rounded a large integer: read the same text again with exact integers.
  }
  const document = parseDocument(text, {
    intAsBigInt: true,
    uniqueKeys: true,
    prettyErrors: true,
    ...(kind === 'json' ? { schema: 'json' as const } : {}),
  });
  const problem = document.errors[0];
  if (problem) {
    const line = problem.linePos?.[0].line;
    if (problem.code === 'RESOURCE_EXHAUSTION') {
      // `yaml` ran out of stack on nesting (it catches the RangeError itself and reports it here).
      throw new LedgerError('BAD_INPUT', `nests deeper than ${MAX_DEPTH} levels`, {
        file: display,
        ...(line === undefined ? {} : { field: `line ${line}` }),
        cause: problem,
        fix: 'flatten the structure',
      });
    }
    throw new LedgerError(
      'BAD_INPUT',
      `is not valid ${kind.toUpperCase()} (${problem.message.split('\n')[0]})`,
      {
        file: display,
        ...(line === undefined ? {} : { field: `line ${line}` }),
        cause: problem,
        fix: `fix the ${kind.toUpperCase()} syntax`,
      },
    );
  }
  let parsed: unknown;
  try {
    parsed = document.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    throw new LedgerError(
      'BAD_INPUT',
      `cannot be read (${error instanceof Error ? error.message : String(error)})`,
      {
        file: display,
        cause: error,
        fix: 'simplify the YAML (fewer aliases)',
      },
    );
  }
  return { value: toJsonValue(parsed, '', notes, display), notes };
}

/** The top-level object of a structured file, or an error saying it must be one. */
export function parseStructuredObject(
  text: string,
  kind: 'json' | 'yaml',
  display: string,
): { value: JsonObject; notes: string[] } {
  const { value, notes } = parseStructured(text, kind, display);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new LedgerError(
      'BAD_INPUT',
      `must hold a ${kind === 'json' ? 'JSON object' : 'YAML mapping'} at the top level`,
      {
        file: display,
        fix: 'put the values under named keys, e.g. `seed: 42`',
      },
    );
  }
  return { value, notes };
}

function hasUnsafeInteger(value: unknown, depth = 0): boolean {
  if (depth > MAX_DEPTH) return false;
  if (typeof value === 'number') return Number.isInteger(value) && !Number.isSafeInteger(value);
  if (Array.isArray(value)) return value.some((item) => hasUnsafeInteger(item, depth + 1));
  if (typeof value === 'object' && value !== null)
    return Object.values(value).some((item) => hasUnsafeInteger(item, depth + 1));
  return false;
}

/** Any parsed value as JSON; `path` locates it in notes, `display` names the file in errors. */
export function toJsonValue(
  value: unknown,
  path: string,
  notes: string[],
  display: string,
  depth = 0,
): JsonValue {
  if (depth > MAX_DEPTH) {
    throw new LedgerError('BAD_INPUT', `nests deeper than ${MAX_DEPTH} levels`, {
      file: display,
      // The path of a value that deep is itself hundreds of characters: its start is enough.
      field: path.length > 60 ? `${path.slice(0, 60)}…` : path,
      fix: 'flatten the structure',
    });
  }
  const where = path || '(top level)';
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return keepText(value, where, notes);
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
    notes.push(`${where}: ${value} kept as text (JSON has no such number)`);
    return String(value);
  }
  if (typeof value === 'bigint') {
    if (value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER))
      return Number(value);
    notes.push(`${where}: integer beyond 2^53 kept as text to keep every digit`);
    return value.toString();
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value))
    return value.map((item, index) => toJsonValue(item, `${path}[${index}]`, notes, display, depth + 1));
  if (value instanceof Map) {
    return Object.fromEntries(
      [...value].map(([key, item]) => [
        String(key),
        toJsonValue(item, join(path, String(key)), notes, display, depth + 1),
      ]),
    );
  }
  if (value instanceof Set)
    return [...value].map((item, index) => toJsonValue(item, `${path}[${index}]`, notes, display, depth + 1));
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        keepText(key, join(path, key), notes),
        toJsonValue(item, join(path, key), notes, display, depth + 1),
      ]),
    );
  }
  // What is left: functions and symbols, which no parser of text produces.
  notes.push(`${where}: a ${typeof value} value kept as text`);
  return typeof value === 'symbol' ? value.toString() : typeof value;
}

/**
 * Text as JSON can sign it: a lone surrogate (`"\ud800"` in a JSON file) has no UTF-8 form, so
 * the statement's bytes would not be the text and `jq` would refuse it; it becomes U+FFFD, noted.
 */
function keepText(text: string, where: string, notes: string[]): string {
  const fixed = wellFormed(text);
  if (fixed === text) return text;
  notes.push(`${where}: a lone UTF-16 surrogate replaced with U+FFFD (it has no UTF-8 form)`);
  return fixed;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}
