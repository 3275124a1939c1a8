import { createRequire as __modelLedgerCreateRequire } from 'node:module';
import { dirname as __modelLedgerPathDirname } from 'node:path';
import { fileURLToPath as __modelLedgerFileURLToPath } from 'node:url';
const require = __modelLedgerCreateRequire(import.meta.url);
const __modelLedgerFilename = __modelLedgerFileURLToPath(import.meta.url);
const __modelLedgerDirname = __modelLedgerPathDirname(__modelLedgerFilename);
import {
  compareBytewise,
  silentLogger
} from "./chunk-FBKVKE4J.js";
import {
  isPlainObject,
  record_v1_schema_default,
  sha256Hex
} from "./chunk-K46IQGOZ.js";
import {
  LedgerError,
  describeError,
  errnoCode
} from "./chunk-ICUNJ6NG.js";

// src/hash/cache.ts
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
var CACHE_FILE = "digests-v1.txt";
var HEADER = "model-ledger digest cache v1";
var MAX_ENTRIES = 25e4;
var DEFAULT_RACY_WINDOW_MS = 2e3;
var REFRESH_USED_SECONDS = 24 * 3600;
var LINE = /^([0-9a-f]{64}) ([0-9]{1,12}) (-?[0-9]{1,30}:-?[0-9]{1,30}:[0-9]{1,30}:-?[0-9]{1,30}:-?[0-9]{1,30}) (\/.*)$/;
function defaultCacheDir(env) {
  const xdg = env["XDG_CACHE_HOME"];
  if (xdg && xdg.startsWith("/")) return join(xdg, "model-ledger");
  return join(env["HOME"] || homedir(), ".cache", "model-ledger");
}
var DigestCache = class _DigestCache {
  constructor(dir, entries, loadedVersion, log, racyWindowNs) {
    this.dir = dir;
    this.entries = entries;
    this.loadedVersion = loadedVersion;
    this.log = log;
    this.racyWindowNs = racyWindowNs;
  }
  dir;
  entries;
  loadedVersion;
  log;
  racyWindowNs;
  stats = { hits: 0, stored: 0 };
  changed = /* @__PURE__ */ new Map();
  /** Loads the cache of `dir`; a missing cache is empty, a malformed one is reported and ignored. */
  static async open(dir, options = {}) {
    const log = options.log ?? silentLogger;
    const { entries, version } = await readEntries(join(dir, CACHE_FILE), log);
    const windowMs = options.racyWindowMs ?? DEFAULT_RACY_WINDOW_MS;
    return new _DigestCache(
      dir,
      entries,
      version,
      log,
      BigInt(Math.max(0, Math.round(windowMs))) * 1000000n
    );
  }
  /** What the worker should compare the file's lstat with, or null when nothing is known. */
  lookup(path) {
    const entry = this.entries.get(path);
    return entry ? [entry.stat, entry.sha256] : null;
  }
  /**
   * Notes a digest just computed (or reused, `cached`). `startedAtNs` is the wall-clock time (ns)
   * at which hashing began: files changed within the racy window before it are not kept.
   */
  record(path, sha256, stat2, cached, startedAtNs) {
    const now = Number(startedAtNs / 1000000000n);
    if (cached) {
      this.stats.hits++;
      const entry = this.entries.get(path);
      if (entry && now - entry.usedAt > REFRESH_USED_SECONDS) this.keep(path, { ...entry, usedAt: now });
      return;
    }
    if (/[\n\r]/.test(path)) return;
    const parts = stat2.split(":");
    const newest = [BigInt(parts[3]), BigInt(parts[4])].reduce((a, b) => a > b ? a : b);
    if (startedAtNs - newest <= this.racyWindowNs) return;
    this.stats.stored++;
    this.keep(path, { sha256, usedAt: now, stat: stat2 });
  }
  keep(path, entry) {
    this.entries.set(path, entry);
    this.changed.set(path, entry);
  }
  /**
   * Writes the cache when this run changed it, merged with whatever another run saved meanwhile,
   * atomically (temporary file + rename). A cache that cannot be written costs speed, not
   * correctness: it is reported as a warning.
   */
  async save() {
    if (this.changed.size === 0) return;
    const file = join(this.dir, CACHE_FILE);
    const temporary = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    try {
      await mkdir(this.dir, { recursive: true, mode: 448 });
      let merged = this.entries;
      if (await fileVersion(file) !== this.loadedVersion) {
        merged = (await readEntries(file, this.log)).entries;
        for (const [path, entry] of this.changed) merged.set(path, entry);
      }
      let kept = merged;
      if (merged.size > MAX_ENTRIES)
        kept = [...merged].sort((a, b) => b[1].usedAt - a[1].usedAt).slice(0, MAX_ENTRIES);
      const lines = [HEADER];
      for (const [path, entry] of kept) lines.push(`${entry.sha256} ${entry.usedAt} ${entry.stat} ${path}`);
      await writeFile(temporary, `${lines.join("\n")}
`, { mode: 384 });
      await rename(temporary, file);
      this.changed.clear();
    } catch (error) {
      await rm(temporary, { force: true });
      this.log.warn(`digest cache ${file} not saved (${describeError(error)}); the next run hashes again`);
    }
  }
};
async function fileVersion(file) {
  try {
    const info = await stat(file, { bigint: true });
    return `${info.size}:${info.mtimeNs}:${info.ino}`;
  } catch (error) {
    if (errnoCode(error) === "ENOENT") return "missing";
    throw error;
  }
}
async function readEntries(file, log) {
  const entries = /* @__PURE__ */ new Map();
  let text;
  let version;
  try {
    version = await fileVersion(file);
    if (version === "missing") return { entries, version };
    text = await readFile(file, "utf8");
  } catch (error) {
    log.warn(`digest cache ${file} unreadable (${describeError(error)}); ignored`);
    return { entries, version: "unreadable" };
  }
  const lines = text.split("\n");
  if (lines[0] !== HEADER) {
    log.warn(`digest cache ${file} is not a model-ledger cache (first line); ignored and rewritten`);
    return { entries, version };
  }
  for (let index = 1; index < lines.length; index++) {
    const line = lines[index];
    if (line === "") continue;
    const match = LINE.exec(line);
    if (!match) {
      log.warn(`digest cache ${file} line ${index + 1} is malformed; the cache is ignored and rewritten`);
      return { entries: /* @__PURE__ */ new Map(), version };
    }
    entries.set(match[4], {
      sha256: match[1],
      usedAt: Number(match[2]),
      stat: match[3]
    });
  }
  return { entries, version };
}

// src/hash/manifest.ts
var MANIFEST_INLINE_LIMIT = 64 * 1024;
function recipeProblem(path) {
  if (path === "-")
    return 'a file named "-" at the top of the directory is read by sha256sum as its standard input';
  if (/[\n\r\\]/.test(path))
    return "file name contains a newline, carriage return or backslash, which sha256sum escapes";
  return null;
}
function buildManifest(lines) {
  for (const line of lines) {
    const problem = recipeProblem(line.path);
    if (problem) {
      throw new LedgerError("HASH", problem, {
        file: JSON.stringify(line.path).slice(1, -1),
        fix: "rename the file: the digest must be recomputable with the coreutils recipe in the README"
      });
    }
  }
  const text = lines.map((line) => `${line.sha256}  ${line.path}
`).join("");
  return { text, digest: sha256Hex(text) };
}
function manifestRef(manifest, attach) {
  if (Buffer.byteLength(manifest.text) <= MANIFEST_INLINE_LIMIT) {
    return { sha256: manifest.digest, inline: manifest.text };
  }
  const stored = `${manifest.digest}.manifest.txt`;
  attach(stored, manifest.text);
  return { sha256: manifest.digest, stored };
}

// src/hash/pool.ts
import { lstatSync } from "node:fs";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

// src/hash/inline.ts
import { createRequire } from "node:module";

// src/hash/worker-source.ts
var WORKER_SOURCE = String.raw`
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

// src/hash/inline.ts
var InlineHasher = class {
  listeners = [];
  constructor(receive) {
    const port = {
      on: (event, listener) => {
        if (event === "message") this.listeners.push(listener);
      },
      postMessage: (message) => queueMicrotask(() => receive(message))
    };
    const nodeRequire = createRequire(import.meta.url);
    const require2 = (id) => id === "node:worker_threads" ? { parentPort: port } : nodeRequire(id);
    new Function("require", WORKER_SOURCE)(require2);
  }
  postMessage(message) {
    queueMicrotask(() => {
      for (const listener of this.listeners) listener(message);
    });
  }
  terminate() {
    return Promise.resolve(0);
  }
};

// src/hash/pool.ts
var CHUNK_FILES = 4096;
var CHUNKS_IN_FLIGHT = 2;
var WORKER_YOUNG_GENERATION_MB = 4;
var INLINE_LIMITS = { files: 16, bytes: 16 * 1024 * 1024 };
var HashPool = class {
  size;
  inlineLimits;
  workers = [];
  inline;
  chunks = /* @__PURE__ */ new Map();
  nextChunk = 0;
  failure;
  failed = [];
  closed = false;
  constructor(options = {}) {
    const requested = options.concurrency ?? availableParallelism();
    if (!Number.isInteger(requested) || requested < 1) {
      throw new LedgerError("USAGE", `hash concurrency must be a positive integer, not ${requested}`, {
        field: "concurrency"
      });
    }
    this.size = requested;
    this.inlineLimits = options.inline ?? (options.concurrency === void 0 ? INLINE_LIMITS : false);
  }
  /**
   * Hashes every job; outcomes come back in job order. Errors of single files are outcomes, not
   * throws; after the first one no further file is started, so some outcomes may be missing
   * (undefined) — callers report the failure.
   */
  async run(jobs, onProgress) {
    if (this.closed) throw new LedgerError("HASH", "the hash pool was already closed");
    if (jobs.length === 0) return [];
    let targets;
    if (this.workers.length === 0 && this.small(jobs)) {
      this.inline ??= new InlineHasher((message) => this.receive(message));
      targets = [this.inline];
    } else {
      this.start(Math.min(this.size, jobs.length));
      targets = this.workers;
    }
    const outcomes = new Array(jobs.length);
    const starts = [];
    for (let offset = 0; offset < jobs.length; offset += CHUNK_FILES) starts.push(offset);
    let next = 0;
    const run = { failed: false, active: /* @__PURE__ */ new Set(), done: 0, bytes: 0, progress: onProgress };
    const runOne = async () => {
      while (next < starts.length && !run.failed) {
        const offset = starts[next++];
        const slice = jobs.slice(offset, offset + CHUNK_FILES);
        const chunkOutcomes = await this.runChunk(slice, run, targets);
        chunkOutcomes.forEach((outcome, index) => outcomes[offset + index] = outcome);
      }
    };
    await Promise.all(Array.from({ length: Math.min(CHUNKS_IN_FLIGHT, starts.length) }, runOne));
    return outcomes;
  }
  /** Stops the workers. Safe to call twice. */
  async close() {
    this.closed = true;
    const workers = this.workers;
    this.workers = [];
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  /** Whether a run is within the inline limits; a path that cannot be stat'ed counts as empty. */
  small(jobs) {
    const limits = this.inlineLimits;
    if (limits === false || jobs.length > limits.files) return false;
    let bytes = 0;
    for (const job of jobs) {
      try {
        const stats = lstatSync(job.path, { throwIfNoEntry: false });
        if (stats?.isFile()) bytes += stats.size;
      } catch {
      }
      if (bytes > limits.bytes) return false;
    }
    return true;
  }
  start(count) {
    while (this.workers.length < count) {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        name: "model-ledger-hash",
        // A worker's objects are small and short-lived: a small young generation keeps its RSS low
        // (measured: peak RSS of a 20,000-file run 160 → 138 MB) and costs no time.
        resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB }
      });
      worker.on("message", (message) => this.receive(message));
      worker.on("error", (error) => this.fail(error));
      worker.on("exit", (code) => {
        if (!this.closed) this.fail(new Error(`exited with code ${code}`));
      });
      this.workers.push(worker);
    }
  }
  runChunk(jobs, run, targets) {
    if (this.failure) return Promise.reject(this.failure);
    const chunk = this.nextChunk++;
    const counter = new Int32Array(new SharedArrayBuffer(4));
    const paths = jobs.map((job) => job.path);
    const expects = jobs.map((job) => job.expect ?? null);
    return new Promise((resolve, reject) => {
      const onFailure = (error) => reject(error);
      this.failed.push(onFailure);
      const claim = { counter, length: jobs.length };
      run.active.add(claim);
      const state = {
        outcomes: new Array(jobs.length),
        run,
        workers: targets.length,
        workersDone: 0,
        finish: () => {
          run.active.delete(claim);
          this.failed = this.failed.filter((entry) => entry !== onFailure);
          this.chunks.delete(chunk);
          resolve(state.outcomes);
        }
      };
      this.chunks.set(chunk, state);
      for (const worker of targets) worker.postMessage({ type: "chunk", chunk, counter, paths, expects });
    });
  }
  receive(message) {
    const state = this.chunks.get(message.chunk);
    if (!state) return;
    if (message.type === "results") {
      for (const [index, outcome] of message.results) {
        state.outcomes[index] = outcome;
        state.run.done++;
        if (outcome.ok) state.run.bytes += outcome.bytes;
        if (!outcome.ok && !state.run.failed) {
          state.run.failed = true;
          for (const claim of state.run.active) Atomics.store(claim.counter, 0, claim.length);
        }
      }
      state.run.progress?.(state.run.done, state.run.bytes);
      return;
    }
    state.workersDone++;
    if (state.workersDone === state.workers) state.finish();
  }
  fail(cause) {
    if (this.failure) return;
    this.failure = new LedgerError(
      "HASH",
      `a hashing worker stopped unexpectedly (${describeError(cause)})`,
      {
        cause,
        fix: "run again; if it persists, run with --debug and report the output"
      }
    );
    const waiting = this.failed;
    this.failed = [];
    waiting.forEach((reject) => reject(this.failure));
  }
};

// src/hash/tree.ts
import { readdir, realpath } from "node:fs/promises";
import { join as join2, sep } from "node:path";
var PARALLEL_LISTINGS = 8;
var utf8 = new TextDecoder("utf-8", { fatal: true });
async function listTree(directory, display) {
  let root;
  try {
    root = await realpath(directory);
  } catch (error) {
    const missing = errnoCode(error) === "ENOENT";
    throw new LedgerError(
      "BAD_INPUT",
      missing ? "directory not found" : `cannot open directory (${describeError(error)})`,
      {
        file: display,
        cause: error,
        fix: missing ? "check the path, relative to the repository root" : "check the directory permissions"
      }
    );
  }
  const files = [];
  const symlinks = [];
  const shown = (relative) => relative ? `${display.replace(/\/+$/, "")}/${relative}` : display;
  const visit = async (relativeDir) => {
    const absoluteDir = relativeDir ? `${root === sep ? "" : root}/${relativeDir}` : root;
    let entries;
    try {
      entries = await readdir(absoluteDir, { withFileTypes: true });
    } catch (error) {
      throw new LedgerError("HASH", `cannot list directory (${describeError(error)})`, {
        file: shown(relativeDir),
        cause: error,
        fix: "make the directory readable by the user running model-ledger, or leave it out"
      });
    }
    const subdirectories = [];
    for (const entry of entries) {
      const name = entry.name;
      if (name.includes("\uFFFD")) await checkUtf8Names(absoluteDir, shown(relativeDir));
      if (/[\n\r\\]/.test(name)) {
        throw new LedgerError("HASH", "file name contains a newline, carriage return or backslash", {
          file: `${shown(relativeDir)}/${JSON.stringify(name).slice(1, -1)}`,
          fix: "rename the file: sha256sum escapes such names, so the manifest could not be recomputed with coreutils"
        });
      }
      const relative = relativeDir ? `${relativeDir}/${name}` : name;
      if (entry.isDirectory()) {
        subdirectories.push(relative);
      } else if (entry.isFile()) {
        files.push({ relative, absolute: `${absoluteDir === sep ? "" : absoluteDir}/${name}` });
      } else if (entry.isSymbolicLink()) {
        await checkSymlink(root, join2(absoluteDir, name), shown(relative));
        symlinks.push(relative);
      } else {
        throw new LedgerError("HASH", `is ${specialKind(entry)}, not a regular file`, {
          file: shown(relative),
          fix: "only regular files (and symlinks within the directory) can be recorded; move it out of the directory"
        });
      }
    }
    return subdirectories;
  };
  const limit = limiter(PARALLEL_LISTINGS);
  const walk = async (relativeDir) => {
    const subdirectories = await limit(() => visit(relativeDir));
    await Promise.all(subdirectories.map(walk));
  };
  await walk("");
  files.sort((a, b) => compareBytewise(a.relative, b.relative));
  symlinks.sort(compareBytewise);
  return { root, files, symlinks };
}
async function checkUtf8Names(directory, parent) {
  const raw = await readdir(directory, { encoding: "buffer" });
  for (const name of raw) {
    try {
      utf8.decode(name);
    } catch (error) {
      const readable = [...name].map(
        (byte) => byte >= 32 && byte < 127 ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, "0")}`
      ).join("");
      throw new LedgerError("HASH", "file name is not valid UTF-8", {
        file: `${parent}/${readable}`,
        cause: error,
        fix: "rename the file with a UTF-8 name; manifests name files in UTF-8"
      });
    }
  }
}
async function checkSymlink(root, absolute, shownPath) {
  let target;
  try {
    target = await realpath(absolute);
  } catch (error) {
    throw new LedgerError("HASH", `symlink leads nowhere (${describeError(error)})`, {
      file: shownPath,
      cause: error,
      fix: "remove the broken symlink or restore its target"
    });
  }
  if (target !== root && !target.startsWith(root + sep)) {
    throw new LedgerError("HASH", `symlink leaves the directory (it points to ${target})`, {
      file: shownPath,
      fix: "copy the target into the directory, or record the target directory itself"
    });
  }
}
function specialKind(entry) {
  if (entry.isFIFO()) return "a FIFO";
  if (entry.isSocket()) return "a socket";
  if (entry.isBlockDevice()) return "a block device";
  if (entry.isCharacterDevice()) return "a character device";
  return "of an unknown file type";
}
function limiter(count) {
  let running = 0;
  const waiting = [];
  return async (task) => {
    if (running >= count) await new Promise((resolve) => waiting.push(resolve));
    running++;
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

// src/hash/index.ts
var PROGRESS_INTERVAL_MS = 250;
async function hashFiles(files, settings = {}) {
  const log = settings.log ?? silentLogger;
  const cache = settings.noCache ? null : await DigestCache.open(settings.cacheDir ?? defaultCacheDir(process.env), {
    log,
    ...settings.racyWindowMs === void 0 ? {} : { racyWindowMs: settings.racyWindowMs }
  });
  const startedAtNs = wallClockNs();
  const pool = settings.pool ?? new HashPool(settings.concurrency === void 0 ? {} : { concurrency: settings.concurrency });
  let outcomes;
  try {
    let last = 0;
    const report = settings.onProgress;
    const progress = report ? (done, bytes) => {
      const now = performance.now();
      if (now - last < PROGRESS_INTERVAL_MS && done < files.length) return;
      last = now;
      report({ files: done, total: files.length, bytes });
    } : void 0;
    outcomes = await pool.run(
      files.map((file) => ({ path: file.absolute, expect: cache?.lookup(file.absolute) ?? null })),
      progress
    );
  } finally {
    if (!settings.pool) await pool.close();
  }
  const failure = outcomes.findIndex((outcome) => outcome !== void 0 && !outcome.ok);
  if (failure !== -1) {
    throw outcomeError(
      outcomes[failure],
      files[failure].display
    );
  }
  const hashed = [];
  const stats = { files: files.length, bytes: 0, fromCache: 0 };
  for (let index = 0; index < files.length; index++) {
    const file = files[index];
    const outcome = outcomes[index];
    if (!outcome?.ok)
      throw new LedgerError("HASH", "no digest came back for the file", { file: file.display });
    cache?.record(file.absolute, outcome.sha256, outcome.stat, outcome.cached, startedAtNs);
    hashed.push({
      display: file.display,
      sha256: outcome.sha256,
      size: outcome.bytes,
      cached: outcome.cached
    });
    stats.bytes += outcome.bytes;
    if (outcome.cached) stats.fromCache++;
  }
  await cache?.save();
  return { files: hashed, stats };
}
async function hashDirectory(directory, display, settings = {}) {
  const listing = await listTree(directory, display);
  if (listing.files.length === 0) {
    throw new LedgerError("BAD_INPUT", "directory holds no regular file", {
      file: display,
      fix: "check the path, or fetch the data (e.g. `dvc pull`) before recording"
    });
  }
  const prefix = display.replace(/\/+$/, "");
  const { files, stats } = await hashFiles(
    listing.files.map((file) => ({ absolute: file.absolute, display: `${prefix}/${file.relative}` })),
    settings
  );
  const entries = files.map((file, index) => ({
    path: listing.files[index].relative,
    sha256: file.sha256,
    size: file.size
  }));
  return {
    manifest: buildManifest(entries),
    files: entries,
    size: entries.reduce((total, entry) => total + entry.size, 0),
    symlinks: listing.symlinks,
    stats
  };
}
function wallClockNs() {
  const wall = Date.now();
  const precise = performance.timeOrigin + performance.now();
  return BigInt(Math.round((Math.abs(precise - wall) < 1 ? precise : wall) * 1e6));
}
function outcomeError(outcome, display) {
  if (outcome.reason === "changed") {
    return new LedgerError("HASH", "the file changed while it was being hashed", {
      file: display,
      fix: "record once whatever writes the file has finished"
    });
  }
  if (outcome.reason === "not-regular" || outcome.code === "ELOOP") {
    return new LedgerError("HASH", "is not a regular file", {
      file: display,
      fix: "name regular files; symlinks and special files are not recorded"
    });
  }
  if (outcome.code === "EACCES" || outcome.code === "EPERM") {
    return new LedgerError("HASH", `file is unreadable (${outcome.code})`, {
      file: display,
      fix: "make the file readable by the user running model-ledger, or move it out of what is recorded"
    });
  }
  if (outcome.code === "ENOENT") {
    return new LedgerError("HASH", "the file disappeared while it was being hashed", {
      file: display,
      fix: "record once whatever writes the directory has finished"
    });
  }
  return new LedgerError("HASH", `cannot read file (${outcome.message})`, {
    file: display,
    fix: "check the file and the disk, then run again"
  });
}
function hashSettingsFor(options, env, log, pool) {
  return {
    log,
    ...options.noCache ? { noCache: true } : { cacheDir: options.cacheDir ?? defaultCacheDir(env) },
    ...options.concurrency === void 0 ? {} : { concurrency: options.concurrency },
    ...options.onProgress ? { onProgress: options.onProgress } : {},
    ...pool ? { pool } : {}
  };
}

// src/policy/paths.ts
var FIELD = /^[A-Za-z_][A-Za-z0-9_-]*/;
function parsePath(path) {
  const steps = [];
  let rest = path;
  while (rest !== "") {
    const field = FIELD.exec(rest);
    if (!field) return `"${path}" is not a dotted path: expected a field name at "${rest}"`;
    steps.push({ kind: "field", name: field[0] });
    rest = rest.slice(field[0].length);
    for (let index = /^\[(\*|\d+)\]/.exec(rest); index; index = /^\[(\*|\d+)\]/.exec(rest)) {
      steps.push(index[1] === "*" ? { kind: "each" } : { kind: "item", index: Number(index[1]) });
      rest = rest.slice(index[0].length);
    }
    if (rest.startsWith(".")) {
      rest = rest.slice(1);
      if (rest === "") return `"${path}" ends with a dot`;
    } else if (rest !== "") {
      return `"${path}" is not a dotted path: unexpected "${rest}" (write field.field, list[*] or list[0])`;
    }
  }
  return steps;
}
function formatPath(steps) {
  let out = "";
  for (const step of steps) {
    if (step.kind === "field") out += out === "" ? step.name : `.${step.name}`;
    else out += step.kind === "each" ? "[*]" : `[${step.index}]`;
  }
  return out;
}
var PREDICATE = record_v1_schema_default.$defs?.["predicate"];
var OUTSIDE_POLICY = /* @__PURE__ */ new Set(["chain", "policy"]);
function alternatives(schema) {
  if (schema.$ref) {
    const name = schema.$ref.replace("#/$defs/", "");
    const target = record_v1_schema_default.$defs?.[name];
    return target ? alternatives(target) : [];
  }
  if (schema.anyOf) return schema.anyOf.flatMap(alternatives);
  return schema.type === "null" ? [] : [schema];
}
function isList(schema) {
  return schema.type === "array" || schema.items !== void 0;
}
function checkPathAgainstRecord(steps) {
  const first = steps[0];
  if (first?.kind === "field" && OUTSIDE_POLICY.has(first.name)) {
    return `a policy cannot require "${first.name}": it is written after the policy is checked`;
  }
  let schemas = [PREDICATE];
  for (let position = 0; position < steps.length; position++) {
    const step = steps[position];
    const here = formatPath(steps.slice(0, position)) || "the record";
    const options = schemas.flatMap(alternatives);
    if (step.kind !== "field") {
      const lists = options.filter(isList);
      if (lists.length === 0)
        return `${here} is not a list, so it has no ${step.kind === "each" ? "[*]" : `[${step.index}]`}`;
      schemas = lists.map((schema) => schema.items ?? {});
      continue;
    }
    if (options.some(isList) && !options.some((schema) => schema.properties)) {
      return `${here} is a list: write ${here}[*].${step.name} to require it of every item`;
    }
    const next = [];
    for (const schema of options) {
      const declared = schema.properties && Object.hasOwn(schema.properties, step.name) ? schema.properties[step.name] : void 0;
      if (declared) next.push(declared);
      else if (typeof schema.additionalProperties === "object") next.push(schema.additionalProperties);
      else if (schema.additionalProperties !== false) return void 0;
    }
    if (next.length === 0) {
      return `${here} has no field "${step.name}"${suggestion(options, steps.slice(0, position), step.name)}`;
    }
    schemas = next;
  }
  return void 0;
}
function suggestion(options, before, name) {
  const known = options.flatMap((schema) => Object.keys(schema.properties ?? {}));
  const freeForm = options.flatMap(
    (schema) => Object.entries(schema.properties ?? {}).filter(
      ([, child]) => child.$ref ? alternatives(child).some(
        (target) => target.additionalProperties === void 0 && target.type === "object"
      ) : false
    ).map(([field]) => formatPath([...before, { kind: "field", name: field }, { kind: "field", name }]))
  );
  const hint = freeForm.length > 0 ? `; did you mean ${freeForm.join(" or ")}?` : "";
  return ` (it has ${known.join(", ")})${hint}`;
}
function resolvePath(root, steps) {
  let places = [{ at: "", value: root }];
  for (const step of steps) {
    const next = [];
    for (const place of places) {
      if (place.value === void 0 || place.value === null) {
        next.push(place);
        continue;
      }
      if (step.kind === "field") {
        const value = isPlainObject(place.value) && Object.hasOwn(place.value, step.name) ? place.value[step.name] : void 0;
        next.push({ at: place.at === "" ? step.name : `${place.at}.${step.name}`, value });
      } else if (!Array.isArray(place.value)) {
        next.push({ at: place.at, value: void 0 });
      } else if (step.kind === "item") {
        next.push({ at: `${place.at}[${step.index}]`, value: place.value[step.index] });
      } else {
        place.value.forEach((value, index) => next.push({ at: `${place.at}[${index}]`, value }));
      }
    }
    places = next;
  }
  return places;
}
function isPresent(value) {
  if (value === void 0 || value === null) return false;
  if (typeof value === "string") return value.trim() !== "";
  if (Array.isArray(value)) return value.length > 0;
  if (isPlainObject(value)) return Object.keys(value).length > 0;
  return true;
}

// src/lockfiles/purl.ts
var HEX = "0123456789ABCDEF";
var UNRESERVED = /^[A-Za-z0-9._~:-]*$/;
var QUALIFIER_KEY = /^[A-Za-z._-][A-Za-z0-9._-]*$/;
function encode(value) {
  if (UNRESERVED.test(value)) return value;
  let out = "";
  for (const byte of new TextEncoder().encode(value)) {
    const ch = String.fromCharCode(byte);
    if (byte < 128 && UNRESERVED.test(ch)) {
      out += ch;
    } else {
      out += `%${HEX[byte >> 4] ?? ""}${HEX[byte & 15] ?? ""}`;
    }
  }
  return out;
}
function segments(path, subpath) {
  return path.split("/").filter((segment) => segment !== "" && !(subpath && (segment === "." || segment === "..")));
}
function normalise(parts) {
  switch (parts.type) {
    case "pypi":
      return { namespace: parts.namespace, name: parts.name.toLowerCase().replaceAll("_", "-") };
    case "golang":
      return { namespace: parts.namespace?.toLowerCase(), name: parts.name.toLowerCase() };
    case "conda":
      return { namespace: parts.namespace, name: parts.name.toLowerCase() };
    default:
      return { namespace: parts.namespace, name: parts.name };
  }
}
function formatPurl(parts) {
  const { namespace, name } = normalise(parts);
  if (name === "") throw new LedgerError("BAD_INPUT", `a ${parts.type} package URL needs a name`);
  let out = `pkg:${parts.type}/`;
  const spaces = namespace === void 0 ? [] : segments(namespace, false);
  if (spaces.length > 0) out += `${spaces.map(encode).join("/")}/`;
  out += encode(name);
  if (parts.version !== "") out += `@${encode(parts.version)}`;
  const qualifiers = Object.entries(parts.qualifiers ?? {}).filter((entry) => entry[1] !== void 0 && entry[1] !== "").map(([key, value]) => {
    if (!QUALIFIER_KEY.test(key)) {
      throw new LedgerError("BAD_INPUT", `${JSON.stringify(key)} is not a valid package URL qualifier key`);
    }
    return [key.toLowerCase(), value];
  }).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0);
  if (qualifiers.length > 0)
    out += `?${qualifiers.map(([key, value]) => `${key}=${encode(value)}`).join("&")}`;
  const path = parts.subpath === void 0 ? [] : segments(parts.subpath, true);
  if (path.length > 0) out += `#${path.map(encode).join("/")}`;
  return out;
}
function normalizePypiName(name) {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}
function splitNpmName(name) {
  if (name.startsWith("@")) {
    const slash = name.indexOf("/");
    if (slash > 1) return { namespace: name.slice(0, slash), name: name.slice(slash + 1) };
  }
  return { name };
}
function npmPurl(name, version, qualifiers) {
  const split = splitNpmName(name);
  return formatPurl({ type: "npm", ...split, version, qualifiers });
}
function pypiPurl(name, version, qualifiers) {
  return formatPurl({ type: "pypi", name, version, qualifiers });
}
function condaPurl(name, version, qualifiers) {
  return formatPurl({ type: "conda", name, version, qualifiers });
}
function cargoPurl(name, version, qualifiers) {
  return formatPurl({ type: "cargo", name, version, qualifiers });
}
function golangPurl(modulePath, version) {
  const slash = modulePath.lastIndexOf("/");
  return slash === -1 ? formatPurl({ type: "golang", name: modulePath, version }) : formatPurl({
    type: "golang",
    namespace: modulePath.slice(0, slash),
    name: modulePath.slice(slash + 1),
    version
  });
}
function withoutCredentials(url) {
  return url.replace(/^((?:[a-z][a-z0-9.-]*\+)?[a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, "$1");
}

// src/policy/rules/result.ts
function passed(rule, meta, text, level = meta.level) {
  return { rule, level, outcome: "pass", message: text };
}
function failed(rule, meta, detail, level = meta.level) {
  return { rule, level, outcome: "fail", message: meta.message ? `${meta.message} (${detail})` : detail };
}
function deferred(rule, meta, why) {
  return { rule, level: meta.level, outcome: "deferred", message: why };
}
function listed(items, max = 5) {
  const shown = items.slice(0, max).join(", ");
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}
function plural(count, one, many = `${one}s`) {
  return `${count} ${count === 1 ? one : many}`;
}

// src/policy/rules/dependencies.ts
function evaluateDependencies(rule, subject) {
  const { lockfiles } = subject.dependencies;
  const results = [];
  if (rule.deny) {
    const deny = rule.deny;
    const found = [];
    for (const lockfile of lockfiles) {
      for (const pkg of lockfile.packages) {
        const parsed = parsePurl(pkg.purl);
        const denial = parsed && deny.find((denied) => deniedBy(denied, parsed));
        if (denial) found.push(`${pkg.purl} in ${lockfile.path} (denied by ${denial.source})`);
      }
    }
    const packages = lockfiles.reduce((sum, lockfile) => sum + lockfile.packages.length, 0);
    results.push(
      found.length === 0 ? passed(
        "dependencies.deny",
        rule,
        `none of ${plural(packages, "package")} in ${plural(lockfiles.length, "lockfile")} is denied`
      ) : failed(
        "dependencies.deny",
        rule,
        `denied ${found.length === 1 ? "package" : "packages"}: ${listed(found)}`
      )
    );
  }
  if (rule.requireLockfiles) {
    results.push(
      lockfiles.length > 0 ? passed(
        "dependencies.require-lockfiles",
        rule,
        `${plural(lockfiles.length, "lockfile")} recorded: ${listed(lockfiles.map((lockfile) => lockfile.path))}`
      ) : failed(
        "dependencies.require-lockfiles",
        rule,
        "the record has no lockfile, so its dependencies are not pinned \u2014 commit a lockfile (or name it with --lockfile)"
      )
    );
  }
  return results;
}
function deniedBy(denied, pkg) {
  return denied.type === pkg.type && denied.path === pkg.path && (denied.version === void 0 || denied.version === pkg.version);
}
var CASE_INSENSITIVE = /* @__PURE__ */ new Set(["npm", "github", "bitbucket", "pypi", "composer", "hex"]);
function parsePurl(purl) {
  const match = /^pkg:([A-Za-z][A-Za-z0-9.+-]*)\/+([^?#]+?)(?:@([^?#/]+))?(?:\?[^#]*)?(?:#.*)?$/.exec(purl);
  if (!match) return void 0;
  const type = match[1].toLowerCase();
  let segments2;
  let version;
  try {
    segments2 = match[2].split("/").filter((segment) => segment !== "").map((segment) => decodeURIComponent(segment));
    version = match[3] === void 0 ? void 0 : decodeURIComponent(match[3]);
  } catch {
    return void 0;
  }
  if (segments2.length === 0) return void 0;
  if (CASE_INSENSITIVE.has(type)) segments2 = segments2.map((segment) => segment.toLowerCase());
  if (type === "pypi") segments2 = segments2.map(normalizePypiName);
  return { type, path: segments2.join("/"), ...version === void 0 ? {} : { version } };
}

export {
  normalizePypiName,
  npmPurl,
  pypiPurl,
  condaPurl,
  cargoPurl,
  golangPurl,
  withoutCredentials,
  parsePath,
  checkPathAgainstRecord,
  resolvePath,
  isPresent,
  passed,
  failed,
  deferred,
  listed,
  plural,
  evaluateDependencies,
  parsePurl,
  buildManifest,
  manifestRef,
  HashPool,
  listTree,
  hashFiles,
  hashDirectory,
  hashSettingsFor
};
