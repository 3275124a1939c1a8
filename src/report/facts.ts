/**
 * The few facts of a record that people filter and scan by — who, what, when, why, policy
 * outcome — derived once from the statement, for the log, the job summary and the HTML report.
 */
import type { PersonRef, Statement } from '../record/predicate.js';

export type PolicyOutcome = 'pass' | 'warn' | 'fail' | 'none';

export interface RecordFacts {
  recordedAt: string;
  origin: string;
  commit: string | null;
  ref: string | null;
  /** First line of the reason. */
  reason: string;
  pullRequest: { number: number; title: string; url: string } | null;
  /** Who caused the record: the CI actor, else the commit's author. */
  actor: string;
  /** Everyone the record names as acting: actor, implementers, approvers, pull request author. */
  people: string[];
  implementedBy: string[];
  approvedBy: string[];
  models: string[];
  datasets: string[];
  policy: PolicyOutcome;
  runUrl: string | null;
}

/** How every face names a development-key record: such records are for trying the tool out. */
export const DEVELOPMENT_KEY_LABEL = 'development key — not evidence';

/** A signing mode as people read it: `development-key` says plainly that it is not evidence. */
export function signingModeLabel(mode: string | null | undefined): string {
  if (mode === 'development-key') return DEVELOPMENT_KEY_LABEL;
  return mode ?? 'unknown';
}

/** `clean`, `dirty: a.csv, b.yml (+3 more)`, or null when the record does not say. */
export function workingTreeLabel(
  tree: { state: string; dirty: { path: string }[] } | null | undefined,
  max = 5,
): string | null {
  if (!tree) return null;
  if (tree.state !== 'dirty') return 'clean';
  const paths = tree.dirty.map((entry) => entry.path);
  const shown = paths.slice(0, max).join(', ');
  return `dirty: ${shown}${paths.length > max ? ` (+${paths.length - max} more)` : ''}`;
}

/** A person as one short label: login, else email, else name. */
export function personLabel(person: PersonRef): string {
  return person.login ?? person.email ?? person.name ?? 'unknown';
}

export function recordFacts(statement: Statement): RecordFacts {
  const { predicate } = statement;
  const { change, commit, environment } = predicate;
  const triggered = change.triggeredBy ? personLabel(change.triggeredBy) : undefined;
  const actor =
    triggered ??
    environment.ci.triggeringActor ??
    environment.ci.actor ??
    commit?.author.email ??
    commit?.author.name ??
    'unknown';
  const implementedBy = change.implementedBy.map(personLabel);
  const approvedBy = change.approvedBy.map(personLabel);
  const identities = [
    actor,
    ...[change.triggeredBy, ...change.implementedBy, ...change.approvedBy].flatMap((person) =>
      person ? [person.login, person.email, person.name] : [],
    ),
    environment.ci.actor,
    environment.ci.triggeringActor,
    change.pullRequest?.author,
    commit?.author.email,
    commit?.author.name,
  ].filter((value): value is string => typeof value === 'string' && value !== '' && value !== 'unknown');
  return {
    recordedAt: predicate.recordedAt,
    origin: predicate.chain.origin,
    commit: commit?.sha ?? null,
    ref: commit?.ref ?? environment.ci.ref ?? null,
    reason: (change.reason.split('\n')[0] ?? '').trim(),
    pullRequest: change.pullRequest
      ? { number: change.pullRequest.number, title: change.pullRequest.title, url: change.pullRequest.url }
      : null,
    actor,
    people: [...new Set(identities)],
    implementedBy,
    approvedBy,
    models: predicate.models.map((model) => model.name),
    datasets: predicate.datasets.map((dataset) => dataset.name),
    policy: policyOutcome(statement),
    runUrl: environment.ci.runUrl ?? null,
  };
}

/** `fail` when an enforced rule failed, `warn` when only warnings failed, `none` without a policy. */
export function policyOutcome(statement: Statement): PolicyOutcome {
  const policy = statement.predicate.policy;
  if (!policy) return 'none';
  if (policy.results.some((result) => result.outcome === 'fail' && result.level === 'enforce')) return 'fail';
  if (policy.results.some((result) => result.outcome === 'fail')) return 'warn';
  return 'pass';
}
