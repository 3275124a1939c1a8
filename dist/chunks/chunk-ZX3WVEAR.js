import { createRequire as __modelLedgerCreateRequire } from 'node:module';
import { dirname as __modelLedgerPathDirname } from 'node:path';
import { fileURLToPath as __modelLedgerFileURLToPath } from 'node:url';
const require = __modelLedgerCreateRequire(import.meta.url);
const __modelLedgerFilename = __modelLedgerFileURLToPath(import.meta.url);
const __modelLedgerDirname = __modelLedgerPathDirname(__modelLedgerFilename);
import {
  LocalStore
} from "./chunk-3DDHEWZZ.js";
import {
  ledgerTrust
} from "./chunk-QUGHHY5W.js";
import {
  claimedSigner
} from "./chunk-FBKVKE4J.js";
import {
  verifyBundle
} from "./chunk-Q3EPHJZV.js";
import {
  STATEMENT_TYPE
} from "./chunk-XHSS2EDQ.js";
import {
  VerificationFailure
} from "./chunk-IAOLLCTZ.js";
import {
  isMissingFile,
  readBoundedFile
} from "./chunk-KZKQFOQH.js";
import {
  LedgerError
} from "./chunk-ICUNJ6NG.js";

// src/verify/pack.ts
import { createHash } from "node:crypto";
import { lstat, readdir } from "node:fs/promises";
import { join, relative, sep } from "node:path";
var PACK_MANIFEST_FILE = "MANIFEST.sigstore.json";
var PACK_PREDICATE_TYPE = "https://model-ledger.dev/evidence-pack/v1";
function packManifestPayload(files, predicate) {
  const subject = [...files].filter(([path]) => path !== PACK_MANIFEST_FILE).map(([name, bytes]) => ({ name, digest: { sha256: createHash("sha256").update(bytes).digest("hex") } })).sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const statement = {
    _type: STATEMENT_TYPE,
    subject,
    predicateType: PACK_PREDICATE_TYPE,
    predicate
  };
  return Buffer.from(`${JSON.stringify(statement)}
`, "utf8");
}
var MAX_PACK_FILE = 512 * 1024 * 1024;
var MAX_MANIFEST = 64 * 1024 * 1024;
async function verifyPackManifest(options) {
  const { dir } = options;
  const file = join(dir, PACK_MANIFEST_FILE);
  const bytes = await readBoundedFile(file, MAX_MANIFEST, PACK_MANIFEST_FILE, {
    code: "VERIFICATION_FAILED",
    fix: "this pack has no signed manifest: it was exported without --sign-key/--sign-keyless, or the manifest was removed"
  });
  let json;
  try {
    json = JSON.parse(bytes.toString("utf8"));
  } catch (error) {
    throw new VerificationFailure("CORRUPT", "is not JSON", { file: PACK_MANIFEST_FILE, cause: error });
  }
  const verified = verifyBundle(json, options.trust, PACK_MANIFEST_FILE);
  if (verified.content !== "dsseEnvelope") {
    throw new VerificationFailure("CORRUPT", "holds no DSSE envelope", { file: PACK_MANIFEST_FILE });
  }
  requirePinned(verified.signer, options.pinned);
  const statement = parseManifest(verified.payload);
  const problems = [];
  const listed = /* @__PURE__ */ new Set();
  for (const subject of statement.subject) {
    listed.add(subject.name);
    const path = join(dir, ...subject.name.split("/"));
    let content;
    try {
      content = await readBoundedFile(path, MAX_PACK_FILE, subject.name);
    } catch (error) {
      if (!(error instanceof LedgerError)) throw error;
      problems.push(
        packProblem(
          "ARTIFACT_MISSING",
          subject.name,
          isMissingFile(error) ? "is listed in the signed manifest but is not in the pack: it was removed after signing" : "is listed in the signed manifest but is not a regular file of the pack that can be read"
        )
      );
      continue;
    }
    const sha256 = createHash("sha256").update(content).digest("hex");
    if (sha256 !== subject.digest.sha256) {
      problems.push(
        packProblem(
          "ARTIFACT_MISMATCH",
          subject.name,
          `has sha256 ${sha256}, the signed manifest says ${subject.digest.sha256}: it was changed after the pack was signed`
        )
      );
    }
  }
  for (const present of await packFiles(dir)) {
    if (present !== PACK_MANIFEST_FILE && !listed.has(present)) {
      problems.push(
        packProblem(
          "ARTIFACT_MISMATCH",
          present,
          "is in the pack but not in its signed manifest: it was added after signing"
        )
      );
    }
  }
  return { signer: verified.signer, predicate: statement.predicate, files: listed.size, problems };
}
function packProblem(code, file, message) {
  return { code, index: null, file, message: `${file} ${message}` };
}
function requirePinned(signer, pinned) {
  if (!pinned) return;
  const same = pinned.kind === "key" ? signer.kind === "key" && signer.keyHint === pinned.keyHint : signer.kind === "certificate" && signer.identity === pinned.identity && signer.issuer === pinned.issuer;
  if (same) return;
  const who = signer.kind === "key" ? `key ${signer.keyHint.slice(0, 16)}\u2026` : `${signer.identity} (${signer.issuer})`;
  const expected = pinned.kind === "key" ? `key ${pinned.keyHint.slice(0, 16)}\u2026` : `${pinned.identity} (${pinned.issuer})`;
  throw new VerificationFailure(
    "SIGNER_CHANGED",
    `is signed by ${who}, not by the signer of record 0, ${expected}: the pack was not made by the ledger's signer`,
    { file: PACK_MANIFEST_FILE }
  );
}
function parseManifest(payload) {
  let value;
  try {
    value = JSON.parse(payload.toString("utf8"));
  } catch (error) {
    throw new VerificationFailure("SCHEMA", "signs a payload that is not JSON", {
      file: PACK_MANIFEST_FILE,
      cause: error
    });
  }
  const fail = (field, what) => {
    throw new VerificationFailure("SCHEMA", `signs a statement whose ${field} ${what}`, {
      file: PACK_MANIFEST_FILE,
      field
    });
  };
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return fail("payload", "is not an object");
  const statement = value;
  if (statement._type !== STATEMENT_TYPE) fail("_type", `is not ${STATEMENT_TYPE}`);
  if (statement.predicateType !== PACK_PREDICATE_TYPE) fail("predicateType", `is not ${PACK_PREDICATE_TYPE}`);
  if (!Array.isArray(statement.subject)) return fail("subject", "is not a list");
  const seen = /* @__PURE__ */ new Set();
  for (const [at, entry] of statement.subject.entries()) {
    const subject = entry;
    const name = subject?.name;
    if (typeof name !== "string" || !isPackPath(name))
      fail(`subject[${at}].name`, "is not a path inside the pack");
    if (typeof subject?.digest?.sha256 !== "string" || !/^[0-9a-f]{64}$/.test(subject.digest.sha256))
      fail(`subject[${at}].digest.sha256`, "is not a sha256 digest");
    if (seen.has(name)) fail(`subject[${at}].name`, "names a file twice");
    seen.add(name);
  }
  const predicate = statement.predicate;
  if (typeof predicate !== "object" || predicate === null) return fail("predicate", "is not an object");
  return statement;
}
function isPackPath(name) {
  if (name.length === 0 || name.length > 4096 || name.includes("\\") || name.includes("\0")) return false;
  return name.split("/").every((part) => part !== "" && part !== "." && part !== "..");
}
async function packFiles(dir) {
  const out = [];
  const walk = async (at) => {
    for (const entry of await readdir(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) await walk(path);
      else out.push(relative(dir, path).split(sep).join("/"));
    }
  };
  if ((await lstat(dir)).isDirectory()) await walk(dir);
  return out.sort();
}
async function verifyEvidencePack(options) {
  const store = new LocalStore(join(options.dir, "ledger"));
  const { trust, pinned } = await ledgerTrust(store, await store.list(), options);
  if (!trust.trustedRoot && options.loadTrustedRoot && await manifestIsKeyless(options.dir))
    trust.trustedRoot = await options.loadTrustedRoot();
  try {
    const manifest = await verifyPackManifest({ dir: options.dir, trust, pinned });
    return { manifest, problems: manifest.problems };
  } catch (error) {
    const failed = (code, message) => ({
      manifest: null,
      problems: [{ code, index: null, file: PACK_MANIFEST_FILE, message }]
    });
    if (error instanceof VerificationFailure) return failed(error.problem, error.message);
    if (error instanceof LedgerError && error.code === "VERIFICATION_FAILED") {
      return failed(
        "ARTIFACT_MISSING",
        `${PACK_MANIFEST_FILE} ${isMissingFile(error) ? "does not exist: this pack has no signed manifest (it was exported without --sign-key or --sign-keyless, or the manifest was removed)" : "cannot be read as a regular file of the pack"}`
      );
    }
    throw error;
  }
}
async function manifestIsKeyless(dir) {
  try {
    const claim = claimedSigner(
      await readBoundedFile(join(dir, PACK_MANIFEST_FILE), MAX_MANIFEST),
      PACK_MANIFEST_FILE
    );
    return claim?.kind === "certificate";
  } catch (error) {
    if (error instanceof LedgerError) return false;
    throw error;
  }
}

export {
  PACK_MANIFEST_FILE,
  packManifestPayload,
  verifyEvidencePack
};
