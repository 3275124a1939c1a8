import { resolve } from 'node:path';

import { LedgerError } from '../errors.js';
import type { LoadedTrustedRoot } from '../sign/trusted-root.js';
import type { IdentityPolicy } from '../verify/identity.js';
import type { OptionSpec } from './args.js';
import type { CommandContext } from './output.js';

/** Flags that say who must have signed and which Sigstore trusted root to check them with. */
export const TRUST_OPTIONS = {
  'certificate-identity': { type: 'string' },
  'certificate-identity-regexp': { type: 'string' },
  'certificate-oidc-issuer': { type: 'string' },
  'signer-repo': { type: 'string' },
  'signer-workflow': { type: 'string' },
  'trusted-root': { type: 'string' },
  'tuf-mirror-url': { type: 'string' },
  'tuf-root': { type: 'string' },
} as const satisfies OptionSpec;

export const TRUST_HELP = `  --certificate-identity ID          the signing certificate's identity (SAN), exactly
  --certificate-identity-regexp RE   a regular expression the SAN must match (unanchored, as in
                                     cosign: write ^…$ to pin the whole identity)
  --certificate-oidc-issuer URL      the OIDC issuer in the certificate, exactly
  --signer-repo OWNER/REPO           the signing workflow is in this repository (as gh attestation)
  --signer-workflow OWNER/REPO/PATH  the signing workflow is this file, at any ref
  --trusted-root FILE                Sigstore trusted root (trusted_root.json): verify offline
  --tuf-mirror-url URL               fetch the trusted root through this TUF repository
                                     (default: the public-good instance's)
  --tuf-root FILE                    that repository's initial root.json`;

type TrustValues = { [K in keyof typeof TRUST_OPTIONS]?: string };

/** The identity policy the flags give; empty when none was given. */
export function identityFromFlags(values: TrustValues): IdentityPolicy {
  return {
    ...(values['certificate-identity'] === undefined ? {} : { identity: values['certificate-identity'] }),
    ...(values['certificate-identity-regexp'] === undefined
      ? {}
      : { identityRegexp: values['certificate-identity-regexp'] }),
    ...(values['certificate-oidc-issuer'] === undefined ? {} : { issuer: values['certificate-oidc-issuer'] }),
    ...(values['signer-repo'] === undefined ? {} : { signerRepo: values['signer-repo'] }),
    ...(values['signer-workflow'] === undefined ? {} : { signerWorkflow: values['signer-workflow'] }),
  };
}

/** Loads the trusted root the flags name: a file (offline), else through TUF (online). */
export function trustedRootLoader(
  values: TrustValues,
  context: CommandContext,
  command: string,
): () => Promise<LoadedTrustedRoot> {
  if (
    values['trusted-root'] !== undefined &&
    (values['tuf-mirror-url'] !== undefined || values['tuf-root'] !== undefined)
  ) {
    throw new LedgerError('USAGE', '--trusted-root and --tuf-mirror-url/--tuf-root exclude each other', {
      field: command,
      fix: 'give a trusted root file to verify offline, or a TUF repository to fetch it from',
    });
  }
  const file = values['trusted-root'];
  // The trusted-root module (and the Sigstore verifier it checks roots with) is loaded only when a
  // keyless record asks for a root: a key-signed ledger's read commands never need it.
  const load = () => import('../sign/trusted-root.js');
  if (file !== undefined) return async () => (await load()).loadTrustedRootFile(resolve(context.cwd, file));
  return async () =>
    (await load()).fetchTrustedRoot(
      {
        ...(values['tuf-mirror-url'] === undefined ? {} : { mirrorUrl: values['tuf-mirror-url'] }),
        ...(values['tuf-root'] === undefined ? {} : { rootPath: resolve(context.cwd, values['tuf-root']) }),
      },
      context.env,
    );
}
