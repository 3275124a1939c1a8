import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

import { LedgerError, describeError, errnoCode } from '../errors.js';
import { compareBytewise } from '../fs/glob.js';
import { parseStructuredObject } from '../formats/structured.js';
import { sha256Hex } from '../hash/index.js';
import type { JsonObject, JsonValue } from '../record/predicate.js';

/**
 * MLflow's file store, read as written by `mlflow` (mlruns/<experiment>/<run>/):
 * `meta.yaml` (run id, name, status, start/end times in ms...), `params/<key>` (text, one file per
 * parameter; keys with `/` are subdirectories), `metrics/<key>` (lines `<timestamp ms> <value>
 * [<step>]`), `tags/<key>` (text), and models logged under `artifacts/` (their `MLmodel`).
 */

const MAX_VALUE_FILE = 1024 * 1024;
const MAX_ENTRIES = 10_000;

export interface SourceFile {
  /** Path relative to the folder read. */
  path: string;
  sha256: string;
}

export interface MlflowRead {
  run: JsonObject;
  /** Every file read, for the source digest. */
  files: SourceFile[];
  notes: string[];
}

async function readSmall(absolute: string, display: string): Promise<Buffer> {
  try {
    const info = await stat(absolute);
    if (info.size > MAX_VALUE_FILE) {
      throw new LedgerError(
        'BAD_INPUT',
        `is ${info.size} bytes, more than model-ledger reads from an MLflow value file`,
        {
          file: display,
          fix: 'check the run folder',
        },
      );
    }
    return await readFile(absolute);
  } catch (error) {
    if (error instanceof LedgerError) throw error;
    throw new LedgerError('BAD_INPUT', `cannot read (${describeError(error)})`, {
      file: display,
      cause: error,
      fix: 'check the permissions',
    });
  }
}

/** Files under `root/sub`, recursively, as POSIX paths relative to `root/sub`; [] when it is missing. */
async function listValues(root: string, sub: string, display: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (relative: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(join(root, sub, relative), { withFileTypes: true });
    } catch (error) {
      if (relative === '' && errnoCode(error) === 'ENOENT') return;
      throw new LedgerError('BAD_INPUT', `cannot list (${describeError(error)})`, {
        file: `${display}/${sub}/${relative}`,
        cause: error,
      });
    }
    for (const entry of entries) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) found.push(path);
      if (found.length > MAX_ENTRIES) {
        throw new LedgerError('BAD_INPUT', `more than ${MAX_ENTRIES} entries`, {
          file: `${display}/${sub}`,
          fix: 'check the run folder',
        });
      }
    }
  };
  await walk('');
  return found.sort();
}

export async function isMlflowRun(directory: string): Promise<boolean> {
  try {
    return (await stat(join(directory, 'meta.yaml'))).isFile();
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return false;
    throw new LedgerError('BAD_INPUT', `cannot read (${describeError(error)})`, {
      file: join(directory, 'meta.yaml'),
      cause: error,
    });
  }
}

/** An `MLmodel` file: flavors, signature, run id, creation time... as given. */
export async function readMlmodel(
  absolute: string,
  display: string,
): Promise<{ value: JsonObject; text: Buffer; notes: string[] }> {
  const text = await readSmall(absolute, display);
  const { value, notes } = parseStructuredObject(text.toString('utf8'), 'yaml', display);
  return { value, text, notes };
}

export async function readMlflowRun(directory: string, display: string): Promise<MlflowRead> {
  const files: SourceFile[] = [];
  const notes: string[] = [];
  const read = async (relative: string): Promise<Buffer> => {
    const bytes = await readSmall(join(directory, relative), `${display}/${relative}`);
    files.push({ path: relative, sha256: sha256Hex(bytes) });
    return bytes;
  };

  const metaBytes = await read('meta.yaml');
  const meta = parseStructuredObject(metaBytes.toString('utf8'), 'yaml', `${display}/meta.yaml`);
  notes.push(...meta.notes);

  const params: JsonObject = {};
  for (const key of await listValues(directory, 'params', display)) {
    define(params, key, (await read(`params/${key}`)).toString('utf8'));
  }
  const tags: JsonObject = {};
  for (const key of await listValues(directory, 'tags', display)) {
    define(tags, key, (await read(`tags/${key}`)).toString('utf8'));
  }
  const metrics: JsonObject = {};
  for (const key of await listValues(directory, 'metrics', display)) {
    define(
      metrics,
      key,
      parseMetric((await read(`metrics/${key}`)).toString('utf8'), `${display}/metrics/${key}`, key, notes),
    );
  }
  const run: JsonObject = { meta: meta.value, params, metrics, tags };

  const models: JsonObject = {};
  let artifacts: string[] = [];
  try {
    artifacts = (await readdir(join(directory, 'artifacts'), { withFileTypes: true }))
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    if (errnoCode(error) !== 'ENOENT') {
      throw new LedgerError('BAD_INPUT', `cannot list (${describeError(error)})`, {
        file: `${display}/artifacts`,
        cause: error,
      });
    }
  }
  for (const name of artifacts) {
    const relative = `artifacts/${name}/MLmodel`;
    try {
      await stat(join(directory, relative));
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') continue;
      throw new LedgerError('BAD_INPUT', `cannot read (${describeError(error)})`, {
        file: `${display}/${relative}`,
        cause: error,
      });
    }
    const model = await readMlmodel(join(directory, relative), `${display}/${relative}`);
    files.push({ path: relative, sha256: sha256Hex(model.text) });
    notes.push(...model.notes);
    define(models, `artifacts/${name}`, model.value);
  }
  if (Object.keys(models).length > 0) run['models'] = models;
  return { run, files: files.sort((a, b) => compareBytewise(a.path, b.path)), notes };
}

/**
 * A metric file: one `<timestamp> <value> [<step>]` line per logged point. Recorded: the latest
 * value (highest step, then latest timestamp), its step and timestamp, and the number of points.
 */
function parseMetric(text: string, display: string, key: string, notes: string[]): JsonObject {
  let latest: { value: number; timestamp: number; step: number } | undefined;
  let points = 0;
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const parts = line.trim().split(/\s+/);
    const timestamp = Number(parts[0]);
    const value = parseValue(parts[1]);
    const step = parts[2] === undefined ? 0 : Number(parts[2]);
    if (
      parts.length < 2 ||
      parts.length > 3 ||
      !Number.isFinite(timestamp) ||
      value === undefined ||
      !Number.isFinite(step)
    ) {
      throw new LedgerError('BAD_INPUT', `is not "<timestamp> <value> [<step>]"`, {
        file: display,
        field: `line ${index + 1}`,
        fix: 'check the run folder',
      });
    }
    points++;
    if (!latest || step > latest.step || (step === latest.step && timestamp >= latest.timestamp))
      latest = { value, timestamp, step };
  });
  if (!latest) return { points: 0 };
  let value: JsonValue = latest.value;
  if (!Number.isFinite(latest.value)) {
    notes.push(`metrics.${key}: ${latest.value} kept as text (JSON has no such number)`);
    value = String(latest.value);
  }
  return { value, step: latest.step, timestamp: latest.timestamp, points };
}

function parseValue(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const lower = text.toLowerCase();
  if (lower === 'nan') return Number.NaN;
  if (lower === 'inf' || lower === 'infinity') return Number.POSITIVE_INFINITY;
  if (lower === '-inf' || lower === '-infinity') return Number.NEGATIVE_INFINITY;
  const value = Number(text);
  return Number.isNaN(value) ? undefined : value;
}

/** Sets a key read from a file name as an own data property (a key named `__proto__` stays data). */
function define(target: JsonObject, key: string, value: JsonValue): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
