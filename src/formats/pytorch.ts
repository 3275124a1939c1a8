import type { JsonObject } from '../record/predicate.js';
import { formatFailure, type ByteSource } from './reader.js';
import { scanPickles, scanTar, scanZip, type ScanContext } from './scan.js';
import { RangeStream } from './stream.js';
import type { FormatInfo } from './types.js';
import { readLocalHeader } from './zip.js';

const MAX_LISTED_IMPORTS = 200;
/** The legacy torch.save magic number pickle: PROTO 2, LONG1 0x1950a86a20f9469cfc6c, STOP. */
const LEGACY_MAGIC = Buffer.from('80028a0a6cfc9c46f9206aa850192e', 'hex');

/**
 * A zip model archive: PyTorch (torch.save since 1.6: `archive/data.pkl` + `archive/data/N`
 * storages), TorchScript (`constants.pkl`, `code/`), Keras 3 (`config.json` at the top), NumPy
 * `.npz`, or any zip. Every member is sniffed and scanned by content (names matched without case).
 */
export async function readModelZip(source: ByteSource, context: ScanContext): Promise<FormatInfo> {
  const walk = await scanZip(source, context, 0, undefined);
  const names = walk.entries.map((entry) => entry.name);
  const lower = names.map((name) => name.toLowerCase());
  let format = 'zip';
  if (lower.some((name) => /(^|\/)data\.pkl$/.test(name))) format = 'pytorch';
  if (
    lower.some((name) => /(^|\/)constants\.pkl$/.test(name)) &&
    lower.some((name) => /(^|\/)code\//.test(name))
  )
    format = 'torchscript';
  if (format === 'zip' && walk.kerasConfig) format = 'keras';
  if (format === 'zip' && lower.length > 0 && lower.every((name) => name.endsWith('.npy'))) format = 'npz';
  const metadata: JsonObject = {
    container: 'zip',
    entries: walk.entries.length,
    pickles: walk.pickles.slice(0, MAX_LISTED_IMPORTS),
    storages: names.filter((name) => /\/data\/[^/]+$/.test(name) && !name.endsWith('.pkl')).length,
  };
  if (walk.pickles.length > 0) metadata['imports'] = [...context.imports].sort().slice(0, MAX_LISTED_IMPORTS);
  for (const key of ['version', 'byteorder'] as const) {
    const entry = walk.entries.find((candidate) =>
      new RegExp(`(^|/)(\\.data/)?${key}$`).test(candidate.name),
    );
    if (entry && entry.method === 0 && entry.uncompressedSize <= 64) {
      const local = await readLocalHeader(
        source,
        entry,
        formatFailure(context.display, 'the archive is corrupt'),
      );
      metadata[key] = (await source.read(local.dataStart, entry.compressedSize)).toString('utf8').trim();
    }
  }
  return { format, metadata, warnings: context.warnings };
}

/**
 * A file that starts like a pickle (`.pkl`, joblib, legacy torch.save, or any name): every
 * pickle stream in it is scanned. When the bytes only start like a pickle and are not one (a raw
 * tensor dump, a word2vec `.bin`), the file is recorded as `raw` with a note, never refused.
 */
export async function readRawPickle(source: ByteSource, context: ScanContext): Promise<FormatInfo> {
  const head = await source.read(0, Math.min(LEGACY_MAGIC.length, source.size));
  const outcome = await scanPickles(new RangeStream(source, 0, source.size), context, undefined);
  if (!outcome.isPickle) {
    return {
      format: 'raw',
      metadata: {
        note: `starts like a pickle but is not one (${outcome.error ?? 'no opcodes'}); recorded as raw bytes`,
      },
      warnings: context.warnings,
    };
  }
  const { scan } = outcome;
  return {
    format: head.equals(LEGACY_MAGIC) ? 'pytorch-legacy' : 'pickle',
    metadata: {
      protocol: scan.protocol,
      pickles: scan.streams,
      opcodes: scan.opcodes,
      imports: [...context.imports].sort().slice(0, MAX_LISTED_IMPORTS),
    },
    warnings: context.warnings,
  };
}

/** A tar archive: PyTorch's oldest torch.save format (sys_info, pickle, tensors, storages), or any tar. */
export async function readModelTar(source: ByteSource, context: ScanContext): Promise<FormatInfo> {
  const walk = await scanTar(source, context, 0, undefined);
  const torch = ['sys_info', 'pickle', 'storages'].every((name) => walk.members.includes(name));
  return {
    format: torch ? 'pytorch-legacy-tar' : 'tar',
    metadata: {
      container: 'tar',
      entries: walk.members.length,
      pickles: walk.pickles.slice(0, MAX_LISTED_IMPORTS),
    },
    warnings: context.warnings,
  };
}
