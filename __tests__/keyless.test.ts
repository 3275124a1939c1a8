import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';

import { readInputs } from '../src/action/inputs.js';
import { run } from '../src/action/run.js';
import { MemoryLogger } from '../src/log.js';
import { runCli } from './support/cli.js';
import { DEFAULT_ISSUER, DEFAULT_SUBJECT } from './support/oidc.js';
import { createTempRepo, type TempRepo } from './support/repo.js';
import { startSigstoreStack, type SigstoreStack } from './support/sigstore-stack.js';

const RELEASE = 'https://github.com/acme/fraud-model/.github/workflows/release.yml@refs/heads/main';
const DEV = 'https://github.com/acme/fraud-model/.github/workflows/train.yml@refs/heads/dev';

let stack: SigstoreStack;
let tsaOnly: SigstoreStack;
let repo: TempRepo;

beforeAll(async () => {
  stack = await startSigstoreStack();
  tsaOnly = await startSigstoreStack({ services: ['tsa'] });
});
afterAll(async () => {
  await stack.close();
  await tsaOnly.close();
});
beforeEach(async () => {
  repo = await createTempRepo();
});
afterEach(async () => {
  await repo.cleanup();
});

function instanceFlags(s: SigstoreStack): string[] {
  const flags = ['--fulcio-url', s.fulcioUrl, '--tsa-url', s.tsaUrl, '--trusted-root', s.trustedRootFile];
  return s.services.includes('rekor') ? [...flags, '--rekor-url', s.rekorUrl] : flags;
}

async function recordAs(
  s: SigstoreStack,
  subject: string,
  version: string,
): Promise<{ status: number; stderr: string; stdout: string }> {
  await repo.write('model.bin', `weights ${version}`);
  repo.commit(`train ${version}`);
  const env = { ...repo.env, SIGSTORE_ID_TOKEN: await s.token({ sub: subject }) };
  return runCli(
    ['record', '--json', '--keyless', ...instanceFlags(s), '--models', 'model.bin'],
    repo.dir,
    env,
  );
}

describe('keyless records through a loopback Sigstore', () => {
  it("signs with Fulcio + Rekor + TSA and verifies offline, pinned to record 0's identity", async () => {
    for (const version of ['1', '2', '3']) {
      const result = await recordAs(stack, RELEASE, version);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
    }
    const { bundlePath } = JSON.parse((await recordAs(stack, RELEASE, '4')).stdout) as { bundlePath: string };
    const bundle = JSON.parse(await readFile(bundlePath, 'utf8')) as {
      verificationMaterial: {
        certificate?: unknown;
        tlogEntries: unknown[];
        timestampVerificationData: { rfc3161Timestamps: unknown[] };
      };
    };
    expect(bundle.verificationMaterial.certificate).toBeDefined();
    expect(bundle.verificationMaterial.tlogEntries).toHaveLength(1);
    expect(bundle.verificationMaterial.timestampVerificationData.rfc3161Timestamps).toHaveLength(1);

    const verify = await runCli(
      ['verify', '--trusted-root', stack.trustedRootFile, '--artifacts', '.'],
      repo.dir,
      repo.env,
    );
    expect(verify.stderr).toContain(`notice: signer pinned to ${RELEASE} (issuer ${DEFAULT_ISSUER})`);
    expect(verify.status).toBe(0);

    const pinned = await runCli(
      [
        'verify',
        '--trusted-root',
        stack.trustedRootFile,
        '--signer-workflow',
        'acme/fraud-model/.github/workflows/release.yml',
      ],
      repo.dir,
      repo.env,
    );
    expect(pinned.status).toBe(0);
    const wrongRepo = await runCli(
      ['verify', '--trusted-root', stack.trustedRootFile, '--signer-repo', 'acme/other'],
      repo.dir,
      repo.env,
    );
    expect(wrongRepo.status).toBe(1);
    expect(wrongRepo.stderr).toMatch(
      /FAIL IDENTITY_MISMATCH: record 0 .*expected a workflow in repository acme\/other/,
    );
  });

  it('fails a record signed by another workflow, naming who signed and who was expected', async () => {
    expect((await recordAs(stack, RELEASE, '1')).status).toBe(0);
    expect((await recordAs(stack, RELEASE, '2')).status).toBe(0);
    expect((await recordAs(stack, DEV, '3')).status).toBe(0);
    const verify = await runCli(['verify', '--trusted-root', stack.trustedRootFile], repo.dir, repo.env);
    expect(verify.status).toBe(1);
    expect(verify.stderr).toContain(`FAIL IDENTITY_MISMATCH: record 2 (`);
    expect(verify.stderr).toContain(`signed by ${DEV}, expected ${RELEASE}`);
  });

  it('fails records from another Sigstore instance than the trusted root names', async () => {
    expect((await recordAs(stack, RELEASE, '1')).status).toBe(0);
    const verify = await runCli(['verify', '--trusted-root', tsaOnly.trustedRootFile], repo.dir, repo.env);
    expect(verify.status).toBe(1);
    expect(verify.stderr).toMatch(/FAIL UNTRUSTED: record 0 /);
  });

  it("signs on a timestamp-only instance, as GitHub's private one, with no transparency log", async () => {
    expect((await recordAs(tsaOnly, DEFAULT_SUBJECT, '1')).status).toBe(0);
    expect((await recordAs(tsaOnly, DEFAULT_SUBJECT, '2')).status).toBe(0);
    expect(tsaOnly.requests.some((request) => request.service === 'rekor')).toBe(false);
    const verify = await runCli(['verify', '--trusted-root', tsaOnly.trustedRootFile], repo.dir, repo.env);
    expect(verify.status).toBe(0);
  });

  it('retries when Rekor answers 503 once, and records normally', async () => {
    const rekorPosts = () =>
      stack.requests.filter((request) => request.service === 'rekor' && request.method === 'POST');
    const before = rekorPosts().length;
    stack.faults.next('rekor', { status: 503 }, 1);
    const result = await recordAs(stack, RELEASE, '1');
    expect(result.status).toBe(0);
    const statuses = rekorPosts()
      .slice(before)
      .map((request) => request.status);
    // The record's entry (503, then 201 on the retry); every later entry (its
    // model signatures, its checkpoint) is logged on the first try.
    expect(statuses[0]).toBe(503);
    expect(statuses.slice(1).every((status) => status === 201)).toBe(true);
    // Record, retry and checkpoint at least.
    expect(statuses.length).toBeGreaterThanOrEqual(3);
  });

  it('says which permission is missing when keyless signing has no token in GitHub Actions', async () => {
    await repo.write('model.bin', 'weights');
    repo.commit('train');
    const result = await runCli(['record', '--keyless', '--models', 'model.bin'], repo.dir, {
      ...repo.env,
      GITHUB_ACTIONS: 'true',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/no "id-token" permission — add `permissions: id-token: write` to the job/);
  });

  it('signs keyless from the Action with the GitHub Actions OIDC token', async () => {
    await repo.write('model.bin', 'weights');
    const sha = repo.commit('train');
    const outputs: Record<string, string> = {};
    const runtime = {
      cwd: repo.dir,
      env: {
        ...repo.env,
        GITHUB_ACTIONS: 'true',
        GITHUB_REPOSITORY: 'acme/fraud-model',
        GITHUB_SHA: sha,
        ...stack.actionsTokenEnv({ sub: RELEASE }),
      },
      log: new MemoryLogger(),
      setOutput: (name: string, value: string) => {
        outputs[name] = value;
      },
      summary: () => Promise.resolve(),
    };
    const inputs = readInputs(
      (name) =>
        ({
          models: 'model.bin',
          'fulcio-url': stack.fulcioUrl,
          'rekor-url': stack.rekorUrl,
          'trusted-root': stack.trustedRootFile,
          store: 'local',
        })[name] ?? '',
    );
    const first = await run(inputs, runtime);
    expect(first.signingMode).toBe('keyless');
    await run(inputs, runtime);
    expect(outputs['chain-index']).toBe('1');
    expect(stack.requests.some((request) => request.service === 'oidc')).toBe(true);
    const verify = await runCli(
      [
        'verify',
        '--trusted-root',
        stack.trustedRootFile,
        '--certificate-identity',
        RELEASE,
        '--certificate-oidc-issuer',
        DEFAULT_ISSUER,
      ],
      repo.dir,
      repo.env,
    );
    expect(verify.status).toBe(0);
  });
});

describe('the Rekor witness', () => {
  it('reuses the existing entry when Rekor answers 409 to a re-submitted signature', async () => {
    const { generateKeyPairSync, sign } = await import('node:crypto');
    const { rekorWitness } = await import('../src/sign/keyless.js');
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const payload = Buffer.from('{"_type":"https://in-toto.io/Statement/v1"}');
    const type = 'application/vnd.in-toto+json';
    const pae = Buffer.concat([Buffer.from(`DSSEv1 ${type.length} ${type} ${payload.length} `), payload]);
    const content = {
      $case: 'dsseEnvelope' as const,
      dsseEnvelope: {
        payload,
        payloadType: type,
        signatures: [{ sig: sign('sha256', pae, privateKey), keyid: '' }],
      },
    };
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const witness = rekorWitness(stack.rekorUrl, { retry: { retries: 0 } });
    const first = await witness.testify(content, pem);
    const again = await witness.testify(content, pem);
    const statuses = stack.requests
      .filter((request) => request.service === 'rekor')
      .slice(-3)
      .map((r) => r.status);
    expect(statuses).toEqual([201, 409, 200]);
    expect(again.tlogEntries[0]?.logIndex).toBe(first.tlogEntries[0]?.logIndex);
  });
});
