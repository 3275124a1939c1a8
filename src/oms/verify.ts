/**
 * Verifies an OpenSSF Model Signing v1.0 signature against a model directory or file: who signed
 * (a public key, a certificate chain to a given CA, or a Sigstore keyless identity), then that the
 * model's files are exactly those signed — naming every file that changed, was added or removed.
 */
import { X509Certificate as NodeCertificate, verify as verifySignature, type KeyObject } from 'node:crypto';
import { stat } from 'node:fs/promises';

import { X509Certificate, dsse } from '@sigstore/core';
import { Bundle as ProtoBundle, type Envelope, type VerificationMaterial } from '@sigstore/protobuf-specs';

import { LedgerError, describeError } from '../errors.js';
import type { HashSettings } from '../hash/index.js';
import { DSSE_PAYLOAD_TYPE } from '../record/predicate.js';
import { keyHint } from '../sign/keys.js';
import { verifyBundle } from '../verify/bundle.js';
import { type BundleSigner, type IdentityPolicy } from '../verify/identity.js';
import { VerificationFailure } from '../verify/problems.js';
import { compareResources, describeDifference, parseOmsStatement, type OmsManifest } from './resources.js';
import { pathInside, serializeModel } from './serialize.js';
import { modelSigningKeyHint } from './sign.js';

const CODE_SIGNING = '1.3.6.1.5.5.7.3.3';
/** Longest chain followed from the signing certificate to a trusted CA. */
const MAX_CHAIN = 8;

/** Who must have signed. */
export type ModelSignatureTrust =
  /** `verify key`: the bundle's signature must verify with this public key. */
  | { kind: 'key'; key: KeyObject }
  /** `verify certificate`: the bundle's signing certificate must chain to one of these CA certificates. */
  | { kind: 'certificate-chain'; certificates: NodeCertificate[] }
  /** `verify sigstore`: a Fulcio certificate for this identity, checked against the trusted root. */
  | { kind: 'identity'; identity: IdentityPolicy; trustedRoot: unknown };

export interface VerifyModelOptions {
  /** The model directory or file. */
  path: string;
  display?: string;
  /** The signature's bytes (`model.sig`) and how to name it in messages. */
  signature: Buffer;
  signatureFile: string;
  /** Where the signature lies, when on disk: left out of the model when inside it. */
  signaturePath?: string;
  trust: ModelSignatureTrust;
  /** Paths to leave out besides those the signature lists (relative to the model). */
  ignorePaths?: readonly string[];
  /** Leave out .git, .gitattributes, .github and .gitignore (default true). */
  ignoreGitPaths?: boolean;
  hash?: HashSettings;
}

export interface VerifiedModel {
  /** The signed manifest (resources, serialization, subject). */
  manifest: OmsManifest;
  signer:
    BundleSigner | { kind: 'certificate-chain'; subject: string; issuer: string; fingerprint256: string };
  files: number;
}

/** Throws VerificationFailure (exit 1) when the signature or the model does not hold. */
export async function verifyModelSignature(options: VerifyModelOptions): Promise<VerifiedModel> {
  const file = options.signatureFile;
  const json = parseJson(options.signature, file);
  const { payload, payloadType, signer } = verifySigned(json, options.trust, file);
  if (payloadType !== DSSE_PAYLOAD_TYPE) {
    throw new VerificationFailure(
      'CORRUPT',
      `signs a payload of type ${payloadType}, not an in-toto statement`,
      {
        file,
      },
    );
  }
  const manifest = parseOmsStatement(payload, file);

  const display = options.display ?? options.path;
  const single = manifest.resources.length === 1 && manifest.resources[0]?.name === '.';
  if (single && (await isDirectory(options.path))) {
    throw new VerificationFailure(
      'ARTIFACT_MISMATCH',
      `signs a single file (${manifest.modelName}), and ${display} is a directory`,
      { file, fix: `verify the file: ${display.replace(/\/+$/, '')}/${manifest.modelName}, if that is it` },
    );
  }
  const ignorePaths = [...(manifest.serialization.ignore_paths ?? []), ...(options.ignorePaths ?? [])];
  const inside = options.signaturePath === undefined ? null : pathInside(options.path, options.signaturePath);
  if (inside !== null) ignorePaths.push(inside);
  const actual = await serializeModel({
    path: options.path,
    ...(options.display === undefined ? {} : { display: options.display }),
    ignorePaths,
    ...(options.ignoreGitPaths === undefined ? {} : { ignoreGitPaths: options.ignoreGitPaths }),
    // As signed: a signature that lists symlinks as their targets is checked the same way.
    allowSymlinks: manifest.serialization.allow_symlinks,
    reportSymlinks: true,
    ...(options.hash ? { hash: options.hash } : {}),
  });
  const difference = compareResources(manifest.resources, actual.manifest.resources);
  // A symlink put into a model whose signature follows none is a file the signature does not cover.
  difference.added.push(...actual.symlinks.map((link) => `${link} (symlink)`));
  const text = describeDifference(difference);
  if (text !== '') {
    throw new VerificationFailure(
      'ARTIFACT_MISMATCH',
      `model ${display} does not match its signature: ${text}`,
      { file },
    );
  }
  return { manifest, signer, files: manifest.resources.length };
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false; // serializing the model says why it cannot be read
  }
}

function parseJson(bytes: Buffer, file: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new VerificationFailure(
      'CORRUPT',
      `is not a Sigstore bundle: not valid JSON (${describeError(error)})`,
      {
        file,
        cause: error,
      },
    );
  }
}

interface Signed {
  payload: Buffer;
  payloadType: string;
  signer: VerifiedModel['signer'];
}

function verifySigned(json: unknown, trust: ModelSignatureTrust, file: string): Signed {
  if (trust.kind === 'identity') {
    const verified = verifyBundle(json, { identity: trust.identity, trustedRoot: trust.trustedRoot }, file);
    if (verified.content !== 'dsseEnvelope') {
      throw new VerificationFailure('CORRUPT', 'holds a message signature, not a DSSE envelope', { file });
    }
    return { payload: verified.payload, payloadType: verified.payloadType, signer: verified.signer };
  }
  const { envelope, material } = readBundle(json, file);
  const [signature] = envelope.signatures;
  if (!signature || envelope.signatures.length !== 1) {
    throw new VerificationFailure('CORRUPT', 'must hold exactly one DSSE signature', { file });
  }
  const payload = Buffer.from(envelope.payload);
  let key: KeyObject;
  let signer: VerifiedModel['signer'];
  if (trust.kind === 'key') {
    key = trust.key;
    checkKeyHint(material, key, file);
    signer = { kind: 'key', keyHint: keyHint(key) };
  } else {
    const { leaf, anchor } = verifyCertificateChain(material, trust.certificates, file);
    key = leaf.publicKey;
    signer = {
      kind: 'certificate-chain',
      subject: leaf.subject,
      issuer: anchor.subject,
      fingerprint256: leaf.fingerprint256,
    };
  }
  const pae = dsse.preAuthEncoding(envelope.payloadType, payload);
  let valid: boolean;
  try {
    valid = verifySignature(digestFor(key), pae, key, Buffer.from(signature.sig));
  } catch {
    valid = false;
  }
  if (!valid) {
    throw new VerificationFailure(
      'BAD_SIGNATURE',
      trust.kind === 'key'
        ? 'signature does not verify with the given public key (signed by another key, or the statement was changed)'
        : "signature does not verify with the signing certificate's key (the statement was changed)",
      { file },
    );
  }
  return { payload, payloadType: envelope.payloadType, signer };
}

type Material = VerificationMaterial['content'];

const BUNDLE_MEDIA_TYPE = /^application\/vnd\.dev\.sigstore\.bundle(\.v0\.3\+json|\+json;version=0\.[123])$/;

/**
 * The envelope and verification material of a key- or CA-signed bundle. Read with the protobuf
 * decoder, not @sigstore/bundle's validator: model_signing's certificate signatures are v0.3
 * bundles carrying a certificate chain, which that validator refuses for v0.3.
 */
function readBundle(json: unknown, file: string): { envelope: Envelope; material: Material } {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new VerificationFailure('CORRUPT', 'is not a Sigstore bundle (expected a JSON object)', { file });
  }
  const mediaType = (json as { mediaType?: unknown }).mediaType;
  if (typeof mediaType !== 'string' || !BUNDLE_MEDIA_TYPE.test(mediaType)) {
    throw new VerificationFailure(
      'CORRUPT',
      `has media type ${JSON.stringify(mediaType)}, not a Sigstore bundle`,
      {
        file,
        field: 'mediaType',
      },
    );
  }
  let bundle: ProtoBundle;
  try {
    bundle = ProtoBundle.fromJSON(json);
  } catch (error) {
    throw new VerificationFailure('CORRUPT', `is not a valid Sigstore bundle (${describeError(error)})`, {
      file,
      cause: error,
    });
  }
  if (bundle.content?.$case !== 'dsseEnvelope') {
    throw new VerificationFailure(
      'CORRUPT',
      'holds no DSSE envelope (model signatures sign an in-toto statement)',
      {
        file,
      },
    );
  }
  const material = bundle.verificationMaterial?.content;
  if (!material) {
    throw new VerificationFailure('CORRUPT', 'has no verification material (no key hint or certificate)', {
      file,
    });
  }
  return { envelope: bundle.content.dsseEnvelope, material };
}

/** ECDSA signs with the hash that matches its curve, as Sigstore's and model_signing's clients do. */
function digestFor(key: KeyObject): string | null {
  if (key.asymmetricKeyType === 'ed25519' || key.asymmetricKeyType === 'ed448') return null;
  switch (key.asymmetricKeyDetails?.namedCurve) {
    case 'secp384r1':
      return 'sha384';
    case 'secp521r1':
      return 'sha512';
    default:
      return 'sha256';
  }
}

/** A hint naming another key is a wrong key: said plainly, before the signature check would fail. */
function checkKeyHint(material: Material, key: KeyObject, file: string): void {
  if (material?.$case !== 'publicKey') {
    throw new VerificationFailure(
      'UNKNOWN_SIGNER',
      'is signed with a certificate, not a key: verify it with --certificate-chain or the keyless identity flags',
      { file },
    );
  }
  const hint = material.publicKey.hint;
  if (!hint) return;
  const pem = key.export({ type: 'spki', format: 'pem' }).toString();
  const ours = keyHint(key);
  const theirs = modelSigningKeyHint(pem);
  if (hint !== ours && hint !== theirs) {
    throw new VerificationFailure(
      'UNKNOWN_SIGNER',
      `is signed by key ${hint}, not by the given key (${theirs})`,
      { file, fix: "pass the signer's public key with --key" },
    );
  }
}

/**
 * The bundle's signing certificate, checked against the given CA certificates: each certificate
 * is issued and signed by the next (node:crypto checkIssued/verify), the last by a given CA, all
 * valid when the signing certificate was issued (as model_signing checks), issuers being CAs; the
 * signing certificate may sign (key usage digitalSignature or extended key usage codeSigning).
 */
function verifyCertificateChain(
  material: Material,
  anchors: NodeCertificate[],
  file: string,
): { leaf: NodeCertificate; anchor: NodeCertificate } {
  const raw =
    material?.$case === 'x509CertificateChain'
      ? material.x509CertificateChain.certificates.map((certificate) => certificate.rawBytes)
      : material?.$case === 'certificate'
        ? [material.certificate.rawBytes]
        : [];
  if (raw.length === 0) {
    throw new VerificationFailure(
      'UNKNOWN_SIGNER',
      'is signed with a public key, not a certificate: verify it with --key',
      { file },
    );
  }
  let chain: NodeCertificate[];
  try {
    chain = raw.map((bytes) => new NodeCertificate(Buffer.from(bytes)));
  } catch (error) {
    throw new VerificationFailure(
      'CORRUPT',
      `holds a certificate that cannot be parsed (${describeError(error)})`,
      {
        file,
        cause: error,
      },
    );
  }
  const leaf = chain[0] as NodeCertificate;
  const at = new Date(leaf.validFrom);
  const untrusted = (message: string): VerificationFailure =>
    new VerificationFailure('UNTRUSTED', message, {
      file,
      fix: 'pass the CA certificate(s) the signer chains to with --certificate-chain',
    });
  const validAt = (certificate: NodeCertificate): boolean =>
    new Date(certificate.validFrom) <= at && at <= new Date(certificate.validTo);
  const issues = (issuer: NodeCertificate, subject: NodeCertificate): boolean =>
    issuer.ca && subject.checkIssued(issuer) && subject.verify(issuer.publicKey) && validAt(issuer);

  let current = leaf;
  let anchor: NodeCertificate | undefined;
  for (let depth = 0; depth < MAX_CHAIN && !anchor; depth++) {
    anchor = anchors.find((candidate) => issues(candidate, current));
    if (anchor) break;
    const next = chain.find((candidate) => candidate !== current && issues(candidate, current));
    if (!next) {
      throw untrusted(
        `certificate chain does not lead to a given CA: nothing given or in the bundle issued "${current.subject}" (issuer "${current.issuer}")`,
      );
    }
    current = next;
  }
  if (!anchor) throw untrusted(`certificate chain is longer than ${MAX_CHAIN}`);
  if (!validAt(leaf)) throw untrusted('signing certificate is not valid at its own issue time');
  if (!maySign(leaf)) {
    throw new VerificationFailure(
      'UNTRUSTED',
      'signing certificate may not sign (neither key usage digitalSignature nor extended key usage codeSigning)',
      { file },
    );
  }
  return { leaf, anchor };
}

function maySign(certificate: NodeCertificate): boolean {
  if (certificate.keyUsage?.includes(CODE_SIGNING)) return true;
  try {
    return X509Certificate.parse(certificate.raw).extKeyUsage?.digitalSignature === true;
  } catch {
    return false;
  }
}

/** Reads CA certificates from PEM text (one file may hold several): the verifier's input, so BAD_INPUT. */
export function parseCertificates(pem: string, file: string): NodeCertificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) {
    throw new LedgerError('BAD_INPUT', 'holds no PEM certificate ("BEGIN CERTIFICATE" block)', {
      file,
      fix: 'pass the PEM file of the CA certificate(s) the signing certificate chains to',
    });
  }
  return blocks.map((block, index) => {
    try {
      return new NodeCertificate(block);
    } catch (error) {
      throw new LedgerError(
        'BAD_INPUT',
        `certificate ${index + 1} cannot be parsed (${describeError(error)})`,
        {
          file,
          cause: error,
        },
      );
    }
  });
}
