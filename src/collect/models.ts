import { lstat } from 'node:fs/promises';
import { join } from 'node:path';

import { LedgerError, describeError, errnoCode } from '../errors.js';
import { compareBytewise, expandGlob, hasGlobMagic } from '../fs/glob.js';
import { hashFile } from '../hash/file.js';
import type { ModelEntry } from '../record/predicate.js';
import type { Collector, CollectContext } from './types.js';

export interface ModelsOptions {
  /** Globs or paths, relative to the repository root. */
  patterns: string[];
}

/** Repository-relative paths of the model files a list of patterns names; every pattern must match. */
export async function resolveModelPaths(cwd: string, patterns: string[]): Promise<string[]> {
  const found = new Set<string>();
  for (const pattern of patterns) {
    if (hasGlobMagic(pattern)) {
      const matches = await expandGlob(cwd, pattern);
      if (matches.length === 0) {
        throw new LedgerError('BAD_INPUT', `the glob "${pattern}" matches no file`, {
          field: 'models',
          fix: 'check the pattern against the repository layout, relative to the repository root',
        });
      }
      matches.forEach((match) => found.add(match));
    } else {
      const relative = pattern.replace(/^\.\//, '').replace(/\/+$/, '');
      await assertRegularFile(cwd, relative);
      found.add(relative);
    }
  }
  return [...found].sort(compareBytewise);
}

async function assertRegularFile(cwd: string, relative: string): Promise<void> {
  let stats;
  try {
    stats = await lstat(join(cwd, relative));
  } catch (error) {
    const missing = errnoCode(error) === 'ENOENT';
    throw new LedgerError(
      'BAD_INPUT',
      missing ? 'model file not found' : `cannot read (${describeError(error)})`,
      {
        file: relative,
        field: 'models',
        cause: error,
        fix: missing ? 'build the model before recording, or fix the path' : 'check the file permissions',
      },
    );
  }
  if (!stats.isFile()) {
    throw new LedgerError('BAD_INPUT', 'is not a regular file', {
      file: relative,
      field: 'models',
      fix: 'name model files, or a glob such as "models/**/*.safetensors"',
    });
  }
}

/** Each model file: its plain SHA-256 (the in-toto subject digest) and size. */
export class ModelsCollector implements Collector<'models'> {
  readonly section = 'models';
  constructor(private readonly options: ModelsOptions) {}

  async collect(context: CollectContext): Promise<ModelEntry[]> {
    if (this.options.patterns.length === 0) return [];
    const paths = await resolveModelPaths(context.cwd, this.options.patterns);
    const entries: ModelEntry[] = [];
    for (const name of paths) {
      const digest = await hashFile(join(context.cwd, name));
      entries.push({ name, kind: 'file', digest: { sha256: digest.sha256 }, size: digest.size });
    }
    context.log.info(`models: ${entries.length} file(s) hashed`);
    return entries;
  }
}
