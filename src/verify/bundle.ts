import { createHash, createPublicKey, verify as verifySignature, type KeyObject } from 'node:crypto';

import {
  BUNDLE_V01_MEDIA_TYPE,
  BUNDLE_V02_MEDIA_TYPE,
  BUNDLE_V03_LEGACY_MEDIA_TYPE,
  BUNDLE_V03_MEDIA_TYPE,
  bundleFromJSON,
  type Bundle,
} from '@sigstore/bundle';
import { ASN1Obj, X509Certificate, dsse } from '@sigstore/core';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import {
  PolicyError,
  VerificationError,
  Verifier,
  toSignedEntity,
  toTrustMaterial,
  type KeyFinderFunc,
  type SignedEntity,
  type VerifierOptions,
} from '@sigstore/verify';

import { LedgerError, describeError } from '../errors.js';
import { keyHint as hintOf } from '../sign/keys.js';
import { parseTrustedRoot } from '../sign/trusted-root.js';
import {
  matchMessageDigest,
  matchStatementSubject,
  messageDigestAlgorithm,
  verifyPrehashed,
  type Artifact,
  type DigestAlgorithm,
  type StatementSubject,
} from './artifact.js';
import { VerificationFailure } from './problems.js';

/** GitHub Actions' OIDC issuer: the default for --signer-repo / --signer-workflow, as in `gh attestation verify`. */
export const GITHUB_ACTIONS_ISSUER = 'https://token.actions.githubusercontent.com';

/**
 * Who must have signed a certificate-signed bundle. Every field given must hold.
 * - `identity`: the certificate's SAN, exactly (`--certificate-identity`).
 * - `identityRegexp`: a regular expression the SAN must match (`--certificate-identity-regexp`);
 *   unanchored, as cosign and sigstore-go match it: write `^…$` to pin the whole SAN.
 * - `issuer`: the OIDC issuer in the certificate, exactly (`--certificate-oidc-issuer`).
 * - `signerRepo`: OWNER/REPO of the workflow that signed (`gh attestation verify --signer-repo`):
 *   the certificate's Build Signer URI (the SAN for GitHub Actions) is in that repository. For a
 *   reusable workflow this is the called workflow's repository, not the caller's.
 * - `signerWorkflow`: [HOST/]OWNER/REPO/PATH of that workflow (`--signer-workflow`), at any ref.
 * Without `issuer`, `signerRepo`/`signerWorkflow` imply GitHub Actions' issuer.
 */
export interface IdentityPolicy {
  identity?: string;
  identityRegexp?: string;
  issuer?: string;
  signerRepo?: string;
  signerWorkflow?: string;
}

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

export type SignedByKey = { kind: 'key'; keyHint: string };
export type SignedByCertificate = {
  kind: 'certificate';
  /** The certificate's SAN: for GitHub Actions, the workflow URI with its ref. */
  identity: string;
  /** The OIDC issuer that vouched for the identity. */
  issuer: string;
  /** Fulcio's certificate extensions by name (sourceRepositoryURI, buildSignerURI, runnerEnvironment, …). */
  extensions: Record<string, string>;
  /**
   * Hint of the certificate's (short-lived) key. It names the key, not the signer: compare
   * `identity` and `issuer` to tell whether two records have the same signer.
   */
  keyHint: string;
};
export type BundleSigner = SignedByKey | SignedByCertificate;

/** A verified time of signing: a log's integrated time (with its promise) or an RFC 3161 timestamp. */
export interface SigningTime {
  source: 'transparency-log' | 'timestamp-authority';
  time: Date;
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

const MEDIA_TYPES = [
  BUNDLE_V01_MEDIA_TYPE,
  BUNDLE_V02_MEDIA_TYPE,
  BUNDLE_V03_LEGACY_MEDIA_TYPE,
  BUNDLE_V03_MEDIA_TYPE,
];

const EMPTY_TRUSTED_ROOT = TrustedRoot.fromJSON({
  mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
  tlogs: [],
  certificateAuthorities: [],
  ctlogs: [],
  timestampAuthorities: [],
});

const FIELD_WORDS: Record<string, string> = {
  content: 'it holds no signature (neither messageSignature nor dsseEnvelope)',
  verificationMaterial:
    'it has no verificationMaterial (no certificate or public key to check the signature with)',
  'verificationMaterial.content':
    'its verificationMaterial holds no certificate, certificate chain or public key',
};

/** Parses untrusted JSON into a bundle; anything that is not a valid Sigstore bundle is CORRUPT. */
export function parseBundle(json: unknown, file: string): Bundle {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new VerificationFailure('CORRUPT', 'is not a Sigstore bundle (expected a JSON object)', { file });
  }
  const mediaType = (json as { mediaType?: unknown }).mediaType;
  if (typeof mediaType !== 'string' || !MEDIA_TYPES.includes(mediaType)) {
    throw new VerificationFailure(
      'CORRUPT',
      mediaType === undefined
        ? 'is not a Sigstore bundle (it has no mediaType)'
        : `has media type ${JSON.stringify(mediaType)}, which is not a Sigstore bundle version this verifier knows (v0.1, v0.2, v0.3)`,
      { file, field: 'mediaType' },
    );
  }
  try {
    return bundleFromJSON(json);
  } catch (error) {
    const fields = (error as { fields?: unknown }).fields;
    const detail = Array.isArray(fields)
      ? fields
          .map((field: unknown) => FIELD_WORDS[String(field)] ?? `${String(field)} is missing or invalid`)
          .join('; ')
      : describeError(error);
    throw new VerificationFailure('CORRUPT', `is not a valid Sigstore bundle: ${detail}`, {
      file,
      cause: error,
    });
  }
}

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

/** Public keys from PEM text, keyed by hint. */
export function keyRing(pems: Iterable<string>): Map<string, KeyObject> {
  const ring = new Map<string, KeyObject>();
  for (const pem of pems) {
    const key = createPublicKey(pem);
    ring.set(hintOf(key), key);
  }
  return ring;
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
    throw explain(error, bundle, file);
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

/** The bundle's signing certificate, after refusing chains a client must not accept. */
function leafCertificate(bundle: Bundle, file: string): X509Certificate {
  const material = bundle.verificationMaterial.content;
  const raw =
    material.$case === 'certificate'
      ? [material.certificate.rawBytes]
      : material.$case === 'x509CertificateChain'
        ? material.x509CertificateChain.certificates.map((certificate) => certificate.rawBytes)
        : [];
  let certificates: X509Certificate[];
  try {
    certificates = raw.map((bytes) => X509Certificate.parse(Buffer.from(bytes)));
  } catch (error) {
    throw new VerificationFailure(
      'CORRUPT',
      `holds a certificate that cannot be parsed (${describeError(error)})`,
      { file, cause: error },
    );
  }
  const [leaf] = certificates;
  if (!leaf) throw new VerificationFailure('CORRUPT', 'holds no signing certificate', { file });
  // Roots come from the trusted root only; one shipped inside the bundle means the bundle tries
  // to bring its own trust (sigstore-conformance `bundle-with-root-cert_fail`).
  if (
    certificates.some((certificate) => certificate.isCA && certificate.subject.equals(certificate.issuer))
  ) {
    throw new VerificationFailure(
      'UNTRUSTED',
      'its certificate chain includes a root certificate: roots must come from the trusted root, never from the bundle',
      { file },
    );
  }
  if (leaf.isCA)
    throw new VerificationFailure('UNTRUSTED', 'is signed with a CA certificate, not a signing certificate', {
      file,
    });
  return leaf;
}

/** An identity policy checked for completeness, its regexp compiled, its issuer filled in. */
export interface ResolvedPolicy extends IdentityPolicy {
  issuer: string;
  pattern?: RegExp;
  workflow?: { prefix: string; path: string };
}

function certificateExpectation(bundle: Bundle, trust: BundleTrust, file: string): Expected {
  const leaf = leafCertificate(bundle, file);
  if (trust.key || (trust.keys && trust.identity === undefined && trust.trustedRoot === undefined)) {
    const san = safe(() => leaf.subjectAltName) ?? 'an unknown identity';
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

/** Checks an identity policy is complete and well-formed; fills GitHub's issuer for signer repo/workflow. */
export function resolvePolicy(policy: IdentityPolicy, file?: string): ResolvedPolicy {
  const usage = (message: string, fix: string): never => {
    throw new LedgerError('USAGE', message, { ...(file === undefined ? {} : { file }), fix });
  };
  const { identity, identityRegexp, signerRepo, signerWorkflow } = policy;
  if (identity !== undefined && identityRegexp !== undefined) {
    usage('--certificate-identity and --certificate-identity-regexp exclude each other', 'give one of them');
  }
  if (
    identity === undefined &&
    identityRegexp === undefined &&
    signerRepo === undefined &&
    signerWorkflow === undefined
  ) {
    usage(
      'is signed with a certificate, and no identity was given to check it against: any signer would pass',
      'pass --certificate-identity (or --certificate-identity-regexp) with --certificate-oidc-issuer, or --signer-repo / --signer-workflow',
    );
  }
  let issuer = policy.issuer;
  if (issuer === undefined) {
    if (signerRepo === undefined && signerWorkflow === undefined) {
      usage(
        'a certificate identity needs its OIDC issuer',
        'add --certificate-oidc-issuer URL (GitHub Actions: https://token.actions.githubusercontent.com)',
      );
    }
    issuer = GITHUB_ACTIONS_ISSUER;
  }
  const resolved: ResolvedPolicy = { ...policy, issuer };
  if (identityRegexp !== undefined) {
    try {
      resolved.pattern = new RegExp(identityRegexp);
    } catch (error) {
      usage(
        `--certificate-identity-regexp is not a regular expression (${describeError(error)})`,
        'fix the expression',
      );
    }
  }
  if (signerRepo !== undefined && !/^[\w.-]+\/[\w.-]+$/.test(signerRepo)) {
    usage(
      `--signer-repo ${JSON.stringify(signerRepo)} is not OWNER/REPO`,
      'write it as OWNER/REPO, e.g. sigstore/sigstore-js',
    );
  }
  if (signerWorkflow !== undefined) {
    const segments = signerWorkflow.split('/').filter((segment) => segment !== '');
    const host = segments[0]?.includes('.') ? (segments.shift() as string) : 'github.com';
    const [owner, repo, ...path] = segments;
    if (!owner || !repo || path.length === 0) {
      usage(
        `--signer-workflow ${JSON.stringify(signerWorkflow)} is not [HOST/]OWNER/REPO/PATH`,
        'write it as OWNER/REPO/.github/workflows/FILE.yml',
      );
    }
    resolved.workflow = { prefix: `https://${host}/${owner}/${repo}/`, path: path.join('/') };
  }
  return resolved;
}

/** Checks a verified certificate signer against the policy; the message says who signed and who was expected. */
export function checkIdentity(signer: SignedByCertificate, policy: ResolvedPolicy, file: string): void {
  const fail = (message: string): never => {
    throw new VerificationFailure('IDENTITY_MISMATCH', message, { file });
  };
  const san = signer.identity || '(no identity)';
  if (policy.identity !== undefined && signer.identity !== policy.identity) {
    fail(`signed by ${san}, expected ${policy.identity}`);
  }
  if (policy.pattern && !policy.pattern.test(signer.identity)) {
    fail(`signed by ${san}, which does not match ${policy.identityRegexp ?? ''}`);
  }
  if (signer.issuer !== policy.issuer) {
    fail(`signed by ${san} with OIDC issuer ${signer.issuer || '(none)'}, expected issuer ${policy.issuer}`);
  }
  // As `gh attestation verify`: the signing workflow is the Build Signer URI, which for GitHub
  // Actions is also the SAN (certificates from before that extension only have the SAN).
  const workflow = signer.extensions.buildSignerURI ?? signer.identity;
  if (policy.signerRepo !== undefined) {
    const prefix = `https://github.com/${policy.signerRepo}/`;
    if (!workflow.toLowerCase().startsWith(prefix.toLowerCase())) {
      fail(`signed by ${workflow}, expected a workflow in repository ${policy.signerRepo}`);
    }
  }
  if (policy.workflow) {
    const { prefix, path } = policy.workflow;
    const [base = ''] = workflow.split('@');
    if (!base.toLowerCase().startsWith(prefix.toLowerCase()) || base.slice(prefix.length) !== path) {
      fail(`signed by ${workflow}, expected workflow ${prefix}${path}@…`);
    }
  }
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

/** @sigstore/verify's view of the bundle, with the two adjustments described inline. */
function signedEntity(bundle: Bundle, artifact: Artifact | undefined, file: string): SignedEntity {
  let entity: SignedEntity;
  try {
    entity = toSignedEntity(bundle, artifact?.kind === 'bytes' ? artifact.bytes : undefined);
  } catch (error) {
    throw new VerificationFailure(
      'CORRUPT',
      `holds a timestamp or certificate that cannot be parsed (${describeError(error)})`,
      { file, cause: error },
    );
  }
  const { content } = bundle;
  if (content.$case === 'messageSignature' && artifact?.kind === 'digests') {
    // Only the artifact's digest is known (conformance `sha256:<hex>`): verify over the digest.
    const { signature, messageDigest } = content.messageSignature;
    const algorithm = messageDigestAlgorithm(messageDigest.algorithm, file);
    const digest = Buffer.from(messageDigest.digest);
    entity = {
      ...entity,
      signature: {
        signature: Buffer.from(signature),
        compareSignature: (other) => other.equals(Buffer.from(signature)),
        compareDigest: (other) => other.equals(digest),
        verifySignature: (key) => verifyPrehashed(key, algorithm, digest, Buffer.from(signature)),
      },
    };
  }
  if (content.$case === 'messageSignature' && artifact?.kind === 'bytes') {
    // EdDSA signs the message itself, with no separate hash; @sigstore/verify 3.1 passes the
    // digest algorithm to Node's verify, which refuses an Ed25519/Ed448 key. Verify those as EdDSA.
    const base = entity.signature;
    const { bytes } = artifact;
    entity = {
      ...entity,
      signature: {
        signature: base.signature,
        compareSignature: (other) => base.compareSignature(other),
        compareDigest: (other) => base.compareDigest(other),
        verifySignature: (key) =>
          key.asymmetricKeyType === 'ed25519' || key.asymmetricKeyType === 'ed448'
            ? verifySignature(null, bytes, key, base.signature)
            : base.verifySignature(key),
      },
    };
  }
  const entries = bundle.verificationMaterial.tlogEntries;
  if (
    content.$case === 'dsseEnvelope' &&
    entries.length > 0 &&
    entries.every(
      (entry) => entry.kindVersion?.kind === 'hashedrekord' && entry.kindVersion.version === '0.0.2',
    )
  ) {
    // Rekor v2 logs a DSSE envelope as hashedrekord 0.0.2 over SHA-256(PAE(type, payload))
    // (rekor-v2 spec, "hashedrekord over DSSE"); @sigstore/verify 3.1 compares such an entry's
    // digest with SHA-256(payload) and so rejects every such bundle
    // (sigstore-conformance `rekor2-dsse-happy-path`). Compare with the PAE digest instead.
    const { payloadType, payload } = content.dsseEnvelope;
    const paeDigest = createHash('sha256')
      .update(dsse.preAuthEncoding(payloadType, Buffer.from(payload)))
      .digest();
    const base = entity.signature;
    entity = {
      ...entity,
      signature: {
        signature: base.signature,
        compareSignature: (other) => base.compareSignature(other),
        compareDigest: (other) => other.equals(paeDigest),
        verifySignature: (key) => base.verifySignature(key),
      },
    };
  }
  return entity;
}

function signingTimes(entity: SignedEntity): SigningTime[] {
  return entity.timestamps.flatMap((timestamp): SigningTime[] => {
    if (timestamp.$case === 'timestamp-authority')
      return [{ source: 'timestamp-authority', time: timestamp.timestamp.signingTime }];
    const { tlogEntry } = timestamp;
    return tlogEntry.inclusionPromise
      ? [{ source: 'transparency-log', time: new Date(Number(tlogEntry.integratedTime) * 1000) }]
      : [];
  });
}

/**
 * Turns what @sigstore/verify threw into a VerificationFailure a reviewer can act on. Our own
 * errors pass through: a LedgerError from inside (a digest-only artifact with an Ed25519 key)
 * means verification could not be carried out, not that it failed.
 */
function explain(error: unknown, bundle: Bundle, file: string): LedgerError {
  if (error instanceof LedgerError) return error;
  const detail = detailOf(error);
  const options = { file, cause: error };
  if (error instanceof PolicyError) return new VerificationFailure('IDENTITY_MISMATCH', detail, options);
  if (!(error instanceof VerificationError)) {
    return new VerificationFailure(
      'CORRUPT',
      `is malformed: verification stopped at an unexpected value (${detail})`,
      options,
    );
  }
  switch (error.code) {
    case 'SIGNATURE_ERROR':
      return new VerificationFailure(
        'BAD_SIGNATURE',
        bundle.content.$case === 'dsseEnvelope'
          ? 'signature does not verify: the statement or the signature was changed after signing'
          : 'signature does not verify over the artifact: the artifact or the signature was changed after signing',
        options,
      );
    case 'TLOG_BODY_ERROR':
      return new VerificationFailure(
        'TLOG_MISMATCH',
        `the transparency-log entry does not match this bundle (${detail}): the bundle was changed after it was logged, or pairs a log entry with another signature`,
        options,
      );
    case 'TLOG_INCLUSION_PROOF_ERROR':
    case 'TLOG_INCLUSION_PROMISE_ERROR':
    case 'TLOG_MISSING_INCLUSION_ERROR':
      return new VerificationFailure(
        'UNTRUSTED',
        `its transparency-log inclusion does not verify against the trusted root (${detail})`,
        options,
      );
    case 'TLOG_ERROR':
      return new VerificationFailure(
        'UNTRUSTED',
        `has no transparency-log entry, but the trusted root's Sigstore instance logs every signature (${detail})`,
        options,
      );
    case 'CERTIFICATE_ERROR':
      return new VerificationFailure(
        'UNTRUSTED',
        /\bSCT/.test(detail)
          ? `the signing certificate's transparency proof (SCT) does not verify against the trusted root's CT logs (${detail})`
          : `the signing certificate is not trusted (${detail}): issued by another Sigstore instance, or not valid at the time of signing`,
        options,
      );
    case 'TIMESTAMP_ERROR':
      return new VerificationFailure(
        'UNTRUSTED',
        `no trusted timestamp proves when it was signed (${detail})`,
        options,
      );
    case 'PUBLIC_KEY_ERROR':
      return new VerificationFailure('UNKNOWN_SIGNER', `the signing key is not trusted (${detail})`, options);
    default:
      return new VerificationFailure('UNTRUSTED', detail, options);
  }
}

function detailOf(error: unknown): string {
  const message = describeError(error);
  const cause = error instanceof Error ? error.cause : undefined;
  return cause === undefined ? message : `${message}: ${detailOf(cause)}`;
}

function safe<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

const FULCIO_OID = '1.3.6.1.4.1.57264.1.';
/** Fulcio's extensions (docs/oid-info.md): the first ones hold raw text, the later DER UTF8Strings. */
const FULCIO_EXTENSIONS: Record<number, { name: string; der: boolean }> = {
  1: { name: 'issuer', der: false },
  2: { name: 'githubWorkflowTrigger', der: false },
  3: { name: 'githubWorkflowSHA', der: false },
  4: { name: 'githubWorkflowName', der: false },
  5: { name: 'githubWorkflowRepository', der: false },
  6: { name: 'githubWorkflowRef', der: false },
  8: { name: 'issuer', der: true },
  9: { name: 'buildSignerURI', der: true },
  10: { name: 'buildSignerDigest', der: true },
  11: { name: 'runnerEnvironment', der: true },
  12: { name: 'sourceRepositoryURI', der: true },
  13: { name: 'sourceRepositoryDigest', der: true },
  14: { name: 'sourceRepositoryRef', der: true },
  15: { name: 'sourceRepositoryIdentifier', der: true },
  16: { name: 'sourceRepositoryOwnerURI', der: true },
  17: { name: 'sourceRepositoryOwnerIdentifier', der: true },
  18: { name: 'buildConfigURI', der: true },
  19: { name: 'buildConfigDigest', der: true },
  20: { name: 'buildTrigger', der: true },
  21: { name: 'runInvocationURI', der: true },
  22: { name: 'sourceRepositoryVisibilityAtSigning', der: true },
};

/** Fulcio's extensions of a certificate, by name; the DER issuer (…1.8) wins over the raw one (…1.1). */
export function certificateExtensions(certificate: X509Certificate): Record<string, string> {
  const found: Record<string, string> = {};
  for (const number of Object.keys(FULCIO_EXTENSIONS)
    .map(Number)
    .sort((a, b) => a - b)) {
    const spec = FULCIO_EXTENSIONS[number];
    const extension = spec && safe(() => certificate.extension(`${FULCIO_OID}${number}`));
    if (!spec || !extension) continue;
    const value = spec.der
      ? safe(() => ASN1Obj.parseBuffer(Buffer.from(extension.value)).value)
      : extension.value;
    if (value) found[spec.name] = Buffer.from(value).toString('utf8');
  }
  return found;
}
