import type { CommitSection, GitPerson } from '../record/predicate.js';
import { git, runGit } from './git.js';
import type { CollectContext, Collector } from './types.js';

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

/** The commit being built: read with git, never inferred. */
export class CommitCollector implements Collector<'commit'> {
  readonly section = 'commit';

  async collect(context: CollectContext): Promise<CommitSection | null> {
    const head = await runGit(context.cwd, ['rev-parse', '--verify', '-q', 'HEAD^{commit}']);
    if (!head.ok) {
      context.note('commit: the working directory is not a git repository with a commit; no commit recorded');
      return null;
    }
    const sha = head.stdout.trim();
    const raw = parseRawCommit(await git(context.cwd, ['cat-file', 'commit', sha]));
    const symbolic = await runGit(context.cwd, ['symbolic-ref', '-q', 'HEAD']);
    const ref = context.env.GITHUB_REF || (symbolic.ok ? symbolic.stdout.trim() : '');
    const section: CommitSection = {
      sha,
      tree: raw.tree,
      parents: raw.parents,
      author: raw.author,
      committer: raw.committer,
      message: raw.message,
      signed: raw.signed,
      repositoryUrl: await repositoryUrl(context),
    };
    if (ref) section.ref = ref;
    return section;
  }
}
