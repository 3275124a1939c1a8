import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';

import { hashDirectory } from '../../src/hash/index.js';
import { buildManifest } from '../../src/hash/manifest.js';
import { coreutilsDigest, tempDir, type TempDir } from '../support/ml-files.js';

/**
 * The documented recipe, `… | xargs -d '\n' sha256sum -- | sha256sum`, recomputes every digest
 * model-ledger records; a name it cannot express is refused rather than recorded.
 */
let temp: TempDir;
beforeEach(async () => {
  temp = await tempDir();
});
afterEach(async () => {
  await temp.cleanup();
});

describe('the coreutils recipe', () => {
  it('agrees with hashDirectory on names that start with a dash, and on "-" below the top', async () => {
    await temp.write('d/-rf', 'looks like an option\n');
    await temp.write('d/--help', 'so does this\n');
    await temp.write('d/sub/-', 'a file named dash, one level down\n');
    await temp.write('d/plain.csv', 'a,b\n');
    const dir = join(temp.dir, 'd');
    const digest = await hashDirectory(dir, 'd', { noCache: true });
    expect(digest.files.map((file) => file.path)).toEqual(['--help', '-rf', 'plain.csv', 'sub/-']);
    expect(digest.manifest.digest).toBe(await coreutilsDigest(dir));
  });

  it('cannot read a top-level file named "-" (sha256sum reads stdin): it is refused, naming it', async () => {
    await temp.write('d/-', 'dash\n');
    await temp.write('d/ok.txt', 'ok\n');
    await expect(hashDirectory(join(temp.dir, 'd'), 'd', { noCache: true })).rejects.toMatchObject({
      code: 'HASH',
      file: '-',
      message: expect.stringContaining('read by sha256sum as its standard input'),
    });
  });

  it('refuses a newline in any manifest path, a glob dataset’s included', () => {
    const sha256 = '0'.repeat(64);
    expect(() => buildManifest([{ path: 'data/a\nb.csv', sha256 }])).toThrow(/newline/);
    expect(() => buildManifest([{ path: 'data/-', sha256 }])).not.toThrow();
  });
});
