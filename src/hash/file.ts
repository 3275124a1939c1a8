import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

import { LedgerError, describeError } from '../errors.js';

/** Large reads keep syscalls few; one buffer per call keeps memory flat whatever the file size. */
const CHUNK_BYTES = 1024 * 1024;

export interface FileDigest {
  sha256: string;
  size: number;
}

/** Plain SHA-256 of a file's bytes, streamed: what `sha256sum` prints. */
export async function hashFile(path: string): Promise<FileDigest> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new LedgerError('HASH', `cannot read file (${describeError(error)})`, {
      file: path,
      cause: error,
      fix: 'check that the file exists and is readable',
    });
  }
  try {
    const hash = createHash('sha256');
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    let size = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      size += bytesRead;
    }
    return { sha256: hash.digest('hex'), size };
  } catch (error) {
    throw new LedgerError('HASH', `reading failed (${describeError(error)})`, { file: path, cause: error });
  } finally {
    await handle.close();
  }
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}
