/**
 * Formats told by their first bytes: old joblib zlib files, pre-POSIX tar archives and LZMA-alone
 * headers, with the near misses that are not them.
 */
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from '@jest/globals';

import { sniff } from '../../src/formats/sniff.js';
import { pickleOsSystem, tarBytes, useFormatInspector } from '../support/ml-files.js';

describe('sniffing', () => {
  const { inspect } = useFormatInspector();

  it('an old joblib file ("ZF", hex length, zlib) is opened and its pickle scanned', async () => {
    const pickle = pickleOsSystem();
    const bytes = Buffer.concat([
      Buffer.from('ZF'),
      Buffer.from(`0x${pickle.length.toString(16)}`.padEnd(19, ' ')),
      deflateSync(pickle),
    ]);
    expect(sniff(bytes, bytes.length)).toBe('joblib-zlib');
    const info = await inspect('old.joblib', bytes);
    expect(info.format).toBe('zlib');
    expect(info.safety?.verdict).toBe('unsafe');
    expect(info.safety?.findings?.[0]?.names).toEqual(['os.system']);
    // "ZF" without zlib behind the length is not one.
    const notZlib = Buffer.from(bytes);
    notZlib[21] = 0;
    expect(sniff(notZlib, notZlib.length)).not.toBe('joblib-zlib');
  });

  it('a pre-POSIX (v7) tar is a tar by its checksum; a damaged checksum is not', async () => {
    const ustar = tarBytes([{ name: 'pickle', data: pickleOsSystem() }]);
    const v7 = Buffer.from(ustar);
    // Clear the ustar magic and version, and fix the checksum up as a v7 writer would have it.
    v7.fill(0, 257, 265);
    v7.fill(0x20, 148, 156);
    let sum = 0;
    for (let index = 0; index < 512; index++) sum += v7[index] as number;
    v7.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
    expect(sniff(v7.subarray(0, 512), v7.length)).toBe('tar');
    const info = await inspect('legacy.tar', v7);
    expect(info.safety?.verdict).toBe('unsafe');

    const damaged = Buffer.from(v7);
    damaged.write('0000001\0', 148, 'latin1');
    expect(sniff(damaged.subarray(0, 512), damaged.length)).toBe('unknown');
    const unreadable = Buffer.from(v7);
    unreadable.write('zzzzzzz\0', 148, 'latin1');
    expect(sniff(unreadable.subarray(0, 512), unreadable.length)).toBe('unknown');
  });

  it('LZMA-alone needs a dictionary of 2^n or 2^n + 2^(n-1) of at least 4 KiB, and a plausible size', () => {
    const header = (dictionary: number, size: bigint | 'unknown') => {
      const bytes = Buffer.alloc(16, 0);
      bytes[0] = 0x5d;
      bytes.writeUInt32LE(dictionary, 1);
      if (size === 'unknown') bytes.fill(0xff, 5, 13);
      else bytes.writeBigUInt64LE(size, 5);
      return bytes;
    };
    expect(sniff(header(1 << 23, 'unknown'), 100)).toBe('lzma');
    expect(sniff(header(3 << 22, 1000n), 100)).toBe('lzma');
    expect(sniff(header(2048, 'unknown'), 100)).not.toBe('lzma');
    expect(sniff(header((1 << 23) + 1, 'unknown'), 100)).not.toBe('lzma');
    expect(sniff(header(1 << 23, 2n ** 41n), 100)).not.toBe('lzma');
  });
});
