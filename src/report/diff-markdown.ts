/**
 * A RecordDiff as GitHub-flavoured Markdown, for a pull request comment, a job summary or a
 * terminal. Every value from a record is escaped (it may hold `|`, `<`, backticks); long lists
 * fold into `<details>`; lists are capped so that a comment stays under GitHub's 65,536 characters.
 */
import type { JsonValue, WorkingTreeState } from '../record/predicate.js';
import type {
  DatasetChange,
  DatasetSummary,
  FileListDiff,
  ModelChange,
  ModelSummary,
  RecordDiff,
  RecordHeader,
  ValueChange,
} from './diff.js';
import { DEVELOPMENT_KEY_LABEL, signingModeLabel, workingTreeLabel } from './facts.js';
import { safetyLine, type SafetyFinding } from './safety.js';

export interface DiffMarkdownOptions {
  /** Heading level of the title (default 2). */
  level?: number;
  /** Lists longer than this fold into `<details>` (default 8). */
  foldAfter?: number;
  /** At most this many items of one list are written (default 200). */
  maxItems?: number;
  /** Title; default says which records are compared. */
  title?: string;
}

/** Escapes text for a Markdown table cell or paragraph: HTML-escaped, pipes and newlines neutralised. */
export function mdText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '&#124;')
    .replace(/[`*_[\]\\]/g, (char) => `&#${char.charCodeAt(0)};`)
    .replace(/\r?\n/g, ' ');
}

/** Text as inline code that survives tables and any characters inside it. */
export function mdCode(text: string): string {
  return `<code>${mdText(text)}</code>`;
}

function shortSha(sha: string | null, length = 12): string {
  return sha ? mdCode(sha.slice(0, length)) : '—';
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

export function formatNumber(value: number): string {
  return Number.isInteger(value) ? value.toLocaleString('en-US') : String(value);
}

/**
 * A metric for people: at most 4 significant digits (0.9123456789 → 0.9123), integers whole.
 * The JSON forms keep every digit the record holds.
 */
export function formatMetric(value: number): string {
  if (!Number.isFinite(value) || Number.isInteger(value)) return String(value);
  return String(Number.parseFloat(value.toPrecision(4)));
}

function formatMetricValue(value: JsonValue | undefined): string {
  return typeof value === 'number' ? mdCode(formatMetric(value)) : formatValue(value);
}

function signed(value: number, format: (n: number) => string): string {
  return value > 0 ? `+${format(value)}` : value < 0 ? `−${format(-value)}` : '±0';
}

function formatValue(value: JsonValue | undefined): string {
  if (value === undefined) return '—';
  if (typeof value === 'string') return mdText(value);
  return mdCode(JSON.stringify(value));
}

function recordLabel(record: RecordHeader): string {
  return `record ${record.index}`;
}

export function renderDiffMarkdown(diff: RecordDiff, options: DiffMarkdownOptions = {}): string {
  const level = options.level ?? 2;
  const h = (depth: number): string => '#'.repeat(Math.min(6, level + depth));
  const context: Context = { foldAfter: options.foldAfter ?? 8, maxItems: options.maxItems ?? 200 };
  const out: string[] = [];
  out.push(
    `${h(0)} ${options.title ?? `model-ledger: ${recordLabel(diff.to)} compared with ${recordLabel(diff.from)}`}`,
    '',
  );
  out.push(...warnings(diff), ...overview(diff), '');
  const unchanged = modelsUnchanged(diff);
  if (unchanged) out.push(unchanged, '');
  if (diff.empty) {
    out.push('No change to models, datasets, dependencies, training, policy, signer or environment.', '');
    return out.join('\n');
  }
  out.push(...modelsSection(diff, h(1), context));
  out.push(...datasetsSection(diff, h(1), context));
  out.push(...dependenciesSection(diff, h(1), context));
  out.push(...trainingSection(diff, h(1), context));
  out.push(...policySection(diff, h(1)));
  out.push(...environmentSection(diff, h(1), context));
  return out.join('\n');
}

interface Context {
  foldAfter: number;
  maxItems: number;
}

/** `Models unchanged: a.safetensors` when the newer record has models and none changed. */
export function modelsUnchanged(diff: RecordDiff): string | null {
  const { models } = diff;
  if (models.added.length + models.removed.length + models.changed.length > 0 || models.unchanged === 0)
    return null;
  return `**Models unchanged** (${models.unchanged}): the same model digests as ${recordLabel(diff.from)}.`;
}

/** One line that says what the change amounts to, for a reviewer who reads nothing else. */
export function glanceLine(diff: RecordDiff): string {
  const parts: string[] = [];
  const critical = diff.safety.filter((finding) => finding.verdict === 'unsafe').length;
  if (critical > 0) parts.push(`**${critical} unsafe pickle${critical === 1 ? '' : 's'}**`);
  const { models, datasets } = diff;
  const touched = (
    list: { added: unknown[]; removed: unknown[]; changed: unknown[] },
    what: string,
  ): void => {
    const bits = [
      list.changed.length ? `${list.changed.length} changed` : '',
      list.added.length ? `${list.added.length} added` : '',
      list.removed.length ? `${list.removed.length} removed` : '',
    ].filter((bit) => bit !== '');
    if (bits.length > 0) parts.push(`${what}: ${bits.join(', ')}`);
  };
  touched(models, 'models');
  if (models.added.length + models.removed.length + models.changed.length === 0)
    parts.push(models.unchanged > 0 ? 'models unchanged' : 'no models');
  touched(datasets, 'datasets');
  const packages = diff.dependencies.reduce(
    (total, eco) =>
      total +
      eco.added.length +
      eco.removed.length +
      eco.upgraded.length +
      eco.downgraded.length +
      eco.changed.length,
    0,
  );
  if (packages > 0) parts.push(`${packages} dependency change${packages === 1 ? '' : 's'}`);
  const metrics = diff.training.metrics.slice(0, 2).map((metric) => {
    const text = (value: JsonValue | undefined): string =>
      typeof value === 'number'
        ? formatMetric(value)
        : typeof value === 'string'
          ? value
          : value === undefined
            ? '—'
            : JSON.stringify(value);
    const from = text(metric.from);
    const to = text(metric.to);
    return `${mdText(metric.key)} ${mdText(from)} → ${mdText(to)}`;
  });
  if (metrics.length > 0)
    parts.push(
      metrics.join(', ') +
        (diff.training.metrics.length > 2 ? ` (+${diff.training.metrics.length - 2} metrics)` : ''),
    );
  if (diff.training.params.length > 0)
    parts.push(
      `${diff.training.params.length} training field${diff.training.params.length === 1 ? '' : 's'} changed`,
    );
  const failing = diff.policy.results.filter((result) => result.outcome === 'fail');
  if (failing.length > 0)
    parts.push(`policy: ${failing.length} rule${failing.length === 1 ? '' : 's'} failed`);
  if (diff.signer.changed) parts.push('**signer changed**');
  if (diff.to.workingTree?.state === 'dirty') parts.push('**uncommitted changes**');
  if (diff.to.signingMode === 'development-key') parts.push(`**${DEVELOPMENT_KEY_LABEL}**`);
  parts.push(
    diff.to.approvedBy.length > 0
      ? `approved by ${mdText(diff.to.approvedBy.join(', '))}`
      : 'no approval recorded',
  );
  return `**At a glance:** ${parts.join(' · ')}`;
}

export interface RecordAlertFacts {
  label: string;
  safety: SafetyFinding[];
  signingMode: string;
  workingTree: WorkingTreeState | null;
}

/**
 * The alerts one record calls for, first in every Markdown face: pickle findings, a development
 * key, uncommitted changes.
 */
export function recordAlerts(record: RecordAlertFacts): string[] {
  const lines: string[] = [];
  if (record.safety.length > 0) {
    const unsafe = record.safety.some((finding) => finding.verdict === 'unsafe');
    lines.push(
      unsafe ? '> [!CAUTION]' : '> [!WARNING]',
      `> **Pickle findings in ${record.label}**: loading a pickled model runs the code it imports.`,
      ...record.safety.map((finding) => `> - ${mdText(safetyLine(finding))}`),
      '',
    );
  }
  if (record.signingMode === 'development-key') {
    lines.push(
      '> [!WARNING]',
      `> **${record.label} is signed with a ${DEVELOPMENT_KEY_LABEL}**: a key made on one machine, for trying model-ledger out.`,
      '',
    );
  }
  if (record.workingTree?.state === 'dirty') {
    lines.push(
      '> [!WARNING]',
      `> **${record.label} was made with uncommitted changes**: ${mdText(workingTreeLabel(record.workingTree) ?? '')}. The commit it names is not all that was recorded.`,
      '',
    );
  }
  return lines;
}

function warnings(diff: RecordDiff): string[] {
  const lines: string[] = recordAlerts({
    label: recordLabel(diff.to),
    safety: diff.safety,
    signingMode: diff.to.signingMode,
    workingTree: diff.to.workingTree,
  });
  if (diff.signer.changed) {
    lines.push(
      `> [!WARNING]`,
      `> **The signer changed**: ${recordLabel(diff.from)} was signed by ${signerText(diff.signer.from)}, ${recordLabel(diff.to)} by ${signerText(diff.signer.to)}. Check that this change of key or identity was intended.`,
      '',
    );
  }
  for (const record of [diff.from, diff.to]) {
    if (record.verified === false) {
      lines.push(
        `> [!CAUTION]`,
        `> **${recordLabel(record)} did not verify**: its contents below cannot be trusted. Run \`model-ledger verify\` to see why.`,
        '',
      );
    }
  }
  if (!diff.sameLedger) {
    lines.push(
      `> [!NOTE]`,
      `> The records belong to different ledgers (${mdCode(diff.from.origin)} and ${mdCode(diff.to.origin)}).`,
      '',
    );
  }
  return lines;
}

function signerText(side: { signer: string | null; mode: string }): string {
  const signer = side.signer?.startsWith('key:') ? `${side.signer.slice(0, 20)}…` : side.signer;
  return `${signer ? mdCode(signer) : 'an unknown signer'} (${mdText(signingModeLabel(side.mode))})`;
}

function overview(diff: RecordDiff): string[] {
  const { from, to } = diff;
  const row = (label: string, a: string, b: string): string => `| ${label} | ${a} | ${b} |`;
  const link = (record: RecordHeader): string =>
    record.location && /^https?:\/\//.test(record.location)
      ? `[${recordLabel(record)}](${record.location})`
      : recordLabel(record);
  const pull = (record: RecordHeader): string =>
    record.pullRequest ? `[#${record.pullRequest.number}](${record.pullRequest.url})` : '—';
  return [
    `| | ${link(from)} | ${link(to)} |`,
    '| --- | --- | --- |',
    row('Recorded', mdText(from.recordedAt), mdText(to.recordedAt)),
    row('Statement sha256', shortSha(from.statementSha256), shortSha(to.statementSha256)),
    row('Commit', shortSha(from.commit), shortSha(to.commit)),
    row('Pull request', pull(from), pull(to)),
    row(
      'Reason',
      from.reason ? mdText(from.reason.slice(0, 200)) : '—',
      to.reason ? mdText(to.reason.slice(0, 200)) : '—',
    ),
    row('Signed', signerText(diff.signer.from), signerText(diff.signer.to)),
    row(
      'Approved by',
      from.approvedBy.length > 0 ? mdText(from.approvedBy.join(', ')) : '—',
      to.approvedBy.length > 0 ? mdText(to.approvedBy.join(', ')) : '—',
    ),
    ...(from.workingTree || to.workingTree
      ? [
          row(
            'Working tree',
            mdText(workingTreeLabel(from.workingTree) ?? 'not recorded'),
            mdText(workingTreeLabel(to.workingTree) ?? 'not recorded'),
          ),
        ]
      : []),
    ...(from.runUrl || to.runUrl
      ? [row('Run', from.runUrl ? `[run](${from.runUrl})` : '—', to.runUrl ? `[run](${to.runUrl})` : '—')]
      : []),
    ...(diff.consecutive
      ? []
      : [`| Chain | | ${recordLabel(to)} does not link directly to ${recordLabel(from)} |`]),
  ];
}

/** A bullet list, folded into <details> when long and capped at maxItems. */
function list(summary: string, items: string[], context: Context): string[] {
  if (items.length === 0) return [];
  const shown = items.slice(0, context.maxItems).map((item) => `- ${item}`);
  if (items.length > context.maxItems) shown.push(`- … and ${items.length - context.maxItems} more`);
  if (items.length <= context.foldAfter) return [`${summary}`, '', ...shown, ''];
  return ['<details>', `<summary>${summary}</summary>`, '', ...shown, '', '</details>', ''];
}

function count(n: number, what: string): string {
  return `${n} ${what}`;
}

function fileLists(name: string, files: FileListDiff | null, context: Context): string[] {
  if (!files) return [];
  if (!files.available)
    return [
      `${mdCode(name)}: the file lists are not available (a manifest is missing), so only the digests can be compared.`,
      '',
    ];
  const summary = `${mdCode(name)}: ${count(files.added.length, 'added')}, ${count(files.removed.length, 'removed')}, ${count(files.changed.length, 'changed')}, ${count(files.unchanged, 'unchanged')} files`;
  const items = [
    ...files.added.map((path) => `added ${mdCode(path)}`),
    ...files.removed.map((path) => `removed ${mdCode(path)}`),
    ...files.changed.map((path) => `changed ${mdCode(path)}`),
  ];
  return items.length === 0 ? [summary, ''] : list(summary, items, { ...context, foldAfter: 0 });
}

function arrow(from: string, to: string): string {
  return from === to ? to : `${from} → ${to}`;
}

function modelCells(change: ModelChange): string[] {
  const { from, to } = change;
  const size =
    from.size === to.size
      ? formatBytes(to.size)
      : `${formatBytes(from.size)} → ${formatBytes(to.size)} (${signed(to.size - from.size, formatBytes)})`;
  const parameters =
    from.parameters === null && to.parameters === null
      ? '—'
      : from.parameters !== null && to.parameters !== null && from.parameters !== to.parameters
        ? `${formatNumber(from.parameters)} → ${formatNumber(to.parameters)} (${signed(to.parameters - from.parameters, formatNumber)})`
        : formatNumber(to.parameters ?? from.parameters ?? 0);
  return [
    mdCode(change.name),
    'changed',
    arrow(shortSha(from.digest), shortSha(to.digest)),
    size,
    mdText(arrow(from.format ?? '—', to.format ?? '—')),
    parameters,
  ];
}

function modelRow(model: ModelSummary, what: string): string[] {
  return [
    mdCode(model.name),
    what,
    shortSha(model.digest),
    formatBytes(model.size),
    mdText(model.format ?? '—'),
    model.parameters === null ? '—' : formatNumber(model.parameters),
  ];
}

function table(headers: string[], rows: string[][]): string[] {
  return [
    `| ${headers.join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
    '',
  ];
}

function modelsSection(diff: RecordDiff, h: string, context: Context): string[] {
  const { models } = diff;
  if (models.added.length + models.removed.length + models.changed.length === 0) return [];
  const rows = [
    ...models.changed.map(modelCells),
    ...models.added.map((model) => modelRow(model, 'added')),
    ...models.removed.map((model) => modelRow(model, 'removed')),
  ];
  return [
    `${h} Models`,
    '',
    ...table(['model', 'change', 'sha256', 'size', 'format', 'parameters'], rows.slice(0, context.maxItems)),
    ...models.changed.flatMap((change) => fileLists(change.name, change.files, context)),
  ];
}

function datasetCells(change: DatasetChange): string[] {
  const { from, to } = change;
  return [
    mdCode(change.name),
    'changed',
    arrow(shortSha(from.digest), shortSha(to.digest)),
    from.files === to.files
      ? formatNumber(to.files)
      : `${formatNumber(from.files)} → ${formatNumber(to.files)} (${signed(to.files - from.files, formatNumber)})`,
    rowsText(from, to),
    from.size === to.size ? formatBytes(to.size) : `${formatBytes(from.size)} → ${formatBytes(to.size)}`,
  ];
}

function rowsText(from: DatasetSummary | null, to: DatasetSummary): string {
  const a = from?.rows ?? null;
  const b = to.rows;
  if (a === null && b === null) return '—';
  if (a === b || from === null) return mdText(String(b ?? '—'));
  if (typeof a === 'number' && typeof b === 'number')
    return `${formatNumber(a)} → ${formatNumber(b)} (${signed(b - a, formatNumber)})`;
  return mdText(`${String(a ?? '—')} → ${String(b ?? '—')}`);
}

function datasetRow(dataset: DatasetSummary, what: string): string[] {
  return [
    mdCode(dataset.name),
    what,
    shortSha(dataset.digest),
    formatNumber(dataset.files),
    rowsText(null, dataset),
    formatBytes(dataset.size),
  ];
}

function datasetsSection(diff: RecordDiff, h: string, context: Context): string[] {
  const { datasets } = diff;
  if (datasets.added.length + datasets.removed.length + datasets.changed.length === 0) return [];
  const rows = [
    ...datasets.changed.map(datasetCells),
    ...datasets.added.map((dataset) => datasetRow(dataset, 'added')),
    ...datasets.removed.map((dataset) => datasetRow(dataset, 'removed')),
  ];
  return [
    `${h} Datasets`,
    '',
    ...table(['dataset', 'change', 'digest', 'files', 'rows', 'size'], rows.slice(0, context.maxItems)),
    ...datasets.changed.flatMap((change) => fileLists(change.name, change.files, context)),
  ];
}

function dependenciesSection(diff: RecordDiff, h: string, context: Context): string[] {
  if (diff.dependencies.length === 0) return [];
  const out = [
    `${h} Dependencies`,
    '',
    ...table(
      ['ecosystem', 'added', 'removed', 'upgraded', 'downgraded', 'changed'],
      diff.dependencies.map((eco) => [
        mdText(eco.ecosystem),
        String(eco.added.length),
        String(eco.removed.length),
        String(eco.upgraded.length),
        eco.downgraded.length > 0 ? `**${eco.downgraded.length}**` : '0',
        String(eco.changed.length),
      ]),
    ),
  ];
  for (const eco of diff.dependencies) {
    const items = [
      ...eco.upgraded.map((c) => `upgraded ${mdCode(c.name)} ${mdText(c.from)} → ${mdText(c.to)}`),
      ...eco.downgraded.map((c) => `**downgraded** ${mdCode(c.name)} ${mdText(c.from)} → ${mdText(c.to)}`),
      ...eco.added.map((p) => `added ${mdCode(p.name)} ${mdText(p.version)}`),
      ...eco.removed.map((p) => `removed ${mdCode(p.name)} ${mdText(p.version)}`),
      ...eco.changed.map((c) => `changed ${mdCode(c.name)} ${mdText(c.from)} → ${mdText(c.to)}`),
    ];
    out.push(...list(`${mdText(eco.ecosystem)}: ${items.length} package change(s)`, items, context));
  }
  return out;
}

function formatRelative(relative: number | null): string {
  if (relative === null) return '';
  const percent = relative * 100;
  return ` (${percent > 0 ? '+' : percent < 0 ? '−' : '±'}${Math.abs(percent).toFixed(Math.abs(percent) < 1 ? 2 : 1)}%)`;
}

function trainingSection(diff: RecordDiff, h: string, context: Context): string[] {
  const { training } = diff;
  if (training.params.length === 0 && training.metrics.length === 0) return [];
  const out = [`${h} Training`, ''];
  if (training.source.from !== training.source.to) {
    out.push(
      `Run description: ${mdText(training.source.from ?? 'none')} → ${mdText(training.source.to ?? 'none')}`,
      '',
    );
  }
  if (training.metrics.length > 0) {
    out.push(
      ...table(
        ['metric', 'before', 'after', 'change'],
        training.metrics
          .slice(0, context.maxItems)
          .map((metric) => [
            mdCode(metric.key),
            formatMetricValue(metric.from),
            formatMetricValue(metric.to),
            metric.delta === null
              ? '—'
              : `${signed(metric.delta, formatMetric)}${formatRelative(metric.relative)}`,
          ]),
      ),
    );
  }
  if (training.params.length > 0) {
    const rows = training.params.map((param: ValueChange) => [
      mdCode(param.key),
      formatValue(param.from),
      formatValue(param.to),
    ]);
    const rendered = table(['parameter', 'before', 'after'], rows.slice(0, context.maxItems));
    out.push(
      ...(rows.length > context.foldAfter
        ? [
            '<details>',
            `<summary>${rows.length} parameters changed</summary>`,
            '',
            ...rendered,
            '</details>',
            '',
          ]
        : rendered),
    );
  }
  return out;
}

function policySection(diff: RecordDiff, h: string): string[] {
  const { policy } = diff;
  if (policy.changed.length === 0) return [];
  return [
    `${h} Policy`,
    '',
    ...table(
      ['rule', 'level', 'before', 'after', 'message'],
      policy.changed.map((change) => [
        mdCode(change.rule),
        change.level,
        change.from ?? '—',
        change.to === 'fail' ? '**fail**' : (change.to ?? '—'),
        mdText(change.message),
      ]),
    ),
  ];
}

function environmentSection(diff: RecordDiff, h: string, context: Context): string[] {
  if (diff.environment.length === 0) return [];
  const rows = diff.environment.map((change) => [
    mdCode(change.key),
    formatValue(change.from),
    formatValue(change.to),
  ]);
  const rendered = table(['', 'before', 'after'], rows.slice(0, context.maxItems));
  return [
    `${h} Environment`,
    '',
    ...(rows.length > context.foldAfter
      ? [
          '<details>',
          `<summary>${rows.length} changes to the build environment</summary>`,
          '',
          ...rendered,
          '</details>',
          '',
        ]
      : rendered),
  ];
}
