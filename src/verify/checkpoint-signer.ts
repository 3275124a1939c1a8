/**
 * Whose key signs a keyless ledger's checkpoints. A keyless signer has no long-lived key: each
 * checkpoint note is signed with a short-lived Fulcio key, and the Sigstore bundle stored beside
 * it (a message signature over the note's body) proves that key belonged to the ledger's pinned
 * identity at the time of signing. The note's signature is then checked with the certificate's key.
 */
import { X509Certificate, type KeyObject } from 'node:crypto';

import { parseNote } from '../checkpoint/note.js';
import { LedgerError } from '../errors.js';
import type { StoredCheckpoint } from '../store/types.js';
import { verifyBundle, type BundleTrust } from './bundle.js';

export type CheckpointSignerResult = { key: KeyObject } | { problem: string };

/**
 * The certificate key of a keyless checkpoint, once its bundle verifies against the trusted root
 * and the identity the ledger is pinned to; otherwise what is wrong, for a CHECKPOINT problem.
 */
export function keylessCheckpointKey(stored: StoredCheckpoint, trust: BundleTrust): CheckpointSignerResult {
  const bundleFile = `${stored.uri}.sigstore.json`;
  if (stored.bundle === undefined) {
    return {
      problem: `the ledger's checkpoint ${stored.uri} has no signature bundle (${bundleFile}): nothing ties its signature to the ledger's signer`,
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(stored.bundle);
  } catch {
    return { problem: `${bundleFile} is not JSON: it cannot prove who signed checkpoint ${stored.uri}` };
  }
  let body: string;
  try {
    body = parseNote(stored.text, stored.uri).text;
  } catch (error) {
    if (!(error instanceof LedgerError)) throw error;
    return { problem: `the ledger's checkpoint ${stored.uri} is malformed: ${error.message}` };
  }
  try {
    const verified = verifyBundle(json, trust, bundleFile, {
      kind: 'bytes',
      bytes: Buffer.from(body, 'utf8'),
    });
    if (verified.content !== 'messageSignature' || verified.signer.kind !== 'certificate') {
      return { problem: `${bundleFile} is not a keyless signature of checkpoint ${stored.uri}` };
    }
    const certificate = certificateOf(verified.bundle.verificationMaterial.content);
    if (!certificate) return { problem: `${bundleFile} holds no certificate` };
    return { key: new X509Certificate(certificate).publicKey };
  } catch (error) {
    // VerificationFailure is a LedgerError: a bundle that does not verify, or cannot be checked.
    if (error instanceof LedgerError) {
      return {
        problem: `the signature bundle of checkpoint ${stored.uri} does not verify: ${error.message}`,
      };
    }
    throw error;
  }
}

function certificateOf(
  content:
    | { $case: 'x509CertificateChain'; x509CertificateChain: { certificates: { rawBytes: Buffer }[] } }
    | { $case: 'certificate'; certificate: { rawBytes: Buffer } }
    | { $case: string },
): Buffer | undefined {
  if (content.$case === 'certificate' && 'certificate' in content) return content.certificate.rawBytes;
  if (content.$case === 'x509CertificateChain' && 'x509CertificateChain' in content) {
    return content.x509CertificateChain.certificates[0]?.rawBytes;
  }
  return undefined;
}
