import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { createTempRepo, type TempRepo } from './support/repo.js';
import { runCli } from './support/cli.js';

let repo: TempRepo;
beforeEach(async () => {
  repo = await createTempRepo();
  await repo.write('model.bin', 'weights');
  await repo.write('requirements.txt', 'torch==2.4.1\nnumpy==2.1.0 --hash=sha256:' + 'a'.repeat(64) + '\n');
  await repo.write(
    'web/package-lock.json',
    JSON.stringify({
      name: 'web',
      lockfileVersion: 3,
      packages: {
        '': { name: 'web', dependencies: { 'left-pad': '^1.3.0' } },
        'node_modules/left-pad': { version: '1.3.0', integrity: 'sha512-abc' },
      },
    }),
  );
  await repo.write('node_modules/ignored/package-lock.json', '{ not json');
});
afterEach(async () => {
  await repo.cleanup();
});

interface Lockfile {
  path: string;
  sha256: string;
  packages: { purl: string }[];
}

/** The lockfiles the record of a `record --json` run holds. */
async function recordedLockfiles(stdout: string): Promise<Lockfile[]> {
  const { bundlePath } = JSON.parse(stdout) as { bundlePath: string };
  const bundle = JSON.parse(await readFile(bundlePath, 'utf8')) as { dsseEnvelope: { payload: string } };
  const statement = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8')) as {
    predicate: { dependencies: { lockfiles: Lockfile[] } };
  };
  return statement.predicate.dependencies.lockfiles;
}

describe('recording dependencies', () => {
  it('lists the packages of every lockfile found as purls, skipping node_modules', async () => {
    repo.commit('add lockfiles');
    const run = await runCli(['record', '--json', '--models', 'model.bin'], repo.dir, repo.env);
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.status).toBe(0);
    const lockfiles = await recordedLockfiles(run.stdout);
    expect(lockfiles.map((lockfile) => lockfile.path)).toEqual(['requirements.txt', 'web/package-lock.json']);
    expect(lockfiles.flatMap((lockfile) => lockfile.packages.map((p) => p.purl))).toEqual([
      'pkg:pypi/numpy@2.1.0',
      'pkg:pypi/torch@2.4.1',
      'pkg:npm/left-pad@1.3.0',
    ]);
    expect(lockfiles[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("searches as model-ledger.yml's dependencies.skip and include say", async () => {
    await repo.write('vendor/tool/requirements.txt', 'requests==2.32.3\n');
    await repo.write('model-ledger.yml', 'version: 1\ndependencies:\n  skip: [web]\n  include: [vendor]\n');
    repo.commit('add lockfiles and config');
    const run = await runCli(['record', '--json', '--models', 'model.bin'], repo.dir, repo.env);
    expect(run.status).toBe(0);
    expect((await recordedLockfiles(run.stdout)).map((lockfile) => lockfile.path)).toEqual([
      'requirements.txt',
      'vendor/tool/requirements.txt',
    ]);
  });

  it('fails on a malformed lockfile, naming file and line, and writes nothing', async () => {
    await repo.write('Cargo.lock', '[[package]]\nname = "serde"\nversion = \n');
    repo.commit('broken lockfile');
    const run = await runCli(['record', '--json', '--models', 'model.bin'], repo.dir, repo.env);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/Cargo\.lock: line 3: /);
    await expect(readdir(join(repo.dir, '.model-ledger'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('skips a malformed lockfile with a warning and a note when asked for best effort', async () => {
    await repo.write('Cargo.lock', '[[package]]\nname = "serde"\nversion = \n');
    repo.commit('broken lockfile');
    const run = await runCli(
      ['record', '--json', '--dependencies', 'best-effort', '--models', 'model.bin'],
      repo.dir,
      repo.env,
    );
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/warning: .*Cargo\.lock: line 3/);
  });
});
