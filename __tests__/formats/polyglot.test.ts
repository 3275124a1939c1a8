/**
 * Files that are two formats at once: the first bytes choose one reading, a loader may make
 * another. A valid GGUF (or safetensors) file can also be a pickle that runs code, and an HDF5 file
 * can sit behind a harmless pickle in a user block. Each is checked against the real loader where
 * Debian's python3 is present: pickle.load reaches the import, h5py opens the HDF5 file.
 */
import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { LAMBDA_MODEL, DENSE_MODEL, writeHdf5 } from '../support/hdf5-files.js';
import { debianPython, GGUF, useFormatInspector, zipBytes } from '../support/ml-files.js';

function u32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32LE(value);
  return buffer;
}
function u64(value: number): Buffer {
  const buffer = Buffer.alloc(8);
  buffer.writeBigUInt64LE(BigInt(value));
  return buffer;
}
function v1String(text: string | Buffer): Buffer {
  const bytes = Buffer.from(text);
  return Buffer.concat([u32(bytes.length), bytes]);
}

/** Protocol 0 `os.system('echo polyglot')`, ended by STOP. */
const OS_SYSTEM = Buffer.from("cos\nsystem\n(S'echo polyglot'\ntR.", 'latin1');

/**
 * A valid GGUF v1 file whose bytes are also a pickle. Read as opcodes: `G` (BINFLOAT) takes the
 * rest of the magic, the version and the tensor count's low byte; the count's next byte is `M`
 * (BININT2), which takes its two zero bytes; the key count's low byte is `J` (BININT), which takes
 * its three zero bytes and the first key length's low byte; that length's next byte is `M` again;
 * and the first key's text is `payload`, which ends with STOP. The counts and the length those
 * bytes make (19,712 tensors, 74 keys, a 19,712-byte key) are what the file really holds.
 */
function ggufPicklePolyglot(payload: Buffer): Buffer {
  const tensors = 0x4d00;
  const keys = 0x4a;
  const firstKey = Buffer.concat([payload, Buffer.alloc(0x4d00 - payload.length, 'x')]);
  const parts: Buffer[] = [Buffer.from('GGUF'), u32(1), u32(tensors), u32(keys)];
  parts.push(v1String(firstKey), u32(GGUF.U8), Buffer.from([1]));
  for (let index = 1; index < keys; index++)
    parts.push(v1String(`general.k${index}`), u32(GGUF.U8), Buffer.from([index]));
  for (let index = 0; index < tensors; index++)
    parts.push(v1String(`t${index}`), u32(1), u32(1), u32(0), u64(0)); // one F32 at offset 0
  const header = Buffer.concat(parts);
  return Buffer.concat([header, Buffer.alloc((32 - (header.length % 32)) % 32), Buffer.alloc(32)]);
}

/** Python's `pickle.load` of `path` through an Unpickler that only prints what it would import. */
function whatPickleImports(path: string): string {
  return [
    'import pickle',
    'class Recording(pickle.Unpickler):',
    '    def find_class(self, module, name):',
    "        print(module + '.' + name)",
    '        return lambda *args: None',
    `with open(${JSON.stringify(path)}, 'rb') as f:`,
    '    Recording(f).load()',
  ].join('\n');
}

/** A pickle of `{'a': 1}` (protocol 2): what a harmless user block could hold. */
const HARMLESS_PICKLE = Buffer.from('80027d7100580100000061710' + '14b01732e', 'hex');

describe('files that are two formats at once', () => {
  const { inspect, directory } = useFormatInspector();

  it('a valid GGUF file that is also a pickle running os.system is unsafe, and still read as GGUF', async () => {
    const bytes = ggufPicklePolyglot(OS_SYSTEM);
    const info = await inspect('polyglot.gguf', bytes);
    expect(info.format).toBe('gguf');
    expect(info.metadata).toMatchObject({ version: 1, tensors: 0x4d00, metadataKeys: 0x4a });
    expect(info.safety).toMatchObject({
      verdict: 'unsafe',
      pickles: 1,
      findings: [expect.objectContaining({ verdict: 'unsafe', names: ['os.system'] })],
    });
    const imported = await debianPython(
      [],
      whatPickleImports(join(directory(), 'polyglot.gguf')),
      directory(),
    );
    if (imported !== null) expect(imported.trim()).toBe('os.system');
  });

  it('a GGUF file whose opcodes break off importing nothing is clean, with no pickle counted', async () => {
    // The same layout with a payload that is not a pickle: the opcodes stop at the first key's text.
    const info = await inspect('plain.gguf', ggufPicklePolyglot(Buffer.from('general.name', 'latin1')));
    expect(info.format).toBe('gguf');
    expect(info.safety).toEqual({ verdict: 'clean', pickles: 0 });
    expect(info.warnings).toEqual([]);
  });

  it('a GGUF member of a zip that is also a pickle is unsafe', async () => {
    const bytes = zipBytes([{ name: 'weights/model.gguf', data: ggufPicklePolyglot(OS_SYSTEM) }]);
    const info = await inspect('bundle.zip', bytes);
    expect(info.safety).toMatchObject({
      verdict: 'unsafe',
      findings: [expect.objectContaining({ member: 'weights/model.gguf', names: ['os.system'] })],
    });
  });

  it('an HDF5 file with a Lambda layer behind a harmless pickle in its user block is unsafe', async () => {
    const h5 = await writeHdf5(join(directory(), 'inner.h5'), { attributes: { model_config: LAMBDA_MODEL } });
    const userBlock = Buffer.concat([HARMLESS_PICKLE, Buffer.alloc(512 - HARMLESS_PICKLE.length)]);
    const bytes = Buffer.concat([userBlock, await readFile(h5)]);
    const info = await inspect('model.pkl', bytes);
    expect(info.format).toBe('pickle');
    expect(info.safety).toMatchObject({
      verdict: 'unsafe',
      pickles: 1,
      findings: [expect.objectContaining({ verdict: 'unsafe', names: ['Lambda:evil'] })],
    });
    const read = await debianPython(
      ['h5py'],
      `import h5py; f = h5py.File(${JSON.stringify(join(directory(), 'model.pkl'))}, 'r'); print(f.userblock_size, 'Lambda' in f.attrs['model_config'])`,
      directory(),
    );
    if (read !== null) expect(read.trim()).toBe('512 True');
  });

  it('an HDF5 file behind a 4 KiB user block of text is found; a Dense-only one is clean', async () => {
    const h5 = await writeHdf5(join(directory(), 'dense.h5'), { attributes: { model_config: DENSE_MODEL } });
    const bytes = Buffer.concat([Buffer.alloc(4096, 'notes about this model\n'), await readFile(h5)]);
    expect((await inspect('dense-with-notes.h5', bytes)).safety).toEqual({ verdict: 'clean', pickles: 0 });
    const lambdaH5 = await writeHdf5(join(directory(), 'lambda.h5'), {
      attributes: { model_config: LAMBDA_MODEL },
    });
    const hidden = Buffer.concat([Buffer.alloc(4096, 'notes about this model\n'), await readFile(lambdaH5)]);
    expect((await inspect('lambda-with-notes.h5', hidden)).safety).toMatchObject({ verdict: 'unsafe' });
  });

  it('HDF5 bytes at an offset the library does not search (not a power of two) are not an HDF5 file', async () => {
    const h5 = await writeHdf5(join(directory(), 'odd.h5'), { attributes: { model_config: LAMBDA_MODEL } });
    const bytes = Buffer.concat([Buffer.alloc(700, 'x'), await readFile(h5)]);
    expect((await inspect('odd.bin', bytes)).safety).toEqual({ verdict: 'clean', pickles: 0 });
  });
});
