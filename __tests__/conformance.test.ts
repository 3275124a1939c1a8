import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { verifyBundle } from '../src/verify/bundle.js';
import { VerificationFailure } from '../src/verify/problems.js';
import { runCli, type CliRun } from './support/cli.js';

/**
 * Public Sigstore test data, vendored in __tests__/fixtures/sigstore-conformance (see its README):
 * every sigstore-conformance `bundle-verify` case through `model-ledger verify-bundle`, and the
 * bundles GitHub's CLI verifies. Where ../shared/conformance exists too, the copies must match it.
 */
const SHARED = fileURLToPath(new URL('./fixtures/sigstore-conformance/', import.meta.url));
const UPSTREAM = fileURLToPath(new URL('../../shared/conformance/', import.meta.url));

const CASES = join(SHARED, 'sigstore-conformance', 'bundle-verify');
const PUBLIC_GOOD_ROOT = join(SHARED, 'trusted-roots', 'public-good.json');
const DEFAULT_IDENTITY =
  'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main';
const DEFAULT_ISSUER = 'https://token.actions.githubusercontent.com';
const GH = join(SHARED, 'gh-cli');
const GH_ROOT = join(GH, 'trusted_root.json');
const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';

/**
 * Cases where model-ledger's result differs from the suite's expectation, with the reason.
 * The test asserts each still differs, so a fix (ours or the library's) is noticed and the entry
 * removed. Empty: the two cases @sigstore/verify 3.1 gets wrong are worked around in
 * src/verify/bundle.ts and src/sign/trusted-root.ts (see the notes there):
 *  - rekor2-dsse-happy-path: Rekor v2 hashedrekord over DSSE (digest of the PAE) was rejected;
 *  - trust-root-tlog-missing-validity-start_fail: a log key without validity start was trusted.
 */
const KNOWN_DIVERGENCES: Record<string, string> = {};

/**
 * `_fail` cases that fail with exit 2 (unreadable input) rather than 1: the suite only asks for a
 * failure, and these inputs are the verifier's own, not the bundle under test.
 */
const BAD_INPUT_CASES: Record<string, RegExp> = {
  'managed-key-wrong-key_fail': /key\.pub: is not a readable PEM public key/, // its key.pub is corrupted base64
  'trust-root-tlog-missing-validity-start_fail': /tlogs\[1\]\.publicKey\.validFor\.start: has no start/,
};

/** What each `_fail` case must be refused for (a part of the one-line message). */
const FAILURE_REASONS: Record<string, RegExp> = {
  'bundle-empty-certificate-chain_fail': /not a valid Sigstore bundle/,
  'bundle-from-wrong-instance_fail': /signing certificate is not trusted/,
  'bundle-malformed-json_fail': /not valid JSON/,
  'bundle-unknown-version_fail': /media type .*version=99\.9.* not a Sigstore bundle version/,
  'bundle-with-root-cert_fail': /includes a root certificate/,
  'dsse-invalid-sig_fail': /transparency-log entry does not match|signature does not verify/,
  'managed-key-no-key_fail': /signed with a public key .*not with a certificate/,
  'message-digest-mismatch_fail':
    /the artifact \(sha256:a0cfc71271d6…\) is not what the bundle signs \(sha256:a1cfc71271d6…\)/,
  'rekor2-no-timestamp_fail': /no trusted timestamp/,
  'signature-mismatch_fail': /transparency-log entry does not match|signature does not verify/,
  'wrong-material_fail': /artifact .* is not what the bundle signs/,
};

interface Case {
  name: string;
  dir: string;
  bundle: string;
  artifact: string;
  key?: string;
  identity: string;
  issuer: string;
  trustedRoot: string;
}

function readCases(): Case[] {
  return readdirSync(CASES)
    .filter((name) => statSync(join(CASES, name)).isDirectory())
    .sort()
    .map((name) => {
      const dir = join(CASES, name);
      const file = (base: string): string | undefined =>
        existsSync(join(dir, base)) ? join(dir, base) : undefined;
      const key = file('key.pub');
      return {
        name,
        dir,
        bundle: join(dir, 'bundle.sigstore.json'),
        artifact: file('artifact') ?? join(CASES, 'a.txt'),
        ...(key ? { key } : {}),
        identity: file('identity') ? readFileSync(join(dir, 'identity'), 'utf8').trim() : DEFAULT_IDENTITY,
        issuer: file('issuer') ? readFileSync(join(dir, 'issuer'), 'utf8').trim() : DEFAULT_ISSUER,
        trustedRoot: file('trusted_root.json') ?? PUBLIC_GOOD_ROOT,
      };
    });
}

const cases = readCases();
let cwd: string;
let env: Record<string, string>;

beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'model-ledger-conformance-'));
  // A HOME of its own: nothing here may touch (or fetch into) the user's TUF cache.
  env = { HOME: cwd, XDG_CACHE_HOME: join(cwd, '.cache'), NO_PROXY: '127.0.0.1,localhost' };
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

/** The conformance protocol's command line, in its order. */
function protocolArgs(testCase: Case, artifact: string): string[] {
  const signer = testCase.key
    ? ['--key', testCase.key]
    : ['--certificate-identity', testCase.identity, '--certificate-oidc-issuer', testCase.issuer];
  return [
    'verify-bundle',
    '--bundle',
    testCase.bundle,
    ...signer,
    '--trusted-root',
    testCase.trustedRoot,
    artifact,
  ];
}

function sha256Argument(file: string): string {
  return `sha256:${createHash('sha256').update(readFileSync(file)).digest('hex')}`;
}

/** A refusal is one line naming the reason, never a crash. */
function expectCleanRefusal(run: CliRun): void {
  expect(run.stderr).toMatch(/^model-ledger verify-bundle: \S/);
  expect(run.stderr).not.toMatch(/unexpected error|\n\s+at /);
  expect(run.stderr.split('\n')).toHaveLength(1);
}

function expectOutcome(testCase: Case, run: CliRun): void {
  const shouldFail = testCase.name.endsWith('_fail');
  const divergence = KNOWN_DIVERGENCES[testCase.name];
  const failed = run.status !== 0;
  if (divergence !== undefined) {
    // Still diverging? If this fails, the divergence is fixed: remove it from KNOWN_DIVERGENCES.
    expect({ case: testCase.name, failed }).toEqual({ case: testCase.name, failed: !shouldFail });
    return;
  }
  if (!shouldFail) {
    expect({ case: testCase.name, status: run.status, stderr: run.stderr }).toEqual({
      case: testCase.name,
      status: 0,
      stderr: '',
    });
    return;
  }
  expectCleanRefusal(run);
  const badInput = BAD_INPUT_CASES[testCase.name];
  if (badInput) {
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(badInput);
  } else {
    expect({ case: testCase.name, status: run.status }).toEqual({ case: testCase.name, status: 1 });
  }
  const reason = FAILURE_REASONS[testCase.name];
  if (reason) expect(run.stderr).toMatch(reason);
}

describe('sigstore-conformance bundle-verify cases through verify-bundle', () => {
  it('finds the cases', () => {
    expect(cases.length).toBeGreaterThan(60);
    for (const name of [
      ...Object.keys(KNOWN_DIVERGENCES),
      ...Object.keys(BAD_INPUT_CASES),
      ...Object.keys(FAILURE_REASONS),
    ]) {
      expect(cases.map((testCase) => testCase.name)).toContain(name);
    }
  });

  // A loop, not describe.each: with the data absent there are no cases, and .each refuses an empty table.
  for (const testCase of cases) {
    describe(testCase.name, () => {
      it('gives the expected result with the artifact file', async () => {
        expectOutcome(testCase, await runCli(protocolArgs(testCase, testCase.artifact), cwd, env));
      });

      it('gives the same result with the artifact given as sha256:<hex>', async () => {
        expectOutcome(
          testCase,
          await runCli(protocolArgs(testCase, sha256Argument(testCase.artifact)), cwd, env),
        );
      });
    });
  }

  it("summarises: every case gives the suite's expected result", async () => {
    const outcomes = await Promise.all(
      cases.map(async (testCase) => {
        const run = await runCli(protocolArgs(testCase, testCase.artifact), cwd, env);
        const expected = !testCase.name.endsWith('_fail');
        return { name: testCase.name, expected, passed: run.status === 0 };
      }),
    );
    const wrong = outcomes
      .filter((outcome) => outcome.passed !== outcome.expected)
      .map((outcome) => outcome.name);
    expect(wrong.sort()).toEqual(Object.keys(KNOWN_DIVERGENCES).sort());
    const passing = outcomes.filter((outcome) => outcome.expected).length;
    // eslint-disable-next-line no-console -- the tally belongs in the test log
    console.info(
      `sigstore-conformance bundle-verify: ${passing} pass, ${outcomes.length - passing} expected-fail, ${wrong.length} known divergence(s)`,
    );
  });
});

describe('transparency-log threshold', () => {
  // rekor2-happy-path: a certificate, a Rekor v2 entry and an RFC 3161 timestamp (staging).
  const dir = join(CASES, 'rekor2-happy-path');
  type Material = { tlogEntries: unknown[]; timestampVerificationData?: unknown };
  const bundle = (): { verificationMaterial: Material } =>
    JSON.parse(readFileSync(join(dir, 'bundle.sigstore.json'), 'utf8')) as { verificationMaterial: Material };
  const root = (): Record<string, unknown> =>
    JSON.parse(readFileSync(join(dir, 'trusted_root.json'), 'utf8')) as Record<string, unknown>;
  const policy = { identity: DEFAULT_IDENTITY, issuer: DEFAULT_ISSUER };
  // Read lazily: describe bodies run even when the suite is skipped.
  const artifact = (): { kind: 'bytes'; bytes: Buffer } => ({
    kind: 'bytes',
    bytes: readFileSync(join(CASES, 'a.txt')),
  });

  it('refuses a bundle stripped of its log entry when the trusted root has a log', () => {
    const stripped = bundle();
    stripped.verificationMaterial.tlogEntries = [];
    expect(() =>
      verifyBundle(stripped, { trustedRoot: root(), identity: policy }, 'b.json', artifact()),
    ).toThrow(/has no transparency-log entry, but the trusted root's Sigstore instance logs every signature/);
  });

  it("accepts a timestamped bundle without log entry from a timestamp-only instance (GitHub's private one is such)", () => {
    const stripped = bundle();
    stripped.verificationMaterial.tlogEntries = [];
    const timestampOnly = { ...root(), tlogs: [] };
    const verified = verifyBundle(
      stripped,
      { trustedRoot: timestampOnly, identity: policy },
      'b.json',
      artifact(),
    );
    expect(verified.timestamps.map((timestamp) => timestamp.source)).toEqual(['timestamp-authority']);
    // …but still needs the timestamp: without it nothing proves the certificate was valid then.
    delete stripped.verificationMaterial.timestampVerificationData;
    expect(() =>
      verifyBundle(stripped, { trustedRoot: timestampOnly, identity: policy }, 'b.json', artifact()),
    ).toThrow(/no trusted timestamp proves when it was signed/);
  });
});

describe('GitHub CLI attestation bundles', () => {
  const tgz = join(GH, 'sigstore-js-2.1.0.tgz');
  const verifyGh = (bundle: string, artifact: string, ...flags: string[]): Promise<CliRun> =>
    runCli(
      ['verify-bundle', '--bundle', join(GH, bundle), ...flags, '--trusted-root', GH_ROOT, artifact],
      cwd,
      env,
    );

  it.each(['sigstore-js-2.1.0-bundle.json', 'sigstore-js-2.1.0-bundle-v0.1.json'])(
    '%s verifies against the tarball (sha512 subject) by identity regexp and by signer repo',
    async (bundle) => {
      const byRegexp = await verifyGh(
        bundle,
        tgz,
        '--certificate-identity-regexp',
        '^https://github\\.com/sigstore/sigstore-js/',
        '--certificate-oidc-issuer',
        GITHUB_ISSUER,
      );
      expect(byRegexp.stderr).toBe('');
      expect(byRegexp.status).toBe(0);
      expect(byRegexp.stdout).toMatch(
        /^ok: .*: signed by https:\/\/github\.com\/sigstore\/sigstore-js\/\.github\/workflows\/release\.yml@refs\/heads\/main \(issuer https:\/\/token\.actions\.githubusercontent\.com\) at \S+ \(transparency-log\); artifact matches statement subject pkg:npm\/sigstore@2\.1\.0$/,
      );
      const byRepo = await verifyGh(bundle, tgz, '--signer-repo', 'sigstore/sigstore-js');
      expect(byRepo.stderr).toBe('');
      expect(byRepo.status).toBe(0);
    },
  );

  it('names the signer and the expectation when the identity differs', async () => {
    const run = await verifyGh(
      'sigstore-js-2.1.0-bundle.json',
      tgz,
      '--certificate-identity',
      'https://github.com/sigstore/sigstore-js/.github/workflows/publish.yml@refs/heads/main',
      '--certificate-oidc-issuer',
      GITHUB_ISSUER,
    );
    expect(run.status).toBe(1);
    expectCleanRefusal(run);
    expect(run.stderr).toContain(
      'signed by https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/main, expected https://github.com/sigstore/sigstore-js/.github/workflows/publish.yml@refs/heads/main',
    );
    const otherRepo = await verifyGh(
      'sigstore-js-2.1.0-bundle.json',
      tgz,
      '--signer-repo',
      'sigstore/sigstore-python',
    );
    expect(otherRepo.status).toBe(1);
    expect(otherRepo.stderr).toContain('expected a workflow in repository sigstore/sigstore-python');
  });

  it('refuses the tarball bundle for another artifact', async () => {
    const run = await verifyGh(
      'sigstore-js-2.1.0-bundle.json',
      join(GH, 'custom-issuer-artifact'),
      '--signer-repo',
      'sigstore/sigstore-js',
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /the artifact \(sha512:[0-9a-f]{12}…\) is not a subject of the signed statement \(pkg:npm\/sigstore@2\.1\.0 sha512:90f223f992e4…\)/,
    );
  });

  it('verifies each bundle of the .jsonl file, as a file and one line at a time', async () => {
    const run = await verifyGh(
      'sigstore-js-2.1.0_with_2_bundles.jsonl',
      tgz,
      '--signer-repo',
      'sigstore/sigstore-js',
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n')).toEqual([
      expect.stringMatching(
        /^ok: .*_with_2_bundles\.jsonl line 1: signed by https:\/\/github\.com\/sigstore\/sigstore-js\//,
      ),
      expect.stringMatching(
        /^ok: .*_with_2_bundles\.jsonl line 2: signed by https:\/\/github\.com\/sigstore\/sigstore-js\//,
      ),
    ]);
    const lines = readFileSync(join(GH, 'sigstore-js-2.1.0_with_2_bundles.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line.trim());
    const trustedRoot = JSON.parse(readFileSync(GH_ROOT, 'utf8')) as unknown;
    for (const [index, line] of lines.entries()) {
      const verified = verifyBundle(
        JSON.parse(line),
        { trustedRoot, identity: { signerRepo: 'sigstore/sigstore-js' } },
        `line ${index + 1}`,
        { kind: 'bytes', bytes: readFileSync(tgz) },
      );
      expect(verified.signer).toMatchObject({ kind: 'certificate', issuer: GITHUB_ISSUER });
    }
  });

  it('verifies the reusable-workflow bundle by the called workflow, not the caller', async () => {
    const artifact = join(GH, 'reusable-workflow-artifact');
    const bundle = 'reusable-workflow-attestation.sigstore.json';
    const workflow =
      'https://github.com/github/artifact-attestations-workflows/.github/workflows/attest.yml@09b495c3f12c7881b3cc17209a327792065c1a1d';
    for (const flags of [
      ['--certificate-identity', workflow, '--certificate-oidc-issuer', GITHUB_ISSUER],
      ['--signer-repo', 'github/artifact-attestations-workflows'],
      ['--signer-workflow', 'github/artifact-attestations-workflows/.github/workflows/attest.yml'],
      ['--signer-workflow', 'github.com/github/artifact-attestations-workflows/.github/workflows/attest.yml'],
    ]) {
      const run = await verifyGh(bundle, artifact, ...flags);
      expect({ flags, stderr: run.stderr, status: run.status }).toEqual({ flags, stderr: '', status: 0 });
    }
    const caller = await verifyGh(bundle, artifact, '--signer-repo', 'malancas/attest-demo');
    expect(caller.status).toBe(1);
    expect(caller.stderr).toContain(
      `signed by ${workflow}, expected a workflow in repository malancas/attest-demo`,
    );
    const wrongWorkflow = await verifyGh(
      bundle,
      artifact,
      '--signer-workflow',
      'github/artifact-attestations-workflows/.github/workflows/other.yml',
    );
    expect(wrongWorkflow.status).toBe(1);
    expect(wrongWorkflow.stderr).toContain(
      'expected workflow https://github.com/github/artifact-attestations-workflows/.github/workflows/other.yml@…',
    );

    const json = await verifyGh(
      bundle,
      artifact,
      '--signer-repo',
      'github/artifact-attestations-workflows',
      '--json',
    );
    expect(json.status).toBe(0);
    const result = JSON.parse(json.stdout) as {
      ok: boolean;
      results: { signer: { extensions: Record<string, string> } }[];
    };
    expect(result.ok).toBe(true);
    expect(result.results[0]?.signer.extensions).toMatchObject({
      buildSignerURI: workflow,
      sourceRepositoryURI: 'https://github.com/malancas/attest-demo',
      runnerEnvironment: 'github-hosted',
    });
  });

  it('verifies the custom-issuer bundle with its issuer, and only with it', async () => {
    const artifact = join(GH, 'custom-issuer-artifact');
    const identity = 'https://github.com/too-legit/attest/.github/workflows/integration.yml@refs/heads/main';
    const ok = await verifyGh(
      'custom-issuer.sigstore.json',
      artifact,
      '--certificate-identity',
      identity,
      '--certificate-oidc-issuer',
      'https://token.actions.githubusercontent.com/hammer-time',
    );
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    const wrong = await verifyGh(
      'custom-issuer.sigstore.json',
      artifact,
      '--certificate-identity',
      identity,
      '--certificate-oidc-issuer',
      GITHUB_ISSUER,
    );
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain(
      `signed by ${identity} with OIDC issuer https://token.actions.githubusercontent.com/hammer-time, expected issuer ${GITHUB_ISSUER}`,
    );
  });

  it('refuses the bundle whose signature was altered', async () => {
    const run = await verifyGh(
      'sigstoreBundle-invalid-signature.json',
      tgz,
      '--certificate-identity-regexp',
      '.',
      '--certificate-oidc-issuer',
      GITHUB_ISSUER,
    );
    expect(run.status).toBe(1);
    expectCleanRefusal(run);
    expect(run.stderr).toMatch(/transparency-log entry does not match this bundle|signature does not verify/);
  });

  it.each([
    ['github_provenance_demo-0.0.12-py3-none-any-bundle-missing-cert.jsonl', /it holds no signature/],
    [
      'github_provenance_demo-0.0.12-py3-none-any-bundle-missing-verification-material.jsonl',
      /it has no verificationMaterial/,
    ],
  ])('refuses the malformed %s clearly', async (bundle, reason) => {
    const run = await verifyGh(
      bundle,
      join(GH, 'github_provenance_demo-0.0.12-py3-none-any.whl'),
      '--signer-repo',
      'github/artifact-attestations-workflows',
    );
    expect(run.status).toBe(1);
    expectCleanRefusal(run);
    expect(run.stderr).toMatch(/is not a valid Sigstore bundle/);
    expect(run.stderr).toMatch(reason);
  });

  it("refuses the private-instance bundle against the public-good root: it was timestamped by GitHub's instance", async () => {
    const run = await verifyGh(
      'github_provenance_demo-0.0.12-py3-none-any-bundle.jsonl',
      join(GH, 'github_provenance_demo-0.0.12-py3-none-any.whl'),
      '--certificate-identity-regexp',
      '^https://github\\.com/',
      '--certificate-oidc-issuer',
      GITHUB_ISSUER,
    );
    expect(run.status).toBe(1);
    expectCleanRefusal(run);
    expect(run.stderr).toMatch(/not trusted|no trusted timestamp/);
  });

  it('fetches the trusted root through TUF when none is given, and says what to do when it cannot (offline)', async () => {
    const run = await runCli(
      [
        'verify-bundle',
        '--bundle',
        join(GH, 'sigstore-js-2.1.0-bundle.json'),
        '--signer-repo',
        'sigstore/sigstore-js',
        '--tuf-mirror-url',
        'http://127.0.0.1:9',
        tgz,
      ],
      cwd,
      env,
    );
    expect(run.status).toBe(2);
    expectCleanRefusal(run);
    expect(run.stderr).toMatch(
      /cannot fetch the trusted root from the TUF repository http:\/\/127\.0\.0\.1:9 .* — pass that repository's initial root\.json with --tuf-root FILE/,
    );
  });

  it('fails a DSSE bundle with a wrong artifact and reports the problem code in --json', async () => {
    const run = await verifyGh(
      'custom-issuer.sigstore.json',
      tgz,
      '--signer-repo',
      'too-legit/attest',
      '--certificate-oidc-issuer',
      'https://token.actions.githubusercontent.com/hammer-time',
      '--json',
    );
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, problem: 'SUBJECT_MISMATCH' });
  });

  it('refuses a message-signature bundle given without its artifact to the library', () => {
    const bundle = JSON.parse(
      readFileSync(join(CASES, 'happy-path-v0.3', 'bundle.sigstore.json'), 'utf8'),
    ) as unknown;
    const trustedRoot = JSON.parse(readFileSync(PUBLIC_GOOD_ROOT, 'utf8')) as unknown;
    expect(() =>
      verifyBundle(
        bundle,
        { trustedRoot, identity: { identity: DEFAULT_IDENTITY, issuer: DEFAULT_ISSUER } },
        'b.json',
      ),
    ).toThrow(/holds a message signature over an artifact: verifying it needs the artifact/);
    const verified = verifyBundle(
      bundle,
      { trustedRoot, identity: { identity: DEFAULT_IDENTITY, issuer: DEFAULT_ISSUER } },
      'b.json',
      {
        kind: 'bytes',
        bytes: readFileSync(join(CASES, 'a.txt')),
      },
    );
    expect(verified).toMatchObject({
      content: 'messageSignature',
      signer: { kind: 'certificate', identity: DEFAULT_IDENTITY },
    });
    try {
      verifyBundle(
        bundle,
        { trustedRoot, identity: { identity: DEFAULT_IDENTITY, issuer: DEFAULT_ISSUER } },
        'b.json',
        {
          kind: 'bytes',
          bytes: Buffer.from('other'),
        },
      );
      throw new Error('expected a failure');
    } catch (error) {
      expect(error).toBeInstanceOf(VerificationFailure);
      expect((error as VerificationFailure).problem).toBe('SUBJECT_MISMATCH');
    }
  });
});

/** Every file under `dir`, relative, sorted. */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory() ? filesUnder(dir, join(prefix, entry.name)) : [join(prefix, entry.name)],
    )
    .sort();
}

(existsSync(join(UPSTREAM, 'sigstore-conformance')) ? it : it.skip)(
  'the vendored conformance data is byte for byte the copy in ../shared/conformance',
  () => {
    for (const folder of ['sigstore-conformance', 'trusted-roots', 'gh-cli']) {
      const ours = filesUnder(join(SHARED, folder));
      expect(ours).toEqual(filesUnder(join(UPSTREAM, folder)));
      for (const file of ours)
        expect(readFileSync(join(SHARED, folder, file))).toEqual(readFileSync(join(UPSTREAM, folder, file)));
    }
  },
);
