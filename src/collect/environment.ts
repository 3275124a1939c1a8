import { type ChildProcess, spawn } from 'node:child_process';
import { access, readFile } from 'node:fs/promises';
import { arch, platform, release } from 'node:os';
import { join } from 'node:path';

import { describeError } from '../errors.js';
import type { CiContext, EnvironmentSection, JsonObject } from '../record/predicate.js';
import { captureEnvironment } from './secrets.js';
import { nvidiaDevicePresent, nvidiaDriverFromProc, parseNvidiaSmi } from './nvidia.js';
import { locateCommand, pipVersionFromFiles, pythonVersionFromFiles } from './tool-files.js';
import type { CollectContext, Collector } from './types.js';

type Env = Readonly<Record<string, string | undefined>>;

export { nvidiaDevicePresent, nvidiaDriverFromProc, parseNvidiaSmi };

/** The CI context from GitHub Actions' default variables; only what the runner actually set. */
export function ciContextFrom(env: Env): CiContext {
  if (env.GITHUB_ACTIONS !== 'true') {
    return { provider: env.CI ? 'other' : 'none' };
  }
  const fields: [keyof CiContext, string][] = [
    ['repository', 'GITHUB_REPOSITORY'],
    ['workflow', 'GITHUB_WORKFLOW'],
    ['workflowRef', 'GITHUB_WORKFLOW_REF'],
    ['runId', 'GITHUB_RUN_ID'],
    ['runAttempt', 'GITHUB_RUN_ATTEMPT'],
    ['runNumber', 'GITHUB_RUN_NUMBER'],
    ['eventName', 'GITHUB_EVENT_NAME'],
    ['ref', 'GITHUB_REF'],
    ['sha', 'GITHUB_SHA'],
    ['actor', 'GITHUB_ACTOR'],
    ['triggeringActor', 'GITHUB_TRIGGERING_ACTOR'],
    ['serverUrl', 'GITHUB_SERVER_URL'],
    ['job', 'GITHUB_JOB'],
  ];
  const context: CiContext = { provider: 'github-actions' };
  for (const [field, variable] of fields) {
    const value = env[variable];
    if (value) (context as unknown as Record<string, string>)[field] = value;
  }
  if (context.serverUrl && context.repository && context.runId) {
    context.runUrl = `${context.serverUrl}/${context.repository}/actions/runs/${context.runId}`;
  }
  return context;
}

/** One tool whose version is recorded: a command, its arguments, and how to read the answer. */
export interface ToolProbe {
  /** Key in `environment.tools`; recorded as `unknown` when the tool is there but its version is not. */
  name: string;
  command: string;
  args: string[];
  /** The version from the command's stdout + stderr; undefined when it cannot be read. */
  parse(output: string): Record<string, string> | undefined;
  /**
   * The version read from files beside the executable found on PATH, without running it;
   * undefined when the files do not say it unambiguously (the command then runs).
   */
  fromFiles?(executable: string, env: Env): Promise<Record<string, string> | undefined>;
  /** Whether to ask at all on this machine (`root` as in EnvironmentOptions); default yes. */
  applies?(root: string): Promise<boolean>;
  /**
   * What the system's own files say (under `root`) when the command is not on PATH or gives no
   * version: recorded besides `unknown` for a command that failed. Undefined when they say nothing.
   */
  fromSystem?(root: string): Promise<Record<string, string> | undefined>;
}

/** The first dotted version number in a text: `Python 3.11.4` → `3.11.4`. */
export function firstVersion(text: string): string | undefined {
  return /\b(\d+\.\d+(?:\.\d+)*(?:[-+.]?[0-9A-Za-z.]+)?)/.exec(text)?.[1];
}

const versionOf =
  (name: string) =>
  (output: string): Record<string, string> | undefined => {
    const version = firstVersion(output);
    return version ? { [name]: version } : undefined;
  };

const pythonFromFiles =
  (name: string) =>
  async (executable: string): Promise<Record<string, string> | undefined> => {
    const version = await pythonVersionFromFiles(executable);
    return version === undefined ? undefined : { [name]: version };
  };

export const DEFAULT_TOOL_PROBES: readonly ToolProbe[] = [
  {
    name: 'python3',
    command: 'python3',
    args: ['--version'],
    parse: versionOf('python3'),
    fromFiles: pythonFromFiles('python3'),
  },
  {
    name: 'python',
    command: 'python',
    args: ['--version'],
    parse: versionOf('python'),
    fromFiles: pythonFromFiles('python'),
  },
  {
    name: 'pip',
    command: 'pip',
    args: ['--version'],
    parse: versionOf('pip'),
    fromFiles: async (executable, env) => {
      const version = await pipVersionFromFiles(executable, env);
      return version === undefined ? undefined : { pip: version };
    },
  },
  {
    name: 'nvidia-smi',
    command: 'nvidia-smi',
    args: [],
    parse: parseNvidiaSmi,
    applies: nvidiaDevicePresent,
    // A container given the GPU without NVIDIA's utilities still has the driver's /proc entry.
    fromSystem: async (root) => {
      const driver = await nvidiaDriverFromProc(root);
      return driver === undefined ? undefined : { 'nvidia-driver': driver };
    },
  },
  // No file says git's version; it answers in milliseconds, while the other collectors work.
  { name: 'git', command: 'git', args: ['--version'], parse: versionOf('git') },
];

export interface EnvironmentOptions {
  /** Variable names (or `PREFIX_*`) to record besides the default allow-list. */
  variables?: readonly string[];
  /** Values that must never appear (github-token, values given to core.setSecret). */
  knownSecrets?: readonly string[];
  /** Tools to ask for their version (default python3, python, pip, nvidia-smi, git). */
  tools?: readonly ToolProbe[];
  /**
   * How long one tool may take to answer (default 1.5 s); one that does not is stopped (its whole
   * process group) and recorded as unknown with a note.
   */
  toolTimeoutMs?: number;
  /** Filesystem root for container and GPU detection (tests point it at a temp dir). */
  root?: string;
}

/**
 * Where and with what the run happened: OS, architecture, runner, Node, tool versions,
 * container, and allow-listed variables with secrets redacted. Tools not on PATH are omitted;
 * a tool on PATH whose version cannot be read is recorded as `unknown`, with a note saying why.
 */
export class EnvironmentCollector implements Collector<'environment'> {
  readonly section = 'environment';

  constructor(private readonly options: EnvironmentOptions = {}) {}

  async collect(context: CollectContext): Promise<EnvironmentSection> {
    const { env } = context;
    // Everything starts at once: the tools answer while the files are read.
    const [tools, distribution, container, gpus] = await Promise.all([
      this.toolVersions(context),
      osRelease(this.root),
      detectContainer(env, this.root),
      this.gpuNames(context),
    ]);
    const section: EnvironmentSection = {
      ci: ciContextFrom(env),
      os: distribution ? `${platform()} ${release()} (${distribution})` : `${platform()} ${release()}`,
      arch: arch(),
      node: process.version,
    };
    const runner = runnerFrom(env);
    if (container) runner.container = container;
    if (gpus.length > 0) runner.gpus = gpus;
    if (Object.keys(runner).length > 0) section.runner = runner;
    if (Object.keys(tools).length > 0) section.tools = tools;
    const variables = captureEnvironment(env, {
      variables: this.options.variables ?? [],
      knownSecrets: this.options.knownSecrets ?? [],
    });
    if (Object.keys(variables).length > 0) section.variables = variables;
    return section;
  }

  private async toolVersions(context: CollectContext): Promise<Record<string, string>> {
    const probes = this.options.tools ?? DEFAULT_TOOL_PROBES;
    const answers = await Promise.all(probes.map((probe) => this.toolVersion(probe, context)));
    const tools: Record<string, string> = {};
    for (const answer of answers) Object.assign(tools, answer ?? {});
    return tools;
  }

  private async toolVersion(
    probe: ToolProbe,
    context: CollectContext,
  ): Promise<Record<string, string> | undefined> {
    if (probe.applies && !(await probe.applies(this.root))) return undefined;
    const located = await locateCommand(probe.command, context.env, context.cwd);
    if (located === undefined) {
      context.log.debug(`environment: ${probe.command} is not on PATH`);
      return probe.fromSystem?.(this.root);
    }
    if (located.resolved && probe.fromFiles) {
      const found = await probe.fromFiles(located.path, context.env);
      if (found !== undefined) return found;
    }
    const shown = [probe.command, ...probe.args].join(' ');
    const answer = await runTool(located.path, probe.args, context, this.timeout);
    let why: string;
    if (answer.kind === 'ok') {
      const found = probe.parse(answer.output);
      if (found !== undefined) return found;
      why = 'printed no version';
    } else if (answer.kind === 'timeout') {
      why = `did not answer within ${seconds(this.timeout)} and was stopped`;
    } else {
      why = `failed (${answer.detail})`;
    }
    context.note(`environment: \`${shown}\` ${why}; ${probe.name} is recorded as unknown`);
    return { ...(await probe.fromSystem?.(this.root)), [probe.name]: 'unknown' };
  }

  private async gpuNames(context: CollectContext): Promise<string[]> {
    const probe = (this.options.tools ?? DEFAULT_TOOL_PROBES).find((tool) => tool.command === 'nvidia-smi');
    if (probe === undefined || (probe.applies && !(await probe.applies(this.root)))) return [];
    const located = await locateCommand('nvidia-smi', context.env, context.cwd);
    if (located === undefined) return [];
    // The banner probe notes a failing nvidia-smi; the names are simply left out then.
    const answer = await runTool(
      located.path,
      ['--query-gpu=name', '--format=csv,noheader'],
      context,
      this.timeout,
    );
    if (answer.kind !== 'ok') return [];
    return answer.output
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !/failed|error|not found/i.test(line));
  }

  private get timeout(): number {
    return this.options.toolTimeoutMs ?? 1_500;
  }

  private get root(): string {
    return this.options.root ?? '/';
  }
}

const seconds = (ms: number): string => `${Number((ms / 1000).toFixed(2))} s`;

/** The runner as GitHub Actions describes it; only what is set. */
function runnerFrom(env: Env): JsonObject {
  const runner: JsonObject = {};
  const fields: [string, string][] = [
    ['name', 'RUNNER_NAME'],
    ['os', 'RUNNER_OS'],
    ['arch', 'RUNNER_ARCH'],
    ['imageOS', 'ImageOS'],
    ['imageVersion', 'ImageVersion'],
  ];
  for (const [field, variable] of fields) {
    const value = env[variable];
    if (value) runner[field] = value;
  }
  // `github-hosted` or `self-hosted`, as the runner says; never inferred from the name.
  const environment = env.RUNNER_ENVIRONMENT;
  if (environment === 'github-hosted' || environment === 'self-hosted') runner.environment = environment;
  return runner;
}

type ToolAnswer = { kind: 'ok'; output: string } | { kind: 'timeout' } | { kind: 'failed'; detail: string };

const MAX_OUTPUT = 1024 * 1024;

/**
 * Runs a tool in its own process group and answers with its output (stdout then stderr) when it
 * exits 0. At the deadline the whole group is killed and the answer is given at once: a child
 * of the tool (`sleep` in a script) holding its output open must not hold up the record.
 */
function runTool(
  executable: string,
  args: string[],
  context: CollectContext,
  timeoutMs: number,
): Promise<ToolAnswer> {
  return new Promise((resolve) => {
    const group = process.platform !== 'win32';
    let child: ChildProcess;
    try {
      child = spawn(executable, args, {
        cwd: context.cwd,
        env: { ...definedOnly(context.env), LC_ALL: 'C' },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: group,
        windowsHide: true,
      });
    } catch (error) {
      resolve({ kind: 'failed', detail: describeError(error) });
      return;
    }
    const kill = () => {
      try {
        if (group && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // already gone
      }
    };
    const output = { stdout: '', stderr: '' };
    const keep = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
      if (output[stream].length < MAX_OUTPUT) output[stream] += chunk.toString('utf8');
    };
    child.stdout?.on('data', keep('stdout'));
    child.stderr?.on('data', keep('stderr'));
    let settled = false;
    const settle = (answer: ToolAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(answer);
    };
    const timer = setTimeout(() => {
      kill();
      child.stdout?.destroy();
      child.stderr?.destroy();
      settle({ kind: 'timeout' });
    }, timeoutMs);
    child.on('error', (error) => settle({ kind: 'failed', detail: error.message }));
    // A child the tool left running may hold its output open: what it printed is all there is.
    child.on('exit', () => {
      setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
      }, 100).unref();
    });
    child.on('close', (code, signal) => {
      if (code === 0) settle({ kind: 'ok', output: `${output.stdout}\n${output.stderr}` });
      else settle({ kind: 'failed', detail: signal ? `killed by ${signal}` : `exit status ${String(code)}` });
    });
  });
}

function definedOnly(env: Env): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined) result[name] = value;
  return result;
}

/** PRETTY_NAME from os-release, e.g. `Ubuntu 24.04.1 LTS`. */
async function osRelease(root: string): Promise<string | undefined> {
  for (const file of ['etc/os-release', 'usr/lib/os-release']) {
    try {
      const text = await readFile(join(root, file), 'utf8');
      const match = /^PRETTY_NAME=(?:"([^"\n]*)"|'([^'\n]*)'|(\S*))/m.exec(text);
      const name = match?.[1] ?? match?.[2] ?? match?.[3];
      if (name) return name;
    } catch {
      // not this file
    }
  }
  return undefined;
}

/**
 * The container the job runs in, when there is evidence of one: `/.dockerenv`, podman's
 * `/run/.containerenv`, the `container` variable, or a container runtime in `/proc/1/cgroup`.
 * The image is recorded only when named: `CONTAINER_IMAGE`, or podman's containerenv `image=`.
 */
export async function detectContainer(env: Env, root: string): Promise<JsonObject | undefined> {
  let runtime: string | undefined;
  let image = env.CONTAINER_IMAGE?.trim() || undefined;
  if (await exists(join(root, '.dockerenv'))) runtime = 'docker';
  const containerenv = await readText(join(root, 'run/.containerenv'));
  if (containerenv !== undefined) {
    runtime ??= 'podman';
    image ??= /^image="([^"\n]+)"/m.exec(containerenv)?.[1];
  }
  if (!runtime && env.container) runtime = env.container;
  if (!runtime) {
    const cgroup = (await readText(join(root, 'proc/1/cgroup'))) ?? '';
    runtime = /\b(docker|kubepods|containerd|libpod|lxc)\b/.exec(cgroup)?.[1];
    if (runtime === 'kubepods') runtime = 'kubernetes';
    if (runtime === 'libpod') runtime = 'podman';
  }
  if (!runtime && !image) return undefined;
  const container: JsonObject = {};
  if (runtime) container.runtime = runtime;
  if (image) container.image = image;
  return container;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}
