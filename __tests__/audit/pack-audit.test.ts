import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { runCli } from '../support/cli.js';
import type { TempRepo } from '../support/repo.js';
import { keyedRepo } from '../support/report-ledger.js';
import { extractZip } from '../support/tools.js';

/**
 * `export --audit`: the pack carries the completeness and replay figures of its range, listed in
 * index.json and VERIFY.md and covered by the signed manifest like every other file.
 */
let repo: TempRepo;
let pack: string;
let stdout = '';

beforeAll(async () => {
  repo = await keyedRepo();
  await repo.write('model-ledger.yml', 'models:\n  - models/model.bin\n');
  for (let change = 0; change < 6; change++) {
    await repo.write('models/model.bin', `weights ${change}\n`);
    repo.commit(`train ${change}`);
    // Change 3 is never recorded.
    if (change === 3) continue;
    const run = await runCli(['record', '--key', 'team.key.pem'], repo.dir, repo.env);
    expect(run.status).toBe(0);
  }
  const run = await runCli(
    ['export', '--out', 'evidence.zip', '--audit', '--sign-key', 'team.key.pem'],
    repo.dir,
    repo.env,
  );
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  stdout = run.stdout;
  pack = await mkdtemp(join(tmpdir(), 'model-ledger-audit-pack-'));
  await extractZip(await readFile(join(repo.dir, 'evidence.zip')), pack);
}, 120_000);
afterAll(async () => {
  await repo.cleanup();
  await rm(pack, { recursive: true, force: true });
});

it('packs the completeness figure with the unrecorded change, and the replay of every record', async () => {
  expect(stdout).toMatch(/^completeness: 5 of 6 model changes recorded, 83\.3%$/m);
  expect(stdout).toMatch(/^replay: 5 of 5 .*$/m);
  const completeness = JSON.parse(await readFile(join(pack, 'audit/completeness.json'), 'utf8')) as {
    scope: string;
    total: number;
    recorded: number;
    unrecorded: { commit: { subject?: string }; paths: string[] }[];
  };
  expect(completeness).toMatchObject({ total: 6, recorded: 5 });
  expect(completeness.unrecorded).toHaveLength(1);
  expect(completeness.unrecorded[0]?.paths).toEqual(['models/model.bin']);
  expect(completeness.scope).toMatch(
    /^changes up to commit [0-9a-f]{12} of record 4; replay of records 0 to 4$/,
  );
  const replay = JSON.parse(await readFile(join(pack, 'audit/replay.json'), 'utf8')) as {
    tried: number;
    matched: number;
  };
  expect(replay).toMatchObject({ tried: 5, matched: 5 });

  const index = JSON.parse(await readFile(join(pack, 'index.json'), 'utf8')) as {
    audit: { completeness: string; replay: string };
  };
  expect(index.audit.completeness).toBe('5 of 6 model changes recorded, 83.3%');
  const verifyMd = await readFile(join(pack, 'VERIFY.md'), 'utf8');
  expect(verifyMd).toContain(
    '| `audit/completeness.json` | `model-ledger audit completeness` for the range: 5 of 6',
  );
  expect(verifyMd).toContain('| `audit/replay.json` |');
});

it('signs the figures with the pack: an edited figure fails verify --pack', async () => {
  const manifest = JSON.parse(await readFile(join(pack, 'MANIFEST.sigstore.json'), 'utf8')) as {
    dsseEnvelope: { payload: string };
  };
  const subjects = (
    JSON.parse(Buffer.from(manifest.dsseEnvelope.payload, 'base64').toString('utf8')) as {
      subject: { name: string }[];
    }
  ).subject.map((subject) => subject.name);
  expect(subjects).toEqual(expect.arrayContaining(['audit/completeness.json', 'audit/replay.json']));
  expect((await runCli(['verify', '--pack', '.'], pack, { HOME: pack })).status).toBe(0);
  const file = join(pack, 'audit/completeness.json');
  const text = await readFile(file, 'utf8');
  await writeFile(file, text.replace('"recorded": 5', '"recorded": 6'));
  const verify = await runCli(['verify', '--pack', '.'], pack, { HOME: pack });
  expect(verify.status).toBe(1);
  expect(verify.stderr).toMatch(/^FAIL ARTIFACT_MISMATCH: audit\/completeness\.json has sha256 /m);
});

it('refuses --audit outside a git repository, naming the flag', async () => {
  const outside = await mkdtemp(join(tmpdir(), 'model-ledger-no-git-'));
  try {
    const run = await runCli(
      ['export', '--out', join(outside, 'e.zip'), '--audit', '--store', join(repo.dir, '.model-ledger')],
      outside,
      { ...repo.env, GIT_CEILING_DIRECTORIES: tmpdir() },
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--audit.*git repository/);
  } finally {
    await rm(outside, { recursive: true, force: true });
  }
});
