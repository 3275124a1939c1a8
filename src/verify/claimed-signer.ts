/**
 * How a stored bundle says it was signed, read without trusting it: for display, for choosing the
 * trust a ledger is verified with, and for deciding what may be cached. Trust comes from
 * verification (bundle.ts), which this module does not load.
 */
import type { Bundle } from '@sigstore/bundle';
import { X509Certificate } from '@sigstore/core';

import { parseBundle } from './bundle-parse.js';
import { certificateExtensions } from './certificate.js';
import { parseBundleJson } from './decode.js';

/** How a stored bundle says it was signed, read without trusting it: trust comes from verification. */
export type ClaimedSigner =
  { kind: 'key'; keyHint: string } | { kind: 'certificate'; identity: string; issuer: string };

/** A stored bundle read without verifying it: the bundle (null when it is not a valid one) and who it says signed it. */
export interface StoredBundle {
  bundle: Bundle | null;
  claim: ClaimedSigner | null;
}

/** Parses a stored bundle once for everything read from it before (or instead of) verification. */
export function readStoredBundle(bytes: Buffer, file: string): StoredBundle {
  let bundle: Bundle;
  try {
    bundle = parseBundle(parseBundleJson(bytes, file), file);
  } catch {
    return { bundle: null, claim: null }; // verification reports the corrupt record
  }
  return { bundle, claim: claimOf(bundle) };
}

/** How a stored bundle says it was signed, read without verifying it (null when unreadable). */
export function claimedSigner(bytes: Buffer, file: string): ClaimedSigner | null {
  return readStoredBundle(bytes, file).claim;
}

function claimOf(bundle: Bundle): ClaimedSigner | null {
  const content = bundle.verificationMaterial.content;
  if (content.$case === 'publicKey') return { kind: 'key', keyHint: content.publicKey.hint };
  const raw =
    content.$case === 'certificate'
      ? content.certificate.rawBytes
      : content.$case === 'x509CertificateChain'
        ? content.x509CertificateChain.certificates[0]?.rawBytes
        : undefined;
  if (!raw) return null;
  try {
    const certificate = X509Certificate.parse(Buffer.from(raw));
    return {
      kind: 'certificate',
      identity: certificate.subjectAltName ?? '',
      issuer: certificateExtensions(certificate).issuer ?? '',
    };
  } catch {
    return null;
  }
}
