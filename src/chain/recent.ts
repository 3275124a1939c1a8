import { LedgerError } from '../errors.js';
import { parseRecordFileName, recordFileName, type RecordRef, type Store } from '../store/types.js';
import type { BundleTrust } from '../verify/bundle.js';
import { VerificationFailure } from '../verify/problems.js';
import { readVerifiedRecord, type VerifiedRecord } from '../verify/read.js';

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

/**
 * What can be seen of a ledger from its file names, checked before a record is appended to it, so
 * that `record` never extends a ledger `verify` would reject: the head's name must match what it
 * holds (index and statement digest), the record below the head must carry the name of the
 * statement the head links to, and no two files may carry one statement's name (a copy). With
 * the full listing (`complete`), every index from 0 to the head must be there exactly once. Only
 * the head is read; the rest is names, so this costs nothing per record.
 */
export function assertAppendable(
  store: Store,
  refs: RecordRef[],
  head: VerifiedRecord,
  complete: boolean,
): void {
  const { chain } = head.statement.predicate;
  const named = parseRecordFileName(head.ref.name);
  if (head.ref.index !== chain.index || (named && !head.statementSha256.startsWith(named.sha256Prefix))) {
    refuse(
      store,
      head.ref,
      `holds record ${chain.index} (statement ${head.statementSha256.slice(0, 12)}), but its name says record ${head.ref.index}${named ? ` (statement ${named.sha256Prefix})` : ''}`,
      `the head of the ledger is misnamed or a copy; remove it if it is a copy of another record, or rename it to ${recordFileName(chain.index, head.statementSha256)}`,
    );
  }
  const byPrefix = new Map<string, RecordRef>();
  for (const ref of refs) {
    const prefix = parseRecordFileName(ref.name)?.sha256Prefix;
    if (prefix === undefined) continue;
    const other = byPrefix.get(prefix);
    if (other) {
      refuse(
        store,
        ref,
        `carries the same statement digest in its name as ${other.name}: one is a copy of the other`,
        'remove the copy (run `model-ledger verify` to see which record is which)',
      );
    }
    byPrefix.set(prefix, ref);
  }
  if (chain.previous) {
    const below = refs.filter((ref) => ref.index === chain.index - 1);
    const expected = chain.previous.statementSha256.slice(0, 12);
    const misnamed = below.find((ref) => {
      const prefix = parseRecordFileName(ref.name)?.sha256Prefix;
      return prefix !== undefined && prefix !== expected;
    });
    if (misnamed) {
      refuse(
        store,
        misnamed,
        // Stryker disable next-line StringLiteral: the '?' is never shown: `misnamed` was found by the prefix its name parses to
        `is named as statement ${parseRecordFileName(misnamed.name)?.sha256Prefix ?? '?'}, but record ${chain.index} links to statement ${expected} at index ${chain.index - 1}`,
        'the record below the head was replaced or renamed; restore it from a copy of the ledger',
      );
    }
  }
  if (!complete) return;
  const counts = new Map<number, RecordRef[]>();
  for (const ref of refs) counts.set(ref.index, [...(counts.get(ref.index) ?? []), ref]);
  for (let index = 0; index <= chain.index; index++) {
    const here = counts.get(index) ?? [];
    if (here.length === 0) {
      // Stryker disable next-line EqualityOperator: no ref has this index (`here` is empty), so `>=` keeps the same refs as `>`
      const next = refs.map((ref) => ref.index).filter((other) => other > index);
      const where = index === 0 ? 'record 0 is missing' : `record ${index} is missing: the ledger has a gap`;
      throw new LedgerError(
        'CHAIN',
        `${where} (the next record is ${Math.min(...next)}), so nothing is appended`,
        {
          file: store.location,
          fix: `restore record ${index} (${String(index).padStart(6, '0')}-….sigstore.json) from a copy of the ledger; run \`model-ledger verify\` to see every problem`,
        },
      );
    }
    if (here.length > 1) {
      refuse(
        store,
        here[1] as RecordRef,
        `is a second record at index ${index} (beside ${(here[0] as RecordRef).name}): the ledger has a fork`,
        'remove the record that should not be there; run `model-ledger verify` to see which',
      );
    }
  }
}

function refuse(store: Store, ref: RecordRef, message: string, fix: string): never {
  throw new LedgerError('CHAIN', `${message}, so nothing is appended to the ledger`, {
    file: store.locate(ref),
    fix,
  });
}
