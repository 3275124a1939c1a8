import { gitHubFailureText } from '../github/client.js';
import {
  pullRequestForCommit,
  pullRequestNumberFromEvent,
  readEventPayload,
  type GitHubAvailability,
} from '../github/context.js';
import type { ChangeSection, CommitSection, PersonRef } from '../record/predicate.js';
import { ciContextFrom } from './environment.js';
import { runGit } from '../git/command.js';
import { approversOf, readPullRequest, type PullRequestDetails } from './pull-request.js';
import type { CollectContext, Collector } from './types.js';

/** Reasons longer than this are cut (with a marker): a record is evidence, not an archive of essays. */
export const MAX_REASON_CHARS = 4000;

/** At most this many commits of a change are read for who implemented it. */
export const MAX_IMPLEMENTER_COMMITS = 200;

export interface ChangeOptions {
  /** The reason given explicitly (`--reason`, `reason` input). */
  reason?: string;
  /** Whether and how GitHub can be asked for the pull request; without it those parts are omitted with a note. */
  github?: GitHubAvailability;
}

export function trimReason(text: string): string {
  const trimmed = text.trim();
  if (trimmed.length <= MAX_REASON_CHARS) return trimmed;
  return `${trimmed.slice(0, MAX_REASON_CHARS)}… [cut at ${MAX_REASON_CHARS} characters]`;
}

/** A pull request's title and description as one reason; template comments (`<!-- -->`) removed. */
export function reasonFromPullRequest(title: string, body: string): string {
  const description = body
    .replace(/<!--[\s\S]*?(-->|$)/g, '')
    .replace(/\r\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return description ? `${title.trim()}\n\n${description}` : title.trim();
}

interface Ingredients {
  reason?: string;
  pullRequest?: PullRequestDetails;
  commit: CommitSection | null;
  implementedBy: PersonRef[];
  approvedBy: PersonRef[];
  triggeredBy?: string;
}

function assemble(parts: Ingredients): ChangeSection {
  const given = parts.reason?.trim();
  const fromPull = parts.pullRequest
    ? reasonFromPullRequest(parts.pullRequest.info.title, parts.pullRequest.body)
    : '';
  const fromCommit = parts.commit?.message.trim();
  const [reason, reasonSource]: [string, ChangeSection['reasonSource']] = given
    ? [given, 'input']
    : fromPull
      ? [fromPull, 'pull-request']
      : fromCommit
        ? [fromCommit, 'commit-message']
        : ['', 'none'];
  const section: ChangeSection = {
    reason: trimReason(reason),
    reasonSource,
    implementedBy: dedupe(parts.implementedBy),
    approvedBy: dedupe(parts.approvedBy),
  };
  if (parts.pullRequest) section.pullRequest = parts.pullRequest.info;
  if (parts.triggeredBy) section.triggeredBy = { login: parts.triggeredBy };
  return section;
}

/**
 * Who changed what and why, from what is known locally: the given reason, else the commit
 * message; the commit's author and committer implemented it; the CI actor triggered it.
 * ChangeCollector adds the pull request, its approvals and every commit of the change.
 */
export function changeFromCommit(
  options: ChangeOptions,
  commit: CommitSection | null,
  actor: string | undefined,
): ChangeSection {
  return assemble({
    ...(options.reason === undefined ? {} : { reason: options.reason }),
    commit,
    implementedBy: commit ? identitiesOf(commit) : [],
    approvedBy: [],
    ...(actor ? { triggeredBy: actor } : {}),
  });
}

/**
 * The `change` section: reason, pull request (number, author, labels, reviews), and the people —
 * implemented by (pull request author; authors and committers of the change's commits), approved
 * by (approving reviews on the last head commit), triggered by (the workflow's triggering actor).
 * Reads the commit section the CommitCollector made, so it runs after it.
 */
export class ChangeCollector implements Collector<'change'> {
  readonly section = 'change';

  constructor(
    private readonly options: ChangeOptions,
    private readonly commit: CommitSection | null,
  ) {}

  async collect(context: CollectContext): Promise<ChangeSection> {
    const ci = ciContextFrom(context.env);
    const triggeredBy = ci.triggeringActor || ci.actor;
    const pull = await this.pullRequest(context);
    const implementedBy: PersonRef[] = [];
    if (pull) implementedBy.push({ login: pull.details.info.author });
    if (this.commit) implementedBy.push(...(await implementersOf(context, this.commit)));
    const section = assemble({
      ...(this.options.reason === undefined ? {} : { reason: this.options.reason }),
      ...(pull ? { pullRequest: pull.details } : {}),
      commit: this.commit,
      implementedBy,
      approvedBy: pull
        ? approversOf({
            ...pull.details.info,
            head: { ...pull.details.info.head, sha: pull.approvedHead },
          }).map((login) => ({ login }))
        : [],
      ...(triggeredBy ? { triggeredBy } : {}),
    });
    if (section.reasonSource === 'none') {
      context.note(
        'change: no reason was given (`--reason` / `reason` input), no pull request was found and the commit message is empty',
      );
    }
    return section;
  }

  private async pullRequest(
    context: CollectContext,
  ): Promise<{ details: PullRequestDetails; approvedHead: string } | undefined> {
    const github = this.options.github;
    if (!github || !github.available) {
      const reason = github ? github.reason : 'GitHub was not consulted';
      context.note(`change: the pull request, its reviews and approvals are not recorded: ${reason}`);
      return undefined;
    }
    const { access } = github;
    const eventName = context.env.GITHUB_EVENT_NAME;
    const payload = await readEventPayload(context.env, context.log);
    try {
      let number = pullRequestNumberFromEvent(eventName, payload);
      let builtHead: string | undefined;
      if (number !== undefined) {
        builtHead = eventHeadSha(payload);
      } else if (this.commit) {
        const associated = await pullRequestForCommit(access, this.commit.sha);
        number = associated?.number;
        if (associated?.match === 'head') builtHead = this.commit.sha;
      }
      if (number === undefined) {
        context.note(
          this.commit
            ? `change: no pull request on GitHub has ${this.commit.sha} as its merge commit or head, so none is recorded`
            : 'change: no commit and no pull_request event, so no pull request is recorded',
        );
        return undefined;
      }
      const details = await readPullRequest(access, number);
      const approvedHead = builtHead ?? details.info.head.sha;
      if (approvedHead !== details.info.head.sha) {
        context.note(
          `change: pull request #${number} has moved on to ${details.info.head.sha} since this build's head ${approvedHead}; ` +
            'approvals are counted on the head that was built',
        );
      }
      return { details, approvedHead };
    } catch (error) {
      const failure = gitHubFailureText(error);
      if (failure === undefined) throw error;
      context.log.warn(`change: cannot read the pull request from GitHub: ${failure}`);
      context.note(`change: the pull request, its reviews and approvals are not recorded: ${failure}`);
      return undefined;
    }
  }
}

function eventHeadSha(payload: Record<string, unknown> | undefined): string | undefined {
  const pull = payload?.pull_request;
  if (typeof pull !== 'object' || pull === null) return undefined;
  const head = (pull as { head?: unknown }).head;
  const sha = typeof head === 'object' && head !== null ? (head as { sha?: unknown }).sha : undefined;
  return typeof sha === 'string' && /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(sha) ? sha : undefined;
}

function identitiesOf(commit: CommitSection): PersonRef[] {
  return [
    { name: commit.author.name, email: commit.author.email },
    { name: commit.committer.name, email: commit.committer.email },
  ];
}

/**
 * Authors and committers of the commits the change brings, from git: the non-merge commits
 * between the commit the changed files were compared with and the built commit (for a merge,
 * the commits it merged), else the built commit itself.
 */
async function implementersOf(context: CollectContext, commit: CommitSection): Promise<PersonRef[]> {
  const range = commit.comparedWith ? [`${commit.comparedWith}..${commit.sha}`] : [commit.sha, '-1'];
  const log = await runGit(context.cwd, [
    'log',
    '--no-merges',
    `--max-count=${MAX_IMPLEMENTER_COMMITS + 1}`,
    '--format=%an%x00%ae%x00%cn%x00%ce%x00',
    ...range,
    '--',
  ]);
  const people: PersonRef[] = [];
  const fields = log.ok ? log.stdout.replace(/\n/g, '').split('\0') : [];
  let commits = 0;
  for (let index = 0; index + 3 < fields.length; index += 4) {
    commits += 1;
    if (commits > MAX_IMPLEMENTER_COMMITS) {
      context.note(
        `change: the change has more than ${MAX_IMPLEMENTER_COMMITS} commits; implementers are read from the latest ${MAX_IMPLEMENTER_COMMITS}`,
      );
      break;
    }
    people.push({ name: fields[index], email: fields[index + 1] });
    people.push({ name: fields[index + 2], email: fields[index + 3] });
  }
  return people.length > 0 ? people : identitiesOf(commit);
}

function dedupe(people: PersonRef[]): PersonRef[] {
  const seen = new Set<string>();
  return people.filter((person) => {
    const key = JSON.stringify([person.login ?? '', person.name ?? '', person.email ?? '']);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
