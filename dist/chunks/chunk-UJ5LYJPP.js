import { createRequire as __modelLedgerCreateRequire } from 'node:module';
import { dirname as __modelLedgerPathDirname } from 'node:path';
import { fileURLToPath as __modelLedgerFileURLToPath } from 'node:url';
const require = __modelLedgerCreateRequire(import.meta.url);
const __modelLedgerFilename = __modelLedgerFileURLToPath(import.meta.url);
const __modelLedgerDirname = __modelLedgerPathDirname(__modelLedgerFilename);
import {
  verifyParsedBundle
} from "./chunk-Q3EPHJZV.js";
import {
  decodeStatement,
  parseBundleJson,
  sha256Hex
} from "./chunk-K46IQGOZ.js";
import {
  VerificationFailure,
  parseBundle
} from "./chunk-IAOLLCTZ.js";

// src/verify/read.ts
function verifyRecordBytes(bytes, ref, trust) {
  return verifyRecordBundle(parseBundle(parseBundleJson(bytes, ref.name), ref.name), bytes, ref, trust);
}
function verifyRecordBundle(bundle, bytes, ref, trust) {
  if (bundle.content.$case !== "dsseEnvelope") {
    throw new VerificationFailure("CORRUPT", "holds a message signature, not a signed statement", {
      file: ref.name
    });
  }
  const verified = verifyParsedBundle(bundle, trust, ref.name);
  return {
    ref,
    bundleSha256: sha256Hex(bytes),
    statementSha256: sha256Hex(verified.payload),
    payload: verified.payload,
    statement: decodeStatement(verified.payload, verified.payloadType, ref.name),
    signer: verified.signer
  };
}
async function readVerifiedRecord(store, ref, trust) {
  return verifyRecordBytes(await store.get(ref), ref, trust);
}

export {
  verifyRecordBytes,
  verifyRecordBundle,
  readVerifiedRecord
};
