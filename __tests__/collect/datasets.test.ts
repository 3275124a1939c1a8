import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';

import { DatasetsCollector, type DatasetSpec } from '../../src/collect/datasets.js';
import { sha256Hex } from '../../src/hash/index.js';
import { testContext } from '../support/context.js';
import {
  coreutilsDigest,
  coreutilsManifest,
  sha256sum,
  sha256sumText,
  tempDir,
  tempEnv,
  type TempDir,
} from '../support/ml-files.js';

const RAW_DVC = `outs:
- md5: 1b7c3ba2bd2a8a1a4b3e9f6c1e0e2d3f.dir
  size: 1234
  nfiles: 7
  hash: md5
  path: raw
`;

const DVC_LOCK = `schema: '2.0'
stages:
  prepare:
    cmd: python src/prepare.py data/raw data/prepared
    deps:
    - path: data/raw
      hash: md5
      md5: 1b7c3ba2bd2a8a1a4b3e9f6c1e0e2d3f.dir
      size: 1234
      nfiles: 7
    - path: src/prepare.py
      hash: md5
      md5: 0f6b1b8c2f3c9c7d8e1f2a3b4c5d6e7f
      size: 2048
    params:
      params.yaml:
        prepare.seed: 20170428
        prepare.split: 0.2
    outs:
    - path: data/prepared
      hash: md5
      md5: 9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d.dir
      size: 60
      nfiles: 2
  train:
    cmd: python src/train.py
    deps:
    - path: data/prepared
      md5: 9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d.dir
    outs:
    - path: models/model.pkl
      md5: 11111111111111111111111111111111
`;

describe('DatasetsCollector', () => {
  let repo: TempDir;
  beforeEach(async () => {
    repo = await tempDir('model-ledger-datasets-');
    // A DVC-tracked raw dataset: nested dirs, an empty file, unicode names, symlinks within.
    await repo.write('data/raw/images/cat/0001.jpg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]));
    await repo.write('data/raw/images/dog/0001.jpg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 4, 5, 6]));
    await repo.write('data/raw/labels.csv', 'path,label\nimages/cat/0001.jpg,cat\nimages/dog/0001.jpg,dog\n');
    await repo.write('data/raw/EMPTY', '');
    await repo.write('data/raw/notes/résumé données.txt', 'unicode\n');
    await repo.write('data/raw/notes/中文/説明.md', '# 説明\n');
    await repo.write('data/raw/.dvcignore', '');
    await mkdir(join(repo.dir, 'data/raw/empty-dir'));
    await symlink('labels.csv', join(repo.dir, 'data/raw/labels-latest.csv'));
    await symlink('images/cat', join(repo.dir, 'data/raw/cats'));
    await repo.write('data/raw.dvc', RAW_DVC);
    await repo.write('data/prepared/train.csv', 'a,b\n1,2\n');
    await repo.write('data/prepared/test.csv', 'a,b\n3,4\n');
    await repo.write('dvc.lock', DVC_LOCK);
    await repo.write(
      '.dvc/config',
      '[core]\n    remote = storage\n[\'remote "storage"\']\n    url = s3://ml-bucket/dvcstore\n',
    );
    await repo.write(
      'data/external.dvc',
      'outs:\n- md5: 0123456789abcdef0123456789abcdef\n  size: 4096\n  hash: md5\n  path: external.csv\n',
    );
    await repo.write('schemas/prepared.schema.json', '{"type":"object"}\n');
  });
  afterEach(() => repo.cleanup());

  const collect = (datasets: DatasetSpec[]) => {
    const test = testContext(repo.dir, tempEnv(repo.dir));
    return { ...test, result: new DatasetsCollector({ datasets, noCache: true }).collect(test.context) };
  };

  it('summarises a directory by the manifest coreutils recomputes, with its DVC pointer as lineage', async () => {
    const { notes, result } = collect(['data/raw']);
    const [entry] = await result;
    const directory = join(repo.dir, 'data/raw');
    expect(entry).toEqual({
      name: 'raw',
      kind: 'directory',
      path: 'data/raw',
      digest: { sha256: await coreutilsDigest(directory) },
      size: 7 + 7 + 59 + 0 + Buffer.byteLength('unicode\n') + Buffer.byteLength('# 説明\n') + 0,
      files: 7,
      manifest: { sha256: await coreutilsDigest(directory), inline: await coreutilsManifest(directory) },
      lineage: {
        dvc: {
          file: 'data/raw.dvc',
          outs: [
            { md5: '1b7c3ba2bd2a8a1a4b3e9f6c1e0e2d3f.dir', size: 1234, nfiles: 7, hash: 'md5', path: 'raw' },
          ],
        },
      },
    });
    expect(notes).toEqual([
      expect.stringContaining('data/raw: 2 symlink(s) inside the directory are not in its manifest'),
    ]);
  });

  it('records the dvc.lock stage that produced a dataset: command, params, deps, outs', async () => {
    const [entry, inside] = await collect([
      { path: 'data/prepared/', name: 'prepared-v2' },
      'data/prepared/train.csv',
    ]).result;
    expect(entry?.name).toBe('prepared-v2');
    // a file inside an out is produced by that stage too
    expect(inside?.lineage?.['dvcStage']).toEqual(entry?.lineage?.['dvcStage']);
    expect(entry?.lineage).toEqual({
      dvcStage: {
        lockfile: 'dvc.lock',
        stage: 'prepare',
        cmd: 'python src/prepare.py data/raw data/prepared',
        deps: [
          {
            path: 'data/raw',
            hash: 'md5',
            md5: '1b7c3ba2bd2a8a1a4b3e9f6c1e0e2d3f.dir',
            size: 1234,
            nfiles: 7,
          },
          { path: 'src/prepare.py', hash: 'md5', md5: '0f6b1b8c2f3c9c7d8e1f2a3b4c5d6e7f', size: 2048 },
        ],
        params: { 'params.yaml': { 'prepare.seed': 20170428, 'prepare.split': 0.2 } },
        outs: [
          {
            path: 'data/prepared',
            hash: 'md5',
            md5: '9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d.dir',
            size: 60,
            nfiles: 2,
          },
        ],
      },
    });
  });

  it('a .dvc file whose data was not pulled is recorded as DVC declares it, at its remote, without downloading', async () => {
    const { notes, result } = collect(['data/external.dvc']);
    const [entry] = await result;
    const uri = 's3://ml-bucket/dvcstore/files/md5/01/23456789abcdef0123456789abcdef';
    expect(entry).toEqual({
      name: 'external.csv',
      kind: 'uri',
      uri,
      path: 'data/external.csv',
      digest: { sha256: sha256Hex(uri) },
      size: 4096,
      files: 0,
      lineage: {
        dvc: {
          file: 'data/external.dvc',
          outs: [{ md5: '0123456789abcdef0123456789abcdef', size: 4096, hash: 'md5', path: 'external.csv' }],
        },
        digest: 'sha256 of the URI text',
      },
    });
    expect(notes).toEqual([
      expect.stringContaining(
        'data/external.csv is not in the working tree; recorded as data/external.dvc declares it (md5 0123456789abcdef0123456789abcdef)',
      ),
    ]);
  });

  it('a .dvc file whose data is present hashes the data', async () => {
    const [entry] = await collect([{ path: 'data/raw.dvc' }]).result;
    expect(entry).toMatchObject({
      name: 'raw',
      kind: 'directory',
      path: 'data/raw',
      digest: { sha256: await coreutilsDigest(join(repo.dir, 'data/raw')) },
    });
    expect(entry?.lineage?.['dvc']).toMatchObject({ file: 'data/raw.dvc' });
  });

  it('records Hugging Face references with their revision, noting unpinned ones, and never downloads', async () => {
    const pinned = 'hf://datasets/HuggingFaceFW/fineweb@0f039043b23fe1d4eed300b504aa4b4a68f1c7ba/sample/10BT';
    const { notes, result } = collect([
      pinned,
      { uri: 'https://huggingface.co/datasets/stanfordnlp/imdb/tree/main/plain_text', name: 'imdb' },
      'hf://meta-llama/Llama-3.2-1B',
    ]);
    const entries = await result;
    expect(entries[0]).toEqual({
      name: 'HuggingFaceFW/fineweb',
      kind: 'uri',
      uri: pinned,
      digest: { sha256: sha256Hex(pinned) },
      size: 0,
      files: 0,
      lineage: {
        huggingface: {
          repoType: 'dataset',
          repoId: 'HuggingFaceFW/fineweb',
          revision: '0f039043b23fe1d4eed300b504aa4b4a68f1c7ba',
          path: 'sample/10BT',
          pinned: true,
        },
        digest: 'sha256 of the URI text',
      },
    });
    expect(entries[1]?.lineage?.['huggingface']).toEqual({
      repoType: 'dataset',
      repoId: 'stanfordnlp/imdb',
      revision: 'main',
      path: 'plain_text',
      pinned: false,
    });
    expect(entries[2]?.lineage?.['huggingface']).toEqual({
      repoType: 'model',
      repoId: 'meta-llama/Llama-3.2-1B',
      pinned: false,
    });
    expect(notes).toEqual([
      expect.stringContaining(
        'imdb: https://huggingface.co/datasets/stanfordnlp/imdb/tree/main/plain_text: revision "main" is a branch or tag that can move',
      ),
      expect.stringContaining('meta-llama/Llama-3.2-1B: hf://meta-llama/Llama-3.2-1B: no revision'),
    ]);
  });

  it('a remote URI takes the digest its publisher declares', async () => {
    const sha256 = 'a'.repeat(64);
    const [entry] = await collect([
      { uri: 's3://bucket/corpus/v3/', sha256, size: 10_000, files: 12, name: 'corpus' },
    ]).result;
    expect(entry).toEqual({
      name: 'corpus',
      kind: 'uri',
      uri: 's3://bucket/corpus/v3/',
      digest: { sha256 },
      size: 10_000,
      files: 12,
      lineage: { uri: { scheme: 's3' }, digest: 'declared' },
    });
    await expect(collect([{ uri: 's3://bucket/x', sha256: 'ABC' }]).result).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/^datasets\[0\]\.sha256: "ABC" is not a SHA-256/),
    });
  });

  it('a glob is summarised over repository-relative paths, as sha256sum prints them from the root', async () => {
    const run = collect(['data/**/*.csv']);
    const [entry] = await run.result;
    // The symlink the glob matches (data/raw/labels-latest.csv → labels.csv) is left out, and said.
    expect(run.log.messages('warn')).toEqual([
      expect.stringMatching(
        /matches 1 symlink\(s\), which are not recorded .*: data\/raw\/labels-latest\.csv$/,
      ),
    ]);
    const files = ['data/prepared/test.csv', 'data/prepared/train.csv', 'data/raw/labels.csv'];
    const digests = await sha256sum(...files.map((file) => join(repo.dir, file)));
    const manifest = files.map((file, index) => `${digests[index]}  ${file}\n`).join('');
    expect(entry).toMatchObject({
      name: 'data/**/*.csv',
      kind: 'directory',
      path: 'data/**/*.csv',
      files: 3,
      manifest: { inline: manifest },
    });
    expect(entry?.digest.sha256).toBe(await sha256sumText(manifest));
  });

  it('a single file is its plain sha256, with descriptive fields and the schema file digest', async () => {
    const [entry] = await collect([
      {
        path: 'data/raw/labels.csv',
        name: 'labels',
        description: {
          license: 'CC-BY-4.0',
          split: 'train',
          rows: 2,
          personalData: false,
          schema: 'schemas/prepared.schema.json',
          source: 'labelling team',
        },
      },
    ]).result;
    expect(entry).toEqual({
      name: 'labels',
      kind: 'file',
      path: 'data/raw/labels.csv',
      digest: { sha256: (await sha256sum(join(repo.dir, 'data/raw/labels.csv')))[0] },
      size: 59,
      files: 1,
      description: {
        license: 'CC-BY-4.0',
        split: 'train',
        rows: 2,
        personalData: false,
        schema: 'schemas/prepared.schema.json',
        schemaSha256: sha256Hex('{"type":"object"}\n'),
        source: 'labelling team',
      },
    });
  });

  it('bad specs, missing data, duplicate names and escaping symlinks are errors naming what is wrong', async () => {
    await expect(collect([{ path: 'data/raw', uri: 's3://x/y' }]).result).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringContaining('datasets[0]: names path and uri at once'),
    });
    await expect(collect(['']).result).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringContaining('datasets[0]: is empty'),
    });
    await expect(collect(['data/missing']).result).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/^data\/missing: datasets\[0\]: dataset not found/),
    });
    await expect(collect(['data/nothing/*.parquet']).result).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringContaining('the glob "data/nothing/*.parquet" matches no file'),
    });
    await expect(collect(['data/raw', { path: 'data/prepared', name: 'raw' }]).result).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringContaining('two datasets are named "raw" (datasets[0] and datasets[1])'),
    });
    await repo.write('secret.txt', 'outside\n');
    await symlink('../../../secret.txt', join(repo.dir, 'data/raw/images/leak.txt'));
    await expect(collect(['data/raw']).result).rejects.toMatchObject({
      code: 'HASH',
      message: expect.stringMatching(/^data\/raw\/images\/leak\.txt: symlink leaves the directory/),
    });
  });

  it('finds nothing when given nothing', async () => {
    expect(await collect([]).result).toEqual([]);
  });
});
