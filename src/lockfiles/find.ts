/**
 * The default search for lockfiles in a repository: a bounded, deterministic walk that skips
 * installed packages, virtual environments, build output, vendored code, test fixtures and hidden
 * folders, and says which lockfiles it left out there. model-ledger.yml can skip more folders or
 * search skipped ones (`dependencies: { skip: [...], include: [...] }`).
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { LedgerError, describeError } from '../errors.js';
import type { Logger } from '../log.js';
import { parserForPath } from './registry.js';

/**
 * Folder names never searched by default, with why: the one list the README documents. Hidden
 * folders (`.git`, `.venv`, `.github`, ...) and Python or conda environments under any name (a
 * `pyvenv.cfg` file or a `conda-meta` folder) are skipped too.
 */
export const DEFAULT_SKIPPED_FOLDERS: readonly { name: string; why: string }[] = [
  { name: 'node_modules', why: 'installed npm packages' },
  { name: 'bower_components', why: 'installed Bower packages' },
  { name: 'jspm_packages', why: 'installed jspm packages' },
  { name: 'venv', why: 'a Python virtual environment' },
  { name: 'site-packages', why: 'installed Python packages' },
  { name: '__pycache__', why: 'Python bytecode' },
  { name: 'vendor', why: 'vendored code' },
  { name: 'third_party', why: 'vendored code' },
  { name: 'dist', why: 'build output' },
  { name: 'build', why: 'build output' },
  { name: 'target', why: 'build output (Cargo, Maven)' },
  { name: 'coverage', why: 'test coverage output' },
  { name: 'fixtures', why: 'test fixtures' },
  { name: '__fixtures__', why: 'test fixtures' },
  { name: 'testdata', why: 'test fixtures (Go)' },
];

/** The default skipped folder names (hidden folders and environments are skipped besides these). */
export const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set(
  DEFAULT_SKIPPED_FOLDERS.map(({ name }) => name),
);

/** How many folders below the root are searched (`a/b/c/d/e/f/requirements.txt` is the deepest). */
export const MAX_SEARCH_DEPTH = 6;

/** Skipped folders looked into to count the lockfiles left out; past this the count is a lower bound. */
export const MAX_SKIPPED_FOLDERS_SEARCHED = 2000;

/** Folders never looked into even to count: they hold no lockfile of the project. */
const NEVER_SEARCHED = new Set(['.git', '.hg', '.svn', '.model-ledger']);

export interface LockfileSearch {
  /** More folders to skip: a folder name (anywhere), or a repository-relative path with `/`. */
  skip?: readonly string[] | undefined;
  /** Skipped folders to search anyway: a name from the default list or a hidden name, or a path with `/`. */
  include?: readonly string[] | undefined;
}

export interface SkippedLockfile {
  path: string;
  reason: string;
}

export interface SearchResult {
  /** Repo-relative POSIX paths of the lockfiles to read, sorted bytewise. */
  found: string[];
  /** Lockfiles in skipped folders, sorted by path. */
  skipped: SkippedLockfile[];
  /** Whether the look into skipped folders stopped at MAX_SKIPPED_FOLDERS_SEARCHED. */
  incomplete: boolean;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function trimSlashes(path: string): string {
  return path.replace(/^\.\/+/, '').replace(/\/+$/, '');
}

/** Why a folder is skipped by name or path, or undefined when it is searched. */
function skipReason(name: string, path: string, search: LockfileSearch): string | undefined {
  const include = (search.include ?? []).map(trimSlashes);
  if (include.includes(name) || include.includes(path)) return undefined;
  const skip = (search.skip ?? []).map(trimSlashes);
  if (skip.includes(name) || skip.includes(path)) return `in ${path}/, skipped by the config`;
  const known = DEFAULT_SKIPPED_FOLDERS.find((folder) => folder.name === name);
  if (known !== undefined) return `in ${path}/ (${known.why}), skipped by default`;
  if (name.startsWith('.')) return `in ${path}/ (a hidden folder), skipped by default`;
  return undefined;
}

interface Pending {
  dir: string;
  rel: string;
  depth: number;
  /** Set inside a skipped folder: lockfiles found there are reported, not read. */
  skippedBecause?: string;
}

/**
 * Searches `root` for lockfiles. Symbolic links are not followed. Lockfiles inside skipped folders
 * are listed in `skipped` (the look into skipped folders is bounded), so a record can say what it
 * left out.
 */
export async function searchLockfiles(
  root: string,
  log: Logger,
  search: LockfileSearch = {},
): Promise<SearchResult> {
  const found: string[] = [];
  const skipped: SkippedLockfile[] = [];
  let skippedFolders = 0;
  let incomplete = false;
  const queue: Pending[] = [{ dir: root, rel: '', depth: 0 }];
  for (const path of (search.include ?? []).map(trimSlashes)) {
    // An included path is searched from where it is, even below a skipped folder.
    if (path.includes('/')) queue.push({ dir: join(root, path), rel: path, depth: path.split('/').length });
  }
  const seen = new Set<string>();
  for (let index = 0; index < queue.length; index += 1) {
    const pending = queue[index];
    if (pending === undefined) continue;
    const { dir, rel, depth } = pending;
    let { skippedBecause } = pending;
    if (seen.has(rel)) continue;
    seen.add(rel);
    if (skippedBecause !== undefined) {
      if (skippedFolders >= MAX_SKIPPED_FOLDERS_SEARCHED) {
        incomplete = true;
        continue;
      }
      skippedFolders += 1;
    }
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (skippedBecause !== undefined || index > 0) {
        // A skipped folder (or an included path that is not there) cannot make the run fail.
        log.debug(`lockfiles: cannot list ${rel}/: ${describeError(error)}`);
        continue;
      }
      throw new LedgerError('IO', `cannot list the folder: ${describeError(error)}`, {
        file: rel === '' ? '.' : `${rel}/`,
        cause: error,
        fix: 'check its permissions, or name the lockfiles to record explicitly',
      });
    }
    if (
      depth > 0 &&
      skippedBecause === undefined &&
      entries.some(
        (entry) =>
          (entry.name === 'pyvenv.cfg' && entry.isFile()) ||
          (entry.name === 'conda-meta' && entry.isDirectory()),
      )
    ) {
      log.debug(`lockfiles: skipping ${rel}/ (a Python or conda environment)`);
      skippedBecause = `in ${rel}/ (a Python or conda environment), skipped by default`;
      if (skippedFolders >= MAX_SKIPPED_FOLDERS_SEARCHED) {
        incomplete = true;
        continue;
      }
      skippedFolders += 1;
    }
    entries.sort((a, b) => compare(a.name, b.name));
    for (const entry of entries) {
      const path = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) {
        if (NEVER_SEARCHED.has(entry.name)) continue;
        if (depth + 1 > MAX_SEARCH_DEPTH) {
          log.debug(`lockfiles: not searching ${path}/ (deeper than ${MAX_SEARCH_DEPTH} folders)`);
          continue;
        }
        const because = skippedBecause ?? skipReason(entry.name, path, search);
        queue.push({
          dir: join(dir, entry.name),
          rel: path,
          depth: depth + 1,
          ...(because === undefined ? {} : { skippedBecause: because }),
        });
      } else if (parserForPath(path) !== undefined) {
        if (!entry.isFile()) {
          log.info(`lockfiles: not reading ${path}: it is not a regular file (a symbolic link?)`);
        } else if (skippedBecause !== undefined) {
          skipped.push({ path, reason: skippedBecause });
        } else {
          found.push(path);
        }
      }
    }
  }
  return {
    found: [...new Set(found)].sort(compare),
    skipped: skipped.sort((a, b) => compare(a.path, b.path)),
    incomplete,
  };
}

/** Repo-relative POSIX paths of the lockfiles under `root` that are read, sorted bytewise. */
export async function findLockfiles(
  root: string,
  log: Logger,
  search: LockfileSearch = {},
): Promise<string[]> {
  return (await searchLockfiles(root, log, search)).found;
}
