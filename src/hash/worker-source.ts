/**
 * The hashing worker, as source text. It is started with `new Worker(WORKER_SOURCE, { eval: true })`
 * so that it works unchanged from TypeScript under jest and from a single esbuild bundle
 * (dist/cli.js, dist/index.js): there is no separate worker file to find on disk.
 * It uses node builtins only (CommonJS `require` is what an eval worker offers).
 *
 * Protocol (all messages are structured clones):
 *   main → worker  { type: 'chunk', chunk, counter, paths, expects }
 *     `counter` is an Int32Array over a SharedArrayBuffer shared by every worker; each worker
 *     claims the next index with Atomics.add, so a worker that draws a 2 GB file does not hold up
 *     the small files queued behind it (no static batches, no size pre-scan).
 *     `expects[i]` is null or the cached [statKey, sha256] of paths[i], where statKey is
 *     "dev:ino:size:mtimeNs:ctimeNs" (see cache.ts for why these): when the file's lstat still gives
 *     that key, the cached digest is returned without reading the file.
 *   worker → main  { type: 'results', chunk, results: [index, result][] }  (every 256, 200 ms, or failure)
 *                  { type: 'done', chunk }                                  (no index left to claim)
 *   A result is { ok: true, sha256, bytes, cached, stat } (stat: the file's statKey)
 *            or { ok: false, reason: 'io' | 'not-regular' | 'changed', code, syscall, message }.
 *
 * Reads: files up to one chunk are read with readSync (fewest syscalls for many small files);
 * larger files are read with two 4 MiB buffers in turn, the next read running on the libuv pool
 * while the current buffer is hashed, so disk and CPU overlap. Memory per worker: 8 MiB.
 */
export const WORKER_SOURCE = String.raw`
'use strict';
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const { createHash } = require('node:crypto');

const CHUNK = 4 * 1024 * 1024;
const FLUSH_EVERY = 256;
const buffers = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
// O_NOFOLLOW: a path swapped for a symlink after the walk is refused (ELOOP), not followed.
// O_NONBLOCK: a path swapped for a FIFO opens at once (and fails the isFile check) instead of
// waiting forever for a writer. Neither changes how a regular file is read.
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW || 0) | (fs.constants.O_NONBLOCK || 0);

function statKey(stats) {
  return stats.dev + ':' + stats.ino + ':' + stats.size + ':' + stats.mtimeNs + ':' + stats.ctimeNs;
}

function readAt(fd, buffer, position) {
  return new Promise((resolve, reject) => {
    fs.read(fd, buffer, 0, buffer.length, position, (error, bytesRead) => {
      if (error) reject(error);
      else resolve(bytesRead);
    });
  });
}

async function hashOne(path, expect) {
  if (expect) {
    // A missing file is not an error here: the open below reports it with its errno.
    const stats = fs.lstatSync(path, { bigint: true, throwIfNoEntry: false });
    if (stats && stats.isFile() && statKey(stats) === expect[0]) {
      return { ok: true, sha256: expect[1], bytes: Number(stats.size), cached: true, stat: expect[0] };
    }
  }
  const fd = fs.openSync(path, OPEN_FLAGS);
  try {
    const before = fs.fstatSync(fd, { bigint: true });
    if (!before.isFile()) return { ok: false, reason: 'not-regular', message: 'not a regular file' };
    const hash = createHash('sha256');
    let size = 0;
    if (before.size <= BigInt(CHUNK)) {
      for (;;) {
        const bytesRead = fs.readSync(fd, buffers[0], 0, CHUNK, size);
        if (bytesRead === 0) break;
        hash.update(buffers[0].subarray(0, bytesRead));
        size += bytesRead;
      }
    } else {
      let current = 0;
      let pending = readAt(fd, buffers[0], 0);
      for (;;) {
        const bytesRead = await pending;
        if (bytesRead === 0) break;
        const filled = buffers[current];
        current ^= 1;
        size += bytesRead;
        pending = readAt(fd, buffers[current], size);
        hash.update(filled.subarray(0, bytesRead));
      }
    }
    const after = fs.fstatSync(fd, { bigint: true });
    const unchanged =
      after.size === BigInt(size) &&
      after.mtimeNs === before.mtimeNs &&
      after.ctimeNs === before.ctimeNs &&
      after.ino === before.ino;
    if (!unchanged) return { ok: false, reason: 'changed', message: 'the file changed while it was being hashed' };
    return { ok: true, sha256: hash.digest('hex'), bytes: size, cached: false, stat: statKey(after) };
  } finally {
    fs.closeSync(fd);
  }
}

async function runChunk(message) {
  const { chunk, counter, paths, expects } = message;
  let pending = [];
  let flushedAt = Date.now();
  for (;;) {
    const index = Atomics.add(counter, 0, 1);
    if (index >= paths.length) break;
    let result;
    try {
      result = await hashOne(paths[index], expects[index]);
    } catch (error) {
      result = {
        ok: false,
        reason: 'io',
        code: error && typeof error.code === 'string' ? error.code : undefined,
        syscall: error && typeof error.syscall === 'string' ? error.syscall : undefined,
        message: error && typeof error.message === 'string' ? error.message : String(error),
      };
    }
    pending.push([index, result]);
    // A failure goes out at once: the main thread then stops every worker claiming more files.
    // Otherwise results go out in batches, and at least every 200 ms for progress reports.
    if (pending.length >= FLUSH_EVERY || !result.ok || Date.now() - flushedAt > 200) {
      parentPort.postMessage({ type: 'results', chunk, results: pending });
      pending = [];
      flushedAt = Date.now();
    }
  }
  if (pending.length > 0) parentPort.postMessage({ type: 'results', chunk, results: pending });
  parentPort.postMessage({ type: 'done', chunk });
}

// Chunks are worked through one at a time: the two read buffers are shared.
let queue = Promise.resolve();
parentPort.on('message', (message) => {
  queue = queue.then(() => runChunk(message));
});
`;
