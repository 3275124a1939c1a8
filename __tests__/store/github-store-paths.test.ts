/**
 * The GitHub release store's API used directly (put, get, the lookups by index and checkpoint),
 * over real HTTP to the fake GitHub server: reading only some releases, keyless checkpoint
 * bundles, a ledger that turned immutable releases on part-way, downloads from the web host,
 * downloads that stay damaged, and the errors of creates and uploads that keep failing.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';

import { RecordConflict, type PutRequest, type RecordRef } from '../../src/store/types.js';
import type { RecordedRequest } from '../support/fake-github.js';
import { REPOSITORY, startGitHubLedger, type GitHubLedgerServer } from '../support/github-store.js';
import { ledgerPublicKey, putRequest } from '../support/put-request.js';

let server: GitHubLedgerServer;
beforeEach(async () => {
  server = await startGitHubLedger();
});
afterEach(() => server.close());

const request = (index: number, extra: Partial<PutRequest> = {}) => putRequest(index, 'c'.repeat(64), extra);
const publicKey = ledgerPublicKey;

const isUpload = (name?: string) => (recorded: RecordedRequest) =>
  recorded.method === 'POST' &&
  recorded.path.startsWith('/api/uploads/') &&
  (name === undefined || recorded.query.get('name') === name);
const isCreateRelease = (recorded: RecordedRequest) =>
  recorded.method === 'POST' && recorded.path === '/api/v3/repos/acme/model/releases';
const isApiDownload = (recorded: RecordedRequest) =>
  recorded.method === 'GET' &&
  /\/releases\/assets\/\d+$/.test(recorded.path) &&
  recorded.headers.accept === 'application/octet-stream';
const indexes = (refs: RecordRef[]) => refs.map((ref) => ref.index);

describe('the GitHub release store, read by its own API', () => {
  it('reads only the releases asked for: recent, recordsAt, checkpoints and keys come from those', async () => {
    const key = publicKey();
    const writer = server.store({ recordsPerRelease: 2 });
    for (let index = 0; index < 3; index++)
      await writer.put(request(index, { publicKey: key, checkpoint: `note ${index + 1}\n` }));

    const only = server.store({ onlyReleases: ['model-ledger-2'], recordsPerRelease: 2 });
    expect(only.location).toBe('acme/model (GitHub release model-ledger-2)');
    expect(indexes(await only.recent(5))).toEqual([2]);
    expect(indexes(await only.recordsAt(2))).toEqual([2]);
    expect(await only.recordsAt(0)).toEqual([]);
    expect(await only.getCheckpoint(3)).toMatchObject({ size: 3, text: 'note 3\n' });
    expect(await only.getCheckpoint(1)).toBeNull();
    expect(await only.latestCheckpoint()).toMatchObject({ size: 3 });
    expect(await only.publicKeys()).toEqual(new Map([[key.hint, key.pem]]));

    const both = server.store({ onlyReleases: ['model-ledger', 'model-ledger-2'] });
    expect(indexes(await both.recent(2))).toEqual([1, 2]);
    expect(indexes(await both.recent(0))).toEqual([2]);
  });

  it('names what it cannot find: a record it never listed, a missing release, an attachment or checkpoint', async () => {
    const store = server.store();
    await store.put(request(0, { checkpoint: 'note 1\n' }));
    const unknown: RecordRef = { index: 5, name: 'model-ledger/model-ledger-000005.sigstore.json', uri: 'x' };
    await expect(store.get(unknown)).rejects.toMatchObject({
      code: 'STORE',
      message: expect.stringContaining(
        'acme/model (GitHub releases): model-ledger/model-ledger-000005.sigstore.json: no such record in the ledger releases',
      ),
    });
    await store.remove(unknown); // nothing of it to remove: no call
    expect(server.fake.requests.filter((recorded) => recorded.method === 'DELETE')).toEqual([]);
    expect(await store.recordsCopiedTo('v9.9.9')).toEqual([]);
    expect(await store.releaseFiles('v9.9.9', () => true)).toEqual([]);
    expect(await store.getAttachment('none.json')).toBeNull();
    expect(await store.getCheckpoint(0)).toBeNull();
    expect(await store.getCheckpoint(2)).toBeNull();
    expect(await store.getCheckpoint(1)).toMatchObject({ size: 1, text: 'note 1\n' });
    expect(store.whereIs(unknown)).toBeUndefined();

    // A record it stored is removed by its asset id.
    const [ref] = await store.list();
    await store.remove(ref as RecordRef);
    expect(server.recordAssets()).toEqual([]);
  });

  it('keeps a keyless checkpoint bundle beside its note, and refuses another note or bundle for the same size', async () => {
    const store = server.store();
    const first = request(0, { checkpoint: 'note 1\n', checkpointBundle: Buffer.from('{"bundle":1}') });
    await store.put(first);
    expect(await server.store().getCheckpoint(1)).toMatchObject({ text: 'note 1\n', bundle: '{"bundle":1}' });
    expect(await server.store().latestCheckpoint()).toMatchObject({ size: 1, bundle: '{"bundle":1}' });

    // The same record again (an earlier attempt of this run): stored; the other checkpoint is not.
    const again = server.store();
    await expect(
      again.put({ ...first, checkpointBundle: Buffer.from('{"bundle":"other"}') }),
    ).resolves.toMatchObject({
      index: 0,
    });
    await again.put({ ...first, checkpoint: 'another note\n', checkpointBundle: undefined });
    expect(server.log.messages('warn')).toEqual([
      expect.stringMatching(
        /^record 0 is stored, but its checkpoint was not: .*release model-ledger already holds another model-ledger-000000\.checkpoint\.sigstore\.json/,
      ),
      expect.stringMatching(/already holds another model-ledger-000000\.checkpoint$/),
    ]);
    expect(await server.store().getCheckpoint(1)).toMatchObject({ text: 'note 1\n', bundle: '{"bundle":1}' });
  });

  it('labels manifests and model signatures stored beside a record', async () => {
    await server.store().put(
      request(0, {
        attachments: [
          { name: `${'d'.repeat(64)}.model.sig`, content: 'signature' },
          { name: `${'e'.repeat(64)}.json`, content: 'manifest' },
        ],
      }),
    );
    expect(server.releases.release(REPOSITORY, 'model-ledger')?.assets.map((asset) => asset.label)).toEqual([
      expect.stringMatching(/^model-ledger model signature d{16} \(record 0\) · run /),
      expect.stringMatching(/^model-ledger manifest e{16} \(record 0\) · run /),
      expect.stringMatching(/^model-ledger record 0 · run /),
    ]);
    expect((await server.store().getAttachment(`${'e'.repeat(64)}.json`))?.toString()).toBe('manifest');
  });

  it('a ledger that turned immutable releases on part-way: recent() walks the records of their own, then the old segment', async () => {
    const perRelease = { recordsPerRelease: 2 };
    await server.store(perRelease).put(request(0));
    await server.store(perRelease).put(request(1));
    server.releases.immutable = true;
    await server.store(perRelease).put(request(2));
    await server.store(perRelease).put(request(3));
    expect(server.recordAssets()).toEqual([
      'model-ledger/model-ledger-000000.sigstore.json',
      'model-ledger/model-ledger-000001.sigstore.json',
      'model-ledger-record-000002/model-ledger-000002.sigstore.json',
      'model-ledger-record-000003/model-ledger-000003.sigstore.json',
    ]);
    const reader = server.store(perRelease);
    expect(indexes(await reader.recent(4))).toEqual([0, 1, 2, 3]);
    expect(indexes(await reader.recent(2))).toEqual([2, 3]);
    expect(indexes(await reader.list())).toEqual([0, 1, 2, 3]);
    expect(indexes(await reader.recordsAt(1))).toEqual([1]);
    expect(indexes(await reader.recordsAt(3))).toEqual([3]);

    // Record 3 stored again with the same bytes (an earlier attempt): found, not a conflict.
    await expect(server.store(perRelease).put(request(3))).resolves.toMatchObject({ index: 3 });
    // Other bytes at index 3: another run's, in a release of its own.
    await expect(
      server.store(perRelease).put({ ...request(3), bundle: Buffer.from('other') }),
    ).rejects.toBeInstanceOf(RecordConflict);
    expect(server.releases.releasesOf(REPOSITORY).filter((release) => release.draft)).toEqual([]);
  });

  it('downloads a public repository’s assets from the web host, and through the API when that fails', async () => {
    await server.store().put(request(0));
    const web = server.store({ downloads: 'web' });
    const [ref] = await web.list();
    expect((await web.get(ref as RecordRef)).toString()).toBe('{"record":0}');
    expect(web.usage).toMatchObject({ downloads: 1, webDownloads: 1 });
    expect(server.fake.requests.filter(isApiDownload)).toEqual([]);

    // A private repository: the web host answers 404, so the API is asked.
    server.fake.repo('acme', 'model').private = true;
    const fallback = server.store({ downloads: 'web' });
    const [again] = await fallback.list();
    expect((await fallback.get(again as RecordRef)).toString()).toBe('{"record":0}');
    expect(fallback.usage).toMatchObject({ downloads: 1, webDownloads: 0 });
    expect(server.fake.requests.filter(isApiDownload)).toHaveLength(1);
  });

  it('a download that stays damaged is a NETWORK error saying so, after one more try', async () => {
    await server.store().put(request(0));
    const store = server.store();
    const [ref] = await store.list();
    // The bytes GitHub serves no longer match the digest it listed for them.
    const stored = server.releases.findAsset(ref?.sequence ?? -1)?.asset;
    if (!stored) throw new Error('no record asset');
    stored.content = Buffer.from('{"record":"damaged"}');
    await expect(store.get(ref as RecordRef)).rejects.toMatchObject({
      code: 'NETWORK',
      message: expect.stringContaining(
        'the download of model-ledger/model-ledger-000000.sigstore.json does not match the digest GitHub gives for it',
      ),
      fix: 'run again; if it persists, the asset is damaged on GitHub',
    });
    expect(server.fake.requests.filter(isApiDownload)).toHaveLength(2);
    expect(server.log.messages('info')).toContainEqual(
      expect.stringMatching(/does not match GitHub's digest of it; downloading it again$/),
    );
  });
});

describe('the GitHub release store when GitHub keeps failing', () => {
  it('a create of the ledger release that keeps failing with 5xx is tried three times, then named', async () => {
    server.fake.fail({ kind: 'status', status: 502 }, { match: isCreateRelease, times: 3 });
    await expect(server.store().put(request(0))).rejects.toMatchObject({
      code: 'NETWORK',
      message: expect.stringContaining('502 Bad Gateway'),
    });
    expect(server.fake.requests.filter(isCreateRelease)).toHaveLength(3);
    expect(server.releases.releasesOf(REPOSITORY)).toEqual([]);
  });

  it('a 4xx on create is not retried; a 422 with no release to show for it is passed on', async () => {
    server.fake.fail({ kind: 'status', status: 403 }, { match: isCreateRelease });
    await expect(server.store().put(request(0))).rejects.toMatchObject({
      code: 'STORE',
      message: expect.stringContaining('(403)'),
      fix: expect.stringContaining('contents: write'),
    });
    server.fake.fail(
      { kind: 'status', status: 422, message: 'Validation Failed' },
      { match: isCreateRelease },
    );
    await expect(server.store().put(request(0))).rejects.toMatchObject({
      message: expect.stringContaining('(422)'),
    });
    expect(server.fake.requests.filter(isCreateRelease)).toHaveLength(2);
  });

  it('when the record upload keeps failing, the error lists what was written before it', async () => {
    const key = publicKey();
    server.fake.fail(
      { kind: 'status', status: 500 },
      { match: isUpload('model-ledger-000000.sigstore.json'), times: 100 },
    );
    await expect(server.store().put(request(0, { publicKey: key }))).rejects.toMatchObject({
      message: expect.stringContaining(
        `cannot store record 0 in release model-ledger (written: model-ledger-key-${key.hint}.pub.pem (content-addressed, harmless); the record itself was not stored)`,
      ),
    });
  });

  it('a release build’s files: only with a tag; a draft this run created is deleted when an upload keeps failing', async () => {
    const store = server.store();
    await expect(
      store.attachToRelease([{ name: 'a.txt', label: 'a', content: Buffer.from('a') }], { publish: true }),
    ).rejects.toMatchObject({
      code: 'USAGE',
      message: expect.stringContaining('only a release build attaches files to a release'),
    });

    server.fake.fail({ kind: 'status', status: 500 }, { match: isUpload('a.txt'), times: 100 });
    await expect(
      store.attachToRelease([{ name: 'a.txt', label: 'a', content: Buffer.from('a') }], {
        publish: true,
        tag: 'v1.0.0',
      }),
    ).rejects.toMatchObject({
      code: 'NETWORK',
      message: expect.stringContaining('500 Internal Server Error'),
    });
    expect(server.releases.releasesOf(REPOSITORY)).toEqual([]);
    expect(server.log.messages('info')).toContain('deleted the draft release v1.0.0 this run created');

    server.fake.clearFaults();
    const urls = await store.attachToRelease([{ name: 'a.txt', label: 'a', content: Buffer.from('a') }], {
      publish: true,
      tag: 'v1.0.0',
      prerelease: true,
    });
    expect(urls.get('a.txt')).toMatch(/\/releases\/download\/v1\.0\.0\/a\.txt$/);
    expect(server.releases.release(REPOSITORY, 'v1.0.0')).toMatchObject({ draft: false, prerelease: true });
  });

  it('an upload GitHub refuses because the release turned immutable since it was read: the error says to run again', async () => {
    const store = server.store();
    await store.put(request(0));
    const segment = server.releases.release(REPOSITORY, 'model-ledger');
    if (!segment) throw new Error('no ledger release');
    segment.immutable = true;
    await expect(store.put(request(1))).rejects.toMatchObject({
      code: 'STORE',
      message: expect.stringMatching(
        /^cannot store record 1 in release model-ledger \(the record was not stored\): .*release model-ledger is immutable: GitHub refuses new assets on it — run again: the ledger continues in releases of their own$/,
      ),
    });
    // Read afresh, the segment is immutable: the record goes into a release of its own.
    await expect(server.store().put(request(1))).resolves.toMatchObject({
      name: 'model-ledger-record-000001/model-ledger-000001.sigstore.json',
    });
  });

  it("immutable releases: when the record's upload keeps failing, this run's draft is deleted and the error says so", async () => {
    server.releases.immutable = true;
    server.fake.fail(
      { kind: 'status', status: 500 },
      { match: isUpload('model-ledger-000000.sigstore.json'), times: 100 },
    );
    await expect(server.store().put(request(0))).rejects.toMatchObject({
      message: expect.stringContaining(
        'cannot store record 0 in release model-ledger-record-000000 (the draft release this run created was deleted: nothing of this run is left)',
      ),
    });
    expect(server.releases.releasesOf(REPOSITORY).map((release) => release.tagName)).toEqual([
      'model-ledger',
    ]);
  });

  it("its own half-written upload is deleted and tried again twice; a third is the upload's error", async () => {
    server.releases.failUploadsHalfway(3);
    await expect(server.store().put(request(0))).rejects.toMatchObject({
      message: expect.stringContaining('cannot store record 0 in release model-ledger'),
    });
    expect(server.log.messages('warn')).toEqual([
      expect.stringMatching(/this run’s upload of model-ledger-000000\.sigstore\.json stopped half-way/),
      expect.stringMatching(/this run’s upload of model-ledger-000000\.sigstore\.json stopped half-way/),
    ]);
    // The third half-written asset stays, in state "open": the next run (or GitHub's clock) clears it.
    expect(server.releases.assetsOf(REPOSITORY).map((asset) => [asset.name, asset.state])).toEqual([
      ['model-ledger-000000.sigstore.json', 'open'],
    ]);
  });

  it('a half-written upload of another run that GitHub has meanwhile deleted is not taken for abandoned', async () => {
    const segment = server.releases.addRelease(REPOSITORY, { tagName: 'model-ledger', prerelease: true });
    const other = server.releases.addAsset(segment, 'model-ledger-000000.sigstore.json', 'half', {
      state: 'open',
      label: 'model-ledger record 0 · run 0123456789abcdef',
    });
    // The look at the asset itself finds it gone (404): not abandoned, so it is waited for.
    server.fake.fail(
      { kind: 'status', status: 404 },
      {
        match: (recorded) =>
          recorded.method === 'GET' && recorded.path.endsWith(`/releases/assets/${other.id}`),
        times: 100,
      },
    );
    await expect(server.store().put(request(0))).rejects.toMatchObject({
      code: 'CHAIN',
      message: expect.stringContaining(
        "another run's upload of model-ledger-000000.sigstore.json to release model-ledger has not completed",
      ),
    });
    // Any other failure to look at it is the store's error.
    server.fake.clearFaults();
    server.fake.fail(
      { kind: 'status', status: 403 },
      {
        match: (recorded) =>
          recorded.method === 'GET' && recorded.path.endsWith(`/releases/assets/${other.id}`),
        times: 100,
      },
    );
    await expect(server.store().put(request(0))).rejects.toMatchObject({
      message: expect.stringContaining(
        `GitHub refused to read asset model-ledger-000000.sigstore.json of acme/model (403)`,
      ),
    });
  });

  it("a release build's files: a file of an earlier attempt is replaced; unpublished when asked; copies listed", async () => {
    const store = server.store({ target: { kind: 'release', tag: 'v2.0.0' } });
    expect(store.releaseTarget).toEqual({ kind: 'release', tag: 'v2.0.0' });
    const copy = 'model-ledger-record-000003.sigstore.json';
    await store.attachToRelease([{ name: copy, label: 'copy', content: Buffer.from('first') }], {
      publish: true,
    });
    await store.attachToRelease([{ name: copy, label: 'copy', content: Buffer.from('second') }], {
      publish: true,
    });
    expect(server.log.messages('info')).toContain(
      `release v2.0.0: replacing ${copy} from an earlier attempt`,
    );
    const release = server.releases.release(REPOSITORY, 'v2.0.0');
    expect(release?.assets.map((asset) => [asset.name, asset.content.toString()])).toEqual([
      [copy, 'second'],
    ]);
    expect(await server.store().recordsCopiedTo('v2.0.0')).toEqual([3]);

    await server.store().attachToRelease([{ name: 'notes.txt', label: 'n', content: Buffer.from('n') }], {
      publish: false,
      tag: 'v3.0.0',
    });
    expect(
      server.releases.releasesOf(REPOSITORY).find((candidate) => candidate.tagName === 'v3.0.0'),
    ).toMatchObject({
      draft: true,
    });
  });

  it('reports a ledger draft another run left long ago, and takes no part of it into the ledger', async () => {
    await server.store().put(request(0));
    const draft = server.releases.addRelease(REPOSITORY, {
      tagName: 'model-ledger-record-000001',
      draft: true,
    });
    server.releases.addAsset(draft, 'model-ledger-000001.sigstore.json', '{"record":"draft"}');
    const reader = server.store();
    expect(indexes(await reader.recent(5))).toEqual([0]);
    expect(server.log.messages('warn')).toEqual([
      expect.stringMatching(
        new RegExp(
          `^release model-ledger-record-000001 \\(id ${draft.id}\\) is a draft another run left \\d+ min ago`,
        ),
      ),
    ]);
  });

  it('a record looked up by its asset id alone is downloaded through the API when the web host has no URL for it', async () => {
    await server.store().put(request(0));
    const id = server.releases
      .assetsOf(REPOSITORY)
      .find((asset) => asset.name.endsWith('.sigstore.json'))?.id;
    const web = server.store({ downloads: 'web' });
    const bytes = await web.get({
      index: 0,
      name: 'model-ledger/model-ledger-000000.sigstore.json',
      uri: '',
      sequence: id,
    });
    expect(bytes.toString()).toBe('{"record":0}');
    expect(web.usage).toMatchObject({ downloads: 1, webDownloads: 0 });
  });

  it('a key file uploaded meanwhile with other bytes under the same name is kept as it is, and warned about', async () => {
    const key = publicKey();
    const store = server.store();
    await store.put(request(0));
    // After this store read the release, something else put other bytes under the key's name.
    const segment = server.releases.release(REPOSITORY, 'model-ledger');
    if (!segment) throw new Error('no ledger release');
    server.releases.addAsset(segment, `model-ledger-key-${key.hint}.pub.pem`, 'not the key');
    await store.put(request(1, { publicKey: key }));
    expect(server.log.messages('warn')).toEqual([
      `release model-ledger: model-ledger-key-${key.hint}.pub.pem exists with other content; kept as is`,
    ]);
    expect(server.recordAssets()).toEqual([
      'model-ledger/model-ledger-000000.sigstore.json',
      'model-ledger/model-ledger-000001.sigstore.json',
    ]);
  });
});
