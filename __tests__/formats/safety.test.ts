import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deflateSync, gzipSync } from 'node:zlib';

import { ModelsCollector } from '../../src/collect/models.js';
import { classifyImport, inspectModelFile } from '../../src/formats/index.js';
import {
  debianPython,
  npyBytes,
  pickleOsSystem,
  pickleStackGlobal,
  pickleTorchStateDict,
  safetensorsBytes,
  tarBytes,
  tempDir,
  testContext,
  torchZipBytes,
  useFormatInspector,
  zipBytes,
  type TempDir,
} from '../support/ml-files.js';

/** A seeded xorshift generator: the same "random" files on every run. */
function randomBytes(seed: number, length: number): Buffer {
  let state = seed >>> 0 || 1;
  const bytes = Buffer.alloc(length);
  for (let index = 0; index < length; index++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[index] = state & 0xff;
  }
  return bytes;
}

const PICKLE_FIRST = [...'(]})cNIFLSVdlt'].map((char) => char.charCodeAt(0));

describe('safety scan: raw files', () => {
  const { inspect } = useFormatInspector();

  it('bytes that start like GGUF or safetensors but are not are raw, unless the name says so', async () => {
    const gguf = Buffer.concat([Buffer.from('GGUF'), randomBytes(3, 4096)]);
    expect((await inspect('tensor.bin', gguf)).metadata['note']).toMatch(/^starts like GGUF but is not/);
    await expect(inspect('model.gguf', gguf)).rejects.toMatchObject({ code: 'FORMAT' });
    const header = Buffer.alloc(9);
    header.writeBigUInt64LE(100n);
    header[8] = 0x7b;
    const safetensors = Buffer.concat([header, randomBytes(4, 4096)]);
    expect((await inspect('tensor2.bin', safetensors)).format).toBe('raw');
    await expect(inspect('model.safetensors', safetensors)).rejects.toMatchObject({ code: 'FORMAT' });
  });

  it('a pickle that starts like safetensors or GGUF is scanned as the pickle it is', async () => {
    const payload = "0cposix\nsystem\n(S'true'\ntR.";
    // A safetensors header length of 415016 ('(' MARK, 'U' a 6-byte string ending in '{'), then opcodes.
    const safetensors = Buffer.alloc(500_000);
    safetensors.write(`(U\x06\x00\x00\x00\x00\x00{${payload}`, 'latin1');
    // 'G' is BINFLOAT: 'GUF' and five bytes more are its operand.
    const gguf = Buffer.concat([
      Buffer.from(`GGUF\x03\x00\x00\x00\x00${payload}`, 'latin1'),
      Buffer.alloc(64),
    ]);
    for (const [name, bytes] of [
      ['polyglot.bin', safetensors],
      ['polyglot.safetensors', safetensors],
      ['polyglot.gguf', gguf],
      ['polyglot2.bin', gguf],
    ] as const) {
      const info = await inspect(name, bytes);
      expect([name, info.format, info.safety]).toEqual([
        name,
        'pickle',
        { verdict: 'unsafe', pickles: 1, findings: [expect.objectContaining({ names: ['posix.system'] })] },
      ]);
    }
  });

  it('a GGUF header whose counts lead a pickle on to its payload is no GGUF: the pickle is judged', async () => {
    // Version 1 GGUF. As a pickle: BINFLOAT swallows "GUF", the version and a count byte; BININT,
    // SHORT_BINBYTES and BINFLOAT swallow the rest of the counts and the first key's length, so the
    // unpickler reaches the first key's bytes, which hold the payload. That takes 18,944 tensors
    // and 4,390,912 keys, every other one all zeros (an empty name, no dimensions, offset 0), which
    // GGUF would allow but no model has: past the key bound the file is not read as GGUF.
    const tensors = 0x4a00;
    const keys = 0x430000;
    const key = Buffer.alloc(71, 0x20);
    key.write("\0\0\0\0\0cposix\nsystem\n(S'true'\ntR.", 'latin1');
    const header = Buffer.alloc(20);
    header.write('GGUF', 'latin1');
    header.writeUInt32LE(1, 4);
    header.writeUInt32LE(tensors, 8);
    header.writeUInt32LE(keys, 12);
    header.writeUInt32LE(key.length, 16);
    const rest = Buffer.alloc(5 + (keys - 1) * 9 + tensors * 20 + 32);
    for (const name of ['tokenizer.gguf', 'tokenizer.bin']) {
      const info = await inspect(name, Buffer.concat([header, key, rest]));
      expect([name, info.format, info.safety?.verdict]).toEqual([name, 'pickle', 'unsafe']);
      expect(info.safety?.findings).toEqual([expect.objectContaining({ names: ['posix.system'] })]);
    }
  });

  it('a GGUF header that claims more keys or tensors than any model is refused as GGUF at once', async () => {
    for (const [field, at] of [
      ['metadata key count', 16],
      ['tensor count', 8],
    ] as const) {
      const bytes = Buffer.alloc(64 * 1024 * 1024); // room for the claim, so only the bound refuses it
      bytes.write('GGUF', 'latin1');
      bytes.writeUInt32LE(3, 4);
      bytes.writeBigUInt64LE(2_000_000n, at);
      const raw = await inspect(`many-${at}.bin`, bytes);
      expect([raw.format, raw.metadata['note']]).toEqual([
        'raw',
        expect.stringMatching(/^starts like GGUF but is not .*claims 2000000 .*more than the/),
      ]);
      await expect(inspect(`many-${at}.gguf`, bytes)).rejects.toMatchObject({
        code: 'FORMAT',
        message: expect.stringContaining(field),
      });
    }
  });

  it('never refuses raw bytes that only start like a pickle (seeded 4–64 KiB buffers)', async () => {
    const names = ['.bin', '.pt', '.pth', '.ckpt'];
    for (let seed = 1; seed <= 120; seed++) {
      const bytes = randomBytes(seed, 4096 + ((seed * 7919) % (60 * 1024)));
      bytes[0] = seed % 3 === 0 ? 0x80 : (PICKLE_FIRST[seed % PICKLE_FIRST.length] as number);
      if (bytes[0] === 0x80) bytes[1] = seed % 6;
      const info = await inspect(`raw-${seed}${names[seed % names.length]}`, bytes);
      expect(info.safety?.verdict).not.toBe('unsafe');
      expect(info.warnings.map((warning) => warning.code)).not.toContain('PICKLE_UNSAFE_IMPORT');
      if (info.metadata['note'] !== undefined)
        expect(info.metadata['note']).toMatch(/starts like a pickle but is not one/);
    }
  });
});

describe('safety scan: decided by content, never by name', () => {
  const { inspect } = useFormatInspector();

  it.each(['model.sav', 'model.model', 'model.dat', 'model.p', 'model', 'weights.safetensors', 'x.onnx'])(
    'the os.system pickle named %s is unsafe',
    async (name) => {
      const info = await inspect(name, pickleOsSystem());
      expect(info.format).toBe('pickle');
      expect(info.safety).toEqual({
        verdict: 'unsafe',
        pickles: 1,
        findings: [{ verdict: 'unsafe', names: ['os.system'], reason: expect.any(String) }],
      });
    },
  );

  it('inflates gzip and zlib wrappers (.pkl.gz, joblib compress) while scanning', async () => {
    expect((await inspect('model.pkl.gz', gzipSync(pickleOsSystem()))).safety?.verdict).toBe('unsafe');
    expect((await inspect('model.joblib', deflateSync(pickleOsSystem()))).safety?.verdict).toBe('unsafe');
    expect((await inspect('safe.pkl.gz', gzipSync(pickleTorchStateDict()))).safety?.verdict).toBe('clean');
  });

  // bz2, xz and lz4 wrappers are decoded and scanned: compressed-wrappers.test.ts.
  it('a zstd wrapper is incomplete, never clean', async () => {
    const info = await inspect(
      'model.joblib',
      Buffer.concat([Buffer.from('\x28\xb5\x2f\xfd', 'latin1'), Buffer.alloc(64)]),
    );
    expect(info.safety?.verdict).toBe('incomplete');
    expect(info.safety?.findings?.[0]?.reason).toMatch(/not inflated by model-ledger/);
  });
});

describe('safety scan: containers', () => {
  const { inspect } = useFormatInspector();

  it('scans a PyTorch zip whose pickle member is DATA.PKL or data.Pkl, stored or deflated', async () => {
    for (const [member, deflate] of [
      ['archive/DATA.PKL', false],
      ['archive/data.Pkl', true],
      ['archive/data/0', false],
    ] as const) {
      const archive = zipBytes([
        { name: member, data: pickleOsSystem(), deflate },
        { name: 'archive/version', data: Buffer.from('3\n') },
      ]);
      const info = await inspect('model.pth.tar', archive);
      expect(info.safety).toMatchObject({
        verdict: 'unsafe',
        findings: [{ verdict: 'unsafe', member, names: ['os.system'] }],
      });
    }
  });

  it('reports local and central headers that disagree', async () => {
    const archive = torchZipBytes(pickleTorchStateDict());
    archive.write('archive/xata.pkl', 30, 'latin1'); // the first local header's name only
    const info = await inspect('mismatch.pt', archive);
    expect(info.warnings.map((warning) => warning.code)).toContain('ZIP_HEADER_MISMATCH');
    expect(info.safety?.verdict).toBe('incomplete');
  });

  it('a zip bomb is a finding, not a crash: nesting depth and member count are bounded', async () => {
    let nested = pickleOsSystem();
    for (let level = 0; level < 8; level++)
      nested = zipBytes([{ name: `level${level}.zip`, data: nested, deflate: true }]);
    const deep = await inspect('nested.zip', nested);
    expect(deep.safety?.verdict).toBe('incomplete');
    expect(deep.safety?.findings?.[0]?.reason).toMatch(/containers nested deeper than 6/);
    const many = zipBytes(
      Array.from({ length: 20_001 }, (_, index) => ({ name: `m${index}`, data: Buffer.from('x') })),
    );
    const wide = await inspect('many.zip', many);
    expect(wide.safety?.verdict).toBe('incomplete');
    expect(wide.safety?.findings?.[0]?.reason).toMatch(/more than 20000 archive members/);
  });

  it('scans the legacy tar format of torch.save, and a tar nested in gzip', async () => {
    const tar = tarBytes([
      { name: 'sys_info', data: Buffer.from([0x80, 0x02, 0x7d, 0x2e]) },
      { name: 'pickle', data: pickleOsSystem() },
      { name: 'storages', data: Buffer.from([0x80, 0x02, 0x4b, 0x00, 0x2e]) },
    ]);
    const info = await inspect('old.pth.tar', tar);
    expect(info.format).toBe('pytorch-legacy-tar');
    expect(info.safety).toMatchObject({
      verdict: 'unsafe',
      findings: [{ member: 'pickle', names: ['os.system'] }],
    });
    expect((await inspect('old.tgz', gzipSync(tar))).safety?.verdict).toBe('unsafe');
  });

  it('scans the pickle of a NumPy object array (.npy, and .npz members)', async () => {
    const objects = npyBytes('|O', '(2,)', pickleOsSystem());
    expect((await inspect('arr.npy', objects)).safety?.verdict).toBe('unsafe');
    expect(
      (await inspect('arr.npz', zipBytes([{ name: 'a.npy', data: objects, deflate: true }]))).safety?.verdict,
    ).toBe('unsafe');
    const floats = npyBytes('<f8', '(4,)', Buffer.alloc(32, 0x63));
    expect((await inspect('f.npy', floats)).safety).toEqual({ verdict: 'clean', pickles: 0 });
  });

  it('finds Keras Lambda layers in a .keras config.json', async () => {
    const config = {
      module: 'keras',
      class_name: 'Sequential',
      config: {
        layers: [
          { module: 'keras.layers', class_name: 'Dense', config: { name: 'dense' } },
          {
            module: 'keras.layers',
            class_name: 'Lambda',
            config: { name: 'evil', function: { class_name: '__lambda__' } },
          },
        ],
      },
    };
    const keras = zipBytes([
      { name: 'metadata.json', data: Buffer.from('{}') },
      { name: 'config.json', data: Buffer.from(JSON.stringify(config)), deflate: true },
    ]);
    const info = await inspect('model.keras', keras);
    expect(info.format).toBe('keras');
    expect(info.safety?.verdict).toBe('unsafe');
    expect(info.safety?.findings?.[0]?.names).toContain('Lambda:evil');
    const deep = zipBytes([
      { name: 'config.json', data: Buffer.from('['.repeat(300_000) + ']'.repeat(300_000)) },
    ]);
    const deepInfo = await inspect('deep.keras', deep);
    expect(deepInfo.warnings).toEqual([
      { code: 'FORMAT', message: expect.stringContaining('nests deeper than 512 levels') },
    ]);
    expect(deepInfo.safety?.verdict).toBe('incomplete');
  });

  it("calls unsafe a configuration reaching Keras's or TensorFlow's own file and Python callables", async () => {
    const layer = (module: string, name: string) => ({
      module: 'keras.layers',
      class_name: 'Dense',
      config: { name: 'dense', kernel_initializer: { module, class_name: 'function', config: name } },
    });
    const keras = (layers: unknown[]) =>
      zipBytes([
        {
          name: 'config.json',
          data: Buffer.from(
            JSON.stringify({ module: 'keras', class_name: 'Sequential', config: { layers } }),
          ),
        },
      ]);
    for (const [module, name] of [
      ['keras.utils', 'get_file'],
      ['keras.src.utils.file_utils', 'get_file'],
      ['tensorflow', 'py_function'],
      ['tensorflow', 'numpy_function'],
      ['tensorflow.io', 'write_file'],
      ['keras.models', 'load_model'],
      ['tensorflow.io.gfile', 'rmtree'],
    ] as const) {
      const info = await inspect('calls.keras', keras([layer(module, name)]));
      expect({ name: `${module}.${name}`, verdict: info.safety?.verdict }).toEqual({
        name: `${module}.${name}`,
        verdict: 'unsafe',
      });
      expect(info.safety?.findings?.[0]?.names).toContain(`${module}.${name}`);
    }
    const benign = await inspect('benign.keras', keras([layer('keras.initializers', 'glorot_uniform')]));
    expect(benign.safety?.verdict).toBe('clean');
  });

  it('scans a zip appended to a pickle (zipfile and Keras find it by its end record)', async () => {
    const config = { class_name: 'Lambda', config: { name: 'hidden' } };
    const keras = zipBytes([{ name: 'config.json', data: Buffer.from(JSON.stringify(config)) }]);
    const polyglot = Buffer.concat([pickleTorchStateDict(), keras]);
    const info = await inspect('model.keras', polyglot);
    expect(info.format).toBe('pickle');
    expect(info.safety).toMatchObject({
      verdict: 'unsafe',
      findings: [{ member: '(zip at the end of the file) > config.json', names: ['Lambda:hidden'] }],
    });
    // Behind bytes of no known format too: zipfile.is_zipfile (which Keras asks) is true for it.
    const behindRaw = await inspect('raw.keras', Buffer.concat([Buffer.alloc(4096), keras]));
    expect(behindRaw.safety).toMatchObject({
      verdict: 'unsafe',
      findings: [{ member: '(zip at the end of the file) > config.json', names: ['Lambda:hidden'] }],
    });
  });

  it('scans a second pickle after the first STOP', async () => {
    const info = await inspect('two.pkl', Buffer.concat([pickleTorchStateDict(), pickleOsSystem()]));
    expect(info.metadata['pickles']).toBe(2);
    expect(info.safety?.verdict).toBe('unsafe');
    // A STOP is not the end when opcodes follow without a PROTO header.
    const tail = Buffer.from("cos\nsystem\n(S'true'\ntR.", 'latin1');
    const joined = await inspect('joined.pkl', Buffer.concat([pickleTorchStateDict(), tail]));
    expect(joined.safety).toMatchObject({ verdict: 'unsafe', pickles: 2 });
    // A lone STOP between two pickles (padding) is not the end of the file's pickles.
    for (const padding of ['.', '...', '.'.repeat(3_000_000)])
      expect(
        (
          await inspect(
            'padded.pkl',
            Buffer.concat([pickleTorchStateDict(), Buffer.from(padding), pickleOsSystem()]),
          )
        ).safety,
      ).toMatchObject({ verdict: 'unsafe', pickles: 2 });
  });
});

describe('safety scan: classification by exact name', () => {
  const { inspect } = useFormatInspector();

  it('a prefix of a safe module is not a safe name', async () => {
    const info = await inspect(
      'prefix.pt',
      pickleStackGlobal('torch.nn.modules.module', 'torch.ctypes.CDLL'),
    );
    expect(info.safety).toMatchObject({
      verdict: 'unsafe',
      findings: [{ names: ['torch.nn.modules.module.torch.ctypes.CDLL'] }],
    });
  });

  it.each([
    ['os', 'system'],
    ['posix', 'system'],
    ['nt', 'system'],
    ['subprocess', 'Popen'],
    ['builtins', 'exec'],
    ['builtins', 'eval'],
    ['builtins', 'compile'],
    ['builtins', 'getattr'],
    ['builtins', '__import__'],
    ['builtins', 'open'],
    ['__builtin__', 'eval'],
    ['runpy', 'run_path'],
    ['pip', 'main'],
    ['pip._internal.cli.main', 'main'],
    ['webbrowser', 'open'],
    ['shutil', 'rmtree'],
    ['ctypes', 'CDLL'],
    ['torch', 'ctypes.CDLL'],
    ['importlib', 'import_module'],
    ['marshal', 'loads'],
    ['types', 'CodeType'],
    ['types', 'FunctionType'],
    ['functools', 'partial'],
    ['operator', 'attrgetter'],
    ['operator', 'methodcaller'],
    ['operator', 'itemgetter'],
    ['_operator', 'attrgetter'],
    ['torch.hub', 'load'],
    ['torch.serialization', 'load'],
    ['posixpath', 'os.system'],
    ['uuid', '_get_command_stdout'],
    ['_osx_support', '_read_output'],
    ['pydoc', 'locate'],
    ['pkgutil', 'resolve_name'],
    ['cProfile', 'run'],
    ['profile', 'run'],
    ['numpy.lib.npyio', 'load'],
    ['code', 'interact'],
    ['pty', 'spawn'],
    ['socket', 'socket'],
    ['sys', 'modules'],
    ['builtins', 'object.__subclasses__'],
  ])('%s.%s is unsafe, in a file too', async (module, name) => {
    expect(classifyImport(module, name)).toBe('unsafe');
    const info = await inspect(`deny-${module}-${name}.dat`, pickleStackGlobal(module, name));
    expect(info.safety?.verdict).toBe('unsafe');
  });

  it.each([
    ['collections', 'Counter'],
    ['collections', 'OrderedDict'],
    ['__builtin__', 'xrange'],
    ['__builtin__', 'object'],
    ['numpy.core.multiarray', '_reconstruct'],
    ['numpy.core.numeric', '_frombuffer'],
    ['numpy', 'float64'],
    ['numpy.random._pickle', '__randomstate_ctor'],
    ['torch', 'per_tensor_affine'],
    ['torch._utils', '_rebuild_tensor_v2'],
    ['torch', 'BFloat16Storage'],
    ['torch.nn.functional', 'relu'],
    ['__torch__.torch.classes.quantized', 'LinearPackedParamsBase'],
    ['sklearn.linear_model._base', 'LinearRegression'],
    ['scipy.sparse._csr', 'csr_matrix'],
    ['joblib.numpy_pickle', 'NumpyArrayWrapper'],
    ['pandas.core.frame', 'DataFrame'],
    ['pandas._libs.internals', '_unpickle_block'],
    ['torch.optim.adam', 'Adam'],
    ['numpy.ma.core', 'MaskedArray'],
    ['sklearn.ensemble._hist_gradient_boosting.binning', '_BinMapper'],
    ['sklearn._loss._loss', '__pyx_unpickle_CyHalfBinomialLoss'],
    ['sklearn.neighbors._kd_tree', 'newObj'],
    ['sklearn.metrics._dist_metrics', 'newObj'],
  ])('%s.%s is safe', (module, name) => {
    expect(classifyImport(module, name)).toBe('safe');
  });

  it('classes of modules that read or write files are not on the safe list', () => {
    expect(classifyImport('pandas.io.pytables', 'HDFStore')).toBe('unknown');
    expect(classifyImport('sklearn.datasets._base', 'Bunch')).toBe('unknown');
    expect(classifyImport('sklearn.utils._testing', 'TempMemmap')).toBe('unknown');
    expect(classifyImport('pandas', 'read_pickle')).toBe('unsafe');
    // sklearn's Cython and tree helpers are safe by their exact shape only.
    expect(classifyImport('sklearn.utils', 'newObj')).toBe('unknown');
    expect(classifyImport('sklearn.utils._testing', '__pyx_unpickle_X')).toBe('unknown');
    expect(classifyImport('sklearn.tree._tree', 'load')).toBe('unknown');
  });

  it("the Enum idiom getattr(cls, 'NAME') on an imported class is not unsafe (training_args.bin)", async () => {
    const enumPickle = Buffer.from(
      '\x80\x02cbuiltins\ngetattr\nq\x00ctransformers.trainer_utils\nIntervalStrategy\nq\x01X\x05\x00\x00\x00STEPS\x86R' +
        'h\x00h\x01X\x05\x00\x00\x00EPOCH\x86R\x86.',
      'latin1',
    );
    expect((await inspect('training_args.bin', enumPickle)).safety).toEqual({ verdict: 'clean', pickles: 1 });
    // getattr on anything else, or used another way, stays unsafe.
    const attack = Buffer.from(
      '\x80\x02cbuiltins\ngetattr\nq\x00ctransformers.trainer_utils\nIntervalStrategy\nX\x05\x00\x00\x00STEPS\x86Rh\x00N\x85R.',
      'latin1',
    );
    expect((await inspect('attack.bin', attack)).safety?.verdict).toBe('unsafe');
    const dunder = Buffer.from(
      '\x80\x02cbuiltins\ngetattr\nq\x00cbuiltins\nobject\nX\x0e\x00\x00\x00__subclasses__\x86R)R.',
      'latin1',
    );
    expect((await inspect('dunder.bin', dunder)).safety?.verdict).toBe('unsafe');
    // The idiom's shape, but what getattr returned is then called: Path('/tmp/x').write_text('evil').
    const method = Buffer.from(
      '\x80\x02cbuiltins\ngetattr\nq\x00cpathlib\nPath\nq\x01X\x0a\x00\x00\x00write_text\x86R' +
        'h\x01X\x06\x00\x00\x00/tmp/x\x85RX\x04\x00\x00\x00evil\x86R.',
      'latin1',
    );
    expect((await inspect('method.bin', method)).safety).toMatchObject({
      verdict: 'unsafe',
      findings: [{ verdict: 'unsafe', names: ['builtins.getattr'] }],
    });
    // ...or handed to a safe helper that calls it: torch's _rebuild_from_type_v2(func, type, args, state).
    const handed = Buffer.from(
      '\x80\x02ctorch._tensor\n_rebuild_from_type_v2\n(cbuiltins\ngetattr\nq\x00cpathlib\nPath\nq\x01' +
        'X\x0a\x00\x00\x00write_text\x86Rcbuiltins\nint\nh\x01X\x06\x00\x00\x00/tmp/x\x85R' +
        'X\x04\x00\x00\x00evil\x86}tR.',
      'latin1',
    );
    expect((await inspect('handed.bin', handed)).safety).toMatchObject({
      verdict: 'unsafe',
      findings: [{ verdict: 'unsafe', names: ['builtins.getattr'] }],
    });
  });
});

describe('safety scan: scale', () => {
  const { inspect } = useFormatInspector();

  it('a 1.2-million-entry vocabulary pickle scans in bounded memory and is clean', async () => {
    // {word: id} for 1.2 million words, as pickle writes a dict: SETITEMS batches of 1000, each key memoised.
    const bytes = Buffer.alloc(32 * 1024 * 1024);
    let at = bytes.write('\x80\x04}\x94', 0, 'latin1');
    for (let batch = 0; batch < 1200; batch++) {
      bytes[at++] = 0x28;
      for (let index = 0; index < 1000; index++) {
        const word = `w${batch * 1000 + index}`;
        bytes[at++] = 0x8c;
        bytes[at++] = word.length;
        at += bytes.write(word, at, 'latin1');
        bytes[at++] = 0x94;
        bytes[at++] = 0x4a;
        at = bytes.writeInt32LE(batch * 1000 + index, at);
      }
      bytes[at++] = 0x75;
    }
    bytes[at++] = 0x2e;
    const info = await inspect('vocab.pkl', bytes.subarray(0, at));
    expect(info.safety).toEqual({ verdict: 'clean', pickles: 1 });
  });

  // Throughput is the bench's to measure (scan.bench.ts); this holds that the scan reaches a
  // payload past 200 MB of inflated opcodes instead of stopping at a bound.
  it('scans 200 MB of opcodes (deflated in a .pt) to the payload at their end', async () => {
    const body = Buffer.alloc(200 * 1024 * 1024, 'N0'); // NONE POP...
    body[0] = 0x80;
    body[1] = 0x02;
    const pickle = Buffer.concat([body, Buffer.from('cos\nsystem\n0.', 'latin1')]);
    const archive = torchZipBytes(pickle, { deflatePickle: true });
    const info = await inspect('big.pt', archive);
    expect(info.safety?.verdict).toBe('unsafe');
    expect(info.safety?.findings).toEqual(
      expect.arrayContaining([expect.objectContaining({ verdict: 'unsafe', names: ['os.system'] })]),
    );
  }, 180_000);
});

describe('safety scan: real saves (Debian python3)', () => {
  const { directory } = useFormatInspector();

  it('joblib: arrays are skipped the way joblib lays them out, so a payload after one is seen', async () => {
    const script = `
import joblib, numpy as np, pickle, os
class Evil:
    def __reduce__(self):
        return (os.system, ('true',))
joblib.dump({'w': np.arange(1000, dtype='f8'), 'o': np.array([1, 'x'], dtype=object), 'n': 'after'}, 'benign.joblib')
joblib.dump([np.arange(100, dtype='i4'), Evil()], 'evil.joblib')
joblib.dump({'w': np.arange(10, dtype='f4')}, 'small.joblib.gz', compress=('gzip', 3))
`;
    if ((await debianPython(['joblib', 'numpy'], script, directory())) === null) return;
    const benign = await inspectModelFile(join(directory(), 'benign.joblib'), 'benign.joblib');
    expect(benign.safety?.verdict).toBe('clean');
    expect(benign.safety?.pickles).toBe(2);
    const evil = await inspectModelFile(join(directory(), 'evil.joblib'), 'evil.joblib');
    expect(evil.safety).toMatchObject({ verdict: 'unsafe', findings: [{ names: ['posix.system'] }] });
    const gz = await inspectModelFile(join(directory(), 'small.joblib.gz'), 'small.joblib.gz');
    expect(gz.safety?.verdict).toBe('clean');
  });

  it('PyTorch and sklearn saves are not unsafe; a malicious torch.save is', async () => {
    const script = `
import torch, os, pickle
from sklearn.linear_model import LogisticRegression
import numpy as np
class Evil:
    def __reduce__(self):
        return (os.system, ('true',))
torch.save({'w': torch.zeros(3), 'q': torch.quantize_per_tensor(torch.ones(2), 0.1, 0, torch.quint8)}, 'state.pt')
torch.save({'w': torch.zeros(3)}, 'legacy.pt', _use_new_zipfile_serialization=False)
torch.save({'w': torch.zeros(3), 'x': Evil()}, 'evil.pt')
m = LogisticRegression().fit(np.array([[0.0], [1.0]]), np.array([0, 1]))
pickle.dump(m, open('model.sav', 'wb'))
net = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.LayerNorm(4))
torch.save(net, 'full.pt')
torch.jit.save(torch.jit.script(net), 'script.pt')
import joblib
from sklearn.ensemble import RandomForestClassifier
joblib.dump(RandomForestClassifier(n_estimators=2).fit(np.array([[0.0], [1.0]]), np.array([0, 1])), 'forest.joblib', compress=3)
`;
    if ((await debianPython(['torch', 'sklearn', 'numpy', 'joblib'], script, directory())) === null) return;
    for (const name of ['state.pt', 'legacy.pt', 'model.sav', 'full.pt', 'script.pt', 'forest.joblib']) {
      const info = await inspectModelFile(join(directory(), name), name);
      expect([name, info.safety?.verdict]).toEqual([name, 'clean']);
    }
    const evil = await inspectModelFile(join(directory(), 'evil.pt'), 'evil.pt');
    expect(evil.safety?.verdict).toBe('unsafe');
  }, 60_000);

  it("Python 3.11's own Enum pickles (getattr(cls, 'NAME')) are not unsafe, at every protocol", async () => {
    const script = `
import pickle, uuid
for protocol in range(0, 6):
    pickle.dump({'a': uuid.SafeUUID.safe, 'b': uuid.SafeUUID.unsafe}, open(f'enum{protocol}.pkl', 'wb'), protocol=protocol)
`;
    if ((await debianPython([], script, directory())) === null) return;
    for (let protocol = 0; protocol <= 5; protocol++) {
      const info = await inspectModelFile(join(directory(), `enum${protocol}.pkl`), `enum${protocol}.pkl`);
      expect([protocol, info.safety]).toEqual([
        protocol,
        { verdict: 'unknown', pickles: 1, findings: [expect.objectContaining({ names: ['uuid.SafeUUID'] })] },
      ]);
    }
  });

  it('finds a Keras Lambda in an HDF5 model_config attribute (h5py)', async () => {
    const script = `
import h5py, json
config = {"class_name": "Sequential", "config": {"name": "s", "layers": [{"class_name": "Lambda", "config": {"name": "evil", "function": ["YWJj", None, None], "function_type": "lambda"}}]}}
with h5py.File('model.h5', 'w') as f:
    f.attrs['model_config'] = json.dumps(config)
    f.create_dataset('w', data=[1.0, 2.0])
with h5py.File('weights.h5', 'w') as f:
    f.create_dataset('w', data=[1.0, 2.0])
`;
    if ((await debianPython(['h5py'], script, directory())) === null) return;
    const info = await inspectModelFile(join(directory(), 'model.h5'), 'model.h5');
    expect(info.format).toBe('hdf5');
    expect(info.safety).toMatchObject({ verdict: 'unsafe', findings: [{ names: ['Lambda:evil'] }] });
    const weights = await inspectModelFile(join(directory(), 'weights.h5'), 'weights.h5');
    expect(weights.safety?.verdict).toBe('clean');
    expect((await readFile(join(directory(), 'model.h5'))).length).toBeGreaterThan(0);
  });

  it('finds a Lambda whose keys are JSON-escaped, and one behind a harmless decoy', async () => {
    const script = `
import h5py, json
evil = {"class_name": "Sequential", "config": {"name": "s", "layers": [{"class_name": "Lambda", "config": {"name": "evil", "function": ["YWJj", None, None], "function_type": "lambda"}}]}}
decoy = {"class_name": "Sequential", "config": {"name": "s", "layers": [{"class_name": "Dense", "config": {"name": "d", "units": 1}}]}}
escaped = json.dumps(evil).replace('"class_name"', '"\\\\u0063lass_name"')
assert json.loads(escaped) == evil
with h5py.File('escaped.h5', 'w') as f:
    f.attrs['model_config'] = escaped
    f.create_dataset('w', data=[1.0, 2.0])
with h5py.File('decoy.h5', 'w') as f:
    f.attrs['a_decoy'] = json.dumps(decoy)
    f.attrs['model_config'] = json.dumps(evil)
    f.create_dataset('w', data=[1.0, 2.0])
with h5py.File('benign.h5', 'w') as f:
    f.attrs['model_config'] = json.dumps(decoy)
    f.attrs['training_config'] = json.dumps({"loss": "mse", "optimizer_config": {"class_name": "Adam", "config": {"learning_rate": 0.001}}})
    f.create_dataset('w', data=[1.0, 2.0])
`;
    if ((await debianPython(['h5py'], script, directory())) === null) return;
    for (const name of ['escaped.h5', 'decoy.h5']) {
      const info = await inspectModelFile(join(directory(), name), name);
      expect({ name, safety: info.safety }).toMatchObject({
        name,
        safety: { verdict: 'unsafe', findings: [{ names: ['Lambda:evil'] }] },
      });
    }
    const benign = await inspectModelFile(join(directory(), 'benign.h5'), 'benign.h5');
    expect(benign.safety?.verdict).toBe('clean');
  });
});

describe('record prints the verdict', () => {
  it('one prominent line per unsafe, unknown or incomplete model', async () => {
    const { safetyLines } = await import('../../src/cli/record.js');
    const base = { kind: 'file' as const, digest: { sha256: 'a'.repeat(64) }, size: 1 };
    expect(
      safetyLines([
        {
          ...base,
          name: 'm/evil.pt',
          safety: {
            verdict: 'unsafe',
            pickles: 1,
            findings: [{ verdict: 'unsafe', member: 'archive/data.pkl', names: ['os.system'] }],
          },
        },
        { ...base, name: 'm/ok.pt', safety: { verdict: 'clean', pickles: 1 } },
        {
          ...base,
          name: 'm/bomb.zip',
          safety: {
            verdict: 'incomplete',
            pickles: 0,
            findings: [{ verdict: 'incomplete', reason: 'inflates to more than 4294967296 bytes' }],
          },
        },
      ]),
    ).toEqual([
      'UNSAFE m/evil.pt in archive/data.pkl: os.system — loading it can run code — do not load it; convert it to safetensors',
      'INCOMPLETE m/bomb.zip: inflates to more than 4294967296 bytes — scan incomplete — it was not fully checked; treat it as unchecked',
    ]);
  });
});

describe('hostile headers', () => {
  const { inspect } = useFormatInspector();

  it('copies at most a few KiB of each safetensors __metadata__ value, and the rest by digest', async () => {
    const huge = 'x'.repeat(10 * 1024 * 1024);
    const bytes = safetensorsBytes([{ name: 'w', dtype: 'F32', shape: [2] }], { note: 'small', blob: huge });
    const info = await inspect('big-meta.safetensors', bytes);
    expect(info.metadata['metadata']).toEqual({ note: 'small' });
    expect(info.metadata['metadataOmitted']).toEqual({
      blob: `sha256:${createHash('sha256').update(huge).digest('hex')} (${huge.length} bytes)`,
    });
    expect(JSON.stringify(info).length).toBeLessThan(10_000);
    expect(info.warnings.map((warning) => warning.code)).toEqual(['SAFETENSORS_METADATA_TRUNCATED']);
  });

  it('never copies a lone surrogate into the record', async () => {
    const bytes = safetensorsBytes([{ name: 'w', dtype: 'F32', shape: [2] }], { ['k\ud800']: 'v\udc00' });
    expect(bytes.toString('latin1')).toContain('\\ud800');
    const info = await inspect('surrogate.safetensors', bytes);
    expect(info.metadata['metadata']).toEqual({ 'k\ufffd': 'v\ufffd' });
    const pickle = Buffer.from('cos\nsystem\n(Vx\\ud800\ntR.', 'latin1');
    // raw-unicode-escape (opcode V) decodes \ud800 to a lone surrogate, here in an import's name.
    const scanned = await inspect('surrogate.pkl', Buffer.from('\x80\x04Vm\\ud800\nVX\n\x93)R.', 'latin1'));
    expect(scanned.safety?.verdict).toBe('unknown');
    expect(scanned.metadata['imports']).toEqual(['m\ufffd.X']);
    expect(JSON.stringify(scanned)).not.toMatch(/\\ud800/);
    expect((await inspect('v.pkl', pickle)).safety?.verdict).toBe('unsafe');
  });
});

describe('model directories', () => {
  let temp: TempDir;
  beforeAll(async () => {
    temp = await tempDir();
  });
  afterAll(() => temp.cleanup());

  it('scans every one of 301 pickles (none dropped by a cap), and a 300k-deep config.json is a FORMAT warning', async () => {
    for (let index = 0; index < 300; index++)
      await temp.write(`model/part-${index}.bin`, pickleTorchStateDict());
    await temp.write('model/zz-last.dat', pickleOsSystem());
    await temp.write('model/config.json', `{"architectures": ${'['.repeat(300_000)}${']'.repeat(300_000)}}`);
    await temp.write('plain/config.json', '{"model_type": "b\\ud800rt"}');
    await temp.write('plain/model.safetensors', safetensorsBytes([{ name: 'w', dtype: 'F32', shape: [1] }]));
    const context = testContext(temp.dir);
    const [entry] = await new ModelsCollector({ patterns: ['model'], noCache: true }).collect(context);
    expect(entry?.safety).toMatchObject({
      verdict: 'unsafe',
      pickles: 301,
      findings: [{ verdict: 'unsafe', member: 'zz-last.dat', names: ['os.system'] }],
    });
    expect(entry?.warnings).toContainEqual({
      code: 'FORMAT',
      message: expect.stringContaining('model/config.json: nests deeper than 512 levels'),
    });
    const [plain] = await new ModelsCollector({ patterns: ['plain'], noCache: true }).collect(context);
    expect(plain?.metadata?.['config']).toEqual({ model_type: 'b\ufffdrt' });
    expect(plain?.safety).toEqual({ verdict: 'clean', pickles: 0 });
  });

  it('a directory with more files than the scan bound is incomplete, never clean', async () => {
    for (let index = 0; index < 3; index++)
      await temp.write(`capped/part-${index}.bin`, pickleTorchStateDict());
    const context = testContext(temp.dir);
    const collect = (maxScannedFiles?: number) =>
      new ModelsCollector({
        patterns: ['capped'],
        noCache: true,
        ...(maxScannedFiles === undefined ? {} : { maxScannedFiles }),
      }).collect(context);
    expect((await collect())[0]?.safety).toEqual({ verdict: 'clean', pickles: 3 });
    const [capped] = await collect(2);
    expect(capped?.safety).toEqual({
      verdict: 'incomplete',
      pickles: 2,
      findings: [
        { verdict: 'incomplete', reason: 'capped: only the first 2 of 3 files were scanned; all are hashed' },
      ],
    });
    expect(capped?.warnings).toContainEqual({
      code: 'SCAN_INCOMPLETE',
      message: 'capped: only the first 2 of 3 files were scanned; all are hashed',
    });
  });
});

describe('inflation bound', () => {
  it('a compression bomb stops at the inflated-bytes bound as incomplete, in bounded memory', async () => {
    const { scanContext, scanPart, wholeSource } = await import('../../src/formats/scan.js');
    const { BufferSource } = await import('../../src/formats/reader.js');
    const { DEFAULT_LIMITS } = await import('../../src/formats/stream.js');
    // 64 MiB of opcodes that do nothing (NONE POP), deflated to about 64 KiB, behind a safe pickle header.
    const bomb = gzipSync(
      Buffer.concat([Buffer.from([0x80, 0x02]), Buffer.alloc(64 * 1024 * 1024, 'N0'), Buffer.from('N.')]),
    );
    const context = scanContext('bomb.pkl.gz', { ...DEFAULT_LIMITS, inflatedBytes: 8 * 1024 * 1024 });
    await scanPart(wholeSource(new BufferSource(bomb)), context, 0);
    expect(bomb.length).toBeLessThan(256 * 1024);
    expect(context.report.result()).toMatchObject({
      verdict: 'incomplete',
      findings: [
        { verdict: 'incomplete', reason: expect.stringContaining('inflates to more than 8388608 bytes') },
      ],
    });
  });
});

describe('bounded memo', () => {
  it('an import whose operands the bounded memo dropped makes the scan incomplete, not clean', async () => {
    const { emptyScan, PICKLE_LIMITS, scanPickle } = await import('../../src/formats/pickle.js');
    const { RangeStream } = await import('../../src/formats/stream.js');
    const { BufferSource } = await import('../../src/formats/reader.js');
    const { SafetyReport } = await import('../../src/formats/safety.js');
    const bytes = pickleStackGlobal('os', 'system');
    const scan = await scanPickle(
      new RangeStream(new BufferSource(bytes), 0, bytes.length),
      'p',
      emptyScan(),
      {
        ...PICKLE_LIMITS,
        memoValues: 1,
      },
    );
    expect(scan.untracked).toBe(1);
    const report = new SafetyReport();
    report.addPickle(scan, undefined);
    expect(report.result().verdict).toBe('incomplete');
  });
});

describe('mutated files', () => {
  const { inspect } = useFormatInspector();

  it('bytes flipped in every container end in a verdict or a FORMAT error, never a crash or a hang', async () => {
    const seeds = [
      torchZipBytes(pickleOsSystem(), { deflatePickle: true }),
      tarBytes([{ name: 'pickle', data: pickleTorchStateDict() }]),
      gzipSync(pickleTorchStateDict()),
      npyBytes('|O', '(2,)', pickleOsSystem()),
      pickleStackGlobal('collections', 'OrderedDict'),
      zipBytes([{ name: 'config.json', data: Buffer.from('{"class_name": "Lambda"}'), deflate: true }]),
    ];
    let state = 7;
    const next = (): number => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return state >>> 0;
    };
    for (let round = 0; round < 600; round++) {
      const seed = seeds[round % seeds.length] as Buffer;
      const bytes = Buffer.from(seed);
      for (let flips = 1 + (next() % 4); flips > 0; flips--) bytes[next() % bytes.length] = next() & 0xff;
      try {
        const info = await inspect(`mutant-${round}.bin`, bytes);
        expect(['clean', 'unknown', 'unsafe', 'incomplete']).toContain(info.safety?.verdict);
      } catch (error) {
        expect(error).toMatchObject({ name: 'LedgerError', code: 'FORMAT' });
      }
    }
  }, 60_000);
});

describe('window boundaries', () => {
  const { inspect } = useFormatInspector();

  it('finds an import right at every window and chunk edge, stored and gzip-inflated', async () => {
    const look = 2 * 32 * 1024 + 4096;
    const edges = [look, 1024 * 1024, 256 * 1024 + look];
    for (const edge of edges) {
      for (let shift = -4; shift <= 4; shift++) {
        const filler = Math.max(0, edge + shift - 2);
        const body = Buffer.alloc(filler, 'N0');
        if (filler % 2 === 1) body[filler - 1] = 0x4e; // an odd filler ends on NONE: POP it below
        const tail = Buffer.from(`${filler % 2 === 1 ? '0' : ''}cos\nsystem\n0N.`, 'latin1');
        const pickle = Buffer.concat([Buffer.from([0x80, 0x02]), body, tail]);
        expect([edge, shift, (await inspect(`edge-${edge}-${shift}.pkl`, pickle)).safety?.verdict]).toEqual([
          edge,
          shift,
          'unsafe',
        ]);
        const gz = (await inspect(`edge-${edge}-${shift}.pkl.gz`, gzipSync(pickle))).safety?.verdict;
        expect([edge, shift, gz]).toEqual([edge, shift, 'unsafe']);
      }
    }
  });
});
