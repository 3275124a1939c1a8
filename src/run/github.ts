/**
 * One run recorded into the ledger on GitHub: the record becomes a release asset linked to the
 * previous run's record, and is mirrored to GitHub's attestations API. A pull request from a fork
 * (read-only token, no OIDC token) records and verifies locally instead, and says so.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';

import { LedgerError } from '../errors.js';
import { packAudit } from '../audit/pack-audit.js';
import { buildEvidencePack, EXPORT_FILES, type PackAudit } from '../report/evidence.js';
import { loadLedger, type LoadedLedger } from '../report/load.js';
import { resolveTrustedRoot } from '../sign/trusted-root.js';
import { createGitHubClient } from '../github/client.js';
import { readEventPayload, repositoryFrom } from '../github/context.js';
import { silentLogger } from '../log.js';
import { KeySigner } from '../sign/key-signer.js';
import { resolveSigner } from '../sign/resolve.js';
import type { Signer } from '../sign/types.js';
import { generateKeyPair, parsePrivateKey } from '../sign/keys.js';
import { identityProviderFrom } from '../sign/oidc.js';
import { knownRecordsFromAttestations, mirrorAttestation } from '../store/attestations.js';
import { GitHubReleaseStore, type ReleaseLocation } from '../store/github-release.js';
import { forkOfPullRequest, releaseTargetFor } from '../store/github-target.js';
import { DEFAULT_LEDGER_DIR, LocalStore } from '../store/local.js';
import { PreviewStore } from '../store/preview.js';
import type { Store } from '../store/types.js';
import { verifyLedger } from '../verify/ledger.js';
import type { Statement } from '../record/predicate.js';
import { record, type RecordOptions, type RecordResult } from './record.js';

/** Records below the head a branch build verifies before linking (release builds verify all). */
export const DEFAULT_VERIFY_DEPTH = 10;

export interface GitHubStoreOptions {
  /** Token that may write releases (`contents: write`) and attestations; never logged. */
  token?: string;
  /** `owner/repo`; default GITHUB_REPOSITORY. */
  repository?: string;
  /** Tag of the rolling pre-release (default model-ledger). */
  releaseTag?: string;
  /** Mirror the record to the attestations API (default true). */
  attestations?: boolean;
  /** Records verified below the head on branch builds (default 10); tag and release builds verify all. */
  verifyDepth?: number;
  /** On release builds, upload the evidence pack to the release (default true). */
  evidence?: boolean;
  /** Records per ledger release (default 100); fixed for the life of a ledger. */
  recordsPerRelease?: number;
}

export interface GitHubRecordOutcome {
  result: RecordResult;
  /** Where the record was stored (the release store, or the local one for a fork's pull request). */
  store: Store;
  /** The stored bundle's bytes. */
  bundle: Buffer;
  /** Why nothing was uploaded, when nothing was (a pull request from a fork). */
  skipped?: string;
  release?: ReleaseLocation;
  attestationId?: number;
  /** Download URL of the evidence pack uploaded to the release, on release builds. */
  evidenceUrl?: string;
  /** Things that did not work and did not stop the run (the attestation mirror, the pack). */
  warnings: string[];
}

export async function recordToGitHub(
  options: RecordOptions,
  github: GitHubStoreOptions,
): Promise<GitHubRecordOutcome> {
  const env = options.env ?? process.env;
  const log = options.log ?? silentLogger;
  const payload = await readEventPayload(env, log);
  const fork = forkOfPullRequest(env, payload);
  if (fork !== undefined) return recordForkLocally(options, fork);

  const repository = repositoryFrom({ GITHUB_REPOSITORY: github.repository ?? env.GITHUB_REPOSITORY });
  if (!repository) {
    throw new LedgerError('USAGE', 'storing the ledger on GitHub needs the repository (OWNER/REPO)', {
      field: 'store',
      fix: 'run in GitHub Actions (GITHUB_REPOSITORY), pass --repo OWNER/REPO, or use the local store',
    });
  }
  if (!github.token) {
    throw new LedgerError('USAGE', 'storing the ledger on GitHub needs a token that may write releases', {
      field: 'github-token',
      fix: 'pass `github-token` (default `${{ github.token }}`) with `permissions: contents: write`, or set GITHUB_TOKEN for the CLI',
    });
  }
  const client = createGitHubClient({ token: github.token, env, log });
  const target = releaseTargetFor(env, payload);
  const store = new GitHubReleaseStore({
    client,
    ...repository,
    ...(github.releaseTag === undefined ? {} : { releaseTag: github.releaseTag }),
    ...(github.recordsPerRelease === undefined ? {} : { recordsPerRelease: github.recordsPerRelease }),
    // A public repository's assets come from the web host: no API call, so runs fit the token's budget.
    ...(isPublicRepository(payload) ? { downloads: 'web' as const } : {}),
    target,
    log,
  });
  // The attestations mirror is a trace of the ledger outside its releases: a run that finds records
  // there that the releases lack (deleted releases, a deleted head) refuses to link.
  const knownRecords =
    github.attestations === false
      ? undefined
      : (draft: Statement) => knownRecordsFromAttestations({ client, ...repository }, draft, log);
  const headVerificationDepth =
    target.kind === 'release'
      ? Infinity
      : (github.verifyDepth ?? options.headVerificationDepth ?? DEFAULT_VERIFY_DEPTH);
  if (isPullRequestEvent(env)) return recordPullRequestPreview(options, store, headVerificationDepth);
  // A release build signs its evidence pack's manifest with the records' signer: resolved here
  // once, so the pack is signed by exactly the signer of the record it ends with.
  const resolved =
    target.kind === 'release' && !options.signer ? await resolveSigner(options, env) : undefined;
  const signer = resolved?.signer ?? options.signer;
  const result = await record({
    ...options,
    store,
    headVerificationDepth,
    ...(knownRecords ? { knownRecords } : {}),
    ...(resolved ? { signer: resolved.signer } : {}),
  });
  if (resolved) result.notices.unshift(...resolved.notices);
  const bundle = await store.get(result.ref);
  const outcome: GitHubRecordOutcome = { result, store, bundle, warnings: [] };
  const release = store.whereIs(result.ref);
  if (release) outcome.release = release;
  if (target.kind === 'release' && !result.reused) {
    await attachToRelease(store, result, bundle, options, outcome, github.evidence !== false, signer);
  }
  if (github.attestations === false) return outcome;
  if (result.reused) {
    log.info('the attestation was mirrored by the run attempt that made the record; not mirrored again');
    return outcome;
  }
  const mirrored = await mirrorAttestation({ client, ...repository, bundle, log });
  if ('id' in mirrored) outcome.attestationId = mirrored.id;
  else if ('warning' in mirrored) {
    outcome.warnings.push(mirrored.warning);
    log.warn(mirrored.warning);
  }
  return outcome;
}

export const EVIDENCE_ASSET = 'model-ledger-evidence.zip';
/** The release's CycloneDX and SPDX documents of the ledger up to its record. */
export const CYCLONEDX_ASSET = 'model-ledger.cdx.json';
export const SPDX3_ASSET = 'model-ledger.spdx.json';

/** The event payload's `repository.private === false` (absent or true: treated as private). */
function isPublicRepository(payload: Record<string, unknown> | undefined): boolean {
  const repository = payload?.repository;
  return (
    typeof repository === 'object' &&
    repository !== null &&
    (repository as { private?: unknown }).private === false
  );
}

/** Pull request events: their builds are previews of a change, not changes to the model. */
export function isPullRequestEvent(env: Readonly<Record<string, string | undefined>>): boolean {
  return (env.GITHUB_EVENT_NAME ?? '').startsWith('pull_request');
}

/**
 * A pull request's record: signed and linked to the ledger's head on GitHub, so the pull request
 * shows what the change does, but kept in the runner's temp dir: only merged changes enter the
 * ledger (the build of the merge records them).
 */
async function recordPullRequestPreview(
  options: RecordOptions,
  ledger: GitHubReleaseStore,
  headVerificationDepth: number,
): Promise<GitHubRecordOutcome> {
  const env = options.env ?? process.env;
  const scratch = new LocalStore(await mkdtemp(join(env.RUNNER_TEMP || tmpdir(), 'model-ledger-preview-')));
  const store = new PreviewStore(ledger, scratch);
  const result = await record({ ...options, store, headVerificationDepth });
  const skipped =
    'pull request: the record was signed and linked to the ledger head, and is shown here, but not uploaded — the build of the merge records the change';
  result.notices.push(skipped);
  return { result, store, bundle: await store.get(result.ref), skipped, warnings: [] };
}

/**
 * A release build's files in its tag's release: a copy of the record and its checkpoint, and the
 * evidence pack (the whole chain up to this record, verified, with what verifies it offline). The
 * record itself is in the ledger already; a release that does not exist is created as a draft and
 * published once the files are in, so immutable releases get them. Failing here does not undo the
 * record: it is a warning that says what to run instead.
 */
async function attachToRelease(
  store: GitHubReleaseStore,
  result: RecordResult,
  bundle: Buffer,
  options: RecordOptions,
  outcome: GitHubRecordOutcome,
  evidence: boolean,
  signer: Signer | undefined,
): Promise<void> {
  const env = options.env ?? process.env;
  const index = String(result.index).padStart(6, '0');
  const files = [
    {
      name: `model-ledger-record-${index}.sigstore.json`,
      label: `model-ledger record ${result.index} (copy; the ledger is in the model-ledger releases)`,
      content: bundle,
    },
    ...(result.checkpoint
      ? [
          {
            name: `model-ledger-record-${index}.checkpoint`,
            label: `model-ledger checkpoint of ${result.index + 1} records`,
            content: Buffer.from(result.checkpoint, 'utf8'),
          },
        ]
      : []),
    ...(result.checkpointBundle
      ? [
          {
            name: `model-ledger-record-${index}.checkpoint.sigstore.json`,
            label: `model-ledger checkpoint of ${result.index + 1} records (signature)`,
            content: result.checkpointBundle,
          },
        ]
      : []),
  ];
  try {
    if (evidence) {
      const trustedRoot =
        result.signingMode === 'keyless'
          ? await resolveTrustedRoot(
              options.trustedRootFile === undefined ? {} : { file: options.trustedRootFile },
              env,
            )
          : undefined;
      const ledger = await loadLedger({
        store,
        ...(trustedRoot ? { loadTrustedRoot: () => Promise.resolve(trustedRoot.json) } : {}),
      });
      const audit = await releaseAudit(options, ledger, result.index, outcome);
      const pack = await buildEvidencePack({
        ledger,
        to: result.index,
        ...(audit ? { audit } : {}),
        ...(trustedRoot ? { trustedRoot: trustedRoot.json } : {}),
        ...(signer ? { signer } : {}),
      });
      files.push({
        name: EVIDENCE_ASSET,
        label: `model-ledger evidence pack (records 0–${result.index})`,
        content: pack.zip,
      });
      // The exchange formats on their own too, for the tools that read a release's SBOM assets
      // (Dependency-Track, SPDX tooling): the same bytes as in the pack, listed in its SHA256SUMS.
      for (const [path, name, what] of [
        [EXPORT_FILES.cyclonedx, CYCLONEDX_ASSET, 'CycloneDX 1.6 ML-BOM'],
        [EXPORT_FILES.spdx3, SPDX3_ASSET, 'SPDX 3.0.1 AI and Dataset profiles'],
      ] as const) {
        const content = pack.files.get(path);
        if (content) files.push({ name, label: `model-ledger ${what} (records 0–${result.index})`, content });
      }
    }
    const urls = await store.attachToRelease(files, { publish: true });
    const url = urls.get(EVIDENCE_ASSET);
    if (url) outcome.evidenceUrl = url;
  } catch (error) {
    if (!(error instanceof LedgerError)) throw error;
    const warning = `the record is stored in the ledger, but its copy${evidence ? ' and the evidence pack were' : ' was'} not uploaded to the release (${error.message})${evidence ? `; make the pack with \`model-ledger export --github OWNER/REPO --out ${EVIDENCE_ASSET}\`` : ''}`;
    outcome.warnings.push(warning);
    (options.log ?? silentLogger).warn(warning);
  }
}

/**
 * The completeness of the history up to this record and the replay of this record, for the
 * release's pack. A release is not held back by its audit: what cannot be measured is a warning
 * (the pack then says it has no figures), and a shallow checkout is reported as such in them.
 */
async function releaseAudit(
  options: RecordOptions,
  ledger: LoadedLedger,
  index: number,
  outcome: GitHubRecordOutcome,
): Promise<PackAudit | undefined> {
  try {
    return await packAudit({ cwd: options.cwd, ledger, from: 0, to: index, replay: 'last' });
  } catch (error) {
    if (!(error instanceof LedgerError)) throw error;
    const warning = `the evidence pack has no completeness and replay figures: ${error.message}`;
    outcome.warnings.push(warning);
    (options.log ?? silentLogger).warn(warning);
    return undefined;
  }
}

/**
 * A pull request from a fork gets a read-only token and no OIDC token: the record is made and
 * verified in the local ledger, nothing is uploaded, and without a key it is signed with a
 * throw-away development key (such records are never evidence).
 */
async function recordForkLocally(options: RecordOptions, fork: string): Promise<GitHubRecordOutcome> {
  const env = options.env ?? process.env;
  const store = options.store ?? new LocalStore(options.ledgerDir ?? DEFAULT_LEDGER_DIR);
  const skipped = `pull request from the fork ${fork}: its token cannot write releases, so the record was made and verified locally and not uploaded`;
  const canSign = Boolean(options.keyPem || options.keyFile || identityProviderFrom(env));
  const signer =
    options.signing !== 'keyless' && !canSign
      ? new KeySigner(parsePrivateKey(generateKeyPair().privateKeyPem, 'throw-away key'), 'development-key')
      : undefined;
  const result = await record({ ...options, store, ...(signer ? { signer } : {}) });
  if (signer) {
    result.notices.push(
      'signed with a throw-away development key: a pull request from a fork has no OIDC token and no secrets',
    );
  }
  result.notices.push(skipped);
  const verification = await verifyLedger({
    store,
    ...(signer ? { trustedKeys: [signer.publicKeyPem] } : {}),
  });
  if (!verification.ok) {
    throw new LedgerError(
      'VERIFICATION_FAILED',
      `the local ledger does not verify: ${verification.problems.map((problem) => problem.message).join('; ')}`,
      { file: store.location },
    );
  }
  return { result, store, bundle: await store.get(result.ref), skipped, warnings: [] };
}

/**
 * A copy of the stored bundle in `dir` (the runner's temp dir), for steps that read the bundle as
 * a file (the Action's `bundle-path`); for a local store, the file in the ledger.
 */
export async function bundleFile(outcome: GitHubRecordOutcome, dir: string): Promise<string> {
  if (outcome.store instanceof LocalStore) return outcome.result.location;
  const file = join(dir, 'model-ledger', basename(outcome.result.ref.name));
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, outcome.bundle);
  return file;
}

/** The job summary lines about where the record went on GitHub. */
export function gitHubSummaryMarkdown(outcome: GitHubRecordOutcome): string {
  const lines = ['### Stored on GitHub', ''];
  if (outcome.skipped) {
    lines.push(`> **Not uploaded**: ${outcome.skipped}.`);
  } else if (outcome.release) {
    lines.push(
      `- Release: [${outcome.release.tag}](${outcome.release.releaseUrl})`,
      `- Asset: [${outcome.result.ref.name.split('/').pop() ?? ''}](${outcome.release.assetUrl})`,
      `- Attestation: ${outcome.attestationId === undefined ? 'not mirrored' : `\`${outcome.attestationId}\``}`,
    );
    if (outcome.evidenceUrl) lines.push(`- Evidence pack: [${EVIDENCE_ASSET}](${outcome.evidenceUrl})`);
  }
  if (outcome.result.reused) lines.push('', '> This run attempt had already recorded it: nothing was added.');
  for (const warning of outcome.warnings) lines.push('', `> Warning: ${warning}`);
  lines.push('');
  return lines.join('\n');
}
