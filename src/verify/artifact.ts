import { constants, createHash, publicDecrypt, type KeyObject } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';

import type { Bundle } from '@sigstore/bundle';
import { ASN1Obj } from '@sigstore/core';
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

interface Curve {
  p: bigint;
  n: bigint;
  bits: number;
  g: readonly [bigint, bigint];
}

// Domain parameters of the NIST curves (FIPS 186-4 D.1.2; all have a = -3).
const CURVES: Record<string, Curve> = {
  prime256v1: {
    p: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
    n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
    bits: 256,
    g: [
      0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
      0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
    ],
  },
  secp384r1: {
    p: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffffn,
    n: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
    bits: 384,
    g: [
      0xaa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7n,
      0x3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5fn,
    ],
  },
  secp521r1: {
    p: (1n << 521n) - 1n,
    n: 0x01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409n,
    bits: 521,
    g: [
      0x00c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3dbaa14b5e77efe75928fe1dc127a2ffa8de3348b3c1856a429bf97e7e31c2e5bd66n,
      0x011839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e662c97ee72995ef42640c550b9013fad0761353c7086a272c24088be94769fd16650n,
    ],
  },
};

/** Jacobian coordinates (X, Y, Z) for x = X/Z², y = Y/Z³; Z = 0 is the point at infinity. */
type Point = readonly [bigint, bigint, bigint];

function mod(value: bigint, m: bigint): bigint {
  const r = value % m;
  return r < 0n ? r + m : r;
}

function modPow(base: bigint, exponent: bigint, m: bigint): bigint {
  let result = 1n;
  let b = mod(base, m);
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % m;
    b = (b * b) % m;
  }
  return result;
}

/** Inverse modulo a prime (Fermat). */
function invert(value: bigint, prime: bigint): bigint {
  return modPow(value, prime - 2n, prime);
}

function double([x, y, z]: Point, p: bigint): Point {
  if (z === 0n || y === 0n) return [0n, 1n, 0n];
  const yy = mod(y * y, p);
  const s = mod(4n * x * yy, p);
  const zz = mod(z * z, p);
  const m = mod(3n * (x - zz) * (x + zz), p); // a = -3
  const x3 = mod(m * m - 2n * s, p);
  const y3 = mod(m * (s - x3) - 8n * yy * yy, p);
  const z3 = mod(2n * y * z, p);
  return [x3, y3, z3];
}

function add(a: Point, b: Point, p: bigint): Point {
  if (a[2] === 0n) return b;
  if (b[2] === 0n) return a;
  const z1z1 = mod(a[2] * a[2], p);
  const z2z2 = mod(b[2] * b[2], p);
  const u1 = mod(a[0] * z2z2, p);
  const u2 = mod(b[0] * z1z1, p);
  const s1 = mod(a[1] * b[2] * z2z2, p);
  const s2 = mod(b[1] * a[2] * z1z1, p);
  const h = mod(u2 - u1, p);
  const r = mod(s2 - s1, p);
  if (h === 0n) return r === 0n ? double(a, p) : [0n, 1n, 0n];
  const hh = mod(h * h, p);
  const hhh = mod(h * hh, p);
  const v = mod(u1 * hh, p);
  const x3 = mod(r * r - hhh - 2n * v, p);
  const y3 = mod(r * (v - x3) - s1 * hhh, p);
  const z3 = mod(h * a[2] * b[2], p);
  return [x3, y3, z3];
}

function multiply(point: Point, scalar: bigint, p: bigint): Point {
  let result: Point = [0n, 1n, 0n];
  for (let bit = BigInt(scalar.toString(2).length - 1); bit >= 0n; bit--) {
    result = double(result, p);
    if ((scalar >> bit) & 1n) result = add(result, point, p);
  }
  return result;
}

function toBigInt(bytes: Buffer): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${bytes.toString('hex')}`);
}

/** ECDSA verification (SEC 1 §4.1.4) over a digest, for P-256, P-384 and P-521 keys. */
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
  let r: bigint;
  let s: bigint;
  try {
    const sequence = ASN1Obj.parseBuffer(Buffer.from(signature));
    if (sequence.subs.length !== 2 || !sequence.subs[0] || !sequence.subs[1]) return false;
    r = sequence.subs[0].toInteger();
    s = sequence.subs[1].toInteger();
  } catch {
    return false;
  }
  const { n, p } = curve;
  if (r <= 0n || r >= n || s <= 0n || s >= n) return false;
  const jwk = key.export({ format: 'jwk' });
  if (!jwk.x || !jwk.y) return false;
  const q: Point = [toBigInt(Buffer.from(jwk.x, 'base64url')), toBigInt(Buffer.from(jwk.y, 'base64url')), 1n];
  // The digest's leftmost bits, as many as the group order has.
  const excess = digest.length * 8 - curve.bits;
  const e = excess > 0 ? toBigInt(digest) >> BigInt(excess) : toBigInt(digest);
  const w = invert(s, n);
  const sum = add(multiply([curve.g[0], curve.g[1], 1n], mod(e * w, n), p), multiply(q, mod(r * w, n), p), p);
  if (sum[2] === 0n) return false;
  const x = mod(sum[0] * invert(mod(sum[2] * sum[2], p), p), p);
  return mod(x, n) === r;
}
