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
  /**
   * How long a record file must have stood unchanged before its digest is remembered by its
   * stamp (digest-memo.ts); 2 s unless given.
   */
  stampSlackMs?: number;
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
  /** The ledger's cache key when it is cacheable (views of it are cached under it), else null. */
  key: string | null;
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
  const dependsOnMore =
    options.anchors !== undefined || options.policy !== undefined || options.artifactsDir !== undefined;
  if (dependsOnMore || records.length === 0)
    return { verification: await verify(), fromCache: false, key: null };
  const key = await cacheKey(store, records, options);
  const file = entryFile(cache, store.location);
  if (!cache.reverify) {
    const entry = await readEntry(file, cache.log);
    // Only cacheable ledgers are ever stored, and the key covers every record's bytes: a hit is
    // a ledger found cacheable before, without reading its records' signers again.
    if (entry?.version === CACHE_VERSION && entry.key === key)
      return { verification: entry.verification, fromCache: true, key };
  }
  const verification = await verify();
  if (records.some((record) => record.claim?.kind === 'certificate'))
    return { verification, fromCache: false, key: null };
  await writeJson(file, { version: CACHE_VERSION, key, verification } satisfies CacheEntry, cache.log);
  return { verification, fromCache: false, key };
}

/**
 * A view of a cached ledger (what `log` lists), kept beside its verification under the same key:
 * it is recomputed whenever anything the verification depends on changed. `valid` checks what
 * is read back, since the cache directory is only as trustworthy as the user's home.
 */
export async function cachedView<T>(
  cache: VerifiedCacheOptions,
  location: string,
  key: string,
  name: string,
  valid: (value: unknown) => value is T,
  compute: () => T,
): Promise<T> {
  const file = entryFile(cache, location, name);
  if (!cache.reverify) {
    const entry = await readJson(file, cache.log);
    const {
      version,
      key: stored,
      value,
    } = (entry ?? {}) as { version?: unknown; key?: unknown; value?: unknown };
    if (version === CACHE_VERSION && stored === key && valid(value)) return value;
  }
  const value = compute();
  await writeJson(file, { version: CACHE_VERSION, key, value }, cache.log);
  return value;
}

/**
 * A view of a cached ledger as the text a command prints (`log --format json` of every record),
 * kept under the same key and returned as stored (UTF-8 bytes): reading, checking and rendering
 * 10,000 entries again would cost more than the rest of the command. The digest in the file's
 * first line guards against a damaged file.
 */
export async function cachedText(
  cache: VerifiedCacheOptions,
  location: string,
  key: string,
  name: string,
  compute: () => Promise<string>,
): Promise<Buffer> {
  const file = cacheFile(cache, location, `.${name}.txt`);
  if (!cache.reverify) {
    const bytes = await readCacheFile(file, cache.log);
    const newline = bytes?.indexOf(0x0a) ?? -1;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: without a header line the file parses as no entry either way
    if (bytes && newline > 0) {
      const header = parseJson(bytes.subarray(0, newline).toString('utf8'));
      // The digest is of the bytes as stored: hashing them costs half what hashing the text would.
      const body = bytes.subarray(newline + 1);
      const { version, key: stored, sha256: digest } = (header ?? {}) as Record<string, unknown>;
      if (version === CACHE_VERSION && stored === key && digest === sha256(body)) return body;
      cache.log?.debug(`verification cache ${file} is not this ledger's: rendering it again`);
    }
  }
  const encoded = Buffer.from(await compute(), 'utf8');
  const header = JSON.stringify({ version: CACHE_VERSION, key, sha256: sha256(encoded) });
  await writeCacheFile(file, Buffer.concat([Buffer.from(`${header}\n`, 'utf8'), encoded]), cache.log);
  return encoded;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null; // not an entry: the caller renders it again
  }
}

function entryFile(cache: VerifiedCacheOptions, location: string, view?: string): string {
  return cacheFile(cache, location, view === undefined ? '.json' : `.${view}.json`);
}

/** The cache file of a ledger (by its location) with `suffix`. */
export function cacheFile(cache: VerifiedCacheOptions, location: string, suffix: string): string {
  return join(cache.dir, `${sha256(location)}${suffix}`);
}

async function cacheKey(
  store: Store,
  records: readonly StoredRecordFacts[],
  options: VerifyLedgerOptions,
): Promise<string> {
  // Stryker disable next-line EqualityOperator: key hints are distinct, and any fixed order gives one key per key set
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

/** A cache entry, or null for none (or a malformed one). */
async function readEntry(file: string, log: Logger | undefined): Promise<CacheEntry | null> {
  const entry = (await readJson(file, log)) as CacheEntry | null;
  const ok =
    typeof entry === 'object' &&
    entry !== null &&
    typeof entry.key === 'string' &&
    typeof entry.verification === 'object' &&
    Array.isArray(entry.verification?.records) &&
    Array.isArray(entry.verification?.problems);
  return ok ? entry : null;
}

/** A cache file's bytes, or null for none; an unreadable one is a miss, said at debug level. */
export async function readCacheFile(file: string, log: Logger | undefined): Promise<Buffer | null> {
  try {
    return await readBoundedFile(file, MAX_ENTRY_BYTES, file, { code: 'IO' });
  } catch (error) {
    if (isMissingFile(error)) return null;
    if (!(error instanceof LedgerError)) throw error;
    log?.debug(`cache file ${file} not read (${error.message}): working without it`);
    return null;
  }
}

/** A cache file's JSON, or null for none; an unreadable or malformed one is a miss, said at debug level. */
async function readJson(file: string, log: Logger | undefined): Promise<unknown> {
  const bytes = await readCacheFile(file, log);
  if (bytes === null) return null;
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch (error) {
    log?.debug(`verification cache ${file} is not JSON (${describeError(error)}): verifying`);
    return null;
  }
}

async function writeJson(file: string, value: unknown, log: Logger | undefined): Promise<void> {
  await writeCacheFile(file, JSON.stringify(value), log);
}

/** Stores a cache file atomically (a temporary file renamed over it); a cache that cannot be written is a debug line. */
export async function writeCacheFile(
  file: string,
  text: string | Buffer,
  log: Logger | undefined,
): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await mkdir(join(file, '..'), { recursive: true, mode: 0o700 });
    await writeFile(temporary, text, { mode: 0o600 });
    // rename(2) replaces the file atomically: a reader sees the old entry or the new one, whole.
    await rename(temporary, file);
  } catch (error) {
    log?.debug(`verification cache ${file} not written (${describeError(error)})`);
  }
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
