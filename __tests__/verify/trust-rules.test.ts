/**
 * Keyless bundles a verifier must refuse, each for one rule, each refusal naming that rule: a
 * certificate without an SCT when the trusted root has a CT log, a CA certificate as the signing
 * certificate, a certificate bundle checked against a given key, a certificate of another OIDC
 * issuer, an expired certificate with no timestamp (or with one after it expired). The
 * certificates Fulcio would never issue are minted with the loopback stack's own CA key, so
 * everything else about them (chain, timestamp, signature) checks out and only the rule is broken.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { bundleToJSON } from '@sigstore/bundle';
import { DSSEBundleBuilder, TSAWitness, type Signature } from '@sigstore/sign';

import { publicKeyPem } from '../../src/sign/keys.js';
import { KeylessSigner } from '../../src/sign/keyless.js';
import { DSSE_PAYLOAD_TYPE, STATEMENT_TYPE } from '../../src/record/predicate.js';
import { verifyBundle, type BundleTrust } from '../../src/verify/bundle.js';
import { VerificationFailure } from '../../src/verify/problems.js';
import { issueCertificate, pem } from '../support/certificates.js';
import { runCli } from '../support/cli.js';
import { DEFAULT_ISSUER } from '../support/oidc.js';
import { startSigstoreStack, type SigstoreStack } from '../support/sigstore-stack.js';

const RELEASE = 'https://github.com/acme/model/.github/workflows/release.yml@refs/heads/main';
const MODEL = Buffer.from('weights 1');
const MINUTE = 60_000;

/** Fulcio + TSA (GitHub's private instance): no log entry is required, so each case breaks one rule only. */
let stack: SigstoreStack;
let dir: string;
beforeAll(async () => {
  stack = await startSigstoreStack({ services: ['tsa'] });
  dir = await mkdtemp(join(tmpdir(), 'model-ledger-trust-'));
  await writeFile(join(dir, 'model.bin'), MODEL);
});
afterAll(async () => {
  await stack?.close();
  await rm(dir, { recursive: true, force: true });
});

/** An in-toto statement over model.bin, as the DSSE payload. */
const payload = Buffer.from(
  JSON.stringify({
    _type: STATEMENT_TYPE,
    subject: [{ name: 'model.bin', digest: { sha256: createHash('sha256').update(MODEL).digest('hex') } }],
    predicateType: 'https://example.org/test/v1',
    predicate: {},
  }),
);

const trust = (): BundleTrust => ({
  trustedRoot: stack.trustedRoot,
  identity: { identity: RELEASE, issuer: DEFAULT_ISSUER },
});

function newKey(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
}

/** A bundle signed by `key` with `certificate` (DER) as its verification material; timestamped by the stack's TSA unless told not to. */
async function bundleWith(
  certificate: Buffer,
  key: KeyObject,
  options: { timestamp: boolean } = { timestamp: true },
): Promise<unknown> {
  const builder = new DSSEBundleBuilder({
    signer: {
      sign: (data: Buffer): Promise<Signature> =>
        Promise.resolve({
          signature: sign('sha256', data, key),
          key: { $case: 'x509Certificate', certificate: pem(certificate) },
        }),
    },
    witnesses: options.timestamp ? [new TSAWitness({ tsaBaseURL: stack.tsaUrl })] : [],
  });
  return bundleToJSON(await builder.create({ data: payload, type: DSSE_PAYLOAD_TYPE }));
}

/** A bundle the stack's Fulcio really issued, for an identity token with `claims`. */
async function fulcioBundle(claims: { iss?: string } = {}): Promise<unknown> {
  const signer = new KeylessSigner({
    instance: { name: 'custom', fulcioUrl: stack.fulcioUrl, tsaUrl: stack.tsaUrl },
    identity: { source: 'test token', getToken: () => stack.token({ sub: RELEASE, ...claims }) },
  });
  return signer.signStatement(payload);
}

/** A certificate from the stack's CA for `publicKey`, valid around the stack's clock unless told otherwise. */
function minted(
  publicKey: KeyObject,
  overrides: { ca?: boolean; notBefore?: Date; notAfter?: Date } = {},
): Buffer {
  return issueCertificate({
    issuer: stack.fulcioCA,
    publicKey,
    identity: RELEASE,
    oidcIssuer: DEFAULT_ISSUER,
    notBefore: overrides.notBefore ?? stack.clock,
    notAfter: overrides.notAfter ?? new Date(stack.clock.getTime() + 10 * MINUTE),
    ...(overrides.ca ? { ca: true } : {}),
  });
}

function refusal(json: unknown, with_: BundleTrust): VerificationFailure {
  try {
    verifyBundle(json, with_, 'bundle.json');
  } catch (error) {
    if (error instanceof VerificationFailure) return error;
    throw error;
  }
  throw new Error('the bundle verified');
}

describe('keyless trust rules', () => {
  it('accepts what the stack really issued (the baseline every case departs from)', async () => {
    const verified = verifyBundle(await fulcioBundle(), trust(), 'bundle.json', {
      kind: 'bytes',
      bytes: MODEL,
    });
    expect(verified.signer).toMatchObject({ kind: 'certificate', identity: RELEASE, issuer: DEFAULT_ISSUER });
    expect(verified.timestamps).toEqual([{ source: 'timestamp-authority', time: stack.clock }]);
  });

  it('refuses a certificate without an SCT when the trusted root has a CT log', async () => {
    expect(stack.trustedRoot.ctlogs).toHaveLength(1);
    const key = newKey();
    const failure = refusal(await bundleWith(minted(key.publicKey), key.privateKey), trust());
    // Chain and timestamp held: the SCT is the one thing missing.
    expect(failure.problem).toBe('UNTRUSTED');
    expect(failure.message).toBe(
      "bundle.json: the signing certificate's transparency proof (SCT) does not verify against the trusted root's CT logs (expected 1 SCTs, got 0)",
    );
  });

  it('refuses a CA certificate used as the signing certificate', async () => {
    const key = newKey();
    const failure = refusal(await bundleWith(minted(key.publicKey, { ca: true }), key.privateKey), trust());
    expect(failure.problem).toBe('UNTRUSTED');
    expect(failure.message).toBe('bundle.json: is signed with a CA certificate, not a signing certificate');
  });

  it('refuses a certificate bundle given together with --key', async () => {
    const bundle = await fulcioBundle();
    const key = newKey();
    const failure = refusal(bundle, { key: key.publicKey, trustedRoot: stack.trustedRoot });
    expect(failure.problem).toBe('UNKNOWN_SIGNER');
    expect(failure.message).toBe(
      `bundle.json: is signed with a certificate for ${RELEASE}, not with the given key`,
    );

    // The CLI: exit 1, the same words.
    await writeFile(join(dir, 'bundle.json'), JSON.stringify(bundle));
    await writeFile(join(dir, 'other.pub.pem'), publicKeyPem(key.privateKey));
    const run = await runCli(
      [
        'verify-bundle',
        '--bundle',
        'bundle.json',
        '--key',
        'other.pub.pem',
        '--trusted-root',
        stack.trustedRootFile,
        'model.bin',
      ],
      dir,
      { HOME: dir, PATH: process.env.PATH ?? '/usr/bin:/bin' },
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`is signed with a certificate for ${RELEASE}, not with the given key`);
  });

  it('refuses a certificate whose OIDC issuer extension is not the expected issuer', async () => {
    const failure = refusal(await fulcioBundle({ iss: 'https://accounts.example.com' }), trust());
    expect(failure.problem).toBe('IDENTITY_MISMATCH');
    expect(failure.message).toBe(
      `bundle.json: signed by ${RELEASE} with OIDC issuer https://accounts.example.com, expected issuer ${DEFAULT_ISSUER}`,
    );
  });

  it('refuses an expired certificate without a timestamp, and with a timestamp from after it expired', async () => {
    const key = newKey();
    const expired = minted(key.publicKey, {
      notBefore: new Date(stack.clock.getTime() - 30 * MINUTE),
      notAfter: new Date(stack.clock.getTime() - 20 * MINUTE),
    });
    const untimed = refusal(await bundleWith(expired, key.privateKey, { timestamp: false }), trust());
    expect(untimed.problem).toBe('UNTRUSTED');
    expect(untimed.message).toBe(
      'bundle.json: no trusted timestamp proves when it was signed (expected 1 timestamps, got 0)',
    );

    const late = refusal(await bundleWith(expired, key.privateKey), trust());
    expect(late.problem).toBe('UNTRUSTED');
    expect(late.message).toBe(
      'bundle.json: the signing certificate is not trusted (Failed to verify certificate chain: certificate is not valid or expired at the specified date): issued by another Sigstore instance, or not valid at the time of signing',
    );
  });
});
