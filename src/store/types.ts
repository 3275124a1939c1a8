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
}

/** Where the ledger lives. Every implementation writes a record atomically or not at all. */
export interface Store {
  /** Human-readable location, used in messages. */
  readonly location: string;
  /** Every record, sorted by index then name; an unreadable store is an error, an empty one is []. */
  list(): Promise<RecordRef[]>;
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

/** The highest-indexed record, or null for an empty ledger. */
export function headOf(refs: RecordRef[]): RecordRef | null {
  return refs.reduce<RecordRef | null>(
    (best, ref) => (best === null || ref.index > best.index ? ref : best),
    null,
  );
}
