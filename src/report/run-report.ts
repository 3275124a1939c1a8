/**
 * What the Action reports once a record is made: the job summary, and on pull requests the
 * sticky comment comparing the record with the base branch's ledger head — or, when the token may
 * not comment (fork pull requests, 403), that comparison in the job summary with a note.
 */
import { claimedSigner, type ClaimedSigner } from '../verify/claimed-signer.js';
import type { Logger } from '../log.js';
import type { RecordResult } from '../run/record.js';
import type { Store } from '../store/types.js';
import { commentOnPullRequest, degradedSummary, type PullRequestCommentOutcome } from './pr-comment.js';
import { summaryMarkdown } from './summary.js';

export interface RunReportOptions {
  store: Store;
  env: Readonly<Record<string, string | undefined>>;
  log: Logger;
  /** Appends Markdown to the job summary. */
  summary(markdown: string): Promise<void>;
  /** Post the sticky pull request comment (the Action's `comment-on-pr`). */
  commentOnPr: boolean;
  githubToken?: string;
}

export async function reportRecord(
  result: RecordResult,
  options: RunReportOptions,
): Promise<PullRequestCommentOutcome | null> {
  const signer = await signerOf(options.store, result);
  const sections = [summaryMarkdown(result, { signer })];
  let outcome: PullRequestCommentOutcome | null = null;
  if (options.commentOnPr) {
    outcome = await commentOnPullRequest({
      result,
      store: options.store,
      env: options.env,
      log: options.log,
      ...(options.githubToken ? { token: options.githubToken } : {}),
    });
    if (outcome.status === 'degraded') sections.push(degradedSummary(outcome));
  }
  await options.summary(sections.join('\n'));
  return outcome;
}

async function signerOf(store: Store, result: RecordResult): Promise<ClaimedSigner | null> {
  try {
    return claimedSigner(await store.get(result.ref), result.ref.name);
  } catch {
    return null; // not readable back (a store that keeps nothing for pull requests): leave it out
  }
}
