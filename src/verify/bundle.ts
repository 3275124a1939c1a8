import { createPublicKey, type KeyObject } from 'node:crypto';

import { bundleFromJSON, type Bundle } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { Verifier, toSignedEntity, toTrustMaterial, type VerificationPolicy } from '@sigstore/verify';

import { describeError } from '../errors.js';
import { keyHint as hintOf } from '../sign/keys.js';
import { VerificationFailure } from './problems.js';

export interface BundleTrust {
  /** Public keys trusted for key-signed bundles, by hint (hex SHA-256 of the DER public key). */
  keys: Map<string, KeyObject>;
}

export type BundleSigner = { kind: 'key'; keyHint: string };

export interface VerifiedBundle {
  bundle: Bundle;
  /** The DSSE payload bytes (the statement) exactly as signed. */
  payload: Buffer;
  payloadType: string;
  signer: BundleSigner;
}

const EMPTY_TRUSTED_ROOT = TrustedRoot.fromJSON({
  mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
  tlogs: [],
  certificateAuthorities: [],
  ctlogs: [],
  timestampAuthorities: [],
});

/** Parses untrusted JSON into a bundle; anything that is not a valid Sigstore bundle is CORRUPT. */
export function parseBundle(json: unknown, file: string): Bundle {
  try {
    return bundleFromJSON(json);
  } catch (error) {
    throw new VerificationFailure('CORRUPT', `not a valid Sigstore bundle (${describeError(error)})`, {
      file,
      cause: error,
    });
  }
}

/**
 * Verifies a DSSE bundle's signature over its payload with a trusted public key.
 * Does not look inside the payload: schema, chain and subjects are the callers' to check.
 */
export function verifyKeySignedBundle(json: unknown, trust: BundleTrust, file: string): VerifiedBundle {
  const bundle = parseBundle(json, file);
  if (bundle.content.$case !== 'dsseEnvelope') {
    throw new VerificationFailure('CORRUPT', 'holds a message signature, not a DSSE envelope with a statement', { file });
  }
  const material = bundle.verificationMaterial.content;
  if (material.$case !== 'publicKey') {
    throw new VerificationFailure(
      'UNKNOWN_SIGNER',
      'is signed with a certificate (keyless); verify it with a trusted root and a certificate identity',
      { file },
    );
  }
  const hint = material.publicKey.hint;
  const key = trust.keys.get(hint);
  if (!key) {
    throw new VerificationFailure('UNKNOWN_SIGNER', `is signed by key ${hint || '(no hint)'}, which is not trusted`, {
      file,
      fix: 'pass the signer\'s public key with --key, if you trust it',
    });
  }
  const trustMaterial = toTrustMaterial(EMPTY_TRUSTED_ROOT, (candidate) => {
    if (candidate !== hint) throw new VerificationFailure('UNKNOWN_SIGNER', `unexpected key hint ${candidate}`, { file });
    return { publicKey: key, validFor: () => true };
  });
  const verifier = new Verifier(trustMaterial, { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 });
  try {
    verifier.verify(toSignedEntity(bundle), {} as VerificationPolicy);
  } catch (error) {
    throw new VerificationFailure(
      'BAD_SIGNATURE',
      'signature does not verify: the statement or the signature was changed after signing',
      { file, cause: error },
    );
  }
  const envelope = bundle.content.dsseEnvelope;
  return {
    bundle,
    payload: Buffer.from(envelope.payload),
    payloadType: envelope.payloadType,
    signer: { kind: 'key', keyHint: hint },
  };
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
