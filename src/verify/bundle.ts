/**
 * Verifying one Sigstore bundle: who must have signed it (a trusted key, or a Fulcio certificate
 * with an identity), the thresholds of log entries, SCTs and timestamps, and what it signs.
 */
import type { KeyObject } from 'node:crypto';

import type { Bundle } from '@sigstore/bundle';
import type { X509Certificate } from '@sigstore/core';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { Verifier, toTrustMaterial, type KeyFinderFunc, type VerifierOptions } from '@sigstore/verify';

import { LedgerError } from '../errors.js';
import { keyHint as hintOf } from '../sign/keys.js';
import { parseTrustedRoot } from '../sign/trusted-root.js';
import {
  matchMessageDigest,
  matchStatementSubject,
  messageDigestAlgorithm,
  type Artifact,
  type DigestAlgorithm,
  type StatementSubject,
} from './artifact.js';
import { explainFailure } from './bundle-failure.js';
import { parseBundle } from './bundle-parse.js';
import { certificateExtensions, leafCertificate, readOrUndefined } from './certificate.js';
import {
  checkIdentity,
  resolvePolicy,
  type BundleSigner,
  type IdentityPolicy,
  type ResolvedPolicy,
  type SignedByKey,
} from './identity.js';
import { VerificationFailure } from './problems.js';
import { signedEntity, signingTimes, type SigningTime } from './signed-entity.js';

export interface BundleTrust {
  /** Public keys trusted for key-signed bundles, by hint (hex SHA-256 of the DER public key). */
  keys?: Map<string, KeyObject>;
  /** One public key that must have signed, whatever hint the bundle carries (conformance `--key`). */
  key?: KeyObject;
  /**
   * Sigstore trusted root (protobuf-JSON, as in trusted_root.json): Fulcio CAs, Rekor and CT log
   * keys, timestamp authorities. Needed for certificates; for keys only when the bundle has log
   * entries or timestamps to check.
   */
  trustedRoot?: unknown;
  /** Required for certificate-signed bundles: accepting any signer would accept anyone. */
  identity?: IdentityPolicy;
}

interface VerifiedCommon {
  bundle: Bundle;
  mediaType: string;
  signer: BundleSigner;
  timestamps: SigningTime[];
}

export interface VerifiedDsseBundle extends VerifiedCommon {
  content: 'dsseEnvelope';
  /** The DSSE payload bytes (the statement) exactly as signed. */
  payload: Buffer;
  payloadType: string;
  /** The statement subject the artifact matched, when an artifact was given. */
  subject: StatementSubject | null;
}

export interface VerifiedMessageBundle extends VerifiedCommon {
  content: 'messageSignature';
  messageDigest: { algorithm: DigestAlgorithm; hex: string };
}

export type VerifiedBundle = VerifiedDsseBundle | VerifiedMessageBundle;

const EMPTY_TRUSTED_ROOT = TrustedRoot.fromJSON({
  mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
  tlogs: [],
  certificateAuthorities: [],
  ctlogs: [],
  timestampAuthorities: [],
});

/**
 * Verifies a Sigstore bundle — v0.1, v0.2 or v0.3, a message signature or a DSSE envelope, signed
 * by a trusted public key or by a Fulcio certificate — and, when `artifact` is given, that it signs
 * that artifact (the message digest, or one of the in-toto statement's subjects).
 * Throws VerificationFailure (with a ProblemCode) when something does not hold, and LedgerError
 * when verification cannot be carried out (no trust given, a message signature without artifact).
 */
export function verifyBundle(
  json: unknown,
  trust: BundleTrust,
  file: string,
  artifact?: Artifact,
): VerifiedBundle {
  return verifyParsed(parseBundle(json, file), trust, file, artifact);
}

/** verifyBundle for a bundle already parsed (parseBundle), so that a caller parses it once. */
export function verifyParsedBundle(bundle: Bundle, trust: BundleTrust, file: string): VerifiedBundle {
  return verifyParsed(bundle, trust, file, undefined);
}

/**
 * The ledger's check of one record: a DSSE bundle signed by one of `trust.keys`. Certificates and
 * message signatures are refused. Does not look inside the payload: schema, chain and subjects
 * are the callers' to check.
 */
export function verifyKeySignedBundle(
  json: unknown,
  trust: { keys: Map<string, KeyObject> },
  file: string,
): VerifiedDsseBundle & { signer: SignedByKey } {
  const bundle = parseBundle(json, file);
  if (bundle.content.$case !== 'dsseEnvelope') {
    throw new VerificationFailure(
      'CORRUPT',
      'holds a message signature, not a DSSE envelope with a statement',
      { file },
    );
  }
  const verified = verifyParsed(bundle, { keys: trust.keys }, file, undefined);
  if (verified.content !== 'dsseEnvelope' || verified.signer.kind !== 'key') {
    throw new VerificationFailure('UNKNOWN_SIGNER', 'is not signed by a trusted key', { file });
  }
  return { ...verified, signer: verified.signer };
}

/** Who is to be checked for a bundle: a trusted key, or a certificate and the identity it must have. */
type Expected = { key: KeyObject } | { leaf: X509Certificate; policy: ResolvedPolicy };

function verifyParsed(
  bundle: Bundle,
  trust: BundleTrust,
  file: string,
  artifact: Artifact | undefined,
): VerifiedBundle {
  const material = bundle.verificationMaterial.content;
  const expected: Expected =
    material.$case === 'publicKey'
      ? { key: trustedKey(material.publicKey.hint, trust, file) }
      : certificateExpectation(bundle, trust, file);

  if (bundle.content.$case === 'messageSignature') {
    if (!artifact) {
      throw new LedgerError(
        'VERIFY',
        'holds a message signature over an artifact: verifying it needs the artifact',
        { file },
      );
    }
    const { digest, algorithm } = bundle.content.messageSignature.messageDigest;
    // Before the signature: a wrong artifact is then reported as such, not as a bad signature.
    matchMessageDigest(Buffer.from(digest), messageDigestAlgorithm(algorithm, file), artifact, file);
  }

  const root =
    trust.trustedRoot === undefined
      ? EMPTY_TRUSTED_ROOT
      : parseTrustedRoot(trust.trustedRoot, 'the trusted root').root;
  const finder: KeyFinderFunc | undefined =
    'key' in expected ? () => ({ publicKey: expected.key, validFor: () => true }) : undefined;
  const entity = signedEntity(bundle, artifact, file);
  const verifier = new Verifier(toTrustMaterial(root, finder), thresholds('key' in expected, root));
  let verified;
  try {
    verified = verifier.verify(entity);
  } catch (error) {
    throw explainFailure(error, bundle, file);
  }

  let signer: BundleSigner;
  if ('key' in expected) {
    signer = { kind: 'key', keyHint: hintOf(expected.key) };
  } else {
    signer = {
      kind: 'certificate',
      identity: verified.identity?.subjectAlternativeName ?? '',
      issuer: verified.identity?.extensions?.issuer ?? '',
      extensions: certificateExtensions(expected.leaf),
      keyHint: hintOf(verified.key),
    };
    checkIdentity(signer, expected.policy, file);
  }
  const common = { bundle, mediaType: bundle.mediaType, signer, timestamps: signingTimes(entity) };
  if (bundle.content.$case === 'dsseEnvelope') {
    const { payload, payloadType } = bundle.content.dsseEnvelope;
    const bytes = Buffer.from(payload);
    const subject = artifact ? matchStatementSubject(bytes, payloadType, artifact, file) : null;
    return { ...common, content: 'dsseEnvelope', payload: bytes, payloadType, subject };
  }
  const { digest, algorithm } = bundle.content.messageSignature.messageDigest;
  return {
    ...common,
    content: 'messageSignature',
    messageDigest: {
      algorithm: messageDigestAlgorithm(algorithm, file),
      hex: Buffer.from(digest).toString('hex'),
    },
  };
}

/**
 * Thresholds. A key is its own trust anchor: no log entry, SCT or timestamp is required (those
 * present are still verified, against the trusted root). A certificate lives ten minutes, so it
 * needs a verified time of signing (a log's integrated time or an RFC 3161 timestamp) inside its
 * validity, and the SCT proving Fulcio logged it.
 * A log entry is required when the trusted root has a transparency log: such an instance
 * (public-good, or staging with Rekor v2) logs every signature, so a bundle without an entry was
 * stripped of it or never published — and deciding from the bundle instead would let whoever
 * strips the entries switch the check off. A root with no log at all is a timestamp-only
 * instance (GitHub's private one: Fulcio + TSA, nothing published), whose bundles never have an
 * entry; there the timestamp is the proof of time. Entries a bundle does carry are always
 * verified (@sigstore/verify checks every one, whatever the threshold).
 */
function thresholds(byKey: boolean, root: TrustedRoot): VerifierOptions {
  if (byKey) return { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 };
  return { tlogThreshold: root.tlogs.length > 0 ? 1 : 0, ctlogThreshold: 1, timestampThreshold: 1 };
}

function certificateExpectation(bundle: Bundle, trust: BundleTrust, file: string): Expected {
  const leaf = leafCertificate(bundle, file);
  if (trust.key || (trust.keys && trust.identity === undefined && trust.trustedRoot === undefined)) {
    const san = readOrUndefined(() => leaf.subjectAltName) ?? 'an unknown identity';
    throw new VerificationFailure(
      'UNKNOWN_SIGNER',
      trust.key
        ? `is signed with a certificate for ${san}, not with the given key`
        : 'is signed with a certificate (keyless); verify it with a trusted root and a certificate identity',
      { file },
    );
  }
  if (trust.trustedRoot === undefined) {
    throw new LedgerError('VERIFY', 'is signed with a certificate: verifying it needs a trusted root', {
      file,
      fix: 'pass --trusted-root FILE, or omit it to fetch the public-good root online',
    });
  }
  return { leaf, policy: resolvePolicy(trust.identity ?? {}, file) };
}

function trustedKey(hint: string, trust: BundleTrust, file: string): KeyObject {
  if (trust.key) return trust.key;
  const key = trust.keys?.get(hint);
  if (key) return key;
  if (!trust.keys) {
    const expected =
      trust.identity?.identity ??
      trust.identity?.identityRegexp ??
      trust.identity?.signerRepo ??
      trust.identity?.signerWorkflow;
    throw new VerificationFailure(
      'UNKNOWN_SIGNER',
      `is signed with a public key${hint ? ` (hint ${hint})` : ''}, not with a certificate${expected ? ` for ${expected}` : ''}`,
      { file, fix: 'verify it with --key PUB.PEM, if you trust that key' },
    );
  }
  throw new VerificationFailure(
    'UNKNOWN_SIGNER',
    `is signed by key ${hint || '(no hint)'}, which is not trusted`,
    {
      file,
      fix: "pass the signer's public key with --key, if you trust it",
    },
  );
}
