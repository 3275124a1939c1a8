import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';

import { MemoryLogger } from '../../src/log.js';
import { recordToGitHub } from '../../src/run/github.js';
import { record, type RecordOptions } from '../../src/run/record.js';
import { generateKeyPair } from '../../src/sign/keys.js';
import { mirrorAttestation } from '../../src/store/attestations.js';
import type { GitHubReleaseStore } from '../../src/store/github-release.js';
import { RecordConflict, type PutRequest, type RecordRef, type Store } from '../../src/store/types.js';
import { verifyLedger } from '../../src/verify/ledger.js';
import { errorBody } from '../support/fake-github.js';
import { REPOSITORY, TOKEN, startGitHubLedger, type GitHubLedgerServer } from '../support/github-store.js';
import { createTempRepo, type TempRepo } from '../support/repo.js';

let server: GitHubLedgerServer;
let repo: TempRepo;
const key = generateKeyPair().privateKeyPem;
let version = 0;

beforeEach(async () => {
  server = await startGitHubLedger();
  repo = await createTempRepo();
});
afterEach(async () => {
  await server.close();
  await repo.cleanup();
});

/** A new model version committed, then recorded into `store`. */
async function recordInto(store: Store, extra: Partial<RecordOptions> = {}) {
  version += 1;
  await repo.write('models/model.bin', `weights ${version}`);
  repo.commit(`train ${version}`);
  return record({
    cwd: repo.dir,
    env: repo.env,
    store,
    models: ['models/model.bin'],
    signing: 'key',
    keyPem: key,
    ...extra,
  });
}

const isUpload = (request: { method: string; path: string }) =>
  request.method === 'POST' && request.path.startsWith('/api/uploads/');
const isDownload = (request: { method: string; path: string }) =>
  request.method === 'GET' && /\/releases\/assets\/\d+$/.test(request.path);

async function verified(store: Store) {
  const outcome = await verifyLedger({ store });
  expect(outcome.problems).toEqual([]);
  expect(outcome.ok).toBe(true);
  return outcome;
}

describe('the GitHub release store', () => {
  it('keeps linked records as assets of a rolling pre-release, uploaded to the upload_url GitHub gives', async () => {
    const first = await recordInto(server.store());
    const second = await recordInto(server.store());
    expect([first.index, second.index]).toEqual([0, 1]);
    expect(second.previous?.statementSha256).toBe(first.statementSha256);
    expect(second.previous?.uri).toBe(
      `${server.fake.serverUrl}/acme/model/releases/download/model-ledger/model-ledger-000000.sigstore.json`,
    );
    expect(second.location).toBe(
      `${server.fake.serverUrl}/acme/model/releases/download/model-ledger/model-ledger-000001.sigstore.json`,
    );

    const release = server.releases.release(REPOSITORY, 'model-ledger');
    expect(release).toMatchObject({ draft: false, prerelease: true });
    expect(release?.assets.map((asset) => [asset.name, asset.label])).toEqual([
      [
        expect.stringMatching(/^model-ledger-key-[0-9a-f]{64}\.pub\.pem$/),
        expect.stringMatching(/^model-ledger public key /),
      ],
      [
        expect.stringMatching(/^model-ledger-[0-9a-f]{64}\.model\.sig$/),
        expect.stringMatching(/^model-ledger model signature [0-9a-f]{16} \(record 0\)/),
      ],
      [
        'model-ledger-000000.sigstore.json',
        expect.stringMatching(/^model-ledger record 0 · run [0-9a-f]{16}$/),
      ],
      ['model-ledger-000000.checkpoint', expect.stringMatching(/^model-ledger checkpoint 1 · run /)],
      [
        expect.stringMatching(/^model-ledger-[0-9a-f]{64}\.model\.sig$/),
        expect.stringMatching(/^model-ledger model signature [0-9a-f]{16} \(record 1\)/),
      ],
      ['model-ledger-000001.sigstore.json', expect.stringMatching(/^model-ledger record 1 · run /)],
      ['model-ledger-000001.checkpoint', expect.stringMatching(/^model-ledger checkpoint 2 · run /)],
    ]);
    // Uploads went where the release said (GHES-style /api/uploads), with the token.
    const uploads = server.fake.requests.filter(isUpload);
    expect(uploads).toHaveLength(7);
    for (const upload of uploads) expect(upload.headers.authorization).toBe(`token ${TOKEN}`);
    expect(server.fake.invalidRequests).toEqual([]);
    const outcome = await verified(server.store());
    expect(outcome.records.map((summary) => summary.file)).toEqual([
      'model-ledger/model-ledger-000000.sigstore.json',
      'model-ledger/model-ledger-000001.sigstore.json',
    ]);
  });

  it('downloads through the API, following the 302 to another origin without the token', async () => {
    await recordInto(server.store());
    await verified(server.store());
    const downloads = server.fake.requests.filter(
      (request) => isDownload(request) && request.headers.accept === 'application/octet-stream',
    );
    expect(downloads.length).toBeGreaterThan(0);
    for (const download of downloads) expect(download.status).toBe(302);
    expect(server.releases.storageRequests.length).toBe(downloads.length);
    expect(server.releases.storageRequests.every((request) => request.authorization === undefined)).toBe(
      true,
    );

    server.releases.redirectDownloads = false;
    await verified(server.store());
  });

  it('finds the head across pages of releases and of assets (100 a page)', async () => {
    await recordInto(server.store());
    const ledger = server.releases.release(REPOSITORY, 'model-ledger');
    if (!ledger) throw new Error('no ledger release');
    for (let n = 0; n < 250; n++) server.releases.addAsset(ledger, `notes-${n}.txt`, `note ${n}`);
    for (let n = 0; n < 120; n++) server.releases.addRelease(REPOSITORY, { tagName: `v0.${n}.0` });
    await recordInto(server.store()); // record 1 is asset 253 of the release: page 3
    const third = await recordInto(server.store());
    expect(third.index).toBe(2);
    expect(third.previous?.uri).toMatch(/model-ledger-000001\.sigstore\.json$/);

    const pages = (operationId: string) =>
      server.fake.requestsFor(operationId).map((request) => request.query.get('page') ?? '1');
    expect(pages('repos/list-releases')).toContain('2');
    expect(pages('repos/list-release-assets')).toContain('3');
    for (const request of server.fake.requestsFor('repos/list-releases')) {
      expect(request.query.get('per_page')).toBe('100');
    }
    await verified(server.store());
  });

  it('rolls over to <tag>-2 when a release holds its share of records, and links across releases', async () => {
    const results = [];
    for (let n = 0; n < 3; n++) results.push(await recordInto(server.store({ recordsPerRelease: 2 })));
    expect(results.map((result) => result.index)).toEqual([0, 1, 2]);
    expect(server.recordAssets()).toEqual([
      'model-ledger/model-ledger-000000.sigstore.json',
      'model-ledger/model-ledger-000001.sigstore.json',
      'model-ledger-2/model-ledger-000002.sigstore.json',
    ]);
    expect(results[2]?.previous?.uri).toMatch(
      /\/download\/model-ledger\/model-ledger-000001\.sigstore\.json$/,
    );
    // The next release has the key too, so it verifies on its own.
    expect(server.releases.release(REPOSITORY, 'model-ledger-2')?.assets.map((asset) => asset.name)).toEqual([
      expect.stringMatching(/^model-ledger-key-/),
      expect.stringMatching(/^model-ledger-[0-9a-f]{64}\.model\.sig$/),
      'model-ledger-000002.sigstore.json',
      'model-ledger-000002.checkpoint',
    ]);
    await verified(server.store());
    const part = await verifyLedger({
      store: server.store({ onlyReleases: ['model-ledger-2'] }),
      partial: true,
    });
    expect(part.problems).toEqual([]);
    expect(part.records.map((summary) => summary.index)).toEqual([2]);
  });

  it('retries a 5xx once, waits as a 429 asks (retry-after), and gives up on a timeout only after retrying', async () => {
    server.fake.fail({ kind: 'status', status: 503 }, { match: (request) => request.method === 'GET' });
    server.fake.fail(
      { kind: 'rate-limit', status: 429, retryAfter: 2 },
      {
        match: (request) =>
          isUpload(request) && request.query.get('name') === 'model-ledger-000000.sigstore.json',
      },
    );
    await recordInto(server.store());
    expect(server.fake.requests.filter((request) => request.fault === 'status')).toHaveLength(1);
    expect(server.waits).toContain(2_000);
    expect(server.recordAssets()).toEqual(['model-ledger/model-ledger-000000.sigstore.json']);

    server.fake.fail({ kind: 'timeout' }, { match: isDownload });
    const store = server.store({ client: server.client({ requestTimeoutMs: 300 }) });
    const second = await recordInto(store);
    expect(second.index).toBe(1);
    expect(server.fake.requests.filter((request) => request.fault === 'timeout')).toHaveLength(1);
    expect(server.log.messages('info').join('\n')).toMatch(/no answer within 0\.3 s; retrying/);
  });

  it('treats its own earlier upload as done, and a record of another run under the name as a conflict', async () => {
    await recordInto(server.store());
    const store = server.store();
    const [ref] = await store.list();
    const bundle = await store.get(ref as RecordRef);
    const request: PutRequest = { index: 0, statementSha256: 'a'.repeat(64), bundle, attachments: [] };
    await expect(store.put(request)).resolves.toMatchObject({ index: 0, sequence: ref?.sequence });
    const other = { ...request, bundle: Buffer.from(`${bundle.toString('utf8')} `) };
    await expect(store.put(other)).rejects.toBeInstanceOf(RecordConflict);
    expect(server.recordAssets()).toHaveLength(1);

    // The same through the API: the upload of a taken name answers 422 already_exists.
    const release = server.releases.release(REPOSITORY, 'model-ledger');
    const response = await fetch(
      `${server.fake.serverUrl}/api/uploads/repos/acme/model/releases/${release?.id}/assets?name=model-ledger-000000.sigstore.json`,
      {
        method: 'POST',
        headers: { authorization: `token ${TOKEN}`, 'content-type': 'application/octet-stream' },
        body: '{}',
      },
    );
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ errors: [{ code: 'already_exists', field: 'name' }] });
  });

  it('cleans up an upload that failed half-way and uploads again', async () => {
    await recordInto(server.store());
    server.releases.failUploadsHalfway(1);
    // Without a model signature, the record's bundle is the run's first upload.
    const second = await recordInto(server.store(), { modelSignatures: false });
    expect(second.index).toBe(1);
    expect(server.log.messages('warn')).toEqual([
      expect.stringMatching(
        /this run’s upload of model-ledger-000001\.sigstore\.json stopped half-way \(asset state "open"\); deleting it/,
      ),
    ]);
    const assets = server.releases.release(REPOSITORY, 'model-ledger')?.assets ?? [];
    expect(assets.filter((asset) => asset.name === 'model-ledger-000001.sigstore.json')).toEqual([
      expect.objectContaining({ state: 'uploaded' }),
    ]);
    expect(server.fake.requestsFor('repos/delete-release-asset')).toHaveLength(1);
    await verified(server.store());
  });

  it("waits for another run's upload in flight, and deletes one only when GitHub's clock shows it abandoned", async () => {
    await recordInto(server.store());
    const segment = server.releases.release(REPOSITORY, 'model-ledger');
    if (!segment) throw new Error('no ledger release');
    // Another run's upload of record 1 left half-way an hour ago (by the server's clock).
    const stale = server.releases.addAsset(segment, 'model-ledger-000001.sigstore.json', 'partial', {
      state: 'starter',
      label: 'model-ledger record 1 · run 0123456789abcdef',
    });
    stale.createdAt = new Date(server.releases.clock - 3_600_000).toISOString();
    const second = await recordInto(server.store());
    expect(second.index).toBe(1);
    expect(server.log.messages('warn').join('\n')).toMatch(
      /an abandoned upload of model-ledger-000001\.sigstore\.json stopped half-way/,
    );

    // A fresh one is never deleted: the run waits for it, again and again, and gives up saying so.
    server.releases.addAsset(segment, 'model-ledger-000002.sigstore.json', 'in flight', {
      state: 'starter',
      label: 'model-ledger record 2 · run fedcba9876543210',
    });
    const deletes = server.fake.requestsFor('repos/delete-release-asset').length;
    const waiting = recordInto(server.store({ sleep: () => Promise.resolve() }));
    await expect(waiting).rejects.toThrow(/other runs keep appending to the ledger at the same time/);
    expect(server.fake.requestsFor('repos/delete-release-asset')).toHaveLength(deletes);
    expect(segment.assets.find((asset) => asset.name === 'model-ledger-000002.sigstore.json')?.state).toBe(
      'starter',
    );
  });

  it('retries POSTs whose answer was lost without creating twice, and a download whose bytes do not match', async () => {
    // The create of the ledger release succeeds on GitHub, but its answer is cut off.
    server.fake.fail(
      { kind: 'truncate', mode: 'close' },
      {
        match: (request) => request.method === 'POST' && request.path.endsWith('/repos/acme/model/releases'),
      },
    );
    await recordInto(server.store());
    expect(server.fake.requests.filter((request) => request.fault === 'truncate')).toHaveLength(1);
    expect(server.releases.releasesOf(REPOSITORY).map((release) => release.tagName)).toEqual([
      'model-ledger',
    ]);

    // The attestation is stored, its answer lost: it is found by its subject, not stored again.
    server.fake.fail(
      { kind: 'truncate', mode: 'close' },
      { match: (request) => request.method === 'POST' && request.path.endsWith('/attestations') },
    );
    const store = server.store();
    const [ref] = await store.list();
    const mirrored = await mirrorAttestation({
      client: server.client(),
      owner: 'acme',
      repo: 'model',
      bundle: await store.get(ref as RecordRef),
    });
    expect(server.fake.requests.filter((request) => request.fault === 'truncate')).toHaveLength(2);
    expect(mirrored).toEqual({ stored: true });
    expect(server.releases.attestations).toHaveLength(1);

    // One download comes back damaged: fetched again, and the digest then matches.
    server.fake.fail({ kind: 'truncate', mode: 'short' }, { match: isDownload });
    server.releases.redirectDownloads = false;
    const again = server.store();
    const [first] = await again.list();
    const bytes = await again.get(first as RecordRef);
    expect(server.fake.requests.filter((request) => request.fault === 'truncate')).toHaveLength(3);
    expect(JSON.parse(bytes.toString('utf8'))).toHaveProperty('dsseEnvelope');
  });

  it('fails clearly when uploads keep failing, leaving the empty ledger release and no record', async () => {
    server.fake.fail({ kind: 'status', status: 500 }, { times: 100, match: isUpload });
    const failure = recordInto(server.store());
    await expect(failure).rejects.toThrow(
      /cannot store record 0 in release model-ledger \(the record was not stored\)/,
    );
    await expect(failure).rejects.toMatchObject({ code: 'NETWORK' });
    // The ledger release is published empty before any upload: no draft is ever left behind.
    expect(server.releases.releasesOf(REPOSITORY).map((release) => [release.tagName, release.draft])).toEqual(
      [['model-ledger', false]],
    );
    expect(server.recordAssets()).toEqual([]);
  });

  describe('immutable releases', () => {
    it('keeps each record in a release of its own, uploaded as a draft with its checkpoint, then published', async () => {
      server.releases.immutable = true;
      const first = await recordInto(server.store());
      const second = await recordInto(server.store());
      expect([first.index, second.index]).toEqual([0, 1]);
      expect(server.recordAssets()).toEqual([
        'model-ledger-record-000000/model-ledger-000000.sigstore.json',
        'model-ledger-record-000001/model-ledger-000001.sigstore.json',
      ]);
      const own = server.releases.release(REPOSITORY, 'model-ledger-record-000001');
      expect(own).toMatchObject({ draft: false, prerelease: true, immutable: true });
      expect(own?.assets.map((asset) => asset.name)).toEqual([
        expect.stringMatching(/^model-ledger-key-/),
        expect.stringMatching(/^model-ledger-[0-9a-f]{64}\.model\.sig$/),
        'model-ledger-000001.sigstore.json',
        'model-ledger-000001.checkpoint',
      ]);
      // The marker segment came back immutable and holds nothing.
      expect(server.releases.release(REPOSITORY, 'model-ledger')?.assets).toEqual([]);
      const published = server.fake.requestsFor('repos/update-release').at(-1);
      const lastUpload = server.fake.requests.filter(isUpload).at(-1);
      expect(published && lastUpload && published.at >= lastUpload.at).toBe(true);
      expect(second.previous?.uri).toMatch(
        /\/download\/model-ledger-record-000000\/model-ledger-000000\.sigstore\.json$/,
      );
      await verified(server.store());
    });

    it('a tag build puts the record copy and the evidence pack into the draft before publishing it', async () => {
      server.releases.immutable = true;
      await repo.write('models/model.bin', 'weights release');
      repo.commit('release v2.0');
      const outcome = await recordToGitHub(
        {
          cwd: repo.dir,
          env: {
            ...repo.env,
            ...server.fake.env(REPOSITORY),
            GITHUB_REF: 'refs/tags/v2.0',
            GITHUB_EVENT_NAME: 'push',
          },
          models: ['models/model.bin'],
          signing: 'key',
          keyPem: key,
        },
        { token: TOKEN, attestations: false },
      );
      expect(outcome.warnings).toEqual([]);
      const release = server.releases.release(REPOSITORY, 'v2.0');
      expect(release).toMatchObject({ draft: false, immutable: true });
      expect(release?.assets.map((asset) => asset.name)).toEqual([
        'model-ledger-record-000000.sigstore.json',
        'model-ledger-record-000000.checkpoint',
        'model-ledger-evidence.zip',
        'model-ledger.cdx.json',
        'model-ledger.spdx.json',
      ]);
      expect(outcome.evidenceUrl).toMatch(/\/releases\/download\/v2\.0\/model-ledger-evidence\.zip$/);
      // The record itself is in the ledger, not in the tag's release.
      expect(server.recordAssets()).toEqual(['model-ledger-record-000000/model-ledger-000000.sigstore.json']);
    });

    it('a tag build whose release is already published and immutable still records, and warns with the fix', async () => {
      server.releases.immutable = true;
      server.releases.addRelease(REPOSITORY, { tagName: 'v1.0' });
      await repo.write('models/model.bin', 'weights late');
      repo.commit('release v1.0');
      const outcome = await recordToGitHub(
        {
          cwd: repo.dir,
          env: {
            ...repo.env,
            ...server.fake.env(REPOSITORY),
            GITHUB_REF: 'refs/tags/v1.0',
            GITHUB_EVENT_NAME: 'push',
          },
          models: ['models/model.bin'],
          signing: 'key',
          keyPem: key,
        },
        { token: TOKEN, attestations: false },
      );
      expect(outcome.result.index).toBe(0);
      expect(outcome.warnings).toEqual([
        expect.stringMatching(
          /release v1\.0 is immutable .*run model-ledger before the release is published/,
        ),
      ]);
      expect(server.releases.release(REPOSITORY, 'v1.0')?.assets).toEqual([]);
    });
  });

  describe('two runs racing after the same head', () => {
    /** Holds each store's first listing until both runs have read the head. */
    class Barrier {
      private waiting: (() => void)[] = [];
      constructor(private readonly parties: number) {}
      arrive(): Promise<void> {
        return new Promise((resolve) => {
          this.waiting.push(resolve);
          if (this.waiting.length === this.parties) for (const release of this.waiting) release();
        });
      }
    }
    class AfterBarrier implements Store {
      private first = true;
      constructor(
        private readonly inner: GitHubReleaseStore,
        private readonly barrier: Barrier,
      ) {}
      get location() {
        return this.inner.location;
      }
      async list() {
        const refs = await this.inner.list();
        if (this.first) {
          this.first = false;
          await this.barrier.arrive();
        }
        return refs;
      }
      get = (ref: RecordRef) => this.inner.get(ref);
      put = (request: PutRequest) => this.inner.put(request);
      remove = (ref: RecordRef) => this.inner.remove(ref);
      publicKeys = () => this.inner.publicKeys();
      locate = (ref: RecordRef) => this.inner.locate(ref);
    }

    async function race(stores: GitHubReleaseStore[]) {
      await recordInto(server.store());
      const barrier = new Barrier(2);
      const logs = [new MemoryLogger(), new MemoryLogger()];
      version += 1;
      await repo.write('models/model.bin', `weights ${version}`);
      repo.commit(`train ${version}`);
      const results = await Promise.all(
        stores.map((store, run) =>
          record({
            cwd: repo.dir,
            env: repo.env,
            store: new AfterBarrier(store, barrier),
            models: ['models/model.bin'],
            signing: 'key',
            keyPem: key,
            reason: `run ${run}`,
            log: logs[run],
          }),
        ),
      );
      expect(results.map((result) => result.index).sort()).toEqual([1, 2]);
      const [one, two] = [1, 2].map((index) => results.find((result) => result.index === index));
      expect(two?.previous?.statementSha256).toBe(one?.statementSha256);
      const outcome = await verified(server.store());
      expect(outcome.records).toHaveLength(3);
      return logs.flatMap((log) => log.messages('warn'));
    }

    it('in one release: the name is taken, so the second links again on top of the first', async () => {
      const warnings = await race([server.store(), server.store()]);
      expect(warnings).toEqual([
        "record 1: another run's record was appended concurrently; linking again on top of it",
      ]);
      expect(server.recordAssets()).toEqual(
        [0, 1, 2].map((n) => `model-ledger/model-ledger-00000${n}.sigstore.json`),
      );
    });
  });

  it('checks the chain below the head as deep as asked before linking to it', async () => {
    for (let n = 0; n < 3; n++) await recordInto(server.store());
    const first = server.releases
      .assetsOf(REPOSITORY)
      .find((asset) => asset.name === 'model-ledger-000000.sigstore.json');
    const stored = first && server.releases.findAsset(first.id);
    if (!stored) throw new Error('record 0 not found');
    stored.asset.content = Buffer.concat([stored.asset.content, Buffer.from('\n')]); // rewritten in place

    const failure = recordInto(server.store(), { headVerificationDepth: Infinity });
    await expect(failure).rejects.toThrow(
      /record 0 \(model-ledger\/model-ledger-000000\.sigstore\.json\): its bundle file changed/,
    );
    await expect(failure).rejects.toMatchObject({ code: 'CHAIN' });
    await expect(recordInto(server.store(), { headVerificationDepth: 2 })).resolves.toMatchObject({
      index: 3,
    });
  });

  it('finds the record of this same run attempt at the head and adds nothing', async () => {
    const env = {
      ...repo.env,
      GITHUB_ACTIONS: 'true',
      GITHUB_REPOSITORY: REPOSITORY,
      GITHUB_RUN_ID: '4242',
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_JOB: 'record',
    };
    const first = await recordInto(server.store(), { env });
    const again = await record({
      cwd: repo.dir,
      env,
      store: server.store(),
      models: ['models/model.bin'],
      signing: 'key',
      keyPem: key,
    });
    expect(again).toMatchObject({ reused: true, index: first.index, statementSha256: first.statementSha256 });
    expect(again.notices.at(-1)).toMatch(
      /^run 4242 attempt 1 already recorded record 0 .*; nothing was added$/,
    );
    expect(server.recordAssets()).toHaveLength(1);

    // Another attempt of the run is a new record.
    const next = await recordInto(server.store(), { env: { ...env, GITHUB_RUN_ATTEMPT: '2' } });
    expect(next).toMatchObject({ index: 1 });
    expect(next.reused).toBeUndefined();
  });

  it('keeps public keys and manifests beside the records, readable back', async () => {
    await recordInto(server.store());
    const store = server.store();
    const keys = await store.publicKeys();
    expect([...keys.keys()]).toEqual([expect.stringMatching(/^[0-9a-f]{64}$/)]);
    expect([...keys.values()][0]).toContain('-----BEGIN PUBLIC KEY-----');
    await expect(store.getAttachment('missing.manifest.txt')).resolves.toBeNull();
  });
});

describe("mirroring to GitHub's attestations API", () => {
  it('returns the attestation id, and a warning (not an error) when GitHub refuses', async () => {
    const result = await recordInto(server.store());
    const store = server.store();
    await store.list();
    const bundle = await store.get(result.ref);
    const mirrored = await mirrorAttestation({
      client: server.client(),
      owner: 'acme',
      repo: 'model',
      bundle,
    });
    expect(mirrored).toEqual({ id: expect.any(Number) });
    expect(server.releases.attestations).toHaveLength(1);

    server.releases.attestationFailure = {
      status: 403,
      body: errorBody('Resource not accessible by integration'),
    };
    const refused = await mirrorAttestation({
      client: server.client(),
      owner: 'acme',
      repo: 'model',
      bundle,
    });
    expect(refused).toEqual({
      warning: expect.stringMatching(
        /the record is stored, but mirroring it .* failed .*403.*add `attestations: write`/,
      ),
    });
    expect(server.fake.invalidRequests).toEqual([]);
  });

  it('a run whose mirror fails still stores its record and ends with a warning', async () => {
    server.releases.attestationFailure = { status: 404, body: errorBody('Not Found') };
    await repo.write('models/model.bin', 'weights mirrored');
    repo.commit('train mirrored');
    const log = new MemoryLogger();
    const outcome = await recordToGitHub(
      {
        cwd: repo.dir,
        env: { ...repo.env, GITHUB_REPOSITORY: REPOSITORY, GITHUB_API_URL: server.fake.apiUrl },
        models: ['models/model.bin'],
        signing: 'key',
        keyPem: key,
        log,
      },
      { token: TOKEN },
    );
    expect(outcome.result.index).toBe(0);
    expect(outcome.attestationId).toBeUndefined();
    expect(outcome.release?.assetUrl).toMatch(/\/model-ledger-000000\.sigstore\.json$/);
    expect(outcome.warnings).toEqual([
      expect.stringMatching(/attestations API is not available to this repository/),
    ]);
    expect(log.messages('warn')).toEqual(outcome.warnings);
    expect(server.recordAssets()).toEqual(['model-ledger/model-ledger-000000.sigstore.json']);
  });
});

describe('release builds', () => {
  it('upload the evidence pack beside the record, verifiable from the pack alone', async () => {
    await repo.write('models/model.bin', 'weights released');
    repo.commit('release v1.0');
    const outcome = await recordToGitHub(
      {
        cwd: repo.dir,
        env: {
          ...repo.env,
          GITHUB_REPOSITORY: REPOSITORY,
          GITHUB_API_URL: server.fake.apiUrl,
          GITHUB_REF: 'refs/tags/v1.0',
        },
        models: ['models/model.bin'],
        signing: 'key',
        keyPem: key,
      },
      { token: TOKEN, attestations: false },
    );
    expect(outcome.warnings).toEqual([]);
    expect(outcome.evidenceUrl).toMatch(/\/v1\.0\/model-ledger-evidence\.zip$/);
    const pack = server.releases
      .assetsOf(REPOSITORY)
      .find((asset) => asset.name === 'model-ledger-evidence.zip');
    expect(pack?.tag).toBe('v1.0');
    const { readZipEntries } = await import('../support/report-ledger.js');
    const files = await readZipEntries(pack?.content as Buffer);
    expect([...files.keys()]).toEqual(expect.arrayContaining(['VERIFY.md', 'index.json', 'report.html']));
    expect([...files.keys()].some((name) => /^ledger\/000000-[0-9a-f]{12}\.sigstore\.json$/.test(name))).toBe(
      true,
    );
    // The pack's manifest is signed by the record's own key and covers report.html and index.json.
    const hintOf = (bytes: Buffer | undefined): string =>
      (
        JSON.parse((bytes as Buffer).toString('utf8')) as {
          verificationMaterial: { publicKey: { hint: string } };
        }
      ).verificationMaterial.publicKey.hint;
    const recordFile = [...files.keys()].find((name) => /^ledger\/000000-/.test(name)) as string;
    expect(hintOf(files.get('MANIFEST.sigstore.json'))).toBe(hintOf(files.get(recordFile)));
    const manifest = JSON.parse(
      Buffer.from(
        (
          JSON.parse((files.get('MANIFEST.sigstore.json') as Buffer).toString('utf8')) as {
            dsseEnvelope: { payload: string };
          }
        ).dsseEnvelope.payload,
        'base64',
      ).toString('utf8'),
    ) as { subject: { name: string; digest: { sha256: string } }[] };
    // The release's pack carries the completeness of the history and the replay of its record.
    const completeness = JSON.parse((files.get('audit/completeness.json') as Buffer).toString('utf8')) as {
      scope: string;
      total: number;
      recorded: number;
    };
    expect(completeness.scope).toMatch(/^changes up to commit [0-9a-f]{12} of record 0; replay of record 0$/);
    expect(completeness.recorded).toBe(completeness.total);
    const replay = JSON.parse((files.get('audit/replay.json') as Buffer).toString('utf8')) as {
      tried: number;
    };
    expect(replay.tried).toBe(1);
    for (const name of ['report.html', 'index.json', 'audit/completeness.json']) {
      expect(manifest.subject.find((subject) => subject.name === name)?.digest.sha256).toBe(
        createHash('sha256')
          .update(files.get(name) as Buffer)
          .digest('hex'),
      );
    }
    // The exchange documents are release assets of their own, the same bytes as in the pack.
    const asset = (name: string) =>
      server.releases
        .assetsOf(REPOSITORY)
        .find((candidate) => candidate.name === name && candidate.tag === 'v1.0');
    expect(asset('model-ledger.cdx.json')?.content).toEqual(files.get('exports/ledger.cdx.json'));
    expect(asset('model-ledger.spdx.json')?.content).toEqual(files.get('exports/ledger.spdx.json'));
    const bom = JSON.parse((asset('model-ledger.cdx.json')?.content as Buffer).toString('utf8')) as {
      bomFormat: string;
      specVersion: string;
    };
    expect(bom).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6' });
  });
});

describe('pull request builds', () => {
  it('sign and link to the ledger head, and upload nothing: only merged changes enter the ledger', async () => {
    const env = { ...repo.env, GITHUB_REPOSITORY: REPOSITORY, GITHUB_API_URL: server.fake.apiUrl };
    const options = (extra: Record<string, string>) => ({
      cwd: repo.dir,
      env: { ...env, RUNNER_TEMP: repo.dir, ...extra },
      models: ['models/model.bin'],
      signing: 'key' as const,
      keyPem: key,
    });
    await repo.write('models/model.bin', 'weights on main');
    repo.commit('train on main');
    const merged = await recordToGitHub(options({ GITHUB_EVENT_NAME: 'push' }), {
      token: TOKEN,
      attestations: false,
    });
    expect(merged.result.index).toBe(0);

    await repo.write('models/model.bin', 'weights on a branch');
    repo.commit('train on a branch');
    for (let run = 0; run < 2; run++) {
      const preview = await recordToGitHub(options({ GITHUB_EVENT_NAME: 'pull_request' }), { token: TOKEN });
      expect(preview.result.index).toBe(1);
      expect(preview.result.previous?.statementSha256).toBe(merged.result.statementSha256);
      expect(preview.skipped).toMatch(/^pull request: .*not uploaded/);
      expect(preview.attestationId).toBeUndefined();
      expect(preview.bundle.toString('utf8')).toContain('"dsseEnvelope"');
    }
    expect(server.recordAssets()).toEqual(['model-ledger/model-ledger-000000.sigstore.json']);
    expect(server.fake.requestsFor('repos/create-attestation')).toEqual([]);
  });
});
