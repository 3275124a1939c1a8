import { createRequire as __modelLedgerCreateRequire } from 'node:module';
import { dirname as __modelLedgerPathDirname } from 'node:path';
import { fileURLToPath as __modelLedgerFileURLToPath } from 'node:url';
const require = __modelLedgerCreateRequire(import.meta.url);
const __modelLedgerFilename = __modelLedgerFileURLToPath(import.meta.url);
const __modelLedgerDirname = __modelLedgerPathDirname(__modelLedgerFilename);
import {
  RECORD_HELP,
  instanceChoice,
  progressLine,
  recordCommand,
  safetyLines
} from "./chunk-CYK3A5CG.js";
import "./chunk-D7K7O2I2.js";
import "./chunk-KA24FKIR.js";
import "./chunk-H6KXIZ5I.js";
import "./chunk-DCH54IH4.js";
import "./chunk-QCAB7C4H.js";
import "./chunk-GWJS7IG3.js";
import "./chunk-CF6SQW4Y.js";
import "./chunk-2GHQ5YEP.js";
import "./chunk-KIVWQLOT.js";
import "./chunk-WAHX4HP4.js";
import "./chunk-JU6QO24Y.js";
import "./chunk-L2DKPJSZ.js";
import "./chunk-5K5QW4NF.js";
import "./chunk-DQEB7GLY.js";
import "./chunk-QFIPOZKI.js";
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
  RECORD_HELP,
  instanceChoice,
  progressLine,
  recordCommand,
  safetyLines
};
