import { DEFAULT_CONFIG_FILE } from '../config/load.js';
import { LedgerError } from '../errors.js';
import { DEFAULT_VERIFY_DEPTH, type GitHubStoreOptions } from '../record/github.js';
import type { RecordOptions } from '../record/record.js';
import type { SigningChoice } from '../sign/resolve.js';
import { DEFAULT_RELEASE_TAG } from '../store/github-release.js';
import { DEFAULT_LEDGER_DIR } from '../store/local.js';

/** Reads one input by name, as @actions/core's getInput does (trimmed, '' when unset). */
export type InputReader = (name: string) => string;

/** The Action's inputs, parsed and typed: everything `run` needs, and nothing read later. */
export interface ActionInputs {
  models: string[];
  datasets: string[];
  trainingMetadata: string | undefined;
  reason: string | undefined;
  signingKey: string | undefined;
  signing: SigningChoice;
  sigstore: 'auto' | 'public-good' | 'github';
  /** Self-hosted Sigstore: replaces the instance's URLs. */
  fulcioUrl: string | undefined;
  rekorUrl: string | undefined;
  tsaUrl: string | undefined;
  /** Trusted root (file) that verifies the ledger's keyless records, for self-hosted Sigstore. */
  trustedRoot: string | undefined;
  ledgerDir: string;
  /** Where the ledger lives: `github` (release assets; the default) or `local` (`ledger-dir`). */
  store: 'github' | 'local';
  /** Tag of the rolling pre-release the GitHub store keeps records in. */
  releaseTag: string;
  /** Mirror each record to GitHub's attestations API (GitHub store). */
  githubAttestations: boolean;
  /** Records verified below the head before linking on branch builds; Infinity for `full`. */
  verifyDepth: number;
  githubToken: string | undefined;
  /** Values to keep out of records, besides the token and the key. */
  redact: string[];
  environmentVariables: string[];
  /** On pull requests, post (or update) one comment with what the record changes (default true). */
  commentOnPr: boolean;
  /** Policy file (workspace-relative); undefined: model-ledger.policy.yml when it exists. */
  policy: string | undefined;
  /** model-ledger.yml (workspace-relative); `explicit` when named by the input, so it must exist. */
  config: { file: string; explicit: boolean };
  /** Strict: a malformed lockfile fails the run; best-effort: it is skipped with a warning. */
  dependencies: 'strict' | 'best-effort' | undefined;
  /** `completeness`: audit the ledger against the history instead of recording (scheduled runs). */
  audit: 'completeness' | undefined;
  /** The lowest share of recorded model changes, in percent, an audit accepts (default 100). */
  auditMin: number;
  auditMode: 'every-commit' | 'every-merge';
}

/** Splits a multi-line or comma-separated list input; `#` starts a comment line. */
export function parseList(value: string): string[] {
  return value
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter((item) => item !== '' && !item.startsWith('#'));
}

export function readInputs(read: InputReader): ActionInputs {
  const signingKey = read('signing-key');
  if (signingKey && !signingKey.includes('-----BEGIN')) {
    throw new LedgerError(
      'BAD_INPUT',
      'expected the PEM text of a PKCS#8 private key, not a path or a name',
      {
        field: 'signing-key',
        fix: 'pass the key itself from a secret: `signing-key: ${{ secrets.MODEL_LEDGER_KEY }}`',
      },
    );
  }
  return {
    signing: oneOf(read('signing') || 'auto', 'signing', ['auto', 'key', 'keyless'] as const),
    sigstore: oneOf(read('sigstore') || 'auto', 'sigstore', ['auto', 'public-good', 'github'] as const),
    fulcioUrl: read('fulcio-url') || undefined,
    rekorUrl: read('rekor-url') || undefined,
    tsaUrl: read('tsa-url') || undefined,
    trustedRoot: read('trusted-root') || undefined,
    models: parseList(read('models')),
    datasets: parseList(read('datasets')),
    trainingMetadata: read('training-metadata') || undefined,
    reason: read('reason') || undefined,
    signingKey: signingKey || undefined,
    ledgerDir: read('ledger-dir') || DEFAULT_LEDGER_DIR,
    store: oneOf(read('store') || 'github', 'store', ['github', 'local'] as const),
    releaseTag: releaseTagInput(read('release-tag') || DEFAULT_RELEASE_TAG),
    githubAttestations:
      oneOf(read('github-attestations') || 'true', 'github-attestations', ['true', 'false'] as const) ===
      'true',
    verifyDepth: depthInput(read('verify-depth') || String(DEFAULT_VERIFY_DEPTH)),
    githubToken: read('github-token') || undefined,
    redact: read('redact')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== ''),
    environmentVariables: parseList(read('env-allow-list')),
    commentOnPr:
      oneOf(read('comment-on-pr') || 'true', 'comment-on-pr', ['true', 'false'] as const) === 'true',
    policy: read('policy') || undefined,
    config: { file: read('config') || DEFAULT_CONFIG_FILE, explicit: read('config') !== '' },
    dependencies: read('dependencies')
      ? oneOf(read('dependencies'), 'dependencies', ['strict', 'best-effort'] as const)
      : undefined,
    audit: read('audit') ? oneOf(read('audit'), 'audit', ['completeness'] as const) : undefined,
    auditMin: percentInput(read('audit-min') || '100'),
    auditMode: oneOf(read('audit-mode') || 'every-commit', 'audit-mode', [
      'every-commit',
      'every-merge',
    ] as const),
  };
}

function percentInput(value: string): number {
  const number = Number(value.replace(/%$/, ''));
  if (value !== '' && Number.isFinite(number) && number >= 0 && number <= 100) return number;
  throw new LedgerError('BAD_INPUT', `"${value}" is not a percentage`, {
    field: 'audit-min',
    fix: 'give a number from 0 to 100, e.g. 99.5',
  });
}

/** The library options an Action run amounts to. */
export function toRecordOptions(inputs: ActionInputs, cwd: string, env: RecordOptions['env']): RecordOptions {
  return {
    cwd,
    env,
    ledgerDir: inputs.ledgerDir.startsWith('/') ? inputs.ledgerDir : `${cwd}/${inputs.ledgerDir}`,
    models: inputs.models,
    datasets: inputs.datasets,
    ...(inputs.trainingMetadata === undefined ? {} : { training: inputs.trainingMetadata }),
    ...(inputs.reason === undefined ? {} : { reason: inputs.reason }),
    signing: inputs.signing,
    sigstore: {
      instance: inputs.sigstore,
      ...(inputs.fulcioUrl === undefined ? {} : { fulcioUrl: inputs.fulcioUrl }),
      ...(inputs.rekorUrl === undefined ? {} : { rekorUrl: inputs.rekorUrl }),
      ...(inputs.tsaUrl === undefined ? {} : { tsaUrl: inputs.tsaUrl }),
    },
    ...(inputs.trustedRoot === undefined ? {} : { trustedRootFile: inputs.trustedRoot }),
    ...(inputs.signingKey === undefined ? {} : { keyPem: inputs.signingKey }),
    ...(inputs.githubToken === undefined ? {} : { githubToken: inputs.githubToken }),
    knownSecrets: inputs.redact,
    environmentVariables: inputs.environmentVariables,
    ...(inputs.policy === undefined ? {} : { policy: inputs.policy }),
    ...(inputs.dependencies === undefined ? {} : { dependencies: inputs.dependencies }),
  };
}

/** What the GitHub store needs from the inputs. */
export function toGitHubStoreOptions(inputs: ActionInputs): GitHubStoreOptions {
  return {
    ...(inputs.githubToken === undefined ? {} : { token: inputs.githubToken }),
    releaseTag: inputs.releaseTag,
    attestations: inputs.githubAttestations,
    verifyDepth: inputs.verifyDepth,
  };
}

function releaseTagInput(value: string): string {
  if (/^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(value) && !value.includes('..') && !value.endsWith('.lock'))
    return value;
  throw new LedgerError('BAD_INPUT', `"${value}" is not a usable tag name`, {
    field: 'release-tag',
    fix: 'use letters, digits, ".", "_", "-" and "/", e.g. `model-ledger`',
  });
}

function depthInput(value: string): number {
  if (value === 'full') return Infinity;
  if (/^[1-9]\d*$/.test(value)) return Number(value);
  throw new LedgerError('BAD_INPUT', `"${value}" is not a number of records or \`full\``, {
    field: 'verify-depth',
    fix: 'give how many records below the head to verify (e.g. 10), or `full`',
  });
}

function oneOf<T extends string>(value: string, input: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new LedgerError('BAD_INPUT', `"${value}" is not one of ${allowed.join(', ')}`, { field: input });
}
