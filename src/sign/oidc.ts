import { LedgerError, describeError } from '../errors.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Where an OIDC identity token for Sigstore comes from; `getToken` is called once per signing. */
export interface IdentityProvider {
  readonly source: string;
  getToken(): Promise<string>;
}

export const MISSING_ID_TOKEN_FIX =
  'add `permissions: id-token: write` to the workflow job, or set SIGSTORE_ID_TOKEN in other CI systems';

/** A token given directly: SIGSTORE_ID_TOKEN in GitLab CI, Buildkite, or any other CI. */
class StaticTokenProvider implements IdentityProvider {
  readonly source = 'SIGSTORE_ID_TOKEN';
  constructor(private readonly token: string) {}
  getToken(): Promise<string> {
    return Promise.resolve(this.token);
  }
}

/** GitHub Actions' OIDC endpoint, asked for a token with audience "sigstore". */
class GitHubActionsTokenProvider implements IdentityProvider {
  readonly source = 'GitHub Actions OIDC';
  constructor(
    private readonly requestUrl: string,
    private readonly requestToken: string,
  ) {}

  async getToken(): Promise<string> {
    const url = new URL(this.requestUrl);
    url.searchParams.set('audience', 'sigstore');
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { Authorization: `bearer ${this.requestToken}`, Accept: 'application/json' },
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      throw new LedgerError(
        'SIGNING',
        `cannot reach the GitHub Actions OIDC endpoint (${describeError(error)})`,
        {
          cause: error,
        },
      );
    }
    if (!response.ok) {
      throw new LedgerError('SIGNING', `the GitHub Actions OIDC endpoint answered ${response.status}`, {
        field: 'ACTIONS_ID_TOKEN_REQUEST_URL',
        fix: MISSING_ID_TOKEN_FIX,
      });
    }
    const body = (await response.json().catch(() => null)) as { value?: unknown } | null;
    if (typeof body?.value !== 'string' || body.value.split('.').length !== 3) {
      throw new LedgerError('SIGNING', 'the GitHub Actions OIDC endpoint did not return a token', {
        field: 'ACTIONS_ID_TOKEN_REQUEST_URL',
      });
    }
    return body.value;
  }
}

/** The identity provider this environment offers, or null when there is none. */
export function identityProviderFrom(env: Env): IdentityProvider | null {
  if (env.SIGSTORE_ID_TOKEN) return new StaticTokenProvider(env.SIGSTORE_ID_TOKEN);
  if (env.ACTIONS_ID_TOKEN_REQUEST_URL && env.ACTIONS_ID_TOKEN_REQUEST_TOKEN) {
    return new GitHubActionsTokenProvider(
      env.ACTIONS_ID_TOKEN_REQUEST_URL,
      env.ACTIONS_ID_TOKEN_REQUEST_TOKEN,
    );
  }
  return null;
}

export function requireIdentityProvider(env: Env): IdentityProvider {
  const provider = identityProviderFrom(env);
  if (provider) return provider;
  const inActions = env.GITHUB_ACTIONS === 'true';
  throw new LedgerError(
    'SIGNING',
    inActions
      ? 'keyless signing needs an OIDC token, and this job has no "id-token" permission'
      : 'keyless signing needs an OIDC identity token, and none was found',
    {
      fix: inActions ? 'add `permissions: id-token: write` to the job' : MISSING_ID_TOKEN_FIX,
    },
  );
}
