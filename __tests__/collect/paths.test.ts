import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

import { repositoryRelative } from '../../src/fs/repo-path.js';
import type { Statement } from '../../src/record/predicate.js';
import { runCli } from '../support/cli.js';
import { createTempRepo, type TempRepo } from '../support/repo.js';

/** One rule for paths: relative to the repository root, absolute ones inside it, nothing outside. */
let repo: TempRepo;
beforeEach(async () => {
  repo = await createTempRepo();
  await repo.write('models/a.pt', 'a');
  await repo.write('models/b.ckpt', 'b');
  await repo.write('data/train.csv', 'x,y\n');
  await repo.write('src/train/README', 'a subfolder to run from\n');
  repo.commit('models');
});
afterEach(async () => {
  await repo.cleanup();
});

async function statementOf(stdout: string): Promise<Statement> {
  const { bundlePath } = JSON.parse(stdout) as { bundlePath: string };
  const bundle = JSON.parse(await readFile(bundlePath, 'utf8')) as { dsseEnvelope: { payload: string } };
  return JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8')) as Statement;
}

describe('paths', () => {
  it('accepts an absolute path inside the repository, recorded repository-relative', async () => {
    const run = await runCli(
      ['record', '--json', '--models', join(repo.dir, 'models/a.pt'), '--datasets', join(repo.dir, 'data')],
      repo.dir,
      repo.env,
    );
    expect(run.stderr).not.toContain('model-ledger record:');
    expect(run.status).toBe(0);
    const statement = await statementOf(run.stdout);
    expect(statement.subject.map((subject) => subject.name)).toEqual(['models/a.pt', 'dataset:data']);
    expect(statement.predicate.datasets[0]?.path).toBe('data');
  });

  it('refuses a path outside the repository with exit 2, naming it', async () => {
    await repo.write('../outside-model.pt', 'elsewhere');
    const outside = `../outside-model.pt`;
    const run = await runCli(['record', '--models', outside], repo.dir, repo.env);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`models[0]: "${outside}" is outside the repository (${repo.dir})`);
    const dataset = await runCli(['record', '--datasets', '/etc'], repo.dir, repo.env);
    expect(dataset.status).toBe(2);
    expect(dataset.stderr).toContain('datasets[0]: "/etc" is outside the repository');
    expect(existsSync(join(repo.dir, '.model-ledger'))).toBe(false);
  });

  it('from a subfolder: paths from the root, the default store and the origin at the root', async () => {
    const sub = join(repo.dir, 'src/train');
    const run = await runCli(['record', '--json', '--models', 'models/*.{pt,ckpt}'], sub, repo.env);
    expect(run.stderr).not.toContain('model-ledger record:');
    expect(run.status).toBe(0);
    const statement = await statementOf(run.stdout);
    expect(statement.subject.map((subject) => subject.name)).toEqual(['models/a.pt', 'models/b.ckpt']);
    expect(statement.predicate.chain.origin).toBe(`local:${basename(repo.dir)}#main`);
    expect(existsSync(join(repo.dir, '.model-ledger'))).toBe(true);
    expect(existsSync(join(sub, '.model-ledger'))).toBe(false);
    // The read commands find it from the same subfolder.
    const verify = await runCli(['verify'], sub, repo.env);
    expect(verify.status).toBe(0);
    expect(verify.stdout).toContain(`verified in ${join(repo.dir, '.model-ledger')}`);
    expect((await runCli(['log', '--json'], sub, repo.env)).status).toBe(0);
  });

  it('a bad glob is a clear exit-2 error naming it', async () => {
    for (const glob of ['models/*.{pt', 'models/[z-a].pt']) {
      const run = await runCli(['record', '--models', glob], repo.dir, repo.env);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain(`the glob "${glob}"`);
      expect(run.stderr).not.toContain('unexpected error');
    }
  });

  it('are made relative by one function', () => {
    expect(repositoryRelative('/r', '/r/models/x.pt', 'models')).toBe('models/x.pt');
    expect(repositoryRelative('/r', './models/../models/*.pt', 'models')).toBe('models/*.pt');
    expect(repositoryRelative('/r', '/r', 'models')).toBe('.');
    expect(() => repositoryRelative('/r', '../r2/x', 'models[1]')).toThrow(
      /models\[1\]: "..\/r2\/x" is outside/,
    );
  });
});
