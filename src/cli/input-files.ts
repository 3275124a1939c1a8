import { createPublicKey, type KeyObject } from 'node:crypto';
import { readdir } from 'node:fs/promises';

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

/** An absent or unreadable ledger is bad input (exit 2), not a verification failure. */
export async function assertReadableDirectory(dir: string): Promise<void> {
  try {
    await readdir(dir);
  } catch (error) {
    throw new LedgerError('BAD_INPUT', `cannot read the ledger directory (${describeError(error)})`, {
      file: dir,
      cause: error,
      fix: 'point --store at a ledger directory written by `model-ledger record`',
    });
  }
}
