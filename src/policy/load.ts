/**
 * Loading a policy file (YAML or JSON): its shape checked against schema/policy-v1.schema.json,
 * then every path, regular expression, glob and package URL in it compiled. Any problem is a
 * LedgerError('BAD_INPUT') naming the file, the line and what to write instead, raised before
 * anything is collected, signed or verified.
 */
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';

import { describeError, LedgerError } from '../errors.js';
import { isMissingFile, readBoundedFile } from '../fs/bounded.js';
import { globToRegExp } from '../fs/glob.js';
import { sha256Hex } from '../hash/file.js';
import { isPlainObject } from '../record/json-schema.js';
import { checkPathAgainstRecord, parsePath } from './paths.js';
import { parsePurl } from './rules/dependencies.js';
import { knownFields, pathSteps, policyShapeIssues } from './schema.js';
import type {
  DatasetPattern,
  DeniedPackage,
  LoadedPolicy,
  Matcher,
  Policy,
  RuleMeta,
  SignerPattern,
} from './types.js';

/** The policy a repository has when none is named: used when it exists, in the repository root. */
export const DEFAULT_POLICY_FILE = 'model-ledger.policy.yml';

const FORMAT_FIX = 'see "Policy" in the README for the file format';

/** A policy is a page of rules; a megabyte is far more than any needs (and /dev/urandom is refused). */
const MAX_POLICY_BYTES = 1024 * 1024;
/** Aliases a policy may use (a shared list of signers); thousands are an alias bomb. */
const MAX_ALIASES = 50;

/** Reads and checks a policy file; `display` is how messages and records name it. */
export async function loadPolicy(file: string, display: string = file): Promise<LoadedPolicy> {
  let bytes: Buffer;
  try {
    bytes = await readBoundedFile(file, MAX_POLICY_BYTES, display);
  } catch (error) {
    const why = isMissingFile(error)
      ? 'there is no such file'
      : stripFile(describeError(error), display).replace(/ — .*$/, '');
    throw new LedgerError('BAD_INPUT', `cannot read the policy file: ${why}`, {
      file: display,
      cause: error,
      fix: 'check the path given with --policy (or the `policy` input)',
    });
  }
  return parsePolicy(bytes, display);
}

/** A problem in the file, at a path the schema validator or the compiler names. */
interface Issue {
  path: string;
  message: string;
  fix?: string;
}

/** Checks and compiles a policy from its bytes; `display` names the file in messages. */
export function parsePolicy(bytes: Buffer, display: string): LoadedPolicy {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new LedgerError('BAD_INPUT', 'is not UTF-8 text', {
      file: display,
      fix: 'save the policy as UTF-8 YAML or JSON',
    });
  }
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const [syntax] = document.errors;
  if (syntax) {
    const line = lines.linePos(syntax.pos[0]).line;
    if (syntax.code === 'RESOURCE_EXHAUSTION') {
      // `yaml` ran out of stack on nesting (it catches the RangeError and reports it as this code).
      throw new LedgerError('BAD_INPUT', 'nests too deeply to be a policy', {
        file: display,
        field: `line ${line}`,
        cause: syntax,
        fix: FORMAT_FIX,
      });
    }
    throw new LedgerError('BAD_INPUT', `is not valid YAML or JSON: ${firstLine(syntax.message)}`, {
      file: display,
      field: `line ${line}`,
      cause: syntax,
    });
  }
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: MAX_ALIASES }) ?? {};
  } catch (error) {
    // `yaml` refuses alias bombs (billion laughs) with a ReferenceError.
    throw new LedgerError('BAD_INPUT', `cannot be read: ${describeError(error)}`, {
      file: display,
      cause: error,
      fix: 'write the values out instead of repeating them through YAML aliases (*name)',
    });
  }
  const shape: Issue[] = policyShapeIssues(value).map((issue) => ({
    ...issue,
    ...(issue.message === 'is not a known field' ? { fix: knownFieldsFix(issue.path) } : {}),
  }));
  if (shape.length > 0) throwIssues(shape, display, document.contents, lines);
  const issues: Issue[] = [];
  const policy = compile(value as Record<string, unknown>, issues);
  if (issues.length > 0) throwIssues(issues, display, document.contents, lines);
  return { file: display, sha256: sha256Hex(bytes), policy };
}

function stripFile(message: string, display: string): string {
  return message.startsWith(`${display}: `) ? message.slice(display.length + 2) : message;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

function knownFieldsFix(path: string): string {
  const steps = pathSteps(path);
  const parent = steps.slice(0, -1);
  const fields = knownFields(parent);
  const where =
    parent.length === 0 ? 'a policy' : path.slice(0, path.length - String(steps.at(-1)).length - 1);
  return fields.length > 0 ? `${where} takes: ${fields.join(', ')}` : FORMAT_FIX;
}

function throwIssues(issues: Issue[], display: string, root: unknown, lines: LineCounter): never {
  const located = issues.map((issue) => ({ ...issue, line: lineOf(root, issue.path, lines) }));
  const [first, ...rest] = located as [(typeof located)[number], ...typeof located];
  const also = rest
    .slice(0, 4)
    .map(
      (issue) => `${issue.line === undefined ? '' : `line ${issue.line}: `}${issue.path} ${issue.message}`,
    );
  const more = rest.length > 4 ? [`${rest.length - 4} more`] : [];
  throw new LedgerError(
    'BAD_INPUT',
    `${first.path} ${first.message}${also.length > 0 ? ` (also: ${[...also, ...more].join('; ')})` : ''}`,
    {
      file: display,
      ...(first.line === undefined ? {} : { field: `line ${first.line}` }),
      fix: first.fix ?? FORMAT_FIX,
    },
  );
}

/** The 1-based line of the YAML node a validator path names: the key's line for a field, else the nearest parent's. */
function lineOf(root: unknown, path: string, lines: LineCounter): number | undefined {
  let node = root as Node | null | undefined;
  let offset = node?.range?.[0];
  for (const step of pathSteps(path)) {
    if (isMap(node)) {
      const pair = node.items.find((item) => (item.key as { value?: unknown } | null)?.value === step);
      if (!pair) break;
      offset = (pair.key as Node | null)?.range?.[0] ?? offset;
      node = pair.value as Node | null;
    } else if (isSeq(node) && typeof step === 'number') {
      node = node.items[step] as Node | null;
      offset = node?.range?.[0] ?? offset;
    } else {
      break;
    }
  }
  return offset === undefined ? undefined : lines.linePos(offset).line;
}

// ---- compiling a policy whose shape the schema has accepted -------------------------------------

type Raw = Record<string, unknown>;

function meta(raw: Raw): RuleMeta {
  return {
    level: raw['level'] === 'warn' ? 'warn' : 'enforce',
    ...(typeof raw['message'] === 'string' ? { message: raw['message'] } : {}),
  };
}

function compile(raw: Raw, issues: Issue[]): Policy {
  const policy: Policy = { version: 1, required: [] };
  const required = (raw['required'] ?? []) as Raw[];
  required.forEach((entry, index) => {
    const path = entry['path'] as string;
    const steps = parsePath(path);
    const problem = typeof steps === 'string' ? steps : checkPathAgainstRecord(steps);
    if (problem !== undefined || typeof steps === 'string') {
      issues.push({
        path: `required[${index}].path`,
        message: `is not a field a record can have: ${problem ?? ''}`,
        fix: 'paths are dotted paths into the record predicate, e.g. training.run.seed or datasets[*].description.license',
      });
      return;
    }
    policy.required.push({ path, steps, ...meta(entry) });
  });
  if (isPlainObject(raw['approvals'])) {
    const approvals = raw['approvals'];
    policy.approvals = {
      ...meta(approvals),
      minimum: typeof approvals['minimum'] === 'number' ? approvals['minimum'] : 1,
      onLastCommit: approvals['on-last-commit'] !== false,
      ...(Array.isArray(approvals['teams']) ? { teams: approvals['teams'] as string[] } : {}),
    };
  }
  if (raw['signers'] !== undefined) {
    const listed = Array.isArray(raw['signers']);
    const container = (listed ? {} : raw['signers']) as Raw;
    const entries = (listed ? raw['signers'] : container['allow']) as Raw[];
    const at = listed ? 'signers' : 'signers.allow';
    policy.signers = {
      ...meta(container),
      allow: entries.map((entry, index) => compileSigner(entry, `${at}[${index}]`, issues)),
    };
  }
  if (isPlainObject(raw['datasets'])) {
    const datasets = raw['datasets'];
    policy.datasets = meta(datasets);
    if (Array.isArray(datasets['allow'])) {
      policy.datasets.allow = (datasets['allow'] as Raw[]).map((entry, index) =>
        compileDatasetPattern(entry, `datasets.allow[${index}]`, issues),
      );
    }
    if (Array.isArray(datasets['deny-licenses']))
      policy.datasets.denyLicenses = datasets['deny-licenses'] as string[];
  }
  if (isPlainObject(raw['models'])) {
    const models = raw['models'];
    policy.models = {
      ...meta(models),
      ...(Array.isArray(models['formats']) ? { formats: models['formats'] as string[] } : {}),
      ...(typeof models['pickle'] === 'string'
        ? { pickle: models['pickle'] as 'deny' | 'warn' | 'allow' }
        : {}),
      ...(typeof models['pickle-unknown'] === 'string'
        ? { pickleUnknown: models['pickle-unknown'] as 'deny' | 'warn' | 'allow' }
        : {}),
      ...(typeof models['pickle-incomplete'] === 'string'
        ? { pickleIncomplete: models['pickle-incomplete'] as 'deny' | 'warn' | 'allow' }
        : {}),
      ...(typeof models['max-size-bytes'] === 'number' ? { maxSizeBytes: models['max-size-bytes'] } : {}),
    };
  }
  if (isPlainObject(raw['dependencies'])) {
    const dependencies = raw['dependencies'];
    policy.dependencies = {
      ...meta(dependencies),
      ...(typeof dependencies['require-lockfiles'] === 'boolean'
        ? { requireLockfiles: dependencies['require-lockfiles'] }
        : {}),
    };
    if (Array.isArray(dependencies['deny'])) {
      policy.dependencies.deny = (dependencies['deny'] as string[]).flatMap((purl, index) => {
        const parsed = parsePurl(purl);
        if (parsed) return [{ source: purl, ...parsed } satisfies DeniedPackage];
        issues.push({
          path: `dependencies.deny[${index}]`,
          message: `"${purl}" is not a package URL`,
          fix: 'write pkg:TYPE/[NAMESPACE/]NAME, with @VERSION to deny one version only, e.g. pkg:npm/event-stream@3.3.6',
        });
        return [];
      });
    }
  }
  if (isPlainObject(raw['retention'])) {
    const retention = raw['retention'];
    policy.retention = { ...meta(retention), years: retention['years'] as number };
  }
  if (isPlainObject(raw['working-tree'])) policy.workingTree = meta(raw['working-tree']);
  return policy;
}

function compileSigner(raw: Raw, at: string, issues: Issue[]): SignerPattern {
  const identity = raw['identity'] as string | undefined;
  const regexp = raw['identity-regexp'] as string | undefined;
  const issuer = raw['issuer'] as string | undefined;
  const keyHint = raw['key-hint'] as string | undefined;
  const given = [identity, regexp, keyHint].filter((value) => value !== undefined).length;
  if (given !== 1) {
    issues.push({
      path: at,
      message: given === 0 ? 'names no signer' : 'names more than one signer',
      fix: 'give exactly one of identity, identity-regexp (each with issuer) or key-hint per entry',
    });
  } else if (keyHint !== undefined && issuer !== undefined) {
    issues.push({
      path: `${at}.issuer`,
      message: 'does not apply to a key-hint: keys have no OIDC issuer',
      fix: 'remove issuer from this entry',
    });
  } else if (keyHint === undefined && issuer === undefined) {
    issues.push({
      path: at,
      message: 'needs the issuer of its identity: any OIDC provider could vouch for a name otherwise',
      fix: 'add issuer: https://token.actions.githubusercontent.com for GitHub Actions, or your provider’s URL',
    });
  }
  const pattern: SignerPattern = {
    ...(identity === undefined ? {} : { identity }),
    ...(issuer === undefined ? {} : { issuer }),
    ...(keyHint === undefined ? {} : { keyHint }),
  };
  if (regexp !== undefined) {
    try {
      pattern.identityRegexp = { source: regexp, regexp: new RegExp(regexp) };
    } catch (error) {
      issues.push({
        path: `${at}.identity-regexp`,
        message: `is not a valid regular expression (${describeError(error)})`,
        fix: 'fix the expression; in YAML, quote it with single quotes so backslashes stay as written',
      });
    }
  }
  return pattern;
}

function compileDatasetPattern(raw: Raw, at: string, issues: Issue[]): DatasetPattern {
  const pattern: DatasetPattern = {};
  for (const field of ['name', 'path', 'uri'] as const) {
    const glob = raw[field];
    if (typeof glob !== 'string') continue;
    const matcher = compileGlob(glob, `${at}.${field}`, issues);
    if (matcher) pattern[field] = matcher;
  }
  if (Object.keys(raw).length === 0) {
    issues.push({
      path: at,
      message: 'has no name, path or uri glob, so it would allow every dataset',
      fix: 'give a name, path or uri glob, e.g. { name: "fraud-*" }',
    });
  }
  return pattern;
}

function compileGlob(glob: string, at: string, issues: Issue[]): Matcher | undefined {
  try {
    return { source: glob, regexp: globToRegExp(glob) };
  } catch (error) {
    issues.push({
      path: at,
      message: `"${glob}" is not a valid glob (${describeError(error)})`,
      fix: 'globs use * (within a segment), ** (any segments), ?, [abc] and {a,b}; close every { and [',
    });
    return undefined;
  }
}
