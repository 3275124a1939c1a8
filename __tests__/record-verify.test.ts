import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

import { MemoryLogger } from '../src/log.js';
import { record } from '../src/run/record.js';
import { LocalStore } from '../src/store/local.js';
import type { PutRequest, RecordRef, Store } from '../src/store/types.js';
import { verifyLedger } from '../src/verify/ledger.js';
import { runCli } from './support/cli.js';
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
    expect(files).toHaveLength(6);
    expect(files[0]).toMatch(/^000000-[0-9a-f]{12}\.sigstore\.json$/);
    expect(files.slice(3)).toEqual(['checkpoints', 'keys', 'manifests']);
    // Each record's model has an OpenSSF Model Signing signature beside it, named in the record by
    // digest, which model_signing's verifier (here: verify-model) accepts for the model file.
    const signature = results[2]?.statement.predicate.models[0]?.signature;
    expect(signature).toMatchObject({ format: 'https://model_signing/signature/v1.0' });
    const sigFile = join(ledgerDir, 'manifests', signature?.stored ?? '');
    expect(
      createHash('sha256')
        .update(await readFile(sigFile))
        .digest('hex'),
    ).toBe(signature?.sha256);
    expect(
      (await readdir(join(ledgerDir, 'manifests'))).filter((name) => name.endsWith('.model.sig')),
    ).toHaveLength(3);
    const [keyFile] = await readdir(join(ledgerDir, 'keys'));
    const verifyModel = () =>
      runCli(
        [
          'verify-model',
          'models/model.bin',
          '--signature',
          sigFile,
          '--key',
          join(ledgerDir, 'keys', keyFile ?? ''),
        ],
        repo.dir,
        repo.env,
      );
    const checked = await verifyModel();
    expect(checked.stderr).toBe('');
    expect(checked.status).toBe(0);
    await repo.write('models/model.bin', 'weights v4');
    expect((await verifyModel()).status).toBe(1);
    await repo.write('models/model.bin', 'weights v3');
    // A signed checkpoint after every record: origin, size, RFC 6962 root, then the signature.
    expect((await readdir(join(ledgerDir, 'checkpoints'))).sort()).toEqual([
      'model-ledger-000000.checkpoint',
      'model-ledger-000001.checkpoint',
      'model-ledger-000002.checkpoint',
    ]);
    const note = await readFile(join(ledgerDir, 'checkpoints', 'model-ledger-000002.checkpoint'), 'utf8');
    expect(note).toMatch(
      /^local:[^\n]+#main\n3\n[A-Za-z0-9+/]{43}=\n\n\u2014 local:\S+#main [A-Za-z0-9+/]+=*\n$/,
    );

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

/** A store that cannot lock, like a remote one: races are settled by fork detection after put. */
class UnlockedStore implements Store {
  private readonly local: LocalStore;
  private readonly sequences = new Map<string, number>();
  private next = 1;
  constructor(readonly location: string) {
    this.local = new LocalStore(location);
  }
  async list(): Promise<RecordRef[]> {
    const refs = await this.local.list();
    return refs.map((ref) => ({ ...ref, sequence: this.sequences.get(ref.name) ?? 0 }));
  }
  get(ref: RecordRef): Promise<Buffer> {
    return this.local.get(ref);
  }
  async put(request: PutRequest): Promise<RecordRef> {
    const ref = await this.local.put(request);
    this.sequences.set(ref.name, this.next++);
    return { ...ref, sequence: this.sequences.get(ref.name) as number };
  }
  remove(ref: RecordRef): Promise<void> {
    return this.local.remove(ref);
  }
  publicKeys(): Promise<Map<string, string>> {
    return this.local.publicKeys();
  }
  locate(ref: RecordRef): string {
    return this.local.locate(ref);
  }
}

describe('two runs appending at the same time', () => {
  async function raceTwo(store: Store) {
    await repo.write('models/model.bin', 'weights v1');
    repo.commit('train v1');
    await record({ cwd: repo.dir, env: repo.env, store, models: ['models/model.bin'] });
    const logs = [new MemoryLogger(), new MemoryLogger()];
    const results = await Promise.all(
      logs.map((log, run) =>
        record({
          cwd: repo.dir,
          env: repo.env,
          store,
          models: ['models/model.bin'],
          reason: `run ${run}`,
          log,
        }),
      ),
    );
    expect(results.map((result) => result.index).sort()).toEqual([1, 2]);
    const second = results.find((result) => result.index === 2);
    const first = results.find((result) => result.index === 1);
    expect(second?.previous?.statementSha256).toBe(first?.statementSha256);
    const outcome = await verifyLedger({ store: new LocalStore(store.location) });
    expect(outcome.problems).toEqual([]);
    expect(outcome.records).toHaveLength(3);
    // Both runs record the same commit on purpose: that warning is not what these tests look at.
    return logs
      .flatMap((log) => log.messages('warn'))
      .filter((message) => !/is the commit record \d+ already describes/.test(message));
  }

  it('are serialised by the local ledger lock', async () => {
    const warnings = await raceTwo(new LocalStore(join(repo.dir, '.model-ledger')));
    expect(warnings).toEqual([]);
    await expect(readdir(join(repo.dir, '.model-ledger'))).resolves.not.toContain('.lock');
  });

  it('on a store that cannot lock, fork detection re-links the run that stored second', async () => {
    const warnings = await raceTwo(new UnlockedStore(join(repo.dir, '.model-ledger')));
    expect(warnings).toEqual([
      expect.stringMatching(
        /^record 1: 000001-[0-9a-f]{12}\.sigstore\.json was appended concurrently; linking again on top of it$/,
      ),
    ]);
  });

  it('takes over a lock left by a process that died', async () => {
    const ledgerDir = join(repo.dir, '.model-ledger');
    await mkdir(ledgerDir, { recursive: true });
    await writeFile(join(ledgerDir, '.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname() }));
    await repo.write('models/model.bin', 'weights');
    repo.commit('train');
    const result = await record({ cwd: repo.dir, env: repo.env, ledgerDir, models: ['models/model.bin'] });
    expect(result.index).toBe(0);
  });
});

describe('verifying a ledger', () => {
  it('reads each record once, however many checks look at it', async () => {
    const ledgerDir = join(repo.dir, '.model-ledger');
    for (const version of ['v1', 'v2', 'v3']) {
      await repo.write('models/model.bin', `weights ${version}`);
      repo.commit(`train ${version}`);
      await record({ cwd: repo.dir, env: repo.env, ledgerDir, models: ['models/model.bin'] });
    }
    const local = new LocalStore(ledgerDir);
    const reads: string[] = [];
    const counting: Store = {
      location: local.location,
      list: () => local.list(),
      get: (ref) => {
        reads.push(ref.name);
        return local.get(ref);
      },
      put: (request) => local.put(request),
      remove: (ref) => local.remove(ref),
      publicKeys: () => local.publicKeys(),
      locate: (ref) => local.locate(ref),
    };
    const outcome = await verifyLedger({ store: counting });
    expect(outcome.ok).toBe(true);
    expect(reads).toHaveLength(3);
    expect(new Set(reads).size).toBe(3);
  });
});
