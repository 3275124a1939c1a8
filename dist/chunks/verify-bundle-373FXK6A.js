import { createRequire as __modelLedgerCreateRequire } from 'node:module';
import { dirname as __modelLedgerPathDirname } from 'node:path';
import { fileURLToPath as __modelLedgerFileURLToPath } from 'node:url';
const require = __modelLedgerCreateRequire(import.meta.url);
const __modelLedgerFilename = __modelLedgerFileURLToPath(import.meta.url);
const __modelLedgerDirname = __modelLedgerPathDirname(__modelLedgerFilename);
import {
  TRUST_OPTIONS,
  identityFromFlags,
  loadAnyPublicKey,
  readInput,
  trustedRootLoader
} from "./chunk-D5KYMKBQ.js";
import {
  COMMON_OPTIONS,
  parseCommandArgs
} from "./chunk-KA24FKIR.js";
import {
  hashFileWith,
  parseArtifactArgument,
  subjectAlgorithms,
  verifyBundle
} from "./chunk-Q3EPHJZV.js";
import {
  VerificationFailure,
  parseBundle,
  resolvePolicy
} from "./chunk-IAOLLCTZ.js";
import "./chunk-KZKQFOQH.js";
import "./chunk-F3OFXP4A.js";
import {
  LedgerError,
  describeError
} from "./chunk-ICUNJ6NG.js";
import "./chunk-6HJSFOKJ.js";
import "./chunk-ZC6XPDJG.js";
import "./chunk-6JW7FKWL.js";
import "./chunk-H3ACIWDX.js";

// src/cli/verify-bundle.ts
import { resolve } from "node:path";

// src/verify/verify-artifact.ts
async function verifyArtifact(options) {
  const bundles = parseBundleFile(options.bundle, options.bundleFile).map((document) => ({
    ...document,
    bundle: parseBundle(document.json, document.label)
  }));
  const needsRoot = options.trustedRootGiven === true || options.key === void 0 || bundles.some(({ bundle }) => hasLogOrTimestamp(bundle));
  const trust = {
    ...options.key ? { key: options.key } : { identity: options.identity ?? {} },
    ...needsRoot ? { trustedRoot: await options.loadTrustedRoot() } : {}
  };
  const artifacts = new ArtifactSource(options.artifact, options.artifactPath);
  const results = [];
  for (const { json, label, bundle } of bundles)
    results.push({ label, verified: verifyBundle(json, trust, label, await artifacts.for(bundle)) });
  return results;
}
function parseBundleFile(bytes, file) {
  const text = bytes.toString("utf8");
  try {
    return [{ json: unwrap(JSON.parse(text)), label: file }];
  } catch (error) {
    const lines = text.split(/\r?\n/).map((line, index) => ({ line, number: index + 1 })).filter(({ line }) => line.trim() !== "");
    if (lines.length > 1) {
      const documents = lines.flatMap(({ line, number }) => {
        try {
          return [{ json: unwrap(JSON.parse(line)), label: `${file} line ${number}` }];
        } catch {
          return [];
        }
      });
      if (documents.length === lines.length) return documents;
    }
    throw new VerificationFailure(
      "CORRUPT",
      `is not a Sigstore bundle: not valid JSON (${describeError(error)})`,
      { file, cause: error }
    );
  }
}
function unwrap(json) {
  if (typeof json === "object" && json !== null && !("mediaType" in json) && "bundle" in json)
    return json.bundle;
  return json;
}
function hasLogOrTimestamp(bundle) {
  const material = bundle.verificationMaterial;
  return material.tlogEntries.length > 0 || (material.timestampVerificationData?.rfc3161Timestamps.length ?? 0) > 0;
}
var ArtifactSource = class {
  constructor(argument, resolvedPath) {
    this.argument = argument;
    this.parsed = parseArtifactArgument(argument, resolvedPath);
  }
  argument;
  parsed;
  bytes;
  digests = /* @__PURE__ */ new Map();
  async for(bundle) {
    if ("digest" in this.parsed) return { kind: "digests", digests: { sha256: this.parsed.digest } };
    const { path } = this.parsed;
    if (bundle.content.$case === "messageSignature") {
      this.bytes ??= await readInput(path, this.argument, "artifact");
      return { kind: "bytes", bytes: this.bytes };
    }
    const missing = subjectAlgorithms(bundle).filter((algorithm) => !this.digests.has(algorithm));
    if (missing.length > 0) {
      const hashed = await hashFileWith(path, missing, this.argument);
      for (const algorithm of missing) this.digests.set(algorithm, hashed[algorithm]);
    }
    return { kind: "digests", digests: Object.fromEntries(this.digests) };
  }
};

// src/cli/verify-bundle.ts
var VERIFY_BUNDLE_HELP = `Usage: model-ledger verify-bundle --bundle FILE
           (--certificate-identity ID | --certificate-identity-regexp RE) --certificate-oidc-issuer URL
           [--signer-repo OWNER/REPO] [--signer-workflow [HOST/]OWNER/REPO/PATH]
           [--trusted-root FILE | --tuf-mirror-url URL [--tuf-root FILE]] [--json] FILE_OR_DIGEST
       model-ledger verify-bundle --bundle FILE --key PUB.PEM [--trusted-root FILE] FILE_OR_DIGEST

Verifies one Sigstore bundle (v0.1, v0.2, v0.3; message signature or DSSE) against an artifact,
as cosign verify-blob and gh attestation verify do; implements the sigstore-conformance client
protocol. FILE_OR_DIGEST is the artifact, or its digest written sha256:<64 hex>. For a DSSE
bundle the artifact must be a subject of the signed in-toto statement. A .jsonl file of bundles
(one per line, as gh attestation download writes) passes when every bundle verifies.

Options:
  --bundle FILE                      the bundle to verify
  --certificate-identity ID          the signing certificate's identity (SAN), exactly
  --certificate-identity-regexp RE   a regular expression the SAN must match (unanchored, as in
                                     cosign: write ^...$ to pin all of it)
  --certificate-oidc-issuer URL      the OIDC issuer in the certificate, exactly
  --signer-repo OWNER/REPO           the signing workflow is in this repository (as gh attestation
                                     verify --signer-repo; for a reusable workflow, its repository)
  --signer-workflow OWNER/REPO/PATH  the signing workflow is this file, at any ref
                                     (with --signer-repo/--signer-workflow the issuer defaults to
                                     https://token.actions.githubusercontent.com)
  --key PUB.PEM                      verify a key-signed bundle with this public key instead
  --trusted-root FILE                Sigstore trusted root (trusted_root.json): verify offline
  --tuf-mirror-url URL               fetch the trusted root through this TUF repository
                                     (default: the public-good instance's; cached under
                                     $XDG_CACHE_HOME/model-ledger/tuf)
  --tuf-root FILE                    that repository's initial root.json (needed for any
                                     repository but the public-good one)
  --json                             print the result as JSON
Exit status: 0 verified; 1 verification failed (the reason on one line); 2 bad usage or an
unreadable input (bundle file, artifact, key, trusted root).
A bundle file that is not a valid bundle (malformed JSON, unknown version, missing fields) fails
verification (1): it is the thing under test, and what it holds does not verify.`;
var OPTIONS = {
  ...COMMON_OPTIONS,
  bundle: { type: "string" },
  ...TRUST_OPTIONS,
  key: { type: "string" }
};
function usage(message, fix = "see `model-ledger verify-bundle --help`") {
  return new LedgerError("USAGE", message, { field: "verify-bundle", fix });
}
var verifyBundleCommand = async (argv, context) => {
  const { values, positionals } = parseCommandArgs("verify-bundle", argv, OPTIONS, 1);
  if (values.help) {
    context.output.out(VERIFY_BUNDLE_HELP);
    return 0;
  }
  if (values.bundle === void 0) throw usage("--bundle FILE is required");
  const target = positionals[0];
  if (target === void 0) throw usage("the artifact to verify (FILE_OR_DIGEST) is missing");
  const identity = identityFromFlags(values);
  if (values.key !== void 0 && Object.keys(identity).length > 0) {
    throw usage(
      "--key and the certificate identity options exclude each other",
      "give --key for a key-signed bundle, or an identity for a certificate"
    );
  }
  if (values.key === void 0) resolvePolicy(identity);
  const loadTrustedRoot = trustedRootLoader(values, context, "verify-bundle");
  const bundleFile = values.bundle;
  const key = values.key === void 0 ? void 0 : await loadAnyPublicKey(resolve(context.cwd, values.key), values.key);
  let results;
  try {
    results = await verifyArtifact({
      bundle: await readInput(resolve(context.cwd, bundleFile), bundleFile, "bundle"),
      bundleFile,
      artifact: target,
      artifactPath: resolve(context.cwd, target),
      ...key ? { key } : { identity },
      loadTrustedRoot: async () => (await loadTrustedRoot()).json,
      trustedRootGiven: values["trusted-root"] !== void 0
    });
  } catch (error) {
    if (values.json && error instanceof VerificationFailure) {
      context.output.out(
        JSON.stringify(
          { ok: false, bundle: bundleFile, problem: error.problem, message: error.message },
          null,
          2
        )
      );
    }
    throw error;
  }
  if (values.json) {
    context.output.out(
      JSON.stringify(
        {
          ok: true,
          bundle: bundleFile,
          artifact: target,
          results: results.map(({ label, verified }) => summary(label, verified))
        },
        null,
        2
      )
    );
  } else {
    for (const { label, verified } of results) report(label, verified, context.output);
  }
  return 0;
};
function signerText(verified) {
  const { signer } = verified;
  if (signer.kind === "key") return `signed by key ${signer.keyHint.slice(0, 16)}\u2026`;
  return `signed by ${signer.identity} (issuer ${signer.issuer})`;
}
function report(label, verified, output) {
  const times = verified.timestamps.map(
    (timestamp) => `${timestamp.time.toISOString()} (${timestamp.source})`
  );
  const what = verified.content === "dsseEnvelope" ? `statement subject ${verified.subject?.name || "(unnamed)"}` : `${verified.messageDigest.algorithm}:${verified.messageDigest.hex.slice(0, 12)}\u2026`;
  output.out(
    `ok: ${label}: ${signerText(verified)}${times.length > 0 ? ` at ${times.join(", ")}` : ""}; artifact matches ${what}`
  );
}
function summary(label, verified) {
  return {
    bundle: label,
    mediaType: verified.mediaType,
    content: verified.content,
    signer: verified.signer,
    timestamps: verified.timestamps.map((timestamp) => ({
      source: timestamp.source,
      time: timestamp.time.toISOString()
    })),
    ...verified.content === "dsseEnvelope" ? { payloadType: verified.payloadType, subject: verified.subject } : { messageDigest: verified.messageDigest }
  };
}
export {
  VERIFY_BUNDLE_HELP,
  verifyBundleCommand
};
