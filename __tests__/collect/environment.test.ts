import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { access, chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  ciContextFrom,
  DEFAULT_TOOL_PROBES,
  detectContainer,
  EnvironmentCollector,
  firstVersion,
  nvidiaDriverFromProc,
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

/** A `sleep` by absolute path: the test PATH holds nothing but the scripts. */
const SLEEP = execFileSync('sh', ['-c', 'command -v sleep'], { encoding: 'utf8' }).trim();

/** The device node the NVIDIA driver creates, under the test root. */
async function gpuDevice(): Promise<void> {
  await mkdir(join(root, 'dev'), { recursive: true });
  await writeFile(join(root, 'dev', 'nvidia0'), '');
}

/** Whether a process has exited (gone, or a zombie nobody has reaped yet); waits up to 2 s. */
async function processEnded(pid: number): Promise<boolean> {
  for (let attempt = 0; attempt < 40; attempt++) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
    if (stat === undefined || /^\d+ \(.*\) Z /.test(stat)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
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
    await gpuDevice();
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

  it('stops a tool that does not answer in time, with what it started, and records it as unknown', async () => {
    // The script's own child holds its output open: only killing the group ends it.
    await tool(
      'python3',
      `echo $$ > "${dir}/python3.pid"; ${SLEEP} 30 & echo $! > "${dir}/sleep.pid"; wait; : > "${dir}/finished"`,
    );
    await tool('git', 'echo "git version 2.45.1"');
    const { context, notes } = testContext(dir, { PATH: bin });
    // Were the run to wait for the script, it would outlast the test's own time limit.
    const section = await new EnvironmentCollector({ root, toolTimeoutMs: 300 }).collect(context);
    expect(section.tools).toEqual({ python3: 'unknown', git: '2.45.1' });
    expect(notes).toEqual([
      'environment: `python3 --version` did not answer within 0.3 s and was stopped; python3 is recorded as unknown',
    ]);
    for (const file of ['python3.pid', 'sleep.pid']) {
      await expect(processEnded(Number(await readFile(join(dir, file), 'utf8')))).resolves.toBe(true);
    }
    await expect(access(join(dir, 'finished'))).rejects.toThrow();
  });

  it('a busy tool is stopped too', async () => {
    await tool('python3', 'while :; do :; done'); // a builtin loop
    const { context, notes } = testContext(dir, { PATH: bin });
    const section = await new EnvironmentCollector({ root, toolTimeoutMs: 200 }).collect(context);
    expect(section.tools).toEqual({ python3: 'unknown' });
    expect(notes).toHaveLength(1);
  });

  it('records a tool that fails or prints no version as unknown, saying why', async () => {
    await gpuDevice();
    await tool(
      'nvidia-smi',
      'echo "NVIDIA-SMI has failed because it couldn\'t communicate with the NVIDIA driver." >&2; exit 9',
    );
    await tool('pip', 'echo "usage: pip"');
    const { context, notes } = testContext(dir, { PATH: bin });
    const section = await new EnvironmentCollector({ root }).collect(context);
    expect(section.tools).toEqual({ 'nvidia-smi': 'unknown', pip: 'unknown' });
    expect(section.runner).toBeUndefined(); // no GPU names from a failing nvidia-smi
    expect([...notes].sort()).toEqual([
      'environment: `nvidia-smi` failed (exit status 9); nvidia-smi is recorded as unknown',
      'environment: `pip --version` printed no version; pip is recorded as unknown',
    ]);
  });

  it('asks nvidia-smi only when the machine has an NVIDIA device', async () => {
    await tool('nvidia-smi', `: > "${dir}/asked"; echo 'Driver Version: 535.104.05   CUDA Version: 12.2'`);
    const { context, notes } = testContext(dir, { PATH: bin });
    const without = await new EnvironmentCollector({ root }).collect(context);
    expect(without.tools).toBeUndefined();
    expect(notes).toEqual([]);
    await expect(access(join(dir, 'asked'))).rejects.toThrow();

    await mkdir(join(root, 'proc', 'driver', 'nvidia'), { recursive: true });
    await writeFile(
      join(root, 'proc', 'driver', 'nvidia', 'version'),
      'NVRM version: NVIDIA UNIX x86_64 Kernel Module  535.104.05\n',
    );
    const withDriver = await new EnvironmentCollector({ root }).collect(context);
    expect(withDriver.tools).toEqual({ 'nvidia-driver': '535.104.05', cuda: '12.2' });
    await expect(access(join(dir, 'asked'))).resolves.toBeUndefined();
  });

  it('records the driver from /proc when the GPU is there but nvidia-smi is not, or fails', async () => {
    await mkdir(join(root, 'proc', 'driver', 'nvidia'), { recursive: true });
    await writeFile(
      join(root, 'proc', 'driver', 'nvidia', 'version'),
      'NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  550.54.14  Release Build  (dvs-builder@U16-I3-B03-4-3)  Thu Feb 22 01:25:25 UTC 2024\n' +
        'GCC version:  gcc version 12.3.0 (Ubuntu 12.3.0-1ubuntu1~22.04)\n',
    );
    const { context, notes } = testContext(dir, { PATH: bin });
    const absent = await new EnvironmentCollector({ root }).collect(context);
    expect(absent.tools).toEqual({ 'nvidia-driver': '550.54.14' });
    expect(notes).toEqual([]);

    await tool('nvidia-smi', 'exit 9');
    const failing = await new EnvironmentCollector({ root }).collect(context);
    expect(failing.tools).toEqual({ 'nvidia-driver': '550.54.14', 'nvidia-smi': 'unknown' });
    expect(notes).toEqual([
      'environment: `nvidia-smi` failed (exit status 9); nvidia-smi is recorded as unknown',
    ]);
  });

  it('reads the driver version from the /proc line of either kernel module, and nothing else', async () => {
    const proc = join(root, 'proc', 'driver', 'nvidia');
    await mkdir(proc, { recursive: true });
    await expect(nvidiaDriverFromProc(root)).resolves.toBeUndefined();
    await writeFile(
      join(proc, 'version'),
      'NVRM version: NVIDIA UNIX x86_64 Kernel Module  535.104.05  Sat Aug 19 01:15:15 UTC 2023\n',
    );
    await expect(nvidiaDriverFromProc(root)).resolves.toBe('535.104.05');
    await writeFile(join(proc, 'version'), 'GCC version:  gcc version 12.3.0\n');
    await expect(nvidiaDriverFromProc(root)).resolves.toBeUndefined();
  });

  it('records no Python when there is none, and asks nothing for it', async () => {
    // Only git on PATH: python3, python and pip are left out, not guessed and not noted.
    await tool('git', 'echo "git version 2.45.1"');
    const { context, notes } = testContext(dir, { PATH: bin });
    const section = await new EnvironmentCollector({ root }).collect(context);
    expect(section.tools).toEqual({ git: '2.45.1' });
    expect(notes).toEqual([]);
  });

  it('skips a PATH entry that is a broken symlink, and a command that is one, for the next on PATH', async () => {
    const prefix = join(dir, 'python');
    await fakePython(prefix, '3.11.9', { pip: '24.0' });
    const dangling = join(dir, 'gone');
    await symlink(join(dir, 'no-such-dir'), dangling);
    await symlink(join(dir, 'no-such-python'), join(bin, 'python3'));
    await symlink(join(dir, 'no-such-pip'), join(bin, 'pip'));
    const { context, notes } = testContext(dir, {
      PATH: [dangling, bin, join(prefix, 'bin')].join(':'),
      HOME: join(dir, 'home'),
    });
    const section = await new EnvironmentCollector({ root }).collect(context);
    expect(section.tools).toEqual({ python3: '3.11.9', python: '3.11.9', pip: '24.0' });
    expect(notes).toEqual([]);
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

/** The first bytes of an ELF executable: enough to be taken for one, never runnable. */
const NOT_RUNNABLE_ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]), Buffer.alloc(57)]);

/**
 * A CPython installation under `prefix` as `make install` lays it out: bin/pythonX.Y (an ELF that
 * cannot run, so any answer must come from files), bin/python3 and bin/python links, patchlevel.h
 * when `headers`, and pip in site-packages with its console script.
 */
async function fakePython(
  prefix: string,
  version: string,
  options: { headers?: boolean; pip?: string } = {},
): Promise<string> {
  const minor = version.split('.').slice(0, 2).join('.');
  const major = version.split('.')[0] as string;
  await mkdir(join(prefix, 'bin'), { recursive: true });
  const interpreter = join(prefix, 'bin', `python${minor}`);
  await writeFile(interpreter, NOT_RUNNABLE_ELF);
  await chmod(interpreter, 0o755);
  await symlink(`python${minor}`, join(prefix, 'bin', `python${major}`));
  await symlink(`python${minor}`, join(prefix, 'bin', 'python'));
  if (options.headers !== false) {
    await mkdir(join(prefix, 'include', `python${minor}`), { recursive: true });
    await writeFile(
      join(prefix, 'include', `python${minor}`, 'patchlevel.h'),
      `#define PY_MAJOR_VERSION ${major}\n#define PY_VERSION              "${version}"\n`,
    );
  }
  if (options.pip !== undefined) {
    await pipScript(join(prefix, 'bin', 'pip'), interpreter);
    await sitePip(join(prefix, 'lib', `python${minor}`, 'site-packages'), options.pip);
  }
  return interpreter;
}

/** pip's console script, as pip installs it. */
async function pipScript(path: string, interpreter: string): Promise<void> {
  await writeFile(
    path,
    `#!${interpreter}\n# -*- coding: utf-8 -*-\nimport re\nimport sys\nfrom pip._internal.cli.main import main\n` +
      "if __name__ == '__main__':\n    sys.exit(main())\n",
  );
  await chmod(path, 0o755);
}

async function sitePip(site: string, version: string, infoVersion = version): Promise<void> {
  await mkdir(join(site, 'pip'), { recursive: true });
  await mkdir(join(site, `pip-${infoVersion}.dist-info`), { recursive: true });
  await writeFile(
    join(site, `pip-${infoVersion}.dist-info`, 'METADATA'),
    `Metadata-Version: 2.1\nName: pip\nVersion: ${version}\nSummary: The PyPA recommended tool for installing Python packages.\n`,
  );
}

/** A pyenv shim as `pyenv rehash` writes it, running a fake pyenv that notes it was run. */
async function pyenvShims(pyenvRoot: string, commands: string[]): Promise<void> {
  await mkdir(join(pyenvRoot, 'shims'), { recursive: true });
  await mkdir(join(pyenvRoot, 'libexec'), { recursive: true });
  await writeFile(
    join(pyenvRoot, 'libexec', 'pyenv'),
    `#!/bin/sh\n: > "${dir}/pyenv-ran"\necho "Python 3.99.0"\n`,
  );
  await chmod(join(pyenvRoot, 'libexec', 'pyenv'), 0o755);
  for (const command of commands) {
    const shim = join(pyenvRoot, 'shims', command);
    await writeFile(
      shim,
      [
        '#!/bin/sh',
        'set -e',
        '[ -n "$PYENV_DEBUG" ] && set -x',
        '',
        'program="${0##*/}"',
        '',
        `export PYENV_ROOT="${pyenvRoot}"`,
        `exec "${pyenvRoot}/libexec/pyenv" exec "$program" "$@"`,
        '',
      ].join('\n'),
    );
    await chmod(shim, 0o755);
  }
}

describe('tool versions read from files', () => {
  const python3AndPip: ToolProbe[] = DEFAULT_TOOL_PROBES.filter((probe) =>
    ['python3', 'python', 'pip'].includes(probe.name),
  );
  const collect = async (env: Record<string, string>, cwd = dir) => {
    const test = testContext(cwd, { HOME: join(dir, 'home'), ...env });
    const section = await new EnvironmentCollector({ root, tools: python3AndPip }).collect(test.context);
    return { tools: section.tools, notes: test.notes };
  };

  it("reads Python's version from patchlevel.h and pip's from its METADATA, running neither", async () => {
    const prefix = join(dir, 'python');
    await fakePython(prefix, '3.11.9', { pip: '24.0' });
    await expect(collect({ PATH: join(prefix, 'bin') })).resolves.toEqual({
      tools: { python3: '3.11.9', python: '3.11.9', pip: '24.0' },
      notes: [],
    });
  });

  it('takes pip from the first site directory Python searches: the user site before the installation', async () => {
    const prefix = join(dir, 'python');
    await fakePython(prefix, '3.11.9', { pip: '24.0' });
    await sitePip(join(dir, 'home', '.local', 'lib', 'python3.11', 'site-packages'), '24.2');
    const { tools } = await collect({ PATH: join(prefix, 'bin') });
    expect(tools?.pip).toBe('24.2');
  });

  it('never guesses: two pip versions in one site directory, or a redirected search path, mean running pip', async () => {
    const prefix = join(dir, 'python');
    await fakePython(prefix, '3.11.9', { pip: '24.0' });
    await sitePip(join(prefix, 'lib', 'python3.11', 'site-packages'), '23.1', '23.1');
    const twice = await collect({ PATH: join(prefix, 'bin') });
    // Running it fails here (the interpreter cannot run), and the record says so.
    expect(twice.tools?.pip).toBe('unknown');
    expect(twice.notes).toEqual([
      expect.stringMatching(/^environment: `pip --version` failed \(.+\); pip is recorded as unknown$/),
    ]);

    await rm(join(prefix, 'lib', 'python3.11', 'site-packages', 'pip-23.1.dist-info'), { recursive: true });
    const redirected = await collect({ PATH: join(prefix, 'bin'), PYTHONPATH: join(dir, 'elsewhere') });
    expect(redirected.tools?.pip).toBe('unknown');
  });

  it("reads a virtual environment's pyvenv.cfg and its own site-packages", async () => {
    const base = join(dir, 'base');
    await fakePython(base, '3.12.4', { headers: false, pip: '23.0' });
    const venv = join(dir, 'venv');
    await mkdir(join(venv, 'bin'), { recursive: true });
    await symlink(join(base, 'bin', 'python3.12'), join(venv, 'bin', 'python3'));
    await writeFile(
      join(venv, 'pyvenv.cfg'),
      `home = ${join(base, 'bin')}\ninclude-system-site-packages = false\nversion = 3.12.4\n`,
    );
    await pipScript(join(venv, 'bin', 'pip'), join(venv, 'bin', 'python3'));
    await sitePip(join(venv, 'lib', 'python3.12', 'site-packages'), '24.1');
    const { tools, notes } = await collect({ PATH: join(venv, 'bin') });
    expect(tools).toEqual({ python3: '3.12.4', pip: '24.1' });
    expect(notes).toEqual([]);
  });

  it('reads the version from a pyenv install directory only when the interpreter agrees with it', async () => {
    const versions = join(dir, 'pyenv', 'versions');
    await fakePython(join(versions, '3.10.14'), '3.10.14', { headers: false });
    const agreeing = await collect({ PATH: join(versions, '3.10.14', 'bin') });
    expect(agreeing.tools).toEqual({ python3: '3.10.14', python: '3.10.14' });

    await fakePython(join(versions, '3.9.0'), '3.8.19', { headers: false }); // python3.8 in a "3.9.0" folder
    const disagreeing = await collect({ PATH: join(versions, '3.9.0', 'bin') });
    expect(disagreeing.tools).toEqual({ python3: 'unknown', python: 'unknown' });
  });

  it('resolves pyenv shims from PYENV_VERSION, .python-version or the global version file', async () => {
    const pyenvRoot = join(dir, 'pyenv');
    await pyenvShims(pyenvRoot, ['python3', 'python', 'pip']);
    await fakePython(join(pyenvRoot, 'versions', '3.12.1'), '3.12.1', { pip: '23.3.2' });
    await fakePython(join(pyenvRoot, 'versions', '2.7.18'), '2.7.18');
    await writeFile(join(pyenvRoot, 'version'), '# the global version\n3.12.1\n');
    const PATH = join(pyenvRoot, 'shims');

    await expect(collect({ PATH })).resolves.toEqual({
      tools: { python3: '3.12.1', python: '3.12.1', pip: '23.3.2' },
      notes: [],
    });
    await expect(collect({ PATH, PYENV_VERSION: '2.7.18:3.12.1' })).resolves.toMatchObject({
      // python3 is not in 2.7.18, so pyenv takes it from the next version
      tools: { python3: '3.12.1', python: '2.7.18', pip: '23.3.2' },
    });
    const project = join(dir, 'project', 'src');
    await mkdir(project, { recursive: true });
    await writeFile(join(dir, 'project', '.python-version'), '2.7.18\n3.12.1\n');
    await expect(collect({ PATH }, project)).resolves.toMatchObject({
      tools: { python3: '3.12.1', python: '2.7.18' },
    });
    await expect(access(join(dir, 'pyenv-ran'))).rejects.toThrow();
  });

  it('runs the shim when pyenv needs more than files: a version prefix, or a version-name hook', async () => {
    const pyenvRoot = join(dir, 'pyenv');
    await pyenvShims(pyenvRoot, ['python3']);
    await fakePython(join(pyenvRoot, 'versions', '3.12.1'), '3.12.1');
    const PATH = join(pyenvRoot, 'shims');
    await expect(collect({ PATH, PYENV_VERSION: '3.12' })).resolves.toEqual({
      tools: { python3: '3.99.0' }, // what the (fake) pyenv answered
      notes: [],
    });
    await expect(access(join(dir, 'pyenv-ran'))).resolves.toBeUndefined();

    await rm(join(dir, 'pyenv-ran'));
    await mkdir(join(pyenvRoot, 'plugins', 'renamer', 'etc', 'pyenv.d', 'version-name'), { recursive: true });
    await writeFile(
      join(pyenvRoot, 'plugins', 'renamer', 'etc', 'pyenv.d', 'version-name', 'rename.bash'),
      '',
    );
    await expect(collect({ PATH, PYENV_VERSION: '3.12.1' })).resolves.toMatchObject({
      tools: { python3: '3.99.0' },
    });
  });

  it('runs a python3 that is a script: its path says nothing about its version', async () => {
    await tool('python3', 'echo "Python 3.13.1"');
    await expect(collect({ PATH: bin })).resolves.toEqual({ tools: { python3: '3.13.1' }, notes: [] });
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
