import { LedgerError, type LedgerErrorOptions } from '../errors.js';

/**
 * What can be wrong with a record or a ledger; callers and tests branch on these. A list, not only
 * a type, so a test can hold every code to a case that produces it: a new code without one fails.
 */
export const PROBLEM_CODES = [
  'CORRUPT', // not a readable Sigstore bundle
  'BAD_SIGNATURE', // the signature does not verify over the payload
  'UNKNOWN_SIGNER', // signed by a key or identity not trusted
  'SIGNER_CHANGED', // signed by a trusted party other than the pinned one
  'SCHEMA', // the statement does not match the record schema
  'MISNAMED', // the file name disagrees with the record inside (renamed, reordered)
  'ORIGIN', // the record belongs to another ledger
  'FIRST_RECORD', // the chain does not start with index 0 and previous null
  'GAP', // an index is missing
  'FORK', // two records claim the same place in the chain
  'BROKEN_LINK', // previous.statementSha256 does not match the record before
  'EDITED', // previous.bundleSha256 does not match the stored bundle before
  'ARTIFACT_MISSING', // a subject file is absent from --artifacts
  'ARTIFACT_MISMATCH', // a subject file's digest differs from the record
  'IDENTITY_MISMATCH', // a certificate's identity (SAN, issuer, signer repository/workflow) is not the one expected
  'SUBJECT_MISMATCH', // the artifact is not what the bundle signs (statement subject or message digest)
  'UNTRUSTED', // certificate chain, SCT, timestamp or log inclusion does not verify against the trusted root
  'TLOG_MISMATCH', // the transparency-log entry records a different signature or artifact than the bundle holds
  'POLICY_VIOLATION', // a record breaks an enforced rule of the policy given to verify
  'TRUNCATED', // a checkpoint covers more records than the ledger holds: its newest records were removed
  'INCONSISTENT', // the ledger does not extend a checkpoint: history below it was rewritten, replaced or forked
  'TREE', // a record's claim of the tree before it does not match the records before it
  'CHECKPOINT', // a checkpoint is malformed or not signed by the ledger's key
  'UNWITNESSED', // the witness cosignatures asked for are missing, invalid or too old
] as const;

export type ProblemCode = (typeof PROBLEM_CODES)[number];

export interface Problem {
  code: ProblemCode;
  /** Chain index of the record concerned, when known. */
  index: number | null;
  /** Stored file or asset name of the record concerned. */
  file: string | null;
  message: string;
}

/** Thrown when a single bundle fails verification; ledger verification turns it into a Problem. */
export class VerificationFailure extends LedgerError {
  readonly problem: ProblemCode;
  constructor(problem: ProblemCode, message: string, options: LedgerErrorOptions = {}) {
    super('VERIFICATION_FAILED', message, options);
    this.name = 'VerificationFailure';
    this.problem = problem;
  }
}
