/**
 * Shared fixtures for the ML side: writers that build model files byte by byte (safetensors, GGUF,
 * ONNX protobuf, pickles, zip archives), a temp-dir helper, the coreutils recomputation of a
 * directory digest, and a run environment for collector tests.
 */
import { afterAll, beforeAll, expect } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { crc32, deflateRawSync } from 'node:zlib';

import type { CollectContext } from '../../src/collect/types.js';
import { inspectModelFile } from '../../src/formats/index.js';
import type { MemoryLogger } from '../../src/log.js';
import { testContext as sharedTestContext } from './context.js';
import { reportMissing } from './prerequisites.js';

const run = promisify(execFile);

// ---------------------------------------------------------------------------------------------
// Temp dirs, files, coreutils

export interface TempDir {
  dir: string;
  /** Writes bytes (or text) at a path relative to the dir, creating parent directories. */
  write(path: string, content: Buffer | string): Promise<string>;
  cleanup(): Promise<void>;
}

export async function tempDir(prefix = 'model-ledger-ml-'): Promise<TempDir> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return {
    dir,
    async write(path, content) {
      const absolute = join(dir, path);
      await mkdir(dirname(absolute), { recursive: true });
      await writeFile(absolute, content);
      return absolute;
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** The directory digest as DESIGN.md says anyone can recompute it, run by the shell. */
export async function coreutilsDigest(dir: string): Promise<string> {
  const { stdout } = await run(
    'sh',
    ['-c', "find . -type f | sed 's|^\\./||' | LC_ALL=C sort | xargs -d '\\n' sha256sum -- | sha256sum"],
    { cwd: dir },
  );
  return stdout.split(' ')[0] as string;
}

/** The manifest text coreutils prints for a directory (before the final sha256sum). */
export async function coreutilsManifest(dir: string): Promise<string> {
  const { stdout } = await run(
    'sh',
    ['-c', "find . -type f | sed 's|^\\./||' | LC_ALL=C sort | xargs -d '\\n' sha256sum --"],
    { cwd: dir, maxBuffer: 64 * 1024 * 1024 },
  );
  return stdout;
}

/** `sha256sum FILE...` digests, by file. */
export async function sha256sum(...files: string[]): Promise<string[]> {
  const { stdout } = await run('sha256sum', ['--', ...files]);
  return stdout
    .trim()
    .split('\n')
    .map((line) => line.slice(0, 64));
}

/** `sha256sum` of text given on stdin: the digest of a manifest computed by coreutils. */
export async function sha256sumText(text: string): Promise<string> {
  const child = execFile('sha256sum');
  const output = new Promise<string>((resolve, reject) => {
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', reject);
    child.on('close', () => resolve(stdout.slice(0, 64)));
  });
  child.stdin?.end(text);
  return output;
}

// ---------------------------------------------------------------------------------------------
// The run environment for collector tests (contexts come from ./context.ts)

/** HOME and XDG_CACHE_HOME inside the temp dir, so the digest cache never touches the real home. */
export function tempEnv(dir: string): Record<string, string> {
  return { HOME: join(dir, '.home'), XDG_CACHE_HOME: join(dir, '.home', '.cache') };
}

/** A CollectContext that is also its own record of notes, log lines and attachments. */
export interface RecordingContext extends CollectContext {
  notes: string[];
  attachments: Map<string, string>;
  log: MemoryLogger;
}

/** The shared test context of ./context.ts, flattened into one object (other suites use this form). */
export function testContext(
  cwd: string,
  env: Record<string, string | undefined> = tempEnv(cwd),
): RecordingContext {
  const { context, notes, log, attachments } = sharedTestContext(cwd, env);
  return Object.assign(context, { notes, log, attachments });
}

// ---------------------------------------------------------------------------------------------
// safetensors

export interface TensorSpec {
  name: string;
  dtype: string;
  shape: number[];
  /** Bytes per element, to size the data; default from the dtype. */
  elementBytes?: number;
}

const ELEMENT_BYTES: Record<string, number> = {
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  U8: 1,
  I32: 4,
  F64: 8,
  BOOL: 1,
};

/** A safetensors file: u64 LE header length, header JSON, tensor data laid out in order. */
export function safetensorsBytes(
  tensors: TensorSpec[],
  metadata?: Record<string, string>,
  options: { headerJson?: string; declaredLength?: bigint; dataBytes?: number } = {},
): Buffer {
  const header: Record<string, unknown> = {};
  if (metadata) header['__metadata__'] = metadata;
  let offset = 0;
  for (const tensor of tensors) {
    const elements = tensor.shape.reduce((product, dim) => product * dim, 1);
    const size = elements * (tensor.elementBytes ?? ELEMENT_BYTES[tensor.dtype] ?? 4);
    header[tensor.name] = { dtype: tensor.dtype, shape: tensor.shape, data_offsets: [offset, offset + size] };
    offset += size;
  }
  const json = Buffer.from(options.headerJson ?? JSON.stringify(header));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(options.declaredLength ?? BigInt(json.length));
  const data = Buffer.alloc(options.dataBytes ?? offset);
  for (let index = 0; index < data.length; index++) data[index] = index % 251;
  return Buffer.concat([length, json, data]);
}

// ---------------------------------------------------------------------------------------------
// GGUF

export const GGUF = {
  U8: 0,
  I8: 1,
  U16: 2,
  I16: 3,
  U32: 4,
  I32: 5,
  F32: 6,
  BOOL: 7,
  STRING: 8,
  ARRAY: 9,
  U64: 10,
  I64: 11,
  F64: 12,
} as const;

export type GgufValue =
  | { type: 'u32' | 'i32' | 'u8' | 'f32' | 'bool' | 'u64' | 'f64'; value: number | boolean | bigint }
  | { type: 'string'; value: string }
  | { type: 'array'; of: 'string'; value: string[] }
  | { type: 'array'; of: 'u32' | 'f32'; value: number[] };

export interface GgufSpec {
  version?: number;
  kv?: [string, GgufValue][];
  tensors?: { name: string; dims: number[]; type: number; offset: bigint }[];
  kvCount?: bigint;
  tensorCount?: bigint;
  /** Bytes of tensor data after the aligned header. */
  dataBytes?: number;
}

function u32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32LE(value);
  return buffer;
}
function u64(value: bigint | number): Buffer {
  const buffer = Buffer.alloc(8);
  buffer.writeBigUInt64LE(BigInt(value));
  return buffer;
}
function ggufString(text: string): Buffer {
  const bytes = Buffer.from(text);
  return Buffer.concat([u64(bytes.length), bytes]);
}

function ggufValue(value: GgufValue): Buffer {
  switch (value.type) {
    case 'u8':
      return Buffer.concat([u32(GGUF.U8), Buffer.from([Number(value.value)])]);
    case 'u32':
      return Buffer.concat([u32(GGUF.U32), u32(Number(value.value))]);
    case 'i32': {
      const buffer = Buffer.alloc(4);
      buffer.writeInt32LE(Number(value.value));
      return Buffer.concat([u32(GGUF.I32), buffer]);
    }
    case 'f32': {
      const buffer = Buffer.alloc(4);
      buffer.writeFloatLE(Number(value.value));
      return Buffer.concat([u32(GGUF.F32), buffer]);
    }
    case 'f64': {
      const buffer = Buffer.alloc(8);
      buffer.writeDoubleLE(Number(value.value));
      return Buffer.concat([u32(GGUF.F64), buffer]);
    }
    case 'bool':
      return Buffer.concat([u32(GGUF.BOOL), Buffer.from([value.value ? 1 : 0])]);
    case 'u64':
      return Buffer.concat([u32(GGUF.U64), u64(BigInt(value.value))]);
    case 'string':
      return Buffer.concat([u32(GGUF.STRING), ggufString(value.value)]);
    case 'array': {
      if (value.of === 'string') {
        return Buffer.concat([
          u32(GGUF.ARRAY),
          u32(GGUF.STRING),
          u64(value.value.length),
          ...value.value.map(ggufString),
        ]);
      }
      const element = value.of === 'u32' ? GGUF.U32 : GGUF.F32;
      const body = value.value.map((item) => {
        const buffer = Buffer.alloc(4);
        if (value.of === 'u32') buffer.writeUInt32LE(item);
        else buffer.writeFloatLE(item);
        return buffer;
      });
      return Buffer.concat([u32(GGUF.ARRAY), u32(element), u64(value.value.length), ...body]);
    }
  }
}

/** A GGUF v3 (default) file: magic, version, counts, key/values, tensor infos, aligned data. */
export function ggufBytes(spec: GgufSpec = {}): Buffer {
  const kv = spec.kv ?? [];
  const tensors = spec.tensors ?? [];
  const parts: Buffer[] = [
    Buffer.from('GGUF'),
    u32(spec.version ?? 3),
    u64(spec.tensorCount ?? BigInt(tensors.length)),
    u64(spec.kvCount ?? BigInt(kv.length)),
  ];
  for (const [key, value] of kv) parts.push(ggufString(key), ggufValue(value));
  for (const tensor of tensors) {
    parts.push(
      ggufString(tensor.name),
      u32(tensor.dims.length),
      ...tensor.dims.map((dim) => u64(dim)),
      u32(tensor.type),
      u64(tensor.offset),
    );
  }
  const header = Buffer.concat(parts);
  const padding = (32 - (header.length % 32)) % 32;
  return Buffer.concat([header, Buffer.alloc(padding), Buffer.alloc(spec.dataBytes ?? 0, 7)]);
}

// ---------------------------------------------------------------------------------------------
// ONNX (protobuf)

export function varint(value: number | bigint): Buffer {
  let rest = BigInt(value);
  const bytes: number[] = [];
  do {
    let byte = Number(rest & 0x7fn);
    rest >>= 7n;
    if (rest > 0n) byte |= 0x80;
    bytes.push(byte);
  } while (rest > 0n);
  return Buffer.from(bytes);
}
export function protoVarint(field: number, value: number | bigint): Buffer {
  return Buffer.concat([varint((field << 3) | 0), varint(value)]);
}
export function protoBytes(field: number, payload: Buffer | string): Buffer {
  const bytes = Buffer.from(payload);
  return Buffer.concat([varint((field << 3) | 2), varint(bytes.length), bytes]);
}

export interface OnnxSpec {
  irVersion?: number;
  producerName?: string;
  producerVersion?: string;
  modelVersion?: number;
  opsets?: { domain: string; version: number }[];
  metadataProps?: Record<string, string>;
  graph?: {
    name: string;
    nodes: number;
    /** One FLOAT initializer of this many bytes of raw_data (dims [bytes / 4]). */
    initializerBytes: number;
    inputs: number;
    outputs: number;
    /** More initializers after it. */
    initializers?: OnnxInitializer[];
  };
}

export interface OnnxInitializer {
  name: string;
  dims: (number | bigint)[];
  /** dims as one packed field (proto3 writers) instead of one field each (onnx's proto2). */
  packed?: boolean;
  /** data_location EXTERNAL with external_data entries, no bytes in the file. */
  external?: boolean;
  /** A SparseTensorProto (graph field 15) of that dense shape holding `nonzero` values. */
  sparse?: { nonzero: number };
}

/** A TensorProto: dims, data_type FLOAT, name, then its data in raw_data or a pointer to a file. */
function onnxTensor(initializer: OnnxInitializer, dimsField = 1): Buffer {
  const dims = initializer.packed
    ? [
        protoBytes(
          dimsField,
          Buffer.concat(initializer.dims.map((dim) => varint(BigInt.asUintN(64, BigInt(dim))))),
        ),
      ]
    : initializer.dims.map((dim) => protoVarint(dimsField, BigInt.asUintN(64, BigInt(dim))));
  if (dimsField !== 1) return Buffer.concat(dims);
  const elements = initializer.dims.reduce<number>((product, dim) => product * Number(dim), 1);
  const data = initializer.external
    ? [
        protoBytes(13, Buffer.concat([protoBytes(1, 'location'), protoBytes(2, `${initializer.name}.bin`)])),
        protoBytes(13, Buffer.concat([protoBytes(1, 'length'), protoBytes(2, String(elements * 4))])),
        protoVarint(14, 1),
      ]
    : [protoBytes(9, Buffer.alloc(elements * 4, 1))];
  return Buffer.concat([...dims, protoVarint(2, 1), protoBytes(8, initializer.name), ...data]);
}

function onnxInitializer(initializer: OnnxInitializer): Buffer {
  if (!initializer.sparse) return protoBytes(5, onnxTensor(initializer));
  const { nonzero } = initializer.sparse;
  const values = onnxTensor({ name: `${initializer.name}.values`, dims: [nonzero] });
  const indices = Buffer.concat([
    protoVarint(1, nonzero),
    protoVarint(2, 7),
    protoBytes(9, Buffer.alloc(nonzero * 8)),
  ]);
  return protoBytes(
    15,
    Buffer.concat([protoBytes(1, values), protoBytes(2, indices), onnxTensor(initializer, 3)]),
  );
}

/** A ModelProto with its graph after the header fields, as exporters write it. */
export function onnxBytes(spec: OnnxSpec = {}): Buffer {
  const parts: Buffer[] = [];
  if (spec.irVersion !== undefined) parts.push(protoVarint(1, spec.irVersion));
  if (spec.producerName !== undefined) parts.push(protoBytes(2, spec.producerName));
  if (spec.producerVersion !== undefined) parts.push(protoBytes(3, spec.producerVersion));
  if (spec.modelVersion !== undefined) parts.push(protoVarint(5, spec.modelVersion));
  if (spec.graph) {
    const graph: Buffer[] = [];
    for (let node = 0; node < spec.graph.nodes; node++)
      graph.push(protoBytes(1, Buffer.concat([protoBytes(1, `in${node}`), protoBytes(4, 'Relu')])));
    graph.push(protoBytes(2, spec.graph.name));
    // An initializer (TensorProto) holding raw_data (field 9): the weights the reader must skip.
    graph.push(
      onnxInitializer({ name: 'weight', dims: [Math.floor(spec.graph.initializerBytes / 4)] }),
      ...(spec.graph.initializers ?? []).map(onnxInitializer),
    );
    for (let input = 0; input < spec.graph.inputs; input++)
      graph.push(protoBytes(11, protoBytes(1, `x${input}`)));
    for (let output = 0; output < spec.graph.outputs; output++)
      graph.push(protoBytes(12, protoBytes(1, `y${output}`)));
    parts.push(protoBytes(7, Buffer.concat(graph)));
  }
  for (const opset of spec.opsets ?? [])
    parts.push(protoBytes(8, Buffer.concat([protoBytes(1, opset.domain), protoVarint(2, opset.version)])));
  for (const [key, value] of Object.entries(spec.metadataProps ?? {})) {
    parts.push(protoBytes(14, Buffer.concat([protoBytes(1, key), protoBytes(2, value)])));
  }
  return Buffer.concat(parts);
}

// ---------------------------------------------------------------------------------------------
// Pickles (written as bytes, never executed)

function binunicode(text: string): Buffer {
  const bytes = Buffer.from(text);
  return Buffer.concat([Buffer.from('X'), u32(bytes.length), bytes]);
}
function shortBinunicode(text: string): Buffer {
  const bytes = Buffer.from(text);
  return Buffer.concat([Buffer.from([0x8c, bytes.length]), bytes]);
}

/** Protocol 2: `os.system("echo pwned")` via GLOBAL + REDUCE — what `pickle.dumps` of a __reduce__ exploit writes. */
export function pickleOsSystem(): Buffer {
  return Buffer.concat([
    Buffer.from([0x80, 0x02]),
    Buffer.from('cos\nsystem\nq\x00', 'latin1'),
    binunicode('echo pwned'),
    Buffer.from('q\x01\x85q\x02Rq\x03.', 'latin1'),
  ]);
}

/** Protocol 4: STACK_GLOBAL whose module and name come back from the memo (BINGET), then REDUCE. */
export function pickleStackGlobal(module: string, name: string): Buffer {
  const frame = Buffer.concat([
    shortBinunicode(module),
    Buffer.from([0x94]), // MEMOIZE -> 0
    shortBinunicode(name),
    Buffer.from([0x94]), // MEMOIZE -> 1
    Buffer.from('00', 'latin1'), // POP POP: hide them from the stack
    Buffer.from([0x68, 0x00, 0x68, 0x01]), // BINGET 0, BINGET 1
    Buffer.from([0x93, 0x94]), // STACK_GLOBAL, MEMOIZE
    shortBinunicode('1+1'),
    Buffer.from([0x85, 0x52, 0x2e]), // TUPLE1 REDUCE STOP
  ]);
  return Buffer.concat([Buffer.from([0x80, 0x04, 0x95]), u64(frame.length), frame]);
}

/** Protocol 0: `subprocess.Popen(['ls'])` via INST. */
export function pickleInst(): Buffer {
  return Buffer.from("((lp0\nS'ls'\np1\naisubprocess\nPopen\np2\n.", 'latin1');
}

/** Protocol 4: STACK_GLOBAL whose module name is built at load time (a computed, unresolvable import). */
export function pickleComputedGlobal(): Buffer {
  return Buffer.concat([
    Buffer.from([0x80, 0x04]),
    Buffer.from('cbuiltins\nstr\n', 'latin1'),
    shortBinunicode('o'),
    Buffer.from([0x85, 0x52]), // str('o') -> computed, not a literal
    shortBinunicode('system'),
    Buffer.from([0x93, 0x2e]),
  ]);
}

/** Protocol 2: a state dict as torch.save writes it to data.pkl: one float tensor in an OrderedDict. */
export function pickleTorchStateDict(): Buffer {
  return Buffer.concat([
    Buffer.from([0x80, 0x02]),
    Buffer.from('ccollections\nOrderedDict\nq\x00)Rq\x01', 'latin1'),
    binunicode('weight'),
    Buffer.from('q\x02ctorch._utils\n_rebuild_tensor_v2\nq\x03((', 'latin1'),
    binunicode('storage'),
    Buffer.from('ctorch\nFloatStorage\nq\x04', 'latin1'),
    binunicode('0'),
    binunicode('cpu'),
    Buffer.from(
      'K\x04tq\x05QK\x00K\x04\x85K\x01\x85\x89ccollections\nOrderedDict\nq\x06)RtRq\x07s.',
      'latin1',
    ),
  ]);
}

export interface TorchTensorSpec {
  key: string;
  offset: number;
  shape: number[];
  stride: number[];
  /** Another torch._utils rebuild function with the same arguments. */
  rebuild?: string;
  /** Wrapped as a tensor subclass: _rebuild_from_type_v2(_rebuild_tensor_v2, cls, args, state). */
  subclass?: boolean;
}

function pickleInt(value: number): Buffer {
  const bytes = Buffer.alloc(5);
  bytes[0] = 0x4a; // BININT
  bytes.writeInt32LE(value, 1);
  return bytes;
}
function pickleInts(values: number[]): Buffer {
  return Buffer.concat([Buffer.from('('), ...values.map(pickleInt), Buffer.from('t')]);
}

/**
 * Protocol 4: a list of tensors as torch.save writes each (persistent-id storage, then the rebuild
 * call), with the names and constants written once and fetched from the memo after, as pickle does.
 */
export function pickleTorchTensors(tensors: TorchTensorSpec[]): Buffer {
  const memo = new Map<string, number>();
  const once = (key: string, bytes: () => Buffer): Buffer => {
    const index = memo.get(key);
    if (index !== undefined) return Buffer.from([0x6a, ...pickleInt(index).subarray(1)]); // LONG_BINGET
    memo.set(key, memo.size);
    return Buffer.concat([bytes(), Buffer.from([0x94])]); // MEMOIZE
  };
  const global = (module: string, name: string) =>
    once(`${module}.${name}`, () => Buffer.from(`c${module}\n${name}\n`));
  const parts: Buffer[] = [Buffer.from([0x80, 0x04, 0x5d]), Buffer.from('(')];
  // Once the memo holds every name, a tensor's bytes depend on its arguments alone.
  const written = new Map<string, Buffer>();
  for (const tensor of tensors) {
    const spec = JSON.stringify(tensor);
    const known = written.get(spec);
    if (known) {
      parts.push(known);
      continue;
    }
    const memoSize = memo.size;
    // Memo indices follow the order the bytes are written in: the callables first, then the args.
    const head = tensor.subclass
      ? [
          global('torch._tensor', '_rebuild_from_type_v2'),
          Buffer.from('('),
          global('torch._utils', tensor.rebuild ?? '_rebuild_tensor_v2'),
          global('torch', 'Tensor'),
        ]
      : [global('torch._utils', tensor.rebuild ?? '_rebuild_tensor_v2')];
    const args = [
      Buffer.from('('),
      // The persistent id ('storage', torch.FloatStorage, key, 'cpu', numel), then BINPERSID.
      Buffer.from('('),
      once('storage', () => shortBinunicode('storage')),
      global('torch', 'FloatStorage'),
      shortBinunicode(tensor.key),
      once('cpu', () => shortBinunicode('cpu')),
      pickleInt(1000),
      Buffer.from('tQ'),
      pickleInt(tensor.offset),
      pickleInts(tensor.shape),
      pickleInts(tensor.stride),
      Buffer.from([0x89]), // NEWFALSE
      global('collections', 'OrderedDict'),
      Buffer.from(')Rt'),
    ];
    const bytes = Buffer.concat([...head, ...args, Buffer.from(tensor.subclass ? '}tR' : 'R')]);
    if (memo.size === memoSize) written.set(spec, bytes);
    parts.push(bytes);
  }
  parts.push(Buffer.from('e.'));
  return Buffer.concat(parts);
}

/** Protocol 5 opcodes: FRAME, BYTEARRAY8, SHORT_BINBYTES, EMPTY_SET/ADDITEMS, STOP. */
export function pickleProtocol5(): Buffer {
  const frame = Buffer.concat([
    Buffer.from([0x96]),
    u64(3),
    Buffer.from('abc'),
    Buffer.from([0x43, 0x02]),
    Buffer.from('hi'),
    Buffer.from([0x8f, 0x28, 0x4b, 0x01, 0x90]), // EMPTY_SET MARK BININT1 ADDITEMS
    Buffer.from([0x87, 0x2e]), // TUPLE3 STOP
  ]);
  return Buffer.concat([Buffer.from([0x80, 0x05, 0x95]), u64(frame.length), frame]);
}

/** The legacy torch.save magic-number pickle that starts pre-1.6 files. */
export const LEGACY_TORCH_MAGIC = Buffer.from('80028a0a6cfc9c46f9206aa850192e', 'hex');

// ---------------------------------------------------------------------------------------------
// Zip archives (PyTorch's format since 1.6)

export interface ZipSpecEntry {
  name: string;
  data: Buffer;
  deflate?: boolean;
}

export function zipBytes(entries: ZipSpecEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const body = entry.deflate ? deflateRawSync(entry.data) : entry.data;
    const crc = crc32(entry.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(entry.deflate ? 8 : 0, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, body);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(entry.deflate ? 8 : 0, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(entry.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/**
 * The same archive in zip64 form, as zipfile and PyTorch write past 4 GiB or 65,535 entries:
 * every size and offset saturated (0xffffffff) in the headers and given in a zip64 extra field,
 * the entry count and directory in a zip64 end record found through its locator. `prefix` bytes
 * come before the archive (whose offsets stay relative to its own start).
 */
export function zip64Bytes(entries: ZipSpecEntry[], options: { prefix?: Buffer } = {}): Buffer {
  const u64 = (value: number) => {
    const bytes = Buffer.alloc(8);
    bytes.writeBigUInt64LE(BigInt(value));
    return bytes;
  };
  const extra = (...values: number[]) => {
    const head = Buffer.alloc(4);
    head.writeUInt16LE(0x0001, 0);
    head.writeUInt16LE(8 * values.length, 2);
    return Buffer.concat([head, ...values.map(u64)]);
  };
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const body = entry.deflate ? deflateRawSync(entry.data) : entry.data;
    const crc = crc32(entry.data);
    const localExtra = extra(entry.data.length, body.length);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(45, 4);
    local.writeUInt16LE(entry.deflate ? 8 : 0, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(0xffffffff, 18);
    local.writeUInt32LE(0xffffffff, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(localExtra.length, 28);
    locals.push(local, name, localExtra, body);
    const centralExtra = extra(entry.data.length, body.length, offset);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(45, 4);
    central.writeUInt16LE(45, 6);
    central.writeUInt16LE(entry.deflate ? 8 : 0, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(0xffffffff, 20);
    central.writeUInt32LE(0xffffffff, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(centralExtra.length, 30);
    central.writeUInt32LE(0xffffffff, 42);
    centrals.push(central, name, centralExtra);
    offset += 30 + name.length + localExtra.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const record = Buffer.alloc(56);
  record.writeUInt32LE(0x06064b50, 0);
  record.writeBigUInt64LE(44n, 4);
  record.writeUInt16LE(45, 12);
  record.writeUInt16LE(45, 14);
  record.writeBigUInt64LE(BigInt(entries.length), 24);
  record.writeBigUInt64LE(BigInt(entries.length), 32);
  record.writeBigUInt64LE(BigInt(directory.length), 40);
  record.writeBigUInt64LE(BigInt(offset), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(offset + directory.length), 8);
  locator.writeUInt32LE(1, 16);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(0xffff, 8);
  end.writeUInt16LE(0xffff, 10);
  end.writeUInt32LE(0xffffffff, 12);
  end.writeUInt32LE(0xffffffff, 16);
  return Buffer.concat([options.prefix ?? Buffer.alloc(0), ...locals, directory, record, locator, end]);
}

/** A torch.save zip: archive/data.pkl (the given pickle), one storage, version and byteorder. */
export function torchZipBytes(dataPkl: Buffer, options: { deflatePickle?: boolean } = {}): Buffer {
  return zipBytes([
    { name: 'archive/data.pkl', data: dataPkl, deflate: options.deflatePickle ?? false },
    { name: 'archive/byteorder', data: Buffer.from('little') },
    { name: 'archive/data/0', data: Buffer.alloc(16, 0) },
    { name: 'archive/version', data: Buffer.from('3\n') },
    { name: 'archive/.data/serialization_id', data: Buffer.from('1234567890') },
  ]);
}

/**
 * Registers a temp dir for the enclosing describe and returns `inspect` (write the bytes as a file,
 * read its format) and `rejects` (the bytes must be refused with a FORMAT error naming the file).
 */
export function useFormatInspector(): {
  inspect: (name: string, bytes: Buffer) => ReturnType<typeof inspectModelFile>;
  rejects: (name: string, bytes: Buffer, pattern: RegExp) => Promise<void>;
  /** The temp dir itself, once the describe's hooks ran. */
  directory: () => string;
} {
  let temp: TempDir;
  beforeAll(async () => {
    temp = await tempDir();
  });
  afterAll(() => temp.cleanup());
  const inspect = async (name: string, bytes: Buffer) =>
    inspectModelFile(await temp.write(name, bytes), `models/${name}`);
  const rejects = async (name: string, bytes: Buffer, pattern: RegExp): Promise<void> => {
    const failure = inspect(name, bytes);
    await expect(failure).rejects.toMatchObject({ code: 'FORMAT', message: expect.stringMatching(pattern) });
    await expect(failure).rejects.toThrow(`models/${name}`);
  };
  return { inspect, rejects, directory: () => temp.dir };
}

// ---------------------------------------------------------------------------------------------
// Containers for the safety scan: tar, .npy, and Debian's python3 for real saves

/** A ustar archive of the given members (what Python's tarfile writes, minus pax headers). */
export function tarBytes(entries: { name: string; data: Buffer }[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const header = Buffer.alloc(512);
    header.write(entry.name, 0, 100, 'utf8');
    header.write('0000644\0', 100);
    header.write('0000000\0', 108);
    header.write('0000000\0', 116);
    header.write(`${entry.data.length.toString(8).padStart(11, '0')}\0`, 124);
    header.write('00000000000\0', 136);
    header.write('        ', 148);
    header.write('0', 156);
    header.write('ustar\x0000', 257, 'latin1');
    let sum = 0;
    for (const byte of header) sum += byte;
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
    blocks.push(header, entry.data, Buffer.alloc((512 - (entry.data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

/** A version 1 `.npy` file: header dict, padding to 64 bytes, then `data`. */
export function npyBytes(descr: string, shape: string, data: Buffer): Buffer {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const length = Buffer.alloc(2);
  length.writeUInt16LE(header.length);
  return Buffer.concat([
    Buffer.from('\x93NUMPY\x01\x00', 'latin1'),
    length,
    Buffer.from(header, 'latin1'),
    data,
  ]);
}

/**
 * Runs a Python script with Debian's python3 when it has every module named, returning null (and
 * saying why) otherwise, so tests of real saves skip with a message instead of failing.
 */
export async function debianPython(modules: string[], script: string, cwd: string): Promise<string | null> {
  const python = '/usr/bin/python3';
  try {
    await run(python, ['-c', modules.map((module) => `import ${module}`).join('; ') || 'pass']);
  } catch {
    reportMissing(
      `test skipped: ${python} with ${modules.join(', ')} is not installed (apt-get install python3-…)`,
    );
    return null;
  }
  const { stdout } = await run(python, ['-c', script], { cwd, maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}
