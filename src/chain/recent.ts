import { LedgerError } from '../errors.js';
import type { RecordRef, Store } from '../store/types.js';
import type { BundleTrust } from '../verify/bundle.js';
import { VerificationFailure } from '../verify/problems.js';
import { readVerifiedRecord, type VerifiedRecord } from './read.js';

/**
 * Checks the records just below a head that was already verified, before a new record links to
 * it: each must be the only record at its index, verify with the ledger's trust, and be exactly
 * the record the one above it links to (statement and bundle digests, same ledger). `depth`
 * counts the head: 1 checks nothing more, Infinity goes back to record 0. Returns how many
 * records were checked, the head included. Full verification (`model-ledger verify`) also
 * checks signers against record 0 and every fork; this is the cheap check of a run.
 */
export async function verifyBelowHead(
  store: Store,
  refs: RecordRef[],
  head: VerifiedRecord,
  trust: BundleTrust,
  depth: number,
): Promise<number> {
  let upper = head;
  let checked = 1;
  while (checked < depth) {
    const { chain } = upper.statement.predicate;
    if (chain.index === 0 || chain.previous === null) {
      if (chain.index !== 0 || chain.previous !== null) {
        fail(store, `record ${chain.index} (${upper.ref.name}) claims to be the first record but is not`);
      }
      break;
    }
    const index = chain.index - 1;
    const here = refs.filter((ref) => ref.index === index);
    if (here.length === 0)
      fail(store, `record ${index} is missing below record ${chain.index}: the ledger has a gap`);
    if (here.length > 1) {
      fail(store, `the ledger has a fork at record ${index}: ${here.map((ref) => ref.name).join(', ')}`);
    }
    const ref = here[0] as RecordRef;
    let record: VerifiedRecord;
    try {
      record = await readVerifiedRecord(store, ref, trust);
    } catch (error) {
      if (error instanceof VerificationFailure)
        fail(store, `record ${index} does not verify: ${error.message}`, error);
      throw error;
    }
    const found = record.statement.predicate.chain;
    if (found.index !== index) fail(store, `${ref.name} holds record ${found.index}, not record ${index}`);
    if (found.origin !== chain.origin) {
      fail(store, `record ${index} belongs to ledger ${found.origin}, not ${chain.origin}`);
    }
    if (record.statementSha256 !== chain.previous.statementSha256) {
      fail(
        store,
        `record ${chain.index} links to statement ${chain.previous.statementSha256.slice(0, 12)}, but record ${index} (${ref.name}) is statement ${record.statementSha256.slice(0, 12)}: it was replaced`,
      );
    }
    if (record.bundleSha256 !== chain.previous.bundleSha256) {
      fail(
        store,
        `record ${index} (${ref.name}): its bundle file changed after record ${chain.index} linked to it: re-signed or rewritten`,
      );
    }
    upper = record;
    checked += 1;
  }
  return checked;
}

function fail(store: Store, message: string, cause?: unknown): never {
  throw new LedgerError(
    'CHAIN',
    `the ledger below its head does not check out, so nothing is linked to it: ${message}`,
    {
      file: store.location,
      cause,
      fix: 'run `model-ledger verify` to see what is wrong with the ledger',
    },
  );
}
