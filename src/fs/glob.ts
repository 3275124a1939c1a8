import { readdir, realpath } from 'node:fs/promises';
import { join, sep } from 'node:path';

import { LedgerError, describeError, errnoCode } from '../errors.js';

/** Directories never descended into when expanding `**`. */
const SKIPPED_DIRECTORIES = new Set(['.git', 'node_modules', '.model-ledger']);

/** More alternatives than this from `{a,b}` braces is a mistake, not a pattern. */
const MAX_ALTERNATIVES = 1024;

type Token =
  | { kind: 'char'; char: string }
  | { kind: 'any' } // ?
  | { kind: 'class'; negated: boolean; ranges: [string, string][] } // [abc], [a-z], [!a]
  | { kind: 'star' } // * : any run of characters within a segment
  | { kind: 'segments' } // **/ : zero or more whole segments
  | { kind: 'rest' }; // trailing ** : everything below

/** A compiled glob: `test` runs in time linear in the path, whatever the pattern. */
export interface GlobMatcher {
  source: string;
  test(path: string): boolean;
}

function badGlob(pattern: string, problem: string): LedgerError {
  return new LedgerError('BAD_INPUT', `the glob "${pattern}" ${problem}`, {
    fix: 'globs use * (within a segment), ** (any segments), ?, [abc], [a-z], [!a] and {a,b}; close every { and [',
  });
}

/** `{a,b}` alternatives expanded (nested braces too); a brace that does not close is an error. */
function expandBraces(pattern: string): string[] {
  let alternatives = [''];
  let index = 0;
  const parseUntil = (closing: boolean): string[] => {
    let current = [''];
    const done: string[] = [];
    while (index < pattern.length) {
      const char = pattern[index] as string;
      if (char === '[') {
        // A class is copied whole: braces and commas inside it are characters.
        const close = classEnd(pattern, index);
        const text = pattern.slice(index, close + 1);
        current = current.map((prefix) => prefix + text);
        index = close + 1;
      } else if (char === '{') {
        index++;
        const inner = parseUntil(true);
        current = current.flatMap((prefix) => inner.map((option) => prefix + option));
        if (current.length > MAX_ALTERNATIVES)
          throw badGlob(pattern, `expands to more than ${MAX_ALTERNATIVES} alternatives`);
      } else if (char === '}') {
        if (!closing) throw badGlob(pattern, `has a "}" at character ${index + 1} that closes no "{"`);
        index++;
        return [...done, ...current];
      } else if (char === ',' && closing) {
        done.push(...current);
        current = [''];
        index++;
      } else {
        current = current.map((prefix) => prefix + char);
        index++;
      }
    }
    if (closing) throw badGlob(pattern, 'has a "{" that is never closed');
    return [...done, ...current];
  };
  alternatives = parseUntil(false);
  return alternatives;
}

/** Index of the `]` closing the class opened at `open`; an unclosed class is an error. */
function classEnd(pattern: string, open: number): number {
  let index = open + 1;
  if (pattern[index] === '!' || pattern[index] === '^') index++;
  if (pattern[index] === ']') index++; // a leading ] is a member
  const close = pattern.indexOf(']', index);
  if (close === -1) throw badGlob(pattern, `has a "[" at character ${open + 1} that is never closed`);
  return close;
}

function parseClass(pattern: string, body: string): Token {
  let text = body;
  const negated = text.startsWith('!') || text.startsWith('^');
  if (negated) text = text.slice(1);
  const ranges: [string, string][] = [];
  const chars = [...text];
  for (let at = 0; at < chars.length; at++) {
    const first = chars[at] as string;
    if (chars[at + 1] === '-' && at + 2 < chars.length) {
      const last = chars[at + 2] as string;
      if ((first.codePointAt(0) as number) > (last.codePointAt(0) as number)) {
        throw badGlob(pattern, `has the range [${first}-${last}], whose start comes after its end`);
      }
      ranges.push([first, last]);
      at += 2;
    } else {
      ranges.push([first, first]);
    }
  }
  if (ranges.length === 0) throw badGlob(pattern, 'has an empty character class []');
  return { kind: 'class', negated, ranges };
}

function tokenize(pattern: string, whole: string): Token[] {
  const tokens: Token[] = [];
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index] as string;
    if (char === '*') {
      const atSegmentStart = index === 0 || pattern[index - 1] === '/';
      if (pattern[index + 1] === '*' && atSegmentStart) {
        const next = pattern[index + 2];
        if (next === '/') {
          tokens.push({ kind: 'segments' });
          index += 2;
          continue;
        }
        if (next === undefined) {
          tokens.push({ kind: 'rest' });
          index += 1;
          continue;
        }
      }
      // Runs of * are one *: a pattern of many stars costs no more than one.
      if (tokens.at(-1)?.kind !== 'star') tokens.push({ kind: 'star' });
    } else if (char === '?') {
      tokens.push({ kind: 'any' });
    } else if (char === '[') {
      const close = classEnd(pattern, index);
      tokens.push(parseClass(whole, pattern.slice(index + 1, close)));
      index = close;
    } else {
      tokens.push({ kind: 'char', char });
    }
  }
  return tokens;
}

function classMatches(token: Extract<Token, { kind: 'class' }>, char: string): boolean {
  const code = char.codePointAt(0) as number;
  const inside = token.ranges.some(
    ([from, to]) => code >= (from.codePointAt(0) as number) && code <= (to.codePointAt(0) as number),
  );
  return inside !== token.negated;
}

/**
 * Runs the pattern as a Thompson NFA over the path's characters: the set of positions the
 * pattern can be at, advanced one character at a time. No backtracking, so the time is at most
 * (path length × pattern length), which is what makes `*a*a*a*a…` against a long name safe.
 * A state is a token index, times 2, plus 1 inside a `**` segment.
 */
function nfaMatch(tokens: Token[], path: string): boolean {
  const end = tokens.length * 2;
  let current = new Set<number>();
  const add = (set: Set<number>, state: number): void => {
    if (set.has(state)) return;
    set.add(state);
    const token = tokens[state >> 1];
    if (
      (state & 1) === 0 &&
      token &&
      (token.kind === 'star' || token.kind === 'segments' || token.kind === 'rest')
    )
      add(set, state + 2); // these match the empty string too
  };
  add(current, 0);
  for (const char of path) {
    const next = new Set<number>();
    for (const state of current) {
      const token = tokens[state >> 1];
      if (!token) continue;
      const inSegment = (state & 1) === 1;
      switch (token.kind) {
        case 'char':
          if (char === token.char) add(next, state + 2);
          break;
        case 'any':
          if (char !== '/') add(next, state + 2);
          break;
        case 'class':
          if (char !== '/' && classMatches(token, char)) add(next, state + 2);
          break;
        case 'star':
          if (char !== '/') add(next, state);
          break;
        case 'segments':
          if (char !== '/') add(next, state | 1);
          else if (inSegment) add(next, state & ~1);
          break;
        case 'rest':
          add(next, state);
          break;
      }
    }
    if (next.size === 0) return false;
    current = next;
  }
  return current.has(end);
}

/**
 * Compiles a glob (`*`, `**`, `?`, `{a,b}`, `[abc]`, `[a-z]`, `[!a]`) over POSIX paths. `*`
 * never crosses a `/`; `**` as a whole segment matches zero or more segments. A malformed glob
 * (a brace or bracket that does not close, a backwards range) is a BAD_INPUT error naming it.
 */
export function compileGlob(pattern: string): GlobMatcher {
  const alternatives = expandBraces(pattern).map((alternative) => tokenize(alternative, pattern));
  return {
    source: pattern,
    test: (path: string) => alternatives.some((tokens) => nfaMatch(tokens, path)),
  };
}

/**
 * A compiled glob in the shape of a RegExp (for callers that keep a `RegExp`): `test` and `exec`
 * run the linear-time matcher, never the regular expression engine.
 */
class GlobRegExp extends RegExp {
  readonly #matcher: GlobMatcher;
  constructor(matcher: GlobMatcher) {
    super('(?:)');
    this.#matcher = matcher;
  }
  override test(path: string): boolean {
    return this.#matcher.test(path);
  }
  override exec(path: string): RegExpExecArray | null {
    if (!this.#matcher.test(path)) return null;
    return Object.assign([path], { index: 0, input: path, groups: undefined }) as RegExpExecArray;
  }
  override toString(): string {
    return `glob:${this.#matcher.source}`;
  }
}

/** @deprecated use compileGlob: a glob as a RegExp-shaped matcher (test/exec only). */
export function globToRegExp(pattern: string): RegExp {
  return new GlobRegExp(compileGlob(pattern));
}

export function hasGlobMagic(pattern: string): boolean {
  return /[*?[{]/.test(pattern);
}

/** The leading segments of a pattern that contain no glob characters: where the walk starts. */
function staticPrefix(pattern: string): string {
  const segments = pattern.split('/');
  const fixed: string[] = [];
  for (const segment of segments.slice(0, -1)) {
    if (hasGlobMagic(segment)) break;
    fixed.push(segment);
  }
  return fixed.join('/');
}

/**
 * Regular files under `cwd` whose repo-relative POSIX path matches `pattern`, sorted bytewise.
 * The rule of directory digests (lstat, never followed), with the repository as the directory: a
 * symlink the pattern matches that points inside the repository is not a file of its own — it is
 * left out and listed in `options.symlinks`, for the caller to say so (its target is recorded when
 * the pattern matches it); one that points outside, and a special file, are errors naming it.
 * Symlinked directories are not descended into. `options.field` names the setting in errors.
 */
export async function expandGlob(
  cwd: string,
  pattern: string,
  options: { field?: string; symlinks?: string[] } = {},
): Promise<string[]> {
  const field = options.field ?? 'models';
  const normalized = pattern.replace(/^\.\//, '');
  const matcher = compileGlob(normalized);
  const prefix = staticPrefix(normalized);
  const matches: string[] = [];
  const walk = async (relativeDir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(join(cwd, relativeDir), { withFileTypes: true });
    } catch (error) {
      if (relativeDir === prefix) return; // the pattern's fixed part does not exist: no matches
      throw new LedgerError('BAD_INPUT', `cannot list directory (${describeError(error)})`, {
        file: relativeDir,
        cause: error,
      });
    }
    for (const entry of entries) {
      const relative = relativeDir ? `${relativeDir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) await walk(relative);
      } else if (matcher.test(relative)) {
        if (entry.isFile()) matches.push(relative);
        else if (entry.isSymbolicLink() && (await pointsInside(cwd, relative)))
          options.symlinks?.push(relative);
        else {
          throw new LedgerError(
            'BAD_INPUT',
            `the glob "${pattern}" matches ${entry.isSymbolicLink() ? 'a symlink that leaves the repository' : 'a special file (not a regular file)'}, which model-ledger never follows or reads`,
            {
              file: relative,
              field,
              fix: 'name the file itself, or narrow the glob so that it matches regular files only',
            },
          );
        }
      }
    }
  };
  await walk(prefix);
  return matches.sort(compareBytewise);
}

/** Whether the symlink at `relative` resolves to a path inside `cwd` (a dangling one does not). */
async function pointsInside(cwd: string, relative: string): Promise<boolean> {
  try {
    const [root, target] = await Promise.all([realpath(cwd), realpath(join(cwd, relative))]);
    return target.startsWith(`${root}${sep}`);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT' || errnoCode(error) === 'ELOOP') return false;
    throw error;
  }
}

/**
 * Orders strings as their UTF-8 bytes order (what `LC_ALL=C sort` does), without encoding them:
 * UTF-8 byte order is code point order, which differs from JavaScript's UTF-16 code unit order
 * only between surrogates (code points from U+10000) and U+E000..U+FFFF, remapped here.
 */
export function compareBytewise(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const x = a.charCodeAt(index);
    const y = b.charCodeAt(index);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

function codePointRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000; // surrogates: above every BMP unit
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}
