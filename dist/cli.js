#!/usr/bin/env node
import { createRequire as __modelLedgerCreateRequire } from 'node:module';
import { dirname as __modelLedgerPathDirname } from 'node:path';
import { fileURLToPath as __modelLedgerFileURLToPath } from 'node:url';
const require = __modelLedgerCreateRequire(import.meta.url);
const __modelLedgerFilename = __modelLedgerFileURLToPath(import.meta.url);
const __modelLedgerDirname = __modelLedgerPathDirname(__modelLedgerFilename);
import {
  TOOL_VERSION
} from "./chunks/chunk-KIVWQLOT.js";
import {
  LedgerError,
  exitCodeFor
} from "./chunks/chunk-ICUNJ6NG.js";
import "./chunks/chunk-H3ACIWDX.js";

// src/cli/main.ts
var COMMANDS = {
  record: async () => (await import("./chunks/record-2ROVHCHW.js")).recordCommand,
  verify: async () => (await import("./chunks/verify-MUUNN3Z6.js")).verifyCommand,
  "verify-bundle": async () => (await import("./chunks/verify-bundle-373FXK6A.js")).verifyBundleCommand,
  keygen: async () => (await import("./chunks/keygen-5YGGFJGL.js")).keygenCommand,
  log: async () => (await import("./chunks/log-PIOD3R6B.js")).logCommand,
  diff: async () => (await import("./chunks/diff-RPAX6UTO.js")).diffCommand,
  export: async () => (await import("./chunks/export-KMHD2DI2.js")).exportCommand,
  checkpoint: async () => (await import("./chunks/checkpoint-VA4APCU2.js")).checkpointCommand,
  witness: async () => (await import("./chunks/witness-CGQNJJS5.js")).witnessCommand,
  "sign-model": async () => (await import("./chunks/sign-model-4VSHFBDL.js")).signModelCommand,
  "verify-model": async () => (await import("./chunks/verify-model-VEJ4PLUH.js")).verifyModelCommand,
  audit: async () => (await import("./chunks/audit-UDFR4K7R.js")).auditCommand
};
var USAGE = `model-ledger ${TOOL_VERSION}: a signed, hash-chained audit trail of model changes

Usage: model-ledger <command> [options]

Commands:
  record     record the current change into the ledger
  verify     verify every record and the chain of a ledger
  verify-bundle  verify one Sigstore bundle against an artifact and a signer identity
  keygen     create an ECDSA P-256 signing key pair
  log        list the records, with filters (table, JSON or CSV)
  diff       show what changed between two records (Markdown or JSON)
  export     write an evidence pack (zip) that verifies offline, or a CycloneDX / SPDX 3 document
  sign-model sign a model directory or file (OpenSSF Model Signing, model.sig)
  verify-model  verify a model directory or file against its OpenSSF Model Signing signature
  audit      completeness (every model change recorded?) and replay (records rebuilt from git)

Run \`model-ledger <command> --help\` for a command's options.
Exit status: 0 success; 1 verification failed or policy violated; 2 bad usage or bad input.`;
async function main(argv, context) {
  const [name, ...rest] = argv;
  if (name === void 0 || name === "--help" || name === "-h" || name === "help") {
    context.output.out(USAGE);
    return name === void 0 ? 2 : 0;
  }
  if (name === "--version") {
    context.output.out(TOOL_VERSION);
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    context.output.err(`model-ledger: unknown command "${name}" \u2014 run \`model-ledger --help\` for the list`);
    return 2;
  }
  try {
    const command = await load();
    return await command(rest, context);
  } catch (error) {
    const debug = rest.includes("--debug");
    if (error instanceof LedgerError) {
      const message = error.message.startsWith(`${name}: `) ? error.message.slice(name.length + 2) : error.message;
      context.output.err(`model-ledger ${name}: ${message}`);
      if (debug && error.stack) context.output.err(error.stack);
      return exitCodeFor(error.code);
    }
    context.output.err(
      `model-ledger ${name}: unexpected error: ${error instanceof Error ? error.message : String(error)}`
    );
    if (error instanceof Error && error.stack)
      context.output.err(debug ? error.stack : "run again with --debug for details");
    return 2;
  }
}

// src/cli/output.ts
var processOutput = {
  out: (text) => process.stdout.write(`${text}
`),
  err: (text) => process.stderr.write(`${text}
`)
};
function terminalStatus(stream) {
  if (!stream.isTTY) return void 0;
  return (text) => {
    const width = Math.max(20, (stream.columns || 80) - 1);
    stream.write(`\r${text.slice(0, width).padEnd(width)}${text === "" ? "\r" : ""}`);
  };
}

// src/cli/index.ts
var status = terminalStatus(process.stderr);
process.exitCode = await main(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  output: processOutput,
  ...status ? { status } : {}
});
