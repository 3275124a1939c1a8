import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';

import { parse } from 'yaml';

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
});
