/** Shared by the lockfile tests: reading fixtures, and asserting the shape of a lockfile error. */
import { expect } from '@jest/globals';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LedgerError, type LedgerErrorCode } from '../../src/errors.js';
import { decodeLockfile } from '../../src/lockfiles/text.js';
import type { LockfileParser, ParsedPackages, SourceText } from '../../src/lockfiles/types.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/lockfiles/', import.meta.url));

/** A fixture file as a parser sees it: its path relative to the fixtures folder, and its text. */
export async function readFixture(path: string): Promise<SourceText> {
  // A missing file is refused as the collector's reader refuses it.
  const bytes = await readFile(join(FIXTURES, path)).catch((error: unknown) => {
    throw new LedgerError('BAD_INPUT', 'does not exist', { file: path, cause: error });
  });
  return { path, text: decodeLockfile(bytes, path) };
}

/** Parses a fixture, following includes within the fixtures folder. */
export async function parseFixture(parser: LockfileParser, path: string): Promise<ParsedPackages> {
  const source = await readFixture(path);
  return parser.parse({ ...source, readInclude: readFixture });
}

/** An in-memory set of files, for include tests: missing names are an error, as on disk. */
export function memoryFiles(files: Record<string, string>): (path: string) => Promise<SourceText> {
  return async (path) => {
    const text = files[path];
    if (text === undefined) throw new LedgerError('BAD_INPUT', 'does not exist', { file: path });
    return { path, text };
  };
}

/** The purls of a parse result, in order. */
export function purls(result: ParsedPackages): string[] {
  return result.packages.map((pkg) => pkg.purl);
}

/**
 * Asserts that `promise` rejects with a LedgerError of `code` whose message names `file` and
 * `line N`, and (optionally) matches `message`.
 */
export async function expectFailure(
  promise: Promise<unknown>,
  {
    code = 'LOCKFILE',
    file,
    line,
    message,
  }: { code?: LedgerErrorCode; file: string; line?: number; message?: RegExp },
): Promise<void> {
  await expect(promise).rejects.toBeInstanceOf(LedgerError);
  await expect(promise).rejects.toMatchObject({ code, file });
  if (line !== undefined) {
    await expect(promise).rejects.toMatchObject({ field: `line ${line}` });
    await expect(promise).rejects.toThrow(`${file}: line ${line}: `);
  } else {
    await expect(promise).rejects.toThrow(`${file}: `);
  }
  if (message !== undefined) await expect(promise).rejects.toThrow(message);
}

/** Runs a synchronous function as a promise, so its throw can be asserted with `rejects`. */
export async function attempt(run: () => unknown): Promise<unknown> {
  return run();
}

/** A fresh temporary folder, removed by the returned cleanup. */
export async function tempDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `model-ledger-${prefix}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
