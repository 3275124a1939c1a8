import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createPublicKey } from 'node:crypto';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

import { sha256Hex } from '../../src/hash/file.js';
import { MemoryLogger } from '../../src/log.js';
import { generateKeyPair, keyHint } from '../../src/sign/keys.js';
import { LocalStore } from '../../src/store/local.js';
import type { Store } from '../../src/store/types.js';
import { verifyLedger } from '../../src/verify/ledger.js';
import { claimedSigner } from '../../src/verify/claimed-signer.js';
import { cachedVerification, defaultVerifiedCacheDir } from '../../src/verify/verified-cache.js';
import { runCli } from '../support/cli.js';
import type { TempRepo } from '../support/repo.js';
import { keyedRepo, ledgerFiles, recordVersion, tamperWithRecord } from '../support/report-ledger.js';

/**
 * The read commands' verification cache: an unchanged ledger's verification is reused (and said
 * so), any change to a record, the ledger's keys or checkpoint is a full verification again, and
 * `--reverify` checks everything whatever the cache holds.
 */
let repo: TempRepo;
const REUSED =
  /^notice: the verification of these \d+ records is the one this machine made of the unchanged ledger before/m;

beforeAll(async () => {
  repo = await keyedRepo();
  for (let v = 0; v < 4; v++) await recordVersion(repo, v);
}, 120_000);
afterAll(async () => {
  await repo.cleanup();
});

const log = (...extra: string[]) => runCli(['log', ...extra], repo.dir, repo.env);

describe('log and diff on an unchanged ledger', () => {
  it('reuse the verification they made before, say so, and check again with --reverify', async () => {
    const first = await log();
    expect(first.status).toBe(0);
    expect(first.stderr).not.toMatch(REUSED);
    const second = await log();
    expect(second.status).toBe(0);
    expect(second.stderr).toMatch(REUSED);
    expect(second.stdout).toBe(first.stdout);
    const diff = await runCli(['diff', '0', 'head'], repo.dir, repo.env);
    expect(diff.stderr).toMatch(REUSED);
    const again = await log('--reverify');
    expect(again.stderr).not.toMatch(REUSED);
    // `verify` never reads the cache.
    const verify = await runCli(['verify'], repo.dir, repo.env);
    expect(verify.stderr).not.toMatch(REUSED);
  });

  it('list from the cached log view, and rebuild a view that is not one', async () => {
    // A filter (one every record passes) lists from the view; every record unfiltered is the text below.
    const fresh = await log('--format', 'json', '--since', '2000-01-01', '--reverify');
    const cached = await log('--format', 'json', '--since', '2000-01-01');
    expect(cached.stdout).toBe(fresh.stdout);
    const dir = join(repo.env.XDG_CACHE_HOME as string, 'model-ledger', 'verified');
    const views = (await readdir(dir)).filter((name) => name.endsWith('.log.json'));
    expect(views).toHaveLength(1);
    const view = join(dir, views[0] as string);
    const stored = JSON.parse(await readFile(view, 'utf8')) as { key: string; value: unknown[] };
    expect(stored.value).toHaveLength((JSON.parse(fresh.stdout) as unknown[]).length);
    // Same key, but not a list of log entries: recomputed, not printed.
    await writeFile(view, JSON.stringify({ ...stored, value: [{ index: 'zero' }] }));
    const rebuilt = await log('--format', 'json', '--since', '2000-01-01');
    expect(rebuilt.stdout).toBe(fresh.stdout);
    // The view is what a cached listing prints (the cache is the user's own, like the verification
    // beside it) — but only under the key of this very ledger state.
    const edited = JSON.parse(fresh.stdout) as { reason: string }[];
    edited[0]!.reason = 'from the view';
    await writeFile(view, JSON.stringify({ ...stored, value: edited }));
    const listed = JSON.parse((await log('--format', 'json', '--since', '2000-01-01')).stdout) as {
      reason: string;
    }[];
    expect(listed[0]?.reason).toBe('from the view');
    await writeFile(view, JSON.stringify({ ...stored, key: 'f'.repeat(64), value: edited }));
    expect((await log('--format', 'json', '--since', '2000-01-01')).stdout).toBe(fresh.stdout);
  });

  it('print every record as JSON from the rendered text, checked against its digest and key', async () => {
    const fresh = await log('--format', 'json', '--reverify');
    expect(fresh.status).toBe(0);
    const dir = join(repo.env.XDG_CACHE_HOME as string, 'model-ledger', 'verified');
    const texts = (await readdir(dir)).filter((name) => name.endsWith('.log.txt'));
    expect(texts).toHaveLength(1);
    const file = join(dir, texts[0] as string);
    const stored = await readFile(file, 'utf8');
    const newline = stored.indexOf('\n');
    const header = JSON.parse(stored.slice(0, newline)) as { key: string; sha256: string };
    expect(stored.slice(newline + 1)).toBe(fresh.stdout.replace(/\n$/, ''));
    expect(header.sha256).toBe(sha256Hex(Buffer.from(stored.slice(newline + 1), 'utf8')));
    // Printed as stored under this ledger state's key and digest…
    const edited = fresh.stdout.replace(/\n$/, '').replace('"index": 0', '"index": 0 ');
    const digest = sha256Hex(Buffer.from(edited, 'utf8'));
    await writeFile(file, `${JSON.stringify({ ...header, sha256: digest })}\n${edited}`);
    expect((await log('--format', 'json')).stdout).toContain('"index": 0 ,');
    // …and rendered again when the body does not match its digest, or the key is another state's.
    await writeFile(file, `${stored.slice(0, newline)}\n${edited}`);
    expect((await log('--format', 'json')).stdout).toBe(fresh.stdout);
    await writeFile(file, `${JSON.stringify({ ...header, key: 'f'.repeat(64), sha256: digest })}\n${edited}`);
    expect((await log('--format', 'json')).stdout).toBe(fresh.stdout);
    await writeFile(file, 'not a header');
    expect((await log('--format', 'json')).stdout).toBe(fresh.stdout);
    expect(await readFile(file, 'utf8')).toBe(stored);
  });

  it('verify everything again when a record changed, and report what changed', async () => {
    expect((await log()).status).toBe(0);
    const files = await ledgerFiles(repo);
    await tamperWithRecord(files[2] as string);
    const run = await log();
    expect(run.stderr).not.toMatch(REUSED);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/FAIL .*BAD_SIGNATURE|FAIL .*record 2/);
    // Twice: the cached verification of the tampered ledger says so too.
    const cached = await log();
    expect(cached.stderr).toMatch(REUSED);
    expect(cached.status).toBe(1);
  });
});

describe('cachedVerification', () => {
  it('is bypassed by anchors, and misses when the newest record or the checkpoint goes', async () => {
    const store = new LocalStore(join(repo.dir, '.model-ledger'));
    const cache = { dir: join(repo.dir, 'cache') };
    let verifications = 0;
    const verify = async () => {
      verifications++;
      return verifyLedger({ store });
    };
    const run = async (options = {}) => {
      const records = await Promise.all(
        (await store.list()).map(async (ref) => {
          const bytes = await store.get(ref);
          return { ref, sha256: sha256Hex(bytes), claim: claimedSigner(bytes, ref.name) };
        }),
      );
      return cachedVerification(store, records, { store, ...options }, cache, verify);
    };
    expect((await run()).fromCache).toBe(false);
    expect((await run()).fromCache).toBe(true);
    expect(verifications).toBe(1);
    expect((await run({ anchors: {} })).fromCache).toBe(false);
    expect(verifications).toBe(2);
    // A record that claims a certificate (keyless) makes the ledger uncacheable: its trusted root may change.
    const keyless = (await store.list()).map((ref) => ({
      ref,
      sha256: 'f'.repeat(64),
      claim: { kind: 'certificate' as const, identity: 'https://example.org/wf', issuer: 'https://issuer' },
    }));
    expect((await cachedVerification(store, keyless, { store }, cache, verify)).fromCache).toBe(false);
    expect((await cachedVerification(store, keyless, { store }, cache, verify)).fromCache).toBe(false);
    expect(verifications).toBe(4);
    // The ledger's newest checkpoint removed: another ledger state, verified again.
    const checkpoints = join(repo.dir, '.model-ledger', 'checkpoints');
    const newest = (await readdir(checkpoints))
      .filter((name) => name.endsWith('.checkpoint'))
      .sort()
      .at(-1) as string;
    await rm(join(checkpoints, newest));
    expect((await run()).fromCache).toBe(false);
    expect((await run()).fromCache).toBe(true);
    // The newest record removed.
    const files = await ledgerFiles(repo);
    await rm(files.at(-1) as string);
    expect((await run()).fromCache).toBe(false);
    expect(verifications).toBe(6);
  });
});

describe('the cache directory', () => {
  it('is under $XDG_CACHE_HOME, else ~/.cache of $HOME, else of the home directory', () => {
    expect(defaultVerifiedCacheDir({ XDG_CACHE_HOME: '/x', HOME: '/h' })).toBe('/x/model-ledger/verified');
    expect(defaultVerifiedCacheDir({ XDG_CACHE_HOME: '', HOME: '/h' })).toBe(
      '/h/.cache/model-ledger/verified',
    );
    expect(defaultVerifiedCacheDir({})).toBe(join(homedir(), '.cache', 'model-ledger', 'verified'));
  });
});

describe('cache entries', () => {
  /** The facts cachedVerification is handed for each stored record. */
  async function facts(store: Store) {
    return Promise.all(
      (await store.list()).map(async (ref) => {
        const bytes = await store.get(ref);
        return { ref, sha256: sha256Hex(bytes), claim: claimedSigner(bytes, ref.name) };
      }),
    );
  }

  it('are keyed on the ledger keys whatever order a store lists them in, and on stores without checkpoints', async () => {
    const local = new LocalStore(join(repo.dir, '.model-ledger'));
    const extra = generateKeyPair().publicKeyPem;
    const keys = [
      ...(await local.publicKeys()),
      [keyHint(createPublicKey(extra)), extra] as [string, string],
    ];
    const listing = (order: 'ascending' | 'descending'): Store => ({
      location: local.location,
      list: () => local.list(),
      get: (ref) => local.get(ref),
      put: (request) => local.put(request),
      remove: (ref) => local.remove(ref),
      locate: (ref) => local.locate(ref),
      publicKeys: () =>
        Promise.resolve(
          new Map([...keys].sort(([a], [b]) => (order === 'ascending' ? (a < b ? -1 : 1) : a < b ? 1 : -1))),
        ),
    });
    const cache = { dir: join(repo.dir, 'cache-order') };
    let verifications = 0;
    const verify = async () => {
      verifications++;
      return verifyLedger({ store: local });
    };
    const descending = listing('descending');
    const first = await cachedVerification(
      descending,
      await facts(descending),
      { store: descending },
      cache,
      verify,
    );
    expect(first.fromCache).toBe(false);
    const ascending = listing('ascending');
    const second = await cachedVerification(
      ascending,
      await facts(ascending),
      { store: ascending },
      cache,
      verify,
    );
    expect(second).toMatchObject({ fromCache: true, key: first.key });
    expect(verifications).toBe(1);
    // The same store with its checkpoint: another key.
    const third = await cachedVerification(local, await facts(local), { store: local }, cache, verify);
    expect(third.fromCache).toBe(false);
    expect(third.key).not.toBe(first.key);
  });

  it('that cannot be read, are not JSON, or cannot be written are misses, said at debug level', async () => {
    const store = new LocalStore(join(repo.dir, '.model-ledger'));
    const dir = join(repo.dir, 'cache-broken');
    const log = new MemoryLogger();
    const cache = { dir, log };
    const records = await facts(store);
    let verifications = 0;
    const verify = async () => {
      verifications++;
      return verifyLedger({ store });
    };
    expect((await cachedVerification(store, records, { store }, cache, verify)).fromCache).toBe(false);
    const [entry] = await readdir(dir);
    const file = join(dir, entry as string);

    await writeFile(file, '{ not json');
    expect((await cachedVerification(store, records, { store }, cache, verify)).fromCache).toBe(false);
    expect(log.messages('debug')).toContainEqual(
      expect.stringMatching(new RegExp(`^verification cache ${file} is not JSON \\(.*\\): verifying$`)),
    );
    // Rewritten with the new verification: a hit again.
    expect((await cachedVerification(store, records, { store }, cache, verify)).fromCache).toBe(true);

    await rm(file);
    await mkdir(file);
    expect((await cachedVerification(store, records, { store }, cache, verify)).fromCache).toBe(false);
    const debug = log.messages('debug');
    expect(debug).toContainEqual(
      expect.stringMatching(new RegExp(`^cache file ${file} not read \\(.*\\): working without it$`)),
    );
    expect(debug).toContainEqual(
      expect.stringMatching(new RegExp(`^verification cache ${file} not written \\(`)),
    );
    expect(verifications).toBe(3);
  });
});
