/**
 * Dotted paths into a record's predicate (`training.run.seed`, `datasets[*].description.license`):
 * parsed and checked against the record schema when a policy is loaded, so a typo is an error in
 * the policy file rather than a rule that can never pass; resolved against a predicate when the
 * policy is evaluated.
 */
import type { JsonSchema } from '../record/json-schema.js';
import { isPlainObject } from '../record/json-schema.js';
import { recordSchema } from '../record/schema.js';
import type { PathStep } from './types.js';

const FIELD = /^[A-Za-z_][A-Za-z0-9_-]*/;

/** The steps of a path, or a sentence saying why it is not one. */
export function parsePath(path: string): PathStep[] | string {
  const steps: PathStep[] = [];
  let rest = path;
  while (rest !== '') {
    const field = FIELD.exec(rest);
    if (!field) return `"${path}" is not a dotted path: expected a field name at "${rest}"`;
    steps.push({ kind: 'field', name: field[0] });
    rest = rest.slice(field[0].length);
    for (let index = /^\[(\*|\d+)\]/.exec(rest); index; index = /^\[(\*|\d+)\]/.exec(rest)) {
      steps.push(index[1] === '*' ? { kind: 'each' } : { kind: 'item', index: Number(index[1]) });
      rest = rest.slice(index[0].length);
    }
    if (rest.startsWith('.')) {
      rest = rest.slice(1);
      if (rest === '') return `"${path}" ends with a dot`;
    } else if (rest !== '') {
      return `"${path}" is not a dotted path: unexpected "${rest}" (write field.field, list[*] or list[0])`;
    }
  }
  return steps;
}

export function formatPath(steps: PathStep[]): string {
  let out = '';
  for (const step of steps) {
    if (step.kind === 'field') out += out === '' ? step.name : `.${step.name}`;
    else out += step.kind === 'each' ? '[*]' : `[${step.index}]`;
  }
  return out;
}

const PREDICATE = (recordSchema as JsonSchema).$defs?.['predicate'] as JsonSchema;
/** Parts of a record a policy cannot require: the chain is linked after the policy is checked, and the policy section is its result. */
const OUTSIDE_POLICY = new Set(['chain', 'policy']);

/** The non-null schemas a schema stands for, with `$ref` and `anyOf` resolved. */
function alternatives(schema: JsonSchema): JsonSchema[] {
  if (schema.$ref) {
    const name = schema.$ref.replace('#/$defs/', '');
    const target = (recordSchema as JsonSchema).$defs?.[name];
    return target ? alternatives(target) : [];
  }
  if (schema.anyOf) return schema.anyOf.flatMap(alternatives);
  return schema.type === 'null' ? [] : [schema];
}

function isList(schema: JsonSchema): boolean {
  return schema.type === 'array' || schema.items !== undefined;
}

/**
 * Why a path can never be present in a record, or undefined when it can. Free-form objects
 * (training.run, datasets[*].description, models[*].metadata) accept any field below them.
 */
export function checkPathAgainstRecord(steps: PathStep[]): string | undefined {
  const first = steps[0];
  if (first?.kind === 'field' && OUTSIDE_POLICY.has(first.name)) {
    return `a policy cannot require "${first.name}": it is written after the policy is checked`;
  }
  let schemas = [PREDICATE];
  for (let position = 0; position < steps.length; position++) {
    const step = steps[position] as PathStep;
    const here = formatPath(steps.slice(0, position)) || 'the record';
    const options = schemas.flatMap(alternatives);
    if (step.kind !== 'field') {
      const lists = options.filter(isList);
      if (lists.length === 0)
        return `${here} is not a list, so it has no ${step.kind === 'each' ? '[*]' : `[${step.index}]`}`;
      schemas = lists.map((schema) => schema.items ?? {});
      continue;
    }
    if (options.some(isList) && !options.some((schema) => schema.properties)) {
      return `${here} is a list: write ${here}[*].${step.name} to require it of every item`;
    }
    const next: JsonSchema[] = [];
    for (const schema of options) {
      // Own properties only: `__proto__` or `constructor` are no fields of a schema's object.
      const declared =
        schema.properties && Object.hasOwn(schema.properties, step.name)
          ? schema.properties[step.name]
          : undefined;
      if (declared) next.push(declared);
      else if (typeof schema.additionalProperties === 'object') next.push(schema.additionalProperties);
      else if (schema.additionalProperties !== false) return undefined; // free-form from here on
    }
    if (next.length === 0) {
      return `${here} has no field "${step.name}"${suggestion(options, steps.slice(0, position), step.name)}`;
    }
    schemas = next;
  }
  return undefined;
}

/** Fields that are free-form objects where the user probably meant to look (`training.run.seed`). */
function suggestion(options: JsonSchema[], before: PathStep[], name: string): string {
  const known = options.flatMap((schema) => Object.keys(schema.properties ?? {}));
  const freeForm = options.flatMap((schema) =>
    Object.entries(schema.properties ?? {})
      .filter(([, child]) =>
        child.$ref
          ? alternatives(child).some(
              (target) => target.additionalProperties === undefined && target.type === 'object',
            )
          : false,
      )
      .map(([field]) => formatPath([...before, { kind: 'field', name: field }, { kind: 'field', name }])),
  );
  const hint = freeForm.length > 0 ? `; did you mean ${freeForm.join(' or ')}?` : '';
  return ` (it has ${known.join(', ')})${hint}`;
}

/** One place a path leads to in a value, and what is there (undefined when absent). */
export interface Located {
  at: string;
  value: unknown;
}

/** Every place a path leads to: one per list item for each `[*]`; a missing step ends that branch as absent. */
export function resolvePath(root: unknown, steps: PathStep[]): Located[] {
  let places: Located[] = [{ at: '', value: root }];
  for (const step of steps) {
    const next: Located[] = [];
    for (const place of places) {
      if (place.value === undefined || place.value === null) {
        next.push(place); // already absent: report where it stopped
        continue;
      }
      if (step.kind === 'field') {
        // Own properties only, so `x.__proto__` or `x.constructor` is absent unless the record has it.
        const value =
          isPlainObject(place.value) && Object.hasOwn(place.value, step.name)
            ? place.value[step.name]
            : undefined;
        next.push({ at: place.at === '' ? step.name : `${place.at}.${step.name}`, value });
      } else if (!Array.isArray(place.value)) {
        next.push({ at: place.at, value: undefined });
      } else if (step.kind === 'item') {
        next.push({ at: `${place.at}[${step.index}]`, value: place.value[step.index] });
      } else {
        place.value.forEach((value: unknown, index) => next.push({ at: `${place.at}[${index}]`, value }));
      }
    }
    places = next;
  }
  return places;
}

/** Present and non-empty: not null, not a blank string, not an empty list or object. `0` and `false` are values. */
export function isPresent(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.length > 0;
  if (isPlainObject(value)) return Object.keys(value).length > 0;
  return true;
}
