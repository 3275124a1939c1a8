import { createRequire as __modelLedgerCreateRequire } from 'node:module';
import { dirname as __modelLedgerPathDirname } from 'node:path';
import { fileURLToPath as __modelLedgerFileURLToPath } from 'node:url';
const require = __modelLedgerCreateRequire(import.meta.url);
const __modelLedgerFilename = __modelLedgerFileURLToPath(import.meta.url);
const __modelLedgerDirname = __modelLedgerPathDirname(__modelLedgerFilename);
import {
  instanceChoice
} from "./chunk-A7XNWU4I.js";
import {
  COMMON_OPTIONS,
  parseCommandArgs
} from "./chunk-KA24FKIR.js";
import {
  DEFAULT_SIGNATURE_FILE,
  pathInside,
  resolveSigner,
  signModelDirectory
} from "./chunk-UVPVIYUZ.js";
import {
  hashSettingsFor
} from "./chunk-K5UFL2LG.js";
import {
  silentLogger
} from "./chunk-FBKVKE4J.js";
import {
  LedgerError,
  describeError
} from "./chunk-ICUNJ6NG.js";

// src/cli/sign-model.ts
import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
var SIGN_MODEL_HELP = `Usage: model-ledger sign-model MODEL (--key KEY.pem | --keyless [Sigstore options])
           [--out model.sig] [--ignore-paths PATH]... [--no-ignore-git-paths] [--json]

Signs a model directory (or a single model file) in the OpenSSF Model Signing format (OMS v1.0,
as \`model_signing sign\` writes it): a Sigstore bundle whose in-toto statement lists every file
with its sha256. \`model_signing verify\` and \`model-ledger verify-model\` verify it.

Options:
  --out FILE          where to write the signature (default ${DEFAULT_SIGNATURE_FILE}); left out of the
                      signed files when inside the model
  --key PEM           sign with this PKCS#8 ECDSA P-256 private key
  --keyless           sign keyless with Sigstore (OIDC token from GitHub Actions or SIGSTORE_ID_TOKEN)
  --sigstore NAME     keyless instance: auto, public-good or github
  --fulcio-url URL    custom Sigstore: Fulcio (with --rekor-url and/or --tsa-url)
  --rekor-url URL     custom Sigstore: Rekor transparency log
  --tsa-url URL       custom Sigstore: RFC 3161 timestamp authority
  --ignore-paths PATH leave this file or directory out (repeatable; relative to the current
                      directory, as model_signing reads it); recorded in the signature
  --no-ignore-git-paths
                      sign .git, .gitattributes, .github and .gitignore too (left out by default)
  --allow-symlinks    sign symlinks (to files inside the model) as the files they point to
  --no-cache          hash every file again instead of reusing digests of unchanged files
  --json              print what was signed as JSON
Exit status: 0 signed; 2 bad usage or input.`;
var OPTIONS = {
  ...COMMON_OPTIONS,
  out: { type: "string" },
  key: { type: "string" },
  keyless: { type: "boolean" },
  sigstore: { type: "string" },
  "fulcio-url": { type: "string" },
  "rekor-url": { type: "string" },
  "tsa-url": { type: "string" },
  "ignore-paths": { type: "string", multiple: true },
  "no-ignore-git-paths": { type: "boolean" },
  "allow-symlinks": { type: "boolean" },
  "no-cache": { type: "boolean" }
};
function modelRelativePaths(paths, cwd, model) {
  const inside = [];
  const outside = [];
  for (const path of paths) {
    const within = pathInside(model, resolve(cwd, path));
    if (within === null) outside.push(path);
    else inside.push(within);
  }
  return { inside, outside };
}
function modelArguments(command, positionals, values, context) {
  const [model] = positionals;
  if (model === void 0) {
    throw new LedgerError("USAGE", "the model directory or file (MODEL) is missing", {
      field: command,
      fix: `see \`model-ledger ${command} --help\``
    });
  }
  const path = resolve(context.cwd, model);
  const { inside, outside } = modelRelativePaths(values["ignore-paths"] ?? [], context.cwd, path);
  for (const ignored of outside) {
    context.output.err(`warning: --ignore-paths ${ignored} is not inside ${model}; it changes nothing`);
  }
  return {
    model,
    path,
    ignorePaths: inside,
    ignoreGitPaths: values["no-ignore-git-paths"] !== true,
    hash: hashSettingsFor(values["no-cache"] ? { noCache: true } : {}, context.env, silentLogger)
  };
}
var signModelCommand = async (argv, context) => {
  const { values, positionals } = parseCommandArgs("sign-model", argv, OPTIONS, 1);
  if (values.help) {
    context.output.out(SIGN_MODEL_HELP);
    return 0;
  }
  if (values.key === void 0 === (values.keyless !== true)) {
    throw new LedgerError("USAGE", "give exactly one of --key KEY.pem and --keyless", {
      field: "sign-model",
      fix: "sign with a key (`model-ledger keygen` makes one) or keyless with Sigstore"
    });
  }
  const model = modelArguments("sign-model", positionals, values, context);
  const { signer, notices } = await resolveSigner(
    {
      signing: values.key === void 0 ? "keyless" : "key",
      ...values.key === void 0 ? {} : { keyFile: resolve(context.cwd, values.key) },
      sigstore: {
        instance: instanceChoice(values.sigstore),
        ...values["fulcio-url"] === void 0 ? {} : { fulcioUrl: values["fulcio-url"] },
        ...values["rekor-url"] === void 0 ? {} : { rekorUrl: values["rekor-url"] },
        ...values["tsa-url"] === void 0 ? {} : { tsaUrl: values["tsa-url"] }
      }
    },
    context.env
  );
  const out = resolve(context.cwd, values.out ?? DEFAULT_SIGNATURE_FILE);
  const signature = await signModelDirectory({
    path: model.path,
    display: model.model,
    ignorePaths: model.ignorePaths,
    ignoreGitPaths: model.ignoreGitPaths,
    allowSymlinks: values["allow-symlinks"] === true,
    hash: model.hash,
    signer,
    signatureFile: out
  });
  const temporary = `${out}.${process.pid}.tmp`;
  try {
    await mkdir(dirname(out), { recursive: true });
    await writeFile(temporary, signature.bytes);
    await rename(temporary, out);
  } catch (error) {
    throw new LedgerError("IO", `cannot write the signature (${describeError(error)})`, {
      file: out,
      cause: error
    });
  }
  const { manifest } = signature;
  if (values.json) {
    context.output.out(
      JSON.stringify(
        {
          out,
          sha256: signature.sha256,
          model: manifest.modelName,
          subjectDigest: manifest.subjectDigest,
          resources: manifest.resources,
          serialization: manifest.serialization,
          signingMode: signer.mode,
          notices
        },
        null,
        2
      )
    );
  } else {
    for (const notice of notices) context.output.err(`notice: ${notice}`);
    context.output.out(
      `signed ${model.model} (${manifest.resources.length} file(s), subject sha256:${manifest.subjectDigest}) \u2192 ${out}`
    );
  }
  return 0;
};

export {
  SIGN_MODEL_HELP,
  modelRelativePaths,
  modelArguments,
  signModelCommand
};
