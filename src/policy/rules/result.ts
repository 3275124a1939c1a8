/** Building a rule's results: the same wording rules for every rule kind. */
import type { PolicyResult } from '../../record/predicate.js';
import type { RuleLevel, RuleMeta } from '../types.js';

/** A rule that holds; `text` says what was found to hold. */
export function passed(
  rule: string,
  meta: RuleMeta,
  text: string,
  level: RuleLevel = meta.level,
): PolicyResult {
  return { rule, level, outcome: 'pass', message: text };
}

/** A rule that does not hold: the policy's message when it has one, followed by what was found. */
export function failed(
  rule: string,
  meta: RuleMeta,
  detail: string,
  level: RuleLevel = meta.level,
): PolicyResult {
  return { rule, level, outcome: 'fail', message: meta.message ? `${meta.message} (${detail})` : detail };
}

/** A rule that cannot be decided yet; `why` says when it will be. */
export function deferred(rule: string, meta: RuleMeta, why: string): PolicyResult {
  return { rule, level: meta.level, outcome: 'deferred', message: why };
}

/** `a, b, c and 4 more`: keeps messages to a line or two however many items fail. */
export function listed(items: string[], max = 5): string {
  const shown = items.slice(0, max).join(', ');
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
