import { describe, expect, it } from '@jest/globals';
import { recordSchema } from '../src/record/schema.js';
import { SchemaValidator } from '../src/record/json-schema.js';
describe('x', () => { it('loads', () => { expect(new SchemaValidator(recordSchema as never).validate({})).toHaveLength(4); }); });
