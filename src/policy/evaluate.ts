/**
 * Evaluates a loaded policy on a record's predicate: one result per rule instance, pass or fail
 * (or deferred, for `signers` when the signer is not known yet), in the order of the policy file's
 * sections. Pure and synchronous: the same predicate and policy always give the same results.
 */
import type { PolicyResult } from '../record/predicate.js';
import { evaluateApprovals } from './rules/approvals.js';
import { evaluateDatasets } from './rules/datasets.js';
import { evaluateDependencies } from './rules/dependencies.js';
import { evaluateModels } from './rules/models.js';
import { evaluateRequired } from './rules/required.js';
import { evaluateRetention } from './rules/retention.js';
import { evaluateSigners } from './rules/signers.js';
import { evaluateWorkingTree } from './rules/working-tree.js';
import type { LoadedPolicy, PolicyEvaluationOptions, PolicySubject } from './types.js';

export function evaluatePolicy(
  loaded: LoadedPolicy,
  subject: PolicySubject,
  options: PolicyEvaluationOptions = {},
): PolicyResult[] {
  const { policy } = loaded;
  const results: PolicyResult[] = policy.required.map((rule) => evaluateRequired(rule, subject));
  if (policy.approvals) results.push(...evaluateApprovals(policy.approvals, subject));
  if (policy.signers) results.push(evaluateSigners(policy.signers, options.signer));
  if (policy.datasets) results.push(...evaluateDatasets(policy.datasets, subject));
  if (policy.models) results.push(...evaluateModels(policy.models, subject));
  if (policy.dependencies) results.push(...evaluateDependencies(policy.dependencies, subject));
  if (policy.retention) results.push(evaluateRetention(policy.retention, subject));
  if (policy.workingTree) results.push(evaluateWorkingTree(policy.workingTree, subject));
  return results;
}

/** Results that fail at `enforce` level: the ones that stop a run or fail a verification. */
export function enforcedFailures(results: PolicyResult[]): PolicyResult[] {
  return results.filter((result) => result.outcome === 'fail' && result.level === 'enforce');
}

/** Results that fail at `warn` level: reported, recorded, and nothing more. */
export function warnings(results: PolicyResult[]): PolicyResult[] {
  return results.filter((result) => result.outcome === 'fail' && result.level === 'warn');
}
