/**
 * GitHub's published OpenAPI description (@octokit/openapi, api.github.com), and a checker of
 * response bodies against the schema it gives for an operation and status. It knows the OpenAPI
 * 3.0 keywords GitHub's description uses; an unknown structural keyword is an error, so the
 * checker can never silently skip a rule it does not understand.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

type Schema = Record<string, unknown>;

interface OpenApiDocument {
  paths: Record<string, Record<string, { operationId?: string; responses?: Record<string, unknown> }>>;
  components: { schemas: Record<string, Schema>; responses: Record<string, Schema> };
}

let document: OpenApiDocument | undefined;

/** The api.github.com description (13 MB, read once per test file). */
export function githubOpenApi(): OpenApiDocument {
  if (!document) {
    const require = createRequire(import.meta.url);
    const root = dirname(require.resolve('@octokit/openapi/package.json'));
    document = JSON.parse(
      readFileSync(join(root, 'generated', 'api.github.com.json'), 'utf8'),
    ) as OpenApiDocument;
  }
  return document;
}

export interface Operation {
  path: string;
  method: string;
  operationId: string;
  responses: Record<string, unknown>;
}

/** The operation GitHub's description declares for a method and path template. */
export function findOperation(method: string, path: string): Operation | undefined {
  const entry = githubOpenApi().paths[path]?.[method.toLowerCase()];
  if (!entry?.operationId) return undefined;
  return {
    path,
    method: method.toUpperCase(),
    operationId: entry.operationId,
    responses: entry.responses ?? {},
  };
}

/** The JSON schema of an operation's response with a status, when it documents one. */
export function responseSchema(operation: Operation, status: number): Schema | undefined | null {
  let response = (operation.responses[String(status)] ?? operation.responses[`${String(status)[0]}XX`]) as
    Schema | undefined;
  if (!response) return undefined;
  if (typeof response.$ref === 'string') response = resolve(response.$ref);
  const content = response.content as Record<string, { schema?: Schema }> | undefined;
  // Documented without a body (204, some 3xx): null.
  return content?.['application/json']?.schema ?? (content ? undefined : null);
}

/** Problems of `value` against `schema`, as `path: message` strings (empty when it conforms). */
export function checkAgainst(schema: Schema, value: unknown, path = '$'): string[] {
  const problems: string[] = [];
  check(schema, value, path, problems);
  return problems;
}

// ---------------------------------------------------------------------------------------------

const ANNOTATIONS = new Set([
  'title',
  'description',
  'example',
  'examples',
  'default',
  'deprecated',
  'readOnly',
  'writeOnly',
  'externalDocs',
  'format',
  'discriminator',
  'xml',
]);
const STRUCTURAL = new Set([
  '$ref',
  'type',
  'nullable',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'enum',
  'oneOf',
  'anyOf',
  'allOf',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'pattern',
  'uniqueItems',
]);

function resolve(ref: string): Schema {
  const parts = ref.replace(/^#\//, '').split('/');
  let node: unknown = githubOpenApi();
  for (const part of parts) node = (node as Record<string, unknown>)[part];
  if (typeof node !== 'object' || node === null) throw new Error(`openapi: unresolvable $ref ${ref}`);
  return node as Schema;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function check(schema: Schema, value: unknown, path: string, problems: string[]): void {
  for (const key of Object.keys(schema)) {
    if (!STRUCTURAL.has(key) && !ANNOTATIONS.has(key) && !key.startsWith('x-')) {
      throw new Error(`openapi: ${path}: keyword "${key}" is not understood by this checker`);
    }
  }
  if (typeof schema.$ref === 'string') {
    check(resolve(schema.$ref), value, path, problems);
    return;
  }
  if (value === null) {
    if (schema.nullable === true) return;
    if (schema.type === undefined && !schema.oneOf && !schema.anyOf && !schema.allOf) return;
  }
  if (Array.isArray(schema.allOf))
    for (const part of schema.allOf as Schema[]) check(part, value, path, problems);
  if (Array.isArray(schema.anyOf) || Array.isArray(schema.oneOf)) {
    const options = (schema.anyOf ?? schema.oneOf) as Schema[];
    const matching = options.filter((option) => checkAgainst(option, value, path).length === 0).length;
    if (matching === 0) problems.push(`${path}: matches none of the ${options.length} allowed shapes`);
    else if (schema.oneOf && matching > 1)
      problems.push(`${path}: matches ${matching} shapes where oneOf allows one`);
  }
  if (schema.type !== undefined) {
    const actual = typeOf(value);
    const ok = schema.type === actual || (schema.type === 'number' && actual === 'integer');
    if (!ok) {
      problems.push(
        `${path}: expected ${typeof schema.type === 'string' ? schema.type : JSON.stringify(schema.type)}${schema.nullable ? ' or null' : ''}, found ${actual}`,
      );
      return;
    }
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) {
    problems.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  }
  if (typeof value === 'string') {
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern).test(value)) {
      problems.push(`${path}: does not match ${schema.pattern}`);
    }
    if (schema.format === 'date-time' && Number.isNaN(Date.parse(value)))
      problems.push(`${path}: not a date-time`);
    if (schema.format === 'uri' && !URL.canParse(value)) problems.push(`${path}: not a URI`);
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum)
      problems.push(`${path}: below ${schema.minimum}`);
    if (typeof schema.maximum === 'number' && value > schema.maximum)
      problems.push(`${path}: above ${schema.maximum}`);
  }
  if (Array.isArray(value) && schema.items) {
    value.forEach((item, index) => check(schema.items as Schema, item, `${path}[${index}]`, problems));
  }
  if (typeOf(value) === 'object') {
    const object = value as Record<string, unknown>;
    for (const name of (schema.required as string[] | undefined) ?? []) {
      if (!Object.hasOwn(object, name)) problems.push(`${path}.${name}: is required`);
    }
    const properties = (schema.properties as Record<string, Schema> | undefined) ?? {};
    for (const [name, child] of Object.entries(object)) {
      const declared = properties[name];
      if (declared) check(declared, child, `${path}.${name}`, problems);
      else if (schema.additionalProperties === false)
        problems.push(`${path}.${name}: is not a declared property`);
      else if (typeof schema.additionalProperties === 'object' && schema.additionalProperties !== null) {
        check(schema.additionalProperties as Schema, child, `${path}.${name}`, problems);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Requests

/** What the fake received, in the terms of GitHub's description. */
export interface RequestParts {
  /** Path parameters, decoded. */
  params: Record<string, string>;
  query: URLSearchParams;
  contentType: string | undefined;
  body: string;
}

interface ParameterObject {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

interface OperationObject {
  parameters?: (ParameterObject | { $ref: string })[];
  requestBody?: { $ref?: string; required?: boolean; content?: Record<string, { schema?: Schema }> };
}

/**
 * Problems of a request against the operation GitHub's description declares for a method and path
 * template: path and query parameters (declared, required, typed), the media type and, for JSON,
 * the body against its schema. Empty when the request is one GitHub would accept.
 */
export function requestProblems(method: string, path: string, request: RequestParts): string[] {
  const operation = githubOpenApi().paths[path]?.[method.toLowerCase()] as OperationObject | undefined;
  if (!operation) return [`${method} ${path} is not an operation of GitHub's description`];
  const problems: string[] = [];
  const declaredQuery = new Set<string>();
  for (const entry of operation.parameters ?? []) {
    const parameter = ('$ref' in entry ? resolve(entry.$ref) : entry) as unknown as ParameterObject;
    if (parameter.in === 'query') declaredQuery.add(parameter.name);
    if (parameter.in !== 'path' && parameter.in !== 'query') continue;
    const value =
      parameter.in === 'path' ? request.params[parameter.name] : request.query.get(parameter.name);
    const where = `${parameter.in} parameter "${parameter.name}"`;
    if (value === undefined || value === null) {
      if (parameter.required) problems.push(`${where}: is required`);
      continue;
    }
    if (parameter.schema)
      problems.push(...checkAgainst(parameter.schema, coerce(parameter.schema, value), where));
  }
  for (const name of new Set(request.query.keys())) {
    if (!declaredQuery.has(name)) problems.push(`query parameter "${name}": is not declared`);
  }

  let requestBody = operation.requestBody;
  if (requestBody?.$ref) requestBody = resolve(requestBody.$ref);
  if (!requestBody) {
    if (request.body !== '') problems.push('body: the operation takes none');
    return problems;
  }
  if (request.body === '') {
    if (requestBody.required) problems.push('body: is required');
    return problems;
  }
  const mediaType = (request.contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const content = requestBody.content ?? {};
  const declared = Object.keys(content);
  if (!declared.includes(mediaType) && !declared.includes('*/*')) {
    problems.push(`content-type "${mediaType}": expected ${declared.join(' or ')}`);
    return problems;
  }
  const schema = content[mediaType]?.schema;
  if (mediaType === 'application/json' && schema) {
    let json: unknown;
    try {
      json = JSON.parse(request.body);
    } catch {
      problems.push('body: is not JSON');
      return problems;
    }
    problems.push(...checkAgainst(schema, json, '$body'));
  }
  return problems;
}

/** A parameter's text as the type its schema declares (`"100"` → 100 for an integer). */
function coerce(schema: Schema, value: string): unknown {
  const type = (typeof schema.$ref === 'string' ? resolve(schema.$ref) : schema).type;
  if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

/** What a test knows of one answered request (fake-github's RecordedRequest fits). */
export interface AnsweredRequest {
  method: string;
  path: string;
  route?: string;
  operationId?: string;
  status?: number;
  fault?: string;
  responseBody?: unknown;
}

/**
 * Checks the answers the fake gave (faults aside) against the description: the operation exists
 * under the operationId the route claims, the status is documented, the JSON body matches.
 * Returns the problems and the operationIds checked with a 2xx answer.
 */
export function answerProblems(requests: readonly AnsweredRequest[]): {
  problems: string[];
  checked: Set<string>;
} {
  const problems: string[] = [];
  const checked = new Set<string>();
  for (const request of requests) {
    if (!request.route || request.status === undefined || request.fault) continue;
    const operation = findOperation(request.method, request.route);
    if (!operation || operation.operationId !== request.operationId) {
      problems.push(
        `${request.method} ${request.route}: not ${request.operationId ?? '?'} in GitHub's description`,
      );
      continue;
    }
    const schema = responseSchema(operation, request.status);
    if (schema === undefined) {
      problems.push(
        `${request.method} ${request.path}: status ${request.status} is not documented for ${operation.operationId}`,
      );
      continue;
    }
    if (schema !== null && request.responseBody !== undefined) {
      for (const problem of checkAgainst(schema, request.responseBody))
        problems.push(`${request.method} ${request.path}: ${problem}`);
    }
    if (request.status >= 200 && request.status < 300) checked.add(operation.operationId);
  }
  return { problems, checked };
}
