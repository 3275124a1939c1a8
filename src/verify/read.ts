import { LedgerError } from '../errors.js';
import { sha256Hex } from '../hash/file.js';
import { DSSE_PAYLOAD_TYPE, type Statement } from '../record/predicate.js';
import { assertValidStatement } from '../record/schema.js';
import type { RecordRef, Store } from '../store/types.js';
import { verifyBundle, type BundleTrust } from './bundle.js';
import { type BundleSigner } from './identity.js';
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

/** Parses a stored file's bytes as JSON; a file that is not JSON is CORRUPT. */
export function parseBundleJson(bytes: Buffer, file: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch (error) {
    throw new VerificationFailure('CORRUPT', 'is not valid JSON (truncated or edited)', {
      file,
      cause: error,
    });
  }
}

/** Decodes a signed payload as a statement and checks it against the record schema. */
export function decodeStatement(payload: Buffer, payloadType: string, file: string): Statement {
  if (payloadType !== DSSE_PAYLOAD_TYPE) {
    throw new VerificationFailure(
      'SCHEMA',
      `payload type is "${payloadType}", expected "${DSSE_PAYLOAD_TYPE}"`,
      { file },
    );
  }
  let statement: unknown;
  try {
    statement = JSON.parse(payload.toString('utf8'));
  } catch (error) {
    throw new VerificationFailure('SCHEMA', 'the signed payload is not JSON', { file, cause: error });
  }
  try {
    assertValidStatement(statement, file);
  } catch (error) {
    if (error instanceof LedgerError)
      throw new VerificationFailure('SCHEMA', error.message, { cause: error });
    throw error;
  }
  return statement;
}

/** Verifies a stored record's bundle and decodes its statement. Throws VerificationFailure naming the file. */
export function verifyRecordBytes(bytes: Buffer, ref: RecordRef, trust: BundleTrust): VerifiedRecord {
  const verified = verifyBundle(parseBundleJson(bytes, ref.name), trust, ref.name);
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
