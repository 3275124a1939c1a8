import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { parseList, readInputs, toRecordOptions } from '../src/action/inputs.js';
import { run } from '../src/action/run.js';
import { LedgerError } from '../src/errors.js';
import { MemoryLogger } from '../src/log.js';
import { generateKeyPair } from '../src/sign/keys.js';
import { parse } from 'yaml';
import { createTempRepo, type TempRepo } from './support/repo.js';

/** The Action's inputs: brace globs, one vocabulary with the CLI, the old names as aliases. */
function inputsFrom(values: Record<string, string>, warnings: string[] = []) {
  return readInputs(
    (name) => values[name] ?? '',
    (message) => warnings.push(message),
  );
}

describe('list inputs', () => {
  it('do not split inside braces or brackets', () => {
    expect(parseList('models/*.{pt,ckpt}, weights/[a,b].bin\nother/{x,{y,z}}.onnx')).toEqual([
      'models/*.{pt,ckpt}',
      'weights/[a,b].bin',
      'other/{x,{y,z}}.onnx',
    ]);
    expect(parseList('a.pt,b.pt')).toEqual(['a.pt', 'b.pt']);
  });
});

describe('one vocabulary', () => {
  it('has inputs for the CLI’s --lockfile and --no-cache', () => {
    const inputs = inputsFrom({ lockfiles: 'requirements.txt\npoetry.lock', 'no-cache': 'true' });
    expect(inputs.lockfiles).toEqual(['requirements.txt', 'poetry.lock']);
    expect(inputs.noCache).toBe(true);
    const options = toRecordOptions(inputs, '/w', {});
    expect(options.lockfiles).toEqual(['requirements.txt', 'poetry.lock']);
    expect(options.noCache).toBe(true);
    expect(toRecordOptions(inputsFrom({}), '/w', {}).noCache).toBeUndefined();
    expect(() => inputsFrom({ 'no-cache': 'yes' })).toThrow(/no-cache/);
  });

  it('builds options as the CLI does: paths from the workspace root, the config adding to lists', () => {
    const inputs = inputsFrom({
      'trusted-root': 'sigstore/trusted_root.json',
      models: 'models/b.pt',
      'model-signature': 'false',
    });
    const options = toRecordOptions(inputs, '/w', {}, { models: ['models/a.pt'], ledger: 'fraud' });
    expect(options.trustedRootFile).toBe('/w/sigstore/trusted_root.json');
    expect(options.models).toEqual(['models/a.pt', 'models/b.pt']);
    expect(options.ledgerName).toBe('fraud');
    expect(options.modelSignatures).toBe(false);
    expect(() => toRecordOptions(inputsFrom({ 'new-ledger': 'true' }), '/w', {})).toThrow(
      /`new-ledger: true` needs the `reason` input/,
    );
  });

  it('names training, env and store as the CLI and model-ledger.yml do', () => {
    const warnings: string[] = [];
    const inputs = inputsFrom({ training: 'train.yaml', env: 'SEED\nMY_*', store: 'ledgers/main' }, warnings);
    expect(inputs.trainingMetadata).toBe('train.yaml');
    expect(inputs.environmentVariables).toEqual(['SEED', 'MY_*']);
    expect(inputs.store).toBe('local');
    expect(inputs.ledgerDir).toBe('ledgers/main');
    expect(toRecordOptions(inputs, '/w', {}).ledgerDir).toBe('/w/ledgers/main');
    expect(warnings).toEqual([]);
    expect(inputsFrom({ store: 'local' }).ledgerDir).toBe('.model-ledger');
    expect(inputsFrom({}).store).toBe('github');
  });

  it('keeps the old names working, with a warning', () => {
    const warnings: string[] = [];
    const inputs = inputsFrom(
      {
        'training-metadata': 'train.yaml',
        'env-allow-list': 'SEED',
        store: 'local',
        'ledger-dir': 'old-ledger',
      },
      warnings,
    );
    expect(inputs.trainingMetadata).toBe('train.yaml');
    expect(inputs.environmentVariables).toEqual(['SEED']);
    expect(inputs.ledgerDir).toBe('old-ledger');
    expect(warnings).toEqual([
      'the input `training-metadata` is deprecated: use `training`',
      'the input `ledger-dir` is deprecated: give the directory as `store` (e.g. `store: .model-ledger`)',
      'the input `env-allow-list` is deprecated: use `env`',
    ]);
    expect(() => inputsFrom({ training: 'a.yaml', 'training-metadata': 'b.yaml' })).toThrow(
      /`training-metadata` is the old name of `training`/,
    );
  });

  it('action.yml declares the new names and marks the old ones deprecated', async () => {
    const action = parse(await readFile('action.yml', 'utf8')) as {
      inputs: Record<string, { deprecationMessage?: string; default?: string }>;
    };
    for (const name of ['training', 'env', 'lockfiles', 'no-cache', 'store'])
      expect(action.inputs[name]).toBeDefined();
    for (const name of ['training-metadata', 'env-allow-list']) {
      expect(action.inputs[name]?.deprecationMessage).toMatch(/^Use `/);
    }
    expect(action.inputs['ledger-dir']?.default).toBe('');
  });
});

describe('the Action records brace globs', () => {
  let repo: TempRepo;
  beforeEach(async () => {
    repo = await createTempRepo();
  });
  afterEach(async () => {
    await repo.cleanup();
  });

  it('models: models/*.{pt,ckpt}', async () => {
    await repo.write('models/a.pt', 'a');
    await repo.write('models/b.ckpt', 'b');
    await repo.write('models/c.bin', 'c');
    repo.commit('models');
    const inputs = inputsFrom({
      models: 'models/*.{pt,ckpt}',
      'signing-key': generateKeyPair().privateKeyPem,
      store: 'local',
    });
    const result = await run(inputs, {
      cwd: repo.dir,
      env: { ...repo.env, GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'acme/m', GITHUB_RUN_ID: '1' },
      log: new MemoryLogger(),
      setOutput: () => undefined,
      summary: () => Promise.resolve(),
    });
    expect(result.statement.subject.map((subject) => subject.name)).toEqual(['models/a.pt', 'models/b.ckpt']);
    expect(await readFile(join(repo.dir, '.model-ledger', result.ref.name), 'utf8')).toContain(
      'dsseEnvelope',
    );
  });

  it('refuses a bad glob as a LedgerError naming it (the Action prints its message, not "unexpected error")', async () => {
    await repo.write('models/a.pt', 'a');
    repo.commit('models');
    const inputs = inputsFrom({
      models: 'models/*.{pt',
      'signing-key': generateKeyPair().privateKeyPem,
      store: 'local',
    });
    const failure = run(inputs, {
      cwd: repo.dir,
      env: { ...repo.env, GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'acme/m', GITHUB_RUN_ID: '1' },
      log: new MemoryLogger(),
      setOutput: () => undefined,
      summary: () => Promise.resolve(),
    });
    await expect(failure).rejects.toBeInstanceOf(LedgerError);
    await expect(failure).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringContaining('the glob "models/*.{pt"'),
    });
  });
});
