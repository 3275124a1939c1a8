import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

import { describeError, errnoCode } from '../errors.js';
import { silentLogger, type Logger } from '../log.js';
import type { Expectation, StatKey } from './pool.js';

/**
 * A cache of file digests across runs, so that recording again over unchanged gigabytes is quick.
 *
 * When is a cached digest safe to reuse? The key is the absolute path plus the file's
 * (dev, inode, size, mtime ns, ctime ns):
 * - size and mtime alone are not enough: a tool (or an attacker) can rewrite a file with content of
 *   the same size and then put the old mtime back with utimes(2) — `touch -d`, `rsync -t`, `cp -p`,
 *   `git checkout` of old timestamps all do so.
 * - ctime closes that gap: the kernel sets it to the current time on every write, truncate,
 *   chmod, rename and on utimes itself, and no system call lets a user set it. Content cannot
 *   change without ctime moving (short of changing the system clock, which needs root).
 * - dev + inode catch a file replaced by another (rename over, restore from a copy) whose size and
 *   times happen to match.
 * - The racy window: timestamps have a granularity (a kernel tick for ctime, up to 2 s on some
 *   filesystems), so a file changed twice within one tick keeps the same ctime. A digest is only
 *   stored when the file's mtime and ctime are older than `racyWindowMs` before hashing began,
 *   the same rule git uses for its "racily clean" index entries; fresh files are hashed again next
 *   time instead.
 * Remaining trust: the cache file is the user's own (created 0600 in a 0700 directory); anyone who
 * can write it can already change the files being recorded. `noCache` turns it off.
 *
 * The file is text, one entry per line, quick to read and write for hundreds of thousands of files:
 *   model-ledger digest cache v1
 *   <sha256> <last used, unix s> <dev>:<ino>:<size>:<mtimeNs>:<ctimeNs> <absolute path>
 */
const CACHE_FILE = 'digests-v1.txt';
const HEADER = 'model-ledger digest cache v1';
/** The cache forgets the least recently used entries beyond this many (about 40 MB of text). */
const MAX_ENTRIES = 250_000;
const DEFAULT_RACY_WINDOW_MS = 2_000;
/** "Last used" is refreshed at most daily, so a run over unchanged files need not rewrite the cache. */
const REFRESH_USED_SECONDS = 24 * 3600;
const LINE =
  /^([0-9a-f]{64}) ([0-9]{1,12}) (-?[0-9]{1,30}:-?[0-9]{1,30}:[0-9]{1,30}:-?[0-9]{1,30}:-?[0-9]{1,30}) (\/.*)$/;

interface Entry {
  sha256: string;
  usedAt: number;
  stat: StatKey;
}

export interface DigestCacheOptions {
  log?: Logger;
  /** Files changed less than this long before hashing began are not stored. Default 2000 ms. */
  racyWindowMs?: number;
}

export interface CacheStats {
  hits: number;
  stored: number;
}

/** `$XDG_CACHE_HOME/model-ledger`, else `~/.cache/model-ledger`, from the environment given. */
export function defaultCacheDir(env: Readonly<Record<string, string | undefined>>): string {
  const xdg = env['XDG_CACHE_HOME'];
  if (xdg && xdg.startsWith('/')) return join(xdg, 'model-ledger');
  return join(env['HOME'] || homedir(), '.cache', 'model-ledger');
}

export class DigestCache {
  readonly stats: CacheStats = { hits: 0, stored: 0 };
  private readonly changed = new Map<string, Entry>();

  private constructor(
    readonly dir: string,
    private readonly entries: Map<string, Entry>,
    /** size:mtime of the cache file when read: unchanged at save time means no merge is needed. */
    private readonly loadedVersion: string,
    private readonly log: Logger,
    private readonly racyWindowNs: bigint,
  ) {}

  /** Loads the cache of `dir`; a missing cache is empty, a malformed one is reported and ignored. */
  static async open(dir: string, options: DigestCacheOptions = {}): Promise<DigestCache> {
    const log = options.log ?? silentLogger;
    const { entries, version } = await readEntries(join(dir, CACHE_FILE), log);
    const windowMs = options.racyWindowMs ?? DEFAULT_RACY_WINDOW_MS;
    return new DigestCache(
      dir,
      entries,
      version,
      log,
      BigInt(Math.max(0, Math.round(windowMs))) * 1_000_000n,
    );
  }

  /** What the worker should compare the file's lstat with, or null when nothing is known. */
  lookup(path: string): Expectation | null {
    const entry = this.entries.get(path);
    return entry ? [entry.stat, entry.sha256] : null;
  }

  /**
   * Notes a digest just computed (or reused, `cached`). `startedAtNs` is the wall-clock time (ns)
   * at which hashing began: files changed within the racy window before it are not kept.
   */
  record(path: string, sha256: string, stat: StatKey, cached: boolean, startedAtNs: bigint): void {
    const now = Number(startedAtNs / 1_000_000_000n);
    if (cached) {
      this.stats.hits++;
      const entry = this.entries.get(path);
      if (entry && now - entry.usedAt > REFRESH_USED_SECONDS) this.keep(path, { ...entry, usedAt: now });
      return;
    }
    if (/[\n\r]/.test(path)) return; // one entry per line
    const parts = stat.split(':');
    const newest = [BigInt(parts[3] as string), BigInt(parts[4] as string)].reduce((a, b) => (a > b ? a : b));
    if (startedAtNs - newest <= this.racyWindowNs) return;
    this.stats.stored++;
    this.keep(path, { sha256, usedAt: now, stat });
  }

  private keep(path: string, entry: Entry): void {
    this.entries.set(path, entry);
    this.changed.set(path, entry);
  }

  /**
   * Writes the cache when this run changed it, merged with whatever another run saved meanwhile,
   * atomically (temporary file + rename). A cache that cannot be written costs speed, not
   * correctness: it is reported as a warning.
   */
  async save(): Promise<void> {
    if (this.changed.size === 0) return;
    const file = join(this.dir, CACHE_FILE);
    const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      let merged = this.entries;
      if ((await fileVersion(file)) !== this.loadedVersion) {
        merged = (await readEntries(file, this.log)).entries;
        for (const [path, entry] of this.changed) merged.set(path, entry);
      }
      let kept: Iterable<[string, Entry]> = merged;
      if (merged.size > MAX_ENTRIES)
        kept = [...merged].sort((a, b) => b[1].usedAt - a[1].usedAt).slice(0, MAX_ENTRIES);
      const lines = [HEADER];
      for (const [path, entry] of kept) lines.push(`${entry.sha256} ${entry.usedAt} ${entry.stat} ${path}`);
      await writeFile(temporary, `${lines.join('\n')}\n`, { mode: 0o600 });
      await rename(temporary, file);
      this.changed.clear();
    } catch (error) {
      await rm(temporary, { force: true });
      this.log.warn(`digest cache ${file} not saved (${describeError(error)}); the next run hashes again`);
    }
  }
}

async function fileVersion(file: string): Promise<string> {
  try {
    const info = await stat(file, { bigint: true });
    return `${info.size}:${info.mtimeNs}:${info.ino}`;
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return 'missing';
    throw error;
  }
}

async function readEntries(
  file: string,
  log: Logger,
): Promise<{ entries: Map<string, Entry>; version: string }> {
  const entries = new Map<string, Entry>();
  let text: string;
  let version: string;
  try {
    version = await fileVersion(file);
    if (version === 'missing') return { entries, version };
    text = await readFile(file, 'utf8');
  } catch (error) {
    log.warn(`digest cache ${file} unreadable (${describeError(error)}); ignored`);
    return { entries, version: 'unreadable' };
  }
  const lines = text.split('\n');
  if (lines[0] !== HEADER) {
    log.warn(`digest cache ${file} is not a model-ledger cache (first line); ignored and rewritten`);
    return { entries, version };
  }
  for (let index = 1; index < lines.length; index++) {
    const line = lines[index] as string;
    if (line === '') continue;
    const match = LINE.exec(line);
    if (!match) {
      log.warn(`digest cache ${file} line ${index + 1} is malformed; the cache is ignored and rewritten`);
      return { entries: new Map(), version };
    }
    entries.set(match[4] as string, {
      sha256: match[1] as string,
      usedAt: Number(match[2]),
      stat: match[3] as string,
    });
  }
  return { entries, version };
}
