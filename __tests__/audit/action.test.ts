import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { runAudit } from '../../src/action/audit.js';
import { readInputs } from '../../src/action/inputs.js';
import type { ActionRuntime } from '../../src/action/run.js';
import { MemoryLogger } from '../../src/log.js';
import { runCli } from '../support/cli.js';
import type { TempRepo } from '../support/repo.js';
import { keyedRepo } from '../support/report-ledger.js';

function runtimeFor(repo: TempRepo) {
  const outputs: Record<string, string> = {};
  const summaries: string[] = [];
  const runtime: ActionRuntime = {
    cwd: repo.dir,
    env: { ...repo.env, GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'acme/fraud-model' },
    log: new MemoryLogger(),
    setOutput: (name, value) => {
      outputs[name] = value;
    },
    summary: (markdown) => {
      summaries.push(markdown);
      return Promise.resolve();
    },
  };
  return { runtime, outputs, summaries };
}

describe('the Action in audit mode', () => {
  let repo: TempRepo;
  let unrecorded = '';

  beforeAll(async () => {
    repo = await keyedRepo();
    await repo.write('model-ledger.yml', 'models:\n  - models/model.bin\n');
    for (let change = 0; change < 4; change++) {
      await repo.write('models/model.bin', `weights ${change}\n`);
      const sha = repo.commit(`train ${change}`);
      if (change === 2) {
        unrecorded = sha;
        continue;
      }
      expect((await runCli(['record', '--key', 'team.key.pem'], repo.dir, repo.env)).status).toBe(0);
    }
  }, 60_000);

  afterAll(() => repo.cleanup());

  it('fails below audit-min, with the figure and the unrecorded commit in the job summary', async () => {
    const { runtime, outputs, summaries } = runtimeFor(repo);
    const inputs = readInputs((name) => ({ audit: 'completeness', store: 'local' })[name] ?? '');
    await expect(runAudit(inputs, runtime)).rejects.toThrow(
      /3 of 4 model changes recorded, 75%, below the minimum of 100%/,
    );
    expect(outputs).toMatchObject({
      'completeness-percent': '75',
      'changes-recorded': '3',
      'changes-total': '4',
    });
    expect(summaries.join('')).toContain(
      '**3 of 4 model changes recorded, 75%** — is below the minimum of 100%',
    );
    expect(summaries.join('')).toContain(`| \`${unrecorded.slice(0, 12)}\` |`);
    expect(summaries.join('')).toMatch(/retrieve and verify one record: by index 1 /);
  });

  it('passes at or above audit-min', async () => {
    const { runtime, summaries } = runtimeFor(repo);
    const inputs = readInputs(
      (name) =>
        ({ audit: 'completeness', store: 'local', 'audit-min': '75', 'audit-mode': 'every-merge' })[name] ??
        '',
    );
    const report = await runAudit(inputs, runtime);
    expect(report.mode).toBe('every-merge');
    expect(report.recorded).toBe(3);
    expect(summaries.join('')).toContain('— meets the minimum of 75%');
  });

  it('refuses an audit input it does not know, and a bad minimum', () => {
    expect(() => readInputs((name) => ({ audit: 'everything' })[name] ?? '')).toThrow(
      /audit: "everything" is not one of completeness/,
    );
    expect(() => readInputs((name) => ({ audit: 'completeness', 'audit-min': '101' })[name] ?? '')).toThrow(
      /audit-min: "101" is not a percentage/,
    );
  });
});
