import { createRequire as __modelLedgerCreateRequire } from 'node:module';
import { dirname as __modelLedgerPathDirname } from 'node:path';
import { fileURLToPath as __modelLedgerFileURLToPath } from 'node:url';
const require = __modelLedgerCreateRequire(import.meta.url);
const __modelLedgerFilename = __modelLedgerFileURLToPath(import.meta.url);
const __modelLedgerDirname = __modelLedgerPathDirname(__modelLedgerFilename);
import {
  PUBLIC_GOOD_TUF_MIRROR,
  fetchTrustedRoot,
  loadTrustedRootFile,
  parseTrustedRoot,
  resolveTrustedRoot,
  tufCacheDir
} from "./chunk-F3OFXP4A.js";
import "./chunk-ICUNJ6NG.js";
import "./chunk-ZC6XPDJG.js";
import "./chunk-6JW7FKWL.js";
import "./chunk-H3ACIWDX.js";
export {
  PUBLIC_GOOD_TUF_MIRROR,
  fetchTrustedRoot,
  loadTrustedRootFile,
  parseTrustedRoot,
  resolveTrustedRoot,
  tufCacheDir
};
