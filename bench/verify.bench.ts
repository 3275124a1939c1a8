/**
 * Benchmark (not a test): reading a key-signed local ledger of 100, 1,000 and 10,000 records with
 * the bundled CLI, as users run it — `verify` (records/s), `log` and `diff 0 head` — each as a
 * ratio to `node -e 0` measured in the same run. The ledgers are made directly through the
 * library (real signed, linked records with their checkpoints), so the bench measures reading.
 * BENCH_SMALL=1 stops at 1,000.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { fillLedger } from '../__tests__/support/fill-ledger.js';

const CLI = fileURLToPath(new URL('./cli/cli.js', import.meta.url));

/** Median wall time of `rounds` runs of node with `args`, in ms. */
function wallMs(args: string[], cwd: string, rounds: number): number {
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    // Output is not kept (a long ledger's JSON log would overflow spawnSync's buffer); errors are.
    const run = spawnSync(process.execPath, args, {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, HOME: cwd },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const ms = performance.now() - started;
    if (run.status !== 0 && args[0] !== '-e') {
      throw new Error(`node ${args.join(' ')} exited ${run.status}: ${run.stderr.slice(0, 500)}`);
    }
    times.push(ms);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)] as number;
}

/**
 * One run of node with `args`: its wall time in ms and its peak resident memory in MiB, which the
 * child reports itself on exit (process.resourceUsage), so no external `time` tool is needed.
 */
function peakRun(args: string[], cwd: string): { ms: number; peakMiB: number } {
  const report =
    'data:text/javascript,process.on("exit",()=>process.stderr.write("\\nmaxrss="+process.resourceUsage().maxRSS+"\\n"))';
  const started = performance.now();
  const run = spawnSync(process.execPath, ['--import', report, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, HOME: cwd },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const ms = performance.now() - started;
  const match = /\nmaxrss=(\d+)\n/.exec(run.stderr);
  if (run.status !== 0 || !match)
    throw new Error(`node ${args.join(' ')} exited ${run.status}: ${run.stderr.slice(0, 500)}`);
  return { ms, peakMiB: Number(match[1]) / 1024 };
}

export async function run(): Promise<string[]> {
  const sizes = process.env.BENCH_SMALL ? [100, 1000] : [100, 1000, 10_000];
  const nodeMs = wallMs(['-e', '0'], tmpdir(), 5);
  const lines = [
    `reference: \`node -e 0\` ${nodeMs.toFixed(0)} ms`,
    '',
    '| ledger records | `verify` | records/s | `verify` peak memory | `log --reverify` | `log`, unchanged ledger | `diff 0 head`, unchanged | `export` (evidence pack) | `export` peak memory |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const size of sizes) {
    const repo = await mkdtemp(join(tmpdir(), 'model-ledger-verify-bench-'));
    try {
      execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: repo });
      await fillLedger(join(repo, '.model-ledger'), size);
      const rounds = size >= 10_000 ? 1 : 3;
      const verify = wallMs([CLI, 'verify'], repo, rounds);
      const reverify = wallMs([CLI, 'log', '--format', 'json', '--reverify'], repo, rounds);
      // The runs above stored the verification: these reuse it, as a second look at a ledger does.
      const log = wallMs([CLI, 'log', '--format', 'json'], repo, rounds);
      const diff = wallMs([CLI, 'diff', '0', 'head', '--format', 'json'], repo, rounds);
      const verifyPeak = peakRun([CLI, 'verify'], repo);
      const exported = peakRun([CLI, 'export', '--out', join(repo, 'pack.zip')], repo);
      const cell = (ms: number) => `${(ms / 1000).toFixed(2)} s (${(ms / nodeMs).toFixed(1)}×)`;
      lines.push(
        `| ${size.toLocaleString('en-US')} | ${cell(verify)} | ${Math.round(size / ((verify - nodeMs) / 1000)).toLocaleString('en-US')} | ${verifyPeak.peakMiB.toFixed(0)} MiB | ${cell(reverify)} | ${cell(log)} | ${cell(diff)} | ${cell(exported.ms)} | ${exported.peakMiB.toFixed(0)} MiB |`,
      );
    } finally {
      await rm(repo, { recursive: true, force: true });
    }
  }
  lines.push(
    '',
    'records/s: the records over `verify`’s wall time less node’s start-up. Targets: ≥ 5,000 records/s; `verify` and `export` ≤ 150 MiB peak at 10,000 records; `log` and `diff` on an unchanged 10,000-record ledger ≤ 0.3 s.',
  );
  return lines;
}
