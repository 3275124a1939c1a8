/**
 * Releases, release assets and attestations on the fake GitHub server (fake-github.ts), installed
 * with `FakeReleases.install(fake)`:
 *
 * - the endpoints model-ledger's GitHub store calls, under GitHub's operationIds, answering as
 *   GitHub's OpenAPI description says (checked by __tests__/store/fake-releases.test.ts);
 * - uploads served under `/api/uploads` through the `upload_url` each release carries, as on
 *   GitHub Enterprise Server, so a client that hard-codes uploads.github.com fails;
 * - downloads (`Accept: application/octet-stream`) answered with a 302 to a second server on
 *   another port (another origin, like objects.githubusercontent.com);
 * - GitHub's rules: 422 `already_exists` for a duplicate asset name or a second published release
 *   of a tag; drafts not found by tag; immutable releases (`immutable = true`) refusing new assets
 *   once published; and a switchable fault, an upload that fails half-way and leaves an asset in
 *   state `open` that holds the name.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import {
  errorBody,
  findRepo,
  notFound,
  paginate,
  userBody,
  type FakeGitHub,
  type RouteContext,
  type RouteResponse,
} from './fake-github.js';

export interface FakeAsset {
  id: number;
  name: string;
  label: string | null;
  contentType: string;
  content: Buffer;
  state: 'uploaded' | 'open' | 'starter';
  createdAt: string;
}

export interface FakeRelease {
  id: number;
  owner: string;
  repo: string;
  tagName: string;
  name: string | null;
  body: string | null;
  draft: boolean;
  prerelease: boolean;
  immutable: boolean;
  targetCommitish: string;
  createdAt: string;
  publishedAt: string | null;
  assets: FakeAsset[];
}

export interface FakeAttestation {
  id: number;
  repository: string;
  bundle: unknown;
}

export const UPLOADS_BASE = '/api/uploads';

export class FakeReleases {
  readonly releases: FakeRelease[] = [];
  readonly attestations: FakeAttestation[] = [];
  /** Requests that reached the storage server downloads are redirected to. */
  readonly storageRequests: { path: string; authorization: string | undefined }[] = [];
  /** The repository setting "immutable releases": a release becomes immutable when published. */
  immutable = false;
  /** Answer downloads with a 302 to the storage server, as GitHub does; false: the bytes directly. */
  redirectDownloads = true;
  /** When set, `POST /attestations` answers this instead of storing the bundle. */
  attestationFailure: RouteResponse | undefined;
  /**
   * When set, an upload takes this long (ms): meanwhile its asset is listed in state `starter` and
   * holds the name, as on GitHub while the bytes are still arriving.
   */
  uploadLatency: (() => number) | undefined;

  private nextId = 1_000;
  /** The server's time: one second later at every event, so timestamps are stable and ordered. */
  clock = Date.parse('2024-06-01T00:00:00Z');
  private halfUploads = 0;
  private storagePort = 0;

  private constructor(
    readonly fake: FakeGitHub,
    private readonly storage: Server,
  ) {}

  static async install(fake: FakeGitHub): Promise<FakeReleases> {
    const installed: { releases?: FakeReleases } = {};
    const storage = createServer((request, response) => {
      const content = installed.releases?.serveStorage(request);
      if (!content) return void response.writeHead(404).end();
      response.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': String(content.length),
      });
      response.end(content);
    });
    await new Promise<void>((resolve, reject) => {
      storage.once('error', reject);
      storage.listen(0, '127.0.0.1', () => resolve());
    });
    const releases = new FakeReleases(fake, storage);
    installed.releases = releases;
    releases.storagePort = (storage.address() as AddressInfo).port;
    fake.serverTime = () => new Date(releases.clock);
    for (const route of releaseRoutes(releases)) fake.route(route);
    return releases;
  }

  async close(): Promise<void> {
    this.storage.closeAllConnections();
    await new Promise<void>((resolve) => this.storage.close(() => resolve()));
  }

  /** The next id (releases, assets, attestations share one increasing sequence, as GitHub's ids grow). */
  id(): number {
    this.nextId += 1;
    return this.nextId;
  }

  /** An ISO time one second after the previous one: stable, ordered timestamps. */
  now(): string {
    this.clock += 1_000;
    return new Date(this.clock).toISOString();
  }

  /** Adds a release (published unless `draft`), as a user or an earlier run would have. */
  addRelease(
    repository: string,
    release: Partial<Omit<FakeRelease, 'id' | 'owner' | 'repo' | 'assets'>> & { tagName: string },
  ): FakeRelease {
    const [owner = '', repo = ''] = repository.split('/');
    this.fake.repo(owner, repo);
    const createdAt = this.now();
    const draft = release.draft ?? false;
    const full: FakeRelease = {
      id: this.id(),
      owner,
      repo,
      name: release.tagName,
      body: null,
      draft,
      prerelease: false,
      immutable: !draft && this.immutable,
      targetCommitish: 'main',
      createdAt,
      publishedAt: draft ? null : createdAt,
      assets: [],
      ...release,
    };
    this.releases.push(full);
    return full;
  }

  addAsset(
    release: FakeRelease,
    name: string,
    content: Buffer | string,
    options: { label?: string | null; state?: FakeAsset['state']; contentType?: string } = {},
  ): FakeAsset {
    const asset: FakeAsset = {
      id: this.id(),
      name,
      label: options.label ?? null,
      contentType: options.contentType ?? 'application/octet-stream',
      content: Buffer.from(content),
      state: options.state ?? 'uploaded',
      createdAt: this.now(),
    };
    release.assets.push(asset);
    return asset;
  }

  /** The next `times` uploads fail half-way: an `open` asset with part of the bytes, then a 502. */
  failUploadsHalfway(times = 1): void {
    this.halfUploads += times;
  }

  release(repository: string, tag: string): FakeRelease | undefined {
    return this.releasesOf(repository).find((release) => release.tagName === tag);
  }

  releasesOf(repository: string): FakeRelease[] {
    const [owner = '', repo = ''] = repository.toLowerCase().split('/');
    return this.releases.filter(
      (release) => release.owner.toLowerCase() === owner && release.repo.toLowerCase() === repo,
    );
  }

  /** Every asset of a repository, oldest first, with the tag of its release. */
  assetsOf(repository: string): (FakeAsset & { tag: string })[] {
    return this.releasesOf(repository)
      .flatMap((release) => release.assets.map((asset) => ({ ...asset, tag: release.tagName })))
      .sort((a, b) => a.id - b.id);
  }

  findAsset(id: number): { release: FakeRelease; asset: FakeAsset } | undefined {
    for (const release of this.releases) {
      const asset = release.assets.find((candidate) => candidate.id === id);
      if (asset) return { release, asset };
    }
    return undefined;
  }

  takeHalfUpload(): boolean {
    if (this.halfUploads <= 0) return false;
    this.halfUploads -= 1;
    return true;
  }

  storageUrl(asset: FakeAsset): string {
    return `http://127.0.0.1:${this.storagePort}/assets/${asset.id}?token=${createHash('sha256')
      .update(String(asset.id))
      .digest('hex')
      .slice(0, 20)}`;
  }

  private serveStorage(request: IncomingMessage): Buffer | undefined {
    const url = new URL(request.url ?? '/', 'http://storage');
    this.storageRequests.push({ path: url.pathname, authorization: request.headers.authorization });
    const id = /^\/assets\/(\d+)$/.exec(url.pathname)?.[1];
    const found = id ? this.findAsset(Number(id)) : undefined;
    if (!found || url.searchParams.get('token') === null) return undefined;
    return found.asset.content;
  }
}

// ---------------------------------------------------------------------------------------------
// Bodies

export function releaseBody(fake: FakeGitHub, release: FakeRelease): Record<string, unknown> {
  const api = `${fake.apiUrl}/repos/${release.owner}/${release.repo}`;
  const html = `${fake.serverUrl}/${release.owner}/${release.repo}`;
  const tagPath = release.draft ? `untagged-${release.id}` : encodeURIComponent(release.tagName);
  return {
    url: `${api}/releases/${release.id}`,
    html_url: `${html}/releases/tag/${tagPath}`,
    assets_url: `${api}/releases/${release.id}/assets`,
    upload_url: `${fake.serverUrl}${UPLOADS_BASE}/repos/${release.owner}/${release.repo}/releases/${release.id}/assets{?name,label}`,
    tarball_url: release.draft ? null : `${api}/tarball/${encodeURIComponent(release.tagName)}`,
    zipball_url: release.draft ? null : `${api}/zipball/${encodeURIComponent(release.tagName)}`,
    id: release.id,
    node_id: Buffer.from(`RE_${release.id}`).toString('base64'),
    tag_name: release.tagName,
    target_commitish: release.targetCommitish,
    name: release.name,
    body: release.body,
    draft: release.draft,
    prerelease: release.prerelease,
    immutable: release.immutable,
    created_at: release.createdAt,
    published_at: release.publishedAt,
    updated_at: release.publishedAt ?? release.createdAt,
    author: userBody(fake, 'github-actions[bot]'),
    assets: release.assets.map((asset) => assetBody(fake, release, asset)),
  };
}

export function assetBody(fake: FakeGitHub, release: FakeRelease, asset: FakeAsset): Record<string, unknown> {
  return {
    url: `${fake.apiUrl}/repos/${release.owner}/${release.repo}/releases/assets/${asset.id}`,
    browser_download_url: `${fake.serverUrl}/${release.owner}/${release.repo}/releases/download/${encodeURIComponent(release.tagName)}/${encodeURIComponent(asset.name)}`,
    id: asset.id,
    node_id: Buffer.from(`RA_${asset.id}`).toString('base64'),
    name: asset.name,
    label: asset.label,
    state: asset.state,
    content_type: asset.contentType,
    size: asset.content.length,
    digest:
      asset.state === 'uploaded'
        ? `sha256:${createHash('sha256').update(asset.content).digest('hex')}`
        : null,
    download_count: 0,
    created_at: asset.createdAt,
    updated_at: asset.createdAt,
    uploader: userBody(fake, 'github-actions[bot]'),
  };
}

function validationFailed(resource: string, field: string): RouteResponse {
  return {
    status: 422,
    body: { ...errorBody('Validation Failed'), errors: [{ resource, code: 'already_exists', field }] },
  };
}

// ---------------------------------------------------------------------------------------------
// Routes

function releaseRoutes(state: FakeReleases) {
  const fake = state.fake;
  const releaseOf = (context: RouteContext): FakeRelease | undefined => {
    const repo = findRepo(fake, context.params);
    const id = Number(context.params.release_id);
    return repo
      ? state.releasesOf(`${repo.owner}/${repo.name}`).find((release) => release.id === id)
      : undefined;
  };
  const assetOf = (context: RouteContext) => {
    const found = state.findAsset(Number(context.params.asset_id));
    const repo = findRepo(fake, context.params);
    return found && repo && found.release.owner === repo.owner && found.release.repo === repo.name
      ? found
      : undefined;
  };
  const publish = (release: FakeRelease): RouteResponse | undefined => {
    const taken = state
      .releasesOf(`${release.owner}/${release.repo}`)
      .some((other) => other !== release && !other.draft && other.tagName === release.tagName);
    if (taken) return validationFailed('Release', 'tag_name');
    release.draft = false;
    release.publishedAt = state.now();
    release.immutable = state.immutable;
    return undefined;
  };

  return [
    {
      method: 'GET',
      path: '/repos/{owner}/{repo}/releases',
      operationId: 'repos/list-releases',
      handle: (context: RouteContext): RouteResponse => {
        const repo = findRepo(fake, context.params);
        if (!repo) return notFound();
        const newestFirst = [...state.releasesOf(`${repo.owner}/${repo.name}`)].sort((a, b) => b.id - a.id);
        return paginate(
          context,
          newestFirst.map((release) => releaseBody(fake, release)),
        );
      },
    },
    {
      method: 'POST',
      path: '/repos/{owner}/{repo}/releases',
      operationId: 'repos/create-release',
      handle: (context: RouteContext): RouteResponse => {
        const repo = findRepo(fake, context.params);
        if (!repo) return notFound();
        const input = JSON.parse(context.request.body) as {
          tag_name: string;
          target_commitish?: string;
          name?: string;
          body?: string;
          draft?: boolean;
          prerelease?: boolean;
        };
        const release = state.addRelease(`${repo.owner}/${repo.name}`, {
          tagName: input.tag_name,
          name: input.name ?? input.tag_name,
          body: input.body ?? null,
          draft: true,
          prerelease: input.prerelease ?? false,
          targetCommitish: input.target_commitish ?? repo.defaultBranch,
        });
        if (!input.draft) {
          const refused = publish(release);
          if (refused) {
            state.releases.splice(state.releases.indexOf(release), 1);
            return refused;
          }
        }
        return { status: 201, body: releaseBody(fake, release) };
      },
    },
    {
      method: 'GET',
      path: '/repos/{owner}/{repo}/releases/tags/{tag}',
      operationId: 'repos/get-release-by-tag',
      handle: (context: RouteContext): RouteResponse => {
        const repo = findRepo(fake, context.params);
        const release = repo
          ? state
              .releasesOf(`${repo.owner}/${repo.name}`)
              .find((candidate) => !candidate.draft && candidate.tagName === context.params.tag)
          : undefined;
        return release ? { status: 200, body: releaseBody(fake, release) } : notFound();
      },
    },
    {
      method: 'GET',
      path: '/repos/{owner}/{repo}/releases/{release_id}',
      operationId: 'repos/get-release',
      handle: (context: RouteContext): RouteResponse => {
        const release = releaseOf(context);
        return release ? { status: 200, body: releaseBody(fake, release) } : notFound();
      },
    },
    {
      method: 'PATCH',
      path: '/repos/{owner}/{repo}/releases/{release_id}',
      operationId: 'repos/update-release',
      handle: (context: RouteContext): RouteResponse => {
        const release = releaseOf(context);
        if (!release) return notFound();
        const input = JSON.parse(context.request.body || '{}') as {
          name?: string;
          body?: string;
          draft?: boolean;
          prerelease?: boolean;
        };
        if (input.name !== undefined) release.name = input.name;
        if (input.body !== undefined) release.body = input.body;
        if (input.prerelease !== undefined) release.prerelease = input.prerelease;
        if (input.draft === false && release.draft) {
          const refused = publish(release);
          if (refused) return refused;
        }
        return { status: 200, body: releaseBody(fake, release) };
      },
    },
    {
      method: 'DELETE',
      path: '/repos/{owner}/{repo}/releases/{release_id}',
      operationId: 'repos/delete-release',
      handle: (context: RouteContext): RouteResponse => {
        const release = releaseOf(context);
        if (!release) return notFound();
        state.releases.splice(state.releases.indexOf(release), 1);
        return { status: 204 };
      },
    },
    {
      method: 'GET',
      path: '/repos/{owner}/{repo}/releases/{release_id}/assets',
      operationId: 'repos/list-release-assets',
      handle: (context: RouteContext): RouteResponse => {
        const release = releaseOf(context);
        if (!release) return notFound();
        return paginate(
          context,
          release.assets.map((asset) => assetBody(fake, release, asset)),
        );
      },
    },
    {
      method: 'POST',
      path: '/repos/{owner}/{repo}/releases/{release_id}/assets',
      operationId: 'repos/upload-release-asset',
      base: UPLOADS_BASE,
      handle: async (context: RouteContext): Promise<RouteResponse> => {
        const release = releaseOf(context);
        if (!release) return notFound();
        if (release.immutable) {
          return { status: 422, body: errorBody('Cannot upload assets to an immutable release.') };
        }
        const name = context.query.get('name') ?? '';
        if (release.assets.some((asset) => asset.name === name))
          return validationFailed('ReleaseAsset', 'name');
        const content = context.request.bytes;
        const options = {
          label: context.query.get('label'),
          contentType: String(context.request.headers['content-type'] ?? 'application/octet-stream'),
        };
        if (state.takeHalfUpload()) {
          state.addAsset(release, name, content.subarray(0, Math.floor(content.length / 2)), {
            ...options,
            state: 'open',
          });
          return { status: 502, body: errorBody('Bad Gateway') };
        }
        const latency = state.uploadLatency?.();
        if (latency !== undefined) {
          const pending = state.addAsset(release, name, content, { ...options, state: 'starter' });
          await new Promise((resolve) => setTimeout(resolve, latency));
          pending.state = 'uploaded';
          return { status: 201, body: assetBody(fake, release, pending) };
        }
        const asset = state.addAsset(release, name, content, options);
        return { status: 201, body: assetBody(fake, release, asset) };
      },
    },
    {
      // The web host's download of a release asset by tag and name: a 302 to storage, no API call.
      method: 'GET',
      path: '/{owner}/{repo}/releases/download/{tag}/{name}',
      operationId: 'web/release-download',
      base: '',
      web: true,
      handle: (context: RouteContext): RouteResponse => {
        const repo = findRepo(fake, context.params);
        if (!repo || repo.private) return notFound();
        const release = state
          .releasesOf(`${repo.owner}/${repo.name}`)
          .find((candidate) => !candidate.draft && candidate.tagName === context.params.tag);
        const asset = release?.assets.find((candidate) => candidate.name === context.params.name);
        if (!asset || asset.state !== 'uploaded') return notFound();
        return { status: 302, headers: { location: state.storageUrl(asset) } };
      },
    },
    {
      method: 'GET',
      path: '/repos/{owner}/{repo}/releases/assets/{asset_id}',
      operationId: 'repos/get-release-asset',
      handle: (context: RouteContext): RouteResponse => {
        const found = assetOf(context);
        if (!found) return notFound();
        const accept = String(context.request.headers.accept ?? '');
        if (!accept.includes('application/octet-stream')) {
          return { status: 200, body: assetBody(fake, found.release, found.asset) };
        }
        if (state.redirectDownloads) {
          return { status: 302, headers: { location: state.storageUrl(found.asset) } };
        }
        return { status: 200, raw: found.asset.content };
      },
    },
    {
      method: 'DELETE',
      path: '/repos/{owner}/{repo}/releases/assets/{asset_id}',
      operationId: 'repos/delete-release-asset',
      handle: (context: RouteContext): RouteResponse => {
        const found = assetOf(context);
        if (!found) return notFound();
        found.release.assets.splice(found.release.assets.indexOf(found.asset), 1);
        return { status: 204 };
      },
    },
    {
      method: 'POST',
      path: '/repos/{owner}/{repo}/attestations',
      operationId: 'repos/create-attestation',
      handle: (context: RouteContext): RouteResponse => {
        const repo = findRepo(fake, context.params);
        if (!repo) return notFound();
        if (state.attestationFailure) return state.attestationFailure;
        const { bundle } = JSON.parse(context.request.body) as { bundle: { dsseEnvelope?: unknown } };
        if (!bundle.dsseEnvelope) return { status: 422, body: errorBody('Invalid bundle') };
        const id = state.id();
        state.attestations.push({ id, repository: `${repo.owner}/${repo.name}`, bundle });
        return { status: 201, body: { id } };
      },
    },
    {
      method: 'GET',
      path: '/repos/{owner}/{repo}/attestations/{subject_digest}',
      operationId: 'repos/list-attestations',
      handle: (context: RouteContext): RouteResponse => {
        const repo = findRepo(fake, context.params);
        if (!repo) return notFound();
        const [algorithm, digest] = (context.params.subject_digest ?? '').split(':');
        const predicateType = context.query.get('predicate_type');
        const found = state.attestations.filter((attestation) => {
          if (attestation.repository.toLowerCase() !== `${repo.owner}/${repo.name}`.toLowerCase())
            return false;
          const statement = statementOf(attestation.bundle);
          if (predicateType && statement?.predicateType !== predicateType) return false;
          return (statement?.subject ?? []).some(
            (subject) => algorithm && subject.digest?.[algorithm] === digest,
          );
        });
        return {
          status: 200,
          body: {
            attestations: found.map((attestation) => ({
              bundle: attestation.bundle,
              repository_id: repo.id,
              bundle_url: `${fake.serverUrl}/attestations/${attestation.id}`,
            })),
          },
        };
      },
    },
  ];
}

function statementOf(
  bundle: unknown,
): { predicateType?: string; subject?: { digest?: Record<string, string> }[] } | undefined {
  const payload = (bundle as { dsseEnvelope?: { payload?: unknown } }).dsseEnvelope?.payload;
  if (typeof payload !== 'string') return undefined;
  try {
    return JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as {
      predicateType?: string;
      subject?: { digest?: Record<string, string> }[];
    };
  } catch (error) {
    if (error instanceof SyntaxError) return undefined; // an attestation that is not a statement
    throw error;
  }
}
