import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';

import { LedgerError, describeError, errnoCode } from '../errors.js';

/** Files the verify commands are given (bundles, artifacts, signatures, keys), read with errors that say which. */
export async function readInput(path: string, name: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = errnoCode(error);
    throw new LedgerError('BAD_INPUT', `cannot read the ${what} (${describeError(error)})`, {
      file: name,
      cause: error,
      fix:
        code === 'ENOENT'
          ? 'check the path'
          : code === 'EISDIR'
            ? `the ${what} must be a file`
            : 'check the file permissions',
    });
  }
}

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
