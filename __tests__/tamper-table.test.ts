/**
 * One table, one row (at least) per problem code: each row damages a real ledger in a temp dir
 * the way an attacker or an accident would, and says which code and record index must be
 * reported. Every row runs against full verification, partial verification (a part of the
 * ledger without its first records), the check of the records below the head (`verifyBelowHead`)
 * and `record`'s own check before it links a new record (which must refuse, exit 2, and leave the
 * ledger as it was) — wherever that check is meant to see the damage; where it is not, the row
 * says why. A few rows also go through the CLI's `main` (in-process, as support/cli.ts runs it)
 * for its exit codes. SUBJECT_MISMATCH is verify-bundle's (one bundle and its artifact), so its
 * row runs that. A new problem code without a row fails the first test.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { copyFile, cp, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { verifyBelowHead } from '../src/chain/recent.js';
import { LedgerError, exitCodeFor } from '../src/errors.js';
import { parsePolicy } from '../src/policy/load.js';
import { record } from '../src/run/record.js';
import { keyHint, publicKeyPem } from '../src/sign/keys.js';
import { LocalStore } from '../src/store/local.js';
import { witnessKey } from '../src/verify/anchors.js';
import { verifyLedger, type VerifyLedgerOptions } from '../src/verify/ledger.js';
import { keyRing } from '../src/sign/keys.js';
import { verifyBundle } from '../src/verify/bundle.js';
import { PROBLEM_CODES, VerificationFailure, type ProblemCode } from '../src/verify/problems.js';
import { readVerifiedRecord } from '../src/verify/read.js';
import { ledgerTrust, type LedgerTrustOptions } from '../src/verify/trust.js';
import { runCli } from './support/cli.js';
import { DEFAULT_ISSUER } from './support/oidc.js';
import { copyTempRepo, type TempRepo } from './support/repo.js';
import {
  LEDGER_KEY,
  LEDGER_PUBLIC_KEY,
  createKeyLedger,
  createKeylessLedger,
  keylessRecord,
  ledgerKey,
  recordFileNames,
  relinkAbove,
  rewriteRecord,
  snapshot,
  storedRecord,
} from './support/signed-ledger.js';
import { startSigstoreStack, type SigstoreStack } from './support/sigstore-stack.js';

const RELEASE = 'https://github.com/acme/model/.github/workflows/release.yml@refs/heads/main';
const DEV = 'https://github.com/acme/model/.github/workflows/train.yml@refs/heads/dev';
/** Both templates hold records 0..3; rows damage record 2 unless the case is about another. */
const RECORDS = 4;

/** A ledger as one row sees it: its own copy of a template. */
interface Tampering {
  repo: TempRepo;
  /** The ledger directory. */
  dir: string;
  /** The ledger's real signing key (key-signed template). */
  key: KeyObject;
}

/** Why a row does not apply to a check: said, not silently skipped. */
interface NotApplicable {
  skip: string;
}

interface Row {
  code: ProblemCode;
  what: string;
  ledger?: 'key' | 'keyless';
  tamper: (t: Tampering) => Promise<void>;
  /** What full verification is given besides the store and the trust. */
  options?: (t: Tampering) => Partial<VerifyLedgerOptions>;
  /** The chain index full verification must report the code at (null: the ledger as a whole). */
  index: number | null;
  /**
   * Everything else full verification reports, when the row pins the whole diagnosis: the
   * damage is then shown to be caught by the one check the row is about, and reported as what it
   * is (not as a reordering, say). Absent: other problems may follow from the damage.
   */
  also?: { code: ProblemCode; index: number | null }[];
  /**
   * Partial verification of the records from `from` on (default 1: a part without record 0),
   * reporting the same code at `index` (default: the row's), or why it does not apply.
   */
  partial: { from?: number; index?: number | null } | NotApplicable;
  /** `verifyBelowHead` down to record 0 must refuse with this message, or why it does not apply. */
  recent: RegExp | NotApplicable;
  /** `record` (head verification depth: all) must refuse with this message, or why it does not apply. */
  record: RegExp | NotApplicable;
  /** Also through the CLI: `verify` exits 1 naming the code; `record` (default depth) exits 2 when `record` applies. */
  cli?: { verify: boolean; record: boolean };
}

// ---------------------------------------------------------------------------------------------
// Damage

async function replaceBytes(t: Tampering, index: number, edit: (bytes: Buffer) => Buffer): Promise<void> {
  const stored = await storedRecord(t.dir, index);
  await writeFile(stored.path, edit(stored.bytes));
}

async function editBundleJson(
  t: Tampering,
  index: number,
  edit: (bundle: Record<string, unknown>) => void,
): Promise<void> {
  await replaceBytes(t, index, (bytes) => {
    const bundle = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
    edit(bundle);
    return Buffer.from(`${JSON.stringify(bundle, null, 2)}\n`);
  });
}

/** Signs record `index` again with `key` (statement unchanged) and re-links the records above. */
async function resignWith(t: Tampering, index: number, key: KeyObject): Promise<void> {
  await rewriteRecord(t.dir, await storedRecord(t.dir, index), () => undefined, { key, keepName: true });
  await relinkAbove(t.dir, index, t.key);
}

/** Changes record `index`'s statement, signs it with the real key, and re-links the records above. */
async function rewriteAndRelink(
  t: Tampering,
  index: number,
  edit: Parameters<typeof rewriteRecord>[2],
): Promise<void> {
  await rewriteRecord(t.dir, await storedRecord(t.dir, index), edit, { key: t.key });
  await relinkAbove(t.dir, index, t.key);
}

function otherKey(): KeyObject {
  return generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
}

const tlogEntries = (bundle: Record<string, unknown>) =>
  (bundle.verificationMaterial as { tlogEntries: unknown[] }).tlogEntries;

// ---------------------------------------------------------------------------------------------
// The table

const NOT_RECORDS_JOB = (what: string): NotApplicable => ({
  skip: `${what}: \`record\` checks the chain it links to, not this`,
});
const NO_CHECKPOINTS_IN_PART: NotApplicable = {
  skip: 'partial verification checks no checkpoints: a part cannot know how big the whole ledger is',
};
const NOT_BELOW_HEAD: NotApplicable = {
  skip: 'verifyBelowHead checks the chain records and their links, not checkpoints or tree claims',
};

const table: Row[] = [
  {
    code: 'CORRUPT',
    what: 'a record file cut short (not JSON any more)',
    tamper: (t) => replaceBytes(t, 2, (bytes) => bytes.subarray(0, 100)),
    index: 2,
    also: [{ code: 'BROKEN_LINK', index: 3 }],
    partial: {},
    recent: /record 2 does not verify: .*is not valid JSON/,
    record: /record 2 does not verify: .*is not valid JSON/,
    cli: { verify: true, record: false },
  },
  {
    code: 'BAD_SIGNATURE',
    what: 'one byte of a signed payload changed',
    tamper: (t) =>
      editBundleJson(t, 2, (bundle) => {
        const envelope = bundle.dsseEnvelope as { payload: string };
        const payload = Buffer.from(envelope.payload, 'base64');
        payload.writeUInt8(payload.readUInt8(20) ^ 0x01, 20);
        envelope.payload = payload.toString('base64');
      }),
    index: 2,
    also: [{ code: 'BROKEN_LINK', index: 3 }],
    partial: {},
    recent: /record 2 does not verify: .*signature does not verify/,
    record: /record 2 does not verify: .*signature does not verify/,
  },
  {
    code: 'UNKNOWN_SIGNER',
    what: 'a record re-signed with a key the ledger does not keep, the chain re-linked',
    tamper: (t) => resignWith(t, 2, otherKey()),
    index: 2,
    also: [],
    partial: {},
    recent: /record 2 does not verify: .*is signed by key [0-9a-f]{64}, which is not trusted/,
    record: /record 2 does not verify: .*which is not trusted/,
  },
  {
    code: 'SIGNER_CHANGED',
    what: "a record re-signed with another key put into the ledger's keys/, the chain re-linked",
    tamper: async (t) => {
      const mallory = otherKey();
      const pem = publicKeyPem(mallory);
      await writeFile(join(t.dir, 'keys', `${keyHint(createPublicKey(mallory))}.pub.pem`), pem);
      await resignWith(t, 2, mallory);
    },
    index: 2,
    also: [{ code: 'INCONSISTENT', index: null }],
    partial: { skip: 'without record 0 nothing pins the signer (partial verification says so in a notice)' },
    recent: {
      skip: "the ledger's own keys are trusted below the head: pinning to record 0's key is full verification's (so a rotated key can go on recording)",
    },
    record: { skip: 'as for verifyBelowHead: record trusts the keys the ledger keeps' },
  },
  {
    code: 'SCHEMA',
    what: 'a record signed with the real key whose statement breaks the record schema',
    tamper: (t) =>
      rewriteAndRelink(t, 2, (statement) => {
        delete (statement.predicate as Partial<typeof statement.predicate>).tool;
      }),
    index: 2,
    also: [],
    partial: {},
    recent: /record 2 does not verify: .*tool/,
    record: /record 2 does not verify: .*tool/,
  },
  {
    code: 'MISNAMED',
    what: 'the head renamed to a later index (statement digest in the name kept)',
    tamper: async (t) => {
      const head = await storedRecord(t.dir, 3);
      await rename(head.path, join(t.dir, `000004${head.name.slice(6)}`));
    },
    index: 3,
    also: [],
    partial: {},
    recent: { skip: "the head's name is checked by record before verifyBelowHead, which is given the head" },
    record: /holds record 3 \(statement [0-9a-f]{12}\), but its name says record 4/,
    cli: { verify: true, record: true },
  },
  {
    code: 'MISNAMED',
    what: 'record 2 replaced by a copy of record 1 under the name of record 2',
    tamper: async (t) => {
      const one = await storedRecord(t.dir, 1);
      const two = await storedRecord(t.dir, 2);
      await rm(two.path);
      await copyFile(one.path, join(t.dir, `000002${two.name.slice(6)}`));
    },
    index: 1,
    partial: { from: 2 },
    recent: /000002-[0-9a-f]{12}\.sigstore\.json holds record 1, not record 2/,
    record: /000002-[0-9a-f]{12}\.sigstore\.json holds record 1, not record 2/,
  },
  {
    code: 'MISNAMED',
    what: 'a copy of record 1 beside record 2, under the index of record 2',
    tamper: async (t) => {
      const one = await storedRecord(t.dir, 1);
      await copyFile(one.path, join(t.dir, `000002${one.name.slice(6)}`));
    },
    index: 1,
    partial: { from: 2 },
    recent: /the ledger has a fork at record 2: /,
    record:
      /carries the same statement digest in its name as 000001-[0-9a-f]{12}\.sigstore\.json: one is a copy of the other/,
    cli: { verify: true, record: true },
  },
  {
    code: 'ORIGIN',
    what: 'a record of another ledger, signed with the real key, the chain re-linked',
    tamper: (t) =>
      rewriteAndRelink(t, 2, (statement) => {
        statement.predicate.chain.origin = 'github.com/acme/other#main';
      }),
    index: 2,
    also: [{ code: 'INCONSISTENT', index: null }],
    partial: {},
    recent: /record 2 belongs to ledger github\.com\/acme\/other#main, not github\.com\/acme\/model#main/,
    record: /record 2 belongs to ledger github\.com\/acme\/other#main/,
  },
  {
    code: 'FIRST_RECORD',
    what: 'record 0 rewritten with a previous link, the chain re-linked',
    tamper: (t) =>
      rewriteAndRelink(t, 0, (statement) => {
        statement.predicate.chain.previous = {
          statementSha256: 'e'.repeat(64),
          bundleSha256: 'e'.repeat(64),
          uri: '000000-eeeeeeeeeeee.sigstore.json',
        };
      }),
    index: 0,
    also: [{ code: 'INCONSISTENT', index: null }],
    partial: { from: 0 },
    recent: /record 0 \(000000-[0-9a-f]{12}\.sigstore\.json\) claims to be the first record but is not/,
    record: /record 0 .*claims to be the first record but is not/,
  },
  {
    code: 'FIRST_RECORD',
    what: 'truncated from the start: records 0 and 1 deleted',
    tamper: async (t) => {
      await rm((await storedRecord(t.dir, 0)).path);
      await rm((await storedRecord(t.dir, 1)).path);
    },
    index: 0,
    also: [
      { code: 'GAP', index: 0 },
      { code: 'GAP', index: 1 },
      { code: 'BROKEN_LINK', index: 2 },
    ],
    partial: { skip: 'a part that starts after record 0 is what partial verification is for' },
    recent: /record 1 is missing below record 2: the ledger has a gap/,
    record: /record 0 is missing \(the next record is 2\)/,
    cli: { verify: true, record: true },
  },
  {
    code: 'GAP',
    what: 'a record deleted from the middle',
    tamper: async (t) => rm((await storedRecord(t.dir, 2)).path),
    index: 2,
    also: [{ code: 'BROKEN_LINK', index: 3 }],
    partial: {},
    recent: /record 2 is missing below record 3: the ledger has a gap/,
    record: /record 2 is missing: the ledger has a gap/,
    cli: { verify: true, record: true },
  },
  {
    code: 'FORK',
    what: 'a second record 2 with the same previous, signed with the real key',
    tamper: async (t) => {
      await rewriteRecord(
        t.dir,
        await storedRecord(t.dir, 2),
        (statement) => {
          statement.predicate.change.reason = 'the other branch';
        },
        { key: t.key, keepOld: true },
      );
    },
    index: 2,
    also: [],
    partial: {},
    recent: /the ledger has a fork at record 2: 000002-[0-9a-f]{12}\.sigstore\.json, 000002-/,
    record: /is named as statement [0-9a-f]{12}, but record 3 links to statement [0-9a-f]{12} at index 2/,
  },
  {
    code: 'FORK',
    what: 'a second record 1 with the same previous, below the record under the head',
    tamper: async (t) => {
      await rewriteRecord(
        t.dir,
        await storedRecord(t.dir, 1),
        (statement) => {
          statement.predicate.change.reason = 'the other branch';
        },
        { key: t.key, keepOld: true },
      );
    },
    index: 1,
    also: [],
    partial: { from: 0 },
    recent: /the ledger has a fork at record 1: 000001-[0-9a-f]{12}\.sigstore\.json, 000001-/,
    record:
      /is a second record at index 1 \(beside 000001-[0-9a-f]{12}\.sigstore\.json\): the ledger has a fork/,
    cli: { verify: true, record: true },
  },
  {
    code: 'BROKEN_LINK',
    what: 'a link to a statement no record has, signed with the real key, the chain above re-linked',
    tamper: (t) =>
      rewriteAndRelink(t, 2, (statement) => {
        const { previous } = statement.predicate.chain;
        if (previous) previous.statementSha256 = 'f'.repeat(64);
      }),
    index: 2,
    also: [{ code: 'INCONSISTENT', index: null }],
    partial: {},
    recent:
      /record 2 links to statement ffffffffffff, but record 1 \(000001-[0-9a-f]{12}\.sigstore\.json\) is statement/,
    record: /record 2 links to statement ffffffffffff/,
  },
  {
    code: 'BROKEN_LINK',
    what: 'a missing link (previous null above record 0), signed with the real key',
    tamper: (t) =>
      rewriteAndRelink(t, 2, (statement) => {
        statement.predicate.chain.previous = null;
      }),
    index: 2,
    also: [{ code: 'INCONSISTENT', index: null }],
    partial: {},
    recent: /record 2 \(000002-[0-9a-f]{12}\.sigstore\.json\) claims to be the first record but is not/,
    record: /record 2 .*claims to be the first record but is not/,
  },
  {
    code: 'EDITED',
    what: 'a bundle file rewritten (re-formatted: same statement and signature, other bytes)',
    tamper: (t) =>
      replaceBytes(t, 2, (bytes) => Buffer.from(JSON.stringify(JSON.parse(bytes.toString('utf8'))))),
    index: 2,
    also: [],
    partial: {},
    recent:
      /record 2 \(000002-[0-9a-f]{12}\.sigstore\.json\): its bundle file changed after record 3 linked to it/,
    record: /record 2 .*its bundle file changed after record 3 linked to it/,
  },
  {
    code: 'ARTIFACT_MISSING',
    what: "the head's model file gone from --artifacts",
    tamper: (t) => rm(join(t.repo.dir, 'model.bin')),
    options: (t) => ({ artifactsDir: t.repo.dir }),
    index: 3,
    also: [],
    partial: {},
    recent: { skip: 'artifacts are given to verify only' },
    record: NOT_RECORDS_JOB('artifacts of the head'),
  },
  {
    code: 'ARTIFACT_MISMATCH',
    what: "the head's model file changed",
    tamper: (t) => writeFile(join(t.repo.dir, 'model.bin'), 'weights tampered'),
    options: (t) => ({ artifactsDir: t.repo.dir }),
    index: 3,
    also: [],
    partial: {},
    recent: { skip: 'artifacts are given to verify only' },
    record: NOT_RECORDS_JOB('artifacts of the head'),
  },
  {
    code: 'IDENTITY_MISMATCH',
    what: 'a keyless record by another workflow appended',
    ledger: 'keyless',
    tamper: (t) => keylessRecord(t.repo, stack, DEV, 'dev'),
    index: 4,
    also: [],
    partial: {},
    recent: { skip: 'the head itself does not verify: record refuses it before looking below it' },
    record:
      /the ledger head does not verify.*signed by https:\/\/github\.com\/acme\/model\/\.github\/workflows\/train\.yml@refs\/heads\/dev/,
  },
  {
    code: 'SUBJECT_MISMATCH',
    what: 'verify-bundle given a model file other than the one the record signs',
    tamper: (t) => writeFile(join(t.repo.dir, 'model.bin'), 'weights tampered'),
    index: null,
    partial: { skip: 'reported by verify-bundle (one bundle and its artifact), not by ledger verification' },
    recent: { skip: 'reported by verify-bundle only' },
    record: { skip: 'reported by verify-bundle only' },
  },
  {
    code: 'UNTRUSTED',
    what: "a keyless record's transparency-log entry stripped",
    ledger: 'keyless',
    tamper: (t) =>
      editBundleJson(t, 2, (bundle) => {
        tlogEntries(bundle).length = 0;
      }),
    index: 2,
    also: [{ code: 'EDITED', index: 2 }],
    partial: {},
    recent: /record 2 does not verify: .*has no transparency-log entry/,
    record: /record 2 does not verify: .*has no transparency-log entry/,
  },
  {
    code: 'TLOG_MISMATCH',
    what: 'a keyless record carrying the transparency-log entry of the record before it',
    ledger: 'keyless',
    tamper: async (t) => {
      const entries = tlogEntries(
        JSON.parse((await storedRecord(t.dir, 1)).bytes.toString('utf8')) as Record<string, unknown>,
      );
      await editBundleJson(t, 2, (bundle) => {
        (bundle.verificationMaterial as { tlogEntries: unknown[] }).tlogEntries = entries;
      });
    },
    index: 2,
    also: [{ code: 'EDITED', index: 2 }],
    partial: {},
    recent: /record 2 does not verify: .*transparency-log entry does not match this bundle/,
    record: /record 2 does not verify: .*transparency-log entry does not match this bundle/,
  },
  {
    code: 'POLICY_VIOLATION',
    what: 'verify given a policy no record meets (a signer key the ledger never used)',
    tamper: () => Promise.resolve(),
    options: () => ({
      policy: parsePolicy(
        Buffer.from(`version: 1\nsigners:\n  - key-hint: "${'0'.repeat(64)}"\n`),
        'audit/policy.yml',
      ),
    }),
    index: 0,
    also: [
      { code: 'POLICY_VIOLATION', index: 1 },
      { code: 'POLICY_VIOLATION', index: 2 },
      { code: 'POLICY_VIOLATION', index: 3 },
    ],
    partial: { index: 1 },
    recent: { skip: 'a policy is given to verify; record checks its own record against its policy' },
    record: NOT_RECORDS_JOB('a policy given to verify'),
  },
  {
    code: 'TRUNCATED',
    what: 'the newest record deleted, its checkpoint kept',
    tamper: async (t) => rm((await storedRecord(t.dir, 3)).path),
    index: 3,
    also: [],
    partial: NO_CHECKPOINTS_IN_PART,
    recent: NOT_BELOW_HEAD,
    record:
      /checkpoint .*model-ledger-000003\.checkpoint covers 4 records, but the newest record is 2: records 3–3 were deleted/,
    cli: { verify: true, record: true },
  },
  {
    code: 'INCONSISTENT',
    what: 'record 1 rewritten with the real key and every record above re-linked: only the checkpoint shows it',
    tamper: (t) =>
      rewriteAndRelink(t, 1, (statement) => {
        statement.predicate.change.reason = 'history, rewritten';
      }),
    index: null,
    also: [],
    partial: NO_CHECKPOINTS_IN_PART,
    recent: NOT_BELOW_HEAD,
    // The head's tree claim and payload give the root of the records the checkpoint covers.
    record:
      /INCONSISTENT: the ledger's first 4 records are not those its checkpoint .*model-ledger-000003\.checkpoint covered .*: its history was rewritten/,
  },
  {
    code: 'TREE',
    what: "the head's claim of the tree before it rewritten, signed with the real key",
    tamper: async (t) => {
      const wrong = (await storedRecord(t.dir, 1)).statement.predicate.chain.tree;
      await rewriteRecord(
        t.dir,
        await storedRecord(t.dir, 3),
        (statement) => {
          if (wrong) statement.predicate.chain.tree = wrong;
        },
        { key: t.key },
      );
    },
    index: 3,
    also: [{ code: 'INCONSISTENT', index: null }],
    partial: NO_CHECKPOINTS_IN_PART,
    recent: NOT_BELOW_HEAD,
    // A wrong tree claim in the head gives another root than the stored checkpoint's.
    record: /INCONSISTENT: the ledger's first 4 records are not those its checkpoint/,
  },
  {
    code: 'CHECKPOINT',
    what: "the stored checkpoint's signature replaced",
    tamper: async (t) => {
      const file = join(t.dir, 'checkpoints', 'model-ledger-000003.checkpoint');
      const note = await readFile(file, 'utf8');
      await writeFile(file, note.replace(/\n\n[\s\S]*$/, '\n\n\u2014 local:x#main AAAAAAAA\n'));
    },
    index: null,
    also: [],
    partial: NO_CHECKPOINTS_IN_PART,
    recent: NOT_BELOW_HEAD,
    record: { skip: "record reads the stored checkpoint's size only" },
  },
  {
    code: 'UNWITNESSED',
    what: 'verify asked for a witness, and no cosigned checkpoint given',
    tamper: () => Promise.resolve(),
    options: () => ({
      anchors: {
        witnesses: [
          witnessKey(publicKeyPem(generateKeyPairSync('ed25519').privateKey), undefined, 'witness.pub.pem'),
        ],
      },
    }),
    index: null,
    also: [],
    partial: NO_CHECKPOINTS_IN_PART,
    recent: NOT_BELOW_HEAD,
    record: NOT_RECORDS_JOB('witnesses given to verify'),
  },
];

// ---------------------------------------------------------------------------------------------
// Running a row

let stack: SigstoreStack;
let keyTemplate: TempRepo;
let keylessTemplate: TempRepo;
let key: KeyObject;

beforeAll(async () => {
  stack = await startSigstoreStack();
  keyTemplate = await createKeyLedger(RECORDS);
  keylessTemplate = await createKeylessLedger(stack, RECORDS, RELEASE);
  key = await ledgerKey(keyTemplate);
}, 120_000);
afterAll(async () => {
  await keyTemplate?.cleanup();
  await keylessTemplate?.cleanup();
  await stack?.close();
});

async function copyOf(ledger: Row['ledger']): Promise<Tampering> {
  const repo = await copyTempRepo(ledger === 'keyless' ? keylessTemplate : keyTemplate);
  return { repo, dir: join(repo.dir, '.model-ledger'), key };
}

function trustOf(row: Row, partial = false): LedgerTrustOptions {
  if (row.ledger !== 'keyless') return {};
  return {
    loadTrustedRoot: () => Promise.resolve(stack.trustedRoot),
    // Without record 0, the identity is the reader's to give (as `verify --certificate-identity`).
    ...(partial ? { identity: { identity: RELEASE, issuer: DEFAULT_ISSUER } } : {}),
  };
}

function sorted(problems: { code: ProblemCode; index: number | null }[]): string[] {
  return problems.map(({ code, index }) => `${code}@${String(index)}`).sort();
}

function skipped(check: object): check is NotApplicable {
  return 'skip' in check;
}

/** A store holding the ledger's records from `from` on and its keys: one release of a longer ledger. */
async function partOf(t: Tampering, from: number): Promise<LocalStore> {
  const part = await mkdtemp(join(tmpdir(), 'model-ledger-part-'));
  // Key-signed ledgers keep their public keys; keyless ones have none.
  if (existsSync(join(t.dir, 'keys'))) await cp(join(t.dir, 'keys'), join(part, 'keys'), { recursive: true });
  for (const name of await recordFileNames(t.dir)) {
    if (Number(name.slice(0, 6)) >= from) await copyFile(join(t.dir, name), join(part, name));
  }
  return new LocalStore(part);
}

function caughtSync(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('the tamper table', () => {
  it('has a row for every problem code', () => {
    expect([...new Set(table.map((row) => row.code))].sort()).toEqual([...PROBLEM_CODES].sort());
  });

  for (const row of table) {
    describe(`${row.code}: ${row.what}`, () => {
      let t: Tampering;
      beforeAll(async () => {
        t = await copyOf(row.ledger);
        await row.tamper(t);
      });
      afterAll(async () => {
        await t?.repo.cleanup();
      });
      const options = (): Partial<VerifyLedgerOptions> => row.options?.(t) ?? {};

      if (row.code === 'SUBJECT_MISMATCH') {
        it('verify-bundle refuses the head record for the changed model', async () => {
          const head = (await recordFileNames(t.dir)).at(-1) as string;
          const error = caughtSync(() =>
            verifyBundle(
              JSON.parse(readFileSync(join(t.dir, head), 'utf8')),
              { keys: keyRing([readFileSync(join(t.repo.dir, LEDGER_PUBLIC_KEY), 'utf8')]) },
              head,
              { kind: 'bytes', bytes: readFileSync(join(t.repo.dir, 'model.bin')) },
            ),
          );
          expect(error).toBeInstanceOf(VerificationFailure);
          expect(error).toMatchObject({
            problem: 'SUBJECT_MISMATCH',
            message: expect.stringMatching(
              /is not a subject of the signed statement \(model\.bin sha256:/,
            ) as unknown,
          });
          const run = await runCli(
            ['verify-bundle', '--bundle', join(t.dir, head), '--key', LEDGER_PUBLIC_KEY, 'model.bin'],
            t.repo.dir,
            t.repo.env,
          );
          expect(run.status).toBe(1);
        });
        return;
      }

      it(`full verification reports ${row.code} at ${String(row.index)}`, async () => {
        const result = await verifyLedger({ store: new LocalStore(t.dir), ...trustOf(row), ...options() });
        expect(result.ok).toBe(false);
        expect(result.problems).toContainEqual(expect.objectContaining({ code: row.code, index: row.index }));
        if (row.also) {
          const seen = result.problems.map(({ code, index }) => ({ code, index }));
          expect(sorted(seen)).toEqual(sorted([{ code: row.code, index: row.index }, ...row.also]));
        }
      });

      const { partial } = row;
      if (skipped(partial)) {
        it.skip(`partial verification: ${partial.skip}`, () => undefined);
      } else {
        it(`partial verification (records from ${partial.from ?? 1}) reports ${row.code}`, async () => {
          const store = await partOf(t, partial.from ?? 1);
          try {
            const result = await verifyLedger({ store, partial: true, ...trustOf(row, true), ...options() });
            expect(result.ok).toBe(false);
            expect(result.problems).toContainEqual(
              expect.objectContaining({
                code: row.code,
                index: partial.index === undefined ? row.index : partial.index,
              }),
            );
          } finally {
            await rm(store.location, { recursive: true, force: true });
          }
        });
      }

      const { recent } = row;
      if (skipped(recent)) {
        it.skip(`verifyBelowHead: ${recent.skip}`, () => undefined);
      } else {
        it('verifyBelowHead refuses the records below the head', async () => {
          const store = new LocalStore(t.dir);
          const refs = await store.list();
          const { trust } = await ledgerTrust(store, refs, trustOf(row));
          const head = await readVerifiedRecord(store, refs.at(-1) as (typeof refs)[number], trust);
          const error = await caught(verifyBelowHead(store, refs, head, trust, Infinity));
          expect(error).toBeInstanceOf(LedgerError);
          expect(error).toMatchObject({ code: 'CHAIN', message: expect.stringMatching(recent) as unknown });
        });
      }

      const refused = row.record;
      if (skipped(refused)) {
        it.skip(`record: ${refused.skip}`, () => undefined);
      } else {
        it('record refuses to link to it (exit 2) and leaves the ledger as it was', async () => {
          const before = await snapshot(t.dir);
          const error = await caught(
            record({
              cwd: t.repo.dir,
              env: t.repo.env,
              ledgerDir: t.dir,
              models: ['model.bin'],
              signing: 'key',
              keyPem: await readFile(join(keyTemplate.dir, LEDGER_KEY), 'utf8'),
              headVerificationDepth: Infinity,
              ...(row.ledger === 'keyless' ? { trustedRootFile: stack.trustedRootFile } : {}),
            }),
          );
          expect(error).toBeInstanceOf(LedgerError);
          expect(error).toMatchObject({ code: 'CHAIN', message: expect.stringMatching(refused) as unknown });
          expect(exitCodeFor((error as LedgerError).code)).toBe(2);
          expect(await snapshot(t.dir)).toEqual(before);
        });
      }

      if (row.cli?.verify) {
        it('the CLI: verify exits 1 naming the problem', async () => {
          const run = await runCli(['verify', '--key', LEDGER_PUBLIC_KEY], t.repo.dir, t.repo.env);
          expect(run.status).toBe(1);
          expect(run.stderr).toMatch(new RegExp(`FAIL ${row.code}: `));
        });
      }
      if (row.cli?.record) {
        it('the CLI: record exits 2 and writes nothing', async () => {
          const before = await snapshot(t.dir);
          const run = await runCli(
            ['record', '--key', LEDGER_KEY, '--models', 'model.bin'],
            t.repo.dir,
            t.repo.env,
          );
          expect(run.status).toBe(2);
          expect(await snapshot(t.dir)).toEqual(before);
        });
      }
    });
  }
});

describe('a ledger with no records', () => {
  const nothing = (dir: string) =>
    `verification failed: ${dir} holds no records, so there is nothing to verify`;

  it('an empty ledger directory does not verify as ok', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'model-ledger-empty-'));
    try {
      const result = await verifyLedger({ store: new LocalStore(dir) });
      expect(result).toMatchObject({ ok: false, records: [], problems: [], head: null });
      expect(result.notices).toContain(`no records found in ${dir}`);
      const run = await runCli(['verify', '--store', dir], keyTemplate.dir, keyTemplate.env);
      expect(run).toEqual({ status: 1, stdout: nothing(dir), stderr: `notice: no records found in ${dir}` });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a wiped ledger (records deleted, keys kept) does not verify as ok; with its checkpoints kept, it is TRUNCATED', async () => {
    const t = await copyOf('key');
    try {
      for (const name of await recordFileNames(t.dir)) await rm(join(t.dir, name));
      const wiped = await verifyLedger({ store: new LocalStore(t.dir) });
      expect(wiped.ok).toBe(false);
      expect(wiped.notices).toContain(`no records found in ${t.dir}`);
      expect(wiped.problems).toEqual([
        {
          code: 'TRUNCATED',
          index: 0,
          file: null,
          message: `checkpoint ${join(t.dir, 'checkpoints', 'model-ledger-000003.checkpoint')} covers 4 records, but the ledger holds none: records 0–3 were removed`,
        },
      ]);
      const run = await runCli(['verify', '--key', LEDGER_PUBLIC_KEY], t.repo.dir, t.repo.env);
      expect(run.status).toBe(1);
      expect(run.stdout).toBe(nothing(t.dir));
      expect(run.stderr).toMatch(
        /^FAIL TRUNCATED: checkpoint .* covers 4 records, but the ledger holds none/m,
      );

      // Nor does record start it over: a checkpoint without records is a sign of a ledger.
      const before = await snapshot(t.dir);
      const restart = await runCli(
        ['record', '--key', LEDGER_KEY, '--models', 'model.bin'],
        t.repo.dir,
        t.repo.env,
      );
      expect(restart.status).toBe(2);
      expect(restart.stderr).toMatch(
        /no ledger was found in .*, but one existed: the store holds a checkpoint of 4 record\(s\)/,
      );
      expect(await snapshot(t.dir)).toEqual(before);

      // Checkpoints gone too: nothing is left to say what was there, but still no "ok".
      await rm(join(t.dir, 'checkpoints'), { recursive: true });
      const bare = await verifyLedger({ store: new LocalStore(t.dir) });
      expect(bare).toMatchObject({ ok: false, records: [], problems: [] });
      const again = await runCli(['verify', '--key', LEDGER_PUBLIC_KEY], t.repo.dir, t.repo.env);
      expect(again).toEqual({
        status: 1,
        stdout: nothing(t.dir),
        stderr: `notice: no records found in ${t.dir}`,
      });
    } finally {
      await t.repo.cleanup();
    }
  });
});
