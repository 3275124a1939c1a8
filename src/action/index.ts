import * as core from '@actions/core';

import { LedgerError } from '../errors.js';
import { runAudit } from './audit.js';
import { readInputs } from './inputs.js';
import { run } from './run.js';
import { runWitness } from './witness.js';

/** The Action's entry: inputs → typed object → library; nothing here the library lacks. */
async function main(): Promise<void> {
  try {
    const inputs = readInputs(
      (name) => core.getInput(name),
      (message) => core.warning(message),
    );
    for (const secret of [inputs.signingKey, inputs.githubToken, inputs.witness?.keyPem, ...inputs.redact])
      if (secret) core.setSecret(secret);
    const job = inputs.witness ? runWitness : inputs.audit === 'completeness' ? runAudit : run;
    await job(inputs, {
      cwd: process.env.GITHUB_WORKSPACE || process.cwd(),
      env: process.env,
      log: { debug: (m) => core.debug(m), info: (m) => core.info(m), warn: (m) => core.warning(m) },
      setOutput: (name, value) => core.setOutput(name, value),
      summary: async (markdown) => {
        if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(markdown).write();
      },
    });
  } catch (error) {
    core.setFailed(error instanceof LedgerError ? error.message : `unexpected error: ${String(error)}`);
    if (error instanceof Error && error.stack) core.debug(error.stack);
  }
}

await main();
