/**
 * Audit reports written for people (a terminal table), for programs (JSON, numbers as numbers)
 * and for spreadsheets (CSV, one row per change or per compared field).
 */
import { csvCell } from '../report/log.js';
import type { CompletenessReport } from './completeness.js';
import type { ReplayReport } from './replay.js';
import type { SpeedFigures } from './timing.js';

function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]): string =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

function shortDate(iso: string): string {
  return iso.replace('T', ' ').replace(/([+-]\d{2}:\d{2}|Z)$/, '');
}

function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

/** `retrieve and verify one record: by index 3 4.1 ms, by model digest … 5.0 ms, by date … 2.2 ms`. */
export function formatSpeed(speed: SpeedFigures): string {
  const parts: string[] = [];
  const found = (index: number | null): string => (index === null ? 'none found' : `record ${index}`);
  if (speed.byIndex) parts.push(`by index ${speed.byIndex.wanted} ${speed.byIndex.ms} ms`);
  if (speed.byDigest)
    parts.push(
      `by model digest ${speed.byDigest.digest.slice(0, 19)}… (${found(speed.byDigest.index)}) ${speed.byDigest.ms} ms`,
    );
  if (speed.byDate)
    parts.push(`by date ${speed.byDate.date} (${found(speed.byDate.index)}) ${speed.byDate.ms} ms`);
  return parts.length === 0
    ? 'retrieve and verify one record: the ledger has no verified record to look up'
    : `retrieve and verify one record: ${parts.join('; ')}`;
}

export function completenessTable(report: CompletenessReport, speed: SpeedFigures | null): string {
  const lines = [
    `${report.summary} (${report.mode}, ${report.firstParent ? 'first-parent' : 'all-parents'} history of ${report.ref} at ${report.head.slice(0, 12)}, minimum ${report.min}%)`,
  ];
  if (report.unrecorded.length > 0) {
    lines.push('', 'unrecorded changes:');
    lines.push(
      table(
        ['commit', 'date', 'author', 'paths', 'subject'],
        report.unrecorded.map((change) => [
          change.commit.sha.slice(0, 12),
          shortDate(change.commit.authorDate),
          `${change.commit.author.name} <${change.commit.author.email}>`,
          truncate(change.paths.join(', '), 60),
          truncate(change.commit.subject, 50),
        ]),
      ),
    );
  }
  if (report.recordsOutsideHistory.length > 0) {
    lines.push(
      '',
      `records of commits not on this history (rebased, amended, another branch): ${report.recordsOutsideHistory
        .map((record) => `${record.index} (${record.commit.slice(0, 12)})`)
        .join(', ')}`,
    );
  }
  if (report.unverifiedRecords.length > 0)
    lines.push('', `records that did not verify and cover nothing: ${report.unverifiedRecords.join(', ')}`);
  if (report.shallow) lines.push('', report.shallow.message);
  if (speed) lines.push('', formatSpeed(speed));
  return lines.join('\n');
}

const COMPLETENESS_COLUMNS = [
  'commit',
  'date',
  'author',
  'email',
  'recorded',
  'record',
  'how',
  'paths',
  'subject',
];

export function completenessCsv(report: CompletenessReport): string {
  return [
    COMPLETENESS_COLUMNS.join(','),
    ...report.changes.map((change) =>
      [
        change.commit.sha,
        change.commit.authorDate,
        change.commit.author.name,
        change.commit.author.email,
        change.coveredBy !== null,
        change.coveredBy?.index ?? '',
        change.coveredBy?.how ?? '',
        change.paths,
        change.commit.subject,
      ]
        .map(csvCell)
        .join(','),
    ),
  ].join('\r\n');
}

function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return truncate(text, 200);
}

export function replayTable(report: ReplayReport, speed: SpeedFigures | null): string {
  const lines: string[] = [];
  for (const record of report.records) {
    const commit = record.commit ? ` (${record.commit.slice(0, 12)})` : '';
    lines.push(
      `record ${record.index}${commit}: ${record.status === 'mismatch' ? 'MISMATCH' : record.status}`,
    );
    if (record.reason) lines.push(`  ${record.reason}`);
    for (const section of record.sections) {
      lines.push(
        `  ${section.section.padEnd(13)}${section.status === 'mismatch' ? 'MISMATCH' : section.status}`,
      );
      for (const difference of section.differences)
        lines.push(
          `    ${difference.field}: recorded ${shown(difference.recorded)}, rebuilt ${shown(difference.rebuilt)}`,
        );
      for (const reason of section.notReplayable) lines.push(`    not replayable: ${reason}`);
    }
  }
  lines.push(
    '',
    `not replayable from the repository: ${report.neverReplayable.map((item) => `${item.section} (${item.reason})`).join('; ')}`,
    '',
    `replay: ${report.summary}`,
  );
  if (speed) lines.push(formatSpeed(speed));
  return lines.join('\n');
}

const REPLAY_COLUMNS = ['record', 'commit', 'section', 'status', 'field', 'recorded', 'rebuilt'];

export function replayCsv(report: ReplayReport): string {
  const rows: unknown[][] = [];
  for (const record of report.records) {
    if (record.sections.length === 0)
      rows.push([record.index, record.commit ?? '', '', record.status, '', '', record.reason ?? '']);
    for (const section of record.sections) {
      if (section.differences.length === 0)
        rows.push([record.index, record.commit ?? '', section.section, section.status, '', '', '']);
      for (const difference of section.differences)
        rows.push([
          record.index,
          record.commit ?? '',
          section.section,
          section.status,
          difference.field,
          JSON.stringify(difference.recorded),
          JSON.stringify(difference.rebuilt),
        ]);
    }
  }
  return [REPLAY_COLUMNS.join(','), ...rows.map((row) => row.map(csvCell).join(','))].join('\r\n');
}

function markdownCell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ')
    .replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;'));
}

/** The job summary of a scheduled audit: the figure, the unrecorded changes, what could not be seen, the timings. */
export function completenessMarkdown(report: CompletenessReport, speed: SpeedFigures | null): string {
  const verdict = report.ok ? 'meets' : 'is below';
  const lines = [
    '### Model ledger completeness',
    '',
    `**${report.summary}** — ${verdict} the minimum of ${report.min}% (${report.mode}, ${report.firstParent ? 'first-parent' : 'all-parents'} history at \`${report.head.slice(0, 12)}\`)`,
  ];
  if (report.unrecorded.length > 0) {
    lines.push('', '| commit | date | author | paths | subject |', '| --- | --- | --- | --- | --- |');
    for (const change of report.unrecorded.slice(0, 100)) {
      lines.push(
        `| \`${change.commit.sha.slice(0, 12)}\` | ${markdownCell(shortDate(change.commit.authorDate))} | ${markdownCell(`${change.commit.author.name} <${change.commit.author.email}>`)} | ${markdownCell(truncate(change.paths.join(', '), 120))} | ${markdownCell(truncate(change.commit.subject, 80))} |`,
      );
    }
    if (report.unrecorded.length > 100)
      lines.push('', `… and ${report.unrecorded.length - 100} more (see \`--format csv\`)`);
  }
  if (report.shallow) lines.push('', `> ${markdownCell(report.shallow.message)}`);
  if (speed) lines.push('', markdownCell(formatSpeed(speed)));
  return `${lines.join('\n')}\n`;
}
