/**
 * The values a record's training section compares by: parameters and metrics as flat dotted keys.
 * Shared by every view (diff, report, PR comment) and the exchange formats, so a seed changed
 * beside a `params:` object shows everywhere alike.
 */
import type { JsonObject, JsonValue, Statement } from './predicate.js';

const PARAM_KEYS = ['params', 'parameters', 'hyperparameters', 'hparams'];

/** Nested objects flattened to dotted keys; arrays kept whole. */
export function flatten(
  value: JsonObject,
  prefix = '',
  into: Record<string, JsonValue> = {},
): Record<string, JsonValue> {
  for (const [key, item] of Object.entries(value)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (item !== null && typeof item === 'object' && !Array.isArray(item)) flatten(item, name, into);
    else into[name] = item;
  }
  return into;
}

/**
 * A training run's parameters and metrics: `metrics:` is metrics; every other field is a
 * parameter, so that a seed or a sample count beside a `params:` object is compared too. The
 * keys of `params:` (or `parameters:`, `hyperparameters:`, `hparams:`) are shown without that
 * prefix; another field of the same name is shown as `run.<key>`.
 */
export function trainingValues(statement: Statement): {
  params: Record<string, JsonValue>;
  metrics: Record<string, JsonValue>;
} {
  const run = statement.predicate.training?.run;
  if (!run) return { params: {}, metrics: {} };
  const metrics = isObject(run.metrics) ? flatten(run.metrics) : {};
  const params: Record<string, JsonValue> = {};
  const containers = PARAM_KEYS.filter((key) => isObject(run[key]));
  for (const key of containers) Object.assign(params, flatten(run[key] as JsonObject));
  const others = Object.fromEntries(
    Object.entries(run).filter(
      ([key]) => !containers.includes(key) && !(key === 'metrics' && isObject(run.metrics)),
    ),
  );
  for (const [key, value] of Object.entries(flatten(others))) {
    params[key in params ? `run.${key}` : key] = value;
  }
  return { params, metrics };
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return value !== null && value !== undefined && typeof value === 'object' && !Array.isArray(value);
}
