/**
 * Signatures checked ahead on the thread pool answer only for the bundle and key they were made
 * with, and verification follows them: a precheck can speed a verdict up, never change it.
 */
import { createPublicKey, generateKeyPairSync } from 'node:crypto';

import { keyHint, generateKeyPair, parsePrivateKey } from '../../src/sign/keys.js';
import { KeySigner } from '../../src/sign/key-signer.js';
import { verifyParsedBundle } from '../../src/verify/bundle.js';
import { parseBundle } from '../../src/verify/bundle-parse.js';
import { VerificationFailure } from '../../src/verify/problems.js';
import { precheckSignature, precheckedSignature } from '../../src/verify/signature-precheck.js';

async function signedBundle(payload: string) {
  const signer = new KeySigner(parsePrivateKey(generateKeyPair().privateKeyPem, 'test key'));
  const json = JSON.parse(JSON.stringify(await signer.signStatement(Buffer.from(payload)))) as {
    dsseEnvelope: { signatures: { sig: string }[] };
  };
  return { json, key: createPublicKey(signer.publicKeyPem) };
}

describe('signature prechecks', () => {
  it('records a valid signature for that bundle and key object only', async () => {
    const { json, key } = await signedBundle('{"a":1}');
    const bundle = parseBundle(json, 'a.sigstore.json');
    expect(precheckedSignature(bundle, key)).toBeUndefined();
    await precheckSignature(bundle, key);
    expect(precheckedSignature(bundle, key)).toBe(true);
    // The same key material in another object, or another parse of the same JSON: not answered.
    expect(precheckedSignature(bundle, createPublicKey(key.export({ type: 'spki', format: 'pem' })))).toBe(
      undefined,
    );
    expect(precheckedSignature(parseBundle(json, 'a.sigstore.json'), key)).toBeUndefined();
  });

  it('records a broken signature as invalid, and verification then fails as BAD_SIGNATURE', async () => {
    const { json, key } = await signedBundle('{"a":2}');
    const signature = Buffer.from(json.dsseEnvelope.signatures[0]!.sig, 'base64');
    signature[signature.length - 1]! ^= 1;
    json.dsseEnvelope.signatures[0]!.sig = signature.toString('base64');
    const bundle = parseBundle(json, 'b.sigstore.json');
    await precheckSignature(bundle, key);
    expect(precheckedSignature(bundle, key)).toBe(false);
    const keys = new Map([[keyHint(key), key]]);
    let failure: unknown;
    try {
      verifyParsedBundle(bundle, { keys }, 'b.sigstore.json');
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(VerificationFailure);
    expect((failure as VerificationFailure).problem).toBe('BAD_SIGNATURE');
  });

  it('leaves the verdict for a good signature as it is', async () => {
    const { json, key } = await signedBundle('{"a":3}');
    const bundle = parseBundle(json, 'c.sigstore.json');
    await precheckSignature(bundle, key);
    const keys = new Map([[keyHint(key), key]]);
    expect(verifyParsedBundle(bundle, { keys }, 'c.sigstore.json').signer).toEqual({
      kind: 'key',
      keyHint: keyHint(key),
    });
  });

  it('answers false for a key that did not sign, and verification still names the signer unknown', async () => {
    const { json } = await signedBundle('{"a":4}');
    const other = createPublicKey(generateKeyPair().publicKeyPem);
    const bundle = parseBundle(json, 'd.sigstore.json');
    await precheckSignature(bundle, other);
    expect(precheckedSignature(bundle, other)).toBe(false);
    let failure: unknown;
    try {
      verifyParsedBundle(bundle, { keys: new Map([[keyHint(other), other]]) }, 'd.sigstore.json');
    } catch (error) {
      failure = error;
    }
    expect((failure as VerificationFailure).problem).toBe('UNKNOWN_SIGNER');
  });

  it('makes no check ahead with a key that cannot verify signatures, leaving it to verification', async () => {
    const { json } = await signedBundle('{"a":5}');
    const bundle = parseBundle(json, 'e.sigstore.json');
    // An X25519 key agrees on secrets; crypto.verify refuses it (on the thread pool).
    const { publicKey } = generateKeyPairSync('x25519');
    await precheckSignature(bundle, publicKey);
    expect(precheckedSignature(bundle, publicKey)).toBeUndefined();
  });
});
