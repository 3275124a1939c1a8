/**
 * `signers`: who may sign records. A certificate signer matches an entry by identity (exactly, or
 * a regular expression — unanchored, as cosign's --certificate-identity-regexp: write ^…$) and
 * its OIDC issuer, exactly; a key signer matches an entry's `key-hint` (the
 * hex SHA-256 of the DER public key, as `model-ledger verify --json` shows it).
 */
import type { PolicyResult } from '../../record/predicate.js';
import type { BundleSigner } from '../../verify/identity.js';
import type { SignerPattern, SignersRule } from '../types.js';
import { deferred, failed, passed } from './result.js';

export function evaluateSigners(rule: SignersRule, signer: BundleSigner | undefined): PolicyResult {
  if (!signer) {
    return deferred(
      'signers',
      rule,
      'signed keyless: the signer is known only once Fulcio has issued the certificate, so this rule is checked by `model-ledger verify --policy`',
    );
  }
  const match = rule.allow.find((pattern) => matches(pattern, signer));
  if (match)
    return passed(
      'signers',
      rule,
      `signed by ${describeSigner(signer)}, allowed by ${describePattern(match)}`,
    );
  return failed(
    'signers',
    rule,
    `signed by ${describeSigner(signer)}, which no entry allows (${rule.allow.map(describePattern).join('; ')})`,
  );
}

function matches(pattern: SignerPattern, signer: BundleSigner): boolean {
  if (signer.kind === 'key') return pattern.keyHint === signer.keyHint;
  if (pattern.keyHint !== undefined) return false;
  if (pattern.issuer !== signer.issuer) return false;
  if (pattern.identity !== undefined) return pattern.identity === signer.identity;
  return pattern.identityRegexp?.regexp.test(signer.identity) ?? false;
}

function describeSigner(signer: BundleSigner): string {
  return signer.kind === 'key' ? `key ${signer.keyHint}` : `${signer.identity} (issuer ${signer.issuer})`;
}

function describePattern(pattern: SignerPattern): string {
  if (pattern.keyHint !== undefined) return `key-hint ${pattern.keyHint.slice(0, 16)}…`;
  const who = pattern.identity ?? `identity-regexp ${pattern.identityRegexp?.source ?? ''}`;
  return `${who} (issuer ${pattern.issuer ?? ''})`;
}
