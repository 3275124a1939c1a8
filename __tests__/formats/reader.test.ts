/**
 * Bounded reads of model files: opening what is not a regular file, a file that shrinks while it
 * is read, and the cursor's lines, seeks and lengths across its 1 MiB window.
 */
import { execFileSync } from 'node:child_process';
import { truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { LedgerError } from '../../src/errors.js';
import { BufferSource, Cursor, FileSource } from '../../src/formats/index.js';
import { boundedLength, formatFailure } from '../../src/formats/reader.js';
import { tempDir, type TempDir } from '../support/ml-files.js';

let temp: TempDir;
beforeAll(async () => {
  temp = await tempDir('model-ledger-reader-');
});
afterAll(() => temp.cleanup());

const fail = formatFailure('models/m.bin', 'save it again');
const MiB = 1024 * 1024;

describe('FileSource', () => {
  it('refuses a missing file, a directory and a FIFO, naming what was asked for', async () => {
    await expect(FileSource.open(join(temp.dir, 'none'), 'models/none.bin')).rejects.toMatchObject({
      code: 'BAD_INPUT',
      file: 'models/none.bin',
      message: expect.stringMatching(/cannot open model file \(.*ENOENT/),
    });
    await expect(FileSource.open(temp.dir, 'models/')).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringContaining('is not a regular file'),
      fix: 'name a regular model file',
    });
    const fifo = join(temp.dir, 'pipe.bin');
    execFileSync('mkfifo', [fifo]);
    // Opening does not wait for a writer: refused at once.
    await expect(FileSource.open(fifo, 'models/pipe.bin')).rejects.toMatchObject({
      code: 'BAD_INPUT',
      file: 'models/pipe.bin',
    });
  });

  it('a file that shrinks while it is read is an error saying where it ended', async () => {
    const path = await temp.write('shrinks.bin', Buffer.alloc(4096, 1));
    const source = await FileSource.open(path, 'models/shrinks.bin');
    try {
      expect(source.size).toBe(4096);
      await truncate(path, 1000);
      await expect(source.read(0, 4096)).rejects.toMatchObject({
        code: 'FORMAT',
        file: 'models/shrinks.bin',
        message: expect.stringContaining('the file ended at byte 1000 while it was being read (it changed?)'),
        fix: 'record once whatever writes the file has finished',
      });
    } finally {
      await source.close();
    }
  });

  it('a read of a closed file is a FORMAT error with the cause', async () => {
    const path = await temp.write('closed.bin', Buffer.alloc(16));
    const source = await FileSource.open(path, 'models/closed.bin');
    await source.close();
    await expect(source.read(0, 16)).rejects.toMatchObject({
      code: 'FORMAT',
      message: expect.stringContaining('reading failed'),
    });
  });
});

describe('Cursor', () => {
  it('reads lines across window refills, and refuses a line too long or one the file cuts off', async () => {
    // A first line that straddles the 1 MiB window, then a short one, then an unterminated one.
    const first = Buffer.alloc(MiB + 10, 'a');
    const bytes = Buffer.concat([first, Buffer.from('\nshort\nno end')]);
    const path = await temp.write('lines.txt', bytes);
    const source = await FileSource.open(path, 'models/lines.txt');
    try {
      const cursor = new Cursor(source, 0, source.size, fail);
      await cursor.skip(MiB - 4, 'the start');
      expect((await cursor.line(64, 'the tail of line 1')).toString()).toBe('a'.repeat(14));
      expect((await cursor.line(64, 'line 2')).toString()).toBe('short');
      await expect(cursor.line(64, 'line 3')).rejects.toThrow(
        'line 3: the file ended before the end of the line (truncated)',
      );
      cursor.seek(0);
      await expect(cursor.line(1000, 'line 1')).rejects.toThrow(
        /line 1: a line longer than 1000 bytes at byte \d+/,
      );
    } finally {
      await source.close();
    }
  });

  it('seeks within its range only, and reads signed and unsigned integers', async () => {
    const bytes = Buffer.alloc(16);
    bytes.writeUInt16LE(0xbeef, 0);
    bytes.writeInt32LE(-7, 2);
    bytes.writeBigInt64LE(-(2n ** 40n), 6);
    const cursor = new Cursor(new BufferSource(bytes), 0, 14, fail);
    expect(await cursor.u16('u16')).toBe(0xbeef);
    expect(await cursor.i32('i32')).toBe(-7);
    expect(await cursor.i64('i64')).toBe(-(2n ** 40n));
    expect(cursor.remaining).toBe(0);
    cursor.seek(14);
    expect(() => cursor.seek(15)).toThrow('offset 15 is outside the file');
    expect(() => cursor.seek(-1)).toThrow('offset -1 is outside the file');
    cursor.field = 'archive/data.pkl';
    try {
      cursor.require(2n ** 70n, 'a length');
      throw new Error('not refused');
    } catch (error) {
      expect(error).toBeInstanceOf(LedgerError);
      expect(error).toMatchObject({ code: 'FORMAT', field: 'archive/data.pkl' });
      expect((error as Error).message).toContain(
        `a length needs ${2n ** 70n} bytes at byte 14 but only 0 remain`,
      );
    }
  });

  it('boundedLength gives a length that fits and fails past the limit', () => {
    const tooLong = () => fail('too long');
    expect(boundedLength(42n, 100, tooLong)).toBe(42);
    expect(() => boundedLength(101n, 100, tooLong)).toThrow('too long');
  });
});
