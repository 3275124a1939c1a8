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
