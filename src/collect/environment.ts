import { execFile } from 'node:child_process';
import { access, readFile } from 'node:fs/promises';
import { arch, platform, release } from 'node:os';
import { join } from 'node:path';

import type { CiContext, EnvironmentSection, JsonObject } from '../record/predicate.js';
import { captureEnvironment } from './secrets.js';
import type { CollectContext, Collector } from './types.js';

type Env = Readonly<Record<string, string | undefined>>;

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
  /** Key in `environment.tools`. */
  name: string;
  command: string;
  args: string[];
  /** The version from the command's stdout + stderr; undefined when it cannot be read. */
  parse(output: string): Record<string, string> | undefined;
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

/** `nvidia-smi` prints `Driver Version: 535.104.05   CUDA Version: 12.2` in its banner. */
export function parseNvidiaSmi(output: string): Record<string, string> | undefined {
  const driver = /Driver Version:\s*([\d.]+)/.exec(output)?.[1];
  const cuda = /CUDA Version:\s*([\d.]+)/.exec(output)?.[1];
  const found: Record<string, string> = {};
  if (driver) found['nvidia-driver'] = driver;
  if (cuda) found.cuda = cuda;
  return Object.keys(found).length > 0 ? found : undefined;
}

export const DEFAULT_TOOL_PROBES: readonly ToolProbe[] = [
  { name: 'python3', command: 'python3', args: ['--version'], parse: versionOf('python3') },
  { name: 'python', command: 'python', args: ['--version'], parse: versionOf('python') },
  { name: 'pip', command: 'pip', args: ['--version'], parse: versionOf('pip') },
  { name: 'nvidia-smi', command: 'nvidia-smi', args: [], parse: parseNvidiaSmi },
  { name: 'git', command: 'git', args: ['--version'], parse: versionOf('git') },
];

export interface EnvironmentOptions {
  /** Variable names (or `PREFIX_*`) to record besides the default allow-list. */
  variables?: readonly string[];
  /** Values that must never appear (github-token, values given to core.setSecret). */
  knownSecrets?: readonly string[];
  /** Tools to ask for their version (default python3, python, pip, nvidia-smi, git). */
  tools?: readonly ToolProbe[];
  /** How long one tool may take to answer (default 5 s); a tool that does not answer is left out. */
  toolTimeoutMs?: number;
  /** Filesystem root for container detection (tests point it at a temp dir). */
  root?: string;
}

/**
 * Where and with what the run happened: OS, architecture, runner, Node, tool versions,
 * container, and allow-listed variables with secrets redacted. Absent tools are simply omitted.
 */
export class EnvironmentCollector implements Collector<'environment'> {
  readonly section = 'environment';

  constructor(private readonly options: EnvironmentOptions = {}) {}

  async collect(context: CollectContext): Promise<EnvironmentSection> {
    const { env } = context;
    const [tools, distribution, container, gpus] = await Promise.all([
      this.toolVersions(context),
      osRelease(this.options.root ?? '/'),
      detectContainer(env, this.options.root ?? '/'),
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
    const answers = await Promise.all(
      probes.map(async (probe) => {
        const output = await runTool(probe.command, probe.args, context.env, this.timeout);
        if (output === undefined) {
          context.log.debug(`environment: ${probe.command} is not available`);
          return undefined;
        }
        return probe.parse(output);
      }),
    );
    const tools: Record<string, string> = {};
    for (const answer of answers) Object.assign(tools, answer ?? {});
    return tools;
  }

  private async gpuNames(context: CollectContext): Promise<string[]> {
    if (this.options.tools && !this.options.tools.some((probe) => probe.command === 'nvidia-smi')) return [];
    const output = await runTool(
      'nvidia-smi',
      ['--query-gpu=name', '--format=csv,noheader'],
      context.env,
      this.timeout,
    );
    if (output === undefined) return [];
    return output
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !/failed|error|not found/i.test(line));
  }

  private get timeout(): number {
    return this.options.toolTimeoutMs ?? 5_000;
  }
}

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

/** Output (stdout then stderr) of a tool that ran and exited 0; undefined when absent, failing or slow. */
function runTool(command: string, args: string[], env: Env, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      {
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: 1024 * 1024,
        encoding: 'utf8',
        windowsHide: true,
        env: { ...definedOnly(env), LC_ALL: 'C' },
      },
      (error, stdout, stderr) => resolve(error ? undefined : `${stdout}\n${stderr}`),
    );
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
