import { arch, platform, release } from 'node:os';

import type { CiContext, EnvironmentSection } from '../record/predicate.js';
import type { CollectContext, Collector } from './types.js';

/** The CI context from GitHub Actions' default variables; only what the runner actually set. */
export function ciContextFrom(env: Readonly<Record<string, string | undefined>>): CiContext {
  if (env.GITHUB_ACTIONS !== 'true') {
    return { provider: env.CI ? 'other' : 'none' };
  }
  const fields: [keyof CiContext, string][] = [
    ['repository', 'GITHUB_REPOSITORY'],
    ['workflow', 'GITHUB_WORKFLOW'],
    ['workflowRef', 'GITHUB_WORKFLOW_REF'],
    ['runId', 'GITHUB_RUN_ID'],
    ['runAttempt', 'GITHUB_RUN_ATTEMPT'],
    ['runNumber', 'GITHUB_RUN_NUMBER'],
    ['eventName', 'GITHUB_EVENT_NAME'],
    ['ref', 'GITHUB_REF'],
    ['sha', 'GITHUB_SHA'],
    ['actor', 'GITHUB_ACTOR'],
    ['triggeringActor', 'GITHUB_TRIGGERING_ACTOR'],
    ['serverUrl', 'GITHUB_SERVER_URL'],
    ['job', 'GITHUB_JOB'],
  ];
  const context: CiContext = { provider: 'github-actions' };
  for (const [field, variable] of fields) {
    const value = env[variable];
    if (value) (context as unknown as Record<string, string>)[field] = value;
  }
  if (context.serverUrl && context.repository && context.runId) {
    context.runUrl = `${context.serverUrl}/${context.repository}/actions/runs/${context.runId}`;
  }
  return context;
}

export class EnvironmentCollector implements Collector<'environment'> {
  readonly section = 'environment';

  collect(context: CollectContext): Promise<EnvironmentSection> {
    return Promise.resolve({
      ci: ciContextFrom(context.env),
      os: `${platform()} ${release()}`,
      arch: arch(),
      node: process.version,
    });
  }
}
