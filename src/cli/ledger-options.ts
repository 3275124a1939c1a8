import { resolve } from 'node:path';

import { repositoryRoot } from '../fs/repo-path.js';
import type { LoadLedgerOptions } from '../report/load.js';
import { loadPublicKey, publicKeyPem } from '../sign/keys.js';
import type { LoadedTrustedRoot } from '../sign/trusted-root.js';
import { DEFAULT_LEDGER_DIR, LocalStore } from '../store/local.js';
import { resolvePolicy } from '../verify/identity.js';
import type { OptionSpec } from './args.js';
import { GITHUB_VERIFY_HELP, GITHUB_VERIFY_OPTIONS, gitHubLedgerToVerify } from './github.js';
import type { CommandContext } from './output.js';
import { identityFromFlags, TRUST_HELP, TRUST_OPTIONS, trustedRootLoader } from './trust-options.js';
import { assertReadableDirectory } from './input-files.js';
import type { LoadedLedger } from '../report/load.js';
import { defaultVerifiedCacheDir, type VerifiedCacheOptions } from '../verify/verified-cache.js';

/** The flags of commands that read and verify a whole ledger (log, diff, export), as `verify` has them. */
export const LEDGER_OPTIONS = {
  store: { type: 'string' },
  key: { type: 'string', multiple: true },
  ...TRUST_OPTIONS,
  ...GITHUB_VERIFY_OPTIONS,
} as const satisfies OptionSpec;

export const LEDGER_HELP = `  --store DIR         ledger directory (default ${DEFAULT_LEDGER_DIR})
${GITHUB_VERIFY_HELP}
  --key PUB.PEM       trust only this public key (repeatable); default: the ledger's keys/, pinned
                      to the key that signed record 0
Keyless records are checked against a Sigstore trusted root and the identity of record 0:
${TRUST_HELP}`;

type LedgerValues = {
  [K in keyof typeof LEDGER_OPTIONS]?: (typeof LEDGER_OPTIONS)[K] extends { multiple: true }
    ? string[]
    : string;
};

export interface LedgerFromFlags {
  /** The local ledger directory; undefined for a ledger read from GitHub releases. */
  ledgerDir: string | undefined;
  options: LoadLedgerOptions;
  /** The trusted root verification loaded, once it has (keyless ledgers only). */
  trustedRoot(): LoadedTrustedRoot | undefined;
  /** The verify flags that reproduce this trust, for instructions (`--key FILE`, identity flags). */
  trustedKeyFiles: string[];
}

/**
 * The local ledger a read command (verify, log, diff, export) looks at: `--store` as given,
 * relative to the current folder (these also run in an unzipped evidence pack, outside any
 * repository); without it, the repository root's `.model-ledger`, where `record` keeps it from
 * whichever folder it runs.
 */
export async function localLedgerDir(
  store: string | undefined,
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<string> {
  return store === undefined
    ? resolve(await repositoryRoot(cwd, env), DEFAULT_LEDGER_DIR)
    : resolve(cwd, store);
}

/** The local ledger and the trust the flags name; the trust is verify's, flag for flag. */
export async function ledgerFromFlags(
  values: LedgerValues,
  context: CommandContext,
  command: string,
): Promise<LedgerFromFlags> {
  const remote = gitHubLedgerToVerify(values, context, {
    debug: () => undefined,
    info: () => undefined,
    warn: (message) => context.output.err(`warning: ${message}`),
  });
  const ledgerDir = remote ? undefined : await localLedgerDir(values.store, context.cwd, context.env);
  if (ledgerDir !== undefined) await assertReadableDirectory(ledgerDir);
  const keyFiles = (values.key ?? []).map((file) => resolve(context.cwd, file));
  const trustedKeys =
    keyFiles.length > 0
      ? await Promise.all(keyFiles.map(async (file) => publicKeyPem(await loadPublicKey(file))))
      : undefined;
  const identity = identityFromFlags(values);
  if (Object.keys(identity).length > 0) resolvePolicy(identity);
  const load = trustedRootLoader(values, context, command);
  let loaded: LoadedTrustedRoot | undefined;
  return {
    ledgerDir,
    options: {
      store: remote?.store ?? new LocalStore(ledgerDir ?? DEFAULT_LEDGER_DIR),
      ...(remote?.partial ? { partial: true } : {}),
      ...(trustedKeys ? { trustedKeys } : {}),
      ...(Object.keys(identity).length > 0 ? { identity } : {}),
      loadTrustedRoot: async () => (loaded ??= await load()).json,
    },
    trustedRoot: () => loaded,
    trustedKeyFiles: keyFiles,
  };
}

/** `--reverify` of the read commands that reuse a cached verification of an unchanged ledger. */
export const READ_CACHE_OPTIONS = { reverify: { type: 'boolean' } } as const;
export const READ_CACHE_HELP = `  --reverify          check every record again, even when this ledger is unchanged since it was
                      last verified here (the verification cache; \`verify\` never uses it)`;

/** The verification cache a read command uses: the user's cache dir; `--reverify` checks again. */
export function readCache(
  values: { reverify?: boolean },
  context: { env: Readonly<Record<string, string | undefined>> },
): VerifiedCacheOptions {
  return { dir: defaultVerifiedCacheDir(context.env), ...(values.reverify ? { reverify: true } : {}) };
}

/** The notice a read command prints when the verification came from the cache. */
export function cacheNotice(loaded: LoadedLedger): string | null {
  return loaded.verifiedFromCache
    ? `the verification of these ${loaded.rows.length} records is the one this machine made of the unchanged ledger before (--reverify checks them again)`
    : null;
}
