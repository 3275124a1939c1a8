import { DEFAULT_CONFIG_FILE } from '../config/load.js';
import { LedgerError } from '../errors.js';
import { DEFAULT_VERIFY_DEPTH, type GitHubStoreOptions } from '../run/github.js';
import type { LedgerConfig } from '../config/load.js';
import type { Logger } from '../log.js';
import { recordOptionsFrom } from '../run/options.js';
import type { RecordOptions } from '../run/record.js';
import type { SigningChoice } from '../sign/resolve.js';
import { DEFAULT_RELEASE_TAG } from '../store/github-release.js';
import { DEFAULT_LEDGER_DIR } from '../store/local.js';

/** Reads one input by name, as @actions/core's getInput does (trimmed, '' when unset). */
export type InputReader = (name: string) => string;

/** The Action's inputs, parsed and typed: everything `run` needs, and nothing read later. */
export interface ActionInputs {
  models: string[];
  datasets: string[];
  /** `training` (deprecated: `training-metadata`). */
  trainingMetadata: string | undefined;
  /** `lockfiles`: lockfiles to record instead of searching the repository (the CLI's `--lockfile`). */
  lockfiles: string[];
  /** `no-cache`: hash every file again (the CLI's `--no-cache`). */
  noCache: boolean;
  /** `model-signature`: sign each model as OpenSSF Model Signing v1.0 (default true). */
  modelSignatures: boolean;
  reason: string | undefined;
  /** Start a new ledger on purpose (the reason input says why; both go into record 0). */
  newLedger: boolean;
  signingKey: string | undefined;
  signing: SigningChoice;
  sigstore: 'auto' | 'public-good' | 'github';
  /** Self-hosted Sigstore: replaces the instance's URLs. */
  fulcioUrl: string | undefined;
  rekorUrl: string | undefined;
  tsaUrl: string | undefined;
  /** Trusted root (file) that verifies the ledger's keyless records, for self-hosted Sigstore. */
  trustedRoot: string | undefined;
  /** The local ledger's directory: `store` when it names one (deprecated: `ledger-dir`). */
  ledgerDir: string;
  /** Where the ledger lives: `github` (release assets; the default) or `local` (`ledgerDir`). */
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
  /** `witness`: OWNER/REPO whose ledger this run witnesses instead of recording (scheduled runs). */
  witness: WitnessInputs | undefined;
}

export interface WitnessInputs {
  /** The repository whose ledger (GitHub releases) is witnessed. */
  ledger: string;
  /** The witness's private key, PEM (a secret). */
  keyPem: string;
  name: string | undefined;
  /** `github`: release assets of the workflow's own repository; otherwise a directory. */
  state: string;
  /** PEM public keys the ledger's records must be signed with (else: record 0's signer). */
  ledgerPublicKeys: string[];
}

/**
 * Splits a multi-line or comma-separated list input; `#` starts a comment line. A comma inside
 * `{…}` or `[…]` belongs to a glob (`models/*.{pt,ckpt}`), not to the list.
 */
export function parseList(value: string): string[] {
  const items: string[] = [];
  let current = '';
  let braces = 0;
  let inClass = false;
  for (const char of value) {
    if (char === '\n' || (char === ',' && braces === 0 && !inClass)) {
      items.push(current);
      current = '';
      if (char === '\n') {
        braces = 0;
        inClass = false;
      }
      continue;
    }
    if (inClass) inClass = char !== ']';
    else if (char === '[') inClass = true;
    else if (char === '{') braces++;
    else if (char === '}' && braces > 0) braces--;
    current += char;
  }
  items.push(current);
  return items.map((item) => item.trim()).filter((item) => item !== '' && !item.startsWith('#'));
}

/**
 * Old input names that still work: `[old, new]`. One vocabulary across the Action, the CLI and
 * model-ledger.yml (README, "One vocabulary"); the old names warn.
 */
export const DEPRECATED_INPUTS: readonly (readonly [string, string])[] = [
  ['training-metadata', 'training'],
  ['env-allow-list', 'env'],
  ['ledger-dir', 'store'],
];

/** An input by its name, or by its deprecated name (with a warning); both at once is an error. */
function readCurrent(read: InputReader, name: string, warn: (message: string) => void): string {
  const old = DEPRECATED_INPUTS.find(([, current]) => current === name)?.[0];
  const value = read(name);
  const oldValue = old === undefined ? '' : read(old);
  if (old === undefined || oldValue === '') return value;
  if (value !== '') {
    throw new LedgerError('BAD_INPUT', `\`${old}\` is the old name of \`${name}\`; give only \`${name}\``, {
      field: old,
    });
  }
  warn(`the input \`${old}\` is deprecated: use \`${name}\``);
  return oldValue;
}

/**
 * `store`: `github` (release assets), or a directory for a local ledger, as the CLI's `--store
 * DIR` and model-ledger.yml's `store:`; `local` is the default directory (deprecated
 * `ledger-dir` names another).
 */
function storeInput(
  read: InputReader,
  warn: (message: string) => void,
): { store: 'github' | 'local'; ledgerDir: string } {
  const store = read('store') || 'github';
  const ledgerDir = read('ledger-dir');
  if (ledgerDir !== '') {
    if (store === 'github') {
      // As before: ledger-dir alone has no effect without `store: local`.
      return { store: 'github', ledgerDir };
    }
    warn('the input `ledger-dir` is deprecated: give the directory as `store` (e.g. `store: .model-ledger`)');
    if (store !== 'local') {
      throw new LedgerError(
        'BAD_INPUT',
        '`ledger-dir` is the old name of a `store` directory; give only `store`',
        {
          field: 'ledger-dir',
        },
      );
    }
    return { store: 'local', ledgerDir };
  }
  if (store === 'github') return { store: 'github', ledgerDir: DEFAULT_LEDGER_DIR };
  if (store === 'local') return { store: 'local', ledgerDir: DEFAULT_LEDGER_DIR };
  return { store: 'local', ledgerDir: store };
}

export function readInputs(
  read: InputReader,
  warn: (message: string) => void = () => undefined,
): ActionInputs {
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
    trainingMetadata: readCurrent(read, 'training', warn) || undefined,
    reason: read('reason') || undefined,
    newLedger: oneOf(read('new-ledger') || 'false', 'new-ledger', ['true', 'false'] as const) === 'true',
    signingKey: signingKey || undefined,
    ...storeInput(read, warn),
    lockfiles: parseList(read('lockfiles')),
    noCache: oneOf(read('no-cache') || 'false', 'no-cache', ['true', 'false'] as const) === 'true',
    modelSignatures:
      oneOf(read('model-signature') || 'true', 'model-signature', ['true', 'false'] as const) === 'true',
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
    environmentVariables: parseList(readCurrent(read, 'env', warn)),
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
    witness: witnessInputs(read),
  };
}

function witnessInputs(read: InputReader): WitnessInputs | undefined {
  const ledger = read('witness');
  if (ledger === '') return undefined;
  if (!/^[\w.-]+\/[\w.-]+$/.test(ledger)) {
    throw new LedgerError('BAD_INPUT', `"${ledger}" is not OWNER/REPO`, {
      field: 'witness',
      fix: 'name the repository whose ledger this run witnesses, e.g. `witness: acme/fraud-model`',
    });
  }
  const keyPem = read('witness-key');
  if (!keyPem.includes('-----BEGIN')) {
    throw new LedgerError('BAD_INPUT', 'a witness needs its private key (PEM text)', {
      field: 'witness-key',
      fix: 'create one with `model-ledger keygen --ed25519 --out witness` and pass it from a secret: `witness-key: ${{ secrets.WITNESS_KEY }}`',
    });
  }
  const keys = read('ledger-public-key');
  return {
    ledger,
    keyPem,
    name: read('witness-name') || undefined,
    state: read('witness-state') || 'github',
    ledgerPublicKeys:
      keys === ''
        ? []
        : (keys.match(/-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/g) ?? [keys]),
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

/** The library options an Action run amounts to, built as the CLI's are (src/run/options.ts). */
export function toRecordOptions(
  inputs: ActionInputs,
  cwd: string,
  env: RecordOptions['env'],
  config: LedgerConfig = {},
  log?: Logger,
): RecordOptions {
  return recordOptionsFrom(
    {
      face: 'action',
      root: cwd,
      env,
      store: inputs.ledgerDir,
      models: inputs.models,
      datasets: inputs.datasets,
      ...(inputs.trainingMetadata === undefined ? {} : { training: inputs.trainingMetadata }),
      lockfiles: inputs.lockfiles,
      noCache: inputs.noCache,
      modelSignature: inputs.modelSignatures,
      ...(inputs.reason === undefined ? {} : { reason: inputs.reason }),
      newLedger: inputs.newLedger,
      signing: inputs.signing,
      sigstore: {
        instance: inputs.sigstore,
        ...(inputs.fulcioUrl === undefined ? {} : { fulcioUrl: inputs.fulcioUrl }),
        ...(inputs.rekorUrl === undefined ? {} : { rekorUrl: inputs.rekorUrl }),
        ...(inputs.tsaUrl === undefined ? {} : { tsaUrl: inputs.tsaUrl }),
      },
      ...(inputs.trustedRoot === undefined ? {} : { trustedRoot: inputs.trustedRoot }),
      ...(inputs.signingKey === undefined ? {} : { keyPem: inputs.signingKey }),
      ...(inputs.githubToken === undefined ? {} : { githubToken: inputs.githubToken }),
      redact: inputs.redact,
      environmentVariables: inputs.environmentVariables,
      ...(inputs.policy === undefined ? {} : { policy: inputs.policy }),
      ...(inputs.dependencies === undefined ? {} : { dependencies: inputs.dependencies }),
      ...(log === undefined ? {} : { log }),
    },
    config,
  );
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
