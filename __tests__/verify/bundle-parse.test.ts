/**
 * Untrusted JSON to a Sigstore bundle (bundle-parse.ts): what is not a bundle is CORRUPT, and the
 * message says why — a missing field in words, or what the protobuf reader refused.
 */
import { describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';

import { KeySigner } from '../../src/sign/key-signer.js';
import { parseBundle } from '../../src/verify/bundle-parse.js';
import { VerificationFailure } from '../../src/verify/problems.js';

function corrupt(json: unknown): string {
  try {
    parseBundle(json, 'b.json');
  } catch (error) {
    expect(error).toBeInstanceOf(VerificationFailure);
    expect((error as VerificationFailure).problem).toBe('CORRUPT');
    return (error as Error).message;
  }
  throw new Error('the bundle parsed');
}

describe('parseBundle', () => {
  it('names a value the protobuf reader refuses (an unknown digest algorithm)', () => {
    const json = {
      mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
      verificationMaterial: { publicKey: { hint: 'abc' }, tlogEntries: [] },
      messageSignature: { messageDigest: { algorithm: 'MD5', digest: 'AAAA' }, signature: 'AAAA' },
    };
    expect(corrupt(json)).toBe(
      'b.json: is not a valid Sigstore bundle: Unrecognized enum value MD5 for enum HashAlgorithm',
    );
  });

  it('names the fields that are missing, in words', async () => {
    const signer = new KeySigner(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
    const json = JSON.parse(JSON.stringify(await signer.signStatement(Buffer.from('{}')))) as Record<
      string,
      unknown
    >;
    expect(parseBundle(json, 'b.json').content.$case).toBe('dsseEnvelope');
    delete json.dsseEnvelope;
    expect(corrupt(json)).toBe(
      'b.json: is not a valid Sigstore bundle: it holds no signature (neither messageSignature nor dsseEnvelope)',
    );
  });
});
