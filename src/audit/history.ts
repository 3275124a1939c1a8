/**
 * The git history an audit walks: the commits of one branch, oldest first, each with the paths
 * it changed. First-parent by default (a merge counts as one change, compared with the branch
 * it landed on); with `allParents`, every commit, merges showing only what the merge itself
 * changed. A shallow clone's boundary commits are reported, never read as root commits.
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';

import { git, runGit } from '../git/command.js';
import { LedgerError, errnoCode } from '../errors.js';

export interface HistoryCommit {
  sha: string;
  tree: string;
  parents: string[];
  author: { name: string; email: string };
  /** Author date, ISO 8601. */
  authorDate: string;
  /** Committer date, ISO 8601: when the commit was made on the branch; --since/--until use it. */
  committerDate: string;
  subject: string;
  /** Paths changed (old and new path of a rename); unknown (null) at a shallow boundary. */
  paths: string[] | null;
  /** Whether the commit is on the branch's first-parent line. */
  firstParent: boolean;
}

export interface ShallowBoundary {
  /** Commits whose parents this clone does not have. */
  commits: HistoryCommit[];
}

export interface History {
  /** The ref walked and the commit it named. */
  ref: string;
  head: string;
  /** Oldest first: first-parent order, or topological order with `allParents`. */
  commits: HistoryCommit[];
  /** For every commit, the first-parent commit that brought it onto the branch (itself when on the line). */
  landing: Map<string, string>;
  /** Set when the clone is shallow: what could not be seen lies before these commits. */
  shallow: ShallowBoundary | null;
}

export interface ReadHistoryOptions {
  cwd: string;
  /** Branch or ref to walk; default HEAD. */
  ref?: string;
  allParents?: boolean;
}

const RECORD_SEPARATOR = '\x1e';
const FIELD_SEPARATOR = '\x1f';
const FORMAT = ['%H', '%T', '%P', '%an', '%ae', '%aI', '%cI', '%s'].join('%x1f');

/** Parses `git log -z --name-only --format=%x1e<fields>` output. */
export function parseLog(output: string): HistoryCommit[] {
  const commits: HistoryCommit[] = [];
  for (const chunk of output.split(RECORD_SEPARATOR)) {
    if (chunk === '') continue;
    const end = chunk.indexOf('\0');
    const header = end === -1 ? chunk : chunk.slice(0, end);
    const body = end === -1 ? '' : chunk.slice(end + 1).replace(/^\n/, '');
    const [
      sha = '',
      tree = '',
      parents = '',
      name = '',
      email = '',
      authorDate = '',
      committerDate = '',
      subject = '',
    ] = header.split(FIELD_SEPARATOR);
    commits.push({
      sha,
      tree,
      parents: parents.split(' ').filter((parent) => parent !== ''),
      author: { name, email },
      authorDate,
      committerDate,
      subject,
      paths: body.split('\0').filter((path) => path !== ''),
      firstParent: true,
    });
  }
  return commits;
}

async function logCommits(cwd: string, head: string, extra: string[]): Promise<HistoryCommit[]> {
  return parseLog(
    await git(cwd, [
      '-c',
      'core.quotepath=off',
      'log',
      '--reverse',
      '--no-renames',
      '--name-only',
      '-z',
      `--format=${RECORD_SEPARATOR}${FORMAT}`,
      ...extra,
      head,
      '--',
    ]),
  );
}

/** The commits at a shallow clone's boundary (from `.git/shallow`); empty for a full clone. */
async function shallowCommits(cwd: string): Promise<Set<string> | null> {
  const shallow = await git(cwd, ['rev-parse', '--is-shallow-repository']);
  if (shallow.trim() !== 'true') return null;
  const path = (await git(cwd, ['rev-parse', '--git-path', 'shallow'])).trim();
  try {
    const text = await readFile(isAbsolute(path) ? path : join(cwd, path), 'utf8');
    return new Set(text.split('\n').filter((line) => line !== ''));
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return new Set();
    throw new LedgerError('GIT', 'cannot read the shallow clone boundary', { file: path, cause: error });
  }
}

/** Reads a branch's history with the paths each commit changed. */
export async function readHistory(options: ReadHistoryOptions): Promise<History> {
  const ref = options.ref ?? 'HEAD';
  const resolved = await runGit(options.cwd, ['rev-parse', '--verify', '-q', `${ref}^{commit}`]);
  if (!resolved.ok) {
    throw new LedgerError('GIT', `"${ref}" is not a commit in this repository`, {
      file: options.cwd,
      field: '--branch',
      fix: 'name a branch, tag or commit of the repository (default: HEAD); run the audit in the repository',
    });
  }
  const head = resolved.stdout.trim();
  const line = await logCommits(options.cwd, head, ['--first-parent', '--diff-merges=first-parent']);
  const onLine = new Set(line.map((commit) => commit.sha));
  let commits = line;
  if (options.allParents) {
    // Merges show what the merge itself changed (dense combined): the rest was changed by the
    // commits it brought in, which are listed themselves.
    commits = (await logCommits(options.cwd, head, ['--topo-order', '--diff-merges=dense-combined'])).map(
      (commit) => ({ ...commit, firstParent: onLine.has(commit.sha) }),
    );
  }
  const landing = await landings(options.cwd, line, onLine, options.allParents === true);
  const boundary = await shallowCommits(options.cwd);
  let shallow: ShallowBoundary | null = null;
  if (boundary) {
    shallow = { commits: [] };
    for (const commit of commits) {
      if (!boundary.has(commit.sha)) continue;
      commit.paths = null; // git shows a boundary commit as adding every file: that is not what it changed
      shallow.commits.push(commit);
    }
  }
  return { ref, head, commits, landing, shallow };
}

/** For each commit, the first-parent commit that brought it in: a merge for a branch's commits. */
async function landings(
  cwd: string,
  line: HistoryCommit[],
  onLine: Set<string>,
  allParents: boolean,
): Promise<Map<string, string>> {
  const landing = new Map<string, string>(line.map((commit) => [commit.sha, commit.sha]));
  if (!allParents) return landing;
  for (const merge of line) {
    const [first, ...others] = merge.parents;
    if (first === undefined || others.length === 0) continue;
    const brought = await git(cwd, ['rev-list', ...others, `^${first}`]);
    for (const sha of brought.split('\n')) {
      if (sha !== '' && !onLine.has(sha) && !landing.has(sha)) landing.set(sha, merge.sha);
    }
  }
  return landing;
}
