import { createPublicKey, type KeyObject } from 'node:crypto';

import { LedgerError, describeError } from '../errors.js';
import { readInput } from '../fs/read-input.js';

export { readInput };

/** Any public key type Sigstore clients sign with (ECDSA, RSA, Ed25519), from SPKI PEM. */
export async function loadAnyPublicKey(path: string, name: string): Promise<KeyObject> {
  const pem = (await readInput(path, name, 'public key')).toString('utf8');
  if (pem.includes('PRIVATE KEY')) {
    throw new LedgerError('KEY', 'is a private key', {
      file: name,
      fix: 'pass the public key; never hand a private key to a verifier',
    });
  }
  try {
    return createPublicKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw new LedgerError('KEY', `is not a readable PEM public key (${describeError(error)})`, {
      file: name,
      cause: error,
    });
  }
}
