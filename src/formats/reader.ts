import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

import { LedgerError, describeError } from '../errors.js';

/**
 * Bounded access to a model file's bytes. Every parser reads through this: it reads only the
 * ranges asked for, never the whole file, and a length read from the file is checked against what
 * is left before anything is allocated, so a header that claims 10^18 bytes is an error, not an
 * allocation.
 */

/** Reads of this size refill a cursor's window: few syscalls, small memory. */
const WINDOW_BYTES = 1024 * 1024;

export type Failure = (message: string, field?: string) => LedgerError;

/** A FORMAT error naming the file (and where in it), with what to do. */
export function formatFailure(display: string, fix: string): Failure {
  return (message, field) =>
    new LedgerError('FORMAT', message, { file: display, ...(field ? { field } : {}), fix });
}

/** Random access to bytes: a file (via its handle) or a buffer (an inflated zip entry). */
export interface ByteSource {
  readonly size: number;
  /** Exactly `length` bytes at `offset`; the caller has checked the range. */
  read(offset: number, length: number): Promise<Buffer>;
}

export class FileSource implements ByteSource {
  private constructor(
    private readonly handle: FileHandle,
    readonly size: number,
    private readonly display: string,
  ) {}

  static async open(path: string, display: string): Promise<FileSource> {
    let handle: FileHandle;
    try {
      // O_NONBLOCK: a FIFO opens at once (and is refused below) instead of blocking for a writer.
      handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (error) {
      throw new LedgerError('BAD_INPUT', `cannot open model file (${describeError(error)})`, {
        file: display,
        cause: error,
        fix: 'check that the file exists and is readable',
      });
    }
    let stats;
    try {
      stats = await handle.stat();
    } catch (error) {
      await handle.close();
      throw new LedgerError('BAD_INPUT', `cannot stat model file (${describeError(error)})`, {
        file: display,
        cause: error,
      });
    }
    if (!stats.isFile()) {
      await handle.close();
      throw new LedgerError('BAD_INPUT', 'is not a regular file', {
        file: display,
        fix: 'name a regular model file',
      });
    }
    return new FileSource(handle, stats.size, display);
  }

  async read(offset: number, length: number): Promise<Buffer> {
    const buffer = Buffer.allocUnsafe(length);
    let filled = 0;
    while (filled < length) {
      let bytesRead: number;
      try {
        ({ bytesRead } = await this.handle.read(buffer, filled, length - filled, offset + filled));
      } catch (error) {
        throw new LedgerError('FORMAT', `reading failed (${describeError(error)})`, {
          file: this.display,
          cause: error,
        });
      }
      if (bytesRead === 0) {
        throw new LedgerError(
          'FORMAT',
          `the file ended at byte ${offset + filled} while it was being read (it changed?)`,
          {
            file: this.display,
            fix: 'record once whatever writes the file has finished',
          },
        );
      }
      filled += bytesRead;
    }
    return buffer;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

export class BufferSource implements ByteSource {
  readonly size: number;
  constructor(private readonly buffer: Buffer) {
    this.size = buffer.length;
  }
  async read(offset: number, length: number): Promise<Buffer> {
    return this.buffer.subarray(offset, offset + length);
  }
}

/**
 * A sequential reader over [start, end) of a source, refilling a 1 MiB window as it goes.
 * Every read checks the bytes remaining and fails with `fail` (a FORMAT error) when they are not.
 */
export class Cursor {
  private window: Buffer = Buffer.alloc(0);
  private windowStart = 0;
  private offset: number;
  /** Where in the file this cursor reads (e.g. a pickle inside an archive); named by its errors. */
  field: string | undefined;

  constructor(
    private readonly source: ByteSource,
    start: number,
    readonly end: number,
    readonly fail: Failure,
  ) {
    this.offset = start;
  }

  get position(): number {
    return this.offset;
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  /** Fails unless `count` more bytes exist; `what` says what they were for. */
  require(count: number | bigint, what: string): number {
    if (typeof count === 'bigint' ? count > BigInt(this.remaining) : count > this.remaining) {
      throw this.fail(
        `${what} needs ${count} bytes at byte ${this.offset} but only ${this.remaining} remain (truncated or corrupt)`,
        this.field,
      );
    }
    return Number(count);
  }

  private async ensure(count: number, what: string): Promise<void> {
    this.require(count, what);
    const windowEnd = this.windowStart + this.window.length;
    if (this.offset >= this.windowStart && this.offset + count <= windowEnd) return;
    const length = Math.min(Math.max(count, WINDOW_BYTES), this.end - this.offset);
    this.window = await this.source.read(this.offset, length);
    this.windowStart = this.offset;
  }

  /** Bytes as a view of the window (valid until the next read); `count` must be checked first. */
  async bytes(count: number, what: string): Promise<Buffer> {
    await this.ensure(count, what);
    const at = this.offset - this.windowStart;
    this.offset += count;
    return this.window.subarray(at, at + count);
  }

  async skip(count: number | bigint, what: string): Promise<void> {
    this.offset += this.require(count, what);
  }

  seek(position: number): void {
    if (position < 0 || position > this.end)
      throw this.fail(`offset ${position} is outside the file`, this.field);
    this.offset = position;
  }

  async u8(what: string): Promise<number> {
    return (await this.bytes(1, what)).readUInt8(0);
  }
  async u16(what: string): Promise<number> {
    return (await this.bytes(2, what)).readUInt16LE(0);
  }
  async u32(what: string): Promise<number> {
    return (await this.bytes(4, what)).readUInt32LE(0);
  }
  async i32(what: string): Promise<number> {
    return (await this.bytes(4, what)).readInt32LE(0);
  }
  async u64(what: string): Promise<bigint> {
    return (await this.bytes(8, what)).readBigUInt64LE(0);
  }
  async i64(what: string): Promise<bigint> {
    return (await this.bytes(8, what)).readBigInt64LE(0);
  }

  /** Bytes up to (not including) the next `\n`, at most `limit` of them; the newline is consumed. */
  async line(limit: number, what: string): Promise<Buffer> {
    const parts: Buffer[] = [];
    let length = 0;
    for (;;) {
      if (this.remaining === 0)
        throw this.fail(`${what}: the file ended before the end of the line (truncated)`, this.field);
      await this.ensure(1, what);
      const at = this.offset - this.windowStart;
      const newline = this.window.indexOf(0x0a, at);
      const stop = newline === -1 ? this.window.length : newline;
      length += stop - at;
      if (length > limit)
        throw this.fail(`${what}: a line longer than ${limit} bytes at byte ${this.offset}`, this.field);
      parts.push(Buffer.from(this.window.subarray(at, stop)));
      this.offset += stop - at;
      if (newline !== -1) {
        this.offset += 1;
        return Buffer.concat(parts);
      }
    }
  }
}

/** A u64 length from the file as a number, failing when it is beyond what the file can hold. */
export function boundedLength(value: bigint, limit: number, fail: () => LedgerError): number {
  if (value > BigInt(limit)) throw fail();
  return Number(value);
}
