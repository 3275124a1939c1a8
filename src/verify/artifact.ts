import { constants, createHash, publicDecrypt, type KeyObject } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';

import type { Bundle } from '@sigstore/bundle';
import { p256, p384, p521 } from '@noble/curves/nist';
import { HashAlgorithm } from '@sigstore/protobuf-specs';

import { LedgerError, describeError, errnoCode } from '../errors.js';
import { VerificationFailure } from './problems.js';

/** Digest algorithms an artifact can be matched with (in-toto digest-set names). */
export type DigestAlgorithm = 'sha256' | 'sha384' | 'sha512';
const DIGEST_ALGORITHMS: readonly DigestAlgorithm[] = ['sha256', 'sha384', 'sha512'];

/**
 * What a bundle is checked against: the artifact's bytes, or only its digests (hex) — from a
 * `sha256:<hex>` argument, or hashed from a large file without loading it.
 */
export type Artifact =
  { kind: 'bytes'; bytes: Buffer } | { kind: 'digests'; digests: Partial<Record<DigestAlgorithm, string>> };

const DIGEST_ARGUMENT = /^sha256:([0-9a-fA-F]{64})$/;

/**
 * The sigstore-conformance reading of FILE_OR_DIGEST: `sha256:` and 64 hex digits that is not a
 * path on disk is a digest; anything else is a file path.
 */
export function parseArtifactArgument(
  argument: string,
  resolvedPath: string,
): { digest: string } | { path: string } {
  const match = DIGEST_ARGUMENT.exec(argument);
  if (match?.[1] && !existsSync(resolvedPath)) return { digest: match[1].toLowerCase() };
  return { path: resolvedPath };
}

/** Hashes a file in one streaming pass with each algorithm asked for; `label` names it in errors. */
export async function hashFileWith(
  path: string,
  algorithms: readonly DigestAlgorithm[],
  label = path,
): Promise<Partial<Record<DigestAlgorithm, string>>> {
  const hashes = algorithms.map((algorithm) => [algorithm, createHash(algorithm)] as const);
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
      for (const [, hash] of hashes) hash.update(chunk as Buffer);
    }
  } catch (error) {
    throw new LedgerError('BAD_INPUT', `cannot read the artifact (${describeError(error)})`, {
      file: label,
      cause: error,
      fix: errnoCode(error) === 'ENOENT' ? 'check the path' : 'the artifact must be a readable file',
    });
  }
  return Object.fromEntries(hashes.map(([algorithm, hash]) => [algorithm, hash.digest('hex')]));
}

function digestOf(artifact: Artifact, algorithm: DigestAlgorithm): string | undefined {
  if (artifact.kind === 'bytes') return createHash(algorithm).update(artifact.bytes).digest('hex');
  return artifact.digests[algorithm]?.toLowerCase();
}

function available(artifact: Artifact): DigestAlgorithm[] {
  if (artifact.kind === 'bytes') return [...DIGEST_ALGORITHMS];
  return DIGEST_ALGORITHMS.filter((algorithm) => artifact.digests[algorithm] !== undefined);
}

export interface StatementSubject {
  name: string;
  digest: Record<string, string>;
}

const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/**
 * The subjects of an in-toto statement, read without trusting it (callers use this before the
 * signature is checked only to choose which digests to compute). Null when it names none.
 */
export function statementSubjects(payload: Buffer, payloadType: string): StatementSubject[] | null {
  if (payloadType !== IN_TOTO_PAYLOAD_TYPE) return null;
  let statement: unknown;
  try {
    statement = JSON.parse(payload.toString('utf8'));
  } catch {
    return null;
  }
  const subjects = (statement as { subject?: unknown } | null)?.subject;
  if (!Array.isArray(subjects)) return null;
  return subjects.flatMap((subject: unknown) => {
    const { name, digest } = (subject ?? {}) as { name?: unknown; digest?: unknown };
    if (typeof digest !== 'object' || digest === null) return [];
    const digests = Object.fromEntries(
      Object.entries(digest).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    );
    return [{ name: typeof name === 'string' ? name : '', digest: digests }];
  });
}

/** The digest algorithms a DSSE bundle's subjects use, to hash a file with only those. */
export function subjectAlgorithms(bundle: Bundle): DigestAlgorithm[] {
  if (bundle.content.$case !== 'dsseEnvelope') return [];
  const { payload, payloadType } = bundle.content.dsseEnvelope;
  const used = new Set(
    (statementSubjects(Buffer.from(payload), payloadType) ?? []).flatMap((subject) =>
      Object.keys(subject.digest),
    ),
  );
  const algorithms = DIGEST_ALGORITHMS.filter((algorithm) => used.has(algorithm));
  return algorithms.length > 0 ? algorithms : ['sha256'];
}

/**
 * For a DSSE bundle: the artifact must be one of the statement's subjects, by a digest both name
 * (@sigstore/verify checks the signature, not what it is about). Returns the matching subject.
 */
export function matchStatementSubject(
  payload: Buffer,
  payloadType: string,
  artifact: Artifact,
  file: string,
): StatementSubject {
  const subjects = statementSubjects(payload, payloadType);
  if (subjects === null || subjects.length === 0) {
    throw new VerificationFailure(
      'SUBJECT_MISMATCH',
      payloadType === IN_TOTO_PAYLOAD_TYPE
        ? 'the signed in-toto statement names no subjects to match the artifact against'
        : `the signed payload is ${payloadType || 'untyped'}, not an in-toto statement: it names no subject to match the artifact against`,
      { file },
    );
  }
  const have = available(artifact);
  const comparable = have.filter((algorithm) =>
    subjects.some((subject) => subject.digest[algorithm] !== undefined),
  );
  if (comparable.length === 0) {
    const used = [...new Set(subjects.flatMap((subject) => Object.keys(subject.digest)))].join(', ');
    throw new LedgerError(
      'VERIFY',
      `the statement's subjects have ${used} digests, and only the artifact's ${have.join(', ')} is known`,
      {
        file,
        fix: 'pass the artifact file instead of its digest',
      },
    );
  }
  for (const algorithm of comparable) {
    const digest = digestOf(artifact, algorithm);
    const match = subjects.find((subject) => subject.digest[algorithm]?.toLowerCase() === digest);
    if (match) return match;
  }
  const algorithm = comparable[0] as DigestAlgorithm;
  const names = subjects.map(
    (subject) =>
      `${subject.name || '(unnamed)'} ${algorithm}:${subject.digest[algorithm]?.slice(0, 12) ?? '-'}…`,
  );
  throw new VerificationFailure(
    'SUBJECT_MISMATCH',
    `the artifact (${algorithm}:${digestOf(artifact, algorithm)?.slice(0, 12) ?? ''}…) is not a subject of the signed statement (${names.join(', ')})`,
    { file },
  );
}

const MESSAGE_DIGEST_ALGORITHMS: Partial<Record<HashAlgorithm, DigestAlgorithm>> = {
  [HashAlgorithm.HASH_ALGORITHM_UNSPECIFIED]: 'sha256',
  [HashAlgorithm.SHA2_256]: 'sha256',
  [HashAlgorithm.SHA2_384]: 'sha384',
  [HashAlgorithm.SHA2_512]: 'sha512',
};

/** The algorithm of a message signature's digest; unsupported ones are refused. */
export function messageDigestAlgorithm(algorithm: HashAlgorithm, file: string): DigestAlgorithm {
  const name = MESSAGE_DIGEST_ALGORITHMS[algorithm];
  if (!name) {
    throw new VerificationFailure(
      'CORRUPT',
      `uses message digest algorithm ${HashAlgorithm[algorithm] ?? algorithm}, which is not supported`,
      { file },
    );
  }
  return name;
}

/**
 * For a message signature: the artifact's digest must be the bundle's message digest. The digest
 * in the bundle is only a hint (the signature is over the artifact), so this is a consistency
 * check that names the problem precisely rather than a security boundary.
 */
export function matchMessageDigest(
  digest: Buffer,
  algorithm: DigestAlgorithm,
  artifact: Artifact,
  file: string,
): void {
  const actual = digestOf(artifact, algorithm);
  if (actual === undefined) {
    throw new LedgerError(
      'VERIFY',
      `the bundle signs a ${algorithm} digest, and only the artifact's ${available(artifact).join(', ')} is known`,
      {
        file,
        fix: 'pass the artifact file instead of its digest',
      },
    );
  }
  const expected = digest.toString('hex');
  if (actual !== expected) {
    throw new VerificationFailure(
      'SUBJECT_MISMATCH',
      `the artifact (${algorithm}:${actual.slice(0, 12)}…) is not what the bundle signs (${algorithm}:${expected.slice(0, 12)}…)`,
      { file },
    );
  }
}

/**
 * Verifies a signature made over `digest` (already hashed with `algorithm`), for the
 * `sha256:<hex>` form of the conformance protocol, where the artifact's bytes are not at hand.
 * Node's crypto always hashes what it verifies, so ECDSA is checked here with curve arithmetic
 * and RSA PKCS#1 v1.5 by recovering the DigestInfo; other key types cannot verify a digest alone.
 */
export function verifyPrehashed(
  key: KeyObject,
  algorithm: DigestAlgorithm,
  digest: Buffer,
  signature: Buffer,
): boolean {
  if (key.asymmetricKeyType === 'ec') return verifyEcdsaPrehashed(key, digest, signature);
  if (key.asymmetricKeyType === 'rsa') return verifyRsaPkcs1Prehashed(key, algorithm, digest, signature);
  throw new LedgerError(
    'VERIFY',
    `${key.asymmetricKeyType ?? 'unknown'} signatures cannot be verified from the artifact's digest alone`,
    {
      fix: 'pass the artifact file instead of its digest',
    },
  );
}

// DER DigestInfo prefixes (RFC 8017 §9.2 note 1).
const DIGEST_INFO_PREFIX: Record<DigestAlgorithm, string> = {
  sha256: '3031300d060960864801650304020105000420',
  sha384: '3041300d060960864801650304020205000430',
  sha512: '3051300d060960864801650304020305000440',
};

function verifyRsaPkcs1Prehashed(
  key: KeyObject,
  algorithm: DigestAlgorithm,
  digest: Buffer,
  signature: Buffer,
): boolean {
  let recovered: Buffer;
  try {
    recovered = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, signature);
  } catch {
    return false;
  }
  return recovered.equals(Buffer.concat([Buffer.from(DIGEST_INFO_PREFIX[algorithm], 'hex'), digest]));
}

// Digest-only ECDSA: Node's crypto always hashes what it verifies, so the audited @noble/curves
// does the curve arithmetic over the given digest (truncated to the order's bits, as FIPS 186-5).
const CURVES: Record<string, { verify: typeof p256.verify; size: number }> = {
  prime256v1: { verify: p256.verify, size: 32 },
  secp384r1: { verify: p384.verify, size: 48 },
  secp521r1: { verify: p521.verify, size: 66 },
};

function verifyEcdsaPrehashed(key: KeyObject, digest: Buffer, signature: Buffer): boolean {
  const curveName = key.asymmetricKeyDetails?.namedCurve ?? '';
  const curve = CURVES[curveName];
  if (!curve) {
    throw new LedgerError(
      'VERIFY',
      `an ECDSA signature on curve ${curveName || 'unknown'} cannot be verified from a digest alone`,
      {
        fix: 'pass the artifact file instead of its digest',
      },
    );
  }
  const jwk = key.export({ format: 'jwk' });
  if (!jwk.x || !jwk.y) return false;
  const point = Buffer.concat([
    Buffer.from([4]),
    Buffer.from(jwk.x, 'base64url'),
    Buffer.from(jwk.y, 'base64url'),
  ]);
  if (point.length !== 1 + 2 * curve.size) return false;
  try {
    // DER as Sigstore bundles carry it; high-S signatures are valid ECDSA (only some chains refuse them).
    return curve.verify(signature, digest, point, { prehash: false, lowS: false, format: 'der' });
  } catch {
    return false; // a signature that is not DER, or out of range, is one that does not verify
  }
}
