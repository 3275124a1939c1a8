/**
 * A commit checked out on its own, beside the user's working tree: `git worktree add --detach`
 * in a temporary folder, removed afterwards whatever happens, so a replay never touches the
 * files the user is working on.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { runGit } from '../git/command.js';
import { LedgerError } from '../errors.js';

/** The commit could not be checked out (a git-lfs object that cannot be fetched, a corrupt object...). */
export class WorktreeUnavailable extends LedgerError {
  constructor(message: string) {
    super('GIT', message, {
      fix: 'check that the clone is complete (`git fsck`) and that git-lfs objects can be fetched',
    });
    this.name = 'WorktreeUnavailable';
  }
}

/** Runs `work` in a temporary worktree at `commit`; the worktree is removed even when `work` throws. */
export async function withWorktree<T>(
  cwd: string,
  commit: string,
  work: (dir: string) => Promise<T>,
): Promise<T> {
  const base = await mkdtemp(join(tmpdir(), 'model-ledger-replay-'));
  const dir = join(base, 'tree');
  try {
    const added = await runGit(cwd, ['worktree', 'add', '--detach', '--quiet', dir, commit]);
    if (!added.ok) {
      throw new WorktreeUnavailable(
        `cannot check out ${commit} in a temporary worktree: ${added.stderr.trim() || 'git gave no reason'}`,
      );
    }
    return await work(dir);
  } finally {
    const removed = await runGit(cwd, ['worktree', 'remove', '--force', dir]);
    await rm(base, { recursive: true, force: true });
    // A worktree that could not be removed cleanly leaves an entry behind: prune it.
    if (!removed.ok) await runGit(cwd, ['worktree', 'prune']);
  }
}

/** Whether a commit is in this clone. */
export async function hasCommit(cwd: string, sha: string): Promise<boolean> {
  return (await runGit(cwd, ['cat-file', '-e', `${sha}^{commit}`])).ok;
}
