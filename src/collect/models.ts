import { lstat, stat } from 'node:fs/promises';
import { join } from 'node:path';

import { LedgerError, describeError, errnoCode } from '../errors.js';
import { readBoundedText } from '../fs/bounded.js';
import { compareBytewise, expandGlob, hasGlobMagic } from '../fs/glob.js';
import {
  combineSafety,
  inspectModelFile,
  jsonDepth,
  MAX_JSON_DEPTH,
  wellFormed,
  type FormatInfo,
} from '../formats/index.js';
import {
  HashPool,
  hashDirectory,
  hashFiles,
  hashSettingsFor,
  manifestRef,
  type HashingOptions,
} from '../hash/index.js';
import type { ArtifactWarning, JsonObject, JsonValue, ModelEntry, ModelSafety } from '../record/predicate.js';
import type { Collector, CollectContext } from './types.js';

export interface ModelsOptions extends HashingOptions {
  /** Globs, files or directories, relative to the repository root (`--models`, repeatable). */
  patterns: string[];
  /** Files of one model directory scanned by content; past it the verdict is `incomplete` (default 100,000). */
  maxScannedFiles?: number;
}

/**
 * Files of one model directory whose contents are scanned (every file, by content, whatever its
 * name); past this the directory's verdict is `incomplete`, with a warning, never silently clean.
 */
const MAX_INSPECTED_IN_DIRECTORY = 100_000;

/**
 * Repository-relative paths a list of patterns names, sorted bytewise; every pattern must match.
 * A glob matches files; a plain path may name a file or a directory. Symlinks a glob matches
 * that point inside the repository are left out and pushed to `symlinks` (an explicit one is an
 * error): the file itself is what is recorded.
 */
export async function resolveModelPaths(
  cwd: string,
  patterns: string[],
  symlinks: string[] = [],
): Promise<string[]> {
  const found = new Set<string>();
  for (const pattern of patterns) {
    if (hasGlobMagic(pattern)) {
      const matches = await expandGlob(cwd, pattern, { field: 'models', symlinks });
      if (matches.length === 0) {
        throw new LedgerError('BAD_INPUT', `the glob "${pattern}" matches no file`, {
          field: 'models',
          fix: 'check the pattern against the repository layout, relative to the repository root',
        });
      }
      matches.forEach((match) => found.add(match));
    } else {
      const relative = pattern.replace(/^\.\//, '').replace(/\/+$/, '');
      await modelPathKind(cwd, relative);
      found.add(relative);
    }
  }
  return [...found].sort(compareBytewise);
}

async function modelPathKind(cwd: string, relative: string): Promise<'file' | 'directory'> {
  let stats;
  try {
    stats = await lstat(join(cwd, relative));
  } catch (error) {
    const missing = errnoCode(error) === 'ENOENT';
    throw new LedgerError(
      'BAD_INPUT',
      missing ? 'model file not found' : `cannot read (${describeError(error)})`,
      {
        file: relative,
        field: 'models',
        cause: error,
        fix: missing ? 'build the model before recording, or fix the path' : 'check the file permissions',
      },
    );
  }
  if (stats.isFile()) return 'file';
  if (stats.isDirectory()) return 'directory';
  throw new LedgerError(
    'BAD_INPUT',
    stats.isSymbolicLink() ? 'is a symlink, not the model itself' : 'is not a regular file or directory',
    {
      file: relative,
      field: 'models',
      fix: 'name the model files or directories themselves, or a glob such as "models/**/*.safetensors"',
    },
  );
}

/**
 * Each model artifact: a file's plain SHA-256 (the in-toto subject digest), size and detected
 * format with header metadata and pickle warnings; a directory's manifest digest, file count,
 * total size, manifest, and the metadata of the model files inside it.
 */
export class ModelsCollector implements Collector<'models'> {
  readonly section = 'models';
  constructor(private readonly options: ModelsOptions) {}

  async collect(context: CollectContext): Promise<ModelEntry[]> {
    if (this.options.patterns.length === 0) return [];
    const symlinks: string[] = [];
    const paths = await resolveModelPaths(context.cwd, this.options.patterns, symlinks);
    if (symlinks.length > 0)
      context.log.warn(
        `models: the globs match ${symlinks.length} symlink(s), which are not recorded (their targets are, where a glob matches them): ${symlinks.slice(0, 5).join(', ')}`,
      );
    const kinds = await Promise.all(paths.map((path) => modelPathKind(context.cwd, path)));
    const files = paths.filter((_, index) => kinds[index] === 'file');
    const directories = paths.filter((_, index) => kinds[index] === 'directory');
    const pool = new HashPool(
      this.options.concurrency === undefined ? {} : { concurrency: this.options.concurrency },
    );
    const settings = hashSettingsFor(this.options, context.env, context.log, pool);
    const entries: ModelEntry[] = [];
    let fromCache = 0;
    try {
      const hashed = await hashFiles(
        files.map((name) => ({ absolute: join(context.cwd, name), display: name })),
        settings,
      );
      fromCache += hashed.stats.fromCache;
      for (const [index, name] of files.entries()) {
        const digest = hashed.files[index] as { sha256: string; size: number };
        const entry: ModelEntry = {
          name,
          kind: 'file',
          digest: { sha256: digest.sha256 },
          size: digest.size,
        };
        addFormat(entry, await inspectModelFile(join(context.cwd, name), name));
        entries.push(entry);
      }
      for (const name of directories) {
        const entry = await collectDirectory(
          context,
          name,
          settings,
          this.options.maxScannedFiles ?? MAX_INSPECTED_IN_DIRECTORY,
        );
        fromCache += entry.fromCache;
        entries.push(entry.entry);
      }
    } finally {
      await pool.close();
    }
    entries.sort((a, b) => compareBytewise(a.name, b.name));
    const cached = fromCache > 0 ? `, ${fromCache} digest(s) reused from the cache` : '';
    context.log.info(
      `models: ${files.length} file(s) and ${directories.length} directory(ies) hashed${cached}`,
    );
    return entries;
  }
}

function addFormat(entry: ModelEntry, info: FormatInfo): void {
  // A file in no known format and with nothing to say about it keeps no format field.
  if (info.format !== 'raw' || Object.keys(info.metadata).length > 0) entry.format = info.format;
  if (Object.keys(info.metadata).length > 0) entry.metadata = info.metadata;
  if (info.warnings.length > 0) entry.warnings = info.warnings;
  if (info.safety) entry.safety = info.safety;
}

async function collectDirectory(
  context: CollectContext,
  name: string,
  settings: ReturnType<typeof hashSettingsFor>,
  maxScanned: number,
): Promise<{ entry: ModelEntry; fromCache: number }> {
  const digest = await hashDirectory(join(context.cwd, name), name, settings);
  if (digest.symlinks.length > 0) {
    context.note(
      `models: ${name}: ${digest.symlinks.length} symlink(s) inside the directory are not in its manifest (their targets are): ${digest.symlinks.slice(0, 5).join(', ')}`,
    );
  }
  const inspected = new Map<string, JsonObject>();
  const warnings: ArtifactWarning[] = [];
  const verdicts: { member: string; safety: ModelSafety }[] = [];
  for (const file of digest.files.slice(0, maxScanned)) {
    const info = await inspectModelFile(join(context.cwd, name, file.path), `${name}/${file.path}`);
    if (info.safety) verdicts.push({ member: file.path, safety: info.safety });
    warnings.push(...info.warnings);
    if (info.format === 'raw' && Object.keys(info.metadata).length === 0) continue;
    inspected.set(file.path, { format: info.format, ...info.metadata });
  }
  const safety = combineSafety(verdicts);
  if (digest.files.length > maxScanned) {
    const message = `${name}: only the first ${maxScanned} of ${digest.files.length} files were scanned; all are hashed`;
    safety.incomplete(undefined, message);
    warnings.push({ code: 'SCAN_INCOMPLETE', message });
    context.note(`models: ${message}`);
  }
  const names = new Set(digest.files.map((file) => file.path));
  // Object.fromEntries defines own properties: a file named __proto__ stays a key.
  const metadata: JsonObject = { files: Object.fromEntries(inspected) };
  const config = names.has('config.json')
    ? await readHuggingFaceConfig(join(context.cwd, name, 'config.json'), `${name}/config.json`, warnings)
    : null;
  if (config) metadata['config'] = config;
  const entry: ModelEntry = {
    name,
    kind: 'directory',
    digest: { sha256: digest.manifest.digest },
    size: digest.size,
    files: digest.files.length,
    format: directoryFormat(names, [...inspected.values()]),
    metadata,
    manifest: manifestRef(digest.manifest, context.attach.bind(context)),
    safety: safety.result(),
  };
  if (warnings.length > 0) entry.warnings = warnings;
  return { entry, fromCache: digest.stats.fromCache };
}

/** What kind of model directory this is, from the files at its top. */
function directoryFormat(names: Set<string>, inspected: JsonObject[]): string {
  if (names.has('MLmodel')) return 'mlflow';
  if (names.has('saved_model.pb')) return 'tensorflow-saved-model';
  if (names.has('model_index.json')) return 'diffusers';
  const weights = inspected.some((file) => {
    const format = file['format'];
    return typeof format === 'string' && ['safetensors', 'pytorch', 'gguf', 'onnx'].includes(format);
  });
  if (names.has('config.json') && weights) return 'huggingface';
  return 'directory';
}

/** A Hugging Face `config.json` is a few kilobytes. */
const MAX_CONFIG_JSON_BYTES = 4 * 1024 * 1024;

/** The identifying fields of a Hugging Face `config.json`; other keys stay in the file. */
const CONFIG_KEYS = [
  'architectures',
  'model_type',
  'torch_dtype',
  'dtype',
  'transformers_version',
  '_name_or_path',
];

async function readHuggingFaceConfig(
  path: string,
  display: string,
  warnings: ArtifactWarning[],
): Promise<JsonObject | null> {
  const size = (await stat(path)).size;
  if (size > MAX_CONFIG_JSON_BYTES) return null; // no configuration is that large: not read at all
  const text = await readBoundedText(path, MAX_CONFIG_JSON_BYTES, display);
  if (jsonDepth(text) > MAX_JSON_DEPTH) {
    warnings.push({
      code: 'FORMAT',
      message: `${display}: nests deeper than ${MAX_JSON_DEPTH} levels, which no model configuration does; its fields were not read`,
    });
    return null;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new LedgerError('BAD_INPUT', `is not valid JSON (${describeError(error)})`, {
      file: display,
      cause: error,
      fix: 'fix or regenerate the model configuration (save_pretrained)',
    });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const config = parsed as JsonObject;
  const picked = CONFIG_KEYS.filter((key) => Object.hasOwn(config, key)).map((key): [string, JsonValue] => [
    key,
    wellFormedJson(config[key] ?? null),
  ]);
  return picked.length > 0 ? Object.fromEntries(picked) : null;
}

/** A JSON value with lone surrogates in its strings replaced (depth is bounded by the caller). */
function wellFormedJson(value: JsonValue): JsonValue {
  if (typeof value === 'string') return wellFormed(value);
  if (Array.isArray(value)) return value.map(wellFormedJson);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [wellFormed(key), wellFormedJson(item)]),
    );
  return value;
}
