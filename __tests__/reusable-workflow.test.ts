import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';

import { parse } from 'yaml';

/**
 * The reusable workflow as GitHub reads it: the README's one-line caller grants what the nested
 * job asks for (else the run fails before it starts), every input it passes on exists, and models
 * trained in another job can be brought in.
 */
interface Step {
  name?: string;
  uses?: string;
  if?: string;
  with?: Record<string, string>;
}
interface Workflow {
  on: { workflow_call: { inputs: Record<string, { default?: unknown }> } };
  jobs: { record: { permissions: Record<string, string>; steps: Step[] } };
}

async function workflow(): Promise<Workflow> {
  return parse(await readFile('.github/workflows/model-ledger.yml', 'utf8')) as Workflow;
}

describe('the reusable workflow', () => {
  it("is granted by the README's one-line caller every permission its job asks for", async () => {
    const job = (await workflow()).jobs.record;
    const readme = await readFile('README.md', 'utf8');
    const caller =
      /```yaml\njobs:\n {2}ledger:\n {4}uses: model-ledger\/model-ledger\/\.github\/workflows\/model-ledger\.yml@v0\n([\s\S]*?)```/.exec(
        readme,
      );
    expect(caller).not.toBeNull();
    const granted = parse(`x:\n${caller?.[1] ?? ''}`) as { x: { permissions: Record<string, string> } };
    expect(granted.x.permissions).toEqual(job.permissions);
  });

  it('passes on only inputs it declares, to inputs the action declares', async () => {
    const flow = await workflow();
    const action = parse(await readFile('action.yml', 'utf8')) as { inputs: Record<string, unknown> };
    const record = flow.jobs.record.steps.find((step) => step.uses === 'model-ledger/model-ledger@v0');
    expect(record).toBeDefined();
    for (const name of Object.keys(record?.with ?? {})) expect(Object.keys(action.inputs)).toContain(name);
    const text = await readFile('.github/workflows/model-ledger.yml', 'utf8');
    const referenced = [...text.matchAll(/inputs\.([a-z-]+)/g)].map((match) => match[1] as string);
    for (const name of referenced) expect(Object.keys(flow.on.workflow_call.inputs)).toContain(name);
    // The new names, with the old ones still accepted.
    expect(record?.with?.training).toBe('${{ inputs.training || inputs.training-metadata }}');
    expect(record?.with?.env).toBe('${{ inputs.env || inputs.env-allow-list }}');
  });

  it('downloads an artifact of the caller before recording, when named', async () => {
    const steps = (await workflow()).jobs.record.steps;
    const download = steps.findIndex((step) => step.uses?.startsWith('actions/download-artifact@'));
    const record = steps.findIndex((step) => step.uses === 'model-ledger/model-ledger@v0');
    expect(download).toBeGreaterThan(-1);
    expect(download).toBeLessThan(record);
    expect(steps[download]?.if).toBe("inputs.artifact != ''");
    expect(steps[download]?.with?.name).toBe('${{ inputs.artifact }}');
  });

  it('says a development key is used only where no OIDC token is', async () => {
    const text = await readFile('.github/workflows/model-ledger.yml', 'utf8');
    expect(text).not.toContain('Without it the action signs with a throw-away');
    expect(text).toContain('signs keyless');
  });
});
