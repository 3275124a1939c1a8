import { createRequire as __modelLedgerCreateRequire } from 'node:module';
import { dirname as __modelLedgerPathDirname } from 'node:path';
import { fileURLToPath as __modelLedgerFileURLToPath } from 'node:url';
const require = __modelLedgerCreateRequire(import.meta.url);
const __modelLedgerFilename = __modelLedgerFileURLToPath(import.meta.url);
const __modelLedgerDirname = __modelLedgerPathDirname(__modelLedgerFilename);
import {
  safetyLine
} from "./chunk-QQ2VBXZD.js";
import {
  DEVELOPMENT_KEY_LABEL,
  signingModeLabel,
  workingTreeLabel
} from "./chunk-CF6SQW4Y.js";

// src/report/diff-markdown.ts
function mdText(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\|/g, "&#124;").replace(/[`*_[\]\\]/g, (char) => `&#${char.charCodeAt(0)};`).replace(/\r?\n/g, " ");
}
function mdCode(text) {
  return `<code>${mdText(text)}</code>`;
}
function shortSha(sha, length = 12) {
  return sha ? mdCode(sha.slice(0, length)) : "\u2014";
}
function formatBytes(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}
function formatNumber(value) {
  return Number.isInteger(value) ? value.toLocaleString("en-US") : String(value);
}
function formatMetric(value) {
  if (!Number.isFinite(value) || Number.isInteger(value)) return String(value);
  return String(Number.parseFloat(value.toPrecision(4)));
}
function formatMetricValue(value) {
  return typeof value === "number" ? mdCode(formatMetric(value)) : formatValue(value);
}
function signed(value, format) {
  return value > 0 ? `+${format(value)}` : value < 0 ? `\u2212${format(-value)}` : "\xB10";
}
function formatValue(value) {
  if (value === void 0) return "\u2014";
  if (typeof value === "string") return mdText(value);
  return mdCode(JSON.stringify(value));
}
function recordLabel(record) {
  return `record ${record.index}`;
}
function renderDiffMarkdown(diff, options = {}) {
  const level = options.level ?? 2;
  const h = (depth) => "#".repeat(Math.min(6, level + depth));
  const context = { foldAfter: options.foldAfter ?? 8, maxItems: options.maxItems ?? 200 };
  const out = [];
  out.push(
    `${h(0)} ${options.title ?? `model-ledger: ${recordLabel(diff.to)} compared with ${recordLabel(diff.from)}`}`,
    ""
  );
  out.push(...warnings(diff), ...overview(diff), "");
  const unchanged = modelsUnchanged(diff);
  if (unchanged) out.push(unchanged, "");
  if (diff.empty) {
    out.push("No change to models, datasets, dependencies, training, policy, signer or environment.", "");
    return out.join("\n");
  }
  out.push(...modelsSection(diff, h(1), context));
  out.push(...datasetsSection(diff, h(1), context));
  out.push(...dependenciesSection(diff, h(1), context));
  out.push(...trainingSection(diff, h(1), context));
  out.push(...policySection(diff, h(1)));
  out.push(...environmentSection(diff, h(1), context));
  return out.join("\n");
}
function modelsUnchanged(diff) {
  const { models } = diff;
  if (models.added.length + models.removed.length + models.changed.length > 0 || models.unchanged === 0)
    return null;
  return `**Models unchanged** (${models.unchanged}): the same model digests as ${recordLabel(diff.from)}.`;
}
function glanceLine(diff) {
  const parts = [];
  const critical = diff.safety.filter((finding) => finding.verdict === "unsafe").length;
  if (critical > 0) parts.push(`**${critical} unsafe pickle${critical === 1 ? "" : "s"}**`);
  const { models, datasets } = diff;
  const touched = (list2, what) => {
    const bits = [
      list2.changed.length ? `${list2.changed.length} changed` : "",
      list2.added.length ? `${list2.added.length} added` : "",
      list2.removed.length ? `${list2.removed.length} removed` : ""
    ].filter((bit) => bit !== "");
    if (bits.length > 0) parts.push(`${what}: ${bits.join(", ")}`);
  };
  touched(models, "models");
  if (models.added.length + models.removed.length + models.changed.length === 0)
    parts.push(models.unchanged > 0 ? "models unchanged" : "no models");
  touched(datasets, "datasets");
  const packages = diff.dependencies.reduce(
    (total, eco) => total + eco.added.length + eco.removed.length + eco.upgraded.length + eco.downgraded.length + eco.changed.length,
    0
  );
  if (packages > 0) parts.push(`${packages} dependency change${packages === 1 ? "" : "s"}`);
  const metrics = diff.training.metrics.slice(0, 2).map((metric) => {
    const text = (value) => typeof value === "number" ? formatMetric(value) : typeof value === "string" ? value : value === void 0 ? "\u2014" : JSON.stringify(value);
    const from = text(metric.from);
    const to = text(metric.to);
    return `${mdText(metric.key)} ${mdText(from)} \u2192 ${mdText(to)}`;
  });
  if (metrics.length > 0)
    parts.push(
      metrics.join(", ") + (diff.training.metrics.length > 2 ? ` (+${diff.training.metrics.length - 2} metrics)` : "")
    );
  if (diff.training.params.length > 0)
    parts.push(
      `${diff.training.params.length} training field${diff.training.params.length === 1 ? "" : "s"} changed`
    );
  const failing = diff.policy.results.filter((result) => result.outcome === "fail");
  if (failing.length > 0)
    parts.push(`policy: ${failing.length} rule${failing.length === 1 ? "" : "s"} failed`);
  if (diff.signer.changed) parts.push("**signer changed**");
  if (diff.to.workingTree?.state === "dirty") parts.push("**uncommitted changes**");
  if (diff.to.signingMode === "development-key") parts.push(`**${DEVELOPMENT_KEY_LABEL}**`);
  parts.push(
    diff.to.approvedBy.length > 0 ? `approved by ${mdText(diff.to.approvedBy.join(", "))}` : "no approval recorded"
  );
  return `**At a glance:** ${parts.join(" \xB7 ")}`;
}
function recordAlerts(record) {
  const lines = [];
  if (record.safety.length > 0) {
    const unsafe = record.safety.some((finding) => finding.verdict === "unsafe");
    lines.push(
      unsafe ? "> [!CAUTION]" : "> [!WARNING]",
      `> **Pickle findings in ${record.label}**: loading a pickled model runs the code it imports.`,
      ...record.safety.map((finding) => `> - ${mdText(safetyLine(finding))}`),
      ""
    );
  }
  if (record.signingMode === "development-key") {
    lines.push(
      "> [!WARNING]",
      `> **${record.label} is signed with a ${DEVELOPMENT_KEY_LABEL}**: a key made on one machine, for trying model-ledger out.`,
      ""
    );
  }
  if (record.workingTree?.state === "dirty") {
    lines.push(
      "> [!WARNING]",
      `> **${record.label} was made with uncommitted changes**: ${mdText(workingTreeLabel(record.workingTree) ?? "")}. The commit it names is not all that was recorded.`,
      ""
    );
  }
  return lines;
}
function warnings(diff) {
  const lines = recordAlerts({
    label: recordLabel(diff.to),
    safety: diff.safety,
    signingMode: diff.to.signingMode,
    workingTree: diff.to.workingTree
  });
  if (diff.signer.changed) {
    lines.push(
      `> [!WARNING]`,
      `> **The signer changed**: ${recordLabel(diff.from)} was signed by ${signerText(diff.signer.from)}, ${recordLabel(diff.to)} by ${signerText(diff.signer.to)}. Check that this change of key or identity was intended.`,
      ""
    );
  }
  for (const record of [diff.from, diff.to]) {
    if (record.verified === false) {
      lines.push(
        `> [!CAUTION]`,
        `> **${recordLabel(record)} did not verify**: its contents below cannot be trusted. Run \`model-ledger verify\` to see why.`,
        ""
      );
    }
  }
  if (!diff.sameLedger) {
    lines.push(
      `> [!NOTE]`,
      `> The records belong to different ledgers (${mdCode(diff.from.origin)} and ${mdCode(diff.to.origin)}).`,
      ""
    );
  }
  return lines;
}
function signerText(side) {
  const signer = side.signer?.startsWith("key:") ? `${side.signer.slice(0, 20)}\u2026` : side.signer;
  return `${signer ? mdCode(signer) : "an unknown signer"} (${mdText(signingModeLabel(side.mode))})`;
}
function overview(diff) {
  const { from, to } = diff;
  const row = (label, a, b) => `| ${label} | ${a} | ${b} |`;
  const link = (record) => record.location && /^https?:\/\//.test(record.location) ? `[${recordLabel(record)}](${record.location})` : recordLabel(record);
  const pull = (record) => record.pullRequest ? `[#${record.pullRequest.number}](${record.pullRequest.url})` : "\u2014";
  return [
    `| | ${link(from)} | ${link(to)} |`,
    "| --- | --- | --- |",
    row("Recorded", mdText(from.recordedAt), mdText(to.recordedAt)),
    row("Statement sha256", shortSha(from.statementSha256), shortSha(to.statementSha256)),
    row("Commit", shortSha(from.commit), shortSha(to.commit)),
    row("Pull request", pull(from), pull(to)),
    row(
      "Reason",
      from.reason ? mdText(from.reason.slice(0, 200)) : "\u2014",
      to.reason ? mdText(to.reason.slice(0, 200)) : "\u2014"
    ),
    row("Signed", signerText(diff.signer.from), signerText(diff.signer.to)),
    row(
      "Approved by",
      from.approvedBy.length > 0 ? mdText(from.approvedBy.join(", ")) : "\u2014",
      to.approvedBy.length > 0 ? mdText(to.approvedBy.join(", ")) : "\u2014"
    ),
    ...from.workingTree || to.workingTree ? [
      row(
        "Working tree",
        mdText(workingTreeLabel(from.workingTree) ?? "not recorded"),
        mdText(workingTreeLabel(to.workingTree) ?? "not recorded")
      )
    ] : [],
    ...from.runUrl || to.runUrl ? [row("Run", from.runUrl ? `[run](${from.runUrl})` : "\u2014", to.runUrl ? `[run](${to.runUrl})` : "\u2014")] : [],
    ...diff.consecutive ? [] : [`| Chain | | ${recordLabel(to)} does not link directly to ${recordLabel(from)} |`]
  ];
}
function list(summary, items, context) {
  if (items.length === 0) return [];
  const shown = items.slice(0, context.maxItems).map((item) => `- ${item}`);
  if (items.length > context.maxItems) shown.push(`- \u2026 and ${items.length - context.maxItems} more`);
  if (items.length <= context.foldAfter) return [`${summary}`, "", ...shown, ""];
  return ["<details>", `<summary>${summary}</summary>`, "", ...shown, "", "</details>", ""];
}
function count(n, what) {
  return `${n} ${what}`;
}
function fileLists(name, files, context) {
  if (!files) return [];
  if (!files.available)
    return [
      `${mdCode(name)}: the file lists are not available (a manifest is missing), so only the digests can be compared.`,
      ""
    ];
  const summary = `${mdCode(name)}: ${count(files.added.length, "added")}, ${count(files.removed.length, "removed")}, ${count(files.changed.length, "changed")}, ${count(files.unchanged, "unchanged")} files`;
  const items = [
    ...files.added.map((path) => `added ${mdCode(path)}`),
    ...files.removed.map((path) => `removed ${mdCode(path)}`),
    ...files.changed.map((path) => `changed ${mdCode(path)}`)
  ];
  return items.length === 0 ? [summary, ""] : list(summary, items, { ...context, foldAfter: 0 });
}
function arrow(from, to) {
  return from === to ? to : `${from} \u2192 ${to}`;
}
function modelCells(change) {
  const { from, to } = change;
  const size = from.size === to.size ? formatBytes(to.size) : `${formatBytes(from.size)} \u2192 ${formatBytes(to.size)} (${signed(to.size - from.size, formatBytes)})`;
  const parameters = from.parameters === null && to.parameters === null ? "\u2014" : from.parameters !== null && to.parameters !== null && from.parameters !== to.parameters ? `${formatNumber(from.parameters)} \u2192 ${formatNumber(to.parameters)} (${signed(to.parameters - from.parameters, formatNumber)})` : formatNumber(to.parameters ?? from.parameters ?? 0);
  return [
    mdCode(change.name),
    "changed",
    arrow(shortSha(from.digest), shortSha(to.digest)),
    size,
    mdText(arrow(from.format ?? "\u2014", to.format ?? "\u2014")),
    parameters
  ];
}
function modelRow(model, what) {
  return [
    mdCode(model.name),
    what,
    shortSha(model.digest),
    formatBytes(model.size),
    mdText(model.format ?? "\u2014"),
    model.parameters === null ? "\u2014" : formatNumber(model.parameters)
  ];
}
function table(headers, rows) {
  return [
    `| ${headers.join(" | ")} |`,
    `| ${headers.map(() => "---").join(" | ")} |`,
    ...rows.map((row) => `| ${row.join(" | ")} |`),
    ""
  ];
}
function modelsSection(diff, h, context) {
  const { models } = diff;
  if (models.added.length + models.removed.length + models.changed.length === 0) return [];
  const rows = [
    ...models.changed.map(modelCells),
    ...models.added.map((model) => modelRow(model, "added")),
    ...models.removed.map((model) => modelRow(model, "removed"))
  ];
  return [
    `${h} Models`,
    "",
    ...table(["model", "change", "sha256", "size", "format", "parameters"], rows.slice(0, context.maxItems)),
    ...models.changed.flatMap((change) => fileLists(change.name, change.files, context))
  ];
}
function datasetCells(change) {
  const { from, to } = change;
  return [
    mdCode(change.name),
    "changed",
    arrow(shortSha(from.digest), shortSha(to.digest)),
    from.files === to.files ? formatNumber(to.files) : `${formatNumber(from.files)} \u2192 ${formatNumber(to.files)} (${signed(to.files - from.files, formatNumber)})`,
    rowsText(from, to),
    from.size === to.size ? formatBytes(to.size) : `${formatBytes(from.size)} \u2192 ${formatBytes(to.size)}`
  ];
}
function rowsText(from, to) {
  const a = from?.rows ?? null;
  const b = to.rows;
  if (a === null && b === null) return "\u2014";
  if (a === b || from === null) return mdText(String(b ?? "\u2014"));
  if (typeof a === "number" && typeof b === "number")
    return `${formatNumber(a)} \u2192 ${formatNumber(b)} (${signed(b - a, formatNumber)})`;
  return mdText(`${String(a ?? "\u2014")} \u2192 ${String(b ?? "\u2014")}`);
}
function datasetRow(dataset, what) {
  return [
    mdCode(dataset.name),
    what,
    shortSha(dataset.digest),
    formatNumber(dataset.files),
    rowsText(null, dataset),
    formatBytes(dataset.size)
  ];
}
function datasetsSection(diff, h, context) {
  const { datasets } = diff;
  if (datasets.added.length + datasets.removed.length + datasets.changed.length === 0) return [];
  const rows = [
    ...datasets.changed.map(datasetCells),
    ...datasets.added.map((dataset) => datasetRow(dataset, "added")),
    ...datasets.removed.map((dataset) => datasetRow(dataset, "removed"))
  ];
  return [
    `${h} Datasets`,
    "",
    ...table(["dataset", "change", "digest", "files", "rows", "size"], rows.slice(0, context.maxItems)),
    ...datasets.changed.flatMap((change) => fileLists(change.name, change.files, context))
  ];
}
function dependenciesSection(diff, h, context) {
  if (diff.dependencies.length === 0) return [];
  const out = [
    `${h} Dependencies`,
    "",
    ...table(
      ["ecosystem", "added", "removed", "upgraded", "downgraded", "changed"],
      diff.dependencies.map((eco) => [
        mdText(eco.ecosystem),
        String(eco.added.length),
        String(eco.removed.length),
        String(eco.upgraded.length),
        eco.downgraded.length > 0 ? `**${eco.downgraded.length}**` : "0",
        String(eco.changed.length)
      ])
    )
  ];
  for (const eco of diff.dependencies) {
    const items = [
      ...eco.upgraded.map((c) => `upgraded ${mdCode(c.name)} ${mdText(c.from)} \u2192 ${mdText(c.to)}`),
      ...eco.downgraded.map((c) => `**downgraded** ${mdCode(c.name)} ${mdText(c.from)} \u2192 ${mdText(c.to)}`),
      ...eco.added.map((p) => `added ${mdCode(p.name)} ${mdText(p.version)}`),
      ...eco.removed.map((p) => `removed ${mdCode(p.name)} ${mdText(p.version)}`),
      ...eco.changed.map((c) => `changed ${mdCode(c.name)} ${mdText(c.from)} \u2192 ${mdText(c.to)}`)
    ];
    out.push(...list(`${mdText(eco.ecosystem)}: ${items.length} package change(s)`, items, context));
  }
  return out;
}
function formatRelative(relative) {
  if (relative === null) return "";
  const percent = relative * 100;
  return ` (${percent > 0 ? "+" : percent < 0 ? "\u2212" : "\xB1"}${Math.abs(percent).toFixed(Math.abs(percent) < 1 ? 2 : 1)}%)`;
}
function trainingSection(diff, h, context) {
  const { training } = diff;
  if (training.params.length === 0 && training.metrics.length === 0) return [];
  const out = [`${h} Training`, ""];
  if (training.source.from !== training.source.to) {
    out.push(
      `Run description: ${mdText(training.source.from ?? "none")} \u2192 ${mdText(training.source.to ?? "none")}`,
      ""
    );
  }
  if (training.metrics.length > 0) {
    out.push(
      ...table(
        ["metric", "before", "after", "change"],
        training.metrics.slice(0, context.maxItems).map((metric) => [
          mdCode(metric.key),
          formatMetricValue(metric.from),
          formatMetricValue(metric.to),
          metric.delta === null ? "\u2014" : `${signed(metric.delta, formatMetric)}${formatRelative(metric.relative)}`
        ])
      )
    );
  }
  if (training.params.length > 0) {
    const rows = training.params.map((param) => [
      mdCode(param.key),
      formatValue(param.from),
      formatValue(param.to)
    ]);
    const rendered = table(["parameter", "before", "after"], rows.slice(0, context.maxItems));
    out.push(
      ...rows.length > context.foldAfter ? [
        "<details>",
        `<summary>${rows.length} parameters changed</summary>`,
        "",
        ...rendered,
        "</details>",
        ""
      ] : rendered
    );
  }
  return out;
}
function policySection(diff, h) {
  const { policy } = diff;
  if (policy.changed.length === 0) return [];
  return [
    `${h} Policy`,
    "",
    ...table(
      ["rule", "level", "before", "after", "message"],
      policy.changed.map((change) => [
        mdCode(change.rule),
        change.level,
        change.from ?? "\u2014",
        change.to === "fail" ? "**fail**" : change.to ?? "\u2014",
        mdText(change.message)
      ])
    )
  ];
}
function environmentSection(diff, h, context) {
  if (diff.environment.length === 0) return [];
  const rows = diff.environment.map((change) => [
    mdCode(change.key),
    formatValue(change.from),
    formatValue(change.to)
  ]);
  const rendered = table(["", "before", "after"], rows.slice(0, context.maxItems));
  return [
    `${h} Environment`,
    "",
    ...rows.length > context.foldAfter ? [
      "<details>",
      `<summary>${rows.length} changes to the build environment</summary>`,
      "",
      ...rendered,
      "</details>",
      ""
    ] : rendered
  ];
}

export {
  mdText,
  mdCode,
  renderDiffMarkdown,
  glanceLine,
  recordAlerts
};
