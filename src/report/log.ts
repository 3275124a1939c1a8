/**
 * The ledger as a list of entries with filters (time window, model, dataset, actor, policy
 * outcome), written as a terminal table, JSON or CSV. The HTML report filters the same entries.
 */
import { LedgerError } from '../errors.js';
import { recordFacts, type PolicyOutcome } from './facts.js';
import type { LedgerRow } from './load.js';
import { safetyFindings } from './safety.js';

export interface LogEntry {
  index: number;
  recordedAt: string | null;
  actor: string | null;
  people: string[];
  commit: string | null;
  reason: string;
  pullRequest: number | null;
  models: string[];
  /** The models' digests, in the order of `models`: what `sha256sum` prints for a file. */
  modelDigests: { name: string; sha256: string }[];
  datasets: string[];
  /** `clean` or `dirty` when the record says; null for older records and records without a commit. */
  workingTree: 'clean' | 'dirty' | null;
  /** The paths the record names that differed from the commit when it was made. */
  dirtyPaths: string[];
  /** Models whose pickle scan found something (`name: unsafe`). */
  pickle: string[];
  /** sha256 digests of the record's models and datasets (its subjects). */
  digests: string[];
  policy: PolicyOutcome | null;
  signingMode: string | null;
  signer: string | null;
  signatureVerified: boolean;
  chainVerified: boolean;
  statementSha256: string | null;
  file: string;
  problems: string[];
}

export interface LogFilter {
  since?: Date;
  until?: Date;
  model?: string;
  dataset?: string;
  actor?: string;
  policy?: PolicyOutcome;
  /** A model or dataset sha256 (hex, or `sha256:` and hex): records that hold it. */
  digest?: string;
}

/** Whether a value read back from the cache is a list of log entries (the fields the views read). */
export function isLogEntryList(value: unknown): value is LogEntry[] {
  return (
    Array.isArray(value) &&
    value.every((entry: Partial<Record<keyof LogEntry, unknown>> | null) => {
      if (typeof entry !== 'object' || entry === null) return false;
      const strings = (list: unknown) =>
        Array.isArray(list) && list.every((item) => typeof item === 'string');
      return (
        typeof entry.index === 'number' &&
        typeof entry.file === 'string' &&
        typeof entry.reason === 'string' &&
        typeof entry.signatureVerified === 'boolean' &&
        typeof entry.chainVerified === 'boolean' &&
        strings(entry.problems) &&
        strings(entry.models) &&
        strings(entry.datasets) &&
        strings(entry.digests) &&
        strings(entry.people) &&
        strings(entry.pickle) &&
        strings(entry.dirtyPaths) &&
        Array.isArray(entry.modelDigests)
      );
    })
  );
}

export function logEntry(row: LedgerRow): LogEntry {
  const facts = row.statement ? recordFacts(row.statement) : null;
  return {
    index: row.index,
    recordedAt: row.recordedAt,
    actor: facts?.actor ?? null,
    people: facts?.people ?? [],
    commit: facts?.commit ?? null,
    reason: facts?.reason ?? '',
    pullRequest: facts?.pullRequest?.number ?? null,
    models: facts?.models ?? [],
    modelDigests: (row.statement?.predicate.models ?? []).map((model) => ({
      name: model.name,
      sha256: model.digest.sha256,
    })),
    datasets: facts?.datasets ?? [],
    workingTree: row.statement?.predicate.commit?.workingTree?.state ?? null,
    dirtyPaths: (row.statement?.predicate.commit?.workingTree?.dirty ?? []).map((entry) => entry.path),
    pickle: row.statement
      ? safetyFindings(row.statement).map((finding) => `${finding.model}: ${finding.verdict}`)
      : [],
    digests: row.statement
      ? [...row.statement.predicate.models, ...row.statement.predicate.datasets].map(
          (artifact) => artifact.digest.sha256,
        )
      : [],
    policy: facts?.policy ?? null,
    signingMode: row.signingMode,
    signer: row.signer,
    signatureVerified: row.signatureVerified,
    chainVerified: row.chainVerified,
    statementSha256: row.statementSha256,
    file: row.file,
    problems: row.problems.map((problem) => `${problem.code}: ${problem.message}`),
  };
}

/**
 * A date bound from the command line: `2024-05-01` (a whole day: the start for --since, the end
 * for --until), or a full ISO 8601 time.
 */
export function parseDateBound(text: string, bound: 'since' | 'until'): Date {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  const date = day
    ? new Date(`${text.trim()}T${bound === 'since' ? '00:00:00.000' : '23:59:59.999'}Z`)
    : new Date(text.trim());
  if (Number.isNaN(date.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(text.trim())) {
    throw new LedgerError('USAGE', `"${text}" is not a date`, {
      field: `--${bound}`,
      fix: 'write a date as YYYY-MM-DD (UTC) or an ISO 8601 time such as 2024-05-01T12:00:00Z',
    });
  }
  return date;
}

function matches(values: string[], wanted: string): boolean {
  const needle = wanted.toLowerCase();
  return values.some((value) => value.toLowerCase().includes(needle));
}

/** Entries that pass every filter given; records that cannot be read pass only filters they can answer. */
export function filterEntries(entries: LogEntry[], filter: LogFilter): LogEntry[] {
  return entries.filter((entry) => {
    const time = entry.recordedAt ? Date.parse(entry.recordedAt) : Number.NaN;
    if (filter.since && !(time >= filter.since.getTime())) return false;
    if (filter.until && !(time <= filter.until.getTime())) return false;
    if (filter.model !== undefined && !matches(entry.models, filter.model)) return false;
    if (filter.dataset !== undefined && !matches(entry.datasets, filter.dataset)) return false;
    if (
      filter.actor !== undefined &&
      !entry.people.some((person) => person.toLowerCase() === filter.actor?.toLowerCase())
    )
      return false;
    if (filter.policy !== undefined && entry.policy !== filter.policy) return false;
    if (
      filter.digest !== undefined &&
      !entry.digests.includes(filter.digest.toLowerCase().replace(/^sha256:/, ''))
    )
      return false;
    return true;
  });
}

function status(entry: LogEntry): string {
  if (entry.signatureVerified && entry.chainVerified) return 'ok';
  if (!entry.signatureVerified) return 'FAILED';
  return 'CHAIN';
}

function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

/** A fixed-width table for terminals. */
export function formatTable(entries: LogEntry[]): string {
  const header = [
    '#',
    'recorded (UTC)',
    'status',
    'actor',
    'commit',
    'policy',
    'models',
    'datasets',
    'reason',
  ];
  const rows = entries.map((entry) => [
    String(entry.index),
    entry.recordedAt ? entry.recordedAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, '') : '-',
    status(entry),
    truncate(entry.actor ?? '-', 20),
    entry.commit ? `${entry.commit.slice(0, 8)}${entry.workingTree === 'dirty' ? '+dirty' : ''}` : '-',
    entry.policy ?? '-',
    truncate(entry.models.join(',') || '-', 30),
    truncate(entry.datasets.join(',') || '-', 24),
    truncate(entry.reason || '-', 50),
  ]);
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

const CSV_COLUMNS: (keyof LogEntry | 'modelSha256')[] = [
  'index',
  'recordedAt',
  'actor',
  'commit',
  'workingTree',
  'pullRequest',
  'reason',
  'models',
  'modelSha256',
  'pickle',
  'datasets',
  'policy',
  'signingMode',
  'signer',
  'signatureVerified',
  'chainVerified',
  'statementSha256',
  'file',
];

/**
 * RFC 4180 CSV. A text cell that a spreadsheet would run as a formula (=, +, -, @ first) gets a
 * leading apostrophe: reasons and commit messages are written by people, not by us.
 */
export function csvCell(value: unknown): string {
  let text = Array.isArray(value)
    ? value.join(';')
    : typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : '';
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text))
    text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function formatCsv(entries: LogEntry[]): string {
  return [
    CSV_COLUMNS.join(','),
    ...entries.map((entry) =>
      CSV_COLUMNS.map((column) =>
        csvCell(column === 'modelSha256' ? entry.modelDigests.map((model) => model.sha256) : entry[column]),
      ).join(','),
    ),
  ].join('\r\n');
}
