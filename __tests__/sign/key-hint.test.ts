import { describe, expect, it, jest } from '@jest/globals';
import { createHash, createPublicKey } from 'node:crypto';

import { generateKeyPair, keyHint } from '../../src/sign/keys.js';

/** The SubjectPublicKeyInfo DER is the body of the PEM block: the hint computed without Node's export. */
function hintFromPem(pem: string): string {
  const body = pem.replace(/-----(BEGIN|END) PUBLIC KEY-----/g, '').replace(/\s+/g, '');
  return createHash('sha256').update(Buffer.from(body, 'base64')).digest('hex');
}

describe('keyHint', () => {
  it('is the SHA-256 of the DER SubjectPublicKeyInfo', () => {
    const { publicKeyPem } = generateKeyPair();
    expect(keyHint(createPublicKey(publicKeyPem))).toBe(hintFromPem(publicKeyPem));
    const other = generateKeyPair('ed25519');
    expect(keyHint(createPublicKey(other.publicKeyPem))).toBe(hintFromPem(other.publicKeyPem));
  });

  it('exports each key once, however often its hint is asked for', () => {
    const { publicKeyPem } = generateKeyPair();
    const key = createPublicKey(publicKeyPem);
    const exported = jest.spyOn(key, 'export');
    const first = keyHint(key);
    expect(keyHint(key)).toBe(first);
    expect(keyHint(key)).toBe(first);
    expect(exported).toHaveBeenCalledTimes(1);

    // Another object holding the same key has its own entry, with the same answer.
    const again = createPublicKey(publicKeyPem);
    const exportedAgain = jest.spyOn(again, 'export');
    expect(keyHint(again)).toBe(first);
    expect(exportedAgain).toHaveBeenCalledTimes(1);
  });
});
