import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

import { LedgerError, describeError } from '../errors.js';

/**
 * Large reads keep syscalls few; two buffers let the next read run while the current one is
 * hashed; memory stays at 8 MiB whatever the file size. Many files at once: see ./index.ts.
 */
const CHUNK_BYTES = 4 * 1024 * 1024;

export interface FileDigest {
  sha256: string;
  size: number;
}

/** Plain SHA-256 of one file's bytes, streamed on the calling thread: what `sha256sum` prints. */
export async function hashFile(path: string): Promise<FileDigest> {
  let handle: FileHandle;
  try {
    // O_NONBLOCK: a FIFO opens at once (and is refused below) instead of blocking for a writer.
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new LedgerError('HASH', `cannot read file (${describeError(error)})`, {
      file: path,
      cause: error,
      fix: 'check that the file exists and is readable',
    });
  }
  try {
    if (!(await handle.stat()).isFile()) {
      throw new LedgerError('HASH', 'is not a regular file', { file: path, fix: 'name a regular file' });
    }
    const hash = createHash('sha256');
    const buffers = [Buffer.allocUnsafe(CHUNK_BYTES), Buffer.allocUnsafe(CHUNK_BYTES)];
    let current = 0;
    let size = 0;
    let pending = handle.read(buffers[0] as Buffer, 0, CHUNK_BYTES, 0);
    for (;;) {
      const { bytesRead, buffer } = await pending;
      if (bytesRead === 0) break;
      current ^= 1;
      size += bytesRead;
      pending = handle.read(buffers[current] as Buffer, 0, CHUNK_BYTES, size);
      hash.update(buffer.subarray(0, bytesRead));
    }
    return { sha256: hash.digest('hex'), size };
  } catch (error) {
    if (error instanceof LedgerError) throw error;
    throw new LedgerError('HASH', `reading failed (${describeError(error)})`, { file: path, cause: error });
  } finally {
    await handle.close();
  }
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}
