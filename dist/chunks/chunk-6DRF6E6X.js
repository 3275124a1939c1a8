import { createRequire as __modelLedgerCreateRequire } from 'node:module';
import { dirname as __modelLedgerPathDirname } from 'node:path';
import { fileURLToPath as __modelLedgerFileURLToPath } from 'node:url';
const require = __modelLedgerCreateRequire(import.meta.url);
const __modelLedgerFilename = __modelLedgerFileURLToPath(import.meta.url);
const __modelLedgerDirname = __modelLedgerPathDirname(__modelLedgerFilename);
import {
  safetyFindings
} from "./chunk-QQ2VBXZD.js";
import {
  recordFacts
} from "./chunk-CF6SQW4Y.js";
import {
  LedgerError
} from "./chunk-ICUNJ6NG.js";

// src/report/log.ts
function isLogEntryList(value) {
  return Array.isArray(value) && value.every((entry) => {
    if (typeof entry !== "object" || entry === null) return false;
    const strings = (list) => Array.isArray(list) && list.every((item) => typeof item === "string");
    return typeof entry.index === "number" && typeof entry.file === "string" && typeof entry.reason === "string" && typeof entry.signatureVerified === "boolean" && typeof entry.chainVerified === "boolean" && strings(entry.problems) && strings(entry.models) && strings(entry.datasets) && strings(entry.digests) && strings(entry.people) && strings(entry.pickle) && strings(entry.dirtyPaths) && Array.isArray(entry.modelDigests);
  });
}
function logEntry(row) {
  const facts = row.statement ? recordFacts(row.statement) : null;
  return {
    index: row.index,
    recordedAt: row.recordedAt,
    actor: facts?.actor ?? null,
    people: facts?.people ?? [],
    commit: facts?.commit ?? null,
    reason: facts?.reason ?? "",
    pullRequest: facts?.pullRequest?.number ?? null,
    models: facts?.models ?? [],
    modelDigests: (row.statement?.predicate.models ?? []).map((model) => ({
      name: model.name,
      sha256: model.digest.sha256
    })),
    datasets: facts?.datasets ?? [],
    workingTree: row.statement?.predicate.commit?.workingTree?.state ?? null,
    dirtyPaths: (row.statement?.predicate.commit?.workingTree?.dirty ?? []).map((entry) => entry.path),
    pickle: row.statement ? safetyFindings(row.statement).map((finding) => `${finding.model}: ${finding.verdict}`) : [],
    digests: row.statement ? [...row.statement.predicate.models, ...row.statement.predicate.datasets].map(
      (artifact) => artifact.digest.sha256
    ) : [],
    policy: facts?.policy ?? null,
    signingMode: row.signingMode,
    signer: row.signer,
    signatureVerified: row.signatureVerified,
    chainVerified: row.chainVerified,
    statementSha256: row.statementSha256,
    file: row.file,
    problems: row.problems.map((problem) => `${problem.code}: ${problem.message}`)
  };
}
function parseDateBound(text, bound) {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  const date = day ? /* @__PURE__ */ new Date(`${text.trim()}T${bound === "since" ? "00:00:00.000" : "23:59:59.999"}Z`) : new Date(text.trim());
  if (Number.isNaN(date.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(text.trim())) {
    throw new LedgerError("USAGE", `"${text}" is not a date`, {
      field: `--${bound}`,
      fix: "write a date as YYYY-MM-DD (UTC) or an ISO 8601 time such as 2024-05-01T12:00:00Z"
    });
  }
  return date;
}
function matches(values, wanted) {
  const needle = wanted.toLowerCase();
  return values.some((value) => value.toLowerCase().includes(needle));
}
function filterEntries(entries, filter) {
  return entries.filter((entry) => {
    const time = entry.recordedAt ? Date.parse(entry.recordedAt) : Number.NaN;
    if (filter.since && !(time >= filter.since.getTime())) return false;
    if (filter.until && !(time <= filter.until.getTime())) return false;
    if (filter.model !== void 0 && !matches(entry.models, filter.model)) return false;
    if (filter.dataset !== void 0 && !matches(entry.datasets, filter.dataset)) return false;
    if (filter.actor !== void 0 && !entry.people.some((person) => person.toLowerCase() === filter.actor?.toLowerCase()))
      return false;
    if (filter.policy !== void 0 && entry.policy !== filter.policy) return false;
    if (filter.digest !== void 0 && !entry.digests.includes(filter.digest.toLowerCase().replace(/^sha256:/, "")))
      return false;
    return true;
  });
}
function status(entry) {
  if (entry.signatureVerified && entry.chainVerified) return "ok";
  if (!entry.signatureVerified) return "FAILED";
  return "CHAIN";
}
function truncate(text, width) {
  return text.length <= width ? text : `${text.slice(0, width - 1)}\u2026`;
}
function formatTable(entries) {
  const header = [
    "#",
    "recorded (UTC)",
    "status",
    "actor",
    "commit",
    "policy",
    "models",
    "datasets",
    "reason"
  ];
  const rows = entries.map((entry) => [
    String(entry.index),
    entry.recordedAt ? entry.recordedAt.replace("T", " ").replace(/\.\d+Z$|Z$/, "") : "-",
    status(entry),
    truncate(entry.actor ?? "-", 20),
    entry.commit ? `${entry.commit.slice(0, 8)}${entry.workingTree === "dirty" ? "+dirty" : ""}` : "-",
    entry.policy ?? "-",
    truncate(entry.models.join(",") || "-", 30),
    truncate(entry.datasets.join(",") || "-", 24),
    truncate(entry.reason || "-", 50)
  ]);
  const widths = header.map(
    (title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length))
  );
  const line = (cells) => cells.map((cell, column) => column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)).join("  ").trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}
var CSV_COLUMNS = [
  "index",
  "recordedAt",
  "actor",
  "commit",
  "workingTree",
  "pullRequest",
  "reason",
  "models",
  "modelSha256",
  "pickle",
  "datasets",
  "policy",
  "signingMode",
  "signer",
  "signatureVerified",
  "chainVerified",
  "statementSha256",
  "file"
];
function csvCell(value) {
  let text = Array.isArray(value) ? value.join(";") : typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? String(value) : "";
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text))
    text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
function formatCsv(entries) {
  return [
    CSV_COLUMNS.join(","),
    ...entries.map(
      (entry) => CSV_COLUMNS.map(
        (column) => csvCell(column === "modelSha256" ? entry.modelDigests.map((model) => model.sha256) : entry[column])
      ).join(",")
    )
  ].join("\r\n");
}

export {
  isLogEntryList,
  logEntry,
  parseDateBound,
  filterEntries,
  formatTable,
  csvCell,
  formatCsv
};
