import bitIterator from 'unbzip2-stream/lib/bit_iterator.js';
import bzip2 from 'unbzip2-stream/lib/bzip2.js';

import { DecodedStream } from './decoded.js';
import type { ByteSource } from './reader.js';
import type { ScanBudget } from './stream.js';

/**
 * The decoded bytes of a bzip2 file (`.pkl.bz2`, `joblib.dump(..., 'f.bz2')`), one block at a
 * time. The block decoder is synchronous and reads its input through a callback, so before each
 * block enough compressed bytes are read ahead to hold any block; one block decodes to at most
 * ~46 MB (900 000 symbols, runs of up to 259 bytes), which bounds the memory a bomb can take
 * before the budget sees its output. Concatenated streams are read on, as Python's bz2 module
 * does; bytes after the last stream that do not start another are ignored, as it ignores them.
 */

/**
 * Compressed bytes buffered before a block is decoded. A block holds at most 32 767 selectors of
 * 50 symbols of at most 20 bits (about 4 MB) plus its tables; a decoder asking for more than
 * this is reading a corrupt block.
 */
const LOOKAHEAD = 5 * 1024 * 1024;
const CHUNK = 1024 * 1024;
const INPUT_CHUNK = 1024 * 1024;

export class Bzip2Stream extends DecodedStream {
  private readonly queue: Buffer[] = [];
  /** Where the next read of the source starts, and the bytes handed to the bit reader's queue. */
  private readAt: number;
  private queued = 0;
  private bits: ReturnType<typeof bitIterator> | undefined;
  private blockBuffer: Int32Array | undefined;
  /** The running CRC of the stream being read, or undefined between streams. */
  private streamCRC: number | undefined;
  private streams = 0;
  private finished = false;
  private readonly output: Buffer[] = [];
  private chunk = Buffer.allocUnsafe(CHUNK);
  private filled = 0;

  constructor(
    private readonly source: ByteSource,
    private readonly start: number,
    private readonly end: number,
    budget: ScanBudget,
  ) {
    super(budget, 'bzip2');
    this.readAt = start;
  }

  protected async next(): Promise<Buffer | null> {
    while (this.output.length === 0) {
      if (this.finished) return null;
      if (this.streamCRC === undefined && this.streams > 0 && !(await this.anotherStream())) {
        this.finished = true;
        return null;
      }
      await this.readAhead();
      this.step();
    }
    return this.output.shift() ?? null;
  }

  /** One stream header or one block, decoded into `output`. */
  private step(): void {
    const bits = (this.bits ??= bitIterator(() => this.nextInput()));
    if (this.streamCRC === undefined) {
      const size = 100_000 * bzip2.header(bits);
      if (this.blockBuffer?.length !== size) this.blockBuffer = new Int32Array(size);
      this.streamCRC = 0;
      return;
    }
    const buffer = this.blockBuffer as Int32Array;
    const crc = bzip2.decompress(bits, (byte) => this.write(byte), buffer, buffer.length, this.streamCRC);
    this.flush();
    if (crc === null) {
      this.streams++;
      this.streamCRC = undefined;
    } else this.streamCRC = crc;
  }

  /** After a stream's end marker (the bit reader is then byte-aligned): does another stream follow? */
  private async anotherStream(): Promise<boolean> {
    const at = this.start + (this.bits?.bytesRead ?? 0);
    if (at + 4 > this.end) return false;
    const head = await this.source.read(at, 4);
    return (
      head.toString('latin1', 0, 3) === 'BZh' && (head[3] as number) >= 0x31 && (head[3] as number) <= 0x39
    );
  }

  private write(byte: number): void {
    this.chunk[this.filled++] = byte;
    if (this.filled === CHUNK) this.flush();
  }

  private flush(): void {
    if (this.filled === 0) return;
    this.output.push(this.chunk.subarray(0, this.filled));
    this.chunk = Buffer.allocUnsafe(CHUNK);
    this.filled = 0;
  }

  /** Reads the source until LOOKAHEAD unread bytes are queued, or to its end. */
  private async readAhead(): Promise<void> {
    const read = this.bits?.bytesRead ?? 0;
    while (this.queued - read < LOOKAHEAD && this.readAt < this.end) {
      const length = Math.min(INPUT_CHUNK, this.end - this.readAt);
      this.queue.push(await this.source.read(this.readAt, length));
      this.readAt += length;
      this.queued += length;
    }
  }

  private nextInput(): Uint8Array {
    const next = this.queue.shift();
    if (next !== undefined) return next;
    throw new Error(
      this.readAt >= this.end
        ? 'the stream ends before its end-of-stream marker'
        : 'a block longer than any bzip2 encoder writes',
    );
  }

  protected release(): void {
    this.queue.length = 0;
    this.output.length = 0;
    this.finished = true;
  }
}
