import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdir, realpath, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { repositoryRoot } from '../../src/fs/repo-path.js';
import { tempDir, type TempDir } from '../support/ml-files.js';

/**
 * The repository root, found as `git rev-parse --show-toplevel` finds it — from a subfolder, in a
 * worktree (a `.git` file), through a symbolic link, outside any repository — and by git itself where the environment
 * steers git's discovery.
 */
let temp: TempDir;
let base: string;
beforeEach(async () => {
  temp = await tempDir('model-ledger-repo-path-');
  base = await realpath(temp.dir);
});
afterEach(() => temp.cleanup());

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } });
const gitTop = (cwd: string) => git(cwd, 'rev-parse', '--show-toplevel').trim();

describe('repositoryRoot', () => {
  it('is what git says from the root, a subfolder and a linked worktree', async () => {
    const repo = join(base, 'repo');
    await mkdir(join(repo, 'models', 'deep'), { recursive: true });
    git(base, 'init', '-q', '-b', 'main', repo);
    await writeFile(join(repo, 'README'), 'x');
    git(repo, 'add', 'README');
    git(repo, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'first');
    git(repo, 'worktree', 'add', '-q', join(base, 'linked'));
    await symlink(repo, join(base, 'alias'));
    for (const cwd of [
      repo,
      join(repo, 'models', 'deep'),
      join(base, 'linked'),
      join(base, 'alias', 'models'),
    ]) {
      expect(await repositoryRoot(cwd, {})).toBe(gitTop(cwd));
    }
  });

  it('is the folder itself outside any repository, and a .git folder without HEAD is none', async () => {
    const outside = join(base, 'plain', 'sub');
    await mkdir(join(base, 'plain', '.git'), { recursive: true });
    await mkdir(outside, { recursive: true });
    // No HEAD: not a repository to git either, which then decides (here: none up to /tmp's root).
    const expected = (() => {
      try {
        return gitTop(outside);
      } catch {
        return outside;
      }
    })();
    expect(await repositoryRoot(outside, {})).toBe(expected);
  });

  it('asks git when the environment steers its discovery', async () => {
    const repo = join(base, 'steered');
    const elsewhere = join(base, 'work');
    await mkdir(elsewhere, { recursive: true });
    git(base, 'init', '-q', '-b', 'main', repo);
    // GIT_DIR names a repository whose work tree is GIT_WORK_TREE: git's root, not the nearest .git.
    // git runs with this process's environment, as the CLI's is.
    const saved = { GIT_DIR: process.env.GIT_DIR, GIT_WORK_TREE: process.env.GIT_WORK_TREE };
    process.env.GIT_DIR = join(repo, '.git');
    process.env.GIT_WORK_TREE = elsewhere;
    try {
      expect(await repositoryRoot(repo, process.env)).toBe(elsewhere);
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});
