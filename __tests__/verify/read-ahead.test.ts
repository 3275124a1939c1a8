/**
 * verifyLedger reads a ledger one window of records at a time: a ledger longer than the window
 * verifies whole, a record that cannot be read past the window stops verification with the
 * store's error naming that file (and no read left unhandled), and the trusted root is loaded only
 * when a record needs it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { mkdtemp, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { checkpointKeyName } from '../../src/checkpoint/checkpoint-name.js';
import { formatCheckpointBody } from '../../src/checkpoint/note.js';
import { TreeState } from '../../src/checkpoint/tree-state.js';
import { sha256Hex } from '../../src/hash/file.js';
import { buildStatement, serializeStatement } from '../../src/record/statement.js';
import { KeySigner } from '../../src/sign/key-signer.js';
import { generateKeyPair, keyHint, parsePrivateKey } from '../../src/sign/keys.js';
import { LocalStore } from '../../src/store/local.js';
import type { RecordRef } from '../../src/store/types.js';
import { verifyLedger } from '../../src/verify/ledger.js';
import { makePredicate } from '../support/predicate.js';

const ORIGIN = 'github.com/acme/model#main';
/** More than the 64 records verification reads ahead. */
const RECORDS = 150;

let dir: string;
let refs: RecordRef[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'read-ahead-'));
  const signer = new KeySigner(parsePrivateKey(generateKeyPair().privateKeyPem, 'test key'));
  const pem = signer.publicKeyPem;
  const hint = keyHint(createPublicKey(pem));
  const store = new LocalStore(dir);
  let tree = TreeState.empty();
  let previous: { statementSha256: string; bundleSha256: string; uri: string } | null = null;
  for (let index = 0; index < RECORDS; index++) {
    const predicate = makePredicate({
      recordedAt: new Date(Date.UTC(2026, 0, 1) + index * 60_000).toISOString(),
      chain: { origin: ORIGIN, index, previous, tree: tree.toRecord() },
      models: [
        { name: 'model.bin', kind: 'file', digest: { sha256: sha256Hex(Buffer.from(`w${index}`)) }, size: 2 },
      ],
    });
    const payload = serializeStatement(buildStatement(predicate));
    const bundle = Buffer.from(`${JSON.stringify(await signer.signStatement(payload))}\n`);
    tree = tree.append(payload);
    const statementSha256 = sha256Hex(payload);
    const ref = await store.put({
      index,
      statementSha256,
      bundle,
      attachments: [],
      publicKey: { hint, pem },
      checkpoint: signer.signNote(
        formatCheckpointBody({ origin: ORIGIN, size: tree.size, rootHash: tree.root() }),
        checkpointKeyName(ORIGIN),
      ),
    });
    previous = { statementSha256, bundleSha256: sha256Hex(bundle), uri: ref.name };
  }
  refs = await store.list();
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('verifyLedger, one window at a time', () => {
  it('verifies a ledger longer than its read-ahead window whole, without loading a trusted root', async () => {
    let rootLoads = 0;
    const result = await verifyLedger({
      store: new LocalStore(dir),
      loadTrustedRoot: () => {
        rootLoads += 1;
        return Promise.resolve({});
      },
    });
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.records.map((record) => record.index)).toEqual([...Array(RECORDS).keys()]);
    expect(result.records.every((record) => record.verified && record.signer?.startsWith('key:'))).toBe(true);
    expect(result.head?.index).toBe(RECORDS - 1);
    expect(result.checkpoint).toMatchObject({ size: RECORDS });
    expect(rootLoads).toBe(0);
  });

  it('stops at a record that cannot be read past the window, naming it, with no read left unhandled', async () => {
    const copy = await mkdtemp(join(tmpdir(), 'read-ahead-fifo-'));
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      execFileSync('cp', ['-r', `${dir}/.`, copy]);
      const victim = refs[120] as RecordRef;
      await unlink(join(copy, victim.name));
      // A FIFO where the bundle was: read, it would block forever; the store refuses it.
      execFileSync('mkfifo', [join(copy, victim.name)]);
      const failure = verifyLedger({ store: new LocalStore(copy) });
      await expect(failure).rejects.toMatchObject({ code: 'STORE', file: join(copy, victim.name) });
      await new Promise((settle) => setTimeout(settle, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await rm(copy, { recursive: true, force: true });
    }
  });
});
