/**
 * A deterministic zip writer (PKWARE APPNOTE 6.3, no zip64): entries sorted by name bytewise, one
 * fixed timestamp, fixed permissions, no extra fields. The same files give the same bytes, so a
 * pack can be rebuilt and compared, and its sha256 published. Each entry is deflated when that
 * makes it smaller, else stored.
 *
 * Entries are compressed one at a time as they are given (prepareZipEntry); the archive is then
 * either assembled in memory (createZip) or written to a file with one entry's body in memory at
 * a time (writeZipFile), and both give the same bytes.
 */
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { crc32, deflateRawSync } from 'node:zlib';

import { LedgerError } from '../errors.js';
import { BatchedWrites } from '../fs/batched-writes.js';

export interface ZipInput {
  /** Relative POSIX path inside the archive. */
  name: string;
  data: Buffer | string;
}

export interface ZipOptions {
  /** Modification time written for every entry (default 1980-01-01 00:00:00, the earliest zip can hold). */
  date?: Date;
}

const LOCAL_SIGNATURE = 0x04034b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const EOCD_SIGNATURE = 0x06054b50;
const VERSION = 20; // 2.0: deflate
const MADE_BY_UNIX = (3 << 8) | VERSION;
const UTF8_NAMES = 0x0800;
/** -rw-r--r-- regular file, in the high 16 bits of the external attributes (Unix). */
const FILE_MODE = (0o100644 << 16) >>> 0;
/** Sizes and offsets a zip without zip64 cannot hold. */
export const ZIP_LIMIT = 0xffffffff;
const LIMIT = ZIP_LIMIT;

function dosTime(date: Date): { time: number; date: number } {
  const year = Math.max(1980, date.getUTCFullYear());
  return {
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1),
    date: ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}

/** Throws unless `name` is a relative POSIX path, safe to extract. */
export function checkZipName(name: string): void {
  const bad =
    name === '' ||
    name.startsWith('/') ||
    name.includes('\\') ||
    name.includes('\0') ||
    name.split('/').some((part) => part === '' || part === '.' || part === '..');
  if (bad) {
    throw new LedgerError('BAD_INPUT', `"${name}" is not a relative POSIX path`, {
      field: 'zip entry',
      fix: 'name entries like dir/file.txt, without .., leading / or backslashes',
    });
  }
}

/** One entry, compressed: what its headers say, and its body as it goes in the archive. */
export interface PreparedZipEntry {
  name: string;
  method: 0 | 8;
  crc32: number;
  /** Uncompressed size. */
  size: number;
  /** The sha256 of the uncompressed bytes, for the listings that name each file by digest. */
  sha256: string;
  body: Buffer;
}

/** Compresses one entry (deflate when smaller, else stored) after checking its name. */
export function prepareZipEntry(name: string, data: Buffer | string): PreparedZipEntry {
  checkZipName(name);
  const bytes = Buffer.from(data);
  if (bytes.length >= LIMIT)
    throw new LedgerError('BAD_INPUT', `"${name}" is too large for a zip without zip64`);
  const deflated = deflateRawSync(bytes, { level: 9 });
  const method = deflated.length < bytes.length ? 8 : 0;
  return {
    name,
    method,
    crc32: crc32(bytes) >>> 0,
    size: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    body: method === 8 ? deflated : bytes,
  };
}

/** An entry whose compressed body is read back when the archive is written. */
export type ZipEntryHeader = Omit<PreparedZipEntry, 'body'> & { compressedSize: number };

/** The archive's bytes. */
export function createZip(inputs: ZipInput[], options: ZipOptions = {}): Buffer {
  return zipFromPrepared(
    inputs.map((input) => prepareZipEntry(input.name, input.data)),
    options,
  );
}

/** The archive's bytes, from entries already compressed. */
export function zipFromPrepared(prepared: PreparedZipEntry[], options: ZipOptions = {}): Buffer {
  const byName = new Map(prepared.map((entry) => [entry.name, entry]));
  if (byName.size !== prepared.length) duplicate(prepared.map((entry) => entry.name));
  const headers = prepared.map(({ body, ...header }) => ({ ...header, compressedSize: body.length }));
  const parts: Buffer[] = [];
  for (const part of zipLayout(headers, options))
    parts.push(part.kind === 'bytes' ? part.bytes : (byName.get(part.name) as PreparedZipEntry).body);
  return Buffer.concat(parts);
}

/**
 * Writes the archive to `file` (opened for writing, at its start), reading each entry's body with
 * `body` when its turn comes, so that only one is in memory. Returns the archive's size and sha256.
 */
export async function writeZipFile(
  file: FileHandle,
  entries: ZipEntryHeader[],
  body: (name: string) => Promise<Buffer>,
  options: ZipOptions = {},
): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  // Headers and small bodies go out in batches (batched-writes.ts): a long ledger's pack has
  // tens of thousands of parts.
  const writes = new BatchedWrites(file);
  for (const part of zipLayout(entries, options)) {
    const bytes = part.kind === 'bytes' ? part.bytes : await body(part.name);
    if (part.kind === 'body' && bytes.length !== part.size) {
      throw new LedgerError(
        'IO',
        `the staged body of "${part.name}" changed size while the archive was written`,
        {
          field: 'zip entry',
        },
      );
    }
    hash.update(bytes);
    size += bytes.length;
    await writes.add(bytes);
  }
  await writes.flush();
  return { size, sha256: hash.digest('hex') };
}

type LayoutPart = { kind: 'bytes'; bytes: Buffer } | { kind: 'body'; name: string; size: number };

/** The archive as a sequence of header bytes and entry bodies, entries sorted by name bytewise. */
function* zipLayout(inputs: ZipEntryHeader[], options: ZipOptions): Generator<LayoutPart> {
  const stamp = dosTime(options.date ?? new Date(Date.UTC(1980, 0, 1)));
  const entries = inputs
    .map((input) => ({ ...input, nameBytes: Buffer.from(input.name, 'utf8') }))
    .sort((a, b) => Buffer.compare(a.nameBytes, b.nameBytes));
  if (entries.length > 0xffff) {
    throw new LedgerError('BAD_INPUT', `${entries.length} entries are more than a zip without zip64 holds`);
  }
  entries.forEach((entry, position) => {
    checkZipName(entry.name);
    if (position > 0 && entries[position - 1]?.name === entry.name) duplicate([entry.name, entry.name]);
  });
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    if (entry.compressedSize >= LIMIT || offset >= LIMIT) {
      throw new LedgerError('BAD_INPUT', `"${entry.name}" is too large for a zip without zip64`);
    }
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_SIGNATURE, 0);
    local.writeUInt16LE(VERSION, 4);
    local.writeUInt16LE(UTF8_NAMES, 6);
    local.writeUInt16LE(entry.method, 8);
    local.writeUInt16LE(stamp.time, 10);
    local.writeUInt16LE(stamp.date, 12);
    local.writeUInt32LE(entry.crc32, 14);
    local.writeUInt32LE(entry.compressedSize, 18);
    local.writeUInt32LE(entry.size, 22);
    local.writeUInt16LE(entry.nameBytes.length, 26);
    local.writeUInt16LE(0, 28);

    const header = Buffer.alloc(46);
    header.writeUInt32LE(CENTRAL_SIGNATURE, 0);
    header.writeUInt16LE(MADE_BY_UNIX, 4);
    header.writeUInt16LE(VERSION, 6);
    header.writeUInt16LE(UTF8_NAMES, 8);
    header.writeUInt16LE(entry.method, 10);
    header.writeUInt16LE(stamp.time, 12);
    header.writeUInt16LE(stamp.date, 14);
    header.writeUInt32LE(entry.crc32, 16);
    header.writeUInt32LE(entry.compressedSize, 20);
    header.writeUInt32LE(entry.size, 24);
    header.writeUInt16LE(entry.nameBytes.length, 28);
    // extra length, comment length, disk number, internal attributes: all 0
    header.writeUInt32LE(FILE_MODE, 38);
    header.writeUInt32LE(offset, 42);

    yield { kind: 'bytes', bytes: Buffer.concat([local, entry.nameBytes]) };
    yield { kind: 'body', name: entry.name, size: entry.compressedSize };
    central.push(header, entry.nameBytes);
    offset += local.length + entry.nameBytes.length + entry.compressedSize;
  }
  const directory = Buffer.concat(central);
  if (offset + directory.length >= LIMIT) {
    throw new LedgerError('BAD_INPUT', 'the archive is too large for a zip without zip64');
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(EOCD_SIGNATURE, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  yield { kind: 'bytes', bytes: Buffer.concat([directory, end]) };
}

function duplicate(names: string[]): never {
  const seen = new Set<string>();
  const twice = names.find((name) => (seen.has(name) ? true : (seen.add(name), false)));
  throw new LedgerError('BAD_INPUT', `"${twice}" is in the archive twice`, { field: 'zip entry' });
}
