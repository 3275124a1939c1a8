/**
 * The local ledger's lock, across real processes: a stale lock (its holder dead, or never
 * written) is taken over by exactly one of the runs that find it at once, and the runs then hold
 * the lock one after another, never two at a time.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { build } from 'esbuild';

import { LocalStore } from '../../src/store/local.js';

const run = promisify(execFile);
let dir: string;
let bundle: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'model-ledger-lock-'));
  bundle = join(dir, 'lock.mjs');
  const entry = fileURLToPath(new URL('../../src/store/local.ts', import.meta.url));
  // Each process takes the lock, says when it entered and left, and holds it a little while.
  await build({
    stdin: {
      contents: `import { appendFileSync } from 'node:fs';
        import { LocalStore } from ${JSON.stringify(entry)};
        const [ledger, log, holdMs] = process.argv.slice(2);
        const unlock = await new LocalStore(ledger).lock(20000);
        appendFileSync(log, 'enter ' + process.pid + '\\n');
        await new Promise((settle) => setTimeout(settle, Number(holdMs)));
        appendFileSync(log, 'leave ' + process.pid + '\\n');
        await unlock();`,
      resolveDir: dir,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: bundle,
    logLevel: 'silent',
  });
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Enter and leave lines must alternate, each leave by the process that entered last. */
function assertOneAtATime(log: string, processes: number): void {
  const lines = log.trim().split('\n');
  expect(lines).toHaveLength(processes * 2);
  for (let at = 0; at < lines.length; at += 2) {
    const [enter, leave] = [lines[at] as string, lines[at + 1] as string];
    expect(enter).toMatch(/^enter \d+$/);
    expect(leave).toBe(enter.replace('enter', 'leave'));
  }
}

async function race(
  ledger: string,
  stale: string | null,
  processes: number,
  holdMs: number,
): Promise<string> {
  await rm(ledger, { recursive: true, force: true });
  await mkdir(ledger, { recursive: true });
  if (stale !== null) {
    await writeFile(join(ledger, '.lock'), stale);
    const old = new Date(Date.now() - 60_000);
    await utimes(join(ledger, '.lock'), old, old);
  }
  const log = join(ledger, 'log.txt');
  await Promise.all(
    Array.from({ length: processes }, () => run(process.execPath, [bundle, ledger, log, String(holdMs)])),
  );
  // Nothing is left behind: no lock, no break lock, no temporary file.
  expect((await readdir(ledger)).sort()).toEqual(['log.txt']);
  return readFile(log, 'utf8');
}

describe('the local ledger lock', () => {
  it('two processes taking over one stale lock of a dead process: exactly one holds it at a time (30 rounds)', async () => {
    const stale = JSON.stringify({ host: hostname(), pid: 2 ** 22 + 999, since: '2026-01-01T00:00:00.000Z' });
    for (let round = 0; round < 30; round++) {
      assertOneAtATime(await race(join(dir, `dead-${round}`), stale, 2, 30), 2);
    }
  }, 120_000);

  it('an empty lock file older than the grace period is stale too; four processes serialise on it', async () => {
    for (let round = 0; round < 10; round++) {
      assertOneAtATime(await race(join(dir, `empty-${round}`), '', 4, 20), 4);
    }
  }, 120_000);

  it('waits for a fresh empty lock file (a writer between create and write), then takes it once stale', async () => {
    const ledger = join(dir, 'fresh-empty');
    await mkdir(ledger, { recursive: true });
    await writeFile(join(ledger, '.lock'), '');
    const started = Date.now();
    const unlock = await new LocalStore(ledger).lock(20_000);
    const waited = Date.now() - started;
    await unlock();
    expect(waited).toBeGreaterThanOrEqual(1_500);
    expect(waited).toBeLessThan(8_000);
    await expect(readdir(ledger)).resolves.toEqual([]);
  }, 30_000);

  it('a lock held on another host is an error at once, naming the file, the holder and the fix', async () => {
    const ledger = join(dir, 'foreign');
    await mkdir(ledger, { recursive: true });
    await writeFile(
      join(ledger, '.lock'),
      JSON.stringify({ host: 'gpu-3.example', pid: 77, since: '2026-02-03T04:05:06.000Z', token: 'x' }),
    );
    const started = Date.now();
    await expect(new LocalStore(ledger).lock(20_000)).rejects.toMatchObject({
      code: 'CHAIN',
      message: `${join(ledger, '.lock')}: the ledger is locked by process 77 on gpu-3.example since 2026-02-03T04:05:06.000Z — a run on gpu-3.example holds it, and its process cannot be checked from here; wait for it, or if no run is recording there, remove ${join(ledger, '.lock')}`,
    });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('a live holder on this host is waited for, then the wait ends with an error naming it', async () => {
    const ledger = join(dir, 'live');
    await mkdir(ledger, { recursive: true });
    await writeFile(
      join(ledger, '.lock'),
      JSON.stringify({ host: hostname(), pid: process.pid, since: 'now' }),
    );
    await expect(new LocalStore(ledger).lock(300)).rejects.toMatchObject({
      code: 'CHAIN',
      message: expect.stringMatching(
        new RegExp(
          `another run has been recording into this ledger for too long \\(process ${process.pid} on `,
        ),
      ),
    });
  });

  it('releasing leaves a lock another run took over alone', async () => {
    const ledger = join(dir, 'taken');
    await mkdir(ledger, { recursive: true });
    const unlock = await new LocalStore(ledger).lock();
    const other = JSON.stringify({ host: hostname(), pid: process.pid, since: 'later', token: 'another' });
    await writeFile(join(ledger, '.lock'), other);
    await unlock();
    await expect(readFile(join(ledger, '.lock'), 'utf8')).resolves.toBe(other);
  });
});
