import { Worker } from 'node:worker_threads';

import { LedgerError, describeError } from '../errors.js';
import { hdf5WorkerUrl } from './hdf5-worker-url.js';

/**
 * The string attributes of an HDF5 file's groups, read by the HDF5 library itself (h5wasm) rather
 * than by a parser of ours. The library is C compiled to WebAssembly and the file is untrusted, so
 * it runs in a worker thread of its own (hdf5-worker.mjs) with a bounded heap and a deadline, and
 * the worker is terminated once it has answered or run out of either. h5wasm is loaded only there:
 * nothing of it is evaluated until a file is read.
 */

export interface Hdf5ReaderOptions {
  /** Wall-clock bound on one file, starting the worker included; past it the worker is terminated. */
  timeoutMs: number;
  /**
   * The worker's JavaScript heap (resourceLimits.maxOldGenerationSizeMb). The library's own
   * WebAssembly memory is outside it; h5wasm's build caps that at 2 GiB.
   */
  heapMb: number;
  /** Attributes read per group, model_config and training_config first. */
  maxAttributes: number;
  /** A string attribute longer than this is reported by its length, not its text. */
  maxTextBytes: number;
}

export const DEFAULT_HDF5_READER: Hdf5ReaderOptions = {
  timeoutMs: 10_000,
  heapMb: 256,
  maxAttributes: 10_000,
  maxTextBytes: 16 * 1024 * 1024,
};

export type Hdf5Attribute = { name: string; text: string } | { name: string; bytes: number };

export interface Hdf5Group {
  path: string;
  /** `link`: a soft or external link, not followed; `other`: a dataset or a named datatype. */
  state: 'group' | 'missing' | 'link' | 'other';
  /** Single string attributes; others (arrays, numbers) are no configuration Keras could load. */
  attributes: Hdf5Attribute[];
  /** Attributes past `maxAttributes`, not read. */
  skipped: number;
}

export type Hdf5Read =
  | { hdf5: true; groups: Hdf5Group[] }
  /** The library finds no HDF5 file in it; `detail` is its innermost error. */
  | { hdf5: false; detail: string };

export type Hdf5ReaderFailure = 'timeout' | 'out-of-memory' | 'crashed' | 'unreadable' | 'unavailable';

/** The reader could not say what the file holds: the scan that asked is incomplete. */
export class Hdf5ReaderError extends LedgerError {
  constructor(
    readonly reason: Hdf5ReaderFailure,
    /** What happened, without the file name. */
    readonly detail: string,
    file: string,
    cause?: unknown,
  ) {
    super('FORMAT', detail, {
      file,
      fix: 'the HDF5 library could not read the file; treat it as unchecked',
      ...(cause === undefined ? {} : { cause }),
    });
    this.name = 'Hdf5ReaderError';
  }
}

/** Keeps the last few KiB a worker wrote to stderr, for the note on a crash. */
const STDERR_TAIL = 2048;

/**
 * Reads the attributes of `groups` ('/' is the root) of the HDF5 file at `path`, a regular file
 * the caller owns. Rejects with Hdf5ReaderError only; `display` names the file in its message.
 */
export function readHdf5Attributes(
  path: string,
  groups: string[],
  display: string,
  options: Partial<Hdf5ReaderOptions> = {},
): Promise<Hdf5Read> {
  const limits = { ...DEFAULT_HDF5_READER, ...options };
  return new Promise<Hdf5Read>((resolve, reject) => {
    let worker: Worker;
    try {
      worker = new Worker(hdf5WorkerUrl(), {
        name: 'model-ledger-hdf5',
        workerData: { path, groups, maxAttributes: limits.maxAttributes, maxTextBytes: limits.maxTextBytes },
        resourceLimits: { maxOldGenerationSizeMb: limits.heapMb },
        // Not the flags this process was started with (`--input-type`, `--inspect`…): none is for it.
        execArgv: [],
        // Nothing the library prints reaches the user's terminal or the CI log.
        stdout: true,
        stderr: true,
      });
    } catch (error) {
      reject(
        new Hdf5ReaderError(
          'unavailable',
          `the HDF5 reader did not start (${describeError(error)})`,
          display,
          error,
        ),
      );
      return;
    }
    let stderr = '';
    worker.stdout.resume();
    worker.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_TAIL);
    });
    let settled = false;
    const settle = (outcome: Hdf5Read | Hdf5ReaderError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      if (outcome instanceof Hdf5ReaderError) reject(outcome);
      else resolve(outcome);
    };
    const timer = setTimeout(
      () =>
        settle(
          new Hdf5ReaderError('timeout', `the HDF5 reader took longer than ${limits.timeoutMs} ms`, display),
        ),
      limits.timeoutMs,
    );
    worker.on('message', (message: unknown) => settle(fromWorker(message, display)));
    worker.on('error', (error) => {
      const outOfMemory = (error as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY';
      settle(
        new Hdf5ReaderError(
          outOfMemory ? 'out-of-memory' : 'crashed',
          outOfMemory
            ? `the HDF5 reader ran out of its ${limits.heapMb} MB heap`
            : `the HDF5 reader failed (${describeError(error)})`,
          display,
          error,
        ),
      );
    });
    worker.on('exit', (code) => {
      const tail = stderr.trim().split('\n').at(-1);
      settle(
        new Hdf5ReaderError(
          'crashed',
          `the HDF5 reader exited with code ${code} before answering${tail ? `: ${tail}` : ''}`,
          display,
        ),
      );
    });
  });
}

/** The worker's one message, checked: it carries text from the file. */
function fromWorker(message: unknown, display: string): Hdf5Read | Hdf5ReaderError {
  const bad = () => new Hdf5ReaderError('crashed', 'the HDF5 reader answered in an unexpected form', display);
  if (!isObject(message)) return bad();
  if (message['type'] === 'not-hdf5' && typeof message['detail'] === 'string')
    return { hdf5: false, detail: message['detail'] };
  if (message['type'] === 'failed' && typeof message['detail'] === 'string')
    return new Hdf5ReaderError(
      'unreadable',
      `the HDF5 library could not read it: ${message['detail']}`,
      display,
    );
  const groups = message['groups'];
  if (message['type'] !== 'read' || !Array.isArray(groups) || !groups.every(isGroup)) return bad();
  return { hdf5: true, groups };
}

const STATES = new Set<unknown>(['group', 'missing', 'link', 'other']);

function isGroup(value: unknown): value is Hdf5Group {
  return (
    isObject(value) &&
    typeof value['path'] === 'string' &&
    STATES.has(value['state']) &&
    typeof value['skipped'] === 'number' &&
    Array.isArray(value['attributes']) &&
    value['attributes'].every(
      (attribute) =>
        isObject(attribute) &&
        typeof attribute['name'] === 'string' &&
        (typeof attribute['text'] === 'string' || typeof attribute['bytes'] === 'number'),
    )
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
