import type { Bundle } from '@sigstore/bundle';

import { sha256Hex } from '../hash/file.js';
import type { Statement } from '../record/predicate.js';
import type { RecordRef, Store } from '../store/types.js';
import { verifyBundle, verifyParsedBundle, type BundleTrust, type VerifiedBundle } from './bundle.js';
import { type BundleSigner } from './identity.js';
import { decodeStatement, parseBundleJson } from './decode.js';
import { VerificationFailure } from './problems.js';

/** One stored record after its signature and schema were checked. */
export interface VerifiedRecord {
  ref: RecordRef;
  bundleSha256: string;
  statementSha256: string;
  /** The DSSE payload bytes as signed: the record's leaf in the ledger's Merkle tree. */
  payload: Buffer;
  statement: Statement;
  signer: BundleSigner;
}

/** Verifies a stored record's bundle and decodes its statement. Throws VerificationFailure naming the file. */
export function verifyRecordBytes(bytes: Buffer, ref: RecordRef, trust: BundleTrust): VerifiedRecord {
  return verifiedRecord(verifyBundle(parseBundleJson(bytes, ref.name), trust, ref.name), bytes, ref);
}

/** verifyRecordBytes for a record whose bundle was parsed already (from `bytes`). */
export function verifyRecordBundle(
  bundle: Bundle,
  bytes: Buffer,
  ref: RecordRef,
  trust: BundleTrust,
): VerifiedRecord {
  return verifiedRecord(verifyParsedBundle(bundle, trust, ref.name), bytes, ref);
}

function verifiedRecord(verified: VerifiedBundle, bytes: Buffer, ref: RecordRef): VerifiedRecord {
  if (verified.content !== 'dsseEnvelope') {
    throw new VerificationFailure('CORRUPT', 'holds a message signature, not a signed statement', {
      file: ref.name,
    });
  }
  return {
    ref,
    bundleSha256: sha256Hex(bytes),
    statementSha256: sha256Hex(verified.payload),
    payload: verified.payload,
    statement: decodeStatement(verified.payload, verified.payloadType, ref.name),
    signer: verified.signer,
  };
}

/** Reads, verifies and decodes one record. */
export async function readVerifiedRecord(
  store: Store,
  ref: RecordRef,
  trust: BundleTrust,
): Promise<VerifiedRecord> {
  return verifyRecordBytes(await store.get(ref), ref, trust);
}
