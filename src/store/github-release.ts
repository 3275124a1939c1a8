/**
 * A ledger kept as GitHub release assets: one `model-ledger-NNNNNN.sigstore.json` per record, with
 * the public keys and large manifests the records need beside them, in a rolling pre-release
 * (`model-ledger`, then `model-ledger-2`, … every 900 records) or, on tag and release builds, in
 * that tag's release. The ledger is every record asset of every release that holds one.
 *
 * Everything goes through the project's GitHub client (retries, rate limits, GHES base URL);
 * uploads go to the `upload_url` each release carries, never to a hard-coded host. A release this
 * store creates is created as a draft and published only once its assets are uploaded, so a
 * repository with immutable releases gets whole releases, and a failed run leaves none behind.
 */
import { createHash } from 'node:crypto';

import { LedgerError, describeError } from '../errors.js';
import { httpStatusOf, type GitHubClient } from '../github/client.js';
import type { GitHubRepository } from '../github/context.js';
import { compareBytewise } from '../fs/glob.js';
import { silentLogger, type Logger } from '../log.js';
import {
  RecordConflict,
  parseRecordName,
  releaseRecordName,
  type PutRequest,
  type RecordRef,
  type Store,
} from './types.js';

export const DEFAULT_RELEASE_TAG = 'model-ledger';
/** Records a rolling release holds before the next one is started (GitHub allows 1,000 assets). */
export const RECORDS_PER_RELEASE = 900;
const ASSETS_PER_RELEASE = 990;
const KEY_ASSET = /^model-ledger-key-([0-9a-f]{64})\.pub\.pem$/;
const ATTACHMENT_PREFIX = 'model-ledger-';
/** Half-written assets deleted and uploaded again before giving up. */
const MAX_CLEANUPS = 2;

/** Where new records go: the rolling pre-release, or the release of a tag (tag and release builds). */
export type ReleaseTarget = { kind: 'rolling' } | { kind: 'release'; tag: string };

export interface GitHubReleaseStoreOptions extends GitHubRepository {
  client: GitHubClient;
  /** Tag of the rolling pre-release: `<tag>`, then `<tag>-2`, `<tag>-3`… (default model-ledger). */
  releaseTag?: string;
  /** Default: the rolling pre-release. */
  target?: ReleaseTarget;
  /** Read only the releases with these tags (`verify --github --release TAG`). */
  onlyReleases?: string[];
  /** Default 900. */
  recordsPerRelease?: number;
  log?: Logger;
}

/** The fields of GitHub's release and release-asset objects this store reads. */
interface Release {
  id: number;
  tag_name: string;
  draft: boolean;
  prerelease: boolean;
  immutable?: boolean;
  html_url: string;
  upload_url: string;
  assets?: Asset[];
}

interface Asset {
  id: number;
  name: string;
  state: string;
  size: number;
  browser_download_url: string;
  digest?: string | null;
}

interface LedgerRelease {
  release: Release;
  assets: Asset[];
}

/** Where a stored record is, for the Action's outputs. */
export interface ReleaseLocation {
  tag: string;
  releaseUrl: string;
  assetUrl: string;
}

export class GitHubReleaseStore implements Store {
  readonly location: string;
  private readonly client: GitHubClient;
  private readonly owner: string;
  private readonly repo: string;
  private readonly tag: string;
  private readonly target: ReleaseTarget;
  private readonly only: Set<string> | undefined;
  private readonly perRelease: number;
  private readonly log: Logger;
  /** Downloaded bytes by asset id: an asset's bytes never change (a replaced asset gets a new id). */
  private readonly downloads = new Map<number, Buffer>();
  /** What the last listing found, by record name. */
  private readonly found = new Map<string, { release: Release; asset: Asset }>();

  constructor(options: GitHubReleaseStoreOptions) {
    this.client = options.client;
    this.owner = options.owner;
    this.repo = options.repo;
    this.tag = options.releaseTag ?? DEFAULT_RELEASE_TAG;
    this.target = options.target ?? { kind: 'rolling' };
    this.only = options.onlyReleases ? new Set(options.onlyReleases) : undefined;
    this.perRelease = options.recordsPerRelease ?? RECORDS_PER_RELEASE;
    this.log = options.log ?? silentLogger;
    const scope = this.only ? `release ${[...this.only].join(', ')}` : 'releases';
    this.location = `${this.owner}/${this.repo} (GitHub ${scope})`;
  }

  async list(): Promise<RecordRef[]> {
    const refs: RecordRef[] = [];
    this.found.clear();
    for (const { release, assets } of await this.ledgerReleases()) {
      for (const asset of assets) {
        const parsed = parseRecordName(asset.name);
        if (!parsed || asset.state !== 'uploaded') continue;
        const ref = this.refOf(release, asset, parsed.index);
        this.found.set(ref.name, { release, asset });
        refs.push(ref);
      }
    }
    return refs.sort((a, b) => a.index - b.index || compareBytewise(a.name, b.name));
  }

  async get(ref: RecordRef): Promise<Buffer> {
    const id = ref.sequence ?? this.found.get(ref.name)?.asset.id;
    if (id === undefined) {
      throw new LedgerError('STORE', 'no such record in the ledger releases', {
        file: `${this.location}: ${ref.name}`,
      });
    }
    return this.download(id, ref.name, this.found.get(ref.name)?.asset.digest);
  }

  locate(ref: RecordRef): string {
    return ref.uri;
  }

  /** The release and asset URLs of a record this store listed or stored. */
  whereIs(ref: RecordRef): ReleaseLocation | undefined {
    const found = this.found.get(ref.name);
    return found
      ? { tag: found.release.tag_name, releaseUrl: found.release.html_url, assetUrl: ref.uri }
      : undefined;
  }

  async remove(ref: RecordRef): Promise<void> {
    const id = ref.sequence ?? this.found.get(ref.name)?.asset.id;
    if (id === undefined) return;
    await this.deleteAsset(id, ref.name);
    this.found.delete(ref.name);
  }

  async publicKeys(): Promise<Map<string, string>> {
    const keys = new Map<string, string>();
    for (const { assets } of await this.ledgerReleases()) {
      for (const asset of assets) {
        const hint = KEY_ASSET.exec(asset.name)?.[1];
        if (!hint || keys.has(hint) || asset.state !== 'uploaded') continue;
        keys.set(hint, (await this.download(asset.id, asset.name, asset.digest)).toString('utf8'));
      }
    }
    return keys;
  }

  async getAttachment(name: string): Promise<Buffer | null> {
    for (const { assets } of await this.ledgerReleases()) {
      const asset = assets.find(
        (candidate) => candidate.name === `${ATTACHMENT_PREFIX}${name}` && candidate.state === 'uploaded',
      );
      if (asset) return this.download(asset.id, asset.name, asset.digest);
    }
    return null;
  }

  /**
   * Uploads a file into the release that holds `ref` (a release build's evidence pack). A file of
   * that name with other bytes (an earlier attempt's pack) is replaced. Returns its download URL.
   */
  async attachToRelease(ref: RecordRef, name: string, label: string, content: Buffer): Promise<string> {
    const found = this.found.get(ref.name);
    if (!found) {
      throw new LedgerError('STORE', `record ${ref.name} was not stored by this run`, {
        file: this.location,
      });
    }
    for (let attempt = 0; ; attempt++) {
      const { asset, outcome } = await this.upload(found.release, name, label, content);
      if (outcome !== 'exists-other') return asset.browser_download_url;
      if (attempt > 0) throw this.conflict(found.release, name);
      this.log.info(`release ${found.release.tag_name}: replacing ${name} from an earlier attempt`);
      await this.deleteAsset(asset.id, name);
    }
  }

  async put(request: PutRequest): Promise<RecordRef> {
    const releases = await this.ledgerReleases();
    const target = await this.targetRelease(releases);
    const assets = target.assets;
    let { release, created } = target;
    const name = releaseRecordName(request.index);
    const written: string[] = [];
    try {
      const existing = assets.find((asset) => asset.name === name && asset.state === 'uploaded');
      if (existing) return await this.alreadyThere(release, existing, request);

      // What verifies the record goes up before it: a listed record always has its key beside it.
      const shared = [
        ...(request.publicKey
          ? [
              {
                name: `model-ledger-key-${request.publicKey.hint}.pub.pem`,
                label: `model-ledger public key ${request.publicKey.hint.slice(0, 16)}`,
                content: Buffer.from(request.publicKey.pem, 'utf8'),
              },
            ]
          : []),
        ...request.attachments.map((attachment) => ({
          name: `${ATTACHMENT_PREFIX}${attachment.name}`,
          label: `model-ledger manifest ${attachment.name.slice(0, 16)} (record ${request.index})`,
          content: Buffer.from(attachment.content, 'utf8'),
        })),
      ];
      for (const file of shared) {
        if (assets.some((asset) => asset.name === file.name && asset.state === 'uploaded')) continue;
        const { outcome } = await this.upload(release, file.name, file.label, file.content);
        if (outcome === 'written') written.push(file.name);
        else if (outcome === 'exists-other')
          this.log.warn(`release ${release.tag_name}: ${file.name} exists with other content; kept as is`);
      }
      const upload = await this.upload(release, name, `model-ledger record ${request.index}`, request.bundle);
      if (upload.outcome === 'exists-other') throw this.conflict(release, name);
      written.push(name);
      let asset = upload.asset;
      if (created) {
        release = await this.publish(release);
        created = false;
        // Publishing gives the asset its final download URL (a draft's names no tag).
        asset = await this.assetById(asset.id).catch((error: unknown) => {
          this.log.warn(`could not read ${name} back after publishing: ${describeError(error)}`);
          return upload.asset;
        });
      }
      this.downloads.set(asset.id, request.bundle);
      const ref = this.refOf(release, asset, request.index);
      this.found.set(ref.name, { release, asset });
      this.log.info(`record ${request.index} uploaded to release ${release.tag_name} as ${name}`);
      return ref;
    } catch (error) {
      if (created) await this.discardDraft(release);
      if (error instanceof RecordConflict) throw error;
      const kept = created
        ? 'the draft release this run created was deleted: nothing was written'
        : written.length > 0
          ? `written: ${written.join(', ')} (content-addressed, harmless); the record itself was not stored`
          : 'nothing was written';
      const what = `cannot store record ${request.index} in release ${release.tag_name} (${kept})`;
      if (error instanceof LedgerError)
        throw new LedgerError(error.code, `${what}: ${error.message}`, { cause: error });
      throw new LedgerError('STORE', `${what}: ${describeError(error)}`, {
        file: this.location,
        cause: error,
        fix: 'check that the token may write releases (`permissions: contents: write`), then run again',
      });
    }
  }

  // -------------------------------------------------------------------------------------------
  // Listing

  /** Releases that hold the ledger, each with every asset (paginated, 100 a page). */
  private async ledgerReleases(): Promise<LedgerRelease[]> {
    const releases = (await this.call('list releases', () =>
      this.client.paginate(this.client.rest.repos.listReleases, {
        owner: this.owner,
        repo: this.repo,
        per_page: 100,
      }),
    )) as Release[];
    const ledger: LedgerRelease[] = [];
    for (const release of releases) {
      if (this.only ? !this.only.has(release.tag_name) : !this.mayHoldRecords(release)) continue;
      ledger.push({ release, assets: await this.assetsOf(release) });
    }
    return ledger.sort((a, b) => a.release.id - b.release.id);
  }

  private mayHoldRecords(release: Release): boolean {
    return (
      this.rollingNumber(release.tag_name) !== undefined ||
      (this.target.kind === 'release' && release.tag_name === this.target.tag) ||
      (release.assets ?? []).some((asset) => parseRecordName(asset.name) !== null)
    );
  }

  /** 1 for `<tag>`, N for `<tag>-N`; undefined for other tags. */
  private rollingNumber(tag: string): number | undefined {
    if (tag === this.tag) return 1;
    if (!tag.startsWith(`${this.tag}-`)) return undefined;
    const suffix = tag.slice(this.tag.length + 1);
    return /^[1-9]\d*$/.test(suffix) && Number(suffix) >= 2 ? Number(suffix) : undefined;
  }

  private refOf(release: Release, asset: Asset, index: number): RecordRef {
    const where = release.draft ? `${release.tag_name}@draft-${release.id}` : release.tag_name;
    return { index, name: `${where}/${asset.name}`, uri: asset.browser_download_url, sequence: asset.id };
  }

  // -------------------------------------------------------------------------------------------
  // The release new records go to

  private async targetRelease(
    releases: LedgerRelease[],
  ): Promise<{ release: Release; assets: Asset[]; created: boolean }> {
    if (this.target.kind === 'release') {
      const tag = this.target.tag;
      const existing =
        releases.find(({ release }) => release.tag_name === tag && !release.draft) ??
        releases.find(({ release }) => release.tag_name === tag);
      if (existing) {
        this.assertWritable(existing.release);
        return { ...existing, created: false };
      }
      return { release: await this.createDraft(tag, false), assets: [], created: true };
    }
    const rolling = releases
      .map((entry) => ({ ...entry, number: this.rollingNumber(entry.release.tag_name) }))
      .filter((entry): entry is LedgerRelease & { number: number } => entry.number !== undefined)
      .sort((a, b) => a.number - b.number);
    const current = rolling.at(-1);
    if (!current) return { release: await this.createDraft(this.tag, true), assets: [], created: true };
    const records = current.assets.filter((asset) => parseRecordName(asset.name) !== null).length;
    const full = records >= this.perRelease || current.assets.length >= ASSETS_PER_RELEASE;
    const immutable = isImmutable(current.release);
    if (!full && !immutable) return { release: current.release, assets: current.assets, created: false };
    const next = `${this.tag}-${current.number + 1}`;
    this.log.info(
      full
        ? `release ${current.release.tag_name} holds ${records} records; continuing the ledger in ${next}`
        : `release ${current.release.tag_name} is immutable; continuing the ledger in ${next} (uploaded as a draft, then published)`,
    );
    return { release: await this.createDraft(next, true), assets: [], created: true };
  }

  private assertWritable(release: Release): void {
    if (!isImmutable(release)) return;
    throw new LedgerError(
      'STORE',
      `release ${release.tag_name} is immutable (published with immutable releases on): GitHub refuses new assets on it`,
      {
        file: release.html_url,
        fix: 'record before the release is published (model-ledger creates a missing release as a draft, uploads, then publishes it), leave `release-tag` to the rolling pre-release by recording on a branch build, or turn off immutable releases in Settings → General → Releases',
      },
    );
  }

  private async createDraft(tag: string, prerelease: boolean): Promise<Release> {
    const { data } = await this.call(`create release ${tag}`, () =>
      this.client.rest.repos.createRelease({
        owner: this.owner,
        repo: this.repo,
        tag_name: tag,
        name: prerelease ? `model-ledger records (${tag})` : tag,
        body: prerelease
          ? `Signed, hash-chained model-ledger records of ${this.owner}/${this.repo}. Verify them with \`npx model-ledger verify --github ${this.owner}/${this.repo}\`.`
          : '',
        draft: true,
        prerelease,
      }),
    );
    this.log.info(`created release ${tag} as a draft; it is published once the record is uploaded`);
    return data;
  }

  private async publish(release: Release): Promise<Release> {
    try {
      const { data } = await this.client.rest.repos.updateRelease({
        owner: this.owner,
        repo: this.repo,
        release_id: release.id,
        draft: false,
        ...(release.prerelease ? { make_latest: 'false' as const } : {}),
      });
      return data;
    } catch (error) {
      if (httpStatusOf(error) === 422) {
        // Another run published a release with this tag first: link again on top of its record.
        throw this.conflict(release, `release ${release.tag_name}`);
      }
      throw error;
    }
  }

  private async discardDraft(release: Release): Promise<void> {
    try {
      await this.client.rest.repos.deleteRelease({
        owner: this.owner,
        repo: this.repo,
        release_id: release.id,
      });
      this.log.info(`deleted the draft release ${release.tag_name} this run created`);
    } catch (error) {
      this.log.warn(
        `could not delete the draft release ${release.tag_name} (id ${release.id}) this run created: ${describeError(error)}; delete it by hand`,
      );
    }
  }

  // -------------------------------------------------------------------------------------------
  // Assets

  /**
   * Uploads one asset. A name already taken is looked at: the same bytes (our own earlier attempt)
   * count as written; an asset left half-written (state not `uploaded`) is deleted and the upload
   * tried again; other bytes are reported to the caller.
   */
  private async upload(
    release: Release,
    name: string,
    label: string,
    content: Buffer,
  ): Promise<{ asset: Asset; outcome: 'written' | 'exists-same' | 'exists-other' }> {
    for (let cleanups = 0; ; cleanups++) {
      let failure: unknown;
      try {
        const response: { data: unknown } = await this.client.request(`POST ${release.upload_url}`, {
          name,
          label,
          data: content,
          // The media type GitHub's description gives for uploads; the asset keeps it for downloads.
          headers: { 'content-type': 'application/octet-stream' },
        });
        return { asset: response.data as Asset, outcome: 'written' };
      } catch (error) {
        failure = error;
      }
      if (httpStatusOf(failure) === 422 && /immutable/i.test(describeError(failure))) {
        this.assertWritable({ ...release, immutable: true, draft: false });
      }
      const existing = (await this.assetsOf(release)).find((asset) => asset.name === name);
      if (!existing) throw failure;
      if (existing.state === 'uploaded') {
        const same = await this.sameContent(existing, content);
        return { asset: existing, outcome: same ? 'exists-same' : 'exists-other' };
      }
      if (cleanups >= MAX_CLEANUPS) throw failure;
      this.log.warn(
        `release ${release.tag_name}: an upload of ${name} failed half-way (asset state "${existing.state}"); deleting it and uploading again`,
      );
      await this.deleteAsset(existing.id, name);
    }
  }

  private async alreadyThere(release: Release, asset: Asset, request: PutRequest): Promise<RecordRef> {
    if (!(await this.sameContent(asset, request.bundle))) throw this.conflict(release, asset.name);
    const ref = this.refOf(release, asset, request.index);
    this.found.set(ref.name, { release, asset });
    return ref;
  }

  private conflict(release: Release, what: string): RecordConflict {
    return new RecordConflict(`another run stored ${what} in release ${release.tag_name} first`, {
      file: this.location,
      fix: 'serialise runs that record into one ledger with a workflow `concurrency:` group',
    });
  }

  private async sameContent(asset: Asset, content: Buffer): Promise<boolean> {
    if (asset.size !== content.length) return false;
    if (asset.digest?.startsWith('sha256:')) {
      return asset.digest === `sha256:${createHash('sha256').update(content).digest('hex')}`;
    }
    return (await this.download(asset.id, asset.name, null)).equals(content);
  }

  private async assetsOf(release: Release): Promise<Asset[]> {
    return this.call(`list the assets of release ${release.tag_name}`, () =>
      this.client.paginate(this.client.rest.repos.listReleaseAssets, {
        owner: this.owner,
        repo: this.repo,
        release_id: release.id,
        per_page: 100,
      }),
    );
  }

  private async assetById(id: number): Promise<Asset> {
    const { data } = await this.call(`read asset ${id}`, () =>
      this.client.rest.repos.getReleaseAsset({ owner: this.owner, repo: this.repo, asset_id: id }),
    );
    return data;
  }

  private async deleteAsset(id: number, name: string): Promise<void> {
    await this.call(`delete ${name}`, () =>
      this.client.rest.repos.deleteReleaseAsset({ owner: this.owner, repo: this.repo, asset_id: id }),
    );
    this.downloads.delete(id);
  }

  /**
   * The bytes of an asset through the API (`Accept: application/octet-stream`), which answers
   * with a redirect to where the bytes are: works for private repositories and on GHES.
   */
  private async download(id: number, name: string, digest: string | null | undefined): Promise<Buffer> {
    const cached = this.downloads.get(id);
    if (cached) return cached;
    const { data } = await this.call(`download ${name}`, () =>
      this.client.request('GET /repos/{owner}/{repo}/releases/assets/{asset_id}', {
        owner: this.owner,
        repo: this.repo,
        asset_id: id,
        headers: { accept: 'application/octet-stream' },
      }),
    );
    const raw = data as unknown;
    const bytes =
      raw instanceof ArrayBuffer
        ? Buffer.from(raw)
        : typeof raw === 'string'
          ? Buffer.from(raw, 'utf8')
          : Buffer.from(JSON.stringify(raw));
    if (
      digest?.startsWith('sha256:') &&
      digest !== `sha256:${createHash('sha256').update(bytes).digest('hex')}`
    ) {
      throw new LedgerError(
        'NETWORK',
        `the download of ${name} does not match the digest GitHub gives for it`,
        {
          file: this.location,
          fix: 'run again; if it persists, the asset is damaged on GitHub',
        },
      );
    }
    this.downloads.set(id, bytes);
    return bytes;
  }

  /** Runs one API call; a failure becomes a STORE error that says what was being done. */
  private async call<T>(what: string, action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      if (error instanceof LedgerError) throw error;
      const status = httpStatusOf(error);
      throw new LedgerError(
        'STORE',
        `GitHub refused to ${what} of ${this.owner}/${this.repo}${status ? ` (${status})` : ''}: ${describeError(error)}`,
        {
          cause: error,
          fix:
            status === 403 || status === 404
              ? 'use a token that can see the repository: `contents: read` to verify, `contents: write` to record (workflow `permissions:`)'
              : 'run again',
        },
      );
    }
  }
}

function isImmutable(release: Release): boolean {
  return release.immutable === true && !release.draft;
}
