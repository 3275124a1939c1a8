import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createHash, X509Certificate } from 'node:crypto';
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { parseNote, verifyNote } from '../src/checkpoint/note.js';
import { checkpointKeyName } from '../src/checkpoint/checkpoint-name.js';
import { KeylessSigner } from '../src/sign/keyless.js';
import { runCli } from './support/cli.js';
import { createTempRepo, type TempRepo } from './support/repo.js';
import { startSigstoreStack, type SigstoreStack } from './support/sigstore-stack.js';

const RELEASE = 'https://github.com/acme/fraud-model/.github/workflows/release.yml@refs/heads/main';
const OTHER = 'https://github.com/mallory/fork/.github/workflows/release.yml@refs/heads/main';

let stack: SigstoreStack;
let repo: TempRepo;

beforeAll(async () => {
  stack = await startSigstoreStack();
});
afterAll(async () => {
  await stack.close();
});
beforeEach(async () => {
  repo = await createTempRepo();
});
afterEach(async () => {
  await repo.cleanup();
});

const flags = (): string[] => [
  '--fulcio-url',
  stack.fulcioUrl,
  '--rekor-url',
  stack.rekorUrl,
  '--tsa-url',
  stack.tsaUrl,
  '--trusted-root',
  stack.trustedRootFile,
];

async function recordKeyless(version: string): Promise<{ checkpoint?: string; index: number }> {
  await repo.write('model.bin', `weights ${version}`);
  repo.commit(`train ${version}`);
  const env = { ...repo.env, SIGSTORE_ID_TOKEN: await stack.token({ sub: RELEASE }) };
  const result = await runCli(
    ['record', '--json', '--keyless', ...flags(), '--models', 'model.bin'],
    repo.dir,
    env,
  );
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout) as { checkpoint?: string; index: number };
}

const checkpointsDir = (): string => join(repo.dir, '.model-ledger', 'checkpoints');
const verify = (): Promise<{ status: number; stderr: string; stdout: string }> =>
  runCli(['verify', '--trusted-root', stack.trustedRootFile], repo.dir, repo.env);

describe('keyless checkpoints', () => {
  it('are signed notes whose key is the certificate key of a bundle naming the ledger signer', async () => {
    await recordKeyless('1');
    await recordKeyless('2');
    const names = (await readdir(checkpointsDir())).sort();
    expect(names).toEqual([
      'model-ledger-000000.checkpoint',
      'model-ledger-000000.checkpoint.sigstore.json',
      'model-ledger-000001.checkpoint',
      'model-ledger-000001.checkpoint.sigstore.json',
    ]);
    const note = await readFile(join(checkpointsDir(), 'model-ledger-000001.checkpoint'), 'utf8');
    const bundle = JSON.parse(
      await readFile(join(checkpointsDir(), 'model-ledger-000001.checkpoint.sigstore.json'), 'utf8'),
    ) as {
      messageSignature: { messageDigest: { digest: string } };
      verificationMaterial: {
        x509CertificateChain: { certificates: { rawBytes: string }[] };
        tlogEntries: { kindVersion: { kind: string } }[];
      };
    };
    const body = parseNote(note).text;
    expect(body.split('\n')[1]).toBe('2');
    // The bundle signs exactly the note's body, and is logged as a hashedrekord entry.
    expect(Buffer.from(bundle.messageSignature.messageDigest.digest, 'base64').toString('hex')).toBe(
      createHash('sha256').update(body).digest('hex'),
    );
    expect(bundle.verificationMaterial.tlogEntries[0]?.kindVersion.kind).toBe('hashedrekord');
    const leaf = bundle.verificationMaterial.x509CertificateChain.certificates[0]?.rawBytes ?? '';
    const certificate = new X509Certificate(Buffer.from(leaf, 'base64'));
    expect(certificate.subjectAltName).toContain(RELEASE);
    const origin = body.split('\n')[0] as string;
    const checked = verifyNote(note, [{ name: checkpointKeyName(origin), publicKey: certificate.publicKey }]);
    expect(checked.verified).toHaveLength(1);

    const result = await verify();
    expect(result.stderr).not.toContain('CHECKPOINT');
    expect(result.status).toBe(0);

    const out = join(repo.dir, 'saved.checkpoint');
    const printed = await runCli(
      ['checkpoint', '--trusted-root', stack.trustedRootFile, '--out', out],
      repo.dir,
      repo.env,
    );
    expect(printed.status).toBe(0);
    expect(await readFile(out, 'utf8')).toBe(note);
    expect(await readFile(`${out}.sigstore.json`, 'utf8')).toContain('messageSignature');
  });

  it('fail verification when the bundle is missing, or signed by another identity', async () => {
    await recordKeyless('1');
    await recordKeyless('2');
    const note = join(checkpointsDir(), 'model-ledger-000001.checkpoint');
    const bundle = `${note}.sigstore.json`;
    const original = await readFile(bundle);

    await rm(bundle);
    const missing = await verify();
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/FAIL CHECKPOINT: .*has no signature bundle/);

    // Someone who can get a certificate for another identity signs the same checkpoint body.
    const body = parseNote(await readFile(note, 'utf8')).text;
    const origin = body.split('\n')[0] as string;
    const token = await stack.token({ sub: OTHER });
    const mallory = new KeylessSigner({
      instance: {
        name: 'custom',
        fulcioUrl: stack.fulcioUrl,
        rekorUrl: stack.rekorUrl,
        tsaUrl: stack.tsaUrl,
      },
      identity: { source: 'test', getToken: () => Promise.resolve(token) },
      retries: 0,
    });
    const forged = await mallory.signCheckpoint(body, checkpointKeyName(origin));
    await writeFile(note, forged.note);
    await writeFile(bundle, JSON.stringify(forged.bundle));
    const other = await verify();
    expect(other.status).toBe(1);
    expect(other.stderr).toMatch(/FAIL CHECKPOINT: the signature bundle of checkpoint .* does not verify/);

    // The genuine bundle with a note signed by another key: the note's signature fails.
    await writeFile(bundle, original);
    const mismatched = await verify();
    expect(mismatched.status).toBe(1);
    expect(mismatched.stderr).toMatch(
      /FAIL CHECKPOINT: the ledger's checkpoint .* is not signed by the ledger's key/,
    );
  });
});
