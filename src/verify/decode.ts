/** A stored record's bytes decoded without verifying them: the bundle JSON, the statement it signs. */
import { LedgerError } from '../errors.js';
import { DSSE_PAYLOAD_TYPE, type Statement } from '../record/predicate.js';
import { assertValidStatement } from '../record/schema.js';
import { VerificationFailure } from './problems.js';

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
