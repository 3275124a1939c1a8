import { createRequire as __modelLedgerCreateRequire } from 'node:module';
import { dirname as __modelLedgerPathDirname } from 'node:path';
import { fileURLToPath as __modelLedgerFileURLToPath } from 'node:url';
const require = __modelLedgerCreateRequire(import.meta.url);
const __modelLedgerFilename = __modelLedgerFileURLToPath(import.meta.url);
const __modelLedgerDirname = __modelLedgerPathDirname(__modelLedgerFilename);
import {
  localLedgerDir
} from "./chunk-AUHXVDZ5.js";
import {
  GITHUB_VERIFY_HELP,
  GITHUB_VERIFY_OPTIONS,
  gitHubLedgerToVerify
} from "./chunk-KWZVUXJ7.js";
import {
  TRUST_HELP,
  TRUST_OPTIONS,
  assertReadableDirectory,
  identityFromFlags,
  trustedRootLoader
} from "./chunk-D5KYMKBQ.js";
import {
  COMMON_OPTIONS,
  parseCommandArgs
} from "./chunk-KA24FKIR.js";
import {
  verifyEvidencePack
} from "./chunk-ZX3WVEAR.js";
import {
  loadPolicy
} from "./chunk-BQR56PF6.js";
import "./chunk-XHJCWUDZ.js";
import {
  DEVELOPMENT_KEY_LABEL
} from "./chunk-CF6SQW4Y.js";
import {
  DEFAULT_LEDGER_DIR,
  GitHubReleaseStore,
  LocalStore
} from "./chunk-3DDHEWZZ.js";
import "./chunk-KIVWQLOT.js";
import {
  describeLedgerPolicy,
  verifyLedger,
  witnessKey
} from "./chunk-FT2AGEZG.js";
import "./chunk-HBZIYH74.js";
import "./chunk-K5UFL2LG.js";
import "./chunk-L2DKPJSZ.js";
import "./chunk-QUGHHY5W.js";
import "./chunk-VGVNKUX2.js";
import "./chunk-FBKVKE4J.js";
import "./chunk-UJ5LYJPP.js";
import "./chunk-Q3EPHJZV.js";
import "./chunk-K46IQGOZ.js";
import "./chunk-XHSS2EDQ.js";
import {
  resolvePolicy
} from "./chunk-IAOLLCTZ.js";
import {
  loadPublicKey,
  publicKeyPem,
  readBoundedText
} from "./chunk-KZKQFOQH.js";
import "./chunk-F3OFXP4A.js";
import {
  LedgerError
} from "./chunk-ICUNJ6NG.js";
import "./chunk-6HJSFOKJ.js";
import "./chunk-ZC6XPDJG.js";
import "./chunk-6JW7FKWL.js";
import "./chunk-H3ACIWDX.js";

// src/cli/verify.ts
import { join, resolve } from "node:path";
var VERIFY_HELP = `Usage: model-ledger verify [options]

Verifies every record of a ledger: signature and signer, schema, the chain (index sequence,
links to previous records, forks, gaps), and with --artifacts the head record's model files.

Options:
  --store DIR         ledger directory (default ${DEFAULT_LEDGER_DIR})
  --pack DIR          an unzipped evidence pack: its ledger (DIR/ledger), and its signed manifest
                      (MANIFEST.sigstore.json) against every file of the pack, by the same signer
${GITHUB_VERIFY_HELP}
  --key PUB.PEM       trust only this public key (repeatable); default: the ledger's keys/, pinned
                      to the key that signed record 0
  --artifacts DIR     check the head record's model files under DIR
  --policy FILE       evaluate every record against this policy file (signers included) and
                      report record by record; a broken enforced rule fails verification

  --origin ORIGIN     every record must belong to this ledger (github.com/OWNER/REPO#main);
                      default: the ledger of record 0

Anchors outside the ledger (without one, dropping the newest records or rewriting history with
the signing key cannot be detected, and verify says so):
  --checkpoint FILE   a checkpoint saved earlier (\`model-ledger checkpoint\`, the Action's
                      \`checkpoint\` output, a witness's cosigned copy) the ledger must extend
                      (repeatable); or sha256:HEX, a record's statement digest that must be in it
  --witness-key [NAME=]PUB.PEM
                      a witness whose cosignature the newest --checkpoint must carry (repeatable)
  --witness-threshold N  cosignatures needed (default: every --witness-key)
  --max-witness-age DURATION  the cosigned checkpoint may cover fewer records than the ledger
                      when cosigned this recently (e.g. 36h, 7d)

Keyless records are checked against a Sigstore trusted root and must carry the certificate
identity of record 0, unless these say otherwise:
${TRUST_HELP}
  --json              print the full result as JSON
Exit status: 0 all checks hold; 1 a check failed; 2 bad usage or unreadable input.`;
var OPTIONS = {
  ...COMMON_OPTIONS,
  store: { type: "string" },
  pack: { type: "string" },
  key: { type: "string", multiple: true },
  artifacts: { type: "string" },
  policy: { type: "string" },
  checkpoint: { type: "string", multiple: true },
  origin: { type: "string" },
  "witness-key": { type: "string", multiple: true },
  "witness-threshold": { type: "string" },
  "max-witness-age": { type: "string" },
  ...TRUST_OPTIONS,
  ...GITHUB_VERIFY_OPTIONS
};
var verifyCommand = async (argv, context) => {
  const { values } = parseCommandArgs("verify", argv, OPTIONS);
  if (values.help) {
    context.output.out(VERIFY_HELP);
    return 0;
  }
  const remote = gitHubLedgerToVerify(values, context, {
    debug: () => void 0,
    info: (message) => {
      if (!values.json) context.output.err(message);
    },
    warn: (message) => context.output.err(`warning: ${message}`)
  });
  if (values.pack !== void 0 && (values.store !== void 0 || remote)) {
    throw new LedgerError("USAGE", "--pack excludes --store and --github", {
      field: "--pack",
      fix: "give the unzipped pack's folder alone: its ledger is DIR/ledger"
    });
  }
  const packDir = values.pack === void 0 ? void 0 : resolve(context.cwd, values.pack);
  const ledgerDir = packDir === void 0 ? await localLedgerDir(values.store, context.cwd) : join(packDir, "ledger");
  if (!remote) await assertReadableDirectory(ledgerDir);
  const trustedKeys = values.key ? await Promise.all(
    values.key.map(async (file) => publicKeyPem(await loadPublicKey(resolve(context.cwd, file))))
  ) : void 0;
  const identity = identityFromFlags(values);
  if (Object.keys(identity).length > 0) resolvePolicy(identity);
  const loadTrustedRoot = trustedRootLoader(values, context, "verify");
  const policy = values.policy === void 0 ? void 0 : await loadPolicy(resolve(context.cwd, values.policy), values.policy);
  const result = await verifyLedger({
    store: remote?.store ?? new LocalStore(ledgerDir),
    ...remote?.partial ? { partial: true } : {},
    ...trustedKeys ? { trustedKeys } : {},
    ...Object.keys(identity).length > 0 ? { identity } : {},
    loadTrustedRoot: async () => (await loadTrustedRoot()).json,
    ...values.artifacts === void 0 ? {} : { artifactsDir: resolve(context.cwd, values.artifacts) },
    ...policy ? { policy } : {},
    anchors: await anchorOptions(values, context.cwd),
    ...values.origin === void 0 ? {} : { origin: values.origin }
  });
  const pack = packDir === void 0 ? void 0 : await verifyEvidencePack({
    dir: packDir,
    ...trustedKeys ? { trustedKeys } : {},
    ...Object.keys(identity).length > 0 ? { identity } : {},
    loadTrustedRoot: async () => (await loadTrustedRoot()).json
  });
  if (pack && pack.problems.length > 0) {
    result.problems.push(...pack.problems);
    result.ok = false;
  }
  const github = remote?.store instanceof GitHubReleaseStore ? { github: { ...remote.store.usage } } : {};
  const packSummary = pack ? {
    pack: {
      manifest: pack.manifest && {
        signer: pack.manifest.signer,
        files: pack.manifest.files,
        predicate: pack.manifest.predicate
      }
    }
  } : {};
  if (values.json) context.output.out(JSON.stringify({ ...result, ...github, ...packSummary }, null, 2));
  else {
    printVerification(result, context.output.out, context.output.err);
    if (pack?.manifest && pack.problems.length === 0) {
      const signer = pack.manifest.signer;
      context.output.out(
        `pack: ${pack.manifest.files} file(s) as signed in MANIFEST.sigstore.json by ${signer.kind === "key" ? `key ${signer.keyHint.slice(0, 16)}\u2026` : signer.identity}`
      );
    }
  }
  return result.ok ? 0 : 1;
};
function printVerification(result, out, err) {
  for (const notice of result.notices) err(`notice: ${notice}`);
  for (const problem of result.problems) err(`FAIL ${problem.code}: ${problem.message}`);
  if (result.policy) for (const line of describeLedgerPolicy(result.policy)) out(line);
  if (result.ok) {
    const development = result.records.filter((record) => record.signingMode === "development-key").length;
    out(
      `ok: ${result.records.length} record(s) verified in ${result.location}; head is record ${result.head?.index ?? "-"} (${result.head?.statementSha256 ?? ""})` + (development > 0 ? `; ${development} signed with a ${DEVELOPMENT_KEY_LABEL}` : "")
    );
    for (const anchor of result.checkpoint?.anchors ?? []) {
      out(
        `anchored: extends ${anchor.source} (${anchor.size} records)${anchor.witnesses?.length ? `, cosigned by ${anchor.witnesses.join(", ")}` : ""}`
      );
    }
  } else if (result.records.length === 0) {
    out(`verification failed: ${result.location} holds no records, so there is nothing to verify`);
  } else {
    out(`verification failed: ${result.problems.length} problem(s) in ${result.location}`);
  }
}
async function anchorOptions(values, cwd) {
  const anchors = { checkpoints: [], pinnedStatements: [] };
  for (const value of values.checkpoint ?? []) {
    const pinned = /^sha256:([0-9a-f]{64})$/.exec(value);
    if (pinned) {
      anchors.pinnedStatements?.push(pinned[1]);
      continue;
    }
    if (value === "") {
      throw new LedgerError("USAGE", "--checkpoint is empty", {
        field: "--checkpoint",
        fix: "pass a checkpoint file, or sha256:<64 hex> of a record statement"
      });
    }
    anchors.checkpoints?.push({
      source: value,
      text: await readBoundedText(resolve(cwd, value), 64 * 1024, value)
    });
  }
  const witnessFlags = values["witness-key"] ?? [];
  if (witnessFlags.length > 0) {
    anchors.witnesses = [];
    for (const flag of witnessFlags) {
      const split = /^([^=/]+)=(.+)$/.exec(flag);
      const file = split ? split[2] : flag;
      const pem = await readBoundedText(resolve(cwd, file), 64 * 1024, file);
      anchors.witnesses.push(witnessKey(pem, split?.[1], file));
    }
  }
  if (values["witness-threshold"] !== void 0) {
    const threshold = Number(values["witness-threshold"]);
    if (!Number.isInteger(threshold) || threshold < 1 || threshold > witnessFlags.length) {
      throw new LedgerError(
        "USAGE",
        `--witness-threshold ${values["witness-threshold"]} is not between 1 and the number of --witness-key`,
        {
          field: "--witness-threshold",
          fix: "give a whole number of cosignatures, at most the witness keys given"
        }
      );
    }
    anchors.witnessThreshold = threshold;
  }
  if (values["max-witness-age"] !== void 0)
    anchors.maxWitnessAgeMs = parseDuration(values["max-witness-age"]);
  return anchors;
}
function parseDuration(text) {
  const match = /^(\d+)(s|m|h|d)$/.exec(text.trim());
  if (!match) {
    throw new LedgerError("USAGE", `"${text}" is not a duration`, {
      field: "--max-witness-age",
      fix: "write a number and a unit: 90m, 36h or 7d"
    });
  }
  const unit = { s: 1e3, m: 6e4, h: 36e5, d: 864e5 }[match[2]];
  return Number(match[1]) * unit;
}
export {
  VERIFY_HELP,
  parseDuration,
  verifyCommand
};
