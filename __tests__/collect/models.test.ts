import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readFile, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { ModelsCollector, resolveModelPaths } from '../../src/collect/models.js';
import { testContext } from '../support/context.js';
import {
  coreutilsDigest,
  coreutilsManifest,
  ggufBytes,
  onnxBytes,
  pickleOsSystem,
  pickleTorchStateDict,
  safetensorsBytes,
  sha256sum,
  tempDir,
  tempEnv,
  torchZipBytes,
  type TempDir,
} from '../support/ml-files.js';

describe('ModelsCollector', () => {
  let repo: TempDir;
  beforeEach(async () => {
    repo = await tempDir('model-ledger-models-');
  });
  afterEach(() => repo.cleanup());

  const collect = (patterns: string[]) => {
    const test = testContext(repo.dir, tempEnv(repo.dir));
    return { ...test, result: new ModelsCollector({ patterns, noCache: true }).collect(test.context) };
  };

  it('records each file with its sha256sum digest, size, format, metadata and warnings', async () => {
    await repo.write(
      'models/model.safetensors',
      safetensorsBytes([{ name: 'w', dtype: 'F32', shape: [2, 3] }], { step: '100' }),
    );
    await repo.write(
      'models/tiny.gguf',
      ggufBytes({ kv: [['general.name', { type: 'string', value: 'tiny' }]] }),
    );
    await repo.write(
      'models/model.onnx',
      onnxBytes({ irVersion: 9, producerName: 'pytorch', opsets: [{ domain: '', version: 17 }] }),
    );
    await repo.write('models/safe.pt', torchZipBytes(pickleTorchStateDict()));
    await repo.write('models/evil.pt', torchZipBytes(pickleOsSystem()));
    await repo.write('models/notes.txt', 'not a model\n');
    const { log, result } = collect(['models/**']);
    const entries = await result;
    const names = entries.map((entry) => entry.name);
    expect(names).toEqual([
      'models/evil.pt',
      'models/model.onnx',
      'models/model.safetensors',
      'models/notes.txt',
      'models/safe.pt',
      'models/tiny.gguf',
    ]);
    const digests = await sha256sum(...names.map((name) => join(repo.dir, name)));
    expect(entries.map((entry) => entry.digest.sha256)).toEqual(digests);
    const byName = Object.fromEntries(entries.map((entry) => [entry.name, entry]));
    expect(byName['models/model.safetensors']).toMatchObject({
      kind: 'file',
      format: 'safetensors',
      metadata: { tensors: 1, parameters: 6, dtypes: { F32: 1 }, metadata: { step: '100' } },
    });
    expect(byName['models/tiny.gguf']).toMatchObject({
      format: 'gguf',
      metadata: { general: { name: 'tiny' } },
    });
    expect(byName['models/model.onnx']).toMatchObject({
      format: 'onnx',
      metadata: { irVersion: 9, opsets: { 'ai.onnx': 17 } },
    });
    expect(byName['models/safe.pt']?.warnings).toBeUndefined();
    expect(byName['models/evil.pt']?.warnings).toEqual([
      {
        code: 'PICKLE_UNSAFE_IMPORT',
        message: expect.stringContaining('models/evil.pt (archive/data.pkl): imports os.system'),
      },
    ]);
    expect(byName['models/notes.txt']).toEqual({
      name: 'models/notes.txt',
      kind: 'file',
      digest: { sha256: digests[3] },
      size: 12,
      safety: { verdict: 'clean', pickles: 0 },
    });
    expect(log.messages('info')).toEqual(['models: 6 file(s) and 0 directory(ies) hashed']);
  });

  it('records a model directory by its manifest, like coreutils, with the headers of its model files', async () => {
    await repo.write(
      'out/model/config.json',
      JSON.stringify({ architectures: ['LlamaForCausalLM'], model_type: 'llama', hidden_size: 16 }),
    );
    await repo.write(
      'out/model/model-00001-of-00002.safetensors',
      safetensorsBytes([{ name: 'a', dtype: 'BF16', shape: [4] }]),
    );
    await repo.write(
      'out/model/model-00002-of-00002.safetensors',
      safetensorsBytes([{ name: 'b', dtype: 'BF16', shape: [8] }]),
    );
    await repo.write('out/model/tokenizer/tokenizer.json', '{"version":"1.0"}');
    await repo.write('out/model/training_args.bin', torchZipBytes(pickleOsSystem()));
    await symlink('model-00001-of-00002.safetensors', join(repo.dir, 'out/model/alias.safetensors'));
    const { notes, attachments, result } = collect(['./out/model/']);
    const [entry] = await result;
    const directory = join(repo.dir, 'out/model');
    expect(entry).toMatchObject({
      name: 'out/model',
      kind: 'directory',
      digest: { sha256: await coreutilsDigest(directory) },
      files: 5,
      format: 'huggingface',
      manifest: { sha256: await coreutilsDigest(directory), inline: await coreutilsManifest(directory) },
      metadata: {
        config: { architectures: ['LlamaForCausalLM'], model_type: 'llama' },
        files: {
          'model-00001-of-00002.safetensors': { format: 'safetensors', tensors: 1, parameters: 4 },
          'model-00002-of-00002.safetensors': { format: 'safetensors', parameters: 8 },
          'training_args.bin': { format: 'pytorch' },
        },
      },
      warnings: [
        {
          code: 'PICKLE_UNSAFE_IMPORT',
          message: expect.stringContaining(
            'out/model/training_args.bin (archive/data.pkl): imports os.system',
          ),
        },
      ],
    });
    expect(entry?.metadata?.['config']).not.toHaveProperty('hidden_size');
    expect(notes).toEqual([
      expect.stringContaining('out/model: 1 symlink(s) inside the directory are not in its manifest'),
    ]);
    expect(attachments.size).toBe(0);
  });

  it('stores a manifest over 64 KiB beside the bundle and refers to it by name', async () => {
    await Promise.all(
      Array.from({ length: 700 }, (_, index) =>
        repo.write(`ckpt/shard-${String(index).padStart(5, '0')}-${'x'.repeat(20)}.bin`, `${index}`),
      ),
    );
    const { attachments, result } = collect(['ckpt']);
    const [entry] = await result;
    const digest = await coreutilsDigest(join(repo.dir, 'ckpt'));
    expect(entry?.manifest).toEqual({ sha256: digest, stored: `${digest}.manifest.txt` });
    expect(attachments.get(`${digest}.manifest.txt`)).toBe(await coreutilsManifest(join(repo.dir, 'ckpt')));
    expect(entry?.files).toBe(700);
  });

  it('hostile model headers fail the collection with a FORMAT error naming the file', async () => {
    await repo.write(
      'models/huge.safetensors',
      safetensorsBytes([], undefined, { declaredLength: 10n ** 18n }),
    );
    const { result } = collect(['models/huge.safetensors']);
    await expect(result).rejects.toMatchObject({
      code: 'FORMAT',
      message: expect.stringMatching(/^models\/huge\.safetensors: header length: header claims/),
    });
  });

  it('missing paths, empty globs and symlinks are BAD_INPUT errors naming them', async () => {
    await repo.write('models/a.onnx', onnxBytes({ irVersion: 9 }));
    await symlink('a.onnx', join(repo.dir, 'models/link.onnx'));
    await expect(resolveModelPaths(repo.dir, ['models/missing.pt'])).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/^models\/missing\.pt: models: model file not found/),
    });
    await expect(resolveModelPaths(repo.dir, ['models/*.gguf'])).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringContaining('the glob "models/*.gguf" matches no file'),
    });
    await expect(resolveModelPaths(repo.dir, ['models/link.onnx'])).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/^models\/link\.onnx: models: is a symlink, not the model itself/),
    });
    // The same symlink reached by a glob is left out and named (its target is recorded), as
    // directory digests do; one that leaves the repository is refused.
    const symlinks: string[] = [];
    expect(await resolveModelPaths(repo.dir, ['models/*.onnx'], symlinks)).toEqual(['models/a.onnx']);
    expect(symlinks).toEqual(['models/link.onnx']);
    await symlink('/etc/hostname', join(repo.dir, 'models/outside.onnx'));
    await expect(resolveModelPaths(repo.dir, ['models/*.onnx'])).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(
        /^models\/outside\.onnx: models: the glob "models\/\*\.onnx" matches a symlink that leaves the repository/,
      ),
    });
    expect(
      await new ModelsCollector({ patterns: [] }).collect(testContext(repo.dir, tempEnv(repo.dir)).context),
    ).toEqual([]);
  });

  it('reuses digests from the cache in the run environment once files are past the racy window', async () => {
    await repo.write('models/model.onnx', onnxBytes({ irVersion: 9 }));
    const { context, log } = testContext(repo.dir, tempEnv(repo.dir));
    const collector = new ModelsCollector({ patterns: ['models/model.onnx'] });
    const fresh = await collector.collect(context);
    await sleep(2_100); // the default racy window: files changed less than 2 s ago are not cached
    const stored = await collector.collect(context);
    const reused = await collector.collect(context);
    const uncached = await new ModelsCollector({ patterns: ['models/model.onnx'], noCache: true }).collect(
      context,
    );
    expect([stored, reused, uncached]).toEqual([fresh, fresh, fresh]);
    expect(log.messages('info')).toEqual([
      'models: 1 file(s) and 0 directory(ies) hashed',
      'models: 1 file(s) and 0 directory(ies) hashed',
      'models: 1 file(s) and 0 directory(ies) hashed, 1 digest(s) reused from the cache',
      'models: 1 file(s) and 0 directory(ies) hashed',
    ]);
    const cacheFile = join(context.env['XDG_CACHE_HOME'] as string, 'model-ledger', 'digests-v1.txt');
    expect(await readFile(cacheFile, 'utf8')).toContain(join(repo.dir, 'models/model.onnx'));
  });
});
