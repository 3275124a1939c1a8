import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';

import { parse } from 'yaml';

import { runCli } from '../support/cli.js';

/** The `model-ledger audit …` command lines of a workflow's run scripts, continuation lines joined. */
function auditCommands(workflow: { jobs: Record<string, { steps: { run?: string }[] }> }): string[][] {
  const commands: string[][] = [];
  for (const job of Object.values(workflow.jobs)) {
    for (const step of job.steps) {
      const script = (step.run ?? '').replace(/\\\n\s*/g, ' ');
      for (const line of script.split('\n')) {
        const match = /model-ledger\.mjs"? (audit .*?)(?: > \S+)?(?: \|\| .*)?$/.exec(line.trim());
        if (match)
          commands.push((match[1] as string).split(/\s+/).map((word) => word.replace(/^"(.*)"$/, '$1')));
      }
    }
  }
  return commands;
}

describe('the example scheduled audit workflow', () => {
  it('runs both audits with flags the CLI accepts', async () => {
    const text = await readFile(new URL('../../examples/workflows/audit.yml', import.meta.url), 'utf8');
    const commands = auditCommands(parse(text) as Parameters<typeof auditCommands>[0]);
    expect(commands.map((command) => command[1])).toEqual(['completeness', 'replay']);
    for (const command of commands) {
      // --help stops after the flags are parsed: an unknown or malformed flag is exit 2.
      const run = await runCli([...command, '--help'], process.cwd(), {});
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
    }
  });

  it('gets the CLI from a release, not from npm (the package is not published)', async () => {
    const text = await readFile(new URL('../../examples/workflows/audit.yml', import.meta.url), 'utf8');
    expect(text).not.toMatch(/npx/);
    expect(text).toContain(
      'curl -fsSL -o "$RUNNER_TEMP/model-ledger.mjs" https://raw.githubusercontent.com/model-ledger/model-ledger/v0/dist/cli.js',
    );
  });
});
