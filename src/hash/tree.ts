import { readdir, realpath } from 'node:fs/promises';
import { join, sep } from 'node:path';

import { LedgerError, describeError, errnoCode } from '../errors.js';
import { compareBytewise } from '../fs/glob.js';

export interface TreeFile {
  /** POSIX path relative to the directory: the manifest's path column. */
  relative: string;
  absolute: string;
}

export interface TreeListing {
  /** The directory, symlinks resolved. */
  root: string;
  /** Every regular file below the directory, sorted bytewise by `relative`. */
  files: TreeFile[];
  /**
   * Symlinks that stay inside the directory. Like `find -type f`, the manifest does not list them:
   * what they point to is a file of the tree and is listed under its own path.
   */
  symlinks: string[];
}

/** Directories listed at once: a deep tree is walked in parallel, a flat one costs one call. */
const PARALLEL_LISTINGS = 8;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Lists a directory for its manifest (see DESIGN.md "Dataset and directory digests").
 * Errors, not skips: symlinks that leave the directory or lead nowhere, FIFOs, sockets and devices,
 * unlistable directories, names that are not UTF-8, and names with a newline, carriage return or
 * backslash (which `sha256sum` prints escaped, so the coreutils recomputation would differ).
 * `display` is the directory as the user named it; errors name paths under it.
 */
export async function listTree(directory: string, display: string): Promise<TreeListing> {
  let root: string;
  try {
    root = await realpath(directory);
  } catch (error) {
    const missing = errnoCode(error) === 'ENOENT';
    throw new LedgerError(
      'BAD_INPUT',
      missing ? 'directory not found' : `cannot open directory (${describeError(error)})`,
      {
        file: display,
        cause: error,
        fix: missing ? 'check the path, relative to the repository root' : 'check the directory permissions',
      },
    );
  }
  const files: TreeFile[] = [];
  const symlinks: string[] = [];
  const shown = (relative: string): string =>
    relative ? `${display.replace(/\/+$/, '')}/${relative}` : display;

  const visit = async (relativeDir: string): Promise<string[]> => {
    const absoluteDir = relativeDir ? `${root === sep ? '' : root}/${relativeDir}` : root;
    let entries;
    try {
      entries = await readdir(absoluteDir, { withFileTypes: true });
    } catch (error) {
      throw new LedgerError('HASH', `cannot list directory (${describeError(error)})`, {
        file: shown(relativeDir),
        cause: error,
        fix: 'make the directory readable by the user running model-ledger, or leave it out',
      });
    }
    const subdirectories: string[] = [];
    for (const entry of entries) {
      const name = entry.name;
      // Names that are not UTF-8 arrive with U+FFFD in place of the bad bytes: look at the bytes.
      if (name.includes('\uFFFD')) await checkUtf8Names(absoluteDir, shown(relativeDir));
      if (/[\n\r\\]/.test(name)) {
        throw new LedgerError('HASH', 'file name contains a newline, carriage return or backslash', {
          file: `${shown(relativeDir)}/${JSON.stringify(name).slice(1, -1)}`,
          fix: 'rename the file: sha256sum escapes such names, so the manifest could not be recomputed with coreutils',
        });
      }
      const relative = relativeDir ? `${relativeDir}/${name}` : name;
      if (entry.isDirectory()) {
        subdirectories.push(relative);
      } else if (entry.isFile()) {
        files.push({ relative, absolute: `${absoluteDir === sep ? '' : absoluteDir}/${name}` });
      } else if (entry.isSymbolicLink()) {
        await checkSymlink(root, join(absoluteDir, name), shown(relative));
        symlinks.push(relative);
      } else {
        throw new LedgerError('HASH', `is ${specialKind(entry)}, not a regular file`, {
          file: shown(relative),
          fix: 'only regular files (and symlinks within the directory) can be recorded; move it out of the directory',
        });
      }
    }
    return subdirectories;
  };

  const limit = limiter(PARALLEL_LISTINGS);
  const walk = async (relativeDir: string): Promise<void> => {
    const subdirectories = await limit(() => visit(relativeDir));
    await Promise.all(subdirectories.map(walk));
  };
  await walk('');

  files.sort((a, b) => compareBytewise(a.relative, b.relative));
  symlinks.sort(compareBytewise);
  return { root, files, symlinks };
}

/** Fails on the first name in `directory` whose bytes are not UTF-8, showing them escaped. */
async function checkUtf8Names(directory: string, parent: string): Promise<void> {
  const raw = await readdir(directory, { encoding: 'buffer' });
  for (const name of raw) {
    try {
      utf8.decode(name);
    } catch (error) {
      const readable = [...name]
        .map((byte) =>
          byte >= 0x20 && byte < 0x7f
            ? String.fromCharCode(byte)
            : `\\x${byte.toString(16).padStart(2, '0')}`,
        )
        .join('');
      throw new LedgerError('HASH', 'file name is not valid UTF-8', {
        file: `${parent}/${readable}`,
        cause: error,
        fix: 'rename the file with a UTF-8 name; manifests name files in UTF-8',
      });
    }
  }
}

async function checkSymlink(root: string, absolute: string, shownPath: string): Promise<void> {
  let target: string;
  try {
    target = await realpath(absolute);
  } catch (error) {
    throw new LedgerError('HASH', `symlink leads nowhere (${describeError(error)})`, {
      file: shownPath,
      cause: error,
      fix: 'remove the broken symlink or restore its target',
    });
  }
  if (target !== root && !target.startsWith(root + sep)) {
    throw new LedgerError('HASH', `symlink leaves the directory (it points to ${target})`, {
      file: shownPath,
      fix: 'copy the target into the directory, or record the target directory itself',
    });
  }
}

interface TypedEntry {
  isFIFO(): boolean;
  isSocket(): boolean;
  isBlockDevice(): boolean;
  isCharacterDevice(): boolean;
}

function specialKind(entry: TypedEntry): string {
  if (entry.isFIFO()) return 'a FIFO';
  if (entry.isSocket()) return 'a socket';
  if (entry.isBlockDevice()) return 'a block device';
  if (entry.isCharacterDevice()) return 'a character device';
  return 'of an unknown file type';
}

/** Runs at most `count` of the given tasks at once. */
function limiter(count: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= count) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}
