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

import { parsePolicy } from '../../src/policy/load.js';
import { generateKeyPair, keyHint } from '../../src/sign/keys.js';
import { LocalStore } from '../../src/store/local.js';
import { releaseRecordName, type RecordRef, type Store } from '../../src/store/types.js';
import { verifyLedger, type LedgerVerification } from '../../src/verify/ledger.js';
import { DEFAULT_ISSUER } from '../support/oidc.js';
import { keyedRepo, recordVersion } from '../support/report-ledger.js';
import { copyTempRepo, type TempRepo } from '../support/repo.js';
import {
  createKeyLedger,
  createKeylessLedger,
  LEDGER_PUBLIC_KEY,
  ledgerKey,
  recordFileNames,
  relinkAbove,
  rewriteRecord,
  storedRecord,
} from '../support/signed-ledger.js';
import { startSigstoreStack, type SigstoreStack } from '../support/sigstore-stack.js';

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

/** Re-signs record `index` so that its previous link names record 1. */
async function linkToRecordOne(d: string, index: number): Promise<void> {
  const one = await storedRecord(d, 1);
  await rewriteRecord(
    d,
    await storedRecord(d, index),
    (statement) => {
      statement.predicate.chain.previous = {
        statementSha256: one.statementSha256,
        bundleSha256: one.bundleSha256,
        uri: one.name,
      };
    },
    { key },
  );
}

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
      await linkToRecordOne(d, 0);
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

describe('what a ledger is anchored to and checked against', () => {
  it('names a ledger whose records were all removed while its checkpoint stayed', async () => {
    const result = await verified(async (d) => {
      for (const name of await recordFileNames(d)) await rm(join(d, name));
    });
    const checkpoint = (await new LocalStore(dir).latestCheckpoint())?.uri;
    expect(problems(result)).toEqual([
      {
        code: 'TRUNCATED',
        index: 0,
        file: null,
        message: `checkpoint ${checkpoint} covers 4 records, but the ledger holds none: records 0–3 were removed`,
      },
    ]);
    expect(result.ok).toBe(false);
  });

  it('names the removed head by its index, with no file to name', async () => {
    const result = await verified(async (d) => rm((await storedRecord(d, 3)).path));
    expect(result.problems.map(({ code, index, file }) => ({ code, index, file }))).toEqual([
      { code: 'TRUNCATED', index: 3, file: null },
    ]);
    expect(result.problems[0]?.message).toMatch(
      /covers 4 records, but the ledger holds 3: records 3–3 were removed \(truncated or rolled back\)$/,
    );
  });

  it('is anchored by pinned statements, and names each pinned statement it does not hold', async () => {
    const result = await verified(() => Promise.resolve(), {
      anchors: { pinnedStatements: ['a'.repeat(64), 'b'.repeat(64)] },
    });
    expect(problems(result)).toEqual(
      ['a', 'b'].map((digit) => ({
        code: 'TRUNCATED',
        index: null,
        file: null,
        message: `no record of the ledger has statement sha256:${digit.repeat(12)}…, which was pinned as one of its records: it was removed, or the ledger rewritten`,
      })),
    );
    const two = await storedRecord(dir, 2);
    const pinned = await verifyLedger({
      store: new LocalStore(dir),
      anchors: { pinnedStatements: [two.statementSha256] },
    });
    expect(pinned.problems).toEqual([]);
    expect(pinned.checkpoint?.anchors).toEqual([
      { source: `sha256:${two.statementSha256}`, size: 3, result: 'extends' },
    ]);
    expect(pinned.notices.some((notice) => notice.startsWith('no checkpoint or witness given'))).toBe(false);
  });

  it('verifies records that claim no tree before them, as records made before checkpoints do', async () => {
    const result = await verified(async (d) => {
      await rewriteRecord(
        d,
        await storedRecord(d, 3),
        (statement) => {
          delete statement.predicate.chain.tree;
        },
        { key },
      );
      await rm(join(d, 'checkpoints'), { recursive: true });
    });
    expect(result.problems).toEqual([]);
    expect(result.checkpoint?.size).toBe(4);
  });

  it('says when records are signed with a development key', async () => {
    const result = await verified(async (d) => {
      await rewriteRecord(
        d,
        await storedRecord(d, 3),
        (statement) => {
          statement.predicate.signing.mode = 'development-key';
        },
        { key },
      );
      await rm(join(d, 'checkpoints'), { recursive: true });
    });
    expect(result.problems).toEqual([]);
    expect(result.records[3]?.signingMode).toBe('development-key');
    expect(result.notices).toContain(
      'some records are signed with a development key: they are for trying model-ledger out, not evidence',
    );
  });

  it('evaluates a policy on every verified record, and leaves out one that did not verify', async () => {
    const result = await verified(async (d) => writeFile((await storedRecord(d, 1)).path, '{ truncated'), {
      policy: parsePolicy(
        Buffer.from(`version: 1\nsigners:\n  - key-hint: "${'0'.repeat(64)}"\n`),
        'policy.yml',
      ),
    });
    const one = (await recordFileNames(dir))[1] as string;
    expect(
      result.policy?.records.map((record) => [record.index, record.file, record.results === null]),
    ).toEqual([
      [0, await nameOf(0), false],
      [1, one, true],
      [2, await nameOf(2), false],
      [3, await nameOf(3), false],
    ]);
    expect(
      result.problems
        .filter((problem) => problem.code === 'POLICY_VIOLATION')
        .map((problem) => problem.index),
    ).toEqual([0, 2, 3]);
    // The policy the ledger's own key meets: no violation.
    const met = await verifyLedger({
      store: new LocalStore(dir),
      policy: parsePolicy(Buffer.from(`version: 1\nsigners:\n  - key-hint: "${hint}"\n`), 'policy.yml'),
    });
    expect(met.problems.filter((problem) => problem.code === 'POLICY_VIOLATION')).toEqual([]);
    expect(met.policy?.records.filter((record) => record.results !== null)).toHaveLength(3);
    expect(met.policy?.file).toBe('policy.yml');
  });
});

describe('the links of a damaged ledger', () => {
  it('names a record above 0 that links to nothing', async () => {
    const result = await verified(async (d) => {
      await rewriteRecord(
        d,
        await storedRecord(d, 2),
        (statement) => {
          statement.predicate.chain.previous = null;
        },
        { key },
      );
      await relinkAbove(d, 2, key);
      await rm(join(d, 'checkpoints'), { recursive: true });
    });
    const two = await nameOf(2);
    expect(problems(result)).toEqual([
      { code: 'BROKEN_LINK', index: 2, file: two, message: `record 2 (${two}): has no link to record 1` },
    ]);
  });

  it('names a link that skips a record as a reordering, saying which record it points to', async () => {
    const result = await verified(async (d) => {
      await linkToRecordOne(d, 3);
      await rm(join(d, 'checkpoints'), { recursive: true });
    });
    const one = await storedRecord(dir, 1);
    const three = await nameOf(3);
    expect(problems(result)).toEqual([
      {
        code: 'BROKEN_LINK',
        index: 3,
        file: three,
        message: `record 3 (${three}): links to statement ${one.statementSha256.slice(0, 12)}, which is record 1 (${one.name}), not record 2: records were reordered`,
      },
    ]);
  });

  it('checks the link to a record that is not a valid bundle by its stored payload', async () => {
    const result = await verified(async (d) => {
      const one = await storedRecord(d, 1);
      await writeFile(
        one.path,
        `${JSON.stringify({ ...one.bundle, mediaType: 'application/vnd.dev.sigstore.bundle.v9+json' }, null, 2)}\n`,
      );
    });
    const one = await storedRecord(dir, 1);
    expect(result.problems.map(({ code, index, file }) => ({ code, index, file }))).toEqual([
      { code: 'CORRUPT', index: 1, file: one.name },
      // The payload is the one record 2 links to; the file around it is not the one it linked.
      { code: 'EDITED', index: 1, file: one.name },
    ]);
    expect(result.problems[0]?.message).toBe(
      `record 1 (${one.name}): mediaType: has media type "application/vnd.dev.sigstore.bundle.v9+json", which is not a Sigstore bundle version this verifier knows (v0.1, v0.2, v0.3)`,
    );
    expect(result.records[1]).toMatchObject({ statementSha256: one.statementSha256, verified: false });
  });

  it('names reordered release assets, whose names carry only the index', async () => {
    await verified(async (d) => {
      const one = await storedRecord(d, 1);
      const two = await storedRecord(d, 2);
      await rename(one.path, join(d, 'swap'));
      await rename(two.path, join(d, `000001-${two.name.slice(7)}`));
      await rename(join(d, 'swap'), join(d, `000002-${one.name.slice(7)}`));
    });
    const assets = await verifyLedger({ store: releaseAssets(new LocalStore(dir)) });
    const misnamed = assets.problems.filter((problem) => problem.code === 'MISNAMED');
    expect(misnamed.map((problem) => problem.file)).toEqual([
      'model-ledger-000002.sigstore.json',
      'model-ledger-000001.sigstore.json',
    ]);
    // The file listed first now holds record 2: as an asset, its name says only "record 1".
    const holdsTwo = await storedRecord(dir, 1);
    expect(misnamed[1]?.message).toBe(
      `model-ledger-000001.sigstore.json holds record 2 (statement ${holdsTwo.statementSha256.slice(0, 12)}), but its name says record 1: records were reordered or renamed`,
    );
  });
});

/** The ledger in `local`, listed as a GitHub release lists it: `model-ledger-NNNNNN.sigstore.json`. */
function releaseAssets(local: LocalStore): Store {
  const byAsset = new Map<string, RecordRef>();
  return {
    location: `${local.location} (release assets)`,
    list: async () =>
      (await local.list()).map((ref) => {
        const asset = {
          index: ref.index,
          name: releaseRecordName(ref.index),
          uri: releaseRecordName(ref.index),
        };
        byAsset.set(asset.name, ref);
        return asset;
      }),
    get: (ref) => local.get(byAsset.get(ref.name) ?? ref),
    put: (request) => local.put(request),
    remove: (ref) => local.remove(ref),
    publicKeys: () => local.publicKeys(),
    locate: (ref) => ref.uri,
  };
}

describe('a keyless ledger', () => {
  const RELEASE = 'https://github.com/acme/model/.github/workflows/release.yml@refs/heads/main';
  let stack: SigstoreStack;
  let keyless: TempRepo;
  const loadTrustedRoot = () => Promise.resolve(stack.trustedRoot as unknown);

  beforeAll(async () => {
    stack = await startSigstoreStack();
    keyless = await createKeylessLedger(stack, 2, RELEASE);
  }, 120_000);
  afterAll(async () => {
    await keyless?.cleanup();
    await stack?.close();
  });

  /** verifyLedger over a fresh copy of the keyless ledger after `tamper`. */
  async function keylessVerified(
    tamper: (dir: string) => Promise<void> = () => Promise.resolve(),
    options: Partial<Parameters<typeof verifyLedger>[0]> = {},
  ): Promise<LedgerVerification> {
    repo = await copyTempRepo(keyless);
    dir = join(repo.dir, '.model-ledger');
    await tamper(dir);
    return verifyLedger({ store: new LocalStore(dir), loadTrustedRoot, ...options });
  }

  it("verifies, pinned to record 0's identity, its checkpoint signed by that identity", async () => {
    const result = await keylessVerified();
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.records.map((record) => [record.index, record.signer, record.signingMode])).toEqual([
      [0, RELEASE, 'keyless'],
      [1, RELEASE, 'keyless'],
    ]);
    expect(result.notices).toContain(
      `signer pinned to ${RELEASE} (issuer ${DEFAULT_ISSUER}), which signed record 0`,
    );
    expect(result.checkpoint?.size).toBe(2);
  });

  it('names a checkpoint whose signature bundle was removed', async () => {
    let uri = '';
    const result = await keylessVerified(async (d) => {
      const stored = await new LocalStore(d).latestCheckpoint();
      uri = stored?.uri ?? '';
      await rm(`${uri}.sigstore.json`);
    });
    expect(problems(result)).toEqual([
      {
        code: 'CHECKPOINT',
        index: null,
        file: null,
        message: `the ledger's checkpoint ${uri} has no signature bundle (${uri}.sigstore.json): nothing ties its signature to the ledger's signer`,
      },
    ]);
  });

  it('refuses an identity given without its issuer, as a usage error', async () => {
    const verification = keylessVerified(() => Promise.resolve(), { identity: { identity: RELEASE } });
    await expect(verification).rejects.toMatchObject({ code: 'USAGE' });
    await expect(verification).rejects.toThrow(/a certificate identity needs its OIDC issuer/);
  });

  it('in a key-signed ledger, names a keyless record by who signed it and who was expected', async () => {
    const keylessOne = await storedRecord(join(keyless.dir, '.model-ledger'), 1);
    const mixed = async (d: string) => {
      await rm((await storedRecord(d, 1)).path);
      await writeFile(join(d, keylessOne.name), keylessOne.bytes);
    };
    const signerChanged = (result: LedgerVerification) =>
      problems(result).filter((problem) => problem.code === 'SIGNER_CHANGED');
    let result = await verified(mixed, { loadTrustedRoot });
    const refused = (expected: string) => ({
      code: 'SIGNER_CHANGED',
      index: 1,
      file: keylessOne.name,
      message: `record 1 (${keylessOne.name}): signed keyless by ${RELEASE}, expected ${expected}; pass --certificate-identity to accept keyless records`,
    });
    expect(signerChanged(result)).toEqual([refused(`key ${hint.slice(0, 16)}… (the signer of record 0)`)]);
    expect(result.records[1]?.verified).toBe(false);

    // Trusted keys given: nothing is pinned, and no identity accepts the record.
    const publicKey = await readFile(join(repo.dir, LEDGER_PUBLIC_KEY), 'utf8');
    result = await verifyLedger({ store: new LocalStore(dir), loadTrustedRoot, trustedKeys: [publicKey] });
    expect(signerChanged(result)).toEqual([refused('a certificate identity')]);

    // Its identity given: it verifies, and is then another signer than record 0's key.
    result = await verifyLedger({
      store: new LocalStore(dir),
      loadTrustedRoot,
      identity: { identity: RELEASE, issuer: DEFAULT_ISSUER },
    });
    expect(result.records[1]).toMatchObject({ verified: true, signer: RELEASE });
    expect(signerChanged(result)).toEqual([
      {
        code: 'SIGNER_CHANGED',
        index: 1,
        file: keylessOne.name,
        message: `record 1 (${keylessOne.name}): signed by ${RELEASE} (issuer ${DEFAULT_ISSUER}), expected key ${hint.slice(0, 16)}… (the signer of record 0); pass --key to trust a rotated key`,
      },
    ]);
  });
});

describe("the head record's datasets", () => {
  let project: TempRepo;
  beforeAll(async () => {
    project = await keyedRepo();
    await recordVersion(project, 0);
  }, 60_000);
  afterAll(async () => {
    await project?.cleanup();
  });

  it('are rehashed under the artifacts directory: local datasets by path, datasets by URI not at all', async () => {
    const ledger = join(project.dir, '.model-ledger');
    const head = await storedRecord(ledger, 0);
    expect(
      head.statement.predicate.datasets.map((dataset) => [dataset.name, dataset.kind, dataset.path]),
    ).toEqual([
      ['train', 'directory', 'data/train'],
      ['eval', 'directory', 'data/eval'],
    ]);
    const store = new LocalStore(ledger);
    expect((await verifyLedger({ store, artifactsDir: project.dir })).problems).toEqual([]);

    // A dataset known only by its URI has nothing in the working tree to rehash.
    const teamKey = createPrivateKey(await readFile(join(project.dir, 'team.key.pem'), 'utf8'));
    const train = head.statement.predicate.datasets[0];
    const rewritten = await rewriteRecord(
      ledger,
      head,
      (statement) => {
        statement.predicate.datasets.push({
          name: 'hub-corpus',
          kind: 'uri',
          uri: 'https://huggingface.co/datasets/acme/corpus',
          digest: { sha256: 'e'.repeat(64) },
          size: 0,
          files: 0,
        });
      },
      { key: teamKey },
    );
    await rm(join(ledger, 'checkpoints'), { recursive: true });
    let result = await verifyLedger({ store, artifactsDir: project.dir });
    expect(result.problems).toEqual([]);

    await writeFile(join(project.dir, 'data/train/part-0.csv'), 'a,b\n1,3\n');
    await rm(join(project.dir, 'data/eval/eval.csv'));
    result = await verifyLedger({ store, artifactsDir: project.dir });
    const label = `record 0 (${rewritten.name})`;
    expect(problems(result)).toEqual([
      {
        code: 'ARTIFACT_MISMATCH',
        index: 0,
        file: rewritten.name,
        message: expect.stringMatching(
          new RegExp(
            `^record 0 \\(${rewritten.name}\\): artifact dataset:train has sha256 [0-9a-f]{64}, the record says ${train?.digest.sha256}$`,
          ),
        ) as unknown as string,
      },
      {
        code: 'ARTIFACT_MISSING',
        index: 0,
        file: rewritten.name,
        message: expect.stringContaining(
          `${label}: artifact dataset:eval is missing or unreadable under ${project.dir} (`,
        ) as unknown as string,
      },
    ]);
  });
});
