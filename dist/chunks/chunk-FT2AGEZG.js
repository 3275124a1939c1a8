import { createRequire as __modelLedgerCreateRequire } from 'node:module';
import { dirname as __modelLedgerPathDirname } from 'node:path';
import { fileURLToPath as __modelLedgerFileURLToPath } from 'node:url';
const require = __modelLedgerCreateRequire(import.meta.url);
const __modelLedgerFilename = __modelLedgerFileURLToPath(import.meta.url);
const __modelLedgerDirname = __modelLedgerPathDirname(__modelLedgerFilename);
import {
  TreeState,
  checkpointKeyName,
  enforcedFailures,
  evaluatePolicy,
  warnings
} from "./chunk-HBZIYH74.js";
import {
  hashDirectory
} from "./chunk-K5UFL2LG.js";
import {
  parseCheckpoint,
  parseNote,
  verifyNote
} from "./chunk-L2DKPJSZ.js";
import {
  ledgerTrust
} from "./chunk-QUGHHY5W.js";
import {
  prefetch,
  readOnce
} from "./chunk-VGVNKUX2.js";
import {
  parseRecordName,
  readStoredBundle,
  silentLogger
} from "./chunk-FBKVKE4J.js";
import {
  verifyRecordBundle,
  verifyRecordBytes
} from "./chunk-UJ5LYJPP.js";
import {
  precheckSignature,
  verifyBundle
} from "./chunk-Q3EPHJZV.js";
import {
  hashFile,
  sha256Hex
} from "./chunk-K46IQGOZ.js";
import {
  VerificationFailure
} from "./chunk-IAOLLCTZ.js";
import {
  LedgerError,
  describeError
} from "./chunk-ICUNJ6NG.js";

// src/verify/ledger.ts
import { join } from "node:path";

// src/policy/verify.ts
function checkLedgerPolicy(loaded, candidates) {
  const problems = [];
  const notices = [];
  const records = [...candidates].sort((a, b) => a.index - b.index || (a.file < b.file ? -1 : 1)).map((candidate) => {
    const { statement, signer } = candidate;
    const recorded = statement?.predicate.policy ?? null;
    const label2 = `record ${candidate.index} (${candidate.file})`;
    if (!candidate.verified || !statement || !signer) {
      return { index: candidate.index, file: candidate.file, recordedWith: null, results: null };
    }
    const results = evaluatePolicy(loaded, statement.predicate, { signer });
    for (const result of enforcedFailures(results)) {
      problems.push({
        code: "POLICY_VIOLATION",
        index: candidate.index,
        file: candidate.file,
        message: `${label2}: breaks ${result.rule} of policy ${loaded.file}: ${result.message}`
      });
    }
    for (const result of warnings(results)) {
      notices.push(`${label2}: policy warning ${result.rule}: ${result.message}`);
    }
    return {
      index: candidate.index,
      file: candidate.file,
      recordedWith: recorded ? { file: recorded.file, sha256: recorded.sha256 } : null,
      results
    };
  });
  return { report: { file: loaded.file, sha256: loaded.sha256, records }, problems, notices };
}
function describeLedgerPolicy(report) {
  const lines = [`policy ${report.file} (sha256 ${report.sha256.slice(0, 12)}\u2026), record by record:`];
  for (const record of report.records) {
    const head = `  record ${record.index} (${record.file}):`;
    if (!record.results) {
      lines.push(`${head} not evaluated \u2014 the record did not verify`);
      continue;
    }
    const failed = enforcedFailures(record.results).length;
    const warned = warnings(record.results).length;
    const verdict = failed > 0 ? `FAIL ${failed} enforced rule${failed === 1 ? "" : "s"} broken` : `ok, ${record.results.length} rule${record.results.length === 1 ? "" : "s"} checked`;
    const warning = warned > 0 ? `, ${warned} warning${warned === 1 ? "" : "s"}` : "";
    const origin = !record.recordedWith ? "recorded without a policy" : record.recordedWith.sha256 === report.sha256 ? "recorded under this policy" : `recorded under ${record.recordedWith.file} sha256 ${record.recordedWith.sha256.slice(0, 12)}\u2026`;
    lines.push(`${head} ${verdict}${warning}; ${origin}`);
  }
  return lines;
}

// src/verify/checkpoint-signer.ts
import { X509Certificate } from "node:crypto";
function keylessCheckpointKey(stored, trust) {
  const bundleFile = `${stored.uri}.sigstore.json`;
  if (stored.bundle === void 0) {
    return {
      problem: `the ledger's checkpoint ${stored.uri} has no signature bundle (${bundleFile}): nothing ties its signature to the ledger's signer`
    };
  }
  let json;
  try {
    json = JSON.parse(stored.bundle);
  } catch {
    return { problem: `${bundleFile} is not JSON: it cannot prove who signed checkpoint ${stored.uri}` };
  }
  let body;
  try {
    body = parseNote(stored.text, stored.uri).text;
  } catch (error) {
    if (!(error instanceof LedgerError)) throw error;
    return { problem: `the ledger's checkpoint ${stored.uri} is malformed: ${error.message}` };
  }
  try {
    const verified = verifyBundle(json, trust, bundleFile, {
      kind: "bytes",
      bytes: Buffer.from(body, "utf8")
    });
    if (verified.content !== "messageSignature" || verified.signer.kind !== "certificate") {
      return { problem: `${bundleFile} is not a keyless signature of checkpoint ${stored.uri}` };
    }
    const certificate = certificateOf(verified.bundle.verificationMaterial.content);
    if (!certificate) return { problem: `${bundleFile} holds no certificate` };
    return { key: new X509Certificate(certificate).publicKey };
  } catch (error) {
    if (error instanceof LedgerError) {
      return {
        problem: `the signature bundle of checkpoint ${stored.uri} does not verify: ${error.message}`
      };
    }
    throw error;
  }
}
function certificateOf(content) {
  if (content.$case === "certificate" && "certificate" in content) return content.certificate.rawBytes;
  if (content.$case === "x509CertificateChain" && "x509CertificateChain" in content) {
    return content.x509CertificateChain.certificates[0]?.rawBytes;
  }
  return void 0;
}

// src/verify/anchors.ts
import { createHash, createPublicKey } from "node:crypto";
var UNANCHORED_NOTICE = "no checkpoint or witness given: truncation of recent records, or a history rewritten with the signing key, cannot be detected (pass --checkpoint FILE from an earlier run or a witness)";
function checkAnchors(records, origin, stored, ledgerKeys, options, report) {
  const roots = [];
  let state = TreeState.empty();
  roots.push(state.root());
  for (const record of records) {
    if (record.tree) {
      let claimed;
      try {
        claimed = TreeState.fromRecord(record.tree, `record ${record.index}`);
      } catch (error) {
        if (!(error instanceof LedgerError)) throw error;
        report("TREE", record.index, record.file, `${record.file}: ${error.message}`);
      }
      if (claimed && !claimed.equals(state)) {
        report(
          "TREE",
          record.index,
          record.file,
          `record ${record.index} (${record.file}) says the ledger before it was a tree of ${claimed.size} records that is not the tree of records 0\u2013${record.index - 1}: records before it were changed or removed`
        );
      }
    }
    state = state.append(record.payload);
    roots.push(state.root());
  }
  const size = records.length;
  const summary = {
    anchored: false,
    origin,
    size,
    rootHash: state.root().toString("base64"),
    anchors: []
  };
  if (stored) checkStoredCheckpoint(stored, origin, size, roots, ledgerKeys, report);
  const witnessed = [];
  for (const anchor of options.checkpoints ?? []) {
    const parsed = parseAnchor(anchor, report);
    if (!parsed) continue;
    summary.anchored = true;
    const ok = extends_(parsed, anchor.source, origin, size, roots, report);
    const entry = {
      source: anchor.source,
      size: parsed.size,
      result: ok ? "extends" : "failed"
    };
    if (options.witnesses && options.witnesses.length > 0) {
      const cosigned = witnessesOf(anchor, options.witnesses, report);
      entry.witnesses = cosigned.names;
      const needed = options.witnessThreshold ?? options.witnesses.length;
      if (cosigned.names.length >= needed) {
        witnessed.push({
          size: parsed.size,
          source: anchor.source,
          ...cosigned.time ? { time: cosigned.time } : {}
        });
      }
    }
    summary.anchors.push(entry);
  }
  for (const digest of options.pinnedStatements ?? []) {
    summary.anchored = true;
    const found = records.find((record) => record.statementSha256 === digest);
    summary.anchors.push({
      source: `sha256:${digest}`,
      size: found ? found.index + 1 : 0,
      result: found ? "extends" : "failed"
    });
    if (!found) {
      report(
        "TRUNCATED",
        null,
        null,
        `no record of the ledger has statement sha256:${digest.slice(0, 12)}\u2026, which was pinned as one of its records: it was removed, or the ledger rewritten`
      );
    }
  }
  if (options.witnesses && options.witnesses.length > 0) {
    summary.anchored = true;
    checkWitnessed(witnessed, size, options, report);
  }
  return summary;
}
function checkStoredCheckpoint(stored, origin, size, roots, ledgerKeys, report) {
  let parsed;
  try {
    parsed = parseCheckpoint(stored.text, stored.uri);
  } catch (error) {
    if (!(error instanceof LedgerError)) throw error;
    report(
      "CHECKPOINT",
      null,
      stored.uri,
      `the ledger's checkpoint ${stored.uri} is malformed: ${error.message}`
    );
    return;
  }
  if (origin !== null && ledgerKeys.length > 0) {
    const name = checkpointKeyName(origin);
    try {
      const verification = verifyNote(
        stored.text,
        ledgerKeys.map((publicKey) => ({ name, publicKey })),
        stored.uri
      );
      if (verification.verified.length === 0) {
        report(
          "CHECKPOINT",
          null,
          stored.uri,
          `the ledger's checkpoint ${stored.uri} is not signed by the ledger's key`
        );
      }
    } catch (error) {
      if (!(error instanceof LedgerError)) throw error;
      report("CHECKPOINT", null, stored.uri, `the ledger's checkpoint ${stored.uri}: ${error.message}`);
    }
  }
  extends_(parsed, stored.uri, origin, size, roots, report);
}
function parseAnchor(anchor, report) {
  try {
    return parseCheckpoint(anchor.text, anchor.source);
  } catch (error) {
    if (!(error instanceof LedgerError)) throw error;
    report("CHECKPOINT", null, anchor.source, `checkpoint ${anchor.source} is malformed: ${error.message}`);
    return void 0;
  }
}
function extends_(checkpoint, source, origin, size, roots, report) {
  if (origin !== null && checkpoint.origin !== origin) {
    report("ORIGIN", null, source, `checkpoint ${source} is of ledger ${checkpoint.origin}, not ${origin}`);
    return false;
  }
  if (checkpoint.size > size) {
    report(
      "TRUNCATED",
      size,
      source,
      `checkpoint ${source} covers ${checkpoint.size} records, but the ledger holds ${size}: records ${size}\u2013${checkpoint.size - 1} were removed (truncated or rolled back)`
    );
    return false;
  }
  const root = roots[checkpoint.size];
  if (!root.equals(checkpoint.rootHash)) {
    report(
      "INCONSISTENT",
      null,
      source,
      `the ledger's first ${checkpoint.size} records are not those checkpoint ${source} covered (root ${root.toString("base64")} instead of ${checkpoint.rootHash.toString("base64")}): records were rewritten, replaced or forked`
    );
    return false;
  }
  return true;
}
function witnessesOf(anchor, witnesses, report) {
  try {
    const verification = verifyNote(anchor.text, witnesses, anchor.source);
    const times = verification.verifiedSignatures.map((signature) => signature.timestamp).filter((time) => time !== void 0);
    const oldest = times.sort((a, b) => a.getTime() - b.getTime())[0];
    return { names: verification.verified, ...oldest ? { time: oldest } : {} };
  } catch (error) {
    if (!(error instanceof LedgerError)) throw error;
    report(
      "UNWITNESSED",
      null,
      anchor.source,
      `checkpoint ${anchor.source}: a witness signature does not verify (${error.message})`
    );
    return { names: [] };
  }
}
function checkWitnessed(witnessed, size, options, report) {
  const needed = options.witnessThreshold ?? options.witnesses?.length ?? 0;
  const newest = witnessed.sort((a, b) => b.size - a.size)[0];
  if (!newest) {
    report(
      "UNWITNESSED",
      null,
      null,
      `no checkpoint given carries ${needed} cosignature(s) of the witness key(s) given: pass the witness's cosigned checkpoint with --checkpoint`
    );
    return;
  }
  if (newest.size >= size) return;
  const now = (options.now ?? /* @__PURE__ */ new Date()).getTime();
  const age = newest.time ? now - newest.time.getTime() : Number.POSITIVE_INFINITY;
  if (options.maxWitnessAgeMs !== void 0 && age <= options.maxWitnessAgeMs) return;
  report(
    "UNWITNESSED",
    newest.size,
    newest.source,
    `the newest cosigned checkpoint (${newest.source}) covers ${newest.size} of ${size} records${newest.time ? `, cosigned ${newest.time.toISOString()}` : ""}: records ${newest.size}\u2013${size - 1} are not witnessed${options.maxWitnessAgeMs === void 0 ? "" : ` within --max-witness-age`}`
  );
}
function witnessKey(pem, name, file) {
  let publicKey;
  try {
    publicKey = createPublicKey(pem);
  } catch (error) {
    throw new LedgerError("BAD_INPUT", `is not a public key (${describeError(error)})`, {
      file,
      cause: error,
      fix: "pass the witness public key PEM (`model-ledger keygen` writes PREFIX.pub.pem)"
    });
  }
  return { name: name ?? defaultWitnessName(publicKey), publicKey };
}
function defaultWitnessName(publicKey) {
  const der = publicKey.export({ type: "spki", format: "der" });
  return `witness-${createHash("sha256").update(der).digest("hex").slice(0, 16)}`;
}

// src/verify/ledger.ts
async function verifyLedger(options) {
  const store = readOnce(options.store);
  const log = options.log ?? silentLogger;
  const refs = await store.list();
  await prefetch(store, refs);
  const problems = [];
  const notices = [];
  const report = (code, entry, index, message) => {
    problems.push({ code, index, file: entry?.ref.name ?? null, message });
  };
  const stored = /* @__PURE__ */ new Map();
  for (const ref of refs) {
    const bytes = await store.get(ref);
    stored.set(ref.name, { bytes, ...readStoredBundle(bytes, ref.name) });
  }
  const known = new Map([...stored].map(([name, record]) => [name, record.claim]));
  const { trust, pinned, claims } = await ledgerTrust(store, refs, options, [], known);
  const precheck = (ref) => {
    const record = ref && stored.get(ref.name);
    const key = record?.claim?.kind === "key" ? trust.key ?? trust.keys?.get(record.claim.keyHint) : void 0;
    return record?.bundle && key ? precheckSignature(record.bundle, key) : Promise.resolve();
  };
  const ahead = refs.slice(0, PRECHECK_WINDOW).map(precheck);
  const entries = [];
  for (const [position, ref] of refs.entries()) {
    await ahead[position];
    ahead.push(precheck(refs[position + PRECHECK_WINDOW]));
    const record = stored.get(ref.name);
    entries.push(readEntry(record, ref, trust, claims.get(ref.name) ?? null, pinned, report));
  }
  log.debug(`verify: ${entries.length} record file(s) read from ${store.location}`);
  checkNames(entries, report);
  checkSigners(entries, pinned, report, notices);
  checkChain(entries, report, options.partial === true, options.origin);
  if (options.partial) {
    notices.push(
      `only part of the ledger was verified (${store.location}): the link of its first record to the record before it was not checked, and without record 0 signers are pinned only by --key or --certificate-identity`
    );
  }
  const checkpoint = options.partial ? void 0 : await anchorsOf(store, entries, trust, pinned, options.anchors ?? {}, report, notices);
  const policy = options.policy ? checkLedgerPolicy(options.policy, entries.map(policyCandidate)) : void 0;
  if (policy) {
    problems.push(...policy.problems);
    notices.push(...policy.notices);
  }
  const head = headOf(entries);
  if (options.artifactsDir !== void 0 && head?.statement) {
    await checkArtifacts(head, options.artifactsDir, report);
  }
  if (entries.some((entry) => entry.statement?.predicate.signing.mode === "development-key")) {
    notices.push(
      "some records are signed with a development key: they are for trying model-ledger out, not evidence"
    );
  }
  const records = entries.map(summarize);
  problems.sort((a, b) => (a.index ?? -1) - (b.index ?? -1));
  return {
    ok: problems.length === 0 && refs.length > 0,
    location: store.location,
    records,
    problems,
    head: head ? summarize(head) : null,
    notices: refs.length === 0 ? [...notices, `no records found in ${store.location}`] : notices,
    ...policy ? { policy: policy.report } : {},
    ...checkpoint ? { checkpoint } : {}
  };
}
async function anchorsOf(store, entries, trust, pinned, anchors, report, notices) {
  if (entries.length === 0) {
    const stored2 = await store.latestCheckpoint?.() ?? null;
    if (stored2 && stored2.size > 0) {
      report(
        "TRUNCATED",
        null,
        0,
        `checkpoint ${stored2.uri} covers ${stored2.size} records, but the ledger holds none: records 0\u2013${stored2.size - 1} were removed`
      );
    }
    return void 0;
  }
  const ordered = [...entries].sort((a, b) => a.ref.index - b.ref.index);
  const linear = ordered.every(
    (entry, at) => entry.ref.index === at && entry.payload !== null && entry.verified
  );
  if (!linear) {
    notices.push(
      "the chain is broken (see the problems above), so its checkpoints and anchors were not checked"
    );
    return void 0;
  }
  const origin = ordered.find((entry) => entry.statement)?.statement?.predicate.chain.origin ?? null;
  let keys = pinned?.kind === "key" ? [trust.keys?.get(pinned.keyHint)] : [...trust.keys?.values() ?? []];
  const stored = await store.latestCheckpoint?.() ?? null;
  if (stored && pinned?.kind === "identity") {
    const signer = keylessCheckpointKey(stored, trust);
    if ("key" in signer) keys = [signer.key];
    else report("CHECKPOINT", null, null, signer.problem);
  }
  const summary = checkAnchors(
    ordered.map((entry) => ({
      index: entry.ref.index,
      payload: entry.payload,
      statementSha256: entry.statementSha256,
      ...entry.statement?.predicate.chain.tree ? { tree: entry.statement.predicate.chain.tree } : {},
      file: entry.ref.name
    })),
    origin,
    stored,
    keys.filter((key) => key !== void 0),
    anchors,
    (code, index, _file, message) => report(code, index === null ? null : ordered[index] ?? null, index, message)
  );
  if (!summary.anchored) notices.push(UNANCHORED_NOTICE);
  return summary;
}
var PRECHECK_WINDOW = 64;
function readEntry(record, ref, trust, claim, pinned, report) {
  const { bytes, bundle } = record;
  const entry = {
    ref,
    bundleSha256: sha256Hex(bytes),
    statementSha256: null,
    payload: null,
    statement: null,
    signer: null,
    verified: false
  };
  entry.payload = bundle?.content.$case === "dsseEnvelope" ? Buffer.from(bundle.content.dsseEnvelope.payload) : payloadBytes(bytes);
  entry.statementSha256 = entry.payload ? sha256Hex(entry.payload) : null;
  if (claim?.kind === "certificate" && !trust.identity) {
    const expected = pinned?.kind === "key" ? `key ${pinned.keyHint.slice(0, 16)}\u2026 (the signer of record 0)` : "a certificate identity";
    report(
      "SIGNER_CHANGED",
      entry,
      ref.index,
      `record ${ref.index} (${ref.name}): signed keyless by ${claim.identity}, expected ${expected}; pass --certificate-identity to accept keyless records`
    );
    return entry;
  }
  try {
    const verified = bundle ? verifyRecordBundle(bundle, bytes, ref, trust) : verifyRecordBytes(bytes, ref, trust);
    entry.signer = verified.signer;
    entry.statement = verified.statement;
    entry.verified = true;
  } catch (error) {
    if (!(error instanceof VerificationFailure)) throw error;
    report(
      error.problem,
      entry,
      ref.index,
      `record ${ref.index} (${ref.name}): ${stripFile(error.message, ref.name)}`
    );
  }
  return entry;
}
function stripFile(message, file) {
  return message.startsWith(`${file}: `) ? message.slice(file.length + 2) : message;
}
function payloadBytes(bytes) {
  let json;
  try {
    json = JSON.parse(bytes.toString("utf8"));
  } catch {
    return null;
  }
  const payload = json?.dsseEnvelope?.payload;
  return typeof payload === "string" ? Buffer.from(payload, "base64") : null;
}
function label(entry) {
  return `record ${entry.statement?.predicate.chain.index ?? entry.ref.index} (${entry.ref.name})`;
}
function checkNames(entries, report) {
  for (const entry of entries) {
    if (!entry.statement || !entry.statementSha256) continue;
    const index = entry.statement.predicate.chain.index;
    const prefix = parseRecordName(entry.ref.name)?.sha256Prefix;
    if (index !== entry.ref.index || prefix !== void 0 && !entry.statementSha256.startsWith(prefix)) {
      report(
        "MISNAMED",
        entry,
        index,
        `${entry.ref.name} holds record ${index} (statement ${entry.statementSha256.slice(0, 12)}), but its name says record ${entry.ref.index}${prefix === void 0 ? "" : ` (statement ${prefix})`}: records were reordered or renamed`
      );
    }
  }
}
function signerLabel(signer) {
  return signer.kind === "key" ? `key ${signer.keyHint.slice(0, 16)}\u2026` : `${signer.identity} (issuer ${signer.issuer})`;
}
function checkSigners(entries, pinned, report, notices) {
  if (!pinned) return;
  if (pinned.kind === "identity") {
    notices.push(`signer pinned to ${pinned.identity} (issuer ${pinned.issuer}), which signed record 0`);
    return;
  }
  notices.push(`signer pinned to key ${pinned.keyHint.slice(0, 16)}\u2026, which signed record 0`);
  for (const entry of entries) {
    if (entry.verified && entry.signer && (entry.signer.kind !== "key" || entry.signer.keyHint !== pinned.keyHint)) {
      const index = entry.statement?.predicate.chain.index ?? entry.ref.index;
      report(
        "SIGNER_CHANGED",
        entry,
        index,
        `${label(entry)}: signed by ${signerLabel(entry.signer)}, expected key ${pinned.keyHint.slice(0, 16)}\u2026 (the signer of record 0); pass --key to trust a rotated key`
      );
    }
  }
}
function checkChain(entries, report, partial = false, expectedOrigin) {
  const byIndex = /* @__PURE__ */ new Map();
  for (const entry of entries) {
    if (!entry.statement) continue;
    const index = entry.statement.predicate.chain.index;
    byIndex.set(index, [...byIndex.get(index) ?? [], entry]);
  }
  const allDigests = /* @__PURE__ */ new Map();
  for (const entry of entries) if (entry.statementSha256) allDigests.set(entry.statementSha256, entry);
  const occupied = /* @__PURE__ */ new Set([...byIndex.keys(), ...entries.map((entry) => entry.ref.index)]);
  const maxIndex = Math.max(-1, ...occupied);
  const start = partial ? Math.min(...occupied) : 0;
  const firstOrigin = expectedOrigin ?? byIndex.get(start)?.[0]?.statement?.predicate.chain.origin;
  for (let index = start; index <= maxIndex; index++) {
    if (!occupied.has(index)) {
      const next = [...occupied].filter((other) => other > index).sort((a, b) => a - b)[0] ?? maxIndex;
      report(
        "GAP",
        null,
        index,
        index === 0 ? `record 0 is missing: the ledger starts at record ${next}` : `record ${index} is missing: the chain goes from record ${index - 1} to record ${next}`
      );
    }
    const here = byIndex.get(index) ?? [];
    if (here.length > 1) {
      report(
        "FORK",
        here[1] ?? null,
        index,
        `fork at record ${index}: ${here.map((entry) => entry.ref.name).join(" and ")} both claim index ${index}`
      );
    }
    for (const entry of here) {
      const { chain } = entry.statement.predicate;
      if (firstOrigin !== void 0 && chain.origin !== firstOrigin) {
        report(
          "ORIGIN",
          entry,
          index,
          `${label(entry)}: belongs to ledger ${chain.origin}, not ${firstOrigin}`
        );
      }
      if (!partial || index !== start || index === 0)
        checkLink(entry, index, byIndex.get(index - 1) ?? [], allDigests, report);
    }
  }
  const zero = byIndex.get(0);
  if (!partial && entries.length > 0 && !zero && !occupied.has(0)) {
    report("FIRST_RECORD", null, 0, "the ledger has no record 0: it was truncated from the start");
  }
}
function checkLink(entry, index, before, all, report) {
  const { previous } = entry.statement.predicate.chain;
  if (index === 0) {
    if (previous !== null)
      report("FIRST_RECORD", entry, 0, `${label(entry)}: the first record must have previous null`);
    return;
  }
  if (previous === null) {
    report("BROKEN_LINK", entry, index, `${label(entry)}: has no link to record ${index - 1}`);
    return;
  }
  const stored = all.get(previous.statementSha256);
  const target = before.find((candidate) => candidate.statementSha256 === previous.statementSha256) ?? (stored && !stored.verified && stored.ref.index === index - 1 ? stored : void 0);
  if (!target) {
    const actual = before.map(
      (candidate) => `${candidate.ref.name} has ${candidate.statementSha256?.slice(0, 12) ?? "no statement"}`
    );
    const detail = stored ? `which is ${label(stored)}, not record ${index - 1}: records were reordered` : `which no record in the ledger has${actual.length > 0 ? ` (${actual.join(", ")}): record ${index - 1} was replaced, or this link was forged` : ""}`;
    report(
      "BROKEN_LINK",
      entry,
      index,
      `${label(entry)}: links to statement ${previous.statementSha256.slice(0, 12)}, ${detail}`
    );
    return;
  }
  if (target.bundleSha256 !== previous.bundleSha256) {
    report(
      "EDITED",
      target,
      index - 1,
      `${label(target)}: its bundle file changed after ${label(entry)} linked to it (bundle sha256 ${target.bundleSha256.slice(0, 12)}, linked ${previous.bundleSha256.slice(0, 12)}): re-signed or rewritten`
    );
  }
}
function headOf(entries) {
  let head = null;
  for (const entry of entries) {
    if (!entry.verified || !entry.statement) continue;
    if (!head || entry.statement.predicate.chain.index > head.statement.predicate.chain.index)
      head = entry;
  }
  return head;
}
function localArtifacts(statement) {
  const { models, datasets } = statement.predicate;
  return [
    ...models.map((model) => ({
      label: model.name,
      path: model.name,
      kind: model.kind,
      sha256: model.digest.sha256
    })),
    ...datasets.flatMap(
      (dataset) => dataset.path !== void 0 && dataset.kind !== "uri" ? [
        {
          label: `dataset:${dataset.name}`,
          path: dataset.path,
          kind: dataset.kind,
          sha256: dataset.digest.sha256
        }
      ] : []
    )
  ];
}
async function checkArtifacts(head, dir, report) {
  const statement = head.statement;
  const index = statement.predicate.chain.index;
  for (const artifact of localArtifacts(statement)) {
    const location = join(dir, artifact.path);
    let actual;
    try {
      actual = artifact.kind === "file" ? (await hashFile(location)).sha256 : (await hashDirectory(location, artifact.path, { noCache: true })).manifest.digest;
    } catch (error) {
      if (error instanceof LedgerError && (error.code === "HASH" || error.code === "BAD_INPUT")) {
        report(
          "ARTIFACT_MISSING",
          head,
          index,
          `${label(head)}: artifact ${artifact.label} is missing or unreadable under ${dir} (${error.message})`
        );
        continue;
      }
      throw error;
    }
    if (actual !== artifact.sha256) {
      report(
        "ARTIFACT_MISMATCH",
        head,
        index,
        `${label(head)}: artifact ${artifact.label} has sha256 ${actual}, the record says ${artifact.sha256}`
      );
    }
  }
}
function policyCandidate(entry) {
  return {
    index: entry.statement?.predicate.chain.index ?? entry.ref.index,
    file: entry.ref.name,
    statement: entry.statement,
    signer: entry.signer,
    verified: entry.verified
  };
}
function summarize(entry) {
  return {
    index: entry.statement?.predicate.chain.index ?? entry.ref.index,
    file: entry.ref.name,
    statementSha256: entry.statementSha256,
    bundleSha256: entry.bundleSha256,
    signer: entry.signer ? entry.signer.kind === "key" ? `key:${entry.signer.keyHint}` : entry.signer.identity : null,
    signingMode: entry.statement?.predicate.signing.mode ?? null,
    recordedAt: entry.statement?.predicate.recordedAt ?? null,
    verified: entry.verified
  };
}

export {
  describeLedgerPolicy,
  witnessKey,
  defaultWitnessName,
  verifyLedger
};
