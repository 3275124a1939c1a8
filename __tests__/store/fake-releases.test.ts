import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { answerProblems, findOperation } from '../support/openapi.js';
import { REPOSITORY, TOKEN, startGitHubLedger, type GitHubLedgerServer } from '../support/github-store.js';

/**
 * The fake's releases, assets and attestations answer as GitHub's OpenAPI description says, and
 * refuse requests it does not allow, as GitHub does.
 */
let server: GitHubLedgerServer;
beforeAll(async () => {
  server = await startGitHubLedger();
});
afterAll(async () => {
  await server.close();
});

async function call(
  method: string,
  path: string,
  options: { body?: string; contentType?: string; accept?: string; base?: string } = {},
): Promise<{ status: number; json: unknown; location: string | null }> {
  const response = await fetch(`${options.base ?? server.fake.apiUrl}${path}`, {
    method,
    redirect: 'manual',
    headers: {
      authorization: `token ${TOKEN}`,
      accept: options.accept ?? 'application/vnd.github+json',
      ...(options.body === undefined ? {} : { 'content-type': options.contentType ?? 'application/json' }),
    },
    ...(options.body === undefined ? {} : { body: options.body }),
  });
  const text = await response.text();
  const json: unknown = response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
  return { status: response.status, json, location: response.headers.get('location') };
}

const RELEASE_OPERATIONS = [
  'repos/create-attestation',
  'repos/create-release',
  'repos/delete-release',
  'repos/delete-release-asset',
  'repos/get-release',
  'repos/get-release-asset',
  'repos/get-release-by-tag',
  'repos/list-release-assets',
  'repos/list-releases',
  'repos/update-release',
  'repos/upload-release-asset',
];

describe('the fake GitHub releases', () => {
  it("answer every route as GitHub's OpenAPI description says", async () => {
    const repo = '/repos/acme/model';
    const draft = await call('POST', `${repo}/releases`, {
      body: JSON.stringify({ tag_name: 'v1', name: 'v1', draft: true, prerelease: true }),
    });
    expect(draft.status).toBe(201);
    const release = draft.json as { id: number; upload_url: string };
    expect((await call('GET', `${repo}/releases/tags/v1`)).status).toBe(404); // drafts are not found by tag
    const uploadUrl = release.upload_url.replace('{?name,label}', '?name=a.json&label=A');
    const uploaded = await call('POST', '', {
      base: uploadUrl,
      body: '{"a":1}',
      contentType: 'application/octet-stream',
    });
    expect(uploaded.status).toBe(201);
    const asset = uploaded.json as { id: number };
    expect(
      (await call('POST', '', { base: uploadUrl, body: 'x', contentType: 'application/octet-stream' }))
        .status,
    ).toBe(422);
    expect((await call('PATCH', `${repo}/releases/${release.id}`, { body: '{"draft":false}' })).status).toBe(
      200,
    );
    expect((await call('GET', `${repo}/releases/tags/v1`)).status).toBe(200);
    const second = await call('POST', `${repo}/releases`, { body: JSON.stringify({ tag_name: 'v1' }) });
    expect(second.status).toBe(422); // a second published release of the tag
    expect((await call('GET', `${repo}/releases?per_page=1`)).status).toBe(200);
    expect((await call('GET', `${repo}/releases/${release.id}`)).status).toBe(200);
    expect((await call('GET', `${repo}/releases/${release.id}/assets?per_page=100&page=1`)).status).toBe(200);
    expect((await call('GET', `${repo}/releases/assets/${asset.id}`)).status).toBe(200);
    const download = await call('GET', `${repo}/releases/assets/${asset.id}`, {
      accept: 'application/octet-stream',
    });
    expect(download.status).toBe(302);
    expect(await (await fetch(download.location ?? '')).text()).toBe('{"a":1}');
    const attested = await call('POST', `${repo}/attestations`, {
      body: JSON.stringify({ bundle: { mediaType: 'm', verificationMaterial: {}, dsseEnvelope: {} } }),
    });
    expect(attested.status).toBe(201);
    expect((await call('DELETE', `${repo}/releases/assets/${asset.id}`)).status).toBe(204);
    expect((await call('DELETE', `${repo}/releases/${release.id}`)).status).toBe(204);
    expect((await call('GET', `${repo}/releases/tags/v1`)).status).toBe(404);

    const { problems, checked } = answerProblems(server.fake.requests);
    expect(problems).toEqual([]);
    expect([...checked].filter((id) => RELEASE_OPERATIONS.includes(id)).sort()).toEqual(RELEASE_OPERATIONS);
    expect(server.fake.invalidRequests).toEqual([]);
  });

  it("serves a public release asset's download from the web host without a token, not a private one's", async () => {
    const release = server.releases.addRelease(REPOSITORY, { tagName: 'v9' });
    server.releases.addAsset(release, 'model.bin', 'weights');
    const url = `${server.fake.serverUrl}/acme/model/releases/download/v9/model.bin`;
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('weights');
    expect((await fetch(`${server.fake.serverUrl}/acme/model/releases/download/v9/other.bin`)).status).toBe(
      404,
    );
    const repo = server.fake.repos.get('acme/model');
    if (!repo) throw new Error('no repository');
    repo.private = true;
    try {
      expect((await fetch(url)).status).toBe(404);
    } finally {
      repo.private = false;
      server.releases.releases.splice(server.releases.releases.indexOf(release), 1);
    }
  });

  it("has every route in GitHub's description under the operationId it claims", () => {
    // The web host's download route is not part of the REST API: checked below instead.
    for (const route of server.fake.routeTable.filter((candidate) => !candidate.web)) {
      expect({
        route: route.path,
        operationId: findOperation(route.method, route.path)?.operationId,
      }).toEqual({
        route: route.path,
        operationId: route.operationId,
      });
    }
  });

  it('refuses, with 422, requests the description does not allow, naming what is wrong', async () => {
    const before = server.fake.invalidRequests.length;
    const repo = '/repos/acme/model';
    const cases = [
      await call('GET', `${repo}/releases?per_page=many`),
      await call('GET', `${repo}/releases?perpage=100`),
      await call('POST', `${repo}/releases`, { body: JSON.stringify({ tag_name: 7 }) }),
      await call('POST', `${repo}/releases`, { body: JSON.stringify({ name: 'no tag' }) }),
      await call('POST', `${repo}/attestations`, { body: '{}' }),
      await call('POST', `${repo}/releases/1/assets`, {
        base: `${server.fake.serverUrl}/api/uploads`,
        body: 'x',
        contentType: 'application/octet-stream',
      }),
    ];
    expect(cases.map((answer) => answer.status)).toEqual([422, 422, 422, 422, 422, 422]);
    expect(server.fake.invalidRequests.slice(before)).toEqual([
      expect.stringMatching(/per_page.*expected integer, found string/),
      expect.stringMatching(/query parameter "perpage": is not declared/),
      expect.stringMatching(/\$body\.tag_name: expected string, found integer/),
      expect.stringMatching(/\$body\.tag_name: is required/),
      expect.stringMatching(/\$body\.bundle: is required/),
      expect.stringMatching(/query parameter "name": is required/),
    ]);
    expect(server.releases.releasesOf(REPOSITORY)).toEqual([]);
  });
});
