/**
 * One sticky comment on a pull request: what the record made by this build changes compared
 * with the head of the base branch's ledger (the record it links to). Found again by a hidden
 * marker and edited in place, so a pull request never collects a comment per push. A token that
 * may not comment (a fork's pull request, 403) is not an error: the caller puts the same
 * Markdown in the job summary instead.
 */
import { claimedSigner } from '../verify/claimed-signer.js';
import { describeError } from '../errors.js';
import { gitHubFailureText, httpStatusOf } from '../github/client.js';
import {
  githubAvailability,
  pullRequestNumberFromEvent,
  readEventPayload,
  type GitHubAccess,
} from '../github/context.js';
import type { Logger } from '../log.js';
import type { RecordResult } from '../run/record.js';
import type { Store } from '../store/types.js';
import { diffRecords, type DiffSide, type RecordDiff } from './diff.js';
import { glanceLine, mdCode, mdText, recordAlerts, renderDiffMarkdown } from './diff-markdown.js';
import { personLabel } from './facts.js';
import { safetyFindings } from './safety.js';
import { decodeUnverified, payloadSha256, resolveManifests } from './load.js';

/** GitHub refuses comment bodies over 65,536 characters. */
const MAX_COMMENT = 65_000;

/** The hidden marker of a ledger's sticky comment: one comment per ledger per pull request. */
export function commentMarker(origin: string): string {
  return `<!-- model-ledger:pr-diff ${origin.replace(/--/g, '- -')} -->`;
}

export interface PullRequestCommentOptions {
  result: RecordResult;
  /** The store the record was linked in: the previous record is read from it. */
  store: Store;
  env: Readonly<Record<string, string | undefined>>;
  log: Logger;
  token?: string;
  /** Extra request options for the GitHub client (tests shorten the retries). */
  github?: { retry?: { maxAttempts?: number; baseDelayMs?: number } };
}

export type PullRequestCommentOutcome =
  | { status: 'posted'; action: 'created' | 'updated'; url: string; commentId: number }
  /** Not a pull request build. */
  | { status: 'not-a-pull-request' }
  /** The comment could not be posted; `markdown` goes to the job summary instead. */
  | { status: 'degraded'; reason: string; markdown: string };

/** The Markdown body of the comment (marker included). */
export async function pullRequestCommentBody(result: RecordResult, store: Store): Promise<string> {
  if (!result.previous || result.index === 0) return renderPullRequestComment(result, null);
  const current = await readSide(store, result, null);
  const previous = await previousSide(store, result);
  return renderPullRequestComment(
    result,
    previous ? diffRecords(previous, current) : undefined,
    store.location,
  );
}

/**
 * The comment for a record: `diff` compares it with the record it links to; null for the first
 * record of a ledger, undefined when that record could not be read from `storeLocation`.
 */
export function renderPullRequestComment(
  result: Pick<RecordResult, 'index' | 'statement' | 'statementSha256' | 'location' | 'ref' | 'previous'>,
  diff: RecordDiff | null | undefined,
  storeLocation = '',
): string {
  const marker = commentMarker(result.statement.predicate.chain.origin);
  const footer = recordFooter(result);
  const heading = '## model-ledger: what this pull request changes';
  if (!diff) {
    const { predicate } = result.statement;
    const approvers = predicate.change.approvedBy.map(personLabel);
    const why =
      diff === null
        ? 'This is the first record of the ledger: there is no earlier record to compare with.'
        : `The record this build links to (record ${result.index - 1}, statement ${mdCode(result.previous?.statementSha256.slice(0, 12) ?? '')}) could not be read from ${mdCode(storeLocation)}, so no comparison is shown.`;
    return [
      marker,
      heading,
      '',
      `**At a glance:** ${predicate.models.length} model${predicate.models.length === 1 ? '' : 's'} recorded · ${approvers.length > 0 ? `approved by ${mdText(approvers.join(', '))}` : 'no approval recorded'}`,
      '',
      ...recordAlerts({
        label: `record ${result.index}`,
        safety: safetyFindings(result.statement),
        signingMode: predicate.signing.mode,
        workingTree: predicate.commit?.workingTree ?? null,
      }),
      why,
      '',
      footer,
    ].join('\n');
  }
  const title = `model-ledger: what this pull request changes (record ${result.index} vs. base record ${diff.from.index})`;
  const glance = glanceLine(diff);
  for (const maxItems of [200, 40, 10]) {
    const body = [marker, withGlance(renderDiffMarkdown(diff, { title, maxItems }), glance), footer].join(
      '\n',
    );
    if (body.length <= MAX_COMMENT) return body;
  }
  return [marker, withGlance(renderDiffMarkdown(diff, { title, maxItems: 0 }), glance), footer]
    .join('\n')
    .slice(0, MAX_COMMENT);
}

/** The one-line summary right under the title. */
function withGlance(markdown: string, glance: string): string {
  const [title, ...rest] = markdown.split('\n');
  return [title, '', glance, ...rest].join('\n');
}

function recordFooter(
  result: Pick<RecordResult, 'index' | 'statement' | 'statementSha256' | 'location' | 'ref'>,
): string {
  const runUrl = result.statement.predicate.environment.ci.runUrl;
  // A local path is the runner's (a temp directory): only the bundle's name means anything here.
  const where = /^https?:\/\//.test(result.location)
    ? `[bundle](${result.location})`
    : `bundle ${mdCode(result.ref.name)}`;
  return [
    '---',
    `<sub>Record ${result.index} (statement ${mdCode(result.statementSha256.slice(0, 12))}), ${where}${runUrl ? `, [workflow run](${runUrl})` : ''}. Compared with the head of the base branch's ledger, which this record links to. Verify with ${mdCode('model-ledger verify')}.</sub>`,
    '',
  ].join('\n');
}

async function readSide(store: Store, result: RecordResult, bytes: Buffer | null): Promise<DiffSide> {
  let bundle = bytes;
  if (!bundle) {
    try {
      bundle = await store.get(result.ref);
    } catch {
      bundle = null; // a record kept only in the run (not uploaded): the signer stays unknown
    }
  }
  const signer = bundle ? claimedSigner(bundle, result.ref.name) : null;
  return {
    statement: result.statement,
    statementSha256: result.statementSha256,
    signer: signer ? (signer.kind === 'key' ? `key:${signer.keyHint}` : signer.identity) : null,
    verified: true, // signed by this run
    manifests: await resolveManifests(store, result.statement),
    location: result.location,
  };
}

/** The record this one links to, checked against the link's digest (record() verified it before linking). */
async function previousSide(store: Store, result: RecordResult): Promise<DiffSide | null> {
  const link = result.previous;
  if (!link) return null;
  const candidates = (await store.list()).filter((ref) => ref.index === result.index - 1);
  for (const ref of candidates) {
    const bytes = await store.get(ref);
    if (payloadSha256(bytes) !== link.statementSha256) continue;
    const statement = decodeUnverified(bytes, ref.name);
    if (!statement) return null;
    const signer = claimedSigner(bytes, ref.name);
    return {
      statement,
      statementSha256: link.statementSha256,
      signer: signer ? (signer.kind === 'key' ? `key:${signer.keyHint}` : signer.identity) : null,
      verified: true,
      manifests: await resolveManifests(store, statement),
      location: store.locate(ref),
    };
  }
  return null;
}

/** Posts or updates the sticky comment on the pull request this run builds. */
export async function commentOnPullRequest(
  options: PullRequestCommentOptions,
): Promise<PullRequestCommentOutcome> {
  const { env, log } = options;
  const eventName = env.GITHUB_EVENT_NAME;
  if (eventName !== 'pull_request' && eventName !== 'pull_request_target')
    return { status: 'not-a-pull-request' };
  const payload = await readEventPayload(env, log);
  const number = pullRequestNumberFromEvent(eventName, payload);
  if (number === undefined) return { status: 'not-a-pull-request' };

  const markdown = await pullRequestCommentBody(options.result, options.store);
  const degraded = (reason: string): PullRequestCommentOutcome => {
    log.warn(`pull request comment: ${reason}; the comparison is in the job summary instead`);
    return { status: 'degraded', reason, markdown };
  };
  if (eventName === 'pull_request' && isForkPullRequest(payload)) {
    return degraded('the pull request comes from a fork, whose builds get a read-only token');
  }
  const availability = githubAvailability(
    env,
    { ...(options.token ? { token: options.token } : {}), ...(options.github ?? {}) },
    log,
  );
  if (!availability.available) return degraded(availability.reason);
  try {
    const posted = await upsertStickyComment(
      availability.access,
      number,
      commentMarker(options.result.statement.predicate.chain.origin),
      markdown,
    );
    log.info(`pull request comment ${posted.action}: ${posted.url}`);
    return { status: 'posted', ...posted };
  } catch (error) {
    const text = gitHubFailureText(error);
    if (text === undefined) throw error;
    const status = httpStatusOf(error);
    return degraded(
      status === 403 || status === 404
        ? `GitHub answered ${status} to the comment (${describeError(error)}): the token needs pull-requests: write`
        : text,
    );
  }
}

function isForkPullRequest(payload: Record<string, unknown> | undefined): boolean {
  const pull = payload?.pull_request as
    | {
        head?: { repo?: { full_name?: unknown; fork?: unknown } | null };
        base?: { repo?: { full_name?: unknown } };
      }
    | undefined;
  const head = pull?.head?.repo;
  if (pull?.head && head === null) return true; // the fork was deleted
  if (!head) return false;
  if (head.fork === true) return true;
  return typeof head.full_name === 'string' && head.full_name !== pull?.base?.repo?.full_name;
}

/**
 * Finds the comment carrying `marker` (the newest, when several do) and replaces its body, or
 * creates one. A marked comment we may not edit (someone else's) is left alone and a new one made.
 */
export async function upsertStickyComment(
  access: GitHubAccess,
  issueNumber: number,
  marker: string,
  body: string,
): Promise<{ action: 'created' | 'updated'; url: string; commentId: number }> {
  const { client, owner, repo } = access;
  const comments = await client.paginate(client.rest.issues.listComments, {
    owner,
    repo,
    issue_number: issueNumber,
    per_page: 100,
  });
  const ours = comments.filter((comment) => comment.body?.includes(marker)).at(-1);
  const text = body.includes(marker) ? body : `${marker}\n${body}`;
  if (ours) {
    try {
      const updated = await client.rest.issues.updateComment({
        owner,
        repo,
        comment_id: ours.id,
        body: text,
      });
      return { action: 'updated', url: updated.data.html_url, commentId: updated.data.id };
    } catch (error) {
      if (httpStatusOf(error) !== 403) throw error;
    }
  }
  const created = await client.rest.issues.createComment({
    owner,
    repo,
    issue_number: issueNumber,
    body: text,
  });
  return { action: 'created', url: created.data.html_url, commentId: created.data.id };
}

/** The degraded comment as a job-summary section, with the reason it is here. */
export function degradedSummary(outcome: { reason: string; markdown: string }): string {
  return [
    `> [!NOTE]`,
    `> This comparison could not be posted on the pull request: ${mdText(outcome.reason)}.`,
    '',
    outcome.markdown,
  ].join('\n');
}
