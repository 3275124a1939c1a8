import { open, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describeError } from '../errors.js';
import { looksLikeKerasConfig } from './keras.js';
import { Hdf5ReaderError, readHdf5Attributes, type Hdf5ReaderOptions } from './hdf5-reader.js';
import type { ByteSource } from './reader.js';

/**
 * The Keras configurations of one HDF5 part as the HDF5 library reads them: the string attributes
 * of the root group (where Keras keeps `model_config` and `training_config`) and of
 * `/model_weights`. A configuration is either attribute Keras reads, or any other one whose text
 * is a JSON object with a Keras configuration's keys.
 *
 * The library reads a file by path, and a part has none: the safety scan is handed bytes (a file's
 * source, a zip or tar member's slice, an inflated member in memory) with the same interface. So
 * the part is copied, up to `maxBytes`, to a file in a private temp directory (0700, the file 0600)
 * that is removed afterwards. The copy is also exactly the bytes the scan judged, should the model
 * file change meanwhile.
 */

export interface Hdf5ConfigOptions extends Hdf5ReaderOptions {
  /** Parts larger than this are not copied and read; the scan says so. */
  maxBytes: number;
}

/** As large as the byte scan's bound (keras.ts): a part it reads in full, the library reads too. */
export const HDF5_READER_MAX_BYTES = 1024 * 1024 * 1024;

const GROUPS = ['/', '/model_weights'];
const KERAS_ATTRIBUTES = new Set(['model_config', 'training_config']);
const COPY_CHUNK = 4 * 1024 * 1024;

export interface Hdf5LibraryConfig {
  /** `model_config`, or `/model_weights:name` for an attribute of another group. */
  where: string;
  text: string;
}

export type Hdf5LibraryConfigs =
  | {
      status: 'read';
      configs: Hdf5LibraryConfig[];
      /** What the library found but the scan did not read; each makes the scan incomplete. */
      notes: string[];
    }
  /** The library finds no HDF5 file here: nothing Keras (h5py) could open. */
  | { status: 'not-hdf5'; detail: string }
  /** The library did not say what the part holds: the scan is incomplete for `reason`. */
  | { status: 'unread'; reason: string };

export async function readHdf5Configs(
  source: ByteSource,
  display: string,
  options: Partial<Hdf5ConfigOptions> = {},
): Promise<Hdf5LibraryConfigs> {
  const maxBytes = options.maxBytes ?? HDF5_READER_MAX_BYTES;
  if (source.size > maxBytes)
    return {
      status: 'unread',
      reason: `an HDF5 file over ${maxBytes} bytes is not opened by the HDF5 library; only its bytes were scanned`,
    };
  let dir: string | undefined;
  try {
    dir = await mkdtemp(join(tmpdir(), 'model-ledger-hdf5-'));
    const path = join(dir, 'part.h5');
    await copyTo(source, path);
    const read = await readHdf5Attributes(path, GROUPS, display, options);
    if (!read.hdf5) return { status: 'not-hdf5', detail: read.detail };
    const configs: Hdf5LibraryConfig[] = [];
    const notes: string[] = [];
    for (const group of read.groups) {
      if (group.skipped > 0)
        notes.push(`the HDF5 group ${group.path} has ${group.skipped} attributes more than the scan reads`);
      for (const attribute of group.attributes) {
        const where = group.path === '/' ? attribute.name : `${group.path}:${attribute.name}`;
        const named = group.path === '/' && KERAS_ATTRIBUTES.has(attribute.name);
        if ('bytes' in attribute) {
          if (named)
            notes.push(
              `the HDF5 attribute ${where} holds ${attribute.bytes} bytes, more than the scan reads`,
            );
        } else if (named || looksLikeKerasConfig(attribute.text))
          configs.push({ where, text: attribute.text });
      }
    }
    return { status: 'read', configs, notes };
  } catch (error) {
    if (error instanceof Hdf5ReaderError) return { status: 'unread', reason: error.detail };
    return { status: 'unread', reason: `the HDF5 library was not given the file (${describeError(error)})` };
  } finally {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  }
}

async function copyTo(source: ByteSource, path: string): Promise<void> {
  const handle = await open(path, 'wx', 0o600);
  try {
    for (let at = 0; at < source.size; at += COPY_CHUNK) {
      const bytes = await source.read(at, Math.min(COPY_CHUNK, source.size - at));
      for (let written = 0; written < bytes.length;)
        written += (await handle.write(bytes, written, bytes.length - written)).bytesWritten;
    }
  } finally {
    await handle.close();
  }
}
