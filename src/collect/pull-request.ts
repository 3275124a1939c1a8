/**
 * The pull request a build is for, read from the GitHub API: who opened it, what it merged,
 * who reviewed it and how, and who approved its last head commit.
 */
import type { GitHubAccess } from '../github/context.js';
import type { PullRequestInfo, Review } from '../record/predicate.js';

/** GitHub shows reviews by deleted accounts as this user; the API gives `user: null`. */
export const DELETED_USER = 'ghost';

export interface PullRequestDetails {
  info: PullRequestInfo;
  /** The description, for the reason; not kept in `info`. */
  body: string;
}

/** `GET /repos/{owner}/{repo}/pulls/{n}` and every page of `GET .../pulls/{n}/reviews`. */
export async function readPullRequest(access: GitHubAccess, number: number): Promise<PullRequestDetails> {
  const { client, owner, repo } = access;
  const { data: pull } = await client.rest.pulls.get({ owner, repo, pull_number: number });
  const reviews = await client.paginate(client.rest.pulls.listReviews, {
    owner,
    repo,
    pull_number: number,
    per_page: 100,
  });
  const info: PullRequestInfo = {
    number: pull.number,
    title: pull.title,
    url: pull.html_url,
    author: pull.user.login,
    labels: pull.labels.map((label) => label.name),
    base: { ref: pull.base.ref, sha: pull.base.sha },
    head: { ref: pull.head.ref, sha: pull.head.sha },
    reviews: reviews
      // A pending review is a draft only its author can see; it has no time and is not a review yet.
      .filter((review) => review.state !== 'PENDING')
      .map((review): Review => ({
        reviewer: review.user?.login ?? DELETED_USER,
        state: review.state,
        submittedAt: review.submitted_at ?? '',
        commitId: review.commit_id ?? '',
      })),
  };
  if (pull.merged_by) info.mergedBy = pull.merged_by.login;
  if (pull.merged_at) info.mergedAt = pull.merged_at;
  return { info, body: pull.body ?? '' };
}

/** Review states that set where a reviewer stands; COMMENTED does not change an earlier verdict. */
const VERDICTS = new Set(['APPROVED', 'CHANGES_REQUESTED', 'DISMISSED']);

/**
 * Who approved the pull request as it was merged: reviewers whose latest verdict is APPROVED and
 * was given on the pull request's last head commit. The author cannot approve their own change.
 * Reviews are taken in the order GitHub lists them (chronological), with `submittedAt` breaking
 * any disorder.
 */
export function approversOf(info: Pick<PullRequestInfo, 'reviews' | 'head' | 'author'>): string[] {
  const latest = new Map<string, Review>();
  const ordered = info.reviews
    .map((review, index) => ({ review, index }))
    .sort((a, b) => a.review.submittedAt.localeCompare(b.review.submittedAt) || a.index - b.index);
  for (const { review } of ordered) {
    if (VERDICTS.has(review.state)) latest.set(review.reviewer, review);
  }
  const approvers: string[] = [];
  for (const [reviewer, review] of latest) {
    if (review.state !== 'APPROVED') continue;
    if (review.commitId !== info.head.sha) continue;
    if (reviewer === info.author || reviewer === DELETED_USER) continue;
    approvers.push(reviewer);
  }
  return approvers.sort();
}
