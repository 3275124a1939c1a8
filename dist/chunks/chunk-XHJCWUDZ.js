import { createRequire as __modelLedgerCreateRequire } from 'node:module';
import { dirname as __modelLedgerPathDirname } from 'node:path';
import { fileURLToPath as __modelLedgerFileURLToPath } from 'node:url';
const require = __modelLedgerCreateRequire(import.meta.url);
const __modelLedgerFilename = __modelLedgerFileURLToPath(import.meta.url);
const __modelLedgerDirname = __modelLedgerPathDirname(__modelLedgerFilename);
import {
  TOOL_VERSION
} from "./chunk-KIVWQLOT.js";
import {
  isMissingFile,
  readBoundedFile
} from "./chunk-KZKQFOQH.js";
import {
  LedgerError,
  describeError
} from "./chunk-ICUNJ6NG.js";

// src/verify/verified-cache.ts
import { createHash } from "node:crypto";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
function defaultVerifiedCacheDir(env) {
  const base = env.XDG_CACHE_HOME || join(env.HOME || homedir(), ".cache");
  return join(base, "model-ledger", "verified");
}
var CACHE_VERSION = 1;
var MAX_ENTRY_BYTES = 256 * 1024 * 1024;
async function cachedVerification(store, records, options, cache, verify) {
  const dependsOnMore = options.anchors !== void 0 || options.policy !== void 0 || options.artifactsDir !== void 0;
  if (dependsOnMore || records.length === 0)
    return { verification: await verify(), fromCache: false, key: null };
  const key = await cacheKey(store, records, options);
  const file = entryFile(cache, store.location);
  if (!cache.reverify) {
    const entry = await readEntry(file, cache.log);
    if (entry?.version === CACHE_VERSION && entry.key === key)
      return { verification: entry.verification, fromCache: true, key };
  }
  const verification = await verify();
  if (records.some((record) => record.claim?.kind === "certificate"))
    return { verification, fromCache: false, key: null };
  await writeJson(file, { version: CACHE_VERSION, key, verification }, cache.log);
  return { verification, fromCache: false, key };
}
async function cachedView(cache, location, key, name, valid, compute) {
  const file = entryFile(cache, location, name);
  if (!cache.reverify) {
    const entry = await readJson(file, cache.log);
    const {
      version,
      key: stored,
      value: value2
    } = entry ?? {};
    if (version === CACHE_VERSION && stored === key && valid(value2)) return value2;
  }
  const value = compute();
  await writeJson(file, { version: CACHE_VERSION, key, value }, cache.log);
  return value;
}
function entryFile(cache, location, view) {
  return join(cache.dir, `${sha256(location)}${view === void 0 ? "" : `.${view}`}.json`);
}
async function cacheKey(store, records, options) {
  const keys = [...(await store.publicKeys()).entries()].sort(([a], [b]) => a < b ? -1 : 1);
  const checkpoint = await store.latestCheckpoint?.() ?? null;
  return sha256(
    JSON.stringify({
      version: CACHE_VERSION,
      tool: TOOL_VERSION,
      location: store.location,
      records: records.map(({ ref, sha256: digest }) => [ref.name, ref.index, digest]),
      keys,
      checkpoint: checkpoint ? [checkpoint.size, checkpoint.text] : null,
      trustedKeys: options.trustedKeys ?? null,
      identity: options.identity ?? null,
      origin: options.origin ?? null,
      partial: options.partial === true
    })
  );
}
async function readEntry(file, log) {
  const entry = await readJson(file, log);
  const ok = typeof entry === "object" && entry !== null && typeof entry.key === "string" && typeof entry.verification === "object" && Array.isArray(entry.verification?.records) && Array.isArray(entry.verification?.problems);
  return ok ? entry : null;
}
async function readJson(file, log) {
  let bytes;
  try {
    bytes = await readBoundedFile(file, MAX_ENTRY_BYTES, file, { code: "IO" });
  } catch (error) {
    if (isMissingFile(error)) return null;
    if (!(error instanceof LedgerError)) throw error;
    log?.debug(`verification cache ${file} not read (${error.message}): verifying`);
    return null;
  }
  try {
    return JSON.parse(bytes.toString("utf8"));
  } catch (error) {
    log?.debug(`verification cache ${file} is not JSON (${describeError(error)}): verifying`);
    return null;
  }
}
async function writeJson(file, value, log) {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await mkdir(join(file, ".."), { recursive: true, mode: 448 });
    await writeFile(temporary, JSON.stringify(value), { mode: 384 });
    await rename(temporary, file);
  } catch (error) {
    log?.debug(`verification cache ${file} not written (${describeError(error)})`);
  }
}
function sha256(data) {
  return createHash("sha256").update(data).digest("hex");
}

export {
  defaultVerifiedCacheDir,
  cachedVerification,
  cachedView
};
