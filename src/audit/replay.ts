/**
 * `audit replay`: records rebuilt from their commits. Each record tried is checked out in a
 * temporary worktree, its replayable sections collected again and compared with what was signed.
 * The replay rate is the share of records tried whose every replayable section matches.
 */
import { LedgerError, describeError } from '../errors.js';
import type { RecordPredicate } from '../record/predicate.js';
import type { LoadedLedger, LedgerRow } from '../report/load.js';
import { formatPercent } from './percent.js';
import { NOT_REPLAYABLE, SECTION_REPLAYS, type SectionReplay } from './sections.js';
import { hasCommit, withWorktree, WorktreeUnavailable } from './worktree.js';
import { seededRandom } from './seeded-random.js';

export type ReplaySelection = { indexes: number[] } | { all: true } | { sample: number; seed?: number };

export interface ReplayOptions {
  /** The repository root. */
  cwd: string;
  ledger: LoadedLedger;
  select: ReplaySelection;
}

export interface RecordReplay {
  index: number;
  commit: string | null;
  /** match: every replayable section matches; mismatch: one does not; not-replayable: nothing could be rebuilt. */
  status: 'match' | 'mismatch' | 'not-replayable';
  /** Why the record as a whole could not be replayed (unverified, no commit, commit not in this clone). */
  reason?: string;
  sections: SectionReplay[];
}

export interface ReplayReport {
  tried: number;
  /** Records whose replayable sections all match. */
  matched: number;
  mismatched: number;
  notReplayable: number;
  /** matched / (tried - notReplayable) × 100; null when nothing could be replayed. */
  rate: number | null;
  summary: string;
  records: RecordReplay[];
  /** Sections never rebuilt from the repository, with why. */
  neverReplayable: { section: string; reason: string }[];
  ok: boolean;
}

/** The rows a selection names, in chain order. */
export function selectRows(rows: LedgerRow[], select: ReplaySelection): LedgerRow[] {
  if ('all' in select) return rows;
  if ('indexes' in select) {
    return select.indexes.map((index) => {
      const row = rows.find((candidate) => candidate.index === index);
      if (!row) {
        throw new LedgerError('USAGE', `the ledger has no record ${index}`, {
          field: 'audit replay',
          fix: `name a record from 0 to ${Math.max(0, ...rows.map((candidate) => candidate.index))}`,
        });
      }
      return row;
    });
  }
  const next = seededRandom(select.seed ?? Date.now());
  const pool = [...rows];
  for (let index = pool.length - 1; index > 0; index--) {
    const other = Math.floor(next() * (index + 1));
    [pool[index], pool[other]] = [pool[other] as LedgerRow, pool[index] as LedgerRow];
  }
  return pool.slice(0, select.sample).sort((a, b) => a.index - b.index);
}

/** Every section of one record, rebuilt in a worktree at its commit. */
function replaySections(
  cwd: string,
  commit: string,
  predicate: RecordPredicate,
  previous: LedgerRow | undefined,
): Promise<SectionReplay[]> {
  return withWorktree(cwd, commit, async (dir) => {
    const results: SectionReplay[] = [];
    for (const { section, replay } of SECTION_REPLAYS) {
      try {
        results.push(await replay({ dir, predicate, previous: previous?.statement?.predicate ?? null }));
      } catch (error) {
        if (!(error instanceof LedgerError)) throw error;
        // What the record says could not be collected from its commit at all: that is a difference.
        results.push({
          section,
          status: 'mismatch',
          differences: [
            {
              field: section,
              recorded: 'as recorded',
              rebuilt: `cannot be collected: ${describeError(error)}`,
            },
          ],
          notReplayable: [],
        });
      }
    }
    return results;
  });
}

async function replayRow(
  cwd: string,
  row: LedgerRow,
  previous: LedgerRow | undefined,
): Promise<RecordReplay> {
  const predicate = row.statement?.predicate;
  const commit = predicate?.commit?.sha ?? null;
  const skip = (reason: string): RecordReplay => ({
    index: row.index,
    commit,
    status: 'not-replayable',
    reason,
    sections: [],
  });
  if (!predicate || !row.signatureVerified)
    return skip('the record did not verify: what it says cannot be trusted');
  if (!commit) return skip('the record names no commit');
  if (!(await hasCommit(cwd, commit)))
    return skip(`commit ${commit} is not in this clone (shallow, rebased away or another repository)`);
  let sections: SectionReplay[];
  try {
    sections = await replaySections(cwd, commit, predicate, previous);
  } catch (error) {
    if (error instanceof WorktreeUnavailable) return skip(error.message);
    throw error;
  }
  const replayed = sections.filter((section) => section.status !== 'not-replayable');
  const status =
    replayed.length === 0
      ? 'not-replayable'
      : replayed.some((section) => section.status === 'mismatch')
        ? 'mismatch'
        : 'match';
  return { index: row.index, commit, status, sections };
}

export async function auditReplay(options: ReplayOptions): Promise<ReplayReport> {
  const rows = options.ledger.rows;
  const chosen = selectRows(rows, options.select);
  const records: RecordReplay[] = [];
  for (const row of chosen) {
    const previous = rows.find((candidate) => candidate.index === row.index - 1);
    records.push(await replayRow(options.cwd, row, previous));
  }
  const matched = records.filter((record) => record.status === 'match').length;
  const mismatched = records.filter((record) => record.status === 'mismatch').length;
  const notReplayable = records.length - matched - mismatched;
  const replayable = matched + mismatched;
  const rate = replayable === 0 ? null : (matched / replayable) * 100;
  const shown =
    rate === null
      ? 'no record could be replayed'
      : `${matched} of ${replayable} replayed record${replayable === 1 ? ' matches' : 's match'}, ${formatPercent(matched, replayable)}`;
  return {
    tried: records.length,
    matched,
    mismatched,
    notReplayable,
    rate,
    summary: notReplayable > 0 ? `${shown} (${notReplayable} not replayable)` : shown,
    records,
    neverReplayable: [...NOT_REPLAYABLE],
    ok: mismatched === 0,
  };
}
