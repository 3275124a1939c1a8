/**
 * One record's sections rebuilt from its commit alone, each compared field by field with what
 * was signed. A section whose sources are not in the repository (the CI environment, the pull
 * request and its approvals, artifacts that were built rather than committed) is not replayable:
 * it is listed, never counted as a match.
 */
import { lstat, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { CommitCollector, MAX_CHANGED_FILES, changedFilesBetween } from '../collect/commit.js';
import { collectDependencies } from '../collect/dependencies.js';
import { DatasetsCollector, type DatasetSpec } from '../collect/datasets.js';
import { ModelsCollector } from '../collect/models.js';
import { TrainingCollector } from '../collect/training.js';
import type { CollectContext } from '../collect/types.js';
import { DEFAULT_CONFIG_FILE, loadConfig } from '../config/load.js';
import { LedgerError, errnoCode } from '../errors.js';
import { hasGlobMagic } from '../fs/glob.js';
import { sha256Hex } from '../hash/file.js';
import { silentLogger } from '../log.js';
import type {
  ChangedFile,
  DatasetEntry,
  JsonValue,
  ModelEntry,
  RecordPredicate,
} from '../record/predicate.js';
import { hasCommit } from './worktree.js';

export type SectionName = 'commit' | 'dependencies' | 'models' | 'datasets' | 'training' | 'policy';

export interface Difference {
  field: string;
  recorded: JsonValue;
  rebuilt: JsonValue;
}

export interface SectionReplay {
  section: string;
  status: 'match' | 'mismatch' | 'not-replayable';
  differences: Difference[];
  /** Why a section, or a part of it, could not be rebuilt. */
  notReplayable: string[];
}

/** Sections whose sources are never in the repository. */
export const NOT_REPLAYABLE: readonly { section: string; reason: string }[] = [
  { section: 'change', reason: 'pull request, reviews and approvals come from the GitHub API at the time' },
  { section: 'environment', reason: 'the CI context, runner and tool versions of the run' },
  { section: 'signing', reason: 'how the record was signed is checked by verification, not rebuilt' },
  {
    section: 'commit context',
    reason:
      'commit.repositoryUrl, commit.ref and commit.githubVerification come from the CI run and the GitHub API',
  },
];

function json(value: unknown): JsonValue {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as JsonValue);
}

/** JSON with object keys sorted: two values are the same whatever order their keys were written in. */
function canonical(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, item: unknown) =>
    item !== null && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}

function same(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function compareFields(
  prefix: string,
  recorded: object,
  rebuilt: object,
  fields: string[],
  out: Difference[],
): void {
  for (const field of fields) {
    const a = (recorded as Record<string, unknown>)[field];
    const b = (rebuilt as Record<string, unknown>)[field];
    if (!same(a, b)) out.push({ field: `${prefix}.${field}`, recorded: json(a), rebuilt: json(b) });
  }
}

/** Items only on one side of two keyed lists, as a difference listing just those. */
function compareSets(field: string, recorded: string[], rebuilt: string[], out: Difference[]): void {
  const a = new Set(recorded);
  const b = new Set(rebuilt);
  const onlyRecorded = recorded.filter((item) => !b.has(item));
  const onlyRebuilt = rebuilt.filter((item) => !a.has(item));
  if (onlyRecorded.length > 0 || onlyRebuilt.length > 0)
    out.push({ field, recorded: onlyRecorded, rebuilt: onlyRebuilt });
}

function verdict(
  section: string,
  differences: Difference[],
  notReplayable: string[],
  rebuiltAny: boolean,
): SectionReplay {
  return {
    section,
    status: !rebuiltAny ? 'not-replayable' : differences.length > 0 ? 'mismatch' : 'match',
    differences,
    notReplayable,
  };
}

export interface ReplayContext {
  /** The worktree at the record's commit. */
  dir: string;
  predicate: RecordPredicate;
  /** The previous record's predicate: changed files are compared with its commit, as at record time. */
  previous: RecordPredicate | null;
}

function collectContext(dir: string, previous: RecordPredicate | null, notes: string[]): CollectContext {
  return {
    cwd: dir,
    env: {},
    previous,
    log: silentLogger,
    note: (text) => notes.push(text),
    attach: () => undefined,
  };
}

/** Whether a repository-relative path is in the checked-out commit, and not a git-lfs pointer left unfetched. */
async function presence(dir: string, path: string): Promise<'present' | 'absent' | 'lfs-pointer'> {
  try {
    const info = await lstat(join(dir, path));
    if (info.isFile() && info.size < 1024) {
      const head = (await readFile(join(dir, path))).subarray(0, 64).toString('utf8');
      if (head.startsWith('version https://git-lfs.github.com/spec/')) return 'lfs-pointer';
    }
    return 'present';
  } catch (error) {
    if (errnoCode(error) === 'ENOENT' || errnoCode(error) === 'ENOTDIR') return 'absent';
    throw new LedgerError('IO', 'cannot read the checked-out file', { file: path, cause: error });
  }
}

function absentReason(kind: string, path: string, state: 'absent' | 'lfs-pointer'): string {
  return state === 'absent'
    ? `${kind} ${path} is not in the commit (built or fetched, not committed)`
    : `${kind} ${path} is a git-lfs pointer whose content is not available here (install git-lfs and fetch the objects)`;
}

/**
 * The commit's facts, read again; its changed files, compared with the commit the record says it
 * compared with — which must be the previous record's commit or the first parent, as at record
 * time — when this clone has that commit.
 */
export async function replayCommit({ dir, predicate, previous }: ReplayContext): Promise<SectionReplay> {
  const recorded = predicate.commit;
  if (!recorded) return verdict('commit', [], ['the record names no commit'], false);
  const rebuilt = await new CommitCollector().collect(collectContext(dir, null, []));
  if (!rebuilt) return verdict('commit', [], ['the commit could not be read'], false);
  const differences: Difference[] = [];
  const notReplayable: string[] = [];
  compareFields(
    'commit',
    recorded,
    rebuilt,
    ['sha', 'tree', 'parents', 'author', 'committer', 'message', 'signed'],
    differences,
  );
  const base = recorded.comparedWith;
  const allowed = [previous?.commit?.sha, recorded.parents[0]].filter((sha) => sha !== undefined);
  if (base !== undefined && !allowed.includes(base)) {
    differences.push({
      field: 'commit.comparedWith',
      recorded: base,
      rebuilt: `the previous record's commit or the first parent (${allowed.join(' or ') || 'none'})`,
    });
  }
  const files = (list: ChangedFile[]): string[] =>
    list.map((file) => `${file.status} ${file.previousPath ? `${file.previousPath} -> ` : ''}${file.path}`);
  if (recorded.changedFiles === undefined) {
    notReplayable.push('changed files: the record has none (its base was not in the clone it was made from)');
  } else if (base !== undefined && !(await hasCommit(dir, base))) {
    notReplayable.push(`changed files: the commit they were compared with, ${base}, is not in this clone`);
  } else {
    const again = await changedFilesBetween(dir, base ?? null, recorded.sha);
    compareSets(
      'commit.changedFiles',
      files(recorded.changedFiles),
      files(again.slice(0, MAX_CHANGED_FILES)),
      differences,
    );
  }
  return verdict('commit', differences, notReplayable, true);
}

export async function replayDependencies({ dir, predicate }: ReplayContext): Promise<SectionReplay> {
  const config = await loadConfig(join(dir, DEFAULT_CONFIG_FILE), DEFAULT_CONFIG_FILE, false);
  const rebuilt = await collectDependencies({
    cwd: dir,
    ...(config.lockfiles && config.lockfiles.length > 0 ? { paths: config.lockfiles } : {}),
    // A lockfile skipped at record time is skipped again, and shows as a difference in the list.
    mode: 'best-effort',
    log: silentLogger,
    note: () => undefined,
  });
  const differences: Difference[] = [];
  const recorded = predicate.dependencies.lockfiles;
  compareSets(
    'dependencies.lockfiles',
    recorded.map((lockfile) => lockfile.path),
    rebuilt.lockfiles.map((lockfile) => lockfile.path),
    differences,
  );
  const packageKey = (pkg: { purl: string; integrity?: string }): string =>
    pkg.integrity ? `${pkg.purl} (${pkg.integrity})` : pkg.purl;
  for (const lockfile of recorded) {
    const again = rebuilt.lockfiles.find((candidate) => candidate.path === lockfile.path);
    if (!again) continue;
    const prefix = `dependencies.lockfiles[${lockfile.path}]`;
    compareFields(prefix, lockfile, again, ['kind', 'sha256'], differences);
    compareSets(
      `${prefix}.packages`,
      lockfile.packages.map(packageKey),
      again.packages.map(packageKey),
      differences,
    );
  }
  return verdict('dependencies', differences, [], true);
}

const MODEL_FIELDS = ['kind', 'digest', 'size', 'files', 'format'];

export async function replayModels({ dir, predicate }: ReplayContext): Promise<SectionReplay> {
  const differences: Difference[] = [];
  const notReplayable: string[] = [];
  const present: ModelEntry[] = [];
  for (const model of predicate.models) {
    const state = await presence(dir, model.name);
    if (state === 'present') present.push(model);
    else notReplayable.push(absentReason('model', model.name, state));
  }
  if (predicate.models.length === 0) notReplayable.push('the record has no models');
  if (present.length === 0) return verdict('models', differences, notReplayable, false);
  const rebuilt = await new ModelsCollector({
    patterns: present.map((model) => model.name),
    noCache: true,
  }).collect(collectContext(dir, null, []));
  for (const model of present) {
    const again = rebuilt.find((entry) => entry.name === model.name);
    if (again) compareFields(`models[${model.name}]`, model, again, MODEL_FIELDS, differences);
  }
  return verdict('models', differences, notReplayable, true);
}

const DATASET_FIELDS = ['kind', 'digest', 'size', 'files'];

export async function replayDatasets({ dir, predicate }: ReplayContext): Promise<SectionReplay> {
  const differences: Difference[] = [];
  const notReplayable: string[] = [];
  const specs: { entry: DatasetEntry; spec: DatasetSpec }[] = [];
  for (const dataset of predicate.datasets) {
    if (dataset.kind === 'uri' || dataset.path === undefined) {
      notReplayable.push(
        `dataset ${dataset.name} is recorded by reference (${dataset.uri ?? 'no path'}), not in git`,
      );
      continue;
    }
    const glob = hasGlobMagic(dataset.path);
    const state = glob ? 'present' : await presence(dir, dataset.path);
    if (state !== 'present') {
      notReplayable.push(absentReason('dataset', dataset.path, state));
      continue;
    }
    specs.push({
      entry: dataset,
      spec: glob ? { glob: dataset.path, name: dataset.name } : { path: dataset.path, name: dataset.name },
    });
  }
  if (predicate.datasets.length === 0) notReplayable.push('the record has no datasets');
  if (specs.length === 0) return verdict('datasets', differences, notReplayable, false);
  const rebuilt = await new DatasetsCollector({
    datasets: specs.map((item) => item.spec),
    noCache: true,
  }).collect(collectContext(dir, null, []));
  specs.forEach(({ entry }, index) => {
    const again = rebuilt[index];
    if (again) compareFields(`datasets[${entry.name}]`, entry, again, DATASET_FIELDS, differences);
  });
  return verdict('datasets', differences, notReplayable, true);
}

export async function replayTraining({ dir, predicate }: ReplayContext): Promise<SectionReplay> {
  const recorded = predicate.training;
  if (!recorded) return verdict('training', [], ['the record has no training description'], false);
  const source = recorded.source;
  const state = await presence(dir, source);
  if (state !== 'present')
    return verdict('training', [], [absentReason('training file', source, state)], false);
  const rebuilt = await new TrainingCollector({ path: source }).collect(collectContext(dir, null, []));
  const differences: Difference[] = [];
  if (rebuilt)
    compareFields(
      'training',
      recorded,
      rebuilt,
      ['source', 'sourceSha256', 'sourceKind', 'run'],
      differences,
    );
  return verdict('training', differences, [], rebuilt !== null);
}

export async function replayPolicy({ dir, predicate }: ReplayContext): Promise<SectionReplay> {
  const recorded = predicate.policy;
  if (!recorded) return verdict('policy', [], ['the record was made without a policy'], false);
  const state = await presence(dir, recorded.file);
  if (state !== 'present')
    return verdict('policy', [], [absentReason('policy file', recorded.file, state)], false);
  const differences: Difference[] = [];
  const digest = sha256Hex(await readFile(join(dir, recorded.file)));
  if (digest !== recorded.sha256)
    differences.push({ field: 'policy.sha256', recorded: recorded.sha256, rebuilt: digest });
  return verdict(
    'policy',
    differences,
    ['policy results depend on the approvals and signer of the run'],
    true,
  );
}

export const SECTION_REPLAYS: readonly {
  section: SectionName;
  replay: (context: ReplayContext) => Promise<SectionReplay>;
}[] = [
  { section: 'commit', replay: replayCommit },
  { section: 'dependencies', replay: replayDependencies },
  { section: 'models', replay: replayModels },
  { section: 'datasets', replay: replayDatasets },
  { section: 'training', replay: replayTraining },
  { section: 'policy', replay: replayPolicy },
];
