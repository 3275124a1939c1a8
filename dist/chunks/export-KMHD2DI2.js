import { createRequire as __modelLedgerCreateRequire } from 'node:module';
import { dirname as __modelLedgerPathDirname } from 'node:path';
import { fileURLToPath as __modelLedgerFileURLToPath } from 'node:url';
const require = __modelLedgerCreateRequire(import.meta.url);
const __modelLedgerFilename = __modelLedgerFileURLToPath(import.meta.url);
const __modelLedgerDirname = __modelLedgerPathDirname(__modelLedgerFilename);
import {
  instanceChoice
} from "./chunk-A7XNWU4I.js";
import {
  LEDGER_HELP,
  LEDGER_OPTIONS,
  ledgerFromFlags
} from "./chunk-AUHXVDZ5.js";
import "./chunk-KWZVUXJ7.js";
import {
  identityFromFlags
} from "./chunk-D5KYMKBQ.js";
import {
  COMMON_OPTIONS,
  parseCommandArgs
} from "./chunk-KA24FKIR.js";
import {
  buildCycloneDx,
  buildEvidencePack,
  buildSpdx3,
  packAudit,
  serializeCycloneDx,
  serializeSpdx3
} from "./chunk-B5TVOLQL.js";
import "./chunk-Z6Q4YMD6.js";
import "./chunk-E6I4P7FI.js";
import {
  resolveSigner
} from "./chunk-UVPVIYUZ.js";
import "./chunk-76AGCTII.js";
import "./chunk-ZX3WVEAR.js";
import "./chunk-BQR56PF6.js";
import "./chunk-U4STTRVI.js";
import {
  loadLedger
} from "./chunk-QQ2VBXZD.js";
import "./chunk-XHJCWUDZ.js";
import "./chunk-CF6SQW4Y.js";
import {
  GitHubReleaseStore
} from "./chunk-3DDHEWZZ.js";
import "./chunk-KIVWQLOT.js";
import "./chunk-HBZIYH74.js";
import "./chunk-K5UFL2LG.js";
import "./chunk-L2DKPJSZ.js";
import "./chunk-QUGHHY5W.js";
import "./chunk-VGVNKUX2.js";
import "./chunk-FBKVKE4J.js";
import "./chunk-UJ5LYJPP.js";
import "./chunk-Q3EPHJZV.js";
import {
  sha256Hex
} from "./chunk-K46IQGOZ.js";
import "./chunk-XHSS2EDQ.js";
import "./chunk-IAOLLCTZ.js";
import {
  readBoundedText
} from "./chunk-KZKQFOQH.js";
import "./chunk-F3OFXP4A.js";
import {
  LedgerError,
  describeError
} from "./chunk-ICUNJ6NG.js";
import "./chunk-6HJSFOKJ.js";
import "./chunk-ZC6XPDJG.js";
import "./chunk-6JW7FKWL.js";
import "./chunk-H3ACIWDX.js";

// src/cli/export.ts
import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname, resolve as resolve2 } from "node:path";

// src/cli/pack-signer.ts
import { resolve } from "node:path";
var PACK_SIGNER_OPTIONS = {
  "sign-key": { type: "string" },
  "sign-keyless": { type: "boolean" },
  sigstore: { type: "string" },
  "fulcio-url": { type: "string" },
  "rekor-url": { type: "string" },
  "tsa-url": { type: "string" }
};
var PACK_SIGNER_HELP = `  --sign-key PEM      sign the pack's manifest (every file and its sha256) with the ledger's
                      private key: index.json, report.html and the rest become its word too
  --sign-keyless      sign it keyless, as the ledger's workflow (OIDC token as for record)
  --sigstore NAME, --fulcio-url URL, --rekor-url URL, --tsa-url URL
                      the Sigstore instance for --sign-keyless (as for record); --tsa-url with
                      --sign-key timestamps the manifest`;
async function packSignerFromFlags(values, context) {
  const key = values["sign-key"];
  const keyless = values["sign-keyless"] === true;
  if (key !== void 0 && keyless) {
    throw new LedgerError("USAGE", "--sign-key and --sign-keyless exclude each other", {
      field: "export",
      fix: "sign the pack the way the ledger's records are signed"
    });
  }
  if (key === void 0 && !keyless) return void 0;
  const sigstore = {
    instance: instanceChoice(values.sigstore),
    ...values["fulcio-url"] === void 0 ? {} : { fulcioUrl: values["fulcio-url"] },
    ...values["rekor-url"] === void 0 ? {} : { rekorUrl: values["rekor-url"] },
    ...values["tsa-url"] === void 0 ? {} : { tsaUrl: values["tsa-url"] }
  };
  const { signer } = await resolveSigner(
    key === void 0 ? { signing: "keyless", sigstore } : { signing: "key", keyFile: resolve(context.cwd, key), sigstore },
    context.env
  );
  return signer;
}

// src/cli/export.ts
var EXPORT_HELP = `Usage: model-ledger export --out FILE.zip [options]
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
var OPTIONS = {
  ...COMMON_OPTIONS,
  ...LEDGER_OPTIONS,
  ...PACK_SIGNER_OPTIONS,
  out: { type: "string" },
  format: { type: "string" },
  record: { type: "string" },
  from: { type: "string" },
  to: { type: "string" },
  "since-release": { type: "string" },
  audit: { type: "boolean" },
  config: { type: "string" },
  cosigned: { type: "string", multiple: true }
};
async function firstAfterRelease(values, context, tag) {
  const release = await ledgerFromFlags({ ...values, release: tag }, context, "export");
  const store = release.options.store;
  const indexes = store instanceof GitHubReleaseStore ? await store.recordsCopiedTo(tag) : [];
  if (indexes.length === 0) indexes.push(...(await store.list()).map((ref) => ref.index));
  if (indexes.length === 0) {
    throw new LedgerError("BAD_INPUT", `release ${tag} holds no record of the ledger`, {
      field: "--since-release",
      fix: "name a release the ledger stored records in"
    });
  }
  return Math.max(...indexes) + 1;
}
function indexFlag(value, flag) {
  if (value === void 0) return void 0;
  if (!/^\d+$/.test(value)) {
    throw new LedgerError("USAGE", `"${value}" is not a record index`, {
      field: flag,
      fix: "give a chain index: 0, 1, 2\u2026"
    });
  }
  return Number(value);
}
var exportCommand = async (argv, context) => {
  const { values } = parseCommandArgs("export", argv, OPTIONS);
  if (values.help) {
    context.output.out(EXPORT_HELP);
    return 0;
  }
  const format = values.format ?? "zip";
  if (format !== "zip" && format !== "cyclonedx" && format !== "spdx3") {
    throw new LedgerError("USAGE", `unknown format "${format}"`, {
      field: "--format",
      fix: "use zip (the evidence pack), cyclonedx or spdx3"
    });
  }
  if (values.record !== void 0 && (values.from !== void 0 || values.to !== void 0)) {
    throw new LedgerError("USAGE", "--record excludes --from and --to", { field: "export" });
  }
  const flags = values.record === void 0 ? values : { ...values, from: values.record, to: values.record };
  if (format !== "zip") return exportDocument(format, flags, context);
  if (values.out === void 0) {
    throw new LedgerError("USAGE", "--out is required", { field: "export", fix: "e.g. --out evidence.zip" });
  }
  const tag = values["since-release"];
  if (tag !== void 0 && values.github === void 0) {
    throw new LedgerError(
      "USAGE",
      "--since-release needs a ledger kept as GitHub release assets; this ledger is a local directory",
      {
        field: "--since-release",
        fix: "give --github OWNER/REPO, or the range with --from INDEX --to INDEX"
      }
    );
  }
  if (tag !== void 0 && (values.from !== void 0 || values.release !== void 0)) {
    throw new LedgerError("USAGE", "--since-release excludes --from and --release", { field: "export" });
  }
  const to = indexFlag(flags.to, "--to");
  const signer = await packSignerFromFlags(values, context);
  const ledger = await ledgerFromFlags(values, context, "export");
  const loaded = await loadLedger(ledger.options);
  const from = tag === void 0 ? indexFlag(flags.from, "--from") : await firstAfterRelease(values, context, tag);
  const identity = identityFromFlags(values);
  const trustedRoot = ledger.trustedRoot();
  const last = Math.max(-1, ...loaded.rows.map((row) => row.index));
  const audit = values.audit ? await packAudit({
    cwd: context.cwd,
    ledger: loaded,
    from: from ?? 0,
    to: to ?? last,
    ...values.config === void 0 ? {} : { configFile: values.config }
  }) : void 0;
  const cosigned = await Promise.all(
    (values.cosigned ?? []).map(async (file) => ({
      name: file,
      text: await readBoundedText(resolve2(context.cwd, file), 64 * 1024, file, { field: "--cosigned" })
    }))
  );
  const pack = await buildEvidencePack({
    ledger: loaded,
    ...cosigned.length > 0 ? { cosigned } : {},
    ...from === void 0 ? {} : { from },
    ...to === void 0 ? {} : { to },
    ...trustedRoot ? { trustedRoot: trustedRoot.json } : {},
    ...ledger.options.trustedKeys ? { trustedKeys: ledger.options.trustedKeys } : {},
    ...Object.keys(identity).length > 0 ? { identity } : {},
    ...signer ? { signer } : {},
    ...audit ? { audit } : {}
  });
  const out = resolve2(context.cwd, values.out);
  const temporary = `${out}.${process.pid}.tmp`;
  try {
    await mkdir(dirname(out), { recursive: true });
    await writeFile(temporary, pack.zip);
    await rename(temporary, out);
  } catch (error) {
    throw new LedgerError("IO", `cannot write the evidence pack (${describeError(error)})`, {
      file: out,
      cause: error
    });
  }
  const summary = {
    out,
    sha256: sha256Hex(pack.zip),
    size: pack.zip.length,
    range: pack.data.range,
    records: pack.data.records.length,
    verified: pack.data.verification.ok,
    problems: pack.data.verification.problems,
    missing: pack.missing,
    signed: pack.signed,
    ...audit ? {
      audit: { completeness: audit.completeness?.summary ?? null, replay: audit.replay?.summary ?? null }
    } : {}
  };
  if (values.json) context.output.out(JSON.stringify(summary, null, 2));
  else {
    for (const line of pack.missing) context.output.err(`warning: ${line}`);
    if (audit?.completeness) context.output.out(`completeness: ${audit.completeness.summary}`);
    if (audit?.replay) context.output.out(`replay: ${audit.replay.summary}`);
    if (!pack.signed)
      context.output.err(
        "notice: the pack's manifest is not signed (give --sign-key or --sign-keyless): index.json, report.html and SHA256SUMS are unsigned"
      );
    for (const problem of pack.data.verification.problems) context.output.err(`FAIL ${problem}`);
    context.output.out(
      `wrote ${out} (${summary.size} bytes, sha256 ${summary.sha256}): records ${summary.range.from} to ${summary.range.to}, ${summary.records} bundle(s) with the chain back to record 0; ${summary.verified ? "every record verified" : "VERIFICATION FAILED \u2014 the pack says which records"}`
    );
  }
  return summary.verified ? 0 : 1;
};
async function exportDocument(format, values, context) {
  const tag = values["since-release"];
  if (tag !== void 0 && values.github === void 0) {
    throw new LedgerError("USAGE", "--since-release needs a ledger kept as GitHub release assets", {
      field: "--since-release",
      fix: "give --github OWNER/REPO, or the range with --from INDEX --to INDEX"
    });
  }
  const to = indexFlag(values.to, "--to");
  const ledger = await ledgerFromFlags(values, context, "export");
  const loaded = await loadLedger(ledger.options);
  const from = tag === void 0 ? indexFlag(values.from, "--from") : await firstAfterRelease(values, context, tag);
  const range = { ...from === void 0 ? {} : { from }, ...to === void 0 ? {} : { to } };
  const text = format === "cyclonedx" ? serializeCycloneDx(buildCycloneDx({ ledger: loaded, ...range })) : serializeSpdx3(buildSpdx3({ ledger: loaded, ...range }));
  const verified = loaded.verification.ok;
  for (const problem of loaded.verification.problems) context.output.err(`FAIL ${problem.message}`);
  if (values.out === void 0) {
    context.output.out(text.trimEnd());
    return verified ? 0 : 1;
  }
  const out = resolve2(context.cwd, values.out);
  const temporary = `${out}.${process.pid}.tmp`;
  try {
    await mkdir(dirname(out), { recursive: true });
    await writeFile(temporary, text);
    await rename(temporary, out);
  } catch (error) {
    throw new LedgerError("IO", `cannot write the ${format} document (${describeError(error)})`, {
      file: out,
      cause: error
    });
  }
  const summary = { out, format, sha256: sha256Hex(text), size: Buffer.byteLength(text), verified };
  if (values.json) context.output.out(JSON.stringify(summary, null, 2));
  else
    context.output.out(
      `wrote ${out} (${format === "cyclonedx" ? "CycloneDX 1.6" : "SPDX 3.0.1"}, ${summary.size} bytes, sha256 ${summary.sha256}); ${verified ? "every record verified" : "VERIFICATION FAILED \u2014 see above"}`
    );
  return verified ? 0 : 1;
}
export {
  EXPORT_HELP,
  exportCommand
};
