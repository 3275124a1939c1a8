/**
 * The pull request preview (a ledger read, a record kept aside) and the read-once wrapper
 * verification uses, over real local ledgers in temp directories.
 */
import { createPublicKey } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';

import { generateKeyPair, keyHint } from '../../src/sign/keys.js';
import { LocalStore } from '../../src/store/local.js';
import { PreviewStore } from '../../src/store/preview.js';
import { loadLedger } from '../../src/report/load.js';
import { readOnce } from '../../src/store/read-once.js';
import type { PutRequest, RecordRef, Store } from '../../src/store/types.js';
import { fillLedger } from '../support/fill-ledger.js';
import { tempDir, type TempDir } from '../support/ml-files.js';

let temp: TempDir;
let ledger: LocalStore;
let scratch: LocalStore;
beforeEach(async () => {
  temp = await tempDir('model-ledger-preview-');
  ledger = new LocalStore(join(temp.dir, 'ledger'));
  scratch = new LocalStore(join(temp.dir, 'scratch'));
});
afterEach(() => temp.cleanup());

function publicKey(): { hint: string; pem: string } {
  const pem = createPublicKey(generateKeyPair().privateKeyPem)
    .export({ type: 'spki', format: 'pem' })
    .toString();
  return { hint: keyHint(createPublicKey(pem)), pem };
}

function request(index: number, extra: Partial<PutRequest> = {}): PutRequest {
  return {
    index,
    statementSha256: String(index).repeat(64).slice(0, 64),
    bundle: Buffer.from(`record ${index}`),
    attachments: [],
    ...extra,
  };
}

/** The same local ledger, with the `recent` and `recordsAt` lookups a remote store has, counted. */
function withLookups(store: LocalStore): Store & { lookups: string[] } {
  const lookups: string[] = [];
  return {
    lookups,
    location: store.location,
    list: () => store.list(),
    recent: async (count) => {
      lookups.push(`recent ${count}`);
      return (await store.list()).slice(-count);
    },
    recordsAt: async (index) => {
      lookups.push(`at ${index}`);
      return (await store.list()).filter((ref) => ref.index === index);
    },
    get: (ref) => store.get(ref),
    put: (put) => store.put(put),
    remove: (ref) => store.remove(ref),
    publicKeys: () => store.publicKeys(),
    locate: (ref) => store.locate(ref),
  };
}

describe('the pull request preview', () => {
  it('reads the ledger, keeps its own record in scratch, and never lists it as part of the ledger', async () => {
    const ledgerKey = publicKey();
    await ledger.put(request(0, { publicKey: ledgerKey, checkpoint: 'note 1\n' }));
    await ledger.put(request(1, { attachments: [{ name: 'shared.json', content: 'from the ledger' }] }));
    const preview = new PreviewStore(ledger, scratch);
    expect(preview.location).toBe(`${ledger.location} (pull request preview in ${scratch.location})`);

    // A store without recent/recordsAt: the preview lists and filters.
    expect((await preview.recent(1)).map((ref) => ref.index)).toEqual([0, 1]);
    expect((await preview.recordsAt(1)).map((ref) => ref.index)).toEqual([1]);
    expect(await preview.latestCheckpoint()).toMatchObject({ size: 1, text: 'note 1\n' });

    const previewKey = publicKey();
    const own = await preview.put(
      request(2, { publicKey: previewKey, attachments: [{ name: 'own.json', content: 'from the preview' }] }),
    );
    expect((await preview.list()).map((ref) => ref.index)).toEqual([0, 1]);
    expect((await preview.get(own)).toString()).toBe('record 2');
    expect(preview.locate(own)).toBe(join(scratch.location, own.name));
    const [first] = await preview.list();
    expect((await preview.get(first as RecordRef)).toString()).toBe('record 0');
    expect(preview.locate(first as RecordRef)).toBe(join(ledger.location, (first as RecordRef).name));
    expect(await preview.publicKeys()).toEqual(
      new Map([
        [ledgerKey.hint, ledgerKey.pem],
        [previewKey.hint, previewKey.pem],
      ]),
    );
    expect((await preview.getAttachment('own.json'))?.toString()).toBe('from the preview');
    expect((await preview.getAttachment('shared.json'))?.toString()).toBe('from the ledger');
    expect(await preview.getAttachment('none.json')).toBeNull();

    await preview.remove(own);
    expect(await scratch.list()).toEqual([]);
    // Removed from the preview's own: the name is the ledger's to answer for again.
    expect(preview.locate(own)).toBe(join(ledger.location, own.name));
  });

  it("uses the ledger's own recent and recordsAt lookups where it has them", async () => {
    await ledger.put(request(0));
    await ledger.put(request(1));
    const remote = withLookups(ledger);
    const preview = new PreviewStore(remote, scratch);
    expect((await preview.recent(1)).map((ref) => ref.index)).toEqual([1]);
    expect((await preview.recordsAt(0)).map((ref) => ref.index)).toEqual([0]);
    // A ledger without checkpoints at all: none.
    expect(await preview.latestCheckpoint()).toBeNull();
    expect(remote.lookups).toEqual(['recent 1', 'at 0']);
  });

  it('a scratch store without attachments falls through to the ledger', async () => {
    await ledger.put(request(0, { attachments: [{ name: 'm.json', content: 'manifest' }] }));
    const bare = withLookups(scratch);
    const preview = new PreviewStore(ledger, bare);
    expect((await preview.getAttachment('m.json'))?.toString()).toBe('manifest');
    const noAttachments = new PreviewStore(withLookups(ledger), bare);
    expect(await noAttachments.getAttachment('m.json')).toBeNull();
  });
});

describe('readOnce', () => {
  it('lists once and reads each record once; writes go through', async () => {
    await ledger.put(request(0, { checkpoint: 'note 1\n', attachments: [{ name: 'm.json', content: 'm' }] }));
    let lists = 0;
    let gets = 0;
    const counted: Store = {
      location: ledger.location,
      list: () => {
        lists += 1;
        return ledger.list();
      },
      get: (ref) => {
        gets += 1;
        return ledger.get(ref);
      },
      put: (put) => ledger.put(put),
      remove: (ref) => ledger.remove(ref),
      publicKeys: () => ledger.publicKeys(),
      locate: (ref) => ledger.locate(ref),
    };
    const once = readOnce(counted);
    const refs = await once.list();
    await once.list();
    await once.get(refs[0] as RecordRef);
    expect((await once.get(refs[0] as RecordRef)).toString()).toBe('record 0');
    expect([lists, gets]).toEqual([1, 1]);
    // A store without checkpoints or attachments gives a wrapper without them.
    expect(once.getAttachment).toBeUndefined();
    expect(once.getCheckpoint).toBeUndefined();
    expect(once.latestCheckpoint).toBeUndefined();

    const written = await once.put(request(1));
    expect(once.locate(written)).toBe(join(ledger.location, written.name));
    expect(await once.publicKeys()).toEqual(new Map());
    await once.remove(written);
    expect((await ledger.list()).map((ref) => ref.index)).toEqual([0]);

    const full = readOnce(ledger);
    expect((await full.getAttachment?.('m.json'))?.toString()).toBe('m');
    expect(await full.getCheckpoint?.(1)).toMatchObject({ text: 'note 1\n' });
    expect(await full.latestCheckpoint?.()).toMatchObject({ size: 1 });
  });

  it('keeps no copy of a local store’s records: a second read reads the file again', async () => {
    const ref = await ledger.put(request(0));
    const once = readOnce(ledger);
    expect(once.localReads).toBe(true);
    expect((await once.get(ref)).toString()).toBe('record 0');
    await writeFile(join(ledger.location, ref.name), 'changed');
    expect((await once.get(ref)).toString()).toBe('changed');
  });
});

describe('loadLedger over a local store', () => {
  it('does not count a record as verified when its file changed between verification and loading', async () => {
    const repoLedger = join(temp.dir, 'signed');
    await fillLedger(repoLedger, 3);
    const store = new LocalStore(repoLedger);
    const [, second] = await store.list();
    let reads = 0;
    // The second record's file is rewritten after verification read it (its second read here).
    const racing: Store = {
      location: store.location,
      localReads: true,
      list: () => store.list(),
      get: async (ref) => {
        const bytes = await store.get(ref);
        if (ref.name !== second?.name) return bytes;
        reads += 1;
        return reads === 1 ? bytes : Buffer.concat([bytes, Buffer.from('\n')]);
      },
      put: (put) => store.put(put),
      remove: (ref) => store.remove(ref),
      publicKeys: () => store.publicKeys(),
      locate: (ref) => store.locate(ref),
    };
    const loaded = await loadLedger({ store: racing });
    expect(loaded.verification.ok).toBe(true);
    expect(loaded.rows.map((row) => [row.index, row.signatureVerified])).toEqual([
      [0, true],
      [1, false],
      [2, true],
    ]);
  });

  it('keeps no record bytes: a statement read later comes from the file again, and a changed file is refused', async () => {
    const ledgerDir = join(temp.dir, 'signed');
    await fillLedger(ledgerDir, 3);
    const store = new LocalStore(ledgerDir);
    const cache = { dir: join(temp.dir, 'cache') };
    await loadLedger({ store, cache });
    // The second load is served from the cache: its rows decode their statements on demand.
    const loaded = await loadLedger({ store, cache });
    expect(loaded.verifiedFromCache).toBe(true);
    const [first, second] = loaded.rows;
    expect(first?.statement?.predicate.chain.index).toBe(0);
    const file = join(ledgerDir, second?.file as string);
    await writeFile(file, Buffer.concat([await readFile(file), Buffer.from('\n')]));
    expect(() => second?.statement).toThrow(
      expect.objectContaining({
        code: 'STORE',
        file: second?.file,
        message: expect.stringContaining('record 1 changed after it was verified'),
      }),
    );
  });
});
