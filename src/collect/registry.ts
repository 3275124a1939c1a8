import type { Logger } from '../log.js';
import type { RecordPredicate } from '../record/predicate.js';
import type { Attachment } from '../store/types.js';
import { changeFromCommit, type ChangeOptions } from './change.js';
import { CommitCollector } from './commit.js';
import { dependenciesCollector, type DependenciesMode } from './dependencies.js';
import { ciContextFrom, EnvironmentCollector } from './environment.js';
import { ModelsCollector, type ModelsOptions } from './models.js';
import type { CollectContext, CollectedSections } from './types.js';

export interface CollectOptions {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  previous: RecordPredicate | null;
  log: Logger;
  models: ModelsOptions;
  change: ChangeOptions;
  dependencies: { paths?: string[]; mode?: DependenciesMode };
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
  const [commit, models, dependencies, environment] = await Promise.all([
    new CommitCollector().collect(context),
    new ModelsCollector(options.models).collect(context),
    dependenciesCollector(options.dependencies).collect(context),
    new EnvironmentCollector().collect(context),
  ]);
  const change = changeFromCommit(options.change, commit, ciContextFrom(options.env).actor);
  if (change.reasonSource === 'none')
    notes.push('change: no reason given and no commit message to take it from');
  return {
    sections: {
      commit,
      change,
      dependencies,
      models,
      datasets: [],
      training: null,
      environment,
    },
    notes,
    attachments: [...attachments.values()],
  };
}
