import { createRequire as __modelLedgerCreateRequire } from 'node:module';
import { dirname as __modelLedgerPathDirname } from 'node:path';
import { fileURLToPath as __modelLedgerFileURLToPath } from 'node:url';
const require = __modelLedgerCreateRequire(import.meta.url);
const __modelLedgerFilename = __modelLedgerFileURLToPath(import.meta.url);
const __modelLedgerDirname = __modelLedgerPathDirname(__modelLedgerFilename);

// src/record/predicate.ts
var PREDICATE_TYPE = "https://model-ledger.dev/record/v1";
var STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
var DSSE_PAYLOAD_TYPE = "application/vnd.in-toto+json";

export {
  PREDICATE_TYPE,
  STATEMENT_TYPE,
  DSSE_PAYLOAD_TYPE
};
