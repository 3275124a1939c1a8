/** `required`: fields that must be present and non-empty, by dotted path (`[*]`: in every item). */
import type { PolicyResult } from '../../record/predicate.js';
import { isPresent, resolvePath } from '../paths.js';
import type { PolicySubject, RequiredRule } from '../types.js';
import { failed, listed, passed } from './result.js';

export function evaluateRequired(rule: RequiredRule, subject: PolicySubject): PolicyResult {
  const id = `required:${rule.path}`;
  const places = resolvePath(subject, rule.steps);
  if (places.length === 0) {
    // A [*] over an empty list: no item lacks the field.
    return passed(id, rule, `${rule.path}: the list is empty, so no item lacks it`);
  }
  const missing = places.filter((place) => !isPresent(place.value));
  if (missing.length === 0) {
    return passed(
      id,
      rule,
      places.length === 1
        ? `${rule.path} is present`
        : `${rule.path} is present in all ${places.length} items`,
    );
  }
  const where = missing.map((place) => describeAbsence(place.at, place.value, rule.path));
  return failed(id, rule, `${rule.path} must be present and non-empty: ${listed(where)}`);
}

function describeAbsence(at: string, value: unknown, path: string): string {
  if (value !== undefined && value !== null) return `${at} is empty`;
  const anyItem = (text: string): string => text.replace(/\[\d+\]/g, '[*]');
  return at === '' || anyItem(at) === anyItem(path)
    ? `${at || path} is missing`
    : `${at} is missing, so is everything below it`;
}
