/**
 * model_signing's `files` serialization: every regular file of the model with its sha256, named by
 * its POSIX path relative to the model (a single-file model is one resource named `.`). Hashing is
 * model-ledger's own worker pool and digest cache, and digests the caller already has (a record
 * that just hashed the directory) are used as they are, so signing costs no second pass.
 */
import { lstat, realpath, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, posix, relative, resolve, sep } from 'node:path';

import { LedgerError, describeError, errnoCode } from '../errors.js';
import { hashFiles, listTree, type HashRunStats, type HashSettings, type TreeFile } from '../hash/index.js';
import { buildOmsManifest, type OmsManifest, type OmsSerialization } from './resources.js';

/** What model_signing leaves out of every directory by default (`--ignore-git-paths`). */
export const GIT_PATHS = ['.git', '.gitattributes', '.github', '.gitignore'] as const;

export interface SerializeModelOptions {
  /** The model: a directory, or a single file. */
  path: string;
  /** How errors name the model; default `path`. */
  display?: string;
  /** Files or directories to leave out, relative to the model; paths outside it are dropped. */
  ignorePaths?: readonly string[];
  /** Leave out .git, .gitattributes, .github and .gitignore, as model_signing does (default true). */
  ignoreGitPaths?: boolean;
  /**
   * Sign symlinks (within the model, to files) as the files they point to, under their own names,
   * as model_signing's `--allow_symlinks` does. Without it a symlink is an error.
   */
  allowSymlinks?: boolean;
  /**
   * Without allowSymlinks: list symlinks in the result instead of failing (verification reports
   * them as files the signature does not cover).
   */
  reportSymlinks?: boolean;
  /** Hash worker pool and digest cache settings. */
  hash?: HashSettings;
  /**
   * sha256 digests already computed for files of this model, by path relative to the model (`.`
   * for a single-file model): used instead of reading those files again.
   */
  knownDigests?: ReadonlyMap<string, string>;
}

export interface SerializedModel {
  manifest: OmsManifest;
  /** Files taken from `knownDigests`, and what hashing the rest cost. */
  stats: { files: number; known: number; hashed: HashRunStats };
  /** Symlinks left out (with reportSymlinks), relative to the model. */
  symlinks: string[];
}

/**
 * Normalises ignore paths to model-relative POSIX paths without `./` or a trailing slash, drops
 * those that leave the model or name the model itself, and sorts them.
 */
export function normaliseIgnorePaths(paths: readonly string[]): string[] {
  const kept = new Set<string>();
  for (const raw of paths) {
    const path = posix.normalize(raw.replaceAll('\\', '/')).replace(/\/+$/, '');
    if (path === '.' || path === '' || path === '..' || path.startsWith('../') || path.startsWith('/'))
      continue;
    kept.add(path);
  }
  return [...kept].sort();
}

/** `path` relative to `model` as a POSIX path, when it lies inside the model; null otherwise. */
export function pathInside(model: string, path: string): string | null {
  const inside = relative(resolve(model), resolve(path));
  if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) return null;
  return inside.split(sep).join('/');
}

/** Whether `path` is an ignored path or lies below one (Python's `is_relative_to`). */
export function isIgnored(path: string, ignorePaths: readonly string[]): boolean {
  return ignorePaths.some((ignored) => path === ignored || path.startsWith(`${ignored}/`));
}

/** The OMS manifest of a model directory or file. */
export async function serializeModel(options: SerializeModelOptions): Promise<SerializedModel> {
  const display = options.display ?? options.path;
  const absolute = resolve(options.path);
  const kind = await modelKind(absolute, display);
  const modelName = basename(absolute);
  const known = options.knownDigests ?? new Map<string, string>();

  if (kind === 'file') {
    // As model_signing: a single file has no paths to ignore.
    const serialization: OmsSerialization = { method: 'files', hash_type: 'sha256', allow_symlinks: false };
    const cached = known.get('.');
    if (cached !== undefined) {
      return {
        manifest: buildOmsManifest(modelName, [{ name: '.', sha256: cached }], serialization),
        stats: { files: 1, known: 1, hashed: { files: 0, bytes: 0, fromCache: 0 } },
        symlinks: [],
      };
    }
    const { files, stats } = await hashFiles([{ absolute, display }], options.hash);
    return {
      manifest: buildOmsManifest(
        modelName,
        [{ name: '.', sha256: (files[0] as { sha256: string }).sha256 }],
        serialization,
      ),
      stats: { files: 1, known: 0, hashed: stats },
      symlinks: [],
    };
  }

  const ignorePaths = normaliseIgnorePaths([
    ...(options.ignorePaths ?? []),
    ...(options.ignoreGitPaths === false ? [] : GIT_PATHS),
  ]);
  const listing = await listTree(absolute, display);
  const prefix = display.replace(/\/+$/, '');
  const links = listing.symlinks.filter((path) => !isIgnored(path, ignorePaths));
  const skipped = options.allowSymlinks || !options.reportSymlinks ? [] : links.splice(0);
  if (links.length > 0 && !options.allowSymlinks) {
    throw new LedgerError('BAD_INPUT', 'is a symlink; model signatures list regular files only', {
      file: `${prefix}/${links[0] as string}`,
      fix: 'replace the symlink with the file it points to, leave it out with --ignore-paths, or sign it as its target with --allow-symlinks',
    });
  }
  const linked: TreeFile[] = [];
  for (const link of links) {
    // The hash workers read regular files only: hash the file the link resolves to.
    const target = await realpath(join(listing.root, ...link.split('/')));
    if (!(await stat(target)).isFile()) {
      throw new LedgerError(
        'BAD_INPUT',
        'is a symlink to a directory; only symlinks to files can be signed',
        {
          file: `${prefix}/${link}`,
          fix: 'sign the directory it points to, or leave the symlink out with --ignore-paths',
        },
      );
    }
    linked.push({ relative: link, absolute: target });
  }
  const included = [...listing.files, ...linked].filter((file) => !isIgnored(file.relative, ignorePaths));
  if (included.length === 0) {
    throw new LedgerError('BAD_INPUT', 'holds no file to sign (every file is ignored, or there are none)', {
      file: display,
      fix: 'check the path and the --ignore-paths given',
    });
  }
  const toHash = included.filter((file) => !known.has(file.relative));
  const hashed = toHash.length
    ? await hashFiles(
        toHash.map((file) => ({ absolute: file.absolute, display: `${prefix}/${file.relative}` })),
        options.hash,
      )
    : { files: [], stats: { files: 0, bytes: 0, fromCache: 0 } };
  const digests = new Map(
    toHash.map((file, index) => [file.relative, hashed.files[index]?.sha256 as string]),
  );
  const serialization: OmsSerialization = {
    method: 'files',
    hash_type: 'sha256',
    allow_symlinks: options.allowSymlinks === true,
    ...(ignorePaths.length > 0 ? { ignore_paths: ignorePaths } : {}),
  };
  const manifest = buildOmsManifest(
    modelName,
    included.map((file) => ({
      name: file.relative,
      sha256: (known.get(file.relative) ?? digests.get(file.relative)) as string,
    })),
    serialization,
  );
  return {
    manifest,
    stats: { files: included.length, known: included.length - toHash.length, hashed: hashed.stats },
    symlinks: skipped,
  };
}

async function modelKind(absolute: string, display: string): Promise<'file' | 'directory'> {
  let stats;
  try {
    stats = await lstat(absolute);
  } catch (error) {
    const missing = errnoCode(error) === 'ENOENT';
    throw new LedgerError(
      'BAD_INPUT',
      missing ? 'model not found' : `cannot read the model (${describeError(error)})`,
      {
        file: display,
        cause: error,
        fix: missing ? 'check the path of the model directory or file' : 'check the permissions',
      },
    );
  }
  if (stats.isSymbolicLink()) {
    throw new LedgerError('BAD_INPUT', 'is a symlink; sign the directory or file it points to', {
      file: display,
    });
  }
  if (stats.isDirectory()) return 'directory';
  if (stats.isFile()) return 'file';
  throw new LedgerError('BAD_INPUT', 'is neither a directory nor a regular file', { file: display });
}
