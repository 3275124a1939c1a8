import { createRequire } from 'node:module';

import { WORKER_SOURCE } from './worker-source.js';

/** What the pool posts chunks to: a worker thread, or the worker's code running in this thread. */
export interface HashWorker {
  postMessage(message: unknown): void;
  terminate(): Promise<number>;
}

type Listener = (message: unknown) => void;

/**
 * The hashing worker's own code (WORKER_SOURCE, so the reads and checks are the same ones) run in
 * this thread behind a port that speaks the worker protocol, for runs too small to repay starting
 * a thread: a worker costs 30–200 ms to start on a loaded 2-core machine (measured), hashing a few
 * small files well under a millisecond. Messages arrive asynchronously, as between threads, and
 * are not copied: neither side changes a message once it is sent.
 */
export class InlineHasher implements HashWorker {
  private readonly listeners: Listener[] = [];

  constructor(receive: Listener) {
    const port = {
      on: (event: string, listener: Listener) => {
        if (event === 'message') this.listeners.push(listener);
      },
      postMessage: (message: unknown) => queueMicrotask(() => receive(message)),
    };
    const nodeRequire = createRequire(import.meta.url);
    const require = (id: string): unknown =>
      id === 'node:worker_threads' ? { parentPort: port } : nodeRequire(id);
    // The worker's source is evaluated as an eval worker evaluates it, with its `require`.
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    (new Function('require', WORKER_SOURCE) as (require: (id: string) => unknown) => void)(require);
  }

  postMessage(message: unknown): void {
    queueMicrotask(() => {
      for (const listener of this.listeners) listener(message);
    });
  }

  terminate(): Promise<number> {
    return Promise.resolve(0);
  }
}
