import { LedgerError } from '../errors.js';
import { DecodedStream } from './decoded.js';
import type { ByteSource } from './reader.js';
import { RangeStream, type ScanBudget } from './stream.js';

/**
 * The decoded bytes of an LZ4 frame file (`.pkl.lz4`, `joblib.dump(..., 'f.lz4')`, which writes
 * through Python's lz4.frame), one block at a time. The frame format is small enough to read here
 * (https://github.com/lz4/lz4/blob/dev/doc/lz4_Frame_format.md): a header, blocks of at most
 * 4 MiB, an end mark. Every length and match offset is checked against the block and its window
 * before it is used, so a hostile block is an error, never a read or write out of bounds.
 *
 * Checksums (header, block, content) are not verified: the scan judges the bytes a loader would
 * decode, and a loader that checks the content checksum does so at the end, after the unpickler
 * already ran what came before it. Concatenated and skippable frames are read on; bytes after the
 * last frame that do not start another are ignored, as lz4.frame ignores them.
 */

const FRAME_MAGIC = 0x184d2204;
/** Skippable frames: 0x184D2A50 to 0x184D2A5F, then a 4-byte length. */
const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;
/** Linked blocks may copy from the last 64 KiB of the blocks before them. */
const WINDOW = 64 * 1024;
const BLOCK_MAX: Record<number, number> = { 4: 64 * 1024, 5: 256 * 1024, 6: 1024 * 1024, 7: 4 * 1024 * 1024 };
const UNCOMPRESSED = 0x80000000;

interface Frame {
  blockMax: number;
  linked: boolean;
  blockChecksum: boolean;
  contentChecksum: boolean;
}

export class Lz4Stream extends DecodedStream {
  private readonly input: RangeStream;
  private frame: Frame | undefined;
  private frames = 0;
  private finished = false;
  /** Previous output (for linked blocks) followed by the block being decoded. */
  private window = Buffer.alloc(0);
  private history = 0;

  constructor(source: ByteSource, start: number, end: number, budget: ScanBudget) {
    super(budget, 'lz4');
    this.input = new RangeStream(source, start, end);
  }

  protected async next(): Promise<Buffer | null> {
    for (;;) {
      if (this.finished) return null;
      if (!this.frame) {
        if (!(await this.startFrame())) {
          this.finished = true;
          return null;
        }
        continue;
      }
      const block = await this.nextBlock(this.frame);
      if (block === null) {
        this.frame = undefined;
        this.frames++;
      } else if (block.length > 0) return block;
    }
  }

  /** Reads a frame header (skipping skippable frames); false at the end of the data. */
  private async startFrame(): Promise<boolean> {
    for (;;) {
      const head = await this.input.fill(4);
      if (head.length < 4) {
        if (this.frames > 0) return false;
        throw this.corrupt('the stream ends inside the frame header');
      }
      const magic = head.readUInt32LE(0);
      if ((magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE_MAGIC) {
        const skippable = await this.input.fill(8);
        if (skippable.length < 8) throw this.corrupt('the stream ends inside a skippable frame');
        const length = skippable.readUInt32LE(4);
        this.input.consume(8);
        if (!(await this.input.skip(length))) throw this.corrupt('the stream ends inside a skippable frame');
        continue;
      }
      if (magic !== FRAME_MAGIC) {
        if (this.frames > 0) return false;
        throw this.corrupt('no LZ4 frame magic');
      }
      const header = await this.input.fill(7);
      if (header.length < 7) throw this.corrupt('the stream ends inside the frame header');
      const flags = header[4] as number;
      const descriptor = header[5] as number;
      if (flags >> 6 !== 1) throw this.corrupt(`frame version ${flags >> 6}, not 1`);
      if ((flags & 0x02) !== 0 || (descriptor & 0x8f) !== 0)
        throw this.corrupt('reserved bits set in the frame descriptor');
      const blockMax = BLOCK_MAX[(descriptor >> 4) & 0x07];
      if (blockMax === undefined) throw this.corrupt(`block size code ${(descriptor >> 4) & 0x07}`);
      if ((flags & 0x01) !== 0)
        throw new LedgerError('FORMAT', 'an LZ4 frame that needs a preset dictionary cannot be decoded', {
          file: this.budget.file,
          fix: 'save it without a dictionary, or uncompressed, to have it scanned',
        });
      // Magic, flags, descriptor, content size if present, header checksum.
      const length = 6 + ((flags & 0x08) !== 0 ? 8 : 0) + 1;
      if ((await this.input.fill(length)).length < length)
        throw this.corrupt('the stream ends inside the frame header');
      this.input.consume(length);
      this.frame = {
        blockMax,
        linked: (flags & 0x20) === 0,
        blockChecksum: (flags & 0x10) !== 0,
        contentChecksum: (flags & 0x04) !== 0,
      };
      if (this.window.length < WINDOW + blockMax) this.window = Buffer.allocUnsafe(WINDOW + blockMax);
      this.history = 0;
      return true;
    }
  }

  /** The next block's bytes, or null at the frame's end mark. */
  private async nextBlock(frame: Frame): Promise<Buffer | null> {
    const head = await this.input.fill(4);
    if (head.length < 4) throw this.corrupt('the stream ends before the frame end mark');
    const word = head.readUInt32LE(0);
    this.input.consume(4);
    if (word === 0) {
      if (frame.contentChecksum && !(await this.input.skip(4)))
        throw this.corrupt('the stream ends inside the content checksum');
      return null;
    }
    const size = (word & ~UNCOMPRESSED) >>> 0;
    if (size > frame.blockMax)
      throw this.corrupt(`a block of ${size} bytes in a frame of ${frame.blockMax}-byte blocks`);
    const data = await this.input.fill(size);
    if (data.length < size) throw this.corrupt('the stream ends inside a block');
    const base = frame.linked ? this.history : 0;
    let end: number;
    if ((word & UNCOMPRESSED) !== 0) {
      data.copy(this.window, base, 0, size);
      end = base + size;
    } else end = this.decodeBlock(data.subarray(0, size), base, base + frame.blockMax);
    this.input.consume(size);
    if (frame.blockChecksum && !(await this.input.skip(4)))
      throw this.corrupt('the stream ends inside a block checksum');
    const block = Buffer.from(this.window.subarray(base, end));
    if (frame.linked) {
      const keep = Math.min(WINDOW, end);
      this.window.copy(this.window, 0, end - keep, end);
      this.history = keep;
    }
    return block;
  }

  /** Decodes one compressed block into the window at `base`; returns where its output ends. */
  private decodeBlock(src: Buffer, base: number, limit: number): number {
    const out = this.window;
    let at = 0;
    let to = base;
    const extend = (length: number): number => {
      let total = length;
      for (;;) {
        if (at >= src.length) throw this.corrupt('a length runs past the end of its block');
        const byte = src[at++] as number;
        total += byte;
        if (byte !== 255) return total;
      }
    };
    while (at < src.length) {
      const token = src[at++] as number;
      let literals = token >> 4;
      if (literals === 15) literals = extend(15);
      if (at + literals > src.length) throw this.corrupt('literals run past the end of their block');
      if (to + literals > limit) throw this.corrupt('a block decodes to more than its frame allows');
      src.copy(out, to, at, at + literals);
      at += literals;
      to += literals;
      // The last sequence of a block is literals only.
      if (at === src.length) break;
      if (at + 2 > src.length) throw this.corrupt('a match offset runs past the end of its block');
      const offset = (src[at] as number) | ((src[at + 1] as number) << 8);
      at += 2;
      if (offset === 0 || offset > to) throw this.corrupt(`a match offset of ${offset} before the data`);
      let length = (token & 0x0f) + 4;
      if (length === 19) length = extend(19);
      if (to + length > limit) throw this.corrupt('a block decodes to more than its frame allows');
      const from = to - offset;
      if (offset === 1) out.fill(out[from] as number, to, to + length);
      else if (offset >= length) out.copy(out, to, from, from + length);
      else for (let index = 0; index < length; index++) out[to + index] = out[from + index] as number;
      to += length;
    }
    return to;
  }

  protected release(): void {
    this.finished = true;
    this.input.close();
  }
}
