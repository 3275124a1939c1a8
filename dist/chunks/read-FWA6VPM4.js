import { createRequire as __modelLedgerCreateRequire } from 'node:module';
import { dirname as __modelLedgerPathDirname } from 'node:path';
import { fileURLToPath as __modelLedgerFileURLToPath } from 'node:url';
const require = __modelLedgerCreateRequire(import.meta.url);
const __modelLedgerFilename = __modelLedgerFileURLToPath(import.meta.url);
const __modelLedgerDirname = __modelLedgerPathDirname(__modelLedgerFilename);
import {
  readVerifiedRecord,
  verifyRecordBundle,
  verifyRecordBytes
} from "./chunk-QFIPOZKI.js";
import "./chunk-TD7ARXD6.js";
import "./chunk-KWOTOK7R.js";
import "./chunk-XHSS2EDQ.js";
import "./chunk-ZXTOQEAT.js";
import "./chunk-KZKQFOQH.js";
import "./chunk-4NLNW2FI.js";
import "./chunk-ICUNJ6NG.js";
import "./chunk-NI2ZRCNI.js";
import "./chunk-AKM3MSCX.js";
import "./chunk-QJPX76YS.js";
import "./chunk-H3ACIWDX.js";
export {
  readVerifiedRecord,
  verifyRecordBundle,
  verifyRecordBytes
};
