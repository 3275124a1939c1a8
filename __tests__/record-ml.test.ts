import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

import type { Statement } from '../src/record/predicate.js';
import { runCli } from './support/cli.js';
import { coreutilsDigest, pickleOsSystem, safetensorsBytes } from './support/ml-files.js';
import { createTempRepo, type TempRepo } from './support/repo.js';

let repo: TempRepo;
beforeEach(async () => {
  repo = await createTempRepo();
  await repo.write(
    'model/model.safetensors',
    safetensorsBytes([{ name: 'w', dtype: 'F32', shape: [4, 4] }], { format: 'pt' }),
  );
  await repo.write('model/config.json', JSON.stringify({ model_type: 'bert', architectures: ['BertModel'] }));
  await repo.write('data/train/part-0.csv', 'a,b\n1,2\n');
  await repo.write('data/train/nested/part-1.csv', 'a,b\n3,4\n');
  await repo.write('data/train/empty.csv', '');
  await repo.write(
    'data/raw.dvc',
    'outs:\n- md5: 0123456789abcdef0123456789abcdef.dir\n  size: 2048\n  nfiles: 3\n  path: raw\n',
  );
  await repo.write(
    'training.yaml',
    'seed: 42\nlearning_rate: 0.0003\nepochs: 3\nmetrics:\n  auc: 0.91\nsplits:\n  train: 2\n',
  );
  repo.commit('train the model');
});
afterEach(async () => {
  await repo.cleanup();
});

async function recordJson(args: string[]): Promise<{ statement: Statement; bundlePath: string }> {
  const run = await runCli(['record', '--json', ...args], repo.dir, repo.env);
  expect(run.stderr).not.toMatch(/model-ledger record:/);
  expect(run.status).toBe(0);
  const { bundlePath } = JSON.parse(run.stdout) as { bundlePath: string };
  const bundle = JSON.parse(await readFile(bundlePath, 'utf8')) as { dsseEnvelope: { payload: string } };
  return {
    bundlePath,
    statement: JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8')) as Statement,
  };
}

describe('a record of the ML side', () => {
  it('carries the model directory, the dataset with its DVC lineage, and the training run', async () => {
    const { statement } = await recordJson([
      '--models',
      'model',
      '--datasets',
      'data/train',
      '--datasets',
      'data/raw.dvc',
      '--training',
      'training.yaml',
    ]);
    const { predicate } = statement;
    const datasetDigest = await coreutilsDigest(join(repo.dir, 'data/train'));
    const modelDigest = await coreutilsDigest(join(repo.dir, 'model'));

    expect(statement.subject).toEqual([
      { name: 'model', digest: { sha256: modelDigest } },
      { name: 'dataset:train', digest: { sha256: datasetDigest } },
      expect.objectContaining({ name: expect.stringMatching(/^dataset:raw/) as unknown }),
    ]);
    expect(predicate.models[0]).toMatchObject({ kind: 'directory', files: 2 });
    expect(predicate.datasets[0]).toMatchObject({
      name: 'train',
      kind: 'directory',
      path: 'data/train',
      files: 3,
    });
    expect(predicate.datasets[0]?.manifest?.inline).toContain('  nested/part-1.csv\n');
    expect(predicate.datasets[1]?.lineage).toBeDefined();
    expect(predicate.training).toMatchObject({
      source: 'training.yaml',
      sourceKind: 'yaml',
      run: { seed: 42, learning_rate: 0.0003, metrics: { auc: 0.91 } },
    });

    const verify = await runCli(['verify', '--artifacts', '.'], repo.dir, repo.env);
    expect(verify.status).toBe(0);
    await repo.write('data/train/part-0.csv', 'a,b\n1,3\n');
    const changed = await runCli(['verify', '--artifacts', '.'], repo.dir, repo.env);
    expect(changed.status).toBe(1);
    expect(changed.stderr).toMatch(/FAIL ARTIFACT_MISMATCH: record 0 .*artifact dataset:train has sha256/);
    await rm(join(repo.dir, 'model'), { recursive: true });
    const missing = await runCli(['verify', '--artifacts', '.'], repo.dir, repo.env);
    expect(missing.stderr).toMatch(/FAIL ARTIFACT_MISSING: record 0 .*artifact model is missing/);
  });

  it('flags a pickle that imports os.system as a warning in the record', async () => {
    await repo.write('legacy/model.pkl', pickleOsSystem());
    const { predicate } = (await recordJson(['--models', 'legacy/model.pkl'])).statement;
    expect(predicate.models[0]?.format).toBe('pickle');
    expect(predicate.models[0]?.warnings?.map((warning) => warning.code)).toContain('PICKLE_UNSAFE_IMPORT');
  });

  it('says so on the terminal: an UNSAFE line naming the pickle and its import', async () => {
    await repo.write('legacy/model.pkl', pickleOsSystem());
    const run = await runCli(['record', '--models', 'legacy/model.pkl'], repo.dir, repo.env);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/^UNSAFE legacy\/model\.pkl: os\.system — loading it can run code/m);
  });

  it('scans a dataset that asks for it (scan: true), records the verdict and says so on the terminal', async () => {
    await repo.write('data/train/features.pkl', pickleOsSystem());
    await repo.write(
      'model-ledger.yml',
      'version: 1\ndatasets:\n  - path: data/train\n    scan: true\n  - path: data/raw.dvc\n    scan: true\n',
    );
    repo.commit('pickled features');
    const run = await runCli(['record', '--json', '--models', 'model'], repo.dir, repo.env);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/^UNSAFE train in features\.pkl: os\.system — loading it can run code/m);
    const { bundlePath } = JSON.parse(run.stdout) as { bundlePath: string };
    const bundle = JSON.parse(await readFile(bundlePath, 'utf8')) as { dsseEnvelope: { payload: string } };
    const { predicate } = JSON.parse(
      Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8'),
    ) as Statement;
    const [train, raw] = predicate.datasets;
    expect(train).toMatchObject({
      name: 'train',
      safety: {
        verdict: 'unsafe',
        pickles: 1,
        findings: [{ verdict: 'unsafe', member: 'features.pkl', names: ['os.system'] }],
      },
    });
    // The DVC data is not in the working tree: nothing to scan, and a note says so.
    expect(raw).toMatchObject({ kind: 'uri' });
    expect(raw?.safety).toBeUndefined();
    expect(predicate.notes).toContainEqual(
      expect.stringMatching(/raw: its data is not in the working tree, so it was not scanned/),
    );
    // Without `scan`, a dataset is hashed only.
    await rm(join(repo.dir, 'model-ledger.yml'));
    repo.commit('no config');
    const plain = await recordJson(['--models', 'model', '--datasets', 'data/train']);
    expect(plain.statement.predicate.datasets[0]?.safety).toBeUndefined();
  });

  it('records a raw .bin whose first byte is a pickle opcode, never refusing it', async () => {
    // `(` is MARK: a pickle reader stops at once with "no MARK to pop to"; this is tensor data.
    await repo.write(
      'weights/vectors.bin',
      Buffer.concat([Buffer.from('(\x00\x01', 'latin1'), Buffer.alloc(8192, 7)]),
    );
    const { predicate } = (await recordJson(['--models', 'weights/vectors.bin'])).statement;
    expect(predicate.models[0]).toMatchObject({ name: 'weights/vectors.bin', format: 'raw', size: 8195 });
    expect(predicate.models[0]?.metadata?.['note']).toMatch(/starts like a pickle but is not one/);
  });
});

describe('progress', () => {
  it('shows hashing progress on a terminal and clears the line, and stays quiet with --json', async () => {
    const lines: string[] = [];
    const run = await runCli(
      ['record', '--models', 'model', '--datasets', 'data/train'],
      repo.dir,
      repo.env,
      {
        status: (text) => lines.push(text),
      },
    );
    expect(run.status).toBe(0);
    expect(lines).toContain('hashing 3/3 files, 0.0 MB');
    expect(lines[lines.length - 1]).toBe('');
    const quiet: string[] = [];
    await runCli(['record', '--json', '--models', 'model'], repo.dir, repo.env, {
      status: (text) => quiet.push(text),
    });
    expect(quiet).toEqual([]);
  });
});
