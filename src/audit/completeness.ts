/**
 * `audit completeness`: every commit of a branch that changed a tracked path, and whether a
 * verified record covers it. The figure is recorded / changes; below `min` percent the audit
 * fails. A shallow clone is audited as far as it reaches, and the report says where that ends.
 */
import { runGit } from '../git/command.js';
import type { LedgerConfig } from '../config/load.js';
import type { LoadedLedger } from '../report/load.js';
import { formatPercent } from './percent.js';
import { computeCoverage, type ChangeVerdict, type CoverageMode, type CoveringRecord } from './coverage.js';
import { readHistory } from './history.js';
import { trackedPaths, type TrackedPattern } from './tracked.js';

export interface CompletenessOptions {
  /** The repository root. */
  cwd: string;
  ledger: LoadedLedger;
  config: LedgerConfig;
  configFile?: string;
  /** Branch or ref to walk (default HEAD). */
  ref?: string;
  allParents?: boolean;
  mode?: CoverageMode;
  since?: Date;
  until?: Date;
  /** The lowest acceptable percentage (default 100). */
  min?: number;
}

export interface ShallowReport {
  /** The commits at the boundary: their own change and everything before them could not be seen. */
  boundary: { sha: string; date: string; subject: string }[];
  /** Records whose commit this clone does not hold: they could not be placed. */
  recordsNotInClone: number[];
  message: string;
}

export interface CompletenessReport {
  ref: string;
  head: string;
  mode: CoverageMode;
  firstParent: boolean;
  since: string | null;
  until: string | null;
  total: number;
  recorded: number;
  /** recorded / total × 100; 100 when there were no changes. */
  percent: number;
  min: number;
  ok: boolean;
  /** One line: `37 of 40 model changes recorded, 92.5%`. */
  summary: string;
  changes: ChangeVerdict[];
  unrecorded: ChangeVerdict[];
  tracked: TrackedPattern[];
  lockfilesByName: boolean;
  /** Verified records whose commit is not on the history walked. */
  recordsOutsideHistory: { index: number; commit: string }[];
  /** Records that did not verify: they cover nothing. */
  unverifiedRecords: number[];
  /** Records that name no commit (made outside a git repository): they cover nothing. */
  recordsWithoutCommit: number[];
  shallow: ShallowReport | null;
}

export async function auditCompleteness(options: CompletenessOptions): Promise<CompletenessReport> {
  const mode = options.mode ?? 'every-commit';
  const min = options.min ?? 100;
  const history = await readHistory({
    cwd: options.cwd,
    ...(options.ref === undefined ? {} : { ref: options.ref }),
    ...(options.allParents ? { allParents: true } : {}),
  });
  const predicates = options.ledger.rows.flatMap((row) =>
    row.statement && row.signatureVerified ? [row.statement.predicate] : [],
  );
  const tracked = trackedPaths({
    config: options.config,
    ...(options.configFile === undefined ? {} : { configFile: options.configFile }),
    records: predicates,
  });
  const covering: CoveringRecord[] = [];
  const unverifiedRecords: number[] = [];
  const recordsWithoutCommit: number[] = [];
  for (const row of options.ledger.rows) {
    const commit = row.statement?.predicate.commit;
    if (!row.signatureVerified || !row.chainVerified) unverifiedRecords.push(row.index);
    else if (!commit) recordsWithoutCommit.push(row.index);
    else covering.push({ index: row.index, commit: commit.sha, tree: commit.tree });
  }
  const coverage = computeCoverage({
    history,
    tracked,
    records: covering,
    mode,
    ...(options.since ? { since: options.since } : {}),
    ...(options.until ? { until: options.until } : {}),
  });
  const total = coverage.changes.length;
  const recorded = coverage.changes.filter((change) => change.coveredBy !== null).length;
  const percent = total === 0 ? 100 : (recorded / total) * 100;
  const unrecorded = coverage.changes.filter((change) => change.coveredBy === null);
  return {
    ref: history.ref,
    head: history.head,
    mode,
    firstParent: options.allParents !== true,
    since: options.since?.toISOString() ?? null,
    until: options.until?.toISOString() ?? null,
    total,
    recorded,
    percent,
    min,
    ok: percent >= min,
    summary: `${recorded} of ${total} model change${total === 1 ? '' : 's'} recorded, ${formatPercent(recorded, total)}`,
    changes: coverage.changes,
    unrecorded,
    tracked: tracked.patterns,
    lockfilesByName: tracked.lockfilesByName,
    recordsOutsideHistory: coverage.outside.map((record) => ({ index: record.index, commit: record.commit })),
    unverifiedRecords,
    recordsWithoutCommit,
    shallow: history.shallow
      ? await shallowReport(options.cwd, history.shallow.commits, coverage.outside)
      : null,
  };
}

async function shallowReport(
  cwd: string,
  boundary: { sha: string; committerDate: string; subject: string }[],
  outside: CoveringRecord[],
): Promise<ShallowReport> {
  const recordsNotInClone: number[] = [];
  for (const record of outside) {
    const present = await runGit(cwd, ['cat-file', '-e', `${record.commit}^{commit}`]);
    if (!present.ok) recordsNotInClone.push(record.index);
  }
  const oldest = boundary.map((commit) => commit.sha.slice(0, 12)).join(', ');
  const notInClone =
    recordsNotInClone.length === 0
      ? ''
      : `; ${recordsNotInClone.length} record(s) name commits this clone does not hold (${recordsNotInClone.join(', ')}) and were not placed`;
  return {
    boundary: boundary.map((commit) => ({
      sha: commit.sha,
      date: commit.committerDate,
      subject: commit.subject,
    })),
    recordsNotInClone,
    message:
      `shallow clone: history before ${oldest || 'the boundary'} is not in this clone, so changes made there (and what the boundary commit itself changed) ` +
      `could not be seen and are not counted${notInClone}; fetch the whole history (\`git fetch --unshallow\`, or \`fetch-depth: 0\` in actions/checkout) for a complete audit`,
  };
}
