/**
 * A message-signature bundle's signature check (signed-entity.ts) with each kind of key and each
 * form of artifact: EdDSA keys sign the bytes themselves, ECDSA keys their digest, and an
 * artifact known only by its digest is checked over that digest.
 */
import { describe, expect, it } from '@jest/globals';
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

import { parseBundle } from '../../src/verify/bundle-parse.js';
import { signedEntity } from '../../src/verify/signed-entity.js';

const ARTIFACT = Buffer.from('model weights, version 3');
const OTHER = Buffer.from('model weights, version 4');

/** A v0.3 message-signature bundle over ARTIFACT, signed by `privateKey`. */
function bundleSignedBy(privateKey: KeyObject, algorithm: string | null, digest = 'sha256') {
  const signature = sign(algorithm, ARTIFACT, privateKey);
  return parseBundle(
    {
      mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
      verificationMaterial: { publicKey: { hint: 'test' }, tlogEntries: [] },
      messageSignature: {
        messageDigest: {
          algorithm: digest === 'sha384' ? 'SHA2_384' : 'SHA2_256',
          digest: createHash(digest).update(ARTIFACT).digest('base64'),
        },
        signature: signature.toString('base64'),
      },
    },
    'message.json',
  );
}

describe('a message signature', () => {
  for (const type of ['ed25519', 'ed448'] as const) {
    it(`made with an ${type} key is checked over the artifact's bytes`, () => {
      const { privateKey, publicKey } = generateKeyPairSync(type as 'ed25519');
      const bundle = bundleSignedBy(privateKey, null);
      const over = (bytes: Buffer) =>
        signedEntity(bundle, { kind: 'bytes', bytes }, 'message.json').signature.verifySignature(publicKey);
      expect(over(ARTIFACT)).toBe(true);
      expect(over(OTHER)).toBe(false);
    });
  }

  it('made with an ECDSA key is checked as @sigstore/verify checks it, over the bytes or their digest alone', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const bundle = bundleSignedBy(privateKey, 'sha256');
    const { publicKey: stranger } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const bytes = (given: Buffer) => signedEntity(bundle, { kind: 'bytes', bytes: given }, 'message.json');
    expect(bytes(ARTIFACT).signature.verifySignature(publicKey)).toBe(true);
    expect(bytes(ARTIFACT).signature.verifySignature(stranger)).toBe(false);
    const sha256 = createHash('sha256').update(ARTIFACT).digest();
    const digested = signedEntity(
      bundle,
      { kind: 'digests', digests: { sha256: sha256.toString('hex') } },
      'message.json',
    );
    expect(digested.signature.verifySignature(publicKey)).toBe(true);
    expect(digested.signature.verifySignature(stranger)).toBe(false);
    expect(digested.signature.compareDigest(sha256)).toBe(true);
    expect(digested.signature.compareDigest(createHash('sha256').update(OTHER).digest())).toBe(false);
  });

  it('made with a P-384 key over SHA-384 is not checked as EdDSA (which would hash with SHA-256)', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const bundle = bundleSignedBy(privateKey, 'sha384', 'sha384');
    const entity = signedEntity(bundle, { kind: 'bytes', bytes: ARTIFACT }, 'message.json');
    expect(entity.signature.verifySignature(publicKey)).toBe(true);
  });
});
