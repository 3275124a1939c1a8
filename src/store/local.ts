import { createPublicKey, randomBytes } from 'node:crypto';
import { constants, lstatSync } from 'node:fs';
import { link, mkdir, open, readdir, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';

import { LedgerError, describeError, errnoCode } from '../errors.js';
import { isMissingFile, readBoundedFile, readBoundedFileSync, readBoundedText } from '../fs/bounded.js';
import { compareBytewise } from '../fs/glob.js';
import { keyHint } from '../sign/keys.js';
import {
  checkpointBundleName,
  checkpointFileName,
  parseRecordFileName,
  recordFileName,
  type PutRequest,
  type RecordRef,
  type RecordStamp,
  type Store,
  type StoredCheckpoint,
} from './types.js';

const CHECKPOINT_FILE = /^model-ledger-(\d{6,})\.checkpoint$/;

export const DEFAULT_LEDGER_DIR = '.model-ledger';

/**
 * The embedded default: one bundle file per record in a directory, public keys in `keys/`,
 * large manifests in `manifests/`. Writes go to a temporary file that is linked into place,
 * so a crash leaves either the whole record or none of it, and two writers cannot both win.
 */
export class LocalStore implements Store {
  readonly localReads = true;

  constructor(readonly location: string) {}

  async list(): Promise<RecordRef[]> {
    let names: string[];
    try {
      names = await readdir(this.location);
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return [];
      throw new LedgerError('STORE', `cannot read the ledger directory (${describeError(error)})`, {
        file: this.location,
        cause: error,
        fix: 'check that the directory is readable, or point --store at the ledger',
      });
    }
    const refs: RecordRef[] = [];
    for (const name of names) {
      const parsed = parseRecordFileName(name);
      if (parsed) refs.push({ index: parsed.index, name, uri: name });
    }
    return refs.sort((a, b) => a.index - b.index || compareBytewise(a.name, b.name));
  }

  async get(ref: RecordRef): Promise<Buffer> {
    return this.getSync(ref);
  }

  getSync(ref: RecordRef): Buffer {
    // A bundle is a regular file of at most a few MiB: a FIFO or /dev/zero in its place is refused.
    // Read synchronously: verifying a ledger reads thousands in a row, and the thread pool's round
    // trips would cost more than the reads.
    return readBoundedFileSync(
      join(this.location, ref.name),
      MAX_BUNDLE_BYTES,
      join(this.location, ref.name),
      {
        code: 'STORE',
        fix: 'a record file must be the regular file `record` wrote; run `model-ledger verify` and restore it from a copy',
      },
    );
  }

  stamp(ref: RecordRef): RecordStamp | null {
    // Times as fractional milliseconds (microsecond precision) rather than BigInt nanoseconds:
    // a ledger's worth of BigInt stats costs more than reading the files would save, and the
    // slack readers allow (seconds) dwarfs the difference.
    const stats = lstatSync(join(this.location, ref.name), { throwIfNoEntry: false });
    if (!stats?.isFile()) return null;
    return {
      stamp: `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}`,
      changedMs: Math.max(stats.mtimeMs, stats.ctimeMs),
    };
  }

  locate(ref: RecordRef): string {
    return join(this.location, ref.name);
  }

  async remove(ref: RecordRef): Promise<void> {
    try {
      await unlink(join(this.location, ref.name));
    } catch (error) {
      throw new LedgerError('IO', `cannot remove record (${describeError(error)})`, {
        file: join(this.location, ref.name),
        cause: error,
      });
    }
  }

  /**
   * An exclusive lock file, `.lock`, held from reading the head to storing the record. See
   * acquireLock for how a lock left behind is told apart from a live one and taken over.
   */
  async lock(timeoutMs = 120_000): Promise<() => Promise<void>> {
    try {
      await mkdir(this.location, { recursive: true });
    } catch (error) {
      throw new LedgerError('IO', `cannot create the ledger directory (${describeError(error)})`, {
        file: this.location,
        cause: error,
      });
    }
    return acquireLock(join(this.location, '.lock'), timeoutMs);
  }

  async publicKeys(): Promise<Map<string, string>> {
    const keys = new Map<string, string>();
    const dir = join(this.location, 'keys');
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return keys;
      throw new LedgerError('STORE', `cannot read the ledger's keys (${describeError(error)})`, {
        file: dir,
        cause: error,
      });
    }
    for (const name of names.sort()) {
      const match = /^([0-9a-f]{64})\.pub\.pem$/.exec(name);
      if (!match) continue;
      const file = join(dir, name);
      const pem = await readBoundedText(file, MAX_PUBLIC_KEY_BYTES, file, { code: 'STORE' });
      assertLedgerKey(pem, match[1] as string, file);
      keys.set(match[1] as string, pem);
    }
    return keys;
  }

  async getAttachment(name: string): Promise<Buffer | null> {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) return null; // a name, never a path
    const file = join(this.location, 'manifests', name);
    try {
      return await readBoundedFile(file, MAX_MANIFEST_BYTES, file, { code: 'STORE' });
    } catch (error) {
      if (isMissingFile(error)) return null;
      throw error;
    }
  }

  async put(request: PutRequest): Promise<RecordRef> {
    const name = recordFileName(request.index, request.statementSha256);
    try {
      await mkdir(this.location, { recursive: true });
      // Keys and manifests first: a record on disk always has what verifies it beside it.
      if (request.publicKey) {
        await mkdir(join(this.location, 'keys'), { recursive: true });
        await writeExclusive(
          join(this.location, 'keys', `${request.publicKey.hint}.pub.pem`),
          request.publicKey.pem,
        );
      }
      if (request.attachments.length > 0) {
        await mkdir(join(this.location, 'manifests'), { recursive: true });
        for (const attachment of request.attachments) {
          await writeExclusive(join(this.location, 'manifests', attachment.name), attachment.content);
        }
      }
    } catch (error) {
      throw new LedgerError('IO', `cannot write to the ledger (${describeError(error)})`, {
        file: this.location,
        cause: error,
        fix: 'check that the ledger directory is writable',
      });
    }
    const target = join(this.location, name);
    let outcome: 'written' | 'exists';
    try {
      outcome = await writeExclusive(target, request.bundle);
    } catch (error) {
      throw new LedgerError('IO', `cannot write record (${describeError(error)})`, {
        file: target,
        cause: error,
        fix: 'check that the ledger directory is writable',
      });
    }
    if (outcome === 'exists') {
      throw new LedgerError('CHAIN', 'a record with this name already exists', {
        file: target,
        fix: 'another run appended at the same time; run `model-ledger verify` and record again',
      });
    }
    if (request.checkpoint) {
      // After the record: a checkpoint never covers a record that is not there. If this write is
      // lost, the next record's checkpoint covers this one too.
      const file = join(this.location, 'checkpoints', checkpointFileName(request.index));
      try {
        await mkdir(join(this.location, 'checkpoints'), { recursive: true });
        // The bundle first: a keyless note is never there without what proves its key.
        if (request.checkpointBundle)
          await writeExclusive(checkpointBundleName(file), request.checkpointBundle);
        await writeExclusive(file, request.checkpoint);
      } catch (error) {
        throw new LedgerError(
          'IO',
          `record ${request.index} is stored, but its checkpoint could not be written (${describeError(error)})`,
          {
            file,
            cause: error,
            fix: 'check that the ledger directory is writable; the next record writes a checkpoint covering this one',
          },
        );
      }
    }
    return { index: request.index, name, uri: name };
  }

  async getCheckpoint(size: number): Promise<StoredCheckpoint | null> {
    if (!Number.isSafeInteger(size) || size < 1) return null;
    const file = join(this.location, 'checkpoints', checkpointFileName(size - 1));
    try {
      const text = await readBoundedText(file, MAX_CHECKPOINT_BYTES, file, { code: 'STORE' });
      const bundle = await readBoundedText(
        checkpointBundleName(file),
        MAX_CHECKPOINT_BUNDLE_BYTES,
        undefined,
        {
          code: 'STORE',
        },
      ).catch((error: unknown) => {
        if (isMissingFile(error)) return undefined;
        throw error;
      });
      return { size, text, uri: file, ...(bundle !== undefined ? { bundle } : {}) };
    } catch (error) {
      if (isMissingFile(error)) return null;
      throw error;
    }
  }

  async latestCheckpoint(): Promise<StoredCheckpoint | null> {
    let names: string[];
    try {
      names = await readdir(join(this.location, 'checkpoints'));
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return null;
      throw new LedgerError('STORE', `cannot read the ledger's checkpoints (${describeError(error)})`, {
        file: join(this.location, 'checkpoints'),
        cause: error,
      });
    }
    const sizes = names
      .map((name) => CHECKPOINT_FILE.exec(name)?.[1])
      .filter((index): index is string => index !== undefined)
      .map((index) => Number(index) + 1);
    if (sizes.length === 0) return null;
    return this.getCheckpoint(Math.max(...sizes));
  }
}

/**
 * Writes through a temporary file that is fsynced and then hard-linked into place: a crash leaves
 * the whole file or none of it, and link() — unlike rename() — refuses to replace an existing
 * file, so a concurrent writer is never overwritten. Content-addressed files (keys, manifests)
 * treat 'exists' as done: the name is the digest of the bytes.
 */
async function writeExclusive(target: string, content: Buffer | string): Promise<'written' | 'exists'> {
  const temporary = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temporary, 'wx', 0o644);
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await link(temporary, target);
    return 'written';
  } catch (error) {
    if (errnoCode(error) === 'EEXIST') return 'exists';
    throw error;
  } finally {
    await unlink(temporary).catch((error: unknown) => {
      if (errnoCode(error) !== 'ENOENT') throw error;
    });
  }
}

/** A record's bundle: a statement (manifests of large directories are stored beside it) and its signature. */
const MAX_BUNDLE_BYTES = 64 * 1024 * 1024;
/** A PEM public key is a few hundred bytes. */
const MAX_PUBLIC_KEY_BYTES = 64 * 1024;
/** A stored manifest: one line per file of a dataset or model directory. */
const MAX_MANIFEST_BYTES = 1024 * 1024 * 1024;

/** A key in `keys/` must be the SPKI PEM public key its name is the hint of; anything else is named, not trusted. */
function assertLedgerKey(pem: string, hint: string, file: string): void {
  let key;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw new LedgerError('STORE', `is not a PEM public key (${describeError(error)})`, {
      file,
      cause: error,
      fix: 'remove the file, or restore the public key `record` wrote there',
    });
  }
  if (keyHint(key) !== hint) {
    throw new LedgerError('STORE', 'holds a different key than its name says', {
      file,
      fix: 'remove the file, or restore the public key `record` wrote there',
    });
  }
}

/** A checkpoint is a few hundred bytes; a larger file is not one (and is never read whole). */
const MAX_CHECKPOINT_BYTES = 64 * 1024;
/** A keyless checkpoint's bundle: a certificate chain, a log entry and a timestamp. */
const MAX_CHECKPOINT_BUNDLE_BYTES = 1024 * 1024;

/** What a lock file says about its holder. */
interface LockHolder {
  host: string;
  pid: number;
  /** When the holder took the lock (ISO 8601). */
  since: string;
  /** Random: tells this holder's lock from a later one of the same process. */
  token: string;
}

/** A lock file with no holder in it (a writer that died between creating and writing it) is stale after this. */
const EMPTY_LOCK_GRACE_MS = 2_000;
/** A lock file is a line of JSON. */
const MAX_LOCK_BYTES = 4096;

/**
 * Takes the lock at `file`. A lock is created whole: its holder (host, pid, start time, token) is
 * written to a temporary file that is then hard-linked to `file`; link(2) fails with EEXIST when
 * `file` exists and never replaces it, so of any number of runs exactly one holds the lock, and
 * a lock file is never seen half-written (except one left by an older model-ledger).
 *
 * When the lock is held: a live process on this host is waited for, up to `timeoutMs`; a holder
 * on another host cannot be checked from here, so that is an error at once, naming the holder;
 * a holder on this host whose pid no longer runs, or a lock with no holder in it older than
 * EMPTY_LOCK_GRACE_MS, is stale and is broken (breakStaleLock) — then taken like a free one.
 */
async function acquireLock(file: string, timeoutMs: number): Promise<() => Promise<void>> {
  const mine: LockHolder = {
    host: hostname(),
    pid: process.pid,
    since: new Date().toISOString(),
    token: randomBytes(8).toString('hex'),
  };
  const deadline = Date.now() + timeoutMs;
  for (let wait = 25; ; wait = Math.min(wait * 2, 1000)) {
    if (await createLinked(file, `${JSON.stringify(mine)}\n`)) return () => releaseLock(file, mine);
    const seen = await readLock(file);
    if (seen === null) continue; // released in between: try again at once
    const state = lockState(seen);
    if (state === 'foreign') {
      throw new LedgerError('CHAIN', `the ledger is locked by ${describeHolder(seen.holder)}`, {
        file,
        fix: `a run on ${seen.holder?.host ?? 'another host'} holds it, and its process cannot be checked from here; wait for it, or if no run is recording there, remove ${file}`,
      });
    }
    if (state === 'stale') {
      await breakStaleLock(file, seen);
      continue;
    }
    if (Date.now() > deadline) {
      throw new LedgerError(
        'CHAIN',
        `another run has been recording into this ledger for too long (${describeHolder(seen.holder)})`,
        { file, fix: `wait for it to finish; if no run is recording, remove ${file}` },
      );
    }
    await new Promise((settle) => setTimeout(settle, wait));
  }
}

interface SeenLock {
  holder: LockHolder | null;
  /** The file's identity and age when it was read: a lock replaced since is a different lock. */
  ino: number;
  mtimeMs: number;
  text: string;
}

/** Creates `file` with `content` by hard link from a temporary file; false when `file` exists. */
async function createLinked(file: string, content: string): Promise<boolean> {
  const outcome = await writeExclusive(file, content).catch((error: unknown) => {
    throw new LedgerError('IO', `cannot lock the ledger (${describeError(error)})`, { file, cause: error });
  });
  return outcome === 'written';
}

/** The lock at `file` as it is now, or null when there is none. */
async function readLock(file: string): Promise<SeenLock | null> {
  let handle;
  try {
    // O_NOFOLLOW: a symbolic link in the lock's place (dangling, it would read as "no lock" while
    // link(2) keeps finding the name taken) is refused rather than waited on without end.
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return null;
    if (errnoCode(error) === 'ELOOP') {
      throw new LedgerError('STORE', 'is a symbolic link, so it is no lock model-ledger wrote', {
        file,
        fix: `remove ${file}`,
      });
    }
    throw new LedgerError('IO', `cannot read the lock (${describeError(error)})`, { file, cause: error });
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) {
      throw new LedgerError('STORE', 'is not a regular file, so it is no lock model-ledger wrote', {
        file,
        fix: `remove ${file}`,
      });
    }
    const buffer = Buffer.alloc(MAX_LOCK_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, MAX_LOCK_BYTES, 0);
    const text = buffer.subarray(0, bytesRead).toString('utf8');
    return { holder: parseHolder(text), ino: stats.ino, mtimeMs: stats.mtimeMs, text };
  } finally {
    await handle.close();
  }
}

function parseHolder(text: string): LockHolder | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { host, pid, since, token } = parsed as Record<string, unknown>;
  if (typeof host !== 'string' || typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 0)
    return null;
  return {
    host,
    pid,
    since: typeof since === 'string' ? since : 'an unknown time',
    token: typeof token === 'string' ? token : '',
  };
}

function lockState(seen: SeenLock): 'held' | 'stale' | 'foreign' {
  if (!seen.holder) return Date.now() - seen.mtimeMs > EMPTY_LOCK_GRACE_MS ? 'stale' : 'held';
  if (seen.holder.host !== hostname()) return 'foreign';
  return processRuns(seen.holder.pid) ? 'held' : 'stale';
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errnoCode(error) !== 'ESRCH'; // EPERM: it runs, as another user
  }
}

function describeHolder(holder: LockHolder | null): string {
  return holder
    ? `process ${holder.pid} on ${holder.host} since ${holder.since}`
    : 'a lock file with no holder in it';
}

/**
 * Removes a stale lock without ever removing a live one. Two runs may judge the same lock stale
 * at once; if both simply unlinked it, the slower one could unlink the lock the faster one had
 * just taken. So breaking needs a second lock, `file.break`, created whole by link(2) (so one
 * breaker at a time): its holder reads the lock again and unlinks it only if it is still the
 * very file judged stale (same inode and content). Nothing else removes a stale lock (its holder
 * is gone), so it cannot change between that check and the unlink. A breaker that died holding
 * `file.break` leaves it stale by the same rules, after which it is removed.
 */
async function breakStaleLock(file: string, seen: SeenLock): Promise<void> {
  const breaker = `${file}.break`;
  const mine: LockHolder = {
    host: hostname(),
    pid: process.pid,
    since: new Date().toISOString(),
    token: randomBytes(8).toString('hex'),
  };
  if (!(await createLinked(breaker, `${JSON.stringify(mine)}\n`))) {
    const other = await readLock(breaker);
    // A breaker that died: the break lock goes, and the next round breaks the lock itself.
    if (other && lockState(other) === 'stale' && Date.now() - other.mtimeMs > EMPTY_LOCK_GRACE_MS)
      await unlinkIfPresent(breaker);
    else await new Promise((settle) => setTimeout(settle, 10));
    return;
  }
  try {
    const now = await readLock(file);
    if (now && now.ino === seen.ino && now.text === seen.text) await unlinkIfPresent(file);
  } finally {
    await unlinkIfPresent(breaker);
  }
}

async function releaseLock(file: string, mine: LockHolder): Promise<void> {
  const seen = await readLock(file);
  // Only this run's own lock is removed: one broken as stale and taken by another stays.
  if (seen?.holder?.token === mine.token) await unlinkIfPresent(file);
}

async function unlinkIfPresent(file: string): Promise<void> {
  try {
    await unlink(file);
  } catch (error) {
    if (errnoCode(error) !== 'ENOENT')
      throw new LedgerError('IO', `cannot remove (${describeError(error)})`, { file, cause: error });
  }
}
