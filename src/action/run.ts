import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { loadConfig } from '../config/load.js';

import type { Logger } from '../log.js';
import { bundleFile, gitHubSummaryMarkdown, recordToGitHub } from '../run/github.js';
import { record, type RecordResult } from '../run/record.js';
import { reportRecord } from '../report/run-report.js';
import { DEFAULT_LEDGER_DIR, LocalStore } from '../store/local.js';
import { toGitHubStoreOptions, toRecordOptions, type ActionInputs } from './inputs.js';

/** What the Action needs from its runtime; @actions/core in production, plain objects in tests. */
export interface ActionRuntime {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  log: Logger;
  setOutput(name: string, value: string): void;
  /** Appends Markdown to the job summary. */
  summary(markdown: string): Promise<void>;
}

export async function run(inputs: ActionInputs, runtime: ActionRuntime): Promise<RecordResult> {
  const config = await loadConfig(
    join(runtime.cwd, inputs.config.file),
    inputs.config.file,
    inputs.config.explicit,
  );
  const options = toRecordOptions(inputs, runtime.cwd, runtime.env, config, runtime.log);
  // The GitHub store: release assets, the attestation mirror, and a local ledger for forks' pull requests.
  const stored =
    inputs.store === 'github' ? await recordToGitHub(options, toGitHubStoreOptions(inputs)) : undefined;
  const result = stored?.result ?? (await record(options));
  runtime.setOutput(
    'bundle-path',
    stored ? await bundleFile(stored, runtime.env.RUNNER_TEMP || tmpdir()) : result.location,
  );
  runtime.setOutput('release-url', stored?.release?.releaseUrl ?? '');
  runtime.setOutput('evidence-url', stored?.evidenceUrl ?? '');
  runtime.setOutput('asset-url', stored?.release?.assetUrl ?? '');
  runtime.setOutput(
    'attestation-id',
    stored?.attestationId === undefined ? '' : String(stored.attestationId),
  );
  runtime.setOutput('record-sha256', result.statementSha256);
  runtime.setOutput('chain-index', String(result.index));
  runtime.setOutput('previous-sha256', result.previous?.statementSha256 ?? '');
  // The signed checkpoint of the ledger with this record: a second party can keep it as an anchor.
  runtime.setOutput('checkpoint', result.checkpoint ?? '');
  for (const notice of result.notices) runtime.log.warn(notice);
  // Job summary, and on pull requests the sticky comment (or, when it cannot be posted, the summary).
  await reportRecord(result, {
    store: stored?.store ?? options.store ?? new LocalStore(options.ledgerDir ?? DEFAULT_LEDGER_DIR),
    env: runtime.env,
    log: runtime.log,
    summary: (markdown) => runtime.summary(markdown),
    commentOnPr: inputs.commentOnPr,
    ...(inputs.githubToken === undefined ? {} : { githubToken: inputs.githubToken }),
  });
  if (stored) await runtime.summary(gitHubSummaryMarkdown(stored));
  return result;
}

export { summaryMarkdown } from '../report/summary.js';
