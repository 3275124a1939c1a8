import xzDecompress from 'xz-decompress';

import { LedgerError, describeError } from '../errors.js';
import { DecodedStream } from './decoded.js';
import type { ByteSource } from './reader.js';
import { compressedChunks, type ScanBudget } from './stream.js';

/**
 * The decoded bytes of an xz file (`.pkl.xz`, `joblib.dump(..., 'f.xz')`), pulled 64 KiB at a
 * time from xz-embedded (compiled to WebAssembly, embedded in the package: nothing is fetched at
 * run time). Its dictionary is capped at 64 MiB, so a header that asks for more is an error rather
 * than an allocation; concatenated streams are read on.
 *
 * xz-decompress lets one decoder exist at a time and queues the others, so every stream must be
 * closed (which cancels it) before the next is read; the scan never reads two at once.
 */
export class XzStream extends DecodedStream {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private inputEnded = false;
  private released = false;

  constructor(source: ByteSource, start: number, end: number, budget: ScanBudget) {
    super(budget, 'xz');
    const chunks = compressedChunks(source, start, end);
    const input = new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        const next = await chunks.next();
        if (next.done) {
          this.inputEnded = true;
          controller.close();
        } else controller.enqueue(next.value);
      },
      cancel: async () => {
        await chunks.return(undefined);
      },
    });
    this.reader = new xzDecompress.XzReadableStream(input).getReader();
  }

  protected async next(): Promise<Buffer | null> {
    let result: Awaited<ReturnType<typeof this.reader.read>>;
    try {
      result = await this.reader.read();
    } catch (error) {
      throw this.failure(error);
    }
    if (result.done) return null;
    const bytes = result.value;
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** The decoder reports xz-embedded's `enum xz_ret` as a bare number: what each means here. */
  private failure(error: unknown): LedgerError {
    const code = /error code (\d+)/.exec(describeError(error))?.[1];
    switch (code) {
      case '3':
      case '4':
        return this.unsupported('a dictionary larger than the 64 MiB the decoder allows', error);
      case '6':
        return this.unsupported(
          'options the decoder does not support (a SHA-256 check, or a BCJ or delta filter)',
          error,
        );
      case '5':
        return this.corrupt('not an xz stream', error);
      case '7':
        return this.corrupt('the data does not decode, or its check does not match', error);
      case '8':
        return this.corrupt('the stream ends before its end marker', error);
      default:
        // Past the end of its input the decoder fails on a missing buffer rather than saying so.
        return this.inputEnded
          ? this.corrupt('the stream ends before its end marker', error)
          : this.corrupt(describeError(error), error);
    }
  }

  private unsupported(what: string, cause: unknown): LedgerError {
    return new LedgerError('FORMAT', `the xz stream uses ${what}, so it was not decoded`, {
      file: this.budget.file,
      cause,
      fix: "save it with xz defaults (as Python's lzma and joblib do), gzip or uncompressed to have it scanned",
    });
  }

  protected release(): void {
    if (this.released) return;
    this.released = true;
    // Cancelling frees the decoder's context for the next stream; a stream that already failed or
    // ended rejects the cancel, and has nothing left to free.
    this.reader.cancel().catch(() => undefined);
  }
}
