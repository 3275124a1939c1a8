/**
 * Where a witness keeps what it cosigned and what it refused. The newest cosigned note of an
 * origin is what the next run's ledger must extend, so it has to live where the ledger's owners
 * cannot edit it: the witness's own directory or its own repository.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { LedgerError, describeError, errnoCode } from '../errors.js';

export interface WitnessState {
  /** Human-readable location, for messages. */
  readonly location: string;
  /** The newest note this witness cosigned for the origin (the largest size), or null. */
  latest(origin: string): Promise<{ text: string; source: string } | null>;
  /** Keeps a cosigned note of `size` records; returns where. */
  keepCosigned(origin: string, size: number, note: string): Promise<string>;
  /** Keeps what the witness saw when it refused; returns where. */
  keepRefusal(origin: string, time: Date, text: string): Promise<string>;
}

/** An origin as one file name: `github.com/acme/model#main` → `github.com_acme_model_main`. */
export function witnessStateName(origin: string): string {
  return origin.replace(/[^A-Za-z0-9._-]+/g, '_');
}

/** `2026-12-02T01:02:03.456Z` as a file name part. */
export function timeStamp(time: Date): string {
  return time.toISOString().replace(/[:.]/g, '-');
}

/**
 * `<dir>/<origin as a file name>/NNNNNN.checkpoint` (one per cosigned size), `latest.checkpoint`,
 * and `refused-<time>.txt`. Files are written to a temporary name and renamed: rename() replaces
 * atomically, so a reader sees the old note or the new one, never half of one.
 */
export class DirectoryWitnessState implements WitnessState {
  readonly location: string;

  constructor(private readonly dir: string) {
    this.location = dir;
  }

  async latest(origin: string): Promise<{ text: string; source: string } | null> {
    const file = join(this.dir, witnessStateName(origin), 'latest.checkpoint');
    try {
      return { text: await readFile(file, 'utf8'), source: file };
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return null;
      throw new LedgerError('IO', `cannot read the witness state (${describeError(error)})`, {
        file,
        cause: error,
      });
    }
  }

  async keepCosigned(origin: string, size: number, note: string): Promise<string> {
    const dir = join(this.dir, witnessStateName(origin));
    await mkdir(dir, { recursive: true });
    const file = join(dir, `${String(size).padStart(6, '0')}.checkpoint`);
    await writeAtomically(file, note);
    await writeAtomically(join(dir, 'latest.checkpoint'), note);
    return file;
  }

  async keepRefusal(origin: string, time: Date, text: string): Promise<string> {
    const dir = join(this.dir, witnessStateName(origin));
    await mkdir(dir, { recursive: true });
    const file = join(dir, `refused-${timeStamp(time)}.txt`);
    await writeAtomically(file, text);
    return file;
  }
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, file);
}
