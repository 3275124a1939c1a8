import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { createTempRepo, type TempRepo } from './support/repo.js';
import { runCli } from './support/cli.js';

let repo: TempRepo;
beforeEach(async () => {
  repo = await createTempRepo();
});
afterEach(async () => {
  await repo.cleanup();
});

describe('a record interrupted mid-write', () => {
  it('leaves the ledger verifiable and the next record links to the last complete one', async () => {
    const ledger = join(repo.dir, '.model-ledger');
    await repo.write('model.bin', 'weights 1');
    repo.commit('first');
    expect((await runCli(['record', '--json', '--models', 'model.bin'], repo.dir, repo.env)).status).toBe(0);
    const [complete] = (await readdir(ledger)).filter((name) => name.endsWith('.sigstore.json'));
    const bytes = await readFile(join(ledger, complete as string));
    // What a crash between write and link leaves: half a bundle under the temporary name.
    await writeFile(
      join(ledger, `.000001-0123456789ab.sigstore.json.a1b2c3d4e5f6.tmp`),
      bytes.subarray(0, bytes.length / 2),
    );

    const verify = await runCli(['verify'], repo.dir, repo.env);
    expect(verify.stdout).toMatch(/^ok: 1 record\(s\) verified/);
    expect(verify.status).toBe(0);

    await repo.write('model.bin', 'weights 2');
    const next = await runCli(['record', '--json', '--models', 'model.bin'], repo.dir, repo.env);
    expect(next.status).toBe(0);
    expect(JSON.parse(next.stdout)).toMatchObject({ index: 1 });
    expect((await runCli(['verify'], repo.dir, repo.env)).status).toBe(0);
  });

  it('says plainly that development-key records are not evidence', async () => {
    await repo.write('model.bin', 'weights');
    repo.commit('first');
    const run = await runCli(['record', '--models', 'model.bin'], repo.dir, repo.env);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(
      /created a development key at .*\.config\/model-ledger\/development-key\.pem \(mode 0600\)/,
    );
    expect(run.stderr).toMatch(/not evidence/);
    const { stat } = await import('node:fs/promises');
    const mode =
      (await stat(join(repo.env.XDG_CONFIG_HOME as string, 'model-ledger', 'development-key.pem'))).mode &
      0o777;
    expect(mode).toBe(0o600);
    const keys = await readdir(join(repo.dir, '.model-ledger', 'keys'));
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^[0-9a-f]{64}\.pub\.pem$/);
  });
});
