/**
 * checkAnchors on real ledgers' shapes, in process: records' tree claims, the stored checkpoint
 * (signed with a real P-256 ledger key), checkpoints given from outside, pinned statement digests
 * and witnesses' real Ed25519 cosignatures — each problem with its code, index, file and message.
 */
import { describe, expect, it } from '@jest/globals';
import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';

import { checkpointKeyName } from '../../src/checkpoint/checkpoint-name.js';
import { leafHash } from '../../src/checkpoint/merkle.js';
import { cosign, formatCheckpointBody, signNote } from '../../src/checkpoint/note.js';
import { TreeState } from '../../src/checkpoint/tree-state.js';
import { LedgerError } from '../../src/errors.js';
import { publicKeyPem } from '../../src/sign/keys.js';
import type { StoredCheckpoint } from '../../src/store/types.js';
import {
  checkAnchors,
  defaultWitnessName,
  witnessKey,
  type AnchorOptions,
  type AnchorRecord,
  type AnchorReport,
} from '../../src/verify/anchors.js';
import type { ProblemCode } from '../../src/verify/problems.js';

const ORIGIN = 'github.com/acme/model#main';

interface Reported {
  code: ProblemCode;
  index: number | null;
  file: string | null;
  message: string;
}

const ledgerKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const otherKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const witness = generateKeyPairSync('ed25519');
const secondWitness = generateKeyPairSync('ed25519');

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** A record as the test edits it: its payload, hashed into the leaf when it is checked. */
type TestRecord = Omit<AnchorRecord, 'leafHash'> & { payload: Buffer };

/** `count` records, each claiming the true tree of the records before it. */
function ledger(count: number): TestRecord[] {
  const payloads = Array.from({ length: count }, (_, at) =>
    Buffer.from(JSON.stringify({ record: at, model: `weights ${at}` })),
  );
  return payloads.map((payload, index) => ({
    index,
    payload,
    statementSha256: sha256(payload),
    tree: TreeState.ofLeaves(payloads.slice(0, index)).toRecord(),
    file: `${String(index).padStart(6, '0')}-${sha256(payload).slice(0, 12)}.sigstore.json`,
  }));
}

/** The checkpoint body of the first `size` records of `records`. */
function body(records: TestRecord[], size: number, origin = ORIGIN): string {
  return formatCheckpointBody({
    origin,
    size,
    rootHash: TreeState.ofLeaves(records.slice(0, size).map((record) => record.payload)).root(),
  });
}

function signed(text: string, privateKey: KeyObject = ledgerKey.privateKey, origin = ORIGIN): string {
  return signNote(text, { name: checkpointKeyName(origin), privateKey });
}

function run(
  records: TestRecord[],
  options: AnchorOptions = {},
  stored: StoredCheckpoint | null = null,
  origin: string | null = ORIGIN,
  keys: KeyObject[] = [ledgerKey.publicKey],
): { summary: AnchorReport; problems: Reported[] } {
  const problems: Reported[] = [];
  const leaves = records.map(({ payload, ...record }) => ({ ...record, leafHash: leafHash(payload) }));
  const summary = checkAnchors(leaves, origin, stored, keys, options, (code, index, file, message) =>
    problems.push({ code, index, file, message }),
  );
  return { summary, problems };
}

const stored = (text: string, size: number): StoredCheckpoint => ({
  size,
  text,
  uri: `checkpoints/model-ledger-${String(size - 1).padStart(6, '0')}.checkpoint`,
});

describe('checkAnchors: the ledger against itself', () => {
  it('passes an intact ledger and its own signed checkpoint, and says nothing anchors it', () => {
    const records = ledger(4);
    const { summary, problems } = run(records, {}, stored(signed(body(records, 4)), 4));
    expect(problems).toEqual([]);
    expect(summary).toEqual({
      anchored: false,
      origin: ORIGIN,
      size: 4,
      rootHash: TreeState.ofLeaves(records.map((record) => record.payload))
        .root()
        .toString('base64'),
      anchors: [],
    });
  });

  it('reports a record whose tree claim is not the tree of the records before it', () => {
    const records = ledger(4);
    // Record 2 claims the tree of records 0–1 as they were before record 1 was replaced.
    const replaced = ledger(4);
    (replaced[1] as TestRecord).payload = Buffer.from('a replaced record 1');
    (replaced[2] as TestRecord).tree = records[2]?.tree;
    const { problems } = run(replaced);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatchObject({ code: 'TREE', index: 2, file: replaced[2]?.file });
    expect(problems[0]?.message).toMatch(
      /^record 2 \(.+\) says the ledger before it was a tree of 2 records that is not the tree of records 0–1: records before it were changed or removed$/,
    );
    expect(problems[1]).toMatchObject({ code: 'TREE', index: 3 });
  });

  it('reports a record whose tree claim is not a tree state at all', () => {
    const records = ledger(3);
    (records[2] as TestRecord).tree = { size: 2, hashes: [] };
    const { problems } = run(records);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'TREE', index: 2, file: records[2]?.file });
    expect(problems[0]?.message).toMatch(
      new RegExp(
        `^${records[2]?.file}: .*record 2: chain\\.tree is not a tree state \\(a tree of 2 leaves has 1 subtree roots, not 0\\)$`,
      ),
    );
  });

  it('accepts records that make no tree claim (made before trees were recorded)', () => {
    const records = ledger(3).map(({ tree: _tree, ...rest }) => rest);
    expect(run(records).problems).toEqual([]);
  });

  it('reports a malformed stored checkpoint and checks nothing more of it', () => {
    const records = ledger(2);
    const { problems } = run(records, {}, stored('not a checkpoint\n', 2));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'CHECKPOINT', index: null, file: stored('', 2).uri });
    expect(problems[0]?.message).toMatch(/^the ledger's checkpoint .+ is malformed: /);
  });

  it("reports a stored checkpoint that is not signed by the ledger's key", () => {
    const records = ledger(3);
    const { problems } = run(records, {}, stored(signed(body(records, 3), otherKey.privateKey), 3));
    expect(problems).toEqual([
      {
        code: 'CHECKPOINT',
        index: null,
        file: stored('', 3).uri,
        message: `the ledger's checkpoint ${stored('', 3).uri} is not signed by the ledger's key`,
      },
    ]);
  });

  it('reports a stored checkpoint whose ledger-key signature does not verify', () => {
    const records = ledger(3);
    const rewritten = ledger(3);
    (rewritten[0] as TestRecord).payload = Buffer.from('rewritten record 0');
    const good = signed(body(rewritten, 3));
    // The ledger's signature line over another body: the key matches, the signature does not.
    const forged = `${body(records, 3)}\n${good.split('\n\n')[1]}`;
    const { problems } = run(records, {}, stored(forged, 3));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'CHECKPOINT', index: null, file: stored('', 3).uri });
    expect(problems[0]?.message).toMatch(/^the ledger's checkpoint \S+: /);
    expect(problems[0]?.message).not.toMatch(/is not signed by the ledger's key/);
  });

  it('skips the signature of the stored checkpoint when the ledger has no origin or no key', () => {
    const records = ledger(2);
    const foreign = stored(signed(body(records, 2), otherKey.privateKey), 2);
    expect(run(records, {}, foreign, ORIGIN, []).problems).toEqual([]);
    expect(run(records, {}, foreign, null).problems).toEqual([]);
  });

  it('reports a stored checkpoint ahead of the records: the newest were removed', () => {
    const records = ledger(5);
    const { problems } = run(records.slice(0, 3), {}, stored(signed(body(records, 5)), 5));
    expect(problems).toEqual([
      {
        code: 'TRUNCATED',
        index: 3,
        file: stored('', 5).uri,
        message: `checkpoint ${stored('', 5).uri} covers 5 records, but the ledger holds 3: records 3–4 were removed (truncated or rolled back)`,
      },
    ]);
  });
});

describe('checkAnchors: checkpoints and digests given from outside', () => {
  it('passes a ledger that extends an earlier checkpoint, and reports that it is anchored', () => {
    const records = ledger(5);
    const { summary, problems } = run(records, {
      checkpoints: [{ source: 'audit/cp3', text: signed(body(records, 3)) }],
    });
    expect(problems).toEqual([]);
    expect(summary.anchored).toBe(true);
    expect(summary.anchors).toEqual([{ source: 'audit/cp3', size: 3, result: 'extends' }]);
  });

  it('fails a checkpoint of another ledger, one ahead of it, and one of rewritten records', () => {
    const records = ledger(4);
    const rewritten = ledger(4);
    (rewritten[1] as TestRecord).payload = Buffer.from('rewritten');
    const other = 'github.com/acme/other#main';
    const { summary, problems } = run(records, {
      checkpoints: [
        { source: 'other.cp', text: signed(body(records, 2, other), ledgerKey.privateKey, other) },
        { source: 'ahead.cp', text: signed(body(ledger(6), 6)) },
        { source: 'forked.cp', text: signed(body(rewritten, 3)) },
      ],
    });
    expect(summary.anchors).toEqual([
      { source: 'other.cp', size: 2, result: 'failed' },
      { source: 'ahead.cp', size: 6, result: 'failed' },
      { source: 'forked.cp', size: 3, result: 'failed' },
    ]);
    expect(problems.map(({ code, index, file }) => [code, index, file])).toEqual([
      ['ORIGIN', null, 'other.cp'],
      ['TRUNCATED', 4, 'ahead.cp'],
      ['INCONSISTENT', null, 'forked.cp'],
    ]);
    expect(problems[0]?.message).toBe(`checkpoint other.cp is of ledger ${other}, not ${ORIGIN}`);
    expect(problems[1]?.message).toMatch(
      /covers 6 records, but the ledger holds 4: records 4–5 were removed/,
    );
    expect(problems[2]?.message).toMatch(
      /^the ledger's first 3 records are not those checkpoint forked\.cp covered \(root .+ instead of .+\): records were rewritten, replaced or forked$/,
    );
  });

  it('accepts a checkpoint of any origin when the ledger has none', () => {
    const records = ledger(2);
    const other = 'example.com/elsewhere';
    const { problems, summary } = run(
      records,
      { checkpoints: [{ source: 'cp', text: signed(body(records, 2, other), ledgerKey.privateKey, other) }] },
      null,
      null,
    );
    expect(problems).toEqual([]);
    expect(summary.origin).toBeNull();
    expect(summary.anchors[0]?.result).toBe('extends');
  });

  it('reports a malformed checkpoint file and does not count it as an anchor', () => {
    const { summary, problems } = run(ledger(2), {
      checkpoints: [{ source: 'notes.txt', text: 'hello\n' }],
    });
    expect(summary.anchored).toBe(false);
    expect(summary.anchors).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'CHECKPOINT', index: null, file: 'notes.txt' });
    expect(problems[0]?.message).toMatch(/^checkpoint notes\.txt is malformed: /);
  });

  it('finds a pinned statement digest among the records, and reports one that is not', () => {
    const records = ledger(3);
    const kept = records[1]?.statementSha256 as string;
    const gone = sha256(Buffer.from('a removed record'));
    const { summary, problems } = run(records, { pinnedStatements: [kept, gone] });
    expect(summary.anchored).toBe(true);
    expect(summary.anchors).toEqual([
      { source: `sha256:${kept}`, size: 2, result: 'extends' },
      { source: `sha256:${gone}`, size: 0, result: 'failed' },
    ]);
    expect(problems).toEqual([
      {
        code: 'TRUNCATED',
        index: null,
        file: null,
        message: `no record of the ledger has statement sha256:${gone.slice(0, 12)}…, which was pinned as one of its records: it was removed, or the ledger rewritten`,
      },
    ]);
  });
});

describe('checkAnchors: witnesses', () => {
  const name = 'witness.example/w1';
  const w1 = { name, publicKey: witness.publicKey };
  const w2 = { name: 'witness.example/w2', publicKey: secondWitness.publicKey };
  const cosigned = (records: TestRecord[], size: number, time: Date, key = witness.privateKey, as = name) =>
    `${signed(body(records, size))}${cosign(body(records, size), { name: as, privateKey: key }, time)
      .split('\n\n')
      .slice(1)
      .join('\n\n')}`;
  const t0 = new Date('2026-01-01T00:00:00Z');

  it('passes a ledger whose whole length a witness cosigned, naming the witness', () => {
    const records = ledger(3);
    const { summary, problems } = run(records, {
      checkpoints: [{ source: 'cosigned.cp', text: cosigned(records, 3, t0) }],
      witnesses: [w1],
    });
    expect(problems).toEqual([]);
    expect(summary.anchored).toBe(true);
    expect(summary.anchors).toEqual([
      { source: 'cosigned.cp', size: 3, result: 'extends', witnesses: [name] },
    ]);
  });

  it('reports records after the newest cosigned checkpoint, unless it is recent enough', () => {
    const records = ledger(5);
    const options: AnchorOptions = {
      checkpoints: [
        { source: 'old.cp', text: cosigned(records, 2, t0) },
        { source: 'newer.cp', text: cosigned(records, 3, t0) },
      ],
      witnesses: [w1],
    };
    const late = run(records, options).problems;
    expect(late).toEqual([
      {
        code: 'UNWITNESSED',
        index: 3,
        file: 'newer.cp',
        message: `the newest cosigned checkpoint (newer.cp) covers 3 of 5 records, cosigned ${t0.toISOString()}: records 3–4 are not witnessed`,
      },
    ]);
    const hour = 3_600_000;
    const recent = { ...options, maxWitnessAgeMs: hour, now: new Date(t0.getTime() + hour / 2) };
    expect(run(records, recent).problems).toEqual([]);
    const stale = { ...options, maxWitnessAgeMs: hour, now: new Date(t0.getTime() + 2 * hour) };
    const problems = run(records, stale).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toMatch(/records 3–4 are not witnessed within --max-witness-age$/);
  });

  it('takes a plain Ed25519 signature of the witness key as a cosignature without a time', () => {
    const records = ledger(4);
    const text = signNote(body(records, 2), [
      { name: checkpointKeyName(ORIGIN), privateKey: ledgerKey.privateKey },
      { name, privateKey: witness.privateKey },
    ]);
    const options: AnchorOptions = {
      checkpoints: [{ source: 'plain.cp', text }],
      witnesses: [w1],
      maxWitnessAgeMs: Number.MAX_SAFE_INTEGER,
    };
    const { summary, problems } = run(records, options);
    expect(summary.anchors[0]?.witnesses).toEqual([name]);
    // No time: never recent enough, whatever the maximum age.
    expect(problems).toEqual([
      {
        code: 'UNWITNESSED',
        index: 2,
        file: 'plain.cp',
        message:
          'the newest cosigned checkpoint (plain.cp) covers 2 of 4 records: records 2–3 are not witnessed within --max-witness-age',
      },
    ]);
  });

  it('requires the threshold of cosignatures, and reports when no checkpoint carries them', () => {
    const records = ledger(2);
    const { summary, problems } = run(records, {
      checkpoints: [{ source: 'one.cp', text: cosigned(records, 2, t0) }],
      witnesses: [w1, w2],
    });
    expect(summary.anchors[0]?.witnesses).toEqual([name]);
    expect(problems).toEqual([
      {
        code: 'UNWITNESSED',
        index: null,
        file: null,
        message:
          "no checkpoint given carries 2 cosignature(s) of the witness key(s) given: pass the witness's cosigned checkpoint with --checkpoint",
      },
    ]);
    const lowered = run(records, {
      checkpoints: [{ source: 'one.cp', text: cosigned(records, 2, t0) }],
      witnesses: [w1, w2],
      witnessThreshold: 1,
    });
    expect(lowered.problems).toEqual([]);
  });

  it('reports a witness signature that does not verify, and counts no witness for it', () => {
    const records = ledger(2);
    // w1's name over another key's cosignature: the key ID is w1's only if the key is; so forge the
    // signature bytes of a genuine cosignature instead.
    const genuine = cosigned(records, 2, t0);
    const lines = genuine.split('\n');
    const at = lines.findIndex((line) => line.startsWith(`\u2014 ${name} `));
    const [dash, who, sig] = (lines[at] as string).split(' ');
    const bytes = Buffer.from(sig as string, 'base64');
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 0xff;
    lines[at] = `${dash} ${who} ${bytes.toString('base64')}`;
    const { summary, problems } = run(records, {
      checkpoints: [{ source: 'bad.cp', text: lines.join('\n') }],
      witnesses: [w1],
    });
    expect(summary.anchors).toEqual([{ source: 'bad.cp', size: 2, result: 'extends', witnesses: [] }]);
    expect(problems.map(({ code, file }) => [code, file])).toEqual([
      ['UNWITNESSED', 'bad.cp'],
      ['UNWITNESSED', null],
    ]);
    expect(problems[0]?.message).toMatch(/^checkpoint bad\.cp: a witness signature does not verify \(.+\)$/);
  });

  it('requires a witness even when no checkpoint is given', () => {
    const { summary, problems } = run(ledger(1), { witnesses: [w1] });
    expect(summary.anchored).toBe(true);
    expect(problems.map((problem) => problem.code)).toEqual(['UNWITNESSED']);
  });
});

describe('witnessKey', () => {
  it('reads a witness public key, named as given or after its key', () => {
    const pem = publicKeyPem(witness.publicKey);
    const named = witnessKey(pem, 'witness.example/w1', 'w1.pub.pem');
    expect(named.name).toBe('witness.example/w1');
    expect(named.publicKey.equals(witness.publicKey)).toBe(true);
    const unnamed = witnessKey(pem, undefined, 'w1.pub.pem');
    expect(unnamed.name).toBe(defaultWitnessName(witness.publicKey));
    expect(unnamed.name).toMatch(/^witness-[0-9a-f]{16}$/);
    expect(defaultWitnessName(secondWitness.publicKey)).not.toBe(unnamed.name);
  });

  it('refuses what is not a public key, naming the file', () => {
    let caught: unknown;
    try {
      witnessKey('-----BEGIN PUBLIC KEY-----\nnot base64\n-----END PUBLIC KEY-----\n', undefined, 'w.pem');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(LedgerError);
    expect(caught).toMatchObject({ code: 'BAD_INPUT', file: 'w.pem' });
    expect((caught as LedgerError).message).toMatch(/is not a public key \(/);
  });
});
