/**
 * Where an evidence pack's files are gathered until the zip is written. Each file is compressed
 * as it is added, and its digest taken then, for SHA256SUMS, index.json and the signed manifest.
 * In memory for the library and the Action (a release's pack, whose files the Action also uploads
 * on their own); staged on disk for `export`, so that a pack of a long ledger holds one file in
 * memory at a time, whatever its length.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, readSync } from 'node:fs';
import { mkdtemp, open, readFile, rm, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { finished, pipeline } from 'node:stream/promises';
import { createDeflateRaw, crc32 } from 'node:zlib';

import { LedgerError, describeError } from '../errors.js';
import { BatchedWrites } from '../fs/batched-writes.js';
import {
  checkZipName,
  ZIP_LIMIT as LIMIT,
  prepareZipEntry,
  writeZipFile,
  zipFromPrepared,
  type PreparedZipEntry,
  type ZipEntryHeader,
} from './zip.js';

export interface PackFile {
  path: string;
  sha256: string;
  size: number;
}

export interface PackFiles {
  has(path: string): boolean;
  /** Adds a file; a path given twice is an error (a pack never replaces what it listed). */
  add(path: string, data: Buffer): Promise<void>;
  /** Adds a text file given in pieces (UTF-8), which a staged pack never holds whole. */
  addText(path: string, pieces: Iterable<string>): Promise<void>;
  /** The files added so far, in the order they were added. */
  listing(): PackFile[];
}

abstract class GatheredFiles<Kept extends ZipEntryHeader> implements PackFiles {
  protected readonly kept = new Map<string, Kept>();

  has(path: string): boolean {
    return this.kept.has(path);
  }

  async add(path: string, data: Buffer): Promise<void> {
    if (this.kept.has(path))
      throw new LedgerError('BAD_INPUT', `"${path}" is in the pack twice`, { field: 'zip entry' });
    const prepared = prepareZipEntry(path, data);
    this.kept.set(path, await this.keep(prepared, data));
  }

  addText(path: string, pieces: Iterable<string>): Promise<void> {
    return this.add(path, Buffer.from([...pieces].join(''), 'utf8'));
  }

  listing(): PackFile[] {
    return [...this.kept.values()].map(({ name, sha256, size }) => ({ path: name, sha256, size }));
  }

  protected abstract keep(prepared: PreparedZipEntry, data: Buffer): Promise<Kept>;
}

/** A pack's files in memory, each kept as given and compressed. */
export class MemoryPackFiles extends GatheredFiles<PreparedZipEntry & { compressedSize: number }> {
  private readonly data = new Map<string, Buffer>();

  /** A file's bytes as added. */
  get(path: string): Buffer | undefined {
    return this.data.get(path);
  }

  /** Every file's bytes as added, by path. */
  files(): Map<string, Buffer> {
    return new Map(this.data);
  }

  zip(): Buffer {
    return zipFromPrepared([...this.kept.values()].map(({ compressedSize: _, ...entry }) => entry));
  }

  protected keep(
    prepared: PreparedZipEntry,
    data: Buffer,
  ): Promise<PreparedZipEntry & { compressedSize: number }> {
    this.data.set(prepared.name, data);
    return Promise.resolve({ ...prepared, compressedSize: prepared.body.length });
  }
}

/**
 * Bytes appended to one file (in batches, batched-writes.ts) and read back by offset. Reads are
 * synchronous on the open descriptor: a pack of a long ledger stages tens of thousands of small
 * bodies, and a round trip through the thread pool for each would cost more than the bytes (the
 * same reasoning as the local store's reads).
 */
class AppendOnlyFile {
  private readonly writes: BatchedWrites;

  constructor(private readonly handle: FileHandle) {
    this.writes = new BatchedWrites(handle);
  }

  /** Appends `bytes`; resolves to their offset in the file. */
  append(bytes: Buffer): Promise<number> {
    return this.writes.add(bytes);
  }

  flush(): Promise<void> {
    return this.writes.flush();
  }

  /** `length` bytes at `at`, of what was flushed; fewer if the file was cut short under us. */
  read(at: number, length: number): Buffer {
    const buffer = Buffer.allocUnsafe(length);
    let read = 0;
    while (read < length) {
      const count = readSync(this.handle.fd, buffer, read, length - read, at + read);
      if (count === 0) break;
      read += count;
    }
    return read === length ? buffer : buffer.subarray(0, read);
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

type StagedEntry = ZipEntryHeader & ({ at: number } | { staged: string });

/**
 * A pack's files staged in a directory of their own: the compressed bodies of files given whole
 * appended to one file, each large text given in pieces in a file of its own named by its position
 * (never by its path in the pack, which is untrusted text from the records).
 */
export class StagedPackFiles extends GatheredFiles<StagedEntry> {
  private constructor(
    private readonly dir: string,
    private readonly bodies: AppendOnlyFile,
  ) {
    super();
  }

  /** A fresh staging directory beside `near` (a path prefix: the pack being written). */
  static async create(near: string): Promise<StagedPackFiles> {
    let dir: string | undefined;
    try {
      dir = await mkdtemp(`${near}.staging-`);
      return new StagedPackFiles(dir, new AppendOnlyFile(await open(join(dir, 'bodies'), 'wx+')));
    } catch (error) {
      if (dir !== undefined) await rm(dir, { recursive: true, force: true });
      throw new LedgerError('IO', `cannot make a staging directory (${describeError(error)})`, {
        file: `${near}.staging-*`,
        cause: error,
        fix: 'make the directory of --out writable',
      });
    }
  }

  /**
   * Writes the zip to `out` (created, or replaced) and returns its size and sha256; the staged
   * bodies are read back one at a time.
   */
  async writeZip(out: string): Promise<{ size: number; sha256: string }> {
    await this.bodies.flush();
    const file = await open(out, 'w');
    try {
      const entries = [...this.kept.values()];
      const byName = new Map(entries.map((entry) => [entry.name, entry]));
      return await writeZipFile(file, entries, async (name) => {
        const entry = byName.get(name) as StagedEntry;
        return 'at' in entry ? this.bodies.read(entry.at, entry.compressedSize) : readFile(entry.staged);
      });
    } finally {
      await file.close();
    }
  }

  /**
   * Deflates the pieces as they come into one staged file, keeping them as they are in another
   * in case deflating does not make them smaller, with the digest, CRC and size taken on the way.
   * zlib's output does not depend on how its input is cut, so the entry is the bytes the whole
   * text would give.
   */
  override async addText(path: string, pieces: Iterable<string>): Promise<void> {
    if (this.kept.has(path))
      throw new LedgerError('BAD_INPUT', `"${path}" is in the pack twice`, { field: 'zip entry' });
    checkZipName(path);
    const base = join(this.dir, String(this.kept.size));
    const hash = createHash('sha256');
    let checksum = 0;
    let size = 0;
    const raw = createWriteStream(`${base}.raw`, { flags: 'wx' });
    const encoded = (async function* () {
      for (const text of coalesce(pieces)) {
        const bytes = Buffer.from(text, 'utf8');
        hash.update(bytes);
        checksum = crc32(bytes, checksum);
        size += bytes.length;
        if (!raw.write(bytes)) await once(raw, 'drain');
        yield bytes;
      }
      raw.end();
      await finished(raw);
    })();
    await pipeline(encoded, createDeflateRaw({ level: 9 }), createWriteStream(base, { flags: 'wx' }));
    const compressedSize = (await stat(base)).size;
    if (size >= LIMIT || compressedSize >= LIMIT)
      throw new LedgerError('BAD_INPUT', `"${path}" is too large for a zip without zip64`);
    const deflates = compressedSize < size;
    await rm(deflates ? `${base}.raw` : base);
    this.kept.set(path, {
      name: path,
      method: deflates ? 8 : 0,
      crc32: checksum >>> 0,
      size,
      sha256: hash.digest('hex'),
      compressedSize: deflates ? compressedSize : size,
      staged: deflates ? base : `${base}.raw`,
    });
  }

  /** Removes the staging directory and what it holds. */
  async cleanup(): Promise<void> {
    try {
      await this.bodies.close();
    } finally {
      await rm(this.dir, { recursive: true, force: true });
    }
  }

  protected async keep(prepared: PreparedZipEntry): Promise<StagedEntry> {
    const { body, ...header } = prepared;
    return { ...header, compressedSize: body.length, at: await this.bodies.append(body) };
  }
}

/**
 * The pieces joined into runs of about 64 Ki characters: a JSON document arrives a token or two
 * at a time, and hashing, writing and deflating each alone would cost a round trip through the
 * thread pool per token.
 */
function* coalesce(pieces: Iterable<string>): Generator<string> {
  let run: string[] = [];
  let length = 0;
  for (const piece of pieces) {
    if (piece === '') continue;
    run.push(piece);
    length += piece.length;
    if (length >= PIECE_RUN) {
      yield run.join('');
      run = [];
      length = 0;
    }
  }
  if (length > 0) yield run.join('');
}

const PIECE_RUN = 64 * 1024;
