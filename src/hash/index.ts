import { LedgerError } from '../errors.js';
import { silentLogger, type Logger } from '../log.js';
import { DigestCache, defaultCacheDir } from './cache.js';
import { buildManifest, type Manifest } from './manifest.js';
import { HashPool, type HashOutcome } from './pool.js';
import { listTree } from './tree.js';

export { hashFile, sha256Hex, type FileDigest } from './file.js';
export { DigestCache, defaultCacheDir, type CacheStats, type DigestCacheOptions } from './cache.js';
export {
  buildManifest,
  manifestRef,
  MANIFEST_INLINE_LIMIT,
  type Manifest,
  type ManifestLine,
} from './manifest.js';
export { HashPool, type HashPoolOptions } from './pool.js';
export { listTree, type TreeFile, type TreeListing } from './tree.js';

/** How many files at once, and whether digests of unchanged files may be reused. */
export interface HashSettings {
  /** Hash every file again; neither read nor write the digest cache (`--no-cache`). */
  noCache?: boolean;
  /** Where the digest cache lives; default `$XDG_CACHE_HOME/model-ledger` or `~/.cache/model-ledger`. */
  cacheDir?: string;
  /** Worker threads; default: available parallelism. Ignored when `pool` is given. */
  concurrency?: number;
  /** A pool to share between calls; when absent each call starts and stops its own. */
  pool?: HashPool;
  /** See DigestCacheOptions.racyWindowMs. */
  racyWindowMs?: number;
  log?: Logger;
  /**
   * Called as digests arrive: files done out of `total`, bytes hashed so far, at most every 250 ms
   * and once at the end. For a terminal progress line.
   */
  onProgress?: (progress: { files: number; total: number; bytes: number }) => void;
}

/** At most this often, so a progress line costs nothing. */
const PROGRESS_INTERVAL_MS = 250;

export interface FileToHash {
  absolute: string;
  /** How errors name the file: the path as the user knows it. */
  display: string;
}

export interface HashedFile {
  display: string;
  sha256: string;
  size: number;
  /** The digest came from the cache (the file's stat matched), not from reading it. */
  cached: boolean;
}

export interface HashRunStats {
  files: number;
  bytes: number;
  fromCache: number;
}

/** Hashes files on the worker pool, reusing cached digests when safe; results in input order. */
export async function hashFiles(
  files: FileToHash[],
  settings: HashSettings = {},
): Promise<{ files: HashedFile[]; stats: HashRunStats }> {
  const log = settings.log ?? silentLogger;
  const cache = settings.noCache
    ? null
    : await DigestCache.open(settings.cacheDir ?? defaultCacheDir(process.env), {
        log,
        ...(settings.racyWindowMs === undefined ? {} : { racyWindowMs: settings.racyWindowMs }),
      });
  const startedAtNs = wallClockNs();
  const pool =
    settings.pool ??
    new HashPool(settings.concurrency === undefined ? {} : { concurrency: settings.concurrency });
  let outcomes: (HashOutcome | undefined)[];
  try {
    let last = 0;
    const report = settings.onProgress;
    const progress = report
      ? (done: number, bytes: number): void => {
          const now = performance.now();
          if (now - last < PROGRESS_INTERVAL_MS && done < files.length) return;
          last = now;
          report({ files: done, total: files.length, bytes });
        }
      : undefined;
    outcomes = await pool.run(
      files.map((file) => ({ path: file.absolute, expect: cache?.lookup(file.absolute) ?? null })),
      progress,
    );
  } finally {
    if (!settings.pool) await pool.close();
  }
  const failure = outcomes.findIndex((outcome) => outcome !== undefined && !outcome.ok);
  if (failure !== -1) {
    throw outcomeError(
      outcomes[failure] as Extract<HashOutcome, { ok: false }>,
      (files[failure] as FileToHash).display,
    );
  }
  const hashed: HashedFile[] = [];
  const stats: HashRunStats = { files: files.length, bytes: 0, fromCache: 0 };
  for (let index = 0; index < files.length; index++) {
    const file = files[index] as FileToHash;
    const outcome = outcomes[index];
    if (!outcome?.ok)
      throw new LedgerError('HASH', 'no digest came back for the file', { file: file.display });
    cache?.record(file.absolute, outcome.sha256, outcome.stat, outcome.cached, startedAtNs);
    hashed.push({
      display: file.display,
      sha256: outcome.sha256,
      size: outcome.bytes,
      cached: outcome.cached,
    });
    stats.bytes += outcome.bytes;
    if (outcome.cached) stats.fromCache++;
  }
  await cache?.save();
  return { files: hashed, stats };
}

export interface DirectoryDigest {
  manifest: Manifest;
  /** Every regular file with its digest, sorted bytewise by path (relative to the directory). */
  files: { path: string; sha256: string; size: number }[];
  size: number;
  /** Symlinks within the directory, not listed in the manifest (as `find -type f` skips them). */
  symlinks: string[];
  stats: HashRunStats;
}

/**
 * The manifest and digest of a directory, per DESIGN.md: recomputable with
 * `find . -type f | sed 's|^\./||' | LC_ALL=C sort | xargs -d '\n' sha256sum -- | sha256sum`.
 * `display` is how errors name the directory. An empty directory is an error: coreutils would
 * hash its own standard input instead, and an empty dataset is almost certainly a mistake.
 */
export async function hashDirectory(
  directory: string,
  display: string,
  settings: HashSettings = {},
): Promise<DirectoryDigest> {
  const listing = await listTree(directory, display);
  if (listing.files.length === 0) {
    throw new LedgerError('BAD_INPUT', 'directory holds no regular file', {
      file: display,
      fix: 'check the path, or fetch the data (e.g. `dvc pull`) before recording',
    });
  }
  const prefix = display.replace(/\/+$/, '');
  const { files, stats } = await hashFiles(
    listing.files.map((file) => ({ absolute: file.absolute, display: `${prefix}/${file.relative}` })),
    settings,
  );
  const entries = files.map((file, index) => ({
    path: (listing.files[index] as { relative: string }).relative,
    sha256: file.sha256,
    size: file.size,
  }));
  return {
    manifest: buildManifest(entries),
    files: entries,
    size: entries.reduce((total, entry) => total + entry.size, 0),
    symlinks: listing.symlinks,
    stats,
  };
}

/**
 * Now, in ns, for the racy-window comparison with file ctimes: Date.now() refined below the
 * millisecond by the performance clock, unless the two disagree (the wall clock was stepped).
 */
function wallClockNs(): bigint {
  const wall = Date.now();
  const precise = performance.timeOrigin + performance.now();
  return BigInt(Math.round((Math.abs(precise - wall) < 1 ? precise : wall) * 1_000_000));
}

function outcomeError(outcome: Extract<HashOutcome, { ok: false }>, display: string): LedgerError {
  if (outcome.reason === 'changed') {
    return new LedgerError('HASH', 'the file changed while it was being hashed', {
      file: display,
      fix: 'record once whatever writes the file has finished',
    });
  }
  if (outcome.reason === 'not-regular' || outcome.code === 'ELOOP') {
    return new LedgerError('HASH', 'is not a regular file', {
      file: display,
      fix: 'name regular files; symlinks and special files are not recorded',
    });
  }
  if (outcome.code === 'EACCES' || outcome.code === 'EPERM') {
    return new LedgerError('HASH', `file is unreadable (${outcome.code})`, {
      file: display,
      fix: 'make the file readable by the user running model-ledger, or move it out of what is recorded',
    });
  }
  if (outcome.code === 'ENOENT') {
    return new LedgerError('HASH', 'the file disappeared while it was being hashed', {
      file: display,
      fix: 'record once whatever writes the directory has finished',
    });
  }
  return new LedgerError('HASH', `cannot read file (${outcome.message})`, {
    file: display,
    fix: 'check the file and the disk, then run again',
  });
}

/** The hashing switches a collector takes (CLI: `--no-cache`; config: `cache-dir`). */
export interface HashingOptions {
  /** Hash every file again, without reading or writing the digest cache. */
  noCache?: boolean;
  /** Digest cache directory; default from the run's environment (XDG_CACHE_HOME, HOME). */
  cacheDir?: string;
  /** Hashing worker threads; default: available parallelism. */
  concurrency?: number;
  /** Progress of each hashing run (a file list or a directory); see HashSettings.onProgress. */
  onProgress?: HashSettings['onProgress'];
}

/** Settings for a collector's hashing: the cache directory comes from the run's env, not process.env. */
export function hashSettingsFor(
  options: HashingOptions,
  env: Readonly<Record<string, string | undefined>>,
  log: Logger,
  pool?: HashPool,
): HashSettings {
  return {
    log,
    ...(options.noCache ? { noCache: true } : { cacheDir: options.cacheDir ?? defaultCacheDir(env) }),
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(pool ? { pool } : {}),
  };
}
