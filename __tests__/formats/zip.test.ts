/**
 * The zip reader: zip64 archives (hand-built, and written by Python's zipfile past 65,535
 * entries), and every way an end record, a central directory or a local header can be wrong,
 * each refused with a message that says what and where.
 */
import { describe, expect, it } from '@jest/globals';

import { BufferSource, formatFailure } from '../../src/formats/reader.js';
import { openZipEntry, readLocalHeader, readZipDirectory } from '../../src/formats/zip.js';
import {
  debianPython,
  pickleTorchStateDict,
  torchZipBytes,
  useFormatInspector,
  zip64Bytes,
  zipBytes,
  type ZipSpecEntry,
} from '../support/ml-files.js';

const fail = formatFailure('models/m.pt', 'save it again');
const read = (bytes: Buffer) => readZipDirectory(new BufferSource(bytes), fail);

async function refused(bytes: Buffer, message: string | RegExp): Promise<void> {
  const failure = read(bytes);
  await expect(failure).rejects.toMatchObject({ code: 'FORMAT', file: 'models/m.pt' });
  await expect(failure).rejects.toThrow(message);
}

const ENTRIES: ZipSpecEntry[] = [
  { name: 'archive/data.pkl', data: pickleTorchStateDict() },
  { name: 'archive/version', data: Buffer.from('3\n') },
  { name: 'archive/data/0', data: Buffer.alloc(64, 7), deflate: true },
];

/** Offsets of the records at the end of a zip64 archive built by zip64Bytes. */
function zip64Tail(bytes: Buffer) {
  const end = bytes.length - 22;
  const locator = end - 20;
  const record = locator - 56;
  return { end, locator, record };
}

describe('zip64', () => {
  const { inspect, directory } = useFormatInspector();

  it('reads sizes and offsets from the zip64 extra fields and the zip64 end record', async () => {
    const plain = await read(zipBytes(ENTRIES));
    const wide = await read(zip64Bytes(ENTRIES));
    expect(
      wide.map(({ name, method, uncompressedSize, compressedSize, crc32 }) => ({
        name,
        method,
        uncompressedSize,
        compressedSize,
        crc32,
      })),
    ).toEqual(
      plain.map(({ name, method, uncompressedSize, compressedSize, crc32 }) => ({
        name,
        method,
        uncompressedSize,
        compressedSize,
        crc32,
      })),
    );
    // The local headers say 0xffffffff for the sizes: no disagreement is made of that.
    const source = new BufferSource(zip64Bytes(ENTRIES));
    for (const entry of wide) {
      const local = await readLocalHeader(source, entry, fail);
      expect(local.disagreements).toEqual([]);
      expect(local.dataStart).toBe(entry.localOffset + 30 + entry.name.length + 20);
    }
  });

  it('a zip64 torch.save checkpoint is a pytorch model like the plain one, with the same verdict', async () => {
    const pickle = pickleTorchStateDict();
    const entries: ZipSpecEntry[] = [
      { name: 'archive/data.pkl', data: pickle },
      { name: 'archive/byteorder', data: Buffer.from('little') },
      { name: 'archive/data/0', data: Buffer.alloc(16, 0) },
      { name: 'archive/version', data: Buffer.from('3\n') },
      { name: 'archive/.data/serialization_id', data: Buffer.from('1234567890') },
    ];
    const plain = await inspect('plain.pt', torchZipBytes(pickle));
    const wide = await inspect('wide.pt', zip64Bytes(entries));
    expect(wide.format).toBe('pytorch');
    expect(wide.metadata).toEqual(plain.metadata);
    expect(wide.safety).toEqual(plain.safety);
    expect(wide.metadata).toMatchObject({ version: '3', byteorder: 'little' });
  });

  it("reads what Python's zipfile writes past 65,535 entries", async () => {
    const script = [
      'import io, sys, zipfile',
      'buffer = io.BytesIO()',
      'with zipfile.ZipFile(buffer, "w") as archive:',
      '    for n in range(65600):',
      '        archive.writestr(f"t/{n}", b"")',
      'sys.stdout.write(buffer.getvalue().hex())',
    ].join('\n');
    const hex = await debianPython(['zipfile'], script, directory());
    if (hex === null) return;
    const bytes = Buffer.from(hex, 'hex');
    // zipfile wrote the zip64 end record: the classic one's count is saturated.
    expect(bytes.readUInt16LE(bytes.length - 22 + 10)).toBe(0xffff);
    const entries = await read(bytes);
    expect(entries).toHaveLength(65600);
    expect(entries.at(-1)?.name).toBe('t/65599');
  });

  it('refuses a zip64 end record that is missing, misplaced or claims too much', async () => {
    const good = zip64Bytes(ENTRIES);
    const { locator, record } = zip64Tail(good);

    // Only the classic end record, saturated, with nothing before it.
    const alone = good.subarray(good.length - 22);
    await refused(Buffer.concat([alone]), 'zip64 locator missing');

    const noLocator = Buffer.from(good);
    noLocator.writeUInt32LE(0, locator);
    await refused(noLocator, 'zip64 locator missing');

    const outside = Buffer.from(good);
    outside.writeBigUInt64LE(BigInt(good.length), locator + 8);
    await refused(outside, /zip64 record offset \d+ is outside the file/);

    const badRecord = Buffer.from(good);
    badRecord.writeUInt32LE(0x12345678, record);
    await refused(badRecord, 'zip64 end-of-central-directory record missing');

    const tooMany = Buffer.from(good);
    tooMany.writeBigUInt64LE(2_000_000n, record + 32);
    await refused(tooMany, 'zip64 directory claims 2000000 entries');

    const tooBig = Buffer.from(good);
    tooBig.writeBigUInt64LE(BigInt(128 * 1024 * 1024), record + 40);
    await refused(tooBig, /beyond what model-ledger reads/);

    const pastEnd = Buffer.from(good);
    pastEnd.writeBigUInt64LE(BigInt(good.length + 1), record + 48);
    await refused(pastEnd, /zip64 directory claims .* at \d+: beyond what model-ledger reads/);
  });

  it('refuses zip64 extra fields that are short or claim sizes past 2^53', async () => {
    const good = zip64Bytes([{ name: 'a', data: Buffer.from('x') }]);
    const { record } = zip64Tail(good);
    const directoryAt = Number(good.readBigUInt64LE(record + 48));
    // The central entry's extra field: 4 bytes of header, then usize, csize, offset.
    const extraAt = directoryAt + 46 + 1;

    const short = Buffer.from(good);
    short.writeUInt16LE(8, extraAt + 2); // says it holds one value; the entry needs three
    await refused(short, 'entry a has a short zip64 field');

    const huge = Buffer.from(good);
    huge.writeBigUInt64LE(2n ** 60n, extraAt + 4);
    await refused(huge, `entry a claims a size of ${2n ** 60n}`);

    // Other extra fields before the zip64 one are stepped over.
    const other = Buffer.from(good);
    const unrelated = Buffer.from([0x55, 0x54, 0, 0]); // an empty 'UT' (extended timestamp) field
    const withOther = Buffer.concat([other.subarray(0, extraAt), unrelated, other.subarray(extraAt)]);
    withOther.writeUInt16LE(32, directoryAt + 30);
    const { record: movedRecord, locator: movedLocator } = zip64Tail(withOther);
    withOther.writeBigUInt64LE(withOther.readBigUInt64LE(movedRecord + 40) + 4n, movedRecord + 40);
    withOther.writeBigUInt64LE(BigInt(movedRecord), movedLocator + 8);
    const [entry] = await read(withOther);
    expect(entry).toMatchObject({ name: 'a', uncompressedSize: 1, compressedSize: 1, localOffset: 0 });
  });

  it('a zip64 archive behind other bytes is refused (its locator points into them), not misread', async () => {
    const bytes = zip64Bytes(ENTRIES, { prefix: Buffer.from('#!/bin/sh\nexit 0\n') });
    await refused(bytes, /zip64 end-of-central-directory record missing|outside the file/);
  });
});

describe('the classic zip end record and central directory', () => {
  const good = zipBytes(ENTRIES);
  const end = good.length - 22;
  const directoryAt = good.readUInt32LE(end + 16);

  it('refuses what is too short or has no end record', async () => {
    await refused(Buffer.from('PK\x05\x06'), 'too short to be a zip archive (truncated)');
    await refused(good.subarray(0, end), 'no end-of-central-directory record (truncated zip)');
  });

  it('refuses a central directory that lies outside the file or is too large to read', async () => {
    const outside = Buffer.from(good);
    outside.writeUInt32LE(good.length, end + 16);
    await refused(outside, /central directory \[\d+, \+\d+\] lies outside the file \(truncated\)/);

    const large = Buffer.from(good);
    large.writeUInt32LE(0xfffffff0, end + 12);
    await refused(
      large,
      /central directory of 3 entries, 4294967280 bytes is beyond what model-ledger reads/,
    );
  });

  it('refuses an entry with a bad signature, a cut-off name, or data outside the file', async () => {
    const badSignature = Buffer.from(good);
    badSignature.writeUInt32LE(0, directoryAt);
    await refused(badSignature, 'central directory entry 0 has a bad signature');

    const cutName = Buffer.from(good);
    cutName.writeUInt16LE(0xfff0, directoryAt + 28);
    await refused(cutName, /entry 0 name needs 65520 bytes at byte \d+ but only \d+ remain/);

    const outside = Buffer.from(good);
    outside.writeUInt32LE(0x7fffffff, directoryAt + 20);
    await refused(
      outside,
      /entry archive\/data\.pkl \[0, \+2147483647\] lies outside the file \(truncated\)/,
    );
  });

  it('fewer entries than the end record claims is a truncated directory', async () => {
    const claims = Buffer.from(good);
    claims.writeUInt16LE(4, end + 10);
    await refused(claims, /central directory entry 3 needs 46 bytes/);
  });
});

describe('local headers', () => {
  const source = (bytes: Buffer) => new BufferSource(bytes);

  it('names every field that disagrees with the central directory', async () => {
    const bytes = zipBytes([{ name: 'a.pkl', data: Buffer.from('payload') }]);
    const [entry] = await read(bytes);
    if (!entry) throw new Error('no entry');
    const local = Buffer.from(bytes);
    local.write('b', 30); // name
    local.writeUInt16LE(8, 8); // method
    local.writeUInt16LE(1, 6); // encrypted
    local.writeUInt32LE(1, 14); // CRC-32
    local.writeUInt32LE(3, 18); // compressed size
    local.writeUInt32LE(4, 22); // size
    expect((await readLocalHeader(source(local), entry, fail)).disagreements).toEqual([
      'name "b.pkl"',
      'compression method 8',
      'encryption flag',
      'compressed size 3',
      'size 4',
      'CRC-32',
    ]);
    // With a data descriptor (flag bit 3) the local sizes and CRC are zero by design: not compared.
    const described = Buffer.from(bytes);
    described.writeUInt16LE(8, 6);
    described.fill(0, 14, 26);
    expect((await readLocalHeader(source(described), entry, fail)).disagreements).toEqual([]);
  });

  it('refuses a missing local header, and data that runs past the end of the file', async () => {
    const bytes = zipBytes([{ name: 'a.pkl', data: Buffer.from('payload') }]);
    const [entry] = await read(bytes);
    if (!entry) throw new Error('no entry');
    const noHeader = Buffer.from(bytes);
    noHeader.writeUInt32LE(0, 0);
    await expect(readLocalHeader(source(noHeader), entry, fail)).rejects.toThrow(
      'entry a.pkl has no local header at 0',
    );
    await expect(
      readLocalHeader(source(bytes.subarray(0, 20)), { ...entry, compressedSize: 0 }, fail),
    ).rejects.toThrow('entry a.pkl has no local header at 0');
    const longExtra = Buffer.from(bytes);
    longExtra.writeUInt16LE(0xffff, 28);
    await expect(readLocalHeader(source(longExtra), entry, fail)).rejects.toThrow(
      'entry a.pkl data runs past the end of the file (truncated)',
    );
  });
});

describe('openZipEntry', () => {
  const data = Buffer.from('the same bytes, stored and deflated, '.repeat(20));

  it('reads a stored and a deflated entry to the same bytes, and gives no cursor for another method', async () => {
    const bytes = zipBytes([
      { name: 'stored', data },
      { name: 'deflated', data, deflate: true },
    ]);
    const source = new BufferSource(bytes);
    const [stored, deflated] = await read(bytes);
    if (!stored || !deflated) throw new Error('no entries');
    for (const entry of [stored, deflated]) {
      const cursor = await openZipEntry(source, entry, fail);
      expect(Buffer.from((await cursor?.bytes(data.length, 'entry')) ?? [])).toEqual(data);
    }
    expect(deflated.compressedSize).toBeLessThan(data.length);
    expect(await openZipEntry(source, { ...stored, method: 12 }, fail)).toBeNull();
  });

  it('refuses a deflated entry that does not inflate, inflates past its size, or claims too much', async () => {
    const bytes = zipBytes([{ name: 'deflated', data, deflate: true }]);
    const [entry] = await read(bytes);
    if (!entry) throw new Error('no entry');
    const broken = Buffer.from(bytes);
    broken.fill(0xff, 30 + entry.name.length, 30 + entry.name.length + 8);
    await expect(openZipEntry(new BufferSource(broken), entry, fail)).rejects.toThrow(
      /entry deflated does not inflate \(/,
    );
    await expect(
      openZipEntry(new BufferSource(bytes), { ...entry, uncompressedSize: 10 }, fail),
    ).rejects.toThrow(/entry deflated does not inflate/);
    await expect(
      openZipEntry(new BufferSource(bytes), { ...entry, uncompressedSize: 512 * 1024 * 1024 }, fail),
    ).rejects.toThrow(`entry deflated inflates to ${512 * 1024 * 1024} bytes, over ${256 * 1024 * 1024}`);
  });

  it('refuses a missing local header and data past the end of the file', async () => {
    const bytes = zipBytes([{ name: 'stored', data }]);
    const [entry] = await read(bytes);
    if (!entry) throw new Error('no entry');
    await expect(openZipEntry(new BufferSource(bytes), { ...entry, localOffset: 5 }, fail)).rejects.toThrow(
      'entry stored has no local header at 5',
    );
    await expect(
      openZipEntry(new BufferSource(bytes), { ...entry, compressedSize: bytes.length }, fail),
    ).rejects.toThrow('entry stored data runs past the end of the file (truncated)');
  });
});
