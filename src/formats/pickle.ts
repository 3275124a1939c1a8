import { LedgerError } from '../errors.js';
import { ScanBoundError, type ByteStream } from './stream.js';

/**
 * A pickle opcode scanner: walks the opcodes of one pickle (protocols 0 to 5) and simulates just
 * enough of the unpickler's stack and memo to know which names it would import (GLOBAL, INST,
 * STACK_GLOBAL), how each is used, and where joblib's raw array bytes sit inside the stream.
 * Nothing is ever unpickled or executed. Opcode table and semantics: CPython Lib/pickle.py
 * (`_Unpickler`) and Lib/pickletools.py.
 *
 * Speed: opcodes are read synchronously from a window the stream refills once per megabyte, so
 * the scan runs at memory speed rather than at one promise per opcode. Memory is bounded: the memo
 * keeps only values that can matter (strings short enough to be names, imports, small tuples and
 * dicts, NumPy dtypes), and past a budget keeps imports only, saying so if that ever matters.
 */

export interface PickleImport {
  /** As written in the pickle. */
  module: string;
  name: string;
  /** The first opcode that imported it, and where (byte offset in its stream). */
  opcode: 'GLOBAL' | 'INST' | 'STACK_GLOBAL';
  offset: number;
  /** Whether the unpickler would call it (REDUCE, INST, OBJ, NEWOBJ...), other than as below. */
  called: boolean;
  /** Pushes of the imported object onto the stack (its import, memo fetches, DUP). */
  uses: number;
  /** Uses that were the Enum idiom `getattr(cls, 'NAME')` with an imported class and a constant name. */
  enumIdiomCalls: number;
}

export interface PickleScan {
  protocol: number;
  /** Distinct imports, in the order first seen. */
  imports: PickleImport[];
  /** Imports whose module or name is computed at load time (not a constant), or EXT registry codes. */
  unresolved: { opcode: string; offset: number }[];
  /** Imports whose operands the bounded memo no longer held: they could not be resolved. */
  untracked: number;
  opcodes: number;
  /** Opcodes of the pickle streams scanned (for a file, all of them). */
  streams: number;
  /** The tensors torch.save wrote (`torch._utils._rebuild_tensor_v2` and kin), as their arguments say. */
  tensors: PickleTensor[];
  /** Tensors past MAX_TENSORS, not listed. */
  tensorsOmitted: number;
}

/** One tensor of a PyTorch pickle, from its rebuild call's arguments; null where they were not constants. */
export interface PickleTensor {
  /** The storage key of its persistent id (`('storage', type, key, location, numel)`). */
  storage: string | null;
  offset: number | null;
  shape: number[] | null;
  stride: number[] | null;
}

export interface PickleLimits {
  stack: number;
  /** Memo entries whose values are kept; past it only imports are kept. */
  memoValues: number;
  /** Approximate bytes of memo values kept. */
  memoBytes: number;
  distinctImports: number;
}

export const PICKLE_LIMITS: PickleLimits = {
  stack: 4_000_000,
  memoValues: 1_000_000,
  memoBytes: 48 * 1024 * 1024,
  distinctImports: 100_000,
};

type Value =
  | { k: 'mark' }
  | { k: 'other' }
  | { k: 'dropped' }
  | { k: 'str'; v: string }
  | { k: 'int'; v: number }
  | { k: 'global'; i: number }
  /** What the Enum idiom getattr(cls, 'NAME') returned; `i` is the getattr import. */
  | { k: 'member'; i: number }
  | { k: 'tuple'; items: Value[] }
  | { k: 'dict'; map: Map<string, Value> | null }
  | { k: 'dtype'; code: string; size: number | null }
  | { k: 'wrapper' }
  | { k: 'storage'; key: string | null };

const OTHER: Value = { k: 'other' };
/** A memo value the bounded memo did not keep. */
const DROPPED: Value = { k: 'dropped' };
const SMALL_INTS: Value[] = Array.from({ length: 1024 }, (_, v) => ({ k: 'int', v }));
/** The longest operand parsed in place: a GLOBAL line, a name. Longer ones are skipped or refused. */
const MAX_LINE = 32 * 1024;
/** The window always holds this much (unless the stream ends): two lines and a name. */
const LOOK = 2 * MAX_LINE + 4096;
/** Strings longer than this are never module or attribute names: they are skipped, not kept. */
const MAX_NAME = 1024;
const MAX_TRACKED_ITEMS = 16;
const MAX_UNRESOLVED_LISTED = 1000;
const MEMO_BITSET_KEYS = 1 << 24;

const JOBLIB_WRAPPERS = new Set([
  'joblib.numpy_pickle.NumpyArrayWrapper',
  'sklearn.externals.joblib.numpy_pickle.NumpyArrayWrapper',
]);
const GETATTR = new Set(['builtins.getattr', '__builtin__.getattr']);
const DTYPE = new Set(['numpy.dtype', 'numpy.core.multiarray.dtype', 'numpy._core.multiarray.dtype']);
/** torch._utils rebuild functions that make a tensor from a storage, and where their `size` argument is. */
const TENSOR_REBUILDS = new Map([
  ['torch._utils._rebuild_tensor', 2],
  ['torch._utils._rebuild_tensor_v2', 2],
  ['torch._utils._rebuild_tensor_v3', 2],
  ['torch._utils._rebuild_qtensor', 2],
  ['torch._utils._rebuild_meta_tensor_no_storage', 1],
]);
/** Tensor subclasses: `_rebuild_from_type(_v2)(func, type, args, state)` calls func(*args). */
const TENSOR_SUBCLASS = new Set(['torch._tensor._rebuild_from_type', 'torch._tensor._rebuild_from_type_v2']);
/** Other tensor rebuilds (sparse, nested, wrapper subclasses...): a tensor whose shape is not read. */
const OTHER_TENSOR = /^torch\._utils\._rebuild_(?!parameter)/;
const MAX_TENSORS = 200_000;

export function emptyScan(): PickleScan {
  return {
    protocol: 0,
    imports: [],
    unresolved: [],
    untracked: 0,
    opcodes: 0,
    streams: 0,
    tensors: [],
    tensorsOmitted: 0,
  };
}

/** A pickle that is not one: bad opcode, underflow, truncation. Python's unpickler fails there too. */
export class PickleFormatError extends LedgerError {
  constructor(
    /** What is wrong, without the file name and the fix. */
    readonly detail: string,
    file: string,
    readonly offset: number,
  ) {
    super('FORMAT', detail, {
      file,
      fix: 'the file is not a valid pickle; save it again or check the download',
    });
    this.name = 'PickleFormatError';
  }
}

/**
 * Scans one pickle from the stream's position up to and including its STOP opcode, adding what it
 * finds to `scan` (which therefore holds what was found before an error, too). Errors:
 * PickleFormatError (not a valid pickle there), ScanBoundError (a bound of `limits` was hit).
 */
export async function scanPickle(
  stream: ByteStream,
  label: string,
  scan: PickleScan = emptyScan(),
  limits: PickleLimits = PICKLE_LIMITS,
): Promise<PickleScan> {
  await new Scanner(stream, label, scan, limits).run();
  return scan;
}

class Scanner {
  private buf: Buffer = Buffer.alloc(0);
  private p = 0;
  /** Stream position of buf[0]. */
  private base = 0;
  private ended = false;
  private stack: Value[] = [];
  private readonly meta: Value[][] = [];
  private depth = 0;
  /** Kept memo values: an array for the dense keys pickles use (a Map of millions is slow), a Map past 2^24. */
  private readonly memo: (Value | undefined)[] = [];
  private readonly bigMemo = new Map<number, Value>();
  private memoKept = 0;
  /** Which memo keys were stored (Python fails on a GET of any other): a bitset, grown as needed. */
  private memoKeys = new Uint8Array(128);
  private readonly bigMemoKeys = new Set<number>();
  private memoCount = 0;
  private memoCost = 0;
  private memoDropped = false;
  private readonly byName = new Map<string, number>();
  private readonly start: number;

  constructor(
    private readonly stream: ByteStream,
    private readonly label: string,
    private readonly scan: PickleScan,
    private readonly limits: PickleLimits,
  ) {
    this.start = stream.position;
    scan.imports.forEach((entry, index) => this.byName.set(`${entry.module}\n${entry.name}`, index));
  }

  private fail(message: string, at = this.offset()): PickleFormatError {
    return new PickleFormatError(message, this.label, at);
  }
  private bound(message: string): ScanBoundError {
    return new ScanBoundError(message, this.label);
  }
  private offset(): number {
    return this.base + this.p - this.start;
  }

  private async refill(): Promise<void> {
    this.stream.consume(this.p);
    this.base = this.stream.position;
    this.buf = await this.stream.fill(LOOK + 1);
    this.p = 0;
    // Holding no more than LOOK bytes means the rest of the stream is all in the window.
    this.ended = this.buf.length <= LOOK;
  }
  /** Fails unless `count` more bytes are in the window (it holds LOOK bytes unless the stream ends). */
  private need(count: number, what: string): void {
    if (this.p + count > this.buf.length)
      throw this.fail(`${what} runs past the end of the data at byte ${this.offset()} (truncated)`);
  }
  /** Skips `count` bytes, reading past the window if it must. */
  private async skip(count: number, what: string): Promise<void> {
    if (this.p + count <= this.buf.length) {
      this.p += count;
      return;
    }
    const at = this.offset();
    this.stream.consume(this.p);
    this.p = 0;
    this.buf = Buffer.alloc(0);
    if (!(await this.stream.skip(count)))
      throw this.fail(
        `${what} of ${count} bytes at byte ${at} runs past the end of the data (truncated)`,
        at,
      );
    this.base = this.stream.position;
    await this.refill();
  }
  /** A newline-terminated operand kept as text (GLOBAL and INST names, memo keys, numbers). */
  private line(what: string): string {
    const end = this.buf.indexOf(0x0a, this.p);
    if (end === -1 && this.ended)
      throw this.fail(`${what}: the data ended before the end of the line (truncated)`);
    if (end === -1 || end - this.p > MAX_LINE)
      throw this.fail(`${what}: no end of line within ${MAX_LINE} bytes at byte ${this.offset()}`);
    const text = this.buf.toString('latin1', this.p, end);
    this.p = end + 1;
    return text;
  }
  /** A newline-terminated operand of any length, kept only when short (STRING, UNICODE, LONG). */
  private async longLine(what: string): Promise<Buffer | null> {
    for (let first = true; ; first = false) {
      const end = this.buf.indexOf(0x0a, this.p);
      if (end !== -1) {
        const text =
          first && end - this.p <= MAX_NAME * 4 ? Buffer.from(this.buf.subarray(this.p, end)) : null;
        this.p = end + 1;
        return text;
      }
      if (this.ended) throw this.fail(`${what}: the data ended before the end of the line (truncated)`);
      this.p = this.buf.length;
      await this.refill();
    }
  }

  private push(value: Value): void {
    if (++this.depth > this.limits.stack) throw this.bound(`stack deeper than ${this.limits.stack}`);
    this.stack.push(value);
  }
  private pop(): Value {
    const value = this.stack.pop();
    if (value === undefined) throw this.fail(`stack underflow at byte ${this.offset() - 1}`);
    this.depth--;
    return value;
  }
  private top(): Value {
    const value = this.stack[this.stack.length - 1];
    if (value === undefined) throw this.fail(`stack underflow at byte ${this.offset() - 1}`);
    return value;
  }
  private mark(): void {
    this.meta.push(this.stack);
    this.stack = [];
  }
  private popMark(): Value[] {
    const items = this.stack;
    const previous = this.meta.pop();
    if (previous === undefined) throw this.fail(`no MARK to pop to at byte ${this.offset() - 1}`);
    this.depth -= items.length;
    this.stack = previous;
    return items;
  }
  private use(value: Value): Value {
    if (value.k === 'global') (this.scan.imports[value.i] as PickleImport).uses++;
    return value;
  }
  private called(value: Value | undefined): void {
    if (value?.k === 'global') (this.scan.imports[value.i] as PickleImport).called = true;
    // An Enum member is a value; calling what getattr returned (getattr(pathlib.Path, 'write_text')(...))
    // reaches any method of a safe class, so that use was not the idiom and getattr stays unsafe.
    if (value?.k === 'member') (this.scan.imports[value.i] as PickleImport).enumIdiomCalls--;
  }

  private memoHas(key: number): boolean {
    if (key >= MEMO_BITSET_KEYS) return this.bigMemoKeys.has(key);
    const byte = key >> 3;
    return byte < this.memoKeys.length && ((this.memoKeys[byte] as number) & (1 << (key & 7))) !== 0;
  }
  private memoSet(key: number, value: Value): void {
    const fresh = !this.memoHas(key);
    if (fresh) {
      if (key < MEMO_BITSET_KEYS) {
        const byte = key >> 3;
        if (byte >= this.memoKeys.length) {
          const grown = new Uint8Array(
            Math.min(MEMO_BITSET_KEYS / 8, Math.max(byte + 1, this.memoKeys.length * 2)),
          );
          grown.set(this.memoKeys);
          this.memoKeys = grown;
        }
        this.memoKeys[byte] = (this.memoKeys[byte] as number) | (1 << (key & 7));
      } else {
        if (this.bigMemoKeys.size >= 100_000) throw this.bound('more than 100000 memo keys beyond 2^24');
        this.bigMemoKeys.add(key);
      }
      this.memoCount++;
    }
    // Only values that can decide something are kept; a dict (mutable, large) never is.
    if (value.k === 'other' || value.k === 'dict') {
      if (!fresh) this.memoForget(key);
      return;
    }
    const cost =
      value.k === 'str' ? 32 + value.v.length : value.k === 'tuple' ? 32 + 16 * value.items.length : 32;
    if (
      value.k !== 'global' &&
      (this.memoKept >= this.limits.memoValues || this.memoCost + cost > this.limits.memoBytes)
    ) {
      this.memoDropped = true;
      this.memoForget(key);
      return;
    }
    this.memoCost += cost;
    if (key < MEMO_BITSET_KEYS) {
      if (this.memo[key] === undefined) this.memoKept++;
      this.memo[key] = value;
    } else {
      if (!this.bigMemo.has(key)) this.memoKept++;
      this.bigMemo.set(key, value);
    }
  }
  private memoForget(key: number): void {
    if (key < MEMO_BITSET_KEYS) {
      if (this.memo[key] !== undefined) {
        this.memoKept--;
        this.memo[key] = undefined;
      }
    } else if (this.bigMemo.delete(key)) this.memoKept--;
  }
  private memoGet(key: number): Value {
    if (!this.memoHas(key)) throw this.fail(`memo key ${key} was never stored (at byte ${this.offset()})`);
    const value = key < MEMO_BITSET_KEYS ? this.memo[key] : this.bigMemo.get(key);
    return this.use(value ?? (this.memoDropped ? DROPPED : OTHER));
  }

  private addImport(module: string, name: string, opcode: PickleImport['opcode'], offset: number): Value {
    const key = `${module}\n${name}`;
    let index = this.byName.get(key);
    if (index === undefined) {
      if (this.scan.imports.length >= this.limits.distinctImports)
        throw this.bound(`more than ${this.limits.distinctImports} distinct imports`);
      index = this.scan.imports.length;
      this.scan.imports.push({ module, name, opcode, offset, called: false, uses: 0, enumIdiomCalls: 0 });
      this.byName.set(key, index);
    }
    return this.use({ k: 'global', i: index });
  }
  private fullName(value: Value): string | undefined {
    if (value.k !== 'global') return undefined;
    const entry = this.scan.imports[value.i] as PickleImport;
    return `${entry.module}.${entry.name}`;
  }
  private unresolved(opcode: string, offset: number): void {
    if (this.scan.unresolved.length < MAX_UNRESOLVED_LISTED) this.scan.unresolved.push({ opcode, offset });
  }

  private str(start: number, length: number, encoding: 'utf8' | 'latin1'): Value {
    return length > MAX_NAME ? OTHER : { k: 'str', v: this.buf.toString(encoding, start, start + length) };
  }
  private int(value: number): Value {
    return value >= 0 && value < SMALL_INTS.length ? (SMALL_INTS[value] as Value) : { k: 'int', v: value };
  }
  private tuple(items: Value[]): Value {
    return items.length <= MAX_TRACKED_ITEMS ? { k: 'tuple', items } : OTHER;
  }
  private setItems(target: Value, items: Value[]): void {
    if (target.k !== 'dict' || target.map === null) return;
    for (let at = 0; at + 1 < items.length; at += 2) {
      const key = items[at] as Value;
      if (key.k !== 'str' || target.map.size >= MAX_TRACKED_ITEMS) {
        target.map = null;
        return;
      }
      target.map.set(key.v, items[at + 1] as Value);
    }
  }

  /** REDUCE: callable(*args), with the few calls whose results matter recognised. */
  private reduce(callable: Value, args: Value): Value {
    const name = this.fullName(callable);
    // What getattr returned, handed straight to a call, may be called there (torch's
    // _rebuild_from_type_v2(func, type, args, state) runs func(*args)): that use was not the idiom.
    if (args.k === 'tuple') for (const item of args.items) if (item.k === 'member') this.called(item);
    if (name !== undefined && GETATTR.has(name) && args.k === 'tuple' && args.items.length === 2) {
      const [target, attribute] = args.items as [Value, Value];
      // Enum member names are plain identifiers; a dunder (__subclasses__, __globals__) is a gadget.
      if (
        target.k === 'global' &&
        attribute.k === 'str' &&
        /^(?!__)[A-Za-z_][A-Za-z0-9_]*$/.test(attribute.v)
      ) {
        const getattr = (callable as { i: number }).i;
        (this.scan.imports[getattr] as PickleImport).enumIdiomCalls++;
        return { k: 'member', i: getattr };
      }
    }
    this.called(callable);
    if (name !== undefined && name.startsWith('torch.')) this.tensor(name, args);
    if (name !== undefined && DTYPE.has(name) && args.k === 'tuple' && args.items[0]?.k === 'str')
      return { k: 'dtype', code: args.items[0].v, size: dtypeSize(args.items[0].v) };
    return OTHER;
  }

  /** A tensor rebuild call: its storage, offset, shape and stride, as far as they are constants. */
  private tensor(name: string, args: Value): void {
    let sizeAt = TENSOR_REBUILDS.get(name);
    if (TENSOR_SUBCLASS.has(name)) {
      const outer = args.k === 'tuple' ? args.items : [];
      const inner = outer[0] === undefined ? undefined : this.fullName(outer[0]);
      sizeAt = inner === undefined ? undefined : TENSOR_REBUILDS.get(inner);
      args = outer[2] ?? OTHER;
    } else if (sizeAt === undefined && !OTHER_TENSOR.test(name)) return;
    if (this.scan.tensors.length >= MAX_TENSORS) {
      this.scan.tensorsOmitted++;
      return;
    }
    const items = args.k === 'tuple' ? args.items : [];
    const ints = (value: Value | undefined): number[] | null =>
      value?.k === 'tuple' && value.items.every((item) => item.k === 'int' && item.v >= 0)
        ? value.items.map((item) => (item as { v: number }).v)
        : null;
    // Only the storage-backed rebuilds start (storage, offset, size...).
    const storage = sizeAt === 2 ? items[0] : undefined;
    const offset = sizeAt === 2 ? items[1] : undefined;
    this.scan.tensors.push({
      storage: storage?.k === 'storage' ? storage.key : null,
      offset: offset?.k === 'int' ? offset.v : null,
      shape: sizeAt === undefined ? null : ints(items[sizeAt]),
      stride: sizeAt === undefined ? null : ints(items[sizeAt + 1]),
    });
  }

  /** BUILD: obj.__setstate__(state); a joblib array wrapper is followed by its raw data. */
  private async build(target: Value, state: Value): Promise<void> {
    if (target.k === 'dtype' && state.k === 'tuple') {
      const size = state.items[5];
      if (size?.k === 'int' && size.v > 0) target.size = size.v;
      return;
    }
    if (target.k !== 'wrapper') return;
    if (state.k !== 'dict' || state.map === null)
      throw this.bound('a joblib array whose layout could not be read; the bytes after it were not scanned');
    const shape = state.map.get('shape');
    const dtype = state.map.get('dtype');
    if (shape?.k !== 'tuple' || !shape.items.every((item) => item.k === 'int') || dtype?.k !== 'dtype')
      throw this.bound('a joblib array of unknown shape or dtype; the bytes after it were not scanned');
    if (/O/.test(dtype.code)) {
      // An object array: joblib writes it as a nested pickle (pickle.dump(array, protocol=2)).
      this.scan.streams++;
      await new Scanner(this.stream, `${this.label} (joblib object array)`, this.scan, this.limits).runFrom(
        this,
      );
      return;
    }
    // joblib >= 1.2 aligns the data: one byte giving the padding length, then that much padding.
    const alignment = state.map.get('numpy_array_alignment_bytes');
    if (alignment !== undefined && alignment.k === 'int') {
      this.need(1, 'joblib padding length');
      const padding = this.buf[this.p++] as number;
      await this.skip(padding, 'joblib padding');
    }
    if (dtype.size === null)
      throw this.bound(`a joblib array of dtype ${dtype.code}, whose size is not known`);
    const count = shape.items.reduce((product, item) => product * (item as { v: number }).v, 1);
    await this.skip(count * dtype.size, 'joblib array data');
  }

  /** Continues in the parent's window (a nested pickle read from the same stream), then hands it back. */
  private async runFrom(parent: Scanner): Promise<void> {
    this.buf = parent.buf;
    this.p = parent.p;
    this.base = parent.base;
    this.ended = parent.ended;
    await this.run(false);
    parent.buf = this.buf;
    parent.p = this.p;
    parent.base = this.base;
    parent.ended = this.ended;
  }

  /**
   * The common opcodes, synchronously, until the window runs low or an opcode needs the general
   * (asynchronous) path below: the scan spends its time here, at memory speed.
   */
  private fast(): void {
    const scan = this.scan;
    const buf = this.buf;
    const limit = this.ended ? buf.length : buf.length - LOOK;
    while (this.p < limit) {
      const opcode = buf[this.p] as number;
      switch (opcode) {
        case 0x28: // MARK
          this.p++;
          this.mark();
          break;
        case 0x30: // POP
          this.p++;
          if (this.stack.length > 0) this.pop();
          else this.popMark();
          break;
        case 0x4e: // NONE
        case 0x88: // NEWTRUE
        case 0x89: // NEWFALSE
        case 0x5d: // EMPTY_LIST
        case 0x8f: // EMPTY_SET
          this.p++;
          this.push(OTHER);
          break;
        case 0x29: // EMPTY_TUPLE
          this.p++;
          this.push({ k: 'tuple', items: [] });
          break;
        case 0x7d: // EMPTY_DICT
          this.p++;
          this.push({ k: 'dict', map: new Map() });
          break;
        case 0x4b: // BININT1
          this.p++;
          this.need(1, 'BININT1');
          this.push(this.int(buf[this.p++] as number));
          break;
        case 0x4d: // BININT2
          this.p++;
          this.need(2, 'BININT2');
          this.push(this.int(buf.readUInt16LE(this.p)));
          this.p += 2;
          break;
        case 0x4a: // BININT
          this.p++;
          this.need(4, 'BININT');
          this.push(this.int(buf.readInt32LE(this.p)));
          this.p += 4;
          break;
        case 0x47: // BINFLOAT
          this.p++;
          this.need(8, 'BINFLOAT');
          this.p += 8;
          this.push(OTHER);
          break;
        case 0x8c: // SHORT_BINUNICODE
        case 0x55: // SHORT_BINSTRING
        case 0x43: {
          // SHORT_BINBYTES
          this.p++;
          this.need(1, 'string length');
          const length = buf[this.p++] as number;
          this.need(length, 'string');
          this.push(opcode === 0x43 ? OTHER : this.str(this.p, length, opcode === 0x55 ? 'latin1' : 'utf8'));
          this.p += length;
          break;
        }
        case 0x58: {
          // BINUNICODE, when it is short and in the window (else the general path skips it)
          if (this.p + 5 > buf.length) return;
          const length = buf.readUInt32LE(this.p + 1);
          if (length > MAX_NAME || this.p + 5 + length > buf.length) return;
          this.push(this.str(this.p + 5, length, 'utf8'));
          this.p += 5 + length;
          break;
        }
        case 0x61: // APPEND
          this.p++;
          this.pop();
          this.top();
          break;
        case 0x65: // APPENDS
          this.p++;
          this.popMark();
          this.top();
          break;
        case 0x73: {
          // SETITEM
          this.p++;
          const value = this.pop();
          const key = this.pop();
          this.setItems(this.top(), [key, value]);
          break;
        }
        case 0x75: // SETITEMS
          this.p++;
          {
            const items = this.popMark();
            this.setItems(this.top(), items);
          }
          break;
        case 0x85: // TUPLE1
          this.p++;
          this.push(this.tuple([this.pop()]));
          break;
        case 0x86: {
          // TUPLE2
          this.p++;
          const second = this.pop();
          this.push(this.tuple([this.pop(), second]));
          break;
        }
        case 0x87: {
          // TUPLE3
          this.p++;
          const third = this.pop();
          const second = this.pop();
          this.push(this.tuple([this.pop(), second, third]));
          break;
        }
        case 0x74: // TUPLE
          this.p++;
          this.push(this.tuple(this.popMark()));
          break;
        case 0x71: // BINPUT
          this.p++;
          this.need(1, 'BINPUT');
          this.memoSet(buf[this.p++] as number, this.top());
          break;
        case 0x72: // LONG_BINPUT
          this.p++;
          this.need(4, 'LONG_BINPUT');
          this.memoSet(buf.readUInt32LE(this.p), this.top());
          this.p += 4;
          break;
        case 0x94: // MEMOIZE
          this.p++;
          this.memoSet(this.memoCount, this.top());
          break;
        case 0x68: // BINGET
          this.p++;
          this.need(1, 'BINGET');
          this.push(this.memoGet(buf[this.p++] as number));
          break;
        case 0x6a: // LONG_BINGET
          this.p++;
          this.need(4, 'LONG_BINGET');
          this.push(this.memoGet(buf.readUInt32LE(this.p)));
          this.p += 4;
          break;
        case 0x95: // FRAME
          this.p++;
          this.need(8, 'FRAME length');
          this.p += 8;
          break;
        default:
          return;
      }
      scan.opcodes++;
    }
  }

  async run(fresh = true): Promise<void> {
    if (fresh) await this.refill();
    const scan = this.scan;
    scan.streams += fresh ? 1 : 0;
    for (;;) {
      if (!this.ended && this.buf.length - this.p <= LOOK) await this.refill();
      this.fast();
      if (!this.ended && this.buf.length - this.p <= LOOK) continue;
      if (this.p >= this.buf.length)
        throw this.fail(`ended without STOP at byte ${this.offset()} (truncated)`);
      const offset = this.offset();
      const buf = this.buf;
      const opcode = buf[this.p++] as number;
      scan.opcodes++;
      // The opcodes fast() handles never reach this switch: it stops only before the others.
      switch (opcode) {
        case 0x2e: // STOP '.'
          this.pop();
          this.finish();
          return;
        case 0x31: // POP_MARK '1'
          this.popMark();
          break;
        case 0x32: // DUP '2'
          this.push(this.use(this.top()));
          break;
        case 0x46: // FLOAT 'F'
          this.line('FLOAT');
          this.push(OTHER);
          break;
        case 0x49: {
          // INT 'I' (also I00/I01 booleans)
          const text = this.line('INT');
          const value = Number(text);
          this.push(Number.isSafeInteger(value) ? this.int(value) : OTHER);
          break;
        }
        case 0x4c: // LONG 'L': any number of digits
          await this.longLine('LONG');
          this.push(OTHER);
          break;
        case 0x8a: {
          // LONG1
          this.need(1, 'LONG1 length');
          const length = buf[this.p++] as number;
          this.need(length, 'LONG1');
          let value: Value = OTHER;
          if (length > 0 && length <= 6) {
            const number = buf.readIntLE(this.p, length);
            value = this.int(number);
          }
          this.p += length;
          this.push(value);
          break;
        }
        case 0x8b: {
          // LONG4
          this.need(4, 'LONG4 length');
          const length = buf.readInt32LE(this.p);
          this.p += 4;
          if (length < 0) throw this.fail(`negative LONG4 length at byte ${offset}`);
          await this.skip(length, 'LONG4');
          this.push(OTHER);
          break;
        }
        case 0x97: // NEXT_BUFFER
          this.push(OTHER);
          break;
        case 0x50: // PERSID 'P'
          await this.longLine('PERSID');
          this.push(OTHER);
          break;
        case 0x51: {
          // BINPERSID 'Q': torch.save's storages are ('storage', type, key, location, numel[, view])
          const id = this.pop();
          const key =
            id.k === 'tuple' && id.items[0]?.k === 'str' && id.items[0].v === 'storage'
              ? id.items[2]
              : undefined;
          this.push(key === undefined ? OTHER : { k: 'storage', key: key.k === 'str' ? key.v : null });
          break;
        }
        case 0x52: {
          // REDUCE 'R': callable(*args)
          const args = this.pop();
          this.push(this.reduce(this.pop(), args));
          break;
        }
        case 0x53: {
          // STRING 'S': a quoted Python 2 str literal, escapes decoded as Python does
          const raw = await this.longLine('STRING');
          this.push(raw === null ? OTHER : pythonStringLiteral(raw, offset, (message) => this.fail(message)));
          break;
        }
        case 0x56: {
          // UNICODE 'V': raw-unicode-escape
          const raw = await this.longLine('UNICODE');
          this.push(raw === null ? OTHER : { k: 'str', v: rawUnicodeEscape(raw) });
          break;
        }
        case 0x54: // BINSTRING 'T'
        case 0x58: // BINUNICODE 'X'
        case 0x42: {
          // BINBYTES 'B'
          this.need(4, 'string length');
          const length = opcode === 0x54 ? buf.readInt32LE(this.p) : buf.readUInt32LE(this.p);
          this.p += 4;
          if (length < 0) throw this.fail(`negative BINSTRING length at byte ${offset}`);
          await this.counted(length, opcode === 0x42 ? null : opcode === 0x54 ? 'latin1' : 'utf8');
          break;
        }
        case 0x8d: // BINUNICODE8
        case 0x8e: // BINBYTES8
        case 0x96: {
          // BYTEARRAY8
          this.need(8, 'string length');
          const length = buf.readBigUInt64LE(this.p);
          this.p += 8;
          if (length > BigInt(Number.MAX_SAFE_INTEGER))
            throw this.fail(`a string of ${length} bytes at byte ${offset} (corrupt)`);
          await this.counted(Number(length), opcode === 0x8d ? 'utf8' : null);
          break;
        }
        case 0x98: // READONLY_BUFFER
          this.top();
          break;
        case 0x90: // ADDITEMS
          this.popMark();
          this.top();
          break;
        case 0x62: {
          // BUILD 'b'
          const state = this.pop();
          await this.build(this.top(), state);
          break;
        }
        case 0x63: {
          // GLOBAL 'c': module\nname\n
          const module = this.line('GLOBAL module');
          const name = this.line('GLOBAL name');
          this.push(this.addImport(utf8(module), utf8(name), 'GLOBAL', offset));
          break;
        }
        case 0x69: {
          // INST 'i': module\nname\n, arguments up to MARK, then a call
          const module = this.line('INST module');
          const name = this.line('INST name');
          this.popMark();
          const value = this.addImport(utf8(module), utf8(name), 'INST', offset);
          this.called(value);
          this.push(OTHER);
          break;
        }
        case 0x6f: {
          // OBJ 'o': MARK cls args... -> cls(*args)
          const items = this.popMark();
          if (items.length === 0) throw this.fail(`OBJ without a class at byte ${offset}`);
          this.called(items[0]);
          this.push(JOBLIB_WRAPPERS.has(this.fullName(items[0] as Value) ?? '') ? { k: 'wrapper' } : OTHER);
          break;
        }
        case 0x93: {
          // STACK_GLOBAL: module and name from the stack
          const name = this.pop();
          const module = this.pop();
          if (module.k === 'str' && name.k === 'str')
            this.push(this.addImport(module.v, name.v, 'STACK_GLOBAL', offset));
          else {
            if (module.k === 'dropped' || name.k === 'dropped') scan.untracked++;
            else this.unresolved('STACK_GLOBAL', offset);
            this.push(OTHER);
          }
          break;
        }
        case 0x82: // EXT1
        case 0x83: // EXT2
        case 0x84: {
          // EXT4
          const size = opcode === 0x82 ? 1 : opcode === 0x83 ? 2 : 4;
          this.need(size, 'EXT');
          this.p += size;
          this.unresolved(`EXT${size}`, offset);
          this.push(OTHER);
          break;
        }
        case 0x64: // DICT 'd'
        case 0x6c: // LIST 'l'
        case 0x91: // FROZENSET
          this.popMark();
          this.push(OTHER);
          break;
        case 0x81: {
          // NEWOBJ: cls.__new__(cls, *args)
          this.pop();
          const cls = this.pop();
          this.called(cls);
          this.push(JOBLIB_WRAPPERS.has(this.fullName(cls) ?? '') ? { k: 'wrapper' } : OTHER);
          break;
        }
        case 0x92: {
          // NEWOBJ_EX
          this.pop();
          this.pop();
          const cls = this.pop();
          this.called(cls);
          this.push(JOBLIB_WRAPPERS.has(this.fullName(cls) ?? '') ? { k: 'wrapper' } : OTHER);
          break;
        }
        case 0x67: // GET 'g'
          this.push(this.memoGet(this.memoKey(this.line('GET'), offset)));
          break;
        case 0x70: // PUT 'p'
          this.memoSet(this.memoKey(this.line('PUT'), offset), this.top());
          break;
        case 0x80: {
          // PROTO
          this.need(1, 'PROTO');
          const protocol = buf[this.p++] as number;
          if (protocol > 5) throw this.fail(`pickle protocol ${protocol} is newer than 5`);
          scan.protocol = Math.max(scan.protocol, protocol);
          break;
        }
        default:
          throw this.fail(
            `unknown pickle opcode 0x${opcode.toString(16).padStart(2, '0')} at byte ${offset}`,
          );
      }
    }
  }

  private memoKey(text: string, offset: number): number {
    const key = Number(text);
    if (!Number.isSafeInteger(key) || key < 0) throw this.fail(`bad memo key at byte ${offset}`);
    return key;
  }

  /** A length-prefixed string or bytes: kept when short enough to be a name, skipped otherwise. */
  private async counted(length: number, decode: 'utf8' | 'latin1' | null): Promise<void> {
    if (decode !== null && length <= MAX_NAME) {
      this.need(length, 'string');
      this.push(this.str(this.p, length, decode));
      this.p += length;
      return;
    }
    await this.skip(length, 'string');
    this.push(OTHER);
  }

  private finish(): void {
    // Leave the stream just past STOP, where the next pickle (if any) starts.
    this.stream.consume(this.p);
    this.base = this.stream.position;
    this.buf = this.buf.subarray(this.p);
    this.p = 0;
  }
}

function utf8(latin1: string): string {
  return Buffer.from(latin1, 'latin1').toString('utf8');
}

/** Bytes per element of a NumPy dtype string ('<f8', 'i4', '?', 'M8[ns]'); null when it needs the state. */
export function dtypeSize(code: string): number | null {
  const match = /^[<>|=]?([a-zA-Z?])(\d*)/.exec(code);
  if (!match) return null;
  const [, kind, digits] = match as unknown as [string, string, string];
  const fixed: Record<string, number> = {
    '?': 1,
    b: 1,
    B: 1,
    h: 2,
    H: 2,
    i: 4,
    I: 4,
    l: 8,
    L: 8,
    q: 8,
    Q: 8,
    p: 8,
    P: 8,
    e: 2,
    f: 4,
    d: 8,
    g: 16,
    F: 8,
    D: 16,
    G: 32,
    O: 8,
  };
  if (digits === '') return Object.hasOwn(fixed, kind) ? (fixed[kind] as number) : null;
  const count = Number(digits);
  if (kind === 'U') return count * 4;
  return count > 0 ? count : null;
}

/** Python's decoding of a protocol 0 STRING operand: a quoted literal with backslash escapes. */
function pythonStringLiteral(raw: Buffer, offset: number, fail: (message: string) => Error): Value {
  const quote = raw[0];
  if (raw.length < 2 || (quote !== 0x27 && quote !== 0x22) || raw[raw.length - 1] !== quote)
    throw fail(`STRING at byte ${offset} is not quoted`);
  const body = raw.subarray(1, raw.length - 1).toString('latin1');
  const simple: Record<string, string> = {
    '\\': '\\',
    "'": "'",
    '"': '"',
    a: '\x07',
    b: '\b',
    f: '\f',
    n: '\n',
    r: '\r',
    t: '\t',
    v: '\v',
    '\n': '',
  };
  const text = body.replace(/\\(x[0-9a-fA-F]{2}|[0-7]{1,3}|[\s\S])/g, (whole, escape: string) => {
    if (escape[0] === 'x') return String.fromCharCode(parseInt(escape.slice(1), 16));
    if (/^[0-7]/.test(escape)) return String.fromCharCode(parseInt(escape, 8) & 0xff);
    return Object.hasOwn(simple, escape) ? (simple[escape] as string) : whole;
  });
  return { k: 'str', v: text };
}

function rawUnicodeEscape(raw: Buffer): string {
  return raw
    .toString('latin1')
    .replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_, short?: string, long?: string) =>
      String.fromCodePoint(parseInt((short ?? long) as string, 16)),
    );
}
