import { githubAvailability, type GitHubOptions } from '../github/context.js';
import type { Logger } from '../log.js';
import type { RecordPredicate } from '../record/predicate.js';
import type { Attachment } from '../store/types.js';
import { ChangeCollector } from './change.js';
import { CommitCollector } from './commit.js';
import { dependenciesCollector, type DependenciesMode } from './dependencies.js';
import { EnvironmentCollector } from './environment.js';
import { DatasetsCollector, type DatasetSpec } from './datasets.js';
import { ModelsCollector } from './models.js';
import { TrainingCollector } from './training.js';
import type { HashingOptions } from '../hash/index.js';
import type { CollectContext, CollectedSections } from './types.js';

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
  dependencies: { paths?: string[]; mode?: DependenciesMode };
  /** How to reach the GitHub API (pull request, reviews, commit verification); omitted without a token. */
  github: GitHubOptions;
  /** Extra environment variable names (or PREFIX_*) to record besides the default allow-list. */
  environmentVariables: string[];
  /** Values that must never enter a record (tokens, keys), redacted wherever they appear. */
  knownSecrets: string[];
}

export interface CollectResult {
  sections: CollectedSections;
  notes: string[];
  attachments: Attachment[];
}

/** Runs every collector against one context: the one place collectors are wired. */
export async function collectSections(options: CollectOptions): Promise<CollectResult> {
  const notes: string[] = [];
  const attachments = new Map<string, Attachment>();
  const context: CollectContext = {
    cwd: options.cwd,
    env: options.env,
    previous: options.previous,
    log: options.log,
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
  const [{ commit, change }, models, datasets, training, dependencies, environment] = await Promise.all([
    commitAndChange(),
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
