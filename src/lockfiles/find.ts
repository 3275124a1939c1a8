/**
 * The default search for lockfiles in a repository: a bounded, deterministic walk that skips
 * installed packages, virtual environments, build output, test fixtures and hidden folders.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { LedgerError, describeError } from '../errors.js';
import type { Logger } from '../log.js';
import { parserForPath } from './registry.js';

/** Folder names never searched: installed dependencies, environments, build output, vendored code, fixtures. */
export const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set([
  'node_modules',
  'bower_components',
  'jspm_packages',
  'venv',
  'site-packages',
  '__pycache__',
  'vendor',
  'third_party',
  'dist',
  'build',
  'target',
  'coverage',
  'fixtures',
  '__fixtures__',
  'testdata',
]);

/** How many folders below the root are searched (`a/b/c/d/e/f/requirements.txt` is the deepest). */
export const MAX_SEARCH_DEPTH = 6;

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Repo-relative POSIX paths of the lockfiles under `root`, sorted bytewise. Hidden folders
 * (`.git`, `.venv`, `.model-ledger`, ...), Python and conda environments under any name
 * (a `pyvenv.cfg` file or a `conda-meta` folder) and symbolic links are not followed.
 */
export async function findLockfiles(root: string, log: Logger): Promise<string[]> {
  const found: string[] = [];
  const queue: { dir: string; rel: string; depth: number }[] = [{ dir: root, rel: '', depth: 0 }];
  for (let index = 0; index < queue.length; index += 1) {
    const { dir, rel, depth } = queue[index] ?? { dir: root, rel: '', depth: 0 };
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      throw new LedgerError('IO', `cannot list the folder: ${describeError(error)}`, {
        file: rel === '' ? '.' : `${rel}/`,
        cause: error,
        fix: 'check its permissions, or name the lockfiles to record explicitly',
      });
    }
    if (
      depth > 0 &&
      entries.some(
        (entry) =>
          (entry.name === 'pyvenv.cfg' && entry.isFile()) ||
          (entry.name === 'conda-meta' && entry.isDirectory()),
      )
    ) {
      log.debug(`lockfiles: skipping ${rel}/ (a Python or conda environment)`);
      continue;
    }
    entries.sort((a, b) => compare(a.name, b.name));
    for (const entry of entries) {
      const path = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name.startsWith('.') || SKIPPED_DIRECTORIES.has(entry.name)) continue;
        if (depth + 1 > MAX_SEARCH_DEPTH) {
          log.debug(`lockfiles: not searching ${path}/ (deeper than ${MAX_SEARCH_DEPTH} folders)`);
          continue;
        }
        queue.push({ dir: join(dir, entry.name), rel: path, depth: depth + 1 });
      } else if (parserForPath(path) !== undefined) {
        if (entry.isFile()) found.push(path);
        else log.info(`lockfiles: not reading ${path}: it is not a regular file (a symbolic link?)`);
      }
    }
  }
  return found.sort(compare);
}
