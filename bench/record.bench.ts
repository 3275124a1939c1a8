/**
 * Benchmark (not a test): what one CLI run costs besides its real work, against `node -e 0` in the
 * same run — `record` of a 1 KiB model signed with a key into a local store, no lockfiles (target:
 * at most 0.25 s wall), and `--version`. The CLI is the bundle scripts/bench.mjs builds into
 * .bench/cli/ as scripts/build.mjs builds dist/cli.js. Each command runs as its own process, timed
 * from spawn to exit, in rounds that rotate which goes first; ratios are medians of the per-round
 * ratios, which cancels slow drifts in background load on a shared machine. The machine's own
 * PATH is kept (its python, pip and git are what a record asks about); CI variables are not.
 * BENCH_SMALL=1 runs fewer rounds; BENCH_BASELINE_CLI=path/to/cli.js adds another build to compare.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { generateKeyPair } from '../src/sign/keys.js';

const TARGET_MS = 250;
const ROUNDS = process.env.BENCH_SMALL ? 5 : 15;
const CLI = fileURLToPath(new URL('./cli/cli.js', import.meta.url));

/** The child's environment: this machine's, without what would make `record` think it runs in CI. */
function childEnv(dir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(CI|GITHUB_.*|RUNNER_.*|ACTIONS_.*|SIGSTORE_.*|NODE_OPTIONS)$/.test(name)) env[name] = value;
  }
  // The digest cache and any config of this run stay in the run's directory.
  env.XDG_CACHE_HOME = join(dir, 'cache');
  env.XDG_CONFIG_HOME = join(dir, 'config');
  return env;
}

function timed(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      if (code === 0) resolve(ms);
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}: ${stderr.slice(0, 2000)}`));
    });
  });
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};
const seconds = (ms: number): string => `${(ms / 1000).toFixed(3)} s`;

interface Contender {
  label: string;
  command: string;
  args: string[];
}

export async function run(): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'model-ledger-bench-record-'));
  try {
    const repo = join(dir, 'repo');
    await mkdir(repo);
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'ignore' });
    git('init', '-q');
    git('config', 'user.email', 'bench@example.com');
    git('config', 'user.name', 'bench');
    git('config', 'commit.gpgsign', 'false');
    await writeFile(join(repo, 'model.bin'), Buffer.alloc(1024, 7));
    git('add', 'model.bin');
    git('commit', '-q', '-m', 'a tiny model');
    const keyFile = join(dir, 'ledger.key.pem');
    await writeFile(keyFile, generateKeyPair().privateKeyPem, { mode: 0o600 });
    const env = childEnv(dir);

    const recordArgs = (cli: string, store: string) => [
      cli,
      'record',
      '--key',
      keyFile,
      '--models',
      'model.bin',
      '--store',
      join(dir, store),
    ];
    const contenders: Contender[] = [
      { label: 'node -e 0', command: process.execPath, args: ['-e', '0'] },
      { label: 'record', command: process.execPath, args: recordArgs(CLI, 'ledger') },
      { label: '--version', command: process.execPath, args: [CLI, '--version'] },
    ];
    const baseline = process.env.BENCH_BASELINE_CLI;
    if (baseline) {
      contenders.push(
        {
          label: 'baseline record',
          command: process.execPath,
          args: recordArgs(baseline, 'baseline-ledger'),
        },
        { label: 'baseline --version', command: process.execPath, args: [baseline, '--version'] },
      );
    }
    // Record 0 of each ledger first: later records link to a head, as most records do.
    for (const contender of contenders) await timed(contender.command, contender.args, repo, env);

    const times = new Map<string, number[]>(contenders.map((contender) => [contender.label, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (let index = 0; index < contenders.length; index++) {
        const contender = contenders[(round + index) % contenders.length] as Contender;
        times.get(contender.label)?.push(await timed(contender.command, contender.args, repo, env));
      }
    }
    const of = (label: string): number[] => times.get(label) ?? [];
    const node = of('node -e 0');
    const ratio = (label: string): number =>
      median(of(label).map((ms, round) => ms / (node[round] as number)));
    const line = (label: string, what: string, target?: number): string => {
      const wall = median(of(label));
      const verdict =
        target === undefined ? '' : ` (target ≤ ${seconds(target)}: ${wall <= target ? 'PASS' : 'MISS'})`;
      return `fixed cost: ${what}: median ${seconds(wall)} wall, ${ratio(label).toFixed(2)}× node -e 0${verdict}`;
    };
    const lines = [
      `fixed cost: node -e 0: median ${seconds(median(node))} wall (${ROUNDS} rounds, reference)`,
      line('record', 'record, 1 KiB model, key, local store, no lockfiles', TARGET_MS),
      line('--version', 'model-ledger --version'),
      // What a record adds to loading the bundle: collecting, signing, storing (medians' difference).
      `fixed cost: record beyond loading the CLI (record − --version): ${seconds(median(of('record')) - median(of('--version')))}`,
    ];
    if (baseline) {
      lines.push(
        line('baseline record', `record with ${baseline}`),
        line('baseline --version', `--version with ${baseline}`),
      );
    }
    return lines;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
