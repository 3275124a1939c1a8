/**
 * The OpenSSF Model Signing (OMS v1.0) statement: an in-toto Statement v1 whose one subject is the
 * model (its name, and a sha256 over its resources) and whose predicate lists every file with its
 * digest and says how the list was made. The same bytes `model_signing` writes and reads, so a
 * signature made here verifies with `model_signing verify` and theirs verify here.
 */
import { createHash } from 'node:crypto';

import { STATEMENT_TYPE } from '../record/predicate.js';
import { VerificationFailure } from '../verify/problems.js';

export const OMS_PREDICATE_TYPE = 'https://model_signing/signature/v1.0';

/** One file of the model: its path relative to the model (`.` for a single-file model). */
export interface OmsResource {
  name: string;
  algorithm: 'sha256';
  /** Lowercase hex. */
  digest: string;
}

/** How the resource list was made (model_signing's `files` serialization). */
export interface OmsSerialization {
  method: 'files';
  hash_type: 'sha256';
  allow_symlinks: boolean;
  /** Paths relative to the model that were left out; absent when none were (as model_signing writes it). */
  ignore_paths?: string[];
}

export interface OmsManifest {
  /** The subject name: the model directory's (or file's) own name. Informative only. */
  modelName: string;
  /** Sorted as model_signing sorts them (see compareResourceNames). */
  resources: OmsResource[];
  serialization: OmsSerialization;
  /** sha256 over the resources' raw digest bytes, concatenated in resource order. */
  subjectDigest: string;
}

export interface OmsStatement {
  _type: typeof STATEMENT_TYPE;
  subject: [{ name: string; digest: { sha256: string } }];
  predicateType: typeof OMS_PREDICATE_TYPE;
  predicate: { serialization: OmsSerialization; resources: OmsResource[] };
}

/**
 * model_signing sorts resources as Python sorts PurePosixPath: component by component, each
 * component by code point. That differs from sorting the whole string: `a/b` comes before `a-c`
 * (component `a` < `a-c`), though `/` > `-` bytewise.
 */
export function compareResourceNames(a: string, b: string): number {
  const left = a.split('/');
  const right = b.split('/');
  const length = Math.min(left.length, right.length);
  for (let index = 0; index < length; index++) {
    const order = compareCodePoints(left[index] as string, right[index] as string);
    if (order !== 0) return order;
  }
  return left.length - right.length;
}

function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  const length = Math.min(x.length, y.length);
  for (let index = 0; index < length; index++) {
    const difference = (x[index] as string).codePointAt(0)! - (y[index] as string).codePointAt(0)!;
    if (difference !== 0) return difference;
  }
  return x.length - y.length;
}

/** The subject digest of resources in the order given: sha256 of their concatenated digest bytes. */
export function subjectDigestOf(resources: readonly OmsResource[]): string {
  const hash = createHash('sha256');
  for (const resource of resources) hash.update(Buffer.from(resource.digest, 'hex'));
  return hash.digest('hex');
}

/** The manifest of already hashed files: sorted, with its subject digest. */
export function buildOmsManifest(
  modelName: string,
  files: readonly { name: string; sha256: string }[],
  serialization: OmsSerialization,
): OmsManifest {
  const resources = files
    .map((file): OmsResource => ({ name: file.name, algorithm: 'sha256', digest: file.sha256 }))
    .sort((a, b) => compareResourceNames(a.name, b.name));
  return { modelName, resources, serialization, subjectDigest: subjectDigestOf(resources) };
}

export function omsStatement(manifest: OmsManifest): OmsStatement {
  return {
    _type: STATEMENT_TYPE,
    subject: [{ name: manifest.modelName, digest: { sha256: manifest.subjectDigest } }],
    predicateType: OMS_PREDICATE_TYPE,
    predicate: { serialization: manifest.serialization, resources: manifest.resources },
  };
}

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Reads a signed OMS statement (untrusted until here: the signature only says who wrote it).
 * Checks what model_signing checks — one subject, the `files` serialization, the subject digest
 * over the resources as listed — and refuses what it cannot compare (other hashes, shards).
 */
export function parseOmsStatement(payload: Buffer, file: string): OmsManifest {
  const fail = (message: string, field?: string): never => {
    throw new VerificationFailure('CORRUPT', message, { file, ...(field ? { field } : {}) });
  };
  let json: unknown;
  try {
    json = JSON.parse(payload.toString('utf8'));
  } catch {
    return fail('its signed payload is not JSON');
  }
  if (!isObject(json)) return fail('its signed payload is not a JSON object');
  if (json._type !== STATEMENT_TYPE) fail(`is not an in-toto Statement v1`, '_type');
  if (json.predicateType !== OMS_PREDICATE_TYPE) {
    fail(
      `has predicateType ${JSON.stringify(json.predicateType)}, not ${OMS_PREDICATE_TYPE} (an OpenSSF Model Signing v1.0 signature)`,
      'predicateType',
    );
  }
  const subjects = json.subject;
  if (!Array.isArray(subjects) || subjects.length !== 1) fail('must have exactly one subject', 'subject');
  const subject = (subjects as unknown[])[0];
  const expected = isObject(subject) && isObject(subject.digest) ? subject.digest.sha256 : undefined;
  if (
    !isObject(subject) ||
    typeof subject.name !== 'string' ||
    typeof expected !== 'string' ||
    !HEX64.test(expected)
  ) {
    return fail('its subject needs a name and a sha256 digest', 'subject[0]');
  }
  const predicate = json.predicate;
  if (!isObject(predicate) || !isObject(predicate.serialization) || !Array.isArray(predicate.resources)) {
    return fail('its predicate needs serialization and resources', 'predicate');
  }
  const serialization = parseSerialization(predicate.serialization, fail);
  const resources = predicate.resources.map((resource: unknown, index): OmsResource => {
    const field = `predicate.resources[${index}]`;
    if (!isObject(resource) || typeof resource.name !== 'string' || typeof resource.digest !== 'string') {
      return fail('needs name and digest', field);
    }
    if (resource.algorithm !== 'sha256') {
      fail(`uses algorithm ${JSON.stringify(resource.algorithm)}; only sha256 is supported`, field);
    }
    const digest = resource.digest.toLowerCase();
    if (!HEX64.test(digest)) fail('digest is not 64 hex digits', field);
    return { name: resource.name, algorithm: 'sha256', digest };
  });
  const names = new Set(resources.map((resource) => resource.name));
  if (names.size !== resources.length) fail('lists a resource twice', 'predicate.resources');
  const computed = subjectDigestOf(resources);
  if (computed !== expected) {
    fail(
      `is inconsistent: the subject digest is ${expected}, but the listed resources hash to ${computed}`,
      'subject[0].digest',
    );
  }
  return {
    modelName: subject.name,
    resources: [...resources].sort((a, b) => compareResourceNames(a.name, b.name)),
    serialization,
    subjectDigest: computed,
  };
}

function parseSerialization(
  raw: Record<string, unknown>,
  fail: (message: string, field?: string) => never,
): OmsSerialization {
  const field = 'predicate.serialization';
  if (raw.method !== 'files') {
    fail(
      `uses the ${JSON.stringify(raw.method)} serialization; only "files" is supported`,
      `${field}.method`,
    );
  }
  if (raw.hash_type !== 'sha256') {
    fail(`hashes with ${JSON.stringify(raw.hash_type)}; only sha256 is supported`, `${field}.hash_type`);
  }
  if (typeof raw.allow_symlinks !== 'boolean') fail('allow_symlinks must be true or false', field);
  const ignore = raw.ignore_paths;
  if (ignore !== undefined && (!Array.isArray(ignore) || ignore.some((path) => typeof path !== 'string'))) {
    fail('ignore_paths must be a list of paths', `${field}.ignore_paths`);
  }
  return {
    method: 'files',
    hash_type: 'sha256',
    allow_symlinks: raw.allow_symlinks,
    ...(ignore === undefined ? {} : { ignore_paths: ignore as string[] }),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What differs between the signed resources and the model's: the three lists model_signing gives. */
export interface ResourceDifference {
  /** In the model, not in the signature. */
  added: string[];
  /** In the signature, not in the model. */
  removed: string[];
  /** In both, with different digests. */
  changed: { name: string; signed: string; actual: string }[];
}

export function compareResources(
  signed: readonly OmsResource[],
  actual: readonly OmsResource[],
): ResourceDifference {
  const expected = new Map(signed.map((resource) => [resource.name, resource.digest]));
  const found = new Map(actual.map((resource) => [resource.name, resource.digest]));
  const difference: ResourceDifference = { added: [], removed: [], changed: [] };
  for (const [name, digest] of found) {
    const signedDigest = expected.get(name);
    if (signedDigest === undefined) difference.added.push(name);
    else if (signedDigest !== digest) difference.changed.push({ name, signed: signedDigest, actual: digest });
  }
  for (const name of expected.keys()) if (!found.has(name)) difference.removed.push(name);
  difference.added.sort(compareResourceNames);
  difference.removed.sort(compareResourceNames);
  difference.changed.sort((a, b) => compareResourceNames(a.name, b.name));
  return difference;
}

/** One line per kind of difference, naming the files (at most a few of each). */
export function describeDifference(difference: ResourceDifference): string {
  const list = (names: string[]): string =>
    names.length <= 5 ? names.join(', ') : `${names.slice(0, 5).join(', ')} and ${names.length - 5} more`;
  const parts: string[] = [];
  if (difference.changed.length > 0) {
    parts.push(
      `changed: ${list(difference.changed.map((entry) => `${entry.name} (signed ${entry.signed.slice(0, 12)}…, found ${entry.actual.slice(0, 12)}…)`))}`,
    );
  }
  if (difference.added.length > 0) parts.push(`not signed (added): ${list(difference.added)}`);
  if (difference.removed.length > 0) parts.push(`missing (removed): ${list(difference.removed)}`);
  return parts.join('; ');
}
