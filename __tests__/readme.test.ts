import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';

import { parse } from 'yaml';

import { loadConfig } from '../src/config/load.js';
import { tempDir } from './support/ml-files.js';

/** The README says what the code does: the faces' names, and how to get a CLI that is not on npm. */
describe('README.md', () => {
  it('does not send anyone to npx: the package is not published', async () => {
    const readme = await readFile('README.md', 'utf8');
    expect(readme).not.toMatch(/npx (--yes )?model-ledger/);
    expect(readme).toContain('/dist/cli.js');
  });

  it('names the Action inputs, CLI flags and config keys alike in one table', async () => {
    const readme = await readFile('README.md', 'utf8');
    const action = parse(await readFile('action.yml', 'utf8')) as {
      inputs: Record<string, { deprecationMessage?: string }>;
    };
    const table = readme.slice(readme.indexOf('### One vocabulary'), readme.indexOf('Outputs:'));
    for (const name of [
      'models',
      'datasets',
      'training',
      'lockfiles',
      'env',
      'no-cache',
      'store',
      'policy',
    ]) {
      expect(table).toContain(`| \`${name}\``);
    }
    // Each name in the table is an input of action.yml.
    for (const name of [
      'models',
      'datasets',
      'training',
      'lockfiles',
      'env',
      'no-cache',
      'store',
      'policy',
    ]) {
      expect(action.inputs[name]).toBeDefined();
    }
  });

  it("shows model-ledger.yml files the config reader accepts, the lockfile search's skip list included", async () => {
    const readme = await readFile('README.md', 'utf8');
    const section = readme.slice(
      readme.indexOf('### model-ledger.yml'),
      readme.indexOf('## Store the ledger on GitHub'),
    );
    const examples = [...section.matchAll(/```yaml\n(version: 1\n[\s\S]*?)```/g)].map(
      (match) => match[1] as string,
    );
    expect(examples).toHaveLength(2);
    const temp = await tempDir();
    try {
      const configs = [];
      for (const [index, text] of examples.entries())
        configs.push(
          await loadConfig(await temp.write(`example-${index}.yml`, text), 'model-ledger.yml', true),
        );
      expect(configs[0]?.dependencies).toBe('strict');
      expect(configs[1]).toEqual({
        dependencies: 'strict',
        lockfileSearch: { skip: ['experiments', 'tools/legacy'], include: ['vendor', '.devcontainer'] },
      });
    } finally {
      await temp.cleanup();
    }
  });
});
