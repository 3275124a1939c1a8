/**
 * One rule for the paths a record names (models, datasets, training, lockfiles): relative to the
 * repository root, whichever folder the command runs from; an absolute path inside the
 * repository is accepted and recorded repository-relative; anything outside the repository is
 * refused, since a record's subjects and files are named relative to the repository it describes.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';

import { LedgerError } from '../errors.js';
import { runGit } from '../git/command.js';

/** The repository root `cwd` is in (`git rev-parse --show-toplevel`); `cwd` itself outside git. */
export async function repositoryRoot(cwd: string): Promise<string> {
  const top = await runGit(cwd, ['rev-parse', '--show-toplevel']);
  const root = top.ok ? top.stdout.trim() : '';
  return root === '' ? resolve(cwd) : resolve(root);
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
