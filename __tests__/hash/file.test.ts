import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { symlink } from 'node:fs/promises';
import { join } from 'node:path';

import { LedgerError } from '../../src/errors.js';
import { HashPool, hashFile, hashFiles, sha256Hex } from '../../src/hash/index.js';
import { sha256sum, tempDir, type TempDir } from '../support/ml-files.js';

const MiB = 1024 * 1024;

/** Deterministic, non-repeating bytes, so a chunk boundary bug changes the digest. */
function bytes(size: number, seed: number): Buffer {
  const buffer = Buffer.alloc(size);
  let state = seed;
  for (let index = 0; index < size; index++) {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    buffer[index] = state >> 16;
  }
  return buffer;
}

describe('hashing files', () => {
  let temp: TempDir;
  const sizes = [0, 1, 4 * MiB - 1, 4 * MiB, 4 * MiB + 1, 9 * MiB + 7];
  let paths: string[];

  beforeAll(async () => {
    temp = await tempDir();
    paths = await Promise.all(
      sizes.map((size, index) => temp.write(`f${index}.bin`, bytes(size, index + 1))),
    );
  });
  afterAll(() => temp.cleanup());

  it('hashFile prints what sha256sum prints, across 4 MiB read boundaries', async () => {
    const expected = await sha256sum(...paths);
    for (const [index, path] of paths.entries()) {
      const digest = await hashFile(path);
      expect(digest).toEqual({ sha256: expected[index], size: sizes[index] });
    }
  });

  it('hashFiles on the worker pool agrees with sha256sum and keeps input order', async () => {
    const expected = await sha256sum(...paths);
    const order = [5, 0, 3, 1, 4, 2];
    const { files, stats } = await hashFiles(
      order.map((index) => ({ absolute: paths[index] as string, display: `f${index}.bin` })),
      { noCache: true, concurrency: 2 },
    );
    expect(files.map((file) => file.sha256)).toEqual(order.map((index) => expected[index]));
    expect(files.map((file) => file.display)).toEqual(order.map((index) => `f${index}.bin`));
    expect(stats).toEqual({ files: 6, bytes: sizes.reduce((a, b) => a + b, 0), fromCache: 0 });
  });

  it('reports progress, ending with every file done', async () => {
    const reports: { files: number; total: number; bytes: number }[] = [];
    await hashFiles(
      paths.map((path) => ({ absolute: path, display: path })),
      { noCache: true, onProgress: (progress) => reports.push(progress) },
    );
    expect(reports.length).toBeGreaterThan(0);
    expect(reports[reports.length - 1]).toEqual({
      files: 6,
      total: 6,
      bytes: sizes.reduce((a, b) => a + b, 0),
    });
  });

  it('a shared pool serves several runs and more files than workers', async () => {
    const pool = new HashPool({ concurrency: 3 });
    try {
      const many = await Promise.all(
        Array.from({ length: 40 }, (_, index) => temp.write(`many/${index}.txt`, `file ${index}\n`)),
      );
      const first = await hashFiles(
        many.map((path) => ({ absolute: path, display: path })),
        { noCache: true, pool },
      );
      const second = await hashFiles([{ absolute: paths[1] as string, display: 'f1' }], {
        noCache: true,
        pool,
      });
      expect(first.files.map((file) => file.sha256)).toEqual(
        many.map((_, index) => sha256Hex(`file ${index}\n`)),
      );
      expect(second.files[0]?.sha256).toBe(sha256Hex(bytes(1, 2)));
    } finally {
      await pool.close();
    }
    await expect(pool.run([{ path: paths[0] as string }])).rejects.toThrow('already closed');
  });

  it('a missing file is a HASH error naming it', async () => {
    const missing = join(temp.dir, 'nope.bin');
    await expect(hashFile(missing)).rejects.toMatchObject({
      code: 'HASH',
      message: expect.stringContaining(missing),
    });
    await expect(
      hashFiles([{ absolute: missing, display: 'data/nope.bin' }], { noCache: true }),
    ).rejects.toMatchObject({
      code: 'HASH',
      message: expect.stringContaining('data/nope.bin'),
    });
  });

  it('a path that became a symlink or a FIFO is refused, not followed or waited on', async () => {
    const link = join(temp.dir, 'link.bin');
    await symlink(paths[1] as string, link);
    const fifo = join(temp.dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    await expect(
      hashFiles([{ absolute: link, display: 'link.bin' }], { noCache: true }),
    ).rejects.toMatchObject({
      code: 'HASH',
      message: expect.stringMatching(/^link\.bin: is not a regular file/),
    });
    await expect(hashFiles([{ absolute: fifo, display: 'pipe' }], { noCache: true })).rejects.toMatchObject({
      code: 'HASH',
      message: expect.stringMatching(/^pipe: is not a regular file/),
    });
    await expect(hashFile(fifo)).rejects.toBeInstanceOf(LedgerError);
  });

  it('stops at the first failure instead of hashing the rest', async () => {
    const pool = new HashPool({ concurrency: 2 });
    try {
      const jobs = [
        { path: join(temp.dir, 'gone.bin') },
        ...Array.from({ length: 19_999 }, () => ({ path: paths[1] as string })),
      ];
      const outcomes = await pool.run(jobs);
      expect(outcomes[0]).toMatchObject({ ok: false, reason: 'io', code: 'ENOENT' });
      // Chunks of 4,096 go out two at a time: the third and later chunks are never sent.
      expect(outcomes.slice(2 * 4096).every((outcome) => outcome === undefined)).toBe(true);
      await expect(
        hashFiles(
          jobs.map((job, index) => ({ absolute: job.path, display: `f${index}` })),
          { noCache: true, pool },
        ),
      ).rejects.toMatchObject({
        code: 'HASH',
        message: expect.stringMatching(/^f0: the file disappeared/),
      });
    } finally {
      await pool.close();
    }
  });

  it('rejects a pool size that is not a positive integer', () => {
    expect(() => new HashPool({ concurrency: 0 })).toThrow(LedgerError);
  });
});
