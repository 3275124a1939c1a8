import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';

/**
 * OIDC identity tokens for the loopback Sigstore stack.
 *
 * The mock Fulcio decodes a token without checking its signature, but the tokens minted here are
 * still real ES256 JWTs (signed with a key generated per issuer) so that any code which parses
 * or forwards them sees well-formed tokens.
 */

/** The issuer of GitHub Actions' OIDC tokens: the default `iss` of minted tokens. */
export const DEFAULT_ISSUER = 'https://token.actions.githubusercontent.com';
/**
 * The default `sub`. The mock Fulcio copies `sub` into the certificate's URI SAN, so this is shaped
 * like the SAN real Fulcio gives a GitHub Actions workflow.
 */
export const DEFAULT_SUBJECT =
  'https://github.com/octo-org/octo-repo/.github/workflows/model-ledger.yml@refs/heads/main';
/** The audience Fulcio requires. */
export const SIGSTORE_AUDIENCE = 'sigstore';

/** Claims of a minted token; anything not given gets a default. */
export interface TokenClaims {
  iss?: string;
  sub?: string;
  /** With `email`, the token also carries `email_verified: true` unless that is given explicitly. */
  email?: string;
  email_verified?: boolean;
  aud?: string | string[];
  [claim: string]: unknown;
}

export interface TokenIssuer {
  /** The public half of the signing key (ES256, P-256). */
  readonly publicKey: KeyObject;
  /** A signed JWT: the defaults, then `claims` over them. */
  mint(claims?: TokenClaims): string;
}

/** Mints tokens whose `iat`/`nbf`/`exp` follow `now` (the stack's clock). */
export function createTokenIssuer(now: () => Date): TokenIssuer {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = randomUUID();
  return {
    publicKey,
    mint(claims = {}) {
      const seconds = Math.floor(now().getTime() / 1000);
      const payload: Record<string, unknown> = {
        iss: DEFAULT_ISSUER,
        sub: DEFAULT_SUBJECT,
        aud: SIGSTORE_AUDIENCE,
        iat: seconds,
        nbf: seconds,
        exp: seconds + 600,
        jti: randomUUID(),
        ...claims,
      };
      if (claims.email !== undefined && claims.email_verified === undefined) payload.email_verified = true;
      return signJwt({ alg: 'ES256', typ: 'JWT', kid }, payload, privateKey);
    },
  };
}

/** A compact JWS over `payload` with an EC P-256 key (ES256: raw r||s signature). */
export function signJwt(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  key: KeyObject,
): string {
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  const signature = sign('sha256', Buffer.from(signingInput), { key, dsaEncoding: 'ieee-p1363' });
  return `${signingInput}.${signature.toString('base64url')}`;
}

/** The claims of a JWT, without checking its signature. */
export function decodeJwtClaims(token: string): Record<string, unknown> {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[1] === undefined) throw new Error('not a compact JWT');
  const claims: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) {
    throw new Error('JWT payload is not a JSON object');
  }
  return claims as Record<string, unknown>;
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
