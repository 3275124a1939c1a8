import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { createTempRepo, type TempRepo } from './support/repo.js';
import { runCli } from './support/cli.js';

let repo: TempRepo;
let ledger: string;

beforeEach(async () => {
  repo = await createTempRepo();
  ledger = join(repo.dir, '.model-ledger');
  await repo.write('model.bin', 'weights');
  repo.commit('first model');
  expect((await runCli(['keygen', '--out', 'keys/team'], repo.dir, repo.env)).status).toBe(0);
  expect(
    (
      await runCli(
        ['record', '--json', '--key', 'keys/team.key.pem', '--models', 'model.bin'],
        repo.dir,
        repo.env,
      )
    ).status,
  ).toBe(0);
});
afterEach(async () => {
  await chmod(ledger, 0o755).catch(() => undefined);
  await repo.cleanup();
});

async function ledgerSnapshot(): Promise<string[]> {
  return (await readdir(ledger, { recursive: true })).sort();
}

/** Runs a record that must fail with exit 2 and one clear line, writing nothing to the ledger. */
async function expectRejected(args: string[], message: RegExp): Promise<void> {
  const before = await ledgerSnapshot();
  const run = await runCli(['record', '--json', ...args], repo.dir, repo.env);
  expect(run.status).toBe(2);
  expect(run.stderr).toMatch(message);
  expect(run.stderr.split('\n')).toHaveLength(1);
  expect(await ledgerSnapshot()).toEqual(before);
}

describe('bad input is a one-line error, exit 2, and nothing written', () => {
  it('a missing model file', async () => {
    await expectRejected(
      ['--key', 'keys/team.key.pem', '--models', 'models/absent.bin'],
      /models\/absent\.bin: models: model file not found — /,
    );
  });

  it('a glob matching nothing', async () => {
    await expectRejected(
      ['--key', 'keys/team.key.pem', '--models', 'weights/**/*.onnx'],
      /models: the glob "weights\/\*\*\/\*\.onnx" matches no file/,
    );
  });

  it('a wrong key: a public key given as the signing key', async () => {
    await expectRejected(
      ['--key', 'keys/team.pub.pem', '--models', 'model.bin'],
      /keys\/team\.pub\.pem: not a PKCS#8 PEM private key \(this is a public key\)/,
    );
  });

  it('a wrong key: an RSA key', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await repo.write('keys/rsa.pem', privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    await expectRejected(
      ['--key', 'keys/rsa.pem', '--models', 'model.bin'],
      /keys\/rsa\.pem: is a rsa key; model-ledger signs with ECDSA P-256/,
    );
  });

  it('a corrupt bundle at the head of the ledger', async () => {
    const [head] = (await readdir(ledger)).filter((name) => name.endsWith('.sigstore.json'));
    const file = join(ledger, head as string);
    await writeFile(file, (await readFile(file, 'utf8')).slice(0, 100));
    await expectRejected(
      ['--key', 'keys/team.key.pem', '--models', 'model.bin'],
      /the ledger head does not verify.*is not valid JSON/,
    );
    const verify = await runCli(['verify', '--key', 'keys/team.pub.pem'], repo.dir, repo.env);
    expect(verify.status).toBe(1);
    expect(verify.stderr).toMatch(
      /FAIL CORRUPT: record 0 \(000000-[0-9a-f]{12}\.sigstore\.json\): is not valid JSON/,
    );
  });

  it('an unreadable ledger directory', async () => {
    if (process.getuid?.() === 0) {
      // root reads any directory: make the ledger path a file instead, which no one can list.
      await mkdir(join(repo.dir, 'elsewhere'));
      await writeFile(join(repo.dir, 'elsewhere', 'ledger'), 'not a directory');
    } else {
      await mkdir(join(repo.dir, 'elsewhere', 'ledger'), { recursive: true });
      await chmod(join(repo.dir, 'elsewhere', 'ledger'), 0o000);
    }
    const run = await runCli(['verify', '--store', 'elsewhere/ledger'], repo.dir, repo.env);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/elsewhere\/ledger: cannot read the ledger directory/);
    const rec = await runCli(
      ['record', '--store', 'elsewhere/ledger', '--key', 'keys/team.key.pem'],
      repo.dir,
      repo.env,
    );
    expect(rec.status).toBe(2);
    expect(rec.stderr).toMatch(/elsewhere\/ledger: cannot read the ledger directory/);
  });

  it('a verify key that is not a public key', async () => {
    const run = await runCli(['verify', '--key', 'keys/team.key.pem'], repo.dir, repo.env);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /keys\/team\.key\.pem: not a PEM public key .*never hand a private key to a verifier/,
    );
  });

  it('an unknown flag', async () => {
    const run = await runCli(['record', '--model', 'x'], repo.dir, repo.env);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/record: Unknown option '--model'/);
  });
});
