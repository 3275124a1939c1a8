import { extname } from 'node:path';

import { LedgerError } from '../errors.js';
import { readGguf } from './gguf.js';
import { readOnnx } from './onnx.js';
import { readModelZip, readRawPickle } from './pytorch.js';
import { FileSource, type ByteSource } from './reader.js';
import { readSafetensors, SAFETENSORS_MAX_HEADER } from './safetensors.js';
import type { FormatInfo } from './types.js';

export type { FormatInfo } from './types.js';
export { readSafetensors, SAFETENSORS_MAX_HEADER } from './safetensors.js';
export { readGguf } from './gguf.js';
export { readOnnx } from './onnx.js';
export { readModelZip, readRawPickle } from './pytorch.js';
export { scanPickle, type PickleImport, type PickleScan } from './pickle.js';
export { classifyImport, importNames, pickleWarnings, type ImportVerdict } from './pickle-safety.js';
export { BufferSource, Cursor, FileSource, type ByteSource } from './reader.js';

/** File extensions worth opening inside a model directory; other files are hashed only. */
export const MODEL_EXTENSIONS = new Set([
  '.safetensors',
  '.gguf',
  '.onnx',
  '.pt',
  '.pth',
  '.bin',
  '.ckpt',
  '.pkl',
  '.pickle',
  '.joblib',
  '.keras',
  '.h5',
  '.hdf5',
  '.mar',
]);
const PICKLE_EXTENSIONS = new Set(['.pkl', '.pickle', '.joblib']);
const TORCH_EXTENSIONS = new Set(['.pt', '.pth', '.bin', '.ckpt', '.mar']);
const HDF5_MAGIC = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Opcodes a protocol 0/1 pickle starts with: MARK, EMPTY_LIST/DICT/TUPLE, GLOBAL, NONE, INT, STRING... */
const PROTOCOL0_FIRST = new Set([...'(]})cNIFLSVdlt'].map((char) => char.charCodeAt(0)));
/** Compressed joblib dumps: zlib, gzip, xz, lz4, bz2. Their pickle cannot be scanned without inflating. */
const COMPRESSED_MAGIC = [
  Buffer.from([0x78]),
  Buffer.from('ZF'),
  Buffer.from([0x1f, 0x8b]),
  Buffer.from([0xfd, 0x37, 0x7a, 0x58]),
  Buffer.from([0x04, 0x22, 0x4d, 0x18]),
  Buffer.from('BZh'),
];

/**
 * What a model file is, from its name and first bytes, and the metadata its header holds; null when
 * the format is not one model-ledger reads. Hostile or broken headers are LedgerError('FORMAT')
 * naming `display`. Only headers are read, never the tensors.
 */
export async function inspectModelFile(path: string, display: string): Promise<FormatInfo | null> {
  const source = await FileSource.open(path, display);
  try {
    return await inspectSource(source, display, extname(path).toLowerCase());
  } finally {
    await source.close();
  }
}

export async function inspectSource(
  source: ByteSource,
  display: string,
  extension: string,
): Promise<FormatInfo | null> {
  const head = await source.read(0, Math.min(16, source.size));
  const startsWith = (magic: Buffer | string): boolean =>
    head.subarray(0, magic.length).equals(Buffer.from(magic));

  if (extension === '.safetensors') return readSafetensors(source, display);
  if (extension === '.gguf' || startsWith('GGUF')) return readGguf(source, display);
  if (extension === '.onnx') return readOnnx(source, display);
  if (startsWith('PK\x03\x04') || startsWith('PK\x05\x06')) return readModelZip(source, display, extension);
  if (startsWith(HDF5_MAGIC)) return { format: 'hdf5', metadata: {}, warnings: [] };

  const first = head[0];
  const pickleLike =
    first === 0x80 ? (head[1] ?? 99) <= 5 : first !== undefined && PROTOCOL0_FIRST.has(first);
  if (PICKLE_EXTENSIONS.has(extension) || TORCH_EXTENSIONS.has(extension)) {
    if (pickleLike) return readRawPickle(source, display);
    if (extension === '.joblib' || extension === '.pkl' || extension === '.pickle') {
      if (COMPRESSED_MAGIC.some((magic) => startsWith(magic))) {
        return {
          format: 'pickle-compressed',
          metadata: {},
          warnings: [
            {
              code: 'PICKLE_NOT_SCANNED',
              message: `${display}: a compressed pickle (joblib compress=...); its imports were not checked — save it uncompressed to have it scanned`,
            },
          ],
        };
      }
      throw new LedgerError('FORMAT', 'is named as a pickle but does not start like one', {
        file: display,
        fix: 'check the file, or rename it if it is not a pickle',
      });
    }
  }
  if (looksLikeSafetensors(head, source.size)) return readSafetensors(source, display);
  return null;
}

/** An unnamed safetensors file: a plausible little-endian header length, then `{`. */
function looksLikeSafetensors(head: Buffer, size: number): boolean {
  if (head.length < 9) return false;
  const length = head.readBigUInt64LE(0);
  return head[8] === 0x7b && length >= 2n && length <= BigInt(Math.min(SAFETENSORS_MAX_HEADER, size - 8));
}
