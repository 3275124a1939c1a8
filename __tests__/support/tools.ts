import { describe } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import { reportMissing } from './prerequisites.js';
import { readZipEntries } from './report-ledger.js';

/** Command-line tools a test runs that a fresh machine may lack (CI installs them: see .ci/run). */
export function missingTools(names: string[]): string[] {
  return names.filter((name) => spawnSync('sh', ['-c', `command -v ${name}`]).status !== 0);
}

/**
 * `describe` when every tool is on PATH, else `describe.skip` with a line saying which are missing:
 * a user's machine without jq or unzip still runs the rest of the suite.
 */
export function describeWithTools(names: string[]): typeof describe | typeof describe.skip {
  const missing = missingTools(names);
  if (missing.length === 0) return describe;
  reportMissing(`tests skipped: ${missing.join(', ')} not installed (apt-get install ${missing.join(' ')})`);
  return describe.skip;
}

/** Extracts a zip with model-ledger's own reader, so tests need no unzip to read a pack. */
export async function extractZip(zip: Buffer, dir: string): Promise<void> {
  for (const [name, bytes] of await readZipEntries(zip)) {
    if (name.endsWith('/')) continue;
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), bytes);
  }
}
