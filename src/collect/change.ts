import type { ChangeSection, CommitSection } from '../record/predicate.js';

/** Reasons longer than this are cut (with a marker): a record is evidence, not an archive of essays. */
export const MAX_REASON_CHARS = 4000;

export interface ChangeOptions {
  /** The reason given explicitly (`--reason`, `reason` input). */
  reason?: string;
}

export function trimReason(text: string): string {
  const trimmed = text.trim();
  if (trimmed.length <= MAX_REASON_CHARS) return trimmed;
  return `${trimmed.slice(0, MAX_REASON_CHARS)}… [cut at ${MAX_REASON_CHARS} characters]`;
}

/**
 * Who changed what and why, from what is known locally: the given reason, else the commit
 * message; the commit's author and committer implemented it; the CI actor triggered it.
 */
export function changeFromCommit(
  options: ChangeOptions,
  commit: CommitSection | null,
  actor: string | undefined,
): ChangeSection {
  const given = options.reason?.trim();
  const fromCommit = commit?.message.trim();
  const section: ChangeSection = given
    ? { reason: trimReason(given), reasonSource: 'input', implementedBy: [], approvedBy: [] }
    : fromCommit
      ? { reason: trimReason(fromCommit), reasonSource: 'commit-message', implementedBy: [], approvedBy: [] }
      : { reason: '', reasonSource: 'none', implementedBy: [], approvedBy: [] };
  if (commit) {
    section.implementedBy.push({ name: commit.author.name, email: commit.author.email });
    if (commit.committer.email !== commit.author.email || commit.committer.name !== commit.author.name) {
      section.implementedBy.push({ name: commit.committer.name, email: commit.committer.email });
    }
  }
  if (actor) section.triggeredBy = { login: actor };
  return section;
}
