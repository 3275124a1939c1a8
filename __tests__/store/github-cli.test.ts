import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';

import { writeKeyPair } from '../../src/sign/keys.js';
import { runCli } from '../support/cli.js';
import { REPOSITORY, TOKEN, startGitHubLedger, type GitHubLedgerServer } from '../support/github-store.js';
import { createTempRepo, type TempRepo } from '../support/repo.js';

let server: GitHubLedgerServer;
let repo: TempRepo;
let env: Record<string, string>;
let keyFile: string;

beforeEach(async () => {
  server = await startGitHubLedger();
  repo = await createTempRepo();
  env = { ...repo.env, GITHUB_API_URL: server.fake.apiUrl, GITHUB_TOKEN: TOKEN };
  keyFile = (await writeKeyPair(join(repo.dir, '.home', 'ledger'))).privateKeyFile;
});
afterEach(async () => {
  await server.close();
  await repo.cleanup();
});

async function recordVersion(version: number, extra: string[] = []) {
  await repo.write('model.bin', `weights ${version}`);
  repo.commit(`train ${version}`);
  return runCli(
    ['record', '--github', '--repo', REPOSITORY, '--key', keyFile, '--models', 'model.bin', ...extra],
    repo.dir,
    env,
  );
}

describe('the CLI with --github', () => {
  it('records into the releases and verifies the whole ledger, or one release of it, from GitHub', async () => {
    for (const version of [1, 2, 3]) {
      const run = await recordVersion(version, ['--release-tag', 'ledger']);
      expect(run.stderr).not.toContain(TOKEN);
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(
        new RegExp(
          `recorded #${version - 1} [0-9a-f]{64} → .*/releases/download/ledger/model-ledger-00000${version - 1}\\.sigstore\\.json`,
        ),
      );
      expect(run.stderr).toMatch(/release: .*\/releases\/tag\/ledger/);
      expect(run.stderr).toMatch(/attestation: \d+/);
    }
    expect(server.releases.attestations).toHaveLength(3);

    const verified = await runCli(['verify', '--github', REPOSITORY], repo.dir, env);
    expect(verified.stderr).toMatch(/signer pinned to key/);
    expect(verified.status).toBe(0);
    expect(verified.stdout).toMatch(
      /^ok: 3 record\(s\) verified in acme\/model \(GitHub releases\); head is record 2/,
    );

    const part = await runCli(
      ['verify', '--github', REPOSITORY, '--release', 'ledger', '--json'],
      repo.dir,
      env,
    );
    expect(part.status).toBe(0);
    const before = server.fake.requests.filter((request) => request.operationId?.startsWith('repos/')).length;
    const parsed = JSON.parse(part.stdout) as { github: { calls: number; downloads: number } };
    expect(parsed).toMatchObject({
      ok: true,
      location: 'acme/model (GitHub release ledger)',
      github: { calls: expect.any(Number), downloads: 4 }, // three records and their key
    });
    // The API calls it reports are the ones it made.
    expect(parsed.github.calls).toBeGreaterThan(0);
    expect(parsed.github.calls).toBeLessThanOrEqual(before);
  });

  it('fails verification (exit 1) when a record on GitHub was edited or deleted', async () => {
    for (const version of [1, 2, 3]) expect((await recordVersion(version)).status).toBe(0);
    const release = server.releases.release(REPOSITORY, 'model-ledger');
    const middle = release?.assets.find((asset) => asset.name === 'model-ledger-000001.sigstore.json');
    if (!release || !middle) throw new Error('record 1 not found');
    middle.content = Buffer.from(middle.content.toString('utf8').replace(/\n$/, ' \n'));
    const edited = await runCli(['verify', '--github', REPOSITORY], repo.dir, env);
    expect(edited.status).toBe(1);
    expect(edited.stderr).toMatch(
      /FAIL EDITED: record 1 \(model-ledger\/model-ledger-000001\.sigstore\.json\)/,
    );

    release.assets.splice(release.assets.indexOf(middle), 1);
    const gap = await runCli(['verify', '--github', REPOSITORY], repo.dir, env);
    expect(gap.status).toBe(1);
    expect(gap.stderr).toMatch(/FAIL GAP: record 1 is missing/);
  });

  it('refuses --github together with --store, and a malformed repository', async () => {
    const both = await runCli(['verify', '--github', REPOSITORY, '--store', '.model-ledger'], repo.dir, env);
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/--store and --github exclude each other/);
    const malformed = await runCli(['verify', '--github', 'not a repo'], repo.dir, env);
    expect(malformed.status).toBe(2);
    expect(malformed.stderr).toMatch(/"not a repo" is not OWNER\/REPO/);
    const noRepo = await runCli(['record', '--github', '--key', keyFile], repo.dir, env);
    expect(noRepo.status).toBe(2);
    expect(noRepo.stderr).toMatch(/needs the repository .*pass --repo OWNER\/REPO/);
  });
});
