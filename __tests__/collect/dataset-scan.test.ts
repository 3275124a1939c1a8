import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

import { scanDataset } from '../../src/collect/dataset-scan.js';
import { DatasetsCollector } from '../../src/collect/datasets.js';
import type { DatasetEntry } from '../../src/record/predicate.js';
import {
  npyBytes,
  pickleOsSystem,
  pickleTorchStateDict,
  tempDir,
  testContext,
  zipBytes,
  type TempDir,
} from '../support/ml-files.js';

let temp: TempDir;
beforeEach(async () => {
  temp = await tempDir();
});
afterEach(() => temp.cleanup());

describe('datasets scanned on request (scan: true)', () => {
  it('every file of a directory is scanned by content, whatever its name, nested folders too', async () => {
    await temp.write('data/rows.csv', 'a,b\n1,2\n');
    await temp.write('data/shards/part-0.bin', gzipSync(pickleOsSystem()));
    await temp.write('data/shards/objects.npy', npyBytes('|O', '(1,)', pickleTorchStateDict()));
    await symlink('shards/part-0.bin', join(temp.dir, 'data', 'link.bin')); // scanned once, as its target
    const context = testContext(temp.dir);
    const [entry] = await new DatasetsCollector({
      datasets: [{ path: 'data', scan: true }],
      noCache: true,
    }).collect(context);
    expect(entry?.safety).toEqual({
      verdict: 'unsafe',
      pickles: 2,
      findings: [
        {
          verdict: 'unsafe',
          member: 'shards/part-0.bin',
          names: ['os.system'],
          reason: expect.any(String),
        },
      ],
    });
    expect(context.notes).toContainEqual("datasets: data: the safety scan's verdict is unsafe");
  });

  it('a glob scans what it matches; a file the scan cannot read is incomplete, not a refused record', async () => {
    await temp.write('shards/a.pkl', pickleTorchStateDict());
    await temp.write(
      'shards/b.zip',
      zipBytes([{ name: 'x.pkl', data: pickleTorchStateDict() }]).subarray(0, 40),
    );
    const [entry] = await new DatasetsCollector({
      datasets: [{ glob: 'shards/*', scan: true }],
      noCache: true,
    }).collect(testContext(temp.dir));
    expect(entry?.safety).toMatchObject({
      verdict: 'incomplete',
      pickles: 1,
      findings: [
        { verdict: 'incomplete', member: 'shards/b.zip', reason: expect.stringMatching(/^not scanned: /) },
      ],
    });
  });

  it('past the file bound the verdict is incomplete, never clean', async () => {
    for (let index = 0; index < 3; index++) await temp.write(`many/${index}.pkl`, pickleTorchStateDict());
    const entry: DatasetEntry = {
      name: 'many',
      kind: 'directory',
      path: 'many',
      digest: { sha256: 'a'.repeat(64) },
      size: 0,
      files: 3,
    };
    await scanDataset(testContext(temp.dir), false, entry, 2);
    expect(entry.safety).toEqual({
      verdict: 'incomplete',
      pickles: 2,
      findings: [{ verdict: 'incomplete', reason: 'only the first 2 files were scanned; all are hashed' }],
    });
  });
});
