import { lstat, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, relative as relativePath, sep } from 'node:path';

import { LedgerError, describeError, errnoCode } from '../errors.js';
import { expandGlob, hasGlobMagic } from '../fs/glob.js';
import { toJsonValue } from '../formats/structured.js';
import {
  HashPool,
  buildManifest,
  hashDirectory,
  hashFile,
  hashFiles,
  hashSettingsFor,
  manifestRef,
  sha256Hex,
  type HashSettings,
  type HashingOptions,
} from '../hash/index.js';
import type { DatasetEntry, JsonObject, JsonValue } from '../record/predicate.js';
import { scanDataset } from './dataset-scan.js';
import { describeUri, isUri } from './dataset-uri.js';
import {
  dvcRemoteUrl,
  findDvcPointer,
  findDvcStage,
  readDvcPointer,
  remoteObjectUrl,
  type DvcPointer,
} from './dvc.js';
import type { Collector, CollectContext } from './types.js';

/**
 * One dataset: a file, a directory or a glob in the working tree, a `.dvc` file, or a remote URI
 * (Hugging Face, s3://...). A plain string is a URI when it has a scheme, a glob when it has
 * glob characters, else a path.
 */
export type DatasetSpec =
  | string
  | {
      path?: string;
      glob?: string;
      uri?: string;
      /** The dataset's name in the record (subject `dataset:<name>`); default from the path or URI. */
      name?: string;
      /** Descriptive fields: license, source, split, rows, schema (a file), personalData, intendedUse... */
      description?: Record<string, JsonValue>;
      /** For a URI: the content digest its publisher declares (64 hex). */
      sha256?: string;
      /** For a URI: declared size in bytes and file count. */
      size?: number;
      files?: number;
      /** Scan the local files by content for pickles and other code, as models are (default false). */
      scan?: boolean;
    };

export interface DatasetsOptions extends HashingOptions {
  /** `--datasets` (repeatable) and the config file's `datasets:` list. */
  datasets: DatasetSpec[];
}

type Spec = Exclude<DatasetSpec, string>;

/**
 * Datasets: what data the model was trained on. Local data is hashed (a directory by its manifest,
 * recomputable with coreutils); DVC pointers and `dvc.lock` stages are recorded as declared
 * lineage; remote URIs are recorded by reference with their declared digests, never downloaded.
 */
export class DatasetsCollector implements Collector<'datasets'> {
  readonly section = 'datasets';
  constructor(private readonly options: DatasetsOptions) {}

  async collect(context: CollectContext): Promise<DatasetEntry[]> {
    if (this.options.datasets.length === 0) return [];
    const pool = new HashPool(
      this.options.concurrency === undefined ? {} : { concurrency: this.options.concurrency },
    );
    const settings = hashSettingsFor(this.options, context.env, context.log, pool);
    const entries: DatasetEntry[] = [];
    try {
      for (const [index, raw] of this.options.datasets.entries()) {
        entries.push(
          await collectOne(context, normalizeSpec(raw, `datasets[${index}]`), `datasets[${index}]`, settings),
        );
      }
    } finally {
      await pool.close();
    }
    const seen = new Map<string, number>();
    entries.forEach((entry, index) => {
      const earlier = seen.get(entry.name);
      if (earlier !== undefined) {
        throw new LedgerError(
          'BAD_INPUT',
          `two datasets are named "${entry.name}" (datasets[${earlier}] and datasets[${index}])`,
          {
            field: `datasets[${index}].name`,
            fix: 'give each dataset its own `name`',
          },
        );
      }
      seen.set(entry.name, index);
    });
    context.log.info(`datasets: ${entries.length} recorded`);
    return entries;
  }
}

function normalizeSpec(raw: DatasetSpec, field: string): Spec {
  if (typeof raw === 'string') {
    if (raw.trim() === '')
      throw new LedgerError('BAD_INPUT', 'is empty', { field, fix: 'name a file, directory, glob or URI' });
    if (isUri(raw)) return { uri: raw };
    return hasGlobMagic(raw) ? { glob: raw } : { path: raw };
  }
  const given = (['path', 'glob', 'uri'] as const).filter((key) => raw[key] !== undefined);
  if (given.length !== 1) {
    throw new LedgerError(
      'BAD_INPUT',
      given.length === 0 ? 'names no data' : `names ${given.join(' and ')} at once`,
      {
        field,
        fix: 'give exactly one of `path`, `glob` or `uri`',
      },
    );
  }
  if (
    raw.name !== undefined &&
    (typeof raw.name !== 'string' || raw.name.trim() === '' || /[\n\r]/.test(raw.name))
  ) {
    throw new LedgerError('BAD_INPUT', 'must be a non-empty single-line string', { field: `${field}.name` });
  }
  return raw;
}

async function collectOne(
  context: CollectContext,
  spec: Spec,
  field: string,
  settings: HashSettings,
): Promise<DatasetEntry> {
  let entry: DatasetEntry;
  if (spec.uri !== undefined) entry = uriEntry(context, spec, field);
  else if (spec.glob !== undefined) entry = await globEntry(context, spec.glob, field, settings);
  else entry = await pathEntry(context, spec.path as string, field, settings);
  if (spec.name !== undefined) entry.name = spec.name;
  if (spec.description !== undefined)
    entry.description = await describe(context, spec.description, `${field}.description`);
  if (spec.scan === true) await scanDataset(context, spec.glob !== undefined, entry);
  return entry;
}

function uriEntry(context: CollectContext, spec: Spec, field: string): DatasetEntry {
  const reference = describeUri(spec.uri as string, `${field}.uri`);
  const lineage: JsonObject = { ...reference.lineage };
  let sha256: string;
  if (spec.sha256 !== undefined) {
    if (!/^[0-9a-f]{64}$/.test(spec.sha256)) {
      throw new LedgerError('BAD_INPUT', `"${spec.sha256}" is not a SHA-256 (64 lowercase hex)`, {
        field: `${field}.sha256`,
      });
    }
    sha256 = spec.sha256;
    lineage['digest'] = 'declared';
  } else {
    // Nothing was downloaded: the subject digest identifies the reference itself.
    sha256 = sha256Hex(reference.uri);
    lineage['digest'] = 'sha256 of the URI text';
  }
  for (const key of ['size', 'files'] as const) {
    const value = spec[key];
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) {
      throw new LedgerError('BAD_INPUT', 'must be a non-negative integer', { field: `${field}.${key}` });
    }
  }
  const name = spec.name ?? reference.defaultName;
  if (reference.moving) context.note(`datasets: ${name}: ${reference.uri}: ${reference.moving}`);
  return {
    name,
    kind: 'uri',
    uri: reference.uri,
    digest: { sha256 },
    size: spec.size ?? 0,
    files: spec.files ?? 0,
    lineage,
  };
}

/** A glob's matches, summarised like a directory but with repository-relative paths in the manifest. */
async function globEntry(
  context: CollectContext,
  pattern: string,
  field: string,
  settings: HashSettings,
): Promise<DatasetEntry> {
  const symlinks: string[] = [];
  const matches = await expandGlob(context.cwd, pattern, { field, symlinks });
  if (symlinks.length > 0)
    context.log.warn(
      `datasets: the glob "${pattern}" matches ${symlinks.length} symlink(s), which are not recorded (their targets are, where the glob matches them): ${symlinks.slice(0, 5).join(', ')}`,
    );
  if (matches.length === 0) {
    throw new LedgerError('BAD_INPUT', `the glob "${pattern}" matches no file`, {
      field,
      fix: 'check the pattern, relative to the repository root, or fetch the data first (e.g. `dvc pull`)',
    });
  }
  const { files } = await hashFiles(
    matches.map((match) => ({ absolute: join(context.cwd, match), display: match })),
    settings,
  );
  const lines = matches.map((path, index) => ({ path, sha256: (files[index] as { sha256: string }).sha256 }));
  const manifest = buildManifest(lines);
  return {
    name: pattern,
    kind: 'directory',
    path: pattern,
    digest: { sha256: manifest.digest },
    size: files.reduce((total, file) => total + file.size, 0),
    files: files.length,
    manifest: manifestRef(manifest, context.attach.bind(context)),
  };
}

async function pathEntry(
  context: CollectContext,
  given: string,
  field: string,
  settings: HashSettings,
): Promise<DatasetEntry> {
  const display = given.replace(/^\.\//, '').replace(/\/+$/, '') || '.';
  const absolute = isAbsolute(display) ? display : join(context.cwd, display);
  // Inside the repository, paths are recorded (and DVC files looked up) repository-relative.
  const inside = relativePath(context.cwd, absolute);
  const repoRelative =
    inside === '' || inside.startsWith('..') || isAbsolute(inside) ? null : inside.split(sep).join('/');
  const shown = repoRelative ?? display;

  let kind: 'file' | 'directory';
  try {
    const info = await stat(absolute);
    if (info.isDirectory()) kind = 'directory';
    else if (info.isFile()) kind = 'file';
    else {
      throw new LedgerError('BAD_INPUT', 'is neither a file nor a directory', {
        file: shown,
        field,
        fix: 'name a data file or directory',
      });
    }
  } catch (error) {
    if (error instanceof LedgerError) throw error;
    const missing = errnoCode(error) === 'ENOENT';
    throw new LedgerError(
      'BAD_INPUT',
      missing ? 'dataset not found' : `cannot read (${describeError(error)})`,
      {
        file: shown,
        field,
        cause: error,
        fix: missing
          ? 'check the path, relative to the repository root, or fetch the data first (e.g. `dvc pull`)'
          : 'check the permissions',
      },
    );
  }

  if (kind === 'file' && shown.endsWith('.dvc') && repoRelative)
    return dvcPointerEntry(context, repoRelative, field, settings);

  const entry =
    kind === 'directory'
      ? await directoryEntry(context, absolute, shown, settings)
      : await fileEntry(absolute, shown, settings);
  if (repoRelative) {
    const lineage = await dvcLineage(context.cwd, repoRelative);
    if (lineage) entry.lineage = lineage;
  }
  return entry;
}

async function fileEntry(absolute: string, shown: string, settings: HashSettings): Promise<DatasetEntry> {
  const { files } = await hashFiles([{ absolute, display: shown }], settings);
  const file = files[0] as { sha256: string; size: number };
  // A single file's digest is its plain SHA-256: what `sha256sum FILE` prints.
  return {
    name: defaultName(shown),
    kind: 'file',
    path: shown,
    digest: { sha256: file.sha256 },
    size: file.size,
    files: 1,
  };
}

async function directoryEntry(
  context: CollectContext,
  absolute: string,
  shown: string,
  settings: HashSettings,
): Promise<DatasetEntry> {
  const digest = await hashDirectory(absolute, shown, settings);
  if (digest.symlinks.length > 0) {
    context.note(
      `datasets: ${shown}: ${digest.symlinks.length} symlink(s) inside the directory are not in its manifest (their targets are): ${digest.symlinks.slice(0, 5).join(', ')}`,
    );
  }
  return {
    name: defaultName(shown),
    kind: 'directory',
    path: shown,
    digest: { sha256: digest.manifest.digest },
    size: digest.size,
    files: digest.files.length,
    manifest: manifestRef(digest.manifest, context.attach.bind(context)),
  };
}

/** A `.dvc` file named as the dataset: its out is hashed when present, else recorded as DVC declares it. */
async function dvcPointerEntry(
  context: CollectContext,
  relative: string,
  field: string,
  settings: HashSettings,
): Promise<DatasetEntry> {
  const pointer = await readDvcPointer(context.cwd, relative);
  if (pointer.outs.length !== 1) {
    throw new LedgerError('BAD_INPUT', `has ${pointer.outs.length} outs; a dataset is one of them`, {
      file: relative,
      field: 'outs',
      fix: 'name the tracked file or directory itself as the dataset',
    });
  }
  const out = pointer.outs[0] as DvcPointer['outs'][number];
  const present = await exists(join(context.cwd, out.path));
  if (present) {
    const entry = await pathEntry(context, out.path, field, settings);
    entry.lineage = { ...entry.lineage, dvc: dvcJson(pointer) };
    return entry;
  }
  const remote = await dvcRemoteUrl(context.cwd);
  const uri = (remote && remoteObjectUrl(remote, out.declared)) ?? `dvc://${relative}`;
  const lineage: JsonObject = { dvc: dvcJson(pointer), digest: 'sha256 of the URI text' };
  const stage = await findDvcStage(context.cwd, out.path);
  if (stage) lineage['dvcStage'] = { lockfile: stage.lockfile, stage: stage.stage, ...stage.content };
  const md5 = typeof out.declared['md5'] === 'string' ? ` (md5 ${out.declared['md5']})` : '';
  context.note(
    `datasets: ${out.path} is not in the working tree; recorded as ${relative} declares it${md5}, not hashed — run \`dvc pull\` before recording to hash the data`,
  );
  const size = out.declared['size'];
  const files = out.declared['nfiles'];
  return {
    name: defaultName(out.path),
    kind: 'uri',
    uri,
    path: out.path,
    digest: { sha256: sha256Hex(uri) },
    size: typeof size === 'number' ? size : 0,
    files: typeof files === 'number' ? files : 0,
    lineage,
  };
}

/** DVC lineage of data in the working tree: its `.dvc` pointer and the `dvc.lock` stage producing it. */
async function dvcLineage(cwd: string, relative: string): Promise<JsonObject | null> {
  const lineage: JsonObject = {};
  const pointer = await findDvcPointer(cwd, relative);
  if (pointer) lineage['dvc'] = dvcJson(pointer);
  const stage = await findDvcStage(cwd, relative);
  if (stage) lineage['dvcStage'] = { lockfile: stage.lockfile, stage: stage.stage, ...stage.content };
  return Object.keys(lineage).length > 0 ? lineage : null;
}

function dvcJson(pointer: DvcPointer): JsonObject {
  return { file: pointer.file, ...pointer.content };
}

/** The config's descriptive fields as JSON; a `schema` naming a file in the repository gets its digest. */
async function describe(
  context: CollectContext,
  description: Record<string, JsonValue>,
  field: string,
): Promise<JsonObject> {
  if (typeof description !== 'object' || description === null || Array.isArray(description)) {
    throw new LedgerError('BAD_INPUT', 'must be a mapping of descriptive fields', {
      field,
      fix: 'e.g. description: { license: CC-BY-4.0, split: train }',
    });
  }
  const notes: string[] = [];
  const result = toJsonValue(description, field, notes, 'config') as JsonObject;
  notes.forEach((note) => context.note(`datasets: ${note}`));
  const schema = result['schema'];
  if (typeof schema === 'string' && !isUri(schema)) {
    const absolute = isAbsolute(schema) ? schema : join(context.cwd, schema);
    if (await exists(absolute)) result['schemaSha256'] = (await hashFile(absolute)).sha256;
    else context.note(`datasets: ${field}.schema: ${schema} not found; recorded as text`);
  }
  return result;
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return false;
    throw new LedgerError('BAD_INPUT', `cannot read (${describeError(error)})`, { file: path, cause: error });
  }
}

function defaultName(path: string): string {
  const name = basename(path.replace(/\/+$/, '')).replace(/\.dvc$/, '');
  return name === '' || name === '.' ? path : name;
}
