import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { record } from '../src/record/record.js';
import { LocalStore } from '../src/store/local.js';
import { verifyLedger } from '../src/verify/ledger.js';
import { createTempRepo, type TempRepo } from './support/repo.js';

let repo: TempRepo;
beforeEach(async () => {
  repo = await createTempRepo();
});
afterEach(async () => {
  await repo.cleanup();
});

describe('record then verify on the local ledger', () => {
  it('chains three records while the model changes', async () => {
    const ledgerDir = join(repo.dir, '.model-ledger');
    const results = [];
    for (const version of ['v1', 'v2', 'v3']) {
      await repo.write('models/model.bin', `weights ${version}`);
      repo.commit(`train ${version}`);
      results.push(await record({ cwd: repo.dir, env: repo.env, ledgerDir, models: ['models/*.bin'] }));
    }
    expect(results.map((r) => r.index)).toEqual([0, 1, 2]);
    expect(results[0]?.previous).toBeNull();
    expect(results[1]?.previous?.statementSha256).toBe(results[0]?.statementSha256);
    expect(results[2]?.previous?.bundleSha256).toBe(results[1]?.bundleSha256);
    expect(results[2]?.statement.predicate.change.reason).toBe('train v3');

    const files = (await readdir(ledgerDir)).sort();
    expect(files).toHaveLength(4);
    expect(files[0]).toMatch(/^000000-[0-9a-f]{12}\.sigstore\.json$/);
    expect(files[3]).toBe('keys');

    const outcome = await verifyLedger({ store: new LocalStore(ledgerDir), artifactsDir: repo.dir });
    expect(outcome.problems).toEqual([]);
    expect(outcome.ok).toBe(true);
    expect(outcome.head?.index).toBe(2);
    const bundle = JSON.parse(await readFile(join(ledgerDir, files[2] as string), 'utf8')) as {
      mediaType: string;
    };
    expect(bundle.mediaType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json');
  });
});
