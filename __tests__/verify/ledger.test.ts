/**
 * verifyLedger on a real key-signed ledger of four records, damaged one way at a time: the problem
 * it reports (code, record index, file, message), the records it summarises and what it notices.
 * The tamper table (tamper-table.test.ts) holds every code to a case across all checkers; this
 * pins the ledger verifier's own wording and edges, without a Sigstore stack.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { copyFile, cp, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { generateKeyPair, keyHint } from '../../src/sign/keys.js';
import { LocalStore } from '../../src/store/local.js';
import { verifyLedger, type LedgerVerification } from '../../src/verify/ledger.js';
import { copyTempRepo, type TempRepo } from '../support/repo.js';
import {
  createKeyLedger,
  LEDGER_PUBLIC_KEY,
  ledgerKey,
  recordFileNames,
  relinkAbove,
  rewriteRecord,
  storedRecord,
} from '../support/signed-ledger.js';

const ORIGIN = 'github.com/acme/model#main';

let template: TempRepo;
let key: KeyObject;
let hint: string;
let repo: TempRepo;
let dir: string;

beforeAll(async () => {
  template = await createKeyLedger(4);
  key = await ledgerKey(template);
  hint = keyHint(createPublicKey(await readFile(join(template.dir, LEDGER_PUBLIC_KEY))));
}, 120_000);
afterAll(async () => {
  await template?.cleanup();
});
afterEach(async () => {
  await repo?.cleanup();
});

/** verifyLedger over a fresh copy of the ledger after `tamper`. */
async function verified(
  tamper: (dir: string) => Promise<void> = () => Promise.resolve(),
  options: Partial<Parameters<typeof verifyLedger>[0]> = {},
): Promise<LedgerVerification> {
  repo = await copyTempRepo(template);
  dir = join(repo.dir, '.model-ledger');
  await tamper(dir);
  return verifyLedger({ store: new LocalStore(dir), ...options });
}

const problems = (result: LedgerVerification) =>
  result.problems.map(({ code, index, file, message }) => ({ code, index, file, message }));

async function nameOf(at: number): Promise<string> {
  return (await storedRecord(dir, at)).name;
}

describe('an intact ledger', () => {
  it('verifies, summarises every record and says who it is pinned to', async () => {
    const result = await verified();
    expect(result.ok).toBe(true);
    expect(result.problems).toEqual([]);
    expect(result.location).toBe(dir);
    expect(result.records.map((record) => [record.index, record.verified, record.signingMode])).toEqual([
      [0, true, 'key'],
      [1, true, 'key'],
      [2, true, 'key'],
      [3, true, 'key'],
    ]);
    const three = await storedRecord(dir, 3);
    expect(result.head).toMatchObject({
      index: 3,
      file: three.name,
      statementSha256: three.statementSha256,
      bundleSha256: three.bundleSha256,
      signer: `key:${hint}`,
      recordedAt: three.statement.predicate.recordedAt,
      verified: true,
    });
    expect(result.notices).toContain(`signer pinned to key ${hint.slice(0, 16)}…, which signed record 0`);
    expect(result.checkpoint?.size).toBe(4);
  });

  it('is not ok when it has no records, and says so', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'model-ledger-empty-'));
    try {
      const result = await verifyLedger({ store: new LocalStore(empty) });
      expect(result.ok).toBe(false);
      expect(result.problems).toEqual([]);
      expect(result.head).toBeNull();
      expect(result.notices).toEqual([`no records found in ${empty}`]);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('checks the head record’s artifacts in a directory: matching, changed or missing', async () => {
    let result = await verified(() => Promise.resolve(), {});
    result = await verifyLedger({ store: new LocalStore(dir), artifactsDir: repo.dir });
    expect(result.problems).toEqual([]);

    await writeFile(join(repo.dir, 'model.bin'), 'other weights');
    result = await verifyLedger({ store: new LocalStore(dir), artifactsDir: repo.dir });
    const head = await nameOf(3);
    const recorded = (await storedRecord(dir, 3)).statement.predicate.models[0]?.digest.sha256;
    expect(problems(result)).toEqual([
      {
        code: 'ARTIFACT_MISMATCH',
        index: 3,
        file: head,
        message: expect.stringMatching(
          new RegExp(
            `^record 3 \\(${head}\\): artifact model\\.bin has sha256 [0-9a-f]{64}, the record says ${recorded}$`,
          ),
        ) as unknown as string,
      },
    ]);

    await rm(join(repo.dir, 'model.bin'));
    result = await verifyLedger({ store: new LocalStore(dir), artifactsDir: repo.dir });
    expect(result.problems.map((problem) => problem.code)).toEqual(['ARTIFACT_MISSING']);
    expect(result.problems[0]?.message).toContain(
      `record 3 (${head}): artifact model.bin is missing or unreadable under ${repo.dir} (`,
    );
  });
});

describe('a damaged ledger', () => {
  it('names a missing record, and one missing at the start', async () => {
    let result = await verified(async (d) => rm((await storedRecord(d, 1)).path));
    expect(problems(result)[0]).toEqual({
      code: 'GAP',
      index: 1,
      file: null,
      message: 'record 1 is missing: the chain goes from record 0 to record 2',
    });
    expect(result.ok).toBe(false);
    expect(result.notices).toContain(
      'the chain is broken (see the problems above), so its checkpoints and anchors were not checked',
    );
    await repo.cleanup();

    result = await verified(async (d) => rm((await storedRecord(d, 0)).path));
    expect(problems(result).filter((problem) => problem.index === 0)).toEqual([
      { code: 'GAP', index: 0, file: null, message: 'record 0 is missing: the ledger starts at record 1' },
      {
        code: 'FIRST_RECORD',
        index: 0,
        file: null,
        message: 'the ledger has no record 0: it was truncated from the start',
      },
    ]);
  });

  it('names both records of a fork', async () => {
    const result = await verified(async (d) => {
      await rewriteRecord(
        d,
        await storedRecord(d, 2),
        (statement) => {
          statement.predicate.change.reason = 'the other branch';
        },
        { key, keepOld: true },
      );
    });
    const names = (await recordFileNames(dir)).filter((name) => name.startsWith('000002-'));
    const fork = problems(result).find((problem) => problem.code === 'FORK');
    expect(fork?.index).toBe(2);
    expect([names.join(' and '), [...names].reverse().join(' and ')]).toContain(
      fork?.message.replace(/^fork at record 2: (.*) both claim index 2$/, '$1'),
    );
  });

  it('names a replaced record by the link above it, saying what the record below holds', async () => {
    let replaced = '';
    let linked = '';
    const result = await verified(async (d) => {
      linked = (await storedRecord(d, 2)).statementSha256.slice(0, 12);
      replaced = (
        await rewriteRecord(
          d,
          await storedRecord(d, 2),
          (statement) => {
            statement.predicate.change.reason = 'rewritten';
          },
          { key },
        )
      ).name;
    });
    const three = await nameOf(3);
    expect(problems(result)).toContainEqual({
      code: 'BROKEN_LINK',
      index: 3,
      file: three,
      message: `record 3 (${three}): links to statement ${linked}, which no record in the ledger has (${replaced} has ${replaced.slice(7, 19)}): record 2 was replaced, or this link was forged`,
    });
  });

  it('names records that were swapped as reordered', async () => {
    const result = await verified(async (d) => {
      const one = await storedRecord(d, 1);
      const two = await storedRecord(d, 2);
      // Each file now holds the other's record, under the other's index.
      await rename(one.path, join(d, 'swap'));
      await rename(two.path, join(d, `000001-${two.name.slice(7)}`));
      await rename(join(d, 'swap'), join(d, `000002-${one.name.slice(7)}`));
    });
    const codes = result.problems.map((problem) => problem.code);
    expect(codes).toContain('MISNAMED');
    expect(result.problems.find((problem) => problem.code === 'MISNAMED')?.message).toMatch(
      /holds record [12] \(statement [0-9a-f]{12}\), but its name says record [12] \(statement [0-9a-f]{12}\): records were reordered or renamed$/,
    );
  });

  it('names a bundle file changed after the next record linked to it', async () => {
    const result = await verified(async (d) => {
      const one = await storedRecord(d, 1);
      await writeFile(one.path, JSON.stringify(JSON.parse(await readFile(one.path, 'utf8'))));
    });
    const one = await storedRecord(dir, 1);
    const two = await nameOf(2);
    expect(problems(result)).toEqual([
      {
        code: 'EDITED',
        index: 1,
        file: one.name,
        message: expect.stringMatching(
          new RegExp(
            `^record 1 \\(${one.name}\\): its bundle file changed after record 2 \\(${two}\\) linked to it \\(bundle sha256 ${one.bundleSha256.slice(0, 12)}, linked [0-9a-f]{12}\\): re-signed or rewritten$`,
          ),
        ) as unknown as string,
      },
    ]);
  });

  it('names a file whose name says another statement', async () => {
    const result = await verified(async (d) => {
      const three = await storedRecord(d, 3);
      await rename(three.path, join(d, '000003-ffffffffffff.sigstore.json'));
    });
    const three = await storedRecord(dir, 3);
    expect(problems(result)).toEqual([
      {
        code: 'MISNAMED',
        index: 3,
        file: '000003-ffffffffffff.sigstore.json',
        message: `000003-ffffffffffff.sigstore.json holds record 3 (statement ${three.statementSha256.slice(0, 12)}), but its name says record 3 (statement ffffffffffff): records were reordered or renamed`,
      },
    ]);
  });

  it('names a record of another ledger, and checks every record against the origin it is given', async () => {
    let result = await verified(async (d) => {
      await rewriteRecord(
        d,
        await storedRecord(d, 1),
        (statement) => {
          statement.predicate.chain.origin = 'github.com/evil/model#main';
        },
        { key },
      );
      await relinkAbove(d, 1, key);
      // The stored checkpoints would also (rightly) call the rewritten history inconsistent.
      await rm(join(d, 'checkpoints'), { recursive: true });
    });
    const one = await nameOf(1);
    expect(problems(result)).toEqual([
      {
        code: 'ORIGIN',
        index: 1,
        file: one,
        message: `record 1 (${one}): belongs to ledger github.com/evil/model#main, not ${ORIGIN}`,
      },
    ]);
    result = await verifyLedger({ store: new LocalStore(dir), origin: 'github.com/evil/model#main' });
    expect(
      result.problems.filter((problem) => problem.code === 'ORIGIN').map((problem) => problem.index),
    ).toEqual([0, 2, 3]);
  });

  it('names a first record that links to something', async () => {
    const result = await verified(async (d) => {
      const one = await storedRecord(d, 1);
      await rewriteRecord(
        d,
        await storedRecord(d, 0),
        (statement) => {
          statement.predicate.chain.previous = {
            statementSha256: one.statementSha256,
            bundleSha256: one.bundleSha256,
            uri: one.name,
          };
        },
        { key },
      );
      await relinkAbove(d, 0, key);
    });
    const zero = await nameOf(0);
    expect(problems(result)).toContainEqual({
      code: 'FIRST_RECORD',
      index: 0,
      file: zero,
      message: `record 0 (${zero}): the first record must have previous null`,
    });
  });

  it('names a record signed by another trusted key, and one signed by a key nobody trusts', async () => {
    const other = generateKeyPair();
    const otherKey = createPrivateKey(other.privateKeyPem);
    const otherHint = keyHint(createPublicKey(other.publicKeyPem));
    let result = await verified(async (d) => {
      await writeFile(join(d, 'keys', `${otherHint}.pub.pem`), other.publicKeyPem);
      await rewriteRecord(d, await storedRecord(d, 2), () => undefined, { key: otherKey, keepName: true });
      await relinkAbove(d, 2, key);
      await rm(join(d, 'checkpoints'), { recursive: true });
    });
    const two = await nameOf(2);
    expect(problems(result)).toEqual([
      {
        code: 'SIGNER_CHANGED',
        index: 2,
        file: two,
        message: `record 2 (${two}): signed by key ${otherHint.slice(0, 16)}…, expected key ${hint.slice(0, 16)}… (the signer of record 0); pass --key to trust a rotated key`,
      },
    ]);
    // Both keys given: either may sign any record.
    result = await verifyLedger({
      store: new LocalStore(dir),
      trustedKeys: [other.publicKeyPem, await readFile(join(repo.dir, LEDGER_PUBLIC_KEY), 'utf8')],
    });
    expect(result.problems.filter((problem) => problem.code === 'SIGNER_CHANGED')).toEqual([]);
    await repo.cleanup();

    result = await verified(async (d) => {
      await rewriteRecord(d, await storedRecord(d, 2), () => undefined, { key: otherKey, keepName: true });
      await relinkAbove(d, 2, key);
      await rm(join(d, 'checkpoints'), { recursive: true });
    });
    expect(result.problems.map((problem) => [problem.code, problem.index])).toEqual([['UNKNOWN_SIGNER', 2]]);
    expect(result.problems[0]?.message).toMatch(new RegExp(`^record 2 \\(${await nameOf(2)}\\): `));
  });

  it('names a record that is not JSON, and still checks the link above it by its name', async () => {
    const result = await verified(async (d) => {
      await writeFile((await storedRecord(d, 1)).path, '{ truncated');
    });
    const one = (await recordFileNames(dir))[1] as string;
    expect(problems(result)[0]).toEqual({
      code: 'CORRUPT',
      index: 1,
      file: one,
      message: `record 1 (${one}): is not valid JSON (truncated or edited)`,
    });
    expect(result.records[1]).toMatchObject({ index: 1, statementSha256: null, verified: false });
  });
});

describe('a part of a ledger', () => {
  it('verifies from its first record, and says what that leaves unchecked', async () => {
    repo = await copyTempRepo(template);
    const whole = join(repo.dir, '.model-ledger');
    const part = join(repo.dir, 'part');
    await cp(join(whole, 'keys'), join(part, 'keys'), { recursive: true });
    for (const name of (await recordFileNames(whole)).slice(2))
      await copyFile(join(whole, name), join(part, name));
    const result = await verifyLedger({ store: new LocalStore(part), partial: true });
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.checkpoint).toBeUndefined();
    expect(result.notices).toContain(
      `only part of the ledger was verified (${part}): the link of its first record to the record before it was not checked, and without record 0 signers are pinned only by --key or --certificate-identity`,
    );
    // The same part verified as a whole ledger is missing its start.
    const whole2 = await verifyLedger({ store: new LocalStore(part) });
    expect(whole2.problems.map((problem) => problem.code)).toEqual(
      expect.arrayContaining(['GAP', 'FIRST_RECORD']),
    );
    // And a part whose first record is not the ledger's given origin is refused.
    const foreign = await verifyLedger({
      store: new LocalStore(part),
      partial: true,
      origin: 'github.com/evil/model#main',
    });
    expect(foreign.problems.map((problem) => [problem.code, problem.index])).toEqual([
      ['ORIGIN', 2],
      ['ORIGIN', 3],
    ]);
  });
});
