/**
 * What a run knows about GitHub: which repository (GITHUB_REPOSITORY), which event
 * (GITHUB_EVENT_NAME, the payload at GITHUB_EVENT_PATH), and whether the API can be asked at all
 * (a token). The event payload is untrusted input: only the fields we need are read, and checked.
 */
import { readFile } from 'node:fs/promises';

import { describeError } from '../errors.js';
import type { Logger } from '../log.js';
import { apiUrlFrom, createGitHubClient, type GitHubClient, type GitHubClientOptions } from './client.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface GitHubRepository {
  owner: string;
  repo: string;
}

/** A client with the repository it is about. */
export interface GitHubAccess extends GitHubRepository {
  client: GitHubClient;
  apiUrl: string;
}

/** Either the API can be asked, or a sentence saying why not (for the record's notes). */
export type GitHubAvailability =
  { available: true; access: GitHubAccess } | { available: false; reason: string };

/** How to reach the GitHub API; everything but the token has a default from the run. */
export type GitHubOptions = Omit<GitHubClientOptions, 'env' | 'log'>;

/** `owner/repo` from GITHUB_REPOSITORY, when it is well formed. */
export function repositoryFrom(env: Env): GitHubRepository | undefined {
  const match = /^([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)\/([A-Za-z0-9._-]+)$/.exec(
    env.GITHUB_REPOSITORY?.trim() ?? '',
  );
  if (!match) return undefined;
  return { owner: match[1] as string, repo: match[2] as string };
}

/**
 * Whether this run can ask GitHub about its repository: it needs GITHUB_REPOSITORY and a token.
 * Never guesses a repository from a remote URL: a fork's remote is not the repository being built.
 */
export function githubAvailability(env: Env, options: GitHubOptions, log: Logger): GitHubAvailability {
  const repository = repositoryFrom(env);
  if (!repository) {
    return { available: false, reason: 'not running on GitHub (GITHUB_REPOSITORY is not set)' };
  }
  if (!options.token) {
    return {
      available: false,
      reason:
        "no GitHub token was given (the Action's `github-token` input, or `--github-token` / GITHUB_TOKEN for the CLI)",
    };
  }
  const apiUrl = (options.baseUrl ?? apiUrlFrom(env)).replace(/\/+$/, '');
  const client = createGitHubClient({ ...options, baseUrl: apiUrl, env, log });
  return { available: true, access: { ...repository, client, apiUrl } };
}

/** The event payload at GITHUB_EVENT_PATH, or undefined when there is none or it is unreadable. */
export async function readEventPayload(env: Env, log: Logger): Promise<Record<string, unknown> | undefined> {
  const path = env.GITHUB_EVENT_PATH;
  if (!path) return undefined;
  try {
    const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
    return isRecord(parsed) ? parsed : undefined;
  } catch (error) {
    log.warn(`github: cannot read the event payload ${path}: ${describeError(error)}`);
    return undefined;
  }
}

/** Events whose payload names the pull request the run is for. */
const PULL_REQUEST_EVENTS = new Set([
  'pull_request',
  'pull_request_target',
  'pull_request_review',
  'pull_request_review_comment',
]);

/** The pull request number of a pull_request-like event, from its payload. */
export function pullRequestNumberFromEvent(
  eventName: string | undefined,
  payload: Record<string, unknown> | undefined,
): number | undefined {
  if (!eventName || !PULL_REQUEST_EVENTS.has(eventName) || !payload) return undefined;
  const pullRequest = payload.pull_request;
  const number = isRecord(pullRequest) ? pullRequest.number : payload.number;
  return typeof number === 'number' && Number.isInteger(number) && number > 0 ? number : undefined;
}

export interface AssociatedPullRequest {
  number: number;
  /** `merge-commit`: the commit is the PR's merge (or squash) commit; `head`: the PR's current head. */
  match: 'merge-commit' | 'head';
}

/**
 * The pull request a commit belongs to, from `GET /repos/{owner}/{repo}/commits/{sha}/pulls`:
 * the one whose merge commit it is, else the one whose head it is. A commit that is merely
 * contained in some pull request is not attributed to it.
 */
export async function pullRequestForCommit(
  access: GitHubAccess,
  sha: string,
): Promise<AssociatedPullRequest | undefined> {
  const pulls = await access.client.paginate(access.client.rest.repos.listPullRequestsAssociatedWithCommit, {
    owner: access.owner,
    repo: access.repo,
    commit_sha: sha,
    per_page: 100,
  });
  const merged = pulls.find((pull) => pull.merge_commit_sha === sha && pull.merged_at);
  if (merged) return { number: merged.number, match: 'merge-commit' };
  const head = pulls.find((pull) => pull.head.sha === sha);
  return head ? { number: head.number, match: 'head' } : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
