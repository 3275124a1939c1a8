/**
 * Whom verifyBundle expects to have signed: a key-signed bundle checked against a certificate
 * identity (or against keys that do not include its hint), and a certificate-signed bundle
 * checked without the trust it needs — each refusal with its problem code, file and message.
 * Bundles are real: signed here with KeySigner, or GitHub's (vendored) with its trusted root.
 */
import { describe, expect, it } from '@jest/globals';
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { X509Certificate } from '@sigstore/core';

import { LedgerError } from '../../src/errors.js';
import { KeySigner } from '../../src/sign/key-signer.js';
import { keyHint } from '../../src/sign/keys.js';
import { verifyBundle, verifyKeySignedBundle, type BundleTrust } from '../../src/verify/bundle.js';
import { GITHUB_ACTIONS_ISSUER } from '../../src/verify/identity.js';
import { VerificationFailure, type ProblemCode } from '../../src/verify/problems.js';
import { thrownBy } from '../support/refusal.js';

const GH = fileURLToPath(new URL('../fixtures/sigstore-conformance/gh-cli/', import.meta.url));
const trustedRoot = JSON.parse(readFileSync(join(GH, 'trusted_root.json'), 'utf8')) as unknown;
/** A DSSE bundle signed keyless by sigstore-js's release workflow. */
const keyless = JSON.parse(readFileSync(join(GH, 'sigstore-js-2.1.0-bundle.json'), 'utf8')) as {
  verificationMaterial: { certificate: { rawBytes: string } };
};
const KEYLESS_SAN = 'https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/main';

const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const publicKey = createPublicKey(privateKey);
const HINT = keyHint(publicKey);
const FIX = ' — verify it with --key PUB.PEM, if you trust that key';

async function keySigned(hint?: string): Promise<unknown> {
  const json = JSON.parse(
    JSON.stringify(await new KeySigner(privateKey).signStatement(Buffer.from('{"_type":"x"}'))),
  ) as { verificationMaterial: { publicKey: { hint: string } } };
  if (hint !== undefined) json.verificationMaterial.publicKey.hint = hint;
  return json;
}

function expectFailure(action: () => unknown, problem: ProblemCode, message: string): void {
  const error = thrownBy(action);
  expect(error).toBeInstanceOf(VerificationFailure);
  expect({ problem: (error as VerificationFailure).problem, message: (error as Error).message }).toEqual({
    problem,
    message,
  });
}

describe('a key-signed bundle', () => {
  it('verifies with its key, and names the key as the signer', async () => {
    const verified = verifyBundle(await keySigned(), { keys: new Map([[HINT, publicKey]]) }, 'r.json');
    expect(verified.signer).toEqual({ kind: 'key', keyHint: HINT });
  });

  it('checked against a certificate identity, names the key and the identity that was expected', async () => {
    const json = await keySigned();
    const cases: [BundleTrust['identity'], string][] = [
      [
        { identityRegexp: '^https://github\\.com/acme/', issuer: GITHUB_ACTIONS_ISSUER },
        ' for ^https://github\\.com/acme/',
      ],
      [{ signerRepo: 'acme/model' }, ' for acme/model'],
      [
        { signerWorkflow: 'acme/model/.github/workflows/release.yml' },
        ' for acme/model/.github/workflows/release.yml',
      ],
      [{}, ''],
      [undefined, ''],
    ];
    for (const [identity, expected] of cases) {
      expectFailure(
        () => verifyBundle(json, identity === undefined ? {} : { identity }, 'r.json'),
        'UNKNOWN_SIGNER',
        `r.json: is signed with a public key (hint ${HINT}), not with a certificate${expected}${FIX}`,
      );
    }
  });

  it('without a hint, says so instead of naming one', async () => {
    const json = await keySigned('');
    expectFailure(
      () => verifyBundle(json, {}, 'r.json'),
      'UNKNOWN_SIGNER',
      `r.json: is signed with a public key, not with a certificate${FIX}`,
    );
    const other = createPublicKey(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
    expectFailure(
      () => verifyKeySignedBundle(json, { keys: new Map([[keyHint(other), other]]) }, 'r.json'),
      'UNKNOWN_SIGNER',
      "r.json: is signed by key (no hint), which is not trusted — pass the signer's public key with --key, if you trust it",
    );
  });
});

describe('a certificate-signed bundle', () => {
  it('is refused by the ledger check, which trusts keys only', () => {
    const keys = new Map<string, KeyObject>([[HINT, publicKey]]);
    expectFailure(
      () => verifyKeySignedBundle(keyless, { keys }, 'r.json'),
      'UNKNOWN_SIGNER',
      'r.json: is signed with a certificate (keyless); verify it with a trusted root and a certificate identity',
    );
  });

  it('with a trusted root and keys but no identity, is a usage error: any signer would pass', () => {
    const error = thrownBy(() => verifyBundle(keyless, { keys: new Map(), trustedRoot }, 'r.json'));
    expect(error).toBeInstanceOf(LedgerError);
    expect(error).not.toBeInstanceOf(VerificationFailure);
    expect(error).toMatchObject({ code: 'USAGE', file: 'r.json' });
    expect((error as Error).message).toMatch(
      /^r\.json: is signed with a certificate, and no identity was given to check it against: any signer would pass — /,
    );
  });

  it('without a trusted root, cannot be verified, and says how to give one', () => {
    const error = thrownBy(() =>
      verifyBundle(keyless, { identity: { signerRepo: 'sigstore/sigstore-js' } }, 'r.json'),
    );
    expect(error).toBeInstanceOf(LedgerError);
    expect(error).not.toBeInstanceOf(VerificationFailure);
    expect(error).toMatchObject({
      code: 'VERIFY',
      file: 'r.json',
      fix: 'pass --trusted-root FILE, or omit it to fetch the public-good root online',
    });
    expect((error as Error).message).toMatch(
      /^r\.json: is signed with a certificate: verifying it needs a trusted root/,
    );
  });

  it('verifies with the trusted root and the identity that signed it', () => {
    const verified = verifyBundle(
      keyless,
      { trustedRoot, identity: { signerRepo: 'sigstore/sigstore-js' } },
      'r.json',
    );
    expect(verified.signer).toMatchObject({
      kind: 'certificate',
      identity: KEYLESS_SAN,
      issuer: GITHUB_ACTIONS_ISSUER,
    });
  });

  it('checked against a given key, names its identity — or says it has none it can read', () => {
    expectFailure(
      () => verifyBundle(keyless, { key: publicKey }, 'r.json'),
      'UNKNOWN_SIGNER',
      `r.json: is signed with a certificate for ${KEYLESS_SAN}, not with the given key`,
    );
    // The same certificate with its SAN a DNS name instead of a URI: no identity @sigstore/core reads.
    const der = Buffer.from(keyless.verificationMaterial.certificate.rawBytes, 'base64');
    const at = der.indexOf(Buffer.from(KEYLESS_SAN, 'ascii'));
    expect(der[at - 2]).toBe(0x86);
    der[at - 2] = 0x82;
    expect(X509Certificate.parse(der).subjectAltName).toBeUndefined();
    const unnamed = structuredClone(keyless);
    unnamed.verificationMaterial.certificate.rawBytes = der.toString('base64');
    expectFailure(
      () => verifyBundle(unnamed, { key: publicKey }, 'r.json'),
      'UNKNOWN_SIGNER',
      'r.json: is signed with a certificate for an unknown identity, not with the given key',
    );
  });
});
