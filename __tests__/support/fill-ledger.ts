/**
 * A key-signed local ledger made directly through the library: real signed, linked records with
 * their checkpoints, hundreds a second (the CLI makes a few). For tests and benchmarks of reading.
 */
import { createPublicKey } from 'node:crypto';

import { checkpointKeyName } from '../../src/checkpoint/checkpoint-name.js';
import { formatCheckpointBody } from '../../src/checkpoint/note.js';
import { TreeState } from '../../src/checkpoint/tree-state.js';
import { sha256Hex } from '../../src/hash/file.js';
import { buildStatement, serializeStatement } from '../../src/record/statement.js';
import { KeySigner } from '../../src/sign/key-signer.js';
import { generateKeyPair, keyHint, parsePrivateKey } from '../../src/sign/keys.js';
import { LocalStore } from '../../src/store/local.js';
import { makePredicate } from './predicate.js';

export const FILLED_ORIGIN = 'github.com/acme/model#main';

/** Writes `size` records into the local ledger `dir`; returns the signing key's public PEM. */
export async function fillLedger(dir: string, size: number): Promise<string> {
  const signer = new KeySigner(parsePrivateKey(generateKeyPair().privateKeyPem, 'fill key'));
  const pem = signer.publicKeyPem;
  const hint = keyHint(createPublicKey(pem));
  const store = new LocalStore(dir);
  let tree = TreeState.empty();
  let previous: { statementSha256: string; bundleSha256: string; uri: string } | null = null;
  for (let index = 0; index < size; index++) {
    const predicate = makePredicate({
      recordedAt: new Date(Date.UTC(2026, 0, 1) + index * 60_000).toISOString(),
      chain: { origin: FILLED_ORIGIN, index, previous, tree: tree.toRecord() },
      change: { reason: `change ${index}`, reasonSource: 'input', implementedBy: [], approvedBy: [] },
      models: [
        { name: 'model.bin', kind: 'file', digest: { sha256: sha256Hex(Buffer.from(`w${index}`)) }, size: 3 },
      ],
    });
    const payload = serializeStatement(buildStatement(predicate));
    const bundle = Buffer.from(`${JSON.stringify(await signer.signStatement(payload), null, 2)}\n`);
    tree = tree.append(payload);
    const note = signer.signNote(
      formatCheckpointBody({ origin: FILLED_ORIGIN, size: tree.size, rootHash: tree.root() }),
      checkpointKeyName(FILLED_ORIGIN),
    );
    const statementSha256 = sha256Hex(payload);
    const ref = await store.put({
      index,
      statementSha256,
      bundle,
      attachments: [],
      publicKey: { hint, pem },
      checkpoint: note,
    });
    previous = { statementSha256, bundleSha256: sha256Hex(bundle), uri: ref.name };
  }
  return pem;
}
