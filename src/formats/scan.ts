import { LedgerError, describeError } from '../errors.js';
import type { ArtifactWarning } from '../record/predicate.js';
import { findHdf5Configs, kerasConfigFindings } from './keras.js';
import { readHdf5Configs, type Hdf5ConfigOptions } from './hdf5-configs.js';
import { Bzip2Stream } from './bzip2.js';
import { Lz4Stream } from './lz4.js';
import { readNpyHeader } from './npy.js';
import { emptyScan, PickleFormatError, scanPickle, type PickleScan } from './pickle.js';
import { importNames, isImportable, pickleWarnings } from './pickle-safety.js';
import { BufferSource, formatFailure, type ByteSource } from './reader.js';
import { SafetyReport, wellFormed } from './safety.js';
import { hdf5SuperblockOffset, looksLikePickle, sniff, SNIFF_BYTES, type Sniffed } from './sniff.js';
import {
  DEFAULT_LIMITS,
  InflateStream,
  RangeStream,
  readAll,
  ScanBoundError,
  ScanBudget,
  type ByteStream,
  type ScanLimits,
} from './stream.js';
import { readTarMembers } from './tar.js';
import { XzStream } from './xz.js';
import { readLocalHeader, readZipDirectory, type ZipEntry } from './zip.js';

/**
 * The safety scan's walk through one model file: every part is sniffed by content, containers
 * (zip, tar, gzip/zlib/bzip2/xz/lz4 streams, .npy/.npz) are opened recursively within the budget's bounds, and
 * every pickle stream found is scanned. Problems inside a part become findings (`incomplete`) or
 * warnings; nothing here refuses the file.
 */

export interface ScanContext {
  display: string;
  budget: ScanBudget;
  report: SafetyReport;
  warnings: ArtifactWarning[];
  /** Every import of every pickle scanned, for the record's metadata. */
  imports: Set<string>;
  /** Bounds of the HDF5 library's read of an HDF5 part (hdf5-configs.ts); its defaults otherwise. */
  hdf5?: Partial<Hdf5ConfigOptions>;
}

export function scanContext(display: string, limits: ScanLimits = DEFAULT_LIMITS): ScanContext {
  return {
    display,
    budget: new ScanBudget(display, limits),
    report: new SafetyReport(),
    warnings: [],
    imports: new Set(),
  };
}

/** Bytes of one part: a file, a member, the inflated content of a stream. */
export interface Part {
  /** Where it is inside the file, for findings; undefined for the file itself. */
  member: string | undefined;
  /** Random access, when the part is stored as is. */
  source?: ByteSource;
  open(): ByteStream;
}

export function wholeSource(source: ByteSource, member?: string): Part {
  return { member, source, open: () => new RangeStream(source, 0, source.size) };
}

/** A window [start, start + size) of a source, as a source. */
export class SliceSource implements ByteSource {
  constructor(
    private readonly parent: ByteSource,
    private readonly start: number,
    readonly size: number,
  ) {}
  read(offset: number, length: number): Promise<Buffer> {
    return this.parent.read(this.start + offset, length);
  }
}

/** A compressed wrapper's decoded bytes, read forward and counted against the budget. */
function openWrapped(
  kind: 'gzip' | 'zlib' | 'joblib-zlib' | 'bzip2' | 'xz' | 'lz4',
  source: ByteSource,
  budget: ScanBudget,
): ByteStream {
  switch (kind) {
    case 'bzip2':
      return new Bzip2Stream(source, 0, source.size, budget);
    case 'xz':
      return new XzStream(source, 0, source.size, budget);
    case 'lz4':
      return new Lz4Stream(source, 0, source.size, budget);
    case 'joblib-zlib':
      // joblib < 0.10: "ZF", the length in hex padded to 19 bytes, then zlib.
      return new InflateStream(source, 21, source.size, 'zlib', budget);
    default:
      return new InflateStream(source, 0, source.size, kind, budget);
  }
}

export interface PartResult {
  kind: Sniffed;
  /** For a pickle part: what its streams imported, and whether it parsed as one at all. */
  pickle?: PickleOutcome;
}

/** Sniffs a part and scans it by what it is, and by what else a loader could take it for. */
export async function scanPart(part: Part, context: ScanContext, depth: number): Promise<PartResult> {
  const head = await peek(part);
  const kind = sniff(head, part.source?.size ?? Number.MAX_SAFE_INTEGER);
  const { budget } = context;
  if (depth > budget.limits.depth) {
    if (kind !== 'unknown')
      context.report.incomplete(part.member, `containers nested deeper than ${budget.limits.depth}`);
    return { kind };
  }
  const result = await scanAs(kind, part, context, depth);
  await scanOtherReadings(part, kind, head, context, { pickle: kind !== 'pickle' });
  return result;
}

/**
 * A file is whatever its loader makes of it, and the first bytes choose only one reading. Two
 * others are always tried:
 * - a pickle: pickle.load, joblib and torch.load's legacy path read any file, and the magic of
 *   another format can be opcodes (`GGUF` starts with BINFLOAT, a safetensors header length or an
 *   LZMA header can be MARK or EMPTY_LIST), so a file can be a valid GGUF and a pickle that runs
 *   code. Bytes that import nothing before they stop parsing are no pickle and add nothing;
 * - an HDF5 file behind a user block (superblock at 512, 1024, 2048… bytes), which h5py, and so
 *   Keras, opens whatever comes before it: a harmless pickle in front hides no Lambda layer.
 * `pickle: false` when the part was already scanned as a pickle.
 */
export async function scanOtherReadings(
  part: Part,
  kind: Sniffed,
  head: Buffer,
  context: ScanContext,
  options: { pickle: boolean },
): Promise<void> {
  if (options.pickle && looksLikePickle(head)) await scanPickles(part.open(), context, part.member);
  const source = part.source;
  if (kind === 'hdf5' || !source) return;
  const offset = await guarded(context, part.member, () =>
    hdf5SuperblockOffset((at, length) => source.read(at, length), source.size),
  );
  if (offset !== undefined) await guarded(context, part.member, () => scanHdf5(source, context, part.member));
}

async function scanAs(kind: Sniffed, part: Part, context: ScanContext, depth: number): Promise<PartResult> {
  const { report, budget } = context;
  switch (kind) {
    case 'pickle':
      return { kind, pickle: await scanPickles(part.open(), context, part.member) };
    case 'zip': {
      const source = await randomAccess(part, context);
      if (source) await scanZip(source, context, depth, part.member);
      return { kind };
    }
    case 'tar': {
      const source = await randomAccess(part, context);
      if (source) await scanTar(source, context, depth, part.member);
      return { kind };
    }
    case 'gzip':
    case 'zlib':
    case 'joblib-zlib':
    case 'bzip2':
    case 'xz':
    case 'lz4': {
      const source = await randomAccess(part, context);
      if (!source) return { kind };
      const inner: Part = { member: part.member, open: () => openWrapped(kind, source, budget) };
      await guarded(context, part.member, () => scanPart(inner, context, depth + 1));
      return { kind };
    }
    case 'zstd':
    case 'lzma': {
      // No pure-JS decoder for these is part of model-ledger: the content stays unchecked, and says so.
      const what = kind === 'zstd' ? 'zstd' : 'LZMA-alone (.lzma)';
      report.incomplete(
        part.member,
        `${what}-compressed content is not inflated by model-ledger; its pickles (if any) were not scanned`,
      );
      context.warnings.push({
        code: 'PICKLE_NOT_SCANNED',
        message: `${context.display}${part.member ? ` (${part.member})` : ''}: ${what}-compressed content is not inflated by model-ledger, so what it holds was not checked — save it uncompressed or with gzip, bz2, xz or lz4 to have it scanned`,
      });
      return { kind };
    }
    case 'npy':
      await guarded(context, part.member, () => scanNpy(part, context));
      return { kind };
    case 'hdf5': {
      const source = await randomAccess(part, context);
      if (source) await scanHdf5(source, context, part.member);
      return { kind };
    }
    default:
      return { kind };
  }
}

/** Runs a nested scan, turning a bound or a broken part into a finding instead of an error. */
async function guarded<T>(
  context: ScanContext,
  member: string | undefined,
  run: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof LedgerError)) throw error;
    context.report.incomplete(member, `scan stopped: ${describeError(error)}`);
    return undefined;
  }
}

async function peek(part: Part): Promise<Buffer> {
  if (part.source) return part.source.read(0, Math.min(SNIFF_BYTES, part.source.size));
  const stream = part.open();
  try {
    return Buffer.from((await stream.fill(SNIFF_BYTES)).subarray(0, SNIFF_BYTES));
  } finally {
    stream.close();
  }
}

/** A part as a random-access source: itself, or its bytes inflated into memory within the bound. */
async function randomAccess(part: Part, context: ScanContext): Promise<ByteSource | undefined> {
  if (part.source) return part.source;
  const limit = context.budget.limits.memberInMemory;
  const stream = part.open();
  try {
    const bytes = await readAll(stream, limit);
    if (bytes === null) {
      context.report.incomplete(
        part.member,
        `a compressed container over ${limit} bytes is not inflated into memory`,
      );
      return undefined;
    }
    return new BufferSource(bytes);
  } catch (error) {
    if (!(error instanceof LedgerError)) throw error;
    context.report.incomplete(part.member, `could not be inflated: ${describeError(error)}`);
    return undefined;
  } finally {
    stream.close();
  }
}

export interface PickleOutcome {
  /** False when the bytes only started like a pickle: no stream parsed and nothing was imported. */
  isPickle: boolean;
  scan: PickleScan;
  /** Why the first stream did not parse, when it did not. */
  error?: string;
}

/**
 * Every pickle stream in a part: the first, and each that follows a STOP (a second pickle is
 * what loaders that call pickle.load again, and joblib, read). A stream that fails to parse still
 * counts for what it imported before the failure, since the unpickler runs opcodes as it reads
 * them; bytes that only start like a pickle and import nothing importable are raw data.
 */
export async function scanPickles(
  stream: ByteStream,
  context: ScanContext,
  member: string | undefined,
): Promise<PickleOutcome> {
  const scan = emptyScan();
  const label = member ? `${context.display} (${member})` : context.display;
  let parsed = 0;
  let error: string | undefined;
  try {
    for (;;) {
      const head = await stream.fill(2);
      if (head.length === 0) break;
      if (parsed > 0 && head[0] === 0x2e) {
        // A lone STOP after a pickle is padding, not the end: what follows it is read on. A run of
        // them is passed over a window at a time, not byte by byte.
        const window = await stream.fill(64 * 1024);
        let run = 0;
        while (run < window.length && window[run] === 0x2e) run++;
        stream.consume(run);
        continue;
      }
      if (parsed > 0 && !looksLikePickle(head)) break;
      const imports = scan.imports.length;
      const unresolved = scan.unresolved.length;
      const streams = scan.streams;
      try {
        await scanPickle(stream, parsed === 0 ? label : `${label}, pickle ${parsed + 1}`, scan);
        parsed++;
      } catch (failure) {
        if (!(failure instanceof PickleFormatError)) throw failure;
        scan.imports = scan.imports.filter(
          (entry, index) => index < imports || isImportable(entry.module, entry.name),
        );
        const importedHere = scan.imports.length > imports;
        if (!importedHere) {
          scan.unresolved.length = unresolved;
          scan.streams = streams;
          if (parsed === 0) error = failure.detail;
          break;
        }
        context.warnings.push({
          code: 'PICKLE_BROKEN',
          message: wellFormed(
            `${label}: a pickle that does not parse (${failure.detail}); what it imports before that point is judged, and the scan is incomplete`,
          ),
        });
        context.report.incomplete(member, 'a pickle that does not parse to its end');
        parsed++;
        break;
      }
    }
  } catch (failure) {
    if (!(failure instanceof LedgerError)) throw failure;
    const reason =
      failure instanceof ScanBoundError ? failure.message : `scan stopped: ${describeError(failure)}`;
    context.report.incomplete(member, reason);
    context.warnings.push({
      code: 'PICKLE_SCAN_INCOMPLETE',
      message: wellFormed(reason),
    });
    parsed = Math.max(parsed, 1);
  } finally {
    stream.close();
  }
  const isPickle = parsed > 0;
  if (isPickle) {
    context.report.addPickle(scan, member);
    for (const warning of pickleWarnings(scan, label))
      context.warnings.push({ code: warning.code, message: wellFormed(warning.message) });
    for (const name of importNames(scan)) context.imports.add(wellFormed(name));
  }
  return { isPickle, scan, ...(error === undefined ? {} : { error }) };
}

async function scanNpy(part: Part, context: ScanContext): Promise<void> {
  const stream = part.open();
  const fail = (message: string) => new LedgerError('FORMAT', message, { file: context.display });
  let header;
  try {
    header = await readNpyHeader(stream, fail);
  } catch (error) {
    stream.close();
    throw error;
  }
  if (!header.objects) {
    stream.close();
    return;
  }
  const outcome = await scanPickles(
    stream,
    context,
    part.member ? `${part.member} (object array)` : '(object array)',
  );
  if (!outcome.isPickle)
    context.report.incomplete(
      part.member,
      `an object array whose pickle does not parse (${outcome.error ?? 'empty'})`,
    );
}

/**
 * An HDF5 part's Keras configurations, found twice: by the bounded byte scan (keras.ts) and by the
 * HDF5 library (hdf5-configs.ts), and every one either finds is inspected, so neither a decoy nor
 * storage the byte scan does not see hides one. When the library reads the file, what it finds is
 * what Keras would load, and the byte scan's guesses about what it may have missed are moot; when
 * it finds no HDF5 file, no loader opens it and the byte scan decides alone; when it fails (a
 * timeout, a crash, memory) the part is incomplete, whatever the byte scan found.
 */
async function scanHdf5(source: ByteSource, context: ScanContext, member: string | undefined): Promise<void> {
  const found = await findHdf5Configs(source);
  const library = await readHdf5Configs(
    source,
    member ? `${context.display} (${member})` : context.display,
    context.hdf5,
  );
  const configs = new Map<string, string>();
  if (library.status === 'read')
    for (const { where, text } of library.configs) configs.set(text.trim(), `the HDF5 attribute ${where}`);
  for (const text of found.configs)
    if (!configs.has(text.trim())) configs.set(text.trim(), 'the HDF5 model_config');
  for (const [text, label] of configs) {
    const { findings, problem } = kerasConfigFindings(text, member);
    for (const finding of findings) context.report.add(finding);
    if (problem) context.report.incomplete(member, `${label} ${problem}`);
  }
  if (library.status === 'read') {
    for (const note of library.notes) context.report.incomplete(member, note);
    return;
  }
  if (library.status === 'unread') context.report.incomplete(member, library.reason);
  if (found.gaveUp)
    context.report.incomplete(member, 'an HDF5 file holding more JSON-looking objects than the scan reads');
  else if (found.unscanned > 0 && found.configs.length === 0)
    context.report.incomplete(
      member,
      `an HDF5 file larger than the ${source.size - found.unscanned}-byte scan bound`,
    );
  else if (found.named && found.configs.length === 0)
    context.report.incomplete(
      member,
      'names a model_config attribute whose Keras configuration was not found',
    );
}

/** What a zip's walk found, for the caller's format and metadata. */
export interface ZipWalk {
  entries: ZipEntry[];
  /** Members that parsed as pickles. */
  pickles: string[];
  kerasConfig: boolean;
}

export async function scanZip(
  source: ByteSource,
  context: ScanContext,
  depth: number,
  member: string | undefined,
): Promise<ZipWalk> {
  const walk: ZipWalk = { entries: [], pickles: [], kerasConfig: false };
  const label = member ? `${context.display} (${member})` : context.display;
  const fail = formatFailure(
    label,
    'the archive is corrupt or truncated; save the model again or check the download',
  );
  let entries: ZipEntry[];
  try {
    entries = await readZipDirectory(source, fail);
  } catch (error) {
    if (member === undefined) throw error;
    context.report.incomplete(member, `a zip that cannot be read: ${describeError(error)}`);
    return walk;
  }
  walk.entries = entries;
  const path = (name: string) => (member ? `${member} > ${name}` : name);
  for (const entry of entries) {
    if (entry.name.endsWith('/') && entry.uncompressedSize === 0) continue;
    try {
      context.budget.member();
    } catch (error) {
      if (!(error instanceof ScanBoundError)) throw error;
      context.report.incomplete(member, error.message);
      break;
    }
    const where = path(entry.name);
    let local;
    try {
      local = await readLocalHeader(source, entry, fail);
    } catch (error) {
      if (!(error instanceof LedgerError)) throw error;
      context.report.incomplete(where, describeError(error));
      continue;
    }
    if (local.disagreements.length > 0) {
      const message = `the local header disagrees with the central directory (${local.disagreements.join(', ')}); readers that trust local headers see another member`;
      context.warnings.push({
        code: 'ZIP_HEADER_MISMATCH',
        message: `${context.display} (${where}): ${message}`,
      });
      context.report.incomplete(where, message);
    }
    if ((entry.flags & 1) !== 0) {
      context.report.incomplete(where, 'an encrypted member cannot be scanned');
      continue;
    }
    let part: Part;
    if (entry.method === 0) {
      part = wholeSource(new SliceSource(source, local.dataStart, entry.compressedSize), where);
    } else if (entry.method === 8) {
      const start = local.dataStart;
      part = {
        member: where,
        open: () =>
          new InflateStream(source, start, start + entry.compressedSize, 'deflate-raw', context.budget),
      };
    } else {
      context.report.incomplete(
        where,
        `compression method ${entry.method} is not read; the member was not scanned`,
      );
      continue;
    }
    if (/(^|\/)config\.json$/i.test(entry.name) && !entry.name.includes('/')) {
      walk.kerasConfig = true;
      await scanKerasConfig(part, context, where);
      continue;
    }
    const result = await guarded(context, where, () => scanPart(part, context, depth + 1));
    if (result?.pickle?.isPickle) walk.pickles.push(entry.name);
  }
  return walk;
}

async function scanKerasConfig(part: Part, context: ScanContext, where: string): Promise<void> {
  const stream = part.open();
  let bytes: Buffer | null;
  try {
    bytes = await readAll(stream, 16 * 1024 * 1024);
  } finally {
    stream.close();
  }
  if (bytes === null) {
    context.report.incomplete(where, 'a Keras config.json over 16 MiB');
    return;
  }
  const { findings, problem } = kerasConfigFindings(bytes.toString('utf8'), where);
  for (const finding of findings) context.report.add(finding);
  if (problem) {
    context.report.incomplete(where, `the Keras configuration ${problem}`);
    context.warnings.push({
      code: 'FORMAT',
      message: `${context.display} (${where}): ${problem}; its layers were not checked`,
    });
  }
}

export interface TarWalk {
  members: string[];
  pickles: string[];
}

export async function scanTar(
  source: ByteSource,
  context: ScanContext,
  depth: number,
  member: string | undefined,
): Promise<TarWalk> {
  const walk: TarWalk = { members: [], pickles: [] };
  const problem = (message: string) => new LedgerError('FORMAT', message, { file: context.display });
  let members;
  try {
    members = await readTarMembers(source, problem, () => context.budget.member());
  } catch (error) {
    if (!(error instanceof LedgerError)) throw error;
    context.report.incomplete(member, `tar archive: ${describeError(error)}`);
    return walk;
  }
  for (const entry of members) {
    const where = member ? `${member} > ${entry.name}` : entry.name;
    walk.members.push(entry.name);
    const result = await guarded(context, where, () =>
      scanPart(wholeSource(new SliceSource(source, entry.dataStart, entry.size), where), context, depth + 1),
    );
    if (result?.pickle?.isPickle) walk.pickles.push(entry.name);
  }
  return walk;
}
