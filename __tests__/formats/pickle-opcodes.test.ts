/**
 * The pickle scanner on hand-assembled pickles, opcode by opcode (CPython Lib/pickletools.py):
 * the protocol 0 text operands and their escapes, the 8-byte lengths of protocol 4, protocol 5's
 * buffers, EXT codes, text and 4-byte memo keys, and the bounds that stop a scan, each with the
 * imports it finds or the error it names.
 */
import { describe, expect, it } from '@jest/globals';

import { BufferSource, RangeStream, scanPickle } from '../../src/formats/index.js';
import { dtypeSize, PICKLE_LIMITS, PickleFormatError, type PickleLimits } from '../../src/formats/pickle.js';
import { ScanBoundError } from '../../src/formats/stream.js';

const latin1 = (text: string) => Buffer.from(text, 'latin1');
const u32 = (value: number) => {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value);
  return bytes;
};
const i32 = (value: number) => {
  const bytes = Buffer.alloc(4);
  bytes.writeInt32LE(value);
  return bytes;
};
const u64 = (value: bigint) => {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(value);
  return bytes;
};
const pickle = (...parts: (string | Buffer)[]) =>
  Buffer.concat(parts.map((part) => (typeof part === 'string' ? latin1(part) : part)));

async function scan(bytes: Buffer, limits: PickleLimits = PICKLE_LIMITS) {
  return scanPickle(
    new RangeStream(new BufferSource(bytes), 0, bytes.length),
    'models/m.pkl',
    undefined,
    limits,
  );
}
const names = async (bytes: Buffer) =>
  (await scan(bytes)).imports.map((entry) => `${entry.module}.${entry.name}`);

async function refused(bytes: Buffer, message: string | RegExp): Promise<void> {
  const failure = scan(bytes);
  await expect(failure).rejects.toBeInstanceOf(PickleFormatError);
  await expect(failure).rejects.toThrow(message);
}

/** STACK_GLOBAL on two pushed operands, then an empty tuple and REDUCE: module.name() called. */
const callStackGlobal = (module: Buffer | string, name: Buffer | string) => pickle(module, name, '\x93)R.');

describe('protocol 0 text operands', () => {
  it('decodes STRING literals as Python does (hex, octal and simple escapes) before they name an import', async () => {
    const result = await scan(callStackGlobal("S'o\\x73'\n", "S'sys\\164em'\n"));
    expect(result.imports).toMatchObject([
      { module: 'os', name: 'system', opcode: 'STACK_GLOBAL', called: true },
    ]);
    // A tab, a quote and an unknown escape (kept as written) in a name: an import no allow-list knows.
    expect(await names(callStackGlobal('S"a\\tb\\"\\q"\n', "S'n\\n'\n"))).toEqual(['a\tb"\\q.n\n']);
  });

  it('a STRING operand that is not quoted is not a pickle', async () => {
    await refused(pickle("S'unterminated\n."), /STRING at byte 0 is not quoted/);
    await refused(pickle('Sx\n.'), /STRING at byte 0 is not quoted/);
  });

  it('decodes UNICODE (raw-unicode-escape) operands, \\u and \\U alike', async () => {
    expect(await names(callStackGlobal('Vbuilt\\u0069ns\n', 'Vev\\U00000061l\n'))).toEqual(['builtins.eval']);
  });

  it('reads INT, LONG and FLOAT lines, and text memo keys for PUT and GET', async () => {
    const bytes = pickle(
      '(I42\nL123456789012345678901234567890L\nF1.5\nI99999999999999999999\n1',
      "S'os'\np7\n0g7\nS'system'\n\x93)R.",
    );
    expect(await names(bytes)).toEqual(['os.system']);
    await refused(pickle("S'x'\np-1\n."), /bad memo key at byte \d+/);
    await refused(pickle('g3\n.'), /memo key 3 was never stored/);
  });

  it('GLOBAL and INST names must end their line within 32 KiB', async () => {
    await refused(
      pickle('c', 'm'.repeat(40 * 1024), '\nx\n.'),
      /GLOBAL module: no end of line within 32768 bytes/,
    );
    await refused(pickle('cos\nsys'), /GLOBAL name: the data ended before the end of the line \(truncated\)/);
  });

  it('a LONG line runs on past the window; one the data cuts off is truncated', async () => {
    const digits = '1'.repeat(200 * 1024);
    expect((await scan(pickle('L', digits, 'L\n.'))).opcodes).toBe(2);
    await refused(pickle('L', digits), /LONG: the data ended before the end of the line \(truncated\)/);
  });
});

describe('binary operands', () => {
  it('BINSTRING, BINUNICODE8 and SHORT_BINSTRING name imports; BINBYTES8 and BYTEARRAY8 are skipped', async () => {
    const binstring = (text: string) => pickle('T', i32(text.length), text);
    const unicode8 = (text: string) => pickle('\x8d', u64(BigInt(text.length)), text);
    const bytes = pickle(
      '\x80\x04',
      '\x8e',
      u64(3n),
      'abc',
      '\x96',
      u64(2n),
      'xy',
      '0',
      '0',
      binstring('posix'),
      unicode8('system'),
      '\x93)R.',
    );
    const result = await scan(bytes);
    expect(result.protocol).toBe(4);
    expect(result.imports).toMatchObject([{ module: 'posix', name: 'system' }]);
    expect(await names(callStackGlobal(pickle('U\x02os'), pickle('U\x06system')))).toEqual(['os.system']);
  });

  it('refuses negative and impossible lengths', async () => {
    await refused(pickle('T', i32(-1), '.'), /negative BINSTRING length at byte 0/);
    await refused(pickle('\x8b', i32(-2), '.'), /negative LONG4 length at byte 0/);
    await refused(pickle('\x8e', u64(2n ** 60n), '.'), `a string of ${2n ** 60n} bytes at byte 0 (corrupt)`);
    await refused(
      pickle('B', u32(100), 'short.'),
      /string of 100 bytes at byte 5 runs past the end of the data \(truncated\)/,
    );
  });

  it('LONG1 and LONG4 numbers are values, not names', async () => {
    const result = await scan(pickle('\x8a\x00\x8a\x07', Buffer.alloc(7, 1), '\x8b', i32(3), 'abc', '\x87.'));
    expect(result.imports).toEqual([]);
    expect(result.opcodes).toBe(5);
  });
});

describe('the opcodes of protocols 2 to 5', () => {
  it('EXT1, EXT2 and EXT4 imports come from the copyreg registry: unresolved, each named', async () => {
    const result = await scan(pickle('\x82\x01\x83\x02\x00\x84', u32(3), '\x87.'));
    expect(result.unresolved).toEqual([
      { opcode: 'EXT1', offset: 0 },
      { opcode: 'EXT2', offset: 2 },
      { opcode: 'EXT4', offset: 5 },
    ]);
  });

  it("protocol 5's NEXT_BUFFER and READONLY_BUFFER, ADDITEMS on a frozenset, POP_MARK", async () => {
    const result = await scan(pickle('\x80\x05\x97\x98(\x91(N\x90(N1\x86.'));
    expect(result.protocol).toBe(5);
    expect(result.imports).toEqual([]);
  });

  it('OBJ and NEWOBJ_EX call their class; OBJ without one is refused', async () => {
    const objCall = pickle('(cbuiltins\nexec\no.');
    expect((await scan(objCall)).imports).toMatchObject([{ name: 'exec', called: true }]);
    const newobjEx = pickle('cbuiltins\nobject\n)}\x92.');
    expect((await scan(newobjEx)).imports).toMatchObject([{ name: 'object', called: true }]);
    await refused(pickle('(o.'), /OBJ without a class at byte 1/);
  });

  it('memo keys past 2^24 (LONG_BINPUT) are kept apart and fetched back (LONG_BINGET)', async () => {
    const big = u32(2 ** 24 + 5);
    const bytes = pickle(
      '\x80\x04\x8c\x02osr',
      big,
      '0\x8c\x06systemr',
      u32(2 ** 30),
      '0j',
      big,
      'j',
      u32(2 ** 30),
      '\x93)R.',
    );
    expect(await names(bytes)).toEqual(['os.system']);
    // Storing again under a big key replaces the value: the name there is no longer a constant.
    const replaced = pickle('\x80\x04\x8c\x02osr', big, '0(lr', big, '0j', big, '\x8c\x06system\x93.');
    const result = await scan(replaced);
    expect(result.imports).toEqual([]);
    expect(result.unresolved).toEqual([{ opcode: 'STACK_GLOBAL', offset: expect.any(Number) }]);
  });

  it('refuses unknown opcodes and protocols past 5', async () => {
    await refused(pickle('\xff'), /unknown pickle opcode 0xff at byte 0/);
    await refused(pickle('\x80\x06.'), /pickle protocol 6 is newer than 5/);
    await refused(pickle('N'), /ended without STOP/);
  });
});

describe('the bounds of a scan', () => {
  const limits = (overrides: Partial<PickleLimits>): PickleLimits => ({ ...PICKLE_LIMITS, ...overrides });

  it('a stack deeper than the bound stops the scan with a bound error', async () => {
    const failure = scan(pickle('N'.repeat(20), '.'), limits({ stack: 10 }));
    await expect(failure).rejects.toBeInstanceOf(ScanBoundError);
    await expect(failure).rejects.toThrow('stack deeper than 10');
  });

  it('more distinct imports than the bound stop the scan', async () => {
    const failure = scan(
      pickle('cos\nsystem\ncos\npopen\ncsys\nexit\n\x87.'),
      limits({ distinctImports: 2 }),
    );
    await expect(failure).rejects.toThrow('more than 2 distinct imports');
  });

  it('past the memo budget, names are no longer kept: an import from them is counted as untracked', async () => {
    const bytes = pickle('\x80\x04\x8c\x02os\x94\x8c\x06system\x94\x94h\x00h\x01\x93.');
    const tracked = await scan(bytes);
    expect(tracked.imports).toMatchObject([{ module: 'os', name: 'system' }]);
    const bounded = await scan(bytes, limits({ memoValues: 0 }));
    expect(bounded.imports).toEqual([]);
    expect(bounded.untracked).toBe(1);
  });
});

describe('dtypeSize', () => {
  it('knows the sizes of NumPy type codes, with and without byte order and width', () => {
    expect(dtypeSize('<f8')).toBe(8);
    expect(dtypeSize('|b1')).toBe(1);
    expect(dtypeSize('?')).toBe(1);
    expect(dtypeSize('<U10')).toBe(40);
    expect(dtypeSize('M8[ns]')).toBe(8);
    expect(dtypeSize('V0')).toBeNull();
    expect(dtypeSize('x')).toBeNull();
    expect(dtypeSize('[')).toBeNull();
  });
});
