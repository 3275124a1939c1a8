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
} from "./chunk-UJ5LYJPP.js";
import "./chunk-Q3EPHJZV.js";
import "./chunk-K46IQGOZ.js";
import "./chunk-XHSS2EDQ.js";
import "./chunk-IAOLLCTZ.js";
import "./chunk-KZKQFOQH.js";
import "./chunk-F3OFXP4A.js";
import "./chunk-ICUNJ6NG.js";
import "./chunk-6HJSFOKJ.js";
import "./chunk-ZC6XPDJG.js";
import "./chunk-6JW7FKWL.js";
import "./chunk-H3ACIWDX.js";
export {
  readVerifiedRecord,
  verifyRecordBundle,
  verifyRecordBytes
};
