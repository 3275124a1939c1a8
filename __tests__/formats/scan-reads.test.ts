/**
 * What the safety scan reads of a PyTorch checkpoint: its headers and pickles, not its tensor
 * bytes. Storages whose first byte merely looks like a pickle opcode are sniffed and tried, and
 * must cost one scan window each, not a megabyte.
 */
import { describe, expect, it } from '@jest/globals';

import { BufferSource, inspectSource, type ByteSource } from '../../src/formats/index.js';
import { pickleOsSystem, pickleTorchStateDict, zipBytes } from '../support/ml-files.js';

/** A source that counts the bytes read from it. */
class CountingSource implements ByteSource {
  read_ = 0;
  private readonly inner: BufferSource;
  readonly size: number;
  constructor(bytes: Buffer) {
    this.inner = new BufferSource(bytes);
    this.size = bytes.length;
  }
  async read(offset: number, length: number): Promise<Buffer> {
    const bytes = await this.inner.read(offset, length);
    this.read_ += bytes.length;
    return bytes;
  }
}

/** Seeded noise, as float32 tensor data looks to the scan, starting with the opcode `first`. */
function storage(seed: number, length: number, first: number): Buffer {
  let state = seed;
  const bytes = Buffer.alloc(length);
  for (let index = 0; index < length; index++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[index] = state & 0xff;
  }
  bytes[0] = first;
  return bytes;
}

const STORAGES = 16;
const STORAGE_BYTES = 2 * 1024 * 1024;
/** Opcodes that start a pickle: MARK, EMPTY_DICT, EMPTY_LIST, NONE, BININT, GLOBAL, PROTO. */
const PICKLE_FIRST = [0x28, 0x7d, 0x5d, 0x4e, 0x4a, 0x63, 0x80];

function checkpoint(last?: Buffer): Buffer {
  return zipBytes([
    { name: 'archive/data.pkl', data: pickleTorchStateDict() },
    { name: 'archive/byteorder', data: Buffer.from('little') },
    ...Array.from({ length: STORAGES }, (_, index) => ({
      name: `archive/data/${index}`,
      data:
        index === STORAGES - 1 && last
          ? Buffer.concat([last, Buffer.alloc(STORAGE_BYTES - last.length)])
          : storage(index + 1, STORAGE_BYTES, PICKLE_FIRST[index % PICKLE_FIRST.length] as number),
    })),
    { name: 'archive/version', data: Buffer.from('3\n') },
  ]);
}

describe('scan reads of a checkpoint', () => {
  it('storages that only start like a pickle cost one scan window each, not the tensor bytes', async () => {
    const source = new CountingSource(checkpoint());
    const info = await inspectSource(source, 'checkpoint.pt', '.pt');
    expect(info.safety?.verdict).toBe('clean');
    // 16 storages tried as pickles: one 128 KiB read each (the scanner's 68 KiB look-ahead whole).
    expect(source.read_).toBeLessThan(STORAGES * 129 * 1024 + 256 * 1024);
    expect(source.read_ / source.size).toBeLessThan(0.07);
  });

  it('a storage that is a pickle is still scanned to its end', async () => {
    const source = new CountingSource(checkpoint(pickleOsSystem()));
    const info = await inspectSource(source, 'checkpoint.pt', '.pt');
    expect(info.safety).toMatchObject({
      verdict: 'unsafe',
      findings: [{ member: `archive/data/${STORAGES - 1}`, names: ['os.system'] }],
    });
  });

  it('a pickle larger than the first read is read in growing windows to its end', async () => {
    const body = Buffer.alloc(3 * 1024 * 1024 + 17, 'N0'); // NONE POP...
    body[0] = 0x80;
    body[1] = 0x02;
    const pickle = Buffer.concat([body, Buffer.from('cos\nsystem\n0.', 'latin1')]);
    const source = new CountingSource(pickle);
    const info = await inspectSource(source, 'big.pkl', '.pkl');
    expect(info.safety?.verdict).toBe('unsafe');
    expect(source.read_).toBeGreaterThanOrEqual(pickle.length);
  });
});
