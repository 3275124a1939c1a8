/**
 * A witness run by a second party on a schedule, against the fake GitHub: the ledger is in the
 * model's repository, the witness keeps its cosignatures as release assets of its own repository.
 * Three scheduled runs: after an append, after another append, after the history was rewritten
 * with the real signing key — which the witness refuses, keeping what it saw.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { readInputs } from '../../src/action/inputs.js';
import { runWitness } from '../../src/action/witness.js';
import { parseCheckpoint } from '../../src/checkpoint/note.js';
import { MemoryLogger } from '../../src/log.js';
import { recordToGitHub } from '../../src/run/github.js';
import type { RecordOptions } from '../../src/run/record.js';
import { generateKeyPair } from '../../src/sign/keys.js';
import { runCli } from '../support/cli.js';
import { REPOSITORY, TOKEN, startGitHubLedger, type GitHubLedgerServer } from '../support/github-store.js';
import { createTempRepo, type TempRepo } from '../support/repo.js';

const WITNESS_REPOSITORY = 'acme/compliance';
const ledgerKey = generateKeyPair();
const witnessKey = generateKeyPair('ed25519');

let server: GitHubLedgerServer;
let repo: TempRepo;
let version = 0;

beforeEach(async () => {
  server = await startGitHubLedger();
  server.fake.repo('acme', 'compliance');
  repo = await createTempRepo();
  await writeFile(join(repo.dir, '..', 'ledger.pub.pem'), ledgerKey.publicKeyPem);
  await writeFile(join(repo.dir, '..', 'witness.key.pem'), witnessKey.privateKeyPem, { mode: 0o600 });
});
afterEach(async () => {
  await server.close();
  await repo.cleanup();
});

async function recordChange(options: Partial<RecordOptions> = {}): Promise<void> {
  version += 1;
  await repo.write('models/model.bin', `weights ${version}`);
  repo.commit(`train ${version}`);
  await recordToGitHub(
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
      keyPem: ledgerKey.privateKeyPem,
      ...options,
    },
    { token: TOKEN, recordsPerRelease: 3, attestations: false },
  );
}

/** The witness's scheduled job, in the compliance repository's workflow. */
function witnessRun(): Promise<{ status: number; stdout: string; stderr: string }> {
  return runCli(
    [
      'witness',
      '--github',
      REPOSITORY,
      '--key',
      join(repo.dir, '..', 'ledger.pub.pem'),
      '--witness-key',
      join(repo.dir, '..', 'witness.key.pem'),
      '--name',
      'compliance.acme.example',
      '--state-github',
      WITNESS_REPOSITORY,
      '--json',
    ],
    repo.dir,
    { ...repo.env, ...server.fake.env(WITNESS_REPOSITORY), GITHUB_TOKEN: TOKEN },
  );
}

const witnessAssets = (): string[] =>
  server.releases
    .assetsOf(WITNESS_REPOSITORY)
    .map((asset) => `${asset.tag}/${asset.name}`)
    .sort();

describe('a witness keeping its state in its own repository', () => {
  it('cosigns after each append, extending what it cosigned, and refuses a rewritten history', async () => {
    await recordChange();
    await recordChange();
    const first = await witnessRun();
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ ok: true, size: 2, previousSize: null });

    await recordChange();
    await recordChange();
    const second = await witnessRun();
    expect(second.status).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ ok: true, size: 4, previousSize: 2 });
    const cosigned = witnessAssets();
    expect(cosigned).toHaveLength(2);
    expect(cosigned[0]).toMatch(/^model-ledger-witness\/witness-.*-000002\.checkpoint$/);
    expect(cosigned[1]).toMatch(/^model-ledger-witness\/witness-.*-000004\.checkpoint$/);
    // The state release is the witness's, not the ledger's: the model repository holds none of it.
    expect(server.releases.assetsOf(REPOSITORY).some((asset) => asset.name.startsWith('witness-'))).toBe(
      false,
    );
    const note = JSON.parse(second.stdout) as { cosigned: string };
    expect(parseCheckpoint(note.cosigned).size).toBe(4);
    expect(note.cosigned).toContain('— compliance.acme.example ');

    // The key holder rewrites history: the releases replaced by a re-signed ledger of 5 records.
    for (const release of [...server.releases.releasesOf(REPOSITORY)]) {
      server.releases.releases.splice(server.releases.releases.indexOf(release), 1);
    }
    await recordChange({ newLedger: { reason: 'clean history' } });
    for (let n = 0; n < 4; n++) await recordChange();
    const verifyAlone = await runCli(
      ['verify', '--github', REPOSITORY, '--key', join(repo.dir, '..', 'ledger.pub.pem')],
      repo.dir,
      { ...repo.env, ...server.fake.env(REPOSITORY), GITHUB_TOKEN: TOKEN },
    );
    expect(verifyAlone.status).toBe(0); // consistent with itself: only the witness can tell

    const third = await witnessRun();
    expect(third.status).toBe(1);
    const refused = JSON.parse(third.stdout) as { ok: boolean; refused: string[]; file: string };
    expect(refused.ok).toBe(false);
    expect(refused.refused.join('\n')).toMatch(/^INCONSISTENT: the ledger's first 4 records are not those/m);
    const after = witnessAssets();
    expect(after).toHaveLength(3);
    expect(after.filter((name) => /-refused-.*\.txt$/.test(name))).toHaveLength(1);
    expect(after.filter((name) => /000005\.checkpoint$/.test(name))).toEqual([]);
  });
});

describe('the Action in witness mode', () => {
  async function actionRun(): Promise<{ outputs: Map<string, string>; summary: string[]; error?: unknown }> {
    const inputs = readInputs(
      (name) =>
        ({
          witness: REPOSITORY,
          'witness-key': witnessKey.privateKeyPem,
          'witness-name': 'compliance.acme.example',
          'ledger-public-key': ledgerKey.publicKeyPem,
          'github-token': TOKEN,
        })[name] ?? '',
    );
    const outputs = new Map<string, string>();
    const summary: string[] = [];
    try {
      await runWitness(inputs, {
        cwd: repo.dir,
        env: { ...server.fake.env(WITNESS_REPOSITORY), GITHUB_TOKEN: TOKEN },
        log: new MemoryLogger(),
        setOutput: (name, value) => outputs.set(name, value),
        summary: async (markdown) => {
          summary.push(markdown);
        },
      });
      return { outputs, summary };
    } catch (error) {
      return { outputs, summary, error };
    }
  }

  it('cosigns into its own repository, and fails the run on a rollback, with the evidence in the summary', async () => {
    await recordChange();
    await recordChange();
    await recordChange();
    const first = await actionRun();
    expect(first.error).toBeUndefined();
    expect(first.outputs.get('witness-size')).toBe('3');
    expect(parseCheckpoint(first.outputs.get('witness-checkpoint') ?? '').size).toBe(3);
    expect(first.summary.join('')).toContain('Cosigned **3** record(s)');
    expect(witnessAssets()).toEqual([
      expect.stringMatching(/^model-ledger-witness\/witness-.*-000003\.checkpoint$/),
    ]);

    // Roll back: the newest release segment (record 3 onwards) never existed; record 2 deleted too.
    const segment = server.releases.release(REPOSITORY, 'model-ledger');
    if (!segment) throw new Error('no ledger release');
    for (const name of ['model-ledger-000002.sigstore.json', 'model-ledger-000002.checkpoint']) {
      segment.assets.splice(
        segment.assets.findIndex((asset) => asset.name === name),
        1,
      );
    }
    const second = await actionRun();
    expect(second.error).toMatchObject({ code: 'VERIFICATION_FAILED' });
    expect(String(second.error)).toMatch(
      /refused to cosign the ledger of acme\/model: TRUNCATED: checkpoint .* covers 3 records, but the ledger holds 2/,
    );
    expect(second.outputs.get('witness-checkpoint')).toBe('');
    expect(second.summary.join('')).toContain('**Refused to cosign.**');
  });
});
