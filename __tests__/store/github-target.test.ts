/**
 * Which release a GitHub Actions run's record goes to, and which pull requests come from a fork,
 * from the event name, GITHUB_REF and the event payload as GitHub sends them.
 */
import { describe, expect, it } from '@jest/globals';

import { forkOfPullRequest, releaseTargetFor } from '../../src/store/github-target.js';

describe('releaseTargetFor', () => {
  it('a release event targets its tag', () => {
    expect(releaseTargetFor({ GITHUB_EVENT_NAME: 'release' }, { release: { tag_name: 'v1.2.0' } })).toEqual({
      kind: 'release',
      tag: 'v1.2.0',
    });
  });

  it('a release event without a usable tag falls back to GITHUB_REF, then to the rolling release', () => {
    const env = { GITHUB_EVENT_NAME: 'release', GITHUB_REF: 'refs/tags/v2' };
    expect(releaseTargetFor(env, { release: { tag_name: '' } })).toEqual({ kind: 'release', tag: 'v2' });
    expect(releaseTargetFor(env, { release: 'v3' })).toEqual({ kind: 'release', tag: 'v2' });
    expect(releaseTargetFor(env, undefined)).toEqual({ kind: 'release', tag: 'v2' });
    expect(releaseTargetFor({ GITHUB_EVENT_NAME: 'release' }, { release: { tag_name: 7 } })).toEqual({
      kind: 'rolling',
    });
  });

  it('a tag push targets the tag; a branch, a bare refs/tags/ or no ref is the rolling release', () => {
    expect(releaseTargetFor({ GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/tags/v1/rc' }, {})).toEqual({
      kind: 'release',
      tag: 'v1/rc',
    });
    expect(releaseTargetFor({ GITHUB_REF: 'refs/heads/main' }, {})).toEqual({ kind: 'rolling' });
    expect(releaseTargetFor({ GITHUB_REF: 'refs/tags/' }, {})).toEqual({ kind: 'rolling' });
    expect(releaseTargetFor({}, undefined)).toEqual({ kind: 'rolling' });
  });
});

describe('forkOfPullRequest', () => {
  const pull = (head: unknown, base: unknown = { repo: { full_name: 'acme/model' } }) => ({
    pull_request: { head, base },
  });
  const env = { GITHUB_EVENT_NAME: 'pull_request', GITHUB_REPOSITORY: 'acme/model' };

  it('names the head repository of a pull request from a fork', () => {
    expect(forkOfPullRequest(env, pull({ repo: { full_name: 'mallory/model' } }))).toBe('mallory/model');
    expect(
      forkOfPullRequest(
        { ...env, GITHUB_EVENT_NAME: 'pull_request_review' },
        pull({ repo: { full_name: 'mallory/model' } }),
      ),
    ).toBe('mallory/model');
  });

  it('a pull request from a branch of the repository itself is no fork, whatever the case of its name', () => {
    expect(forkOfPullRequest(env, pull({ repo: { full_name: 'Acme/Model' } }))).toBeUndefined();
  });

  it('a deleted head repository counts as a fork', () => {
    expect(forkOfPullRequest(env, pull({ repo: null }))).toBe('(a deleted fork)');
    expect(forkOfPullRequest(env, pull(undefined))).toBe('(a deleted fork)');
    expect(forkOfPullRequest(env, pull({ repo: { full_name: 42 } }))).toBe('(a deleted fork)');
  });

  it('without a base in the payload, the repository being built is the base', () => {
    expect(forkOfPullRequest(env, pull({ repo: { full_name: 'acme/model' } }, null))).toBeUndefined();
    expect(forkOfPullRequest(env, pull({ repo: { full_name: 'mallory/model' } }, []))).toBe('mallory/model');
    expect(
      forkOfPullRequest(
        { GITHUB_EVENT_NAME: 'pull_request' },
        pull({ repo: { full_name: 'mallory/model' } }, { repo: null }),
      ),
    ).toBeUndefined();
  });

  it('other events, and payloads without a pull request, are never forks', () => {
    const payload = pull({ repo: { full_name: 'mallory/model' } });
    expect(forkOfPullRequest({ ...env, GITHUB_EVENT_NAME: 'pull_request_target' }, payload)).toBeUndefined();
    expect(forkOfPullRequest({ ...env, GITHUB_EVENT_NAME: 'push' }, payload)).toBeUndefined();
    expect(forkOfPullRequest({}, payload)).toBeUndefined();
    expect(forkOfPullRequest(env, undefined)).toBeUndefined();
    expect(forkOfPullRequest(env, { pull_request: 'x' })).toBeUndefined();
  });
});
