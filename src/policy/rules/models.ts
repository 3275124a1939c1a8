/**
 * `models`: formats a model may be in, what to do about pickles the scan flagged, and a size cap.
 * `pickle` looks at the PICKLE_* warnings model-ledger's pickle scan writes into a model entry
 * (imports that run code, imports off the safe list, imports computed at load time, pickles it
 * could not scan): `deny` fails the rule at its level, `warn` reports them as a warning whatever
 * the level, `allow` records them without failing. A pickle the scan found nothing wrong with
 * passes; leave pickle formats out of `formats` to refuse pickles altogether.
 */
import type { ModelEntry, PolicyResult } from '../../record/predicate.js';
import type { ModelsRule, PolicySubject } from '../types.js';
import { failed, listed, passed, plural } from './result.js';

export function evaluateModels(rule: ModelsRule, subject: PolicySubject): PolicyResult[] {
  const { models } = subject;
  const results: PolicyResult[] = [];
  if (rule.formats) {
    const allowed = new Set(rule.formats.map((format) => format.toLowerCase()));
    const outside = models.filter((model) => !allowed.has((model.format ?? '').toLowerCase()));
    results.push(
      outside.length === 0
        ? passed(
            'models.formats',
            rule,
            modelsText(models.length, `in an allowed format (${rule.formats.join(', ')})`),
          )
        : failed(
            'models.formats',
            rule,
            `${plural(outside.length, 'model')} in a format the policy does not allow (${rule.formats.join(', ')}): ${listed(outside.map((model) => `${model.name} (${model.format ?? 'format not recognised'})`))}`,
          ),
    );
  }
  if (rule.pickle) results.push(pickleResult(rule, rule.pickle, models));
  if (rule.maxSizeBytes !== undefined) {
    const max = rule.maxSizeBytes;
    const large = models.filter((model) => model.size > max);
    results.push(
      large.length === 0
        ? passed('models.max-size-bytes', rule, modelsText(models.length, `at most ${max} bytes`))
        : failed(
            'models.max-size-bytes',
            rule,
            `${plural(large.length, 'model')} larger than ${max} bytes: ${listed(large.map((model) => `${model.name} (${model.size} bytes)`))}`,
          ),
    );
  }
  return results;
}

function modelsText(count: number, what: string): string {
  return count === 0 ? 'the record has no models' : `all ${plural(count, 'model')} ${what}`;
}

function pickleResult(rule: ModelsRule, mode: 'deny' | 'warn' | 'allow', models: ModelEntry[]): PolicyResult {
  const flagged = models.flatMap((model) => {
    const codes = [
      ...new Set(
        (model.warnings ?? []).filter((warning) => warning.code.startsWith('PICKLE_')).map((w) => w.code),
      ),
    ];
    return codes.length > 0 ? [`${model.name} (${codes.join(', ')})`] : [];
  });
  if (flagged.length === 0) return passed('models.pickle', rule, 'the pickle scan flagged no model');
  const found = `${plural(flagged.length, 'model')} with pickle findings: ${listed(flagged)}`;
  if (mode === 'allow') return passed('models.pickle', rule, `${found} (allowed by the policy)`);
  return failed(
    'models.pickle',
    rule,
    `${found} — loading them can run code; convert them to safetensors or ONNX`,
    mode === 'warn' ? 'warn' : rule.level,
  );
}
