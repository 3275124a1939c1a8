import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

import { LedgerError, describeError, errnoCode } from '../errors.js';

/**
 * A small input file's bytes: only a regular file (a FIFO would block forever, a device never end)
 * of at most `limit` bytes is read. O_NONBLOCK keeps opening a FIFO from waiting for a writer.
 */
export async function readBoundedFile(path: string, limit: number, display = path): Promise<Buffer> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new LedgerError(
      'BAD_INPUT',
      errnoCode(error) === 'ENOENT' ? 'does not exist' : `cannot be read (${describeError(error)})`,
      { file: display, cause: error, fix: 'check the path' },
    );
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) {
      throw new LedgerError('BAD_INPUT', 'is not a regular file (a FIFO, a device or a directory)', {
        file: display,
        fix: 'pass a regular file',
      });
    }
    if (stats.size > limit) {
      throw new LedgerError(
        'BAD_INPUT',
        `is ${stats.size} bytes, more than the ${limit} such a file may have`,
        {
          file: display,
          fix: 'pass the right file; this one is far too large for what it should be',
        },
      );
    }
    const buffer = Buffer.alloc(stats.size);
    let read = 0;
    while (read < stats.size) {
      const { bytesRead } = await handle.read(buffer, read, stats.size - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return buffer.subarray(0, read);
  } finally {
    await handle.close();
  }
}

export async function readBoundedText(path: string, limit: number, display = path): Promise<string> {
  return (await readBoundedFile(path, limit, display)).toString('utf8');
}
