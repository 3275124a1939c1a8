import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { createTempRepo, type TempRepo } from './support/repo.js';
import { runCli } from './support/cli.js';
import { describeWithTools } from './support/tools.js';

/** A verifier needs none of our code: openssl checks signatures, jq/base64/sha256sum the chain. */
let repo: TempRepo;
let ledger: string;
let files: string[];

function sh(script: string, cwd: string): string {
  return execFileSync('bash', ['-euo', 'pipefail', '-c', script], { cwd, encoding: 'utf8' }).trim();
}

beforeAll(async () => {
  repo = await createTempRepo();
  ledger = join(repo.dir, '.model-ledger');
  expect((await runCli(['keygen', '--out', 'team'], repo.dir, repo.env)).status).toBe(0);
  for (const version of [1, 2, 3]) {
    await repo.write('model.bin', `weights ${version}`);
    repo.commit(`train ${version}`);
    expect(
      (
        await runCli(
          ['record', '--json', '--key', 'team.key.pem', '--models', 'model.bin'],
          repo.dir,
          repo.env,
        )
      ).status,
    ).toBe(0);
  }
  files = (await readdir(ledger)).filter((name) => name.endsWith('.sigstore.json')).sort();
});
afterAll(async () => {
  await repo.cleanup();
});

describeWithTools(['jq', 'openssl'])('verification with standard tools alone', () => {
  it('each DSSE signature verifies with openssl over the PAE', async () => {
    for (const file of files) {
      const bundle = JSON.parse(await readFile(join(ledger, file), 'utf8')) as {
        dsseEnvelope: { payload: string; payloadType: string; signatures: { sig: string }[] };
      };
      const payload = Buffer.from(bundle.dsseEnvelope.payload, 'base64');
      const type = bundle.dsseEnvelope.payloadType;
      const pae = Buffer.concat([
        Buffer.from(`DSSEv1 ${Buffer.byteLength(type)} ${type} ${payload.length} `),
        payload,
      ]);
      await writeFile(join(repo.dir, 'pae.bin'), pae);
      await writeFile(
        join(repo.dir, 'sig.der'),
        Buffer.from(bundle.dsseEnvelope.signatures[0]?.sig ?? '', 'base64'),
      );
      expect(sh('openssl dgst -sha256 -verify team.pub.pem -signature sig.der pae.bin', repo.dir)).toBe(
        'Verified OK',
      );
    }
  });

  it('the chain recomputes with jq, base64 and sha256sum', () => {
    for (let index = 1; index < files.length; index++) {
      const before = join(ledger, files[index - 1] as string);
      const after = join(ledger, files[index] as string);
      const statementSha = sh(
        `jq -r .dsseEnvelope.payload '${before}' | base64 -d | sha256sum | cut -d' ' -f1`,
        repo.dir,
      );
      const bundleSha = sh(`sha256sum '${before}' | cut -d' ' -f1`, repo.dir);
      const linked = sh(
        `jq -r .dsseEnvelope.payload '${after}' | base64 -d | jq -r '.predicate.chain.previous | "\\(.statementSha256) \\(.bundleSha256)"'`,
        repo.dir,
      );
      expect(linked).toBe(`${statementSha} ${bundleSha}`);
      expect(files[index - 1]?.slice(7, 19)).toBe(statementSha.slice(0, 12));
    }
  });

  it('the subject digest is what sha256sum prints for the model file', () => {
    const head = join(ledger, files[files.length - 1] as string);
    const subject = sh(
      `jq -r .dsseEnvelope.payload '${head}' | base64 -d | jq -r '.subject[0].digest.sha256'`,
      repo.dir,
    );
    expect(subject).toBe(sh('sha256sum model.bin | cut -d" " -f1', repo.dir));
  });
});
