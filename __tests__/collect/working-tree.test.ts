import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { parsePorcelainStatus, workingTreeState } from '../../src/collect/commit.js';
import type { Statement } from '../../src/record/predicate.js';
import { runCli } from '../support/cli.js';
import { createTempRepo, type TempRepo } from '../support/repo.js';

/**
 * Uncommitted changes: recorded (clean or dirty, and which named paths), warned about on the
 * terminal, shown in the views, and refusable by policy.
 */
let repo: TempRepo;
beforeEach(async () => {
  repo = await createTempRepo();
  await repo.write('data/train/a.csv', 'a,b\n1,2\n');
  await repo.write('train.yaml', 'seed: 42\nmetrics:\n  auc: 0.8\n');
  await repo.write('requirements.txt', 'numpy==1.26.0\n');
  await repo.write('notes.md', 'notes\n');
  repo.commit('inputs');
  // The model is the build's output: never committed.
  await repo.write('models/model.bin', 'weights');
});
afterEach(async () => {
  await repo.cleanup();
});

const ARGS = ['--models', 'models/model.bin', '--datasets', 'data/train', '--training', 'train.yaml'];

async function record(...extra: string[]) {
  const run = await runCli(['record', '--json', ...ARGS, ...extra], repo.dir, repo.env);
  const parsed = run.status === 0 ? (JSON.parse(run.stdout) as { bundlePath: string }) : null;
  const statement = parsed
    ? (JSON.parse(
        Buffer.from(
          (JSON.parse(await readFile(parsed.bundlePath, 'utf8')) as { dsseEnvelope: { payload: string } })
            .dsseEnvelope.payload,
          'base64',
        ).toString('utf8'),
      ) as Statement)
    : null;
  return { ...run, statement };
}

describe('git status', () => {
  it('is parsed from porcelain v1 -z output', () => {
    expect(
      parsePorcelainStatus(
        ' M data/a.csv\0M  train.yaml\0?? new/\0D  gone.txt\0UU conflict\0R  new\0old\0 T link\0',
      ),
    ).toEqual([
      { path: 'data/a.csv', status: 'modified' },
      { path: 'train.yaml', status: 'modified' },
      { path: 'new/', status: 'untracked' },
      { path: 'gone.txt', status: 'deleted' },
      { path: 'conflict', status: 'unmerged' },
      { path: 'new', status: 'renamed' },
      { path: 'link', status: 'type-changed' },
    ]);
  });

  it('counts untracked outputs as clean, untracked inputs as dirty', () => {
    const state = workingTreeState(
      [
        { path: 'models/', status: 'untracked' },
        { path: 'data/train/b.csv', status: 'untracked' },
        { path: 'notes.md', status: 'modified' },
      ],
      { outputs: ['models/model.bin'], inputs: ['data/train', 'requirements.txt'] },
    );
    expect(state).toEqual({
      state: 'dirty',
      dirty: [{ path: 'data/train/b.csv', status: 'untracked' }],
      otherChanges: 2,
    });
  });
});

describe('record', () => {
  it('records a clean tree when only unnamed files and untracked outputs differ', async () => {
    await repo.write('notes.md', 'edited, but not part of the record\n');
    const run = await record();
    expect(run.status).toBe(0);
    expect(run.statement?.predicate.commit?.workingTree).toEqual({
      state: 'clean',
      dirty: [],
      otherChanges: 2,
    });
    expect(run.stderr).not.toContain('uncommitted');
  });

  it('records and warns about uncommitted edits to a dataset, the training file and a lockfile', async () => {
    await repo.write('data/train/a.csv', 'a,b\n1,3\n');
    await repo.write('data/train/extra.csv', 'a,b\n5,6\n');
    await repo.write('train.yaml', 'seed: 7\nmetrics:\n  auc: 0.9\n');
    await repo.write('requirements.txt', 'numpy==2.0.0\n');
    const run = await record();
    expect(run.status).toBe(0);
    expect(run.statement?.predicate.commit?.workingTree).toEqual({
      state: 'dirty',
      dirty: [
        { path: 'data/train/a.csv', status: 'modified' },
        { path: 'requirements.txt', status: 'modified' },
        { path: 'train.yaml', status: 'modified' },
        { path: 'data/train/extra.csv', status: 'untracked' },
      ],
      otherChanges: 1,
    });
    expect(run.stderr).toMatch(
      /^warning: uncommitted changes to what this record names: data\/train\/a\.csv \(modified\), requirements\.txt \(modified\), train\.yaml \(modified\), data\/train\/extra\.csv \(untracked\); the commit [0-9a-f]{12} does not hold them$/m,
    );
  });

  it('shows the state in log and diff', async () => {
    expect((await record()).status).toBe(0);
    await repo.write('train.yaml', 'seed: 7\n');
    expect((await record()).status).toBe(0);
    const log = await runCli(['log', '--json'], repo.dir, repo.env);
    const entries = JSON.parse(log.stdout) as { workingTree: string; dirtyPaths: string[] }[];
    expect(entries.map((entry) => [entry.workingTree, entry.dirtyPaths])).toEqual([
      ['clean', []],
      ['dirty', ['train.yaml']],
    ]);
    const table = await runCli(['log'], repo.dir, repo.env);
    expect(table.stdout).toMatch(/^1 .*[0-9a-f]{8}\+dirty/m);
    const diff = await runCli(['diff', '0', '1'], repo.dir, repo.env);
    expect(diff.stdout).toContain('| Working tree | clean | dirty: train.yaml |');
    expect(diff.stdout).toContain('record 1 was made with uncommitted changes');
  });

  it('is refused by a policy that asks for a clean working tree', async () => {
    await repo.write('model-ledger.policy.yml', 'version: 1\nworking-tree:\n  clean: true\n');
    repo.commit('policy');
    await repo.write('models/model.bin', 'weights');
    const clean = await record();
    expect(clean.status).toBe(0);
    expect(clean.statement?.predicate.policy?.results).toContainEqual(
      expect.objectContaining({ rule: 'working-tree.clean', outcome: 'pass' }),
    );
    await repo.write('data/train/a.csv', 'changed\n');
    const dirty = await runCli(['record', ...ARGS], repo.dir, repo.env);
    expect(dirty.status).toBe(1);
    expect(dirty.stderr).toContain(
      '  - working-tree.clean: uncommitted changes to data/train/a.csv (modified)',
    );
    // So is an uncommitted edit to the policy itself.
    await repo.write('data/train/a.csv', 'a,b\n1,2\n');
    await repo.write(
      'model-ledger.policy.yml',
      'version: 1\nworking-tree:\n  clean: true\n  level: enforce\n',
    );
    const policyEdited = await runCli(['record', ...ARGS], repo.dir, repo.env);
    expect(policyEdited.status).toBe(1);
    expect(policyEdited.stderr).toContain('model-ledger.policy.yml (modified)');
  });
});

describe('the terminal says', () => {
  it('when the same commit is recorded again', async () => {
    const first = await record();
    expect(first.stderr).not.toContain('already describes');
    const again = await record();
    expect(again.status).toBe(0);
    expect(again.stderr).toMatch(/^warning: commit [0-9a-f]{12} is the commit record 0 already describes/m);
  });

  it('outside a git repository, and in one with no commit', async () => {
    const plain = await mkdtemp(join(tmpdir(), 'model-ledger-nogit-'));
    try {
      await runCli(['keygen', '--out', 'k'], plain, repo.env);
      await repo.write('../' + plain.split('/').at(-1) + '/m.bin', 'w');
      const run = await runCli(['record', '--key', 'k.key.pem', '--models', 'm.bin'], plain, repo.env);
      expect(run.status).toBe(0);
      expect(run.stderr).toContain(
        'warning: the working directory is not a git repository: the record names no commit',
      );
    } finally {
      await rm(plain, { recursive: true, force: true });
    }
    const empty = await createTempRepo();
    try {
      await empty.write('m.bin', 'w');
      const run = await runCli(['record', '--models', 'm.bin'], empty.dir, empty.env);
      expect(run.status).toBe(0);
      expect(run.stderr).toContain(
        'warning: the git repository has no commit yet: the record names no commit',
      );
    } finally {
      await empty.cleanup();
    }
  });
});
