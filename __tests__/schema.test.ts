import { describe, expect, it } from '@jest/globals';

import { LedgerError } from '../src/errors.js';
import { SchemaValidator } from '../src/record/json-schema.js';
import type { RecordPredicate } from '../src/record/predicate.js';
import { assertValidStatement } from '../src/record/schema.js';
import { buildStatement } from '../src/record/statement.js';
import { makePredicate } from './support/predicate.js';

/** A record with one model file, the shape most records have. */
function predicate(overrides: Partial<RecordPredicate> = {}): RecordPredicate {
  return makePredicate({
    models: [{ name: 'model.onnx', kind: 'file', digest: { sha256: 'a'.repeat(64) }, size: 3 }],
    ...overrides,
  });
}

function schemaError(value: unknown): LedgerError {
  try {
    assertValidStatement(value, 'record.json');
  } catch (error) {
    if (error instanceof LedgerError) return error;
    throw error;
  }
  throw new Error('expected a schema error');
}

describe('record schema', () => {
  it('accepts a well-formed statement', () => {
    expect(() => assertValidStatement(buildStatement(predicate()))).not.toThrow();
  });

  it('names the field that is wrong, with the file', () => {
    const statement = buildStatement(predicate({ chain: { origin: 'x#main', index: -1, previous: null } }));
    const error = schemaError(statement);
    expect(error.code).toBe('SCHEMA');
    expect(error.message).toMatch(
      /^record\.json: predicate\.chain\.index: .*predicate\.chain\.index must be ≥ 0/,
    );
  });

  it('rejects unknown fields, so a record cannot smuggle unsigned-looking extras', () => {
    const statement = { ...buildStatement(predicate()), extra: true };
    expect(schemaError(statement).message).toMatch(/extra is not a known field/);
  });

  it('rejects digests that are not lowercase sha256 hex', () => {
    const statement = buildStatement(
      predicate({ models: [{ name: 'm', kind: 'file', digest: { sha256: 'XYZ' }, size: 1 }] }),
    );
    expect(schemaError(statement).message).toMatch(/predicate\.models\[0\]\.digest\.sha256 must match/);
  });

  it('uses the commit as the subject when there are no models or datasets', () => {
    const sha = 'b'.repeat(40);
    const statement = buildStatement(
      predicate({
        models: [],
        commit: {
          sha,
          tree: 'c'.repeat(40),
          parents: [],
          author: { name: 'A', email: 'a@x', date: '2026-11-26T10:00:00+00:00' },
          committer: { name: 'A', email: 'a@x', date: '2026-11-26T10:00:00+00:00' },
          message: 'm',
          signed: false,
          repositoryUrl: 'https://github.com/acme/model',
        },
      }),
    );
    expect(statement.subject).toEqual([
      { name: `git+https://github.com/acme/model@${sha}`, digest: { gitCommit: sha } },
    ]);
    expect(() => assertValidStatement(statement)).not.toThrow();
  });

  it('refuses schemas with keywords it does not check', () => {
    expect(() => new SchemaValidator({ type: 'object', oneOf: [] } as never)).toThrow(
      /unsupported keyword "oneOf"/,
    );
  });
});
