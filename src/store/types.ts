import { LedgerError, type LedgerErrorOptions } from '../errors.js';

/** A record as a store knows it, before anyone has read or trusted its contents. */
export interface RecordRef {
  /** Chain index the store files it under (from its name); the content is checked separately. */
  index: number;
  /** File or asset name, e.g. 000007-0123456789ab.sigstore.json */
  name: string;
  /** Where the bundle is stored, as written into the next record's `chain.previous.uri`. */
  uri: string;
  /**
   * The order in which the store accepted records (e.g. a release asset's id), when it knows:
   * of two records racing for one index, the one stored first wins.
   */
  sequence?: number;
}

export interface Attachment {
  name: string;
  content: string;
}

export interface PutRequest {
  index: number;
  statementSha256: string;
  /** The bundle file's bytes exactly as they are to be stored. */
  bundle: Buffer;
  /** Files the record refers to (large manifests), stored beside it. */
  attachments: Attachment[];
  /** Public key that verifies the record, for key-signed records: kept with the ledger. */
  publicKey?: { hint: string; pem: string };
  /** The signed checkpoint of the ledger with this record (size index + 1), stored beside it. */
  checkpoint?: string;
  /**
   * Keyless: the Sigstore bundle (message signature over the checkpoint body) that binds the
   * note's key to the signer's certificate, stored beside the checkpoint.
   */
  checkpointBundle?: Buffer;
}

/** A signed checkpoint (C2SP signed note) as a store keeps it. */
export interface StoredCheckpoint {
  /** Records the checkpoint covers. */
  size: number;
  /** The note text: origin, size, root, blank line, signature lines. */
  text: string;
  /** Where it is stored. */
  uri: string;
  /** Keyless ledgers: the bundle stored beside it (`….checkpoint.sigstore.json`), as text. */
  bundle?: string;
}

/** Where the ledger lives. Every implementation writes a record atomically or not at all. */
export interface Store {
  /** Human-readable location, used in messages. */
  readonly location: string;
  /** Every record, sorted by index then name; an unreadable store is an error, an empty one is []. */
  list(): Promise<RecordRef[]>;
  /**
   * The newest `count` records (all those at the top index, so a fork there shows), sorted as
   * `list`; stores that can find them without reading the whole ledger implement it.
   */
  recent?(count: number): Promise<RecordRef[]>;
  /** The records stored at one index, where a store can look that up directly. */
  recordsAt?(index: number): Promise<RecordRef[]>;
  /**
   * True when `put` refuses a second record at an index that is taken (a name the store itself
   * keeps unique): then no race check is needed after a put.
   */
  readonly exclusiveIndex?: boolean;
  /**
   * True when `get` reads a file on this machine: reading it again is cheap, so readers of a long
   * ledger keep no copy of its records (and check the digest of what they read again).
   */
  readonly localReads?: boolean;
  /**
   * `get` without waiting, where reads are local: lets a reader re-read a record on demand (and
   * check its digest) from code that cannot wait, instead of keeping every record's bytes.
   */
  getSync?(ref: RecordRef): Buffer;
  /**
   * Where reads are local: what changes whenever the record file's bytes can have changed, read
   * without reading the file (see RecordStamp); null when there is no regular file to stamp.
   */
  stamp?(ref: RecordRef): RecordStamp | null;
  /** The checkpoint stored after the record `size - 1`; null when there is none. */
  getCheckpoint?(size: number): Promise<StoredCheckpoint | null>;
  /** The newest checkpoint the store holds; null when there is none. */
  latestCheckpoint?(): Promise<StoredCheckpoint | null>;
  /** The bytes of one record as stored. */
  get(ref: RecordRef): Promise<Buffer>;
  /** Appends a record; fails without writing anything if a record with that name already exists. */
  put(request: PutRequest): Promise<RecordRef>;
  /**
   * Removes a record this run appended and lost a race with (never anything else); its
   * attachments and keys stay, as they are shared and content-addressed.
   */
  remove(ref: RecordRef): Promise<void>;
  /** Public keys kept with the ledger, by hint. */
  publicKeys(): Promise<Map<string, string>>;
  /** A file stored beside the records (a large manifest), by name; null when the store has none. */
  getAttachment?(name: string): Promise<Buffer | null>;
  /** Where a record is, for people: a path or a URL. */
  locate(ref: RecordRef): string;
  /**
   * Serialises appends where the store can (a lock file on a local disk): held from reading the
   * head to storing the record. Stores that cannot lock rely on fork detection after `put`.
   */
  lock?(): Promise<() => Promise<void>>;
}

const RECORD_NAME = /^(\d{6})-([0-9a-f]{12})\.sigstore\.json$/;

export function recordFileName(index: number, statementSha256: string): string {
  return `${String(index).padStart(6, '0')}-${statementSha256.slice(0, 12)}.sigstore.json`;
}

/** Index and digest prefix from a record file name; null for files that are not records. */
export function parseRecordFileName(name: string): { index: number; sha256Prefix: string } | null {
  const match = RECORD_NAME.exec(name);
  if (!match) return null;
  return { index: Number(match[1]), sha256Prefix: match[2] as string };
}

/** The keyless checkpoint's Sigstore bundle, beside the checkpoint: `model-ledger-000007.checkpoint.sigstore.json`. */
export function checkpointBundleName(checkpointName: string): string {
  return `${checkpointName}.sigstore.json`;
}

/** The checkpoint stored after record `index`: `000007.checkpoint` (local), asset `model-ledger-000007.checkpoint`. */
export function checkpointFileName(index: number): string {
  return `model-ledger-${String(index).padStart(6, '0')}.checkpoint`;
}

const RELEASE_RECORD_NAME = /^(?:.+\/)?model-ledger-(\d{6,})\.sigstore\.json$/;

/** A record's asset name in a GitHub release: `model-ledger-000007.sigstore.json`. */
export function releaseRecordName(index: number): string {
  return `model-ledger-${String(index).padStart(6, '0')}.sigstore.json`;
}

/**
 * Index (and, for local names, the statement digest prefix) from a record name as any store
 * gives it: `000007-0123456789ab.sigstore.json`, or `[TAG/]model-ledger-000007.sigstore.json`.
 */
export function parseRecordName(name: string): { index: number; sha256Prefix?: string } | null {
  const local = parseRecordFileName(name);
  if (local) return local;
  const match = RELEASE_RECORD_NAME.exec(name);
  return match ? { index: Number(match[1]) } : null;
}

/**
 * `put` refused a record because another run stored one at the same index first (a remote store
 * whose names carry only the index): the caller reads the head again and links on top of it.
 */
export class RecordConflict extends LedgerError {
  constructor(message: string, options: LedgerErrorOptions = {}) {
    super('CHAIN', message, options);
    this.name = 'RecordConflict';
  }
}

/** The highest-indexed record, or null for an empty ledger. */
export function headOf(refs: RecordRef[]): RecordRef | null {
  return refs.reduce<RecordRef | null>(
    (best, ref) => (best === null || ref.index > best.index ? ref : best),
    null,
  );
}

/**
 * A record file's identity and times, as `lstat` gives them: the same stamp means the same bytes
 * unless the file changed within the timestamps' granularity of when its digest was taken
 * (readers distrust stamps that recent). The change time (ctime) moves on every write and every
 * `utimes`, and cannot be set back by a user, so restoring the modification time does not hide an
 * edit.
 */
export interface RecordStamp {
  /** Device, inode, size, modification and change times, as one string. */
  stamp: string;
  /** The later of the modification and change times, in ms since the epoch. */
  changedMs: number;
}
