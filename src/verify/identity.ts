/**
 * Who signed a bundle, and the identity policy a certificate signer is checked against
 * (`--certificate-identity`, `--signer-repo`, … as cosign and `gh attestation verify` spell them).
 */
import { LedgerError, describeError } from '../errors.js';
import { VerificationFailure } from './problems.js';

/** GitHub Actions' OIDC issuer: the default for --signer-repo / --signer-workflow, as in `gh attestation verify`. */
export const GITHUB_ACTIONS_ISSUER = 'https://token.actions.githubusercontent.com';

/**
 * Who must have signed a certificate-signed bundle. Every field given must hold.
 * - `identity`: the certificate's SAN, exactly (`--certificate-identity`).
 * - `identityRegexp`: a regular expression the SAN must match (`--certificate-identity-regexp`);
 *   unanchored, as cosign and sigstore-go match it: write `^…$` to pin the whole SAN.
 * - `issuer`: the OIDC issuer in the certificate, exactly (`--certificate-oidc-issuer`).
 * - `signerRepo`: OWNER/REPO of the workflow that signed (`gh attestation verify --signer-repo`):
 *   the certificate's Build Signer URI (the SAN for GitHub Actions) is in that repository. For a
 *   reusable workflow this is the called workflow's repository, not the caller's.
 * - `signerWorkflow`: [HOST/]OWNER/REPO/PATH of that workflow (`--signer-workflow`), at any ref.
 * Without `issuer`, `signerRepo`/`signerWorkflow` imply GitHub Actions' issuer.
 */
export interface IdentityPolicy {
  identity?: string;
  identityRegexp?: string;
  issuer?: string;
  signerRepo?: string;
  signerWorkflow?: string;
}

export type SignedByKey = { kind: 'key'; keyHint: string };
export type SignedByCertificate = {
  kind: 'certificate';
  /** The certificate's SAN: for GitHub Actions, the workflow URI with its ref. */
  identity: string;
  /** The OIDC issuer that vouched for the identity. */
  issuer: string;
  /** Fulcio's certificate extensions by name (sourceRepositoryURI, buildSignerURI, runnerEnvironment, …). */
  extensions: Record<string, string>;
  /**
   * Hint of the certificate's (short-lived) key. It names the key, not the signer: compare
   * `identity` and `issuer` to tell whether two records have the same signer.
   */
  keyHint: string;
};
export type BundleSigner = SignedByKey | SignedByCertificate;

/** An identity policy checked for completeness, its regexp compiled, its issuer filled in. */
export interface ResolvedPolicy extends IdentityPolicy {
  issuer: string;
  pattern?: RegExp;
  workflow?: { prefix: string; path: string };
}

/** Checks an identity policy is complete and well-formed; fills GitHub's issuer for signer repo/workflow. */
export function resolvePolicy(policy: IdentityPolicy, file?: string): ResolvedPolicy {
  const usage = (message: string, fix: string): never => {
    throw new LedgerError('USAGE', message, { ...(file === undefined ? {} : { file }), fix });
  };
  const { identity, identityRegexp, signerRepo, signerWorkflow } = policy;
  if (identity !== undefined && identityRegexp !== undefined) {
    usage('--certificate-identity and --certificate-identity-regexp exclude each other', 'give one of them');
  }
  if (
    identity === undefined &&
    identityRegexp === undefined &&
    signerRepo === undefined &&
    signerWorkflow === undefined
  ) {
    usage(
      'is signed with a certificate, and no identity was given to check it against: any signer would pass',
      'pass --certificate-identity (or --certificate-identity-regexp) with --certificate-oidc-issuer, or --signer-repo / --signer-workflow',
    );
  }
  let issuer = policy.issuer;
  if (issuer === undefined) {
    if (signerRepo === undefined && signerWorkflow === undefined) {
      usage(
        'a certificate identity needs its OIDC issuer',
        'add --certificate-oidc-issuer URL (GitHub Actions: https://token.actions.githubusercontent.com)',
      );
    }
    issuer = GITHUB_ACTIONS_ISSUER;
  }
  const resolved: ResolvedPolicy = { ...policy, issuer };
  if (identityRegexp !== undefined) {
    try {
      resolved.pattern = new RegExp(identityRegexp);
    } catch (error) {
      usage(
        `--certificate-identity-regexp is not a regular expression (${describeError(error)})`,
        'fix the expression',
      );
    }
  }
  if (signerRepo !== undefined && !/^[\w.-]+\/[\w.-]+$/.test(signerRepo)) {
    usage(
      `--signer-repo ${JSON.stringify(signerRepo)} is not OWNER/REPO`,
      'write it as OWNER/REPO, e.g. sigstore/sigstore-js',
    );
  }
  if (signerWorkflow !== undefined) {
    const segments = signerWorkflow.split('/').filter((segment) => segment !== '');
    const host = segments[0]?.includes('.') ? (segments.shift() as string) : 'github.com';
    const [owner, repo, ...path] = segments;
    if (!owner || !repo || path.length === 0) {
      usage(
        `--signer-workflow ${JSON.stringify(signerWorkflow)} is not [HOST/]OWNER/REPO/PATH`,
        'write it as OWNER/REPO/.github/workflows/FILE.yml',
      );
    }
    resolved.workflow = { prefix: `https://${host}/${owner}/${repo}/`, path: path.join('/') };
  }
  return resolved;
}

/** Checks a verified certificate signer against the policy; the message says who signed and who was expected. */
export function checkIdentity(signer: SignedByCertificate, policy: ResolvedPolicy, file: string): void {
  const fail = (message: string): never => {
    throw new VerificationFailure('IDENTITY_MISMATCH', message, { file });
  };
  const san = signer.identity || '(no identity)';
  if (policy.identity !== undefined && signer.identity !== policy.identity) {
    fail(`signed by ${san}, expected ${policy.identity}`);
  }
  if (policy.pattern && !policy.pattern.test(signer.identity)) {
    fail(`signed by ${san}, which does not match ${policy.identityRegexp ?? ''}`);
  }
  if (signer.issuer !== policy.issuer) {
    fail(`signed by ${san} with OIDC issuer ${signer.issuer || '(none)'}, expected issuer ${policy.issuer}`);
  }
  // As `gh attestation verify`: the signing workflow is the Build Signer URI, which for GitHub
  // Actions is also the SAN (certificates from before that extension only have the SAN).
  const workflow = signer.extensions.buildSignerURI ?? signer.identity;
  if (policy.signerRepo !== undefined) {
    const prefix = `https://github.com/${policy.signerRepo}/`;
    if (!workflow.toLowerCase().startsWith(prefix.toLowerCase())) {
      fail(`signed by ${workflow}, expected a workflow in repository ${policy.signerRepo}`);
    }
  }
  if (policy.workflow) {
    const { prefix, path } = policy.workflow;
    const [base = ''] = workflow.split('@');
    if (!base.toLowerCase().startsWith(prefix.toLowerCase()) || base.slice(prefix.length) !== path) {
      fail(`signed by ${workflow}, expected workflow ${prefix}${path}@…`);
    }
  }
}
