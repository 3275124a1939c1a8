/**
 * The policy at record time: which file applies, and its verdict on the collected record before
 * anything is signed or stored. An enforced rule that fails stops the run; warnings are logged
 * and recorded with every other result.
 */
import { createPublicKey } from 'node:crypto';
import { access } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

import { LedgerError, describeError, errnoCode } from '../errors.js';
import type { Logger } from '../log.js';
import type { PolicySection } from '../record/predicate.js';
import { keyHint } from '../sign/keys.js';
import type { Signer } from '../sign/types.js';
import { enforcedFailures, evaluatePolicy, warnings } from './evaluate.js';
import { DEFAULT_POLICY_FILE, loadPolicy } from './load.js';
import type { LoadedPolicy, PolicySubject } from './types.js';

/**
 * The policy a record is checked against: `option` names a file (relative to `cwd`), `false`
 * turns policies off, and without either model-ledger.policy.yml in `cwd` applies when it exists.
 */
export async function policyForRecord(
  cwd: string,
  option: string | false | undefined,
): Promise<LoadedPolicy | null> {
  if (option === false) return null;
  if (option === undefined) {
    const file = join(cwd, DEFAULT_POLICY_FILE);
    try {
      await access(file);
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return null; // no policy in the repository: none applies
      throw new LedgerError('BAD_INPUT', `cannot read the policy file (${describeError(error)})`, {
        file: DEFAULT_POLICY_FILE,
        cause: error,
        fix: 'make it readable, or pass --no-policy',
      });
    }
    return loadPolicy(file, DEFAULT_POLICY_FILE);
  }
  const file = resolve(cwd, option);
  const inside = relative(cwd, file);
  const display = inside.startsWith('..') || isAbsolute(inside) ? file : inside.split(sep).join('/');
  return loadPolicy(file, display);
}

/**
 * Evaluates the policy on the record about to be signed. A key signer's key is known now, so
 * `signers` is checked; a keyless signer's identity is not, so that rule is left `deferred` for
 * `verify --policy`. Throws LedgerError('POLICY') listing every enforced rule that fails.
 */
export function checkPolicyBeforeSigning(
  loaded: LoadedPolicy,
  subject: PolicySubject,
  signer: Signer,
  log: Logger,
): PolicySection {
  const results = evaluatePolicy(
    loaded,
    subject,
    signer.publicKeyPem
      ? { signer: { kind: 'key', keyHint: keyHint(createPublicKey(signer.publicKeyPem)) } }
      : {},
  );
  for (const result of warnings(results))
    log.warn(`policy ${loaded.file}: ${result.rule}: ${result.message}`);
  for (const result of results.filter((candidate) => candidate.outcome === 'deferred')) {
    log.info(`policy ${loaded.file}: ${result.rule}: ${result.message}`);
  }
  const failures = enforcedFailures(results);
  if (failures.length > 0) {
    // One violation per line: a policy may break many rules, each with a long message.
    const listed = failures.map((result) => `\n  - ${result.rule}: ${result.message}`).join('');
    throw new LedgerError(
      'POLICY',
      `the change breaks ${failures.length === 1 ? 'an enforced rule' : `${failures.length} enforced rules`} of the policy:${listed}\n` +
        'Nothing was signed or written: change what the rule asks for, or the rule (level: warn only reports it).',
      { file: loaded.file },
    );
  }
  const count = (outcome: string): number => results.filter((result) => result.outcome === outcome).length;
  const deferredCount = count('deferred');
  log.info(
    `policy ${loaded.file}: ${count('pass')} of ${results.length} rule(s) hold` +
      (count('fail') > 0 ? `, ${count('fail')} warning(s)` : '') +
      (deferredCount > 0 ? `, ${deferredCount} left to \`verify --policy\`` : ''),
  );
  return { file: loaded.file, sha256: loaded.sha256, results };
}
