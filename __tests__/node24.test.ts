import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

import { parse } from 'yaml';

/**
 * Node 24 is what GitHub runs the Action on: CI tests on it (ci.yml's matrix, and .ci/run's smoke
 * subset on a Node 24 that scripts/node24.sh fetches from the npm registry). Fetching is the
 * network, so this checks the script's pins and lists, and runs it only when its cache is filled.
 */
const run = promisify(execFile);
const SCRIPT = 'scripts/node24.sh';

async function script(): Promise<string> {
  return readFile(SCRIPT, 'utf8');
}

describe('Node 24 in CI', () => {
  it('the script pins a Node 24 release and the sha512 of each Linux build it fetches', async () => {
    const text = await script();
    expect(text).toMatch(/^VERSION=24\.\d+\.\d+$/m);
    for (const arch of ['x64', 'arm64'])
      expect(text).toMatch(new RegExp(`\\[${arch}\\]='sha512-[A-Za-z0-9+/]{86}=='`));
    expect(text).toContain('npm pack "node-linux-$arch@$VERSION"');
    expect(text).toContain('node_modules/.cache/node24');
    const action = parse(await readFile('action.yml', 'utf8')) as { runs: { using: string } };
    expect(action.runs.using).toBe('node24');
  });

  it('its smoke subset names test files that exist', async () => {
    const text = await script();
    const list = /^SMOKE=\(\n([\s\S]*?)\n\)$/m.exec(text)?.[1];
    const files = (list ?? '').split('\n').map((line) => line.trim());
    expect(files.length).toBeGreaterThanOrEqual(10);
    expect(files.filter((file) => !existsSync(file))).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(['__tests__/action-dist.test.ts']));
  });

  it('.ci/run runs it after the tests, and ci.yml tests on Node 20 and 24', async () => {
    const ci = await readFile('.ci/run', 'utf8');
    expect(ci.indexOf('scripts/node24.sh smoke')).toBeGreaterThan(ci.indexOf('npm test'));
    const workflow = parse(await readFile('.github/workflows/ci.yml', 'utf8')) as {
      jobs: {
        test: { container: string; strategy: { matrix: { node: number[] } }; steps: { run?: string }[] };
      };
    };
    expect(workflow.jobs.test.strategy.matrix.node).toEqual([20, 24]);
    // GitHub's CI runs the release gate itself, on Debian, where it installs every tool the tests use.
    expect(workflow.jobs.test.container).toBe('node:${{ matrix.node }}-bookworm');
    expect(workflow.jobs.test.steps.map((step) => step.run)).toContain('bash .ci/run');
  });

  it('prints the path of a Node 24 that runs, from its cache', async () => {
    const version = /^VERSION=(.*)$/m.exec(await script())?.[1] ?? '';
    const arch = process.arch === 'arm64' ? 'arm64' : 'x64';
    const cached = `node_modules/.cache/node24/node-linux-${arch}-${version}/bin/node`;
    if (!existsSync(cached)) {
      // Filling the cache is a download: .ci/run does it, tests do not.
      process.stderr.write(`test skipped: ${cached} is not cached (run ${SCRIPT} once)\n`);
      return;
    }
    const { stdout } = await run('bash', [SCRIPT]);
    expect(stdout.trim()).toBe(`${process.cwd()}/${cached}`);
    const { stdout: reported } = await run(stdout.trim(), ['--version']);
    expect(reported.trim()).toBe(`v${version}`);
    await expect(run('bash', [SCRIPT, 'no-such-mode'])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('usage: scripts/node24.sh'),
    });
  });
});
