import { join, resolve } from 'node:path';

import { LedgerError } from '../errors.js';
import { loadPolicy } from '../policy/load.js';
import { describeLedgerPolicy } from '../policy/verify.js';
import { loadPublicKey, publicKeyPem } from '../sign/keys.js';
import { readBoundedText } from '../fs/bounded.js';
import { witnessKey, type AnchorOptions } from '../verify/anchors.js';
import { DEVELOPMENT_KEY_LABEL } from '../report/facts.js';
import { GitHubReleaseStore } from '../store/github-release.js';
import { DEFAULT_LEDGER_DIR, LocalStore } from '../store/local.js';
import { verifyLedger, type LedgerVerification } from '../verify/ledger.js';
import { resolvePolicy } from '../verify/identity.js';
import { verifyEvidencePack } from '../verify/pack.js';
import { COMMON_OPTIONS, parseCommandArgs } from './args.js';
import { GITHUB_VERIFY_HELP, GITHUB_VERIFY_OPTIONS, gitHubLedgerToVerify } from './github.js';
import { assertReadableDirectory } from './input-files.js';
import { localLedgerDir } from './ledger-options.js';
import { identityFromFlags, TRUST_HELP, TRUST_OPTIONS, trustedRootLoader } from './trust-options.js';
import type { Command } from './output.js';

export const VERIFY_HELP = `Usage: model-ledger verify [options]

Verifies every record of a ledger: signature and signer, schema, the chain (index sequence,
links to previous records, forks, gaps), and with --artifacts the head record's model files.

Options:
  --store DIR         ledger directory (default ${DEFAULT_LEDGER_DIR})
  --pack DIR          an unzipped evidence pack: its ledger (DIR/ledger), and its signed manifest
                      (MANIFEST.sigstore.json) against every file of the pack, by the same signer
${GITHUB_VERIFY_HELP}
  --key PUB.PEM       trust only this public key (repeatable); default: the ledger's keys/, pinned
                      to the key that signed record 0
  --artifacts DIR     check the head record's model files under DIR
  --policy FILE       evaluate every record against this policy file (signers included) and
                      report record by record; a broken enforced rule fails verification

  --origin ORIGIN     every record must belong to this ledger (github.com/OWNER/REPO#main);
                      default: the ledger of record 0

Anchors outside the ledger (without one, dropping the newest records or rewriting history with
the signing key cannot be detected, and verify says so):
  --checkpoint FILE   a checkpoint saved earlier (\`model-ledger checkpoint\`, the Action's
                      \`checkpoint\` output, a witness's cosigned copy) the ledger must extend
                      (repeatable); or sha256:HEX, a record's statement digest that must be in it
  --witness-key [NAME=]PUB.PEM
                      a witness whose cosignature the newest --checkpoint must carry (repeatable)
  --witness-threshold N  cosignatures needed (default: every --witness-key)
  --max-witness-age DURATION  the cosigned checkpoint may cover fewer records than the ledger
                      when cosigned this recently (e.g. 36h, 7d)

Keyless records are checked against a Sigstore trusted root and must carry the certificate
identity of record 0, unless these say otherwise:
${TRUST_HELP}
  --json              print the full result as JSON
Exit status: 0 all checks hold; 1 a check failed; 2 bad usage or unreadable input.`;

const OPTIONS = {
  ...COMMON_OPTIONS,
  store: { type: 'string' },
  pack: { type: 'string' },
  key: { type: 'string', multiple: true },
  artifacts: { type: 'string' },
  policy: { type: 'string' },
  checkpoint: { type: 'string', multiple: true },
  origin: { type: 'string' },
  'witness-key': { type: 'string', multiple: true },
  'witness-threshold': { type: 'string' },
  'max-witness-age': { type: 'string' },
  ...TRUST_OPTIONS,
  ...GITHUB_VERIFY_OPTIONS,
} as const;

export const verifyCommand: Command = async (argv, context) => {
  const { values } = parseCommandArgs('verify', argv, OPTIONS);
  if (values.help) {
    context.output.out(VERIFY_HELP);
    return 0;
  }
  const remote = gitHubLedgerToVerify(values, context, {
    debug: () => undefined,
    info: (message) => {
      if (!values.json) context.output.err(message);
    },
    warn: (message) => context.output.err(`warning: ${message}`),
  });
  if (values.pack !== undefined && (values.store !== undefined || remote)) {
    throw new LedgerError('USAGE', '--pack excludes --store and --github', {
      field: '--pack',
      fix: "give the unzipped pack's folder alone: its ledger is DIR/ledger",
    });
  }
  const packDir = values.pack === undefined ? undefined : resolve(context.cwd, values.pack);
  const ledgerDir =
    packDir === undefined
      ? await localLedgerDir(values.store, context.cwd, context.env)
      : join(packDir, 'ledger');
  if (!remote) await assertReadableDirectory(ledgerDir);
  const trustedKeys = values.key
    ? await Promise.all(
        values.key.map(async (file) => publicKeyPem(await loadPublicKey(resolve(context.cwd, file)))),
      )
    : undefined;
  const identity = identityFromFlags(values);
  if (Object.keys(identity).length > 0) resolvePolicy(identity);
  const loadTrustedRoot = trustedRootLoader(values, context, 'verify');
  const policy =
    values.policy === undefined
      ? undefined
      : await loadPolicy(resolve(context.cwd, values.policy), values.policy);
  const result = await verifyLedger({
    store: remote?.store ?? new LocalStore(ledgerDir),
    ...(remote?.partial ? { partial: true } : {}),
    ...(trustedKeys ? { trustedKeys } : {}),
    ...(Object.keys(identity).length > 0 ? { identity } : {}),
    loadTrustedRoot: async () => (await loadTrustedRoot()).json,
    ...(values.artifacts === undefined ? {} : { artifactsDir: resolve(context.cwd, values.artifacts) }),
    ...(policy ? { policy } : {}),
    anchors: await anchorOptions(values, context.cwd),
    ...(values.origin === undefined ? {} : { origin: values.origin }),
  });
  const pack =
    packDir === undefined
      ? undefined
      : await verifyEvidencePack({
          dir: packDir,
          ...(trustedKeys ? { trustedKeys } : {}),
          ...(Object.keys(identity).length > 0 ? { identity } : {}),
          loadTrustedRoot: async () => (await loadTrustedRoot()).json,
        });
  if (pack && pack.problems.length > 0) {
    result.problems.push(...pack.problems);
    result.ok = false;
  }
  // What reading the ledger from GitHub cost (API calls count against the token's hourly budget).
  const github = remote?.store instanceof GitHubReleaseStore ? { github: { ...remote.store.usage } } : {};
  const packSummary = pack
    ? {
        pack: {
          manifest: pack.manifest && {
            signer: pack.manifest.signer,
            files: pack.manifest.files,
            predicate: pack.manifest.predicate,
          },
        },
      }
    : {};
  if (values.json) context.output.out(JSON.stringify({ ...result, ...github, ...packSummary }, null, 2));
  else {
    printVerification(result, context.output.out, context.output.err);
    if (pack?.manifest && pack.problems.length === 0) {
      const signer = pack.manifest.signer;
      context.output.out(
        `pack: ${pack.manifest.files} file(s) as signed in MANIFEST.sigstore.json by ${signer.kind === 'key' ? `key ${signer.keyHint.slice(0, 16)}…` : signer.identity}`,
      );
    }
  }
  return result.ok ? 0 : 1;
};

function printVerification(
  result: LedgerVerification,
  out: (text: string) => void,
  err: (text: string) => void,
): void {
  for (const notice of result.notices) err(`notice: ${notice}`);
  for (const problem of result.problems) err(`FAIL ${problem.code}: ${problem.message}`);
  if (result.policy) for (const line of describeLedgerPolicy(result.policy)) out(line);
  if (result.ok) {
    const development = result.records.filter((record) => record.signingMode === 'development-key').length;
    out(
      `ok: ${result.records.length} record(s) verified in ${result.location}; head is record ${result.head?.index ?? '-'} (${result.head?.statementSha256 ?? ''})` +
        (development > 0 ? `; ${development} signed with a ${DEVELOPMENT_KEY_LABEL}` : ''),
    );
    for (const anchor of result.checkpoint?.anchors ?? []) {
      out(
        `anchored: extends ${anchor.source} (${anchor.size} records)${anchor.witnesses?.length ? `, cosigned by ${anchor.witnesses.join(', ')}` : ''}`,
      );
    }
  } else if (result.records.length === 0) {
    out(`verification failed: ${result.location} holds no records, so there is nothing to verify`);
  } else {
    out(`verification failed: ${result.problems.length} problem(s) in ${result.location}`);
  }
}

/** `--checkpoint`, `--witness-key`, `--witness-threshold`, `--max-witness-age` as anchor options. */
async function anchorOptions(
  values: {
    checkpoint?: string[];
    'witness-key'?: string[];
    'witness-threshold'?: string;
    'max-witness-age'?: string;
  },
  cwd: string,
): Promise<AnchorOptions> {
  const anchors: AnchorOptions = { checkpoints: [], pinnedStatements: [] };
  for (const value of values.checkpoint ?? []) {
    const pinned = /^sha256:([0-9a-f]{64})$/.exec(value);
    if (pinned) {
      anchors.pinnedStatements?.push(pinned[1] as string);
      continue;
    }
    if (value === '') {
      throw new LedgerError('USAGE', '--checkpoint is empty', {
        field: '--checkpoint',
        fix: 'pass a checkpoint file, or sha256:<64 hex> of a record statement',
      });
    }
    anchors.checkpoints?.push({
      source: value,
      text: await readBoundedText(resolve(cwd, value), 64 * 1024, value),
    });
  }
  const witnessFlags = values['witness-key'] ?? [];
  if (witnessFlags.length > 0) {
    anchors.witnesses = [];
    for (const flag of witnessFlags) {
      const split = /^([^=/]+)=(.+)$/.exec(flag);
      const file = split ? (split[2] as string) : flag;
      const pem = await readBoundedText(resolve(cwd, file), 64 * 1024, file);
      anchors.witnesses.push(witnessKey(pem, split?.[1], file));
    }
  }
  if (values['witness-threshold'] !== undefined) {
    const threshold = Number(values['witness-threshold']);
    if (!Number.isInteger(threshold) || threshold < 1 || threshold > witnessFlags.length) {
      throw new LedgerError(
        'USAGE',
        `--witness-threshold ${values['witness-threshold']} is not between 1 and the number of --witness-key`,
        {
          field: '--witness-threshold',
          fix: 'give a whole number of cosignatures, at most the witness keys given',
        },
      );
    }
    anchors.witnessThreshold = threshold;
  }
  if (values['max-witness-age'] !== undefined)
    anchors.maxWitnessAgeMs = parseDuration(values['max-witness-age']);
  return anchors;
}

/** `90m`, `36h`, `7d` in milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+)(s|m|h|d)$/.exec(text.trim());
  if (!match) {
    throw new LedgerError('USAGE', `"${text}" is not a duration`, {
      field: '--max-witness-age',
      fix: 'write a number and a unit: 90m, 36h or 7d',
    });
  }
  const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}
