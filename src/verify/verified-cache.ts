/**
 * A per-user cache of ledger verifications for the read commands (`log`, `diff`): reading an
 * unchanged 10,000-record ledger again need not check 10,000 signatures again. An entry is
 * reused only when everything the verification depended on is byte for byte what it was — every
 * record file (name and sha256), the ledger's keys, its newest checkpoint, the trust given (keys,
 * identity, origin) and the model-ledger version — so any edit, deletion or addition is a miss
 * and a full verification. `verify` itself never reads it. Keyless ledgers are not cached: their
 * verification also rests on a trusted root that can change under the same records.
 */
import { createHash } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

import { LedgerError, describeError } from '../errors.js';
import { isMissingFile, readBoundedFile } from '../fs/bounded.js';
import type { Logger } from '../log.js';
import { TOOL_VERSION } from '../record/version.js';
import type { RecordRef, Store } from '../store/types.js';
import type { LedgerVerification, VerifyLedgerOptions } from './ledger.js';
import type { ClaimedSigner } from './claimed-signer.js';

export interface VerifiedCacheOptions {
  /** Where entries are kept (default: `$XDG_CACHE_HOME/model-ledger/verified`). */
  dir: string;
  /** Verify again whatever the cache holds (`--reverify`); the new result is stored. */
  reverify?: boolean;
  log?: Logger;
}

/** The cache directory for an environment: `$XDG_CACHE_HOME` or `~/.cache`, then `model-ledger/verified`. */
export function defaultVerifiedCacheDir(env: Readonly<Record<string, string | undefined>>): string {
  const base = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(base, 'model-ledger', 'verified');
}

const CACHE_VERSION = 1;
/** A cached verification of a 10,000-record ledger is a few MB. */
const MAX_ENTRY_BYTES = 256 * 1024 * 1024;

interface CacheEntry {
  version: number;
  key: string;
  verification: LedgerVerification;
}

/** What the cache needs of each stored record, computed once by its caller (which shows them too). */
export interface StoredRecordFacts {
  ref: RecordRef;
  /** sha256 of the stored file's bytes. */
  sha256: string;
  /** How the file says it was signed, read without trusting it. */
  claim: ClaimedSigner | null;
}

export interface CachedVerification {
  verification: LedgerVerification;
  /** Whether it was read from the cache rather than computed now. */
  fromCache: boolean;
}

/**
 * The verification of the ledger whose stored records are `records`, from the cache
 * when everything it depends on is unchanged, else from `verify()` (then stored). Options that
 * make a verification depend on more than the store (anchors, a policy, artifacts) bypass it.
 */
export async function cachedVerification(
  store: Store,
  records: readonly StoredRecordFacts[],
  options: VerifyLedgerOptions,
  cache: VerifiedCacheOptions,
  verify: () => Promise<LedgerVerification>,
): Promise<CachedVerification> {
  const cacheable =
    options.anchors === undefined &&
    options.policy === undefined &&
    options.artifactsDir === undefined &&
    records.length > 0 &&
    records.every((record) => record.claim?.kind !== 'certificate');
  if (!cacheable) return { verification: await verify(), fromCache: false };
  const key = await cacheKey(store, records, options);
  const file = join(cache.dir, `${sha256(store.location)}.json`);
  if (!cache.reverify) {
    const entry = await readEntry(file, cache.log);
    if (entry?.version === CACHE_VERSION && entry.key === key)
      return { verification: entry.verification, fromCache: true };
  }
  const verification = await verify();
  await writeEntry(file, { version: CACHE_VERSION, key, verification }, cache.log);
  return { verification, fromCache: false };
}

async function cacheKey(
  store: Store,
  records: readonly StoredRecordFacts[],
  options: VerifyLedgerOptions,
): Promise<string> {
  const keys = [...(await store.publicKeys()).entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  const checkpoint = (await store.latestCheckpoint?.()) ?? null;
  return sha256(
    JSON.stringify({
      version: CACHE_VERSION,
      tool: TOOL_VERSION,
      location: store.location,
      records: records.map(({ ref, sha256: digest }) => [ref.name, ref.index, digest]),
      keys,
      checkpoint: checkpoint ? [checkpoint.size, checkpoint.text] : null,
      trustedKeys: options.trustedKeys ?? null,
      identity: options.identity ?? null,
      origin: options.origin ?? null,
      partial: options.partial === true,
    }),
  );
}

/** A cache entry, or null for none; an unreadable or malformed one is a miss, said at debug level. */
async function readEntry(file: string, log: Logger | undefined): Promise<CacheEntry | null> {
  let bytes: Buffer;
  try {
    bytes = await readBoundedFile(file, MAX_ENTRY_BYTES, file, { code: 'IO' });
  } catch (error) {
    if (isMissingFile(error)) return null;
    if (!(error instanceof LedgerError)) throw error;
    log?.debug(`verification cache ${file} not read (${error.message}): verifying`);
    return null;
  }
  try {
    const entry = JSON.parse(bytes.toString('utf8')) as CacheEntry;
    const ok =
      typeof entry === 'object' &&
      entry !== null &&
      typeof entry.key === 'string' &&
      typeof entry.verification === 'object' &&
      Array.isArray(entry.verification?.records) &&
      Array.isArray(entry.verification?.problems);
    return ok ? entry : null;
  } catch (error) {
    log?.debug(`verification cache ${file} is not JSON (${describeError(error)}): verifying`);
    return null;
  }
}

/** Stores an entry atomically (a temporary file renamed over it); a cache that cannot be written is a debug line. */
async function writeEntry(file: string, entry: CacheEntry, log: Logger | undefined): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await mkdir(join(file, '..'), { recursive: true, mode: 0o700 });
    await writeFile(temporary, JSON.stringify(entry), { mode: 0o600 });
    await rename(temporary, file);
  } catch (error) {
    log?.debug(`verification cache ${file} not written (${describeError(error)})`);
  }
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
