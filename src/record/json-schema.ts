/**
 * A small JSON Schema (2020-12) validator for the keywords our shipped schemas use. Kept in-house
 * so the record format has no validator dependency whose behaviour could drift under it.
 * Unknown keywords are rejected when the schema is loaded, so a schema can never silently
 * ask for a check this validator does not make. __tests__/schema-differential.test.ts holds it to
 * ajv on real records and thousands of seeded mutations of them.
 */

export interface SchemaIssue {
  /** JSON-pointer-like location, e.g. `predicate.chain.index`. */
  path: string;
  message: string;
}

type SchemaType = 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean' | 'null';

export interface JsonSchema {
  $schema?: string;
  $id?: string;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  title?: string;
  description?: string;
  type?: SchemaType | SchemaType[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  anyOf?: JsonSchema[];
}

const KNOWN_KEYWORDS = new Set([
  '$schema',
  '$id',
  '$ref',
  '$defs',
  'title',
  'description',
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'enum',
  'const',
  'pattern',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'minItems',
  'anyOf',
]);

export class SchemaValidator {
  private readonly patterns = new Map<string, RegExp>();

  constructor(private readonly root: JsonSchema) {
    this.checkKeywords(root, '#');
  }

  validate(value: unknown, maxIssues = 20): SchemaIssue[] {
    const issues: SchemaIssue[] = [];
    this.check(this.root, value, '', issues, maxIssues);
    return issues;
  }

  private checkKeywords(schema: JsonSchema, where: string): void {
    for (const key of Object.keys(schema)) {
      if (!KNOWN_KEYWORDS.has(key)) throw new Error(`schema ${where}: unsupported keyword "${key}"`);
    }
    for (const [name, child] of Object.entries(schema.$defs ?? {}))
      this.checkKeywords(child, `${where}/$defs/${name}`);
    for (const [name, child] of Object.entries(schema.properties ?? {}))
      this.checkKeywords(child, `${where}/properties/${name}`);
    if (typeof schema.additionalProperties === 'object')
      this.checkKeywords(schema.additionalProperties, `${where}/additionalProperties`);
    if (schema.items) this.checkKeywords(schema.items, `${where}/items`);
    schema.anyOf?.forEach((child, index) => this.checkKeywords(child, `${where}/anyOf/${index}`));
    if (schema.pattern !== undefined) this.regex(schema.pattern);
  }

  private resolve(ref: string): JsonSchema {
    const match = /^#\/\$defs\/([^/]+)$/.exec(ref);
    const target = match ? this.root.$defs?.[match[1] as string] : undefined;
    if (!target) throw new Error(`schema: unresolvable $ref "${ref}"`);
    return target;
  }

  private regex(pattern: string): RegExp {
    let compiled = this.patterns.get(pattern);
    if (!compiled) {
      compiled = new RegExp(pattern, 'u');
      this.patterns.set(pattern, compiled);
    }
    return compiled;
  }

  private check(schema: JsonSchema, value: unknown, path: string, issues: SchemaIssue[], max: number): void {
    if (issues.length >= max) return;
    const at = path || '(root)';
    if (schema.$ref) {
      this.check(this.resolve(schema.$ref), value, path, issues, max);
      return;
    }
    if (schema.anyOf) {
      const matched = schema.anyOf.some((option) => {
        const trial: SchemaIssue[] = [];
        this.check(option, value, path, trial, 1);
        return trial.length === 0;
      });
      if (!matched) issues.push({ path: at, message: describeAnyOf(schema.anyOf) });
      return;
    }
    if (schema.type !== undefined) {
      const allowed = Array.isArray(schema.type) ? schema.type : [schema.type];
      if (!allowed.some((type) => hasType(value, type))) {
        issues.push({ path: at, message: `must be ${allowed.join(' or ')}, found ${typeName(value)}` });
        return;
      }
    }
    if (schema.const !== undefined && !sameJson(schema.const, value)) {
      issues.push({ path: at, message: `must be ${JSON.stringify(schema.const)}` });
    }
    if (schema.enum && !schema.enum.some((option) => sameJson(option, value))) {
      issues.push({
        path: at,
        message: `must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}`,
      });
    }
    if (typeof value === 'string') this.checkString(schema, value, at, issues);
    if (typeof value === 'number') this.checkNumber(schema, value, at, issues);
    if (Array.isArray(value)) {
      if (schema.minItems !== undefined && value.length < schema.minItems) {
        issues.push({ path: at, message: `must have at least ${schema.minItems} item(s)` });
      }
      if (schema.items) {
        const items = schema.items;
        value.forEach((item, index) => this.check(items, item, `${path}[${index}]`, issues, max));
      }
    } else if (isPlainObject(value)) {
      this.checkObject(schema, value, path, issues, max);
    }
  }

  private checkString(schema: JsonSchema, value: string, at: string, issues: SchemaIssue[]): void {
    if (schema.minLength !== undefined && value.length < schema.minLength) {
      issues.push({ path: at, message: `must be at least ${schema.minLength} character(s) long` });
    }
    if (schema.maxLength !== undefined && value.length > schema.maxLength) {
      issues.push({ path: at, message: `must be at most ${schema.maxLength} characters long` });
    }
    if (schema.pattern !== undefined && !this.regex(schema.pattern).test(value)) {
      issues.push({ path: at, message: `must match ${schema.pattern}` });
    }
  }

  private checkNumber(schema: JsonSchema, value: number, at: string, issues: SchemaIssue[]): void {
    if (schema.minimum !== undefined && value < schema.minimum) {
      issues.push({ path: at, message: `must be ≥ ${schema.minimum}` });
    }
    if (schema.maximum !== undefined && value > schema.maximum) {
      issues.push({ path: at, message: `must be ≤ ${schema.maximum}` });
    }
  }

  private checkObject(
    schema: JsonSchema,
    value: Record<string, unknown>,
    path: string,
    issues: SchemaIssue[],
    max: number,
  ): void {
    const prefix = path ? `${path}.` : '';
    for (const name of schema.required ?? []) {
      if (!Object.hasOwn(value, name)) issues.push({ path: `${prefix}${name}`, message: 'is required' });
    }
    for (const [name, child] of Object.entries(value)) {
      const declared = schema.properties?.[name];
      if (declared) {
        this.check(declared, child, `${prefix}${name}`, issues, max);
      } else if (schema.additionalProperties === false) {
        issues.push({ path: `${prefix}${name}`, message: 'is not a known field' });
      } else if (typeof schema.additionalProperties === 'object') {
        this.check(schema.additionalProperties, child, `${prefix}${name}`, issues, max);
      }
    }
  }
}

function describeAnyOf(options: JsonSchema[]): string {
  const kinds = options.map((option) =>
    option.type ? String(option.type) : option.$ref?.replace('#/$defs/', ''),
  );
  return `must match one of: ${kinds.filter(Boolean).join(', ') || 'the allowed shapes'}`;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasType(value: unknown, type: SchemaType): boolean {
  switch (type) {
    case 'object':
      return isPlainObject(value);
    case 'array':
      return Array.isArray(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'null':
      return value === null;
    default:
      return typeof value === type;
  }
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
