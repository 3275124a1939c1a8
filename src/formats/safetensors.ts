import { createHash } from 'node:crypto';

import type { ArtifactWarning, JsonObject } from '../record/predicate.js';
import { Cursor, formatFailure, type ByteSource } from './reader.js';
import { wellFormed } from './safety.js';
import type { FormatInfo } from './types.js';

/** The safetensors reference implementation refuses headers over 100 MB; so do we. */
export const SAFETENSORS_MAX_HEADER = 100_000_000;

/** Bits per element of each dtype the safetensors format defines. */
const DTYPE_BITS: Record<string, number> = {
  BOOL: 8,
  U8: 8,
  I8: 8,
  F8_E5M2: 8,
  F8_E4M3: 8,
  F8_E8M0: 8,
  I16: 16,
  U16: 16,
  F16: 16,
  BF16: 16,
  I32: 32,
  U32: 32,
  F32: 32,
  F64: 64,
  I64: 64,
  U64: 64,
  C64: 64,
  F4: 4,
  F6_E2M3: 6,
  F6_E3M2: 6,
};

const FIX =
  'the file is not a valid safetensors file; re-export it (e.g. safetensors.torch.save_file) or check the download';

interface TensorSlot {
  name: string;
  begin: number;
  end: number;
}

/**
 * Reads a safetensors header: 8-byte little-endian length, then that many bytes of JSON describing
 * each tensor's dtype, shape and [begin, end) offsets into the data that follows. Checks that the
 * offsets tile the data exactly (no gap, no overlap, nothing past the end) and that each tensor's
 * byte length matches its shape and dtype. Reads the header only.
 */
export async function readSafetensors(source: ByteSource, display: string): Promise<FormatInfo> {
  const fail = formatFailure(display, FIX);
  const cursor = new Cursor(source, 0, source.size, fail);
  if (source.size < 8)
    throw fail(`file of ${source.size} bytes is shorter than the 8-byte header length (truncated)`, 'header');
  const declared = await cursor.u64('the header length');
  if (declared > BigInt(SAFETENSORS_MAX_HEADER)) {
    throw fail(
      `header claims ${declared} bytes, over the ${SAFETENSORS_MAX_HEADER}-byte limit`,
      'header length',
    );
  }
  const headerLength = Number(declared);
  if (headerLength > cursor.remaining) {
    throw fail(
      `header claims ${headerLength} bytes but only ${cursor.remaining} follow (truncated)`,
      'header length',
    );
  }
  const raw = Buffer.from(await cursor.bytes(headerLength, 'the header'));
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw));
  } catch (error) {
    throw fail(
      `header is not UTF-8 JSON (${error instanceof Error ? error.message : String(error)})`,
      'header',
    );
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw fail('header is not a JSON object', 'header');
  }
  const dataLength = source.size - 8 - headerLength;
  const warnings: ArtifactWarning[] = [];
  const slots: TensorSlot[] = [];
  const dtypes = new Map<string, number>();
  let parameters = 0n;
  let userMetadata: { kept: JsonObject; omitted: JsonObject } | undefined;

  for (const [name, value] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      userMetadata = readUserMetadata(value, fail);
      continue;
    }
    const field = `tensors.${name}`;
    if (typeof value !== 'object' || value === null) throw fail('is not an object', field);
    const {
      dtype,
      shape,
      data_offsets: offsets,
    } = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof dtype !== 'string') throw fail('has no dtype string', `${field}.dtype`);
    if (!Array.isArray(shape) || !shape.every((dim) => Number.isSafeInteger(dim) && (dim as number) >= 0)) {
      throw fail('is not a list of non-negative integers', `${field}.shape`);
    }
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every((offset) => Number.isSafeInteger(offset) && (offset as number) >= 0)
    ) {
      throw fail('is not a pair of non-negative integers', `${field}.data_offsets`);
    }
    const [begin, end] = offsets as [number, number];
    if (begin > end || end > dataLength) {
      throw fail(`[${begin}, ${end}] lies outside the ${dataLength} data bytes`, `${field}.data_offsets`);
    }
    const elements = (shape as number[]).reduce((product, dim) => product * BigInt(dim), 1n);
    const bits = Object.hasOwn(DTYPE_BITS, dtype) ? DTYPE_BITS[dtype] : undefined;
    if (bits === undefined) {
      warnings.push({
        code: 'SAFETENSORS_UNKNOWN_DTYPE',
        message: wellFormed(
          `${display}: tensor ${name.slice(0, 256)} has dtype ${dtype.slice(0, 64)}, which model-ledger does not know; its size was not checked`,
        ),
      });
    } else if (elements * BigInt(bits) !== BigInt(end - begin) * 8n) {
      throw fail(
        `holds ${end - begin} bytes but shape ${JSON.stringify(shape)} of ${dtype} needs ${(elements * BigInt(bits)) / 8n}`,
        `${field}.data_offsets`,
      );
    }
    const dtypeKey = wellFormed(dtype).slice(0, 64);
    dtypes.set(dtypeKey, (dtypes.get(dtypeKey) ?? 0) + 1);
    parameters += elements;
    slots.push({ name, begin, end });
  }

  checkTiling(slots, dataLength, fail);
  const metadata: JsonObject = {
    headerBytes: headerLength,
    tensors: slots.length,
    parameters: Number(parameters),
    // Object.fromEntries defines own properties: a key such as "__proto__" stays data.
    dtypes: Object.fromEntries(dtypes),
  };
  if (userMetadata) {
    metadata['metadata'] = userMetadata.kept;
    if (Object.keys(userMetadata.omitted).length > 0) {
      metadata['metadataOmitted'] = userMetadata.omitted;
      warnings.push({
        code: 'SAFETENSORS_METADATA_TRUNCATED',
        message: `${display}: ${Object.keys(userMetadata.omitted).length} __metadata__ value(s) too long to copy into the record are recorded by digest`,
      });
    }
  }
  return { format: 'safetensors', metadata, warnings };
}

/** Bytes of one `__metadata__` value copied into the record; longer values are recorded by digest. */
export const MAX_METADATA_VALUE = 4096;
/** Bytes of `__metadata__` copied in all; values past it are recorded by digest. */
export const MAX_METADATA_TOTAL = 64 * 1024;

/**
 * The user metadata, bounded: values up to MAX_METADATA_VALUE are copied (with lone surrogates
 * replaced, so the statement stays valid UTF-8 JSON), longer ones and those past the total
 * become `sha256:<hex> (<n> bytes)` under `metadataOmitted`.
 */
function readUserMetadata(
  value: unknown,
  fail: ReturnType<typeof formatFailure>,
): { kept: JsonObject; omitted: JsonObject } {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw fail('is not an object', '__metadata__');
  const kept: [string, string][] = [];
  const omitted: [string, string][] = [];
  let total = 0;
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== 'string')
      throw fail('is not a string (safetensors metadata maps strings to strings)', `__metadata__.${key}`);
    const name = wellFormed(key).slice(0, 256);
    const bytes = Buffer.byteLength(entry);
    if (bytes <= MAX_METADATA_VALUE && total + bytes <= MAX_METADATA_TOTAL) {
      total += bytes;
      kept.push([name, wellFormed(entry)]);
    } else if (omitted.length < 1000) {
      omitted.push([name, `sha256:${createHash('sha256').update(entry).digest('hex')} (${bytes} bytes)`]);
    }
  }
  // Object.fromEntries defines own properties: a key such as "__proto__" stays data.
  return { kept: Object.fromEntries(kept), omitted: Object.fromEntries(omitted) };
}

/** The tensors' byte ranges must cover the data exactly, in some order, without overlap. */
function checkTiling(slots: TensorSlot[], dataLength: number, fail: ReturnType<typeof formatFailure>): void {
  const sorted = [...slots].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  for (const slot of sorted) {
    if (slot.begin !== expected) {
      const problem =
        slot.begin < expected
          ? 'overlaps the tensor before it'
          : `leaves a gap: data from byte ${expected} is no tensor's`;
      throw fail(`starts at ${slot.begin} and ${problem}`, `tensors.${slot.name}.data_offsets`);
    }
    expected = slot.end;
  }
  if (expected !== dataLength) {
    throw fail(
      `tensors end at data byte ${expected} but the file holds ${dataLength} data bytes`,
      'data_offsets',
    );
  }
}
