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
import {
  require_dist,
  require_dist2
} from "./chunk-6HJSFOKJ.js";
import {
  __toESM
} from "./chunk-H3ACIWDX.js";

// src/verify/problems.ts
var VerificationFailure = class extends LedgerError {
  problem;
  constructor(problem, message, options = {}) {
    super("VERIFICATION_FAILED", message, options);
    this.name = "VerificationFailure";
    this.problem = problem;
  }
};

// src/verify/bundle-parse.ts
var import_bundle = __toESM(require_dist(), 1);
var MEDIA_TYPES = [
  import_bundle.BUNDLE_V01_MEDIA_TYPE,
  import_bundle.BUNDLE_V02_MEDIA_TYPE,
  import_bundle.BUNDLE_V03_LEGACY_MEDIA_TYPE,
  import_bundle.BUNDLE_V03_MEDIA_TYPE
];
var FIELD_WORDS = {
  content: "it holds no signature (neither messageSignature nor dsseEnvelope)",
  verificationMaterial: "it has no verificationMaterial (no certificate or public key to check the signature with)",
  "verificationMaterial.content": "its verificationMaterial holds no certificate, certificate chain or public key"
};
function parseBundle(json, file) {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new VerificationFailure("CORRUPT", "is not a Sigstore bundle (expected a JSON object)", { file });
  }
  const mediaType = json.mediaType;
  if (typeof mediaType !== "string" || !MEDIA_TYPES.includes(mediaType)) {
    throw new VerificationFailure(
      "CORRUPT",
      mediaType === void 0 ? "is not a Sigstore bundle (it has no mediaType)" : `has media type ${JSON.stringify(mediaType)}, which is not a Sigstore bundle version this verifier knows (v0.1, v0.2, v0.3)`,
      { file, field: "mediaType" }
    );
  }
  try {
    return (0, import_bundle.bundleFromJSON)(json);
  } catch (error) {
    const fields = error.fields;
    const detail = Array.isArray(fields) ? fields.map((field) => FIELD_WORDS[String(field)] ?? `${String(field)} is missing or invalid`).join("; ") : describeError(error);
    throw new VerificationFailure("CORRUPT", `is not a valid Sigstore bundle: ${detail}`, {
      file,
      cause: error
    });
  }
}

// src/verify/identity.ts
var GITHUB_ACTIONS_ISSUER = "https://token.actions.githubusercontent.com";
function resolvePolicy(policy, file) {
  const usage = (message, fix) => {
    throw new LedgerError("USAGE", message, { ...file === void 0 ? {} : { file }, fix });
  };
  const { identity, identityRegexp, signerRepo, signerWorkflow } = policy;
  if (identity !== void 0 && identityRegexp !== void 0) {
    usage("--certificate-identity and --certificate-identity-regexp exclude each other", "give one of them");
  }
  if (identity === void 0 && identityRegexp === void 0 && signerRepo === void 0 && signerWorkflow === void 0) {
    usage(
      "is signed with a certificate, and no identity was given to check it against: any signer would pass",
      "pass --certificate-identity (or --certificate-identity-regexp) with --certificate-oidc-issuer, or --signer-repo / --signer-workflow"
    );
  }
  let issuer = policy.issuer;
  if (issuer === void 0) {
    if (signerRepo === void 0 && signerWorkflow === void 0) {
      usage(
        "a certificate identity needs its OIDC issuer",
        "add --certificate-oidc-issuer URL (GitHub Actions: https://token.actions.githubusercontent.com)"
      );
    }
    issuer = GITHUB_ACTIONS_ISSUER;
  }
  const resolved = { ...policy, issuer };
  if (identityRegexp !== void 0) {
    try {
      resolved.pattern = new RegExp(identityRegexp);
    } catch (error) {
      usage(
        `--certificate-identity-regexp is not a regular expression (${describeError(error)})`,
        "fix the expression"
      );
    }
  }
  if (signerRepo !== void 0 && !/^[\w.-]+\/[\w.-]+$/.test(signerRepo)) {
    usage(
      `--signer-repo ${JSON.stringify(signerRepo)} is not OWNER/REPO`,
      "write it as OWNER/REPO, e.g. sigstore/sigstore-js"
    );
  }
  if (signerWorkflow !== void 0) {
    const segments = signerWorkflow.split("/").filter((segment) => segment !== "");
    const host = segments[0]?.includes(".") ? segments.shift() : "github.com";
    const [owner, repo, ...path] = segments;
    if (!owner || !repo || path.length === 0) {
      usage(
        `--signer-workflow ${JSON.stringify(signerWorkflow)} is not [HOST/]OWNER/REPO/PATH`,
        "write it as OWNER/REPO/.github/workflows/FILE.yml"
      );
    }
    resolved.workflow = { prefix: `https://${host}/${owner}/${repo}/`, path: path.join("/") };
  }
  return resolved;
}
function checkIdentity(signer, policy, file) {
  const fail = (message) => {
    throw new VerificationFailure("IDENTITY_MISMATCH", message, { file });
  };
  const san = signer.identity || "(no identity)";
  if (policy.identity !== void 0 && signer.identity !== policy.identity) {
    fail(`signed by ${san}, expected ${policy.identity}`);
  }
  if (policy.pattern && !policy.pattern.test(signer.identity)) {
    fail(`signed by ${san}, which does not match ${policy.identityRegexp ?? ""}`);
  }
  if (signer.issuer !== policy.issuer) {
    fail(`signed by ${san} with OIDC issuer ${signer.issuer || "(none)"}, expected issuer ${policy.issuer}`);
  }
  const workflow = signer.extensions.buildSignerURI ?? signer.identity;
  if (policy.signerRepo !== void 0) {
    const prefix = `https://github.com/${policy.signerRepo}/`;
    if (!workflow.toLowerCase().startsWith(prefix.toLowerCase())) {
      fail(`signed by ${workflow}, expected a workflow in repository ${policy.signerRepo}`);
    }
  }
  if (policy.workflow) {
    const { prefix, path } = policy.workflow;
    const [base = ""] = workflow.split("@");
    if (!base.toLowerCase().startsWith(prefix.toLowerCase()) || base.slice(prefix.length) !== path) {
      fail(`signed by ${workflow}, expected workflow ${prefix}${path}@\u2026`);
    }
  }
}

// src/verify/certificate.ts
var import_core = __toESM(require_dist2(), 1);
function leafCertificate(bundle, file) {
  const material = bundle.verificationMaterial.content;
  const raw = material.$case === "certificate" ? [material.certificate.rawBytes] : material.$case === "x509CertificateChain" ? material.x509CertificateChain.certificates.map((certificate) => certificate.rawBytes) : [];
  let certificates;
  try {
    certificates = raw.map((bytes) => import_core.X509Certificate.parse(Buffer.from(bytes)));
  } catch (error) {
    throw new VerificationFailure(
      "CORRUPT",
      `holds a certificate that cannot be parsed (${describeError(error)})`,
      { file, cause: error }
    );
  }
  const [leaf] = certificates;
  if (!leaf) throw new VerificationFailure("CORRUPT", "holds no signing certificate", { file });
  if (certificates.some((certificate) => certificate.isCA && certificate.subject.equals(certificate.issuer))) {
    throw new VerificationFailure(
      "UNTRUSTED",
      "its certificate chain includes a root certificate: roots must come from the trusted root, never from the bundle",
      { file }
    );
  }
  if (leaf.isCA)
    throw new VerificationFailure("UNTRUSTED", "is signed with a CA certificate, not a signing certificate", {
      file
    });
  return leaf;
}
var FULCIO_OID = "1.3.6.1.4.1.57264.1.";
var FULCIO_EXTENSIONS = {
  1: { name: "issuer", der: false },
  2: { name: "githubWorkflowTrigger", der: false },
  3: { name: "githubWorkflowSHA", der: false },
  4: { name: "githubWorkflowName", der: false },
  5: { name: "githubWorkflowRepository", der: false },
  6: { name: "githubWorkflowRef", der: false },
  8: { name: "issuer", der: true },
  9: { name: "buildSignerURI", der: true },
  10: { name: "buildSignerDigest", der: true },
  11: { name: "runnerEnvironment", der: true },
  12: { name: "sourceRepositoryURI", der: true },
  13: { name: "sourceRepositoryDigest", der: true },
  14: { name: "sourceRepositoryRef", der: true },
  15: { name: "sourceRepositoryIdentifier", der: true },
  16: { name: "sourceRepositoryOwnerURI", der: true },
  17: { name: "sourceRepositoryOwnerIdentifier", der: true },
  18: { name: "buildConfigURI", der: true },
  19: { name: "buildConfigDigest", der: true },
  20: { name: "buildTrigger", der: true },
  21: { name: "runInvocationURI", der: true },
  22: { name: "sourceRepositoryVisibilityAtSigning", der: true }
};
function certificateExtensions(certificate) {
  const found = {};
  for (const number of Object.keys(FULCIO_EXTENSIONS).map(Number).sort((a, b) => a - b)) {
    const spec = FULCIO_EXTENSIONS[number];
    const extension = spec && readOrUndefined(() => certificate.extension(`${FULCIO_OID}${number}`));
    if (!spec || !extension) continue;
    const value = spec.der ? readOrUndefined(() => import_core.ASN1Obj.parseBuffer(Buffer.from(extension.value)).value) : extension.value;
    if (value) found[spec.name] = Buffer.from(value).toString("utf8");
  }
  return found;
}
function readOrUndefined(read) {
  try {
    return read();
  } catch {
    return void 0;
  }
}

export {
  VerificationFailure,
  parseBundle,
  leafCertificate,
  certificateExtensions,
  readOrUndefined,
  GITHUB_ACTIONS_ISSUER,
  resolvePolicy,
  checkIdentity
};
