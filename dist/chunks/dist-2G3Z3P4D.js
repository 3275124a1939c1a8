import { createRequire as __modelLedgerCreateRequire } from 'node:module';
import { dirname as __modelLedgerPathDirname } from 'node:path';
import { fileURLToPath as __modelLedgerFileURLToPath } from 'node:url';
const require = __modelLedgerCreateRequire(import.meta.url);
const __modelLedgerFilename = __modelLedgerFileURLToPath(import.meta.url);
const __modelLedgerDirname = __modelLedgerPathDirname(__modelLedgerFilename);
import {
  require_dist
} from "./chunk-4RJEKZXQ.js";
import "./chunk-GIZNEF5C.js";
import "./chunk-NI2ZRCNI.js";
import "./chunk-AKM3MSCX.js";
import "./chunk-QJPX76YS.js";
import "./chunk-H3ACIWDX.js";
export default require_dist();
