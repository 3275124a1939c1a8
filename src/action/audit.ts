import { join } from 'node:path';

import { auditCompleteness, type CompletenessReport } from '../audit/completeness.js';
import { completenessMarkdown } from '../audit/format.js';
import { measureRetrieval } from '../audit/timing.js';
import { loadConfig } from '../config/load.js';
import { LedgerError } from '../errors.js';
import { createGitHubClient } from '../github/client.js';
import { repositoryFrom } from '../github/context.js';
import { loadLedger, type LoadLedgerOptions } from '../report/load.js';
import { resolveTrustedRoot } from '../sign/trusted-root.js';
import { GitHubReleaseStore } from '../store/github-release.js';
import { LocalStore } from '../store/local.js';
import type { Store } from '../store/types.js';
import type { ActionInputs } from './inputs.js';
import type { ActionRuntime } from './run.js';

function ledgerStore(inputs: ActionInputs, runtime: ActionRuntime): Store {
  if (inputs.store === 'local')
    return new LocalStore(
      inputs.ledgerDir.startsWith('/') ? inputs.ledgerDir : join(runtime.cwd, inputs.ledgerDir),
    );
  const repository = repositoryFrom(runtime.env);
  if (!repository) {
    throw new LedgerError(
      'BAD_INPUT',
      'GITHUB_REPOSITORY is not set, so the ledger on GitHub cannot be found',
      {
        field: 'store',
        fix: 'run the audit in GitHub Actions, or use `store: local` with `ledger-dir`',
      },
    );
  }
  const client = createGitHubClient({
    ...(inputs.githubToken === undefined ? {} : { token: inputs.githubToken }),
    env: runtime.env,
    log: runtime.log,
  });
  return new GitHubReleaseStore({ client, ...repository, releaseTag: inputs.releaseTag, log: runtime.log });
}

/**
 * `audit: completeness`: the ledger verified, the workspace's history walked, the figures in the
 * job summary and the outputs; the run fails below `audit-min` or when the ledger does not verify.
 */
export async function runAudit(inputs: ActionInputs, runtime: ActionRuntime): Promise<CompletenessReport> {
  const config = await loadConfig(
    join(runtime.cwd, inputs.config.file),
    inputs.config.file,
    inputs.config.explicit,
  );
  const options: LoadLedgerOptions = {
    store: ledgerStore(inputs, runtime),
    loadTrustedRoot: async () =>
      (
        await resolveTrustedRoot(
          inputs.trustedRoot === undefined ? {} : { file: join(runtime.cwd, inputs.trustedRoot) },
          runtime.env,
        )
      ).json,
  };
  const loaded = await loadLedger(options);
  const report = await auditCompleteness({
    cwd: runtime.cwd,
    ledger: loaded,
    config,
    configFile: inputs.config.file,
    mode: inputs.auditMode,
    min: inputs.auditMin,
  });
  const speed = await measureRetrieval({ ledger: options }, loaded);
  runtime.setOutput('completeness-percent', String(Math.round(report.percent * 10) / 10));
  runtime.setOutput('changes-recorded', String(report.recorded));
  runtime.setOutput('changes-total', String(report.total));
  await runtime.summary(completenessMarkdown(report, speed));
  runtime.log.info(report.summary);
  if (report.shallow) runtime.log.warn(report.shallow.message);
  for (const problem of loaded.verification.problems) runtime.log.warn(`${problem.code}: ${problem.message}`);
  if (!loaded.verification.ok) {
    throw new LedgerError(
      'VERIFICATION_FAILED',
      `the ledger does not verify (${loaded.verification.problems.length} problem(s)): ${report.summary}`,
      {
        fix: 'run `model-ledger verify` to see what is wrong',
      },
    );
  }
  if (!report.ok) {
    throw new LedgerError('VERIFICATION_FAILED', `${report.summary}, below the minimum of ${report.min}%`, {
      field: 'audit-min',
      fix: `record the ${report.unrecorded.length} unrecorded change(s) listed in the job summary, or lower audit-min`,
    });
  }
  return report;
}
