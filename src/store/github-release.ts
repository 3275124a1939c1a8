/**
 * A ledger kept as GitHub release assets.
 *
 * Where a record goes is a function of its index alone, so that GitHub itself decides which of two
 * racing runs gets an index — no listing is trusted to be current:
 *
 * - **Segments** (repositories without immutable releases): record N is the asset
 *   `model-ledger-NNNNNN.sigstore.json` of the published pre-release `<tag>` (segment 1) or
 *   `<tag>-K` (segment K = ⌊N / per⌋ + 1, default 100 records each). A segment is created
 *   published and empty (`POST /releases` with `draft: false`), so no record ever sits in a draft,
 *   and a second run creating the same tag gets 422 and uses the first one's. Asset names are unique
 *   within a release (GitHub answers 422 `already_exists`, even while the first upload is still in
 *   flight), so exactly one upload of record N succeeds: the guarantee the ledger's linearity rests on.
 * - **One release per record** (immutable releases, which refuse new assets once published): when a
 *   segment comes back immutable, record N is the release `<tag>-record-NNNNNN`, uploaded as a draft
 *   this run creates and then published. Only one release per tag can be published (422 for the
 *   second), so again exactly one run wins index N; the loser deletes its own draft, which holds
 *   nothing but its own files, and links again on top of the winner.
 *
 * A run never deletes or adopts what another run wrote: a draft it did not create is not part of the
 * ledger (an abandoned one is reported), and an asset left half-written is deleted only when its
 * label carries this run's nonce, or when GitHub's clock says it has been abandoned for longer than
 * any upload takes.
 *
 * Each record's checkpoint (`model-ledger-NNNNNN.checkpoint`) goes beside it. A run reads only the
 * newest releases and segments (O(1) calls whatever the ledger's length); `list()` reads them all.
 * Everything goes through the project's GitHub client (retries, rate limits, GHES base URL);
 * uploads go to the `upload_url` each release carries, never to a hard-coded host.
 */
import { createHash, randomBytes } from 'node:crypto';

import { LedgerError, describeError } from '../errors.js';
import { httpStatusOf, type GitHubClient } from '../github/client.js';
import type { GitHubRepository } from '../github/context.js';
import { compareBytewise } from '../fs/glob.js';
import { silentLogger, type Logger } from '../log.js';
import {
  RecordConflict,
  checkpointBundleName,
  checkpointFileName,
  parseRecordName,
  releaseRecordName,
  type PutRequest,
  type RecordRef,
  type Store,
  type StoredCheckpoint,
} from './types.js';

export const DEFAULT_RELEASE_TAG = 'model-ledger';
/**
 * Records a segment holds (each with its checkpoint, and a keyless checkpoint's bundle): at most
 * 3 assets a record, well inside GitHub's 1,000 a release.
 */
export const RECORDS_PER_RELEASE = 100;
const KEY_ASSET = /^model-ledger-key-([0-9a-f]{64})\.pub\.pem$/;
const CHECKPOINT_ASSET = /^model-ledger-(\d{6,})\.checkpoint$/;
/** A release build's copy of its record in the tag's release; not part of the ledger. */
const RECORD_COPY = /^model-ledger-record-(\d{6,})\.sigstore\.json$/;
const ATTACHMENT_PREFIX = 'model-ledger-';
/** An upload that has not completed after this long (by GitHub's clock) was abandoned. */
const ABANDONED_AFTER_MS = 15 * 60_000;
/** How long a run waits for another run's upload in flight under the same name. */
const IN_FLIGHT_WAITS = [250, 500, 1_000, 2_000, 4_000, 8_000];
/** GitHub embeds a release's assets in release objects; a list this long may be cut, so it is paged. */
const EMBEDDED_ASSETS_TRUSTED_BELOW = 100;

/** Where a release build's copy of its record and evidence go: the tag's release. */
export type ReleaseTarget = { kind: 'rolling' } | { kind: 'release'; tag: string };

export interface GitHubReleaseStoreOptions extends GitHubRepository {
  client: GitHubClient;
  /** Tag of the ledger's releases: `<tag>`, `<tag>-2`, … and `<tag>-record-NNNNNN` (default model-ledger). */
  releaseTag?: string;
  /** Kept for release builds: where `attachToRelease` puts the record's copy and the evidence pack. */
  target?: ReleaseTarget;
  /** Read only the releases with these tags (`verify --github --release TAG`). */
  onlyReleases?: string[];
  /** Default 100. Fixed for the life of a ledger: it decides where record N is. */
  recordsPerRelease?: number;
  /** Waits between looks at another run's upload in flight (tests shorten them). */
  sleep?: (ms: number) => Promise<void>;
  /**
   * `web`: a public repository's assets are downloaded from their `browser_download_url` (the
   * web host, which GitHub does not count against the API rate limit), falling back to the API;
   * `api` (default): through the API, as private repositories need.
   */
  downloads?: 'api' | 'web';
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
  body?: string | null;
  created_at?: string;
  assets?: Asset[];
}

interface Asset {
  id: number;
  name: string;
  label?: string | null;
  state: string;
  size: number;
  browser_download_url: string;
  digest?: string | null;
  created_at?: string;
  updated_at?: string;
}

/** Where a stored record is, for the Action's outputs. */
export interface ReleaseLocation {
  tag: string;
  releaseUrl: string;
  assetUrl: string;
}

/** How many API calls a store made, by kind: `verify --github --json` reports them. */
export interface ApiUsage {
  /** REST API calls (each counts against the token's hourly budget). */
  calls: number;
  /** Assets downloaded, through the API or the web host. */
  downloads: number;
  /** Of those, downloaded from the web host: no API call. */
  webDownloads: number;
  bytesDownloaded: number;
}

type Placement = { kind: 'segment'; number: number } | { kind: 'record'; tag: string };

export class GitHubReleaseStore implements Store {
  readonly location: string;
  /** `put` refuses a second record at an index (GitHub's 422): no race check after it is needed. */
  readonly exclusiveIndex = true;
  readonly usage: ApiUsage = { calls: 0, downloads: 0, webDownloads: 0, bytesDownloaded: 0 };
  private readonly client: GitHubClient;
  private readonly owner: string;
  private readonly repo: string;
  private readonly tag: string;
  private readonly target: ReleaseTarget;
  private readonly only: Set<string> | undefined;
  private readonly perRelease: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly webDownloads: boolean;
  private readonly log: Logger;
  /** Written into the labels and bodies of what this run creates, so it knows its own. */
  private readonly nonce = randomBytes(8).toString('hex');
  /** Downloaded bytes by asset id: an asset's bytes never change (a replaced asset gets a new id). */
  private readonly downloads = new Map<number, Buffer>();
  /** Releases read, by tag (published ones only), and their assets. */
  private readonly releases = new Map<string, Release>();
  private readonly assetLists = new Map<number, Asset[]>();
  /** What the last listing found, by record name. */
  private readonly found = new Map<string, { release: Release; asset: Asset }>();
  /** The newest releases as listed (newest first), read once per run. */
  private newest: Release[] | undefined;
  private allListed = false;

  constructor(options: GitHubReleaseStoreOptions) {
    this.client = options.client;
    this.owner = options.owner;
    this.repo = options.repo;
    this.tag = options.releaseTag ?? DEFAULT_RELEASE_TAG;
    this.target = options.target ?? { kind: 'rolling' };
    this.only = options.onlyReleases ? new Set(options.onlyReleases) : undefined;
    this.perRelease = options.recordsPerRelease ?? RECORDS_PER_RELEASE;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.webDownloads = options.downloads === 'web';
    this.log = options.log ?? silentLogger;
    const scope = this.only ? `release ${[...this.only].join(', ')}` : 'releases';
    this.location = `${this.owner}/${this.repo} (GitHub ${scope})`;
  }

  /** The release build's tag, when this run is one. */
  get releaseTarget(): ReleaseTarget {
    return this.target;
  }

  // -------------------------------------------------------------------------------------------
  // Reading

  async list(): Promise<RecordRef[]> {
    const refs: RecordRef[] = [];
    for (const release of await this.allLedgerReleases()) refs.push(...(await this.recordsOf(release)));
    return sortRefs(refs);
  }

  /**
   * The newest `count` records (every record at the top index, so a fork there is seen), reading
   * only the newest releases: the call count does not grow with the ledger.
   */
  async recent(count: number): Promise<RecordRef[]> {
    if (this.only) return (await this.list()).slice(-Math.max(count, 1));
    // Read afresh each time: after losing a race, the run looks again at what the winner stored.
    this.newest = undefined;
    this.releases.clear();
    this.assetLists.clear();
    const newest = await this.newestLedgerReleases();
    if (newest.length === 0) return [];
    const refs: RecordRef[] = [];
    const top = newest[0] as Release;
    const placement = this.placementOfTag(top.tag_name);
    if (placement?.kind === 'segment') {
      // The newest segment, and those below it until enough records are seen.
      for (let number = placement.number; number >= 1 && refs.length < count; number--) {
        const release = await this.releaseByTag(this.segmentTag(number));
        if (release) refs.push(...(await this.recordsOf(release)));
        // Records of an immutable segment's range live in releases of their own.
        if (release && isImmutable(release)) refs.push(...(await this.recordReleasesBelow(newest, count)));
      }
    } else {
      refs.push(...(await this.recordReleasesBelow(newest, count)));
    }
    const sorted = sortRefs(dedupe(refs));
    const topIndex = sorted.at(-1)?.index ?? 0;
    return sorted.filter((ref) => ref.index > topIndex - count);
  }

  /**
   * The indexes of the records a release build copied into a tag's release
   * (`model-ledger-record-NNNNNN.sigstore.json`): what that release was made from.
   */
  async recordsCopiedTo(tag: string): Promise<number[]> {
    const release = await this.releaseByTag(tag);
    if (!release) return [];
    return (await this.assetsNamed(release, (name) => RECORD_COPY.test(name))).map((asset) =>
      Number(RECORD_COPY.exec(asset.name)?.[1]),
    );
  }

  /**
   * The uploaded files of one release whose names match, from a fresh listing (every page): e.g.
   * a witness's state kept in its own repository. None when the release does not exist.
   */
  async releaseFiles(
    tag: string,
    match: (name: string) => boolean,
  ): Promise<{ name: string; url: string; read: () => Promise<Buffer> }[]> {
    const release = await this.releaseByTag(tag, true);
    if (!release) return [];
    return (await this.assetsOf(release, true))
      .filter((asset) => asset.state === 'uploaded' && match(asset.name))
      .map((asset) => ({
        name: asset.name,
        url: asset.browser_download_url,
        read: () => this.download(asset.id, asset.name, asset.digest),
      }));
  }

  /** The records stored at one index (normally one; two or more is a fork). */
  async recordsAt(index: number): Promise<RecordRef[]> {
    if (this.only) return (await this.list()).filter((ref) => ref.index === index);
    const refs: RecordRef[] = [];
    const name = releaseRecordName(index);
    const segment = await this.releaseByTag(this.segmentTag(this.segmentOf(index)));
    const own = await this.releaseByTag(this.recordTag(index));
    for (const release of [segment, own]) {
      if (!release) continue;
      // Asset names are unique in a release: the name found is the one record there is.
      const asset = await this.assetNamed(release, (candidate) => candidate === name);
      if (asset) {
        const ref = this.refOf(release, asset, index);
        this.found.set(ref.name, { release, asset });
        refs.push(ref);
      }
    }
    return sortRefs(refs);
  }

  async get(ref: RecordRef): Promise<Buffer> {
    const found = this.found.get(ref.name);
    const id = ref.sequence ?? found?.asset.id;
    if (id === undefined) {
      throw new LedgerError('STORE', 'no such record in the ledger releases', {
        file: `${this.location}: ${ref.name}`,
      });
    }
    return this.download(id, ref.name, found?.asset.digest);
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

  /** Only ever called for a record this run stored and lost; with exclusive indexes it never is. */
  async remove(ref: RecordRef): Promise<void> {
    const id = ref.sequence ?? this.found.get(ref.name)?.asset.id;
    if (id === undefined) return;
    await this.deleteAsset(id, ref.name);
    this.found.delete(ref.name);
  }

  async publicKeys(): Promise<Map<string, string>> {
    const keys = new Map<string, string>();
    const releases = this.allListed || this.only ? await this.allLedgerReleases() : await this.keyReleases();
    for (const release of releases) {
      const all = this.allListed || this.only;
      const assets = all
        ? await this.assetsOf(release)
        : await this.assetsNamed(release, (name) => KEY_ASSET.test(name));
      for (const asset of assets) {
        const hint = KEY_ASSET.exec(asset.name)?.[1];
        if (!hint || keys.has(hint) || asset.state !== 'uploaded') continue;
        keys.set(hint, (await this.download(asset.id, asset.name, asset.digest)).toString('utf8'));
      }
    }
    return keys;
  }

  async getAttachment(name: string): Promise<Buffer | null> {
    for (const release of await this.allLedgerReleases()) {
      const asset = (await this.assetsOf(release)).find(
        (candidate) => candidate.name === `${ATTACHMENT_PREFIX}${name}` && candidate.state === 'uploaded',
      );
      if (asset) return this.download(asset.id, asset.name, asset.digest);
    }
    return null;
  }

  /** The checkpoint stored after record `size - 1`; null when there is none. */
  async getCheckpoint(size: number): Promise<StoredCheckpoint | null> {
    if (size < 1) return null;
    const index = size - 1;
    const name = checkpointFileName(index);
    const candidates = this.only
      ? await this.allLedgerReleases()
      : [
          await this.releaseByTag(this.segmentTag(this.segmentOf(index))),
          await this.releaseByTag(this.recordTag(index)),
        ];
    for (const release of candidates) {
      if (!release) continue;
      const asset = (await this.assetsOf(release)).find(
        (candidate) => candidate.name === name && candidate.state === 'uploaded',
      );
      if (asset) return this.checkpointFrom(release, asset, size);
    }
    return null;
  }

  /** A checkpoint asset's note, with the keyless bundle stored beside it when there is one. */
  private async checkpointFrom(release: Release, asset: Asset, size: number): Promise<StoredCheckpoint> {
    const text = (await this.download(asset.id, asset.name, asset.digest)).toString('utf8');
    const bundleName = checkpointBundleName(asset.name);
    const bundleAsset = (await this.assetsOf(release)).find(
      (candidate) => candidate.name === bundleName && candidate.state === 'uploaded',
    );
    const bundle = bundleAsset
      ? (await this.download(bundleAsset.id, bundleAsset.name, bundleAsset.digest)).toString('utf8')
      : undefined;
    return { size, text, uri: asset.browser_download_url, ...(bundle !== undefined ? { bundle } : {}) };
  }

  /** The newest checkpoint among the releases read so far for the head (or all, after `list`). */
  async latestCheckpoint(): Promise<StoredCheckpoint | null> {
    const releases =
      this.allListed || this.only ? await this.allLedgerReleases() : await this.newestSegments();
    let best: { index: number; asset: Asset; release: Release } | undefined;
    for (const release of releases) {
      for (const asset of await this.assetsOf(release)) {
        const match = CHECKPOINT_ASSET.exec(asset.name);
        if (!match || asset.state !== 'uploaded') continue;
        const index = Number(match[1]);
        if (!best || index > best.index) best = { index, asset, release };
      }
    }
    if (!best) return null;
    return this.checkpointFrom(best.release, best.asset, best.index + 1);
  }

  // -------------------------------------------------------------------------------------------
  // Writing

  async put(request: PutRequest): Promise<RecordRef> {
    const name = releaseRecordName(request.index);
    const segment = await this.segmentFor(request.index);
    if (!isImmutable(segment)) return this.putInSegment(segment, request, name);
    return this.putInOwnRelease(request, name);
  }

  /**
   * Stores a checkpoint beside record `size - 1` (a keyless one's bundle first, so the note is
   * never there without it). The same note twice is fine; another is refused.
   */
  private async uploadCheckpoint(release: Release, size: number, request: PutRequest): Promise<void> {
    const text = request.checkpoint ?? '';
    const name = checkpointFileName(size - 1);
    if (request.checkpointBundle) {
      const bundleName = checkpointBundleName(name);
      const bundle = await this.upload(
        release,
        bundleName,
        `model-ledger checkpoint ${size} signature`,
        request.checkpointBundle,
      );
      if (bundle.outcome === 'exists-other') {
        throw new LedgerError('STORE', `release ${release.tag_name} already holds another ${bundleName}`, {
          file: this.location,
        });
      }
    }
    const { outcome } = await this.upload(
      release,
      name,
      `model-ledger checkpoint ${size}`,
      Buffer.from(text),
    );
    if (outcome === 'exists-other') {
      throw new LedgerError('STORE', `release ${release.tag_name} already holds another ${name}`, {
        file: this.location,
      });
    }
  }

  /**
   * Uploads a file into the release build's release (its tag's release): created as a draft when
   * missing and published once every file is in (`publish`), so immutable releases get whole
   * releases. A published immutable release refuses new files: the error names the fix.
   */
  async attachToRelease(
    files: { name: string; label: string; content: Buffer }[],
    options: { publish: boolean; tag?: string; prerelease?: boolean },
  ): Promise<Map<string, string>> {
    if (options.tag === undefined && this.target.kind !== 'release') {
      throw new LedgerError('USAGE', 'only a release build attaches files to a release', {
        file: this.location,
      });
    }
    const tag = options.tag ?? (this.target.kind === 'release' ? this.target.tag : '');
    let release = await this.releaseByTag(tag);
    let created = false;
    if (!release) {
      release = await this.createRelease({
        tag,
        prerelease: options.prerelease ?? false,
        draft: true,
        name: tag,
      });
      created = true;
    } else if (isImmutable(release)) {
      throw new LedgerError(
        'STORE',
        `release ${tag} is immutable (published with immutable releases on): GitHub refuses new assets on it`,
        {
          file: release.html_url,
          fix: 'run model-ledger before the release is published (on the tag push, or while the release is a draft), or turn off immutable releases in Settings → General → Releases',
        },
      );
    }
    const urls = new Map<string, string>();
    try {
      for (const file of files) {
        for (let attempt = 0; ; attempt++) {
          const { asset, outcome } = await this.upload(release, file.name, file.label, file.content);
          if (outcome !== 'exists-other') {
            urls.set(file.name, asset.browser_download_url);
            break;
          }
          // A file of that name from an earlier attempt of this build: replaced.
          if (attempt > 0) throw this.conflict(release, file.name);
          this.log.info(`release ${tag}: replacing ${file.name} from an earlier attempt`);
          await this.deleteAsset(asset.id, file.name);
        }
      }
      if (created && options.publish) {
        release = await this.publish(release);
        for (const asset of await this.assetsOf(release, true)) {
          if (urls.has(asset.name)) urls.set(asset.name, asset.browser_download_url);
        }
      }
      return urls;
    } catch (error) {
      if (created) await this.discardDraft(release);
      throw error;
    }
  }

  private async putInSegment(segment: Release, request: PutRequest, name: string): Promise<RecordRef> {
    const written: string[] = [];
    try {
      written.push(...(await this.uploadShared(segment, request)));
      const upload = await this.upload(segment, name, `model-ledger record ${request.index}`, request.bundle);
      if (upload.outcome === 'exists-other') throw this.conflict(segment, name);
      const ref = this.stored(segment, upload.asset, request);
      if (request.checkpoint) {
        // The record is stored whatever happens here; the next run's checkpoint covers this one too.
        await this.uploadCheckpoint(segment, request.index + 1, request).catch((error: unknown) => {
          this.log.warn(
            `record ${request.index} is stored, but its checkpoint was not: ${describeError(error)}`,
          );
        });
      }
      return ref;
    } catch (error) {
      if (error instanceof RecordConflict) throw error;
      throw this.storeFailure(error, request.index, segment.tag_name, written, false);
    }
  }

  /** Immutable releases: a draft of this run's own, then published; the tag decides the race. */
  private async putInOwnRelease(request: PutRequest, name: string): Promise<RecordRef> {
    const tag = this.recordTag(request.index);
    const existing = await this.releaseByTag(tag, true);
    if (existing) {
      const asset = (await this.assetsOf(existing)).find((candidate) => candidate.name === name);
      if (asset && (await this.sameContent(asset, request.bundle)))
        return this.stored(existing, asset, request);
      throw this.conflict(existing, name);
    }
    let draft = await this.createRelease({ tag, prerelease: true, draft: true });
    try {
      await this.uploadShared(draft, request);
      const upload = await this.upload(draft, name, `model-ledger record ${request.index}`, request.bundle);
      if (upload.outcome === 'exists-other') throw this.conflict(draft, name);
      // The checkpoint goes in before publishing: a published immutable release takes nothing more.
      if (request.checkpoint) await this.uploadCheckpoint(draft, request.index + 1, request);
      draft = await this.publish(draft);
      const asset = (await this.assetsOf(draft, true)).find((candidate) => candidate.name === name);
      return this.stored(draft, asset ?? upload.asset, request);
    } catch (error) {
      await this.discardDraft(draft);
      if (error instanceof RecordConflict) throw error;
      throw this.storeFailure(error, request.index, tag, [], true);
    }
  }

  /** What verifies the record goes up before it: a listed record always has its key beside it. */
  private async uploadShared(release: Release, request: PutRequest): Promise<string[]> {
    const written: string[] = [];
    const files = [
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
        label: `model-ledger ${attachment.name.endsWith('.model.sig') ? 'model signature' : 'manifest'} ${attachment.name.slice(0, 16)} (record ${request.index})`,
        content: Buffer.from(attachment.content, 'utf8'),
      })),
    ];
    const assets = await this.assetsOf(release);
    for (const file of files) {
      if (assets.some((asset) => asset.name === file.name && asset.state === 'uploaded')) continue;
      const { outcome } = await this.upload(release, file.name, file.label, file.content);
      if (outcome === 'written') written.push(file.name);
      else if (outcome === 'exists-other')
        this.log.warn(`release ${release.tag_name}: ${file.name} exists with other content; kept as is`);
    }
    return written;
  }

  private stored(release: Release, asset: Asset, request: PutRequest): RecordRef {
    this.downloads.set(asset.id, request.bundle);
    const ref = this.refOf(release, asset, request.index);
    this.found.set(ref.name, { release, asset });
    this.log.info(`record ${request.index} uploaded to release ${release.tag_name} as ${asset.name}`);
    return ref;
  }

  private storeFailure(
    error: unknown,
    index: number,
    tag: string,
    written: string[],
    ownDraft: boolean,
  ): LedgerError {
    const kept = ownDraft
      ? 'the draft release this run created was deleted: nothing of this run is left'
      : written.length > 0
        ? `written: ${written.join(', ')} (content-addressed, harmless); the record itself was not stored`
        : 'the record was not stored';
    const what = `cannot store record ${index} in release ${tag} (${kept})`;
    if (error instanceof LedgerError)
      return new LedgerError(error.code, `${what}: ${error.message}`, { cause: error });
    return new LedgerError('STORE', `${what}: ${describeError(error)}`, {
      file: this.location,
      cause: error,
      fix: 'check that the token may write releases (`permissions: contents: write`), then run again',
    });
  }

  // -------------------------------------------------------------------------------------------
  // Releases

  private segmentOf(index: number): number {
    return Math.floor(index / this.perRelease) + 1;
  }

  private segmentTag(number: number): string {
    return number === 1 ? this.tag : `${this.tag}-${number}`;
  }

  private recordTag(index: number): string {
    return `${this.tag}-record-${String(index).padStart(6, '0')}`;
  }

  /** Which ledger release a tag names, if any. */
  private placementOfTag(tag: string): Placement | undefined {
    if (tag === this.tag) return { kind: 'segment', number: 1 };
    if (!tag.startsWith(`${this.tag}-`)) return undefined;
    const suffix = tag.slice(this.tag.length + 1);
    if (/^[1-9]\d*$/.test(suffix) && Number(suffix) >= 2) return { kind: 'segment', number: Number(suffix) };
    if (/^record-\d{6,}$/.test(suffix)) return { kind: 'record', tag };
    return undefined;
  }

  private isLedgerRelease(release: Release): boolean {
    if (release.draft) return false;
    return this.only ? this.only.has(release.tag_name) : this.placementOfTag(release.tag_name) !== undefined;
  }

  /** The segment record `index` belongs to, created (published, empty) when missing. */
  private async segmentFor(index: number): Promise<Release> {
    const tag = this.segmentTag(this.segmentOf(index));
    const existing = await this.releaseByTag(tag);
    if (existing) return existing;
    try {
      // Published at once: no record ever waits in a draft, and the tag decides which run's it is.
      const created = await this.createRelease({ tag, prerelease: true, draft: false });
      this.log.info(`created the ledger release ${tag} for records from ${index}`);
      return created;
    } catch (error) {
      if (!(error instanceof LedgerError) || httpStatusOf(error) !== 422) throw error;
      // Another run (or this run's cut-off first attempt) created it first: use that one.
      const theirs = await this.releaseByTag(tag, true);
      if (theirs) return theirs;
      throw error;
    }
  }

  /**
   * Creates a release. The create is not retried blindly: after a failure whose answer was lost,
   * the draft this run may have created is looked up by the nonce in its body first.
   */
  private async createRelease(spec: {
    tag: string;
    prerelease: boolean;
    draft: boolean;
    name?: string;
  }): Promise<Release> {
    const body = spec.prerelease
      ? `Signed, hash-chained model-ledger records of ${this.owner}/${this.repo}. Verify them offline with \`model-ledger verify --github ${this.owner}/${this.repo}\` (the CLI is \`dist/cli.js\` of the model-ledger release, run with plain node).\n\n<!-- model-ledger run ${this.nonce} -->`
      : `<!-- model-ledger run ${this.nonce} -->`;
    for (let attempt = 1; ; attempt++) {
      try {
        const { data } = await this.call(`create release ${spec.tag}`, () =>
          this.client.rest.repos.createRelease({
            owner: this.owner,
            repo: this.repo,
            tag_name: spec.tag,
            name: spec.name ?? `model-ledger records (${spec.tag})`,
            body,
            draft: spec.draft,
            prerelease: spec.prerelease,
            ...(spec.prerelease && !spec.draft ? { make_latest: 'false' as const } : {}),
            request: { retries: 0 },
          }),
        );
        const release = data as Release;
        if (!release.draft) this.remember(release);
        return release;
      } catch (error) {
        const status = httpStatusOf(error);
        if (status !== undefined && status < 500 && status !== 429 && status !== 408) throw error;
        const ours = await this.ownRelease(spec.tag);
        if (ours) return ours;
        if (attempt >= 3) throw error;
        this.log.info(
          `create release ${spec.tag}: ${describeError(error)}; nothing was created, trying again`,
        );
      }
    }
  }

  /** A release with this tag that this run created (its body carries the nonce), draft or not. */
  private async ownRelease(tag: string): Promise<Release | undefined> {
    const page = await this.releasePage(1);
    return page.find(
      (release) =>
        release.tag_name === tag && (release.body ?? '').includes(`model-ledger run ${this.nonce}`),
    );
  }

  private async publish(release: Release): Promise<Release> {
    try {
      const { data } = await this.call(`publish release ${release.tag_name}`, () =>
        this.client.rest.repos.updateRelease({
          owner: this.owner,
          repo: this.repo,
          release_id: release.id,
          draft: false,
          ...(release.prerelease ? { make_latest: 'false' as const } : {}),
        }),
      );
      this.remember(data);
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
      await this.call(`delete the draft release ${release.tag_name}`, () =>
        this.client.rest.repos.deleteRelease({ owner: this.owner, repo: this.repo, release_id: release.id }),
      );
      this.log.info(`deleted the draft release ${release.tag_name} this run created`);
    } catch (error) {
      this.log.warn(
        `could not delete the draft release ${release.tag_name} (id ${release.id}) this run created: ${describeError(error)}; delete it by hand`,
      );
    }
  }

  /** A published release by tag (`GET /releases/tags/{tag}`), null when there is none. */
  private async releaseByTag(tag: string, fresh = false): Promise<Release | null> {
    if (!fresh && this.releases.has(tag)) return this.releases.get(tag) ?? null;
    try {
      const { data } = await this.call(`read release ${tag}`, () =>
        this.client.rest.repos.getReleaseByTag({ owner: this.owner, repo: this.repo, tag }),
      );
      this.remember(data);
      return data;
    } catch (error) {
      if (httpStatusOf(error) === 404) return null;
      throw error;
    }
  }

  private remember(release: Release): void {
    if (release.draft) return;
    this.releases.set(release.tag_name, release);
    this.assetLists.delete(release.id);
  }

  /** One page of releases, newest first. */
  private async releasePage(page: number): Promise<Release[]> {
    const { data } = await this.call('list releases', () =>
      this.client.rest.repos.listReleases({ owner: this.owner, repo: this.repo, per_page: 100, page }),
    );
    return data;
  }

  /**
   * The newest ledger releases: pages of releases (newest first) until one of the ledger's is seen,
   * and the rest of that page. Other releases made since the ledger's last one cost a page a hundred.
   */
  private async newestLedgerReleases(): Promise<Release[]> {
    if (this.newest) return this.newest;
    const found: Release[] = [];
    for (let page = 1; ; page++) {
      const releases = await this.releasePage(page);
      this.reportAbandonedDrafts(releases);
      for (const release of releases) {
        if (!this.isLedgerRelease(release)) continue;
        this.remember(release);
        found.push(release);
      }
      if (found.length > 0 || releases.length < 100) break;
    }
    this.newest = found.sort((a, b) => this.topIndexOf(b) - this.topIndexOf(a));
    return this.newest;
  }

  /** Segments among the newest releases, and the one below the newest (for checkpoints). */
  private async newestSegments(): Promise<Release[]> {
    const newest = await this.newestLedgerReleases();
    // The newest ledger release only (the listing's page may hold many older ones): constant cost;
    // and the one below while the newest holds no record yet.
    const out: Release[] = newest.slice(0, 1);
    const top = newest[0] ? this.placementOfTag(newest[0].tag_name) : undefined;
    const empty = newest[0] ? (await this.recordsOf(newest[0])).length === 0 : false;
    if (top?.kind === 'segment' && top.number > 1 && empty) {
      const below = await this.releaseByTag(this.segmentTag(top.number - 1));
      if (below) out.push(below);
    }
    return out;
  }

  /** Every ledger release, oldest first. */
  private async allLedgerReleases(): Promise<Release[]> {
    const releases = (await this.call('list releases', () =>
      this.client.paginate(this.client.rest.repos.listReleases, {
        owner: this.owner,
        repo: this.repo,
        per_page: 100,
      }),
    )) as Release[];
    this.allListed = true;
    this.reportAbandonedDrafts(releases);
    // A ledger kept under another `release-tag` is still found by its record assets.
    const ledger = releases.filter(
      (release) =>
        this.isLedgerRelease(release) ||
        (!this.only && !release.draft && (release.assets ?? []).some((asset) => parseRecordName(asset.name))),
    );
    for (const release of ledger) this.remember(release);
    return ledger.sort((a, b) => a.id - b.id);
  }

  /** Releases that may hold the keys of the records near the head (and record 0's). */
  private async keyReleases(): Promise<Release[]> {
    const releases = [...(await this.newestSegments())];
    const first = await this.releaseByTag(this.segmentTag(1));
    if (first && !releases.some((release) => release.id === first.id)) releases.push(first);
    return releases;
  }

  /** Per-record releases among the newest, below the top, by tag lookups (immutable ledgers). */
  private async recordReleasesBelow(newest: Release[], count: number): Promise<RecordRef[]> {
    const refs: RecordRef[] = [];
    const top = newest.find((release) => this.placementOfTag(release.tag_name)?.kind === 'record');
    if (!top) return refs;
    const topIndex = this.topIndexOf(top);
    for (let index = topIndex; index >= 0 && index > topIndex - count; index--) {
      const release =
        newest.find((candidate) => candidate.tag_name === this.recordTag(index)) ??
        (await this.releaseByTag(this.recordTag(index)));
      if (release) refs.push(...(await this.recordsOf(release)));
      else {
        const segment = await this.releaseByTag(this.segmentTag(this.segmentOf(index)));
        if (segment && !isImmutable(segment)) refs.push(...(await this.recordsOf(segment)));
        if (segment && !isImmutable(segment)) break;
      }
    }
    return refs;
  }

  /** The highest record index a ledger release can hold, for ordering. */
  private topIndexOf(release: Release): number {
    const placement = this.placementOfTag(release.tag_name);
    if (!placement) return -1;
    if (placement.kind === 'segment') return placement.number * this.perRelease - 1;
    return Number(placement.tag.slice(`${this.tag}-record-`.length));
  }

  private reportAbandonedDrafts(releases: Release[]): void {
    for (const release of releases) {
      if (!release.draft || !this.placementOfTag(release.tag_name)) continue;
      if ((release.body ?? '').includes(`model-ledger run ${this.nonce}`)) continue;
      const age = release.created_at ? Date.now() - Date.parse(release.created_at) : 0;
      if (age > ABANDONED_AFTER_MS) {
        this.log.warn(
          `release ${release.tag_name} (id ${release.id}) is a draft another run left ${Math.round(age / 60_000)} min ago (cancelled or failed): it is not part of the ledger and nothing is added to it; delete it in the repository's Releases page`,
        );
      }
    }
  }

  private async recordsOf(release: Release): Promise<RecordRef[]> {
    const refs: RecordRef[] = [];
    for (const asset of await this.assetsOf(release)) {
      const parsed = parseRecordName(asset.name);
      if (!parsed || asset.state !== 'uploaded') continue;
      const ref = this.refOf(release, asset, parsed.index);
      this.found.set(ref.name, { release, asset });
      refs.push(ref);
    }
    return refs;
  }

  private refOf(release: Release, asset: Asset, index: number): RecordRef {
    return {
      index,
      name: `${release.tag_name}/${asset.name}`,
      uri: asset.browser_download_url,
      sequence: asset.id,
    };
  }

  // -------------------------------------------------------------------------------------------
  // Assets

  /**
   * Uploads one asset. A name already taken is looked at: the same bytes (this run's earlier
   * attempt) count as written; other bytes are reported to the caller; an asset still being
   * uploaded is this run's own failed attempt (its label carries the nonce: deleted and tried again),
   * another run's upload in flight (waited for), or abandoned long ago by GitHub's clock (deleted).
   */
  private async upload(
    release: Release,
    name: string,
    label: string,
    content: Buffer,
  ): Promise<{ asset: Asset; outcome: 'written' | 'exists-same' | 'exists-other' }> {
    const ownLabel = `${label} · run ${this.nonce}`;
    for (let cleanups = 0, waited = 0; ;) {
      let failure: unknown;
      try {
        const response: { data: unknown } = await this.call(`upload ${name}`, () =>
          this.client.request(`POST ${release.upload_url}`, {
            name,
            label: ownLabel,
            data: content,
            // The media type GitHub's description gives for uploads; the asset keeps it for downloads.
            headers: { 'content-type': 'application/octet-stream' },
          }),
        );
        const asset = response.data as Asset;
        this.assetLists.get(release.id)?.push(asset);
        return { asset, outcome: 'written' };
      } catch (error) {
        failure = error;
      }
      if (httpStatusOf(failure) === 422 && /immutable/i.test(describeError(failure))) {
        throw new LedgerError(
          'STORE',
          `release ${release.tag_name} is immutable: GitHub refuses new assets on it`,
          {
            file: release.html_url,
            cause: failure,
            fix: 'run again: the ledger continues in releases of their own',
          },
        );
      }
      const existing = (await this.assetsOf(release, true)).find((asset) => asset.name === name);
      if (!existing) {
        if (httpStatusOf(failure) === 422 || cleanups >= 2) throw failure;
        cleanups += 1;
        continue; // the upload never started: try again
      }
      if (existing.state === 'uploaded') {
        const same = await this.sameContent(existing, content);
        return { asset: existing, outcome: same ? 'exists-same' : 'exists-other' };
      }
      const mine = (existing.label ?? '').includes(`run ${this.nonce}`);
      const abandoned = await this.abandoned(existing);
      if ((mine || abandoned) && cleanups < 2) {
        this.log.warn(
          `release ${release.tag_name}: ${mine ? 'this run’s' : 'an abandoned'} upload of ${name} stopped half-way (asset state "${existing.state}"); deleting it and uploading again`,
        );
        await this.deleteAsset(existing.id, name);
        cleanups += 1;
        continue;
      }
      if (mine || abandoned) throw failure;
      // Another run's upload in flight: its outcome decides. Wait for it rather than break it.
      const wait = IN_FLIGHT_WAITS[waited];
      if (wait === undefined) {
        throw new RecordConflict(
          `another run's upload of ${name} to release ${release.tag_name} has not completed`,
          { file: this.location, fix: 'run again once the other run has finished' },
        );
      }
      waited += 1;
      this.log.info(`release ${release.tag_name}: another run is uploading ${name}; waiting for it`);
      await this.sleep(wait);
    }
  }

  /**
   * An upload older than any upload takes, by the server's own clock (the `date` of a fresh answer
   * about the asset itself: this machine's clock may be off). Without a server time, never.
   */
  private async abandoned(asset: Asset): Promise<boolean> {
    let fresh: Asset;
    let serverTime: number;
    try {
      const response = await this.call(`read asset ${asset.name}`, () =>
        this.client.rest.repos.getReleaseAsset({ owner: this.owner, repo: this.repo, asset_id: asset.id }),
      );
      fresh = response.data;
      serverTime = Date.parse(String(response.headers.date ?? ''));
    } catch (error) {
      if (httpStatusOf(error) === 404) return false; // gone meanwhile: the upload is tried again
      throw error;
    }
    const started = Date.parse(fresh.updated_at ?? fresh.created_at ?? '');
    if (Number.isNaN(started) || Number.isNaN(serverTime)) return false;
    return fresh.state !== 'uploaded' && serverTime - started > ABANDONED_AFTER_MS;
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

  /**
   * The assets of a release whose names match, looked for in the release object's embedded list
   * first: what is found there is there. Only when nothing matches and the embedded list may have
   * been cut is the whole list paged.
   */
  private async assetsNamed(release: Release, match: (name: string) => boolean): Promise<Asset[]> {
    const cached = this.assetLists.get(release.id);
    const embedded = cached ?? release.assets ?? [];
    const found = embedded.filter((asset) => match(asset.name) && asset.state === 'uploaded');
    if (found.length > 0 || cached || embedded.length < EMBEDDED_ASSETS_TRUSTED_BELOW) return found;
    return (await this.assetsOf(release)).filter((asset) => match(asset.name) && asset.state === 'uploaded');
  }

  private async assetNamed(release: Release, match: (name: string) => boolean): Promise<Asset | undefined> {
    return (await this.assetsNamed(release, match))[0];
  }

  /** A release's assets: embedded in the release object when short enough to be whole, else paged. */
  private async assetsOf(release: Release, fresh = false): Promise<Asset[]> {
    if (!fresh) {
      const cached = this.assetLists.get(release.id);
      if (cached) return cached;
      if (release.assets && release.assets.length < EMBEDDED_ASSETS_TRUSTED_BELOW) {
        this.assetLists.set(release.id, [...release.assets]);
        return this.assetLists.get(release.id) as Asset[];
      }
    }
    const assets = (await this.call(`list the assets of release ${release.tag_name}`, () =>
      this.client.paginate(this.client.rest.repos.listReleaseAssets, {
        owner: this.owner,
        repo: this.repo,
        release_id: release.id,
        per_page: 100,
      }),
    )) as Asset[];
    this.assetLists.set(release.id, assets);
    return assets;
  }

  private async deleteAsset(id: number, name: string): Promise<void> {
    await this.call(`delete ${name}`, () =>
      this.client.rest.repos.deleteReleaseAsset({ owner: this.owner, repo: this.repo, asset_id: id }),
    );
    this.downloads.delete(id);
    for (const assets of this.assetLists.values()) {
      const at = assets.findIndex((asset) => asset.id === id);
      if (at >= 0) assets.splice(at, 1);
    }
  }

  /**
   * The bytes of an asset through the API (`Accept: application/octet-stream`), which answers
   * with a redirect to where the bytes are: works for private repositories and on GHES. Bytes that
   * do not match GitHub's digest of the asset are fetched once more before giving up.
   */
  private async download(id: number, name: string, digest: string | null | undefined): Promise<Buffer> {
    const cached = this.downloads.get(id);
    if (cached) return cached;
    const web = this.webDownloads ? await this.webDownload(id) : undefined;
    for (let attempt = 1; ; attempt++) {
      if (web && attempt === 1 && matchesDigest(web, digest)) {
        this.downloads.set(id, web);
        return web;
      }
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
      this.usage.downloads += 1;
      this.usage.bytesDownloaded += bytes.length;
      const matches =
        !digest?.startsWith('sha256:') ||
        digest === `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
      if (matches) {
        this.downloads.set(id, bytes);
        return bytes;
      }
      if (attempt >= 2) {
        throw new LedgerError(
          'NETWORK',
          `the download of ${name} does not match the digest GitHub gives for it`,
          {
            file: this.location,
            fix: 'run again; if it persists, the asset is damaged on GitHub',
          },
        );
      }
      this.log.info(`the download of ${name} does not match GitHub's digest of it; downloading it again`);
    }
  }

  /**
   * A public asset's bytes from the web host (no API call); undefined when that fails for any
   * reason — the API is asked instead, so nothing is lost by trying.
   */
  private async webDownload(id: number): Promise<Buffer | undefined> {
    const url =
      [...this.found.values()].find((entry) => entry.asset.id === id)?.asset.browser_download_url ??
      [...this.assetLists.values()].flat().find((asset) => asset.id === id)?.browser_download_url;
    if (!url) return undefined;
    try {
      const response = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(30_000) });
      if (!response.ok) return undefined;
      const bytes = Buffer.from(await response.arrayBuffer());
      this.usage.downloads += 1;
      this.usage.webDownloads += 1;
      this.usage.bytesDownloaded += bytes.length;
      return bytes;
    } catch (error) {
      this.log.debug(`web download of asset ${id} failed (${describeError(error)}); using the API`);
      return undefined;
    }
  }

  /** Runs one API call; a failure becomes a STORE error that says what was being done. */
  private async call<T>(what: string, action: () => Promise<T>): Promise<T> {
    this.usage.calls += 1;
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

function matchesDigest(bytes: Buffer, digest: string | null | undefined): boolean {
  return (
    !digest?.startsWith('sha256:') || digest === `sha256:${createHash('sha256').update(bytes).digest('hex')}`
  );
}

function isImmutable(release: Release): boolean {
  return release.immutable === true && !release.draft;
}

function sortRefs(refs: RecordRef[]): RecordRef[] {
  return refs.sort((a, b) => a.index - b.index || compareBytewise(a.name, b.name));
}

function dedupe(refs: RecordRef[]): RecordRef[] {
  const seen = new Map<string, RecordRef>();
  for (const ref of refs) seen.set(ref.name, ref);
  return [...seen.values()];
}
