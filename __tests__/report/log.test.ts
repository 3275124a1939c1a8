import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { csvCell, filterEntries, parseDateBound, type LogEntry } from '../../src/report/log.js';
import { runCli } from '../support/cli.js';
import {
  AUTHORS,
  keyedRepo,
  ledgerFiles,
  recordVersion,
  tamperWithRecord,
} from '../support/report-ledger.js';
import type { TempRepo } from '../support/repo.js';

/** Six records: authors alternate (Ada on even versions, Grace on odd), images from version 4 on. */
let repo: TempRepo;
let all: LogEntry[];

beforeAll(async () => {
  repo = await keyedRepo();
  for (let v = 0; v < 6; v++) await recordVersion(repo, v, v >= 4 ? { images: 3 } : {});
  const run = await runCli(['log', '--json'], repo.dir, repo.env);
  expect(run.status).toBe(0);
  all = JSON.parse(run.stdout) as LogEntry[];
}, 120_000);
afterAll(async () => {
  await repo.cleanup();
});

async function indexes(args: string[]): Promise<number[]> {
  const run = await runCli(['log', '--format', 'json', ...args], repo.dir, repo.env);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return (JSON.parse(run.stdout) as LogEntry[]).map((entry) => entry.index);
}

describe('model-ledger log', () => {
  it('lists every record with who, what, when, why and its verification', () => {
    expect(all.map((entry) => entry.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(all[1]).toMatchObject({
      actor: AUTHORS[1]?.email,
      reason: 'train version 1',
      models: ['model/model.safetensors'],
      datasets: ['train', 'eval'],
      policy: 'none',
      signingMode: 'key',
      signatureVerified: true,
      chainVerified: true,
    });
    expect(all[4]?.datasets).toEqual(['train', 'eval', 'images']);
    expect(all.every((entry) => /^[0-9a-f]{64}$/.test(entry.statementSha256 ?? ''))).toBe(true);
  });

  it('filters by actor, model and dataset', async () => {
    expect(await indexes(['--actor', 'grace@example.org'])).toEqual([1, 3, 5]);
    expect(await indexes(['--actor', 'GRACE@example.org'])).toEqual([1, 3, 5]);
    expect(await indexes(['--actor', 'nobody@example.org'])).toEqual([]);
    expect(await indexes(['--dataset', 'images'])).toEqual([4, 5]);
    // Ada committed every version (Grace authored the odd ones): both acted on those.
    expect(await indexes(['--actor', 'ada@example.org'])).toEqual([0, 1, 2, 3, 4, 5]);
    expect(await indexes(['--dataset', 'images', '--actor', 'grace@example.org'])).toEqual([5]);
    expect(await indexes(['--model', 'model.safetensors'])).toEqual([0, 1, 2, 3, 4, 5]);
    expect(await indexes(['--model', 'other.onnx'])).toEqual([]);
    expect(await indexes(['--policy', 'none'])).toEqual([0, 1, 2, 3, 4, 5]);
    expect(await indexes(['--policy', 'fail'])).toEqual([]);
  });

  it('filters by a time window, given as times or as whole days', async () => {
    const start = all[2]?.recordedAt as string;
    const end = all[4]?.recordedAt as string;
    expect(await indexes(['--since', start, '--until', end])).toEqual([2, 3, 4]);
    const today = start.slice(0, 10);
    expect(await indexes(['--since', today, '--until', today])).toEqual([0, 1, 2, 3, 4, 5]);
    expect(await indexes(['--until', '2001-01-01'])).toEqual([]);
  });

  it('carries the model digests in JSON: what sha256sum prints for the file', async () => {
    const file = await readFile(join(repo.dir, 'model/model.safetensors'));
    expect(all[5]?.modelDigests).toEqual([
      { name: 'model/model.safetensors', sha256: createHash('sha256').update(file).digest('hex') },
    ]);
  });

  it('writes CSV with a header, one row per record, lists joined with ;', async () => {
    const run = await runCli(['log', '--format', 'csv', '--dataset', 'images'], repo.dir, repo.env);
    expect(run.status).toBe(0);
    const lines = run.stdout.split('\r\n');
    expect(lines[0]).toBe(
      'index,recordedAt,actor,commit,workingTree,pullRequest,reason,models,modelSha256,pickle,datasets,policy,signingMode,signer,signatureVerified,chainVerified,statementSha256,file',
    );
    expect(lines).toHaveLength(3);
    const digest = all[4]?.modelDigests[0]?.sha256 as string;
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(lines[1]).toMatch(
      new RegExp(
        `^4,\\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z,ada@example\\.org,[0-9a-f]{40},[a-z]*,,train version 4,model/model\\.safetensors,${digest},,train;eval;images,none,key,key:[0-9a-f]{64},true,true,[0-9a-f]{64},000004-[0-9a-f]{12}\\.sigstore\\.json$`,
      ),
    );
  });

  it('prints a table for terminals', async () => {
    const run = await runCli(['log', '--since', all[5]?.recordedAt as string], repo.dir, repo.env);
    expect(run.status).toBe(0);
    const [header, row, extra] = run.stdout.split('\n');
    expect(header).toMatch(
      /^#\s+recorded \(UTC\)\s+status\s+actor\s+commit\s+policy\s+models\s+datasets\s+reason$/,
    );
    expect(row).toMatch(
      /^5\s+\d{4}-\d{2}-\d{2} [\d:]+\s+ok\s+grace@example\.org\s+[0-9a-f]{8}\s+none\s+model\/model\.safetensors\s+train,eval,images\s+train version 5$/,
    );
    expect(extra).toBeUndefined();
  });

  it('refuses bad flags with exit status 2', async () => {
    const format = await runCli(['log', '--format', 'xml'], repo.dir, repo.env);
    expect(format.status).toBe(2);
    expect(format.stderr).toContain('"xml" is not a log format');
    const date = await runCli(['log', '--since', 'yesterday'], repo.dir, repo.env);
    expect(date.status).toBe(2);
    expect(date.stderr).toContain('--since: "yesterday" is not a date');
    const policy = await runCli(['log', '--policy', 'maybe'], repo.dir, repo.env);
    expect(policy.status).toBe(2);
    const store = await runCli(['log', '--store', 'nowhere'], repo.dir, repo.env);
    expect(store.status).toBe(2);
    expect(store.stderr).toContain('cannot read the ledger directory');
  });

  it('marks a record that was edited, and exits 1', async () => {
    const files = await ledgerFiles(repo);
    await tamperWithRecord(files[2] as string);
    const run = await runCli(['log'], repo.dir, repo.env);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/\n2\s+\S+ \S+\s+FAILED\s+/);
    expect(run.stdout).toMatch(/\n3\s+\S+ \S+\s+CHAIN\s+/);
    expect(run.stderr).toContain('FAIL BAD_SIGNATURE: record 2');
    expect(run.stderr).toContain('FAIL BROKEN_LINK: record 3');
    // A filter that leaves the broken records out succeeds.
    expect(
      (await runCli(['log', '--actor', 'grace@example.org', '--until', '2001-01-01'], repo.dir, repo.env))
        .status,
    ).toBe(0);
  });
});

describe('log helpers', () => {
  it('keep spreadsheet formulas out of CSV cells', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('+1 more')).toBe("'+1 more");
    expect(csvCell('-0.5')).toBe('-0.5');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell(['x', 'y'])).toBe('x;y');
    expect(csvCell(null)).toBe('');
    expect(csvCell(true)).toBe('true');
  });

  it('read whole days as the start or the end of the day, in UTC', () => {
    expect(parseDateBound('2024-05-01', 'since').toISOString()).toBe('2024-05-01T00:00:00.000Z');
    expect(parseDateBound('2024-05-01', 'until').toISOString()).toBe('2024-05-01T23:59:59.999Z');
    expect(parseDateBound('2024-05-01T12:00:00+02:00', 'since').toISOString()).toBe(
      '2024-05-01T10:00:00.000Z',
    );
    expect(() => parseDateBound('05/01/2024', 'since')).toThrow(/not a date/);
  });

  it('leave out records without a time when a time window is given', () => {
    const unreadable = { ...(all[0] as LogEntry), recordedAt: null };
    expect(filterEntries([unreadable], {})).toHaveLength(1);
    expect(filterEntries([unreadable], { since: new Date(0) })).toHaveLength(0);
  });
});
