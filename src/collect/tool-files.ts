/**
 * Tool versions read from the files an installation keeps, so that a record does not have to run
 * `python3 --version` or `pip --version` (each behind a pyenv shim costs about 60 processes).
 * Every reader answers only when the files say it unambiguously and returns undefined otherwise;
 * the caller then runs the tool. Nothing here guesses.
 */
import { accessSync, constants, existsSync, readdirSync, statSync, type Stats } from 'node:fs';
import { open, readFile, realpath } from 'node:fs/promises';
import { basename, delimiter, dirname, isAbsolute, join, resolve } from 'node:path';

type Env = Readonly<Record<string, string | undefined>>;

/** A command as found on PATH. */
export interface LocatedCommand {
  /** What runs: the file on PATH, or for a pyenv shim the executable pyenv would run. */
  path: string;
  /** False for a shim whose target the files do not settle (then only running it tells). */
  resolved: boolean;
}

/**
 * Finds `command` as the shell would (PATH order, relative entries against `cwd`), then resolves
 * a pyenv shim the way `pyenv which` does. Undefined when the command is not on PATH.
 */
export async function locateCommand(
  command: string,
  env: Env,
  cwd: string,
): Promise<LocatedCommand | undefined> {
  const path = await onPath(command, env, cwd, new Set());
  if (path === undefined) return undefined;
  const shim = pyenvShim(await readHead(path, 2048));
  if (shim === undefined) return { path, resolved: true };
  const target = await pyenvTarget(command, shim, env, cwd);
  return target === undefined ? { path, resolved: false } : { path: target, resolved: true };
}

async function onPath(
  command: string,
  env: Env,
  cwd: string,
  skip: ReadonlySet<string>,
): Promise<string | undefined> {
  const extensions =
    process.platform === 'win32' ? ['', ...(env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').split(';')] : [''];
  for (const entry of (env.PATH ?? '').split(delimiter)) {
    const dir = resolve(cwd, entry);
    if (skip.has(dir)) continue;
    for (const extension of extensions) {
      const candidate = join(dir, command + extension);
      if (await isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

interface PyenvShim {
  root: string;
  /** The pyenv installation the shim executes (its hooks count as well). */
  prefix: string;
}

/** A pyenv shim names its PYENV_ROOT and execs `…/libexec/pyenv exec "$program"`. */
function pyenvShim(head: Buffer | undefined): PyenvShim | undefined {
  if (head === undefined || !head.subarray(0, 2).equals(Buffer.from('#!'))) return undefined;
  const text = head.toString('utf8');
  const root = /^export PYENV_ROOT="([^"\n]+)"$/m.exec(text)?.[1];
  const libexec = /^exec "([^"\n]+)\/libexec\/pyenv" exec "\$program" "\$@"$/m.exec(text)?.[1];
  if (root === undefined || libexec === undefined || !isAbsolute(root)) return undefined;
  return { root, prefix: libexec };
}

/**
 * What `pyenv which COMMAND` prints, from pyenv's version files: PYENV_VERSION, else the nearest
 * `.python-version` from PYENV_DIR (default the working directory), else `$PYENV_ROOT/version`;
 * each selected version's `bin/COMMAND`, then the system's. Undefined when pyenv would need more
 * than files to decide (a version prefix resolved to the latest install, hooks that rename versions).
 */
async function pyenvTarget(
  command: string,
  shim: PyenvShim,
  env: Env,
  cwd: string,
): Promise<string | undefined> {
  if (await hasVersionNameHooks(shim, env)) return undefined;
  const versions = await pyenvVersions(shim.root, env, cwd);
  if (versions === undefined) return undefined;
  for (const version of [...versions, 'system']) {
    if (version === 'system') {
      const found = await onPath(command, env, cwd, new Set([join(shim.root, 'shims')]));
      if (found !== undefined) return found;
      continue;
    }
    const dir = await installedVersion(shim.root, version);
    if (dir === undefined) return undefined;
    const candidate = join(dir, 'bin', command);
    if (await isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

async function installedVersion(root: string, version: string): Promise<string | undefined> {
  // pyenv refuses versions that would leave $PYENV_ROOT/versions; so do we.
  for (const name of [version, version.replace(/^python-/, '')]) {
    if (name === '' || name === '.' || name === '..' || name.includes('/')) return undefined;
    const dir = join(root, 'versions', name);
    if (await isDirectory(dir)) return dir;
  }
  return undefined;
}

async function pyenvVersions(root: string, env: Env, cwd: string): Promise<string[] | undefined> {
  if (env.PYENV_VERSION) return env.PYENV_VERSION.split(':').filter((version) => version !== '');
  const start = env.PYENV_DIR ? resolve(cwd, env.PYENV_DIR) : cwd;
  const file =
    (await nearestVersionFile(start)) ??
    (start !== cwd ? await nearestVersionFile(cwd) : undefined) ??
    join(root, 'version');
  const text = await readSmallText(file);
  if (text === undefined) return ['system'];
  // The first word of each line, comments and blank lines skipped (pyenv version-file-read).
  const versions = text
    .split(/\r?\n/)
    .map((line) => line.trim().split(/\s+/)[0] ?? '')
    .filter((word) => word !== '' && !word.startsWith('#'));
  return versions.length > 0 ? versions : ['system'];
}

async function nearestVersionFile(start: string): Promise<string | undefined> {
  for (let dir = start; ; dir = dirname(dir)) {
    const file = join(dir, '.python-version');
    if (await isFile(file)) return file;
    if (dirname(dir) === dir) return undefined;
  }
}

async function hasVersionNameHooks(shim: PyenvShim, env: Env): Promise<boolean> {
  const dirs = [
    ...(env.PYENV_HOOK_PATH ?? '').split(':').filter((dir) => dir !== ''),
    join(shim.root, 'pyenv.d'),
    join(shim.prefix, 'pyenv.d'),
    '/usr/etc/pyenv.d',
    '/usr/local/etc/pyenv.d',
    '/etc/pyenv.d',
    '/usr/lib/pyenv/hooks',
  ];
  for (const plugins of new Set([join(shim.root, 'plugins'), join(shim.prefix, 'plugins')])) {
    for (const plugin of await listDir(plugins)) dirs.push(join(plugins, plugin, 'etc', 'pyenv.d'));
  }
  for (const dir of new Set(dirs)) {
    if ((await listDir(join(dir, 'version-name'))).length > 0) return true;
  }
  return false;
}

/** `python3.11` → 3, 11; `python3` → 3; `python` → nothing; anything else is not CPython's name. */
function interpreterName(name: string): { major?: string; minor?: string } | undefined {
  const match = /^python(?:(\d+)(?:\.(\d+))?)?([a-z]*)$/.exec(name);
  if (match === null) return undefined;
  return { ...(match[1] ? { major: match[1] } : {}), ...(match[2] ? { minor: match[2] } : {}) };
}

/** Whether a version (`3.11.7`, `3.11`) is the one an executable's name promises. */
function agrees(version: string, name: { major?: string; minor?: string }): boolean {
  const [major, minor] = version.split('.');
  return (
    (name.major === undefined || major === name.major) && (name.minor === undefined || minor === name.minor)
  );
}

/**
 * The version of the Python interpreter at `path` (as found on PATH): from `PY_VERSION` in the
 * `patchlevel.h` its installation ships, else the `pyvenv.cfg` of the virtual environment it
 * belongs to, else a pyenv-style install directory named `X.Y.Z`. Only a native executable named
 * `python…` is read this way, and every source must agree with the executable's own name.
 */
export async function pythonVersionFromFiles(path: string): Promise<string | undefined> {
  const real = await realpath(path).catch(() => undefined);
  if (real === undefined || !isNativeExecutable(await readHead(real, 4))) return undefined;
  const name = interpreterName(basename(real));
  const asCalled = interpreterName(basename(path));
  if (name === undefined || asCalled === undefined) return undefined;
  if (asCalled.major !== undefined && name.major !== undefined && asCalled.major !== name.major)
    return undefined;
  const expected = { ...asCalled, ...name };
  const prefix = dirname(dirname(real));

  const headers = (await listDir(join(prefix, 'include'))).filter((entry) => {
    const version = /^python(\d+\.\d+)[a-z]*$/.exec(entry)?.[1];
    return version !== undefined && agrees(version, expected);
  });
  if (headers.length === 1) {
    const header = await readSmallText(join(prefix, 'include', headers[0] as string, 'patchlevel.h'));
    const version = header && /^#define\s+PY_VERSION\s+"([^"\n]+)"/m.exec(header)?.[1];
    if (version && agrees(version, expected)) return version;
  }

  const venv = await venvConfig(dirname(dirname(path)));
  const fromConfig = venv?.version ?? versionInfo(venv?.version_info);
  if (fromConfig && agrees(fromConfig, expected)) return fromConfig;

  const installed = basename(prefix);
  if (expected.minor !== undefined && /^\d+\.\d+\.\d+$/.test(installed) && agrees(installed, expected))
    return installed;
  return undefined;
}

/** virtualenv writes `version_info = 3.13.0.candidate.1`; Python says 3.13.0rc1. */
function versionInfo(text: string | undefined): string | undefined {
  const match = text && /^(\d+\.\d+\.\d+)(?:\.(final|alpha|beta|candidate)(?:\.(\d+))?)?$/.exec(text);
  if (!match) return undefined;
  const level = { alpha: 'a', beta: 'b', candidate: 'rc' }[match[2] as 'alpha' | 'beta' | 'candidate'];
  return level === undefined ? match[1] : `${match[1]}${level}${match[3] ?? '0'}`;
}

async function venvConfig(dir: string): Promise<Record<string, string> | undefined> {
  const text = await readSmallText(join(dir, 'pyvenv.cfg'));
  if (text === undefined) return undefined;
  const config: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*([A-Za-z_-]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (match) config[(match[1] as string).toLowerCase()] = match[2] as string;
  }
  return config;
}

/**
 * pip's version from the `pip-*.dist-info/METADATA` of the pip that the `pip` script at `path`
 * imports: its shebang names the interpreter, whose site directories are searched in the order
 * Python searches them (a virtual environment's own; else the user's, then the installation's).
 * Undefined when variables redirect Python's search path, or anything is ambiguous.
 */
export async function pipVersionFromFiles(path: string, env: Env): Promise<string | undefined> {
  if (env.PYTHONPATH || env.PYTHONHOME || env.PYTHONUSERBASE || env.PYTHONNOUSERSITE || !env.HOME)
    return undefined;
  const script = (await readHead(path, 4096))?.toString('utf8');
  if (script === undefined || !/^from pip(?:\._internal(?:\.cli\.main)?)? import main$/m.test(script))
    return undefined;
  const interpreter = shebangInterpreter(script);
  if (interpreter === undefined) return undefined;
  const real = await realpath(interpreter).catch(() => undefined);
  if (real === undefined) return undefined;
  let minor = /^python(\d+\.\d+)[a-z]*$/.exec(basename(real))?.[1];
  if (minor === undefined) {
    const version = await pythonVersionFromFiles(interpreter);
    minor = version === undefined ? undefined : /^\d+\.\d+/.exec(version)?.[0];
  }
  if (minor === undefined) return undefined;

  const lib = `python${minor}`;
  const venvDir = dirname(dirname(interpreter));
  const venv = await venvConfig(venvDir);
  let sites: string[];
  if (venv !== undefined) {
    // With the system's site-packages as well, which pip wins depends on more than files.
    if (venv['include-system-site-packages']?.toLowerCase() === 'true') return undefined;
    sites = [join(venvDir, 'lib', lib, 'site-packages')];
  } else {
    const prefix = dirname(dirname(real));
    sites = [
      join(env.HOME, '.local', 'lib', lib, 'site-packages'),
      ...(process.platform === 'darwin'
        ? [join(env.HOME, 'Library', 'Python', minor, 'lib', 'python', 'site-packages')]
        : []),
      join(prefix, 'lib', lib, 'site-packages'),
      // Debian's layout: /usr/local/lib/python3.X/dist-packages, then /usr/lib/python3/dist-packages.
      join(prefix, 'local', 'lib', lib, 'dist-packages'),
      join(prefix, 'lib', `python${minor.split('.')[0] ?? ''}`, 'dist-packages'),
    ];
  }
  for (const site of sites) {
    const entries = await listDir(site);
    const infos = entries.filter((entry) => /^pip-[^-]+\.dist-info$/.test(entry));
    const hasPackage = entries.includes('pip');
    if (infos.length === 0 && !hasPackage) continue;
    // The first directory holding pip is the one imported; it must say its version exactly once.
    if (infos.length !== 1 || !hasPackage) return undefined;
    const metadata = await readSmallText(join(site, infos[0] as string, 'METADATA'));
    if (metadata === undefined || !/^Name:\s*pip\s*$/im.test(metadata)) return undefined;
    return /^Version:\s*(\S+)\s*$/m.exec(metadata)?.[1];
  }
  return undefined;
}

/** `#!/abs/python3.11`, or pip's long-path form `#!/bin/sh` + `'''exec' "/abs/python" "$0" "$@"`. */
function shebangInterpreter(script: string): string | undefined {
  const [first = '', second = ''] = script.split('\n', 2);
  const direct = /^#!(\/\S+)\s*$/.exec(first)?.[1];
  if (direct !== undefined && interpreterName(basename(direct)) !== undefined) return direct;
  if (direct === '/bin/sh') {
    const quoted = /^'''exec' "?(\/[^"\n]+?)"? "\$0" "\$@"/.exec(second)?.[1];
    if (quoted !== undefined && interpreterName(basename(quoted)) !== undefined) return quoted;
  }
  return undefined;
}

/** ELF, or Mach-O (thin or universal): an interpreter that is a script says nothing by its path. */
function isNativeExecutable(head: Buffer | undefined): boolean {
  if (head === undefined || head.length < 4) return false;
  const magic = head.readUInt32BE(0);
  return [0x7f454c46, 0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabe].includes(magic);
}

async function readHead(path: string, bytes: number): Promise<Buffer | undefined> {
  if (statOf(path)?.isFile() !== true) return undefined;
  try {
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(bytes);
      const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch {
    return undefined; // unreadable: the caller runs the tool instead
  }
}

/** A small text file (version files, headers, metadata); larger ones are not what we look for. */
async function readSmallText(path: string): Promise<string | undefined> {
  const info = statOf(path);
  if (info === undefined || !info.isFile() || info.size > 256 * 1024) return undefined;
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

// Metadata look-ups are synchronous: a record asks for a few dozen paths that mostly do not
// exist, and a failed asynchronous call costs an Error with its stack trace, each one.

async function listDir(path: string): Promise<string[]> {
  try {
    return existsSync(path) ? readdirSync(path) : [];
  } catch {
    return []; // not a directory, or unreadable: nothing there for us
  }
}

function statOf(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined; // a path through a file (ENOTDIR), or unreadable
  }
}

async function isExecutableFile(path: string): Promise<boolean> {
  if (statOf(path)?.isFile() !== true) return false;
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function isFile(path: string): Promise<boolean> {
  return statOf(path)?.isFile() === true;
}

async function isDirectory(path: string): Promise<boolean> {
  return statOf(path)?.isDirectory() === true;
}
