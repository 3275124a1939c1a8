import { createRequire as __modelLedgerCreateRequire } from 'node:module';
import { dirname as __modelLedgerPathDirname } from 'node:path';
import { fileURLToPath as __modelLedgerFileURLToPath } from 'node:url';
const require = __modelLedgerCreateRequire(import.meta.url);
const __modelLedgerFilename = __modelLedgerFileURLToPath(import.meta.url);
const __modelLedgerDirname = __modelLedgerPathDirname(__modelLedgerFilename);
import {
  LEDGER_HELP,
  LEDGER_OPTIONS,
  READ_CACHE_HELP,
  READ_CACHE_OPTIONS,
  cacheNotice,
  ledgerFromFlags,
  readCache
} from "./chunk-AUHXVDZ5.js";
import "./chunk-KWZVUXJ7.js";
import "./chunk-D5KYMKBQ.js";
import {
  COMMON_OPTIONS,
  parseCommandArgs
} from "./chunk-KA24FKIR.js";
import {
  renderDiffMarkdown
} from "./chunk-XY3JZIP6.js";
import {
  diffRecords
} from "./chunk-U4STTRVI.js";
import {
  decodeUnverified,
  loadLedger,
  payloadSha256,
  resolveManifests
} from "./chunk-QQ2VBXZD.js";
import "./chunk-XHJCWUDZ.js";
import "./chunk-CF6SQW4Y.js";
import "./chunk-3DDHEWZZ.js";
import "./chunk-KIVWQLOT.js";
import {
  ledgerTrust
} from "./chunk-QUGHHY5W.js";
import "./chunk-VGVNKUX2.js";
import "./chunk-FBKVKE4J.js";
import {
  sha256Hex
} from "./chunk-K46IQGOZ.js";
import "./chunk-XHSS2EDQ.js";
import {
  VerificationFailure
} from "./chunk-IAOLLCTZ.js";
import "./chunk-KZKQFOQH.js";
import {
  LedgerError,
  describeError
} from "./chunk-ICUNJ6NG.js";
import "./chunk-6HJSFOKJ.js";
import "./chunk-6JW7FKWL.js";
import "./chunk-H3ACIWDX.js";

// src/cli/diff.ts
import { readFile } from "node:fs/promises";
import { basename, resolve } from "node:path";
var DIFF_HELP = `Usage: model-ledger diff REF_A REF_B [options]

Shows what changed from record REF_A to record REF_B: model artifacts, datasets (file by file
when their manifests are at hand), dependencies by ecosystem, training parameters and metrics,
policy results, the signer and the build environment. Both records are verified first.

A REF is a chain index (7), \`head\` (the newest record), \`head~N\` (N records before it), or the
path of a bundle file (e.g. one downloaded from a release).

Options:
  --format FORMAT     md (Markdown, default) or json
  --json              the same as --format json
${LEDGER_HELP}
${READ_CACHE_HELP}
Exit status: 0 both records verified; 1 one did not (the diff is still printed); 2 bad usage.`;
var OPTIONS = {
  ...COMMON_OPTIONS,
  ...LEDGER_OPTIONS,
  ...READ_CACHE_OPTIONS,
  format: { type: "string" }
};
var diffCommand = async (argv, context) => {
  const { values, positionals } = parseCommandArgs("diff", argv, OPTIONS, 2);
  if (values.help) {
    context.output.out(DIFF_HELP);
    return 0;
  }
  const format = values.json ? "json" : values.format ?? "md";
  if (format !== "md" && format !== "json") {
    throw new LedgerError("USAGE", `"${format}" is not a diff format`, {
      field: "--format",
      fix: "use md or json"
    });
  }
  const [refA, refB] = positionals;
  if (refA === void 0 || refB === void 0) {
    throw new LedgerError("USAGE", "two records are needed", {
      fix: "e.g. `model-ledger diff head~1 head`, or two chain indexes"
    });
  }
  const ledger = await ledgerFromFlags(values, context, "diff");
  const loaded = await loadLedger({ ...ledger.options, cache: readCache(values, context) });
  const fromCache = cacheNotice(loaded);
  if (fromCache && format === "md") context.output.err(`notice: ${fromCache}`);
  const a = await resolveSide(loaded, ledger.options, refA, context.cwd);
  const b = await resolveSide(loaded, ledger.options, refB, context.cwd);
  const diff = diffRecords(a, b);
  context.output.out(format === "json" ? JSON.stringify(diff, null, 2) : renderDiffMarkdown(diff));
  for (const [ref, side] of [
    [refA, a],
    [refB, b]
  ]) {
    if (side.verified === false)
      context.output.err(`warning: ${ref} (record ${side.statement.predicate.chain.index}) did not verify`);
  }
  return a.verified && b.verified ? 0 : 1;
};
async function resolveSide(loaded, options, ref, cwd) {
  const head = /^head(?:~(\d+))?$/i.exec(ref);
  if (head || /^\d+$/.test(ref)) {
    const last = Math.max(-1, ...loaded.rows.map((row2) => row2.index));
    const index = head ? last - Number(head[1] ?? 0) : Number(ref);
    const rows = loaded.rows.filter((row2) => row2.index === index);
    if (rows.length === 0 || index < 0) {
      const count = last + 1;
      const has = count === 0 ? "the ledger has no records" : `the ledger has only ${count} record${count === 1 ? "" : "s"} (0 to ${last})`;
      throw new LedgerError(
        "BAD_INPUT",
        head && index < 0 ? `${has}, so there is no ${ref}` : count === 0 ? `${has}, so there is no record ${index}` : `there is no record ${index}: ${has}`,
        {
          file: loaded.location,
          field: ref,
          fix: count === 0 ? "record something first, or point --store at the ledger" : `use an index from 0 to ${last}, or head~0 to head~${last}`
        }
      );
    }
    if (rows.length > 1) {
      throw new LedgerError(
        "BAD_INPUT",
        `record ${index} is forked (${rows.map((row2) => row2.file).join(", ")})`,
        {
          file: loaded.location,
          fix: "name one of the bundle files instead of the index"
        }
      );
    }
    const row = rows[0];
    if (!row.statement) {
      throw new LedgerError(
        "VERIFICATION_FAILED",
        `record ${index} cannot be read (${row.problems[0]?.message ?? "no statement"})`,
        {
          file: row.location
        }
      );
    }
    return rowSide(loaded, row, row.statement, row.location);
  }
  return bundleFileSide(loaded, options, resolve(cwd, ref));
}
async function rowSide(loaded, row, statement, location) {
  return {
    statement,
    statementSha256: row.statementSha256,
    signer: row.signer ?? claimedLabel(row),
    verified: row.signatureVerified && row.chainVerified,
    manifests: await resolveManifests(loaded.store, statement),
    location
  };
}
function claimedLabel(row) {
  const claimed = row.claimedSigner;
  return claimed ? claimed.kind === "key" ? `key:${claimed.keyHint}` : claimed.identity : null;
}
async function bundleFileSide(loaded, options, file) {
  let bytes;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new LedgerError(
      "BAD_INPUT",
      `not a record index, head~N or a readable bundle file (${describeError(error)})`,
      {
        file,
        fix: "name a record by its chain index, as head or head~N, or by the path of its bundle"
      }
    );
  }
  const digest = payloadSha256(bytes);
  const row = loaded.rows.find((candidate) => digest !== null && candidate.statementSha256 === digest);
  if (row?.statement && row.bundleSha256 === sha256Hex(bytes)) {
    return rowSide(loaded, row, row.statement, file);
  }
  const name = basename(file);
  const refs = await loaded.store.list();
  const { trust } = await ledgerTrust(
    loaded.store,
    refs.filter((ref) => ref.index === 0),
    options
  );
  const statement = decodeUnverified(bytes, name);
  if (!statement) {
    throw new LedgerError("BAD_INPUT", "is not a model-ledger record (no readable statement)", { file });
  }
  let signer = null;
  let verified = false;
  const { verifyRecordBytes } = await import("./read-73PVEICK.js");
  try {
    const record = verifyRecordBytes(
      bytes,
      { index: statement.predicate.chain.index, name, uri: file },
      trust
    );
    signer = record.signer.kind === "key" ? `key:${record.signer.keyHint}` : record.signer.identity;
    verified = true;
  } catch (error) {
    if (!(error instanceof VerificationFailure)) throw error;
  }
  return {
    statement,
    statementSha256: digest,
    signer,
    verified,
    manifests: await resolveManifests(loaded.store, statement),
    location: file
  };
}
export {
  DIFF_HELP,
  diffCommand
};
