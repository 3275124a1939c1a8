/**
 * Which changes to tracked paths a record covers. `every-commit`: the record of the commit, or
 * of a later commit (a descendant) before the next change to tracked paths. `every-merge`: the
 * record of the first-parent commit that brought the change onto the branch (the merge), or of a
 * later first-parent commit before the next such landing. A record of a rewritten commit
 * (rebased, amended) covers a commit only when both have the same tree: the same content.
 */
import type { History, HistoryCommit } from './history.js';
import type { TrackedKind, TrackedPaths } from './tracked.js';

export type CoverageMode = 'every-commit' | 'every-merge';

/** A record that can cover a change: it verified, and it names a commit. */
export interface CoveringRecord {
  index: number;
  commit: string;
  tree: string;
}

export type CoveredHow = 'same-commit' | 'later-commit' | 'merge' | 'same-tree';

export interface ChangeVerdict {
  commit: HistoryCommit;
  /** The tracked paths the commit changed. */
  paths: string[];
  kinds: TrackedKind[];
  coveredBy: { index: number; commit: string; how: CoveredHow } | null;
}

export interface CoverageOptions {
  history: History;
  tracked: TrackedPaths;
  records: CoveringRecord[];
  mode: CoverageMode;
  /** Only changes committed in this window are counted (committer date). */
  since?: Date;
  until?: Date;
}

export interface Coverage {
  changes: ChangeVerdict[];
  /** Records whose commit is not in the history walked (rebased, another branch, beyond a shallow boundary). */
  outside: CoveringRecord[];
}

function trackedChange(
  commit: HistoryCommit,
  tracked: TrackedPaths,
): { paths: string[]; kinds: TrackedKind[] } {
  const paths: string[] = [];
  const kinds = new Set<TrackedKind>();
  for (const path of commit.paths ?? []) {
    const pattern = tracked.match(path);
    if (!pattern) continue;
    paths.push(path);
    kinds.add(pattern.kind);
  }
  return { paths, kinds: [...kinds] };
}

function inWindow(commit: HistoryCommit, since: Date | undefined, until: Date | undefined): boolean {
  const time = Date.parse(commit.committerDate);
  if (since && !(time >= since.getTime())) return false;
  if (until && !(time <= until.getTime())) return false;
  return true;
}

export function computeCoverage(options: CoverageOptions): Coverage {
  const { history, mode } = options;
  const commits = history.commits;
  const position = new Map(commits.map((commit, index) => [commit.sha, index]));
  const parents = new Map(commits.map((commit) => [commit.sha, commit.parents]));
  const byCommit = new Map<string, CoveringRecord>();
  const byTree = new Map<string, CoveringRecord>();
  const outside: CoveringRecord[] = [];
  for (const record of options.records) {
    if (position.has(record.commit)) {
      if (!byCommit.has(record.commit)) byCommit.set(record.commit, record);
    } else {
      outside.push(record);
      if (record.tree !== '' && !byTree.has(record.tree)) byTree.set(record.tree, record);
    }
  }

  const changed = commits.map((commit) => trackedChange(commit, options.tracked));
  const isChange = changed.map((change) => change.paths.length > 0);
  const line = commits.filter((commit) => commit.firstParent);
  const linePosition = new Map(line.map((commit, index) => [commit.sha, index]));
  const landingOf = (sha: string): string => history.landing.get(sha) ?? sha;
  const landsChange = new Set(
    commits.filter((_, index) => isChange[index]).map((commit) => landingOf(commit.sha)),
  );

  /** Whether `later` descends from `earlier` through commits of the walk. */
  const descends = (later: string, earlier: string): boolean => {
    const stack = [later];
    const seen = new Set<string>();
    while (stack.length > 0) {
      const sha = stack.pop() as string;
      if (sha === earlier) return true;
      if (seen.has(sha) || !position.has(sha)) continue;
      seen.add(sha);
      stack.push(...(parents.get(sha) ?? []));
    }
    return false;
  };

  const everyCommit = (index: number, commit: HistoryCommit): ChangeVerdict['coveredBy'] => {
    for (let next = index + 1; next < commits.length && !isChange[next]; next++) {
      const later = commits[next] as HistoryCommit;
      const record = byCommit.get(later.sha);
      if (record && descends(later.sha, commit.sha))
        return { index: record.index, commit: later.sha, how: 'later-commit' };
    }
    return null;
  };

  const everyMerge = (commit: HistoryCommit): ChangeVerdict['coveredBy'] => {
    const landing = linePosition.get(landingOf(commit.sha));
    if (landing === undefined) return null;
    for (let next = landing; next < line.length; next++) {
      const later = line[next] as HistoryCommit;
      if (next > landing && landsChange.has(later.sha)) break;
      const record = byCommit.get(later.sha);
      if (record)
        return { index: record.index, commit: later.sha, how: next === landing ? 'merge' : 'later-commit' };
    }
    return null;
  };

  const changes: ChangeVerdict[] = [];
  commits.forEach((commit, index) => {
    if (!isChange[index] || !inWindow(commit, options.since, options.until)) return;
    const own = byCommit.get(commit.sha);
    const sameTree = byTree.get(commit.tree);
    const coveredBy: ChangeVerdict['coveredBy'] = own
      ? { index: own.index, commit: commit.sha, how: 'same-commit' }
      : ((mode === 'every-merge' ? everyMerge(commit) : everyCommit(index, commit)) ??
        (sameTree ? { index: sameTree.index, commit: sameTree.commit, how: 'same-tree' } : null));
    changes.push({ commit, ...(changed[index] as { paths: string[]; kinds: TrackedKind[] }), coveredBy });
  });
  return { changes, outside };
}
