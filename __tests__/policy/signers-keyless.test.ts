import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';

import type { Statement } from '../../src/record/predicate.js';
import { runCli } from '../support/cli.js';
import { DEFAULT_ISSUER } from '../support/oidc.js';
import { createTempRepo, type TempRepo } from '../support/repo.js';
import { startSigstoreStack, type SigstoreStack } from '../support/sigstore-stack.js';

const RELEASE = 'https://github.com/acme/fraud-model/.github/workflows/release.yml@refs/heads/main';

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

function signersPolicy(pattern: string): string {
  return `version: 1\nsigners:\n  - identity-regexp: ${pattern}\n    issuer: ${DEFAULT_ISSUER}\n`;
}

async function recordKeyless(version: string): Promise<Statement> {
  await repo.write('model.bin', `weights ${version}`);
  repo.commit(`train ${version}`);
  const env = { ...repo.env, SIGSTORE_ID_TOKEN: await stack.token({ sub: RELEASE }) };
  const flags = ['--fulcio-url', stack.fulcioUrl, '--rekor-url', stack.rekorUrl, '--tsa-url', stack.tsaUrl];
  const run = await runCli(
    [
      'record',
      '--json',
      '--keyless',
      ...flags,
      '--trusted-root',
      stack.trustedRootFile,
      '--models',
      'model.bin',
    ],
    repo.dir,
    env,
  );
  expect(run.status).toBe(0);
  const { bundlePath } = JSON.parse(run.stdout) as { bundlePath: string };
  const bundle = JSON.parse(await readFile(bundlePath, 'utf8')) as { dsseEnvelope: { payload: string } };
  return JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8')) as Statement;
}

describe('the signers rule with keyless signing', () => {
  it('is deferred at record time and decided by verify --policy with the certificate’s identity', async () => {
    await repo.write('model-ledger.policy.yml', signersPolicy('^https://github\\.com/acme/'));
    const first = await recordKeyless('1');
    await recordKeyless('2');
    expect(first.predicate.policy?.results).toEqual([
      {
        rule: 'signers',
        level: 'enforce',
        outcome: 'deferred',
        message:
          'signed keyless: the signer is known only once Fulcio has issued the certificate, so this rule is checked by `model-ledger verify --policy`',
      },
    ]);

    const allowed = await runCli(
      ['verify', '--trusted-root', stack.trustedRootFile, '--policy', 'model-ledger.policy.yml'],
      repo.dir,
      repo.env,
    );
    expect(allowed.stderr).not.toMatch(/FAIL/);
    expect(allowed.status).toBe(0);
    expect(allowed.stdout).toMatch(/record 1 \(.*\): ok, 1 rule checked; recorded under this policy/);

    await repo.write('release-only.yml', signersPolicy('^https://github\\.com/acme/other/'));
    const refused = await runCli(
      ['verify', '--trusted-root', stack.trustedRootFile, '--policy', 'release-only.yml'],
      repo.dir,
      repo.env,
    );
    expect(refused.status).toBe(1);
    for (const index of [0, 1]) {
      expect(refused.stderr).toContain(`FAIL POLICY_VIOLATION: record ${index} (`);
    }
    expect(refused.stderr).toContain(
      `breaks signers of policy release-only.yml: signed by ${RELEASE} (issuer ${DEFAULT_ISSUER}), which no entry allows`,
    );
  });
});
