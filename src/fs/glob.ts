import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

import { LedgerError, describeError } from '../errors.js';

/** Directories never descended into when expanding `**`. */
const SKIPPED_DIRECTORIES = new Set(['.git', 'node_modules', '.model-ledger']);

/**
 * Translates a glob (`*`, `**`, `?`, `{a,b}`, `[abc]`) over POSIX paths into an anchored regexp.
 * `*` never crosses a `/`; `**` as a whole segment matches zero or more segments.
 */
export function globToRegExp(pattern: string): RegExp {
  let source = '';
  let index = 0;
  let braceDepth = 0;
  while (index < pattern.length) {
    const char = pattern[index] as string;
    if (char === '*') {
      if (pattern[index + 1] === '*') {
        const atSegmentStart = index === 0 || pattern[index - 1] === '/';
        const next = pattern[index + 2];
        if (atSegmentStart && next === '/') {
          source += '(?:[^/]+/)*';
          index += 3;
          continue;
        }
        if (atSegmentStart && next === undefined) {
          source += '.*';
          index += 2;
          continue;
        }
      }
      source += '[^/]*';
    } else if (char === '?') {
      source += '[^/]';
    } else if (char === '[') {
      const close = pattern.indexOf(']', index + 1);
      if (close === -1) {
        source += '\\[';
      } else {
        const body = pattern
          .slice(index + 1, close)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\');
        source += `[${body}]`;
        index = close;
      }
    } else if (char === '{') {
      braceDepth++;
      source += '(?:';
    } else if (char === '}' && braceDepth > 0) {
      braceDepth--;
      source += ')';
    } else if (char === ',' && braceDepth > 0) {
      source += '|';
    } else {
      source += char.replace(/[.+^$()|\\]/g, '\\$&');
    }
    index++;
  }
  return new RegExp(`^${source}$`);
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
 * Symlinks are not followed: a model artifact is the file in the tree, not what it points to.
 */
export async function expandGlob(cwd: string, pattern: string): Promise<string[]> {
  const normalized = pattern.replace(/^\.\//, '');
  const matcher = globToRegExp(normalized);
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
      } else if (entry.isFile() && matcher.test(relative)) {
        matches.push(relative);
      }
    }
  };
  await walk(prefix);
  return matches.sort(compareBytewise);
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
