/**
 * How a stored bundle says it was signed, read without verifying it (claimed-signer.ts): the key
 * hint of a key-signed bundle, and the identity and issuer of a certificate — empty when the
 * certificate names none that can be read.
 */
import { describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { KeySigner } from '../../src/sign/key-signer.js';
import { claimedSigner, readStoredBundle } from '../../src/verify/claimed-signer.js';
import { issueCertificate } from '../support/certificates.js';

const GH = fileURLToPath(new URL('../fixtures/sigstore-conformance/gh-cli/', import.meta.url));
const fulcioLeaf = Buffer.from(
  (
    JSON.parse(readFileSync(join(GH, 'sigstore-js-2.1.0-bundle.json'), 'utf8')) as {
      verificationMaterial: { certificate: { rawBytes: string } };
    }
  ).verificationMaterial.certificate.rawBytes,
  'base64',
);
const RELEASE = 'https://github.com/acme/model/.github/workflows/release.yml@refs/heads/main';

const signer = new KeySigner(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);

/** A record signed by `signer`, its verification material replaced by `certificate` (DER) when given. */
async function storedBytes(certificate?: Buffer): Promise<Buffer> {
  const json = JSON.parse(JSON.stringify(await signer.signStatement(Buffer.from('{}')))) as {
    verificationMaterial: Record<string, unknown>;
  };
  if (certificate) {
    delete json.verificationMaterial.publicKey;
    json.verificationMaterial.certificate = { rawBytes: certificate.toString('base64') };
  }
  return Buffer.from(JSON.stringify(json));
}

function certificate(sanTag: number): Buffer {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const der = issueCertificate({
    issuer: { certificate: fulcioLeaf, privateKey },
    publicKey,
    identity: RELEASE,
    notBefore: new Date('2026-01-01T00:00:00Z'),
    notAfter: new Date('2026-01-01T00:10:00Z'),
  });
  const at = der.indexOf(Buffer.from(RELEASE, 'ascii'));
  der[at - 2] = sanTag;
  return der;
}

describe('the signer a stored bundle claims', () => {
  it('is the key hint of a key-signed bundle', async () => {
    expect(claimedSigner(await storedBytes(), 'r.json')).toEqual({ kind: 'key', keyHint: signer.hint });
  });

  it("is a certificate's URI identity, with no issuer when it has no issuer extension", async () => {
    expect(claimedSigner(await storedBytes(certificate(0x86)), 'r.json')).toEqual({
      kind: 'certificate',
      identity: RELEASE,
      issuer: '',
    });
  });

  it('is a certificate with an empty identity when its SAN is neither a URI nor an email', async () => {
    const stored = readStoredBundle(await storedBytes(certificate(0x82)), 'r.json');
    expect(stored.bundle?.verificationMaterial.content.$case).toBe('certificate');
    expect(stored.claim).toEqual({ kind: 'certificate', identity: '', issuer: '' });
  });

  it('is none for bytes that are not a bundle', () => {
    expect(readStoredBundle(Buffer.from('{"mediaType":"text/plain"}'), 'r.json')).toEqual({
      bundle: null,
      claim: null,
    });
  });
});
