/**
 * The tar member list (ustar prefixes, GNU long names and base-256 sizes, pax paths, v7 headers)
 * and the .npy header, each with the damage they refuse.
 */
import { describe, expect, it } from '@jest/globals';

import { BufferSource, RangeStream } from '../../src/formats/index.js';
import { readNpyHeader } from '../../src/formats/npy.js';
import { readTarMembers } from '../../src/formats/tar.js';
import { npyBytes, tarBytes } from '../support/ml-files.js';

const problem = (message: string) => new Error(message);

/** A tar header block with these fields; the checksum is computed unless given. */
function header(fields: {
  name: string;
  size?: number | Buffer;
  type?: string;
  prefix?: string;
  magic?: string;
  checksum?: string;
}): Buffer {
  const block = Buffer.alloc(512);
  block.write(fields.name, 0, 100, 'utf8');
  block.write('0000644\0', 100);
  const size = fields.size ?? 0;
  if (Buffer.isBuffer(size)) size.copy(block, 124);
  else block.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  block.write('00000000000\0', 136);
  block.write(fields.type ?? '0', 156, 'latin1');
  if (fields.magic !== '') block.write(fields.magic ?? 'ustar\x0000', 257, 'latin1');
  if (fields.prefix) block.write(fields.prefix, 345, 155, 'utf8');
  block.write('        ', 148);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(fields.checksum ?? `${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return block;
}

const padded = (data: Buffer) => Buffer.concat([data, Buffer.alloc((512 - (data.length % 512)) % 512)]);
const members = async (bytes: Buffer) => {
  let counted = 0;
  const found = await readTarMembers(new BufferSource(bytes), problem, () => counted++);
  return { found: found.map(({ name, size }) => [name, size]), counted };
};

describe('tar members', () => {
  it('names members by pax path, GNU long name, ustar prefix or the plain name, and lists regular files only', async () => {
    const longName = `${'d/'.repeat(60)}pickle`;
    const pax = Buffer.from('30 path=archive/from-pax.pkl\n');
    const bytes = Buffer.concat([
      header({ name: 'PaxHeader', type: 'x', size: pax.length }),
      padded(pax),
      header({ name: 'ignored', size: 3 }),
      padded(Buffer.from('abc')),
      header({ name: '././@LongLink', type: 'L', size: longName.length + 1 }),
      padded(Buffer.from(`${longName}\0`)),
      header({ name: 'short', size: 1 }),
      padded(Buffer.from('x')),
      header({ name: 'storages', prefix: 'checkpoint', size: 2 }),
      padded(Buffer.from('xy')),
      header({ name: 'dir/', type: '5' }),
      header({ name: 'contiguous', type: '7', size: 0 }),
      header({ name: 'v7-file', magic: '', type: '\0', prefix: 'not-a-prefix', size: 0 }),
      Buffer.alloc(1024),
    ]);
    expect(await members(bytes)).toEqual({
      found: [
        ['archive/from-pax.pkl', 3],
        [longName, 1],
        ['checkpoint/storages', 2],
        ['contiguous', 0],
        ['v7-file', 0],
      ],
      counted: 5,
    });
  });

  it('reads GNU base-256 sizes and empty size fields', async () => {
    const size = Buffer.alloc(12);
    size[0] = 0x80;
    size.writeUInt32BE(5, 8);
    const bytes = Buffer.concat([
      header({ name: 'big', size }),
      padded(Buffer.from('12345')),
      header({ name: 'empty', size: Buffer.alloc(12) }),
      Buffer.alloc(1024),
    ]);
    expect((await members(bytes)).found).toEqual([
      ['big', 5],
      ['empty', 0],
    ]);
  });

  it('refuses a bad checksum, a bad or impossible size, a cut-off member and a huge extended header', async () => {
    const read = (bytes: Buffer) => readTarMembers(new BufferSource(bytes), problem, () => undefined);
    await expect(read(header({ name: 'a', checksum: '0000001\0' }))).rejects.toThrow(
      'tar header at byte 0 has a bad checksum',
    );
    await expect(read(header({ name: 'a', checksum: 'zz\0     ' }))).rejects.toThrow('has a bad checksum');
    await expect(read(header({ name: 'a', size: Buffer.from('12x45678901\0') }))).rejects.toThrow(
      'tar header at byte 0 has a bad size field',
    );
    const huge = Buffer.alloc(12, 0xff);
    await expect(read(header({ name: 'a', size: huge }))).rejects.toThrow('has a bad size field');
    await expect(read(Buffer.concat([header({ name: 'a', size: 1000 }), Buffer.alloc(512)]))).rejects.toThrow(
      'tar member at byte 0 runs past the end (truncated)',
    );
    const extended = 2 * 1024 * 1024;
    await expect(
      read(Buffer.concat([header({ name: 'x', type: 'x', size: extended }), Buffer.alloc(extended)])),
    ).rejects.toThrow('tar extended header at byte 0 is over 1 MiB');
  });

  it('agrees with the shared tar writer', async () => {
    const bytes = tarBytes([
      { name: 'sys_info', data: Buffer.from('{}') },
      { name: 'pickle', data: Buffer.from('x') },
    ]);
    expect((await members(bytes)).found).toEqual([
      ['sys_info', 2],
      ['pickle', 1],
    ]);
  });
});

describe('.npy headers', () => {
  const read = (bytes: Buffer) =>
    readNpyHeader(new RangeStream(new BufferSource(bytes), 0, bytes.length), problem);

  it('reads descr and shape, and tells an object dtype (a pickle follows) from a plain one', async () => {
    expect(await read(npyBytes('<f8', '(3,)', Buffer.alloc(24)))).toEqual({
      descr: "'<f8'",
      shape: '(3,)',
      objects: false,
    });
    expect(await read(npyBytes('|O', '(2,)', Buffer.from('\x80\x02N.', 'latin1')))).toMatchObject({
      objects: true,
    });
  });

  it('versions 2 and 3 have 4-byte header lengths; version 3 is UTF-8', async () => {
    for (const major of [2, 3]) {
      const text = `{'descr': [('naïve', '<i4')], 'fortran_order': False, 'shape': (1,), }\n`;
      const body = Buffer.from(text, major === 3 ? 'utf8' : 'latin1');
      const length = Buffer.alloc(4);
      length.writeUInt32LE(body.length);
      const bytes = Buffer.concat([
        Buffer.from(`\x93NUMPY${String.fromCharCode(major)}\x00`, 'latin1'),
        length,
        body,
      ]);
      expect((await read(bytes)).descr).toBe("[('naïve', '<i4')]");
    }
  });

  it('refuses a truncated header, an unknown version, a header of 16 MiB or more, and no descr', async () => {
    await expect(read(Buffer.from('\x93NUMPY', 'latin1'))).rejects.toThrow('the .npy header is truncated');
    await expect(read(Buffer.from('\x93NUMPY\x04\x00\x00\x00', 'latin1'))).rejects.toThrow(
      '.npy version 4 is unknown',
    );
    const huge = Buffer.from('\x93NUMPY\x02\x00\x00\x00\x00\x02', 'latin1');
    await expect(read(huge)).rejects.toThrow(`the .npy header claims ${0x02000000} bytes`);
    await expect(read(Buffer.from('\x93NUMPY\x01\x00\x40\x00{}', 'latin1'))).rejects.toThrow(
      'the .npy header is truncated',
    );
    const noDescr = npyBytes('<f8', '(3,)', Buffer.alloc(0));
    noDescr.write("'xxxxx'", 11, 'latin1');
    await expect(read(noDescr)).rejects.toThrow('the .npy header has no descr');
  });
});
