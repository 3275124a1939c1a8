import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { loadConfig, type LedgerConfig } from '../src/config/load.js';
import type { Statement } from '../src/record/predicate.js';
import { runCli } from './support/cli.js';
import { createTempRepo, type TempRepo } from './support/repo.js';

let repo: TempRepo;
beforeEach(async () => {
  repo = await createTempRepo();
  await repo.write('models/model.bin', 'weights');
  await repo.write('data/train.csv', 'a,b\n1,2\n');
  await repo.write('run.json', JSON.stringify({ seed: 7 }));
});
afterEach(async () => {
  await repo.cleanup();
});

describe('model-ledger.yml', () => {
  it('says what to record, with descriptive dataset fields, so the command stays short', async () => {
    await repo.write(
      'model-ledger.yml',
      [
        'version: 1',
        'models: [models/model.bin]',
        'datasets:',
        '  - path: data/train.csv',
        '    name: fraud-train',
        '    license: CC-BY-4.0',
        '    personal-data: false',
        '    rows: 1',
        'training: run.json',
        '',
      ].join('\n'),
    );
    repo.commit('configure');
    const run = await runCli(['record', '--json'], repo.dir, repo.env);
    expect(run.status).toBe(0);
    const { bundlePath } = JSON.parse(run.stdout) as { bundlePath: string };
    const bundle = JSON.parse(await readFile(bundlePath, 'utf8')) as { dsseEnvelope: { payload: string } };
    const { predicate } = JSON.parse(
      Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8'),
    ) as Statement;
    expect(predicate.models.map((model) => model.name)).toEqual(['models/model.bin']);
    expect(predicate.datasets[0]).toMatchObject({
      name: 'fraud-train',
      description: { license: 'CC-BY-4.0', personalData: false, rows: 1 },
    });
    expect(predicate.training?.run).toEqual({ seed: 7 });
  });

  it('names the line of an unknown key', async () => {
    await repo.write('model-ledger.yml', 'version: 1\nmodels: [models/model.bin]\nmodles: [x]\n');
    repo.commit('typo');
    const run = await runCli(['record'], repo.dir, repo.env);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/model-ledger\.yml: line 3: modles is not a known field/);
  });

  it('names the line of a wrongly typed dataset field', async () => {
    await repo.write('model-ledger.yml', 'datasets:\n  - path: data/train.csv\n    rows: many\n');
    repo.commit('typo');
    const run = await runCli(['record'], repo.dir, repo.env);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/model-ledger\.yml: line 2: datasets\[0\] must match one of/);
  });

  it('requires a config file that is named explicitly', async () => {
    repo.commit('no config');
    const run = await runCli(['record', '--config', 'ci/ledger.yml'], repo.dir, repo.env);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/ci\/ledger\.yml: cannot read the config file/);
  });
});

describe('flags and the config file together', () => {
  it('lets --no-policy turn off the policy model-ledger.yml names', async () => {
    await repo.write('model-ledger.yml', 'models: [models/model.bin]\npolicy: strict.policy.yml\n');
    await repo.write('strict.policy.yml', 'version: 1\nrequired:\n  - path: training.run.seed\n');
    repo.commit('configure');
    const enforced = await runCli(['record', '--json'], repo.dir, repo.env);
    expect(enforced.status).toBe(1);
    const off = await runCli(['record', '--json', '--no-policy'], repo.dir, repo.env);
    expect(off.stderr).toBe('');
    expect(off.status).toBe(0);
  });
});

describe('model-ledger.yml dependencies search', () => {
  const load = async (text: string): Promise<LedgerConfig> => {
    await repo.write('model-ledger.yml', text);
    return loadConfig(join(repo.dir, 'model-ledger.yml'), 'model-ledger.yml', true);
  };

  it('reads `dependencies: { mode, skip, include }` as the mode and the lockfile search', async () => {
    const config = await load(
      'version: 1\ndependencies:\n  mode: best-effort\n  skip: [experiments, tools/legacy/]\n  include: [vendor]\n',
    );
    expect(config.dependencies).toBe('best-effort');
    expect(config.lockfileSearch).toEqual({ skip: ['experiments', 'tools/legacy/'], include: ['vendor'] });
    expect(await load('version: 1\ndependencies: strict\n')).toEqual({ dependencies: 'strict' });
  });

  it('names the line of a folder that leaves the repository or is a glob, and of an unknown key', async () => {
    await expect(load('version: 1\ndependencies:\n  skip:\n    - build\n    - ../other\n')).rejects.toThrow(
      /^model-ledger\.yml: line 5: dependencies\.skip\[1\] must be a folder name or a repository-relative folder path/,
    );
    await expect(load('version: 1\ndependencies:\n  include: ["vendor/*"]\n')).rejects.toThrow(
      /^model-ledger\.yml: line 3: dependencies\.include\[0\] /,
    );
    await expect(load('version: 1\ndependencies:\n  mode: strict\n  skpi: [x]\n')).rejects.toThrow(
      /^model-ledger\.yml: line 4: dependencies\.skpi is not a known field/,
    );
    await expect(load('version: 1\ndependencies: lenient\n')).rejects.toThrow(
      /^model-ledger\.yml: line 2: dependencies must be strict, best-effort, or a mapping of mode, skip and include/,
    );
  });
});
