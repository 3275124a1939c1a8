import { gitHubFailureText } from '../github/client.js';
import type { GitHubAvailability } from '../github/context.js';
import type {
  ChangedFile,
  CommitSection,
  DirtyPath,
  GitPerson,
  WorkingTreeState,
} from '../record/predicate.js';
import { compileGlob, hasGlobMagic } from '../fs/glob.js';
import { git, runGit } from '../git/command.js';
import type { CollectContext, Collector } from './types.js';

/** More changed files than this are cut, with a note: the record lists a change, not a tree. */
export const MAX_CHANGED_FILES = 5000;

/** Parses `Name <email> 1700000000 +0100` from a raw commit header into a person with an ISO date. */
export function parsePersonLine(line: string): GitPerson {
  const match = /^(.*) <([^>]*)> (\d+) ([+-])(\d{2})(\d{2})$/.exec(line);
  if (!match) return { name: line, email: '', date: '' };
  const [, name, email, seconds, sign, hours, minutes] = match as unknown as string[];
  const offsetMinutes = (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes));
  const local = new Date((Number(seconds) + offsetMinutes * 60) * 1000).toISOString().replace(/\.000Z$/, '');
  return { name: name as string, email: email as string, date: `${local}${sign}${hours}:${minutes}` };
}

interface RawCommit {
  tree: string;
  parents: string[];
  author: GitPerson;
  committer: GitPerson;
  signed: boolean;
  message: string;
}

/** Reads the headers of `git cat-file commit` output; the message is everything after the blank line. */
export function parseRawCommit(raw: string): RawCommit {
  const split = raw.indexOf('\n\n');
  const headerText = split === -1 ? raw : raw.slice(0, split);
  const message = split === -1 ? '' : raw.slice(split + 2);
  const commit: RawCommit = {
    tree: '',
    parents: [],
    author: { name: '', email: '', date: '' },
    committer: { name: '', email: '', date: '' },
    signed: false,
    message,
  };
  for (const line of headerText.split('\n')) {
    if (line.startsWith(' ')) continue; // continuation of a multi-line header (a signature)
    const space = line.indexOf(' ');
    const key = line.slice(0, space);
    const value = line.slice(space + 1);
    if (key === 'tree') commit.tree = value;
    else if (key === 'parent') commit.parents.push(value);
    else if (key === 'author') commit.author = parsePersonLine(value);
    else if (key === 'committer') commit.committer = parsePersonLine(value);
    else if (key === 'gpgsig' || key === 'gpgsig-sha256') commit.signed = true;
  }
  return commit;
}

/** Removes credentials from a remote URL and turns scp-like `git@host:owner/repo` into https. */
export function publicRepositoryUrl(remote: string): string {
  const trimmed = remote.trim();
  const scp = /^[\w.-]+@([\w.-]+):(.+)$/.exec(trimmed);
  if (scp) return `https://${scp[1]}/${(scp[2] as string).replace(/\.git$/, '')}`;
  try {
    const url = new URL(trimmed);
    url.username = '';
    url.password = '';
    return url.toString().replace(/\.git$/, '');
  } catch {
    return trimmed;
  }
}

export async function repositoryUrl(context: CollectContext): Promise<string> {
  const { env } = context;
  if (env.GITHUB_REPOSITORY)
    return `${env.GITHUB_SERVER_URL || 'https://github.com'}/${env.GITHUB_REPOSITORY}`;
  const remote = await runGit(context.cwd, ['remote', 'get-url', 'origin']);
  return remote.ok ? publicRepositoryUrl(remote.stdout) : '';
}

const STATUS_BY_LETTER: Record<string, ChangedFile['status']> = {
  A: 'added',
  M: 'modified',
  D: 'deleted',
  R: 'renamed',
  C: 'copied',
  T: 'type-changed',
};

/** Parses `git diff --name-status -z` output: `M\0path\0`, `R087\0old\0new\0`. */
export function parseNameStatus(output: string): ChangedFile[] {
  const fields = output.split('\0');
  const files: ChangedFile[] = [];
  let index = 0;
  while (index < fields.length) {
    const code = fields[index] ?? '';
    index += 1;
    if (code === '') continue;
    const status = STATUS_BY_LETTER[code[0] as string];
    if (code[0] === 'R' || code[0] === 'C') {
      const from = fields[index] ?? '';
      const to = fields[index + 1] ?? '';
      index += 2;
      files.push({ path: to, status: status as ChangedFile['status'], previousPath: from });
    } else {
      const path = fields[index] ?? '';
      index += 1;
      // U (unmerged) and X (unknown) never appear between two commits; keep them as modified.
      files.push({ path, status: status ?? 'modified' });
    }
  }
  return files;
}

async function commitExists(cwd: string, sha: string): Promise<boolean> {
  return (await runGit(cwd, ['cat-file', '-e', `${sha}^{commit}`])).ok;
}

/**
 * The commit the change is measured from: the previous record's commit when this clone has it,
 * else the first parent; `null` for a root commit; `undefined` when neither is in the clone.
 * `previousInClone`: whether the clone has the previous record's commit, when already asked.
 */
export async function comparisonBase(
  context: CollectContext,
  parents: string[],
  previousInClone?: boolean,
): Promise<string | null | undefined> {
  const previous = context.previous?.commit?.sha;
  if (previous) {
    if (previousInClone ?? (await commitExists(context.cwd, previous))) return previous;
    context.note(
      `commit: the previous record's commit ${previous} is not in this clone (shallow checkout?), so changed files are ` +
        'compared with the parent instead; use `fetch-depth: 0` to compare with the previous record',
    );
  }
  const parent = parents[0];
  if (!parent) return null;
  if (await commitExists(context.cwd, parent)) return parent;
  context.note(
    `commit: the parent commit ${parent} is not in this clone (shallow checkout), so changed files are not recorded; ` +
      'use `fetch-depth: 2` (or 0) in actions/checkout',
  );
  return undefined;
}

/** Files changed between `base` (or nothing, for a root commit) and `sha`, renames detected. */
export async function changedFilesBetween(
  cwd: string,
  base: string | null,
  sha: string,
): Promise<ChangedFile[]> {
  const args =
    base === null
      ? [
          '-c',
          'core.quotepath=off',
          'diff-tree',
          '-r',
          '--root',
          '--no-commit-id',
          '--name-status',
          '-z',
          '-M',
          sha,
        ]
      : [
          '-c',
          'core.quotepath=off',
          'diff',
          '--no-ext-diff',
          '--no-textconv',
          '--name-status',
          '-z',
          '-M',
          base,
          sha,
        ];
  return parseNameStatus(await git(cwd, args));
}

/** One path `git status` lists: how it differs from the commit, and whether git tracks it. */
export interface StatusEntry {
  path: string;
  status: DirtyPath['status'];
}

/** Parses `git status --porcelain=v1 -z`: `XY path\0`, renames and copies `XY new\0old\0`. */
export function parsePorcelainStatus(output: string): StatusEntry[] {
  const fields = output.split('\0');
  const entries: StatusEntry[] = [];
  for (let index = 0; index < fields.length; index++) {
    const field = fields[index] as string;
    if (field.length < 4) continue;
    const x = field[0] as string;
    const y = field[1] as string;
    const path = field.slice(3);
    if (x === 'R' || x === 'C') index++; // the old path follows
    let status: DirtyPath['status'];
    if (x === '?' && y === '?') status = 'untracked';
    else if (x === 'U' || y === 'U' || (x === 'A' && y === 'A') || (x === 'D' && y === 'D'))
      status = 'unmerged';
    else {
      const code = y !== ' ' ? y : x;
      status =
        code === 'R' || x === 'R'
          ? 'renamed'
          : code === 'C' || x === 'C'
            ? 'copied'
            : code === 'A'
              ? 'added'
              : code === 'D'
                ? 'deleted'
                : code === 'T'
                  ? 'type-changed'
                  : 'modified';
    }
    entries.push({ path, status });
  }
  return entries;
}

/** What `git status` lists (ignored files left out), or null outside a git repository. */
export async function readWorkingTree(cwd: string): Promise<StatusEntry[] | null> {
  const result = await runGit(cwd, [
    '-c',
    'core.quotepath=off',
    'status',
    '--porcelain=v1',
    '-z',
    '--untracked-files=normal',
    '--no-renames',
  ]);
  return result.ok ? parsePorcelainStatus(result.stdout) : null;
}

/** The paths a record names, by how a change to them counts. */
export interface NamedPaths {
  /**
   * Built by the run (models, the training-run file): they count when git tracks them and they
   * differ from the commit. An untracked model is the build's output, not an uncommitted change.
   */
  outputs: string[];
  /** Read by the run (datasets, lockfiles, config, policy): any difference counts, untracked files too. */
  inputs: string[];
}

function covers(named: string, path: string): boolean {
  if (named === '.' || named === '') return true;
  if (hasGlobMagic(named)) {
    try {
      return compileGlob(named).test(path.replace(/\/$/, ''));
    } catch {
      return false; // the glob was refused where it was given
    }
  }
  const directory = path.endsWith('/'); // an untracked directory, listed as a whole
  return (
    path === named ||
    path.startsWith(`${named}/`) ||
    (directory && (named.startsWith(path) || `${named}/` === path))
  );
}

/**
 * The working-tree state a record holds: dirty when a path it names differs from the commit
 * (see NamedPaths), with those paths; other changes are only counted.
 */
export function workingTreeState(entries: StatusEntry[], named: NamedPaths): WorkingTreeState {
  const dirty: DirtyPath[] = [];
  let otherChanges = 0;
  for (const entry of entries) {
    const asInput = named.inputs.some((path) => covers(path, entry.path));
    const asOutput = entry.status !== 'untracked' && named.outputs.some((path) => covers(path, entry.path));
    if (asInput || asOutput) dirty.push({ path: entry.path, status: entry.status });
    else otherChanges++;
  }
  return { state: dirty.length > 0 ? 'dirty' : 'clean', dirty, otherChanges };
}

export interface CommitOptions {
  /** Whether and how GitHub can be asked for its signature verdict; without it the verdict is omitted with a note. */
  github?: GitHubAvailability;
}

/** The commit being built: read with git, never inferred. */
export class CommitCollector implements Collector<'commit'> {
  readonly section = 'commit';

  constructor(private readonly options: CommitOptions = {}) {}

  async collect(context: CollectContext): Promise<CommitSection | null> {
    const head = await runGit(context.cwd, ['rev-parse', '--verify', '-q', 'HEAD^{commit}']);
    if (!head.ok) {
      const inGit = (await runGit(context.cwd, ['rev-parse', '--git-dir'])).ok;
      const why = inGit
        ? 'the git repository has no commit yet'
        : 'the working directory is not a git repository';
      context.log.warn(`${why}: the record names no commit, so it cannot say which sources it describes`);
      context.note(`commit: ${why}; no commit recorded`);
      return null;
    }
    const sha = head.stdout.trim();
    const previous = context.previous;
    if (previous?.commit?.sha === sha) {
      context.log.warn(
        `commit ${sha.slice(0, 12)} is the commit record ${previous.chain.index} already describes: this record describes it again`,
      );
      context.note(`commit: ${sha} is the commit of the previous record (${previous.chain.index}) too`);
    }
    // The reads that need only the sha, at once: each git process costs a record 5-20 ms.
    const previousSha = previous?.commit?.sha;
    const [commitText, symbolic, url, previousInClone] = await Promise.all([
      git(context.cwd, ['cat-file', 'commit', sha]),
      runGit(context.cwd, ['symbolic-ref', '-q', 'HEAD']),
      repositoryUrl(context),
      previousSha ? commitExists(context.cwd, previousSha) : undefined,
    ]);
    const raw = parseRawCommit(commitText);
    const ref = context.env.GITHUB_REF || (symbolic.ok ? symbolic.stdout.trim() : '');
    const section: CommitSection = {
      sha,
      tree: raw.tree,
      parents: raw.parents,
      author: raw.author,
      committer: raw.committer,
      message: raw.message,
      signed: raw.signed,
      repositoryUrl: url,
    };
    if (ref) section.ref = ref;
    await this.addChangedFiles(context, section, previousInClone);
    await this.addGitHubVerification(context, section);
    return section;
  }

  private async addChangedFiles(
    context: CollectContext,
    section: CommitSection,
    previousInClone: boolean | undefined,
  ): Promise<void> {
    const base = await comparisonBase(context, section.parents, previousInClone);
    if (base === undefined) return;
    const files = await changedFilesBetween(context.cwd, base, section.sha);
    if (files.length > MAX_CHANGED_FILES) {
      context.note(`commit: ${files.length} files changed; only the first ${MAX_CHANGED_FILES} are listed`);
    }
    section.changedFiles = files.slice(0, MAX_CHANGED_FILES);
    if (base !== null) section.comparedWith = base;
  }

  /** GitHub's verdict on the commit signature: `GET /repos/{owner}/{repo}/commits/{sha}` → `commit.verification`. */
  private async addGitHubVerification(context: CollectContext, section: CommitSection): Promise<void> {
    const github = this.options.github;
    if (!github) return;
    if (!github.available) {
      context.note(`commit: GitHub's signature verification verdict is not recorded: ${github.reason}`);
      return;
    }
    const { access } = github;
    try {
      const { data } = await access.client.rest.repos.getCommit({
        owner: access.owner,
        repo: access.repo,
        ref: section.sha,
      });
      const verification = data.commit.verification;
      if (verification) {
        section.githubVerification = { verified: verification.verified, reason: verification.reason };
      } else {
        context.note(`commit: GitHub gave no signature verification verdict for ${section.sha}`);
      }
    } catch (error) {
      const failure = gitHubFailureText(error);
      if (failure === undefined) throw error;
      context.log.warn(`commit: cannot read GitHub's verification of ${section.sha}: ${failure}`);
      context.note(`commit: GitHub's signature verification verdict is not recorded: ${failure}`);
    }
  }
}
