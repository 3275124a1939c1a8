/**
 * @sigstore/verify's view of a bundle (its signed entity), adjusted where that library would
 * verify the wrong bytes, and the times of signing the entity proves.
 */
import { createHash, verify as verifySignature } from 'node:crypto';

import type { Bundle } from '@sigstore/bundle';
import { dsse } from '@sigstore/core';
import { toSignedEntity, type SignedEntity } from '@sigstore/verify';

import { describeError } from '../errors.js';
import { messageDigestAlgorithm, verifyPrehashed, type Artifact } from './artifact.js';
import { VerificationFailure } from './problems.js';
import { precheckedSignature } from './signature-precheck.js';

/** A verified time of signing: a log's integrated time (with its promise) or an RFC 3161 timestamp. */
export interface SigningTime {
  source: 'transparency-log' | 'timestamp-authority';
  time: Date;
}

/** @sigstore/verify's view of the bundle, with the two adjustments described inline. */
export function signedEntity(bundle: Bundle, artifact: Artifact | undefined, file: string): SignedEntity {
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
  if (content.$case === 'dsseEnvelope') {
    // A ledger's verification checks signatures ahead on the thread pool (signature-precheck.ts):
    // the answer for this bundle and this key, when there is one, is taken from there.
    entity = withSignature(entity, (base) => ({
      verifySignature: (key) => precheckedSignature(bundle, key) ?? base.verifySignature(key),
    }));
  }
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
    const { bytes } = artifact;
    entity = withSignature(entity, (base) => ({
      verifySignature: (key) =>
        key.asymmetricKeyType === 'ed25519' || key.asymmetricKeyType === 'ed448'
          ? verifySignature(null, bytes, key, base.signature)
          : base.verifySignature(key),
    }));
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
    entity = withSignature(entity, () => ({ compareDigest: (other) => other.equals(paeDigest) }));
  }
  return entity;
}

type SignatureContent = SignedEntity['signature'];

/** The entity with some of its signature's checks replaced; the others still delegate to it. */
function withSignature(
  entity: SignedEntity,
  replace: (base: SignatureContent) => Partial<Omit<SignatureContent, 'signature'>>,
): SignedEntity {
  const base = entity.signature;
  return {
    ...entity,
    signature: {
      signature: base.signature,
      compareSignature: (other) => base.compareSignature(other),
      compareDigest: (other) => base.compareDigest(other),
      verifySignature: (key) => base.verifySignature(key),
      ...replace(base),
    },
  };
}

/** The verified times of signing: log entries with an inclusion promise, and RFC 3161 timestamps. */
export function signingTimes(entity: SignedEntity): SigningTime[] {
  return entity.timestamps.flatMap((timestamp): SigningTime[] => {
    if (timestamp.$case === 'timestamp-authority')
      return [{ source: 'timestamp-authority', time: timestamp.timestamp.signingTime }];
    const { tlogEntry } = timestamp;
    return tlogEntry.inclusionPromise
      ? [{ source: 'transparency-log', time: new Date(Number(tlogEntry.integratedTime) * 1000) }]
      : [];
  });
}
