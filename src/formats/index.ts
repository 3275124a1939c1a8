import { extname } from 'node:path';

import { LedgerError, describeError } from '../errors.js';
import { readGguf } from './gguf.js';
import { readOnnx } from './onnx.js';
import { readModelTar, readModelZip, readRawPickle } from './pytorch.js';
import { FileSource, type ByteSource } from './reader.js';
import { readSafetensors } from './safetensors.js';
import { scanContext, scanOtherReadings, scanPart, scanZip, wholeSource, type ScanContext } from './scan.js';
import type { Sniffed } from './sniff.js';
import { looksLikePickle, sniff, SNIFF_BYTES } from './sniff.js';
import type { FormatInfo } from './types.js';

export type { FormatInfo } from './types.js';
export { readSafetensors, SAFETENSORS_MAX_HEADER } from './safetensors.js';
export { readGguf } from './gguf.js';
export { readOnnx } from './onnx.js';
export { readModelZip, readRawPickle } from './pytorch.js';
export { scanPickle, type PickleImport, type PickleScan } from './pickle.js';
export { classifyImport, importNames, pickleWarnings, type ImportVerdict } from './pickle-safety.js';
export { BufferSource, Cursor, FileSource, type ByteSource } from './reader.js';
export { RangeStream, type ByteStream } from './stream.js';
export { combineSafety, SafetyReport, wellFormed } from './safety.js';
export { jsonDepth, MAX_JSON_DEPTH } from './keras.js';

/** File extensions of model files; a model directory's files are inspected by content whatever their names. */
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
  '.npy',
  '.npz',
]);

const EOCD = Buffer.from('PK\x05\x06', 'latin1');
const ZIP_FORMATS = new Set(['zip', 'pytorch', 'torchscript', 'keras', 'npz']);

/**
 * A zip appended to a file of another format: zipfile (and Keras, which tests is_zipfile) finds an
 * archive by its end record, wherever the file starts, so a pickle with a `.keras` zip behind it
 * is both. Its members are scanned too; one that cannot be read is `incomplete`.
 */
async function scanTrailingZip(source: ByteSource, format: string, context: ScanContext): Promise<void> {
  if (ZIP_FORMATS.has(format) || source.size < 22) return;
  const length = Math.min(source.size, 22 + 0xffff);
  const tail = await source.read(source.size - length, length);
  if (tail.lastIndexOf(EOCD) === -1) return;
  try {
    await scanZip(source, context, 1, '(zip at the end of the file)');
  } catch (error) {
    if (!(error instanceof LedgerError)) throw error;
    context.report.incomplete('(zip at the end of the file)', describeError(error));
  }
}

const NAMED_READERS: Record<string, (source: ByteSource, display: string) => Promise<FormatInfo>> = {
  '.safetensors': readSafetensors,
  '.gguf': readGguf,
  '.onnx': readOnnx,
};

/**
 * What a model file is, from its bytes (never its name), the metadata its header holds, and the
 * safety scan's verdict on what loading it could run. Broken headers of formats that hold no code
 * (safetensors, GGUF, ONNX, zip directories) are LedgerError('FORMAT') naming `display`; a file that
 * only starts like a pickle is `raw`. Only headers and pickles are read, never tensor bytes.
 */
export async function inspectModelFile(path: string, display: string): Promise<FormatInfo> {
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
): Promise<FormatInfo> {
  const context = scanContext(display);
  const described = await describe(source, display, context);
  // Warnings of the scan's other readings (a pickle in a GGUF) are the file's too.
  const info =
    described.warnings === context.warnings
      ? described
      : { ...described, warnings: [...described.warnings, ...context.warnings] };
  // Raw bytes too: zipfile.is_zipfile, which Keras asks, is true of anything that ends in a zip.
  await scanTrailingZip(source, info.format, context);
  // A file named as a format that holds no code but is not one gets that format's own error.
  const named = NAMED_READERS[extension];
  if (info.format === 'raw' && named)
    return { ...(await named(source, display)), safety: context.report.result() };
  return { ...info, safety: context.report.result() };
}

async function describe(
  source: ByteSource,
  display: string,
  context: ScanContext,
): Promise<Omit<FormatInfo, 'safety'>> {
  const head = await source.read(0, Math.min(SNIFF_BYTES, source.size));
  const kind = sniff(head, source.size);
  if (!READ_HERE.has(kind)) {
    // scanPart scans the other readings itself.
    const result = await scanPart(wholeSource(source), context, 0);
    const format = result.kind === 'joblib-zlib' ? 'zlib' : result.kind;
    return { format, metadata: {}, warnings: context.warnings };
  }
  const info = await readAs(kind, source, display, context);
  // A file read as a pickle here, or tried as one, is not read as a pickle again.
  const pickleRead = ['pickle', 'pytorch-legacy', 'raw'].includes(info.format);
  await scanOtherReadings(wholeSource(source), kind, head, context, { pickle: !pickleRead });
  return info;
}

/** The kinds whose header is read here, for the record's metadata, rather than only scanned. */
const READ_HERE = new Set<Sniffed>(['safetensors', 'gguf', 'zip', 'pickle', 'tar', 'onnx', 'unknown']);

async function readAs(
  kind: Sniffed,
  source: ByteSource,
  display: string,
  context: ScanContext,
): Promise<Omit<FormatInfo, 'safety'>> {
  switch (kind) {
    case 'safetensors':
      return readOrRaw(readSafetensors, 'safetensors', source, display, context);
    case 'gguf':
      return readOrRaw(readGguf, 'GGUF', source, display, context);
    case 'zip':
      return readModelZip(source, context);
    case 'pickle':
      return readRawPickle(source, context);
    case 'tar':
      return readModelTar(source, context);
    case 'onnx':
      return readOrRaw(readOnnx, 'ONNX', source, display, context);
    default:
      return { format: 'raw', metadata: {}, warnings: [] };
  }
}

/**
 * Bytes that start like a format that holds no code (safetensors, GGUF, ONNX) but do not parse as
 * one are raw bytes, recorded with a note; a file named as that format gets the format's error.
 * Unless they are a pickle: a safetensors length can be `(U\x06...` and `GGUF` is a BINFLOAT
 * opcode, so a file can start like one of these and load with pickle; it is scanned as a pickle.
 */
async function readOrRaw(
  reader: (source: ByteSource, display: string) => Promise<FormatInfo>,
  what: string,
  source: ByteSource,
  display: string,
  context: ScanContext,
): Promise<Omit<FormatInfo, 'safety'>> {
  try {
    return await reader(source, display);
  } catch (error) {
    if (!(error instanceof LedgerError)) throw error;
    if (looksLikePickle(await source.read(0, Math.min(2, source.size)))) {
      const pickled = await readRawPickle(source, context);
      if (pickled.format !== 'raw') return pickled;
    }
    return {
      format: 'raw',
      metadata: { note: `starts like ${what} but is not (${describeError(error)})` },
      warnings: [],
    };
  }
}
