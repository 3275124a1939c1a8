import { describe, expect, it } from '@jest/globals';

import { inspectModelFile } from '../../src/formats/index.js';

import {
  pickleOsSystem,
  pickleStackGlobal,
  pickleTorchStateDict,
  torchZipBytes,
  zipBytes,
  useFormatInspector,
} from '../support/ml-files.js';

describe('PyTorch zip archives and other model files', () => {
  const { inspect, rejects, directory } = useFormatInspector();

  it('reads a torch.save archive: pickles, storages, version, byte order, imports', async () => {
    expect(await inspect('model.pt', torchZipBytes(pickleTorchStateDict()))).toEqual({
      format: 'pytorch',
      metadata: {
        container: 'zip',
        entries: 5,
        pickles: ['archive/data.pkl'],
        storages: 1,
        version: '3',
        byteorder: 'little',
        imports: ['collections.OrderedDict', 'torch.FloatStorage', 'torch._utils._rebuild_tensor_v2'],
      },
      warnings: [],
      safety: { verdict: 'clean', pickles: 1 },
    });
  });

  it('flags os.system inside archive/data.pkl, stored or deflated', async () => {
    for (const deflatePickle of [false, true]) {
      const info = await inspect(
        `evil-${deflatePickle}.bin`,
        torchZipBytes(pickleOsSystem(), { deflatePickle }),
      );
      expect(info?.format).toBe('pytorch');
      expect(info?.warnings).toEqual([
        {
          code: 'PICKLE_UNSAFE_IMPORT',
          message: expect.stringMatching(
            new RegExp(`^models/evil-${deflatePickle}\\.bin \\(archive/data\\.pkl\\): imports os\\.system`),
          ),
        },
      ]);
    }
  });

  it('scans every pickle of a TorchScript archive', async () => {
    const archive = zipBytes([
      { name: 'model/data.pkl', data: pickleTorchStateDict() },
      { name: 'model/constants.pkl', data: pickleStackGlobal('subprocess', 'run') },
      { name: 'model/code/__torch__.py', data: Buffer.from('def forward(self, x):\n  return x\n') },
    ]);
    const info = await inspect('scripted.pt', archive);
    expect(info?.format).toBe('torchscript');
    expect(info?.warnings).toEqual([
      {
        code: 'PICKLE_UNSAFE_IMPORT',
        message: expect.stringContaining('models/scripted.pt (model/constants.pkl): imports subprocess.run'),
      },
    ]);
  });

  it('a truncated or inconsistent archive is a FORMAT error', async () => {
    const whole = torchZipBytes(pickleTorchStateDict());
    await rejects(
      'cut.pt',
      whole.subarray(0, whole.length - 30),
      /no end-of-central-directory record \(truncated zip\)/,
    );
    const badOffset = Buffer.from(whole);
    badOffset.writeUInt32LE(0x7fffffff, badOffset.length - 6);
    await rejects('offset.pt', badOffset, /central directory \[2147483647, \+\d+\] lies outside the file/);
    const badEntry = Buffer.from(whole);
    // The first central directory entry's local header offset (at +42) points past the end.
    const central = badEntry.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    badEntry.writeUInt32LE(badEntry.length + 100, central + 42);
    await rejects('entry.pt', badEntry, /entry archive\/data\.pkl \[\d+, \+\d+\] lies outside the file/);
    // A broken pickle inside is recorded with a warning, and the scan is incomplete, never clean.
    const badPickle = await inspect('pickle.pt', torchZipBytes(pickleTorchStateDict().subarray(0, 40)));
    expect(badPickle.warnings).toEqual([
      { code: 'PICKLE_BROKEN', message: expect.stringMatching(/archive\/data\.pkl\): .*truncated/) },
    ]);
    expect(badPickle.safety).toEqual({
      verdict: 'incomplete',
      pickles: 1,
      findings: [
        {
          verdict: 'incomplete',
          member: 'archive/data.pkl',
          reason: 'a pickle that does not parse to its end',
        },
      ],
    });
  });

  it('recognises HDF5 by its magic and leaves unknown files alone', async () => {
    expect(
      await inspect(
        'model.h5',
        Buffer.concat([Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64)]),
      ),
    ).toEqual({
      format: 'hdf5',
      metadata: {},
      warnings: [],
      safety: { verdict: 'clean', pickles: 0 },
    });
    expect(await inspect('README.md', Buffer.from('# model card\n'))).toEqual({
      format: 'raw',
      metadata: {},
      warnings: [],
      safety: { verdict: 'clean', pickles: 0 },
    });
    expect((await inspect('weights.bin', Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]))).format).toBe('raw');
  });

  it('a compressed joblib dump that does not inflate is incomplete, never clean', async () => {
    const info = await inspect('model.joblib', Buffer.from([0x78, 0x9c, 1, 2, 3]));
    expect(info.format).toBe('zlib');
    expect(info.safety).toEqual({
      verdict: 'incomplete',
      pickles: 0,
      findings: [{ verdict: 'incomplete', reason: expect.stringContaining('compressed data is corrupt') }],
    });
  });

  it('a missing or special file is a BAD_INPUT error naming it', async () => {
    await expect(inspectModelFile(`${directory()}/absent.pt`, 'models/absent.pt')).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/^models\/absent\.pt: cannot open model file/),
    });
    await expect(inspectModelFile(directory(), 'models')).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/^models: is not a regular file/),
    });
  });
});
