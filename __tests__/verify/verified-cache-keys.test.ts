import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { sha256Hex } from '../../src/hash/file.js';
import { MemoryLogger } from '../../src/log.js';
import { generateKeyPair } from '../../src/sign/keys.js';
import { LocalStore } from '../../src/store/local.js';
import { claimedSigner } from '../../src/verify/claimed-signer.js';
import { verifyLedger, type VerifyLedgerOptions } from '../../src/verify/ledger.js';
import {
  cachedText,
  cachedVerification,
  cachedView,
  type StoredRecordFacts,
  type VerifiedCacheOptions,
} from '../../src/verify/verified-cache.js';
import { fillLedger } from '../support/fill-ledger.js';
import { tempDir, type TempDir } from '../support/ml-files.js';

/**
 * What a cached verification depends on, one option at a time, and what the cache keeps: a miss
 * whenever the trust asked for differs, no entry for what depends on more than the store (or a
 * keyless record), and entries and views that are not this version's or this shape are misses.
 */
let temp: TempDir;
let store: LocalStore;
let records: StoredRecordFacts[];
let verifications: number;
const verify = async () => {
  verifications++;
  return verifyLedger({ store });
};
beforeEach(async () => {
  temp = await tempDir('model-ledger-verified-cache-');
  await fillLedger(join(temp.dir, 'ledger'), 4);
  store = new LocalStore(join(temp.dir, 'ledger'));
  records = await Promise.all(
    (await store.list()).map(async (ref) => {
      const bytes = await store.get(ref);
      return { ref, sha256: sha256Hex(bytes), claim: claimedSigner(bytes, ref.name) };
    }),
  );
  verifications = 0;
});
afterEach(() => temp.cleanup());

const cache = (extra: Partial<VerifiedCacheOptions> = {}): VerifiedCacheOptions => ({
  dir: join(temp.dir, 'cache'),
  ...extra,
});
const run = (options: Partial<VerifyLedgerOptions> = {}, given = records, extra = {}) =>
  cachedVerification(store, given, { store, ...options }, cache(extra), verify);

describe('cachedVerification', () => {
  it('is bypassed, and stores nothing, for a policy, artifacts, anchors or an empty ledger', async () => {
    for (const options of [
      { policy: { version: 1 } as unknown as VerifyLedgerOptions['policy'] },
      { artifactsDir: temp.dir },
      { anchors: {} },
    ]) {
      expect(await run(options)).toMatchObject({ fromCache: false, key: null });
      expect(await run(options)).toMatchObject({ fromCache: false, key: null });
    }
    expect(await run({}, [])).toMatchObject({ fromCache: false, key: null });
    expect(verifications).toBe(7);
    expect(await readdir(temp.dir)).not.toContain('cache');
  });

  it('misses when the keys, identity, origin or partial mode asked for differ', async () => {
    expect((await run()).fromCache).toBe(false);
    expect((await run()).fromCache).toBe(true);
    const pem = generateKeyPair().publicKeyPem;
    for (const options of [
      { trustedKeys: [pem] },
      { identity: { subject: 'https://example.org/wf' } as unknown as VerifyLedgerOptions['identity'] },
      { origin: 'github.com/other/ledger#main' },
      { partial: true },
    ]) {
      const before = verifications;
      expect((await run(options)).fromCache).toBe(false);
      expect(verifications).toBe(before + 1);
      expect((await run(options)).fromCache).toBe(true);
    }
    expect((await run()).fromCache).toBe(false);
    // Another value of the same option is another key, too.
    for (const [first, second] of [
      [{ trustedKeys: [pem] }, { trustedKeys: [generateKeyPair().publicKeyPem] }],
      [{ origin: 'github.com/a/ledger#main' }, { origin: 'github.com/b/ledger#main' }],
      [
        { identity: { subject: 'https://example.org/a' } as unknown as VerifyLedgerOptions['identity'] },
        { identity: { subject: 'https://example.org/b' } as unknown as VerifyLedgerOptions['identity'] },
      ],
    ] as [Partial<VerifyLedgerOptions>, Partial<VerifyLedgerOptions>][]) {
      await run(first);
      expect((await run(first)).fromCache).toBe(true);
      expect((await run(second)).fromCache).toBe(false);
    }
  });

  it('keeps nothing for a ledger in which one record claims a certificate', async () => {
    const mixed = records.map((record, at) =>
      at === 2
        ? {
            ...record,
            claim: { kind: 'certificate' as const, identity: 'https://example.org/wf', issuer: 'https://i' },
          }
        : record,
    );
    expect(await run({}, mixed)).toMatchObject({ fromCache: false, key: null });
    expect(await run({}, mixed)).toMatchObject({ fromCache: false, key: null });
    expect(verifications).toBe(2);
  });

  it('keeps its entry readable by the user alone, named by the ledger, and reverifies on request', async () => {
    const first = await run();
    const [name] = await readdir(join(temp.dir, 'cache'));
    expect(name).toMatch(/^[0-9a-f]{64}\.json$/);
    expect((await stat(join(temp.dir, 'cache', name as string))).mode & 0o777).toBe(0o600);
    expect(await run({}, records, { reverify: true })).toMatchObject({ fromCache: false, key: first.key });
    expect(verifications).toBe(2);
  });

  it('misses on an entry of another version or shape, and says nothing of a cache never written', async () => {
    const log = new MemoryLogger();
    await run({}, records, { log });
    expect(log.messages('debug').filter((line) => line.includes('not read'))).toEqual([]);
    const file = join(temp.dir, 'cache', (await readdir(join(temp.dir, 'cache')))[0] as string);
    const stored = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown> & {
      verification: Record<string, unknown>;
    };
    for (const broken of [
      { ...stored, version: 0 },
      { ...stored, key: 7 },
      { ...stored, verification: 'ok' },
      { ...stored, verification: { ...stored.verification, records: 'none' } },
      { ...stored, verification: { ...stored.verification, problems: null } },
      { ...stored, verification: undefined },
      { ...stored, verification: null },
      null,
    ]) {
      await writeFile(file, JSON.stringify(broken));
      expect((await run()).fromCache).toBe(false);
    }
  });
});

describe('cached views and texts', () => {
  const valid = (value: unknown): value is string[] => Array.isArray(value);

  it('are computed again on request, or when stored by another version', async () => {
    let computed = 0;
    const view = (extra = {}) =>
      cachedView(cache(extra), store.location, 'k'.repeat(64), 'names', valid, () => {
        computed++;
        return ['a', 'b'];
      });
    expect(await view()).toEqual(['a', 'b']);
    expect(await view()).toEqual(['a', 'b']);
    expect(computed).toBe(1);
    await view({ reverify: true });
    expect(computed).toBe(2);
    const viewFile = join(temp.dir, 'cache', (await readdir(join(temp.dir, 'cache')))[0] as string);
    const stored = JSON.parse(await readFile(viewFile, 'utf8')) as Record<string, unknown>;
    await writeFile(viewFile, JSON.stringify({ ...stored, version: 0, value: ['old'] }));
    expect(await view()).toEqual(['a', 'b']);
    expect(computed).toBe(3);

    let rendered = 0;
    const text = (extra = {}) =>
      cachedText(cache(extra), store.location, 'k'.repeat(64), 'listing', async () => {
        rendered++;
        return 'all ✓';
      });
    expect((await text()).toString('utf8')).toBe('all ✓');
    expect((await text()).toString('utf8')).toBe('all ✓');
    expect(rendered).toBe(1);
    await text({ reverify: true });
    expect(rendered).toBe(2);
    const textFile = join(
      temp.dir,
      'cache',
      (await readdir(join(temp.dir, 'cache'))).find((name) => name.endsWith('.listing.txt')) as string,
    );
    const [header, body] = (await readFile(textFile, 'utf8')).split('\n');
    const older = JSON.stringify({ ...(JSON.parse(header as string) as object), version: 0 });
    await writeFile(textFile, `${older}\n${body as string}`);
    expect((await text()).toString('utf8')).toBe('all ✓');
    expect(rendered).toBe(3);
  });
});
