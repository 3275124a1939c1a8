import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

import { writeOut, type Output } from '../src/cli/output.js';
import { fillLedger } from './support/fill-ledger.js';
import { tempDir, type TempDir } from './support/ml-files.js';

/** Encoded text reaches stdout byte for byte, through `outBytes` where there is one, else decoded. */
describe('writeOut', () => {
  const text = 'ünïcode ✓ and "quotes"\n{"index": 0}';
  const bytes = Buffer.from(text, 'utf8');

  it('hands the bytes to outBytes unchanged, and decodes them for an output without it', () => {
    const seen: unknown[] = [];
    const withBytes: Output = {
      out: (line) => seen.push(['out', line]),
      err: () => undefined,
      outBytes: (given) => seen.push(['bytes', given]),
    };
    writeOut(withBytes, bytes);
    expect(seen).toEqual([['bytes', bytes]]);
    const plain: string[] = [];
    writeOut({ out: (line) => plain.push(line), err: () => undefined }, bytes);
    expect(plain).toEqual([text]);
  });
});

describe('the built CLI on stdout', () => {
  let temp: TempDir;
  beforeAll(async () => {
    temp = await tempDir('model-ledger-cli-output-');
    await fillLedger(join(temp.dir, '.model-ledger'), 5);
  });
  afterAll(() => temp.cleanup());

  it('prints every record as JSON the same from the cached text as when it rendered it', () => {
    const run = (...extra: string[]) =>
      spawnSync(
        process.execPath,
        [join(process.cwd(), 'dist', 'cli.js'), 'log', '--format', 'json', ...extra],
        {
          cwd: temp.dir,
          encoding: 'utf8',
          env: { PATH: process.env.PATH ?? '', HOME: temp.dir, XDG_CACHE_HOME: join(temp.dir, 'cache') },
        },
      );
    const rendered = run('--reverify');
    expect(rendered.status).toBe(0);
    const cached = run();
    expect(cached.status).toBe(0);
    expect(cached.stdout).toBe(rendered.stdout);
    expect(cached.stdout.endsWith('}\n]\n')).toBe(true);
    expect((JSON.parse(cached.stdout) as unknown[]).length).toBe(5);
  });
});
