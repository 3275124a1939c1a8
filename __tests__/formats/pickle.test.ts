import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import {
  BufferSource,
  classifyImport,
  inspectModelFile,
  RangeStream,
  scanPickle,
} from '../../src/formats/index.js';
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
  return scanPickle(new RangeStream(new BufferSource(bytes), 0, bytes.length), 'pickle');
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
      { module: 'os', name: 'system', opcode: 'GLOBAL', offset: 2, called: true, uses: 1, enumIdiomCalls: 0 },
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
    expect(result.imports).toMatchObject([
      { module: 'builtins', name: 'eval', opcode: 'STACK_GLOBAL', offset: expect.any(Number), called: true },
    ]);
    const info = await inspect('eval.pickle', pickleStackGlobal('builtins', 'eval'));
    expect(info?.warnings.map((warning) => warning.code)).toEqual(['PICKLE_UNSAFE_IMPORT']);
    expect(info?.warnings[0]?.message).toContain('imports builtins.eval (STACK_GLOBAL at byte');
  });

  it('finds INST imports in protocol 0', async () => {
    const result = await scan(pickleInst());
    expect(result.imports).toMatchObject([
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
    expect(info.safety?.verdict).toBe('unsafe');
  });

  it('a PyTorch state dict imports only safe names', async () => {
    const result = await scan(pickleTorchStateDict());
    expect(result.imports.map((entry) => `${entry.module}.${entry.name}`)).toEqual([
      'collections.OrderedDict',
      'torch._utils._rebuild_tensor_v2',
      'torch.FloatStorage',
    ]);
    expect(result.imports[0]?.uses).toBe(2);
    expect((await inspect('state.pkl', pickleTorchStateDict()))?.warnings).toEqual([]);
  });

  it('walks protocol 5 opcodes (BYTEARRAY8, SHORT_BINBYTES, sets)', async () => {
    const result = await scan(pickleProtocol5());
    expect(result).toMatchObject({ protocol: 5, imports: [] });
    expect((await inspect('p5.pkl', pickleProtocol5())).safety).toEqual({ verdict: 'clean', pickles: 1 });
  });

  it('names outside the safe list are PICKLE_UNKNOWN_IMPORT', async () => {
    const info = await inspect('model.joblib', pickleStackGlobal('mypackage.models', 'Net'));
    expect(info?.warnings).toEqual([
      {
        code: 'PICKLE_UNKNOWN_IMPORT',
        message: expect.stringContaining(
          "imports mypackage.models.Net (STACK_GLOBAL at byte 42, then called), which is not on model-ledger's list of safe imports",
        ),
      },
    ]);
    expect(info.safety).toEqual({
      verdict: 'unknown',
      pickles: 1,
      findings: [
        {
          verdict: 'unknown',
          names: ['mypackage.models.Net'],
          reason: "imports names off model-ledger's safe list",
        },
      ],
    });
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

  it('a broken pickle is judged by what it imported before the break; bytes that only start like one are raw', async () => {
    const cut = await inspect('cut.pkl', pickleOsSystem().subarray(0, 20));
    expect(cut.format).toBe('pickle');
    expect(cut.warnings.map((warning) => warning.code)).toEqual(['PICKLE_BROKEN', 'PICKLE_UNSAFE_IMPORT']);
    expect(cut.warnings[0]?.message).toMatch(/^models\/cut\.pkl: .*truncated/);
    expect(cut.safety?.verdict).toBe('unsafe');
    for (const [name, bytes, reason] of [
      ['bad.pkl', Buffer.from([0x80, 0x02, 0xff, 0x2e]), 'unknown pickle opcode 0xff at byte 2'],
      ['proto.pkl', Buffer.from([0x80, 0x02, 0x80, 0x09, 0x2e]), 'pickle protocol 9 is newer than 5'],
      ['underflow.pkl', Buffer.from([0x80, 0x02, 0x52, 0x2e]), 'stack underflow at byte 2'],
      [
        'huge.pkl',
        Buffer.concat([Buffer.from([0x80, 0x04, 0x8d]), Buffer.from('ffffffffffffff0f', 'hex')]),
        'a string of 1152921504606846975 bytes',
      ],
    ] as const) {
      const info = await inspect(name, bytes);
      expect(info).toEqual({
        format: 'raw',
        metadata: { note: expect.stringContaining(reason) },
        warnings: [],
        safety: { verdict: 'clean', pickles: 0 },
      });
    }
    expect((await inspect('text.pkl', Buffer.from('hello world'))).format).toBe('raw');
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

  it('a joblib array wrapper whose layout cannot be read ends the scan as incomplete', async () => {
    const joblib = Buffer.concat([
      Buffer.from([0x80, 0x04]),
      Buffer.from('cjoblib.numpy_pickle\nNumpyArrayWrapper\n)\x81}b', 'latin1'),
      Buffer.from([0xff, 0xfe, 0x00, 0x01]),
    ]);
    const info = await inspect('model.joblib', joblib);
    expect(info.safety).toMatchObject({
      verdict: 'incomplete',
      findings: [{ verdict: 'incomplete', reason: expect.stringContaining('joblib array') }],
    });
    expect(info.warnings).toEqual([
      {
        code: 'PICKLE_SCAN_INCOMPLETE',
        message: expect.stringMatching(
          /^models\/model\.joblib: a joblib array of unknown shape or dtype; the bytes after it were not scanned — /,
        ),
      },
    ]);
  });
});
