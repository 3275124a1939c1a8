import { LedgerError } from '../errors.js';
import type { ManifestRef } from '../record/predicate.js';
import { sha256Hex } from './file.js';

/** Manifests up to this many bytes are kept inside the record; larger ones are stored beside it. */
export const MANIFEST_INLINE_LIMIT = 64 * 1024;

export interface ManifestLine {
  /** POSIX path relative to the directory. */
  path: string;
  sha256: string;
}

export interface Manifest {
  /** `<sha256>  <path>\n` per file, sorted bytewise by path: what `sha256sum` prints. */
  text: string;
  /** sha256 of `text`: the directory's digest. */
  digest: string;
}

/**
 * Why a path cannot be a manifest line that the coreutils recipe reproduces, or null when it can:
 * `find . -type f | sed 's|^\./||' | LC_ALL=C sort | xargs -d '\n' sha256sum -- | sha256sum`.
 * `--` lets names start with `-`, but `sha256sum -- -` still reads standard input, and sha256sum
 * escapes names with a newline, carriage return or backslash (and the recipe splits on newlines).
 */
export function recipeProblem(path: string): string | null {
  if (path === '-')
    return 'a file named "-" at the top of the directory is read by sha256sum as its standard input';
  if (/[\n\r\\]/.test(path))
    return 'file name contains a newline, carriage return or backslash, which sha256sum escapes';
  return null;
}

/** The manifest of files already sorted bytewise by path (as listTree returns them). */
export function buildManifest(lines: ManifestLine[]): Manifest {
  for (const line of lines) {
    const problem = recipeProblem(line.path);
    if (problem) {
      throw new LedgerError('HASH', problem, {
        file: JSON.stringify(line.path).slice(1, -1),
        fix: 'rename the file: the digest must be recomputable with the coreutils recipe in the README',
      });
    }
  }
  const text = lines.map((line) => `${line.sha256}  ${line.path}\n`).join('');
  return { text, digest: sha256Hex(text) };
}

/**
 * How a record refers to a manifest: inline when it is at most 64 KiB, otherwise handed to `attach`
 * as `<digest>.manifest.txt`, to be stored beside the bundle, and referred to by name.
 */
export function manifestRef(
  manifest: Manifest,
  attach: (name: string, content: string) => void,
): ManifestRef {
  if (Buffer.byteLength(manifest.text) <= MANIFEST_INLINE_LIMIT) {
    return { sha256: manifest.digest, inline: manifest.text };
  }
  const stored = `${manifest.digest}.manifest.txt`;
  attach(stored, manifest.text);
  return { sha256: manifest.digest, stored };
}
