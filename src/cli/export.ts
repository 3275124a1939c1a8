import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

import { packAudit } from '../audit/pack-audit.js';
import { GitHubReleaseStore } from '../store/github-release.js';
import { LedgerError, describeError } from '../errors.js';
import { buildCycloneDx, serializeCycloneDx } from '../exchange/cyclonedx.js';
import { buildSpdx3, serializeSpdx3 } from '../exchange/spdx3.js';
import { readBoundedText } from '../fs/bounded.js';
import { sha256Hex } from '../hash/file.js';
import { writeEvidencePack } from '../report/evidence.js';
import { loadLedger } from '../report/load.js';
import { COMMON_OPTIONS, parseCommandArgs } from './args.js';
import { LEDGER_HELP, LEDGER_OPTIONS, ledgerFromFlags } from './ledger-options.js';
import type { Command } from './output.js';
import { PACK_SIGNER_HELP, PACK_SIGNER_OPTIONS, packSignerFromFlags } from './pack-signer.js';
import { identityFromFlags } from './trust-options.js';

export const EXPORT_HELP = `Usage: model-ledger export --out FILE.zip [options]
       model-ledger export --format cyclonedx|spdx3 [--out FILE.json] [--record INDEX | --from INDEX --to INDEX]

Writes an evidence pack: every record from 0 to --to (the range and the chain back to the first
record), the manifests they refer to, the public keys and trusted root that verify them offline,
VERIFY.md with the exact commands, index.json, a self-contained report.html, and SHA256SUMS.
The ledger is verified first; the pack says what that verification found.

With --format cyclonedx (CycloneDX 1.6 ML-BOM, JSON) or --format spdx3 (SPDX 3.0.1 JSON-LD with
the AI and Dataset profiles), writes the records' models, datasets and dependencies, with each
record's commit, signer and chain position, as one document instead (to stdout without --out).

Options:
  --out FILE          where to write the pack (required for the zip) or the document
  --format FORMAT     zip (default: the evidence pack), cyclonedx or spdx3
  --record INDEX      just this record (the same as --from INDEX --to INDEX)
  --from INDEX        first record of the range (default 0)
  --to INDEX          last record of the range (default the newest)
  --since-release TAG with --github: the records made after those the release TAG holds
                      (a local ledger has no releases: give --from/--to there)
${PACK_SIGNER_HELP}
  --audit             run \`audit completeness\` (the history up to the range's last record) and
                      \`audit replay\` (the range's records) here, and pack their figures
                      (audit/completeness.json, audit/replay.json; signed with the manifest)
  --config FILE       model-ledger.yml naming what --audit tracks (default model-ledger.yml)
  --cosigned FILE     a witness's cosigned checkpoint of this ledger to pack (repeatable), in
                      witnessed/: the auditor checks it with the witness's own key
${LEDGER_HELP}
  --json              print what was written as JSON
Exit status: 0 written and every record verified; 1 written, but a record did not verify; 2 bad usage.`;

const OPTIONS = {
  ...COMMON_OPTIONS,
  ...LEDGER_OPTIONS,
  ...PACK_SIGNER_OPTIONS,
  out: { type: 'string' },
  format: { type: 'string' },
  record: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  'since-release': { type: 'string' },
  audit: { type: 'boolean' },
  config: { type: 'string' },
  cosigned: { type: 'string', multiple: true },
} as const;

/** The index after the newest record the release `tag` holds. */
async function firstAfterRelease(
  values: Parameters<typeof ledgerFromFlags>[0],
  context: Parameters<Command>[1],
  tag: string,
): Promise<number> {
  const release = await ledgerFromFlags({ ...values, release: tag }, context, 'export');
  const store = release.options.store;
  // A release build keeps a copy of its record in the tag's release; older ledgers the record itself.
  const indexes = store instanceof GitHubReleaseStore ? await store.recordsCopiedTo(tag) : [];
  if (indexes.length === 0) indexes.push(...(await store.list()).map((ref) => ref.index));
  if (indexes.length === 0) {
    throw new LedgerError('BAD_INPUT', `release ${tag} holds no record of the ledger`, {
      field: '--since-release',
      fix: 'name a release the ledger stored records in',
    });
  }
  return Math.max(...indexes) + 1;
}

function indexFlag(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) {
    throw new LedgerError('USAGE', `"${value}" is not a record index`, {
      field: flag,
      fix: 'give a chain index: 0, 1, 2…',
    });
  }
  return Number(value);
}

export const exportCommand: Command = async (argv, context) => {
  const { values } = parseCommandArgs('export', argv, OPTIONS);
  if (values.help) {
    context.output.out(EXPORT_HELP);
    return 0;
  }
  const format = values.format ?? 'zip';
  if (format !== 'zip' && format !== 'cyclonedx' && format !== 'spdx3') {
    throw new LedgerError('USAGE', `unknown format "${format}"`, {
      field: '--format',
      fix: 'use zip (the evidence pack), cyclonedx or spdx3',
    });
  }
  if (values.record !== undefined && (values.from !== undefined || values.to !== undefined)) {
    throw new LedgerError('USAGE', '--record excludes --from and --to', { field: 'export' });
  }
  const flags = values.record === undefined ? values : { ...values, from: values.record, to: values.record };
  if (format !== 'zip') return exportDocument(format, flags, context);
  if (values.out === undefined) {
    throw new LedgerError('USAGE', '--out is required', { field: 'export', fix: 'e.g. --out evidence.zip' });
  }
  const tag = values['since-release'];
  if (tag !== undefined && values.github === undefined) {
    throw new LedgerError(
      'USAGE',
      '--since-release needs a ledger kept as GitHub release assets; this ledger is a local directory',
      {
        field: '--since-release',
        fix: 'give --github OWNER/REPO, or the range with --from INDEX --to INDEX',
      },
    );
  }
  if (tag !== undefined && (values.from !== undefined || values.release !== undefined)) {
    throw new LedgerError('USAGE', '--since-release excludes --from and --release', { field: 'export' });
  }
  const to = indexFlag(flags.to, '--to');
  const signer = await packSignerFromFlags(values, context);
  const ledger = await ledgerFromFlags(values, context, 'export');
  const loaded = await loadLedger(ledger.options);
  const from =
    tag === undefined ? indexFlag(flags.from, '--from') : await firstAfterRelease(values, context, tag);
  const identity = identityFromFlags(values);
  const trustedRoot = ledger.trustedRoot();
  const last = Math.max(-1, ...loaded.rows.map((row) => row.index));
  const audit = values.audit
    ? await packAudit({
        cwd: context.cwd,
        ledger: loaded,
        from: from ?? 0,
        to: to ?? last,
        ...(values.config === undefined ? {} : { configFile: values.config }),
      })
    : undefined;
  const cosigned = await Promise.all(
    (values.cosigned ?? []).map(async (file) => ({
      name: file,
      text: await readBoundedText(resolve(context.cwd, file), 64 * 1024, file, { field: '--cosigned' }),
    })),
  );
  const pack = await writeEvidencePack({
    ledger: loaded,
    out: resolve(context.cwd, values.out),
    ...(cosigned.length > 0 ? { cosigned } : {}),
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
    ...(trustedRoot ? { trustedRoot: trustedRoot.json } : {}),
    ...(ledger.options.trustedKeys ? { trustedKeys: ledger.options.trustedKeys } : {}),
    ...(Object.keys(identity).length > 0 ? { identity } : {}),
    ...(signer ? { signer } : {}),
    ...(audit ? { audit } : {}),
  });
  const summary = {
    out: pack.out,
    sha256: pack.sha256,
    size: pack.size,
    range: pack.data.range,
    records: pack.data.records.length,
    verified: pack.data.verification.ok,
    problems: pack.data.verification.problems,
    missing: pack.missing,
    signed: pack.signed,
    ...(audit
      ? {
          audit: { completeness: audit.completeness?.summary ?? null, replay: audit.replay?.summary ?? null },
        }
      : {}),
  };
  if (values.json) context.output.out(JSON.stringify(summary, null, 2));
  else {
    for (const line of pack.missing) context.output.err(`warning: ${line}`);
    if (audit?.completeness) context.output.out(`completeness: ${audit.completeness.summary}`);
    if (audit?.replay) context.output.out(`replay: ${audit.replay.summary}`);
    if (!pack.signed)
      context.output.err(
        "notice: the pack's manifest is not signed (give --sign-key or --sign-keyless): index.json, report.html and SHA256SUMS are unsigned",
      );
    for (const problem of pack.data.verification.problems) context.output.err(`FAIL ${problem}`);
    context.output.out(
      `wrote ${pack.out} (${summary.size} bytes, sha256 ${summary.sha256}): records ${summary.range.from} to ${summary.range.to}, ${summary.records} bundle(s) with the chain back to record 0; ${summary.verified ? 'every record verified' : 'VERIFICATION FAILED — the pack says which records'}`,
    );
  }
  return summary.verified ? 0 : 1;
};

type ExportValues = ReturnType<typeof parseCommandArgs<typeof OPTIONS>>['values'];

/** `--format cyclonedx|spdx3`: one document over the range, verified first like the pack. */
async function exportDocument(
  format: 'cyclonedx' | 'spdx3',
  values: ExportValues,
  context: Parameters<Command>[1],
): Promise<number> {
  const tag = values['since-release'];
  if (tag !== undefined && values.github === undefined) {
    throw new LedgerError('USAGE', '--since-release needs a ledger kept as GitHub release assets', {
      field: '--since-release',
      fix: 'give --github OWNER/REPO, or the range with --from INDEX --to INDEX',
    });
  }
  const to = indexFlag(values.to, '--to');
  const ledger = await ledgerFromFlags(values, context, 'export');
  const loaded = await loadLedger(ledger.options);
  const from =
    tag === undefined ? indexFlag(values.from, '--from') : await firstAfterRelease(values, context, tag);
  const range = { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
  const text =
    format === 'cyclonedx'
      ? serializeCycloneDx(buildCycloneDx({ ledger: loaded, ...range }))
      : serializeSpdx3(buildSpdx3({ ledger: loaded, ...range }));
  const verified = loaded.verification.ok;
  for (const problem of loaded.verification.problems) context.output.err(`FAIL ${problem.message}`);
  if (values.out === undefined) {
    context.output.out(text.trimEnd());
    return verified ? 0 : 1;
  }
  const out = resolve(context.cwd, values.out);
  const temporary = `${out}.${process.pid}.tmp`;
  try {
    await mkdir(dirname(out), { recursive: true });
    await writeFile(temporary, text);
    await rename(temporary, out);
  } catch (error) {
    throw new LedgerError('IO', `cannot write the ${format} document (${describeError(error)})`, {
      file: out,
      cause: error,
    });
  }
  const summary = { out, format, sha256: sha256Hex(text), size: Buffer.byteLength(text), verified };
  if (values.json) context.output.out(JSON.stringify(summary, null, 2));
  else
    context.output.out(
      `wrote ${out} (${format === 'cyclonedx' ? 'CycloneDX 1.6' : 'SPDX 3.0.1'}, ${summary.size} bytes, sha256 ${summary.sha256}); ${verified ? 'every record verified' : 'VERIFICATION FAILED — see above'}`,
    );
  return verified ? 0 : 1;
}
