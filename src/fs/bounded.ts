import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
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

/** What both readers check, and how they say it, for one file. */
class BoundedRead {
  readonly code: LedgerErrorCode;
  readonly where: { file: string; field?: string };
  constructor(
    readonly limit: number,
    display: string,
    readonly options: BoundedReadOptions,
  ) {
    this.code = options.code ?? 'BAD_INPUT';
    this.where = { file: display, ...(options.field === undefined ? {} : { field: options.field }) };
  }

  openFailed(error: unknown): LedgerError {
    const missing = errnoCode(error) === 'ENOENT';
    return new LedgerError(
      this.code,
      missing ? 'does not exist' : `cannot be read (${describeError(error)})`,
      {
        ...this.where,
        cause: error,
        fix: this.options.fix ?? (missing ? 'check the path' : 'check the path and its permissions'),
      },
    );
  }

  /** The buffer to read into, once the open file is known to be regular and small enough. */
  bufferFor(stats: Stats): Buffer {
    if (!stats.isFile()) {
      throw new LedgerError(this.code, `is not a regular file (it is ${fileKind(stats)})`, {
        ...this.where,
        fix: 'name a regular file; model-ledger never reads FIFOs, devices or sockets',
      });
    }
    if (stats.size > this.limit) {
      throw new LedgerError(
        this.code,
        `is ${stats.size} bytes, more than the ${this.limit} such a file may have`,
        {
          ...this.where,
          fix: 'name the right file; this one is far too large for what it should be',
        },
      );
    }
    // One byte more than the size: a file that grows while it is read is still cut at the limit.
    return Buffer.alloc(Math.min(stats.size + 1, this.limit + 1));
  }

  result(buffer: Buffer, read: number): Buffer {
    if (read > this.limit) {
      throw new LedgerError(
        this.code,
        `grew past the ${this.limit} bytes such a file may have while it was read`,
        {
          ...this.where,
          fix: 'read it when nothing is writing to it',
        },
      );
    }
    return buffer.subarray(0, read);
  }

  readFailed(error: unknown): LedgerError {
    if (error instanceof LedgerError) return error;
    return new LedgerError(this.code, `cannot be read (${describeError(error)})`, {
      ...this.where,
      cause: error,
    });
  }
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
  const bounded = new BoundedRead(limit, display, options);
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw bounded.openFailed(error);
  }
  try {
    const buffer = bounded.bufferFor(await handle.stat());
    let read = 0;
    while (read < buffer.length) {
      const { bytesRead } = await handle.read(buffer, read, buffer.length - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return bounded.result(buffer, read);
  } catch (error) {
    throw bounded.readFailed(error);
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
  const bounded = new BoundedRead(limit, display, options);
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw bounded.openFailed(error);
  }
  try {
    const buffer = bounded.bufferFor(fstatSync(fd));
    let read = 0;
    while (read < buffer.length) {
      const bytesRead = readSync(fd, buffer, read, buffer.length - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return bounded.result(buffer, read);
  } catch (error) {
    throw bounded.readFailed(error);
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
