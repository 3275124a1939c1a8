/**
 * No silent new chain and no silent truncation on GitHub: a deleted release, a deleted head record
 * (with or without its checkpoint) and a new ledger on purpose; and a run's API cost, flat in the
 * ledger's length.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';

import { recordToGitHub } from '../../src/run/github.js';
import { record, type RecordOptions } from '../../src/run/record.js';
import { generateKeyPair } from '../../src/sign/keys.js';
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

/** A run of the Action on a push to main, storing on the fake GitHub (attestations mirrored). */
async function runOnGitHub(options: Partial<RecordOptions> = {}, change = true) {
  if (change) {
    version += 1;
    await repo.write('models/model.bin', `weights ${version}`);
    repo.commit(`train ${version}`);
  }
  return recordToGitHub(
    {
      cwd: repo.dir,
      env: {
        ...repo.env,
        ...server.fake.env(REPOSITORY),
        GITHUB_EVENT_NAME: 'push',
        GITHUB_REF: 'refs/heads/main',
      },
      models: ['models/model.bin'],
      signing: 'key',
      keyPem: key,
      ...options,
    },
    { token: TOKEN, recordsPerRelease: 3 },
  );
}

describe('a ledger on GitHub cannot silently restart or lose its newest records', () => {
  it('refuses to start again at record 0 when the ledger releases were deleted, unless asked to, and records why', async () => {
    await runOnGitHub();
    await runOnGitHub({}, false); // the same model again: its attestation is found by its digest
    for (const release of [...server.releases.releasesOf(REPOSITORY)]) {
      server.releases.releases.splice(server.releases.releases.indexOf(release), 1);
    }
    const refused = runOnGitHub({}, false);
    await expect(refused).rejects.toMatchObject({ code: 'CHAIN' });
    await expect(refused).rejects.toThrow(
      /no ledger was found in acme\/model \(GitHub releases\), but one existed: GitHub's attestations API .* holds record 1 of \S+\/acme\/model#main/,
    );
    await expect(refused).rejects.toThrow(/new-ledger/);
    expect(server.recordAssets()).toEqual([]);

    const restarted = await runOnGitHub(
      { newLedger: { reason: 'releases lost in a repository migration' } },
      false,
    );
    expect(restarted.result.index).toBe(0);
    expect(restarted.result.statement.predicate.chain.start).toEqual({
      reason: 'releases lost in a repository migration',
      replaces: expect.stringMatching(/holds record 1 of \S+\/acme\/model#main/),
    });
  });

  it('refuses to link when the head record was deleted: by its checkpoint, or by its attestation when both went', async () => {
    await runOnGitHub();
    await runOnGitHub({}, false);
    const segment = server.releases.release(REPOSITORY, 'model-ledger');
    if (!segment) throw new Error('no ledger release');
    const remove = (name: string) =>
      segment.assets.splice(
        segment.assets.findIndex((asset) => asset.name === name),
        1,
      );
    remove('model-ledger-000001.sigstore.json');
    const byCheckpoint = runOnGitHub({}, false);
    await expect(byCheckpoint).rejects.toThrow(
      /checkpoint .*model-ledger-000001\.checkpoint covers 2 records, but the newest record is 0: records 1–1 were deleted/,
    );

    remove('model-ledger-000001.checkpoint');
    const byAttestation = runOnGitHub({}, false);
    await expect(byAttestation).rejects.toThrow(
      /newest record .* is 0, but GitHub's attestations API .* holds record 1 of it: records 1–1 were deleted/,
    );
    expect(server.recordAssets()).toEqual(['model-ledger/model-ledger-000000.sigstore.json']);
  });

  it('refuses a new ledger where one exists', async () => {
    await runOnGitHub();
    await expect(runOnGitHub({ newLedger: { reason: 'again' } })).rejects.toThrow(
      /a new ledger was asked for, but .* already holds one .*ledger-name/,
    );
  });
});

describe("a run's GitHub API cost", () => {
  it('stays the same whatever the ledger length', async () => {
    const calls: number[] = [];
    for (let n = 0; n < 11; n++) {
      version += 1;
      await repo.write('models/model.bin', `weights ${version}`);
      repo.commit(`train ${version}`);
      const before = server.fake.requests.length;
      await record({
        cwd: repo.dir,
        env: repo.env,
        store: server.store({ recordsPerRelease: 3 }),
        models: ['models/model.bin'],
        signing: 'key',
        keyPem: key,
      });
      calls.push(server.fake.requests.length - before);
    }
    // Records 4 and 10 sit at the same place in their release (the second of three): same cost.
    expect(calls[10]).toBe(calls[4]);
    expect(calls[7]).toBe(calls[4]);
    expect(Math.max(...calls.slice(1))).toBeLessThanOrEqual(12);
    for (const request of server.fake.requestsFor('repos/list-releases')) {
      expect(request.query.get('page') ?? '1').toBe('1');
    }
  });
});
