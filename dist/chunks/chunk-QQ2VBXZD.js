import { createRequire as __modelLedgerCreateRequire } from 'node:module';
import { dirname as __modelLedgerPathDirname } from 'node:path';
import { fileURLToPath as __modelLedgerFileURLToPath } from 'node:url';
const require = __modelLedgerCreateRequire(import.meta.url);
const __modelLedgerFilename = __modelLedgerFileURLToPath(import.meta.url);
const __modelLedgerDirname = __modelLedgerPathDirname(__modelLedgerFilename);
import {
  cachedVerification
} from "./chunk-XHJCWUDZ.js";
import {
  readOnce
} from "./chunk-VGVNKUX2.js";
import {
  readStoredBundle
} from "./chunk-FBKVKE4J.js";
import {
  decodeStatement,
  parseBundleJson,
  sha256Hex
} from "./chunk-K46IQGOZ.js";

// src/report/load.ts
var SIGNATURE_PROBLEMS = /* @__PURE__ */ new Set([
  "CORRUPT",
  "BAD_SIGNATURE",
  "UNKNOWN_SIGNER",
  "SIGNER_CHANGED",
  "SCHEMA",
  "IDENTITY_MISMATCH",
  "SUBJECT_MISMATCH",
  "UNTRUSTED",
  "TLOG_MISMATCH"
]);
var CHAIN_PROBLEMS = /* @__PURE__ */ new Set([
  "MISNAMED",
  "ORIGIN",
  "FIRST_RECORD",
  "GAP",
  "FORK",
  "BROKEN_LINK",
  "EDITED"
]);
async function loadLedger(options) {
  const { cache, ...verifyOptions } = options;
  const store = readOnce(options.store);
  const files = /* @__PURE__ */ new Map();
  const factsOf = async (ref) => {
    let file = files.get(ref.name);
    if (!file) {
      file = new StoredFile(ref, await store.get(ref));
      files.set(ref.name, file);
    }
    return file;
  };
  const outcome = cache ? await verifyThroughCache(store, verifyOptions, cache, factsOf) : { verification: await verifyAll({ ...verifyOptions, store }), fromCache: false, key: null };
  const verification = outcome.verification;
  const summaries = new Map(verification.records.map((summary) => [summary.file, summary]));
  const problemsOf = problemLookup(verification.problems);
  const rows = [];
  for (const ref of await store.list()) {
    const file = await factsOf(ref);
    const summary = summaries.get(ref.name);
    const verified = summary?.verified ?? false;
    if (outcome.fromCache && summary?.verified) {
      rows.push(reusedRow(file, summary, store.locate(ref), problemsOf(ref.name, summary.index)));
      continue;
    }
    const statement = decodeUnverified(file.bytes, ref.name);
    const index = statement?.predicate.chain.index ?? summary?.index ?? ref.index;
    const problems = problemsOf(ref.name, index);
    rows.push({
      index,
      file: ref.name,
      location: store.locate(ref),
      ref,
      bundle: file.bytes,
      bundleSha256: file.sha256,
      statementSha256: summary?.statementSha256 ?? null,
      signer: verified ? summary?.signer ?? null : null,
      claimedSigner: file.claim,
      signingMode: statement?.predicate.signing.mode ?? null,
      recordedAt: statement?.predicate.recordedAt ?? null,
      signatureVerified: verified && !problems.some((problem) => SIGNATURE_PROBLEMS.has(problem.code)),
      chainVerified: verified && !problems.some((problem) => CHAIN_PROBLEMS.has(problem.code)),
      problems,
      statement
    });
  }
  return {
    location: verification.location,
    verification,
    rows,
    store,
    ...outcome.fromCache ? { verifiedFromCache: true } : {},
    ...outcome.key === null ? {} : { cacheKey: outcome.key }
  };
}
var StoredFile = class {
  constructor(ref, bytes) {
    this.ref = ref;
    this.bytes = bytes;
    this.sha256 = sha256Hex(bytes);
  }
  ref;
  bytes;
  sha256;
  parsed;
  get stored() {
    this.parsed ??= readStoredBundle(this.bytes, this.ref.name);
    return this.parsed;
  }
  get claim() {
    return this.stored.claim;
  }
};
function problemLookup(problems) {
  if (problems.length === 0) return () => [];
  return (file, index) => problems.filter((problem) => problem.file !== null ? problem.file === file : problem.index === index);
}
function reusedRow(file, summary, location, problems) {
  let statement;
  const decoded = () => {
    statement ??= decodeVerified(file.stored.bundle) ?? decodeUnverified(file.bytes, file.ref.name);
    return statement;
  };
  return {
    index: summary.index,
    file: file.ref.name,
    location,
    ref: file.ref,
    bundle: file.bytes,
    bundleSha256: file.sha256,
    statementSha256: summary.statementSha256,
    signer: summary.signer,
    get claimedSigner() {
      return file.claim;
    },
    signingMode: summary.signingMode,
    recordedAt: summary.recordedAt,
    signatureVerified: !problems.some((problem) => SIGNATURE_PROBLEMS.has(problem.code)),
    chainVerified: !problems.some((problem) => CHAIN_PROBLEMS.has(problem.code)),
    problems,
    get statement() {
      return decoded();
    }
  };
}
async function verifyAll(options) {
  const { verifyLedger } = await import("./ledger-SFNXW6LW.js");
  return verifyLedger(options);
}
async function verifyThroughCache(store, options, cache, factsOf) {
  const verify = () => verifyAll({ ...options, store });
  const read = await Promise.allSettled((await store.list()).map(factsOf));
  if (read.some((result) => result.status === "rejected"))
    return { verification: await verify(), fromCache: false, key: null };
  const records = read.map((result) => result.value);
  return cachedVerification(store, records, options, cache, verify);
}
function decodeUnverified(bundle, file) {
  try {
    const json = parseBundleJson(bundle, file);
    const envelope = json?.dsseEnvelope;
    if (typeof envelope?.payload !== "string" || typeof envelope.payloadType !== "string") return null;
    return decodeStatement(Buffer.from(envelope.payload, "base64"), envelope.payloadType, file);
  } catch {
    return null;
  }
}
function decodeVerified(bundle) {
  if (bundle?.content.$case !== "dsseEnvelope") return null;
  try {
    return JSON.parse(Buffer.from(bundle.content.dsseEnvelope.payload).toString("utf8"));
  } catch {
    return null;
  }
}
function payloadSha256(bundle) {
  try {
    const json = JSON.parse(bundle.toString("utf8"));
    const payload = json?.dsseEnvelope?.payload;
    return typeof payload === "string" ? sha256Hex(Buffer.from(payload, "base64")) : null;
  } catch {
    return null;
  }
}
async function resolveManifests(store, statement) {
  const manifests = /* @__PURE__ */ new Map();
  if (!statement) return manifests;
  const refs = [];
  for (const entry of [...statement.predicate.models, ...statement.predicate.datasets])
    if (entry.manifest) refs.push(entry.manifest);
  for (const ref of refs) {
    const text = ref.inline ?? (ref.stored ? await readStoredManifest(store, ref.stored) : null);
    if (text !== null && sha256Hex(Buffer.from(text, "utf8")) === ref.sha256) manifests.set(ref.sha256, text);
  }
  return manifests;
}
async function readStoredManifest(store, name) {
  if (!store.getAttachment) return null;
  const bytes = await store.getAttachment(name);
  return bytes ? bytes.toString("utf8") : null;
}

// src/report/safety.ts
var VERDICT_OF_WARNING = {
  PICKLE_UNSAFE_IMPORT: "unsafe",
  PICKLE_UNKNOWN_IMPORT: "unknown",
  PICKLE_UNRESOLVED_IMPORT: "unknown",
  PICKLE_SCAN_INCOMPLETE: "incomplete",
  PICKLE_NOT_SCANNED: "incomplete"
};
var RANK = { unsafe: 3, unknown: 2, incomplete: 1 };
function isVerdict(value) {
  return value === "unsafe" || value === "unknown" || value === "incomplete";
}
function strings(value) {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => {
    if (typeof item === "string") return [item];
    if (typeof item === "object" && item !== null) {
      const { module, name, import: full } = item;
      if (typeof full === "string") return [full];
      if (typeof module === "string" && typeof name === "string") return [`${module}.${name}`];
    }
    return [];
  });
}
function modelSafety(model) {
  const messages = [];
  const imports = /* @__PURE__ */ new Set();
  let verdict = null;
  const raise = (next) => {
    if (verdict === null || RANK[next] > RANK[verdict]) verdict = next;
  };
  const safety = model.safety;
  if (typeof safety === "object" && safety !== null) {
    const fields = safety;
    if (isVerdict(fields.verdict)) raise(fields.verdict);
    for (const key of ["imports", "unsafeImports", "unknownImports"])
      strings(fields[key]).forEach((x) => imports.add(x));
    for (const finding of Array.isArray(fields.findings) ? fields.findings : []) {
      if (typeof finding !== "object" || finding === null) continue;
      const { verdict: found, names, member, reason } = finding;
      if (isVerdict(found)) raise(found);
      strings(names).forEach((name) => imports.add(name));
      if (typeof reason === "string")
        messages.push(typeof member === "string" ? `${member}: ${reason}` : reason);
    }
  }
  for (const warning of Array.isArray(model.warnings) ? model.warnings : []) {
    const found = VERDICT_OF_WARNING[warning.code];
    if (!found) continue;
    raise(found);
    messages.push(warning.message);
    const named = /imports ([\w.]+) \(/.exec(warning.message);
    if (named && found !== "incomplete") imports.add(named[1]);
  }
  const recorded = typeof safety === "object" && safety !== null ? safety.verdict : void 0;
  if (isVerdict(recorded)) verdict = recorded;
  if (verdict === null) return null;
  return { model: model.name, verdict, imports: [...imports].sort(), messages };
}
function safetyFindings(statement) {
  const datasets = (statement.predicate.datasets ?? []).flatMap(
    (dataset) => dataset.safety ? [{ name: `dataset ${dataset.name}`, safety: dataset.safety }] : []
  );
  return [...statement.predicate.models, ...datasets].map(modelSafety).filter((finding) => finding !== null).sort((a, b) => RANK[b.verdict] - RANK[a.verdict] || (a.model < b.model ? -1 : 1));
}
function safetyLine(finding) {
  const what = finding.verdict === "unsafe" ? "UNSAFE pickle: loading it can run arbitrary code" : finding.verdict === "unknown" ? "pickle with imports not known to be safe" : "pickle scan incomplete: not every import was checked";
  const imports = finding.imports.length > 0 ? ` (imports ${finding.imports.join(", ")})` : "";
  return `${finding.model}: ${what}${imports}`;
}

export {
  safetyFindings,
  safetyLine,
  loadLedger,
  decodeUnverified,
  payloadSha256,
  resolveManifests,
  readStoredManifest
};
