import { createRequire as __modelLedgerCreateRequire } from 'node:module';
import { dirname as __modelLedgerPathDirname } from 'node:path';
import { fileURLToPath as __modelLedgerFileURLToPath } from 'node:url';
const require = __modelLedgerCreateRequire(import.meta.url);
const __modelLedgerFilename = __modelLedgerFileURLToPath(import.meta.url);
const __modelLedgerDirname = __modelLedgerPathDirname(__modelLedgerFilename);
import {
  LedgerError,
  describeError
} from "./chunk-ICUNJ6NG.js";

// src/cli/args.ts
import { parseArgs } from "node:util";
function parseCommandArgs(command, argv, options, positionals = 0) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: positionals > 0 });
  } catch (error) {
    throw new LedgerError("USAGE", describeError(error).replace(/^TypeError( \[[A-Z_]+\])?: /, ""), {
      cause: error,
      fix: `see \`model-ledger ${command} --help\``
    });
  }
  for (const [name, value] of Object.entries(parsed.values)) {
    const values = Array.isArray(value) ? value : [value];
    if (values.includes("")) {
      throw new LedgerError("USAGE", `--${name} is empty`, {
        fix: `give --${name} a value, or leave the option out (see \`model-ledger ${command} --help\`)`
      });
    }
  }
  if (parsed.positionals.length > positionals) {
    throw new LedgerError("USAGE", `unexpected argument "${parsed.positionals[positionals] ?? ""}"`, {
      fix: `see \`model-ledger ${command} --help\``
    });
  }
  return parsed;
}
var COMMON_OPTIONS = {
  json: { type: "boolean" },
  debug: { type: "boolean" },
  help: { type: "boolean", short: "h" }
};

export {
  parseCommandArgs,
  COMMON_OPTIONS
};
