/**
 * `working-tree: { clean: true }`: a record must describe its commit, not uncommitted edits. It
 * fails when a model, dataset, training file, lockfile or config the record names differs from
 * the commit, when there is no commit, and for records that do not say (made before model-ledger
 * recorded the working tree).
 */
import type { PolicyResult } from '../../record/predicate.js';
import type { PolicySubject, WorkingTreeRule } from '../types.js';
import { failed, listed, passed } from './result.js';

const RULE = 'working-tree.clean';

export function evaluateWorkingTree(rule: WorkingTreeRule, subject: PolicySubject): PolicyResult {
  const { commit } = subject;
  if (!commit) return failed(RULE, rule, 'the record names no commit, so its working tree cannot be clean');
  const tree = commit.workingTree;
  if (!tree) return failed(RULE, rule, 'the record does not say whether its working tree was clean');
  if (tree.state === 'clean') {
    return passed(RULE, rule, `nothing the record names differs from commit ${commit.sha.slice(0, 12)}`);
  }
  return failed(
    RULE,
    rule,
    `uncommitted changes to ${listed(tree.dirty.map((entry) => `${entry.path} (${entry.status})`))}: commit them, then record`,
  );
}
