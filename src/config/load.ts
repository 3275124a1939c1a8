import { LineCounter, parseDocument, isMap, isSeq, type Node } from 'yaml';

import configSchema from '../../schema/config-v1.schema.json' with { type: 'json' };
import type { DatasetSpec } from '../collect/datasets.js';
import type { DependenciesMode } from '../collect/dependencies.js';
import type { LockfileSearch } from '../lockfiles/find.js';
import { LedgerError, describeError } from '../errors.js';
import { isMissingFile, readBoundedText } from '../fs/bounded.js';
import { SchemaValidator, type JsonSchema } from '../record/json-schema.js';
import type { JsonValue } from '../record/predicate.js';

export const DEFAULT_CONFIG_FILE = 'model-ledger.yml';

/** model-ledger.yml lists paths and a few settings: a megabyte is far more than any needs. */
const MAX_CONFIG_BYTES = 1024 * 1024;
/** Aliases a config may use; a few share a list, thousands are an alias bomb. */
const MAX_ALIASES = 20;
/** Dataset descriptions are free-form, but shallow. */
const MAX_NESTING = 32;

/** How deep a parsed value nests, counted up to `limit + 1` (so a deep value costs no more). */
export function nestingDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop() as [unknown, number];
    if (typeof item !== 'object' || item === null) continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > limit) return deepest;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** What model-ledger.yml says; every field optional, command-line flags add to or override it. */
export interface LedgerConfig {
  ledger?: string;
  store?: string;
  models?: string[];
  datasets?: DatasetSpec[];
  training?: string;
  lockfiles?: string[];
  dependencies?: DependenciesMode;
  /** `dependencies: { skip: [...], include: [...] }`: folders the lockfile search skips besides, or searches despite, the defaults. */
  lockfileSearch?: LockfileSearch;
  policy?: string;
  env?: string[];
}

interface RawDataset {
  name?: string;
  path?: string;
  glob?: string;
  uri?: string;
  sha256?: string;
  size?: number;
  files?: number;
  license?: string;
  source?: string;
  split?: string;
  rows?: number;
  schema?: string;
  'personal-data'?: boolean;
  'intended-use'?: string;
  description?: Record<string, JsonValue>;
  scan?: boolean;
}

/** Config keys that describe a dataset, as they appear in the record's `description`. */
const DESCRIPTIVE: [keyof RawDataset, string][] = [
  ['license', 'license'],
  ['source', 'source'],
  ['split', 'split'],
  ['rows', 'rows'],
  ['schema', 'schema'],
  ['personal-data', 'personalData'],
  ['intended-use', 'intendedUse'],
];

const validator = new SchemaValidator(configSchema as JsonSchema);

/** The object form of `dependencies`, checked alone when the whole fails, to name the exact field and line. */
const dependenciesValidator = new SchemaValidator({
  ...(configSchema.properties.dependencies.anyOf[1] as JsonSchema),
  $defs: configSchema.$defs,
} as JsonSchema);

/** A schema issue, made precise inside `dependencies: { ... }` (an anyOf reports only "must match one of"). */
function firstIssue(value: unknown): { path: string; message: string } | undefined {
  const [issue] = validator.validate(value, 1);
  const dependencies = (value as Record<string, unknown> | null)?.['dependencies'];
  if (issue?.path === 'dependencies' && typeof dependencies === 'object' && dependencies !== null) {
    const [inner] = dependenciesValidator.validate(dependencies, 1);
    if (inner) {
      const path = inner.path === '(root)' ? 'dependencies' : `dependencies.${inner.path}`;
      const message = inner.message.startsWith('must match ^')
        ? 'must be a folder name or a repository-relative folder path (no `..`, no leading `/`, no glob characters)'
        : inner.message.replaceAll(inner.path, path);
      return { path, message };
    }
  }
  if (issue?.path === 'dependencies') {
    return {
      path: issue.path,
      message: 'must be strict, best-effort, or a mapping of mode, skip and include',
    };
  }
  return issue;
}

/**
 * Reads model-ledger.yml. `required` false: an absent file is an empty config (the default file
 * is optional); a file named explicitly must exist. Problems name the file and the line.
 */
export async function loadConfig(file: string, display: string, required: boolean): Promise<LedgerConfig> {
  let text: string;
  try {
    text = await readBoundedText(file, MAX_CONFIG_BYTES, display);
  } catch (error) {
    if (!required && isMissingFile(error)) return {};
    const why = describeError(error)
      .replace(`${display}: `, '')
      .replace(/ — .*$/, '');
    throw new LedgerError('BAD_INPUT', `cannot read the config file: ${why}`, {
      file: display,
      cause: error,
      fix: 'check the path given with --config (model-ledger.yml by default)',
    });
  }
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const [syntax] = document.errors;
  if (syntax) {
    const line = syntax.linePos?.[0].line;
    throw new LedgerError(
      'BAD_INPUT',
      // `yaml` reports running out of stack on nesting as RESOURCE_EXHAUSTION.
      syntax.code === 'RESOURCE_EXHAUSTION'
        ? 'nests too deeply to be a config'
        : `is not valid YAML (${syntax.code})`,
      {
        file: display,
        ...(line === undefined ? {} : { field: `line ${line}` }),
        cause: syntax,
      },
    );
  }
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: MAX_ALIASES }) ?? {};
  } catch (error) {
    // `yaml` refuses alias bombs (billion laughs) with a ReferenceError naming no file.
    throw new LedgerError('BAD_INPUT', `cannot be read: ${describeError(error)}`, {
      file: display,
      cause: error,
      fix: 'write the values out instead of repeating them through YAML aliases (*name)',
    });
  }
  if (nestingDepth(value, MAX_NESTING) > MAX_NESTING) {
    throw new LedgerError('BAD_INPUT', `nests deeper than ${MAX_NESTING} levels`, {
      file: display,
      fix: 'see the config format in the README; no field of it nests that deep',
    });
  }
  const issue = firstIssue(value);
  if (issue) {
    const line = lineOf(document.contents, issue.path, lines);
    throw new LedgerError('BAD_INPUT', `${issue.path} ${issue.message}`, {
      file: display,
      ...(line === undefined ? {} : { field: `line ${line}` }),
      fix: 'see the config format in the README',
    });
  }
  return toConfig(value as Record<string, unknown>);
}

function toConfig(raw: Record<string, unknown>): LedgerConfig {
  const config = { ...raw } as LedgerConfig & { version?: number; datasets?: (string | RawDataset)[] };
  delete config.version;
  if (config.datasets) config.datasets = config.datasets.map(toDatasetSpec);
  const dependencies = raw['dependencies'];
  if (typeof dependencies === 'object' && dependencies !== null) {
    const { mode, skip, include } = dependencies as { mode?: DependenciesMode } & LockfileSearch;
    delete config.dependencies;
    if (mode !== undefined) config.dependencies = mode;
    if (skip !== undefined || include !== undefined) {
      config.lockfileSearch = {
        ...(skip === undefined ? {} : { skip }),
        ...(include === undefined ? {} : { include }),
      };
    }
  }
  return config;
}

function toDatasetSpec(entry: string | RawDataset): DatasetSpec {
  if (typeof entry === 'string') return entry;
  const description: Record<string, JsonValue> = { ...(entry.description ?? {}) };
  for (const [key, field] of DESCRIPTIVE) {
    const value = entry[key];
    if (value !== undefined) description[field] = value;
  }
  return {
    ...(entry.name === undefined ? {} : { name: entry.name }),
    ...(entry.path === undefined ? {} : { path: entry.path }),
    ...(entry.glob === undefined ? {} : { glob: entry.glob }),
    ...(entry.uri === undefined ? {} : { uri: entry.uri }),
    ...(entry.sha256 === undefined ? {} : { sha256: entry.sha256 }),
    ...(entry.size === undefined ? {} : { size: entry.size }),
    ...(entry.files === undefined ? {} : { files: entry.files }),
    ...(Object.keys(description).length > 0 ? { description } : {}),
    ...(entry.scan === undefined ? {} : { scan: entry.scan }),
  };
}

/** The line of the YAML node at a validator path such as `datasets[1].rows` (1-based). */
function lineOf(root: unknown, path: string, lines: LineCounter): number | undefined {
  const steps = path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter((step) => step !== '' && step !== '(root)');
  let node = root as Node | null | undefined;
  let offset = node?.range?.[0];
  for (const step of steps) {
    if (isMap(node)) {
      const pair = node.items.find((item) => (item.key as { value?: unknown } | null)?.value === step);
      if (!pair) break;
      offset = (pair.key as Node | null)?.range?.[0] ?? offset;
      node = pair.value as Node | null;
    } else if (isSeq(node)) {
      node = node.items[Number(step)] as Node | null;
      offset = node?.range?.[0] ?? offset;
    } else {
      break;
    }
  }
  return offset === undefined ? undefined : lines.linePos(offset).line;
}
