import type { JsonObject, JsonValue } from '../record/predicate.js';
import { Cursor, formatFailure, type ByteSource, type Failure } from './reader.js';
import type { FormatInfo } from './types.js';

/**
 * GGUF (llama.cpp): "GGUF", version, tensor count, metadata key/value count, the key/values, the
 * tensor infos, then aligned tensor data. We read up to the end of the tensor infos. Versions 2 and
 * 3 use 64-bit counts and lengths, version 1 used 32-bit ones.
 */

const FIX =
  'the file is not a valid GGUF file; re-convert it (llama.cpp convert scripts) or check the download';
/** Metadata plus tensor infos beyond this is no model header but an attack or a corrupt file. */
const MAX_HEADER_BYTES = 256 * 1024 * 1024;
/**
 * Counts beyond any real model (llama.cpp files carry tens of keys, and tensors in the thousands):
 * each entry costs a few reads, so a header of millions of empty entries would take minutes.
 * These bounds also keep GGUF from hiding a pickle: as a pickle, the magic's BINFLOAT swallows the
 * version, and the only way on to bytes an attacker chooses (a key's text) runs through the counts,
 * which then have to be at least 0x2800 tensors and 0x420000 keys. A file past a bound is not read
 * as GGUF, so a pickle in it is scanned as the pickle it is.
 */
const MAX_METADATA_KEYS = 100_000;
const MAX_TENSORS = 1_000_000;
/** Strings kept in the record; longer `general.*` values are summarised. */
const MAX_KEPT_STRING = 64 * 1024;
const MAX_KEY_LENGTH = 64 * 1024;
const MAX_KEPT_ARRAY = 64;
const MAX_DIMS = 8;
const MAX_ARRAY_DEPTH = 4;

const ValueType = {
  U8: 0,
  I8: 1,
  U16: 2,
  I16: 3,
  U32: 4,
  I32: 5,
  F32: 6,
  Bool: 7,
  String: 8,
  Array: 9,
  U64: 10,
  I64: 11,
  F64: 12,
} as const;

const FIXED_SIZES: Record<number, number> = {
  0: 1,
  1: 1,
  2: 2,
  3: 2,
  4: 4,
  5: 4,
  6: 4,
  7: 1,
  10: 8,
  11: 8,
  12: 8,
};
const TYPE_NAMES = [
  'u8',
  'i8',
  'u16',
  'i16',
  'u32',
  'i32',
  'f32',
  'bool',
  'string',
  'array',
  'u64',
  'i64',
  'f64',
];

/** ggml tensor types by number (ggml.h `enum ggml_type`); gaps are removed types. */
const GGML_TYPES: Record<number, string> = {
  0: 'F32',
  1: 'F16',
  2: 'Q4_0',
  3: 'Q4_1',
  6: 'Q5_0',
  7: 'Q5_1',
  8: 'Q8_0',
  9: 'Q8_1',
  10: 'Q2_K',
  11: 'Q3_K',
  12: 'Q4_K',
  13: 'Q5_K',
  14: 'Q6_K',
  15: 'Q8_K',
  16: 'IQ2_XXS',
  17: 'IQ2_XS',
  18: 'IQ3_XXS',
  19: 'IQ1_S',
  20: 'IQ4_NL',
  21: 'IQ3_S',
  22: 'IQ2_S',
  23: 'IQ4_XS',
  24: 'I8',
  25: 'I16',
  26: 'I32',
  27: 'I64',
  28: 'F64',
  29: 'IQ1_M',
  30: 'BF16',
  34: 'TQ1_0',
  35: 'TQ2_0',
  39: 'MXFP4',
};

class GgufReader {
  constructor(
    readonly cursor: Cursor,
    readonly version: number,
    readonly fail: Failure,
  ) {}

  /** Counts and lengths: u32 in version 1, u64 since. */
  async count(what: string): Promise<bigint> {
    return this.version === 1 ? BigInt(await this.cursor.u32(what)) : this.cursor.u64(what);
  }

  async string(what: string, keep: number): Promise<string | { length: number }> {
    const length = await this.count(`${what} length`);
    const size = this.cursor.require(length, what);
    if (size > keep) {
      await this.cursor.skip(size, what);
      return { length: size };
    }
    const bytes = await this.cursor.bytes(size, what);
    return bytes.toString('utf8');
  }

  async value(type: number, field: string, keep: boolean, depth = 0): Promise<JsonValue> {
    const fixed = FIXED_SIZES[type];
    if (fixed !== undefined) {
      if (!keep) {
        await this.cursor.skip(fixed, field);
        return null;
      }
      return this.scalar(type, field);
    }
    if (type === ValueType.String) {
      const text = await this.string(field, keep ? MAX_KEPT_STRING : -1);
      return typeof text === 'string' ? text : { type: 'string', length: text.length };
    }
    if (type === ValueType.Array) {
      if (depth >= MAX_ARRAY_DEPTH) throw this.fail(`arrays nested more than ${MAX_ARRAY_DEPTH} deep`, field);
      const elementType = await this.cursor.u32(`${field} element type`);
      const count = await this.count(`${field} length`);
      const elementSize = FIXED_SIZES[elementType];
      // Every element takes at least one byte (a string at least its length field): bound the count.
      const minimum = elementSize ?? (elementType === ValueType.String ? (this.version === 1 ? 4 : 8) : 4);
      this.cursor.require(count * BigInt(minimum), `${field}: ${count} elements`);
      const length = Number(count);
      if (!keep || length > MAX_KEPT_ARRAY) {
        if (elementSize !== undefined) await this.cursor.skip(length * elementSize, field);
        else {
          for (let index = 0; index < length; index++) {
            if (index % 4096 === 0 && this.cursor.position > MAX_HEADER_BYTES) {
              throw this.fail(`metadata runs past ${MAX_HEADER_BYTES} bytes`, field);
            }
            await this.value(elementType, `${field}[${index}]`, false, depth + 1);
          }
        }
        return keep ? { type: `array<${TYPE_NAMES[elementType] ?? elementType}>`, length } : null;
      }
      const values: JsonValue[] = [];
      for (let index = 0; index < length; index++)
        values.push(await this.value(elementType, `${field}[${index}]`, true, depth + 1));
      return values;
    }
    throw this.fail(`unknown value type ${type}`, field);
  }

  private async scalar(type: number, field: string): Promise<JsonValue> {
    const c = this.cursor;
    switch (type) {
      case ValueType.U8:
        return c.u8(field);
      case ValueType.I8:
        return (await c.bytes(1, field)).readInt8(0);
      case ValueType.U16:
        return c.u16(field);
      case ValueType.I16:
        return (await c.bytes(2, field)).readInt16LE(0);
      case ValueType.U32:
        return c.u32(field);
      case ValueType.I32:
        return c.i32(field);
      case ValueType.F32:
        return finite((await c.bytes(4, field)).readFloatLE(0));
      case ValueType.Bool:
        return (await c.u8(field)) !== 0;
      case ValueType.U64:
        return integer(await c.u64(field));
      case ValueType.I64:
        return integer(await c.i64(field));
      default:
        return finite((await c.bytes(8, field)).readDoubleLE(0));
    }
  }
}

/** 64-bit integers beyond 2^53 are kept as decimal text so that no digit is lost. */
function integer(value: bigint): JsonValue {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
    ? Number(value)
    : value.toString();
}

function finite(value: number): JsonValue {
  return Number.isFinite(value) ? value : String(value);
}

export async function readGguf(source: ByteSource, display: string): Promise<FormatInfo> {
  const fail = formatFailure(display, FIX);
  const cursor = new Cursor(source, 0, source.size, fail);
  if (source.size < 8)
    throw fail(`file of ${source.size} bytes is too short for a GGUF header (truncated)`, 'header');
  const magic = await cursor.bytes(4, 'the magic');
  if (magic.toString('latin1') !== 'GGUF') throw fail('does not start with "GGUF"', 'magic');
  const version = await cursor.u32('the version');
  if (version < 1 || version > 3)
    throw fail(`GGUF version ${version} is not one model-ledger reads (1-3)`, 'version');
  const reader = new GgufReader(cursor, version, fail);
  const tensorCount = await reader.count('the tensor count');
  const kvCount = await reader.count('the metadata key count');
  // The smallest key/value is an empty key, a type and a one-byte value; the smallest tensor info
  // an empty name, a dimension count, a type and an offset. Counts beyond what fits are lies.
  const lengthBytes = version === 1 ? 4 : 8;
  const minimumKv = BigInt(lengthBytes + 4 + 1);
  const minimumTensor = BigInt(lengthBytes + 4 + 4 + 8);
  if (kvCount * minimumKv > BigInt(cursor.remaining)) {
    throw fail(`claims ${kvCount} metadata keys, impossible in ${source.size} bytes`, 'metadata key count');
  }
  if (tensorCount * minimumTensor > BigInt(cursor.remaining)) {
    throw fail(`claims ${tensorCount} tensors, impossible in ${source.size} bytes`, 'tensor count');
  }
  if (kvCount > BigInt(MAX_METADATA_KEYS))
    throw fail(
      `claims ${kvCount} metadata keys, more than the ${MAX_METADATA_KEYS} read`,
      'metadata key count',
    );
  if (tensorCount > BigInt(MAX_TENSORS))
    throw fail(`claims ${tensorCount} tensors, more than the ${MAX_TENSORS} read`, 'tensor count');

  const general: JsonObject = {};
  const keys: string[] = [];
  let alignment = 32;
  for (let index = 0n; index < kvCount; index++) {
    if (cursor.position > MAX_HEADER_BYTES)
      throw fail(`metadata runs past ${MAX_HEADER_BYTES} bytes`, 'metadata');
    const key = await reader.string(`metadata key ${index}`, MAX_KEY_LENGTH);
    if (typeof key !== 'string') throw fail(`a key of ${key.length} bytes`, `metadata key ${index}`);
    const type = await cursor.u32(`${key} type`);
    const keep = key.startsWith('general.');
    const value = await reader.value(type, key, keep);
    if (keys.length < 1000) keys.push(key);
    if (keep)
      Object.defineProperty(general, key.slice('general.'.length), {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    if (key === 'general.alignment') {
      if (typeof value !== 'number' || value <= 0 || value % 8 !== 0)
        throw fail('must be a positive multiple of 8', key);
      alignment = value;
    }
  }

  const tensorTypes = new Map<string, number>();
  const offsets: { name: string; offset: bigint }[] = [];
  let parameters = 0n;
  for (let index = 0n; index < tensorCount; index++) {
    if (cursor.position > MAX_HEADER_BYTES)
      throw fail(`tensor infos run past ${MAX_HEADER_BYTES} bytes`, 'tensor infos');
    const field = `tensor ${index}`;
    const name = await reader.string(`${field} name`, MAX_KEY_LENGTH);
    if (typeof name !== 'string') throw fail(`a name of ${name.length} bytes`, field);
    const dims = await cursor.u32(`${name} dimension count`);
    if (dims > MAX_DIMS) throw fail(`${dims} dimensions (at most ${MAX_DIMS})`, `tensor ${name}`);
    let elements = 1n;
    for (let dim = 0; dim < dims; dim++)
      elements *=
        version === 1 ? BigInt(await cursor.u32(`${name} dimension`)) : await cursor.u64(`${name} dimension`);
    const type = await cursor.u32(`${name} type`);
    const offset = await cursor.u64(`${name} offset`);
    const typeName = GGML_TYPES[type] ?? `type${type}`;
    tensorTypes.set(typeName, (tensorTypes.get(typeName) ?? 0) + 1);
    parameters += elements;
    offsets.push({ name, offset });
  }
  const dataStart = Math.ceil(cursor.position / alignment) * alignment;
  const dataLength = BigInt(Math.max(0, source.size - dataStart));
  for (const { name, offset } of offsets) {
    if (offset % BigInt(alignment) !== 0n)
      throw fail(`offset ${offset} is not a multiple of the alignment ${alignment}`, `tensor ${name}`);
    if (offset > dataLength) {
      throw fail(`offset ${offset} lies beyond the ${dataLength} data bytes`, `tensor ${name}`);
    }
  }

  return {
    format: 'gguf',
    metadata: {
      version,
      tensors: Number(tensorCount),
      parameters: integer(parameters),
      tensorTypes: Object.fromEntries(tensorTypes),
      metadataKeys: Number(kvCount),
      general,
      keys,
    },
    warnings: [],
  };
}
