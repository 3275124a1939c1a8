/**
 * The checks `record` makes before it links a new record to a ledger's head: the records just
 * below the head (`verifyBelowHead`) and what the file names show (`assertAppendable`). Each case
 * damages a real key-signed ledger the way an accident or an insider with the key would, and
 * calls the check directly, so the message, the file and the count it returns are all pinned.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { copyFile, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { assertAppendable, verifyBelowHead } from '../../src/chain/recent.js';
import { LedgerError } from '../../src/errors.js';
import { generateKeyPair } from '../../src/sign/keys.js';
import { LocalStore } from '../../src/store/local.js';
import type { RecordRef } from '../../src/store/types.js';
import type { BundleTrust } from '../../src/verify/bundle.js';
import { VerificationFailure } from '../../src/verify/problems.js';
import { readVerifiedRecord, type VerifiedRecord } from '../../src/verify/read.js';
import { ledgerTrust } from '../../src/verify/trust.js';
import {
  createKeyLedger,
  ledgerKey,
  recordFileNames,
  relinkAbove,
  rewriteRecord,
  storedRecord,
} from '../support/signed-ledger.js';
import { copyTempRepo, type TempRepo } from '../support/repo.js';
import { refusal } from '../support/refusal.js';

const RECORDS = 4;
const ORIGIN = 'github.com/acme/model#main';

let template: TempRepo;
let key: KeyObject;
let repo: TempRepo;

beforeAll(async () => {
  template = await createKeyLedger(RECORDS);
  key = await ledgerKey(template);
}, 120_000);
afterAll(async () => {
  await template?.cleanup();
});
afterEach(async () => {
  await repo?.cleanup();
});

interface Ledger {
  dir: string;
  store: LocalStore;
  refs: RecordRef[];
  trust: BundleTrust;
  head: VerifiedRecord;
}

/** A fresh copy of the four-record ledger, damaged by `tamper`, as `record` would read it. */
async function ledger(
  tamper: (dir: string) => Promise<void> = () => Promise.resolve(),
  headIndex?: number,
): Promise<Ledger> {
  repo = await copyTempRepo(template);
  const dir = join(repo.dir, '.model-ledger');
  await tamper(dir);
  const store = new LocalStore(dir);
  const refs = await store.list();
  const { trust } = await ledgerTrust(store, refs, {});
  const headRef = headIndex === undefined ? refs.at(-1) : refs.find((ref) => ref.index === headIndex);
  const head = await readVerifiedRecord(store, headRef as RecordRef, trust);
  return { dir, store, refs, trust, head };
}

const BELOW = 'the ledger below its head does not check out, so nothing is linked to it: ';
const APPENDED = ', so nothing is appended to the ledger';

async function belowHeadRefusal(l: Ledger, depth = Infinity): Promise<LedgerError> {
  const error = await refusal(() => verifyBelowHead(l.store, l.refs, l.head, l.trust, depth));
  expect(error.code).toBe('CHAIN');
  expect(error.file).toBe(l.dir);
  expect(error.fix).toBe('run `model-ledger verify` to see what is wrong with the ledger');
  return error;
}

describe('verifyBelowHead', () => {
  it('checks as many records as it is asked to, the head included, down to record 0', async () => {
    const l = await ledger();
    expect(l.head.statement.predicate.chain.index).toBe(RECORDS - 1);
    expect(await verifyBelowHead(l.store, l.refs, l.head, l.trust, 1)).toBe(1);
    expect(await verifyBelowHead(l.store, l.refs, l.head, l.trust, 2)).toBe(2);
    expect(await verifyBelowHead(l.store, l.refs, l.head, l.trust, 3)).toBe(3);
    expect(await verifyBelowHead(l.store, l.refs, l.head, l.trust, Infinity)).toBe(RECORDS);
    expect(await verifyBelowHead(l.store, l.refs, l.head, l.trust, 50)).toBe(RECORDS);
  });

  it('reads nothing below the depth it was given', async () => {
    const l = await ledger(async (dir) => {
      await writeFile(join(dir, (await recordFileNames(dir))[0] as string), '{ truncated');
    });
    expect(await verifyBelowHead(l.store, l.refs, l.head, l.trust, 3)).toBe(3);
    const error = await belowHeadRefusal(l, 4);
    expect(error.message).toContain(`${BELOW}record 0 does not verify: `);
  });

  it('refuses a gap below the head', async () => {
    const l = await ledger(async (dir) => rm((await storedRecord(dir, 1)).path));
    const error = await belowHeadRefusal(l);
    expect(error.message).toContain(`${BELOW}record 1 is missing below record 2: the ledger has a gap`);
    // Not when the gap is deeper than asked.
    expect(await verifyBelowHead(l.store, l.refs, l.head, l.trust, 2)).toBe(2);
  });

  it('refuses a fork, naming both records', async () => {
    let names: string[] = [];
    const l = await ledger(async (dir) => {
      const forked = await rewriteRecord(
        dir,
        await storedRecord(dir, 2),
        (statement) => {
          statement.predicate.change.reason = 'a second record 2';
        },
        { key, keepOld: true },
      );
      names = (await recordFileNames(dir)).filter((name) => name.startsWith('000002-'));
      expect(names).toContain(forked.name);
    });
    expect(names).toHaveLength(2);
    const error = await belowHeadRefusal(l);
    expect(error.message).toContain(`${BELOW}the ledger has a fork at record 2: ${names.join(', ')}`);
  });

  it('refuses a record that does not verify, keeping why as the cause', async () => {
    const other = createPrivateKey(generateKeyPair().privateKeyPem);
    const l = await ledger(async (dir) => {
      await rewriteRecord(dir, await storedRecord(dir, 1), () => undefined, { key: other, keepName: true });
    });
    const error = await belowHeadRefusal(l);
    expect(error.message).toContain(`${BELOW}record 1 does not verify: `);
    expect(error.message).toMatch(/is signed by key [0-9a-f]{64}, which is not trusted/);
    expect(error.cause).toBeInstanceOf(VerificationFailure);
  });

  it('lets an error that is not a verification failure through as it is', async () => {
    const l = await ledger();
    const unreadable: LedgerError = await refusal(() =>
      verifyBelowHead(
        l.store,
        l.refs.map((ref) => (ref.index === 2 ? { ...ref, name: 'no-such-record.sigstore.json' } : ref)),
        l.head,
        l.trust,
        Infinity,
      ),
    );
    expect(unreadable.code).toBe('STORE');
    expect(unreadable.message).not.toContain(BELOW);
  });

  it('refuses a file that holds another record than its name says', async () => {
    let name = '';
    const l = await ledger(async (dir) => {
      const second = await storedRecord(dir, 2);
      const first = await storedRecord(dir, 1);
      name = second.name;
      await copyFile(first.path, second.path);
    });
    const error = await belowHeadRefusal(l);
    expect(error.message).toContain(`${BELOW}${name} holds record 1, not record 2`);
  });

  it('refuses a record of another ledger, even when linked to', async () => {
    const l = await ledger(async (dir) => {
      await rewriteRecord(
        dir,
        await storedRecord(dir, 1),
        (statement) => {
          statement.predicate.chain.origin = 'github.com/evil/model#main';
        },
        { key },
      );
      await relinkAbove(dir, 1, key);
    });
    const error = await belowHeadRefusal(l);
    expect(error.message).toContain(
      `${BELOW}record 1 belongs to ledger github.com/evil/model#main, not ${ORIGIN}`,
    );
  });

  it('refuses a record replaced by another statement', async () => {
    let replaced = '';
    let linked = '';
    const l = await ledger(async (dir) => {
      linked = (await storedRecord(dir, 2)).statementSha256;
      const record = await rewriteRecord(
        dir,
        await storedRecord(dir, 2),
        (statement) => {
          statement.predicate.change.reason = 'rewritten';
        },
        { key },
      );
      replaced = record.name;
      expect(record.statementSha256).not.toBe(linked);
      linked = linked.slice(0, 12);
    });
    const error = await belowHeadRefusal(l);
    const now = replaced.slice(7, 19);
    expect(error.message).toContain(
      `${BELOW}record 3 links to statement ${linked}, but record 2 (${replaced}) is statement ${now}: it was replaced`,
    );
  });

  it('refuses a record whose bundle file changed after the next record linked to it', async () => {
    let name = '';
    const l = await ledger(async (dir) => {
      const record = await storedRecord(dir, 1);
      name = record.name;
      // The same signed statement, written back with other whitespace.
      await writeFile(record.path, JSON.stringify(JSON.parse(await readFile(record.path, 'utf8'))));
    });
    const error = await belowHeadRefusal(l);
    expect(error.message).toContain(
      `${BELOW}record 1 (${name}): its bundle file changed after record 2 linked to it: re-signed or rewritten`,
    );
  });

  it('refuses a head that links to nothing but is not record 0, or is record 0 and links to something', async () => {
    const l = await ledger();
    const { chain } = l.head.statement.predicate;
    const orphan: VerifiedRecord = structuredClone(l.head);
    orphan.statement.predicate.chain.previous = null;
    let error = await refusal(() => verifyBelowHead(l.store, l.refs, orphan, l.trust, Infinity));
    expect(error.message).toContain(
      `${BELOW}record 3 (${l.head.ref.name}) claims to be the first record but is not`,
    );

    const linkedZero: VerifiedRecord = structuredClone(l.head);
    linkedZero.statement.predicate.chain.index = 0;
    expect(linkedZero.statement.predicate.chain.previous).toEqual(chain.previous);
    error = await refusal(() => verifyBelowHead(l.store, l.refs, linkedZero, l.trust, Infinity));
    expect(error.message).toContain(`${BELOW}record 0 (${l.head.ref.name}) claims to be the first record`);

    // Record 0 itself, as stored, is the end of the walk.
    const zero = await readVerifiedRecord(l.store, l.refs[0] as RecordRef, l.trust);
    expect(await verifyBelowHead(l.store, l.refs, zero, l.trust, Infinity)).toBe(1);
  });
});

describe('assertAppendable', () => {
  async function appendRefusal(l: Ledger, refs = l.refs, complete = true): Promise<LedgerError> {
    const error = await refusal(() => assertAppendable(l.store, refs, l.head, complete));
    expect(error.code).toBe('CHAIN');
    return error;
  }

  it('accepts an intact ledger, listed in full or not', async () => {
    const l = await ledger();
    expect(() => assertAppendable(l.store, l.refs, l.head, true)).not.toThrow();
    expect(() => assertAppendable(l.store, l.refs, l.head, false)).not.toThrow();
  });

  it('accepts names that carry no digest (release assets), checking what they do carry', async () => {
    const l = await ledger();
    const refs = l.refs.map((ref) => ({
      ...ref,
      name: `model-ledger-${String(ref.index).padStart(6, '0')}.sigstore.json`,
    }));
    const head = { ...l.head, ref: refs.at(-1) as RecordRef };
    expect(() => assertAppendable(l.store, refs, head, true)).not.toThrow();
    // An asset named for another index is still refused, and says nothing of a digest.
    const misfiled = { ...l.head, ref: { ...(refs.at(-1) as RecordRef), index: 7 } };
    const error = await refusal(() => assertAppendable(l.store, refs, misfiled, false));
    expect(error.message).toBe(
      `${l.dir}/model-ledger-000003.sigstore.json: holds record 3 (statement ${l.head.statementSha256.slice(0, 12)}), but its name says record 7${APPENDED} — the head of the ledger is misnamed or a copy; remove it if it is a copy of another record, or rename it to 000003-${l.head.statementSha256.slice(0, 12)}.sigstore.json`,
    );
  });

  it('refuses a head whose name says another index or another statement', async () => {
    let l = await ledger(async (dir) => {
      const head = await storedRecord(dir, 3);
      await rename(head.path, join(dir, `000004-${head.name.slice(7)}`));
    });
    let error = await appendRefusal(l, l.refs, false);
    const sha = l.head.statementSha256.slice(0, 12);
    expect(error.file).toBe(join(l.dir, `000004-${sha}.sigstore.json`));
    expect(error.message).toContain(
      `holds record 3 (statement ${sha}), but its name says record 4 (statement ${sha})${APPENDED}`,
    );
    expect(error.fix).toContain(`or rename it to 000003-${sha}.sigstore.json`);
    await repo.cleanup();

    l = await ledger(async (dir) => {
      const head = await storedRecord(dir, 3);
      await rename(head.path, join(dir, '000003-ffffffffffff.sigstore.json'));
    });
    error = await appendRefusal(l, l.refs, false);
    expect(error.message).toContain(
      `holds record 3 (statement ${sha}), but its name says record 3 (statement ffffffffffff)`,
    );
  });

  it('refuses two files named for one statement', async () => {
    let copy = '';
    let original = '';
    const l = await ledger(async (dir) => {
      const record = await storedRecord(dir, 1);
      original = record.name;
      copy = `000009-${record.name.slice(7)}`;
      await copyFile(record.path, join(dir, copy));
    }, 3);
    const error = await appendRefusal(l, l.refs, false);
    expect(error.file).toBe(join(l.dir, copy));
    expect(error.message).toBe(
      `${join(l.dir, copy)}: carries the same statement digest in its name as ${original}: one is a copy of the other${APPENDED} — remove the copy (run \`model-ledger verify\` to see which record is which)`,
    );
  });

  it('refuses a record below the head named for another statement than the head links to', async () => {
    let misnamed = '';
    const l = await ledger(async (dir) => {
      const below = await storedRecord(dir, 2);
      misnamed = '000002-eeeeeeeeeeee.sigstore.json';
      await rename(below.path, join(dir, misnamed));
    });
    const expected = l.head.statement.predicate.chain.previous?.statementSha256.slice(0, 12) ?? '';
    const error = await appendRefusal(l, l.refs, false);
    expect(error.file).toBe(join(l.dir, misnamed));
    expect(error.message).toContain(
      `is named as statement eeeeeeeeeeee, but record 3 links to statement ${expected} at index 2${APPENDED}`,
    );
    expect(error.fix).toBe(
      'the record below the head was replaced or renamed; restore it from a copy of the ledger',
    );
    // Records further down are not looked at by name.
    const deeper = await ledger(async (dir) => {
      await rename((await storedRecord(dir, 1)).path, join(dir, '000001-eeeeeeeeeeee.sigstore.json'));
    });
    expect(() => assertAppendable(deeper.store, deeper.refs, deeper.head, false)).not.toThrow();
  });

  it('with the full listing, refuses a missing record 0 or a gap, naming the next record', async () => {
    let l = await ledger(async (dir) => rm((await storedRecord(dir, 0)).path));
    expect(() => assertAppendable(l.store, l.refs, l.head, false)).not.toThrow();
    let error = await appendRefusal(l);
    expect(error.file).toBe(l.dir);
    expect(error.message).toContain('record 0 is missing (the next record is 1), so nothing is appended');
    expect(error.fix).toBe(
      'restore record 0 (000000-….sigstore.json) from a copy of the ledger; run `model-ledger verify` to see every problem',
    );
    await repo.cleanup();

    l = await ledger(async (dir) => {
      await rm((await storedRecord(dir, 1)).path);
    });
    expect(() => assertAppendable(l.store, l.refs, l.head, false)).not.toThrow();
    error = await appendRefusal(l);
    expect(error.message).toContain(
      'record 1 is missing: the ledger has a gap (the next record is 2), so nothing is appended',
    );
    expect(error.fix).toContain('restore record 1 (000001-….sigstore.json)');
  });

  it("with the full listing, refuses a second record at the head's own index", async () => {
    let names: string[] = [];
    const l = await ledger(async (dir) => {
      await rewriteRecord(
        dir,
        await storedRecord(dir, 3),
        (statement) => {
          statement.predicate.change.reason = 'a second head';
        },
        { key, keepOld: true },
      );
      names = (await recordFileNames(dir)).filter((name) => name.startsWith('000003-'));
    }, 3);
    expect(names).toHaveLength(2);
    const head = l.refs.find((ref) => ref.name === l.head.ref.name) as RecordRef;
    const other = names.find((name) => name !== head.name) as string;
    const refs = [
      ...l.refs.filter((ref) => ref.name !== other),
      l.refs.find((ref) => ref.name === other) as RecordRef,
    ];
    expect(() => assertAppendable(l.store, refs, l.head, false)).not.toThrow();
    const error = await appendRefusal(l, refs);
    expect(error.file).toBe(join(l.dir, other));
    expect(error.message).toContain(
      `is a second record at index 3 (beside ${head.name}): the ledger has a fork`,
    );
  });

  it('with the full listing, refuses a fork, naming the second record and the first', async () => {
    let names: string[] = [];
    const l = await ledger(async (dir) => {
      await rewriteRecord(
        dir,
        await storedRecord(dir, 1),
        (statement) => {
          statement.predicate.change.reason = 'a second record 1';
        },
        { key, keepOld: true },
      );
      names = (await recordFileNames(dir)).filter((name) => name.startsWith('000001-'));
    });
    expect(() => assertAppendable(l.store, l.refs, l.head, false)).not.toThrow();
    const error = await appendRefusal(l);
    expect(error.file).toBe(join(l.dir, names[1] as string));
    expect(error.message).toContain(
      `is a second record at index 1 (beside ${names[0]}): the ledger has a fork${APPENDED}`,
    );
    expect(error.fix).toBe(
      'remove the record that should not be there; run `model-ledger verify` to see which',
    );
  });
});
