/**
 * Every model a record covers gets an OpenSSF Model Signing signature from the record's signer,
 * computed from the digests the record already has (no second pass over the bytes), which
 * `verify-model` (as model_signing would) accepts for the model as it is in the repository.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { record } from '../../src/run/record.js';
import { signModels } from '../../src/run/model-signatures.js';
import { KeySigner } from '../../src/sign/key-signer.js';
import { generateKeyPair, parsePrivateKey } from '../../src/sign/keys.js';
import { runCli } from '../support/cli.js';
import { createTempRepo, type TempRepo } from '../support/repo.js';

let repo: TempRepo;
const key = generateKeyPair();
beforeEach(async () => {
  repo = await createTempRepo();
});
afterEach(async () => {
  await repo.cleanup();
});

describe('model signatures in records', () => {
  it('signs a model directory from the digests the record computed, and verify-model accepts it', async () => {
    await repo.write('model/config.json', '{"layers": 2}');
    await repo.write('model/weights.bin', 'w'.repeat(100_000));
    await repo.write('model/tokenizer/vocab.txt', 'a\nb\n');
    repo.commit('train');
    const ledgerDir = join(repo.dir, '.model-ledger');
    const result = await record({
      cwd: repo.dir,
      env: repo.env,
      ledgerDir,
      models: ['model'],
      signing: 'key',
      keyPem: key.privateKeyPem,
    });
    const entry = result.statement.predicate.models[0];
    expect(entry?.signature?.stored).toMatch(/^[0-9a-f]{64}\.model\.sig$/);
    const sigFile = join(ledgerDir, 'manifests', entry?.signature?.stored ?? '');
    await writeFile(join(repo.dir, '..', 'pub.pem'), key.publicKeyPem);
    const verified = await runCli(
      ['verify-model', 'model', '--signature', sigFile, '--key', join(repo.dir, '..', 'pub.pem')],
      repo.dir,
      repo.env,
    );
    expect(verified.stderr).toBe('');
    expect(verified.status).toBe(0);
    // The signed OMS statement names the model and its three files.
    const bundle = JSON.parse(await readFile(sigFile, 'utf8')) as { dsseEnvelope: { payload: string } };
    const statement = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8')) as {
      predicateType: string;
      predicate: { resources: { name: string }[] };
    };
    expect(statement.predicateType).toBe('https://model_signing/signature/v1.0');
    expect(statement.predicate.resources.map((resource) => resource.name).sort()).toEqual([
      'config.json',
      'tokenizer/vocab.txt',
      'weights.bin',
    ]);

    // Without the record's digests the model is hashed again; with them, not a byte.
    const signer = new KeySigner(parsePrivateKey(key.privateKeyPem, 'key'));
    const again = await signModels({
      root: repo.dir,
      models: result.statement.predicate.models,
      attachments: [],
      signer,
      hash: { noCache: true },
    });
    expect(again.reusedFiles).toBe(3);
    expect(again.hashedBytes).toBe(0);
  });

  it('records a model it cannot sign, with a warning, instead of refusing it', async () => {
    await repo.write('model/weights.bin', 'weights');
    await symlink('weights.bin', join(repo.dir, 'model', 'alias.bin'));
    repo.commit('train');
    const result = await record({
      cwd: repo.dir,
      env: repo.env,
      ledgerDir: join(repo.dir, '.model-ledger'),
      models: ['model'],
      signing: 'key',
      keyPem: key.privateKeyPem,
    });
    const entry = result.statement.predicate.models[0];
    expect(entry?.signature).toBeUndefined();
    expect(entry?.warnings).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'MODEL_SIGNATURE' })]),
    );
  });

  it('can be turned off', async () => {
    await repo.write('model.bin', 'weights');
    repo.commit('train');
    const result = await record({
      cwd: repo.dir,
      env: repo.env,
      ledgerDir: join(repo.dir, '.model-ledger'),
      models: ['model.bin'],
      signing: 'key',
      keyPem: key.privateKeyPem,
      modelSignatures: false,
    });
    expect(result.statement.predicate.models[0]?.signature).toBeUndefined();
  });
});
