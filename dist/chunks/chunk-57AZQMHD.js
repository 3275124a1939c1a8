import { createRequire as __modelLedgerCreateRequire } from 'node:module';
import { dirname as __modelLedgerPathDirname } from 'node:path';
import { fileURLToPath as __modelLedgerFileURLToPath } from 'node:url';
const require = __modelLedgerCreateRequire(import.meta.url);
const __modelLedgerFilename = __modelLedgerFileURLToPath(import.meta.url);
const __modelLedgerDirname = __modelLedgerPathDirname(__modelLedgerFilename);
import {
  defaultWitnessName,
  verifyLedger
} from "./chunk-FT2AGEZG.js";
import {
  addCosignature,
  addSignature,
  cosignatureLine,
  formatCheckpointBody,
  parseCheckpoint,
  signNote
} from "./chunk-L2DKPJSZ.js";
import {
  readBoundedText
} from "./chunk-KZKQFOQH.js";
import {
  LedgerError,
  describeError,
  errnoCode
} from "./chunk-ICUNJ6NG.js";

// src/witness/state.ts
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
function witnessStateName(origin) {
  return origin.replace(/[^A-Za-z0-9._-]+/g, "_");
}
function timeStamp(time) {
  return time.toISOString().replace(/[:.]/g, "-");
}
var DirectoryWitnessState = class {
  constructor(dir) {
    this.dir = dir;
    this.location = dir;
  }
  dir;
  location;
  async latest(origin) {
    const file = join(this.dir, witnessStateName(origin), "latest.checkpoint");
    try {
      return { text: await readFile(file, "utf8"), source: file };
    } catch (error) {
      if (errnoCode(error) === "ENOENT") return null;
      throw new LedgerError("IO", `cannot read the witness state (${describeError(error)})`, {
        file,
        cause: error
      });
    }
  }
  async keepCosigned(origin, size, note) {
    const dir = join(this.dir, witnessStateName(origin));
    await mkdir(dir, { recursive: true });
    const file = join(dir, `${String(size).padStart(6, "0")}.checkpoint`);
    await writeAtomically(file, note);
    await writeAtomically(join(dir, "latest.checkpoint"), note);
    return file;
  }
  async keepRefusal(origin, time, text) {
    const dir = join(this.dir, witnessStateName(origin));
    await mkdir(dir, { recursive: true });
    const file = join(dir, `refused-${timeStamp(time)}.txt`);
    await writeAtomically(file, text);
    return file;
  }
};
async function writeAtomically(file, text) {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, file);
}

// src/witness/github-state.ts
var DEFAULT_WITNESS_TAG = "model-ledger-witness";
var GitHubReleaseWitnessState = class {
  constructor(store, tag = DEFAULT_WITNESS_TAG) {
    this.store = store;
    this.tag = tag;
    this.location = `${store.location.replace(/ \(GitHub .*\)$/, "")} (GitHub release ${tag})`;
  }
  store;
  tag;
  location;
  async latest(origin) {
    const pattern = cosignedName(origin);
    let newest;
    for (const file of await this.store.releaseFiles(this.tag, (name) => pattern.test(name))) {
      const size = Number(pattern.exec(file.name)?.[1]);
      if (!newest || size > newest.size) newest = { size, file };
    }
    if (!newest) return null;
    return { text: (await newest.file.read()).toString("utf8"), source: newest.file.url };
  }
  async keepCosigned(origin, size, note) {
    const name = `witness-${witnessStateName(origin)}-${String(size).padStart(6, "0")}.checkpoint`;
    return this.attach(name, `cosigned checkpoint of ${size} record(s) of ${origin}`, note);
  }
  async keepRefusal(origin, time, text) {
    const name = `witness-${witnessStateName(origin)}-refused-${timeStamp(time)}.txt`;
    return this.attach(name, `refused to cosign ${origin}`, text);
  }
  async attach(name, label, text) {
    const urls = await this.store.attachToRelease([{ name, label, content: Buffer.from(text, "utf8") }], {
      publish: true,
      tag: this.tag,
      // Not the witness repository's "latest release": it is state, not a release of anything.
      prerelease: true
    });
    return urls.get(name) ?? `${this.location}: ${name}`;
  }
};
function cosignedName(origin) {
  const escaped = witnessStateName(origin).replace(/[.]/g, "\\.");
  return new RegExp(`^witness-${escaped}-(\\d{6,})\\.checkpoint$`);
}

// src/witness/witness.ts
import { createPrivateKey, createPublicKey } from "node:crypto";
async function loadWitnessKey(file) {
  const pem = await readBoundedText(file, 64 * 1024, file);
  let key;
  try {
    key = createPrivateKey(pem);
  } catch (error) {
    throw new LedgerError("KEY", `not a PEM private key (${describeError(error)})`, {
      file,
      cause: error,
      fix: "create one with `model-ledger keygen --ed25519 --out witness`"
    });
  }
  if (key.asymmetricKeyType !== "ed25519" && key.asymmetricKeyDetails?.namedCurve !== "prime256v1") {
    throw new LedgerError(
      "KEY",
      `a witness key must be Ed25519 or ECDSA P-256, not ${key.asymmetricKeyType ?? "unknown"}`,
      {
        file,
        fix: "create one with `model-ledger keygen --ed25519 --out witness`"
      }
    );
  }
  return key;
}
async function witnessLedger(options) {
  const state = stateOf(options);
  const publicKey = createPublicKey(options.witnessKey);
  const name = options.name ?? defaultWitnessName(publicKey);
  const verification = await verifyLedger({ ...options });
  const origin = verification.checkpoint?.origin ?? null;
  const result = {
    ok: false,
    origin,
    size: verification.checkpoint?.size ?? verification.records.length,
    previousSize: null,
    refused: [],
    name
  };
  const refuse = async () => {
    const time2 = options.now ?? /* @__PURE__ */ new Date();
    const text = [
      `witness ${result.name} refused to cosign ${origin ?? "the ledger"} at ${time2.toISOString()}:`,
      ...result.refused,
      ""
    ].join("\n");
    result.file = await state.keepRefusal(origin ?? "unknown-ledger", time2, text);
    return result;
  };
  if (!verification.ok || !verification.checkpoint || origin === null) {
    result.refused.push(
      ...verification.problems.length > 0 ? verification.problems.map((problem) => `${problem.code}: ${problem.message}`) : [`the ledger in ${verification.location} holds no verifiable records`]
    );
    return refuse();
  }
  const previous = await state.latest(origin);
  if (previous !== null) {
    result.previousSize = parseCheckpoint(previous.text, previous.source).size;
    const again = await verifyLedger({
      ...options,
      anchors: { checkpoints: [{ source: previous.source, text: previous.text }] }
    });
    const broken = again.problems.filter(
      (problem) => ["TRUNCATED", "INCONSISTENT", "ORIGIN"].includes(problem.code)
    );
    if (broken.length > 0 || !again.ok) {
      result.refused.push(
        ...(broken.length > 0 ? broken : again.problems).map(
          (problem) => `${problem.code}: ${problem.message}`
        )
      );
      return refuse();
    }
  }
  const body = formatCheckpointBody({
    origin,
    size: verification.checkpoint.size,
    rootHash: Buffer.from(verification.checkpoint.rootHash, "base64")
  });
  const stored = await options.store.latestCheckpoint?.() ?? null;
  const base = stored && stored.size === verification.checkpoint.size && stored.text.startsWith(body) ? stored.text : null;
  const signer = { name, privateKey: options.witnessKey };
  const time = options.now ?? /* @__PURE__ */ new Date();
  const cosigned = publicKey.asymmetricKeyType === "ed25519" ? base ? addCosignature(base, signer, time) : `${body}
${cosignatureLine(body, signer, time)}` : base ? addSignature(base, signer) : signNote(body, signer);
  const file = await state.keepCosigned(origin, verification.checkpoint.size, cosigned);
  return { ...result, ok: true, cosigned, file };
}
function stateOf(options) {
  if (options.state) return options.state;
  if (options.stateDir !== void 0) return new DirectoryWitnessState(options.stateDir);
  throw new LedgerError("USAGE", "a witness needs somewhere to keep its cosigned checkpoints", {
    field: "witness",
    fix: "pass --state DIR, or --state-github OWNER/REPO"
  });
}

export {
  DirectoryWitnessState,
  DEFAULT_WITNESS_TAG,
  GitHubReleaseWitnessState,
  loadWitnessKey,
  witnessLedger
};
