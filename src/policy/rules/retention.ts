/**
 * `retention`: how long records must be kept. model-ledger never deletes or expires a record, so
 * there is nothing to fail at record or verify time: the rule is written into every record as an
 * informational result giving the date its retention ends, for the store's own retention
 * settings (release immutability, object lock, archive policies) to enforce.
 */
import type { PolicyResult } from '../../record/predicate.js';
import type { PolicySubject, RetentionRule } from '../types.js';
import { passed } from './result.js';

export function evaluateRetention(rule: RetentionRule, subject: PolicySubject): PolicyResult {
  const recorded = new Date(subject.recordedAt);
  const until = Number.isNaN(recorded.getTime()) ? undefined : new Date(recorded);
  until?.setUTCFullYear(until.getUTCFullYear() + rule.years);
  const date = until ? `, until ${until.toISOString().slice(0, 10)}` : '';
  return passed(
    'retention',
    rule,
    `keep this record for ${rule.years} ${rule.years === 1 ? 'year' : 'years'}${date} (informational: model-ledger never deletes records; the store's retention settings enforce this)`,
  );
}
