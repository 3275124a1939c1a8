import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';

import { LedgerError, describeError, errnoCode, type LedgerErrorCode } from '../errors.js';

export interface BoundedReadOptions {
  /** The error code a refused file is reported with (default BAD_INPUT). */
  code?: LedgerErrorCode;
  /** The field or option the file came from (`--policy`, `training`). */
  field?: string;
  /** What to do about a missing or unreadable file (default: check the path). */
  fix?: string;
}

/**
 * A small input file's bytes: only a regular file (a FIFO would block forever, a device never end)
 * of at most `limit` bytes is read. O_NONBLOCK keeps opening a FIFO from waiting for a writer;
 * the type is checked on the open descriptor, so a file swapped after a check is still caught.
 * Errors are LedgerErrors naming `display`; a missing file keeps errno ENOENT in its `cause`.
 */
export async function readBoundedFile(
  path: string,
  limit: number,
  display = path,
  options: BoundedReadOptions = {},
): Promise<Buffer> {
  const code = options.code ?? 'BAD_INPUT';
  const where = { file: display, ...(options.field === undefined ? {} : { field: options.field }) };
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const missing = errnoCode(error) === 'ENOENT';
    throw new LedgerError(code, missing ? 'does not exist' : `cannot be read (${describeError(error)})`, {
      ...where,
      cause: error,
      fix: options.fix ?? (missing ? 'check the path' : 'check the path and its permissions'),
    });
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) {
      throw new LedgerError(code, `is not a regular file (it is ${fileKind(stats)})`, {
        ...where,
        fix: 'name a regular file; model-ledger never reads FIFOs, devices or sockets',
      });
    }
    if (stats.size > limit) {
      throw new LedgerError(code, `is ${stats.size} bytes, more than the ${limit} such a file may have`, {
        ...where,
        fix: 'name the right file; this one is far too large for what it should be',
      });
    }
    // One byte more than the size: a file that grows while it is read is still cut at the limit.
    const buffer = Buffer.alloc(Math.min(stats.size + 1, limit + 1));
    let read = 0;
    while (read < buffer.length) {
      const { bytesRead } = await handle.read(buffer, read, buffer.length - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    if (read > limit) {
      throw new LedgerError(code, `grew past the ${limit} bytes such a file may have while it was read`, {
        ...where,
        fix: 'read it when nothing is writing to it',
      });
    }
    return buffer.subarray(0, read);
  } catch (error) {
    if (error instanceof LedgerError) throw error;
    throw new LedgerError(code, `cannot be read (${describeError(error)})`, { ...where, cause: error });
  } finally {
    await handle.close();
  }
}

/**
 * readBoundedFile without the thread pool: for reading many small files in a row (a ledger's
 * bundles), where four round trips through libuv per file cost more than the reads themselves.
 * The same checks, on the open descriptor; the same errors.
 */
export function readBoundedFileSync(
  path: string,
  limit: number,
  display = path,
  options: BoundedReadOptions = {},
): Buffer {
  const code = options.code ?? 'BAD_INPUT';
  const where = { file: display, ...(options.field === undefined ? {} : { field: options.field }) };
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const missing = errnoCode(error) === 'ENOENT';
    throw new LedgerError(code, missing ? 'does not exist' : `cannot be read (${describeError(error)})`, {
      ...where,
      cause: error,
      fix: options.fix ?? (missing ? 'check the path' : 'check the path and its permissions'),
    });
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) {
      throw new LedgerError(code, `is not a regular file (it is ${fileKind(stats)})`, {
        ...where,
        fix: 'name a regular file; model-ledger never reads FIFOs, devices or sockets',
      });
    }
    if (stats.size > limit) {
      throw new LedgerError(code, `is ${stats.size} bytes, more than the ${limit} such a file may have`, {
        ...where,
        fix: 'name the right file; this one is far too large for what it should be',
      });
    }
    const buffer = Buffer.allocUnsafe(Math.min(stats.size + 1, limit + 1));
    let read = 0;
    while (read < buffer.length) {
      const bytesRead = readSync(fd, buffer, read, buffer.length - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    if (read > limit) {
      throw new LedgerError(code, `grew past the ${limit} bytes such a file may have while it was read`, {
        ...where,
        fix: 'read it when nothing is writing to it',
      });
    }
    return buffer.subarray(0, read);
  } catch (error) {
    if (error instanceof LedgerError) throw error;
    throw new LedgerError(code, `cannot be read (${describeError(error)})`, { ...where, cause: error });
  } finally {
    closeSync(fd);
  }
}

export async function readBoundedText(
  path: string,
  limit: number,
  display = path,
  options: BoundedReadOptions = {},
): Promise<string> {
  return (await readBoundedFile(path, limit, display, options)).toString('utf8');
}

/** Whether an error from readBoundedFile says the file does not exist (for optional files). */
export function isMissingFile(error: unknown): boolean {
  return error instanceof LedgerError && errnoCode(error.cause) === 'ENOENT';
}

function fileKind(stats: {
  isDirectory(): boolean;
  isFIFO(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isSocket(): boolean;
}): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isSocket()) return 'a socket';
  return 'not a file';
}
