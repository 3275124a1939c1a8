import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { ReportData } from '../../src/report/report-data.js';
import { writeKeyPair } from '../../src/sign/keys.js';
import { runCli } from '../support/cli.js';
import { REPOSITORY, TOKEN, startGitHubLedger, type GitHubLedgerServer } from '../support/github-store.js';
import { createTempRepo, type TempRepo } from '../support/repo.js';
import { extractZip } from '../support/tools.js';

/** A ledger kept as release assets on the fake GitHub: the pack of what came after a release. */
let server: GitHubLedgerServer;
let repo: TempRepo;
let env: Record<string, string>;
let keyFile: string;
let packDir: string;

beforeEach(async () => {
  server = await startGitHubLedger();
  repo = await createTempRepo();
  env = { ...repo.env, GITHUB_API_URL: server.fake.apiUrl, GITHUB_TOKEN: TOKEN };
  keyFile = (await writeKeyPair(join(repo.dir, '.home', 'ledger'))).privateKeyFile;
  packDir = await mkdtemp(join(tmpdir(), 'model-ledger-release-pack-'));
});
afterEach(async () => {
  await server.close();
  await repo.cleanup();
  await rm(packDir, { recursive: true, force: true });
});

async function recordVersion(version: number, extraEnv: Record<string, string> = {}): Promise<void> {
  await repo.write('model.bin', `weights ${version}`);
  repo.commit(`train ${version}`);
  const run = await runCli(
    [
      'record',
      '--github',
      '--repo',
      REPOSITORY,
      '--key',
      keyFile,
      '--models',
      'model.bin',
      '--no-attestations',
    ],
    repo.dir,
    { ...env, ...extraEnv },
  );
  expect(run.stderr).not.toMatch(/model-ledger record:/);
  expect(run.status).toBe(0);
}

describe('model-ledger export --github --since-release', () => {
  it('packs the records made after a release, with the chain back to record 0, verifiable offline', async () => {
    await recordVersion(0);
    await recordVersion(1);
    await recordVersion(2, { GITHUB_REF: 'refs/tags/v1.0.0' }); // a tag build: into release v1.0.0
    await recordVersion(3);
    await recordVersion(4);

    const run = await runCli(
      [
        'export',
        '--github',
        REPOSITORY,
        '--since-release',
        'v1.0.0',
        '--out',
        'evidence.zip',
        '--sign-key',
        keyFile,
      ],
      repo.dir,
      env,
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(
      /: records 3 to 4, 5 bundle\(s\) with the chain back to record 0; every record verified$/,
    );

    await extractZip(await readFile(join(repo.dir, 'evidence.zip')), packDir);
    const bundles = (await readdir(join(packDir, 'ledger'))).filter((name) =>
      name.endsWith('.sigstore.json'),
    );
    expect(bundles.map((name) => name.slice(0, 7))).toEqual([
      '000000-',
      '000001-',
      '000002-',
      '000003-',
      '000004-',
    ]);
    const index = JSON.parse(await readFile(join(packDir, 'index.json'), 'utf8')) as ReportData;
    expect(index.range).toEqual({ from: 3, to: 4 });
    expect(index.records.filter((record) => record.inRange).map((record) => record.index)).toEqual([3, 4]);

    // The pack as a whole, its signed manifest included (release assets become the local names).
    const verify = await runCli(['verify', '--pack', '.'], packDir, { HOME: packDir });
    expect(verify.stderr).not.toContain('FAIL');
    expect(verify.status).toBe(0);
    expect(verify.stdout).toMatch(/^ok: 5 record\(s\) verified in .*\/ledger; head is record 4/);
    expect(verify.stdout).toMatch(/^pack: \d+ file\(s\) as signed in MANIFEST\.sigstore\.json by key /m);
  });

  it('refuses a release that holds no record', async () => {
    await recordVersion(0);
    const run = await runCli(
      ['export', '--github', REPOSITORY, '--since-release', 'v9.9.9', '--out', 'evidence.zip'],
      repo.dir,
      env,
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('release v9.9.9 holds no record of the ledger');
  });
});
