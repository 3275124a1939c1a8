import { Readable } from 'node:stream';
import {
  createBrotliDecompress,
  createGunzip,
  createInflate,
  createInflateRaw,
  type Gunzip,
} from 'node:zlib';

import { LedgerError } from '../errors.js';
import { DecodedStream } from './decoded.js';
import type { ByteSource } from './reader.js';

/**
 * Sequential reading for the safety scan: a byte range of a file, or the inflated bytes of a
 * compressed stream, read forward in large chunks so that the pickle scanner can walk opcodes
 * synchronously and wait for I/O only once per chunk. Inflated bytes count against the scan's
 * budget, so a compression bomb ends the scan as `incomplete` instead of exhausting memory.
 */

const CHUNK = 1024 * 1024;
/**
 * A range's first read: a zip's tensor storages are sniffed, and the ones whose first byte merely
 * looks like a pickle opcode (about one in seven of random floats) fail to parse within a few
 * bytes, so reading a whole CHUNK of each would read tensor bytes for nothing. The first read holds
 * the pickle scanner's look-ahead (68 KiB) whole, so a failed try costs one read; reads double from
 * here up to CHUNK, which keeps a real pickle's scan at one read per CHUNK.
 */
const FIRST_CHUNK = 128 * 1024;

/** A scan bound was hit (depth, entries, inflated bytes, memo...): the verdict is `incomplete`. */
export class ScanBoundError extends LedgerError {
  constructor(message: string, file: string) {
    super('FORMAT', message, { file, fix: 'the scan stopped at a bound; treat the file as unchecked' });
    this.name = 'ScanBoundError';
  }
}

/** What one file's scan may spend, shared by every container and stream inside it. */
export class ScanBudget {
  inflated = 0;
  members = 0;
  constructor(
    readonly file: string,
    readonly limits: ScanLimits = DEFAULT_LIMITS,
  ) {}

  /** Counts inflated bytes, failing with a ScanBoundError past the limit. */
  inflate(bytes: number): void {
    this.inflated += bytes;
    if (this.inflated > this.limits.inflatedBytes)
      throw new ScanBoundError(
        `inflates to more than ${this.limits.inflatedBytes} bytes (a compression bomb?); the rest was not scanned`,
        this.file,
      );
  }

  member(): void {
    this.members++;
    if (this.members > this.limits.members)
      throw new ScanBoundError(
        `holds more than ${this.limits.members} archive members; the rest were not scanned`,
        this.file,
      );
  }
}

export interface ScanLimits {
  /** Containers inside containers (a zip in a tar in a gzip is depth 3). */
  depth: number;
  /** Archive members looked at, over the whole file. */
  members: number;
  /** Bytes inflated from compressed streams and members, over the whole file. */
  inflatedBytes: number;
  /** A compressed member that must be read at random (a zip inside a zip) is inflated into memory up to this. */
  memberInMemory: number;
}

export const DEFAULT_LIMITS: ScanLimits = {
  depth: 6,
  members: 20_000,
  inflatedBytes: 4 * 1024 * 1024 * 1024,
  memberInMemory: 256 * 1024 * 1024,
};

export interface ByteStream {
  /** Bytes consumed since the start of the stream. */
  readonly position: number;
  /** The unread bytes from `position`: at least `min` of them, or fewer only at the end. */
  fill(min: number): Promise<Buffer>;
  /** Marks `count` bytes of the last `fill` as read. */
  consume(count: number): void;
  /** Moves `count` bytes forward, past what `fill` returned if need be; false if the stream ended first. */
  skip(count: number): Promise<boolean>;
  close(): void;
}

/** [start, end) of a random-access source. */
export class RangeStream implements ByteStream {
  private chunk: Buffer = Buffer.alloc(0);
  private chunkStart = 0;
  private at: number;
  private next = FIRST_CHUNK;
  constructor(
    private readonly source: ByteSource,
    private readonly start: number,
    private readonly end: number,
  ) {
    this.at = start;
  }
  get position(): number {
    return this.at - this.start;
  }
  async fill(min: number): Promise<Buffer> {
    const want = Math.min(min, this.end - this.at);
    const offset = this.at - this.chunkStart;
    if (offset >= 0 && offset + want <= this.chunk.length) return this.chunk.subarray(offset);
    const length = Math.min(Math.max(min, this.next), this.end - this.at);
    this.next = Math.min(this.next * 2, CHUNK);
    this.chunk = await this.source.read(this.at, length);
    this.chunkStart = this.at;
    return this.chunk;
  }
  consume(count: number): void {
    this.at += count;
  }
  async skip(count: number): Promise<boolean> {
    if (this.at + count > this.end) {
      this.at = this.end;
      return false;
    }
    this.at += count;
    return true;
  }
  close(): void {}
}

export type Compression = 'gzip' | 'zlib' | 'deflate-raw' | 'brotli';

/**
 * The inflated bytes of a compressed range (gzip, zlib, raw deflate, brotli: node:zlib's
 * decoders), pulled as they are needed and counted against `budget` like every decoded stream.
 */
export class InflateStream extends DecodedStream {
  private readonly inflater: Gunzip;
  private readonly input: Readable;
  private readonly output: AsyncIterator<Buffer>;

  constructor(source: ByteSource, start: number, end: number, kind: Compression, budget: ScanBudget) {
    super(budget, 'compressed');
    const options = { chunkSize: 256 * 1024 };
    this.inflater =
      kind === 'gzip'
        ? createGunzip(options)
        : kind === 'zlib'
          ? createInflate(options)
          : kind === 'deflate-raw'
            ? createInflateRaw(options)
            : createBrotliDecompress(options);
    this.input = Readable.from(compressedChunks(source, start, end));
    this.input.on('error', (error) => this.inflater.destroy(error));
    this.input.pipe(this.inflater);
    this.output = this.inflater[Symbol.asyncIterator]();
  }

  protected async next(): Promise<Buffer | null> {
    const next = await this.output.next();
    return next.done ? null : next.value;
  }

  protected release(): void {
    this.input.destroy();
    this.inflater.destroy();
  }
}

/** [start, end) of a source in chunks of at most 1 MiB, for decoders that take their input pushed. */
export async function* compressedChunks(
  source: ByteSource,
  start: number,
  end: number,
): AsyncGenerator<Buffer> {
  for (let at = start; at < end; at += CHUNK) yield await source.read(at, Math.min(CHUNK, end - at));
}

/** Everything left in a stream, up to `limit` bytes (null when it holds more): for members read at random. */
export async function readAll(stream: ByteStream, limit: number): Promise<Buffer | null> {
  const parts: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = await stream.fill(1);
    if (chunk.length === 0) return Buffer.concat(parts, total);
    total += chunk.length;
    if (total > limit) return null;
    parts.push(Buffer.from(chunk));
    stream.consume(chunk.length);
  }
}
