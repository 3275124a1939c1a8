import { createRequire as __modelLedgerCreateRequire } from 'node:module';
import { dirname as __modelLedgerPathDirname } from 'node:path';
import { fileURLToPath as __modelLedgerFileURLToPath } from 'node:url';
const require = __modelLedgerCreateRequire(import.meta.url);
const __modelLedgerFilename = __modelLedgerFileURLToPath(import.meta.url);
const __modelLedgerDirname = __modelLedgerPathDirname(__modelLedgerFilename);
import {
  csvCell
} from "./chunk-6DRF6E6X.js";
import {
  decodeUnverified
} from "./chunk-QQ2VBXZD.js";
import {
  ledgerTrust
} from "./chunk-QUGHHY5W.js";
import {
  readVerifiedRecord
} from "./chunk-UJ5LYJPP.js";

// src/audit/format.ts
function table(header, rows) {
  const widths = header.map(
    (title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length))
  );
  const line = (cells) => cells.map((cell, column) => column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)).join("  ").trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}
function shortDate(iso) {
  return iso.replace("T", " ").replace(/([+-]\d{2}:\d{2}|Z)$/, "");
}
function truncate(text, width) {
  return text.length <= width ? text : `${text.slice(0, width - 1)}\u2026`;
}
function formatSpeed(speed) {
  const parts = [];
  const found = (index) => index === null ? "none found" : `record ${index}`;
  if (speed.byIndex) parts.push(`by index ${speed.byIndex.wanted} ${speed.byIndex.ms} ms`);
  if (speed.byDigest)
    parts.push(
      `by model digest ${speed.byDigest.digest.slice(0, 19)}\u2026 (${found(speed.byDigest.index)}) ${speed.byDigest.ms} ms`
    );
  if (speed.byDate)
    parts.push(`by date ${speed.byDate.date} (${found(speed.byDate.index)}) ${speed.byDate.ms} ms`);
  return parts.length === 0 ? "retrieve and verify one record: the ledger has no verified record to look up" : `retrieve and verify one record: ${parts.join("; ")}`;
}
function completenessTable(report, speed) {
  const lines = [
    `${report.summary} (${report.mode}, ${report.firstParent ? "first-parent" : "all-parents"} history of ${report.ref} at ${report.head.slice(0, 12)}, minimum ${report.min}%)`
  ];
  if (report.unrecorded.length > 0) {
    lines.push("", "unrecorded changes:");
    lines.push(
      table(
        ["commit", "date", "author", "paths", "subject"],
        report.unrecorded.map((change) => [
          change.commit.sha.slice(0, 12),
          shortDate(change.commit.authorDate),
          `${change.commit.author.name} <${change.commit.author.email}>`,
          truncate(change.paths.join(", "), 60),
          truncate(change.commit.subject, 50)
        ])
      )
    );
  }
  if (report.recordsOutsideHistory.length > 0) {
    lines.push(
      "",
      `records of commits not on this history (rebased, amended, another branch): ${report.recordsOutsideHistory.map((record) => `${record.index} (${record.commit.slice(0, 12)})`).join(", ")}`
    );
  }
  if (report.unverifiedRecords.length > 0)
    lines.push("", `records that did not verify and cover nothing: ${report.unverifiedRecords.join(", ")}`);
  if (report.shallow) lines.push("", report.shallow.message);
  if (speed) lines.push("", formatSpeed(speed));
  return lines.join("\n");
}
var COMPLETENESS_COLUMNS = [
  "commit",
  "date",
  "author",
  "email",
  "recorded",
  "record",
  "how",
  "paths",
  "subject"
];
function completenessCsv(report) {
  return [
    COMPLETENESS_COLUMNS.join(","),
    ...report.changes.map(
      (change) => [
        change.commit.sha,
        change.commit.authorDate,
        change.commit.author.name,
        change.commit.author.email,
        change.coveredBy !== null,
        change.coveredBy?.index ?? "",
        change.coveredBy?.how ?? "",
        change.paths,
        change.commit.subject
      ].map(csvCell).join(",")
    )
  ].join("\r\n");
}
function shown(value) {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return truncate(text, 200);
}
function replayTable(report, speed) {
  const lines = [];
  for (const record of report.records) {
    const commit = record.commit ? ` (${record.commit.slice(0, 12)})` : "";
    lines.push(
      `record ${record.index}${commit}: ${record.status === "mismatch" ? "MISMATCH" : record.status}`
    );
    if (record.reason) lines.push(`  ${record.reason}`);
    for (const section of record.sections) {
      lines.push(
        `  ${section.section.padEnd(13)}${section.status === "mismatch" ? "MISMATCH" : section.status}`
      );
      for (const difference of section.differences)
        lines.push(
          `    ${difference.field}: recorded ${shown(difference.recorded)}, rebuilt ${shown(difference.rebuilt)}`
        );
      for (const reason of section.notReplayable) lines.push(`    not replayable: ${reason}`);
    }
  }
  lines.push(
    "",
    `not replayable from the repository: ${report.neverReplayable.map((item) => `${item.section} (${item.reason})`).join("; ")}`,
    "",
    `replay: ${report.summary}`
  );
  if (speed) lines.push(formatSpeed(speed));
  return lines.join("\n");
}
var REPLAY_COLUMNS = ["record", "commit", "section", "status", "field", "recorded", "rebuilt"];
function replayCsv(report) {
  const rows = [];
  for (const record of report.records) {
    if (record.sections.length === 0)
      rows.push([record.index, record.commit ?? "", "", record.status, "", "", record.reason ?? ""]);
    for (const section of record.sections) {
      if (section.differences.length === 0)
        rows.push([record.index, record.commit ?? "", section.section, section.status, "", "", ""]);
      for (const difference of section.differences)
        rows.push([
          record.index,
          record.commit ?? "",
          section.section,
          section.status,
          difference.field,
          JSON.stringify(difference.recorded),
          JSON.stringify(difference.rebuilt)
        ]);
    }
  }
  return [REPLAY_COLUMNS.join(","), ...rows.map((row) => row.map(csvCell).join(","))].join("\r\n");
}
function markdownCell(text) {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/[\r\n]+/g, " ").replace(/[<>]/g, (c) => c === "<" ? "&lt;" : "&gt;");
}
function completenessMarkdown(report, speed) {
  const verdict = report.ok ? "meets" : "is below";
  const lines = [
    "### Model ledger completeness",
    "",
    `**${report.summary}** \u2014 ${verdict} the minimum of ${report.min}% (${report.mode}, ${report.firstParent ? "first-parent" : "all-parents"} history at \`${report.head.slice(0, 12)}\`)`
  ];
  if (report.unrecorded.length > 0) {
    lines.push("", "| commit | date | author | paths | subject |", "| --- | --- | --- | --- | --- |");
    for (const change of report.unrecorded.slice(0, 100)) {
      lines.push(
        `| \`${change.commit.sha.slice(0, 12)}\` | ${markdownCell(shortDate(change.commit.authorDate))} | ${markdownCell(`${change.commit.author.name} <${change.commit.author.email}>`)} | ${markdownCell(truncate(change.paths.join(", "), 120))} | ${markdownCell(truncate(change.commit.subject, 80))} |`
      );
    }
    if (report.unrecorded.length > 100)
      lines.push("", `\u2026 and ${report.unrecorded.length - 100} more (see \`--format csv\`)`);
  }
  if (report.shallow) lines.push("", `> ${markdownCell(report.shallow.message)}`);
  if (speed) lines.push("", markdownCell(formatSpeed(speed)));
  return `${lines.join("\n")}
`;
}

// src/audit/timing.ts
import { performance } from "node:perf_hooks";
async function verifyOne(store, refs, ref, options) {
  const first = refs.filter((candidate) => candidate.index === 0 && candidate !== ref);
  const { trust } = await ledgerTrust(store, [ref, ...first], options);
  return readVerifiedRecord(store, ref, trust);
}
async function findByIndex(options, index) {
  const refs = await options.store.list();
  const ref = refs.find((candidate) => candidate.index === index);
  return ref ? verifyOne(options.store, refs, ref, options) : null;
}
async function findByDigest(options, digest) {
  const wanted = digest.toLowerCase().replace(/^sha256:/, "");
  const refs = await options.store.list();
  for (const ref of refs) {
    const statement = decodeUnverified(await options.store.get(ref), ref.name);
    if (!statement) continue;
    const { models, datasets } = statement.predicate;
    if ([...models, ...datasets].some((artifact) => artifact.digest.sha256 === wanted))
      return verifyOne(options.store, refs, ref, options);
  }
  return null;
}
async function findByDate(options, date) {
  const refs = await options.store.list();
  let low = 0;
  let high = refs.length;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    const ref2 = refs[middle];
    const recordedAt = decodeUnverified(await options.store.get(ref2), ref2.name)?.predicate.recordedAt;
    if (recordedAt !== void 0 && Date.parse(recordedAt) >= date.getTime()) high = middle;
    else low = middle + 1;
  }
  const ref = refs[low];
  return ref ? verifyOne(options.store, refs, ref, options) : null;
}
async function timed(find) {
  const start = performance.now();
  const found = await find();
  const ms = Math.round((performance.now() - start) * 10) / 10;
  return { index: found?.statement.predicate.chain.index ?? null, ms };
}
async function measureRetrieval(options, loaded) {
  const verified = loaded.rows.filter((row) => row.signatureVerified && row.statement);
  const middle = verified[Math.floor(verified.length / 2)];
  const index = options.index ?? middle?.index;
  const digest = options.digest ?? middle?.statement?.predicate.models[0]?.digest.sha256;
  const recordedAt = middle?.recordedAt;
  const date = options.date ?? (recordedAt ? new Date(recordedAt) : void 0);
  const ledger = options.ledger;
  return {
    byIndex: index === void 0 ? null : { wanted: index, ...await timed(() => findByIndex(ledger, index)) },
    byDigest: digest === void 0 ? null : { digest: `sha256:${digest}`, ...await timed(() => findByDigest(ledger, digest)) },
    byDate: date === void 0 ? null : { date: date.toISOString(), ...await timed(() => findByDate(ledger, date)) }
  };
}

export {
  completenessTable,
  completenessCsv,
  replayTable,
  replayCsv,
  completenessMarkdown,
  measureRetrieval
};
