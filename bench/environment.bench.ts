/**
 * Benchmark (not a test): what the environment collector costs a record on this machine, with its
 * own PATH (pyenv shims, a virtual environment, whatever is there), against the same collector
 * asking every tool by running it, as records did before issue 16 (`python3 --version`,
 * `python --version`, `pip --version`, `nvidia-smi` on any machine, `git --version`). Rounds
 * alternate the two; the first round of each is reported apart, as the cold run a CI job sees.
 * Also counts the processes each starts itself (not their children: a pyenv shim starts dozens).
 */
import { createRequire, syncBuiltinESMExports } from 'node:module';

import { DEFAULT_TOOL_PROBES, EnvironmentCollector, type ToolProbe } from '../src/collect/environment.js';
import type { CollectContext } from '../src/collect/types.js';
import { silentLogger } from '../src/log.js';

const ROUNDS = process.env.BENCH_SMALL ? 5 : 15;

/** The probes as they were: no version read from files, every tool asked wherever it is. */
const SPAWNING: ToolProbe[] = DEFAULT_TOOL_PROBES.map((probe) => ({
  name: probe.name,
  command: probe.command,
  args: probe.args,
  parse: (output) => probe.parse(output),
}));

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

/** Counts the child processes started through node:child_process while `work` runs. */
async function counting<T>(work: () => Promise<T>): Promise<{ result: T; spawned: number }> {
  const childProcess = createRequire(import.meta.url)(
    'node:child_process',
  ) as typeof import('node:child_process');
  const original = childProcess.spawn;
  let spawned = 0;
  childProcess.spawn = ((...args: Parameters<typeof original>) => {
    spawned++;
    return original(...args);
  }) as typeof original;
  syncBuiltinESMExports(); // the collector's `import { spawn }` now sees the counter
  try {
    return { result: await work(), spawned };
  } finally {
    childProcess.spawn = original;
    syncBuiltinESMExports();
  }
}

export async function run(): Promise<string[]> {
  const context: CollectContext = {
    cwd: process.cwd(),
    env: process.env,
    previous: null,
    log: silentLogger,
    note: () => undefined,
    attach: () => undefined,
  };
  const contenders = [
    { label: 'versions from files', tools: DEFAULT_TOOL_PROBES },
    { label: 'every tool run (before #16)', tools: SPAWNING },
  ];
  const times = new Map<string, number[]>(contenders.map(({ label }) => [label, []]));
  const spawns = new Map<string, number>();
  const recorded = new Map<string, string>();
  for (let round = 0; round < ROUNDS; round++) {
    for (let index = 0; index < contenders.length; index++) {
      const { label, tools } = contenders[(round + index) % contenders.length] as (typeof contenders)[number];
      const started = performance.now();
      const { result, spawned } = await counting(() => new EnvironmentCollector({ tools }).collect(context));
      times.get(label)?.push(performance.now() - started);
      spawns.set(label, spawned);
      recorded.set(label, JSON.stringify(result.tools ?? {}));
    }
  }
  const lines: string[] = [];
  for (const { label } of contenders) {
    const all = times.get(label) ?? [];
    lines.push(
      `environment collector, ${label}: median ${median(all).toFixed(1)} ms, first ${(all[0] ?? 0).toFixed(1)} ms; ` +
        `${spawns.get(label) ?? 0} process(es) started; tools ${recorded.get(label) ?? '{}'}`,
    );
  }
  return lines;
}
