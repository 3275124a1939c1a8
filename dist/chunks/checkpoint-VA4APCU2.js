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
import "./chunk-XHJCWUDZ.js";
import "./chunk-3DDHEWZZ.js";
import "./chunk-KIVWQLOT.js";
import {
  verifyLedger
} from "./chunk-FT2AGEZG.js";
import "./chunk-HBZIYH74.js";
import "./chunk-K5UFL2LG.js";
import {
  formatCheckpointBody
} from "./chunk-L2DKPJSZ.js";
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

// src/cli/checkpoint.ts
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
var CHECKPOINT_HELP = `Usage: model-ledger checkpoint [--store DIR | --github OWNER/REPO] [--out FILE]

Verifies the ledger and prints its latest signed checkpoint: a C2SP signed note of the ledger's
origin, its record count and the RFC 6962 Merkle root over the records' DSSE payloads, then the
signature lines. Keep it somewhere the ledger's owners cannot edit: \`model-ledger verify
--checkpoint FILE\` later proves the ledger still extends it (nothing dropped, nothing rewritten).

Options:
${LEDGER_HELP}
  --out FILE          write the checkpoint to FILE instead of printing it (keyless ledgers: and
                      the Sigstore bundle that proves who signed it to FILE.sigstore.json)
  --json              print {origin, size, rootHash, signed, checkpoint[, signatureBundle]} as JSON
Exit status: 0 printed; 1 the ledger does not verify; 2 bad usage or unreadable input.`;
var OPTIONS = { ...COMMON_OPTIONS, ...LEDGER_OPTIONS, out: { type: "string" } };
var checkpointCommand = async (argv, context) => {
  const { values } = parseCommandArgs("checkpoint", argv, OPTIONS);
  if (values.help) {
    context.output.out(CHECKPOINT_HELP);
    return 0;
  }
  const ledger = await ledgerFromFlags(values, context, "checkpoint");
  if (ledger.options.partial) {
    throw new LedgerError("USAGE", "a checkpoint covers a whole ledger, not one release of it", {
      field: "--release",
      fix: "drop --release"
    });
  }
  const verification = await verifyLedger(ledger.options);
  const tree = verification.checkpoint;
  if (!verification.ok || !tree || tree.origin === null) {
    for (const problem of verification.problems)
      context.output.err(`FAIL ${problem.code}: ${problem.message}`);
    context.output.err(
      `the ledger in ${verification.location} does not verify: no checkpoint is given for it`
    );
    return 1;
  }
  const body = formatCheckpointBody({
    origin: tree.origin,
    size: tree.size,
    rootHash: Buffer.from(tree.rootHash, "base64")
  });
  const stored = await ledger.options.store.latestCheckpoint?.() ?? null;
  const signed = stored !== null && stored.size === tree.size && stored.text.startsWith(`${body}
`);
  const text = signed ? stored.text : body;
  if (!signed) {
    context.output.err(
      "notice: the ledger keeps no signed checkpoint of all its records (made before checkpoints were signed): this is the unsigned checkpoint body; have a witness cosign it (`model-ledger witness`)"
    );
  }
  if (values.out) {
    const file = resolve(context.cwd, values.out);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, text);
    if (signed && stored.bundle !== void 0) await writeFile(`${file}.sigstore.json`, stored.bundle);
  }
  if (values.json) {
    context.output.out(
      JSON.stringify(
        {
          origin: tree.origin,
          size: tree.size,
          rootHash: tree.rootHash,
          signed,
          checkpoint: text,
          ...signed && stored.bundle !== void 0 ? { signatureBundle: JSON.parse(stored.bundle) } : {}
        },
        null,
        2
      )
    );
  } else if (!values.out) {
    context.output.out(text.replace(/\n$/, ""));
  } else {
    context.output.out(`wrote the checkpoint of ${tree.size} record(s) of ${tree.origin} to ${values.out}`);
  }
  return 0;
};
export {
  CHECKPOINT_HELP,
  checkpointCommand
};
