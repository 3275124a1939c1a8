/**
 * `approvals`: approving reviews of the change's pull request by people other than its author.
 * Counted from the reviews the record carries: each reviewer's latest verdict (APPROVED,
 * CHANGES_REQUESTED, DISMISSED) stands; the pull request's author and the people who implemented
 * the change do not count.
 */
import { DELETED_USER } from '../../collect/pull-request.js';
import type { PolicyResult, PullRequestInfo, Review } from '../../record/predicate.js';
import type { ApprovalsRule, PolicySubject } from '../types.js';
import { failed, listed, passed, plural } from './result.js';

const VERDICTS = new Set(['APPROVED', 'CHANGES_REQUESTED', 'DISMISSED']);

export function evaluateApprovals(rule: ApprovalsRule, subject: PolicySubject): PolicyResult[] {
  const pull = subject.change.pullRequest;
  if (!pull) {
    const why = 'the record has no pull request, so no approvals (see its notes for why none was read)';
    return [
      failed('approvals.minimum', rule, `${plural(rule.minimum, 'approval')} required; ${why}`),
      ...(rule.onLastCommit ? [failed('approvals.on-last-commit', rule, why)] : []),
      ...(rule.teams ? [teamsResult(rule, [])] : []),
    ];
  }
  const authors = new Set(
    [pull.author, ...subject.change.implementedBy.map((person) => person.login)].filter(
      (login): login is string => login !== undefined && login !== '',
    ),
  );
  const approvals = latestApprovals(pull).filter(
    (review) => !authors.has(review.reviewer) && review.reviewer !== DELETED_USER,
  );
  const approvers = approvals.map((review) => review.reviewer);
  const results: PolicyResult[] = [];
  const counted = `from people other than the author (${pull.author})`;
  results.push(
    approvers.length >= rule.minimum
      ? passed(
          'approvals.minimum',
          rule,
          `pull request #${pull.number} has ${plural(approvers.length, 'approval')} ${counted}: ${listed(approvers)}`,
        )
      : failed(
          'approvals.minimum',
          rule,
          `pull request #${pull.number} has ${plural(approvers.length, 'approval')} ${counted}${approvers.length > 0 ? ` (${listed(approvers)})` : ''}; ${rule.minimum} required`,
        ),
  );
  if (rule.onLastCommit) results.push(lastCommitResult(rule, pull, approvals));
  if (rule.teams) results.push(teamsResult(rule, approvers));
  return results;
}

/** Each reviewer's latest verdict, when it is an approval; in the order GitHub lists reviews. */
function latestApprovals(pull: PullRequestInfo): Review[] {
  const latest = new Map<string, Review>();
  const ordered = pull.reviews
    .map((review, index) => ({ review, index }))
    .sort((a, b) => a.review.submittedAt.localeCompare(b.review.submittedAt) || a.index - b.index);
  for (const { review } of ordered) if (VERDICTS.has(review.state)) latest.set(review.reviewer, review);
  return [...latest.values()]
    .filter((review) => review.state === 'APPROVED')
    .sort((a, b) => (a.reviewer < b.reviewer ? -1 : 1));
}

/** The approvals must be on the head commit that was built, not on an earlier push. */
function lastCommitResult(rule: ApprovalsRule, pull: PullRequestInfo, approvals: Review[]): PolicyResult {
  const head = pull.approvalsCountedOn ?? pull.head.sha;
  const current = approvals.filter((review) => review.commitId === head).map((review) => review.reviewer);
  const stale = approvals
    .filter((review) => review.commitId !== head)
    .map((review) => `${review.reviewer} on ${review.commitId.slice(0, 12) || 'an unknown commit'}`);
  const short = head.slice(0, 12);
  if (current.length >= rule.minimum) {
    return passed(
      'approvals.on-last-commit',
      rule,
      `${plural(current.length, 'approval')} on the last commit ${short}: ${listed(current)}`,
    );
  }
  return failed(
    'approvals.on-last-commit',
    rule,
    `${plural(current.length, 'approval')} on the last commit ${short}${current.length > 0 ? ` (${listed(current)})` : ''}, ${rule.minimum} required` +
      (stale.length > 0 ? `; approvals given before the last push: ${listed(stale)}` : ''),
  );
}

/**
 * Team membership is not in the record (GitHub tells it only to a token that can read the
 * organisation, and only as it is now, not as it was when the review was given), so the rule
 * cannot be shown to hold: it fails, saying so, rather than pass on trust.
 */
function teamsResult(rule: ApprovalsRule, approvers: string[]): PolicyResult {
  const teams = (rule.teams ?? []).join(', ');
  return failed(
    'approvals.teams',
    rule,
    `approvers must belong to ${teams}, and the record does not say which teams the approvers${approvers.length > 0 ? ` (${listed(approvers)})` : ''} belong to, so model-ledger cannot show it` +
      ' — require those teams with CODEOWNERS and branch protection, and set this rule to level: warn',
  );
}
