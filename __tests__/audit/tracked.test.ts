import { describe, expect, it } from '@jest/globals';

import { parseLog } from '../../src/audit/history.js';
import { trackedPaths } from '../../src/audit/tracked.js';
import { makePredicate } from '../support/predicate.js';

describe('tracked paths', () => {
  const record = makePredicate({
    models: [
      { name: 'weights/v1', kind: 'directory', digest: { sha256: 'a'.repeat(64) }, size: 1, files: 1 },
    ],
    datasets: [
      {
        name: 'train',
        kind: 'directory',
        path: 'data/train',
        digest: { sha256: 'b'.repeat(64) },
        size: 1,
        files: 1,
      },
      {
        name: 'hub',
        kind: 'uri',
        uri: 'hf://datasets/org/x',
        digest: { sha256: 'c'.repeat(64) },
        size: 0,
        files: 0,
      },
    ],
    training: { source: 'train.yaml', sourceSha256: 'd'.repeat(64), sourceKind: 'yaml', run: {} },
  });

  it('takes models, datasets, training, lockfiles and policy from the config and the records', () => {
    const tracked = trackedPaths({
      config: { models: ['models/**/*.onnx'], datasets: ['hf://datasets/org/y', { path: 'data/eval/' }] },
      records: [record],
    });
    expect(tracked.match('models/a/b.onnx')).toMatchObject({ kind: 'model', source: 'config' });
    expect(tracked.match('models/a/b.txt')).toBeNull();
    expect(tracked.match('weights/v1/part-1.bin')).toMatchObject({ kind: 'model', source: 'records' });
    expect(tracked.match('weights/v10/part-1.bin')).toBeNull();
    expect(tracked.match('data/train/x.csv')).toMatchObject({ kind: 'dataset', source: 'records' });
    expect(tracked.match('data/eval/x.csv')).toMatchObject({ kind: 'dataset', source: 'config' });
    expect(tracked.match('train.yaml')).toMatchObject({ kind: 'training' });
    expect(tracked.match('model-ledger.yml')).toMatchObject({ kind: 'config' });
    expect(tracked.match('model-ledger.policy.yml')).toMatchObject({ kind: 'policy' });
    expect(tracked.match('README.md')).toBeNull();
  });

  it('counts any lockfile by name unless the config names the lockfiles', () => {
    const searched = trackedPaths({ config: {}, records: [] });
    expect(searched.lockfilesByName).toBe(true);
    expect(searched.match('services/api/requirements.txt')).toMatchObject({
      kind: 'lockfile',
      source: 'lockfile-name',
    });
    expect(searched.match('node_modules/x/package-lock.json')).toBeNull();
    expect(searched.match('.venv/lib/poetry.lock')).toBeNull();
    const named = trackedPaths({ config: { lockfiles: ['ml/uv.lock'] }, records: [] });
    expect(named.match('ml/uv.lock')).toMatchObject({ kind: 'lockfile', source: 'config' });
    expect(named.match('web/package-lock.json')).toBeNull();
  });
});

describe('git log parsing', () => {
  it('reads commits with their paths, a commit without paths, and a subject with separators of its own', () => {
    const header = (sha: string, subject: string): string =>
      [
        sha,
        't'.repeat(40),
        'p'.repeat(40),
        'Ada',
        'ada@example.org',
        '2026-01-01T00:00:00+00:00',
        '2026-01-02T00:00:00+00:00',
        subject,
      ].join('\x1f');
    const output = `\x1e${header('a'.repeat(40), 'first: a, b')}\0\nmodels/m.bin\0data/x.csv\0\x1e${header('b'.repeat(40), 'empty')}\0`;
    const commits = parseLog(output);
    expect(commits).toHaveLength(2);
    expect(commits[0]).toMatchObject({
      sha: 'a'.repeat(40),
      parents: ['p'.repeat(40)],
      author: { name: 'Ada', email: 'ada@example.org' },
      subject: 'first: a, b',
      paths: ['models/m.bin', 'data/x.csv'],
    });
    expect(commits[1]?.paths).toEqual([]);
  });
});
