/**
 * A ledger read and verified once, as typed rows for the reports (log, diff, evidence pack, HTML).
 * Verification is `verifyLedger`'s; this module only lines its verdicts up with the records and
 * decodes every statement it can, so that a record whose signature fails is still shown — as
 * failed — rather than silently left out.
 */
import { decodeStatement, parseBundleJson } from '../verify/decode.js';
import { readStoredBundle, type ClaimedSigner, type StoredBundle } from '../verify/claimed-signer.js';
import type { Bundle } from '@sigstore/bundle';
import { LedgerError } from '../errors.js';
import { sha256Hex } from '../hash/file.js';
import type { ManifestRef, Statement } from '../record/predicate.js';
import { DigestMemo } from '../verify/digest-memo.js';
import { readOnce } from '../store/read-once.js';
import type { RecordRef, Store } from '../store/types.js';
import type { LedgerVerification, RecordSummary, VerifyLedgerOptions } from '../verify/ledger.js';
import type { Problem, ProblemCode } from '../verify/problems.js';
import {
  cachedVerification,
  type CachedVerification,
  type StoredRecordFacts,
  type VerifiedCacheOptions,
} from '../verify/verified-cache.js';

/** Problems about who signed a record or whether its bytes are what was signed. */
const SIGNATURE_PROBLEMS = new Set<ProblemCode>([
  'CORRUPT',
  'BAD_SIGNATURE',
  'UNKNOWN_SIGNER',
  'SIGNER_CHANGED',
  'SCHEMA',
  'IDENTITY_MISMATCH',
  'SUBJECT_MISMATCH',
  'UNTRUSTED',
  'TLOG_MISMATCH',
]);

/** Problems about a record's place in the chain. */
const CHAIN_PROBLEMS = new Set<ProblemCode>([
  'MISNAMED',
  'ORIGIN',
  'FIRST_RECORD',
  'GAP',
  'FORK',
  'BROKEN_LINK',
  'EDITED',
]);

export interface LedgerRow {
  /** Chain index (from the statement when it decodes, else from the file name). */
  index: number;
  file: string;
  /** Where the bundle is, for people: a path or a URL. */
  location: string;
  ref: RecordRef;
  /**
   * The sha256 of the bundle file as read here. Its bytes are not kept (a long ledger's would
   * fill memory): who needs them reads them from the store again and checks this digest.
   */
  bundleSha256: string;
  statementSha256: string | null;
  /** Who signed, as verification established it (`key:<hint>` or a certificate identity); null when it did not verify. */
  signer: string | null;
  /** Who the bundle says signed it, read without trusting it (for display next to a failure). */
  claimedSigner: ClaimedSigner | null;
  signingMode: string | null;
  recordedAt: string | null;
  /** The signature verified, by the signer the ledger pins, over a statement that matches the schema. */
  signatureVerified: boolean;
  /** The record sits where it says in the chain, and the next record's link to it holds. */
  chainVerified: boolean;
  /** What verification found wrong with this record. */
  problems: Problem[];
  /** The statement, decoded even when the signature failed (then it must not be trusted); null when unreadable. */
  statement: Statement | null;
}

export interface LoadedLedger {
  location: string;
  verification: LedgerVerification;
  rows: LedgerRow[];
  /** The store the ledger was read from (reads are cached: each bundle is fetched once). */
  store: Store;
  /** The verification was reused from the cache of this unchanged ledger (`cache` given). */
  verifiedFromCache?: boolean;
  /** The cache key of this ledger when it is cacheable: views of it are cached under it too. */
  cacheKey?: string;
}

export interface LoadLedgerOptions extends VerifyLedgerOptions {
  /** Reuse a cached verification of an unchanged ledger (read commands; see verify/verified-cache.ts). */
  cache?: VerifiedCacheOptions;
}

/** Reads and verifies every record of a ledger, once. */
export async function loadLedger(options: LoadLedgerOptions): Promise<LoadedLedger> {
  const { cache, ...verifyOptions } = options;
  const store = readOnce(options.store);
  // Each stored file is read and hashed once; parsed only when something needs its parse (a
  // verification served from the cache needs none).
  const files = new Map<string, StoredFile>();
  const reread = store.getSync?.bind(store);
  const stampOf = store.stamp?.bind(store);
  // A local ledger's digests are remembered by file stamp between read commands (digest-memo.ts).
  const memo = cache && reread && stampOf ? await DigestMemo.load(cache, store.location) : undefined;
  const factsOf = async (ref: RecordRef): Promise<StoredFile> => {
    let file = files.get(ref.name);
    if (!file) {
      const stamp = memo && stampOf ? stampOf(ref) : null;
      const known = memo?.digestOf(ref.name, stamp);
      file =
        known !== undefined
          ? StoredFile.known(ref, known, reread as (ref: RecordRef) => Buffer)
          : StoredFile.read(ref, await store.get(ref), reread);
      memo?.remember(ref.name, stamp, file.sha256);
      files.set(ref.name, file);
    }
    return file;
  };
  const outcome = cache
    ? await verifyThroughCache(store, verifyOptions, cache, factsOf)
    : { verification: await verifyAll({ ...verifyOptions, store }), fromCache: false, key: null };
  const verification = outcome.verification;
  const summaries = new Map(verification.records.map((summary) => [summary.file, summary]));
  const problemsOf = problemLookup(verification.problems);
  const rows: LedgerRow[] = [];
  for (const ref of await store.list()) {
    const file = await factsOf(ref);
    const summary = summaries.get(ref.name);
    // The file is read again here (a local store keeps no copy): it must be the bytes verified.
    const verified = (summary?.verified ?? false) && summary?.bundleSha256 === file.sha256;
    if (outcome.fromCache && summary?.verified) {
      // A record whose verification is reused matched the schema when it was verified, byte for
      // byte the same (the cache is keyed on every bundle's digest): it is not validated again,
      // and it is decoded only if a view reads it (`diff` reads two of 10,000).
      rows.push(new ReusedRow(file, summary, store, problemsOf(ref.name, summary.index)));
      continue;
    }
    const statement = decodeUnverified(file.bytes, ref.name);
    const index = statement?.predicate.chain.index ?? summary?.index ?? ref.index;
    const problems = problemsOf(ref.name, index);
    rows.push({
      index,
      file: ref.name,
      location: store.locate(ref),
      ref,
      bundleSha256: file.sha256,
      statementSha256: summary?.statementSha256 ?? null,
      signer: verified ? (summary?.signer ?? null) : null,
      claimedSigner: file.claim,
      signingMode: statement?.predicate.signing.mode ?? null,
      recordedAt: statement?.predicate.recordedAt ?? null,
      signatureVerified: verified && !problems.some((problem) => SIGNATURE_PROBLEMS.has(problem.code)),
      chainVerified: verified && !problems.some((problem) => CHAIN_PROBLEMS.has(problem.code)),
      problems,
      statement,
    });
  }
  await memo?.save();
  return {
    location: verification.location,
    verification,
    rows,
    store,
    ...(outcome.fromCache ? { verifiedFromCache: true } : {}),
    ...(outcome.key === null ? {} : { cacheKey: outcome.key }),
  };
}

/**
 * A stored record file: its digest, and its bytes and claimed signer when asked for. Where the
 * store reads local files (`getSync`) the bytes are not kept but read again on demand and checked
 * against the digest: a long ledger's records would otherwise stay in memory for the whole command.
 */
class StoredFile implements StoredRecordFacts {
  private claimed: ClaimedSigner | null | undefined;

  private constructor(
    readonly ref: RecordRef,
    readonly sha256: string,
    /** The bytes themselves, or how to read them again. */
    private readonly source: Buffer | ((ref: RecordRef) => Buffer),
  ) {}

  /** A file read now: kept unless the store can read it again. */
  static read(ref: RecordRef, bytes: Buffer, reread: ((ref: RecordRef) => Buffer) | undefined): StoredFile {
    return new StoredFile(ref, sha256Hex(bytes), reread ?? bytes);
  }

  /** A file whose digest is known without reading it (digest-memo.ts); read when its bytes are asked for. */
  static known(ref: RecordRef, sha256: string, reread: (ref: RecordRef) => Buffer): StoredFile {
    return new StoredFile(ref, sha256, reread);
  }

  /** The bytes that were hashed; a file changed since is a STORE error, never other bytes. */
  get bytes(): Buffer {
    if (Buffer.isBuffer(this.source)) return this.source;
    const bytes = this.source(this.ref);
    if (sha256Hex(bytes) !== this.sha256)
      throw new LedgerError('STORE', `record ${this.ref.index} changed after it was verified`, {
        file: this.ref.name,
        fix: 'something is writing to the ledger while it is read; run the command again',
      });
    return bytes;
  }

  /** The bundle parsed anew (it is not kept: parsed bundles are larger than their bytes). */
  get stored(): StoredBundle {
    return readStoredBundle(this.bytes, this.ref.name);
  }

  get claim(): ClaimedSigner | null {
    if (this.claimed === undefined) this.claimed = this.stored.claim;
    return this.claimed;
  }
}

/** The problems of each record, by file name or (for problems of no file) by index. */
function problemLookup(problems: readonly Problem[]): (file: string, index: number) => Problem[] {
  if (problems.length === 0) return () => [];
  return (file, index) =>
    problems.filter((problem) => (problem.file !== null ? problem.file === file : problem.index === index));
}

/**
 * The row of a record whose verification was reused: its location, claimed signer and statement
 * worked out when first read (a view of 10,000 rows reads two of them, or none).
 */
class ReusedRow implements LedgerRow {
  readonly index: number;
  readonly file: string;
  readonly ref: RecordRef;
  readonly bundleSha256: string;
  readonly statementSha256: string | null;
  readonly signer: string | null;
  readonly signingMode: string | null;
  readonly recordedAt: string | null;
  readonly signatureVerified: boolean;
  readonly chainVerified: boolean;
  private decoded: Statement | null | undefined;

  constructor(
    private readonly stored: StoredFile,
    summary: RecordSummary,
    private readonly store: Store,
    readonly problems: Problem[],
  ) {
    this.index = summary.index;
    this.file = stored.ref.name;
    this.ref = stored.ref;
    this.bundleSha256 = stored.sha256;
    this.statementSha256 = summary.statementSha256;
    this.signer = summary.signer;
    this.signingMode = summary.signingMode;
    this.recordedAt = summary.recordedAt;
    this.signatureVerified = !problems.some((problem) => SIGNATURE_PROBLEMS.has(problem.code));
    this.chainVerified = !problems.some((problem) => CHAIN_PROBLEMS.has(problem.code));
  }

  get location(): string {
    return this.store.locate(this.ref);
  }

  get claimedSigner(): ClaimedSigner | null {
    return this.stored.claim;
  }

  get statement(): Statement | null {
    if (this.decoded === undefined) {
      const bytes = this.stored.bytes;
      this.decoded =
        decodeVerified(readStoredBundle(bytes, this.file).bundle) ?? decodeUnverified(bytes, this.file);
    }
    return this.decoded;
  }
}

/**
 * verifyLedger, loaded when a verification is to be made: a read command served from the cache
 * does not parse the Sigstore verifier at all.
 */
async function verifyAll(options: VerifyLedgerOptions): Promise<LedgerVerification> {
  const { verifyLedger } = await import('../verify/ledger.js');
  return verifyLedger(options);
}

/** The ledger's verification through the cache; a record that cannot be read is left to verification. */
async function verifyThroughCache(
  store: Store,
  options: VerifyLedgerOptions,
  cache: VerifiedCacheOptions,
  factsOf: (ref: RecordRef) => Promise<StoredRecordFacts>,
): Promise<CachedVerification> {
  const verify = () => verifyAll({ ...options, store });
  const read = await Promise.allSettled((await store.list()).map(factsOf));
  if (read.some((result) => result.status === 'rejected'))
    return { verification: await verify(), fromCache: false, key: null };
  const records = read.map((result) => (result as PromiseFulfilledResult<StoredRecordFacts>).value);
  return cachedVerification(store, records, options, cache, verify);
}

/** The statement inside a bundle, without checking the signature; null when it cannot be read. */
export function decodeUnverified(bundle: Buffer, file: string): Statement | null {
  try {
    const json = parseBundleJson(bundle, file) as {
      dsseEnvelope?: { payload?: unknown; payloadType?: unknown };
    } | null;
    const envelope = json?.dsseEnvelope;
    if (typeof envelope?.payload !== 'string' || typeof envelope.payloadType !== 'string') return null;
    return decodeStatement(Buffer.from(envelope.payload, 'base64'), envelope.payloadType, file);
  } catch {
    return null; // verification has reported why
  }
}

/**
 * The statement of a bundle whose verification was reused: its bytes are those verified (their
 * digest is in the cache key), so the payload is parsed, not checked again; null when it does not
 * parse (the caller decodes it as unverified, which says why).
 */
function decodeVerified(bundle: Bundle | null): Statement | null {
  if (bundle?.content.$case !== 'dsseEnvelope') return null;
  try {
    return JSON.parse(Buffer.from(bundle.content.dsseEnvelope.payload).toString('utf8')) as Statement;
  } catch {
    return null;
  }
}

/** The sha256 of a bundle's DSSE payload: the record's identity. */
export function payloadSha256(bundle: Buffer): string | null {
  try {
    const json = JSON.parse(bundle.toString('utf8')) as { dsseEnvelope?: { payload?: unknown } } | null;
    const payload = json?.dsseEnvelope?.payload;
    return typeof payload === 'string' ? sha256Hex(Buffer.from(payload, 'base64')) : null;
  } catch {
    return null;
  }
}

/**
 * The manifests a statement refers to, by digest: inline ones as given, stored ones read from the
 * store. A manifest whose bytes do not hash to the digest the record gives is left out.
 */
export async function resolveManifests(
  store: Store,
  statement: Statement | null,
): Promise<Map<string, string>> {
  const manifests = new Map<string, string>();
  if (!statement) return manifests;
  const refs: ManifestRef[] = [];
  for (const entry of [...statement.predicate.models, ...statement.predicate.datasets])
    if (entry.manifest) refs.push(entry.manifest);
  for (const ref of refs) {
    const text = ref.inline ?? (ref.stored ? await readStoredManifest(store, ref.stored) : null);
    if (text !== null && sha256Hex(Buffer.from(text, 'utf8')) === ref.sha256) manifests.set(ref.sha256, text);
  }
  return manifests;
}

/** A stored manifest's text, or null when the store does not keep attachments or lacks this one. */
export async function readStoredManifest(store: Store, name: string): Promise<string | null> {
  if (!store.getAttachment) return null;
  const bytes = await store.getAttachment(name);
  return bytes ? bytes.toString('utf8') : null;
}
