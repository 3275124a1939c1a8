import { readFile } from 'node:fs/promises';

import { LedgerError } from '../errors.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The Sigstore services a keyless signature is made with. */
export interface SigstoreInstance {
  name: 'public-good' | 'github' | 'custom';
  fulcioUrl: string;
  /** Transparency log; absent for GitHub's private instance, which timestamps instead. */
  rekorUrl?: string;
  /** RFC 3161 timestamp authority. */
  tsaUrl?: string;
}

export const PUBLIC_GOOD: SigstoreInstance = {
  name: 'public-good',
  fulcioUrl: 'https://fulcio.sigstore.dev',
  rekorUrl: 'https://rekor.sigstore.dev',
};

export const GITHUB_INSTANCE: SigstoreInstance = {
  name: 'github',
  fulcioUrl: 'https://fulcio.githubapp.com',
  tsaUrl: 'https://timestamp.githubapp.com',
};

export interface InstanceOptions {
  /** Explicit choice; `auto` chooses by repository visibility as actions/attest does. */
  instance?: 'auto' | 'public-good' | 'github';
  fulcioUrl?: string;
  rekorUrl?: string;
  tsaUrl?: string;
}

/**
 * Public repositories sign on the public-good instance (Fulcio + Rekor); private and internal
 * ones on GitHub's instance (Fulcio + TSA, nothing published). Custom URLs replace either.
 */
export async function chooseInstance(options: InstanceOptions, env: Env): Promise<SigstoreInstance> {
  if (options.fulcioUrl) {
    if (!options.rekorUrl && !options.tsaUrl) {
      throw new LedgerError('USAGE', 'a custom Fulcio needs a transparency log or a timestamp authority', {
        field: '--fulcio-url',
        fix: 'add --rekor-url and/or --tsa-url',
      });
    }
    return {
      name: 'custom',
      fulcioUrl: options.fulcioUrl,
      ...(options.rekorUrl ? { rekorUrl: options.rekorUrl } : {}),
      ...(options.tsaUrl ? { tsaUrl: options.tsaUrl } : {}),
    };
  }
  // Stryker disable next-line StringLiteral: any choice but 'public-good' and 'github' is auto
  const choice = options.instance ?? 'auto';
  if (choice === 'public-good') return PUBLIC_GOOD;
  if (choice === 'github') return GITHUB_INSTANCE;
  return (await repositoryVisibility(env)) === 'public' ? PUBLIC_GOOD : GITHUB_INSTANCE;
}

/** The repository's visibility from the workflow's event payload, when there is one. */
export async function repositoryVisibility(env: Env): Promise<string | undefined> {
  const path = env.GITHUB_EVENT_PATH;
  if (!path) return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new LedgerError('BAD_INPUT', 'cannot read the workflow event payload', {
      file: path,
      cause: error,
    });
  }
  const repository = (payload as { repository?: { visibility?: unknown; private?: unknown } } | null)
    ?.repository;
  if (typeof repository?.visibility === 'string') return repository.visibility;
  if (typeof repository?.private === 'boolean') return repository.private ? 'private' : 'public';
  return undefined;
}
