import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';

import { LedgerError } from '../../src/errors.js';
import { compileGlob, expandGlob, globToRegExp } from '../../src/fs/glob.js';
import { tempDir, type TempDir } from '../support/ml-files.js';

describe('compileGlob', () => {
  const cases: [string, string, boolean][] = [
    ['models/*.pt', 'models/a.pt', true],
    ['models/*.pt', 'models/sub/a.pt', false],
    ['models/**/*.pt', 'models/a.pt', true],
    ['models/**/*.pt', 'models/x/y/a.pt', true],
    ['models/**', 'models/x/y/a.pt', true],
    ['**/*.onnx', 'a/b/c.onnx', true],
    ['**/*.onnx', 'c.onnx', true],
    ['models/*.{pt,ckpt}', 'models/a.ckpt', true],
    ['models/*.{pt,ckpt}', 'models/a.pt', true],
    ['models/*.{pt,ckpt}', 'models/a.bin', false],
    ['{models,weights}/{a,b{1,2}}.pt', 'weights/b2.pt', true],
    ['{models,weights}/{a,b{1,2}}.pt', 'weights/b3.pt', false],
    ['m?del.bin', 'model.bin', true],
    ['m?del.bin', 'm/del.bin', false],
    ['part-[0-9].csv', 'part-7.csv', true],
    ['part-[!0-9].csv', 'part-7.csv', false],
    ['part-[!0-9].csv', 'part-x.csv', true],
    ['data/[{,]x', 'data/{x', true],
    ['a.b', 'aXb', false],
    ['(x)+.txt', '(x)+.txt', true],
  ];
  it.each(cases)('%s against %s is %s', (pattern, path, expected) => {
    expect(compileGlob(pattern).test(path)).toBe(expected);
    expect(globToRegExp(pattern).test(path)).toBe(expected);
  });

  it.each([
    ['models/*.{pt,ckpt', 'never closed'],
    ['models/*.pt}', 'closes no "{"'],
    ['part-[z-a].csv', 'the range [z-a], whose start comes after its end'],
    ['part-[0-9.csv', '"[" at character 6 that is never closed'],
  ])('refuses the bad glob %s with a clear error naming it', (pattern, problem) => {
    let thrown: unknown;
    try {
      compileGlob(pattern);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(LedgerError);
    expect(thrown).toMatchObject({ code: 'BAD_INPUT' });
    expect((thrown as Error).message).toContain(`the glob "${pattern}"`);
    expect((thrown as Error).message).toContain(problem);
  });

  it('matches in linear time: 12 stars against a long name that does not match', () => {
    const pattern = `${'*a'.repeat(12)}*b`;
    const name = 'a'.repeat(5000);
    const started = performance.now();
    expect(compileGlob(pattern).test(name)).toBe(false);
    expect(globToRegExp(pattern).test(name)).toBe(false);
    const elapsed = performance.now() - started;
    // A backtracking matcher needs about C(5000, 12) steps here; this one about 5000 × 26.
    expect(elapsed).toBeLessThan(1000);
    expect(compileGlob(pattern).test(`${name}b`)).toBe(true);
  });
});

describe('expandGlob', () => {
  let temp: TempDir;
  beforeEach(async () => {
    temp = await tempDir();
    for (const name of ['models/a.pt', 'models/b.ckpt', 'models/c.bin', 'models/sub/d.pt']) {
      await temp.write(name, name);
    }
  });
  afterEach(async () => {
    await temp.cleanup();
  });

  it('expands braces', async () => {
    expect(await expandGlob(temp.dir, 'models/*.{pt,ckpt}')).toEqual(['models/a.pt', 'models/b.ckpt']);
    expect(await expandGlob(temp.dir, 'models/**/*.{pt,bin}')).toEqual([
      'models/a.pt',
      'models/c.bin',
      'models/sub/d.pt',
    ]);
  });

  it('refuses a bad glob before walking', async () => {
    await expect(expandGlob(temp.dir, 'models/*.{pt')).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });
});
