import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A real git repository in a temp dir, with a fixed identity so commits are reproducible. */
export interface TempRepo {
  dir: string;
  /** Environment for the run: HOME and XDG dirs inside the temp dir, no CI variables. */
  env: Record<string, string>;
  git(...args: string[]): string;
  write(path: string, content: string | Buffer): Promise<void>;
  commit(message: string): string;
  cleanup(): Promise<void>;
}

export async function createTempRepo(): Promise<TempRepo> {
  const dir = await mkdtemp(join(tmpdir(), 'model-ledger-test-'));
  await mkdir(join(dir, '.home'));
  const repo = repoAt(dir);
  repo.git('init', '-q', '-b', 'main');
  repo.git('config', 'commit.gpgsign', 'false');
  await writeFile(join(dir, '.gitignore'), '.home/\n.model-ledger/\n');
  return repo;
}

/** A copy of a repository (work tree, history, ledger, home), for tests that start from one state. */
export async function copyTempRepo(template: TempRepo): Promise<TempRepo> {
  const dir = await mkdtemp(join(tmpdir(), 'model-ledger-test-'));
  await cp(template.dir, dir, { recursive: true });
  return repoAt(dir);
}

function repoAt(dir: string): TempRepo {
  const home = join(dir, '.home');
  const env: Record<string, string> = {
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_CACHE_HOME: join(home, '.cache'),
    PATH: process.env.PATH ?? '/usr/bin:/bin',
  };
  const gitEnv = {
    ...env,
    GIT_AUTHOR_NAME: 'Ada Lovelace',
    GIT_AUTHOR_EMAIL: 'ada@example.org',
    GIT_COMMITTER_NAME: 'Ada Lovelace',
    GIT_COMMITTER_EMAIL: 'ada@example.org',
    GIT_CONFIG_NOSYSTEM: '1',
  };
  const git = (...args: string[]): string =>
    execFileSync('git', args, { cwd: dir, env: gitEnv, encoding: 'utf8' }).trim();
  return {
    dir,
    env,
    git,
    async write(path, content) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), content);
    },
    commit(message) {
      git('add', '-A');
      git('commit', '-q', '-m', message);
      return git('rev-parse', 'HEAD');
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
