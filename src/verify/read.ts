import type { Bundle } from '@sigstore/bundle';

import { sha256Hex } from '../hash/file.js';
import type { Statement } from '../record/predicate.js';
import type { RecordRef, Store } from '../store/types.js';
import { verifyParsedBundle, type BundleTrust, type VerifiedDsseBundle } from './bundle.js';
import { parseBundle } from './bundle-parse.js';
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
  return verifyRecordBundle(parseBundle(parseBundleJson(bytes, ref.name), ref.name), bytes, ref, trust);
}

/** verifyRecordBytes for a record whose bundle was parsed already (from `bytes`). */
export function verifyRecordBundle(
  bundle: Bundle,
  bytes: Buffer,
  ref: RecordRef,
  trust: BundleTrust,
): VerifiedRecord {
  // Before verifying: a message signature cannot be verified without its artifact, and a record
  // file holding one is a corrupt record, not a verification that could not be carried out.
  if (bundle.content.$case !== 'dsseEnvelope') {
    throw new VerificationFailure('CORRUPT', 'holds a message signature, not a signed statement', {
      file: ref.name,
    });
  }
  // What was verified is what the bundle holds: a DSSE envelope.
  const verified = verifyParsedBundle(bundle, trust, ref.name) as VerifiedDsseBundle;
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
