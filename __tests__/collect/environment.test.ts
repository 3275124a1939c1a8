import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  ciContextFrom,
  detectContainer,
  EnvironmentCollector,
  firstVersion,
  parseNvidiaSmi,
  type ToolProbe,
} from '../../src/collect/environment.js';
import { REDACTED } from '../../src/collect/secrets.js';
import { type JsonSchema, SchemaValidator } from '../../src/record/json-schema.js';
import { recordSchema } from '../../src/record/schema.js';
import { testContext } from '../support/context.js';

const NVIDIA_SMI_BANNER = `Tue May 14 10:00:00 2024
+---------------------------------------------------------------------------------------+
| NVIDIA-SMI 535.104.05             Driver Version: 535.104.05   CUDA Version: 12.2     |
|-----------------------------------------+----------------------+----------------------+
`;

let dir: string;
let bin: string;
let root: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'model-ledger-env-'));
  bin = join(dir, 'bin');
  root = join(dir, 'root');
  await mkdir(bin);
  await mkdir(root);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Puts an executable shell script on the test PATH. */
async function tool(name: string, script: string): Promise<void> {
  await writeFile(join(bin, name), `#!/bin/sh\n${script}\n`);
  await chmod(join(bin, name), 0o755);
}

async function fakeToolchain(): Promise<void> {
  await tool('python3', 'echo "Python 3.11.9"');
  await tool('python', 'echo "Python 2.7.18" >&2'); // Python 2 answers on stderr
  await tool('pip', 'echo "pip 24.0 from /usr/lib/python3/dist-packages/pip (python 3.11)"');
  await tool('git', 'echo "git version 2.45.1"');
  await tool(
    'nvidia-smi',
    // Shell builtins only: the test PATH has nothing but these scripts.
    [
      'if [ "$1" = "--query-gpu=name" ]; then',
      "  echo 'NVIDIA A100-SXM4-80GB'; echo 'NVIDIA A100-SXM4-80GB'",
      'else',
      ...NVIDIA_SMI_BANNER.trimEnd()
        .split('\n')
        .map((line) => `  echo '${line}'`),
      'fi',
    ].join('\n'),
  );
}

const environmentValidator = new SchemaValidator({
  $defs: (recordSchema as JsonSchema).$defs,
  $ref: '#/$defs/environment',
});

describe('the environment collector', () => {
  it('records tool versions, runner, container and allow-listed variables on a GitHub-hosted runner', async () => {
    await fakeToolchain();
    await writeFile(join(root, '.dockerenv'), '');
    await mkdir(join(root, 'etc'));
    await writeFile(join(root, 'etc', 'os-release'), 'NAME="Ubuntu"\nPRETTY_NAME="Ubuntu 24.04.1 LTS"\n');
    const env = {
      PATH: bin,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_REPOSITORY: 'acme/model',
      GITHUB_RUN_ID: '42',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_TOKEN: 'ghs_notToBeRecordedEver0123456789abcdefgh',
      RUNNER_NAME: 'GitHub Actions 7',
      RUNNER_OS: 'Linux',
      RUNNER_ARCH: 'X64',
      RUNNER_ENVIRONMENT: 'github-hosted',
      ImageOS: 'ubuntu24',
      ImageVersion: '20240512.1.0',
      CUDA_VISIBLE_DEVICES: '0,1',
      PYTHONHASHSEED: '0',
      CONTAINER_IMAGE: 'ghcr.io/acme/train:2024.05',
      UNLISTED: 'not recorded',
    };
    const { context } = testContext(dir, env);
    const section = await new EnvironmentCollector({ root }).collect(context);

    expect(section.tools).toEqual({
      python3: '3.11.9',
      python: '2.7.18',
      pip: '24.0',
      git: '2.45.1',
      'nvidia-driver': '535.104.05',
      cuda: '12.2',
    });
    expect(section.runner).toEqual({
      name: 'GitHub Actions 7',
      os: 'Linux',
      arch: 'X64',
      environment: 'github-hosted',
      imageOS: 'ubuntu24',
      imageVersion: '20240512.1.0',
      container: { runtime: 'docker', image: 'ghcr.io/acme/train:2024.05' },
      gpus: ['NVIDIA A100-SXM4-80GB', 'NVIDIA A100-SXM4-80GB'],
    });
    expect(section.os).toMatch(/ \(Ubuntu 24\.04\.1 LTS\)$/);
    expect(section.node).toBe(process.version);
    expect(section.ci).toMatchObject({
      provider: 'github-actions',
      runUrl: 'https://github.com/acme/model/actions/runs/42',
    });
    expect(section.variables).toEqual({
      CI: 'true',
      CUDA_VISIBLE_DEVICES: '0,1',
      GITHUB_ACTIONS: 'true',
      GITHUB_REPOSITORY: 'acme/model',
      GITHUB_RUN_ID: '42',
      GITHUB_SERVER_URL: 'https://github.com',
      ImageOS: 'ubuntu24',
      ImageVersion: '20240512.1.0',
      PYTHONHASHSEED: '0',
      RUNNER_ARCH: 'X64',
      RUNNER_ENVIRONMENT: 'github-hosted',
      RUNNER_NAME: 'GitHub Actions 7',
      RUNNER_OS: 'Linux',
    });
    expect(environmentValidator.validate(section)).toEqual([]);
  });

  it('omits absent tools and says nothing it does not know', async () => {
    const { context } = testContext(dir, { PATH: bin });
    const section = await new EnvironmentCollector({ root }).collect(context);
    expect(section.tools).toBeUndefined();
    expect(section.runner).toBeUndefined();
    expect(section.variables).toBeUndefined();
    expect(section.ci).toEqual({ provider: 'none' });
    expect(environmentValidator.validate(section)).toEqual([]);
  });

  it('gives up on a tool that hangs, quickly, and keeps the others', async () => {
    await tool('python3', 'while :; do :; done'); // a builtin loop: `sleep` is not on the test PATH
    await tool('git', 'echo "git version 2.45.1"');
    const { context } = testContext(dir, { PATH: bin });
    const started = Date.now();
    const section = await new EnvironmentCollector({ root, toolTimeoutMs: 300 }).collect(context);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(section.tools).toEqual({ git: '2.45.1' });
  });

  it('leaves out a tool that fails', async () => {
    await tool(
      'nvidia-smi',
      'echo "NVIDIA-SMI has failed because it couldn\'t communicate with the NVIDIA driver." >&2; exit 9',
    );
    const { context } = testContext(dir, { PATH: bin });
    const section = await new EnvironmentCollector({ root }).collect(context);
    expect(section.tools).toBeUndefined();
    expect(section.runner).toBeUndefined();
  });

  it('asks only the tools it is given', async () => {
    await fakeToolchain();
    const probes: ToolProbe[] = [
      {
        name: 'git',
        command: 'git',
        args: ['--version'],
        parse: (out) => ({ git: firstVersion(out) ?? '' }),
      },
    ];
    const { context } = testContext(dir, { PATH: bin });
    const section = await new EnvironmentCollector({ root, tools: probes }).collect(context);
    expect(section.tools).toEqual({ git: '2.45.1' });
    expect(section.runner).toBeUndefined(); // no nvidia-smi asked, so no GPU names
  });

  it('records a self-hosted runner as such, and never guesses the kind', async () => {
    const collect = async (value: string) => {
      const { context } = testContext(dir, {
        PATH: bin,
        RUNNER_ENVIRONMENT: value,
        RUNNER_NAME: 'gpu-box-1',
      });
      return (await new EnvironmentCollector({ root }).collect(context)).runner;
    };
    await expect(collect('self-hosted')).resolves.toEqual({ name: 'gpu-box-1', environment: 'self-hosted' });
    await expect(collect('something-else')).resolves.toEqual({ name: 'gpu-box-1' });
  });

  it('adds user-named variables and redacts those whose name or value is secret', async () => {
    const env = {
      PATH: bin,
      HF_HOME: '/cache/hf',
      HF_TOKEN: 'hf_abcdefghijklmnopqrstuvwxyzABCDEFGH12',
      TRAINING_SEED: '1234',
      TRAINING_LABEL: 'known-secret-value-xyz',
    };
    const { context } = testContext(dir, env);
    const section = await new EnvironmentCollector({
      root,
      variables: ['HF_*', 'TRAINING_SEED', 'TRAINING_LABEL'],
      knownSecrets: ['known-secret-value-xyz'],
    }).collect(context);
    expect(section.variables).toEqual({
      HF_HOME: '/cache/hf',
      HF_TOKEN: REDACTED,
      TRAINING_LABEL: REDACTED,
      TRAINING_SEED: '1234',
    });
  });
});

describe('container detection', () => {
  it('recognises podman and reads the image it names', async () => {
    await mkdir(join(root, 'run'));
    await writeFile(
      join(root, 'run', '.containerenv'),
      'engine="podman-4.9.3"\nname="train"\nimage="quay.io/acme/train:1"\n',
    );
    await expect(detectContainer({}, root)).resolves.toEqual({
      runtime: 'podman',
      image: 'quay.io/acme/train:1',
    });
  });

  it('recognises Kubernetes from the cgroup of PID 1, without an image unless one is named', async () => {
    await mkdir(join(root, 'proc', '1'), { recursive: true });
    await writeFile(join(root, 'proc', '1', 'cgroup'), '0::/kubepods/besteffort/pod1234/abcd\n');
    await expect(detectContainer({}, root)).resolves.toEqual({ runtime: 'kubernetes' });
  });

  it('uses the `container` variable of systemd-style runtimes, and reports nothing without evidence', async () => {
    await expect(detectContainer({ container: 'oci' }, root)).resolves.toEqual({ runtime: 'oci' });
    await expect(detectContainer({}, root)).resolves.toBeUndefined();
  });
});

describe('version parsing', () => {
  it('reads versions as tools print them', () => {
    expect(firstVersion('Python 3.13.0rc1')).toBe('3.13.0rc1');
    expect(firstVersion('git version 2.39.3 (Apple Git-146)')).toBe('2.39.3');
    expect(firstVersion('no version here')).toBeUndefined();
    expect(parseNvidiaSmi(NVIDIA_SMI_BANNER)).toEqual({ 'nvidia-driver': '535.104.05', cuda: '12.2' });
    expect(parseNvidiaSmi('nothing')).toBeUndefined();
  });

  it('reads the CI context only on GitHub Actions', () => {
    expect(ciContextFrom({ CI: 'true' })).toEqual({ provider: 'other' });
    expect(ciContextFrom({ GITHUB_ACTIONS: 'true', GITHUB_ACTOR: 'octocat' })).toEqual({
      provider: 'github-actions',
      actor: 'octocat',
    });
  });
});
