import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';

import { Ajv2020 } from 'ajv/dist/2020.js';

import { type JsonSchema, SchemaValidator } from '../src/record/json-schema.js';
import type { TempRepo } from './support/repo.js';
import { keyedRepo, recordVersion } from './support/report-ledger.js';
import { seededRandom } from '../src/audit/seeded-random.js';

/**
 * The in-house JSON Schema validator against ajv (2020-12) on the shipped schemas: real records,
 * and thousands of seeded mutations of them (a field removed, retyped, emptied, an unknown field
 * added), must be valid or invalid for both.
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

let repo: TempRepo;
const statements: Json[] = [];

beforeAll(async () => {
  repo = await keyedRepo();
  for (let v = 0; v < 3; v++) {
    const { statement } = await recordVersion(repo, v, v === 2 ? { images: 3 } : {});
    statements.push(statement as unknown as Json);
  }
}, 120_000);
afterAll(async () => {
  await repo.cleanup();
});

const REPLACEMENTS: Json[] = [null, 0, -1, 1.5, '', 'x', 'a'.repeat(300), true, [], {}, [1], { a: 1 }];

/** Every container (object or array) in the document, with the keys it holds. */
function containers(
  node: Json,
  out: (Json[] | { [key: string]: Json })[] = [],
): (Json[] | { [key: string]: Json })[] {
  if (Array.isArray(node)) {
    out.push(node);
    for (const child of node) containers(child, out);
  } else if (typeof node === 'object' && node !== null) {
    out.push(node);
    for (const child of Object.values(node)) containers(child, out);
  }
  return out;
}

function mutate(document: Json, next: () => number): Json {
  const copy = JSON.parse(JSON.stringify(document)) as Json;
  const all = containers(copy);
  const target = all[Math.floor(next() * all.length)] as Json[] | { [key: string]: Json };
  const keys = Array.isArray(target) ? target.map((_, at) => at) : Object.keys(target);
  const replacement = REPLACEMENTS[Math.floor(next() * REPLACEMENTS.length)] as Json;
  const op = Math.floor(next() * 4);
  if (keys.length === 0 || op === 3) {
    if (Array.isArray(target)) target.push(replacement);
    else target[`unexpected${Math.floor(next() * 3)}`] = replacement;
    return copy;
  }
  const key = keys[Math.floor(next() * keys.length)] as string | number;
  if (op === 0) {
    if (Array.isArray(target)) target.splice(key as number, 1);
    else delete target[key as string];
  } else if (op === 1) {
    (target as Record<string | number, Json>)[key] = replacement;
  } else {
    // Keep the type, change the value: strings get odd text, numbers odd numbers.
    const value = (target as Record<string | number, Json>)[key];
    (target as Record<string | number, Json>)[key] =
      typeof value === 'string'
        ? (['', ' ', 'NOT-A-DIGEST', 'sha256:zz', '2026-13-45'][Math.floor(next() * 5)] as string)
        : typeof value === 'number'
          ? ([-1, 0.5, 1e20, 0][Math.floor(next() * 4)] as number)
          : replacement;
  }
  return copy;
}

describe('the record schema: our validator agrees with ajv', () => {
  it('on real records, and on thousands of their mutations', async () => {
    const schema = JSON.parse(await readFile('schema/record-v1.schema.json', 'utf8')) as JsonSchema;
    const ours = new SchemaValidator(schema);
    const ajv = new Ajv2020({ strict: false, allErrors: false }).compile(schema);
    for (const statement of statements) {
      expect(ours.validate(statement)).toEqual([]);
      expect(ajv(statement)).toBe(true);
    }
    const next = seededRandom(20261202);
    const disagreements: string[] = [];
    let invalid = 0;
    const tried = 3000;
    for (let n = 0; n < tried; n++) {
      const base = statements[n % statements.length] as Json;
      let mutant = mutate(base, next);
      if (next() < 0.3) mutant = mutate(mutant, next);
      const oursValid = ours.validate(mutant).length === 0;
      const theirsValid = ajv(mutant);
      if (!theirsValid) invalid++;
      if (oursValid !== theirsValid && disagreements.length < 5) {
        disagreements.push(
          `mutant ${n}: ours ${oursValid ? 'valid' : 'invalid'}, ajv ${theirsValid ? 'valid' : `invalid (${JSON.stringify(ajv.errors?.[0])})`}`,
        );
      }
    }
    expect(invalid).toBeGreaterThan(tried / 4); // the mutants do break the schema, often
    expect(invalid).toBeLessThan(tried); // and some stay valid
    expect(disagreements).toEqual([]);
  });
});
