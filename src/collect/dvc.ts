import { readFile, stat } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';

import { LedgerError, describeError, errnoCode } from '../errors.js';
import { parseStructuredObject } from '../formats/structured.js';
import type { JsonObject, JsonValue } from '../record/predicate.js';

/**
 * DVC metadata read as a dataset's declared lineage, without running dvc and without fetching
 * anything: `.dvc` pointer files (outs with md5, size, nfiles; deps of `dvc import`) and
 * `dvc.lock` stages (cmd, deps, params, outs). Paths in both are relative to the file's directory.
 */

const MAX_DVC_FILE = 16 * 1024 * 1024;

export interface DvcPointer {
  /** Repository-relative POSIX path of the `.dvc` file. */
  file: string;
  /** The file's content as given (outs, deps, md5, frozen, wdir...). */
  content: JsonObject;
  /** Each out with its path made repository-relative. */
  outs: { path: string; declared: JsonObject }[];
}

export interface DvcStage {
  lockfile: string;
  stage: string;
  content: JsonObject;
}

async function readYaml(absolute: string, display: string): Promise<{ value: JsonObject; notes: string[] }> {
  let text: string;
  try {
    const info = await stat(absolute);
    if (info.size > MAX_DVC_FILE) {
      throw new LedgerError('BAD_INPUT', `is ${info.size} bytes, more than a DVC file should be`, {
        file: display,
        fix: 'check the file',
      });
    }
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    if (error instanceof LedgerError) throw error;
    throw new LedgerError('BAD_INPUT', `cannot read (${describeError(error)})`, {
      file: display,
      cause: error,
      fix: 'check the file permissions',
    });
  }
  return parseStructuredObject(text, 'yaml', display);
}

/** Reads a `.dvc` file; `relative` is its repository-relative POSIX path. */
export async function readDvcPointer(cwd: string, relative: string): Promise<DvcPointer> {
  const { value } = await readYaml(join(cwd, relative), relative);
  const outs = value['outs'];
  if (!Array.isArray(outs) || outs.length === 0) {
    throw new LedgerError('BAD_INPUT', 'has no `outs` list', {
      file: relative,
      field: 'outs',
      fix: 'name a .dvc file written by `dvc add` or `dvc import`',
    });
  }
  const base = posix.dirname(relative);
  return {
    file: relative,
    content: value,
    outs: outs.map((out, index) => {
      if (typeof out !== 'object' || out === null || Array.isArray(out) || typeof out['path'] !== 'string') {
        throw new LedgerError('BAD_INPUT', 'is not an out with a `path`', {
          file: relative,
          field: `outs[${index}]`,
          fix: 'check the .dvc file',
        });
      }
      return { path: posix.normalize(posix.join(base, out['path'])), declared: out };
    }),
  };
}

/** The `.dvc` file that tracks `relative` (`data/` → `data.dvc`), if there is one. */
export async function findDvcPointer(cwd: string, relative: string): Promise<DvcPointer | null> {
  const candidate = `${relative.replace(/\/+$/, '')}.dvc`;
  try {
    await stat(join(cwd, candidate));
  } catch (error) {
    if (errnoCode(error) === 'ENOENT' || errnoCode(error) === 'ENOTDIR') return null;
    throw new LedgerError('BAD_INPUT', `cannot read (${describeError(error)})`, {
      file: candidate,
      cause: error,
    });
  }
  return readDvcPointer(cwd, candidate);
}

/**
 * The `dvc.lock` stage whose outs produce `relative` (or a directory holding it), searching the
 * lock files of its directory and each parent up to the repository root.
 */
export async function findDvcStage(cwd: string, relative: string): Promise<DvcStage | null> {
  const target = posix.normalize(relative.replace(/\/+$/, ''));
  for (let directory = posix.dirname(target); ; directory = posix.dirname(directory)) {
    const lockfile = directory === '.' ? 'dvc.lock' : `${directory}/dvc.lock`;
    const stage = await stageProducing(cwd, lockfile, target);
    if (stage) return stage;
    if (directory === '.' || directory === '/' || directory === dirname(directory)) return null;
  }
}

async function stageProducing(cwd: string, lockfile: string, target: string): Promise<DvcStage | null> {
  try {
    await stat(join(cwd, lockfile));
  } catch (error) {
    if (errnoCode(error) === 'ENOENT' || errnoCode(error) === 'ENOTDIR') return null;
    throw new LedgerError('BAD_INPUT', `cannot read (${describeError(error)})`, {
      file: lockfile,
      cause: error,
    });
  }
  const { value } = await readYaml(join(cwd, lockfile), lockfile);
  // Schema 2.0 keeps stages under `stages`; the 1.0 format has them at the top level.
  const stages = isObject(value['stages']) ? value['stages'] : value;
  const base = posix.dirname(lockfile);
  for (const [name, stage] of Object.entries(stages)) {
    if (name === 'schema' || !isObject(stage)) continue;
    const outs = stage['outs'];
    if (!Array.isArray(outs)) continue;
    for (const out of outs) {
      if (!isObject(out) || typeof out['path'] !== 'string') continue;
      const produced = posix.normalize(posix.join(base, out['path']));
      if (target === produced || target.startsWith(`${produced}/`))
        return { lockfile, stage: name, content: stage };
    }
  }
  return null;
}

/**
 * The URL of the default DVC remote from `.dvc/config` (INI: `[core] remote = NAME`,
 * `['remote "NAME"'] url = ...`), or null. Used to say where data not in the working tree lives.
 */
export async function dvcRemoteUrl(cwd: string): Promise<string | null> {
  let text: string;
  try {
    text = await readFile(join(cwd, '.dvc', 'config'), 'utf8');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return null;
    throw new LedgerError('BAD_INPUT', `cannot read (${describeError(error)})`, {
      file: '.dvc/config',
      cause: error,
    });
  }
  let section = '';
  let defaultRemote: string | undefined;
  const urls = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const header = /^\[\s*'?(.*?)'?\s*\]$/.exec(line);
    if (header) {
      section = (header[1] as string).replace(/\s+/g, ' ');
      continue;
    }
    const pair = /^([A-Za-z_]+)\s*=\s*(.*)$/.exec(line);
    if (!pair) continue;
    const [, key, value] = pair as unknown as [string, string, string];
    if (section === 'core' && key === 'remote') defaultRemote = value;
    const remote = /^remote "(.+)"$/.exec(section);
    if (remote && key === 'url') urls.set(remote[1] as string, value);
  }
  return defaultRemote ? (urls.get(defaultRemote) ?? null) : null;
}

/**
 * Where the remote keeps an out's content: DVC 3 (`hash: md5`) stores it under `files/md5/`,
 * DVC 2 directly under the remote, both by the md5's first two hex digits.
 */
export function remoteObjectUrl(remote: string, declared: JsonObject): string | null {
  const md5 = declared['md5'];
  if (typeof md5 !== 'string' || !/^[0-9a-f]{32}(\.dir)?$/.test(md5)) return null;
  const prefix = declared['hash'] === 'md5' ? 'files/md5/' : '';
  return `${remote.replace(/\/+$/, '')}/${prefix}${md5.slice(0, 2)}/${md5.slice(2)}`;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
