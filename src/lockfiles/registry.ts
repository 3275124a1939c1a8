/** Every lockfile parser, and the choice of one for a file. */
import { cargoParser } from './cargo.js';
import { condaEnvironmentParser, condaExplicitParser } from './conda.js';
import { condaLockParser } from './conda-lock.js';
import { goSumParser } from './gosum.js';
import { npmParser } from './npm.js';
import { pipfileParser } from './pipfile.js';
import { pnpmParser } from './pnpm.js';
import { poetryParser } from './poetry.js';
import { requirementsParser } from './requirements.js';
import type { LockfileParser } from './types.js';
import { uvParser } from './uv.js';
import { yarnParser } from './yarn.js';

export const lockfileParsers: readonly LockfileParser[] = [
  npmParser,
  yarnParser,
  pnpmParser,
  requirementsParser,
  poetryParser,
  uvParser,
  pipfileParser,
  condaEnvironmentParser,
  condaExplicitParser,
  condaLockParser,
  cargoParser,
  goSumParser,
];

/** The parser whose file names match this repo-relative POSIX path, if any. */
export function parserForPath(path: string): LockfileParser | undefined {
  return lockfileParsers.find((parser) => parser.matches(path));
}

/**
 * The parser for a file whose text is known: a requirements-style `.txt` that starts with
 * `@EXPLICIT` is a conda explicit lock file, whatever its name.
 */
export function parserFor(path: string, text: string): LockfileParser | undefined {
  const byPath = parserForPath(path);
  if (byPath === requirementsParser && /^@EXPLICIT\s*$/m.test(text)) return condaExplicitParser;
  return byPath;
}
