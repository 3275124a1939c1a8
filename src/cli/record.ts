import { relative, resolve, sep } from 'node:path';

import { DEFAULT_CONFIG_FILE, loadConfig } from '../config/load.js';
import { LedgerError } from '../errors.js';
import type { DependenciesMode } from '../collect/dependencies.js';
import type { Logger } from '../log.js';
import type { ModelSafety } from '../record/predicate.js';
import type { InstanceOptions } from '../sign/instance.js';
import type { SigningChoice } from '../sign/resolve.js';
import { recordOptionsFrom } from '../run/options.js';
import { record } from '../run/record.js';
import { repositoryRoot } from '../fs/repo-path.js';
import { DEVELOPMENT_KEY_LABEL } from '../report/facts.js';
import { DEFAULT_LEDGER_DIR } from '../store/local.js';
import { COMMON_OPTIONS, parseCommandArgs } from './args.js';
import { GITHUB_RECORD_HELP, GITHUB_RECORD_OPTIONS, recordOnGitHub } from './github.js';
import type { Command, CommandContext } from './output.js';

export const RECORD_HELP = `Usage: model-ledger record [options]

Records the current change: collects its metadata, links it to the ledger's head, signs it
and appends it to the ledger.

Options:
  --store DIR         ledger directory (default ${DEFAULT_LEDGER_DIR})
  --key PEM           sign with this PKCS#8 ECDSA P-256 private key
  --keyless           sign keyless with Sigstore (OIDC token from GitHub Actions or SIGSTORE_ID_TOKEN)
  --sigstore NAME     keyless instance: auto (by repository visibility), public-good or github
  --fulcio-url URL    custom Sigstore: Fulcio (with --rekor-url and/or --tsa-url)
  --rekor-url URL     custom Sigstore: Rekor transparency log
  --tsa-url URL       custom Sigstore: RFC 3161 timestamp authority; with --key, every record
                      carries its timestamp, so its time is not the key holder's word (verify
                      with a --trusted-root that names the TSA)
  --trusted-root FILE Sigstore trusted root that verifies the ledger's keyless head before linking
                      to it (default: fetched through Sigstore's TUF repository)
                      Without --key or --keyless: keyless when an OIDC token is available, else
                      (outside CI only) a local development key whose records are not evidence
  --models GLOB       model files or directories to record (repeatable), e.g. 'models/*.{pt,ckpt}'
                      Every path (models, datasets, training, lockfiles, --store, --key,
                      --config, --policy) is relative to the repository root, from whichever
                      folder this runs; absolute paths inside the repository work too
  --datasets PATH     dataset to record (repeatable): a file, a directory (summarised by a sha256
                      manifest), a glob, a .dvc file, or a URI (hf://, s3://…, recorded by reference)
  --training FILE     training-run description: JSON or YAML, an MLmodel file, an MLflow run folder
  --no-cache          hash every file again instead of reusing digests of unchanged files
  --no-model-signature  do not sign each model as OpenSSF Model Signing v1.0 (model.sig, stored
                      beside the record; by default every model gets one)
  --reason TEXT       why this change was made (default: the commit message)
  --new-ledger        start a new ledger on purpose although signs of an earlier one exist (its
                      records deleted); needs --reason, which is recorded in the new record 0
  --lockfile PATH     lockfile to record (repeatable); default: every lockfile found in the
                      repository (node_modules, .venv, .git and vendored folders skipped)
  --dependencies MODE strict (default: a malformed lockfile fails the run) or best-effort
                      (it is skipped with a warning and a note in the record)
  --ledger NAME       which ledger of the repository (default main)
  --github-token TOK  token for the GitHub API (pull request, approvals, commit verification);
                      default: GITHUB_TOKEN. Never recorded.
  --policy FILE       policy the change must meet, checked before signing (default:
                      model-ledger.policy.yml in the repository root, when it exists); an
                      enforced rule that fails exits 1 and nothing is signed or written
  --no-policy         do not check a policy (the record then says it has none)
  --env NAME          also record this environment variable (repeatable; PREFIX_* allowed);
                      values of secret-looking names are redacted
  --config FILE       what to record, in YAML (default model-ledger.yml when present); flags add
                      to its lists and override its values
${GITHUB_RECORD_HELP}
  --json              print the result as JSON
  --debug             show stack traces`;

const OPTIONS = {
  ...COMMON_OPTIONS,
  store: { type: 'string' },
  key: { type: 'string' },
  keyless: { type: 'boolean' },
  sigstore: { type: 'string' },
  'fulcio-url': { type: 'string' },
  'rekor-url': { type: 'string' },
  'tsa-url': { type: 'string' },
  'trusted-root': { type: 'string' },
  models: { type: 'string', multiple: true },
  datasets: { type: 'string', multiple: true },
  training: { type: 'string' },
  'no-cache': { type: 'boolean' },
  'no-model-signature': { type: 'boolean' },
  reason: { type: 'string' },
  'new-ledger': { type: 'boolean' },
  lockfile: { type: 'string', multiple: true },
  dependencies: { type: 'string' },
  ledger: { type: 'string' },
  'github-token': { type: 'string' },
  env: { type: 'string', multiple: true },
  policy: { type: 'string' },
  'no-policy': { type: 'boolean' },
  config: { type: 'string' },
  ...GITHUB_RECORD_OPTIONS,
} as const;

function cliLogger(context: CommandContext, quiet: boolean): Logger {
  return {
    debug: () => undefined,
    info: (message) => {
      if (!quiet) context.output.err(message);
    },
    warn: (message) => context.output.err(`warning: ${message}`),
  };
}

export const recordCommand: Command = async (argv, context) => {
  const { values } = parseCommandArgs('record', argv, OPTIONS);
  if (values.help) {
    context.output.out(RECORD_HELP);
    return 0;
  }
  const githubToken = values['github-token'] ?? context.env.GITHUB_TOKEN;
  // Every path is relative to the repository root, whichever folder this runs from.
  const root = await repositoryRoot(context.cwd, context.env);
  const config = await loadConfig(
    resolve(root, values.config ?? DEFAULT_CONFIG_FILE),
    values.config ?? DEFAULT_CONFIG_FILE,
    values.config !== undefined,
  );
  const dependencies = dependenciesMode(values.dependencies);
  const recordOptions = recordOptionsFrom(
    {
      face: 'cli',
      root,
      env: context.env,
      ...(values.store === undefined ? {} : { store: values.store }),
      ...(values.ledger === undefined ? {} : { ledger: values.ledger }),
      signing: signingChoice(values.key, values.keyless),
      ...(values.key === undefined ? {} : { keyFile: values.key }),
      sigstore: {
        instance: instanceChoice(values.sigstore),
        ...(values['fulcio-url'] === undefined ? {} : { fulcioUrl: values['fulcio-url'] }),
        ...(values['rekor-url'] === undefined ? {} : { rekorUrl: values['rekor-url'] }),
        ...(values['tsa-url'] === undefined ? {} : { tsaUrl: values['tsa-url'] }),
      },
      ...(values['trusted-root'] === undefined ? {} : { trustedRoot: values['trusted-root'] }),
      models: values.models ?? [],
      datasets: values.datasets ?? [],
      // A config or policy named by a flag shapes the record: its uncommitted edits make it dirty.
      ...(values.config !== undefined || values.policy !== undefined
        ? {
            configFiles: [values.config, values.policy]
              .filter((file): file is string => file !== undefined)
              .map((file) => relative(root, resolve(root, file)).split(sep).join('/')),
          }
        : {}),
      ...(values.training === undefined ? {} : { training: values.training }),
      noCache: values['no-cache'] === true,
      modelSignature: values['no-model-signature'] !== true,
      ...(githubToken ? { githubToken } : {}),
      environmentVariables: values.env ?? [],
      ...(values.lockfile === undefined ? {} : { lockfiles: values.lockfile }),
      ...(dependencies === undefined ? {} : { dependencies }),
      ...(values.reason === undefined ? {} : { reason: values.reason }),
      newLedger: values['new-ledger'] === true,
      ...policyChoice(values.policy, values['no-policy']),
      log: cliLogger(context, values.json === true),
      ...(context.status && !values.json ? { onProgress: progressLine(context.status) } : {}),
    },
    config,
  );
  const result = values.github
    ? await recordOnGitHub(recordOptions, values, githubToken, context)
    : await record(recordOptions);
  if (context.status && !values.json) context.status('');
  const { models, datasets } = result.statement.predicate;
  for (const line of safetyLines([...models, ...datasets])) context.output.err(line);
  if (values.json) {
    context.output.out(
      JSON.stringify(
        {
          index: result.index,
          statementSha256: result.statementSha256,
          bundleSha256: result.bundleSha256,
          bundlePath: result.location,
          previousSha256: result.previous?.statementSha256 ?? null,
          signingMode: result.signingMode,
          subjects: result.statement.subject,
          notices: result.notices,
        },
        null,
        2,
      ),
    );
  } else {
    for (const notice of result.notices) context.output.err(`notice: ${notice}`);
    if (result.signingMode === 'development-key')
      context.output.err(`warning: record ${result.index} is signed with a ${DEVELOPMENT_KEY_LABEL}`);
    context.output.out(
      `recorded #${result.index} ${result.statementSha256} → ${result.location}${result.signingMode === 'development-key' ? ` (${DEVELOPMENT_KEY_LABEL})` : ''}`,
    );
  }
  return 0;
};

function signingChoice(key: string | undefined, keyless: boolean | undefined): SigningChoice {
  if (key !== undefined && keyless) {
    throw new LedgerError('USAGE', '--key and --keyless exclude each other', {
      fix: 'choose one way to sign',
    });
  }
  if (key !== undefined) return 'key';
  return keyless ? 'keyless' : 'auto';
}

export function instanceChoice(value: string | undefined): NonNullable<InstanceOptions['instance']> {
  if (value === undefined || value === 'auto' || value === 'public-good' || value === 'github')
    return value ?? 'auto';
  throw new LedgerError('USAGE', `unknown Sigstore instance "${value}"`, {
    field: '--sigstore',
    fix: 'use auto, public-good or github, or --fulcio-url with --rekor-url/--tsa-url for your own',
  });
}

function policyChoice(file: string | undefined, off: boolean | undefined): { policy?: string | false } {
  if (file !== undefined && off) {
    throw new LedgerError('USAGE', '--policy and --no-policy exclude each other', {
      fix: 'name a policy file, or turn policies off',
    });
  }
  if (off) return { policy: false };
  return file === undefined ? {} : { policy: file };
}

function dependenciesMode(value: string | undefined): DependenciesMode | undefined {
  if (value === undefined || value === 'strict' || value === 'best-effort') return value;
  throw new LedgerError('USAGE', `unknown mode "${value}"`, {
    field: '--dependencies',
    fix: 'use strict or best-effort',
  });
}

/** `hashing 1,234/20,000 files, 3.2 GB` on the terminal's status line. */
export function progressLine(status: (text: string) => void) {
  return ({ files, total, bytes }: { files: number; total: number; bytes: number }): void => {
    const size = bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : `${(bytes / 1e6).toFixed(1)} MB`;
    status(`hashing ${files.toLocaleString('en')}/${total.toLocaleString('en')} files, ${size}`);
  };
}

const SAFETY_ADVICE = {
  unsafe: 'loading it can run code — do not load it; convert it to safetensors',
  unknown: "imports names off model-ledger's safe list — review them before loading it",
  incomplete: 'scan incomplete — it was not fully checked; treat it as unchecked',
} as const;

/** One prominent line per model (or scanned dataset) whose safety verdict is not clean (the record holds the details). */
export function safetyLines(models: { name: string; safety?: ModelSafety }[]): string[] {
  return models.flatMap((model) => {
    const safety = model.safety;
    if (!safety || safety.verdict === 'clean') return [];
    const decisive = (safety.findings ?? []).filter((finding) => finding.verdict === safety.verdict);
    const names = [...new Set(decisive.flatMap((finding) => finding.names ?? []))].slice(0, 5);
    const where = [...new Set(decisive.flatMap((finding) => (finding.member ? [finding.member] : [])))].slice(
      0,
      3,
    );
    const reason = names.length > 0 ? names.join(', ') : (decisive[0]?.reason ?? '');
    const inside = where.length > 0 ? ` in ${where.join(', ')}` : '';
    return [
      `${safety.verdict.toUpperCase()} ${model.name}${inside}: ${reason} — ${SAFETY_ADVICE[safety.verdict]}`,
    ];
  });
}
