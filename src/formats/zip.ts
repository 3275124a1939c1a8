import { inflateRawSync } from 'node:zlib';

import { BufferSource, Cursor, type ByteSource, type Failure } from './reader.js';

/**
 * A minimal zip reader (PKWARE APPNOTE): the end-of-central-directory record (and its zip64
 * form, which PyTorch writes for large checkpoints), then the central directory. Entry data is
 * read only when asked for, as a cursor over the stored bytes or over a bounded inflate.
 */

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  /** Offset of the entry's local header. */
  localOffset: number;
  /** General purpose flags: bit 0 encrypted, bit 3 sizes in a data descriptor. */
  flags: number;
  crc32: number;
}

/** Where an entry's data starts, and what its local header says where it disagrees with the central one. */
export interface LocalHeader {
  dataStart: number;
  /** e.g. `name "a.pkl" in the local header`, empty when they agree. */
  disagreements: string[];
}

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const MAX_CENTRAL_DIRECTORY = 64 * 1024 * 1024;
const MAX_ENTRIES = 1_000_000;
/** Compressed entries are inflated into memory up to this size. */
const MAX_INFLATED = 256 * 1024 * 1024;

export async function readZipDirectory(source: ByteSource, fail: Failure): Promise<ZipEntry[]> {
  const tailLength = Math.min(source.size, 22 + 0xffff);
  if (tailLength < 22) throw fail('too short to be a zip archive (truncated)', 'zip');
  const tailStart = source.size - tailLength;
  const tail = await source.read(tailStart, tailLength);
  let eocd = -1;
  for (let at = tail.length - 22; at >= 0; at--) {
    if (tail.readUInt32LE(at) === EOCD_SIGNATURE) {
      eocd = at;
      break;
    }
  }
  if (eocd === -1) throw fail('no end-of-central-directory record (truncated zip)', 'zip');
  let entries: number = tail.readUInt16LE(eocd + 10);
  let directorySize: number = tail.readUInt32LE(eocd + 12);
  let directoryOffset: number = tail.readUInt32LE(eocd + 16);
  if (entries === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
    const locatorAt = tailStart + eocd - 20;
    if (locatorAt < 0) throw fail('zip64 locator missing', 'zip');
    const locator = await source.read(locatorAt, 20);
    if (locator.readUInt32LE(0) !== ZIP64_LOCATOR_SIGNATURE) throw fail('zip64 locator missing', 'zip');
    const recordAt = locator.readBigUInt64LE(8);
    if (recordAt > BigInt(source.size - 56))
      throw fail(`zip64 record offset ${recordAt} is outside the file`, 'zip');
    const record = await source.read(Number(recordAt), 56);
    if (record.readUInt32LE(0) !== ZIP64_EOCD_SIGNATURE)
      throw fail('zip64 end-of-central-directory record missing', 'zip');
    const count = record.readBigUInt64LE(32);
    const size = record.readBigUInt64LE(40);
    const offset = record.readBigUInt64LE(48);
    if (count > BigInt(MAX_ENTRIES) || size > BigInt(MAX_CENTRAL_DIRECTORY) || offset > BigInt(source.size)) {
      throw fail(
        `zip64 directory claims ${count} entries, ${size} bytes at ${offset}: beyond what model-ledger reads`,
        'zip',
      );
    }
    entries = Number(count);
    directorySize = Number(size);
    directoryOffset = Number(offset);
  }
  // Bytes before the archive (a zip appended to another file): offsets are then relative to the
  // archive's start, and zipfile shifts them by the difference, as this does.
  let prefix = 0;
  const eocdAt = tailStart + eocd;
  if (
    directoryOffset + directorySize < eocdAt &&
    eocdAt - directorySize - directoryOffset > 0 &&
    !zip64(tail, eocd) &&
    !(eocd >= 20 && tail.readUInt32LE(eocd - 20) === ZIP64_LOCATOR_SIGNATURE)
  ) {
    prefix = eocdAt - directorySize - directoryOffset;
    directoryOffset += prefix;
  }
  if (entries > MAX_ENTRIES || directorySize > MAX_CENTRAL_DIRECTORY) {
    throw fail(
      `central directory of ${entries} entries, ${directorySize} bytes is beyond what model-ledger reads`,
      'zip',
    );
  }
  if (directoryOffset + directorySize > source.size) {
    throw fail(
      `central directory [${directoryOffset}, +${directorySize}] lies outside the file (truncated)`,
      'zip',
    );
  }
  const cursor = new Cursor(source, directoryOffset, directoryOffset + directorySize, fail);
  const result: ZipEntry[] = [];
  for (let index = 0; index < entries; index++) {
    const header = Buffer.from(await cursor.bytes(46, `central directory entry ${index}`));
    if (header.readUInt32LE(0) !== CENTRAL_SIGNATURE)
      throw fail(`central directory entry ${index} has a bad signature`, 'zip');
    const flags = header.readUInt16LE(8);
    const method = header.readUInt16LE(10);
    const crc = header.readUInt32LE(16);
    let compressedSize = header.readUInt32LE(20);
    let uncompressedSize = header.readUInt32LE(24);
    const nameLength = header.readUInt16LE(28);
    const extraLength = header.readUInt16LE(30);
    const commentLength = header.readUInt16LE(32);
    let localOffset = header.readUInt32LE(42);
    const name = (await cursor.bytes(nameLength, `entry ${index} name`)).toString('utf8');
    const extra = Buffer.from(await cursor.bytes(extraLength, `entry ${name} extra field`));
    await cursor.skip(commentLength, `entry ${name} comment`);
    // Zip64 extended information (header 0x0001): 64-bit values for the fields saturated above.
    for (let at = 0; at + 4 <= extra.length;) {
      const id = extra.readUInt16LE(at);
      const size = extra.readUInt16LE(at + 2);
      if (id === 0x0001) {
        let field = at + 4;
        const next = (): number => {
          if (field + 8 > at + 4 + size || field + 8 > extra.length)
            throw fail(`entry ${name} has a short zip64 field`, 'zip');
          const value = extra.readBigUInt64LE(field);
          field += 8;
          if (value > BigInt(Number.MAX_SAFE_INTEGER))
            throw fail(`entry ${name} claims a size of ${value}`, 'zip');
          return Number(value);
        };
        if (uncompressedSize === 0xffffffff) uncompressedSize = next();
        if (compressedSize === 0xffffffff) compressedSize = next();
        if (localOffset === 0xffffffff) localOffset = next();
      }
      at += 4 + size;
    }
    localOffset += prefix;
    if (localOffset + compressedSize > source.size) {
      throw fail(
        `entry ${name} [${localOffset}, +${compressedSize}] lies outside the file (truncated)`,
        'zip',
      );
    }
    result.push({ name, method, compressedSize, uncompressedSize, localOffset, flags, crc32: crc });
  }
  return result;
}

/**
 * An entry's local header: where its data starts, and every field that disagrees with the central
 * directory (readers that stream a zip trust the local headers, so a crafted archive can show
 * them one member and PyTorch, which trusts the central directory, another).
 */
export async function readLocalHeader(
  source: ByteSource,
  entry: ZipEntry,
  fail: Failure,
): Promise<LocalHeader> {
  const local = await source.read(entry.localOffset, Math.min(30, source.size - entry.localOffset));
  if (local.length < 30 || local.readUInt32LE(0) !== LOCAL_SIGNATURE)
    throw fail(`entry ${entry.name} has no local header at ${entry.localOffset}`, 'zip');
  const nameLength = local.readUInt16LE(26);
  const dataStart = entry.localOffset + 30 + nameLength + local.readUInt16LE(28);
  if (dataStart + entry.compressedSize > source.size)
    throw fail(`entry ${entry.name} data runs past the end of the file (truncated)`, 'zip');
  const disagreements: string[] = [];
  const name = (await source.read(entry.localOffset + 30, nameLength)).toString('utf8');
  if (name !== entry.name) disagreements.push(`name ${JSON.stringify(name)}`);
  const method = local.readUInt16LE(8);
  if (method !== entry.method) disagreements.push(`compression method ${method}`);
  const flags = local.readUInt16LE(6);
  if ((flags & 1) !== (entry.flags & 1)) disagreements.push('encryption flag');
  if ((flags & 8) === 0) {
    const compressed = local.readUInt32LE(18);
    const uncompressed = local.readUInt32LE(22);
    if (compressed !== 0xffffffff && compressed !== entry.compressedSize)
      disagreements.push(`compressed size ${compressed}`);
    if (uncompressed !== 0xffffffff && uncompressed !== entry.uncompressedSize)
      disagreements.push(`size ${uncompressed}`);
    if (local.readUInt32LE(14) !== entry.crc32) disagreements.push('CRC-32');
  }
  return { dataStart, disagreements };
}

function zip64(tail: Buffer, eocd: number): boolean {
  return (
    tail.readUInt16LE(eocd + 10) === 0xffff ||
    tail.readUInt32LE(eocd + 12) === 0xffffffff ||
    tail.readUInt32LE(eocd + 16) === 0xffffffff
  );
}

/** A cursor over an entry's uncompressed bytes; `null` for a compression method we do not read. */
export async function openZipEntry(
  source: ByteSource,
  entry: ZipEntry,
  fail: Failure,
): Promise<Cursor | null> {
  const local = await source.read(entry.localOffset, Math.min(30, source.size - entry.localOffset));
  if (local.length < 30 || local.readUInt32LE(0) !== LOCAL_SIGNATURE)
    throw fail(`entry ${entry.name} has no local header at ${entry.localOffset}`, 'zip');
  const dataStart = entry.localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  if (dataStart + entry.compressedSize > source.size) {
    throw fail(`entry ${entry.name} data runs past the end of the file (truncated)`, 'zip');
  }
  if (entry.method === 0) {
    return new Cursor(source, dataStart, dataStart + entry.compressedSize, fail);
  }
  if (entry.method === 8) {
    if (entry.uncompressedSize > MAX_INFLATED) {
      throw fail(
        `entry ${entry.name} inflates to ${entry.uncompressedSize} bytes, over ${MAX_INFLATED}`,
        'zip',
      );
    }
    const compressed = await source.read(dataStart, entry.compressedSize);
    let inflated: Buffer;
    try {
      inflated = inflateRawSync(compressed, { maxOutputLength: Math.max(1, entry.uncompressedSize) });
    } catch (error) {
      throw fail(
        `entry ${entry.name} does not inflate (${error instanceof Error ? error.message : String(error)})`,
        'zip',
      );
    }
    const buffer = new BufferSource(inflated);
    return new Cursor(buffer, 0, buffer.size, fail);
  }
  return null;
}
