/**
 * The CLI's GitHub flags: `record --github` stores the record as a release asset (and mirrors it
 * to the attestations API); `verify --github OWNER/REPO [--release TAG]` downloads the ledger from
 * the repository's releases and verifies it.
 */
import { LedgerError } from '../errors.js';
import { createGitHubClient } from '../github/client.js';
import { repositoryFrom } from '../github/context.js';
import type { Logger } from '../log.js';
import type { RecordOptions, RecordResult } from '../run/record.js';
import { DEFAULT_RELEASE_TAG, GitHubReleaseStore } from '../store/github-release.js';
import type { OptionSpec } from './args.js';
import type { CommandContext } from './output.js';

export const GITHUB_RECORD_OPTIONS = {
  github: { type: 'boolean' },
  repo: { type: 'string' },
  'release-tag': { type: 'string' },
  'no-attestations': { type: 'boolean' },
} as const satisfies OptionSpec;

export const GITHUB_RECORD_HELP = `  --github            store the record on GitHub, as a release asset linked to the previous
                      run's record (token from --github-token or GITHUB_TOKEN, with contents: write)
  --repo OWNER/REPO   the repository whose releases hold the ledger (default GITHUB_REPOSITORY)
  --release-tag TAG   tag of the rolling pre-release (default ${DEFAULT_RELEASE_TAG}); tag builds
                      (GITHUB_REF=refs/tags/…) store into that tag's release
  --no-attestations   do not mirror the record to GitHub's attestations API`;

export const GITHUB_VERIFY_OPTIONS = {
  github: { type: 'string' },
  release: { type: 'string' },
  'github-token': { type: 'string' },
} as const satisfies OptionSpec;

export const GITHUB_VERIFY_HELP = `  --github OWNER/REPO download the ledger from the repository's GitHub releases and verify it
                      (API from GITHUB_API_URL, default api.github.com; token from --github-token
                      or GITHUB_TOKEN, needed for private repositories and large ledgers)
  --release TAG       only the records that release holds (the link of its first record to the
                      record before it is not checked)`;

type RecordValues = {
  github?: boolean;
  repo?: string;
  'release-tag'?: string;
  'no-attestations'?: boolean;
  store?: string;
};

/** Records into the ledger on GitHub; prints where the record went. */
export async function recordOnGitHub(
  options: RecordOptions,
  values: RecordValues,
  token: string | undefined,
  context: CommandContext,
): Promise<RecordResult> {
  if (values.store !== undefined) {
    throw new LedgerError('USAGE', '--store and --github exclude each other', {
      field: 'record',
      fix: 'keep the ledger in a directory (--store) or on GitHub (--github)',
    });
  }
  // Loaded here: the read commands share this module's flags and must not load the recorder.
  const { recordToGitHub } = await import('../run/github.js');
  const outcome = await recordToGitHub(options, {
    ...(token ? { token } : {}),
    ...(values.repo === undefined ? {} : { repository: values.repo }),
    ...(values['release-tag'] === undefined ? {} : { releaseTag: values['release-tag'] }),
    attestations: values['no-attestations'] !== true,
  });
  if (outcome.release) context.output.err(`release: ${outcome.release.releaseUrl}`);
  if (outcome.attestationId !== undefined) context.output.err(`attestation: ${outcome.attestationId}`);
  return outcome.result;
}

/** The ledger `verify --github` reads, or undefined without the flag. */
export function gitHubLedgerToVerify(
  values: { github?: string; release?: string; 'github-token'?: string; store?: string },
  context: CommandContext,
  log: Logger,
): { store: GitHubReleaseStore; partial: boolean } | undefined {
  if (values.github === undefined) {
    if (values.release !== undefined) {
      throw new LedgerError('USAGE', '--release needs --github OWNER/REPO', { field: 'verify' });
    }
    return undefined;
  }
  if (values.store !== undefined) {
    throw new LedgerError('USAGE', '--store and --github exclude each other', {
      field: 'verify',
      fix: 'verify a ledger directory (--store) or a repository on GitHub (--github OWNER/REPO)',
    });
  }
  const repository = repositoryFrom({ GITHUB_REPOSITORY: values.github });
  if (!repository) {
    throw new LedgerError('USAGE', `"${values.github}" is not OWNER/REPO`, {
      field: '--github',
      fix: 'name the repository whose releases hold the ledger, e.g. --github acme/fraud-model',
    });
  }
  const token = values['github-token'] ?? context.env.GITHUB_TOKEN;
  const client = createGitHubClient({ ...(token ? { token } : {}), env: context.env, log });
  return {
    store: new GitHubReleaseStore({
      client,
      ...repository,
      ...(values.release === undefined ? {} : { onlyReleases: [values.release] }),
      log,
    }),
    partial: values.release !== undefined,
  };
}
