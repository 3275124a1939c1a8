/** YAML lockfiles through the `yaml` package: every scalar a string, aliases capped, errors with a line. */
import { type Document, YAMLParseError, isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';
import { lineAtOffset, lockfileError, splitLines } from './text.js';
import { parseYamlSubset } from './yaml-subset.js';

/** Lockfiles never use aliases; a few are tolerated for hand-written environment files. */
const MAX_ALIAS_COUNT = 20;

/** Lockfiles nest flow collections (`{integrity: ...}`) one or two deep; deeper is refused before parsing. */
const MAX_FLOW_DEPTH = 64;

/** Lockfiles indent a handful of levels; a line indented further is refused before parsing. */
const MAX_INDENT = 256;

/** Documents one `parseYamlDocuments` call accepts; pnpm writes two at most. */
const MAX_DOCUMENTS = 8;

const OPTIONS = {
  schema: 'failsafe',
  // The `yaml` package checks key uniqueness by scanning the map for every key, which is
  // quadratic in a map's size (a 50k-package lockfile took 45 s); checkUniqueKeys does it with a Set.
  uniqueKeys: false,
  logLevel: 'error',
  // Pretty errors quote the source around the error; on hostile input that costs more than the file.
  prettyErrors: false,
} as const;

/**
 * Parses one YAML document with the failsafe schema, so that `1.10` stays "1.10" and `true` is
 * the string "true": versions are never turned into numbers. A second document is an error.
 */
export function parseYamlLockfile(text: string, file: string): unknown {
  const docs = parseYamlDocuments(text, file, 1);
  return docs[0];
}

/**
 * Parses every YAML document of a text (`---` separated), each as `parseYamlLockfile` does.
 * More than `max` documents is an error naming the line where the first extra one starts.
 */
export function parseYamlDocuments(text: string, file: string, max = MAX_DOCUMENTS): unknown[] {
  checkFlowDepth(text, file);
  checkIndent(text, file);
  // What package managers write is read in linear time; anything else (and every error) by `yaml`.
  const subset = parseYamlSubset(text);
  if (subset !== undefined && subset.length <= max) return subset;
  try {
    const docs = parseAllDocuments(text, OPTIONS);
    if ('empty' in docs) return [null];
    const extra = docs[max];
    if (extra !== undefined) {
      throw lockfileError(
        file,
        lineAtOffset(text, extra.range[0]),
        max === 1
          ? 'holds more than one YAML document (a `---` line starts another)'
          : `holds more than ${max} YAML documents`,
      );
    }
    return docs.map((doc) => {
      const error = doc.errors[0];
      if (error !== undefined) throw error;
      checkUniqueKeys(doc, text, file);
      return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as unknown;
    });
  } catch (error) {
    if (error instanceof YAMLParseError) {
      throw lockfileError(
        file,
        lineAtOffset(text, error.pos[0]),
        `is not valid YAML (${error.message})`,
        undefined,
        error,
      );
    }
    if (error instanceof ReferenceError) {
      throw lockfileError(
        file,
        firstAliasLine(text),
        `uses YAML aliases that expand too far (more than ${MAX_ALIAS_COUNT}); this looks like an alias bomb`,
        'use the lockfile your package manager wrote; they contain no aliases',
        error,
      );
    }
    if (error instanceof RangeError) {
      throw lockfileError(file, 1, `nests too deeply to read (${error.message})`, undefined, error);
    }
    throw error;
  }
}

/** A mapping that repeats a key is refused, naming the line of the second one (a Set per mapping: linear). */
function checkUniqueKeys(doc: Document, text: string, file: string): void {
  const stack: unknown[] = [doc.contents];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (isSeq(node)) {
      for (const item of node.items) stack.push(item);
    } else if (isMap(node)) {
      const seen = new Set<string>();
      for (const { key, value } of node.items) {
        if (isScalar(key)) {
          const name = String(key.value);
          if (seen.has(name)) {
            throw lockfileError(
              file,
              lineAtOffset(text, key.range?.[0] ?? 0),
              `repeats the key ${JSON.stringify(name.slice(0, 80))} in one mapping`,
            );
          }
          seen.add(name);
        }
        stack.push(value);
      }
    }
  }
}

function checkIndent(text: string, file: string): void {
  const deep = new RegExp(`^ {${MAX_INDENT + 1}}`, 'm').exec(text);
  if (deep !== null) {
    throw lockfileError(
      file,
      lineAtOffset(text, deep.index),
      `is indented more than ${MAX_INDENT} columns`,
      'use the lockfile your package manager wrote; they nest a few levels',
    );
  }
}

/**
 * Counts `[`/`{` against `]`/`}` without regard to quoting: an over-estimate of flow nesting that
 * only a file with scores of unbalanced brackets in its strings could trip.
 */
function checkFlowDepth(text: string, file: string): void {
  let depth = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) {
      depth += 1;
      if (depth > MAX_FLOW_DEPTH) {
        throw lockfileError(
          file,
          lineAtOffset(text, i),
          `nests YAML flow collections more than ${MAX_FLOW_DEPTH} deep`,
          'use the lockfile your package manager wrote; they nest one or two levels',
        );
      }
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) {
      depth -= 1;
    }
  }
}

function firstAliasLine(text: string): number {
  const lines = splitLines(text);
  const index = lines.findIndex((line) => /(^|[\s,[{])\*[^\s,\]}]/.test(line));
  return index === -1 ? 1 : index + 1;
}
