/**
 * The safety scan over a dataset's files, when the dataset asks for it (`scan: true`): data often
 * ships as pickles, joblib dumps, `.npy` object arrays or zips of them, which run code when loaded
 * just as models do. Every local file the dataset covers is sniffed and scanned by content (names
 * are never trusted), and one verdict is recorded for the dataset, each file's findings under its
 * path. A file the scan cannot read is an `incomplete` finding, never a refused record: the
 * dataset is still recorded by its digest.
 */
import { lstat, readdir } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';

import { LedgerError, describeError } from '../errors.js';
import { expandGlob } from '../fs/glob.js';
import { combineSafety, inspectModelFile } from '../formats/index.js';
import type { DatasetEntry, ModelSafety } from '../record/predicate.js';
import type { CollectContext } from './types.js';

/** Files of one dataset scanned; past this the verdict is `incomplete`, never clean. */
const MAX_SCANNED_FILES = 100_000;

/** One file to scan: where it is, and its path within the dataset (for findings). */
interface DatasetFile {
  absolute: string;
  member: string;
}

/**
 * Scans the files `entry` covers (its `path`: a file, a directory, or the glob a glob entry keeps
 * there) and sets `entry.safety`. Remote data (`uri`, and DVC data not in the working tree) is
 * not here to scan: a note says so.
 */
export async function scanDataset(
  context: CollectContext,
  glob: boolean,
  entry: DatasetEntry,
  maxFiles = MAX_SCANNED_FILES,
): Promise<void> {
  if (entry.kind === 'uri' || entry.path === undefined) {
    context.note(`datasets: ${entry.name}: its data is not in the working tree, so it was not scanned`);
    return;
  }
  const { files, more } = await datasetFiles(context.cwd, entry.path, glob, maxFiles);
  const parts: { member: string; safety: ModelSafety }[] = [];
  for (const file of files) {
    const display = `${entry.name}: ${file.member}`;
    try {
      const info = await inspectModelFile(file.absolute, display);
      if (info.safety) parts.push({ member: file.member, safety: info.safety });
    } catch (error) {
      if (!(error instanceof LedgerError)) throw error;
      parts.push({
        member: file.member,
        safety: {
          verdict: 'incomplete',
          pickles: 0,
          findings: [{ verdict: 'incomplete', reason: `not scanned: ${describeError(error)}` }],
        },
      });
    }
  }
  const report = combineSafety(parts);
  if (more) report.incomplete(undefined, `only the first ${maxFiles} files were scanned; all are hashed`);
  entry.safety = report.result();
  if (entry.safety.verdict !== 'clean')
    context.note(`datasets: ${entry.name}: the safety scan's verdict is ${entry.safety.verdict}`);
}

async function datasetFiles(
  cwd: string,
  path: string,
  glob: boolean,
  maxFiles: number,
): Promise<{ files: DatasetFile[]; more: boolean }> {
  if (glob) {
    const matches = await expandGlob(cwd, path, { field: 'datasets' });
    return {
      files: matches.slice(0, maxFiles).map((match) => ({ absolute: join(cwd, match), member: match })),
      more: matches.length > maxFiles,
    };
  }
  const given = path.replace(/^\.\//, '').replace(/\/+$/, '') || '.';
  const root = isAbsolute(given) ? given : join(cwd, given);
  const stats = await lstat(root);
  if (stats.isFile()) return { files: [{ absolute: root, member: given }], more: false };
  const files: DatasetFile[] = [];
  let more = false;
  // Regular files only, in a stable order; symlinks are left out, as the dataset's manifest leaves them.
  const walk = async (relative: string): Promise<void> => {
    const entries = await readdir(join(root, relative), { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const item of entries) {
      if (more) return;
      const path = relative === '' ? item.name : `${relative}/${item.name}`;
      if (item.isDirectory()) await walk(path);
      else if (item.isFile()) {
        if (files.length >= maxFiles) {
          more = true;
          return;
        }
        files.push({ absolute: join(root, path), member: path });
      }
    }
  };
  await walk('');
  return { files, more };
}
