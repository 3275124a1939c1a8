/**
 * Lockfile bytes → text: a strict UTF-8 check that names the file and the line, line splitting,
 * and the one way every lockfile parser reports a problem (LedgerError 'LOCKFILE' with a line).
 */
import { isUtf8 } from 'node:buffer';
import { LedgerError } from '../errors.js';

/** No lockfile has a line this long; a longer one is a wrong or hostile file. */
export const MAX_LINE_BYTES = 1024 * 1024;

/** Lockfiles of the largest monorepos are tens of megabytes; anything past this is refused before reading. */
export const MAX_LOCKFILE_BYTES = 256 * 1024 * 1024;

const LF = 0x0a;

/** A LedgerError 'LOCKFILE' that names the file, the line and what to do. */
export function lockfileError(
  file: string,
  line: number,
  message: string,
  fix = 'regenerate the lockfile with its package manager, or fix it by hand',
  cause?: unknown,
): LedgerError {
  return new LedgerError('LOCKFILE', message, { file, field: `line ${line}`, fix, cause });
}

/**
 * Decodes a lockfile's bytes as UTF-8. Refuses UTF-16/UTF-32 (by BOM), NUL bytes, invalid UTF-8
 * and over-long lines, each with the line it is on. A UTF-8 BOM is dropped.
 */
export function decodeLockfile(bytes: Uint8Array, file: string): string {
  const b0 = bytes[0];
  const b1 = bytes[1];
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff)) {
    throw lockfileError(
      file,
      1,
      'is UTF-16 encoded (it starts with a UTF-16 byte order mark); lockfiles are UTF-8',
      'save the file as UTF-8 (for example with `iconv -f UTF-16 -t UTF-8`)',
    );
  }
  checkLineLengths(bytes, file);
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    throw lockfileError(
      file,
      lineAtByte(bytes, nul),
      'contains a NUL byte; lockfiles are UTF-8 text (is this file UTF-16 or binary?)',
      'save the file as UTF-8 text, or point model-ledger at the right file',
    );
  }
  if (!isUtf8(bytes)) {
    throw lockfileError(
      file,
      lineAtByte(bytes, firstInvalidUtf8(bytes)),
      'is not valid UTF-8',
      'save the file as UTF-8 (lockfiles written by package managers always are)',
    );
  }
  const start = b0 === 0xef && b1 === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, bytes.byteLength - start).toString('utf8');
}

function checkLineLengths(bytes: Uint8Array, file: string): void {
  let start = 0;
  let line = 1;
  while (start <= bytes.length) {
    const end = bytes.indexOf(LF, start);
    const stop = end === -1 ? bytes.length : end;
    if (stop - start > MAX_LINE_BYTES) {
      throw lockfileError(
        file,
        line,
        `has a line of ${stop - start} bytes, longer than the ${MAX_LINE_BYTES}-byte limit; package managers never write such lines`,
        'check that this is the lockfile your package manager wrote, and regenerate it',
      );
    }
    if (end === -1) return;
    start = end + 1;
    line += 1;
  }
}

/** 1-based line number of a byte offset. */
function lineAtByte(bytes: Uint8Array, offset: number): number {
  let line = 1;
  let at = bytes.indexOf(LF);
  while (at !== -1 && at < offset) {
    line += 1;
    at = bytes.indexOf(LF, at + 1);
  }
  return line;
}

/** Offset of the first byte that starts an invalid UTF-8 sequence (only called when there is one). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    let need: number;
    let min: number;
    if (b < 0x80) {
      i += 1;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      return i;
    }
    let code = b & (0x3f >> need);
    for (let k = 1; k <= need; k += 1) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      code = (code << 6) | (c & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return i;
    i += need + 1;
  }
  return bytes.length;
}

/** The lines of a text, without their line endings (`\n` or `\r\n`). Line N is at index N-1. */
export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    if (line.endsWith('\r')) lines[i] = line.slice(0, -1);
  }
  return lines;
}

/** 1-based line number of a character offset in a text. */
export function lineAtOffset(text: string, offset: number): number {
  let line = 1;
  let at = text.indexOf('\n');
  while (at !== -1 && at < offset) {
    line += 1;
    at = text.indexOf('\n', at + 1);
  }
  return line;
}

/** 1-based line of the first occurrence of `needle`, or 1 when it does not occur (used to point at a bad entry). */
export function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  return at === -1 ? 1 : lineAtOffset(text, at);
}
