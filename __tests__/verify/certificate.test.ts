/**
 * A bundle's signing certificate (certificate.ts): a bundle with none, and Fulcio's extensions
 * read from real certificates — the issuer present, absent, or not readable as DER.
 */
import { describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { X509Certificate } from '@sigstore/core';

import { KeySigner } from '../../src/sign/key-signer.js';
import { parseBundle } from '../../src/verify/bundle-parse.js';
import { certificateExtensions, leafCertificate } from '../../src/verify/certificate.js';
import { GITHUB_ACTIONS_ISSUER } from '../../src/verify/identity.js';
import { VerificationFailure } from '../../src/verify/problems.js';
import { issueCertificate } from '../support/certificates.js';

const GH = fileURLToPath(new URL('../fixtures/sigstore-conformance/gh-cli/', import.meta.url));
const keyless = JSON.parse(readFileSync(join(GH, 'sigstore-js-2.1.0-bundle.json'), 'utf8')) as {
  verificationMaterial: { certificate: { rawBytes: string } };
};
const fulcioLeaf = Buffer.from(keyless.verificationMaterial.certificate.rawBytes, 'base64');

const RELEASE = 'https://github.com/acme/model/.github/workflows/release.yml@refs/heads/main';
const ISSUER = 'https://issuer.example';

/** A certificate for a fresh key, named as issued by Fulcio's leaf (only its name is used: nothing here verifies it). */
function certificate(oidcIssuer?: string): Buffer<ArrayBuffer> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const der = issueCertificate({
    issuer: { certificate: fulcioLeaf, privateKey },
    publicKey,
    identity: RELEASE,
    ...(oidcIssuer === undefined ? {} : { oidcIssuer }),
    notBefore: new Date('2026-01-01T00:00:00Z'),
    notAfter: new Date('2026-01-01T00:10:00Z'),
  });
  return Buffer.from(der);
}

describe('the signing certificate of a bundle', () => {
  it('is absent from a key-signed bundle, which is then refused as holding none', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const json = JSON.parse(
      JSON.stringify(await new KeySigner(privateKey).signStatement(Buffer.from('{}'))),
    ) as unknown;
    let failure: unknown;
    try {
      leafCertificate(parseBundle(json, 'k.json'), 'k.json');
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(VerificationFailure);
    expect(failure).toMatchObject({ problem: 'CORRUPT', message: 'k.json: holds no signing certificate' });
  });

  /** The keyless bundle with `certificates` (DER) as its chain, leaf first. */
  function withChain(certificates: Buffer[]): ReturnType<typeof parseBundle> {
    const { certificate: _, ...material } = keyless.verificationMaterial as Record<string, unknown>;
    return parseBundle(
      {
        ...keyless,
        mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.2',
        verificationMaterial: {
          ...material,
          x509CertificateChain: {
            certificates: certificates.map((der) => ({ rawBytes: der.toString('base64') })),
          },
        },
      },
      'chain.json',
    );
  }

  function refusal(run: () => unknown): unknown {
    try {
      run();
    } catch (error) {
      return error;
    }
    return undefined;
  }

  it('is refused when the chain brings its own root, or a certificate that does not parse', () => {
    const leaf = certificate(ISSUER);
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    // A CA certificate whose issuer is its own (empty) subject: a root, shipped inside the bundle.
    const root = issueCertificate({
      issuer: { certificate: leaf, privateKey },
      publicKey,
      identity: 'https://root.example',
      ca: true,
      notBefore: new Date('2026-01-01T00:00:00Z'),
      notAfter: new Date('2027-01-01T00:00:00Z'),
    });
    expect(X509Certificate.parse(Buffer.from(root)).isCA).toBe(true);
    expect(leafCertificate(withChain([leaf]), 'chain.json').subjectAltName).toBe(RELEASE);
    const rooted = refusal(() => leafCertificate(withChain([leaf, root]), 'chain.json'));
    expect(rooted).toBeInstanceOf(VerificationFailure);
    expect(rooted).toMatchObject({
      problem: 'UNTRUSTED',
      message:
        'chain.json: its certificate chain includes a root certificate: roots must come from the trusted root, never from the bundle',
    });
    const garbled = refusal(() =>
      leafCertificate(withChain([leaf, Buffer.from('not a certificate')]), 'chain.json'),
    );
    expect(garbled).toBeInstanceOf(VerificationFailure);
    expect(garbled).toMatchObject({
      problem: 'CORRUPT',
      message: expect.stringMatching(/^chain\.json: holds a certificate that cannot be parsed \(.+\)$/),
      file: 'chain.json',
    });
  });

  it('is the leaf of a keyless bundle', () => {
    const leaf = leafCertificate(parseBundle(keyless, 'gh.json'), 'gh.json');
    expect(leaf.subjectAltName).toBe(
      'https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/main',
    );
  });
});

describe("Fulcio's certificate extensions", () => {
  it('read from a Fulcio certificate: the DER issuer, and the GitHub workflow details', () => {
    const extensions = certificateExtensions(X509Certificate.parse(fulcioLeaf));
    expect(extensions).toMatchObject({
      issuer: GITHUB_ACTIONS_ISSUER,
      githubWorkflowRepository: 'sigstore/sigstore-js',
      sourceRepositoryURI: 'https://github.com/sigstore/sigstore-js',
    });
  });

  it('hold the issuer only when the certificate has one', () => {
    expect(certificateExtensions(X509Certificate.parse(certificate(ISSUER)))).toEqual({ issuer: ISSUER });
    expect(certificateExtensions(X509Certificate.parse(certificate()))).toEqual({});
  });

  it('leave out an issuer extension whose value is not DER', () => {
    const der = certificate(ISSUER);
    // The extension's UTF8String claims one byte more than the OCTET STRING around it holds.
    const at = der.indexOf(Buffer.from(ISSUER, 'utf8'));
    expect([der[at - 2], der[at - 1]]).toEqual([0x0c, ISSUER.length]);
    der[at - 1] = ISSUER.length + 1;
    const parsed = X509Certificate.parse(der);
    expect(parsed.subjectAltName).toBe(RELEASE);
    expect(certificateExtensions(parsed)).toEqual({});
  });
});
