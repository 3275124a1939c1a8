import { createRequire as __modelLedgerCreateRequire } from 'node:module';
import { dirname as __modelLedgerPathDirname } from 'node:path';
import { fileURLToPath as __modelLedgerFileURLToPath } from 'node:url';
const require = __modelLedgerCreateRequire(import.meta.url);
const __modelLedgerFilename = __modelLedgerFileURLToPath(import.meta.url);
const __modelLedgerDirname = __modelLedgerPathDirname(__modelLedgerFilename);

// src/errors.ts
function exitCodeFor(code) {
  return code === "POLICY" || code === "VERIFICATION_FAILED" ? 1 : 2;
}
var LedgerError = class extends Error {
  code;
  file;
  field;
  fix;
  constructor(code, message, options = {}) {
    super(composeMessage(message, options), { cause: options.cause });
    this.name = "LedgerError";
    this.code = code;
    this.file = options.file;
    this.field = options.field;
    this.fix = options.fix;
  }
};
function composeMessage(message, { file, field, fix }) {
  const where = [file, field].filter((part) => part !== void 0 && part !== "").join(": ");
  const head = where ? `${where}: ${message}` : message;
  return fix ? `${head} \u2014 ${fix}` : head;
}
function describeError(error) {
  if (error instanceof Error) return error.message;
  return String(error);
}
function errnoCode(error) {
  if (typeof error === "object" && error !== null && "code" in error) {
    const code = error.code;
    return typeof code === "string" ? code : void 0;
  }
  return void 0;
}

export {
  exitCodeFor,
  LedgerError,
  describeError,
  errnoCode
};
