import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';

import { prettyJsonChunks } from '../../src/report/json-chunks.js';
import { MemoryPackFiles, StagedPackFiles } from '../../src/report/pack-files.js';
import { readZipEntries } from '../support/report-ledger.js';
import { tempDir, type TempDir } from '../support/ml-files.js';

/** A document of the shapes the exchange formats and index.json have, with what JSON.stringify drops. */
function document(records: number): unknown {
  return {
    '@context': 'https://spdx.org/rdf/3.0.1/spdx-context.jsonld',
    empty: {},
    none: [],
    dropped: undefined,
    '@graph': Array.from({ length: records }, (_, index) => ({
      type: index % 2 ? 'software_Package' : 'ai_AIPackage',
      name: `model "${index}"\nline two`,
      size: index * 1024,
      flags: [true, false, null, undefined, () => index],
      hashes: Array.from({ length: 40 }, (_, at) => ({ algorithm: 'sha256', value: `${index}-${at}` })),
      nested: { deeper: { list: Array.from({ length: 33 }, (_, at) => at) }, missing: undefined },
    })),
  };
}

describe('prettyJsonChunks', () => {
  it.each([0, 1, 31, 32, 200])('gives exactly JSON.stringify(value, null, 2) for %i elements', (records) => {
    const value = document(records);
    const pieces = [...prettyJsonChunks(value)];
    expect(pieces.join('')).toBe(JSON.stringify(value, null, 2));
    if (records >= 32) expect(pieces.length).toBeGreaterThan(records);
  });

  it('writes scalars, empty containers and strings with line breaks as JSON.stringify does', () => {
    for (const value of [null, 0, -1.5, 'a\nb', true, [], {}, [[]], { a: [] }])
      expect([...prettyJsonChunks(value)].join('')).toBe(JSON.stringify(value, null, 2));
  });
});

describe('pack files, in memory and staged on disk', () => {
  let temp: TempDir;
  beforeAll(async () => {
    temp = await tempDir('model-ledger-pack-files-');
  });
  afterAll(() => temp.cleanup());

  it('give the same archive, digests and sizes, stored and deflated entries alike', async () => {
    const text = [...prettyJsonChunks(document(300))];
    const memory = new MemoryPackFiles();
    const staged = await StagedPackFiles.create(join(temp.dir, 'same.zip'));
    for (const files of [memory, staged]) {
      await files.add('b/bytes.bin', Buffer.from([0, 1, 2, 255]));
      await files.addText('a/doc.json', text);
      // Deflating one byte makes it larger: stored.
      await files.addText('tiny.txt', ['', 'x']);
      await files.addText('empty.txt', []);
    }
    const written = await staged.writeZip(join(temp.dir, 'same.zip'));
    await staged.cleanup();
    const zip = memory.zip();
    expect((await readFile(join(temp.dir, 'same.zip'))).equals(zip)).toBe(true);
    expect(written.size).toBe(zip.length);
    expect(staged.listing()).toEqual(memory.listing());
    expect(memory.listing().map((file) => file.path)).toEqual([
      'b/bytes.bin',
      'a/doc.json',
      'tiny.txt',
      'empty.txt',
    ]);
    const entries = await readZipEntries(zip);
    expect(entries.get('a/doc.json')?.toString('utf8')).toBe(text.join(''));
    expect(entries.get('tiny.txt')?.toString('utf8')).toBe('x');
    expect(entries.get('empty.txt')?.length).toBe(0);
    expect(await readdir(temp.dir)).toEqual(['same.zip']);
  });

  it('refuse a path given twice and a path that could land outside the folder', async () => {
    const staged = await StagedPackFiles.create(join(temp.dir, 'bad.zip'));
    try {
      await staged.addText('a.txt', ['x']);
      await expect(staged.addText('a.txt', ['y'])).rejects.toThrow('"a.txt" is in the pack twice');
      await expect(staged.add('a.txt', Buffer.from('y'))).rejects.toThrow('"a.txt" is in the pack twice');
      await expect(staged.addText('../evil', ['y'])).rejects.toThrow(/is not a relative POSIX path/);
      await expect(new MemoryPackFiles().add('/abs', Buffer.from('y'))).rejects.toThrow(
        /is not a relative POSIX path/,
      );
    } finally {
      await staged.cleanup();
    }
  });
});
