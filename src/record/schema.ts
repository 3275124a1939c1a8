import recordSchema from '../../schema/record-v1.schema.json' with { type: 'json' };
import { LedgerError } from '../errors.js';
import { type JsonSchema, SchemaValidator } from './json-schema.js';
import type { Statement } from './predicate.js';

let validator: SchemaValidator | undefined;

function statementValidator(): SchemaValidator {
  validator ??= new SchemaValidator(recordSchema as JsonSchema);
  return validator;
}

export { recordSchema };

/**
 * Checks a statement against schema/record-v1.schema.json: when a record is written (before
 * signing) and when it is read back. `file` names where the statement came from.
 */
export function assertValidStatement(value: unknown, file?: string): asserts value is Statement {
  const issues = statementValidator().validate(value);
  if (issues.length === 0) return;
  const listed = issues
    .slice(0, 5)
    .map((issue) => `${issue.path} ${issue.message}`)
    .join('; ');
  const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : '';
  throw new LedgerError('SCHEMA', `the record does not match the record-v1 schema: ${listed}${more}`, {
    ...(file === undefined ? {} : { file }),
    field: issues[0]?.path,
    fix: 'a record must be written by model-ledger and never edited by hand',
  });
}
