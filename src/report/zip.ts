/**
 * A deterministic zip writer (PKWARE APPNOTE 6.3, no zip64): entries sorted by name bytewise, one
 * fixed timestamp, fixed permissions, no extra fields. The same files give the same bytes, so a
 * pack can be rebuilt and compared, and its sha256 published. Each entry is deflated when that
 * makes it smaller, else stored.
 */
import { crc32, deflateRawSync } from 'node:zlib';

import { LedgerError } from '../errors.js';

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
const LIMIT = 0xffffffff;

function dosTime(date: Date): { time: number; date: number } {
  const year = Math.max(1980, date.getUTCFullYear());
  return {
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1),
    date: ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}

function checkName(name: string): void {
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

/** The archive's bytes. */
export function createZip(inputs: ZipInput[], options: ZipOptions = {}): Buffer {
  const stamp = dosTime(options.date ?? new Date(Date.UTC(1980, 0, 1)));
  const entries = inputs
    .map((input) => ({
      name: Buffer.from(input.name, 'utf8'),
      text: input.name,
      data: Buffer.from(input.data),
    }))
    .sort((a, b) => Buffer.compare(a.name, b.name));
  if (entries.length > 0xffff) {
    throw new LedgerError('BAD_INPUT', `${entries.length} entries are more than a zip without zip64 holds`);
  }
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [position, entry] of entries.entries()) {
    checkName(entry.text);
    if (position > 0 && entries[position - 1]?.text === entry.text) {
      throw new LedgerError('BAD_INPUT', `"${entry.text}" is in the archive twice`, { field: 'zip entry' });
    }
    const deflated = deflateRawSync(entry.data, { level: 9 });
    const method = deflated.length < entry.data.length ? 8 : 0;
    const body = method === 8 ? deflated : entry.data;
    if (entry.data.length >= LIMIT || body.length >= LIMIT || offset >= LIMIT) {
      throw new LedgerError('BAD_INPUT', `"${entry.text}" is too large for a zip without zip64`);
    }
    const checksum = crc32(entry.data) >>> 0;

    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_SIGNATURE, 0);
    local.writeUInt16LE(VERSION, 4);
    local.writeUInt16LE(UTF8_NAMES, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(stamp.time, 10);
    local.writeUInt16LE(stamp.date, 12);
    local.writeUInt32LE(checksum, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(entry.name.length, 26);
    local.writeUInt16LE(0, 28);

    const header = Buffer.alloc(46);
    header.writeUInt32LE(CENTRAL_SIGNATURE, 0);
    header.writeUInt16LE(MADE_BY_UNIX, 4);
    header.writeUInt16LE(VERSION, 6);
    header.writeUInt16LE(UTF8_NAMES, 8);
    header.writeUInt16LE(method, 10);
    header.writeUInt16LE(stamp.time, 12);
    header.writeUInt16LE(stamp.date, 14);
    header.writeUInt32LE(checksum, 16);
    header.writeUInt32LE(body.length, 20);
    header.writeUInt32LE(entry.data.length, 24);
    header.writeUInt16LE(entry.name.length, 28);
    // extra length, comment length, disk number, internal attributes: all 0
    header.writeUInt32LE(FILE_MODE, 38);
    header.writeUInt32LE(offset, 42);

    parts.push(local, entry.name, body);
    central.push(header, entry.name);
    offset += local.length + entry.name.length + body.length;
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
  return Buffer.concat([...parts, directory, end]);
}
