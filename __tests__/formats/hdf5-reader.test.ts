import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { inspectModelFile } from '../../src/formats/index.js';
import { closeHdf5Reader, readHdf5Attributes } from '../../src/formats/hdf5-reader.js';
import { findHdf5Configs } from '../../src/formats/keras.js';
import { BufferSource } from '../../src/formats/reader.js';
import { scanContext, scanPart, wholeSource } from '../../src/formats/scan.js';
import {
  dense,
  DENSE_MODEL,
  LAMBDA_MODEL,
  lambda,
  padded,
  sequential,
  writeHdf5,
  type Hdf5Spec,
} from '../support/hdf5-files.js';
import { debianPython, tempDir, zipBytes, type TempDir } from '../support/ml-files.js';

const run = promisify(execFile);
const repository = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('HDF5 attributes read by the HDF5 library (h5wasm in a worker)', () => {
  let temp: TempDir;
  beforeAll(async () => {
    temp = await tempDir('model-ledger-hdf5-test-');
  });
  afterAll(async () => {
    await closeHdf5Reader();
    await temp.cleanup();
  });
  const at = (name: string) => join(temp.dir, name);

  it('a Lambda layer in model_config is unsafe', async () => {
    const path = await writeHdf5(at('lambda.h5'), { attributes: { model_config: LAMBDA_MODEL } });
    const info = await inspectModelFile(path, 'lambda.h5');
    expect(info.format).toBe('hdf5');
    expect(info.safety).toEqual({
      verdict: 'unsafe',
      pickles: 0,
      findings: [expect.objectContaining({ verdict: 'unsafe', names: ['Lambda:evil'] })],
    });
  });

  it('a Dense-only model with a training_config and Keras attributes in /model_weights is clean', async () => {
    const path = await writeHdf5(at('dense.h5'), {
      attributes: {
        model_config: DENSE_MODEL,
        training_config: JSON.stringify({
          loss: 'mse',
          optimizer_config: { class_name: 'Adam', config: {} },
        }),
        keras_version: '2.15.0',
      },
      groups: { model_weights: { backend: 'tensorflow', keras_version: '2.15.0' } },
    });
    expect((await inspectModelFile(path, 'dense.h5')).safety).toEqual({ verdict: 'clean', pickles: 0 });
  });

  it('finds a configuration the byte scan cannot see, behind a harmless decoy', async () => {
    const path = await writeHdf5(at('hidden.h5'), {
      attributes: { a_decoy: DENSE_MODEL, model_config: padded(sequential([lambda('hidden')])) },
    });
    // The byte scan alone finds only the decoy, and would call the file clean.
    const bytes = await readFile(path);
    const found = await findHdf5Configs(new BufferSource(bytes));
    expect(found.configs).toEqual([DENSE_MODEL]);
    expect((await inspectModelFile(path, 'hidden.h5')).safety).toMatchObject({
      verdict: 'unsafe',
      findings: [{ names: ['Lambda:hidden'] }],
    });
  });

  it('finds the same hidden configuration in a file h5py wrote', async () => {
    const script = `
import h5py, json
evil = {"class_name": "Sequential", "config": {"name": "s", "layers": [{"class_name": "Lambda", "config": {"name": "hidden", "function": ["YWJj", None, None], "function_type": "lambda"}}]}}
decoy = {"class_name": "Sequential", "config": {"name": "s", "layers": [{"class_name": "Dense", "config": {"name": "d", "units": 1}}]}}
padded = json.dumps(evil).replace('{', '{' + ' ' * 1100)
assert json.loads(padded) == evil
with h5py.File('h5py-hidden.h5', 'w') as f:
    f.attrs['a_decoy'] = json.dumps(decoy)
    f.attrs['model_config'] = padded
    f.create_group('model_weights').create_dataset('kernel', data=[1.0, 2.0])
`;
    if ((await debianPython(['h5py'], script, temp.dir)) === null) return;
    expect((await inspectModelFile(at('h5py-hidden.h5'), 'h5py-hidden.h5')).safety).toMatchObject({
      verdict: 'unsafe',
      findings: [{ names: ['Lambda:hidden'] }],
    });
  });

  it('reads attributes in dense storage (latest format, many attributes, a 100 KiB config)', async () => {
    const attributes: Record<string, string> = {};
    for (let index = 0; index < 20; index++) attributes[`note_${index}`] = `value ${index}`;
    const big = sequential([...Array.from({ length: 2000 }, () => dense), lambda('deep')]);
    expect(big.length).toBeGreaterThan(64 * 1024);
    attributes['model_config'] = big;
    const path = await writeHdf5(at('dense-storage.h5'), { libver: 'latest', attributes });
    expect((await inspectModelFile(path, 'dense-storage.h5')).safety).toMatchObject({
      verdict: 'unsafe',
      findings: [{ names: ['Lambda:deep'] }],
    });
  });

  it('reads a configuration-like attribute of /model_weights, and follows no link there', async () => {
    const own = await writeHdf5(at('weights-group.h5'), {
      groups: { model_weights: { custom: sequential([lambda('in_weights')]) } },
    });
    expect((await inspectModelFile(own, 'weights-group.h5')).safety).toMatchObject({
      verdict: 'unsafe',
      findings: [{ names: ['Lambda:in_weights'] }],
    });
    const other = await writeHdf5(at('other.h5'), {
      groups: { g: { custom: padded(sequential([lambda('elsewhere')])) } },
    });
    for (const [name, spec] of [
      ['external.h5', { externalLinks: { model_weights: [other, '/g'] } }],
      [
        'soft.h5',
        {
          groups: { g: { custom: padded(sequential([lambda('soft')])) } },
          softLinks: { model_weights: '/g' },
        },
      ],
    ] as const) {
      const path = await writeHdf5(at(name), spec as Hdf5Spec);
      const read = await readHdf5Attributes(path, ['/', '/model_weights'], name);
      expect(read).toEqual({
        hdf5: true,
        groups: [
          { path: '/', state: 'group', attributes: [], skipped: 0 },
          { path: '/model_weights', state: 'link', attributes: [], skipped: 0 },
        ],
      });
      expect((await inspectModelFile(path, name)).safety).toEqual({ verdict: 'clean', pickles: 0 });
    }
  });

  it('reads an HDF5 member of a zip from a private copy', async () => {
    const hidden = await readFile(
      await writeHdf5(at('member.h5'), {
        attributes: { a_decoy: DENSE_MODEL, model_config: padded(sequential([lambda('member')])) },
      }),
    );
    for (const deflate of [false, true]) {
      const path = await temp.write(
        `model-${deflate}.zip`,
        zipBytes([{ name: 'inner/model.h5', data: hidden, deflate }]),
      );
      expect((await inspectModelFile(path, 'model.zip')).safety).toMatchObject({
        verdict: 'unsafe',
        findings: [{ member: 'inner/model.h5', names: ['Lambda:member'] }],
      });
    }
  });

  it('a truncated file is incomplete, with the library saying why', async () => {
    const whole = await readFile(
      await writeHdf5(at('whole.h5'), { attributes: { model_config: DENSE_MODEL } }),
    );
    const path = await temp.write('truncated.h5', whole.subarray(0, 1500));
    const safety = (await inspectModelFile(path, 'truncated.h5')).safety;
    expect(safety?.verdict).toBe('incomplete');
    expect(safety?.findings).toContainEqual({
      verdict: 'incomplete',
      reason: expect.stringMatching(/^the HDF5 library could not read it: truncated file: eof = 1500/),
    });
  });

  it('an HDF5 signature with no superblock behind it is no HDF5 file to the library', async () => {
    const path = await temp.write(
      'signature.h5',
      Buffer.concat([Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64)]),
    );
    expect(await readHdf5Attributes(path, ['/'], 'signature.h5')).toEqual({
      hdf5: false,
      detail: expect.stringContaining('H5F__superblock_prefix_decode'),
    });
    const text = await temp.write('text.h5', 'not an HDF5 file at all');
    expect(await readHdf5Attributes(text, ['/'], 'text.h5')).toEqual({
      hdf5: false,
      detail: expect.stringContaining('file signature not found'),
    });
  });

  it('a reader past its deadline or its heap makes the scan incomplete, never clean', async () => {
    const bytes = await readFile(
      await writeHdf5(at('slow.h5'), { attributes: { model_config: DENSE_MODEL } }),
    );
    for (const [hdf5, reason] of [
      // A heap size of its own starts a fresh worker, whose start-up alone outlasts 1 ms.
      [{ timeoutMs: 1, heapMb: 96 }, 'the HDF5 reader took longer than 1 ms'],
      [
        { maxBytes: 100 },
        `an HDF5 file over 100 bytes is not opened by the HDF5 library; only its bytes were scanned`,
      ],
    ] as const) {
      const context = scanContext('slow.h5');
      context.hdf5 = hdf5;
      await scanPart(wholeSource(new BufferSource(bytes)), context, 0);
      expect(context.report.result()).toEqual({
        verdict: 'incomplete',
        pickles: 0,
        findings: [{ verdict: 'incomplete', reason }],
      });
    }
    await expect(readHdf5Attributes(at('slow.h5'), ['/'], 'slow.h5', { heapMb: 1 })).rejects.toMatchObject({
      name: 'Hdf5ReaderError',
      code: 'FORMAT',
      reason: expect.stringMatching(/^(out-of-memory|crashed)$/),
    });
  });

  it('one worker reads file after file, and a failure or a full quota hands over to a fresh one', async () => {
    // Concurrent calls queue on the shared worker; 40 files cross its quota of 32.
    const paths = await Promise.all(
      [0, 1, 2, 3].map((index) =>
        writeHdf5(at(`queued-${index}.h5`), {
          attributes: { model_config: sequential([lambda(`l${index}`)]) },
        }),
      ),
    );
    const reads = await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        readHdf5Attributes(paths[index % 4] as string, ['/'], `queued-${index}.h5`),
      ),
    );
    reads.forEach((read, index) => {
      expect(read).toEqual({
        hdf5: true,
        groups: [
          expect.objectContaining({
            state: 'group',
            attributes: [{ name: 'model_config', text: sequential([lambda(`l${index % 4}`)]) }],
          }),
        ],
      });
    });
    // A file past its deadline ends that worker; the file queued behind it is read by the next.
    // Another heap size starts a fresh worker, whose start-up alone outlasts a 1 ms deadline, so
    // the deadline is certain to pass first. Had the timeout not retired that worker, `next`
    // (same heap) would be answered by it with the late file's reply and fail.
    const late = readHdf5Attributes(paths[0] as string, ['/'], 'late.h5', { timeoutMs: 1, heapMb: 128 });
    const next = readHdf5Attributes(paths[1] as string, ['/'], 'next.h5', { heapMb: 128 });
    await expect(late).rejects.toMatchObject({ name: 'Hdf5ReaderError', reason: 'timeout' });
    expect(await next).toMatchObject({ hdf5: true, groups: [{ attributes: [{ name: 'model_config' }] }] });
  });

  it('says which attributes it did not read', async () => {
    const path = await writeHdf5(at('many.h5'), {
      attributes: { model_config: DENSE_MODEL, a: 'x', b: 'y', training_config: 'z'.repeat(200) },
    });
    const context = scanContext('many.h5');
    context.hdf5 = { maxAttributes: 2, maxTextBytes: 150 };
    await scanPart(wholeSource(new BufferSource(await readFile(path))), context, 0);
    expect(context.report.result()).toEqual({
      verdict: 'incomplete',
      pickles: 0,
      findings: [
        { verdict: 'incomplete', reason: 'the HDF5 group / has 2 attributes more than the scan reads' },
        {
          verdict: 'incomplete',
          reason: 'the HDF5 attribute training_config holds 200 bytes, more than the scan reads',
        },
      ],
    });
  });

  it('the built CLI, copied alone, reads HDF5 with the reader embedded in it', async () => {
    // dist/cli.js is downloaded and run as one file: the worker it starts must come from inside it.
    const alone = await tempDir('model-ledger-hdf5-cli-');
    try {
      await writeFile(join(alone.dir, 'cli.js'), await readFile(join(repository, 'dist', 'cli.js')));
      const work = join(alone.dir, 'work');
      await run('git', ['init', '-q', '-b', 'main', work]);
      await writeHdf5(join(work, 'hidden.h5'), {
        attributes: { a_decoy: DENSE_MODEL, model_config: padded(sequential([lambda('hidden')])) },
      });
      await writeHdf5(join(work, 'plain.h5'), { attributes: { model_config: DENSE_MODEL } });
      // The worker idles once the last file is read: the CLI must still exit (the deadline fails
      // the run otherwise), and nothing the library prints reaches the CLI's output.
      const { stdout, stderr } = await run(
        process.execPath,
        [
          join(alone.dir, 'cli.js'),
          'record',
          '--json',
          '--models',
          '*.h5',
          '--store',
          join(alone.dir, 'ledger'),
        ],
        {
          cwd: work,
          timeout: 60_000,
          env: {
            PATH: process.env.PATH ?? '/usr/bin:/bin',
            HOME: alone.dir,
            GIT_AUTHOR_NAME: 't',
            GIT_AUTHOR_EMAIL: 't@example.com',
            GIT_COMMITTER_NAME: 't',
            GIT_COMMITTER_EMAIL: 't@example.com',
          },
        },
      );
      const { bundlePath } = JSON.parse(stdout) as { bundlePath: string };
      const bundle = JSON.parse(await readFile(bundlePath, 'utf8')) as { dsseEnvelope: { payload: string } };
      const statement = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8')) as {
        predicate: { models: { name: string; safety: unknown }[] };
      };
      expect(statement.predicate.models).toEqual([
        expect.objectContaining({
          name: 'hidden.h5',
          format: 'hdf5',
          safety: expect.objectContaining({
            verdict: 'unsafe',
            findings: [expect.objectContaining({ names: ['Lambda:hidden'] })],
          }),
        }),
        expect.objectContaining({
          name: 'plain.h5',
          format: 'hdf5',
          safety: { verdict: 'clean', pickles: 0 },
        }),
      ]);
      expect(stderr).not.toMatch(/HDF5|h5wasm/);
    } finally {
      await alone.cleanup();
    }
  });
});
