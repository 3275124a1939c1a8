/**
 * Verifying an artifact against a bundle file, as `model-ledger verify-bundle` (the
 * sigstore-conformance protocol), `cosign verify-blob` and `gh attestation verify` do: the file may
 * hold one bundle, JSON Lines of several (`gh attestation download`), or attestation-API records
 * (`{"bundle": …}`); the artifact is a file, read or hashed once in each form a bundle needs, or a
 * `sha256:<hex>` digest. A trusted root is loaded only when a bundle needs one.
 */
import type { Bundle } from '@sigstore/bundle';
import type { KeyObject } from 'node:crypto';

import { describeError } from '../errors.js';
import { readInput } from '../fs/read-input.js';
import {
  hashFileWith,
  parseArtifactArgument,
  subjectAlgorithms,
  type Artifact,
  type DigestAlgorithm,
} from './artifact.js';
import { verifyBundle, type BundleTrust, type VerifiedBundle } from './bundle.js';
import { parseBundle } from './bundle-parse.js';
import { type IdentityPolicy } from './identity.js';
import { VerificationFailure } from './problems.js';

export interface VerifyArtifactOptions {
  /** The bundle file's bytes, and its name as the user gave it (for messages). */
  bundle: Buffer;
  bundleFile: string;
  /** The artifact as given (a path or `sha256:<hex>`), and the path it resolves to. */
  artifact: string;
  artifactPath: string;
  /** A public key that must have signed (key-signed bundles); else `identity` must hold. */
  key?: KeyObject;
  identity?: IdentityPolicy;
  /** Loads the trusted root; called when a bundle has a certificate, a log entry or a timestamp, or `trustedRootGiven`. */
  loadTrustedRoot: () => Promise<unknown>;
  trustedRootGiven?: boolean;
}

export interface VerifiedArtifactBundle {
  /** The bundle file, with the line for one of several. */
  label: string;
  verified: VerifiedBundle;
}

/** Every bundle of the file, verified against the artifact; the first that fails throws. */
export async function verifyArtifact(options: VerifyArtifactOptions): Promise<VerifiedArtifactBundle[]> {
  const bundles = parseBundleFile(options.bundle, options.bundleFile).map((document) => ({
    ...document,
    bundle: parseBundle(document.json, document.label),
  }));
  // A key-signed bundle with neither log entry nor timestamp needs no trusted root: offline.
  const needsRoot =
    options.trustedRootGiven === true ||
    options.key === undefined ||
    bundles.some(({ bundle }) => hasLogOrTimestamp(bundle));
  const trust: BundleTrust = {
    ...(options.key ? { key: options.key } : { identity: options.identity ?? {} }),
    ...(needsRoot ? { trustedRoot: await options.loadTrustedRoot() } : {}),
  };
  const artifacts = new ArtifactSource(options.artifact, options.artifactPath);
  const results: VerifiedArtifactBundle[] = [];
  for (const { json, label, bundle } of bundles)
    results.push({ label, verified: verifyBundle(json, trust, label, await artifacts.for(bundle)) });
  return results;
}

interface BundleDocument {
  json: unknown;
  /** The file as the user named it, with the line for a .jsonl file of several bundles. */
  label: string;
}

/**
 * One bundle (JSON), or several (JSON Lines, one bundle per line, as `gh attestation download`
 * writes; an attestation API record `{"bundle": …}` is unwrapped). Text that is neither is a
 * bundle that does not verify: CORRUPT, exit 1.
 */
export function parseBundleFile(bytes: Buffer, file: string): BundleDocument[] {
  const text = bytes.toString('utf8');
  try {
    return [{ json: unwrap(JSON.parse(text)), label: file }];
  } catch (error) {
    const lines = text
      .split(/\r?\n/)
      .map((line, index) => ({ line, number: index + 1 }))
      .filter(({ line }) => line.trim() !== '');
    if (lines.length > 1) {
      const documents = lines.flatMap(({ line, number }) => {
        try {
          return [{ json: unwrap(JSON.parse(line)), label: `${file} line ${number}` }];
        } catch {
          return []; // not every line is a bundle: the file as a whole is refused below
        }
      });
      if (documents.length === lines.length) return documents;
    }
    throw new VerificationFailure(
      'CORRUPT',
      `is not a Sigstore bundle: not valid JSON (${describeError(error)})`,
      { file, cause: error },
    );
  }
}

function unwrap(json: unknown): unknown {
  if (typeof json === 'object' && json !== null && !('mediaType' in json) && 'bundle' in json)
    return json.bundle;
  return json;
}

function hasLogOrTimestamp(bundle: Bundle): boolean {
  const material = bundle.verificationMaterial;
  return (
    material.tlogEntries.length > 0 || (material.timestampVerificationData?.rfc3161Timestamps.length ?? 0) > 0
  );
}

/** The artifact, read or hashed once, in the form each bundle needs. */
class ArtifactSource {
  private readonly parsed: { digest: string } | { path: string };
  private bytes: Buffer | undefined;
  private readonly digests = new Map<DigestAlgorithm, string>();

  constructor(
    private readonly argument: string,
    resolvedPath: string,
  ) {
    this.parsed = parseArtifactArgument(argument, resolvedPath);
  }

  async for(bundle: Bundle): Promise<Artifact> {
    if ('digest' in this.parsed) return { kind: 'digests', digests: { sha256: this.parsed.digest } };
    const { path } = this.parsed;
    if (bundle.content.$case === 'messageSignature') {
      // The signature is over the bytes: Node's crypto verifies them whole.
      this.bytes ??= await readInput(path, this.argument, 'artifact');
      return { kind: 'bytes', bytes: this.bytes };
    }
    const missing = subjectAlgorithms(bundle).filter((algorithm) => !this.digests.has(algorithm));
    if (missing.length > 0) {
      const hashed = await hashFileWith(path, missing, this.argument);
      for (const algorithm of missing) this.digests.set(algorithm, hashed[algorithm] as string);
    }
    return { kind: 'digests', digests: Object.fromEntries(this.digests) };
  }
}
