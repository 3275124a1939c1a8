import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { Statement } from '../src/record/predicate.js';
import { runCli } from './support/cli.js';
import { FakeGitHub } from './support/fake-github.js';
import { createTempRepo, type TempRepo } from './support/repo.js';

const TOKEN = 'ghs_fakeTokenForTheLoopbackServer0123456789';

let repo: TempRepo;
let fake: FakeGitHub;
beforeEach(async () => {
  repo = await createTempRepo();
  fake = await FakeGitHub.start();
  fake.token = TOKEN;
});
afterEach(async () => {
  await fake.close();
  await repo.cleanup();
});

async function statementAt(bundlePath: string): Promise<Statement> {
  const bundle = JSON.parse(await readFile(bundlePath, 'utf8')) as { dsseEnvelope: { payload: string } };
  return JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8')) as Statement;
}

describe('a record for a merged pull request', () => {
  it('names its author, approvers and reason, and keeps the token out', async () => {
    await repo.write('model.bin', 'v1');
    const base = repo.commit('base');
    repo.git('checkout', '-q', '-b', 'retrain');
    await repo.write('model.bin', 'v2');
    const head = repo.commit('retrain on Q3');
    repo.git('checkout', '-q', 'main');
    repo.git('merge', '-q', '--no-ff', '-m', 'Merge pull request #7 from acme/retrain', 'retrain');
    const merge = repo.git('rev-parse', 'HEAD');
    fake.addCommit('acme/model', { sha: merge, verification: { verified: false, reason: 'unsigned' } });
    fake.addPull('acme/model', {
      number: 7,
      title: 'Retrain on Q3 data',
      body: 'Drift on the Q3 cohort.',
      user: 'grace',
      labels: ['retrain'],
      state: 'closed',
      base: { ref: 'main', sha: base },
      head: { ref: 'retrain', sha: head },
      mergedBy: 'hubot',
      mergedAt: '2026-11-20T09:00:00Z',
      mergeCommitSha: merge,
      commits: [head],
      reviews: [
        { user: 'alice', state: 'APPROVED', commitId: head, submittedAt: '2026-11-19T10:00:00Z' },
        { user: 'grace', state: 'APPROVED', commitId: head, submittedAt: '2026-11-19T10:01:00Z' },
      ],
    });
    const env = {
      ...repo.env,
      ...fake.env(),
      GITHUB_EVENT_NAME: 'push',
      GITHUB_SHA: merge,
      GITHUB_ACTOR: 'hubot',
      GITHUB_TOKEN: TOKEN,
      MY_API_TOKEN: TOKEN,
    };
    expect((await runCli(['keygen', '--out', 'ci'], repo.dir, repo.env)).status).toBe(0);
    const run = await runCli(
      ['record', '--json', '--key', 'ci.key.pem', '--models', 'model.bin', '--env', 'MY_*'],
      repo.dir,
      env,
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const { bundlePath } = JSON.parse(run.stdout) as { bundlePath: string };
    const { predicate } = await statementAt(bundlePath);
    expect(predicate.change).toMatchObject({
      reason: 'Retrain on Q3 data\n\nDrift on the Q3 cohort.',
      reasonSource: 'pull-request',
      approvedBy: [{ login: 'alice' }],
      triggeredBy: { login: 'hubot' },
      pullRequest: { number: 7, author: 'grace', mergedBy: 'hubot' },
    });
    expect(predicate.change.implementedBy).toContainEqual({ login: 'grace' });
    expect(predicate.commit?.githubVerification).toEqual({ verified: false, reason: 'unsigned' });
    expect(predicate.environment.variables?.MY_API_TOKEN).toBe('[REDACTED]');
    expect(await readFile(bundlePath, 'utf8')).not.toContain(
      Buffer.from(TOKEN).toString('base64').slice(0, 20),
    );
    expect(JSON.stringify(predicate)).not.toContain(TOKEN);
  });
});

describe('secrets never enter a record', () => {
  it('refuses a record that would hold a secret, naming the field and not the value, and writes nothing', async () => {
    const leaked = 'AKIAIOSFODNN7EXAMPLE';
    await repo.write('model.bin', 'v1');
    repo.commit(`train with key ${leaked}`);
    const run = await runCli(['record', '--json', '--models', 'model.bin'], repo.dir, repo.env);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/the record would contain a secret: predicate\.commit\.message \(/);
    expect(run.stderr).not.toContain(leaked);
    await expect(readdir(join(repo.dir, '.model-ledger'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
