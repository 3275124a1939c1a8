/**
 * Benchmark (not a test): parsing a generated 5,000-package package-lock.json, end to end
 * (read, digest, UTF-8 check, parse) and the parser alone, against JSON.parse of the same file.
 * scripts/bench.mjs bundles this file and prints the lines `run()` returns.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { generateNpmLockfile } from '../__tests__/fixtures/lockfiles/generate.js';
import { collectDependencies } from '../src/collect/dependencies.js';
import { npmParser } from '../src/lockfiles/npm.js';
import { silentLogger } from '../src/log.js';

const PACKAGES = 5000;
const WARMUP = 3;
const RUNS = 21;
const TARGET_MS = 200;

async function median(run: () => unknown): Promise<number> {
  for (let i = 0; i < WARMUP; i += 1) await run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

export async function run(): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'model-ledger-bench-'));
  try {
    const path = join(dir, 'package-lock.json');
    await writeFile(path, generateNpmLockfile(PACKAGES));
    const text = await readFile(path, 'utf8');

    let count = 0;
    const endToEnd = await median(async () => {
      const section = await collectDependencies({
        cwd: dir,
        paths: ['package-lock.json'],
        log: silentLogger,
        note: () => undefined,
      });
      count = section.lockfiles[0]?.packages.length ?? 0;
    });
    if (count !== PACKAGES) throw new Error(`expected ${PACKAGES} packages, parsed ${count}`);
    const parser = await median(() => npmParser.parse({ path: 'package-lock.json', text }));
    const json = await median(() => JSON.parse(text));

    const mb = (Buffer.byteLength(text) / (1024 * 1024)).toFixed(1);
    return [
      `lockfiles: package-lock.json ${count} packages (${mb} MB): median ${endToEnd.toFixed(1)} ms read+digest+parse (target < ${TARGET_MS} ms)${endToEnd < TARGET_MS ? '' : ' — OVER TARGET'}`,
      `lockfiles: parser alone: median ${parser.toFixed(1)} ms; JSON.parse of the same file: median ${json.toFixed(1)} ms (parser/JSON.parse ratio ${(parser / json).toFixed(1)}×)`,
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
