import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import {
  BufferSource,
  classifyImport,
  Cursor,
  inspectModelFile,
  scanPickle,
} from '../../src/formats/index.js';
import { formatFailure } from '../../src/formats/reader.js';
import {
  LEGACY_TORCH_MAGIC,
  pickleComputedGlobal,
  pickleInst,
  pickleOsSystem,
  pickleProtocol5,
  pickleStackGlobal,
  pickleTorchStateDict,
  tempDir,
  type TempDir,
} from '../support/ml-files.js';

async function scan(bytes: Buffer) {
  const source = new BufferSource(bytes);
  return scanPickle(new Cursor(source, 0, source.size, formatFailure('test.pkl', 'fix it')), 'pickle');
}

describe('pickle opcode scanner', () => {
  let temp: TempDir;
  beforeAll(async () => {
    temp = await tempDir();
  });
  afterAll(() => temp.cleanup());

  const inspect = async (name: string, bytes: Buffer) =>
    inspectModelFile(await temp.write(name, bytes), `models/${name}`);

  it('flags os.system imported by GLOBAL and called by REDUCE (protocol 2), without running it', async () => {
    const result = await scan(pickleOsSystem());
    expect(result.protocol).toBe(2);
    expect(result.imports).toEqual([
      { module: 'os', name: 'system', opcode: 'GLOBAL', offset: 2, called: true },
    ]);
    const info = await inspect('exploit.pkl', pickleOsSystem());
    expect(info?.format).toBe('pickle');
    expect(info?.warnings).toEqual([
      {
        code: 'PICKLE_UNSAFE_IMPORT',
        message: expect.stringMatching(
          /^models\/exploit\.pkl: imports os\.system \(GLOBAL at byte 2, then called\); loading this file/,
        ),
      },
    ]);
    expect(info?.metadata).toMatchObject({ protocol: 2, imports: ['os.system'] });
  });

  it('resolves STACK_GLOBAL through the memo (protocol 4 with FRAME, MEMOIZE, BINGET)', async () => {
    const result = await scan(pickleStackGlobal('builtins', 'eval'));
    expect(result.protocol).toBe(4);
    expect(result.imports).toEqual([
      { module: 'builtins', name: 'eval', opcode: 'STACK_GLOBAL', offset: expect.any(Number), called: true },
    ]);
    const info = await inspect('eval.pickle', pickleStackGlobal('builtins', 'eval'));
    expect(info?.warnings.map((warning) => warning.code)).toEqual(['PICKLE_UNSAFE_IMPORT']);
    expect(info?.warnings[0]?.message).toContain('imports builtins.eval (STACK_GLOBAL at byte');
  });

  it('finds INST imports in protocol 0', async () => {
    const result = await scan(pickleInst());
    expect(result.imports).toEqual([
      { module: 'subprocess', name: 'Popen', opcode: 'INST', offset: 16, called: true },
    ]);
  });

  it('reports a STACK_GLOBAL whose name is computed at load time as unresolved', async () => {
    const info = await inspect('computed.pkl', pickleComputedGlobal());
    expect(info?.warnings).toEqual([
      {
        code: 'PICKLE_UNRESOLVED_IMPORT',
        message: expect.stringContaining(
          'models/computed.pkl: STACK_GLOBAL at byte 29 imports a name computed at load time',
        ),
      },
    ]);
  });

  it('a PyTorch state dict imports only safe names', async () => {
    const result = await scan(pickleTorchStateDict());
    expect(result.imports.map((entry) => `${entry.module}.${entry.name}`)).toEqual([
      'collections.OrderedDict',
      'torch._utils._rebuild_tensor_v2',
      'torch.FloatStorage',
      'collections.OrderedDict',
    ]);
    expect((await inspect('state.pkl', pickleTorchStateDict()))?.warnings).toEqual([]);
  });

  it('walks protocol 5 opcodes (BYTEARRAY8, SHORT_BINBYTES, sets)', async () => {
    const result = await scan(pickleProtocol5());
    expect(result).toMatchObject({ protocol: 5, imports: [] });
  });

  it('names outside the safe list are PICKLE_UNKNOWN_IMPORT', async () => {
    const info = await inspect(
      'model.joblib',
      pickleStackGlobal('sklearn.linear_model._base', 'LinearRegression'),
    );
    expect(info?.warnings).toEqual([
      {
        code: 'PICKLE_UNKNOWN_IMPORT',
        message: expect.stringContaining(
          "imports sklearn.linear_model._base.LinearRegression (STACK_GLOBAL at byte 65, then called), which is not on model-ledger's list of safe imports",
        ),
      },
    ]);
  });

  it('classifies imports', () => {
    expect(classifyImport('os', 'system')).toBe('unsafe');
    expect(classifyImport('posix', 'system')).toBe('unsafe');
    expect(classifyImport('subprocess', 'check_output')).toBe('unsafe');
    expect(classifyImport('builtins', 'exec')).toBe('unsafe');
    expect(classifyImport('__builtin__', 'eval')).toBe('unsafe');
    expect(classifyImport('socket', 'socket')).toBe('unsafe');
    expect(classifyImport('runpy', 'run_path')).toBe('unsafe');
    expect(classifyImport('builtins', 'set')).toBe('safe');
    expect(classifyImport('torch._utils', '_rebuild_tensor_v2')).toBe('safe');
    expect(classifyImport('torch', 'BFloat16Storage')).toBe('safe');
    expect(classifyImport('torch', 'bfloat16')).toBe('safe');
    expect(classifyImport('numpy.core.multiarray', '_reconstruct')).toBe('safe');
    expect(classifyImport('torch', 'load')).toBe('unsafe');
    expect(classifyImport('mypackage.model', 'Net')).toBe('unknown');
  });

  it('truncated pickles and unknown opcodes are FORMAT errors naming the file', async () => {
    const cut = pickleOsSystem().subarray(0, 20);
    const truncated = inspect('cut.pkl', cut);
    await expect(truncated).rejects.toMatchObject({
      code: 'FORMAT',
      message: expect.stringContaining('models/cut.pkl: pickle: '),
    });
    await expect(truncated).rejects.toThrow(/needs 10 bytes|truncated/);
    const unknown = inspect('bad.pkl', Buffer.from([0x80, 0x02, 0xff, 0x2e]));
    await expect(unknown).rejects.toMatchObject({
      code: 'FORMAT',
      message: expect.stringContaining('unknown pickle opcode 0xff at byte 2'),
    });
    await expect(inspect('proto.pkl', Buffer.from([0x80, 0x02, 0x80, 0x09, 0x2e]))).rejects.toMatchObject({
      code: 'FORMAT',
      message: expect.stringContaining('pickle protocol 9 is newer than 5'),
    });
    await expect(inspect('underflow.pkl', Buffer.from([0x80, 0x02, 0x52, 0x2e]))).rejects.toMatchObject({
      code: 'FORMAT',
      message: expect.stringContaining('stack underflow at byte 2'),
    });
    await expect(
      inspect(
        'huge.pkl',
        Buffer.concat([Buffer.from([0x80, 0x04, 0x8d]), Buffer.from('ffffffffffffff0f', 'hex')]),
      ),
    ).rejects.toMatchObject({
      code: 'FORMAT',
      message: expect.stringContaining('BINUNICODE8 needs 1152921504606846975 bytes'),
    });
    await expect(inspect('text.pkl', Buffer.from('hello world'))).rejects.toMatchObject({
      code: 'FORMAT',
      message: expect.stringMatching(/^models\/text\.pkl: is named as a pickle but does not start like one/),
    });
  });

  it('a legacy torch.save file is five pickles; all are scanned', async () => {
    const legacy = Buffer.concat([
      LEGACY_TORCH_MAGIC,
      Buffer.from([0x80, 0x02, 0x4d, 0xe9, 0x03, 0x2e]), // protocol version 1001
      Buffer.from([0x80, 0x02, 0x7d, 0x2e]), // sys_info {}
      pickleOsSystem(), // the "model"
      Buffer.from([0x80, 0x02, 0x5d, 0x2e]), // storage keys []
      Buffer.from([0x80, 0xff, 0xff, 0xff]), // raw storage bytes: never parsed as a pickle
    ]);
    const info = await inspect('old.pt', legacy);
    expect(info?.format).toBe('pytorch-legacy');
    expect(info?.metadata).toMatchObject({ pickles: 5, imports: ['os.system'] });
    expect(info?.warnings.map((warning) => warning.code)).toEqual(['PICKLE_UNSAFE_IMPORT']);
  });

  it("stops with a warning where joblib's raw array bytes start", async () => {
    const joblib = Buffer.concat([
      Buffer.from([0x80, 0x04]),
      Buffer.from('cjoblib.numpy_pickle\nNumpyArrayWrapper\n)\x81}b', 'latin1'),
      Buffer.from([0xff, 0xfe, 0x00, 0x01]),
    ]);
    const info = await inspect('model.joblib', joblib);
    expect(info?.warnings.map((warning) => warning.code)).toEqual([
      'PICKLE_UNKNOWN_IMPORT',
      'PICKLE_SCAN_INCOMPLETE',
    ]);
    expect(info?.warnings[1]?.message).toContain('models/model.joblib: the scan stopped at byte');
  });
});
