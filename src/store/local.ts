import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';

import { LedgerError, describeError, errnoCode } from '../errors.js';
import { readBoundedText } from '../fs/bounded.js';
import { compareBytewise } from '../fs/glob.js';
import {
  checkpointFileName,
  parseRecordFileName,
  recordFileName,
  type PutRequest,
  type RecordRef,
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
    try {
      return await readFile(join(this.location, ref.name));
    } catch (error) {
      throw new LedgerError('STORE', `cannot read record (${describeError(error)})`, {
        file: join(this.location, ref.name),
        cause: error,
      });
    }
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
   * An exclusive lock file, `.lock`, holding the owner's pid and host. A lock left by a process
   * that died on this host is taken over; a live holder is waited for, up to `timeoutMs`.
   */
  async lock(timeoutMs = 120_000): Promise<() => Promise<void>> {
    const file = join(this.location, '.lock');
    const owner = JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() });
    const deadline = Date.now() + timeoutMs;
    try {
      await mkdir(this.location, { recursive: true });
    } catch (error) {
      throw new LedgerError('IO', `cannot create the ledger directory (${describeError(error)})`, {
        file: this.location,
        cause: error,
      });
    }
    for (let wait = 25; ; wait = Math.min(wait * 2, 1000)) {
      try {
        await writeFile(file, owner, { flag: 'wx' });
        return () => unlink(file);
      } catch (error) {
        if (errnoCode(error) !== 'EEXIST') {
          throw new LedgerError('IO', `cannot lock the ledger (${describeError(error)})`, {
            file,
            cause: error,
          });
        }
      }
      const holder = await readFile(file, 'utf8').catch(() => '');
      if (await isStale(holder)) {
        await unlink(file).catch((error: unknown) => {
          if (errnoCode(error) !== 'ENOENT') throw error;
        });
        continue;
      }
      if (Date.now() > deadline) {
        throw new LedgerError(
          'CHAIN',
          `another run has been recording into this ledger for too long (${holder})`,
          {
            file,
            fix: 'wait for it to finish; if no run is recording, remove the lock file',
          },
        );
      }
      await new Promise((settle) => setTimeout(settle, wait));
    }
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
      if (match) keys.set(match[1] as string, await readFile(join(dir, name), 'utf8'));
    }
    return keys;
  }

  async getAttachment(name: string): Promise<Buffer | null> {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) return null; // a name, never a path
    try {
      return await readFile(join(this.location, 'manifests', name));
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return null;
      throw new LedgerError('STORE', `cannot read a stored manifest (${describeError(error)})`, {
        file: join(this.location, 'manifests', name),
        cause: error,
      });
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
      return { size, text: await readBoundedText(file, MAX_CHECKPOINT_BYTES), uri: file };
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return null;
      throw new LedgerError('STORE', `cannot read a checkpoint (${describeError(error)})`, {
        file,
        cause: error,
      });
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

/** A checkpoint is a few hundred bytes; a larger file is not one (and is never read whole). */
const MAX_CHECKPOINT_BYTES = 64 * 1024;

/** A lock whose holder was a process on this host that no longer runs. */
async function isStale(holder: string): Promise<boolean> {
  let parsed: { pid?: unknown; host?: unknown };
  try {
    parsed = JSON.parse(holder) as { pid?: unknown; host?: unknown };
  } catch {
    return false; // being written right now, or not ours: wait rather than break it
  }
  if (parsed.host !== hostname() || typeof parsed.pid !== 'number') return false;
  try {
    process.kill(parsed.pid, 0);
    return false;
  } catch (error) {
    return Promise.resolve(errnoCode(error) === 'ESRCH');
  }
}
