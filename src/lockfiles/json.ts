/** JSON lockfiles: parsing with the line of a syntax error, and shape checks at the edge. */
import type { LedgerError } from '../errors.js';
import { lineAtOffset, lineOf, lockfileError } from './text.js';

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses JSON text; a syntax error names the line it is on. */
export function parseJsonLockfile(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    throw lockfileError(
      file,
      syntaxErrorLine(text, error.message),
      `is not valid JSON (${error.message})`,
      undefined,
      error,
    );
  }
}

/**
 * V8 reports `position N` (Node 20), and since Node 22 also `(line N column M)`; the position comes
 * first, so that every Node names the same line: an error at the very end (truncated input), which
 * Node 24 puts on the empty line after the last newline, belongs to the last line with content.
 */
function syntaxErrorLine(text: string, message: string): number {
  const end = text.trimEnd().length;
  const position = /\bposition (\d+)\b/.exec(message);
  if (position?.[1] !== undefined)
    return lineAtOffset(text, Math.min(Number(position[1]), Math.max(end - 1, 0)));
  const line = /\bline (\d+)\b/.exec(message);
  return line?.[1] !== undefined ? Number(line[1]) : lineAtOffset(text, end);
}

/** The line where `"key":` first appears in a JSON text (1 when it does not). */
export function jsonKeyLine(text: string, key: string): number {
  return lineOf(text, `${JSON.stringify(key)}:`);
}

/** Reads typed members of one JSON object, reporting a wrong type at the line of the object's key. */
export class JsonFields {
  constructor(
    private readonly file: string,
    private readonly text: string,
    /** The key under which this object appears, to find its line; empty for the document root. */
    private readonly key: string,
    readonly value: JsonRecord,
  ) {}

  line(): number {
    return this.key === '' ? 1 : jsonKeyLine(this.text, this.key);
  }

  fail(message: string): LedgerError {
    return lockfileError(this.file, this.line(), message);
  }

  optionalString(member: string): string | undefined {
    const value = this.value[member];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw this.fail(`${this.describe()}: "${member}" must be a string`);
    return value;
  }

  optionalBoolean(member: string): boolean | undefined {
    const value = this.value[member];
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') throw this.fail(`${this.describe()}: "${member}" must be true or false`);
    return value;
  }

  optionalStringArray(member: string): string[] | undefined {
    const value = this.value[member];
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || !value.every((item): item is string => typeof item === 'string')) {
      throw this.fail(`${this.describe()}: "${member}" must be a list of strings`);
    }
    return value;
  }

  /** A member that is an object (of anything) or absent. */
  optionalObject(member: string): JsonRecord | undefined {
    const value = this.value[member];
    if (value === undefined) return undefined;
    if (!isRecord(value)) throw this.fail(`${this.describe()}: "${member}" must be an object`);
    return value;
  }

  /** Names of an object member's keys, for dependency maps (`{"lodash": "^4"}`). */
  keysOf(member: string): string[] {
    return Object.keys(this.optionalObject(member) ?? {});
  }

  private describe(): string {
    return this.key === '' ? 'the top level' : `entry "${this.key}"`;
  }
}
