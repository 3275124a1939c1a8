/**
 * What a GitHub Actions run means for the GitHub store: which release its record goes to, and
 * whether it can write at all (a pull request from a fork cannot).
 */
import type { ReleaseTarget } from './github-release.js';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * A `release` event, or a build of a tag (`GITHUB_REF=refs/tags/…`): that tag's release.
 * Anything else: the rolling pre-release.
 */
export function releaseTargetFor(env: Env, payload: Record<string, unknown> | undefined): ReleaseTarget {
  if (env.GITHUB_EVENT_NAME === 'release') {
    const release = payload?.release;
    const tag = isRecord(release) ? release.tag_name : undefined;
    if (typeof tag === 'string' && tag !== '') return { kind: 'release', tag };
  }
  const ref = env.GITHUB_REF ?? '';
  if (ref.startsWith('refs/tags/') && ref.length > 'refs/tags/'.length) {
    return { kind: 'release', tag: ref.slice('refs/tags/'.length) };
  }
  return { kind: 'rolling' };
}

/** Events whose runs, for a pull request from a fork, get a read-only token and no OIDC token. */
const FORK_RESTRICTED_EVENTS = new Set([
  'pull_request',
  'pull_request_review',
  'pull_request_review_comment',
]);

/**
 * The repository a pull request comes from, when it is not the one being built (a fork), from the
 * event payload; undefined for every other run. A head repository that was deleted counts as a fork.
 */
export function forkOfPullRequest(
  env: Env,
  payload: Record<string, unknown> | undefined,
): string | undefined {
  if (!FORK_RESTRICTED_EVENTS.has(env.GITHUB_EVENT_NAME ?? '') || !payload) return undefined;
  const pull = payload.pull_request;
  if (!isRecord(pull)) return undefined;
  const head = isRecord(pull.head) ? pull.head : undefined;
  const base = isRecord(pull.base) ? pull.base : undefined;
  const headRepo = head && isRecord(head.repo) ? head.repo.full_name : null;
  const baseRepo = base && isRecord(base.repo) ? base.repo.full_name : env.GITHUB_REPOSITORY;
  if (typeof headRepo !== 'string') return '(a deleted fork)';
  return typeof baseRepo === 'string' && headRepo.toLowerCase() !== baseRepo.toLowerCase()
    ? headRepo
    : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
