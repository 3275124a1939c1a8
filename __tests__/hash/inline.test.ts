import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Small runs are hashed in this thread by the worker's own code; the worker threads started are
 * counted by wrapping node:worker_threads' Worker (nothing else is replaced).
 */
let workersStarted = 0;
jest.unstable_mockModule('node:worker_threads', () => {
  const real = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
  class CountedWorker extends real.Worker {
    constructor(...args: ConstructorParameters<typeof real.Worker>) {
      super(...args);
      workersStarted++;
    }
  }
  return { ...real, Worker: CountedWorker };
});
const { HashPool, INLINE_LIMITS } = await import('../../src/hash/pool.js');
const { hashFiles } = await import('../../src/hash/index.js');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'model-ledger-inline-'));
  workersStarted = 0;
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function files(sizes: number[]): Promise<string[]> {
  const paths: string[] = [];
  for (const [index, size] of sizes.entries()) {
    const path = join(dir, `f${index}.bin`);
    await writeFile(path, Buffer.alloc(size, index + 1));
    paths.push(path);
  }
  return paths;
}

async function runOn(
  pool: InstanceType<typeof HashPool>,
  paths: string[],
  expect?: ([string, string] | null)[],
) {
  try {
    return await pool.run(paths.map((path, index) => ({ path, expect: expect?.[index] ?? null })));
  } finally {
    await pool.close();
  }
}

const sha256sum = (path: string): string =>
  execFileSync('sha256sum', [path], { encoding: 'utf8' }).split(' ')[0] as string;

describe('hashing in this thread', () => {
  it('hashes a tiny model without starting a worker thread, as a record does', async () => {
    const [model] = await files([1024]);
    const { files: hashed } = await hashFiles([{ absolute: model as string, display: 'model.bin' }], {
      noCache: true,
    });
    expect(hashed[0]?.sha256).toBe(sha256sum(model as string));
    expect(workersStarted).toBe(0);
  });

  it('answers as the worker threads do, file for file, failures included', async () => {
    // Empty, small, and one larger than a 4 MiB read (the worker's other read path).
    const paths = await files([0, 1, 1024, 4 * 1024 * 1024 + 1]);
    const inline = await runOn(new HashPool(), paths);
    expect(workersStarted).toBe(0);
    const threads = await runOn(new HashPool({ inline: false }), paths);
    expect(workersStarted).toBeGreaterThan(0);
    expect(inline).toEqual(threads);
    expect(inline.map((outcome) => outcome?.ok && outcome.sha256)).toEqual(paths.map(sha256sum));

    // One file a run: after a failure, which further files were started is a race.
    await symlink(paths[1] as string, join(dir, 'link'));
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    for (const [name, code] of [
      ['link', 'ELOOP'],
      ['fifo', 'not-regular'],
      ['missing', 'ENOENT'],
    ] as const) {
      const [failed] = await runOn(new HashPool(), [join(dir, name)]);
      expect(failed?.ok === false && (failed.code ?? failed.reason)).toBe(code);
      await expect(runOn(new HashPool({ inline: false }), [join(dir, name)])).resolves.toEqual([failed]);
    }
  });

  it('reuses a cached digest whose stat still matches, and rehashes one that does not', async () => {
    const [path] = (await files([10])) as [string];
    const first = (await runOn(new HashPool(), [path]))[0];
    if (!first?.ok) throw new Error('no digest');
    const doctored: [string, string] = [first.stat, 'f'.repeat(64)];
    await expect(runOn(new HashPool(), [path], [doctored])).resolves.toEqual([
      { ok: true, sha256: 'f'.repeat(64), bytes: 10, cached: true, stat: first.stat },
    ]);
    await expect(runOn(new HashPool(), [path], [['0:0:10:0:0', 'f'.repeat(64)]])).resolves.toEqual([first]);
    expect(workersStarted).toBe(0);
  });

  it('starts workers for more files or bytes than the limits, or when a size is asked for', async () => {
    const limits = { files: 2, bytes: 1024 };
    await runOn(new HashPool({ inline: limits }), await files([1, 1, 1]));
    expect(workersStarted).toBeGreaterThan(0);

    workersStarted = 0;
    await runOn(new HashPool({ inline: limits }), await files([2048]));
    expect(workersStarted).toBeGreaterThan(0);

    workersStarted = 0;
    await runOn(new HashPool({ concurrency: 1 }), await files([1]));
    expect(workersStarted).toBe(1);

    expect(INLINE_LIMITS.files).toBeGreaterThanOrEqual(1);
  });

  it('keeps a pool on its workers once they have started, for a later small run too', async () => {
    const pool = new HashPool({ inline: { files: 1, bytes: 1024 } });
    try {
      await pool.run((await files([1, 1])).map((path) => ({ path })));
      const started = workersStarted;
      expect(started).toBeGreaterThan(0);
      const [small] = await pool.run([{ path: join(dir, 'f0.bin') }]);
      expect(small?.ok).toBe(true);
      expect(workersStarted).toBe(started);
    } finally {
      await pool.close();
    }
  });
});
