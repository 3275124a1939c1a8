/**
 * schema/policy-v1.schema.json: the shape of a policy file, checked before anything in it is
 * compiled. `signers` takes two shapes (a list, or an object with `allow`); an issue inside it is
 * reported for the shape the file actually uses, not as "matches neither".
 */
import policySchema from '../../schema/policy-v1.schema.json' with { type: 'json' };
import { isPlainObject, SchemaValidator, type JsonSchema, type SchemaIssue } from '../record/json-schema.js';

export { policySchema };

const root = policySchema as JsonSchema;
const validator = new SchemaValidator(root);
const signerShapes = {
  list: new SchemaValidator({ $defs: root.$defs ?? {}, $ref: '#/$defs/signerList' }),
  object: new SchemaValidator({ $defs: root.$defs ?? {}, $ref: '#/$defs/signersRule' }),
};

/** Everything wrong with a policy's shape, up to `max` issues. */
export function policyShapeIssues(value: unknown, max = 10): SchemaIssue[] {
  return validator.validate(value, max).flatMap((issue) => {
    if (issue.path !== 'signers' || !isPlainObject(value)) return [issue];
    const signers = value['signers'];
    const shape = Array.isArray(signers)
      ? signerShapes.list
      : isPlainObject(signers)
        ? signerShapes.object
        : undefined;
    if (!shape) {
      return [
        {
          path: 'signers',
          message: 'must be a list of signers, or an object with `allow:` (a list of signers)',
        },
      ];
    }
    return shape.validate(signers, max).map((inner) => ({
      path:
        inner.path === '(root)'
          ? 'signers'
          : inner.path.startsWith('[')
            ? `signers${inner.path}`
            : `signers.${inner.path}`,
      message: inner.message,
    }));
  });
}

/** A validator path (`signers[0].issuer`) as steps: field names and list indices. */
export function pathSteps(path: string): (string | number)[] {
  if (path === '(root)' || path === '') return [];
  return [...path.matchAll(/\[(\d+)\]|([^.[\]]+)/g)].map((match) =>
    match[1] === undefined ? (match[2] as string) : Number(match[1]),
  );
}

function alternatives(schema: JsonSchema): JsonSchema[] {
  if (schema.$ref) {
    const target = root.$defs?.[schema.$ref.replace('#/$defs/', '')];
    return target ? alternatives(target) : [];
  }
  return schema.anyOf ? schema.anyOf.flatMap(alternatives) : [schema];
}

/** The fields the schema allows in the object at `steps`, for telling the user what they could have meant. */
export function knownFields(steps: (string | number)[]): string[] {
  let schemas = [root];
  for (const step of steps) {
    schemas = schemas
      .flatMap(alternatives)
      .flatMap((schema) =>
        typeof step === 'number'
          ? schema.items
            ? [schema.items]
            : []
          : schema.properties?.[step]
            ? [schema.properties[step]]
            : [],
      );
  }
  const fields = schemas.flatMap(alternatives).flatMap((schema) => Object.keys(schema.properties ?? {}));
  return [...new Set(fields)].filter((field) => field !== '$schema');
}
