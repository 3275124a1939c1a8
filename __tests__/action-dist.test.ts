/**
 * The built Action (dist/index.js, as committed: run `npm run build` first) in a subprocess, with
 * the environment a runner gives it — GITHUB_*, INPUT_* for every input of action.yml (its
 * defaults unless the step sets them), GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_EVENT_PATH —
 * against the fake GitHub server.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { parse } from 'yaml';

import { generateKeyPair } from '../src/sign/keys.js';
import { verifyLedger } from '../src/verify/ledger.js';
import { REPOSITORY, TOKEN, startGitHubLedger, type GitHubLedgerServer } from './support/github-store.js';
import { createTempRepo, type TempRepo } from './support/repo.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist', 'index.js');
const run = promisify(execFile);

interface ActionRun {
  status: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

let defaults: Record<string, string>;
let server: GitHubLedgerServer;
let repo: TempRepo;
const signingKey = generateKeyPair().privateKeyPem;

beforeAll(async () => {
  if (!existsSync(dist)) throw new Error('dist/index.js is missing: run `npm run build` first');
  const action = parse(await readFile(join(root, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>;
  };
  defaults = Object.fromEntries(
    Object.entries(action.inputs).map(([name, input]) => [name, String(input.default ?? '')]),
  );
});
beforeEach(async () => {
  server = await startGitHubLedger();
  repo = await createTempRepo();
});
afterEach(async () => {
  await server.close();
  await repo.cleanup();
});

/** Runs dist/index.js as the runner would for one step with `with:` inputs, in run `runId`. */
async function runAction(
  step: Record<string, string>,
  context: { runId: string; attempt?: string; event?: string; payload?: unknown; ref?: string },
): Promise<ActionRun> {
  const dir = await mkdtemp(join(repo.dir, '.home', `run-${context.runId}-`));
  const files = {
    output: join(dir, 'output'),
    summary: join(dir, 'summary'),
    event: join(dir, 'event.json'),
  };
  await writeFile(files.output, '');
  await writeFile(files.summary, '');
  await writeFile(files.event, JSON.stringify(context.payload ?? {}));
  const inputs: Record<string, string> = {};
  for (const [name, value] of Object.entries({ ...defaults, ...step })) {
    inputs[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value.replace('${{ github.token }}', TOKEN);
  }
  const env = {
    ...repo.env,
    ...inputs,
    NO_PROXY: '127.0.0.1,localhost',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_REPOSITORY: REPOSITORY,
    GITHUB_REPOSITORY_OWNER: 'acme',
    GITHUB_SERVER_URL: server.fake.serverUrl,
    GITHUB_API_URL: server.fake.apiUrl,
    GITHUB_WORKFLOW: 'train',
    GITHUB_JOB: 'record',
    GITHUB_RUN_ID: context.runId,
    GITHUB_RUN_ATTEMPT: context.attempt ?? '1',
    GITHUB_RUN_NUMBER: context.runId,
    GITHUB_ACTOR: 'octocat',
    GITHUB_EVENT_NAME: context.event ?? 'push',
    GITHUB_EVENT_PATH: files.event,
    GITHUB_REF: context.ref ?? 'refs/heads/main',
    GITHUB_SHA: repo.git('rev-parse', 'HEAD'),
    GITHUB_WORKSPACE: repo.dir,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    RUNNER_TEMP: dir,
    RUNNER_OS: 'Linux',
  };
  let status = 0;
  let stdout: string;
  let stderr: string;
  try {
    ({ stdout, stderr } = await run(process.execPath, [dist], { cwd: repo.dir, env, timeout: 60_000 }));
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    status = failed.code ?? 1;
    stdout = failed.stdout ?? '';
    stderr = failed.stderr ?? '';
  }
  return {
    status,
    stdout,
    stderr,
    outputs: parseOutputs(await readFile(files.output, 'utf8')),
    summary: await readFile(files.summary, 'utf8'),
  };
}

/** GITHUB_OUTPUT's `name<<DELIMITER\nvalue\nDELIMITER` blocks. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const pattern = /^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const match of text.matchAll(pattern)) outputs[match[1] as string] = match[3] as string;
  return outputs;
}

async function commitModel(version: number): Promise<void> {
  await repo.write('models/model.bin', `weights ${version}`);
  repo.commit(`train ${version}`);
}

const step = { models: 'models/model.bin', 'signing-key': signingKey };

describe('the built Action (dist/index.js) storing on GitHub', () => {
  it('leaves two linked records as release assets after two runs, writes its outputs, and never prints the token', async () => {
    await commitModel(1);
    const first = await runAction(step, { runId: '501' });
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    await commitModel(2);
    const second = await runAction(step, { runId: '502' });
    expect(second.status).toBe(0);

    expect(server.recordAssets()).toEqual([
      'model-ledger/model-ledger-000000.sigstore.json',
      'model-ledger/model-ledger-000001.sigstore.json',
    ]);
    expect(first.outputs['chain-index']).toBe('0');
    expect(second.outputs).toMatchObject({
      'chain-index': '1',
      'previous-sha256': first.outputs['record-sha256'],
      'release-url': `${server.fake.serverUrl}/acme/model/releases/tag/model-ledger`,
      'asset-url': `${server.fake.serverUrl}/acme/model/releases/download/model-ledger/model-ledger-000001.sigstore.json`,
      'attestation-id': expect.stringMatching(/^\d+$/),
    });
    expect(server.releases.attestations.map((attestation) => String(attestation.id))).toEqual([
      first.outputs['attestation-id'],
      second.outputs['attestation-id'],
    ]);
    const bundle = await readFile(second.outputs['bundle-path'] ?? '', 'utf8');
    const asset = server.releases
      .assetsOf(REPOSITORY)
      .find((a) => a.name === 'model-ledger-000001.sigstore.json');
    expect(bundle).toBe(asset?.content.toString('utf8'));
    expect(second.summary).toContain('### Stored on GitHub');
    expect(second.summary).toContain(
      `[model-ledger](${server.fake.serverUrl}/acme/model/releases/tag/model-ledger)`,
    );
    for (const output of [first, second]) {
      // The one place it may appear: the command that tells the runner to mask it.
      expect(output.stdout).toContain(`::add-mask::${TOKEN}`);
      expect(output.stdout.replace(`::add-mask::${TOKEN}`, '')).not.toContain(TOKEN);
      expect(output.stderr).not.toContain(TOKEN);
      expect(output.summary).not.toContain(TOKEN);
    }

    const verified = await verifyLedger({ store: server.store() });
    expect(verified.problems).toEqual([]);
    expect(verified.records.map((record) => record.index)).toEqual([0, 1]);
    expect(server.fake.invalidRequests).toEqual([]);
  });

  it('adds nothing when the same run attempt runs again', async () => {
    await commitModel(1);
    const first = await runAction(step, { runId: '601' });
    const again = await runAction(step, { runId: '601' });
    expect(again.status).toBe(0);
    expect(server.recordAssets()).toEqual(['model-ledger/model-ledger-000000.sigstore.json']);
    expect(again.outputs).toMatchObject({
      'chain-index': '0',
      'record-sha256': first.outputs['record-sha256'],
      'asset-url': first.outputs['asset-url'],
      'attestation-id': '',
    });
    expect(again.summary).toContain('This run attempt had already recorded it: nothing was added.');
    expect(again.stdout).toMatch(/run 601 attempt 1 already recorded record 0/);
    expect(server.releases.attestations).toHaveLength(1);
  });

  it('records and verifies locally on a pull request from a fork, uploading nothing', async () => {
    await commitModel(1);
    const payload = {
      number: 9,
      pull_request: {
        number: 9,
        head: { ref: 'patch-1', sha: repo.git('rev-parse', 'HEAD'), repo: { full_name: 'mallory/model' } },
        base: { ref: 'main', sha: '0'.repeat(40), repo: { full_name: REPOSITORY } },
      },
    };
    const forked = await runAction(
      { models: 'models/model.bin', 'comment-on-pr': 'false' },
      { runId: '701', event: 'pull_request', payload, ref: 'refs/pull/9/merge' },
    );
    expect(forked.stderr).toBe('');
    expect(forked.status).toBe(0);
    expect(server.fake.requests.filter((request) => request.method !== 'GET')).toEqual([]);
    expect(forked.outputs).toMatchObject({ 'chain-index': '0', 'release-url': '', 'asset-url': '' });
    expect(forked.summary).toMatch(/\*\*Not uploaded\*\*: pull request from the fork mallory\/model/);
    expect(forked.stdout).toMatch(/throw-away development key/);
    expect(await readdir(join(repo.dir, '.model-ledger'))).toContain(
      '000000-' + (forked.outputs['record-sha256'] ?? '').slice(0, 12) + '.sigstore.json',
    );
  });

  it('records into the ledger and warns with the fix when the tag release is published and immutable', async () => {
    server.releases.immutable = true;
    server.releases.addRelease(REPOSITORY, { tagName: 'v1.0.0' });
    await commitModel(1);
    const run = await runAction(step, { runId: '801', ref: 'refs/tags/v1.0.0' });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(
      /::warning::.*release v1\.0\.0 is immutable.*run model-ledger before the release is published/,
    );
    // The record is in the ledger (its own release, immutable releases being on); the tag's release is untouched.
    expect(server.releases.release(REPOSITORY, 'v1.0.0')?.assets).toEqual([]);
    expect(server.recordAssets()).toEqual(['model-ledger-record-000000/model-ledger-000000.sigstore.json']);
  });
});
