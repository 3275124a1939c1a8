import type { Cursor } from './reader.js';

/**
 * A pickle opcode scanner: walks the opcodes of one pickle (protocols 0 to 5) and simulates just
 * enough of the unpickler's stack and memo to know which names it would import (GLOBAL, INST,
 * STACK_GLOBAL) and which of them it would call (REDUCE, INST, OBJ, NEWOBJ, NEWOBJ_EX).
 * Nothing is ever unpickled or executed. Opcode table: CPython Lib/pickletools.py.
 */

export interface PickleImport {
  module: string;
  name: string;
  opcode: 'GLOBAL' | 'INST' | 'STACK_GLOBAL';
  /** Byte offset of the opcode in the pickle. */
  offset: number;
  /** Whether the unpickler would call it (REDUCE, INST, OBJ, NEWOBJ...). */
  called: boolean;
}

export interface PickleScan {
  protocol: number;
  imports: PickleImport[];
  /** Imports whose module or name is computed (not a string literal), or EXT registry codes. */
  unresolved: { opcode: string; offset: number }[];
  opcodes: number;
}

type Value = { k: 'mark' } | { k: 'other' } | { k: 'str'; v: string } | { k: 'global'; i: number };

const MARK: Value = { k: 'mark' };
const OTHER: Value = { k: 'other' };
const MAX_STACK = 1_000_000;
const MAX_MEMO = 1_000_000;
const MAX_LINE = 64 * 1024;
/** Strings longer than this are never module or attribute names: they are skipped, not kept. */
const MAX_NAME = 4096;

export function emptyScan(): PickleScan {
  return { protocol: 0, imports: [], unresolved: [], opcodes: 0 };
}

/**
 * Scans one pickle from the cursor's position up to and including its STOP opcode, adding what it
 * finds to `scan` (which therefore holds what was found before an error, too).
 */
export async function scanPickle(
  cursor: Cursor,
  label: string,
  scan: PickleScan = emptyScan(),
): Promise<PickleScan> {
  const fail = (message: string): Error => cursor.fail(message, label);
  cursor.field = label;
  const stack: Value[] = [];
  const memo = new Map<number, Value>();
  const start = cursor.position;

  const push = (value: Value): void => {
    if (stack.length >= MAX_STACK)
      throw fail(`stack deeper than ${MAX_STACK} at byte ${cursor.position - start}`);
    stack.push(value);
  };
  const pop = (): Value => {
    const value = stack.pop();
    if (value === undefined || value === MARK)
      throw fail(`stack underflow at byte ${cursor.position - start - 1}`);
    return value;
  };
  const popMark = (): Value[] => {
    const items: Value[] = [];
    for (;;) {
      const value = stack.pop();
      if (value === undefined) throw fail(`no MARK to pop to at byte ${cursor.position - start - 1}`);
      if (value === MARK) return items.reverse();
      items.push(value);
    }
  };
  const top = (): Value => {
    const value = stack[stack.length - 1];
    if (value === undefined || value === MARK)
      throw fail(`stack underflow at byte ${cursor.position - start - 1}`);
    return value;
  };
  const remember = (key: number): void => {
    if (memo.size >= MAX_MEMO && !memo.has(key)) throw fail(`memo larger than ${MAX_MEMO}`);
    memo.set(key, top());
  };
  const called = (value: Value | undefined): void => {
    if (value?.k === 'global') (scan.imports[value.i] as PickleImport).called = true;
  };
  const addImport = (module: string, name: string, opcode: PickleImport['opcode'], offset: number): Value => {
    scan.imports.push({ module, name, opcode, offset, called: false });
    return { k: 'global', i: scan.imports.length - 1 };
  };
  const text = async (what: string): Promise<string> => (await cursor.line(MAX_LINE, what)).toString('utf8');
  /** A length-prefixed string: kept when short enough to be a name, skipped otherwise. */
  const counted = async (
    length: number | bigint,
    what: string,
    decode: 'utf8' | 'latin1' | null,
  ): Promise<Value> => {
    const size = cursor.require(length, what);
    if (decode === null || size > MAX_NAME) {
      await cursor.skip(size, what);
      return OTHER;
    }
    return { k: 'str', v: (await cursor.bytes(size, what)).toString(decode) };
  };

  for (;;) {
    const offset = cursor.position - start;
    if (cursor.remaining === 0) throw fail(`ended without STOP at byte ${offset} (truncated)`);
    const opcode = await cursor.u8('pickle opcode');
    scan.opcodes++;
    switch (opcode) {
      case 0x2e: // STOP '.'
        return scan;
      case 0x28: // MARK '('
        push(MARK);
        break;
      case 0x30: // POP '0'
        if (stack[stack.length - 1] === MARK) stack.pop();
        else pop();
        break;
      case 0x31: // POP_MARK '1'
        popMark();
        break;
      case 0x32: // DUP '2'
        push(top());
        break;
      case 0x46: // FLOAT 'F'
      case 0x49: // INT 'I'
      case 0x4c: // LONG 'L'
        await text('number');
        push(OTHER);
        break;
      case 0x4a: // BININT 'J'
        await cursor.skip(4, 'BININT');
        push(OTHER);
        break;
      case 0x4b: // BININT1 'K'
        await cursor.skip(1, 'BININT1');
        push(OTHER);
        break;
      case 0x4d: // BININT2 'M'
        await cursor.skip(2, 'BININT2');
        push(OTHER);
        break;
      case 0x47: // BINFLOAT 'G'
        await cursor.skip(8, 'BINFLOAT');
        push(OTHER);
        break;
      case 0x8a: // LONG1
        await cursor.skip(await cursor.u8('LONG1 length'), 'LONG1');
        push(OTHER);
        break;
      case 0x8b: {
        // LONG4
        const length = await cursor.i32('LONG4 length');
        if (length < 0) throw fail(`negative LONG4 length at byte ${offset}`);
        await cursor.skip(length, 'LONG4');
        push(OTHER);
        break;
      }
      case 0x4e: // NONE 'N'
      case 0x88: // NEWTRUE
      case 0x89: // NEWFALSE
      case 0x29: // EMPTY_TUPLE ')'
      case 0x5d: // EMPTY_LIST ']'
      case 0x7d: // EMPTY_DICT '}'
      case 0x8f: // EMPTY_SET
      case 0x97: // NEXT_BUFFER
        push(OTHER);
        break;
      case 0x50: // PERSID 'P'
        await text('PERSID');
        push(OTHER);
        break;
      case 0x51: // BINPERSID 'Q'
        pop();
        push(OTHER);
        break;
      case 0x52: {
        // REDUCE 'R': callable(*args)
        pop();
        called(pop());
        push(OTHER);
        break;
      }
      case 0x53: {
        // STRING 'S': a quoted repr
        const raw = await text('STRING');
        push({ k: 'str', v: raw.replace(/^(['"])(.*)\1$/s, '$2') });
        break;
      }
      case 0x54: {
        // BINSTRING 'T'
        const length = await cursor.i32('BINSTRING length');
        if (length < 0) throw fail(`negative BINSTRING length at byte ${offset}`);
        push(await counted(length, 'BINSTRING', 'latin1'));
        break;
      }
      case 0x55: // SHORT_BINSTRING 'U'
        push(await counted(await cursor.u8('SHORT_BINSTRING length'), 'SHORT_BINSTRING', 'latin1'));
        break;
      case 0x56: {
        // UNICODE 'V': raw-unicode-escape
        const raw = await text('UNICODE');
        push({
          k: 'str',
          v: raw.replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
        });
        break;
      }
      case 0x58: // BINUNICODE 'X'
        push(await counted(await cursor.u32('BINUNICODE length'), 'BINUNICODE', 'utf8'));
        break;
      case 0x8c: // SHORT_BINUNICODE
        push(await counted(await cursor.u8('SHORT_BINUNICODE length'), 'SHORT_BINUNICODE', 'utf8'));
        break;
      case 0x8d: // BINUNICODE8
        push(await counted(await cursor.u64('BINUNICODE8 length'), 'BINUNICODE8', 'utf8'));
        break;
      case 0x42: // BINBYTES 'B'
        push(await counted(await cursor.u32('BINBYTES length'), 'BINBYTES', null));
        break;
      case 0x43: // SHORT_BINBYTES 'C'
        push(await counted(await cursor.u8('SHORT_BINBYTES length'), 'SHORT_BINBYTES', null));
        break;
      case 0x8e: // BINBYTES8
        push(await counted(await cursor.u64('BINBYTES8 length'), 'BINBYTES8', null));
        break;
      case 0x96: // BYTEARRAY8
        push(await counted(await cursor.u64('BYTEARRAY8 length'), 'BYTEARRAY8', null));
        break;
      case 0x98: // READONLY_BUFFER
        top();
        break;
      case 0x61: // APPEND 'a'
        pop();
        top();
        break;
      case 0x65: // APPENDS 'e'
      case 0x90: // ADDITEMS
        popMark();
        top();
        break;
      case 0x62: // BUILD 'b'
        pop();
        top();
        break;
      case 0x63: {
        // GLOBAL 'c': module\nname\n
        const module = await text('GLOBAL module');
        const name = await text('GLOBAL name');
        push(addImport(module, name, 'GLOBAL', offset));
        break;
      }
      case 0x69: {
        // INST 'i': module\nname\n, arguments up to MARK, then a call
        const module = await text('INST module');
        const name = await text('INST name');
        popMark();
        const value = addImport(module, name, 'INST', offset);
        called(value);
        push(OTHER);
        break;
      }
      case 0x6f: {
        // OBJ 'o': MARK cls args... -> cls(*args)
        const items = popMark();
        if (items.length === 0) throw fail(`OBJ without a class at byte ${offset}`);
        called(items[0]);
        push(OTHER);
        break;
      }
      case 0x93: {
        // STACK_GLOBAL: module and name from the stack
        const name = pop();
        const module = pop();
        if (module.k === 'str' && name.k === 'str') push(addImport(module.v, name.v, 'STACK_GLOBAL', offset));
        else {
          scan.unresolved.push({ opcode: 'STACK_GLOBAL', offset });
          push(OTHER);
        }
        break;
      }
      case 0x82: // EXT1
      case 0x83: // EXT2
      case 0x84: // EXT4
        await cursor.skip(opcode === 0x82 ? 1 : opcode === 0x83 ? 2 : 4, 'EXT');
        scan.unresolved.push({ opcode: `EXT${opcode === 0x82 ? 1 : opcode === 0x83 ? 2 : 4}`, offset });
        push(OTHER);
        break;
      case 0x64: // DICT 'd'
      case 0x6c: // LIST 'l'
      case 0x74: // TUPLE 't'
      case 0x91: // FROZENSET
        popMark();
        push(OTHER);
        break;
      case 0x85: // TUPLE1
        pop();
        push(OTHER);
        break;
      case 0x86: // TUPLE2
        pop();
        pop();
        push(OTHER);
        break;
      case 0x87: // TUPLE3
        pop();
        pop();
        pop();
        push(OTHER);
        break;
      case 0x73: // SETITEM 's'
        pop();
        pop();
        top();
        break;
      case 0x75: // SETITEMS 'u'
        popMark();
        top();
        break;
      case 0x81: {
        // NEWOBJ: cls.__new__(cls, *args)
        pop();
        called(pop());
        push(OTHER);
        break;
      }
      case 0x92: {
        // NEWOBJ_EX
        pop();
        pop();
        called(pop());
        push(OTHER);
        break;
      }
      case 0x67: {
        // GET 'g'
        const key = Number(await text('GET'));
        push(memo.get(key) ?? OTHER);
        break;
      }
      case 0x68: // BINGET 'h'
        push(memo.get(await cursor.u8('BINGET')) ?? OTHER);
        break;
      case 0x6a: // LONG_BINGET 'j'
        push(memo.get(await cursor.u32('LONG_BINGET')) ?? OTHER);
        break;
      case 0x70: // PUT 'p'
        remember(Number(await text('PUT')));
        break;
      case 0x71: // BINPUT 'q'
        remember(await cursor.u8('BINPUT'));
        break;
      case 0x72: // LONG_BINPUT 'r'
        remember(await cursor.u32('LONG_BINPUT'));
        break;
      case 0x94: // MEMOIZE
        remember(memo.size);
        break;
      case 0x80: {
        // PROTO
        const protocol = await cursor.u8('PROTO');
        if (protocol > 5) throw fail(`pickle protocol ${protocol} is newer than 5`);
        scan.protocol = protocol;
        break;
      }
      case 0x95: // FRAME: a length hint; the opcodes continue inline
        cursor.require(await cursor.u64('FRAME length'), 'FRAME');
        break;
      default:
        throw fail(`unknown pickle opcode 0x${opcode.toString(16).padStart(2, '0')} at byte ${offset}`);
    }
  }
}
