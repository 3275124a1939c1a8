import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { runCli } from './support/cli.js';
import { keyedRepo, recordVersion } from './support/report-ledger.js';
import type { TempRepo } from './support/repo.js';

/** What the CLI says when a command line is wrong: once, plainly, naming what there is. */
let repo: TempRepo;

beforeAll(async () => {
  repo = await keyedRepo();
  for (let v = 0; v < 5; v++) await recordVersion(repo, v);
}, 120_000);
afterAll(async () => {
  await repo.cleanup();
});

describe('error messages', () => {
  it('name the command once (no "record: record:")', async () => {
    const run = await runCli(['record', '--bogus'], repo.dir, repo.env);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^model-ledger record: Unknown option '--bogus'/);
    expect(run.stderr).not.toContain('record: record:');
  });

  it('for diff too (no "diff: diff:")', async () => {
    const run = await runCli(['diff', 'head'], repo.dir, repo.env);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^model-ledger diff: two records are needed/);
    const extra = await runCli(['diff', '1', '2', '3'], repo.dir, repo.env);
    expect(extra.stderr).toMatch(/^model-ledger diff: unexpected argument "3"/);
    const exported = await runCli(['export'], repo.dir, repo.env);
    expect(exported.stderr).toMatch(/^model-ledger export: --out is required/);
  });

  it('head~9 on a five-record ledger says there are only 5 records', async () => {
    const run = await runCli(['diff', 'head~9', 'head'], repo.dir, repo.env);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('the ledger has only 5 records (0 to 4), so there is no head~9');
    // Not "there is no record -5" (the temporary directory's random name may hold "-5" itself).
    expect(run.stderr).not.toContain('record -5');
    const index = await runCli(['diff', '7', 'head'], repo.dir, repo.env);
    expect(index.stderr).toContain('there is no record 7: the ledger has only 5 records (0 to 4)');
    const ok = await runCli(['diff', 'head~4', 'head'], repo.dir, repo.env);
    expect(ok.status).toBe(0);
  });
});
