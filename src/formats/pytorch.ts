import { LedgerError } from '../errors.js';
import type { ArtifactWarning, JsonObject } from '../record/predicate.js';
import { emptyScan, scanPickle } from './pickle.js';
import { importNames, pickleWarnings } from './pickle-safety.js';
import { Cursor, formatFailure, type ByteSource } from './reader.js';
import type { FormatInfo } from './types.js';
import { openZipEntry, readZipDirectory } from './zip.js';

const ZIP_FIX =
  'the archive is corrupt or truncated; save the model again (torch.save) or check the download';
const PICKLE_FIX = 'the file is not a valid pickle; save it again or check the download';
const MAX_LISTED_IMPORTS = 200;
/** Legacy (pre-1.6) torch.save files are five pickles followed by raw storage bytes. */
const LEGACY_PICKLES = 5;
/** The legacy torch.save magic number pickle: PROTO 2, LONG1 0x1950a86a20f9469cfc6c, STOP. */
const LEGACY_MAGIC = Buffer.from('80028a0a6cfc9c46f9206aa850192e', 'hex');
const JOBLIB_ARRAY_WRAPPERS = new Set([
  'joblib.numpy_pickle.NumpyArrayWrapper',
  'sklearn.externals.joblib.numpy_pickle.NumpyArrayWrapper',
]);

/**
 * A zip model archive: PyTorch (torch.save since 1.6: `archive/data.pkl` + `archive/data/N`
 * storages), TorchScript (`constants.pkl`, `code/`), Keras 3 (`.keras`) or any zip. Every `.pkl`
 * entry is scanned for imports.
 */
export async function readModelZip(
  source: ByteSource,
  display: string,
  extension: string,
): Promise<FormatInfo> {
  const fail = formatFailure(display, ZIP_FIX);
  const entries = await readZipDirectory(source, fail);
  const names = entries.map((entry) => entry.name);
  const pickles = entries.filter((entry) => entry.name.endsWith('.pkl'));
  let format = 'zip';
  if (names.some((name) => /(^|\/)data\.pkl$/.test(name))) format = 'pytorch';
  if (
    names.some((name) => /(^|\/)constants\.pkl$/.test(name)) &&
    names.some((name) => /(^|\/)code\//.test(name))
  ) {
    format = 'torchscript';
  }
  if (format === 'zip' && extension === '.keras') format = 'keras';

  const warnings: ArtifactWarning[] = [];
  const scan = emptyScan();
  for (const entry of pickles) {
    const where = `${display} (${entry.name})`;
    const cursor = await openZipEntry(source, entry, fail);
    if (!cursor) {
      warnings.push({
        code: 'PICKLE_NOT_SCANNED',
        message: `${where}: compression method ${entry.method} is not read; its imports were not checked`,
      });
      continue;
    }
    const before = scan.imports.length;
    const unresolvedBefore = scan.unresolved.length;
    await scanPickle(cursor, entry.name, scan);
    warnings.push(
      ...pickleWarnings(
        { ...scan, imports: scan.imports.slice(before), unresolved: scan.unresolved.slice(unresolvedBefore) },
        where,
      ),
    );
  }

  const metadata: JsonObject = {
    container: 'zip',
    entries: entries.length,
    pickles: pickles.map((entry) => entry.name),
    storages: names.filter((name) => /\/data\/[^/]+$/.test(name) && !name.endsWith('.pkl')).length,
  };
  for (const key of ['version', 'byteorder'] as const) {
    const entry = entries.find((candidate) => new RegExp(`(^|/)(\\.data/)?${key}$`).test(candidate.name));
    if (entry && entry.uncompressedSize <= 64) {
      const cursor = await openZipEntry(source, entry, fail);
      if (cursor) metadata[key] = (await cursor.bytes(cursor.remaining, key)).toString('utf8').trim();
    }
  }
  if (pickles.length > 0) metadata['imports'] = importNames(scan).slice(0, MAX_LISTED_IMPORTS);
  return { format, metadata, warnings };
}

/**
 * A raw pickle file (`.pkl`, joblib, legacy torch.save). Scans the first pickle, or the five of a
 * legacy torch.save file. A joblib file stores NumPy arrays as raw bytes inside the pickle stream,
 * which no opcode scanner can step over: the scan then stops there with PICKLE_SCAN_INCOMPLETE.
 */
export async function readRawPickle(source: ByteSource, display: string): Promise<FormatInfo> {
  const fail = formatFailure(display, PICKLE_FIX);
  const head = await source.read(0, Math.min(LEGACY_MAGIC.length, source.size));
  const legacy = head.equals(LEGACY_MAGIC);
  const cursor = new Cursor(source, 0, source.size, fail);
  const scan = emptyScan();
  const warnings: ArtifactWarning[] = [];
  let pickles = 0;
  const count = legacy ? LEGACY_PICKLES : 1;
  try {
    for (; pickles < count; pickles++)
      await scanPickle(cursor, pickles === 0 ? 'pickle' : `pickle ${pickles + 1}`, scan);
  } catch (error) {
    if (
      !(error instanceof LedgerError) ||
      !scan.imports.some((entry) => JOBLIB_ARRAY_WRAPPERS.has(`${entry.module}.${entry.name}`))
    ) {
      throw error;
    }
    warnings.push({
      code: 'PICKLE_SCAN_INCOMPLETE',
      message: `${display}: the scan stopped at byte ${cursor.position} where joblib's raw array data begins (${error.message}); imports after it were not checked`,
    });
  }
  warnings.unshift(...pickleWarnings(scan, display));
  return {
    format: legacy ? 'pytorch-legacy' : 'pickle',
    metadata: {
      protocol: scan.protocol,
      pickles: Math.max(1, pickles),
      opcodes: scan.opcodes,
      imports: importNames(scan).slice(0, MAX_LISTED_IMPORTS),
    },
    warnings,
  };
}
