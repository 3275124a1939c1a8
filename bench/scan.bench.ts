/**
 * The model-file safety scan's throughput on the two shapes issue #17 names:
 * - a 2 GiB PyTorch checkpoint laid out as torch.save writes it (a stored zip: `archive/data.pkl`,
 *   256 storages of 8 MiB of float32 noise under `archive/data/`, 64-byte aligned) — time, and
 *   bytes read: target under 1 s and under 0.5% of the file read (headers and pickles, and one
 *   128 KiB try of each storage whose first byte looks like a pickle opcode, about one in seven:
 *   never the tensor bytes as such);
 * - a directory of 1,000 pickles (vocabularies, state dicts, numpy arrays; the last one an
 *   os.system payload) — files/s and MB/s; target: every pickle scanned (verdict unsafe, 1,000
 *   pickles counted) at 200 files/s or more.
 * Bytes read are this process's read() bytes during the scan (/proc/self/io `rchar`, page cache
 * hits included), RSS is sampled while it runs; the figures are medians over rounds. Files are
 * read from a warm page cache (just written).
 * BENCH_SMALL=1 shrinks the checkpoint to 256 MiB and the rounds to 3.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, open, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';

import { combineSafety, inspectModelFile } from '../src/formats/index.js';
import type { ModelSafety } from '../src/record/predicate.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

interface ScanReport {
  files: number;
  bytes: number;
  verdict: string;
  pickles: number;
  tensors: number | null;
  ms: number;
  /** Bytes read through read() calls during the scan (this process's `rchar`), or null without /proc/self/io. */
  readBytes: number | null;
  /** This process's resident set at its largest during the scan, sampled every 5 ms. */
  peakRss: number;
}

async function readChars(): Promise<number | null> {
  try {
    const match = /^rchar: (\d+)$/m.exec(await readFile('/proc/self/io', 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** Scans files as a model directory's are scanned (one after another, one combined verdict). */
async function scan(paths: string[]): Promise<ScanReport> {
  let bytes = 0;
  for (const path of paths) bytes += (await stat(path)).size;
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 5);
  const readBefore = await readChars();
  const started = performance.now();
  const parts: { member: string; safety: ModelSafety }[] = [];
  let tensors: number | null = null;
  try {
    for (const path of paths) {
      const info = await inspectModelFile(path, path);
      if (info.safety) parts.push({ member: path, safety: info.safety });
      if (typeof info.metadata['tensors'] === 'number') tensors = (tensors ?? 0) + info.metadata['tensors'];
    }
  } finally {
    clearInterval(sampler);
  }
  const safety = combineSafety(parts).result();
  const ms = performance.now() - started;
  const readAfter = await readChars();
  return {
    files: paths.length,
    bytes,
    verdict: safety.verdict,
    pickles: safety.pickles,
    tensors,
    ms,
    readBytes: readBefore === null || readAfter === null ? null : readAfter - readBefore,
    peakRss: Math.max(peakRss, process.memoryUsage().rss),
  };
}

// ---------------------------------------------------------------------------------------------
// The files: written here, byte for byte as the savers lay them out.

const binunicode = (text: string): Buffer => {
  const bytes = Buffer.from(text, 'utf8');
  const head = Buffer.alloc(5);
  head[0] = 0x58; // BINUNICODE
  head.writeUInt32LE(bytes.length, 1);
  return Buffer.concat([head, bytes]);
};
const binint = (value: number): Buffer => {
  const bytes = Buffer.alloc(5);
  bytes[0] = 0x4a; // BININT
  bytes.writeInt32LE(value, 1);
  return bytes;
};
const latin1 = (text: string): Buffer => Buffer.from(text, 'latin1');

/** A protocol 2 state dict as torch.save writes it: OrderedDict of _rebuild_tensor_v2 over persistent storages. */
function stateDictPickle(tensors: { key: string; storage: string; rows: number; columns: number }[]): Buffer {
  const parts: Buffer[] = [latin1('\x80\x02ccollections\nOrderedDict\nq\x00)Rq\x01(')];
  for (const tensor of tensors) {
    parts.push(
      binunicode(tensor.key),
      latin1('ctorch._utils\n_rebuild_tensor_v2\n(('),
      binunicode('storage'),
      latin1('ctorch\nFloatStorage\n'),
      binunicode(tensor.storage),
      binunicode('cpu'),
      binint(tensor.rows * tensor.columns),
      latin1('tQ'),
      binint(0),
      latin1('('),
      binint(tensor.rows),
      binint(tensor.columns),
      latin1('t('),
      binint(tensor.columns),
      binint(1),
      latin1('t\x89ccollections\nOrderedDict\n)RtR'),
    );
  }
  parts.push(latin1('u.'));
  return Buffer.concat(parts);
}

/** A protocol 4 vocabulary {word: id}, with SETITEMS batches of 1,000 and every key memoised, as pickle writes it. */
function vocabularyPickle(words: number, seed: number): Buffer {
  const parts: Buffer[] = [latin1('\x80\x04}\x94')];
  for (let start = 0; start < words; start += 1000) {
    parts.push(latin1('('));
    for (let index = start; index < Math.min(words, start + 1000); index++) {
      const word = Buffer.from(`w${seed}-${index}`, 'latin1');
      parts.push(Buffer.from([0x8c, word.length]), word, Buffer.from([0x94]), binint(index));
    }
    parts.push(latin1('u'));
  }
  parts.push(latin1('.'));
  return Buffer.concat(parts);
}

/** A protocol 3 numpy array, as pickle.dump(np.ndarray, protocol=3) writes it (numpy.core.multiarray._reconstruct). */
function numpyPickle(data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32LE(data.length);
  return Buffer.concat([
    latin1(
      '\x80\x03cnumpy.core.multiarray\n_reconstruct\nq\x00cnumpy\nndarray\nq\x01K\x00\x85q\x02C\x01bq\x03\x87q\x04Rq\x05(K\x01',
    ),
    binint(data.length / 4),
    latin1(
      '\x85cnumpy\ndtype\nq\x06X\x02\x00\x00\x00f4q\x07\x89\x88\x87q\x08Rq\x09(K\x03X\x01\x00\x00\x00<q\x0aNNNJ\xff\xff\xff\xffJ\xff\xff\xff\xffK\x00tq\x0bb\x89B',
    ),
    length,
    data,
    latin1('q\x0ctq\x0db.'),
  ]);
}

const OS_SYSTEM = latin1('\x80\x02cposix\nsystem\nq\x00X\x04\x00\x00\x00trueq\x01\x85q\x02Rq\x03.');

interface ZipMember {
  name: string;
  offset: number;
  size: number;
}

/**
 * A stored zip written member by member, each member's data aligned to 64 bytes with an extra
 * field as torch.save's writer does. CRCs are left zero: the scan reads no member whole to check one.
 */
class ZipWriter {
  private offset = 0;
  private readonly members: ZipMember[] = [];
  private constructor(private readonly handle: Awaited<ReturnType<typeof open>>) {}

  static async create(path: string): Promise<ZipWriter> {
    return new ZipWriter(await open(path, 'w'));
  }

  private async write(bytes: Buffer): Promise<void> {
    await this.handle.write(bytes, 0, bytes.length, this.offset);
    this.offset += bytes.length;
  }

  /** A member of `size` bytes; `fill` writes its data in chunks through `write`. */
  async member(
    name: string,
    size: number,
    fill: (write: (chunk: Buffer) => Promise<void>) => Promise<void>,
  ): Promise<void> {
    const nameBytes = Buffer.from(name, 'utf8');
    const unpadded = this.offset + 30 + nameBytes.length + 4;
    const padding = (64 - (unpadded % 64)) % 64;
    const extra = Buffer.alloc(4 + padding);
    extra.writeUInt16LE(0x4246, 0); // 'FB', torch's alignment field
    extra.writeUInt16LE(padding, 2);
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt32LE(size, 18);
    header.writeUInt32LE(size, 22);
    header.writeUInt16LE(nameBytes.length, 26);
    header.writeUInt16LE(extra.length, 28);
    this.members.push({ name, offset: this.offset, size });
    await this.write(Buffer.concat([header, nameBytes, extra]));
    let written = 0;
    await fill(async (chunk) => {
      written += chunk.length;
      await this.write(chunk);
    });
    if (written !== size) throw new Error(`zip member ${name}: wrote ${written} of ${size} bytes`);
  }

  async close(): Promise<void> {
    const start = this.offset;
    const central: Buffer[] = [];
    for (const member of this.members) {
      const name = Buffer.from(member.name, 'utf8');
      const entry = Buffer.alloc(46);
      entry.writeUInt32LE(0x02014b50, 0);
      entry.writeUInt16LE(20, 4);
      entry.writeUInt16LE(20, 6);
      entry.writeUInt32LE(member.size, 20);
      entry.writeUInt32LE(member.size, 24);
      entry.writeUInt16LE(name.length, 28);
      entry.writeUInt32LE(member.offset, 42);
      central.push(entry, name);
    }
    const directory = Buffer.concat(central);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.members.length, 8);
    end.writeUInt16LE(this.members.length, 10);
    end.writeUInt32LE(directory.length, 12);
    end.writeUInt32LE(start, 16);
    await this.write(Buffer.concat([directory, end]));
    await this.handle.close();
  }
}

/** A torch.save checkpoint of about `size` bytes: storages of 8 MiB of float32 noise. */
async function writeCheckpoint(path: string, size: number): Promise<number> {
  const storageBytes = 8 * MiB;
  const count = Math.max(1, Math.floor(size / storageBytes));
  const columns = 1024;
  const tensors = Array.from({ length: count }, (_, index) => ({
    key: `layers.${Math.floor(index / 2)}.${index % 2 === 0 ? 'weight' : 'bias'}`,
    storage: String(index),
    rows: storageBytes / 4 / columns,
    columns,
  }));
  const pickle = stateDictPickle(tensors);
  const noise = randomBytes(storageBytes + 4096);
  const zip = await ZipWriter.create(path);
  await zip.member('archive/data.pkl', pickle.length, (write) => write(pickle));
  await zip.member('archive/byteorder', 6, (write) => write(latin1('little')));
  for (let index = 0; index < count; index++) {
    // Each storage starts at another place in the noise: no two alike, every first byte possible.
    const from = (index * 4099) % 4096;
    await zip.member(`archive/data/${index}`, storageBytes, (write) =>
      write(noise.subarray(from, from + storageBytes)),
    );
  }
  await zip.member('archive/version', 2, (write) => write(latin1('3\n')));
  await zip.close();
  return count;
}

/** 1,000 pickles as a model directory holds them, of a few kinds and sizes (2–200 KiB); the last is the payload. */
async function writePickles(dir: string, count: number): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (let index = 0; index < count - 1; index++) {
    let bytes: Buffer;
    switch (index % 3) {
      case 0:
        bytes = vocabularyPickle(200 + ((index * 37) % 5000), index);
        break;
      case 1:
        bytes = stateDictPickle(
          Array.from({ length: 1 + (index % 50) }, (_, tensor) => ({
            key: `block.${tensor}.weight`,
            storage: String(tensor),
            rows: 16,
            columns: 16,
          })),
        );
        break;
      default:
        bytes = numpyPickle(randomBytes(4 * (256 + ((index * 131) % 50_000))));
    }
    await writeFile(join(dir, `part-${String(index).padStart(4, '0')}.pkl`), bytes);
  }
  await writeFile(join(dir, `part-${String(count - 1).padStart(4, '0')}.pkl`), OS_SYSTEM);
}

// ---------------------------------------------------------------------------------------------
// Parent mode

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};
const check = (ok: boolean): string => (ok ? 'PASS' : 'MISS');
const mib = (bytes: number): string => `${(bytes / MiB).toFixed(bytes < MiB ? 3 : 0)} MiB`;

async function rounds(count: number, paths: string[]): Promise<ScanReport[]> {
  const reports: ScanReport[] = [];
  for (let round = 0; round < count; round++) reports.push(await scan(paths));
  return reports;
}

export async function run(): Promise<string[]> {
  const small = process.env['BENCH_SMALL'] === '1';
  const checkpointSize = small ? 256 * MiB : 2 * GiB;
  const roundCount = small ? 3 : 5;
  const pickleCount = 1000;
  const lines = [
    `scan bench: node ${process.version}, ${availableParallelism()} cores, warm page cache${small ? ', BENCH_SMALL=1 (256 MiB checkpoint)' : ''}; ${roundCount} rounds in this process, medians`,
  ];
  const dir = await mkdtemp(join(tmpdir(), 'model-ledger-scan-bench-'));
  try {
    // ---- the checkpoint
    const checkpoint = join(dir, 'checkpoint.pt');
    const storages = await writeCheckpoint(checkpoint, checkpointSize);
    const size = (await stat(checkpoint)).size;
    const file = await rounds(roundCount, [checkpoint]);
    const first = file[0] as ScanReport;
    const fileMs = median(file.map((report) => report.ms));
    const read = median(file.map((report) => report.readBytes ?? Number.NaN));
    const rss = median(file.map((report) => report.peakRss));
    lines.push(
      `checkpoint: ${mib(size)} torch.save zip, ${storages} storages of 8 MiB; verdict ${first.verdict}, ${first.tensors ?? 0} tensors seen`,
      `  scan time ${fileMs.toFixed(0)} ms (samples ${file.map((report) => report.ms.toFixed(0)).join(', ')}) = ${((size / MiB / fileMs) * 1000).toFixed(0)} MiB/s of checkpoint — target under 1000 ms: ${check(fileMs < 1000)}`,
      `  bytes read ${Number.isNaN(read) ? 'not measured (no /proc/self/io)' : `${mib(read)} (${((read / size) * 100).toFixed(3)}% of the file)`} — target under 0.5%, never the tensor bytes: ${check(!Number.isNaN(read) && read < size * 0.005)}`,
      `  peak RSS during the scan ${mib(rss)} (the whole bench process)`,
      `  verdict clean with every tensor seen: ${check(first.verdict === 'clean' && first.tensors === storages)}`,
    );
    await rm(checkpoint, { force: true });

    // ---- the directory of pickles
    const pickles = join(dir, 'pickles');
    await writePickles(pickles, pickleCount);
    const many = await rounds(
      roundCount,
      (await readdir(pickles)).sort().map((name) => join(pickles, name)),
    );
    const last = many[0] as ScanReport;
    const manyMs = median(many.map((report) => report.ms));
    const manyRead = median(many.map((report) => report.readBytes ?? Number.NaN));
    lines.push(
      `directory: ${last.files} pickles, ${mib(last.bytes)} in all; verdict ${last.verdict}, ${last.pickles} pickles scanned`,
      `  scan time ${manyMs.toFixed(0)} ms (samples ${many.map((report) => report.ms.toFixed(0)).join(', ')}) = ${((last.files / manyMs) * 1000).toFixed(0)} files/s, ${((last.bytes / MiB / manyMs) * 1000).toFixed(0)} MiB/s — target 200 files/s or more: ${check((last.files / manyMs) * 1000 >= 200)}`,
      `  bytes read ${Number.isNaN(manyRead) ? 'not measured' : `${mib(manyRead)} (${((manyRead / last.bytes) * 100).toFixed(0)}% of the bytes)`}; peak RSS during the scan ${mib(median(many.map((report) => report.peakRss)))}`,
      `  every pickle scanned and the payload in the last one found (unsafe, ${pickleCount} pickles): ${check(last.verdict === 'unsafe' && last.pickles === pickleCount)}`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return lines;
}
