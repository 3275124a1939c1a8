import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import { TrainingCollector } from '../../src/collect/training.js';
import { buildManifest, sha256Hex } from '../../src/hash/index.js';
import { testContext } from '../support/context.js';
import { sha256sum, tempDir, tempEnv, type TempDir } from '../support/ml-files.js';

const TRAINING_YAML = `# run description written by train.py
entry_point: src/train.py:main
seeds: [13, 42]
seed: 12345678901234567890
hyperparameters:
  learning_rate: 1e-3
  batch_size: 32
  optimizer: adamw
  warmup: .inf
samples:
  train: 80000
  validation: 10000
  test: 10000
metrics:
  accuracy: 0.9412
  loss: .nan
started_at: 2024-05-01T10:00:00Z
ended_at: 2024-05-01T12:30:00Z
version: "1.10"
custom_team_field: { owner: ml-platform, ticket: ML-123 }
`;

const MLMODEL = `artifact_path: model
flavors:
  python_function:
    env:
      conda: conda.yaml
      virtualenv: python_env.yaml
    loader_module: mlflow.sklearn
    model_path: model.pkl
    python_version: 3.11.4
  sklearn:
    pickled_model: model.pkl
    serialization_format: cloudpickle
    sklearn_version: 1.4.2
mlflow_version: 2.12.1
model_uuid: 4f7f0a5f3f5c4d8e9b0a1c2d3e4f5a6b
run_id: 0123456789abcdef0123456789abcdef
signature:
  inputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float64", "shape": [-1, 4]}}]'
  outputs: '[{"type": "tensor", "tensor-spec": {"dtype": "int64", "shape": [-1]}}]'
utc_time_created: '2024-05-01 12:31:05.123456'
`;

describe('TrainingCollector', () => {
  let repo: TempDir;
  beforeEach(async () => {
    repo = await tempDir('model-ledger-training-');
  });
  afterEach(() => repo.cleanup());

  const collect = (path: string) => {
    const test = testContext(repo.dir, tempEnv(repo.dir));
    return { ...test, result: new TrainingCollector({ path }).collect(test.context) };
  };

  it('records a YAML run as written: typed values, unknown keys kept, big integers and non-finite numbers as text', async () => {
    await repo.write('training/run.yaml', TRAINING_YAML);
    const { notes, result } = collect('./training/run.yaml');
    expect(await result).toEqual({
      source: 'training/run.yaml',
      sourceSha256: (await sha256sum(join(repo.dir, 'training/run.yaml')))[0],
      sourceKind: 'yaml',
      run: {
        entry_point: 'src/train.py:main',
        seeds: [13, 42],
        seed: '12345678901234567890',
        hyperparameters: { learning_rate: 0.001, batch_size: 32, optimizer: 'adamw', warmup: 'Infinity' },
        samples: { train: 80000, validation: 10000, test: 10000 },
        metrics: { accuracy: 0.9412, loss: 'NaN' },
        started_at: '2024-05-01T10:00:00Z',
        ended_at: '2024-05-01T12:30:00Z',
        version: '1.10',
        custom_team_field: { owner: 'ml-platform', ticket: 'ML-123' },
      },
    });
    expect(notes).toEqual([
      'training: seed: integer beyond 2^53 kept as text to keep every digit',
      'training: hyperparameters.warmup: Infinity kept as text (JSON has no such number)',
      'training: metrics.loss: NaN kept as text (JSON has no such number)',
    ]);
  });

  it('records a JSON run, keeping every digit of large integers', async () => {
    const text =
      '{"seed": 9007199254740993, "lr": 0.0003, "epochs": 3, "tags": ["a", null, true], "nested": {"x": -1.5e-7}}';
    await repo.write('run.json', text);
    const { notes, result } = collect('run.json');
    expect(await result).toEqual({
      source: 'run.json',
      sourceSha256: sha256Hex(text),
      sourceKind: 'json',
      run: {
        seed: '9007199254740993',
        lr: 0.0003,
        epochs: 3,
        tags: ['a', null, true],
        nested: { x: -1.5e-7 },
      },
    });
    expect(notes).toEqual(['training: seed: integer beyond 2^53 kept as text to keep every digit']);
  });

  it('reads an MLflow run folder: meta.yaml, params, metrics, tags and the logged model', async () => {
    const run = 'mlruns/1/0123456789abcdef0123456789abcdef';
    const files: Record<string, string> = {
      'meta.yaml':
        'artifact_uri: file:///tmp/mlruns/1/0123/artifacts\nend_time: 1714566605123\nexperiment_id: "1"\nlifecycle_stage: active\nrun_id: 0123456789abcdef0123456789abcdef\nrun_name: bright-owl-42\nstart_time: 1714557600000\nstatus: 3\nuser_id: ada\n',
      'params/learning_rate': '0.001',
      'params/max_depth': '6',
      'params/model/hidden': '[64, 32]',
      'metrics/loss': '1714557700000 0.9 0\n1714557800000 0.5 1\n1714557900000 0.31 2\n',
      'metrics/accuracy': '1714557900000 0.94 2\n',
      'metrics/grad_norm': '1714557900000 nan 2\n',
      'tags/mlflow.runName': 'bright-owl-42',
      'tags/mlflow.source.git.commit': 'a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0',
      'artifacts/model/MLmodel': MLMODEL,
    };
    for (const [path, content] of Object.entries(files)) await repo.write(`${run}/${path}`, content);
    await repo.write(`${run}/artifacts/model/model.pkl`, Buffer.from([0x80, 0x04, 0x2e]));
    await mkdir(join(repo.dir, run, 'artifacts/plots'));
    const { notes, result } = collect(run);
    const section = await result;
    const read = Object.keys(files)
      .sort()
      .map((path) => ({ path, sha256: sha256Hex(files[path] as string) }));
    expect(section).toEqual({
      source: run,
      sourceSha256: buildManifest(read).digest,
      sourceKind: 'mlflow-run',
      run: {
        meta: {
          artifact_uri: 'file:///tmp/mlruns/1/0123/artifacts',
          end_time: 1714566605123,
          experiment_id: '1',
          lifecycle_stage: 'active',
          run_id: '0123456789abcdef0123456789abcdef',
          run_name: 'bright-owl-42',
          start_time: 1714557600000,
          status: 3,
          user_id: 'ada',
        },
        params: { learning_rate: '0.001', max_depth: '6', 'model/hidden': '[64, 32]' },
        metrics: {
          accuracy: { value: 0.94, step: 2, timestamp: 1714557900000, points: 1 },
          grad_norm: { value: 'NaN', step: 2, timestamp: 1714557900000, points: 1 },
          loss: { value: 0.31, step: 2, timestamp: 1714557900000, points: 3 },
        },
        tags: {
          'mlflow.runName': 'bright-owl-42',
          'mlflow.source.git.commit': 'a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0',
        },
        models: {
          'artifacts/model': expect.objectContaining({
            run_id: '0123456789abcdef0123456789abcdef',
            mlflow_version: '2.12.1',
          }),
        },
      },
    });
    expect(notes).toEqual(['training: metrics.grad_norm: NaN kept as text (JSON has no such number)']);
    // meta.yaml named directly reads the same folder
    expect(await collect(`${run}/meta.yaml`).result).toEqual(section);
  });

  it('reads an MLflow MLmodel file, or a model folder holding one', async () => {
    await repo.write('model/MLmodel', MLMODEL);
    const section = await collect('model/MLmodel').result;
    expect(section).toMatchObject({
      source: 'model/MLmodel',
      sourceSha256: sha256Hex(MLMODEL),
      sourceKind: 'mlflow-model',
      run: {
        artifact_path: 'model',
        flavors: {
          sklearn: { sklearn_version: '1.4.2', serialization_format: 'cloudpickle' },
          python_function: { python_version: '3.11.4' },
        },
        signature: { inputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float64", "shape": [-1, 4]}}]' },
        utc_time_created: '2024-05-01 12:31:05.123456',
      },
    });
    expect(await collect('model').result).toEqual(section);
  });

  it('rejects what it cannot read with an error naming the file and the fix', async () => {
    await repo.write('bad.yaml', 'seed: 1\n  lr: [0.1\n');
    await expect(collect('bad.yaml').result).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/^bad\.yaml: line \d+: is not valid YAML/),
    });
    await repo.write('dup.yaml', 'seed: 1\nseed: 2\n');
    await expect(collect('dup.yaml').result).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringContaining('dup.yaml: line 2: is not valid YAML'),
    });
    await repo.write('bad.json', '{"seed": 1,}');
    await expect(collect('bad.json').result).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/^bad\.json: is not valid JSON/),
    });
    await repo.write('list.yaml', '- 1\n- 2\n');
    await expect(collect('list.yaml').result).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringContaining('list.yaml: must hold a YAML mapping at the top level'),
    });
    await repo.write('run.toml', 'seed = 1\n');
    await expect(collect('run.toml').result).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringContaining('run.toml: training: has the extension ".toml"'),
    });
    await expect(collect('missing.yaml').result).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/^missing\.yaml: training: training file not found/),
    });
    await mkdir(join(repo.dir, 'plain-dir'));
    await expect(collect('plain-dir').result).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringContaining(
        'plain-dir: training: is a directory but neither an MLflow run folder',
      ),
    });
    await repo.write('runs/r/meta.yaml', 'run_id: x\n');
    await repo.write('runs/r/metrics/loss', 'not a metric line\n');
    await expect(collect('runs/r').result).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringContaining('runs/r/metrics/loss: line 1: is not "<timestamp> <value> [<step>]"'),
    });
  });

  it('an empty path records no training section', async () => {
    expect(await collect('').result).toBeNull();
  });
});
