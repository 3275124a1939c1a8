import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';

import { readInputs, parseList } from '../src/action/inputs.js';
import { run } from '../src/action/run.js';
import { LedgerError } from '../src/errors.js';
import { MemoryLogger } from '../src/log.js';
import { generateKeyPair } from '../src/sign/keys.js';
import { createTempRepo, type TempRepo } from './support/repo.js';

let repo: TempRepo;
beforeEach(async () => {
  repo = await createTempRepo();
});
afterEach(async () => {
  await repo.cleanup();
});

function inputsFrom(values: Record<string, string>) {
  return readInputs((name) => values[name] ?? '');
}

describe('the Action', () => {
  it('reads list inputs written one per line or comma-separated', () => {
    expect(parseList('models/a.onnx\n# comment\n models/b.onnx , models/c.onnx\n')).toEqual([
      'models/a.onnx',
      'models/b.onnx',
      'models/c.onnx',
    ]);
  });

  it('refuses a signing-key that is a path instead of the key itself', () => {
    expect(() => inputsFrom({ 'signing-key': 'keys/ledger.key.pem' })).toThrow(LedgerError);
    expect(() => inputsFrom({ 'signing-key': 'keys/ledger.key.pem' })).toThrow(
      /signing-key: expected the PEM text/,
    );
  });

  it('records with the key from its input, sets the outputs and writes a summary', async () => {
    await repo.write('model.bin', 'model bytes');
    const sha = repo.commit('ship the model');
    const outputs: Record<string, string> = {};
    const summaries: string[] = [];
    const log = new MemoryLogger();
    const env = {
      ...repo.env,
      GITHUB_ACTIONS: 'true',
      GITHUB_REPOSITORY: 'acme/fraud-model',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_RUN_ID: '42',
      GITHUB_ACTOR: 'octocat',
      GITHUB_SHA: sha,
    };
    const inputs = inputsFrom({
      models: 'model.bin',
      'signing-key': generateKeyPair().privateKeyPem,
      reason: 'retrain on Q3 data',
      store: 'local',
    });
    const runtime = {
      cwd: repo.dir,
      env,
      log,
      setOutput: (name: string, value: string) => {
        outputs[name] = value;
      },
      summary: (markdown: string) => {
        summaries.push(markdown);
        return Promise.resolve();
      },
    };
    const first = await run(inputs, runtime);
    expect(outputs['chain-index']).toBe('0');
    expect(outputs['previous-sha256']).toBe('');
    expect(outputs['record-sha256']).toBe(first.statementSha256);
    expect(await readFile(outputs['bundle-path'] as string, 'utf8')).toContain('"dsseEnvelope"');
    expect(first.statement.predicate.chain.origin).toBe('github.com/acme/fraud-model#main');
    expect(first.statement.predicate.environment.ci).toMatchObject({
      provider: 'github-actions',
      runUrl: 'https://github.com/acme/fraud-model/actions/runs/42',
      actor: 'octocat',
    });
    expect(first.statement.predicate.change).toMatchObject({
      reason: 'retrain on Q3 data',
      reasonSource: 'input',
      triggeredBy: { login: 'octocat' },
    });
    expect(summaries[0]).toContain('| Chain position | record 0 of github.com/acme/fraud-model#main |');

    const second = await run(inputs, runtime);
    expect(outputs['chain-index']).toBe('1');
    expect(outputs['previous-sha256']).toBe(first.statementSha256);
    expect(second.signingMode).toBe('key');
    // The second run records the same commit again, and says so.
    expect(log.messages('warn')).toEqual([expect.stringMatching(/is the commit record 0 already describes/)]);
  });
});

describe('the Action with model-ledger.yml', () => {
  it('records what the config file lists, adding its own inputs', async () => {
    await repo.write('models/a.bin', 'a');
    await repo.write('models/b.bin', 'b');
    await repo.write('model-ledger.yml', 'version: 1\nmodels: [models/a.bin]\ndependencies: best-effort\n');
    repo.commit('configure');
    const outputs: Record<string, string> = {};
    const result = await run(
      inputsFrom({ models: 'models/b.bin', store: 'local', 'signing-key': generateKeyPair().privateKeyPem }),
      {
        cwd: repo.dir,
        env: { ...repo.env, GITHUB_ACTIONS: 'true' },
        log: new MemoryLogger(),
        setOutput: (name, value) => {
          outputs[name] = value;
        },
        summary: () => Promise.resolve(),
      },
    );
    expect(result.statement.subject.map((subject) => subject.name)).toEqual(['models/a.bin', 'models/b.bin']);
    expect(outputs['evidence-url']).toBe('');
  });

  it('fails clearly when the config file it names is missing', async () => {
    repo.commit('nothing');
    await expect(
      run(inputsFrom({ config: 'ci/ledger.yml', store: 'local' }), {
        cwd: repo.dir,
        env: repo.env,
        log: new MemoryLogger(),
        setOutput: () => undefined,
        summary: () => Promise.resolve(),
      }),
    ).rejects.toThrow(/ci\/ledger\.yml: cannot read the config file/);
  });
});
