import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { runCli } from '../support/cli.js';
import type { TempRepo } from '../support/repo.js';
import { keyedRepo, ledgerFiles, tamperWithRecord } from '../support/report-ledger.js';

/** Records the current commit with the team key; the model file is named in model-ledger.yml. */
async function recordHere(repo: TempRepo, cwd = repo.dir): Promise<void> {
  const run = await runCli(
    ['record', '--key', join(repo.dir, 'team.key.pem'), '--store', join(repo.dir, '.model-ledger')],
    cwd,
    repo.env,
  );
  expect(run.stderr).not.toMatch(/model-ledger record:/);
  expect(run.status).toBe(0);
}

async function audit(repo: TempRepo, args: string[], cwd = repo.dir) {
  return runCli(
    [
      'audit',
      'completeness',
      '--store',
      join(repo.dir, '.model-ledger'),
      '--key',
      join(repo.dir, 'team.pub.pem'),
      ...args,
    ],
    cwd,
    repo.env,
  );
}

interface JsonReport {
  completeness: {
    total: number;
    recorded: number;
    percent: number;
    summary: string;
    unrecorded: { commit: { sha: string; author: { name: string }; authorDate: string }; paths: string[] }[];
    changes: { commit: { sha: string }; coveredBy: { index: number; how: string } | null }[];
    recordsOutsideHistory: { index: number; commit: string }[];
    shallow: { boundary: { sha: string }[]; recordsNotInClone: number[]; message: string } | null;
  };
  retrieval: {
    byIndex: { index: number; ms: number };
    byDigest: { digest: string; index: number; ms: number };
    byDate: { date: string; index: number; ms: number };
  };
}

async function auditJson(
  repo: TempRepo,
  args: string[] = [],
  cwd = repo.dir,
): Promise<{ status: number; report: JsonReport }> {
  const run = await audit(repo, [...args, '--format', 'json'], cwd);
  return { status: run.status, report: JSON.parse(run.stdout) as JsonReport };
}

describe('audit completeness over forty model changes, three of them unrecorded', () => {
  let repo: TempRepo;
  const skipped = [7, 19, 33];
  const shas: string[] = [];

  beforeAll(async () => {
    repo = await keyedRepo();
    await repo.write('model-ledger.yml', 'models:\n  - models/model.bin\n');
    for (let change = 0; change < 40; change++) {
      await repo.write('models/model.bin', `weights ${change}\n`);
      shas.push(repo.commit(`train ${change}`));
      if (!skipped.includes(change)) await recordHere(repo);
      // A commit that changes nothing tracked needs no record of its own.
      if (change === 10) {
        await repo.write('README.md', 'notes\n');
        repo.commit('notes');
      }
    }
  }, 180_000);

  afterAll(() => repo.cleanup());

  it('names the three, with author, date and paths, and exits 1', async () => {
    const run = await audit(repo, []);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^37 of 40 model changes recorded, 92\.5% /);
    for (const change of skipped) {
      expect(run.stdout).toContain((shas[change] as string).slice(0, 12));
      expect(run.stdout).toContain(`train ${change}`);
    }
    expect(run.stdout).toMatch(/Ada Lovelace <ada@example.org>\s+models\/model\.bin/);
    expect(run.stdout).toMatch(
      /retrieve and verify one record: by index \d+ [\d.]+ ms; by model digest sha256:/,
    );

    const { report } = await auditJson(repo);
    expect(report.completeness.total).toBe(40);
    expect(report.completeness.recorded).toBe(37);
    expect(report.completeness.percent).toBe(92.5);
    expect(report.completeness.unrecorded.map((change) => change.commit.sha)).toEqual(
      skipped.map((change) => shas[change]),
    );
    expect(report.completeness.unrecorded[0]?.paths).toEqual(['models/model.bin']);
    expect(report.completeness.unrecorded[0]?.commit.author.name).toBe('Ada Lovelace');
    expect(Date.parse(report.completeness.unrecorded[0]?.commit.authorDate ?? '')).not.toBeNaN();
  });

  it('passes with --min 90 and fails with --min 93', async () => {
    expect((await audit(repo, ['--min', '90'])).status).toBe(0);
    expect((await audit(repo, ['--min', '93'])).status).toBe(1);
  });

  it('times retrieval by index, by model digest and by date, as numbers', async () => {
    const { report } = await auditJson(repo, ['--min', '90']);
    const { byIndex, byDigest, byDate } = report.retrieval;
    expect(typeof byIndex.ms).toBe('number');
    expect(byIndex.index).toBe(18);
    expect(byDigest.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(byDigest.index).toBe(18);
    expect(typeof byDigest.ms).toBe('number');
    expect(byDate.index).toBe(18);
    expect(typeof byDate.ms).toBe('number');
    // The digest lookup is the one `log --digest` answers.
    const log = await runCli(
      ['log', '--format', 'json', '--key', 'team.pub.pem', '--digest', byDigest.digest],
      repo.dir,
      repo.env,
    );
    expect(log.status).toBe(0);
    expect((JSON.parse(log.stdout) as { index: number }[]).map((entry) => entry.index)).toEqual([18]);
  });

  it('writes one CSV row per change', async () => {
    const run = await audit(repo, ['--format', 'csv']);
    const lines = run.stdout.split('\r\n');
    expect(lines[0]).toBe('commit,date,author,email,recorded,record,how,paths,subject');
    expect(lines).toHaveLength(41);
    expect(lines.filter((line) => line.includes(',false,'))).toHaveLength(3);
  });

  it('counts only changes committed in the --since/--until window', async () => {
    const dates = execFileSync('git', ['log', '--format=%cI', '-1'], {
      cwd: repo.dir,
      encoding: 'utf8',
    }).trim();
    const { report } = await auditJson(repo, ['--since', '2000-01-01', '--until', dates]);
    expect(report.completeness.total).toBe(40);
    const none = await auditJson(repo, ['--until', '2000-01-01']);
    expect(none.report.completeness.total).toBe(0);
    expect(none.status).toBe(0);
  });

  it('counts nothing a record that does not verify would cover, and fails', async () => {
    const files = await ledgerFiles(repo);
    const original = await readFile(files[5] as string);
    await tamperWithRecord(files[5] as string);
    try {
      const run = await audit(repo, ['--min', '50']);
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/FAIL [A-Z_]+: record 5: /);
      expect(run.stdout).toMatch(/records that did not verify and cover nothing: 5\b/);
      const { report } = await auditJson(repo, ['--min', '50']);
      expect(report.completeness.unrecorded.map((change) => change.commit.sha)).toContain(shas[5]);
    } finally {
      await writeFile(files[5] as string, original);
    }
  });

  it('refuses a bad --min, --mode or --branch', async () => {
    expect((await audit(repo, ['--min', '120'])).status).toBe(2);
    expect((await audit(repo, ['--mode', 'sometimes'])).status).toBe(2);
    const branch = await audit(repo, ['--branch', 'nowhere']);
    expect(branch.status).toBe(2);
    expect(branch.stderr).toMatch(/"nowhere" is not a commit/);
    const digest = await runCli(
      ['log', '--key', 'team.pub.pem', '--digest', 'sha256:1234'],
      repo.dir,
      repo.env,
    );
    expect(digest.status).toBe(2);
    expect(digest.stderr).toMatch(/"sha256:1234" is not a sha256 digest/);
  });
});

describe('audit completeness over merges and a rebase', () => {
  let repo: TempRepo;
  const sha: Record<string, string> = {};

  beforeAll(async () => {
    repo = await keyedRepo();
    await repo.write('model-ledger.yml', 'models:\n  - models/model.bin\n');
    await repo.write('models/model.bin', 'v0\n');
    sha.c0 = repo.commit('start');
    await recordHere(repo);
    // A feature branch with two model changes, merged with a merge commit that is recorded.
    repo.git('checkout', '-q', '-b', 'feature');
    await repo.write('models/model.bin', 'v1\n');
    sha.f1 = repo.commit('feature 1');
    await repo.write('models/model.bin', 'v2\n');
    sha.f2 = repo.commit('feature 2');
    repo.git('checkout', '-q', 'main');
    repo.git('merge', '-q', '--no-ff', 'feature', '-m', 'merge feature');
    sha.merge = repo.git('rev-parse', 'HEAD');
    await recordHere(repo);
    // A branch recorded before it was rebased onto a main that moved on.
    repo.git('checkout', '-q', '-b', 'topic');
    await repo.write('models/model.bin', 'v3\n');
    sha.r1 = repo.commit('topic 1');
    await recordHere(repo);
    repo.git('checkout', '-q', 'main');
    await repo.write('README.md', 'moved on\n');
    repo.commit('readme');
    repo.git('checkout', '-q', 'topic');
    repo.git('rebase', '-q', 'main');
    sha.rebased = repo.git('rev-parse', 'HEAD');
    repo.git('checkout', '-q', 'main');
    repo.git('merge', '-q', '--ff-only', 'topic');
    // A recorded commit whose message was amended afterwards: same tree, new sha.
    await repo.write('models/model.bin', 'v4\n');
    sha.before = repo.commit('v4');
    await recordHere(repo);
    repo.git('commit', '-q', '--amend', '-m', 'v4, reworded');
    sha.amended = repo.git('rev-parse', 'HEAD');
  }, 60_000);

  afterAll(() => repo.cleanup());

  it('first-parent, every commit: the merge is one change; the rebased commit is unrecorded', async () => {
    const { status, report } = await auditJson(repo);
    expect(status).toBe(1);
    const verdicts = Object.fromEntries(
      report.completeness.changes.map((change) => [change.commit.sha, change.coveredBy?.how ?? null]),
    );
    expect(verdicts).toEqual({
      [sha.c0 as string]: 'same-commit',
      [sha.merge as string]: 'same-commit',
      [sha.rebased as string]: null,
      [sha.amended as string]: 'same-tree',
    });
    expect(report.completeness.recordsOutsideHistory.map((record) => record.commit)).toEqual([
      sha.r1,
      sha.before,
    ]);
    const table = await audit(repo, []);
    expect(table.stdout).toMatch(/^3 of 4 model changes recorded, 75% /);
    expect(table.stdout).toContain(
      `records of commits not on this history (rebased, amended, another branch): 2 (${(sha.r1 as string).slice(0, 12)})`,
    );
  });

  it('all parents, every commit: a branch commit needs its own record or a later one before the next change', async () => {
    const { report } = await auditJson(repo, ['--all-parents']);
    const verdicts = new Map(
      report.completeness.changes.map((change) => [change.commit.sha, change.coveredBy]),
    );
    expect(verdicts.get(sha.f1 as string)).toBeNull();
    expect(verdicts.get(sha.f2 as string)).toEqual({ index: 1, commit: sha.merge, how: 'later-commit' });
    expect(verdicts.has(sha.merge as string)).toBe(false); // the merge itself changed nothing
  });

  it('all parents, every merge: the merge that brought a branch commit covers it', async () => {
    const { report } = await auditJson(repo, ['--all-parents', '--mode', 'every-merge']);
    const verdicts = new Map(
      report.completeness.changes.map((change) => [change.commit.sha, change.coveredBy]),
    );
    expect(verdicts.get(sha.f1 as string)).toEqual({ index: 1, commit: sha.merge, how: 'merge' });
    expect(verdicts.get(sha.f2 as string)).toEqual({ index: 1, commit: sha.merge, how: 'merge' });
    expect(verdicts.get(sha.rebased as string)).toBeNull();
  });

  it('walks the branch named by --branch', async () => {
    const { report } = await auditJson(repo, ['--branch', 'feature']);
    expect(report.completeness.changes.map((change) => change.commit.sha)).toEqual([sha.c0, sha.f1, sha.f2]);
  });
});

describe('audit completeness in a shallow clone', () => {
  let repo: TempRepo;
  let cloneParent: string;
  let clone: string;
  const shas: string[] = [];

  beforeAll(async () => {
    repo = await keyedRepo();
    await repo.write('model-ledger.yml', 'models:\n  - models/model.bin\n');
    for (let change = 0; change < 6; change++) {
      await repo.write('models/model.bin', `weights ${change}\n`);
      shas.push(repo.commit(`train ${change}`));
      await recordHere(repo);
    }
    cloneParent = await mkdtemp(join(tmpdir(), 'model-ledger-shallow-'));
    clone = join(cloneParent, 'clone');
    execFileSync('git', ['clone', '-q', '--depth', '3', `file://${repo.dir}`, clone]);
  }, 60_000);

  afterAll(async () => {
    await repo.cleanup();
    await rm(cloneParent, { recursive: true, force: true });
  });

  it('counts what it can see and says what it could not', async () => {
    const run = await audit(repo, [], clone);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^2 of 2 model changes recorded, 100% /);
    expect(run.stdout).toContain(
      `shallow clone: history before ${(shas[3] as string).slice(0, 12)} is not in this clone`,
    );
    expect(run.stdout).toContain('3 record(s) name commits this clone does not hold (0, 1, 2)');

    const { report } = await auditJson(repo, [], clone);
    expect(report.completeness.shallow?.boundary.map((commit) => commit.sha)).toEqual([shas[3]]);
    expect(report.completeness.shallow?.recordsNotInClone).toEqual([0, 1, 2]);
    // The boundary commit is not counted as a change: its parent is not here to compare with.
    expect(report.completeness.changes.map((change) => change.commit.sha)).toEqual([shas[4], shas[5]]);
  });

  it('replays the records whose commits it holds, and says which it cannot', async () => {
    const run = await runCli(
      [
        'audit',
        'replay',
        '--all',
        '--format',
        'json',
        '--store',
        join(repo.dir, '.model-ledger'),
        '--key',
        join(repo.dir, 'team.pub.pem'),
      ],
      clone,
      repo.env,
    );
    expect(run.status).toBe(0);
    const { replay } = JSON.parse(run.stdout) as {
      replay: {
        records: {
          index: number;
          status: string;
          reason?: string;
          sections: { section: string; status: string; notReplayable: string[] }[];
        }[];
      };
    };
    expect(replay.records.map((record) => record.status)).toEqual([
      'not-replayable',
      'not-replayable',
      'not-replayable',
      'match',
      'match',
      'match',
    ]);
    expect(replay.records[0]?.reason).toMatch(/is not in this clone/);
    const boundary = replay.records[3]?.sections.find((section) => section.section === 'commit');
    expect(boundary?.status).toBe('match');
    expect(boundary?.notReplayable).toEqual([
      `changed files: the commit they were compared with, ${shas[2]}, is not in this clone`,
    ]);
  });
});
