import { createRequire as __modelLedgerCreateRequire } from 'node:module';
import { dirname as __modelLedgerPathDirname } from 'node:path';
import { fileURLToPath as __modelLedgerFileURLToPath } from 'node:url';
const require = __modelLedgerCreateRequire(import.meta.url);
const __modelLedgerFilename = __modelLedgerFileURLToPath(import.meta.url);
const __modelLedgerDirname = __modelLedgerPathDirname(__modelLedgerFilename);
import {
  COMMON_OPTIONS,
  parseCommandArgs
} from "./chunk-KA24FKIR.js";
import {
  writeKeyPair
} from "./chunk-KZKQFOQH.js";
import {
  LedgerError
} from "./chunk-ICUNJ6NG.js";
import "./chunk-H3ACIWDX.js";

// src/cli/keygen.ts
import { resolve } from "node:path";
var KEYGEN_HELP = `Usage: model-ledger keygen --out PREFIX [--ed25519]

Creates an ECDSA P-256 key pair: PREFIX.key.pem (PKCS#8, mode 0600) and PREFIX.pub.pem.
Keep the private key in your CI's secret store; give the public key to verifiers.
  --ed25519   an Ed25519 pair instead, for a witness (\`model-ledger witness --key\`)`;
var OPTIONS = { ...COMMON_OPTIONS, out: { type: "string" }, ed25519: { type: "boolean" } };
var keygenCommand = async (argv, context) => {
  const { values } = parseCommandArgs("keygen", argv, OPTIONS);
  if (values.help) {
    context.output.out(KEYGEN_HELP);
    return 0;
  }
  if (!values.out) {
    throw new LedgerError("USAGE", "--out PREFIX is required", {
      field: "keygen",
      fix: "e.g. `model-ledger keygen --out keys/ledger`"
    });
  }
  const written = await writeKeyPair(resolve(context.cwd, values.out), values.ed25519 ? "ed25519" : "p256");
  if (values.json) context.output.out(JSON.stringify(written));
  else context.output.out(`wrote ${written.privateKeyFile} (private, 0600) and ${written.publicKeyFile}`);
  return 0;
};
export {
  KEYGEN_HELP,
  keygenCommand
};
