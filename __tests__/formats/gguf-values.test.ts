/**
 * GGUF metadata values of every type, version 1's 32-bit counts, and the bounds on keys, names,
 * dimensions, nesting and alignment: each kept as written, or refused naming the key or tensor.
 */
import { describe, expect, it } from '@jest/globals';

import { BufferSource, readGguf } from '../../src/formats/index.js';
import { GGUF } from '../support/ml-files.js';

const DISPLAY = 'models/m.gguf';

/** Little-endian writers for a hand-made GGUF of any version. */
const u32 = (value: number) => {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value);
  return bytes;
};
const u64 = (value: bigint | number) => {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(BigInt(value));
  return bytes;
};
const i64 = (value: bigint) => {
  const bytes = Buffer.alloc(8);
  bytes.writeBigInt64LE(value);
  return bytes;
};
const f32 = (value: number) => {
  const bytes = Buffer.alloc(4);
  bytes.writeFloatLE(value);
  return bytes;
};

function file(options: { version?: number; kv?: Buffer[]; tensors?: Buffer[]; data?: number }): Buffer {
  const version = options.version ?? 3;
  const count = (value: number) => (version === 1 ? u32(value) : u64(value));
  const header = Buffer.concat([
    Buffer.from('GGUF'),
    u32(version),
    count(options.tensors?.length ?? 0),
    count(options.kv?.length ?? 0),
    ...(options.kv ?? []),
    ...(options.tensors ?? []),
  ]);
  const padding = (32 - (header.length % 32)) % 32;
  return Buffer.concat([header, Buffer.alloc(padding), Buffer.alloc(options.data ?? 0)]);
}

function text(value: string, version = 3): Buffer {
  const bytes = Buffer.from(value);
  return Buffer.concat([version === 1 ? u32(bytes.length) : u64(bytes.length), bytes]);
}

/** One key/value: the key, its type, the value's bytes. */
function kv(key: string, type: number, value: Buffer, version = 3): Buffer {
  return Buffer.concat([text(key, version), u32(type), value]);
}

function tensor(name: string, dims: number[], type: number, offset: bigint, version = 3): Buffer {
  return Buffer.concat([
    text(name, version),
    u32(dims.length),
    ...dims.map((dim) => (version === 1 ? u32(dim) : u64(dim))),
    u32(type),
    u64(offset),
  ]);
}

const read = (bytes: Buffer) => readGguf(new BufferSource(bytes), DISPLAY);

async function refused(bytes: Buffer, field: string, message: string | RegExp): Promise<void> {
  const failure = read(bytes);
  await expect(failure).rejects.toMatchObject({ code: 'FORMAT', file: DISPLAY, field });
  await expect(failure).rejects.toThrow(message);
}

describe('GGUF metadata values', () => {
  it('keeps general.* values of every scalar type as written; 64-bit integers past 2^53 and non-finite floats as text', async () => {
    const info = await read(
      file({
        kv: [
          kv('general.i8', GGUF.I8, Buffer.from([0xfe])),
          kv('general.u16', GGUF.U16, Buffer.from([0x34, 0x12])),
          kv('general.i16', GGUF.I16, Buffer.from([0xff, 0xff])),
          kv('general.i32', GGUF.I32, Buffer.from([0xfb, 0xff, 0xff, 0xff])),
          kv('general.u64', GGUF.U64, u64(2n ** 63n)),
          kv('general.i64', GGUF.I64, i64(-(2n ** 62n))),
          kv('general.small', GGUF.I64, i64(-5n)),
          kv('general.nan', GGUF.F32, f32(Number.NaN)),
          kv('general.inf', GGUF.F64, Buffer.from([0, 0, 0, 0, 0, 0, 0xf0, 0x7f])),
          kv('general.flag', GGUF.BOOL, Buffer.from([1])),
          kv('tokenizer.ggml.skipped', GGUF.U16, Buffer.from([1, 2])),
        ],
      }),
    );
    expect(info.metadata.general).toEqual({
      i8: -2,
      u16: 0x1234,
      i16: -1,
      i32: -5,
      u64: '9223372036854775808',
      i64: '-4611686018427387904',
      small: -5,
      nan: 'NaN',
      inf: 'Infinity',
      flag: true,
    });
    expect(info.metadata.keys).toContain('tokenizer.ggml.skipped');
  });

  it('keeps short arrays, summarises long ones, skips arrays of strings outside general.*, and nests arrays', async () => {
    const strings = (items: string[]) =>
      Buffer.concat([u32(GGUF.STRING), u64(items.length), ...items.map((item) => text(item))]);
    const nested = Buffer.concat([
      u32(GGUF.ARRAY),
      u64(2),
      u32(GGUF.U8),
      u64(1),
      Buffer.from([7]),
      u32(GGUF.U8),
      u64(0),
    ]);
    const long = Buffer.concat([u32(GGUF.U8), u64(100), Buffer.alloc(100, 1)]);
    const info = await read(
      file({
        kv: [
          kv('general.tags', GGUF.ARRAY, strings(['a', 'b'])),
          kv('general.nested', GGUF.ARRAY, nested),
          kv('general.long', GGUF.ARRAY, long),
          kv('general.long_strings', GGUF.ARRAY, strings(Array.from({ length: 70 }, (_, n) => `t${n}`))),
          kv('tokenizer.ggml.tokens', GGUF.ARRAY, strings(['<s>', '</s>', 'x'])),
          kv('tokenizer.ggml.scores', GGUF.ARRAY, Buffer.concat([u32(GGUF.F32), u64(2), f32(1), f32(2)])),
          kv('general.name', GGUF.STRING, text('tiny')),
        ],
      }),
    );
    expect(info.metadata.general).toEqual({
      tags: ['a', 'b'],
      nested: [[7], []],
      long: { type: 'array<u8>', length: 100 },
      long_strings: { type: 'array<string>', length: 70 },
      name: 'tiny',
    });
    expect(info.metadata.metadataKeys).toBe(7);
  });

  it('a long general.* string is summarised by its length', async () => {
    const info = await read(file({ kv: [kv('general.license', GGUF.STRING, text('x'.repeat(70_000)))] }));
    expect(info.metadata.general).toEqual({ license: { type: 'string', length: 70_000 } });
  });

  it('refuses arrays nested too deep, long keys and unknown types, naming the key', async () => {
    let deep = Buffer.concat([u32(GGUF.U8), u64(0)]);
    for (let level = 0; level < 5; level++) deep = Buffer.concat([u32(GGUF.ARRAY), u64(1), deep]);
    await refused(
      file({ kv: [kv('general.deep', GGUF.ARRAY, deep)] }),
      'general.deep[0][0][0][0]',
      'arrays nested more than 4 deep',
    );
    await refused(
      file({ kv: [kv('k'.repeat(70_000), GGUF.U8, Buffer.from([1]))] }),
      'metadata key 0',
      'a key of 70000 bytes',
    );
    await refused(
      file({ kv: [kv('general.x', 99, Buffer.from([1]))] }),
      'general.x',
      'unknown value type 99',
    );
  });

  it('general.alignment must be a positive multiple of 8, and sets where tensor offsets must fall', async () => {
    await refused(
      file({ kv: [kv('general.alignment', GGUF.U32, u32(12))] }),
      'general.alignment',
      'must be a positive multiple of 8',
    );
    await refused(
      file({ kv: [kv('general.alignment', GGUF.STRING, text('64'))] }),
      'general.alignment',
      'must be a positive multiple of 8',
    );
    const aligned = (offset: bigint) =>
      file({
        kv: [kv('general.alignment', GGUF.U32, u32(64))],
        tensors: [tensor('w', [4], 0, offset)],
        data: 256,
      });
    expect((await read(aligned(64n))).metadata).toMatchObject({ tensors: 1, parameters: 4 });
    await refused(aligned(32n), 'tensor w', 'offset 32 is not a multiple of the alignment 64');
  });
});

describe('GGUF tensors and versions', () => {
  it('version 1 (32-bit counts, lengths and dimensions) reads like version 3', async () => {
    const bytes = file({
      version: 1,
      kv: [kv('general.name', GGUF.STRING, text('old', 1), 1)],
      tensors: [tensor('w', [2, 3], 1, 0n, 1), tensor('b', [3], 0, 32n, 1)],
      data: 64,
    });
    expect((await read(bytes)).metadata).toMatchObject({
      version: 1,
      tensors: 2,
      parameters: 9,
      tensorTypes: { F16: 1, F32: 1 },
      general: { name: 'old' },
    });
  });

  it('refuses tensor names that are too long and tensors of more than 8 dimensions; names unknown tensor types', async () => {
    await refused(
      file({ tensors: [tensor('n'.repeat(70_000), [1], 0, 0n)], data: 32 }),
      'tensor 0',
      'a name of 70000 bytes',
    );
    await refused(
      file({ tensors: [tensor('w', Array(9).fill(1) as number[], 0, 0n)], data: 32 }),
      'tensor w',
      '9 dimensions (at most 8)',
    );
    const info = await read(file({ tensors: [tensor('w', [2], 250, 0n)], data: 32 }));
    expect(info.metadata.tensorTypes).toEqual({ type250: 1 });
  });

  it('parameters past 2^53 are kept as text', async () => {
    const info = await read(file({ tensors: [tensor('w', [2 ** 31, 2 ** 31, 2 ** 31], 0, 0n)], data: 32 }));
    expect(info.metadata.parameters).toBe(String(2n ** 93n));
  });
});
