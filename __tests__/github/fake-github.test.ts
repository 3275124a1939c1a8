import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { FakeGitHub, type RecordedRequest } from '../support/fake-github.js';
import { checkAgainst, findOperation, responseSchema } from '../support/openapi.js';

/**
 * The fake GitHub server must answer as GitHub does: every route is an operation of GitHub's
 * published OpenAPI description, and every answer it gives (faults aside) matches the schema
 * the description gives for that operation and status.
 */
let fake: FakeGitHub;
beforeAll(async () => {
  fake = await FakeGitHub.start();
  seed(fake);
});
afterAll(async () => {
  await fake.close();
});

const HEAD = 'a'.repeat(40);
const MERGE = 'b'.repeat(40);
const BASE = 'c'.repeat(40);

function seed(server: FakeGitHub): void {
  server.addCommit('acme/model', {
    sha: MERGE,
    message: 'Merge pull request #7 from acme/retrain',
    parents: [BASE, HEAD],
    authorLogin: 'octocat',
    committerLogin: null,
    verification: {
      verified: true,
      reason: 'valid',
      signature: '-----BEGIN PGP SIGNATURE-----\n...',
      payload: 'tree ...',
      verifiedAt: '2024-05-01T12:00:01Z',
    },
  });
  server.addCommit('acme/model', { sha: HEAD, parents: [BASE] });
  server.addPull('acme/model', {
    number: 7,
    title: 'Retrain on Q3 data',
    body: 'Adds the Q3 export.',
    user: 'octocat',
    labels: ['model', 'retrain'],
    state: 'closed',
    head: { ref: 'retrain', sha: HEAD },
    base: { ref: 'main', sha: BASE },
    mergedBy: 'hubot',
    mergedAt: '2024-05-01T12:00:00Z',
    mergeCommitSha: MERGE,
    reviews: [
      { user: 'alice', state: 'APPROVED', commitId: HEAD },
      { user: null, state: 'COMMENTED', commitId: null },
      { user: 'bob', state: 'PENDING', commitId: HEAD },
      { user: 'carol', state: 'CHANGES_REQUESTED', commitId: HEAD, body: 'please fix' },
    ],
  });
  server.addPull('acme/model', { number: 8, head: { ref: 'wip', sha: HEAD }, body: null, draft: true });
}

async function get(path: string): Promise<Response> {
  return fetch(`${fake.apiUrl}${path}`, { headers: { accept: 'application/vnd.github+json' } });
}

describe('the fake GitHub server', () => {
  it("answers every route as GitHub's OpenAPI description says", async () => {
    const paths = [
      `/repos/acme/model/commits/${MERGE}`,
      `/repos/acme/model/commits/${HEAD}`,
      `/repos/acme/model/commits/${'d'.repeat(40)}`, // 422: no such commit
      `/repos/nobody/nothing/commits/${HEAD}`, // 404
      `/repos/acme/model/commits/${HEAD}/pulls`,
      `/repos/acme/model/commits/${HEAD}/pulls?per_page=1&page=2`,
      '/repos/acme/model/pulls/7',
      '/repos/acme/model/pulls/8',
      '/repos/acme/model/pulls/99', // 404
      '/repos/acme/model/pulls/7/reviews',
      '/repos/acme/model/pulls/7/reviews?per_page=2&page=2',
      '/repos/acme/model/issues/7/labels',
    ];
    for (const path of paths) await (await get(path)).arrayBuffer();

    const checked = new Set<string>();
    const problems: string[] = [];
    const answered = fake.requests.filter(
      (request): request is RecordedRequest & { route: string; status: number } =>
        Boolean(request.route && request.status !== undefined && !request.fault),
    );
    expect(answered).toHaveLength(paths.length);
    for (const request of answered) {
      const operation = findOperation(request.method, request.route);
      expect(operation?.operationId).toBe(request.operationId);
      if (!operation) continue;
      const schema = responseSchema(operation, request.status);
      if (schema === undefined) {
        problems.push(
          `${request.method} ${request.path}: status ${request.status} is not documented for ${operation.operationId}`,
        );
        continue;
      }
      if (schema !== null) {
        for (const problem of checkAgainst(schema, request.responseBody))
          problems.push(`${request.method} ${request.path}: ${problem}`);
      }
      if (request.status === 200) checked.add(operation.operationId);
    }
    expect(problems).toEqual([]);
    // Every route in the table was exercised with a successful answer and checked.
    expect([...checked].sort()).toEqual(
      [...new Set(fake.routeTable.map((route) => route.operationId))].sort(),
    );
  });

  it("has every route in GitHub's description under the operationId it claims", () => {
    for (const route of fake.routeTable) {
      expect({
        route: route.path,
        operationId: findOperation(route.method, route.path)?.operationId,
      }).toEqual({
        route: route.path,
        operationId: route.operationId,
      });
    }
  });

  it('checks bodies for real: a missing required field and a wrong type are reported', async () => {
    const operation = findOperation('GET', '/repos/{owner}/{repo}/pulls/{pull_number}/reviews');
    const schema = operation && responseSchema(operation, 200);
    expect(schema).toBeTruthy();
    const review = (await (await get('/repos/acme/model/pulls/7/reviews')).json()) as Record<
      string,
      unknown
    >[];
    const broken = [
      { ...review[0], state: 3 },
      { ...review[0], commit_id: undefined },
    ].map((item) => JSON.parse(JSON.stringify(item)) as unknown);
    const found = checkAgainst(schema as Record<string, unknown>, broken);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/\[0\]\.state: expected string/),
        expect.stringMatching(/\[1\]\.commit_id: is required/),
      ]),
    );

    // Deep inside a pull request: the head repository's owner must be a full user.
    const pullOperation = findOperation('GET', '/repos/{owner}/{repo}/pulls/{pull_number}');
    const pullSchema = pullOperation && responseSchema(pullOperation, 200);
    const pull = (await (await get('/repos/acme/model/pulls/7')).json()) as {
      head: { repo: { owner: Record<string, unknown> } };
    };
    delete pull.head.repo.owner.login;
    expect(checkAgainst(pullSchema as Record<string, unknown>, pull)).toEqual([
      '$.head.repo.owner.login: is required',
    ]);
  });

  it('paginates with Link headers that point back at itself', async () => {
    const response = await get('/repos/acme/model/pulls/7/reviews?per_page=1');
    const link = response.headers.get('link') ?? '';
    await response.arrayBuffer();
    expect(link).toContain(`<${fake.apiUrl}/repos/acme/model/pulls/7/reviews?per_page=1&page=2>; rel="next"`);
    expect(link).toContain('page=4>; rel="last"');
  });

  it('serves only under its API root', async () => {
    const response = await fetch(`${fake.serverUrl}/repos/acme/model/pulls/7`);
    await response.arrayBuffer();
    expect(response.status).toBe(404);
  });
});
