import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readFile, rename, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { hashFiles, defaultCacheDir, sha256Hex, type HashSettings } from '../../src/hash/index.js';
import { MemoryLogger } from '../../src/log.js';
import { tempDir, type TempDir } from '../support/ml-files.js';

describe('digest cache', () => {
  let temp: TempDir;
  let cacheDir: string;
  /** Racy window 0: files just written may be cached, so the tests need not wait. */
  let settings: HashSettings;

  beforeEach(async () => {
    temp = await tempDir();
    cacheDir = join(temp.dir, 'cache');
    settings = { cacheDir, racyWindowMs: 0, concurrency: 2 };
  });
  afterEach(() => temp.cleanup());

  const hashOne = async (path: string, extra: HashSettings = {}) => {
    // With a racy window of 0 a file must still be older than the start of hashing, on clocks that
    // tick in milliseconds: let a few pass after the test's last write.
    await sleep(15);
    const { files, stats } = await hashFiles([{ absolute: path, display: 'weights.bin' }], {
      ...settings,
      ...extra,
    });
    return { ...(files[0] as { sha256: string; size: number; cached: boolean }), stats };
  };

  it('reuses the digest of an unchanged file', async () => {
    const path = await temp.write('weights.bin', 'original weights');
    const first = await hashOne(path);
    expect(first.cached).toBe(false);
    const second = await hashOne(path);
    expect(second).toMatchObject({ sha256: sha256Hex('original weights'), cached: true });
    expect(second.stats.fromCache).toBe(1);
    const stored = await readFile(join(cacheDir, 'digests-v1.txt'), 'utf8');
    const info = await stat(path, { bigint: true });
    const key = `${info.dev}:${info.ino}:${info.size}:${info.mtimeNs}:${info.ctimeNs}`;
    expect(stored).toMatch(
      new RegExp(`^model-ledger digest cache v1\n${sha256Hex('original weights')} \\d+ ${key} ${path}\n$`),
    );
  });

  it('is not fooled by same-size content with the old mtime put back (ctime moves)', async () => {
    const path = await temp.write('weights.bin', 'AAAAAAAAAAAAAAAA');
    // A whole-second mtime, so that utimes can put it back exactly (as `touch -d`, `cp -p` do).
    await utimes(path, 1_700_000_000, 1_700_000_000);
    const first = await hashOne(path);
    const before = await stat(path, { bigint: true });
    await sleep(50); // past the kernel's timestamp tick, so the rewrite gets a new ctime
    await writeFile(path, 'BBBBBBBBBBBBBBBB');
    await utimes(path, 1_700_000_000, 1_700_000_000);
    const after = await stat(path, { bigint: true });
    // The precondition that makes this test mean something: size, mtime and inode all unchanged.
    expect(after.size).toBe(before.size);
    expect(after.mtimeNs).toBe(before.mtimeNs);
    expect(after.ino).toBe(before.ino);
    expect(after.ctimeNs).not.toBe(before.ctimeNs);
    const second = await hashOne(path);
    expect(second).toMatchObject({ sha256: sha256Hex('BBBBBBBBBBBBBBBB'), cached: false });
    expect(second.sha256).not.toBe(first.sha256);
    // and the new digest is what the cache now holds
    expect(await hashOne(path)).toMatchObject({ sha256: sha256Hex('BBBBBBBBBBBBBBBB'), cached: true });
  });

  it('is not fooled by a file replaced by another of the same size and times (new inode)', async () => {
    const path = await temp.write('weights.bin', 'first version!!!');
    await hashOne(path);
    const before = await stat(path);
    const other = await temp.write('incoming.bin', 'second version!!');
    await utimes(other, before.atime, before.mtime);
    await rename(other, path);
    expect(await hashOne(path)).toMatchObject({ sha256: sha256Hex('second version!!'), cached: false });
  });

  it('really answers from the cache on a hit (a doctored entry shows through)', async () => {
    const path = await temp.write('weights.bin', 'content');
    await hashOne(path);
    const file = join(cacheDir, 'digests-v1.txt');
    const stored = await readFile(file, 'utf8');
    await writeFile(file, stored.replace(sha256Hex('content'), 'f'.repeat(64)));
    expect((await hashOne(path)).sha256).toBe('f'.repeat(64));
    expect((await hashOne(path, { noCache: true })).sha256).toBe(sha256Hex('content'));
  });

  it('does not store files changed within the racy window', async () => {
    const path = await temp.write('weights.bin', 'fresh');
    await hashOne(path, { racyWindowMs: 60_000 });
    expect((await hashOne(path, { racyWindowMs: 60_000 })).cached).toBe(false);
    await expect(readFile(join(cacheDir, 'digests-v1.txt'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('noCache neither reads nor writes the cache', async () => {
    const path = await temp.write('weights.bin', 'content');
    await hashOne(path, { noCache: true });
    await expect(readFile(join(cacheDir, 'digests-v1.txt'))).rejects.toMatchObject({ code: 'ENOENT' });
    await hashOne(path);
    expect((await hashOne(path, { noCache: true })).cached).toBe(false);
  });

  it('a corrupt cache file is reported, ignored and rewritten', async () => {
    const path = await temp.write('weights.bin', 'content');
    await temp.write(
      'cache/digests-v1.txt',
      `model-ledger digest cache v1\n${'a'.repeat(64)} 1 not-a-stat-key ${path}\n`,
    );
    const log = new MemoryLogger();
    expect((await hashOne(path, { log })).sha256).toBe(sha256Hex('content'));
    expect(log.messages('warn').join('\n')).toContain('digests-v1.txt line 2 is malformed');
    expect((await hashOne(path)).cached).toBe(true);
    await temp.write('cache/digests-v1.txt', '{"version":1}');
    const other = new MemoryLogger();
    expect((await hashOne(path, { log: other })).cached).toBe(false);
    expect(other.messages('warn').join('\n')).toContain('is not a model-ledger cache');
  });

  it('merges with entries another run saved meanwhile', async () => {
    const first = await temp.write('a.bin', 'first file');
    const second = await temp.write('b.bin', 'second file');
    const { DigestCache } = await import('../../src/hash/index.js');
    const one = await DigestCache.open(cacheDir, { racyWindowMs: 0 });
    const two = await DigestCache.open(cacheDir, { racyWindowMs: 0 });
    const now = BigInt(Date.now() + 1000) * 1_000_000n;
    const key = async (path: string) => {
      const info = await stat(path, { bigint: true });
      return `${info.dev}:${info.ino}:${info.size}:${info.mtimeNs}:${info.ctimeNs}`;
    };
    one.record(first, sha256Hex('first file'), await key(first), false, now);
    two.record(second, sha256Hex('second file'), await key(second), false, now);
    await one.save();
    await two.save();
    const reopened = await DigestCache.open(cacheDir);
    expect(reopened.lookup(first)?.[1]).toBe(sha256Hex('first file'));
    expect(reopened.lookup(second)?.[1]).toBe(sha256Hex('second file'));
  });

  it('lives in XDG_CACHE_HOME or ~/.cache by default', () => {
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/xdg', HOME: '/home/u' })).toBe('/xdg/model-ledger');
    expect(defaultCacheDir({ XDG_CACHE_HOME: 'relative', HOME: '/home/u' })).toBe(
      '/home/u/.cache/model-ledger',
    );
    expect(defaultCacheDir({ HOME: '/home/u' })).toBe('/home/u/.cache/model-ledger');
  });
});
