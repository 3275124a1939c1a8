import { LedgerError, describeError } from '../errors.js';
import type { ByteStream, ScanBudget } from './stream.js';

/**
 * The decoded bytes of a compressed stream (node:zlib's, bzip2, xz, lz4) as a ByteStream: a
 * decoder hands over its output a chunk at a time (`next`), and this class keeps what the scanner
 * has not consumed yet and
 * counts every chunk against the scan's budget, so a compression bomb ends the scan as
 * `incomplete` after at most one chunk past the bound. Anything a decoder throws that is not a
 * LedgerError is corrupt input, reported as a FORMAT error naming the file.
 */
export abstract class DecodedStream implements ByteStream {
  private pending: Buffer = Buffer.alloc(0);
  private done = false;
  private consumed = 0;

  constructor(
    protected readonly budget: ScanBudget,
    /** The format's name in messages: `bzip2`, `xz`, `lz4`. */
    protected readonly format: string,
  ) {}

  /** The next decoded bytes, or null at the end of the stream. */
  protected abstract next(): Promise<Buffer | null>;

  /** Frees the decoder; called by `close`, possibly more than once. */
  protected abstract release(): void;

  /** A FORMAT error for corrupt or truncated input. */
  protected corrupt(detail: string, cause?: unknown): LedgerError {
    return new LedgerError('FORMAT', `${this.format} data is corrupt or truncated (${detail})`, {
      file: this.budget.file,
      ...(cause === undefined ? {} : { cause }),
      fix: 'the file is damaged; check the download',
    });
  }

  get position(): number {
    return this.consumed;
  }

  private async pull(): Promise<boolean> {
    if (this.done) return false;
    let chunk: Buffer | null;
    try {
      chunk = await this.next();
    } catch (error) {
      this.done = true;
      if (error instanceof LedgerError) throw error;
      throw this.corrupt(describeError(error), error);
    }
    if (chunk === null) {
      this.done = true;
      return false;
    }
    this.budget.inflate(chunk.length);
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    return true;
  }

  async fill(min: number): Promise<Buffer> {
    while (this.pending.length < min && (await this.pull()));
    return this.pending;
  }

  consume(count: number): void {
    this.pending = this.pending.subarray(count);
    this.consumed += count;
  }

  async skip(count: number): Promise<boolean> {
    let left = count;
    for (;;) {
      const take = Math.min(left, this.pending.length);
      this.consume(take);
      left -= take;
      if (left === 0) return true;
      if (!(await this.pull())) return false;
    }
  }

  close(): void {
    this.done = true;
    this.pending = Buffer.alloc(0);
    this.release();
  }
}
