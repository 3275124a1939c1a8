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
  filterEntries,
  formatCsv,
  formatTable,
  isLogEntryList,
  logEntry,
  parseDateBound
} from "./chunk-6DRF6E6X.js";
import {
  loadLedger
} from "./chunk-QQ2VBXZD.js";
import {
  cachedView
} from "./chunk-XHJCWUDZ.js";
import "./chunk-CF6SQW4Y.js";
import "./chunk-3DDHEWZZ.js";
import "./chunk-KIVWQLOT.js";
import "./chunk-VGVNKUX2.js";
import "./chunk-FBKVKE4J.js";
import "./chunk-K46IQGOZ.js";
import "./chunk-XHSS2EDQ.js";
import "./chunk-IAOLLCTZ.js";
import "./chunk-KZKQFOQH.js";
import {
  LedgerError
} from "./chunk-ICUNJ6NG.js";
import "./chunk-6HJSFOKJ.js";
import "./chunk-6JW7FKWL.js";
import "./chunk-H3ACIWDX.js";

// src/cli/log.ts
var LOG_HELP = `Usage: model-ledger log [options]

Lists the records of a ledger, newest last, each verified (signature and chain link).

Filters:
  --since DATE        records made on or after DATE (YYYY-MM-DD, UTC, or an ISO 8601 time)
  --until DATE        records made on or before DATE (a whole day when YYYY-MM-DD)
  --model NAME        records with a model whose path contains NAME
  --dataset NAME      records with a dataset whose name contains NAME
  --actor LOGIN       records in which LOGIN (or an email) acted: triggered, implemented or approved
  --policy OUTCOME    pass, warn, fail or none
  --digest sha256:HEX records holding a model or dataset with this digest; the first one listed
                      introduced it
Output:
  --format FORMAT     table (default), json or csv
  --json              the same as --format json
${LEDGER_HELP}
${READ_CACHE_HELP}
Exit status: 0 every listed record verified; 1 a listed record failed verification; 2 bad usage.`;
var OPTIONS = {
  ...COMMON_OPTIONS,
  ...LEDGER_OPTIONS,
  ...READ_CACHE_OPTIONS,
  since: { type: "string" },
  until: { type: "string" },
  model: { type: "string" },
  dataset: { type: "string" },
  actor: { type: "string" },
  policy: { type: "string" },
  digest: { type: "string" },
  format: { type: "string" }
};
var POLICY_OUTCOMES = ["pass", "warn", "fail", "none"];
function parseDigest(text) {
  const hex = text.trim().toLowerCase().replace(/^sha256:/, "");
  if (!/^[0-9a-f]{64}$/.test(hex)) {
    throw new LedgerError("USAGE", `"${text}" is not a sha256 digest`, {
      field: "--digest",
      fix: "write sha256: and 64 hex digits, as `sha256sum` prints them"
    });
  }
  return hex;
}
var logCommand = async (argv, context) => {
  const { values } = parseCommandArgs("log", argv, OPTIONS);
  if (values.help) {
    context.output.out(LOG_HELP);
    return 0;
  }
  const format = values.json ? "json" : values.format ?? "table";
  if (format !== "table" && format !== "json" && format !== "csv") {
    throw new LedgerError("USAGE", `"${format}" is not a log format`, {
      field: "--format",
      fix: "use table, json or csv"
    });
  }
  if (values.policy !== void 0 && !POLICY_OUTCOMES.includes(values.policy)) {
    throw new LedgerError("USAGE", `"${values.policy}" is not a policy outcome`, {
      field: "--policy",
      fix: "use pass, warn, fail or none"
    });
  }
  const filter = {
    ...values.since === void 0 ? {} : { since: parseDateBound(values.since, "since") },
    ...values.until === void 0 ? {} : { until: parseDateBound(values.until, "until") },
    ...values.model === void 0 ? {} : { model: values.model },
    ...values.dataset === void 0 ? {} : { dataset: values.dataset },
    ...values.actor === void 0 ? {} : { actor: values.actor },
    ...values.policy === void 0 ? {} : { policy: values.policy },
    ...values.digest === void 0 ? {} : { digest: parseDigest(values.digest) }
  };
  const ledger = await ledgerFromFlags(values, context, "log");
  const cache = readCache(values, context);
  const loaded = await loadLedger({ ...ledger.options, cache });
  const fromCache = cacheNotice(loaded);
  if (fromCache && format === "table") context.output.err(`notice: ${fromCache}`);
  const all = () => loaded.rows.map(logEntry);
  const entries = filterEntries(
    loaded.cacheKey === void 0 ? all() : await cachedView(cache, loaded.store.location, loaded.cacheKey, "log", isLogEntryList, all),
    filter
  );
  if (format === "json") context.output.out(JSON.stringify(entries, null, 2));
  else if (format === "csv") context.output.out(formatCsv(entries));
  else {
    context.output.out(entries.length > 0 ? formatTable(entries) : "no records match");
    for (const notice of loaded.verification.notices) context.output.err(`notice: ${notice}`);
    for (const entry of entries) for (const problem of entry.problems) context.output.err(`FAIL ${problem}`);
  }
  return entries.every((entry) => entry.signatureVerified && entry.chainVerified) ? 0 : 1;
};
export {
  LOG_HELP,
  logCommand
};
