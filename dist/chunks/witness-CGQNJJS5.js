import { createRequire as __modelLedgerCreateRequire } from 'node:module';
import { dirname as __modelLedgerPathDirname } from 'node:path';
import { fileURLToPath as __modelLedgerFileURLToPath } from 'node:url';
const require = __modelLedgerCreateRequire(import.meta.url);
const __modelLedgerFilename = __modelLedgerFileURLToPath(import.meta.url);
const __modelLedgerDirname = __modelLedgerPathDirname(__modelLedgerFilename);
import {
  LEDGER_HELP,
  LEDGER_OPTIONS,
  ledgerFromFlags
} from "./chunk-AUHXVDZ5.js";
import "./chunk-KWZVUXJ7.js";
import "./chunk-D5KYMKBQ.js";
import {
  COMMON_OPTIONS,
  parseCommandArgs
} from "./chunk-KA24FKIR.js";
import {
  DEFAULT_WITNESS_TAG,
  DirectoryWitnessState,
  GitHubReleaseWitnessState,
  loadWitnessKey,
  witnessLedger
} from "./chunk-57AZQMHD.js";
import "./chunk-XHJCWUDZ.js";
import {
  GitHubReleaseStore,
  createGitHubClient,
  repositoryFrom
} from "./chunk-3DDHEWZZ.js";
import "./chunk-KIVWQLOT.js";
import "./chunk-FT2AGEZG.js";
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
import "./chunk-IAOLLCTZ.js";
import "./chunk-KZKQFOQH.js";
import "./chunk-F3OFXP4A.js";
import {
  LedgerError
} from "./chunk-ICUNJ6NG.js";
import "./chunk-6HJSFOKJ.js";
import "./chunk-ZC6XPDJG.js";
import "./chunk-6JW7FKWL.js";
import "./chunk-H3ACIWDX.js";

// src/cli/witness.ts
import { resolve } from "node:path";
var WITNESS_HELP = `Usage: model-ledger witness (--store DIR | --github OWNER/REPO) --witness-key WITNESS.key.pem
                          (--state DIR | --state-github OWNER/REPO) [--name NAME] [--key PUB.PEM \u2026]

Run by a second party on a schedule (a compliance repository, an auditor): verifies the ledger,
checks that it extends the checkpoint this witness cosigned last, and only then cosigns the new
checkpoint, keeping it in the witness's own state directory. A ledger that was truncated, rolled
back or rewritten since is refused: exit 1, with what was seen, kept in the state directory.

Options:
  --witness-key FILE  the witness's private key (Ed25519 from \`model-ledger keygen --ed25519\`,
                      or ECDSA P-256); its public half is what verifiers pass as --witness-key
  --state DIR         where the witness keeps its cosigned checkpoints (commit it, or keep it in
                      the witness's own storage)
  --state-github OWNER/REPO  keep them as release assets of the witness's own repository instead
                      (release --state-release, default ${DEFAULT_WITNESS_TAG}; token from
                      GITHUB_TOKEN, with contents: write on that repository)
  --state-release TAG the release that holds the witness's state
  --name NAME         the name the witness signs under (default witness-<key digest>)
The ledger to witness, and whom it must be signed by:
${LEDGER_HELP}
  --json              print the result as JSON
Exit status: 0 cosigned; 1 refused (the ledger does not verify or does not extend what was
cosigned before); 2 bad usage or unreadable input.`;
var OPTIONS = {
  ...COMMON_OPTIONS,
  ...LEDGER_OPTIONS,
  "witness-key": { type: "string" },
  state: { type: "string" },
  "state-github": { type: "string" },
  "state-release": { type: "string" },
  name: { type: "string" }
};
var witnessCommand = async (argv, context) => {
  const { values } = parseCommandArgs("witness", argv, OPTIONS);
  if (values.help) {
    context.output.out(WITNESS_HELP);
    return 0;
  }
  if (!values["witness-key"] || values.state === void 0 === (values["state-github"] === void 0)) {
    throw new LedgerError(
      "USAGE",
      "--witness-key FILE and one of --state DIR or --state-github OWNER/REPO are required",
      {
        field: "witness",
        fix: "e.g. `model-ledger witness --github acme/model --witness-key witness.key.pem --state witness-state`"
      }
    );
  }
  const state = witnessStateFrom(values, context);
  const ledger = await ledgerFromFlags(values, context, "witness");
  if (ledger.options.partial) {
    throw new LedgerError("USAGE", "a witness cosigns a whole ledger, not one release of it", {
      field: "--release",
      fix: "drop --release"
    });
  }
  const result = await witnessLedger({
    ...ledger.options,
    witnessKey: await loadWitnessKey(resolve(context.cwd, values["witness-key"])),
    state,
    ...values.name ? { name: values.name } : {}
  });
  if (values.json) context.output.out(JSON.stringify(result, null, 2));
  else if (result.ok) {
    context.output.out(
      `cosigned: ${result.origin} at ${result.size} record(s)${result.previousSize === null ? " (first cosignature)" : `, extending the ${result.previousSize} cosigned before`} \u2192 ${result.file}`
    );
  } else {
    for (const line of result.refused) context.output.err(`REFUSED ${line}`);
    context.output.err(`witness ${result.name} refused to cosign; what it saw is kept in ${result.file}`);
  }
  return result.ok ? 0 : 1;
};
function witnessStateFrom(values, context) {
  if (values.state !== void 0) {
    if (values.state === "") {
      throw new LedgerError("USAGE", "--state is empty", { field: "--state", fix: "name a directory" });
    }
    return new DirectoryWitnessState(resolve(context.cwd, values.state));
  }
  const repository = repositoryFrom({ GITHUB_REPOSITORY: values["state-github"] ?? "" });
  if (!repository) {
    throw new LedgerError("USAGE", `"${values["state-github"] ?? ""}" is not OWNER/REPO`, {
      field: "--state-github",
      fix: "name the witness's own repository, e.g. --state-github acme/compliance"
    });
  }
  const token = context.env.GITHUB_TOKEN;
  const store = new GitHubReleaseStore({
    client: createGitHubClient({ ...token ? { token } : {}, env: context.env }),
    ...repository
  });
  return new GitHubReleaseWitnessState(store, values["state-release"] || DEFAULT_WITNESS_TAG);
}
export {
  WITNESS_HELP,
  witnessCommand
};
