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

/** The manifest of files already sorted bytewise by path (as listTree returns them). */
export function buildManifest(lines: ManifestLine[]): Manifest {
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
