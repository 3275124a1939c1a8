import { createRequire as __modelLedgerCreateRequire } from 'node:module';
import { dirname as __modelLedgerPathDirname } from 'node:path';
import { fileURLToPath as __modelLedgerFileURLToPath } from 'node:url';
const require = __modelLedgerCreateRequire(import.meta.url);
const __modelLedgerFilename = __modelLedgerFileURLToPath(import.meta.url);
const __modelLedgerDirname = __modelLedgerPathDirname(__modelLedgerFilename);
import {
  DEFAULT_LEDGER_DIR
} from "./chunk-3DDHEWZZ.js";
import {
  LedgerError
} from "./chunk-ICUNJ6NG.js";

// src/run/options.ts
import { resolve } from "node:path";

// src/config/apply.ts
function applyConfig(options, config) {
  const lockfiles = [...config.lockfiles ?? [], ...options.lockfiles ?? []];
  const ledgerName = options.ledgerName ?? config.ledger;
  const training = options.training ?? config.training;
  const dependencies = options.dependencies ?? config.dependencies;
  const policy = options.policy ?? config.policy;
  return {
    ...options,
    models: [...config.models ?? [], ...options.models ?? []],
    datasets: [...config.datasets ?? [], ...options.datasets ?? []],
    environmentVariables: [...config.env ?? [], ...options.environmentVariables ?? []],
    ...lockfiles.length === 0 ? {} : { lockfiles },
    ...ledgerName === void 0 ? {} : { ledgerName },
    ...training === void 0 ? {} : { training },
    ...dependencies === void 0 ? {} : { dependencies },
    ...policy === void 0 ? {} : { policy },
    ...config.lockfileSearch && !options.lockfileSearch ? { lockfileSearch: config.lockfileSearch } : {}
  };
}

// src/run/options.ts
function recordOptionsFrom(settings, config) {
  const at = (path) => resolve(settings.root, path);
  return applyConfig(
    {
      cwd: settings.root,
      env: settings.env,
      ledgerDir: at(settings.store ?? config.store ?? DEFAULT_LEDGER_DIR),
      ...settings.ledger === void 0 ? {} : { ledgerName: settings.ledger },
      models: settings.models,
      datasets: settings.datasets,
      ...settings.training === void 0 ? {} : { training: settings.training },
      ...settings.lockfiles === void 0 || settings.lockfiles.length === 0 ? {} : { lockfiles: settings.lockfiles },
      ...settings.noCache ? { noCache: true } : {},
      ...settings.modelSignature === false ? { modelSignatures: false } : {},
      ...settings.reason === void 0 ? {} : { reason: settings.reason },
      ...settings.newLedger ? { newLedger: { reason: newLedgerReason(settings) } } : {},
      signing: settings.signing,
      ...settings.keyFile === void 0 ? {} : { keyFile: at(settings.keyFile) },
      ...settings.keyPem === void 0 ? {} : { keyPem: settings.keyPem },
      sigstore: settings.sigstore,
      ...settings.trustedRoot === void 0 ? {} : { trustedRootFile: at(settings.trustedRoot) },
      ...settings.githubToken === void 0 ? {} : { githubToken: settings.githubToken },
      ...settings.redact === void 0 ? {} : { knownSecrets: settings.redact },
      environmentVariables: settings.environmentVariables,
      ...settings.policy === void 0 ? {} : { policy: settings.policy },
      ...settings.dependencies === void 0 ? {} : { dependencies: settings.dependencies },
      ...settings.configFiles === void 0 ? {} : { configFiles: settings.configFiles },
      ...settings.log === void 0 ? {} : { log: settings.log },
      ...settings.onProgress === void 0 ? {} : { onProgress: settings.onProgress }
    },
    config
  );
}
function newLedgerReason(settings) {
  if (settings.reason !== void 0 && settings.reason.trim() !== "") return settings.reason;
  if (settings.face === "cli") {
    throw new LedgerError("USAGE", "--new-ledger needs --reason: why a new ledger replaces the old one", {
      field: "--reason",
      fix: 'add --reason "\u2026" (it is recorded in the new record 0 with what was found of the old ledger)'
    });
  }
  throw new LedgerError(
    "USAGE",
    "`new-ledger: true` needs the `reason` input: why a new ledger replaces the old one",
    {
      field: "reason",
      fix: "add `reason:` to the step (it is recorded in the new record 0 with what was found of the old ledger)"
    }
  );
}

export {
  recordOptionsFrom
};
