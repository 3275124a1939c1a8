/**
 * The dependencies collector: finds the repository's lockfiles (or reads the ones named) and
 * records each one's digest and its packages as package URLs.
 */
import { createHash } from 'node:crypto';
import { readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { LedgerError, describeError, errnoCode } from '../errors.js';
import {
  searchLockfiles,
  type LockfileSearch,
  type SearchResult,
  type SkippedLockfile,
} from '../lockfiles/find.js';
import { lockfileParsers, parserFor, parserForPath } from '../lockfiles/registry.js';
import { MAX_LOCKFILE_BYTES, decodeLockfile, lockfileError } from '../lockfiles/text.js';
import type { SourceText } from '../lockfiles/types.js';
import type { Logger } from '../log.js';
import type { DependenciesSection, Lockfile, SkippedLockfiles } from '../record/predicate.js';
import type { Collector } from './types.js';

export type DependenciesMode = 'strict' | 'best-effort';

export interface CollectDependenciesOptions {
  /** The repository root; lockfile paths in the record are relative to it. */
  cwd: string;
  /** Lockfiles (or folders to search) relative to `cwd`; without them the repository is searched. */
  paths?: string[];
  /** `strict` (default): a malformed lockfile fails the run. `best-effort`: it is skipped with a warning and a note. */
  mode?: DependenciesMode;
  /** Folders to skip or to search besides the defaults (model-ledger.yml's `dependencies.skip` / `include`). */
  search?: LockfileSearch;
  log: Logger;
  note(text: string): void;
}

/** Skipped lockfiles the record lists by path; the rest are counted. */
export const MAX_SKIPPED_LISTED = 50;

export async function collectDependencies(options: CollectDependenciesOptions): Promise<DependenciesSection> {
  const { log } = options;
  const mode = options.mode ?? 'strict';
  const root = resolve(options.cwd);
  const search =
    options.paths === undefined
      ? { ...(await searchLockfiles(root, log, options.search)), named: new Set<string>() }
      : await namedLockfiles(root, options.paths, log, options.search);

  const lockfiles: Lockfile[] = [];
  const skipped: SkippedLockfile[] = [...search.skipped];
  for (const file of search.found) {
    try {
      const read = await readLockfile(root, file);
      if (read.notALockfile !== undefined) {
        // Matched by its name only: strict mode is for lockfiles that are broken, not for other files.
        if (search.named.has(file)) {
          throw lockfileError(file, 1, `is not a ${read.kind} lockfile: ${read.notALockfile}`);
        }
        log.info(`lockfiles: not reading ${file}: ${read.notALockfile}`);
        options.note(`${file} was not recorded: it is not a ${read.kind} lockfile (${read.notALockfile})`);
        skipped.push({ path: file, reason: `not a ${read.kind} lockfile: ${read.notALockfile}` });
        continue;
      }
      lockfiles.push(read.lockfile);
      for (const text of read.notes) options.note(text);
      log.debug(`lockfiles: ${file} (${read.lockfile.kind}): ${read.lockfile.packages.length} packages`);
    } catch (error) {
      if (mode === 'best-effort' && error instanceof LedgerError && error.code === 'LOCKFILE') {
        log.warn(`${error.message} (lockfile skipped)`);
        options.note(`lockfile ${file} was not recorded: ${error.message}`);
        continue;
      }
      throw error;
    }
  }
  const total = lockfiles.reduce((sum, lockfile) => sum + lockfile.packages.length, 0);
  log.info(
    `dependencies: ${lockfiles.length} lockfile${lockfiles.length === 1 ? '' : 's'}, ${total} package${total === 1 ? '' : 's'}`,
  );
  const section: DependenciesSection = { lockfiles };
  const summary = summariseSkipped(skipped, search.incomplete);
  if (summary !== undefined) {
    section.skipped = summary;
    const inFolders = search.skipped.length;
    if (inFolders > 0) {
      log.info(
        `dependencies: ${inFolders}${search.incomplete ? '+' : ''} lockfile${inFolders === 1 ? '' : 's'} in skipped folders not read (listed in the record; model-ledger.yml's dependencies.include searches a folder)`,
      );
    }
  }
  return section;
}

function summariseSkipped(skipped: SkippedLockfile[], incomplete: boolean): SkippedLockfiles | undefined {
  if (skipped.length === 0 && !incomplete) return undefined;
  if (skipped.length === 0) return { count: 0, lockfiles: [], incomplete };
  const sorted = [...skipped].sort((a, b) => compare(a.path, b.path));
  return {
    count: sorted.length,
    lockfiles: sorted.slice(0, MAX_SKIPPED_LISTED),
    ...(incomplete ? { incomplete } : {}),
  };
}

/** The dependencies collector for the collector registry, with the run's paths and mode. */
export function dependenciesCollector(
  settings: { paths?: string[]; mode?: DependenciesMode; search?: LockfileSearch } = {},
): Collector<'dependencies'> {
  return {
    section: 'dependencies',
    collect: (context) =>
      collectDependencies({
        ...settings,
        cwd: context.cwd,
        log: context.log,
        note: (text) => context.note(text),
      }),
  };
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The named paths as repo-relative POSIX lockfile paths; folders are searched. */
async function namedLockfiles(
  root: string,
  paths: string[],
  log: Logger,
  search: LockfileSearch | undefined,
): Promise<Found> {
  const out = new Set<string>();
  const named = new Set<string>();
  const skipped: SkippedLockfile[] = [];
  let incomplete = false;
  for (const given of paths) {
    const absolute = resolve(root, given);
    const rel = toPosix(relative(root, absolute));
    if (rel === '..' || rel.startsWith('../') || isAbsolute(rel)) {
      throw new LedgerError('BAD_INPUT', 'is outside the repository', {
        file: given,
        fix: `name lockfiles inside ${root}`,
      });
    }
    const info = await stat(absolute).catch((error: unknown) => {
      if (errnoCode(error) === 'ENOENT' || errnoCode(error) === 'ENOTDIR') {
        throw new LedgerError('BAD_INPUT', 'does not exist', {
          file: given,
          cause: error,
          fix: 'check the lockfile path',
        });
      }
      throw new LedgerError('IO', `cannot read it: ${describeError(error)}`, { file: given, cause: error });
    });
    if (info.isDirectory()) {
      const found = await searchLockfiles(absolute, log, search);
      const prefix = (path: string): string => (rel === '' ? path : `${rel}/${path}`);
      for (const path of found.found) out.add(prefix(path));
      for (const { path, reason } of found.skipped) skipped.push({ path: prefix(path), reason });
      incomplete ||= found.incomplete;
      continue;
    }
    if (parserForPath(rel) === undefined) {
      throw new LedgerError('BAD_INPUT', 'is not a lockfile model-ledger can read', {
        file: given,
        fix: `name one of the kinds ${lockfileParsers.map((parser) => parser.kind).join(', ')} by its usual file name (package-lock.json, yarn.lock, requirements.txt, poetry.lock, go.sum, ...)`,
      });
    }
    out.add(rel);
    named.add(rel);
  }
  return { found: [...out].sort(compare), skipped, incomplete, named };
}

/** What the collector reads: the search's result, and which files were named one by one. */
interface Found extends SearchResult {
  named: ReadonlySet<string>;
}

/** Reads a repository file as lockfile text: inside the repository, a regular file, of bounded size, UTF-8. */
async function readRepositoryFile(root: string, rel: string): Promise<{ bytes: Buffer; text: string }> {
  const absolute = join(root, rel);
  let real: string;
  try {
    real = await realpath(absolute);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT' || errnoCode(error) === 'ENOTDIR') {
      throw new LedgerError('BAD_INPUT', 'does not exist', {
        file: rel,
        cause: error,
        fix: 'check the path',
      });
    }
    throw new LedgerError('IO', `cannot read it: ${describeError(error)}`, { file: rel, cause: error });
  }
  const inside = toPosix(relative(await realpath(root), real));
  if (inside === '..' || inside.startsWith('../') || isAbsolute(inside)) {
    throw new LedgerError('BAD_INPUT', 'is a link to a file outside the repository', {
      file: rel,
      fix: 'record lockfiles that live in the repository',
    });
  }
  const info = await stat(real);
  if (!info.isFile()) throw new LedgerError('BAD_INPUT', 'is not a regular file', { file: rel });
  if (info.size > MAX_LOCKFILE_BYTES) {
    throw lockfileError(
      rel,
      1,
      `is ${info.size} bytes, more than the ${MAX_LOCKFILE_BYTES}-byte limit for a lockfile`,
      'check that this is the lockfile your package manager wrote',
    );
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(real);
  } catch (error) {
    throw new LedgerError('IO', `cannot read it: ${describeError(error)}`, { file: rel, cause: error });
  }
  return { bytes, text: decodeLockfile(bytes, rel) };
}

async function readLockfile(
  root: string,
  rel: string,
): Promise<{ lockfile: Lockfile; notes: string[]; kind: string; notALockfile?: string }> {
  const { bytes, text } = await readRepositoryFile(root, rel);
  const parser = parserFor(rel, text);
  if (parser === undefined)
    throw new LedgerError('BAD_INPUT', 'is not a lockfile model-ledger can read', { file: rel });
  const readInclude = async (path: string): Promise<SourceText> => ({
    path,
    text: (await readRepositoryFile(root, path)).text,
  });
  const parsed = await parser.parse({ path: rel, text, readInclude });
  return {
    lockfile: {
      path: rel,
      kind: parser.kind,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      packages: parsed.packages,
    },
    notes: parsed.notes,
    kind: parser.kind,
    ...(parsed.notALockfile === undefined ? {} : { notALockfile: parsed.notALockfile }),
  };
}
