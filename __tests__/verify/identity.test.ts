/**
 * Checking a certificate signer against an identity policy (identity.ts): the refusal names who
 * signed and what was expected, and says so when the certificate carries no identity or issuer.
 */
import { describe, expect, it } from '@jest/globals';

import {
  GITHUB_ACTIONS_ISSUER,
  checkIdentity,
  resolvePolicy,
  type SignedByCertificate,
} from '../../src/verify/identity.js';
import { VerificationFailure } from '../../src/verify/problems.js';

const RELEASE = 'https://github.com/acme/model/.github/workflows/release.yml@refs/heads/main';

function signer(overrides: Partial<SignedByCertificate>): SignedByCertificate {
  return {
    kind: 'certificate',
    identity: RELEASE,
    issuer: GITHUB_ACTIONS_ISSUER,
    extensions: {},
    keyHint: 'ab'.repeat(32),
    ...overrides,
  };
}

function mismatch(who: SignedByCertificate, policy: Parameters<typeof resolvePolicy>[0]): string {
  try {
    checkIdentity(who, resolvePolicy(policy), 'r.json');
  } catch (error) {
    expect(error).toBeInstanceOf(VerificationFailure);
    expect((error as VerificationFailure).problem).toBe('IDENTITY_MISMATCH');
    return (error as Error).message;
  }
  throw new Error('the identity matched');
}

describe('checkIdentity', () => {
  it('says a certificate without an identity has none', () => {
    expect(mismatch(signer({ identity: '' }), { identity: RELEASE, issuer: GITHUB_ACTIONS_ISSUER })).toBe(
      `r.json: signed by (no identity), expected ${RELEASE}`,
    );
  });

  it('says a certificate without an OIDC issuer has none', () => {
    expect(mismatch(signer({ issuer: '' }), { identity: RELEASE, issuer: GITHUB_ACTIONS_ISSUER })).toBe(
      `r.json: signed by ${RELEASE} with OIDC issuer (none), expected issuer ${GITHUB_ACTIONS_ISSUER}`,
    );
  });

  it('takes the workflow from the Build Signer URI over the SAN, as gh attestation verify does', () => {
    const reusable = 'https://github.com/acme/shared/.github/workflows/sign.yml@refs/tags/v1';
    const called = signer({ extensions: { buildSignerURI: reusable } });
    expect(() =>
      checkIdentity(
        called,
        resolvePolicy({ signerWorkflow: 'acme/shared/.github/workflows/sign.yml' }),
        'r.json',
      ),
    ).not.toThrow();
    expect(mismatch(called, { signerRepo: 'acme/model' })).toBe(
      `r.json: signed by ${reusable}, expected a workflow in repository acme/model`,
    );
  });
});

describe('resolvePolicy', () => {
  it('names the file a bundle was read from in its usage errors', () => {
    let failure: unknown;
    try {
      resolvePolicy({ identity: RELEASE }, 'r.json');
    } catch (error) {
      failure = error;
    }
    expect(failure).toMatchObject({
      code: 'USAGE',
      file: 'r.json',
      fix: 'add --certificate-oidc-issuer URL (GitHub Actions: https://token.actions.githubusercontent.com)',
    });
    expect((failure as Error).message).toMatch(/^r\.json: a certificate identity needs its OIDC issuer — /);
  });
});
