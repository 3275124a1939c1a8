/** YAML lockfiles through the `yaml` package: every scalar a string, aliases capped, errors with a line. */
import { YAMLParseError, parse } from 'yaml';
import { lineAtOffset, lockfileError, splitLines } from './text.js';

/** Lockfiles never use aliases; a few are tolerated for hand-written environment files. */
const MAX_ALIAS_COUNT = 20;

/** Lockfiles nest flow collections (`{integrity: ...}`) one or two deep; deeper is refused before parsing. */
const MAX_FLOW_DEPTH = 64;

/** Lockfiles indent a handful of levels; a line indented further is refused before parsing. */
const MAX_INDENT = 256;

/**
 * Parses one YAML document with the failsafe schema, so that `1.10` stays "1.10" and `true` is
 * the string "true": versions are never turned into numbers.
 */
export function parseYamlLockfile(text: string, file: string): unknown {
  checkFlowDepth(text, file);
  checkIndent(text, file);
  try {
    return parse(text, {
      schema: 'failsafe',
      maxAliasCount: MAX_ALIAS_COUNT,
      logLevel: 'error',
      // Pretty errors quote the source around the error; on hostile input that costs more than the file.
      prettyErrors: false,
    }) as unknown;
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
