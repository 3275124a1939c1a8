import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { BatchedWrites } from '../../src/fs/batched-writes.js';
import { tempDir, type TempDir } from '../support/ml-files.js';

/** Writes gathered in batches land where their offsets say, across batch boundaries, in order. */
let temp: TempDir;
beforeEach(async () => {
  temp = await tempDir('model-ledger-batched-');
});
afterEach(() => temp.cleanup());

describe('BatchedWrites', () => {
  it('writes every part at the offset it was given, past several batches, and from a start offset', async () => {
    const path = join(temp.dir, 'out.bin');
    const handle = await open(path, 'w+');
    const prefix = Buffer.from('0123456789');
    await handle.write(prefix, 0, prefix.length, 0);
    const writes = new BatchedWrites(handle, prefix.length);
    // Parts from 1 byte to 700 KiB: about 3 MiB in all, so several batches are written.
    const parts = [1, 5000, 700 * 1024, 3, 600 * 1024, 0, 900 * 1024, 17, 800 * 1024].map((size) =>
      randomBytes(size),
    );
    const offsets: number[] = [];
    for (const part of parts) offsets.push(await writes.add(part));
    await writes.flush();
    await writes.flush(); // nothing pending: writes nothing more
    await handle.close();
    const written = await readFile(path);
    expect(written).toEqual(Buffer.concat([prefix, ...parts]));
    parts.forEach((part, at) => {
      expect(written.subarray(offsets[at], (offsets[at] as number) + part.length)).toEqual(part);
    });
    expect(offsets[0]).toBe(prefix.length);
  });
});
