import { resolve } from 'node:path';

import { LedgerError } from '../errors.js';
import { loadAnyPublicKey, readInput } from './input-files.js';
import { identityFromFlags, TRUST_OPTIONS, trustedRootLoader } from './trust-options.js';
import { type VerifiedBundle } from '../verify/bundle.js';
import { resolvePolicy } from '../verify/identity.js';
import { verifyArtifact, type VerifiedArtifactBundle } from '../verify/verify-artifact.js';
import { VerificationFailure } from '../verify/problems.js';
import { COMMON_OPTIONS, parseCommandArgs } from './args.js';
import type { Command, Output } from './output.js';

export const VERIFY_BUNDLE_HELP = `Usage: model-ledger verify-bundle --bundle FILE
           (--certificate-identity ID | --certificate-identity-regexp RE) --certificate-oidc-issuer URL
           [--signer-repo OWNER/REPO] [--signer-workflow [HOST/]OWNER/REPO/PATH]
           [--trusted-root FILE | --tuf-mirror-url URL [--tuf-root FILE]] [--json] FILE_OR_DIGEST
       model-ledger verify-bundle --bundle FILE --key PUB.PEM [--trusted-root FILE] FILE_OR_DIGEST

Verifies one Sigstore bundle (v0.1, v0.2, v0.3; message signature or DSSE) against an artifact,
as cosign verify-blob and gh attestation verify do; implements the sigstore-conformance client
protocol. FILE_OR_DIGEST is the artifact, or its digest written sha256:<64 hex>. For a DSSE
bundle the artifact must be a subject of the signed in-toto statement. A .jsonl file of bundles
(one per line, as gh attestation download writes) passes when every bundle verifies.

Options:
  --bundle FILE                      the bundle to verify
  --certificate-identity ID          the signing certificate's identity (SAN), exactly
  --certificate-identity-regexp RE   a regular expression the SAN must match (unanchored, as in
                                     cosign: write ^...$ to pin all of it)
  --certificate-oidc-issuer URL      the OIDC issuer in the certificate, exactly
  --signer-repo OWNER/REPO           the signing workflow is in this repository (as gh attestation
                                     verify --signer-repo; for a reusable workflow, its repository)
  --signer-workflow OWNER/REPO/PATH  the signing workflow is this file, at any ref
                                     (with --signer-repo/--signer-workflow the issuer defaults to
                                     https://token.actions.githubusercontent.com)
  --key PUB.PEM                      verify a key-signed bundle with this public key instead
  --trusted-root FILE                Sigstore trusted root (trusted_root.json): verify offline
  --tuf-mirror-url URL               fetch the trusted root through this TUF repository
                                     (default: the public-good instance's; cached under
                                     $XDG_CACHE_HOME/model-ledger/tuf)
  --tuf-root FILE                    that repository's initial root.json (needed for any
                                     repository but the public-good one)
  --json                             print the result as JSON
Exit status: 0 verified; 1 verification failed (the reason on one line); 2 bad usage or an
unreadable input (bundle file, artifact, key, trusted root).
A bundle file that is not a valid bundle (malformed JSON, unknown version, missing fields) fails
verification (1): it is the thing under test, and what it holds does not verify.`;

const OPTIONS = {
  ...COMMON_OPTIONS,
  bundle: { type: 'string' },
  ...TRUST_OPTIONS,
  key: { type: 'string' },
} as const;

function usage(message: string, fix = 'see `model-ledger verify-bundle --help`'): LedgerError {
  return new LedgerError('USAGE', message, { field: 'verify-bundle', fix });
}

export const verifyBundleCommand: Command = async (argv, context) => {
  const { values, positionals } = parseCommandArgs('verify-bundle', argv, OPTIONS, 1);
  if (values.help) {
    context.output.out(VERIFY_BUNDLE_HELP);
    return 0;
  }
  if (values.bundle === undefined) throw usage('--bundle FILE is required');
  const target = positionals[0];
  if (target === undefined) throw usage('the artifact to verify (FILE_OR_DIGEST) is missing');
  const identity = identityFromFlags(values);
  if (values.key !== undefined && Object.keys(identity).length > 0) {
    throw usage(
      '--key and the certificate identity options exclude each other',
      'give --key for a key-signed bundle, or an identity for a certificate',
    );
  }
  if (values.key === undefined) resolvePolicy(identity);
  const loadTrustedRoot = trustedRootLoader(values, context, 'verify-bundle');
  const bundleFile = values.bundle;
  const key =
    values.key === undefined
      ? undefined
      : await loadAnyPublicKey(resolve(context.cwd, values.key), values.key);
  let results: VerifiedArtifactBundle[];
  try {
    results = await verifyArtifact({
      bundle: await readInput(resolve(context.cwd, bundleFile), bundleFile, 'bundle'),
      bundleFile,
      artifact: target,
      artifactPath: resolve(context.cwd, target),
      ...(key ? { key } : { identity }),
      loadTrustedRoot: async () => (await loadTrustedRoot()).json,
      trustedRootGiven: values['trusted-root'] !== undefined,
    });
  } catch (error) {
    if (values.json && error instanceof VerificationFailure) {
      context.output.out(
        JSON.stringify(
          { ok: false, bundle: bundleFile, problem: error.problem, message: error.message },
          null,
          2,
        ),
      );
    }
    throw error;
  }
  if (values.json) {
    context.output.out(
      JSON.stringify(
        {
          ok: true,
          bundle: bundleFile,
          artifact: target,
          results: results.map(({ label, verified }) => summary(label, verified)),
        },
        null,
        2,
      ),
    );
  } else {
    for (const { label, verified } of results) report(label, verified, context.output);
  }
  return 0;
};

function signerText(verified: VerifiedBundle): string {
  const { signer } = verified;
  if (signer.kind === 'key') return `signed by key ${signer.keyHint.slice(0, 16)}…`;
  return `signed by ${signer.identity} (issuer ${signer.issuer})`;
}

function report(label: string, verified: VerifiedBundle, output: Output): void {
  const times = verified.timestamps.map(
    (timestamp) => `${timestamp.time.toISOString()} (${timestamp.source})`,
  );
  const what =
    verified.content === 'dsseEnvelope'
      ? `statement subject ${verified.subject?.name || '(unnamed)'}`
      : `${verified.messageDigest.algorithm}:${verified.messageDigest.hex.slice(0, 12)}…`;
  output.out(
    `ok: ${label}: ${signerText(verified)}${times.length > 0 ? ` at ${times.join(', ')}` : ''}; artifact matches ${what}`,
  );
}

function summary(label: string, verified: VerifiedBundle): Record<string, unknown> {
  return {
    bundle: label,
    mediaType: verified.mediaType,
    content: verified.content,
    signer: verified.signer,
    timestamps: verified.timestamps.map((timestamp) => ({
      source: timestamp.source,
      time: timestamp.time.toISOString(),
    })),
    ...(verified.content === 'dsseEnvelope'
      ? { payloadType: verified.payloadType, subject: verified.subject }
      : { messageDigest: verified.messageDigest }),
  };
}
