/**
 * One rule for the paths a record names (models, datasets, training, lockfiles): relative to the
 * repository root, whichever folder the command runs from; an absolute path inside the
 * repository is accepted and recorded repository-relative; anything outside the repository is
 * refused, since a record's subjects and files are named relative to the repository it describes.
 */
import { realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

import { LedgerError } from '../errors.js';
import { runGit } from '../git/command.js';

/**
 * The repository root `cwd` is in (what `git rev-parse --show-toplevel` says); `cwd` itself
 * outside git. The nearest folder holding a `.git` directory or `.git` file (a worktree, a
 * submodule) is found without starting git, which costs a read command a process; git is asked
 * when the environment steers its discovery (GIT_DIR, GIT_WORK_TREE, GIT_CEILING_DIRECTORIES…)
 * or no `.git` is found.
 */
export async function repositoryRoot(
  cwd: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<string> {
  const steered = Object.keys(env).some((name) => GIT_DISCOVERY.has(name));
  const found = steered ? null : nearestGitFolder(resolve(cwd));
  // As git gives it: with symbolic links resolved.
  if (found !== null) return realpathSync(found);
  const top = await runGit(cwd, ['rev-parse', '--show-toplevel']);
  const root = top.ok ? top.stdout.trim() : '';
  return root === '' ? resolve(cwd) : resolve(root);
}

const GIT_DISCOVERY = new Set([
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_CEILING_DIRECTORIES',
  'GIT_DISCOVERY_ACROSS_FILESYSTEM',
  'GIT_COMMON_DIR',
]);

/** The nearest of `start` and its parents with a `.git` folder (holding HEAD) or `.git` file. */
function nearestGitFolder(start: string): string | null {
  for (let folder = start; ; folder = dirname(folder)) {
    const dotGit = join(folder, '.git');
    const stats = statSync(dotGit, { throwIfNoEntry: false });
    if (stats?.isFile()) return folder;
    if (stats?.isDirectory() && statSync(join(dotGit, 'HEAD'), { throwIfNoEntry: false })?.isFile())
      return folder;
    if (dirname(folder) === folder) return null;
  }
}

/**
 * `given` (a path or a glob) as a repository-relative POSIX path; `.` for the root itself.
 * Throws BAD_INPUT naming the path and the field when it leads outside the repository.
 */
export function repositoryRelative(root: string, given: string, field: string): string {
  const trimmed = given.replace(/\/+$/, '');
  const absolute = isAbsolute(trimmed) ? resolve(trimmed) : resolve(root, trimmed);
  const inside = relative(root, absolute);
  if (inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
    throw new LedgerError('BAD_INPUT', `"${given}" is outside the repository (${root})`, {
      field,
      fix: 'paths are relative to the repository root; move the file into the repository, or record it from the repository it belongs to',
    });
  }
  return inside === '' ? '.' : inside.split(sep).join('/');
}
