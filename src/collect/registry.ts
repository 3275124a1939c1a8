import { githubAvailability, type GitHubOptions } from '../github/context.js';
import type { Logger } from '../log.js';
import type { RecordPredicate } from '../record/predicate.js';
import type { Attachment } from '../store/types.js';
import { ChangeCollector } from './change.js';
import { CommitCollector, readWorkingTree, workingTreeState } from './commit.js';
import type { LockfileSearch } from '../lockfiles/find.js';
import { dependenciesCollector, type DependenciesMode } from './dependencies.js';
import { EnvironmentCollector } from './environment.js';
import { DatasetsCollector, type DatasetSpec } from './datasets.js';
import { ModelsCollector } from './models.js';
import { TrainingCollector } from './training.js';
import type { HashingOptions } from '../hash/index.js';
import type { CollectContext, CollectedSections } from './types.js';
import { repositoryRelative } from '../fs/repo-path.js';
import { isUri } from './dataset-uri.js';

export interface CollectOptions {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  previous: RecordPredicate | null;
  log: Logger;
  /** Model files, directories or globs. */
  models: string[];
  datasets: DatasetSpec[];
  /** Training-run description (JSON/YAML, MLflow model or run folder); none when absent. */
  training: string | undefined;
  hashing: HashingOptions;
  /** The reason given explicitly. */
  reason?: string;
  dependencies: { paths?: string[]; mode?: DependenciesMode; search?: LockfileSearch };
  /** How to reach the GitHub API (pull request, reviews, commit verification); omitted without a token. */
  github: GitHubOptions;
  /** Extra environment variable names (or PREFIX_*) to record besides the default allow-list. */
  environmentVariables: string[];
  /** Values that must never enter a record (tokens, keys), redacted wherever they appear. */
  knownSecrets: string[];
  /**
   * Files besides model-ledger.yml and model-ledger.policy.yml that shape the record (a config or
   * policy named by a flag), repository-relative: an uncommitted change to one makes it dirty.
   */
  configFiles?: string[];
}

/** The config and policy files a run reads by default. */
const DEFAULT_CONFIG_FILES = ['model-ledger.yml', 'model-ledger.policy.yml'];

export interface CollectResult {
  sections: CollectedSections;
  notes: string[];
  attachments: Attachment[];
}

/** A dataset as given, its path or glob made repository-relative (URIs as they are). */
function datasetInRepository(root: string, spec: DatasetSpec, field: string): DatasetSpec {
  if (typeof spec === 'string')
    return isUri(spec) || spec.trim() === '' ? spec : repositoryRelative(root, spec, field);
  if (spec.path !== undefined) return { ...spec, path: repositoryRelative(root, spec.path, `${field}.path`) };
  if (spec.glob !== undefined) return { ...spec, glob: repositoryRelative(root, spec.glob, `${field}.glob`) };
  return spec;
}

/**
 * The paths a run names, as the repository-relative paths the record holds: one rule for every
 * face (see src/fs/repo-path.ts). A path outside the repository fails here, before any hashing.
 */
export function pathsInRepository(
  options: CollectOptions,
): Pick<CollectOptions, 'models' | 'datasets' | 'training' | 'dependencies'> {
  const root = options.cwd;
  return {
    models: options.models.map((model, index) => repositoryRelative(root, model, `models[${index}]`)),
    datasets: options.datasets.map((dataset, index) =>
      datasetInRepository(root, dataset, `datasets[${index}]`),
    ),
    training:
      options.training === undefined ? undefined : repositoryRelative(root, options.training, 'training'),
    dependencies: {
      ...options.dependencies,
      ...(options.dependencies.paths === undefined
        ? {}
        : {
            paths: options.dependencies.paths.map((path, index) =>
              repositoryRelative(root, path, `lockfiles[${index}]`),
            ),
          }),
    },
  };
}

/** Runs every collector against one context: the one place collectors are wired. */
export async function collectSections(given: CollectOptions): Promise<CollectResult> {
  const options: CollectOptions = { ...given, ...pathsInRepository(given) };
  const notes: string[] = [];
  const attachments = new Map<string, Attachment>();
  // Collectors run concurrently: a warning one of them gives is held until all have succeeded,
  // so that bad input elsewhere ends the run with its one error line, not after a stray warning.
  const warnings: string[] = [];
  const context: CollectContext = {
    cwd: options.cwd,
    env: options.env,
    previous: options.previous,
    log: {
      debug: (message) => options.log.debug(message),
      info: (message) => options.log.info(message),
      warn: (message) => void warnings.push(message),
    },
    note: (text) => notes.push(text),
    attach: (name, content) => attachments.set(name, { name, content }),
  };
  const github = githubAvailability(options.env, options.github, options.log);
  const commitAndChange = async () => {
    // The change (reason, pull request, approvals) is read relative to the commit.
    const commit = await new CommitCollector({ github }).collect(context);
    const change = await new ChangeCollector(
      { ...(options.reason === undefined ? {} : { reason: options.reason }), github },
      commit,
    ).collect(context);
    return { commit, change };
  };
  const [{ commit, change }, status, models, datasets, training, dependencies, environment] =
    await Promise.all([
      commitAndChange(),
      readWorkingTree(options.cwd),
      new ModelsCollector({ patterns: options.models, ...options.hashing }).collect(context),
      new DatasetsCollector({ datasets: options.datasets, ...options.hashing }).collect(context),
      options.training === undefined
        ? null
        : new TrainingCollector({ path: options.training }).collect(context),
      dependenciesCollector(options.dependencies).collect(context),
      new EnvironmentCollector({
        variables: options.environmentVariables,
        knownSecrets: options.knownSecrets,
      }).collect(context),
    ]);
  for (const warning of warnings) options.log.warn(warning);
  if (commit && status) {
    commit.workingTree = workingTreeState(status, {
      outputs: [...models.map((model) => model.name), ...(training ? [training.source] : [])],
      inputs: [
        ...datasets.flatMap((dataset) => (dataset.path === undefined ? [] : [dataset.path])),
        ...dependencies.lockfiles.map((lockfile) => lockfile.path),
        ...DEFAULT_CONFIG_FILES,
        ...(options.configFiles ?? []),
      ],
    });
    if (commit.workingTree.state === 'dirty') {
      const paths = commit.workingTree.dirty.map((entry) => `${entry.path} (${entry.status})`);
      options.log.warn(
        `uncommitted changes to what this record names: ${paths.slice(0, 5).join(', ')}${paths.length > 5 ? ` and ${paths.length - 5} more` : ''}; the commit ${commit.sha.slice(0, 12)} does not hold them`,
      );
    }
  }
  return {
    sections: {
      commit,
      change,
      dependencies,
      models,
      datasets,
      training,
      environment,
    },
    notes,
    attachments: [...attachments.values()],
  };
}
