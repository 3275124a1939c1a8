import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Readable } from 'node:stream';

import { LedgerError } from '../../src/errors.js';
import {
  apiUrlFrom,
  createGitHubClient,
  httpStatusOf,
  type GitHubClientOptions,
} from '../../src/github/client.js';
import {
  githubAvailability,
  pullRequestForCommit,
  pullRequestNumberFromEvent,
  repositoryFrom,
} from '../../src/github/context.js';
import { MemoryLogger } from '../../src/log.js';
import { FakeGitHub } from '../support/fake-github.js';

const TOKEN = 'ghs_0123456789abcdefghijABCDEFGHIJ0123456789';
const SHA = 'e'.repeat(40);

let fake: FakeGitHub;
let log: MemoryLogger;
let waits: number[];

beforeEach(async () => {
  fake = await FakeGitHub.start();
  fake.token = TOKEN;
  fake.addPull('acme/model', { number: 1, head: { ref: 'feature', sha: SHA } });
  log = new MemoryLogger();
  waits = [];
});
afterEach(async () => {
  await fake.close();
});

/** A client against the fake; waits are recorded, not slept, unless a test asks for real time. */
function client(options: Partial<GitHubClientOptions> = {}) {
  return createGitHubClient({
    token: TOKEN,
    env: fake.env(),
    log,
    retry: { maxAttempts: 4, totalTimeoutMs: 20_000, baseDelayMs: 10, maxDelayMs: 50 },
    requestTimeoutMs: 2_000,
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...options,
  });
}

const getPull = (c: ReturnType<typeof client>) =>
  c.rest.pulls.get({ owner: 'acme', repo: 'model', pull_number: 1 });

describe('the GitHub client', () => {
  it('talks to the API root of the run (GITHUB_API_URL), with the token, and never logs the token', async () => {
    const { data } = await getPull(client());
    expect(data.number).toBe(1);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]?.path).toBe('/api/v3/repos/acme/model/pulls/1');
    expect(fake.requests[0]?.headers.authorization).toBe(`token ${TOKEN}`);
    expect(fake.requests[0]?.headers['user-agent']).toMatch(/^model-ledger\//);
    expect(JSON.stringify(log.events)).not.toContain(TOKEN);
  });

  it('finds the API root for GitHub.com, GitHub Enterprise Server and GHE.com', () => {
    expect(apiUrlFrom({ GITHUB_API_URL: 'https://ghe.example.com/api/v3/' })).toBe(
      'https://ghe.example.com/api/v3',
    );
    expect(apiUrlFrom({ GITHUB_SERVER_URL: 'https://ghe.example.com' })).toBe(
      'https://ghe.example.com/api/v3',
    );
    expect(apiUrlFrom({ GITHUB_SERVER_URL: 'https://github.com' })).toBe('https://api.github.com');
    expect(apiUrlFrom({ GITHUB_SERVER_URL: 'https://octo.ghe.com' })).toBe('https://api.octo.ghe.com');
    expect(apiUrlFrom({})).toBe('https://api.github.com');
  });

  it('retries 5xx answers with backoff and returns the answer that finally came', async () => {
    fake.fail({ kind: 'status', status: 502 }, { times: 2 });
    const { data } = await getPull(client());
    expect(data.number).toBe(1);
    expect(fake.requests.map((r) => r.status)).toEqual([502, 502, 200]);
    expect(waits).toHaveLength(2);
    for (const wait of waits) expect(wait).toBeLessThanOrEqual(50 * 1.25);
    expect(log.messages('info').join('\n')).toMatch(/GET \/repos\/acme\/model\/pulls\/1: 502 .*retrying in/);
  });

  it('waits as long as retry-after says after a 429, in real time', async () => {
    fake.fail({ kind: 'rate-limit', status: 429, retryAfter: 1 });
    const { data } = await getPull(
      client({ sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) }),
    );
    expect(data.number).toBe(1);
    const [first, second] = fake.requests;
    expect(first?.status).toBe(429);
    expect(second?.status).toBe(200);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(990);
  });

  it('honours retry-after on a secondary rate limit 403', async () => {
    fake.fail({ kind: 'rate-limit', status: 403, secondary: true, retryAfter: 3 });
    await getPull(client());
    expect(fake.requests.map((r) => r.status)).toEqual([403, 200]);
    expect(waits).toEqual([3000]);
  });

  it('waits for x-ratelimit-reset when the primary rate limit is exhausted', async () => {
    const reset = Math.floor(Date.now() / 1000) + 5;
    fake.fail({ kind: 'rate-limit', status: 403, reset });
    await getPull(client());
    expect(fake.requests.map((r) => r.status)).toEqual([403, 200]);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(3_000);
    expect(waits[0]).toBeLessThanOrEqual(6_000);
  });

  it('gives up at once, saying why, when the server asks for a wait longer than the budget', async () => {
    fake.fail({ kind: 'rate-limit', status: 403, secondary: true, retryAfter: 120 }, { times: 5 });
    const attempt = getPull(client());
    await expect(attempt).rejects.toThrow(LedgerError);
    await expect(attempt).rejects.toMatchObject({ code: 'NETWORK' });
    await expect(attempt).rejects.toThrow(
      /GET \/repos\/acme\/model\/pulls\/1 .*asked to wait 120\.?0? s \(retry-after: 120\)/,
    );
    expect(fake.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('treats a secondary rate limit without headers as a one-minute wait', async () => {
    fake.fail({ kind: 'rate-limit', status: 403, secondary: true });
    await getPull(client({ retry: { totalTimeoutMs: 120_000, baseDelayMs: 10 } }));
    expect(waits).toEqual([60_000]);
  });

  it('does not retry a 403 that is not a rate limit, nor a 404', async () => {
    fake.fail({ kind: 'status', status: 403, message: 'Resource not accessible by integration' });
    const forbidden = getPull(client());
    await expect(forbidden).rejects.toMatchObject({ status: 403 });
    expect(fake.requests).toHaveLength(1);

    const missing = client().rest.pulls.get({ owner: 'acme', repo: 'model', pull_number: 404 });
    await expect(missing).rejects.toMatchObject({ status: 404 });
    expect(fake.requests).toHaveLength(2);
    expect(waits).toEqual([]);
  });

  it('refuses a wrong token with 401 and does not retry it', async () => {
    const wrong = getPull(client({ token: 'ghs_wrongwrongwrongwrongwrongwrongwrong0000' }));
    await expect(wrong).rejects.toMatchObject({ status: 401 });
    await wrong.catch((error: unknown) => expect(httpStatusOf(error)).toBe(401));
    expect(fake.requests).toHaveLength(1);
  });

  it('times out a request that gets no answer and tries again', async () => {
    fake.fail({ kind: 'timeout' });
    const { data } = await getPull(client({ requestTimeoutMs: 300 }));
    expect(data.number).toBe(1);
    expect(fake.requests.map((r) => r.fault ?? r.status)).toEqual(['timeout', 200]);
    expect(log.messages('info').join('\n')).toMatch(/no answer within 0\.3 s/);
  });

  it('does not retry when the caller itself aborts', async () => {
    fake.fail({ kind: 'timeout' }, { times: 5 });
    const caller = new AbortController();
    setTimeout(() => caller.abort(), 100);
    const attempt = client({ requestTimeoutMs: 5_000 }).rest.pulls.get({
      owner: 'acme',
      repo: 'model',
      pull_number: 1,
      request: { signal: caller.signal },
    });
    // The caller's abort comes back as Octokit reports it, not as a retry budget exhausted.
    await expect(attempt).rejects.toThrow();
    await expect(attempt).rejects.not.toBeInstanceOf(LedgerError);
    expect(fake.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('retries a body cut off mid-way, whether the connection drops or the length lies', async () => {
    fake.fail({ kind: 'truncate', mode: 'close' });
    fake.fail({ kind: 'truncate', mode: 'short' });
    const { data } = await getPull(client());
    expect(data.title).toBe('Pull request 1');
    expect(fake.requests.map((r) => r.fault ?? r.status)).toEqual(['truncate', 'truncate', 200]);
  });

  it('gives up after the last attempt with a NETWORK error that says what was tried', async () => {
    fake.fail({ kind: 'status', status: 503 }, { times: 10 });
    const attempt = getPull(client({ retry: { maxAttempts: 3, baseDelayMs: 1 } }));
    await expect(attempt).rejects.toMatchObject({ code: 'NETWORK' });
    await expect(attempt).rejects.toThrow(
      /GitHub API GET \/repos\/acme\/model\/pulls\/1 gave up after 3 attempt\(s\).*attempt 1: 503 Service Unavailable; attempt 2: 503/,
    );
    await attempt.catch((error: unknown) => {
      expect(String((error as Error).message)).not.toContain(TOKEN);
      expect(httpStatusOf(error)).toBe(503);
    });
    expect(fake.requests).toHaveLength(3);
  });

  it('stays within its total time budget when the server never answers', async () => {
    fake.fail({ kind: 'timeout' }, { times: 100 });
    const started = Date.now();
    const attempt = getPull(
      client({
        requestTimeoutMs: 200,
        retry: { maxAttempts: 100, totalTimeoutMs: 700, baseDelayMs: 10, maxDelayMs: 10 },
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      }),
    );
    await expect(attempt).rejects.toMatchObject({ code: 'NETWORK' });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(fake.requests.length).toBeGreaterThanOrEqual(2);
    expect(fake.requests.length).toBeLessThanOrEqual(5);
  });

  it('retries when the server cannot be reached at all', async () => {
    const unreachable = createGitHubClient({
      token: TOKEN,
      baseUrl: 'http://127.0.0.1:9/api/v3',
      retry: { maxAttempts: 2, baseDelayMs: 1 },
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    const attempt = getPull(unreachable);
    await expect(attempt).rejects.toMatchObject({ code: 'NETWORK' });
    await expect(attempt).rejects.toThrow(/attempt 1: network error/);
    expect(waits).toHaveLength(1);
  });

  it('sends a streamed body once: a consumed stream cannot be retried', async () => {
    // A route of this test only (the upload endpoints arrive with the release store).
    fake.route({
      method: 'POST',
      path: '/repos/{owner}/{repo}/uploads-for-test',
      operationId: 'test/upload',
      handle: () => ({ status: 201, body: {} }),
    });
    fake.fail({ kind: 'status', status: 502 }, { times: 3 });
    const attempt = client().request('POST /repos/{owner}/{repo}/uploads-for-test', {
      owner: 'acme',
      repo: 'model',
      data: Readable.from([Buffer.from('model bytes')]),
      headers: { 'content-type': 'application/octet-stream' },
    });
    await expect(attempt).rejects.toMatchObject({ code: 'NETWORK' });
    await expect(attempt).rejects.toThrow(/gave up after 1 attempt/);
    expect(fake.requests).toHaveLength(1);
  });

  it('follows Link headers across pages', async () => {
    const pull = fake.repo('acme', 'model').pulls.get(1);
    for (let i = 0; i < 5; i += 1)
      pull?.reviews.push({ user: `reviewer${i}`, state: 'COMMENTED', commitId: SHA });
    const reviews = await client().paginate(client().rest.pulls.listReviews, {
      owner: 'acme',
      repo: 'model',
      pull_number: 1,
      per_page: 2,
    });
    expect(reviews.map((review) => review.user?.login)).toEqual([
      'reviewer0',
      'reviewer1',
      'reviewer2',
      'reviewer3',
      'reviewer4',
    ]);
    expect(fake.requestsFor('pulls/list-reviews').map((r) => r.query.get('page'))).toEqual([null, '2', '3']);
  });
});

describe('the GitHub context of a run', () => {
  it('reads owner and repository from GITHUB_REPOSITORY, and nothing else', () => {
    expect(repositoryFrom({ GITHUB_REPOSITORY: 'acme/fraud-model' })).toEqual({
      owner: 'acme',
      repo: 'fraud-model',
    });
    expect(repositoryFrom({ GITHUB_REPOSITORY: 'acme' })).toBeUndefined();
    expect(repositoryFrom({ GITHUB_REPOSITORY: '../etc/passwd' })).toBeUndefined();
    expect(repositoryFrom({})).toBeUndefined();
  });

  it('says why GitHub cannot be asked: no repository, or no token', () => {
    expect(githubAvailability({}, { token: TOKEN }, log)).toMatchObject({
      available: false,
      reason: expect.stringMatching(/GITHUB_REPOSITORY/),
    });
    expect(githubAvailability(fake.env(), {}, log)).toMatchObject({
      available: false,
      reason: expect.stringMatching(/no GitHub token/),
    });
    expect(githubAvailability(fake.env(), { token: TOKEN }, log)).toMatchObject({
      available: true,
      access: { owner: 'acme', repo: 'model', apiUrl: fake.apiUrl },
    });
  });

  it('takes the pull request number from pull_request-like events only', () => {
    expect(pullRequestNumberFromEvent('pull_request', { number: 5, pull_request: { number: 5 } })).toBe(5);
    expect(pullRequestNumberFromEvent('pull_request_target', { pull_request: { number: 6 } })).toBe(6);
    expect(pullRequestNumberFromEvent('push', { pull_request: { number: 5 } })).toBeUndefined();
    expect(pullRequestNumberFromEvent('pull_request', { pull_request: { number: '5' } })).toBeUndefined();
    expect(pullRequestNumberFromEvent('pull_request', undefined)).toBeUndefined();
  });

  it('attributes a commit to the pull request it merged or heads, never to one that merely contains it', async () => {
    const merge = 'f'.repeat(40);
    const inside = '1'.repeat(40);
    fake.addPull('acme/model', {
      number: 2,
      head: { ref: 'b', sha: '2'.repeat(40) },
      commits: [inside],
      state: 'closed',
      mergeCommitSha: merge,
      mergedAt: '2024-05-02T00:00:00Z',
      mergedBy: 'hubot',
    });
    const availability = githubAvailability(fake.env(), { token: TOKEN }, log);
    if (!availability.available) throw new Error(availability.reason);
    await expect(pullRequestForCommit(availability.access, merge)).resolves.toEqual({
      number: 2,
      match: 'merge-commit',
    });
    await expect(pullRequestForCommit(availability.access, SHA)).resolves.toEqual({
      number: 1,
      match: 'head',
    });
    await expect(pullRequestForCommit(availability.access, inside)).resolves.toBeUndefined();
  });
});
