import { LedgerError } from '../errors.js';
import { chooseInstance, type InstanceOptions } from './instance.js';
import { KeySigner } from './key-signer.js';
import { ensureDevelopmentKey, loadPrivateKey, parsePrivateKey } from './keys.js';
import { identityProviderFrom, requireIdentityProvider } from './oidc.js';
import type { Signer } from './types.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * `auto`: keyless when an OIDC token can be had, else the given key, else — only outside CI —
 * a local development key. In CI without either, an error that names the missing permission.
 */
export type SigningChoice = 'auto' | 'key' | 'keyless';

export interface SignerOptions {
  signing?: SigningChoice;
  keyFile?: string;
  keyPem?: string;
  sigstore?: InstanceOptions;
}

export const DEVELOPMENT_KEY_NOTICE =
  'signed with a local development key: these records are for trying model-ledger out, not evidence. Use --key or keyless signing in CI.';

export interface ResolvedSigner {
  signer: Signer;
  notices: string[];
}

export async function resolveSigner(options: SignerOptions, env: Env): Promise<ResolvedSigner> {
  const choice = options.signing ?? 'auto';
  const hasKey = Boolean(options.keyPem || options.keyFile);
  if (choice === 'key' || (choice === 'auto' && hasKey && !identityProviderFrom(env))) {
    if (!hasKey) {
      throw new LedgerError('USAGE', 'key signing needs a key', {
        field: 'signing',
        fix: 'pass --key PEM (or the signing-key input)',
      });
    }
    const key = options.keyPem
      ? parsePrivateKey(options.keyPem, 'signing-key')
      : await loadPrivateKey(options.keyFile as string);
    const tsaUrl = options.sigstore?.tsaUrl;
    return { signer: new KeySigner(key, 'key', tsaUrl), notices: [] };
  }
  if (choice === 'keyless' || identityProviderFrom(env)) {
    const identity = requireIdentityProvider(env);
    const instance = await chooseInstance(options.sigstore ?? {}, env);
    // Loaded here only: Fulcio, Rekor and their HTTP stack cost a key-signed run ~50 ms to evaluate.
    const { KeylessSigner } = await import('./keyless.js');
    return {
      signer: new KeylessSigner({ instance, identity }),
      notices: [
        `signing keyless on the ${instance.name} Sigstore instance (${instance.fulcioUrl}) with the ${identity.source} token`,
      ],
    };
  }
  if (env.CI === 'true' || env.GITHUB_ACTIONS === 'true') {
    // A development key in CI would produce records that look like evidence and are not.
    requireIdentityProvider(env);
  }
  const development = await ensureDevelopmentKey(env);
  const notices = development.created ? [`created a development key at ${development.file} (mode 0600)`] : [];
  notices.push(DEVELOPMENT_KEY_NOTICE);
  return { signer: new KeySigner(development.key, 'development-key'), notices };
}
