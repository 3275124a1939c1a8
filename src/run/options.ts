/**
 * The one place a record run's options are built, for the CLI and the Action alike: both faces
 * parse their flags or inputs into `RecordSettings` (the vocabulary of the README's "One
 * vocabulary" table) and nothing else. Paths resolve against the repository root, model-ledger.yml
 * adds its lists, and the faces differ only in how errors name the setting.
 */
import { resolve } from 'node:path';

import { applyConfig } from '../config/apply.js';
import type { LedgerConfig } from '../config/load.js';
import { LedgerError } from '../errors.js';
import type { Logger } from '../log.js';
import type { SigningChoice } from '../sign/resolve.js';
import { DEFAULT_LEDGER_DIR } from '../store/local.js';
import type { RecordOptions } from './record.js';

export interface RecordSettings {
  /** Which face the settings came from: how an error names a setting (`--reason` or `reason`). */
  face: 'cli' | 'action';
  /** The repository root: every path below is relative to it (absolute paths are kept). */
  root: string;
  env: RecordOptions['env'];
  /** The local ledger's directory (default the config's `store:`, else `.model-ledger`). */
  store?: string;
  ledger?: string;
  models: string[];
  datasets: string[];
  training?: string;
  lockfiles?: string[];
  noCache?: boolean;
  modelSignature?: boolean;
  reason?: string;
  newLedger?: boolean;
  signing: SigningChoice;
  keyFile?: string;
  keyPem?: string;
  sigstore: RecordOptions['sigstore'];
  trustedRoot?: string;
  githubToken?: string;
  redact?: string[];
  environmentVariables: string[];
  /** A policy file, or false for none (default: model-ledger.policy.yml when it exists). */
  policy?: string | false;
  dependencies?: RecordOptions['dependencies'];
  /** Repository-relative config and policy files named explicitly (their edits make a record dirty). */
  configFiles?: string[];
  log?: Logger;
  onProgress?: RecordOptions['onProgress'];
}

export function recordOptionsFrom(settings: RecordSettings, config: LedgerConfig): RecordOptions {
  const at = (path: string): string => resolve(settings.root, path);
  return applyConfig(
    {
      cwd: settings.root,
      env: settings.env,
      ledgerDir: at(settings.store ?? config.store ?? DEFAULT_LEDGER_DIR),
      ...(settings.ledger === undefined ? {} : { ledgerName: settings.ledger }),
      models: settings.models,
      datasets: settings.datasets,
      ...(settings.training === undefined ? {} : { training: settings.training }),
      ...(settings.lockfiles === undefined || settings.lockfiles.length === 0
        ? {}
        : { lockfiles: settings.lockfiles }),
      ...(settings.noCache ? { noCache: true } : {}),
      ...(settings.modelSignature === false ? { modelSignatures: false } : {}),
      ...(settings.reason === undefined ? {} : { reason: settings.reason }),
      ...(settings.newLedger ? { newLedger: { reason: newLedgerReason(settings) } } : {}),
      signing: settings.signing,
      ...(settings.keyFile === undefined ? {} : { keyFile: at(settings.keyFile) }),
      ...(settings.keyPem === undefined ? {} : { keyPem: settings.keyPem }),
      sigstore: settings.sigstore,
      ...(settings.trustedRoot === undefined ? {} : { trustedRootFile: at(settings.trustedRoot) }),
      ...(settings.githubToken === undefined ? {} : { githubToken: settings.githubToken }),
      ...(settings.redact === undefined ? {} : { knownSecrets: settings.redact }),
      environmentVariables: settings.environmentVariables,
      ...(settings.policy === undefined ? {} : { policy: settings.policy }),
      ...(settings.dependencies === undefined ? {} : { dependencies: settings.dependencies }),
      ...(settings.configFiles === undefined ? {} : { configFiles: settings.configFiles }),
      ...(settings.log === undefined ? {} : { log: settings.log }),
      ...(settings.onProgress === undefined ? {} : { onProgress: settings.onProgress }),
    },
    config,
  );
}

/** A new ledger replaces an old one on purpose: why is recorded in its record 0, so it is required. */
function newLedgerReason(settings: RecordSettings): string {
  if (settings.reason !== undefined && settings.reason.trim() !== '') return settings.reason;
  if (settings.face === 'cli') {
    throw new LedgerError('USAGE', '--new-ledger needs --reason: why a new ledger replaces the old one', {
      field: '--reason',
      fix: 'add --reason "…" (it is recorded in the new record 0 with what was found of the old ledger)',
    });
  }
  throw new LedgerError(
    'USAGE',
    '`new-ledger: true` needs the `reason` input: why a new ledger replaces the old one',
    {
      field: 'reason',
      fix: 'add `reason:` to the step (it is recorded in the new record 0 with what was found of the old ledger)',
    },
  );
}
