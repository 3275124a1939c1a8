/** What @sigstore/verify throws, as a VerificationFailure with a problem code a reviewer can act on. */
import type { Bundle } from '@sigstore/bundle';
import { PolicyError, VerificationError } from '@sigstore/verify';

import { LedgerError, describeError } from '../errors.js';
import { VerificationFailure } from './problems.js';

/**
 * Turns what @sigstore/verify threw into a VerificationFailure a reviewer can act on. Our own
 * errors pass through: a LedgerError from inside (a digest-only artifact with an Ed25519 key)
 * means verification could not be carried out, not that it failed.
 */
export function explainFailure(error: unknown, bundle: Bundle, file: string): LedgerError {
  if (error instanceof LedgerError) return error;
  const detail = detailOf(error);
  const options = { file, cause: error };
  if (error instanceof PolicyError) return new VerificationFailure('IDENTITY_MISMATCH', detail, options);
  if (!(error instanceof VerificationError)) {
    return new VerificationFailure(
      'CORRUPT',
      `is malformed: verification stopped at an unexpected value (${detail})`,
      options,
    );
  }
  switch (error.code) {
    case 'SIGNATURE_ERROR':
      return new VerificationFailure(
        'BAD_SIGNATURE',
        bundle.content.$case === 'dsseEnvelope'
          ? 'signature does not verify: the statement or the signature was changed after signing'
          : 'signature does not verify over the artifact: the artifact or the signature was changed after signing',
        options,
      );
    case 'TLOG_BODY_ERROR':
      return new VerificationFailure(
        'TLOG_MISMATCH',
        `the transparency-log entry does not match this bundle (${detail}): the bundle was changed after it was logged, or pairs a log entry with another signature`,
        options,
      );
    case 'TLOG_INCLUSION_PROOF_ERROR':
    case 'TLOG_INCLUSION_PROMISE_ERROR':
    case 'TLOG_MISSING_INCLUSION_ERROR':
      return new VerificationFailure(
        'UNTRUSTED',
        `its transparency-log inclusion does not verify against the trusted root (${detail})`,
        options,
      );
    case 'TLOG_ERROR':
      return new VerificationFailure(
        'UNTRUSTED',
        `has no transparency-log entry, but the trusted root's Sigstore instance logs every signature (${detail})`,
        options,
      );
    case 'CERTIFICATE_ERROR':
      return new VerificationFailure(
        'UNTRUSTED',
        /\bSCT/.test(detail)
          ? `the signing certificate's transparency proof (SCT) does not verify against the trusted root's CT logs (${detail})`
          : `the signing certificate is not trusted (${detail}): issued by another Sigstore instance, or not valid at the time of signing`,
        options,
      );
    case 'TIMESTAMP_ERROR':
      return new VerificationFailure(
        'UNTRUSTED',
        `no trusted timestamp proves when it was signed (${detail})`,
        options,
      );
    case 'PUBLIC_KEY_ERROR':
      return new VerificationFailure('UNKNOWN_SIGNER', `the signing key is not trusted (${detail})`, options);
    default:
      return new VerificationFailure('UNTRUSTED', detail, options);
  }
}

function detailOf(error: unknown): string {
  const message = describeError(error);
  const cause = error instanceof Error ? error.cause : undefined;
  return cause === undefined ? message : `${message}: ${detailOf(cause)}`;
}
