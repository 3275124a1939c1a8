/**
 * How long it takes to retrieve one record and verify it, found three ways: by its chain index,
 * by a model digest (the record that introduced the file: the first question of an incident),
 * and by date. Each lookup starts from the store, as a reader who holds nothing would.
 */
import { performance } from 'node:perf_hooks';

import { readVerifiedRecord, type VerifiedRecord } from '../verify/read.js';
import { ledgerTrust } from '../verify/trust.js';
import { decodeUnverified, type LoadedLedger, type LoadLedgerOptions } from '../report/load.js';
import type { RecordRef, Store } from '../store/types.js';

export interface Lookup {
  /** The record found, or null when none matched. */
  index: number | null;
  /** Milliseconds from listing the store to a verified record. */
  ms: number;
}

export interface SpeedFigures {
  byIndex: (Lookup & { wanted: number }) | null;
  byDigest: (Lookup & { digest: string }) | null;
  byDate: (Lookup & { date: string }) | null;
}

export interface SpeedOptions {
  ledger: LoadLedgerOptions;
  /** What to look up; by default taken from the middle record of the ledger. */
  index?: number;
  digest?: string;
  date?: Date;
}

async function verifyOne(
  store: Store,
  refs: RecordRef[],
  ref: RecordRef,
  options: LoadLedgerOptions,
): Promise<VerifiedRecord> {
  const first = refs.filter((candidate) => candidate.index === 0 && candidate !== ref);
  const { trust } = await ledgerTrust(store, [ref, ...first], options);
  return readVerifiedRecord(store, ref, trust);
}

/** The record with this chain index, verified. */
export async function findByIndex(options: LoadLedgerOptions, index: number): Promise<VerifiedRecord | null> {
  const refs = await options.store.list();
  const ref = refs.find((candidate) => candidate.index === index);
  return ref ? verifyOne(options.store, refs, ref, options) : null;
}

/** The first record holding a model (or dataset) with this sha256, verified: the one that introduced it. */
export async function findByDigest(
  options: LoadLedgerOptions,
  digest: string,
): Promise<VerifiedRecord | null> {
  const wanted = digest.toLowerCase().replace(/^sha256:/, '');
  const refs = await options.store.list();
  for (const ref of refs) {
    const statement = decodeUnverified(await options.store.get(ref), ref.name);
    if (!statement) continue;
    const { models, datasets } = statement.predicate;
    if ([...models, ...datasets].some((artifact) => artifact.digest.sha256 === wanted))
      return verifyOne(options.store, refs, ref, options);
  }
  return null;
}

/**
 * The first record made at or after `date`, verified. Records are appended in time order, so
 * the search halves the ledger at each step and reads about log2(n) records.
 */
export async function findByDate(options: LoadLedgerOptions, date: Date): Promise<VerifiedRecord | null> {
  const refs = await options.store.list();
  let low = 0;
  let high = refs.length;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    const ref = refs[middle] as RecordRef;
    const recordedAt = decodeUnverified(await options.store.get(ref), ref.name)?.predicate.recordedAt;
    if (recordedAt !== undefined && Date.parse(recordedAt) >= date.getTime()) high = middle;
    else low = middle + 1;
  }
  const ref = refs[low];
  return ref ? verifyOne(options.store, refs, ref, options) : null;
}

async function timed(find: () => Promise<VerifiedRecord | null>): Promise<Lookup> {
  const start = performance.now();
  const found = await find();
  const ms = Math.round((performance.now() - start) * 10) / 10;
  return { index: found?.statement.predicate.chain.index ?? null, ms };
}

/** Times the three lookups; the targets default to the middle record of `loaded`. */
export async function measureRetrieval(options: SpeedOptions, loaded: LoadedLedger): Promise<SpeedFigures> {
  const verified = loaded.rows.filter((row) => row.signatureVerified && row.statement);
  const middle = verified[Math.floor(verified.length / 2)];
  const index = options.index ?? middle?.index;
  const digest = options.digest ?? middle?.statement?.predicate.models[0]?.digest.sha256;
  const recordedAt = middle?.recordedAt;
  const date = options.date ?? (recordedAt ? new Date(recordedAt) : undefined);
  const ledger = options.ledger;
  return {
    byIndex:
      index === undefined ? null : { wanted: index, ...(await timed(() => findByIndex(ledger, index))) },
    byDigest:
      digest === undefined
        ? null
        : { digest: `sha256:${digest}`, ...(await timed(() => findByDigest(ledger, digest))) },
    byDate:
      date === undefined
        ? null
        : { date: date.toISOString(), ...(await timed(() => findByDate(ledger, date))) },
  };
}
