import type { FileHandle } from 'node:fs/promises';

/** About a MiB: large enough that tens of thousands of small parts cost a few dozen writes. */
const BATCH_BYTES = 1024 * 1024;

/**
 * Sequential writes to a file, gathered into writes of about a MiB at explicit offsets: a pack of
 * a long ledger has tens of thousands of small parts, and a round trip through the thread pool
 * for each would cost more than the bytes. Call `flush` before reading the file or closing it.
 */
export class BatchedWrites {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private written: number;

  constructor(
    private readonly handle: FileHandle,
    start = 0,
  ) {
    this.written = start;
  }

  /** Adds `bytes` after what was added before; resolves to their offset in the file. */
  async add(bytes: Buffer): Promise<number> {
    const at = this.written + this.pendingBytes;
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    if (this.pendingBytes >= BATCH_BYTES) await this.flush();
    return at;
  }

  /** Writes what is pending, whole (a short write is continued). */
  async flush(): Promise<void> {
    if (this.pendingBytes === 0) return;
    const data = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    for (let done = 0; done < data.length;) {
      const { bytesWritten } = await this.handle.write(data, done, data.length - done, this.written + done);
      done += bytesWritten;
    }
    this.written += data.length;
  }
}
