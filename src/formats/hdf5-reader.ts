import { Worker } from 'node:worker_threads';

import { LedgerError, describeError } from '../errors.js';
import { hdf5WorkerUrl } from './hdf5-worker-url.js';

/**
 * The string attributes of an HDF5 file's groups, read by the HDF5 library itself (h5wasm) rather
 * than by a parser of ours. The library is C compiled to WebAssembly and the file is untrusted, so
 * it runs in a worker thread of its own (hdf5-worker.mjs) with a bounded heap and a deadline per
 * file, and the worker is terminated when it runs out of either. h5wasm is loaded only there:
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

/**
 * Files one worker reads before it is replaced: the library keeps caches and open-object tables
 * across files, and a fresh start every few dozen files bounds what a hostile file can leave behind
 * for the next one, at the cost of one start-up (about 0.4 s of WebAssembly compilation) each time.
 */
const FILES_PER_WORKER = 32;

interface Pending {
  id: number;
  settle(outcome: Hdf5Read | Hdf5ReaderError): void;
  display: string;
}

/** One running worker and the request it is answering, if any. */
interface Session {
  worker: Worker;
  heapMb: number;
  served: number;
  pending: Pending | undefined;
  retired: boolean;
}

let current: Session | undefined;
/** Requests run one at a time on the shared worker, in the order they were made. */
let queue: Promise<unknown> = Promise.resolve();
let lastId = 0;

/**
 * Reads the attributes of `groups` ('/' is the root) of the HDF5 file at `path`, a regular file
 * the caller owns. Rejects with Hdf5ReaderError only; `display` names the file in its message.
 *
 * Files are read one at a time by one worker, kept between files so that the library is compiled
 * once per run rather than once per file. Whatever goes wrong with a file (a timeout, the heap, a
 * crash, a library error) retires that worker, so the next file starts on a fresh one.
 */
export function readHdf5Attributes(
  path: string,
  groups: string[],
  display: string,
  options: Partial<Hdf5ReaderOptions> = {},
): Promise<Hdf5Read> {
  const limits = { ...DEFAULT_HDF5_READER, ...options };
  const read = queue.then(() => readOne(path, groups, display, limits));
  queue = read.catch(() => undefined);
  return read;
}

/** Ends the shared worker now rather than when the process exits; the next read starts another. */
export async function closeHdf5Reader(): Promise<void> {
  await queue;
  if (current) await retire(current);
}

function readOne(
  path: string,
  groups: string[],
  display: string,
  limits: Hdf5ReaderOptions,
): Promise<Hdf5Read> {
  return new Promise<Hdf5Read>((resolve, reject) => {
    let session: Session;
    try {
      session = sessionFor(limits.heapMb);
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
    const id = ++lastId;
    // The deadline covers start-up when this request is the worker's first.
    const timer = setTimeout(() => {
      void retire(session);
      settle(
        new Hdf5ReaderError('timeout', `the HDF5 reader took longer than ${limits.timeoutMs} ms`, display),
      );
    }, limits.timeoutMs);
    const settle = (outcome: Hdf5Read | Hdf5ReaderError): void => {
      if (session.pending?.id !== id) return;
      session.pending = undefined;
      clearTimeout(timer);
      session.served += 1;
      if (outcome instanceof Hdf5ReaderError || session.served >= FILES_PER_WORKER) void retire(session);
      // An idle worker does not keep the process alive.
      else session.worker.unref();
      if (outcome instanceof Hdf5ReaderError) reject(outcome);
      else resolve(outcome);
    };
    session.pending = { id, settle, display };
    session.worker.ref();
    session.worker.postMessage({
      id,
      path,
      groups,
      maxAttributes: limits.maxAttributes,
      maxTextBytes: limits.maxTextBytes,
    });
  });
}

/** The running worker when it has the heap asked for, else a new one. Throws if none starts. */
function sessionFor(heapMb: number): Session {
  if (current && !current.retired && current.heapMb === heapMb) return current;
  if (current) void retire(current);
  const worker = new Worker(hdf5WorkerUrl(), {
    name: 'model-ledger-hdf5',
    resourceLimits: { maxOldGenerationSizeMb: heapMb },
    // Not the flags this process was started with (`--input-type`, `--inspect`…): none is for it.
    execArgv: [],
    // The worker silences its own stdout and stderr (see hdf5-worker.mjs): piping them here
    // would keep this process alive while the worker idles.
  });
  const session: Session = { worker, heapMb, served: 0, pending: undefined, retired: false };
  // The handlers stay for the worker's life: an 'error' with no listener would end this process.
  worker.on('message', (message: unknown) => {
    const pending = session.pending;
    if (!pending) return;
    if (!isObject(message) || message['id'] !== pending.id) {
      pending.settle(unexpected(pending.display));
      return;
    }
    pending.settle(fromWorker(message, pending.display));
  });
  worker.on('error', (error) => {
    session.retired = true;
    const outOfMemory = (error as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY';
    session.pending?.settle(
      new Hdf5ReaderError(
        outOfMemory ? 'out-of-memory' : 'crashed',
        outOfMemory
          ? `the HDF5 reader ran out of its ${heapMb} MB heap`
          : `the HDF5 reader failed (${describeError(error)})`,
        session.pending.display,
        error,
      ),
    );
  });
  worker.on('exit', (code) => {
    session.retired = true;
    if (current === session) current = undefined;
    const pending = session.pending;
    if (!pending) return;
    pending.settle(
      new Hdf5ReaderError(
        'crashed',
        `the HDF5 reader exited with code ${code} before answering`,
        pending.display,
      ),
    );
  });
  current = session;
  return session;
}

async function retire(session: Session): Promise<void> {
  session.retired = true;
  if (current === session) current = undefined;
  await session.worker.terminate();
}

function unexpected(display: string): Hdf5ReaderError {
  return new Hdf5ReaderError('crashed', 'the HDF5 reader answered in an unexpected form', display);
}

/** The worker's answer, checked: it carries text from the file. */
function fromWorker(message: Record<string, unknown>, display: string): Hdf5Read | Hdf5ReaderError {
  const bad = () => unexpected(display);
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
