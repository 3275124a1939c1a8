import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { inspectModelFile } from '../../src/formats/index.js';

import {
  debianPython,
  pickleOsSystem,
  pickleStackGlobal,
  pickleTorchTensors,
  pickleTorchStateDict,
  torchZipBytes,
  zipBytes,
  useFormatInspector,
} from '../support/ml-files.js';

const W = { key: '0', offset: 0, shape: [4, 6], stride: [6, 1] };

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
        tensors: 1,
        parameters: 4,
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

  it('counts parameters from the rebuild calls: a view of one storage once, other views each, in zip or raw pickles', async () => {
    const tensors = [
      W,
      { ...W }, // tied: the same view of storage 0 again
      { ...W, offset: 24 }, // another view of storage 0
      { ...W, shape: [6, 4], stride: [1, 6] }, // its transpose: a different view
      { key: '1', offset: 0, shape: [], stride: [] }, // a scalar
      { key: '2', offset: 0, shape: [0, 8], stride: [8, 1] }, // empty
      { key: '3', offset: 0, shape: [10], stride: [1], subclass: true },
      { key: '4', offset: 0, shape: [3], stride: [1], rebuild: '_rebuild_tensor_v3' },
      { key: '5', offset: 0, shape: [2, 2], stride: [2, 1], rebuild: '_rebuild_qtensor' },
    ];
    const expected = { tensors: 9, parameters: 24 + 24 + 24 + 1 + 0 + 10 + 3 + 4 };
    for (const deflatePickle of [false, true]) {
      const zip = await inspect(
        `views-${deflatePickle}.pt`,
        torchZipBytes(pickleTorchTensors(tensors), { deflatePickle }),
      );
      expect(zip.metadata).toMatchObject(expected);
    }
    const raw = await inspect('views.pkl', pickleTorchTensors(tensors));
    expect(raw.format).toBe('pickle');
    expect(raw.metadata).toMatchObject(expected);
    // Nothing rebuilt, nothing counted.
    expect(
      (await inspect('none.pt', torchZipBytes(pickleStackGlobal('collections', 'OrderedDict')))).metadata,
    ).not.toHaveProperty('tensors');
  });

  it('no parameter count when a shape is not read, the pickle breaks, or the tensors pass the bound', async () => {
    const sparse = await inspect(
      'sparse.pt',
      torchZipBytes(pickleTorchTensors([W, { ...W, key: '1', rebuild: '_rebuild_sparse_tensor' }])),
    );
    expect(sparse.metadata).toMatchObject({ tensors: 2 });
    expect(sparse.metadata).not.toHaveProperty('parameters');
    const computed = pickleTorchTensors([W]);
    // The shape tuple's first dim as a float (BINFLOAT): not a constant integer.
    const at = computed.indexOf(Buffer.from([0x28, 0x4a, 4, 0, 0, 0]));
    const floatShape = Buffer.concat([
      computed.subarray(0, at + 1),
      Buffer.from([0x47, 0x40, 0x10, 0, 0, 0, 0, 0, 0]),
      computed.subarray(at + 6),
    ]);
    const float = await inspect('float.pkl', floatShape);
    expect(float.metadata).toMatchObject({ tensors: 1 });
    expect(float.metadata).not.toHaveProperty('parameters');
    // A raw pickle cut after its first tensor: it imported, so it is a broken pickle, not raw bytes.
    const whole = pickleTorchTensors([W, { ...W, key: '1' }]);
    const cut = await inspect('cut.pkl', whole.subarray(0, whole.length - 20));
    expect(cut.format).toBe('pickle');
    expect(cut.safety?.verdict).toBe('incomplete');
    expect(cut.metadata).not.toHaveProperty('parameters');
    // 200,000 tensors are listed; past that only counted.
    const many = Array.from({ length: 200_001 }, (_, index) => ({ ...W, key: String(index % 1000) }));
    const bound = await inspect('many.pt', torchZipBytes(pickleTorchTensors(many)));
    expect(bound.metadata).toMatchObject({ tensors: 200_001 });
    expect(bound.metadata).not.toHaveProperty('parameters');
  });

  it('real torch.save files (zip and legacy), torch.jit.save, a whole module: the count torch reports', async () => {
    const script = `
import json, torch
torch.manual_seed(0)
class Tied(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = torch.nn.Embedding(10, 4)
        self.hidden = torch.nn.Linear(4, 6)
        self.head = torch.nn.Linear(6, 10, bias=False)
        self.out = torch.nn.Linear(4, 10)
        self.out.weight = self.emb.weight
tied = Tied()
torch.save(tied.state_dict(), 'tied.pt')
torch.save(tied.state_dict(), 'tied-legacy.pt', _use_new_zipfile_serialization=False)
bn = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), torch.nn.BatchNorm2d(4), torch.nn.ReLU())
torch.save(bn.state_dict(), 'bn.pt')
torch.save(bn.state_dict(), 'bn-legacy.pt', _use_new_zipfile_serialization=False)
torch.save(bn, 'module.pt')
torch.jit.save(torch.jit.script(bn), 'scripted.pt')
t = torch.arange(24.0)
views = {'low': t[:8], 'high': t[8:], 'all': t, 'again': t, 'grid': t.view(4, 6), 'cols': t.view(4, 6).t()}
torch.save(views, 'views.pt')
distinct = {(v.storage().data_ptr(), v.storage_offset(), tuple(v.shape), v.stride()): v for v in views.values()}
print(json.dumps({
    'tied': sum(p.numel() for p in tied.parameters()),
    'tiedEntries': sum(v.numel() for v in tied.state_dict().values()),
    'bn': sum(p.numel() for p in bn.parameters()),
    'bnBuffers': sum(b.numel() for b in bn.buffers()),
    'views': sum(v.numel() for v in distinct.values()),
}))
`;
    const stdout = await debianPython(['torch'], script, directory());
    if (stdout === null) return;
    const torch = JSON.parse(stdout) as Record<string, number>;
    const counted = async (name: string) => {
      const info = await inspect(name, await readFile(join(directory(), name)));
      return [info.format, info.metadata['parameters']];
    };
    // Tied weights count once, as parameters() does; state_dict() lists them under both names.
    expect(torch['tiedEntries']).toBeGreaterThan(torch['tied'] as number);
    expect(await counted('tied.pt')).toEqual(['pytorch', torch['tied']]);
    expect(await counted('tied-legacy.pt')).toEqual(['pytorch-legacy', torch['tied']]);
    // A state dict holds buffers too, and does not say which tensors they are: both are counted.
    const withBuffers = (torch['bn'] as number) + (torch['bnBuffers'] as number);
    expect(await counted('bn.pt')).toEqual(['pytorch', withBuffers]);
    expect(await counted('bn-legacy.pt')).toEqual(['pytorch-legacy', withBuffers]);
    expect(await counted('module.pt')).toEqual(['pytorch', withBuffers]);
    expect(await counted('scripted.pt')).toEqual(['torchscript', withBuffers]);
    expect(await counted('views.pt')).toEqual(['pytorch', torch['views']]);
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
    expect(badPickle.metadata).not.toHaveProperty('parameters');
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
