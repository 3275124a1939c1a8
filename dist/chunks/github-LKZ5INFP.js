import { createRequire as __modelLedgerCreateRequire } from 'node:module';
import { dirname as __modelLedgerPathDirname } from 'node:path';
import { fileURLToPath as __modelLedgerFileURLToPath } from 'node:url';
const require = __modelLedgerCreateRequire(import.meta.url);
const __modelLedgerFilename = __modelLedgerFileURLToPath(import.meta.url);
const __modelLedgerDirname = __modelLedgerPathDirname(__modelLedgerFilename);
import {
  CYCLONEDX_ASSET,
  DEFAULT_VERIFY_DEPTH,
  EVIDENCE_ASSET,
  SPDX3_ASSET,
  bundleFile,
  gitHubSummaryMarkdown,
  isPullRequestEvent,
  recordToGitHub
} from "./chunk-ALJPZENM.js";
import "./chunk-B5TVOLQL.js";
import "./chunk-Z6Q4YMD6.js";
import "./chunk-UVPVIYUZ.js";
import "./chunk-76AGCTII.js";
import "./chunk-ZX3WVEAR.js";
import "./chunk-BQR56PF6.js";
import "./chunk-U4STTRVI.js";
import "./chunk-QQ2VBXZD.js";
import "./chunk-XHJCWUDZ.js";
import "./chunk-CF6SQW4Y.js";
import "./chunk-3DDHEWZZ.js";
import "./chunk-KIVWQLOT.js";
import "./chunk-FT2AGEZG.js";
import "./chunk-HBZIYH74.js";
import "./chunk-K5UFL2LG.js";
import "./chunk-L2DKPJSZ.js";
import "./chunk-QUGHHY5W.js";
import "./chunk-VGVNKUX2.js";
import "./chunk-FBKVKE4J.js";
import "./chunk-UJ5LYJPP.js";
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
  CYCLONEDX_ASSET,
  DEFAULT_VERIFY_DEPTH,
  EVIDENCE_ASSET,
  SPDX3_ASSET,
  bundleFile,
  gitHubSummaryMarkdown,
  isPullRequestEvent,
  recordToGitHub
};
