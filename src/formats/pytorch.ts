import { LedgerError } from '../errors.js';
import type { JsonObject } from '../record/predicate.js';
import { emptyScan, scanPickle, type PickleScan } from './pickle.js';
import { formatFailure, type ByteSource } from './reader.js';
import { scanPickles, scanTar, scanZip, type ScanContext } from './scan.js';
import { InflateStream, RangeStream, ScanBudget, type ByteStream } from './stream.js';
import type { FormatInfo } from './types.js';
import { readLocalHeader, type ZipEntry } from './zip.js';

const MAX_LISTED_IMPORTS = 200;
/** data.pkl is read a second time for its tensors only up to this size (a 7B model's is ~100 KiB). */
const MAX_TENSOR_PICKLE = 64 * 1024 * 1024;
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
  if (format === 'pytorch' || format === 'torchscript') {
    const scan = await dataPickleTensors(source, walk.entries, context.display);
    if (scan) Object.assign(metadata, tensorCounts(scan));
  }
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
  // A pickle that broke or hit a bound may hold more tensors than were seen: no count then.
  const broken = context.report.result().findings?.some((finding) => finding.verdict === 'incomplete');
  const counted = broken ? {} : tensorCounts(scan);
  return {
    format: head.equals(LEGACY_MAGIC) ? 'pytorch-legacy' : 'pickle',
    metadata: {
      protocol: scan.protocol,
      pickles: scan.streams,
      opcodes: scan.opcodes,
      imports: [...context.imports].sort().slice(0, MAX_LISTED_IMPORTS),
      ...counted,
    },
    warnings: context.warnings,
  };
}

/**
 * `tensors` (the tensor objects the pickle rebuilds) and `parameters` (their elements). The count
 * is what `sum(t.numel() for t in state_dict.values())` gives, except that views that are the same
 * (same storage, offset, shape and stride: tied weights, which state_dict() lists under each name)
 * count once, as `sum(p.numel() for p in model.parameters())` counts a shared parameter once. A
 * state dict does not say which tensors are buffers (BatchNorm's running statistics), so they are
 * counted too, as safetensors and GGUF counts do. No `parameters` when a tensor's shape is not
 * a constant the scan could read (sparse, nested and wrapper-subclass tensors), or past the bound.
 */
export function tensorCounts(scan: PickleScan): JsonObject {
  const total = scan.tensors.length + scan.tensorsOmitted;
  if (total === 0) return {};
  if (scan.tensorsOmitted > 0 || scan.tensors.some((tensor) => tensor.shape === null))
    return { tensors: total };
  const views = new Set<string>();
  let parameters = 0n;
  for (const tensor of scan.tensors) {
    if (tensor.storage !== null) {
      const view = JSON.stringify([tensor.storage, tensor.offset, tensor.shape, tensor.stride]);
      if (views.has(view)) continue;
      views.add(view);
    }
    parameters += (tensor.shape as number[]).reduce((product, dim) => product * BigInt(dim), 1n);
  }
  return {
    tensors: total,
    parameters: parameters <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(parameters) : parameters.toString(),
  };
}

/**
 * The tensors of a PyTorch archive's `<root>/data.pkl`, from a second pass over that one pickle
 * (the safety walk keeps no per-member results). Null when there is none, or it does not parse.
 */
async function dataPickleTensors(
  source: ByteSource,
  entries: ZipEntry[],
  display: string,
): Promise<PickleScan | null> {
  const entry = entries.find((candidate) => /^[^/]*\/data\.pkl$/i.test(candidate.name));
  if (!entry || entry.uncompressedSize > MAX_TENSOR_PICKLE || (entry.method !== 0 && entry.method !== 8))
    return null;
  const fail = formatFailure(display, 'the archive is corrupt');
  let stream: ByteStream | undefined;
  try {
    const { dataStart } = await readLocalHeader(source, entry, fail);
    const end = dataStart + entry.compressedSize;
    stream =
      entry.method === 0
        ? new RangeStream(source, dataStart, end)
        : new InflateStream(source, dataStart, end, 'deflate-raw', new ScanBudget(display));
    return await scanPickle(stream, `${display} (${entry.name})`, emptyScan());
  } catch (error) {
    // The safety walk has already reported what is wrong with this member.
    if (error instanceof LedgerError) return null;
    throw error;
  } finally {
    stream?.close();
  }
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
