import { createRequire as __modelLedgerCreateRequire } from 'node:module';
import { dirname as __modelLedgerPathDirname } from 'node:path';
import { fileURLToPath as __modelLedgerFileURLToPath } from 'node:url';
const require = __modelLedgerCreateRequire(import.meta.url);
const __modelLedgerFilename = __modelLedgerFileURLToPath(import.meta.url);
const __modelLedgerDirname = __modelLedgerPathDirname(__modelLedgerFilename);
import {
  LedgerError,
  describeError,
  errnoCode
} from "./chunk-ICUNJ6NG.js";

// src/fs/read-input.ts
import { readFile } from "node:fs/promises";
async function readInput(path, name, what) {
  try {
    return await readFile(path);
  } catch (error) {
    const code = errnoCode(error);
    throw new LedgerError("BAD_INPUT", `cannot read the ${what} (${describeError(error)})`, {
      file: name,
      cause: error,
      fix: code === "ENOENT" ? "check the path" : code === "EISDIR" ? `the ${what} must be a file` : "check the file permissions"
    });
  }
}

// src/cli/input-files.ts
import { createPublicKey } from "node:crypto";
import { readdir } from "node:fs/promises";
async function loadAnyPublicKey(path, name) {
  const pem = (await readInput(path, name, "public key")).toString("utf8");
  if (pem.includes("PRIVATE KEY")) {
    throw new LedgerError("KEY", "is a private key", {
      file: name,
      fix: "pass the public key; never hand a private key to a verifier"
    });
  }
  try {
    return createPublicKey({ key: pem, format: "pem" });
  } catch (error) {
    throw new LedgerError("KEY", `is not a readable PEM public key (${describeError(error)})`, {
      file: name,
      cause: error
    });
  }
}
async function assertReadableDirectory(dir) {
  try {
    await readdir(dir);
  } catch (error) {
    throw new LedgerError("BAD_INPUT", `cannot read the ledger directory (${describeError(error)})`, {
      file: dir,
      cause: error,
      fix: "point --store at a ledger directory written by `model-ledger record`"
    });
  }
}

// src/cli/trust-options.ts
import { resolve } from "node:path";
var TRUST_OPTIONS = {
  "certificate-identity": { type: "string" },
  "certificate-identity-regexp": { type: "string" },
  "certificate-oidc-issuer": { type: "string" },
  "signer-repo": { type: "string" },
  "signer-workflow": { type: "string" },
  "trusted-root": { type: "string" },
  "tuf-mirror-url": { type: "string" },
  "tuf-root": { type: "string" }
};
var TRUST_HELP = `  --certificate-identity ID          the signing certificate's identity (SAN), exactly
  --certificate-identity-regexp RE   a regular expression the SAN must match (unanchored, as in
                                     cosign: write ^\u2026$ to pin the whole identity)
  --certificate-oidc-issuer URL      the OIDC issuer in the certificate, exactly
  --signer-repo OWNER/REPO           the signing workflow is in this repository (as gh attestation)
  --signer-workflow OWNER/REPO/PATH  the signing workflow is this file, at any ref
  --trusted-root FILE                Sigstore trusted root (trusted_root.json): verify offline
  --tuf-mirror-url URL               fetch the trusted root through this TUF repository
                                     (default: the public-good instance's)
  --tuf-root FILE                    that repository's initial root.json`;
function identityFromFlags(values) {
  return {
    ...values["certificate-identity"] === void 0 ? {} : { identity: values["certificate-identity"] },
    ...values["certificate-identity-regexp"] === void 0 ? {} : { identityRegexp: values["certificate-identity-regexp"] },
    ...values["certificate-oidc-issuer"] === void 0 ? {} : { issuer: values["certificate-oidc-issuer"] },
    ...values["signer-repo"] === void 0 ? {} : { signerRepo: values["signer-repo"] },
    ...values["signer-workflow"] === void 0 ? {} : { signerWorkflow: values["signer-workflow"] }
  };
}
function trustedRootLoader(values, context, command) {
  if (values["trusted-root"] !== void 0 && (values["tuf-mirror-url"] !== void 0 || values["tuf-root"] !== void 0)) {
    throw new LedgerError("USAGE", "--trusted-root and --tuf-mirror-url/--tuf-root exclude each other", {
      field: command,
      fix: "give a trusted root file to verify offline, or a TUF repository to fetch it from"
    });
  }
  const file = values["trusted-root"];
  const load = () => import("./trusted-root-YLCJLUNR.js");
  if (file !== void 0) return async () => (await load()).loadTrustedRootFile(resolve(context.cwd, file));
  return async () => (await load()).fetchTrustedRoot(
    {
      ...values["tuf-mirror-url"] === void 0 ? {} : { mirrorUrl: values["tuf-mirror-url"] },
      ...values["tuf-root"] === void 0 ? {} : { rootPath: resolve(context.cwd, values["tuf-root"]) }
    },
    context.env
  );
}

export {
  readInput,
  loadAnyPublicKey,
  assertReadableDirectory,
  TRUST_OPTIONS,
  TRUST_HELP,
  identityFromFlags,
  trustedRootLoader
};
