import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { execFile, execFileSync } from 'node:child_process';
import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { build } from 'esbuild';

import { LedgerError } from '../../src/errors.js';
import { compareBytewise } from '../../src/fs/glob.js';
import {
  buildManifest,
  hashDirectory,
  listTree,
  manifestRef,
  MANIFEST_INLINE_LIMIT,
} from '../../src/hash/index.js';
import { coreutilsDigest, coreutilsManifest, tempDir, type TempDir } from '../support/ml-files.js';

const run = promisify(execFile);

/** A dataset tree: nested dirs, empty files, unicode and awkward names, symlinks within. */
async function writeDataset(temp: TempDir, root = 'data'): Promise<string> {
  await temp.write(`${root}/train/part-000.csv`, 'id,label\n1,cat\n2,dog\n');
  await temp.write(`${root}/train/part-001.csv`, 'id,label\n3,bird\n');
  await temp.write(`${root}/train/empty.csv`, '');
  await temp.write(`${root}/test/nested/deeper/x.bin`, Buffer.from([0, 1, 2, 255, 254]));
  await temp.write(`${root}/données/café.txt`, 'NFC é\n');
  await temp.write(`${root}/données/cafe\u0301.txt`, 'NFD é\n');
  await temp.write(`${root}/日本語/ファイル.json`, '{"a":1}\n');
  await temp.write(`${root}/emoji 🙂 name.txt`, 'smile\n');
  // U+FF21 sorts before U+1F600 in UTF-8 (EF.. < F0..) but after it in UTF-16 (FF21 > D83D).
  await temp.write(`${root}/ordering/\uFF21.txt`, 'fullwidth\n');
  await temp.write(`${root}/ordering/😀.txt`, 'emoji\n');
  await temp.write(`${root}/ordering/replacement-\uFFFD.txt`, 'valid UTF-8 for U+FFFD\n');
  await temp.write(`${root}/a-b`, 'dash\n');
  await temp.write(`${root}/a/b`, 'slash\n');
  await temp.write(`${root}/B`, 'upper\n');
  await temp.write(`${root}/.hidden`, 'dotfile\n');
  await mkdir(join(temp.dir, root, 'empty-dir'));
  await symlink('train/part-000.csv', join(temp.dir, root, 'latest.csv'));
  await symlink('test', join(temp.dir, root, 'test-link'));
  return join(temp.dir, root);
}

describe('directory digests', () => {
  let temp: TempDir;
  beforeEach(async () => {
    temp = await tempDir();
  });
  afterEach(() => temp.cleanup());

  it('equal the coreutils recomputation, manifest line for line', async () => {
    const dir = await writeDataset(temp);
    const digest = await hashDirectory(dir, 'data', { noCache: true, concurrency: 2 });
    expect(digest.manifest.text).toBe(await coreutilsManifest(dir));
    expect(digest.manifest.digest).toBe(await coreutilsDigest(dir));
    expect(digest.files).toHaveLength(15);
    expect(digest.size).toBe(digest.files.reduce((total, file) => total + file.size, 0));
    expect(digest.files.find((file) => file.path === 'train/empty.csv')?.size).toBe(0);
    expect(digest.symlinks).toEqual(['latest.csv', 'test-link']);
    // bytewise order, as LC_ALL=C sort: ".hidden" < "B" < "a-b" < "a/b" < "emoji" < "données" (0xC3)...
    const order = digest.files.map((file) => file.path);
    expect(order.indexOf('.hidden')).toBeLessThan(order.indexOf('B'));
    expect(order.indexOf('B')).toBeLessThan(order.indexOf('a-b'));
    expect(order.indexOf('a-b')).toBeLessThan(order.indexOf('a/b'));
  });

  it('orders names as their UTF-8 bytes, like LC_ALL=C sort', () => {
    const names = ['a', 'b', 'B', 'a/b', 'a-b', 'é', 'e\u0301', '\uFF21', '😀', '\uE000', '\uD7FF', 'ab', ''];
    const byBytes = [...names].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect([...names].sort(compareBytewise)).toEqual(byBytes);
    expect([...names].sort()).not.toEqual(byBytes); // the trap: JavaScript's default order differs
  });

  it('changes when one byte of one file changes', async () => {
    const dir = await writeDataset(temp);
    const before = await hashDirectory(dir, 'data', { noCache: true });
    await writeFile(join(dir, 'train/part-001.csv'), 'id,label\n3,bird!\n'.slice(0, 17));
    const after = await hashDirectory(dir, 'data', { noCache: true });
    expect(after.manifest.digest).not.toBe(before.manifest.digest);
    expect(after.manifest.digest).toBe(await coreutilsDigest(dir));
  });

  it('a symlink leaving the directory is an error naming it', async () => {
    const dir = await writeDataset(temp);
    await temp.write('outside.txt', 'secret\n');
    await symlink('../../outside.txt', join(dir, 'train', 'escape.txt'));
    const failure = hashDirectory(dir, 'data', { noCache: true });
    await expect(failure).rejects.toBeInstanceOf(LedgerError);
    await expect(failure).rejects.toMatchObject({
      code: 'HASH',
      message: expect.stringMatching(/^data\/train\/escape\.txt: symlink leaves the directory/),
    });
  });

  it('a broken symlink is an error naming it', async () => {
    const dir = await writeDataset(temp);
    await symlink('missing-target', join(dir, 'dangling'));
    await expect(hashDirectory(dir, 'data', { noCache: true })).rejects.toMatchObject({
      code: 'HASH',
      message: expect.stringMatching(/^data\/dangling: symlink leads nowhere/),
    });
  });

  it('a FIFO is an error naming it', async () => {
    const dir = await writeDataset(temp);
    execFileSync('mkfifo', [join(dir, 'test', 'queue')]);
    await expect(hashDirectory(dir, 'data/', { noCache: true })).rejects.toMatchObject({
      code: 'HASH',
      message: expect.stringMatching(/^data\/test\/queue: is a FIFO, not a regular file/),
    });
  });

  it('a socket is an error naming it', async () => {
    const dir = await writeDataset(temp);
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(join(dir, 'sock'), resolve));
    try {
      await expect(hashDirectory(dir, 'data', { noCache: true })).rejects.toMatchObject({
        code: 'HASH',
        message: expect.stringMatching(/^data\/sock: is a socket/),
      });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('a name that is not UTF-8 is an error showing its bytes', async () => {
    const dir = await writeDataset(temp);
    await writeFile(
      Buffer.concat([Buffer.from(`${dir}/train/bad-`), Buffer.from([0xff, 0xfe]), Buffer.from('.csv')]),
      'x',
    );
    await expect(hashDirectory(dir, 'data', { noCache: true })).rejects.toMatchObject({
      code: 'HASH',
      message: expect.stringContaining('data/train/bad-\\xff\\xfe.csv: file name is not valid UTF-8'),
    });
  });

  it('names with a newline or backslash are errors (sha256sum would escape them)', async () => {
    const dir = await writeDataset(temp);
    await temp.write('data/line\nbreak.txt', 'x');
    await expect(hashDirectory(dir, 'data', { noCache: true })).rejects.toMatchObject({
      code: 'HASH',
      message: expect.stringContaining('data/line\\nbreak.txt: file name contains a newline'),
    });
    const other = await tempDir();
    try {
      await other.write('d/back\\slash.txt', 'x');
      await expect(hashDirectory(join(other.dir, 'd'), 'd', { noCache: true })).rejects.toMatchObject({
        code: 'HASH',
        message: expect.stringContaining('backslash'),
      });
    } finally {
      await other.cleanup();
    }
  });

  it('an empty directory or a missing one is bad input naming it', async () => {
    await mkdir(join(temp.dir, 'hollow', 'inner'), { recursive: true });
    await expect(hashDirectory(join(temp.dir, 'hollow'), 'hollow', { noCache: true })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/^hollow: directory holds no regular file/),
    });
    await expect(listTree(join(temp.dir, 'absent'), 'absent')).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/^absent: directory not found/),
    });
  });

  it('keeps a manifest inline up to 64 KiB and attaches a larger one under its digest', () => {
    const line = { path: 'x'.repeat(100), sha256: 'a'.repeat(64) };
    const small = buildManifest([line]);
    const attached = new Map<string, string>();
    expect(manifestRef(small, (name, content) => attached.set(name, content))).toEqual({
      sha256: small.digest,
      inline: small.text,
    });
    const count = Math.ceil(MANIFEST_INLINE_LIMIT / 167) + 1;
    const large = buildManifest(
      Array.from({ length: count }, (_, index) => ({ ...line, path: `${index}`.padStart(100, '0') })),
    );
    expect(Buffer.byteLength(large.text)).toBeGreaterThan(MANIFEST_INLINE_LIMIT);
    expect(manifestRef(large, (name, content) => attached.set(name, content))).toEqual({
      sha256: large.digest,
      stored: `${large.digest}.manifest.txt`,
    });
    expect(attached.get(`${large.digest}.manifest.txt`)).toBe(large.text);
  });

  it('bundled by esbuild into one file, hashes in plain node and reports unreadable files by path', async () => {
    // The worker is built from inline source, so a single-file bundle needs nothing beside it.
    const dir = await writeDataset(temp);
    const entry = fileURLToPath(new URL('../../src/hash/index.ts', import.meta.url));
    const bundle = join(temp.dir, 'hash-bundle.mjs');
    await build({
      stdin: {
        contents: `import { hashDirectory } from ${JSON.stringify(entry)};
          hashDirectory(process.argv[2], 'data', { noCache: true, concurrency: 2 }).then(
            (d) => console.log(JSON.stringify({ digest: d.manifest.digest })),
            (e) => console.log(JSON.stringify({ code: e.code, message: e.message })));`,
        resolveDir: temp.dir,
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: bundle,
      logLevel: 'silent',
    });
    // Root reads anything: run the bundle as `nobody` so that permission bits mean something.
    const asRoot = process.getuid?.() === 0;
    const options = asRoot ? { uid: 65534, gid: 65534 } : {};
    execFileSync('chmod', ['-R', 'a+rX', temp.dir]);
    const ok = await run(process.execPath, [bundle, dir], options);
    expect(JSON.parse(ok.stdout)).toEqual({ digest: await coreutilsDigest(dir) });

    await chmod(join(dir, 'train', 'part-001.csv'), 0o000);
    const unreadable = JSON.parse((await run(process.execPath, [bundle, dir], options)).stdout) as {
      code: string;
      message: string;
    };
    expect(unreadable.code).toBe('HASH');
    expect(unreadable.message).toMatch(/^data\/train\/part-001\.csv: file is unreadable \(EACCES\)/);

    await chmod(join(dir, 'train', 'part-001.csv'), 0o644);
    await chmod(join(dir, 'test', 'nested'), 0o000);
    const unlistable = JSON.parse((await run(process.execPath, [bundle, dir], options)).stdout) as {
      code: string;
      message: string;
    };
    await chmod(join(dir, 'test', 'nested'), 0o755);
    expect(unlistable.code).toBe('HASH');
    expect(unlistable.message).toMatch(/^data\/test\/nested: cannot list directory/);
  });
});
