/**
 * Large generated lockfiles parse in linear time. The bounds are generous safety nets against a
 * quadratic parser (a 50k-package pnpm lockfile took 45 s before), not timing tests; CPU time is
 * measured so that a busy machine does not make them flaky.
 */
import { describe, expect, it } from '@jest/globals';
import { condaEnvironmentParser } from '../../src/lockfiles/conda.js';
import { npmParser } from '../../src/lockfiles/npm.js';
import { pnpmParser } from '../../src/lockfiles/pnpm.js';
import type { LockfileParser, ParsedPackages } from '../../src/lockfiles/types.js';
import { yarnParser } from '../../src/lockfiles/yarn.js';
import {
  generateCondaEnvironment,
  generateNpmLockfile,
  generatePnpmLockfile,
  generateYarnLockfile,
} from '../fixtures/lockfiles/generate.js';

const COUNT = 50_000;
const BOUND_SECONDS = 10;

async function timed(
  parser: LockfileParser,
  path: string,
  text: string,
): Promise<{ result: ParsedPackages; seconds: number }> {
  const start = process.cpuUsage();
  const result = await parser.parse({ path, text });
  const used = process.cpuUsage(start);
  return { result, seconds: (used.user + used.system) / 1e6 };
}

describe('large lockfiles', () => {
  it(`reads a pnpm-lock.yaml of ${COUNT} packages in seconds`, async () => {
    const { result, seconds } = await timed(pnpmParser, 'pnpm-lock.yaml', generatePnpmLockfile(COUNT));
    expect(result.packages).toHaveLength(COUNT);
    expect(result.packages.filter((pkg) => pkg.direct)).toHaveLength(10);
    expect(seconds).toBeLessThan(BOUND_SECONDS);
  }, 120_000);

  it(`reads a package-lock.json of ${COUNT} packages in seconds`, async () => {
    const { result, seconds } = await timed(npmParser, 'package-lock.json', generateNpmLockfile(COUNT));
    expect(result.packages).toHaveLength(COUNT);
    expect(seconds).toBeLessThan(BOUND_SECONDS);
  }, 120_000);

  it(`reads a yarn.lock of ${COUNT} entries in seconds`, async () => {
    const { result, seconds } = await timed(yarnParser, 'yarn.lock', generateYarnLockfile(COUNT));
    expect(result.packages).toHaveLength(COUNT);
    expect(seconds).toBeLessThan(BOUND_SECONDS);
  }, 120_000);

  it(`reads an environment.yml of ${COUNT} entries in seconds`, async () => {
    const { result, seconds } = await timed(
      condaEnvironmentParser,
      'environment.yml',
      generateCondaEnvironment(COUNT),
    );
    expect(result.packages).toHaveLength(COUNT + 1 + COUNT / 10);
    expect(seconds).toBeLessThan(BOUND_SECONDS);
  }, 120_000);
});
