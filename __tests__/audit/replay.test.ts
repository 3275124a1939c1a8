import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { access, rm } from 'node:fs/promises';
import { join } from 'node:path';

import { replayTraining } from '../../src/audit/sections.js';
import { withWorktree } from '../../src/audit/worktree.js';
import { TrainingCollector } from '../../src/collect/training.js';
import type { CollectContext } from '../../src/collect/types.js';
import { silentLogger } from '../../src/log.js';
import { sha256Hex } from '../../src/hash/file.js';
import { runCli } from '../support/cli.js';
import { safetensorsBytes } from '../support/ml-files.js';
import type { TempRepo } from '../support/repo.js';
import { keyedRepo, ledgerFiles, recordVersion } from '../support/report-ledger.js';
import { describeWithTools } from '../support/tools.js';
import { makePredicate } from '../support/predicate.js';
import { forgeRecord } from './forge.js';

function collectContextFor(cwd: string): CollectContext {
  return { cwd, env: {}, previous: null, log: silentLogger, note: () => undefined, attach: () => undefined };
}

interface SectionJson {
  section: string;
  status: string;
  differences: { field: string; recorded: unknown; rebuilt: unknown }[];
  notReplayable: string[];
}
interface ReplayJson {
  replay: {
    tried: number;
    matched: number;
    mismatched: number;
    rate: number | null;
    summary: string;
    records: { index: number; status: string; reason?: string; sections: SectionJson[] }[];
    neverReplayable: { section: string }[];
  };
  retrieval: { byIndex: { ms: number }; byDigest: { ms: number }; byDate: { ms: number } };
}

async function replay(repo: TempRepo, args: string[]) {
  return runCli(['audit', 'replay', '--key', 'team.pub.pem', ...args], repo.dir, repo.env);
}

async function replayJson(repo: TempRepo, args: string[]): Promise<{ status: number; report: ReplayJson }> {
  const run = await replay(repo, [...args, '--format', 'json']);
  return { status: run.status, report: JSON.parse(run.stdout) as ReplayJson };
}

function statuses(record: { sections: SectionJson[] }): Record<string, string> {
  return Object.fromEntries(record.sections.map((section) => [section.section, section.status]));
}

function worktrees(repo: TempRepo): string[] {
  return repo
    .git('worktree', 'list', '--porcelain')
    .split('\n')
    .filter((line) => line.startsWith('worktree '));
}

describe('audit replay', () => {
  let repo: TempRepo;

  beforeAll(async () => {
    repo = await keyedRepo();
    for (let v = 0; v < 4; v++) await recordVersion(repo, v);
  }, 60_000);

  afterAll(() => repo.cleanup());

  it('a clean ledger matches in every replayable section', async () => {
    const { status, report } = await replayJson(repo, ['--all']);
    expect(status).toBe(0);
    expect(report.replay.tried).toBe(4);
    expect(report.replay.matched).toBe(4);
    expect(report.replay.rate).toBe(100);
    for (const record of report.replay.records) {
      expect(statuses(record)).toEqual({
        commit: 'match',
        dependencies: 'match',
        models: 'match',
        datasets: 'match',
        training: 'match',
        policy: 'not-replayable',
      });
    }
    expect(report.replay.neverReplayable.map((item) => item.section)).toEqual([
      'change',
      'environment',
      'signing',
      'commit context',
    ]);
    expect(typeof report.retrieval.byDigest.ms).toBe('number');
    expect(worktrees(repo)).toHaveLength(1);
    const table = await replay(repo, ['--all']);
    expect(table.stdout).toContain('replay: 4 of 4 replayed records match, 100%');
    expect(table.stdout).toContain('not replayable from the repository: change (');
    expect(table.stdout).toMatch(/retrieve and verify one record: by index 2 /);
  });

  it('replays the records named, or a repeatable sample', async () => {
    const one = await replayJson(repo, ['1', '3']);
    expect(one.report.replay.records.map((record) => record.index)).toEqual([1, 3]);
    const first = await replayJson(repo, ['--sample', '2', '--seed', '7']);
    const again = await replayJson(repo, ['--sample', '2', '--seed', '7']);
    expect(first.report.replay.records).toHaveLength(2);
    expect(again.report.replay.records.map((record) => record.index)).toEqual(
      first.report.replay.records.map((record) => record.index),
    );
    expect((await replay(repo, ['9'])).stderr).toMatch(/the ledger has no record 9/);
    expect((await replay(repo, [])).status).toBe(2);
    expect((await replay(repo, ['--all', '--seed', '3'])).status).toBe(2);
  });

  it('names a record forged from a different lockfile and re-signed with the real key, and its section', async () => {
    const forgedLockfile = 'numpy==1.0.0\ntorch==2.0.0\npandas==2.2.0\n';
    await forgeRecord(join(repo.dir, '.model-ledger'), join(repo.dir, 'team.key.pem'), 2, (statement) => {
      const lockfile = statement.predicate.dependencies.lockfiles[0];
      if (!lockfile) throw new Error('the record has no lockfile');
      lockfile.sha256 = sha256Hex(forgedLockfile);
      lockfile.packages = lockfile.packages.map((pkg) =>
        pkg.name === 'numpy' ? { ...pkg, version: '1.0.0', purl: 'pkg:pypi/numpy@1.0.0' } : pkg,
      );
    });
    // Every record's signature verifies: the forger holds the key. (Checkpoints, where the ledger
    // keeps them, show the rewrite too; replay shows what was changed without them.)
    const verify = await runCli(['verify', '--key', 'team.pub.pem', '--json'], repo.dir, repo.env);
    const problems = (JSON.parse(verify.stdout) as { problems: { code: string }[] }).problems;
    expect(
      problems.filter((problem) =>
        ['BAD_SIGNATURE', 'UNKNOWN_SIGNER', 'SCHEMA', 'BROKEN_LINK'].includes(problem.code),
      ),
    ).toEqual([]);

    const { status, report } = await replayJson(repo, ['--all']);
    expect(status).toBe(1);
    expect(report.replay.mismatched).toBe(1);
    expect(report.replay.rate).toBe(75);
    const forged = report.replay.records.find((record) => record.index === 2);
    expect(forged?.status).toBe('mismatch');
    expect(statuses(forged as { sections: SectionJson[] })).toMatchObject({
      dependencies: 'mismatch',
      models: 'match',
    });
    const fields = forged?.sections.find((section) => section.section === 'dependencies')?.differences;
    expect(fields?.map((difference) => difference.field)).toEqual([
      'dependencies.lockfiles[requirements.txt].sha256',
      'dependencies.lockfiles[requirements.txt].packages',
    ]);
    expect(fields?.[1]).toEqual({
      field: 'dependencies.lockfiles[requirements.txt].packages',
      recorded: ['pkg:pypi/numpy@1.0.0'],
      rebuilt: ['pkg:pypi/numpy@1.22.0'],
    });
    const table = await replay(repo, ['--all']);
    expect(table.status).toBe(1);
    expect(table.stdout).toMatch(
      /record 2 \([0-9a-f]{12}\): MISMATCH\n(.*\n)*? {2}dependencies +MISMATCH\n {4}dependencies\.lockfiles\[requirements\.txt\]\.sha256: recorded /,
    );
    expect(table.stdout).toContain('replay: 3 of 4 replayed records match, 75%');
    expect(worktrees(repo)).toHaveLength(1);
  });
});

describe('audit replay of a record made from a lockfile its commit does not hold', () => {
  let repo: TempRepo;

  beforeAll(async () => {
    repo = await keyedRepo();
    for (let v = 0; v < 2; v++) await recordVersion(repo, v);
    // Signed with the real key at record time, from a lockfile that was never committed.
    await repo.write('requirements.txt', 'numpy==1.0.0\ntorch==2.1.0\n');
    const run = await runCli(
      [
        'record',
        '--key',
        'team.key.pem',
        '--models',
        'model/model.safetensors',
        '--reason',
        'same commit, other lockfile',
      ],
      repo.dir,
      repo.env,
    );
    expect(run.status).toBe(0);
    repo.git('checkout', '--', 'requirements.txt');
  }, 60_000);

  afterAll(() => repo.cleanup());

  it('verifies, but does not replay: the record and its dependencies section are named', async () => {
    expect((await runCli(['verify', '--key', 'team.pub.pem'], repo.dir, repo.env)).status).toBe(0);
    const { status, report } = await replayJson(repo, ['--all']);
    expect(status).toBe(1);
    expect(report.replay.records.map((record) => record.status)).toEqual(['match', 'match', 'mismatch']);
    const forged = report.replay.records[2] as ReplayJson['replay']['records'][number];
    expect(statuses(forged)).toMatchObject({ commit: 'match', dependencies: 'mismatch', models: 'match' });
    const dependencies = forged.sections.find((section) => section.section === 'dependencies');
    expect(dependencies?.differences).toContainEqual({
      field: 'dependencies.lockfiles[requirements.txt].packages',
      recorded: ['pkg:pypi/numpy@1.0.0'],
      rebuilt: ['pkg:pypi/numpy@1.21.0'],
    });
  });
});

describe('audit replay of what is not in git', () => {
  let repo: TempRepo;

  beforeAll(async () => {
    repo = await keyedRepo();
    await repo.write('.gitignore', '.home/\n.model-ledger/\nteam.key.pem\nbuild/\n');
    await repo.write(
      'build/model.safetensors',
      safetensorsBytes([{ name: 'w', dtype: 'F32', shape: [2, 2] }]),
    );
    await repo.write('requirements.txt', 'numpy==1.26.0\n');
    repo.commit('built, not committed');
    const run = await runCli(
      [
        'record',
        '--key',
        'team.key.pem',
        '--models',
        'build/model.safetensors',
        '--datasets',
        'hf://datasets/org/data@abc123',
      ],
      repo.dir,
      repo.env,
    );
    expect(run.status).toBe(0);
  }, 60_000);

  afterAll(() => repo.cleanup());

  it('lists build outputs and referenced data as not replayable, never as matches', async () => {
    const { status, report } = await replayJson(repo, ['0']);
    expect(status).toBe(0);
    const record = report.replay.records[0] as ReplayJson['replay']['records'][number];
    expect(statuses(record)).toEqual({
      commit: 'match',
      dependencies: 'match',
      models: 'not-replayable',
      datasets: 'not-replayable',
      training: 'not-replayable',
      policy: 'not-replayable',
    });
    expect(report.replay.summary).toBe('1 of 1 replayed record matches, 100%');
    expect(record.sections.find((section) => section.section === 'training')?.notReplayable).toEqual([
      'the record has no training description',
    ]);
    const models = record.sections.find((section) => section.section === 'models');
    expect(models?.notReplayable).toEqual([
      'model build/model.safetensors is not in the commit (built or fetched, not committed)',
    ]);
  });

  it('compares values, not the order their keys were written in', async () => {
    await repo.write('training.yaml', 'seed: 42\nmetrics:\n  auc: 0.91\n  loss: 0.2\n');
    const section = await new TrainingCollector({ path: 'training.yaml' }).collect(
      collectContextFor(repo.dir),
    );
    if (!section) throw new Error('no training section');
    const reordered = { ...section, run: { metrics: { loss: 0.2, auc: 0.91 }, seed: 42 } };
    const same = await replayTraining({
      dir: repo.dir,
      predicate: makePredicate({ training: reordered }),
      previous: null,
    });
    expect(same.status).toBe('match');
    const changed = { ...section, run: { metrics: { loss: 0.2, auc: 0.95 }, seed: 42 } };
    const differs = await replayTraining({
      dir: repo.dir,
      predicate: makePredicate({ training: changed }),
      previous: null,
    });
    expect(differs.status).toBe('mismatch');
    expect(differs.differences.map((difference) => difference.field)).toEqual(['training.run']);
  });

  it('removes the temporary worktree even when the work fails', async () => {
    let dir = '';
    await expect(
      withWorktree(repo.dir, 'HEAD', async (tree) => {
        dir = tree;
        await access(join(tree, 'requirements.txt'));
        throw new Error('interrupted');
      }),
    ).rejects.toThrow('interrupted');
    await expect(access(dir)).rejects.toThrow();
    expect(worktrees(repo)).toHaveLength(1);
  });
});

describeWithTools(['git-lfs'])('audit replay of git-lfs models', () => {
  let repo: TempRepo;

  beforeAll(async () => {
    repo = await keyedRepo();
    repo.git('lfs', 'install', '--local');
    repo.git('lfs', 'track', '*.safetensors');
    await repo.write(
      'model/model.safetensors',
      safetensorsBytes([{ name: 'w', dtype: 'F32', shape: [8, 8] }]),
    );
    repo.commit('model in lfs');
    const run = await runCli(
      ['record', '--key', 'team.key.pem', '--models', 'model/model.safetensors'],
      repo.dir,
      repo.env,
    );
    expect(run.status).toBe(0);
  }, 60_000);

  afterAll(() => repo.cleanup());

  it('rebuilds a model stored in git-lfs from its object', async () => {
    expect(repo.git('show', 'HEAD:model/model.safetensors')).toMatch(
      /^version https:\/\/git-lfs\.github\.com\/spec\/v1/,
    );
    const { status, report } = await replayJson(repo, ['0']);
    expect(status).toBe(0);
    expect(statuses(report.replay.records[0] as { sections: SectionJson[] }).models).toBe('match');
  });

  it('says when the LFS object is not there', async () => {
    const files = await ledgerFiles(repo);
    expect(files).toHaveLength(1);
    // As on a machine that checks out LFS pointers without their content.
    process.env.GIT_LFS_SKIP_SMUDGE = '1';
    try {
      const { report } = await replayJson(repo, ['0']);
      const models = report.replay.records[0]?.sections.find((section) => section.section === 'models');
      expect(models?.status).toBe('not-replayable');
      expect(models?.notReplayable[0]).toMatch(/is a git-lfs pointer whose content is not available here/);
    } finally {
      delete process.env.GIT_LFS_SKIP_SMUDGE;
    }
  });

  it('does not replay a record whose commit cannot be checked out, and leaves no worktree behind', async () => {
    await rm(join(repo.dir, '.git', 'lfs', 'objects'), { recursive: true, force: true });
    const { status, report } = await replayJson(repo, ['0']);
    expect(status).toBe(0);
    expect(report.replay.records[0]?.status).toBe('not-replayable');
    expect(report.replay.records[0]?.reason).toMatch(
      /^cannot check out [0-9a-f]{40} in a temporary worktree: /,
    );
    expect(report.replay.summary).toBe('no record could be replayed (1 not replayable)');
    expect(worktrees(repo)).toHaveLength(1);
  });
});
