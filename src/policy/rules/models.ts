/**
 * `models`: formats a model may be in, what to do about pickles the scan flagged, and a size cap.
 * `pickle` looks at each model's safety verdict (unsafe / unknown / incomplete, or the PICKLE_*
 * warnings of records made before verdicts existed): `deny` fails the rule at its level, `warn`
 * reports them as a warning whatever the level, `allow` records them without failing; see
 * pickleResult for `pickle-unknown` and `pickle-incomplete`. A pickle the scan found nothing wrong with
 * passes; leave pickle formats out of `formats` to refuse pickles altogether. Datasets scanned on
 * request (`scan: true`) are judged by `pickle` too: a dataset that loads as pickles is code as much
 * as a model is.
 */
import type { ModelEntry, PolicyResult } from '../../record/predicate.js';
import type { ModelsRule, PickleMode, PolicySubject } from '../types.js';
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
  if (rule.pickle) {
    const scannedDatasets = subject.datasets.flatMap((dataset) =>
      dataset.safety ? [{ name: `dataset ${dataset.name}`, safety: dataset.safety }] : [],
    );
    results.push(pickleResult(rule, rule.pickle, [...models, ...scannedDatasets]));
  }
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

type Flag = 'unsafe' | 'unknown' | 'incomplete';

/** The safety verdict of a model; for records made before the verdict existed, from its PICKLE_* warnings. */
/** What the pickle rule reads of a model (or of a dataset scanned on request). */
type Scanned = Pick<ModelEntry, 'name' | 'safety' | 'warnings'>;

function flagOf(model: Scanned): { flag: Flag; label: string } | null {
  if (model.safety) {
    const { verdict, findings = [] } = model.safety;
    if (verdict === 'clean') return null;
    const names = [
      ...new Set(findings.filter((finding) => finding.verdict === verdict).flatMap((f) => f.names ?? [])),
    ];
    return {
      flag: verdict,
      label: names.length > 0 ? `${verdict}: ${names.slice(0, 5).join(', ')}` : verdict,
    };
  }
  const codes = [
    ...new Set(
      (model.warnings ?? []).filter((warning) => warning.code.startsWith('PICKLE_')).map((w) => w.code),
    ),
  ];
  if (codes.length === 0) return null;
  const flag: Flag =
    codes.includes('PICKLE_UNSAFE_IMPORT') || codes.includes('PICKLE_UNRESOLVED_IMPORT')
      ? 'unsafe'
      : codes.includes('PICKLE_SCAN_INCOMPLETE') || codes.includes('PICKLE_NOT_SCANNED')
        ? 'incomplete'
        : 'unknown';
  return { flag, label: codes.join(', ') };
}

/**
 * `models.pickle` over the safety verdicts: `unsafe` models are handled as `pickle` says,
 * `unknown` ones as `pickle-unknown` (default warn), `incomplete` ones as `pickle-incomplete`
 * (default: as `pickle`). The strictest mode among the flagged models decides the outcome.
 */
function pickleResult(rule: ModelsRule, mode: PickleMode, models: Scanned[]): PolicyResult {
  const modes: Record<Flag, PickleMode> = {
    unsafe: mode,
    unknown: rule.pickleUnknown ?? (mode === 'allow' ? 'allow' : 'warn'),
    incomplete: rule.pickleIncomplete ?? mode,
  };
  const flagged = models.flatMap((model) => {
    const flag = flagOf(model);
    return flag ? [{ name: `${model.name} (${flag.label})`, mode: modes[flag.flag] }] : [];
  });
  if (flagged.length === 0) return passed('models.pickle', rule, 'the pickle scan flagged no model');
  const found = `${plural(flagged.length, 'model')} with pickle findings: ${listed(flagged.map((entry) => entry.name))}`;
  const strictest = flagged.some((entry) => entry.mode === 'deny')
    ? 'deny'
    : flagged.some((entry) => entry.mode === 'warn')
      ? 'warn'
      : 'allow';
  if (strictest === 'allow') return passed('models.pickle', rule, `${found} (allowed by the policy)`);
  return failed(
    'models.pickle',
    rule,
    `${found} — loading them can run code; convert them to safetensors or ONNX`,
    strictest === 'warn' ? 'warn' : rule.level,
  );
}
