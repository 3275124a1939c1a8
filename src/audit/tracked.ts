/**
 * The paths a ledger tracks: what model-ledger.yml names (models, datasets, training file,
 * lockfiles, policy, the config itself) and what the records themselves name. A commit that
 * changes one of them is a change the ledger should hold.
 */
import { DEFAULT_CONFIG_FILE, type LedgerConfig } from '../config/load.js';
import { isUri } from '../collect/dataset-uri.js';
import { globToRegExp, hasGlobMagic } from '../fs/glob.js';
import { SKIPPED_DIRECTORIES, MAX_SEARCH_DEPTH } from '../lockfiles/find.js';
import { parserForPath } from '../lockfiles/registry.js';
import { DEFAULT_POLICY_FILE } from '../policy/load.js';
import type { RecordPredicate } from '../record/predicate.js';

export type TrackedKind = 'model' | 'dataset' | 'training' | 'lockfile' | 'config' | 'policy';

export interface TrackedPattern {
  /** A repository-relative path (a file, or a directory and everything under it) or a glob. */
  pattern: string;
  kind: TrackedKind;
  source: 'config' | 'records' | 'lockfile-name';
}

export interface TrackedPaths {
  patterns: TrackedPattern[];
  /** Any lockfile by its usual name counts (the config names no lockfiles, so records search for them). */
  lockfilesByName: boolean;
  /** The pattern a path falls under, or null when the ledger does not track it. */
  match(path: string): TrackedPattern | null;
}

export interface TrackedPathsOptions {
  config: LedgerConfig;
  /** The config file as the repository names it (default model-ledger.yml). */
  configFile?: string;
  /** The predicates of the ledger's records (those that decode). */
  records: RecordPredicate[];
}

function normalize(path: string): string {
  return path.replace(/^\.\//, '').replace(/\/+$/, '');
}

function configPatterns(config: LedgerConfig, configFile: string): TrackedPattern[] {
  const patterns: TrackedPattern[] = [{ pattern: configFile, kind: 'config', source: 'config' }];
  const add = (pattern: string, kind: TrackedKind): void => {
    patterns.push({ pattern: normalize(pattern), kind, source: 'config' });
  };
  for (const model of config.models ?? []) add(model, 'model');
  for (const dataset of config.datasets ?? []) {
    if (typeof dataset === 'string') {
      if (!isUri(dataset)) add(dataset, 'dataset');
    } else {
      const local = dataset.path ?? dataset.glob;
      if (local !== undefined) add(local, 'dataset');
    }
  }
  if (config.training !== undefined) add(config.training, 'training');
  for (const lockfile of config.lockfiles ?? []) add(lockfile, 'lockfile');
  add(config.policy ?? DEFAULT_POLICY_FILE, 'policy');
  return patterns;
}

function recordPatterns(records: RecordPredicate[]): TrackedPattern[] {
  const patterns: TrackedPattern[] = [];
  const add = (pattern: string, kind: TrackedKind): void => {
    patterns.push({ pattern: normalize(pattern), kind, source: 'records' });
  };
  for (const predicate of records) {
    for (const model of predicate.models) add(model.name, 'model');
    for (const dataset of predicate.datasets) if (dataset.path !== undefined) add(dataset.path, 'dataset');
    if (predicate.training) add(predicate.training.source, 'training');
    for (const lockfile of predicate.dependencies.lockfiles) add(lockfile.path, 'lockfile');
    if (predicate.policy) add(predicate.policy.file, 'policy');
  }
  return patterns;
}

/** A lockfile the default search would find: a lockfile name outside hidden and skipped folders. */
function isSearchedLockfile(path: string): boolean {
  const segments = path.split('/');
  const folders = segments.slice(0, -1);
  if (folders.length > MAX_SEARCH_DEPTH) return false;
  if (folders.some((folder) => folder.startsWith('.') || SKIPPED_DIRECTORIES.has(folder))) return false;
  return parserForPath(path) !== undefined;
}

export function trackedPaths(options: TrackedPathsOptions): TrackedPaths {
  const all = [
    ...configPatterns(options.config, normalize(options.configFile ?? DEFAULT_CONFIG_FILE)),
    ...recordPatterns(options.records),
  ];
  const seen = new Set<string>();
  const patterns = all.filter((entry) => {
    const key = `${entry.kind}\n${entry.pattern}`;
    if (entry.pattern === '' || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const lockfilesByName = (options.config.lockfiles ?? []).length === 0;
  const matchers = patterns.map((entry) => {
    if (hasGlobMagic(entry.pattern)) {
      const regexp = globToRegExp(entry.pattern);
      return (path: string) => regexp.test(path);
    }
    return (path: string) => path === entry.pattern || path.startsWith(`${entry.pattern}/`);
  });
  const byName: TrackedPattern = { pattern: '(any lockfile)', kind: 'lockfile', source: 'lockfile-name' };
  return {
    patterns,
    lockfilesByName,
    match(path) {
      const index = matchers.findIndex((matches) => matches(path));
      if (index !== -1) return patterns[index] ?? null;
      return lockfilesByName && isSearchedLockfile(path) ? byName : null;
    },
  };
}
