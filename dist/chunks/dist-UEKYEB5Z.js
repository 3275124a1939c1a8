import { createRequire as __modelLedgerCreateRequire } from 'node:module';
import { dirname as __modelLedgerPathDirname } from 'node:path';
import { fileURLToPath as __modelLedgerFileURLToPath } from 'node:url';
const require = __modelLedgerCreateRequire(import.meta.url);
const __modelLedgerFilename = __modelLedgerFileURLToPath(import.meta.url);
const __modelLedgerDirname = __modelLedgerPathDirname(__modelLedgerFilename);
import {
  require_dist
} from "./chunk-TPO7XROF.js";
import "./chunk-RU2JOVGO.js";
import "./chunk-6HJSFOKJ.js";
import "./chunk-ZC6XPDJG.js";
import "./chunk-6JW7FKWL.js";
import "./chunk-H3ACIWDX.js";
export default require_dist();
