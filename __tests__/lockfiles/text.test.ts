import { describe, expect, it } from '@jest/globals';
import { MAX_LINE_BYTES, decodeLockfile, lineAtOffset, splitLines } from '../../src/lockfiles/text.js';
import { attempt, expectFailure } from './helpers.js';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('decodeLockfile', () => {
  it('decodes UTF-8 and drops a UTF-8 byte order mark', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('name = "café"\n')]);
    expect(decodeLockfile(bytes, 'Cargo.lock')).toBe('name = "café"\n');
  });

  it('refuses UTF-16 (little- and big-endian byte order marks) naming line 1', async () => {
    const le = new Uint8Array([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]);
    const be = new Uint8Array([0xfe, 0xff, 0x00, 0x7b, 0x00, 0x7d]);
    await expectFailure(
      attempt(() => decodeLockfile(le, 'package-lock.json')),
      { file: 'package-lock.json', line: 1, message: /UTF-16/ },
    );
    await expectFailure(
      attempt(() => decodeLockfile(be, 'package-lock.json')),
      { file: 'package-lock.json', line: 1, message: /UTF-16/ },
    );
  });

  it('refuses invalid UTF-8 naming the line of the first bad byte', async () => {
    const bytes = new Uint8Array([...utf8('a==1\nb==2\nc=='), 0xc3, 0x28, ...utf8('\n')]);
    await expectFailure(
      attempt(() => decodeLockfile(bytes, 'requirements.txt')),
      { file: 'requirements.txt', line: 3, message: /not valid UTF-8/ },
    );
  });

  it('refuses overlong encodings and lone surrogates as invalid UTF-8', async () => {
    const overlong = new Uint8Array([...utf8('x\n'), 0xc0, 0xaf]);
    const surrogate = new Uint8Array([...utf8('x\ny\n'), 0xed, 0xa0, 0x80]);
    await expectFailure(
      attempt(() => decodeLockfile(overlong, 'go.sum')),
      { file: 'go.sum', line: 2 },
    );
    await expectFailure(
      attempt(() => decodeLockfile(surrogate, 'go.sum')),
      { file: 'go.sum', line: 3 },
    );
  });

  it('refuses NUL bytes (UTF-16 without a byte order mark) naming the line', async () => {
    const bytes = new Uint8Array([...utf8('version = 3\n'), 0x5b, 0x00, 0x5b, 0x00]);
    await expectFailure(
      attempt(() => decodeLockfile(bytes, 'Cargo.lock')),
      { file: 'Cargo.lock', line: 2, message: /NUL byte/ },
    );
  });

  it('refuses a line longer than the limit, naming it', async () => {
    const bytes = new Uint8Array(MAX_LINE_BYTES + 10).fill(0x61);
    bytes.set(utf8('# ok\n'), 0);
    await expectFailure(
      attempt(() => decodeLockfile(bytes, 'yarn.lock')),
      { file: 'yarn.lock', line: 2, message: /longer than the/ },
    );
  });
});

describe('line helpers', () => {
  it('splits LF and CRLF lines alike', () => {
    expect(splitLines('a\r\nb\nc')).toEqual(['a', 'b', 'c']);
  });

  it('numbers lines from 1 by character offset', () => {
    expect(lineAtOffset('ab\ncd\nef', 0)).toBe(1);
    expect(lineAtOffset('ab\ncd\nef', 3)).toBe(2);
    expect(lineAtOffset('ab\ncd\nef', 7)).toBe(3);
  });
});
