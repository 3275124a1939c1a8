import { createRequire as __modelLedgerCreateRequire } from 'node:module';
import { dirname as __modelLedgerPathDirname } from 'node:path';
import { fileURLToPath as __modelLedgerFileURLToPath } from 'node:url';
const require = __modelLedgerCreateRequire(import.meta.url);
const __modelLedgerFilename = __modelLedgerFileURLToPath(import.meta.url);
const __modelLedgerDirname = __modelLedgerPathDirname(__modelLedgerFilename);
import {
  GITHUB_VERIFY_HELP,
  GITHUB_VERIFY_OPTIONS,
  gitHubLedgerToVerify
} from "./chunk-KWZVUXJ7.js";
import {
  TRUST_HELP,
  TRUST_OPTIONS,
  assertReadableDirectory,
  identityFromFlags,
  trustedRootLoader
} from "./chunk-D5KYMKBQ.js";
import {
  defaultVerifiedCacheDir
} from "./chunk-XHJCWUDZ.js";
import {
  DEFAULT_LEDGER_DIR,
  LocalStore,
  repositoryRoot
} from "./chunk-3DDHEWZZ.js";
import {
  resolvePolicy
} from "./chunk-IAOLLCTZ.js";
import {
  loadPublicKey,
  publicKeyPem
} from "./chunk-KZKQFOQH.js";

// src/cli/ledger-options.ts
import { resolve } from "node:path";
var LEDGER_OPTIONS = {
  store: { type: "string" },
  key: { type: "string", multiple: true },
  ...TRUST_OPTIONS,
  ...GITHUB_VERIFY_OPTIONS
};
var LEDGER_HELP = `  --store DIR         ledger directory (default ${DEFAULT_LEDGER_DIR})
${GITHUB_VERIFY_HELP}
  --key PUB.PEM       trust only this public key (repeatable); default: the ledger's keys/, pinned
                      to the key that signed record 0
Keyless records are checked against a Sigstore trusted root and the identity of record 0:
${TRUST_HELP}`;
async function localLedgerDir(store, cwd) {
  return store === void 0 ? resolve(await repositoryRoot(cwd), DEFAULT_LEDGER_DIR) : resolve(cwd, store);
}
async function ledgerFromFlags(values, context, command) {
  const remote = gitHubLedgerToVerify(values, context, {
    debug: () => void 0,
    info: () => void 0,
    warn: (message) => context.output.err(`warning: ${message}`)
  });
  const ledgerDir = remote ? void 0 : await localLedgerDir(values.store, context.cwd);
  if (ledgerDir !== void 0) await assertReadableDirectory(ledgerDir);
  const keyFiles = (values.key ?? []).map((file) => resolve(context.cwd, file));
  const trustedKeys = keyFiles.length > 0 ? await Promise.all(keyFiles.map(async (file) => publicKeyPem(await loadPublicKey(file)))) : void 0;
  const identity = identityFromFlags(values);
  if (Object.keys(identity).length > 0) resolvePolicy(identity);
  const load = trustedRootLoader(values, context, command);
  let loaded;
  return {
    ledgerDir,
    options: {
      store: remote?.store ?? new LocalStore(ledgerDir ?? DEFAULT_LEDGER_DIR),
      ...remote?.partial ? { partial: true } : {},
      ...trustedKeys ? { trustedKeys } : {},
      ...Object.keys(identity).length > 0 ? { identity } : {},
      loadTrustedRoot: async () => (loaded ??= await load()).json
    },
    trustedRoot: () => loaded,
    trustedKeyFiles: keyFiles
  };
}
var READ_CACHE_OPTIONS = { reverify: { type: "boolean" } };
var READ_CACHE_HELP = `  --reverify          check every record again, even when this ledger is unchanged since it was
                      last verified here (the verification cache; \`verify\` never uses it)`;
function readCache(values, context) {
  return { dir: defaultVerifiedCacheDir(context.env), ...values.reverify ? { reverify: true } : {} };
}
function cacheNotice(loaded) {
  return loaded.verifiedFromCache ? `the verification of these ${loaded.rows.length} records is the one this machine made of the unchanged ledger before (--reverify checks them again)` : null;
}

export {
  LEDGER_OPTIONS,
  LEDGER_HELP,
  localLedgerDir,
  ledgerFromFlags,
  READ_CACHE_OPTIONS,
  READ_CACHE_HELP,
  readCache,
  cacheNotice
};
