/**
 * A fake GitHub REST API on 127.0.0.1 (node:http, port 0), for tests that must talk real HTTP.
 *
 * - Routing is a table of `Route`s with OpenAPI path templates and operationIds
 *   (`/repos/{owner}/{repo}/pulls/{pull_number}`, `pulls/get`); add endpoints with `fake.route()`.
 *   __tests__/github/fake-github.test.ts checks every route's responses against GitHub's
 *   published OpenAPI description, so a new route must conform too. Requests are checked against
 *   it as they arrive: one it does not allow (parameter, media type, JSON body) is answered 422
 *   and listed in `fake.invalidRequests`.
 * - State is plain data (`fake.repo(owner, name)` → commits, pulls) that tests fill in.
 * - Faults are queued with `fake.fail(fault, { times, match })`: 5xx, 429/403 rate limits with
 *   `retry-after` / `x-ratelimit-reset`, timeouts (no answer), truncated bodies.
 * - Every request is logged in `fake.requests` with its time, route, status and body.
 * - The API is served under `/api/v3` (as on GitHub Enterprise Server), so a client that ignores
 *   the base URL it is given fails.
 */
import { createHash } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

import { requestProblems } from './openapi.js';

// ---------------------------------------------------------------------------------------------
// State

export interface FakeGitPerson {
  name: string;
  email: string;
  date: string;
}

export interface FakeVerification {
  verified: boolean;
  reason: string;
  signature?: string | null;
  payload?: string | null;
  verifiedAt?: string | null;
}

export interface FakeCommit {
  sha: string;
  message: string;
  tree: string;
  parents: string[];
  author: FakeGitPerson;
  committer: FakeGitPerson;
  /** GitHub accounts linked to the commit's emails; null when none. */
  authorLogin?: string | null;
  committerLogin?: string | null;
  verification?: FakeVerification;
}

export interface FakeReview {
  user: string | null;
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';
  commitId: string | null;
  submittedAt?: string;
  body?: string;
}

export interface FakePull {
  number: number;
  title: string;
  body: string | null;
  user: string;
  labels: string[];
  state: 'open' | 'closed';
  draft: boolean;
  base: { ref: string; sha: string };
  head: { ref: string; sha: string };
  mergedBy: string | null;
  mergedAt: string | null;
  mergeCommitSha: string | null;
  createdAt: string;
  /** Commits on the pull request's branch (besides the head); `commits/{sha}/pulls` lists the PR for them too. */
  commits: string[];
  reviews: FakeReview[];
}

export interface FakeRepo {
  owner: string;
  name: string;
  id: number;
  private: boolean;
  defaultBranch: string;
  commits: Map<string, FakeCommit>;
  pulls: Map<number, FakePull>;
}

// ---------------------------------------------------------------------------------------------
// Routing and faults

export interface RecordedRequest {
  method: string;
  /** Path below the API root (or the route's own base), e.g. `/repos/acme/model/pulls/1`. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body's bytes as sent (uploads are binary; `body` is their UTF-8 reading). */
  bytes: Buffer;
  /** Milliseconds since the epoch when the request arrived. */
  at: number;
  /** The route that answered, when one did. */
  operationId?: string;
  route?: string;
  status?: number;
  /** The JSON body answered (before any truncation). */
  responseBody?: unknown;
  /** The fault applied instead of, or on top of, the route's answer. */
  fault?: Fault['kind'];
}

export interface RouteResponse {
  status: number;
  /** Serialized as JSON. */
  body?: unknown;
  /** Sent as is (binary downloads); `body` is ignored when set. */
  raw?: Buffer | string;
  headers?: Record<string, string>;
}

export interface RouteContext {
  fake: FakeGitHub;
  params: Record<string, string>;
  query: URLSearchParams;
  request: RecordedRequest;
}

export interface Route {
  method: string;
  /** OpenAPI path template, as in GitHub's description. */
  path: string;
  /** GitHub's operationId for it (`repos/get-commit`). */
  operationId: string;
  /** Path prefix the route is served under; default the API root `/api/v3` (uploads use `/api/uploads`). */
  base?: string;
  /**
   * A page of the web host rather than the REST API (`github.com/OWNER/REPO/releases/download/…`):
   * not in GitHub's API description, not counted against the API, and public repositories serve it
   * without a token.
   */
  web?: boolean;
  handle(context: RouteContext): RouteResponse | Promise<RouteResponse>;
}

export type Fault =
  /** An error status with a GitHub-style JSON body. */
  | { kind: 'status'; status: number; message?: string }
  /** A rate limit: 429, or 403 (`secondary` for GitHub's secondary limits), with the headers given. */
  | {
      kind: 'rate-limit';
      status: 403 | 429;
      secondary?: boolean;
      retryAfter?: number | string;
      /** Epoch seconds for `x-ratelimit-reset`; `x-ratelimit-remaining: 0` is sent with it. */
      reset?: number;
    }
  /** Never answers; the connection stays open until the client gives up or the server closes. */
  | { kind: 'timeout' }
  /**
   * Answers the route's response cut in half: `close` announces the full length and drops the
   * connection; `short` announces the cut length (a complete HTTP message with broken JSON).
   */
  | { kind: 'truncate'; mode?: 'close' | 'short' };

interface FaultRule {
  fault: Fault;
  remaining: number;
  match: (request: RecordedRequest) => boolean;
}

interface CompiledRoute extends Route {
  regex: RegExp;
  names: string[];
}

export const API_BASE = '/api/v3';
const DOCS = 'https://docs.github.com/rest';

export class FakeGitHub {
  readonly requests: RecordedRequest[] = [];
  /** Requests refused because GitHub's OpenAPI description does not allow them (each answered 422). */
  readonly invalidRequests: string[] = [];
  readonly repos = new Map<string, FakeRepo>();
  /** When set, requests must carry `authorization: token <it>` (or `Bearer`), else 401. */
  token: string | undefined;
  /** Requests allowed in this hour before the primary rate limit answers 403. */
  rateLimit = 1000;
  /** The server's clock, sent as the `date` header (the releases fake keeps its own clock). */
  serverTime: () => Date = () => new Date();

  private readonly routes: CompiledRoute[] = [];
  private readonly faults: FaultRule[] = [];
  private readonly server: Server;
  private port = 0;

  private constructor() {
    this.server = createServer((request, response) => {
      this.dispatch(request, response).catch((error: unknown) => {
        if (!response.headersSent)
          response.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
        response.end(JSON.stringify({ message: `fake GitHub bug: ${String(error)}` }));
      });
    });
    for (const route of DEFAULT_ROUTES) this.route(route);
  }

  static async start(): Promise<FakeGitHub> {
    const fake = new FakeGitHub();
    await new Promise<void>((resolve, reject) => {
      fake.server.once('error', reject);
      fake.server.listen(0, '127.0.0.1', () => resolve());
    });
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  /** `http://127.0.0.1:PORT`: what GITHUB_SERVER_URL would be. */
  get serverUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The REST API root: what GITHUB_API_URL would be. */
  get apiUrl(): string {
    return `${this.serverUrl}${API_BASE}`;
  }

  /** Environment variables of a GitHub Actions run against this server. */
  env(repository = 'acme/model'): Record<string, string> {
    return {
      GITHUB_ACTIONS: 'true',
      GITHUB_REPOSITORY: repository,
      GITHUB_SERVER_URL: this.serverUrl,
      GITHUB_API_URL: this.apiUrl,
    };
  }

  /** Adds (or replaces) an endpoint. */
  route(route: Route): void {
    const names: string[] = [];
    const pattern = route.path
      .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
      .replace(/\{(\w+)\}/g, (_whole, name: string) => {
        names.push(name);
        return '([^/]+)';
      });
    const compiled: CompiledRoute = { ...route, regex: new RegExp(`^${pattern}$`), names };
    const existing = this.routes.findIndex(
      (r) => r.method === route.method && r.path === route.path && r.base === route.base,
    );
    if (existing >= 0) this.routes[existing] = compiled;
    else this.routes.push(compiled);
  }

  /** Every endpoint served, for the conformance test. */
  get routeTable(): readonly Route[] {
    return this.routes;
  }

  /** Applies `fault` to the next `times` requests that `match` (default: any). */
  fail(fault: Fault, options: { times?: number; match?: (request: RecordedRequest) => boolean } = {}): void {
    this.faults.push({ fault, remaining: options.times ?? 1, match: options.match ?? (() => true) });
  }

  /** Removes every queued fault. */
  clearFaults(): void {
    this.faults.length = 0;
  }

  /** The repository `owner/name`, created empty on first use. */
  repo(owner: string, name: string): FakeRepo {
    const key = `${owner}/${name}`.toLowerCase();
    let repo = this.repos.get(key);
    if (!repo) {
      repo = {
        owner,
        name,
        id: numericId(key),
        private: false,
        defaultBranch: 'main',
        commits: new Map(),
        pulls: new Map(),
      };
      this.repos.set(key, repo);
    }
    return repo;
  }

  addCommit(repository: string, commit: Partial<FakeCommit> & { sha: string }): FakeCommit {
    const [owner, name] = splitRepository(repository);
    const date = '2024-05-01T12:00:00Z';
    const full: FakeCommit = {
      message: 'a commit',
      tree: commit.sha.split('').reverse().join(''),
      parents: [],
      author: { name: 'Ada Lovelace', email: 'ada@example.org', date },
      committer: { name: 'Ada Lovelace', email: 'ada@example.org', date },
      authorLogin: null,
      committerLogin: null,
      ...commit,
    };
    this.repo(owner, name).commits.set(full.sha, full);
    return full;
  }

  addPull(
    repository: string,
    pull: Partial<FakePull> & { number: number; head: FakePull['head'] },
  ): FakePull {
    const [owner, name] = splitRepository(repository);
    const full: FakePull = {
      title: `Pull request ${pull.number}`,
      body: null,
      user: 'octocat',
      labels: [],
      state: 'open',
      draft: false,
      base: { ref: 'main', sha: '0'.repeat(40) },
      mergedBy: null,
      mergedAt: null,
      mergeCommitSha: null,
      createdAt: '2024-05-01T10:00:00Z',
      commits: [],
      reviews: [],
      ...pull,
    };
    this.repo(owner, name).pulls.set(full.number, full);
    return full;
  }

  /** Requests that reached a route with this operationId. */
  requestsFor(operationId: string): RecordedRequest[] {
    return this.requests.filter((request) => request.operationId === operationId);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // -------------------------------------------------------------------------------------------

  private async dispatch(incoming: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(incoming.url ?? '/', this.serverUrl);
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const request: RecordedRequest = {
      method: incoming.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: incoming.headers,
      body: Buffer.concat(chunks).toString('utf8'),
      bytes: Buffer.concat(chunks),
      at: Date.now(),
    };
    this.requests.push(request);

    const rule = this.faults.find((candidate) => candidate.remaining > 0 && candidate.match(request));
    if (rule) rule.remaining -= 1;
    const fault = rule?.fault;
    if (fault) request.fault = fault.kind;
    if (fault?.kind === 'timeout') return; // never answer
    if (fault?.kind === 'status') {
      this.send(response, request, {
        status: fault.status,
        body: errorBody(fault.message ?? statusText(fault.status)),
      });
      return;
    }
    if (fault?.kind === 'rate-limit') {
      this.sendRateLimit(response, request, fault);
      return;
    }

    const answer = await this.answer(request);
    if (fault?.kind === 'truncate') {
      const full = Buffer.from(answer.raw ?? JSON.stringify(answer.body ?? null));
      const cut = full.subarray(0, Math.floor(full.length / 2));
      response.writeHead(answer.status, {
        ...this.commonHeaders(),
        'content-type': 'application/json; charset=utf-8',
        'content-length': String(fault.mode === 'short' ? cut.length : full.length),
      });
      response.write(cut, () => {
        if (fault.mode === 'short') response.end();
        else response.destroy();
      });
      return;
    }
    this.send(response, request, answer);
  }

  private async answer(request: RecordedRequest): Promise<RouteResponse> {
    for (const route of this.routes) {
      const base = route.base ?? API_BASE;
      if (route.method !== request.method || !request.path.startsWith(`${base}/`)) continue;
      const match = route.regex.exec(request.path.slice(base.length));
      if (!match) continue;
      request.operationId = route.operationId;
      request.route = route.path;
      if (route.web)
        return route.handle({ fake: this, params: webParams(route, match), query: request.query, request });
      const denied = this.authorize(request);
      if (denied) return denied;
      const params = Object.fromEntries(
        route.names.map((name, index) => [name, decodeURIComponent(match[index + 1] as string)]),
      );
      // GitHub refuses what its description does not allow; so does the fake, naming the problem.
      const invalid = requestProblems(route.method, route.path, {
        params,
        query: request.query,
        contentType: request.headers['content-type'],
        body: request.body,
      });
      if (invalid.length > 0) {
        this.invalidRequests.push(
          ...invalid.map((problem) => `${request.method} ${request.path}: ${problem}`),
        );
        return { status: 422, body: errorBody(`Invalid request.\n\n${invalid.join('\n')}`) };
      }
      return route.handle({ fake: this, params, query: request.query, request });
    }
    return { status: 404, body: errorBody('Not Found') };
  }

  private authorize(request: RecordedRequest): RouteResponse | undefined {
    if (this.token === undefined) return undefined;
    const header = request.headers.authorization ?? '';
    const given = /^(?:token|bearer)\s+(.+)$/i.exec(header)?.[1];
    if (given === this.token) return undefined;
    return { status: 401, body: errorBody('Bad credentials') };
  }

  private used(): number {
    return this.requests.length;
  }

  private commonHeaders(): Record<string, string> {
    return {
      date: this.serverTime().toUTCString(),
      'x-github-request-id': createHash('sha1')
        .update(String(this.requests.length))
        .digest('hex')
        .slice(0, 16)
        .toUpperCase(),
      'x-ratelimit-limit': String(this.rateLimit),
      'x-ratelimit-remaining': String(Math.max(0, this.rateLimit - this.used())),
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      'x-ratelimit-used': String(this.used()),
      'x-ratelimit-resource': 'core',
      'x-github-api-version-selected': '2022-11-28',
    };
  }

  private send(response: ServerResponse, request: RecordedRequest, answer: RouteResponse): void {
    request.status = answer.status;
    const headers: Record<string, string> = { ...this.commonHeaders(), ...answer.headers };
    let payload: Buffer | undefined;
    if (answer.raw !== undefined) {
      payload = Buffer.from(answer.raw);
      headers['content-type'] ??= 'application/octet-stream';
    } else if (answer.body !== undefined) {
      request.responseBody = answer.body;
      payload = Buffer.from(JSON.stringify(answer.body));
      headers['content-type'] = 'application/json; charset=utf-8';
    }
    if (payload) headers['content-length'] = String(payload.length);
    response.writeHead(answer.status, headers);
    response.end(payload);
  }

  private sendRateLimit(
    response: ServerResponse,
    request: RecordedRequest,
    fault: Extract<Fault, { kind: 'rate-limit' }>,
  ): void {
    const headers: Record<string, string> = {};
    if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
    if (fault.reset !== undefined) {
      headers['x-ratelimit-remaining'] = '0';
      headers['x-ratelimit-reset'] = String(fault.reset);
    }
    const message = fault.secondary
      ? 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.'
      : 'API rate limit exceeded for installation ID 1.';
    this.send(response, request, { status: fault.status, body: errorBody(message), headers });
  }
}

// ---------------------------------------------------------------------------------------------
// Default routes: what model-ledger's collectors call

const DEFAULT_ROUTES: Route[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/commits/{ref}',
    operationId: 'repos/get-commit',
    handle: ({ fake, params }) => {
      const repo = findRepo(fake, params);
      if (!repo) return notFound();
      const commit = repo.commits.get(params.ref as string);
      if (!commit) return { status: 422, body: errorBody(`No commit found for SHA: ${params.ref}`) };
      return { status: 200, body: commitBody(fake, repo, commit) };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/commits/{commit_sha}/pulls',
    operationId: 'repos/list-pull-requests-associated-with-commit',
    handle: (context) => {
      const repo = findRepo(context.fake, context.params);
      if (!repo) return notFound();
      const sha = context.params.commit_sha as string;
      const pulls = [...repo.pulls.values()].filter(
        (pull) => pull.head.sha === sha || pull.mergeCommitSha === sha || pull.commits.includes(sha),
      );
      return paginate(
        context,
        pulls.map((pull) => pullSimpleBody(context.fake, repo, pull)),
      );
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/pulls/{pull_number}',
    operationId: 'pulls/get',
    handle: ({ fake, params }) => {
      const repo = findRepo(fake, params);
      const pull = repo?.pulls.get(Number(params.pull_number));
      if (!repo || !pull) return notFound();
      return { status: 200, body: pullBody(fake, repo, pull) };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/pulls/{pull_number}/reviews',
    operationId: 'pulls/list-reviews',
    handle: (context) => {
      const repo = findRepo(context.fake, context.params);
      const pull = repo?.pulls.get(Number(context.params.pull_number));
      if (!repo || !pull) return notFound();
      return paginate(
        context,
        pull.reviews.map((review, index) => reviewBody(context.fake, repo, pull, review, index)),
      );
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/issues/{issue_number}/labels',
    operationId: 'issues/list-labels-on-issue',
    handle: (context) => {
      const repo = findRepo(context.fake, context.params);
      const pull = repo?.pulls.get(Number(context.params.issue_number));
      if (!repo || !pull) return notFound();
      return paginate(
        context,
        pull.labels.map((label) => labelBody(context.fake, repo, label)),
      );
    },
  },
];

// ---------------------------------------------------------------------------------------------
// Helpers for routes (exported for routes added by other tests)

export function errorBody(message: string): { message: string; documentation_url: string; status?: string } {
  return { message, documentation_url: DOCS };
}

export function notFound(): RouteResponse {
  return { status: 404, body: { ...errorBody('Not Found'), status: '404' } };
}

export function findRepo(fake: FakeGitHub, params: Record<string, string>): FakeRepo | undefined {
  return fake.repos.get(`${params.owner}/${params.repo}`.toLowerCase());
}

/** GitHub's page-based pagination: `per_page` (default 30, at most 100), `page`, and a Link header. */
export function paginate(context: RouteContext, items: unknown[]): RouteResponse {
  const perPage = Math.min(100, Math.max(1, Number(context.query.get('per_page') ?? 30) || 30));
  const page = Math.max(1, Number(context.query.get('page') ?? 1) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const pageUrl = (n: number): string => {
    const query = new URLSearchParams(context.query);
    query.set('per_page', String(perPage));
    query.set('page', String(n));
    return `${context.fake.serverUrl}${context.request.path}?${query.toString()}`;
  };
  const links: string[] = [];
  if (page > 1) links.push(`<${pageUrl(page - 1)}>; rel="prev"`);
  if (page < last) links.push(`<${pageUrl(page + 1)}>; rel="next"`);
  if (page < last) links.push(`<${pageUrl(last)}>; rel="last"`);
  if (page > 1) links.push(`<${pageUrl(1)}>; rel="first"`);
  return {
    status: 200,
    body: items.slice((page - 1) * perPage, page * perPage),
    ...(links.length > 0 ? { headers: { link: links.join(', ') } } : {}),
  };
}

export function numericId(text: string): number {
  return Number.parseInt(createHash('sha256').update(text).digest('hex').slice(0, 8), 16);
}

function nodeId(kind: string, id: number): string {
  return Buffer.from(`${kind}${id}`).toString('base64');
}

export function userBody(fake: FakeGitHub, login: string): Record<string, unknown> {
  const id = numericId(`user:${login}`);
  const api = `${fake.apiUrl}/users/${login}`;
  return {
    login,
    id,
    node_id: nodeId('04:User', id),
    avatar_url: `${fake.serverUrl}/avatars/u/${id}`,
    gravatar_id: '',
    url: api,
    html_url: `${fake.serverUrl}/${login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: 'User',
    site_admin: false,
  };
}

export function repositoryBody(fake: FakeGitHub, repo: FakeRepo): Record<string, unknown> {
  const full = `${repo.owner}/${repo.name}`;
  const api = `${fake.apiUrl}/repos/${full}`;
  const host = new URL(fake.serverUrl).host;
  return {
    id: repo.id,
    node_id: nodeId('010:Repository', repo.id),
    name: repo.name,
    full_name: full,
    owner: userBody(fake, repo.owner),
    private: repo.private,
    html_url: `${fake.serverUrl}/${full}`,
    description: null,
    fork: false,
    url: api,
    archive_url: `${api}/{archive_format}{/ref}`,
    assignees_url: `${api}/assignees{/user}`,
    blobs_url: `${api}/git/blobs{/sha}`,
    branches_url: `${api}/branches{/branch}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    comments_url: `${api}/comments{/number}`,
    commits_url: `${api}/commits{/sha}`,
    compare_url: `${api}/compare/{base}...{head}`,
    contents_url: `${api}/contents/{+path}`,
    contributors_url: `${api}/contributors`,
    deployments_url: `${api}/deployments`,
    downloads_url: `${api}/downloads`,
    events_url: `${api}/events`,
    forks_url: `${api}/forks`,
    git_commits_url: `${api}/git/commits{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_url: `git://${host}/${full}.git`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    issue_events_url: `${api}/issues/events{/number}`,
    issues_url: `${api}/issues{/number}`,
    keys_url: `${api}/keys{/key_id}`,
    labels_url: `${api}/labels{/name}`,
    languages_url: `${api}/languages`,
    merges_url: `${api}/merges`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    pulls_url: `${api}/pulls{/number}`,
    releases_url: `${api}/releases{/id}`,
    ssh_url: `git@${host}:${full}.git`,
    stargazers_url: `${api}/stargazers`,
    statuses_url: `${api}/statuses/{sha}`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    tags_url: `${api}/tags`,
    teams_url: `${api}/teams`,
    trees_url: `${api}/git/trees{/sha}`,
    clone_url: `${fake.serverUrl}/${full}.git`,
    mirror_url: null,
    hooks_url: `${api}/hooks`,
    svn_url: `${fake.serverUrl}/${full}`,
    homepage: null,
    language: 'Python',
    forks_count: 0,
    forks: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    size: 1,
    default_branch: repo.defaultBranch,
    open_issues_count: 0,
    open_issues: 0,
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: true,
    archived: false,
    disabled: false,
    visibility: repo.private ? 'private' : 'public',
    pushed_at: '2024-05-01T12:00:00Z',
    created_at: '2024-01-01T00:00:00Z',
    updated_at: '2024-05-01T12:00:00Z',
    license: null,
  };
}

export function commitBody(fake: FakeGitHub, repo: FakeRepo, commit: FakeCommit): Record<string, unknown> {
  const api = `${fake.apiUrl}/repos/${repo.owner}/${repo.name}`;
  const html = `${fake.serverUrl}/${repo.owner}/${repo.name}`;
  const verification = commit.verification ?? { verified: false, reason: 'unsigned' };
  return {
    sha: commit.sha,
    node_id: nodeId('06:Commit', numericId(commit.sha)),
    url: `${api}/commits/${commit.sha}`,
    html_url: `${html}/commit/${commit.sha}`,
    comments_url: `${api}/commits/${commit.sha}/comments`,
    commit: {
      url: `${api}/git/commits/${commit.sha}`,
      author: commit.author,
      committer: commit.committer,
      message: commit.message,
      comment_count: 0,
      tree: { sha: commit.tree, url: `${api}/git/trees/${commit.tree}` },
      verification: {
        verified: verification.verified,
        reason: verification.reason,
        signature: verification.signature ?? null,
        payload: verification.payload ?? null,
        verified_at: verification.verifiedAt ?? null,
      },
    },
    author: commit.authorLogin ? userBody(fake, commit.authorLogin) : null,
    committer: commit.committerLogin ? userBody(fake, commit.committerLogin) : null,
    parents: commit.parents.map((sha) => ({
      sha,
      url: `${api}/commits/${sha}`,
      html_url: `${html}/commit/${sha}`,
    })),
    stats: { additions: 0, deletions: 0, total: 0 },
    files: [],
  };
}

export function labelBody(fake: FakeGitHub, repo: FakeRepo, name: string): Record<string, unknown> {
  const id = numericId(`label:${repo.owner}/${repo.name}:${name}`);
  return {
    id,
    node_id: nodeId('05:Label', id),
    url: `${fake.apiUrl}/repos/${repo.owner}/${repo.name}/labels/${encodeURIComponent(name)}`,
    name,
    description: '',
    color: 'ededed',
    default: false,
  };
}

function pullCommon(fake: FakeGitHub, repo: FakeRepo, pull: FakePull): Record<string, unknown> {
  const api = `${fake.apiUrl}/repos/${repo.owner}/${repo.name}`;
  const html = `${fake.serverUrl}/${repo.owner}/${repo.name}`;
  const id = numericId(`pull:${repo.owner}/${repo.name}#${pull.number}`);
  const self = `${api}/pulls/${pull.number}`;
  const side = (which: FakePull['base']) => ({
    label: `${repo.owner}:${which.ref}`,
    ref: which.ref,
    sha: which.sha,
    user: userBody(fake, repo.owner),
    repo: repositoryBody(fake, repo),
  });
  const updated = pull.mergedAt ?? pull.createdAt;
  return {
    url: self,
    id,
    node_id: nodeId('011:PullRequest', id),
    html_url: `${html}/pull/${pull.number}`,
    diff_url: `${html}/pull/${pull.number}.diff`,
    patch_url: `${html}/pull/${pull.number}.patch`,
    issue_url: `${api}/issues/${pull.number}`,
    commits_url: `${self}/commits`,
    review_comments_url: `${self}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${api}/issues/${pull.number}/comments`,
    statuses_url: `${api}/statuses/${pull.head.sha}`,
    number: pull.number,
    state: pull.state,
    locked: false,
    title: pull.title,
    user: userBody(fake, pull.user),
    body: pull.body,
    labels: pull.labels.map((label) => labelBody(fake, repo, label)),
    milestone: null,
    active_lock_reason: null,
    created_at: pull.createdAt,
    updated_at: updated,
    closed_at: pull.state === 'closed' ? updated : null,
    merged_at: pull.mergedAt,
    merge_commit_sha: pull.mergeCommitSha,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: side(pull.head),
    base: side(pull.base),
    _links: {
      self: { href: self },
      html: { href: `${html}/pull/${pull.number}` },
      issue: { href: `${api}/issues/${pull.number}` },
      comments: { href: `${api}/issues/${pull.number}/comments` },
      review_comments: { href: `${self}/comments` },
      review_comment: { href: `${api}/pulls/comments{/number}` },
      commits: { href: `${self}/commits` },
      statuses: { href: `${api}/statuses/${pull.head.sha}` },
    },
    author_association: pull.user === repo.owner ? 'OWNER' : 'CONTRIBUTOR',
    auto_merge: null,
    draft: pull.draft,
  };
}

export function pullSimpleBody(fake: FakeGitHub, repo: FakeRepo, pull: FakePull): Record<string, unknown> {
  return pullCommon(fake, repo, pull);
}

export function pullBody(fake: FakeGitHub, repo: FakeRepo, pull: FakePull): Record<string, unknown> {
  const merged = pull.mergedAt !== null;
  return {
    ...pullCommon(fake, repo, pull),
    merged,
    mergeable: merged ? null : true,
    rebaseable: merged ? null : true,
    mergeable_state: merged ? 'unknown' : 'clean',
    merged_by: pull.mergedBy ? userBody(fake, pull.mergedBy) : null,
    comments: 0,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: pull.commits.length + 1,
    additions: 0,
    deletions: 0,
    changed_files: 0,
  };
}

export function reviewBody(
  fake: FakeGitHub,
  repo: FakeRepo,
  pull: FakePull,
  review: FakeReview,
  index: number,
): Record<string, unknown> {
  const id = numericId(`review:${repo.owner}/${repo.name}#${pull.number}:${index}`);
  const html = `${fake.serverUrl}/${repo.owner}/${repo.name}/pull/${pull.number}#pullrequestreview-${id}`;
  const pullUrl = `${fake.apiUrl}/repos/${repo.owner}/${repo.name}/pulls/${pull.number}`;
  return {
    id,
    node_id: nodeId('017:PullRequestReview', id),
    user: review.user === null ? null : userBody(fake, review.user),
    body: review.body ?? '',
    state: review.state,
    html_url: html,
    pull_request_url: pullUrl,
    _links: { html: { href: html }, pull_request: { href: pullUrl } },
    ...(review.state === 'PENDING' ? {} : { submitted_at: review.submittedAt ?? '2024-05-01T11:00:00Z' }),
    commit_id: review.commitId,
    author_association: review.user === repo.owner ? 'OWNER' : 'MEMBER',
  };
}

function splitRepository(repository: string): [string, string] {
  const [owner, name] = repository.split('/');
  if (!owner || !name) throw new Error(`fake GitHub: "${repository}" is not owner/name`);
  return [owner, name];
}

function statusText(status: number): string {
  const texts: Record<number, string> = {
    500: 'Internal Server Error',
    502: 'Bad Gateway',
    503: 'Service Unavailable',
    504: 'Gateway Timeout',
    404: 'Not Found',
    401: 'Bad credentials',
    403: 'Forbidden',
    422: 'Validation Failed',
  };
  return texts[status] ?? `Status ${status}`;
}

function webParams(route: CompiledRoute, match: RegExpExecArray): Record<string, string> {
  return Object.fromEntries(
    route.names.map((name, index) => [name, decodeURIComponent(match[index + 1] as string)]),
  );
}
