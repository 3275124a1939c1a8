import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { loadLedger } from '../../src/report/load.js';
import { LocalStore } from '../../src/store/local.js';
import type { RecordRef, Store } from '../../src/store/types.js';
import type { VerifiedCacheOptions } from '../../src/verify/verified-cache.js';
import { fillLedger } from '../support/fill-ledger.js';
import { tempDir, type TempDir } from '../support/ml-files.js';

/**
 * The record digests a read command remembers by file stamp: an unchanged local ledger is stat'ed,
 * not read; an edit is seen even when the file keeps its size and modification time; a memo that
 * is not one, or a stamp too recent to trust, means reading every record.
 */
let temp: TempDir;
let ledgerDir: string;
beforeEach(async () => {
  temp = await tempDir('model-ledger-digest-memo-');
  ledgerDir = join(temp.dir, 'ledger');
  await fillLedger(ledgerDir, 4);
});
afterEach(() => temp.cleanup());

/** The local store, counting the record files it reads. */
function counted(): Store & { reads: string[] } {
  const store = new LocalStore(ledgerDir);
  const reads: string[] = [];
  return {
    reads,
    location: store.location,
    localReads: true,
    list: () => store.list(),
    get: async (ref: RecordRef) => {
      reads.push(ref.name);
      return store.get(ref);
    },
    getSync: (ref: RecordRef) => {
      reads.push(ref.name);
      return store.getSync(ref);
    },
    stamp: (ref: RecordRef) => store.stamp(ref),
    put: (request) => store.put(request),
    remove: (ref) => store.remove(ref),
    publicKeys: () => store.publicKeys(),
    locate: (ref) => store.locate(ref),
    latestCheckpoint: () => store.latestCheckpoint(),
    getCheckpoint: (size) => store.getCheckpoint(size),
  };
}

const cache = (extra: Partial<VerifiedCacheOptions> = {}): VerifiedCacheOptions => ({
  dir: join(temp.dir, 'cache'),
  stampSlackMs: 0,
  ...extra,
});

async function memoFile(): Promise<string> {
  const names = (await readdir(join(temp.dir, 'cache'))).filter((name) => name.endsWith('.digests'));
  expect(names).toHaveLength(1);
  return join(temp.dir, 'cache', names[0] as string);
}

describe('record digests remembered by file stamp', () => {
  it('a second look at an unchanged ledger reads no record file, and shows the same', async () => {
    const first = counted();
    const before = await loadLedger({ store: first, cache: cache() });
    expect(first.reads.length).toBeGreaterThanOrEqual(4);
    const second = counted();
    const after = await loadLedger({ store: second, cache: cache() });
    expect(after.verifiedFromCache).toBe(true);
    expect(second.reads).toEqual([]);
    expect(after.rows.map((row) => [row.index, row.bundleSha256, row.signatureVerified])).toEqual(
      before.rows.map((row) => [row.index, row.bundleSha256, row.signatureVerified]),
    );
    // A statement asked for is read then, once.
    expect(after.rows[2]?.statement?.predicate.chain.index).toBe(2);
    expect(second.reads).toHaveLength(1);
  });

  it('sees an edit that keeps the size and puts the modification time back', async () => {
    const [, target] = await new LocalStore(ledgerDir).list();
    const file = join(ledgerDir, target?.name as string);
    // Whole seconds, which utimes sets exactly: the edit below can put the same time back.
    const when = new Date('2026-01-02T03:04:05Z');
    await utimes(file, when, when);
    await loadLedger({ store: counted(), cache: cache() });
    const bytes = await readFile(file);
    // One byte of the signature changed: same length, and the old modification time restored.
    const at = bytes.indexOf('"sig":"') + 10;
    bytes[at] = bytes[at] === 0x41 ? 0x42 : 0x41;
    await writeFile(file, bytes);
    await utimes(file, when, when);
    expect((await stat(file)).mtime).toEqual(when);
    const store = counted();
    const loaded = await loadLedger({ store, cache: cache() });
    expect(loaded.verifiedFromCache).toBeUndefined();
    expect(store.reads).toContain(target?.name);
    expect(loaded.rows.find((row) => row.file === target?.name)?.signatureVerified).toBe(false);
  });

  it('remembers nothing that changed too recently to trust its stamp', async () => {
    await loadLedger({ store: counted(), cache: cache({ stampSlackMs: 60_000 }) });
    expect((await readFile(await memoFile(), 'utf8')).split('\n')).toEqual([
      'model-ledger record digests 1',
      '',
    ]);
    const store = counted();
    expect((await loadLedger({ store, cache: cache({ stampSlackMs: 60_000 }) })).verifiedFromCache).toBe(
      true,
    );
    expect(store.reads.length).toBeGreaterThanOrEqual(4);
  });

  it('reads every record when the memo is not one, or when asked to check again', async () => {
    await loadLedger({ store: counted(), cache: cache() });
    const file = await memoFile();
    const lines = (await readFile(file, 'utf8')).split('\n');
    expect(lines).toHaveLength(6);
    for (const broken of [
      lines.map((line, index) => (index === 2 ? line.replace(/[0-9a-f]{64}$/, 'not-a-digest') : line)),
      ['model-ledger record digests 0', ...lines.slice(1)],
      lines.slice(0, -1),
    ]) {
      await writeFile(file, broken.join('\n'));
      const store = counted();
      const loaded = await loadLedger({ store, cache: cache() });
      expect(loaded.verifiedFromCache).toBe(true);
      expect(store.reads.length).toBeGreaterThanOrEqual(4);
    }
    const again = counted();
    expect((await loadLedger({ store: again, cache: cache({ reverify: true }) })).verifiedFromCache).toBe(
      undefined,
    );
    expect(again.reads.length).toBeGreaterThanOrEqual(4);
  });

  it('leaves the memo as it is for an unchanged ledger, and keeps unchanged entries when one file changes', async () => {
    await loadLedger({ store: counted(), cache: cache() });
    const file = await memoFile();
    const before = await stat(file);
    const text = await readFile(file, 'utf8');
    await loadLedger({ store: counted(), cache: cache() });
    const after = await stat(file);
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
    // One record rewritten (same bytes, new stamp): its line changes, the other three stay.
    const [, target] = await new LocalStore(ledgerDir).list();
    const path = join(ledgerDir, target?.name as string);
    await writeFile(path, await readFile(path));
    await utimes(path, new Date('2026-01-02T03:04:05Z'), new Date('2026-01-02T03:04:05Z'));
    const store = counted();
    await loadLedger({ store, cache: cache() });
    expect(store.reads).toContain(target?.name);
    const lines = (await readFile(await memoFile(), 'utf8')).split('\n');
    const old = text.split('\n');
    expect(lines).toHaveLength(old.length);
    expect(lines.filter((line) => !old.includes(line))).toEqual([
      expect.stringMatching(new RegExp(`^${target?.name}\\t`)),
    ]);
  });

  it('refuses a memo with any line not of the form name, stamp, digest', async () => {
    await loadLedger({ store: counted(), cache: cache() });
    const file = await memoFile();
    const lines = (await readFile(file, 'utf8')).split('\n');
    const line = lines[1] as string;
    const [name, stamp, digest] = line.split('\t') as [string, string, string];
    for (const broken of [
      `${name}${stamp}\t${digest}`,
      `\t${stamp}\t${digest}`,
      `${name}\t\t${digest}`,
      `${name}\t${stamp}\textra\t${digest}`,
      `${name}\t${stamp}${digest}`,
      `${name}\t${stamp}\t${digest.toUpperCase()}`,
      `${name}\t${stamp}\t${digest.slice(1)}`,
    ]) {
      await writeFile(file, [lines[0], broken, ...lines.slice(2)].join('\n'));
      const store = counted();
      await loadLedger({ store, cache: cache() });
      // A memo found wrong is no memo: every record is read, not only the broken line's.
      expect(store.reads.length).toBeGreaterThanOrEqual(4);
    }
  });
});
