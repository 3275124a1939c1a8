import { createRequire as __modelLedgerCreateRequire } from 'node:module';
import { dirname as __modelLedgerPathDirname } from 'node:path';
import { fileURLToPath as __modelLedgerFileURLToPath } from 'node:url';
const require = __modelLedgerCreateRequire(import.meta.url);
const __modelLedgerFilename = __modelLedgerFileURLToPath(import.meta.url);
const __modelLedgerDirname = __modelLedgerPathDirname(__modelLedgerFilename);
import {
  LEDGER_HELP,
  LEDGER_OPTIONS,
  ledgerFromFlags
} from "./chunk-AUHXVDZ5.js";
import "./chunk-KWZVUXJ7.js";
import "./chunk-D5KYMKBQ.js";
import {
  COMMON_OPTIONS,
  parseCommandArgs
} from "./chunk-KA24FKIR.js";
import {
  completenessCsv,
  completenessTable,
  measureRetrieval,
  replayCsv,
  replayTable
} from "./chunk-PRZRQECM.js";
import {
  auditCompleteness,
  auditReplay
} from "./chunk-Z6Q4YMD6.js";
import {
  DEFAULT_CONFIG_FILE,
  loadConfig
} from "./chunk-76AGCTII.js";
import "./chunk-BQR56PF6.js";
import {
  parseDateBound
} from "./chunk-6DRF6E6X.js";
import {
  loadLedger
} from "./chunk-QQ2VBXZD.js";
import "./chunk-XHJCWUDZ.js";
import "./chunk-CF6SQW4Y.js";
import {
  git
} from "./chunk-3DDHEWZZ.js";
import "./chunk-KIVWQLOT.js";
import "./chunk-K5UFL2LG.js";
import "./chunk-QUGHHY5W.js";
import "./chunk-VGVNKUX2.js";
import "./chunk-FBKVKE4J.js";
import "./chunk-UJ5LYJPP.js";
import "./chunk-Q3EPHJZV.js";
import "./chunk-K46IQGOZ.js";
import "./chunk-XHSS2EDQ.js";
import "./chunk-IAOLLCTZ.js";
import "./chunk-KZKQFOQH.js";
import "./chunk-F3OFXP4A.js";
import {
  LedgerError
} from "./chunk-ICUNJ6NG.js";
import "./chunk-6HJSFOKJ.js";
import "./chunk-ZC6XPDJG.js";
import "./chunk-6JW7FKWL.js";
import "./chunk-H3ACIWDX.js";

// src/cli/audit.ts
import { resolve } from "node:path";
var AUDIT_HELP = `Usage: model-ledger audit completeness [options]
       model-ledger audit replay (N... | --all | --sample K [--seed S]) [options]

completeness  walks the branch's git history and finds every commit that changed a path the
              ledger tracks (models, datasets, training file, lockfiles, policy and config named
              in model-ledger.yml or in the records), and says whether a verified record covers it
  replay      checks out each record's commit in a temporary worktree, collects again what the
              repository alone holds (commit, changed files, lockfiles and packages, committed
              models and datasets, training file, policy digest) and compares it with the record

Completeness:
  --branch REF        the branch to walk (default HEAD)
  --all-parents       walk every commit, not only the first-parent line
  --mode MODE         every-commit (default): each change needs the record of its commit or of a
                      later commit before the next change; every-merge: the record of the merge
                      (first-parent commit) that brought it
  --since DATE        changes committed on or after DATE (YYYY-MM-DD, UTC, or ISO 8601)
  --until DATE        changes committed on or before DATE
  --min PERCENT       the lowest acceptable share of recorded changes (default 100)
  --config FILE       model-ledger.yml naming what is tracked (default model-ledger.yml when present)
Replay:
  N                   record index to replay (repeatable)
  --all               every record
  --sample K          K records chosen at random (--seed S makes the choice repeatable)
Output:
  --format FORMAT     table (default), json or csv
  --json              the same as --format json
${LEDGER_HELP}
Both print the time to retrieve and verify one record by index, by model digest and by date.
Exit status: 0 complete (at least --min) / every replayed section matches; 1 below --min, a
replayable section differs, or the ledger does not verify; 2 bad usage.`;
var OPTIONS = {
  ...COMMON_OPTIONS,
  ...LEDGER_OPTIONS,
  config: { type: "string" },
  format: { type: "string" },
  branch: { type: "string" },
  "all-parents": { type: "boolean" },
  mode: { type: "string" },
  since: { type: "string" },
  until: { type: "string" },
  min: { type: "string" },
  all: { type: "boolean" },
  sample: { type: "string" },
  seed: { type: "string" }
};
function usage(message, field, fix) {
  return new LedgerError("USAGE", message, { field, fix });
}
function integer(text, field) {
  if (!/^\d+$/.test(text.trim()))
    throw usage(`"${text}" is not a whole number`, field, "write a number such as 5");
  return Number(text.trim());
}
function percent(text) {
  const value = Number(text.trim().replace(/%$/, ""));
  if (text.trim() === "" || !Number.isFinite(value) || value < 0 || value > 100)
    throw usage(`"${text}" is not a percentage`, "--min", "write a number from 0 to 100, such as 95 or 99.5");
  return value;
}
function outputFormat(values) {
  const format = values.json ? "json" : values.format ?? "table";
  if (format !== "table" && format !== "json" && format !== "csv")
    throw usage(`"${format}" is not an audit format`, "--format", "use table, json or csv");
  return format;
}
async function prepare(values, context) {
  const root = (await git(context.cwd, ["rev-parse", "--show-toplevel"])).trim();
  const configFile = values.config ?? DEFAULT_CONFIG_FILE;
  const config = await loadConfig(resolve(context.cwd, configFile), configFile, values.config !== void 0);
  const store = values.store ?? (values.github === void 0 ? config.store : void 0);
  const ledger = await ledgerFromFlags(
    { ...values, ...store === void 0 ? {} : { store } },
    context,
    "audit"
  );
  const loaded = await loadLedger(ledger.options);
  return { root, config, configFile, ledger, loaded };
}
function reportVerification(loaded, context) {
  for (const notice of loaded.verification.notices) context.output.err(`notice: ${notice}`);
  for (const problem of loaded.verification.problems)
    context.output.err(
      `FAIL ${problem.code}: ${problem.index === null ? "" : `record ${problem.index}: `}${problem.message}`
    );
}
async function completeness(values, context) {
  const format = outputFormat(values);
  const mode = values.mode ?? "every-commit";
  if (mode !== "every-commit" && mode !== "every-merge")
    throw usage(`"${mode}" is not a coverage mode`, "--mode", "use every-commit or every-merge");
  const min = values.min === void 0 ? 100 : percent(values.min);
  const since = values.since === void 0 ? void 0 : parseDateBound(values.since, "since");
  const until = values.until === void 0 ? void 0 : parseDateBound(values.until, "until");
  const prepared = await prepare(values, context);
  const report = await auditCompleteness({
    cwd: prepared.root,
    ledger: prepared.loaded,
    config: prepared.config,
    configFile: prepared.configFile,
    mode,
    min,
    ...values.branch === void 0 ? {} : { ref: values.branch },
    ...values["all-parents"] ? { allParents: true } : {},
    ...since ? { since } : {},
    ...until ? { until } : {}
  });
  const speed = await measureRetrieval({ ledger: prepared.ledger.options }, prepared.loaded);
  if (format === "json")
    context.output.out(JSON.stringify({ completeness: report, retrieval: speed }, null, 2));
  else if (format === "csv") context.output.out(completenessCsv(report));
  else context.output.out(completenessTable(report, speed));
  if (format !== "table" && report.shallow) context.output.err(`notice: ${report.shallow.message}`);
  reportVerification(prepared.loaded, context);
  return report.ok && prepared.loaded.verification.ok ? 0 : 1;
}
function selection(values, positionals) {
  const given = [positionals.length > 0, values.all === true, values.sample !== void 0].filter(
    Boolean
  ).length;
  if (given !== 1)
    throw usage("name the records to replay", "audit replay", "give record indexes, --all, or --sample K");
  if (values.seed !== void 0 && values.sample === void 0)
    throw usage("--seed only applies to --sample", "--seed", "add --sample K, or drop --seed");
  if (values.all) return { all: true };
  if (values.sample !== void 0) {
    const sample = integer(values.sample, "--sample");
    return { sample, ...values.seed === void 0 ? {} : { seed: integer(values.seed, "--seed") } };
  }
  return { indexes: positionals.map((text) => integer(text, "audit replay")) };
}
async function replay(values, positionals, context) {
  const format = outputFormat(values);
  const select = selection(values, positionals);
  const prepared = await prepare(values, context);
  const report = await auditReplay({ cwd: prepared.root, ledger: prepared.loaded, select });
  const speed = await measureRetrieval({ ledger: prepared.ledger.options }, prepared.loaded);
  if (format === "json") context.output.out(JSON.stringify({ replay: report, retrieval: speed }, null, 2));
  else if (format === "csv") context.output.out(replayCsv(report));
  else context.output.out(replayTable(report, speed));
  reportVerification(prepared.loaded, context);
  return report.ok && prepared.loaded.verification.ok ? 0 : 1;
}
var auditCommand = async (argv, context) => {
  const [sub, ...rest] = argv;
  if (sub === void 0 || sub === "--help" || sub === "-h") {
    context.output.out(AUDIT_HELP);
    return sub === void 0 ? 2 : 0;
  }
  if (sub !== "completeness" && sub !== "replay")
    throw usage(
      `unknown audit "${sub}"`,
      "audit",
      "use `model-ledger audit completeness` or `model-ledger audit replay`"
    );
  const { values, positionals } = parseCommandArgs(
    `audit ${sub}`,
    rest,
    OPTIONS,
    sub === "replay" ? Infinity : 0
  );
  if (values.help) {
    context.output.out(AUDIT_HELP);
    return 0;
  }
  return sub === "completeness" ? completeness(values, context) : replay(values, positionals, context);
};
export {
  AUDIT_HELP,
  auditCommand
};
