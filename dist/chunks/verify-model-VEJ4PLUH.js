import { createRequire as __modelLedgerCreateRequire } from 'node:module';
import { dirname as __modelLedgerPathDirname } from 'node:path';
import { fileURLToPath as __modelLedgerFileURLToPath } from 'node:url';
const require = __modelLedgerCreateRequire(import.meta.url);
const __modelLedgerFilename = __modelLedgerFileURLToPath(import.meta.url);
const __modelLedgerDirname = __modelLedgerPathDirname(__modelLedgerFilename);
import {
  modelArguments
} from "./chunk-2WZOTPD6.js";
import "./chunk-A7XNWU4I.js";
import "./chunk-KWZVUXJ7.js";
import {
  TRUST_HELP,
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
import "./chunk-E6I4P7FI.js";
import {
  compareResources,
  describeDifference,
  modelSigningKeyHint,
  parseOmsStatement,
  pathInside,
  serializeModel
} from "./chunk-UVPVIYUZ.js";
import "./chunk-76AGCTII.js";
import "./chunk-BQR56PF6.js";
import "./chunk-CF6SQW4Y.js";
import "./chunk-3DDHEWZZ.js";
import "./chunk-KIVWQLOT.js";
import "./chunk-HBZIYH74.js";
import "./chunk-K5UFL2LG.js";
import "./chunk-L2DKPJSZ.js";
import "./chunk-QUGHHY5W.js";
import "./chunk-FBKVKE4J.js";
import "./chunk-UJ5LYJPP.js";
import {
  verifyBundle
} from "./chunk-Q3EPHJZV.js";
import "./chunk-K46IQGOZ.js";
import {
  DSSE_PAYLOAD_TYPE
} from "./chunk-XHSS2EDQ.js";
import {
  VerificationFailure,
  resolvePolicy
} from "./chunk-IAOLLCTZ.js";
import {
  keyHint
} from "./chunk-KZKQFOQH.js";
import "./chunk-F3OFXP4A.js";
import {
  LedgerError,
  describeError
} from "./chunk-ICUNJ6NG.js";
import {
  require_dist2
} from "./chunk-6HJSFOKJ.js";
import "./chunk-ZC6XPDJG.js";
import {
  require_dist
} from "./chunk-6JW7FKWL.js";
import {
  __toESM
} from "./chunk-H3ACIWDX.js";

// src/cli/verify-model.ts
import { resolve } from "node:path";

// src/oms/verify.ts
var import_core = __toESM(require_dist2(), 1);
var import_protobuf_specs = __toESM(require_dist(), 1);
import { X509Certificate as NodeCertificate, verify as verifySignature } from "node:crypto";
import { stat } from "node:fs/promises";
var CODE_SIGNING = "1.3.6.1.5.5.7.3.3";
var MAX_CHAIN = 8;
async function verifyModelSignature(options) {
  const file = options.signatureFile;
  const json = parseJson(options.signature, file);
  const { payload, payloadType, signer } = verifySigned(json, options.trust, file);
  if (payloadType !== DSSE_PAYLOAD_TYPE) {
    throw new VerificationFailure(
      "CORRUPT",
      `signs a payload of type ${payloadType}, not an in-toto statement`,
      {
        file
      }
    );
  }
  const manifest = parseOmsStatement(payload, file);
  const display = options.display ?? options.path;
  const single = manifest.resources.length === 1 && manifest.resources[0]?.name === ".";
  if (single && await isDirectory(options.path)) {
    throw new VerificationFailure(
      "ARTIFACT_MISMATCH",
      `signs a single file (${manifest.modelName}), and ${display} is a directory`,
      { file, fix: `verify the file: ${display.replace(/\/+$/, "")}/${manifest.modelName}, if that is it` }
    );
  }
  const ignorePaths = [...manifest.serialization.ignore_paths ?? [], ...options.ignorePaths ?? []];
  const inside = options.signaturePath === void 0 ? null : pathInside(options.path, options.signaturePath);
  if (inside !== null) ignorePaths.push(inside);
  const actual = await serializeModel({
    path: options.path,
    ...options.display === void 0 ? {} : { display: options.display },
    ignorePaths,
    ...options.ignoreGitPaths === void 0 ? {} : { ignoreGitPaths: options.ignoreGitPaths },
    // As signed: a signature that lists symlinks as their targets is checked the same way.
    allowSymlinks: manifest.serialization.allow_symlinks,
    reportSymlinks: true,
    ...options.hash ? { hash: options.hash } : {}
  });
  const difference = compareResources(manifest.resources, actual.manifest.resources);
  difference.added.push(...actual.symlinks.map((link) => `${link} (symlink)`));
  const text = describeDifference(difference);
  if (text !== "") {
    throw new VerificationFailure(
      "ARTIFACT_MISMATCH",
      `model ${display} does not match its signature: ${text}`,
      { file }
    );
  }
  return { manifest, signer, files: manifest.resources.length };
}
async function isDirectory(path) {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
function parseJson(bytes, file) {
  try {
    return JSON.parse(bytes.toString("utf8"));
  } catch (error) {
    throw new VerificationFailure(
      "CORRUPT",
      `is not a Sigstore bundle: not valid JSON (${describeError(error)})`,
      {
        file,
        cause: error
      }
    );
  }
}
function verifySigned(json, trust, file) {
  if (trust.kind === "identity") {
    const verified = verifyBundle(json, { identity: trust.identity, trustedRoot: trust.trustedRoot }, file);
    if (verified.content !== "dsseEnvelope") {
      throw new VerificationFailure("CORRUPT", "holds a message signature, not a DSSE envelope", { file });
    }
    return { payload: verified.payload, payloadType: verified.payloadType, signer: verified.signer };
  }
  const { envelope, material } = readBundle(json, file);
  const [signature] = envelope.signatures;
  if (!signature || envelope.signatures.length !== 1) {
    throw new VerificationFailure("CORRUPT", "must hold exactly one DSSE signature", { file });
  }
  const payload = Buffer.from(envelope.payload);
  let key;
  let signer;
  if (trust.kind === "key") {
    key = trust.key;
    checkKeyHint(material, key, file);
    signer = { kind: "key", keyHint: keyHint(key) };
  } else {
    const { leaf, anchor } = verifyCertificateChain(material, trust.certificates, file);
    key = leaf.publicKey;
    signer = {
      kind: "certificate-chain",
      subject: leaf.subject,
      issuer: anchor.subject,
      fingerprint256: leaf.fingerprint256
    };
  }
  const pae = import_core.dsse.preAuthEncoding(envelope.payloadType, payload);
  let valid;
  try {
    valid = verifySignature(digestFor(key), pae, key, Buffer.from(signature.sig));
  } catch {
    valid = false;
  }
  if (!valid) {
    throw new VerificationFailure(
      "BAD_SIGNATURE",
      trust.kind === "key" ? "signature does not verify with the given public key (signed by another key, or the statement was changed)" : "signature does not verify with the signing certificate's key (the statement was changed)",
      { file }
    );
  }
  return { payload, payloadType: envelope.payloadType, signer };
}
var BUNDLE_MEDIA_TYPE = /^application\/vnd\.dev\.sigstore\.bundle(\.v0\.3\+json|\+json;version=0\.[123])$/;
function readBundle(json, file) {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new VerificationFailure("CORRUPT", "is not a Sigstore bundle (expected a JSON object)", { file });
  }
  const mediaType = json.mediaType;
  if (typeof mediaType !== "string" || !BUNDLE_MEDIA_TYPE.test(mediaType)) {
    throw new VerificationFailure(
      "CORRUPT",
      `has media type ${JSON.stringify(mediaType)}, not a Sigstore bundle`,
      {
        file,
        field: "mediaType"
      }
    );
  }
  let bundle;
  try {
    bundle = import_protobuf_specs.Bundle.fromJSON(json);
  } catch (error) {
    throw new VerificationFailure("CORRUPT", `is not a valid Sigstore bundle (${describeError(error)})`, {
      file,
      cause: error
    });
  }
  if (bundle.content?.$case !== "dsseEnvelope") {
    throw new VerificationFailure(
      "CORRUPT",
      "holds no DSSE envelope (model signatures sign an in-toto statement)",
      {
        file
      }
    );
  }
  const material = bundle.verificationMaterial?.content;
  if (!material) {
    throw new VerificationFailure("CORRUPT", "has no verification material (no key hint or certificate)", {
      file
    });
  }
  return { envelope: bundle.content.dsseEnvelope, material };
}
function digestFor(key) {
  if (key.asymmetricKeyType === "ed25519" || key.asymmetricKeyType === "ed448") return null;
  switch (key.asymmetricKeyDetails?.namedCurve) {
    case "secp384r1":
      return "sha384";
    case "secp521r1":
      return "sha512";
    default:
      return "sha256";
  }
}
function checkKeyHint(material, key, file) {
  if (material?.$case !== "publicKey") {
    throw new VerificationFailure(
      "UNKNOWN_SIGNER",
      "is signed with a certificate, not a key: verify it with --certificate-chain or the keyless identity flags",
      { file }
    );
  }
  const hint = material.publicKey.hint;
  if (!hint) return;
  const pem = key.export({ type: "spki", format: "pem" }).toString();
  const ours = keyHint(key);
  const theirs = modelSigningKeyHint(pem);
  if (hint !== ours && hint !== theirs) {
    throw new VerificationFailure(
      "UNKNOWN_SIGNER",
      `is signed by key ${hint}, not by the given key (${theirs})`,
      { file, fix: "pass the signer's public key with --key" }
    );
  }
}
function verifyCertificateChain(material, anchors, file) {
  const raw = material?.$case === "x509CertificateChain" ? material.x509CertificateChain.certificates.map((certificate) => certificate.rawBytes) : material?.$case === "certificate" ? [material.certificate.rawBytes] : [];
  if (raw.length === 0) {
    throw new VerificationFailure(
      "UNKNOWN_SIGNER",
      "is signed with a public key, not a certificate: verify it with --key",
      { file }
    );
  }
  let chain;
  try {
    chain = raw.map((bytes) => new NodeCertificate(Buffer.from(bytes)));
  } catch (error) {
    throw new VerificationFailure(
      "CORRUPT",
      `holds a certificate that cannot be parsed (${describeError(error)})`,
      {
        file,
        cause: error
      }
    );
  }
  const leaf = chain[0];
  const at = new Date(leaf.validFrom);
  const untrusted = (message) => new VerificationFailure("UNTRUSTED", message, {
    file,
    fix: "pass the CA certificate(s) the signer chains to with --certificate-chain"
  });
  const validAt = (certificate) => new Date(certificate.validFrom) <= at && at <= new Date(certificate.validTo);
  const issues = (issuer, subject) => issuer.ca && subject.checkIssued(issuer) && subject.verify(issuer.publicKey) && validAt(issuer);
  let current = leaf;
  let anchor;
  for (let depth = 0; depth < MAX_CHAIN && !anchor; depth++) {
    anchor = anchors.find((candidate) => issues(candidate, current));
    if (anchor) break;
    const next = chain.find((candidate) => candidate !== current && issues(candidate, current));
    if (!next) {
      throw untrusted(
        `certificate chain does not lead to a given CA: nothing given or in the bundle issued "${current.subject}" (issuer "${current.issuer}")`
      );
    }
    current = next;
  }
  if (!anchor) throw untrusted(`certificate chain is longer than ${MAX_CHAIN}`);
  if (!validAt(leaf)) throw untrusted("signing certificate is not valid at its own issue time");
  if (!maySign(leaf)) {
    throw new VerificationFailure(
      "UNTRUSTED",
      "signing certificate may not sign (neither key usage digitalSignature nor extended key usage codeSigning)",
      { file }
    );
  }
  return { leaf, anchor };
}
function maySign(certificate) {
  if (certificate.keyUsage?.includes(CODE_SIGNING)) return true;
  try {
    return import_core.X509Certificate.parse(certificate.raw).extKeyUsage?.digitalSignature === true;
  } catch {
    return false;
  }
}
function parseCertificates(pem, file) {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) {
    throw new LedgerError("BAD_INPUT", 'holds no PEM certificate ("BEGIN CERTIFICATE" block)', {
      file,
      fix: "pass the PEM file of the CA certificate(s) the signing certificate chains to"
    });
  }
  return blocks.map((block, index) => {
    try {
      return new NodeCertificate(block);
    } catch (error) {
      throw new LedgerError(
        "BAD_INPUT",
        `certificate ${index + 1} cannot be parsed (${describeError(error)})`,
        {
          file,
          cause: error
        }
      );
    }
  });
}

// src/cli/verify-model.ts
var VERIFY_MODEL_HELP = `Usage: model-ledger verify-model MODEL --signature model.sig
           (--key PUB.pem | --certificate-chain CA.pem... | --certificate-identity ID --certificate-oidc-issuer URL)
           [--ignore-paths PATH]... [--no-ignore-git-paths] [--json]

Verifies an OpenSSF Model Signing (OMS v1.0) signature, made by \`model-ledger sign-model\` or by
\`model_signing sign\` (key, certificate or Sigstore), against a model directory or file: who
signed, and that the model's files are exactly the signed ones. The signature's own ignore paths,
the signature file and git files (.git, .gitattributes, .github, .gitignore) are left out.

Options:
  --signature FILE          the signature to verify (required)
  --key PUB.pem             signed with the private half of this public key (model_signing: key)
  --certificate-chain FILE  CA certificate(s) (PEM) the signing certificate must chain to
                            (repeatable; model_signing: certificate)
${TRUST_HELP}
  --ignore-paths PATH       also leave this file or directory out (repeatable; relative to the
                            current directory)
  --no-ignore-git-paths     compare git files too
  --no-cache                hash every file again instead of reusing digests of unchanged files
  --json                    print the result as JSON
Exit status: 0 verified; 1 the signature or the model does not verify (what differs on one
line); 2 bad usage or an unreadable input (key, certificate, trusted root).`;
var OPTIONS = {
  ...COMMON_OPTIONS,
  signature: { type: "string" },
  key: { type: "string" },
  "certificate-chain": { type: "string", multiple: true },
  ...TRUST_OPTIONS,
  "ignore-paths": { type: "string", multiple: true },
  "no-ignore-git-paths": { type: "boolean" },
  "no-cache": { type: "boolean" }
};
function usage(message, fix = "see `model-ledger verify-model --help`") {
  return new LedgerError("USAGE", message, { field: "verify-model", fix });
}
var verifyModelCommand = async (argv, context) => {
  const { values, positionals } = parseCommandArgs("verify-model", argv, OPTIONS, 1);
  if (values.help) {
    context.output.out(VERIFY_MODEL_HELP);
    return 0;
  }
  if (values.signature === void 0) throw usage("--signature FILE is required");
  const model = modelArguments("verify-model", positionals, values, context);
  const trust = await trustFromFlags(values, context);
  const signaturePath = resolve(context.cwd, values.signature);
  const signature = await readInput(signaturePath, values.signature, "signature");
  try {
    const verified = await verifyModelSignature({
      path: model.path,
      display: model.model,
      signature,
      signatureFile: values.signature,
      signaturePath,
      trust,
      ignorePaths: model.ignorePaths,
      ignoreGitPaths: model.ignoreGitPaths,
      hash: model.hash
    });
    const { manifest, signer } = verified;
    if (values.json) {
      context.output.out(
        JSON.stringify(
          {
            ok: true,
            model: model.model,
            signature: values.signature,
            subject: { name: manifest.modelName, sha256: manifest.subjectDigest },
            files: verified.files,
            signer
          },
          null,
          2
        )
      );
    } else {
      const who = signer.kind === "key" ? `key ${signer.keyHint.slice(0, 16)}\u2026` : signer.kind === "certificate-chain" ? `certificate "${signer.subject}" (chained to "${signer.issuer}")` : `${signer.identity} (issuer ${signer.issuer})`;
      context.output.out(
        `ok: ${model.model}: ${verified.files} file(s) match ${values.signature}, signed by ${who}; subject sha256:${manifest.subjectDigest}`
      );
    }
    return 0;
  } catch (error) {
    if (values.json && error instanceof VerificationFailure) {
      context.output.out(
        JSON.stringify(
          { ok: false, model: model.model, problem: error.problem, message: error.message },
          null,
          2
        )
      );
    }
    throw error;
  }
};
async function trustFromFlags(values, context) {
  const identity = identityFromFlags(values);
  const chains = values["certificate-chain"] ?? [];
  const given = [values.key !== void 0, chains.length > 0, Object.keys(identity).length > 0].filter(
    Boolean
  );
  if (given.length !== 1) {
    throw usage(
      given.length === 0 ? "say who must have signed: --key, --certificate-chain or a certificate identity" : "--key, --certificate-chain and the certificate identity options exclude each other"
    );
  }
  if (values.key !== void 0) {
    return { kind: "key", key: await loadAnyPublicKey(resolve(context.cwd, values.key), values.key) };
  }
  if (chains.length > 0) {
    const certificates = [];
    for (const file of chains) {
      const pem = (await readInput(resolve(context.cwd, file), file, "certificate chain")).toString("utf8");
      certificates.push(...parseCertificates(pem, file));
    }
    return { kind: "certificate-chain", certificates };
  }
  resolvePolicy(identity);
  const root = await trustedRootLoader(values, context, "verify-model")();
  return { kind: "identity", identity, trustedRoot: root.json };
}
export {
  VERIFY_MODEL_HELP,
  verifyModelCommand
};
