import { createRequire as __modelLedgerCreateRequire } from 'node:module';
import { dirname as __modelLedgerPathDirname } from 'node:path';
import { fileURLToPath as __modelLedgerFileURLToPath } from 'node:url';
const require = __modelLedgerCreateRequire(import.meta.url);
const __modelLedgerFilename = __modelLedgerFileURLToPath(import.meta.url);
const __modelLedgerDirname = __modelLedgerPathDirname(__modelLedgerFilename);
import {
  EXPORT_FILES,
  buildEvidencePack,
  packAudit
} from "./chunk-B5TVOLQL.js";
import {
  KeySigner,
  identityProviderFrom,
  record,
  resolveSigner
} from "./chunk-UVPVIYUZ.js";
import {
  loadLedger
} from "./chunk-QQ2VBXZD.js";
import {
  DEFAULT_LEDGER_DIR,
  GitHubReleaseStore,
  LocalStore,
  createGitHubClient,
  gitHubFailureText,
  httpStatusOf,
  readEventPayload,
  repositoryFrom
} from "./chunk-3DDHEWZZ.js";
import {
  verifyLedger
} from "./chunk-FT2AGEZG.js";
import {
  silentLogger
} from "./chunk-FBKVKE4J.js";
import {
  PREDICATE_TYPE
} from "./chunk-XHSS2EDQ.js";
import {
  generateKeyPair,
  parsePrivateKey
} from "./chunk-KZKQFOQH.js";
import {
  resolveTrustedRoot
} from "./chunk-F3OFXP4A.js";
import {
  LedgerError,
  describeError
} from "./chunk-ICUNJ6NG.js";

// src/run/github.ts
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";

// src/store/attestations.ts
async function mirrorAttestation(options) {
  const log = options.log ?? silentLogger;
  let bundle;
  try {
    bundle = JSON.parse(options.bundle.toString("utf8"));
  } catch (error) {
    return { warning: `the bundle is not JSON, so it was not mirrored: ${describeError(error)}` };
  }
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        const { data } = await options.client.rest.repos.createAttestation({
          owner: options.owner,
          repo: options.repo,
          bundle,
          // Not retried blindly: an attempt whose answer was lost may have stored it (looked up below).
          request: { retries: 0 }
        });
        if (typeof data.id !== "number") return { warning: "GitHub stored the attestation but gave no id" };
        log.info(`mirrored to GitHub's attestations API as attestation ${data.id}`);
        return { id: data.id };
      } catch (error) {
        const status = httpStatusOf(error);
        if (status !== void 0 && status < 500 && status !== 429 || attempt >= 3) throw error;
        if (await isMirrored(options, bundle.dsseEnvelope?.payload)) {
          log.info("the attestation was stored by an attempt whose answer was lost; not stored again");
          return { stored: true };
        }
        log.info(`mirroring the attestation failed (${describeError(error)}); trying again`);
      }
    }
  } catch (error) {
    const text = gitHubFailureText(error);
    if (text === void 0) throw error;
    const status = httpStatusOf(error);
    const hint = status === 403 ? ": the token may not write attestations \u2014 add `attestations: write` to the workflow `permissions:`, or set `github-attestations: false`" : status === 404 ? ": the attestations API is not available to this repository (private repositories need GitHub Enterprise Cloud), or the token cannot see it" : "";
    return {
      warning: `the record is stored, but mirroring it to GitHub's attestations API failed (${text})${hint}`
    };
  }
}
async function isMirrored(options, payload) {
  if (typeof payload !== "string") return false;
  const statement = decodePayload(payload);
  for (const digest of sha256Subjects(statement).slice(0, 1)) {
    for (const attestation of await listAttestations(options, digest)) {
      if (attestation.payload === payload) return true;
    }
  }
  return false;
}
async function knownRecordsFromAttestations(lookup, statement, log = silentLogger) {
  const known = [];
  for (const digest of sha256Subjects(statement).slice(0, 3)) {
    let attestations;
    try {
      attestations = await listAttestations(lookup, digest);
    } catch (error) {
      log.info(`could not look up attestations of sha256:${digest.slice(0, 12)}: ${describeError(error)}`);
      continue;
    }
    for (const attestation of attestations) {
      const found = attestation.payload ? decodePayload(attestation.payload) : void 0;
      const chain = found?.predicate?.chain;
      if (found?.predicateType !== PREDICATE_TYPE || !chain || typeof chain.index !== "number") continue;
      if (typeof chain.origin !== "string") continue;
      known.push({
        origin: chain.origin,
        index: chain.index,
        where: `GitHub's attestations API (under subject sha256:${digest.slice(0, 12)}\u2026)`
      });
    }
  }
  return known;
}
async function listAttestations(lookup, digest) {
  const { data } = await lookup.client.request("GET /repos/{owner}/{repo}/attestations/{subject_digest}", {
    owner: lookup.owner,
    repo: lookup.repo,
    subject_digest: `sha256:${digest}`,
    predicate_type: PREDICATE_TYPE,
    per_page: 30
  });
  const list = data.attestations;
  if (!Array.isArray(list)) return [];
  return list.map((entry) => {
    const payload = entry.bundle?.dsseEnvelope?.payload;
    return typeof payload === "string" ? { payload } : {};
  });
}
function decodePayload(payload) {
  try {
    const parsed = JSON.parse(Buffer.from(payload, "base64").toString("utf8"));
    return typeof parsed === "object" && parsed !== null ? parsed : void 0;
  } catch {
    return void 0;
  }
}
function sha256Subjects(statement) {
  const subjects = statement?.subject ?? [];
  return subjects.map((subject) => subject.digest?.sha256).filter((digest) => typeof digest === "string" && /^[0-9a-f]{64}$/.test(digest));
}

// src/store/github-target.ts
function releaseTargetFor(env, payload) {
  if (env.GITHUB_EVENT_NAME === "release") {
    const release = payload?.release;
    const tag = isRecord(release) ? release.tag_name : void 0;
    if (typeof tag === "string" && tag !== "") return { kind: "release", tag };
  }
  const ref = env.GITHUB_REF ?? "";
  if (ref.startsWith("refs/tags/") && ref.length > "refs/tags/".length) {
    return { kind: "release", tag: ref.slice("refs/tags/".length) };
  }
  return { kind: "rolling" };
}
var FORK_RESTRICTED_EVENTS = /* @__PURE__ */ new Set([
  "pull_request",
  "pull_request_review",
  "pull_request_review_comment"
]);
function forkOfPullRequest(env, payload) {
  if (!FORK_RESTRICTED_EVENTS.has(env.GITHUB_EVENT_NAME ?? "") || !payload) return void 0;
  const pull = payload.pull_request;
  if (!isRecord(pull)) return void 0;
  const head = isRecord(pull.head) ? pull.head : void 0;
  const base = isRecord(pull.base) ? pull.base : void 0;
  const headRepo = head && isRecord(head.repo) ? head.repo.full_name : null;
  const baseRepo = base && isRecord(base.repo) ? base.repo.full_name : env.GITHUB_REPOSITORY;
  if (typeof headRepo !== "string") return "(a deleted fork)";
  return typeof baseRepo === "string" && headRepo.toLowerCase() !== baseRepo.toLowerCase() ? headRepo : void 0;
}
function isRecord(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// src/store/preview.ts
var PreviewStore = class {
  constructor(ledger, scratch) {
    this.ledger = ledger;
    this.scratch = scratch;
    this.location = `${ledger.location} (pull request preview in ${scratch.location})`;
  }
  ledger;
  scratch;
  location;
  /** A preview is never raced for: it is the only record in its scratch store. */
  exclusiveIndex = true;
  own = /* @__PURE__ */ new Set();
  /** The ledger's records: a preview never counts as part of it, so it cannot fork it. */
  list() {
    return this.ledger.list();
  }
  recent(count) {
    return this.ledger.recent ? this.ledger.recent(count) : this.ledger.list();
  }
  async recordsAt(index) {
    return this.ledger.recordsAt ? this.ledger.recordsAt(index) : (await this.ledger.list()).filter((ref) => ref.index === index);
  }
  async latestCheckpoint() {
    return await this.ledger.latestCheckpoint?.() ?? null;
  }
  get(ref) {
    return this.own.has(ref.name) ? this.scratch.get(ref) : this.ledger.get(ref);
  }
  async put(request) {
    const ref = await this.scratch.put(request);
    this.own.add(ref.name);
    return ref;
  }
  async remove(ref) {
    await this.scratch.remove(ref);
    this.own.delete(ref.name);
  }
  async publicKeys() {
    return new Map([...await this.ledger.publicKeys(), ...await this.scratch.publicKeys()]);
  }
  async getAttachment(name) {
    return await this.scratch.getAttachment?.(name) ?? await this.ledger.getAttachment?.(name) ?? null;
  }
  locate(ref) {
    return this.own.has(ref.name) ? this.scratch.locate(ref) : this.ledger.locate(ref);
  }
};

// src/run/github.ts
var DEFAULT_VERIFY_DEPTH = 10;
async function recordToGitHub(options, github) {
  const env = options.env ?? process.env;
  const log = options.log ?? silentLogger;
  const payload = await readEventPayload(env, log);
  const fork = forkOfPullRequest(env, payload);
  if (fork !== void 0) return recordForkLocally(options, fork);
  const repository = repositoryFrom({ GITHUB_REPOSITORY: github.repository ?? env.GITHUB_REPOSITORY });
  if (!repository) {
    throw new LedgerError("USAGE", "storing the ledger on GitHub needs the repository (OWNER/REPO)", {
      field: "store",
      fix: "run in GitHub Actions (GITHUB_REPOSITORY), pass --repo OWNER/REPO, or use the local store"
    });
  }
  if (!github.token) {
    throw new LedgerError("USAGE", "storing the ledger on GitHub needs a token that may write releases", {
      field: "github-token",
      fix: "pass `github-token` (default `${{ github.token }}`) with `permissions: contents: write`, or set GITHUB_TOKEN for the CLI"
    });
  }
  const client = createGitHubClient({ token: github.token, env, log });
  const target = releaseTargetFor(env, payload);
  const store = new GitHubReleaseStore({
    client,
    ...repository,
    ...github.releaseTag === void 0 ? {} : { releaseTag: github.releaseTag },
    ...github.recordsPerRelease === void 0 ? {} : { recordsPerRelease: github.recordsPerRelease },
    // A public repository's assets come from the web host: no API call, so runs fit the token's budget.
    ...isPublicRepository(payload) ? { downloads: "web" } : {},
    target,
    log
  });
  const knownRecords = github.attestations === false ? void 0 : (draft) => knownRecordsFromAttestations({ client, ...repository }, draft, log);
  const headVerificationDepth = target.kind === "release" ? Infinity : github.verifyDepth ?? options.headVerificationDepth ?? DEFAULT_VERIFY_DEPTH;
  if (isPullRequestEvent(env)) return recordPullRequestPreview(options, store, headVerificationDepth);
  const resolved = target.kind === "release" && !options.signer ? await resolveSigner(options, env) : void 0;
  const signer = resolved?.signer ?? options.signer;
  const result = await record({
    ...options,
    store,
    headVerificationDepth,
    ...knownRecords ? { knownRecords } : {},
    ...resolved ? { signer: resolved.signer } : {}
  });
  if (resolved) result.notices.unshift(...resolved.notices);
  const bundle = await store.get(result.ref);
  const outcome = { result, store, bundle, warnings: [] };
  const release = store.whereIs(result.ref);
  if (release) outcome.release = release;
  if (target.kind === "release" && !result.reused) {
    await attachToRelease(store, result, bundle, options, outcome, github.evidence !== false, signer);
  }
  if (github.attestations === false) return outcome;
  if (result.reused) {
    log.info("the attestation was mirrored by the run attempt that made the record; not mirrored again");
    return outcome;
  }
  const mirrored = await mirrorAttestation({ client, ...repository, bundle, log });
  if ("id" in mirrored) outcome.attestationId = mirrored.id;
  else if ("warning" in mirrored) {
    outcome.warnings.push(mirrored.warning);
    log.warn(mirrored.warning);
  }
  return outcome;
}
var EVIDENCE_ASSET = "model-ledger-evidence.zip";
var CYCLONEDX_ASSET = "model-ledger.cdx.json";
var SPDX3_ASSET = "model-ledger.spdx.json";
function isPublicRepository(payload) {
  const repository = payload?.repository;
  return typeof repository === "object" && repository !== null && repository.private === false;
}
function isPullRequestEvent(env) {
  return (env.GITHUB_EVENT_NAME ?? "").startsWith("pull_request");
}
async function recordPullRequestPreview(options, ledger, headVerificationDepth) {
  const env = options.env ?? process.env;
  const scratch = new LocalStore(await mkdtemp(join(env.RUNNER_TEMP || tmpdir(), "model-ledger-preview-")));
  const store = new PreviewStore(ledger, scratch);
  const result = await record({ ...options, store, headVerificationDepth });
  const skipped = "pull request: the record was signed and linked to the ledger head, and is shown here, but not uploaded \u2014 the build of the merge records the change";
  result.notices.push(skipped);
  return { result, store, bundle: await store.get(result.ref), skipped, warnings: [] };
}
async function attachToRelease(store, result, bundle, options, outcome, evidence, signer) {
  const env = options.env ?? process.env;
  const index = String(result.index).padStart(6, "0");
  const files = [
    {
      name: `model-ledger-record-${index}.sigstore.json`,
      label: `model-ledger record ${result.index} (copy; the ledger is in the model-ledger releases)`,
      content: bundle
    },
    ...result.checkpoint ? [
      {
        name: `model-ledger-record-${index}.checkpoint`,
        label: `model-ledger checkpoint of ${result.index + 1} records`,
        content: Buffer.from(result.checkpoint, "utf8")
      }
    ] : [],
    ...result.checkpointBundle ? [
      {
        name: `model-ledger-record-${index}.checkpoint.sigstore.json`,
        label: `model-ledger checkpoint of ${result.index + 1} records (signature)`,
        content: result.checkpointBundle
      }
    ] : []
  ];
  try {
    if (evidence) {
      const trustedRoot = result.signingMode === "keyless" ? await resolveTrustedRoot(
        options.trustedRootFile === void 0 ? {} : { file: options.trustedRootFile },
        env
      ) : void 0;
      const ledger = await loadLedger({
        store,
        ...trustedRoot ? { loadTrustedRoot: () => Promise.resolve(trustedRoot.json) } : {}
      });
      const audit = await releaseAudit(options, ledger, result.index, outcome);
      const pack = await buildEvidencePack({
        ledger,
        to: result.index,
        ...audit ? { audit } : {},
        ...trustedRoot ? { trustedRoot: trustedRoot.json } : {},
        ...signer ? { signer } : {}
      });
      files.push({
        name: EVIDENCE_ASSET,
        label: `model-ledger evidence pack (records 0\u2013${result.index})`,
        content: pack.zip
      });
      for (const [path, name, what] of [
        [EXPORT_FILES.cyclonedx, CYCLONEDX_ASSET, "CycloneDX 1.6 ML-BOM"],
        [EXPORT_FILES.spdx3, SPDX3_ASSET, "SPDX 3.0.1 AI and Dataset profiles"]
      ]) {
        const content = pack.files.get(path);
        if (content) files.push({ name, label: `model-ledger ${what} (records 0\u2013${result.index})`, content });
      }
    }
    const urls = await store.attachToRelease(files, { publish: true });
    const url = urls.get(EVIDENCE_ASSET);
    if (url) outcome.evidenceUrl = url;
  } catch (error) {
    if (!(error instanceof LedgerError)) throw error;
    const warning = `the record is stored in the ledger, but its copy${evidence ? " and the evidence pack were" : " was"} not uploaded to the release (${error.message})${evidence ? `; make the pack with \`model-ledger export --github OWNER/REPO --out ${EVIDENCE_ASSET}\`` : ""}`;
    outcome.warnings.push(warning);
    (options.log ?? silentLogger).warn(warning);
  }
}
async function releaseAudit(options, ledger, index, outcome) {
  try {
    return await packAudit({ cwd: options.cwd, ledger, from: 0, to: index, replay: "last" });
  } catch (error) {
    if (!(error instanceof LedgerError)) throw error;
    const warning = `the evidence pack has no completeness and replay figures: ${error.message}`;
    outcome.warnings.push(warning);
    (options.log ?? silentLogger).warn(warning);
    return void 0;
  }
}
async function recordForkLocally(options, fork) {
  const env = options.env ?? process.env;
  const store = options.store ?? new LocalStore(options.ledgerDir ?? DEFAULT_LEDGER_DIR);
  const skipped = `pull request from the fork ${fork}: its token cannot write releases, so the record was made and verified locally and not uploaded`;
  const canSign = Boolean(options.keyPem || options.keyFile || identityProviderFrom(env));
  const signer = options.signing !== "keyless" && !canSign ? new KeySigner(parsePrivateKey(generateKeyPair().privateKeyPem, "throw-away key"), "development-key") : void 0;
  const result = await record({ ...options, store, ...signer ? { signer } : {} });
  if (signer) {
    result.notices.push(
      "signed with a throw-away development key: a pull request from a fork has no OIDC token and no secrets"
    );
  }
  result.notices.push(skipped);
  const verification = await verifyLedger({
    store,
    ...signer ? { trustedKeys: [signer.publicKeyPem] } : {}
  });
  if (!verification.ok) {
    throw new LedgerError(
      "VERIFICATION_FAILED",
      `the local ledger does not verify: ${verification.problems.map((problem) => problem.message).join("; ")}`,
      { file: store.location }
    );
  }
  return { result, store, bundle: await store.get(result.ref), skipped, warnings: [] };
}
async function bundleFile(outcome, dir) {
  if (outcome.store instanceof LocalStore) return outcome.result.location;
  const file = join(dir, "model-ledger", basename(outcome.result.ref.name));
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, outcome.bundle);
  return file;
}
function gitHubSummaryMarkdown(outcome) {
  const lines = ["### Stored on GitHub", ""];
  if (outcome.skipped) {
    lines.push(`> **Not uploaded**: ${outcome.skipped}.`);
  } else if (outcome.release) {
    lines.push(
      `- Release: [${outcome.release.tag}](${outcome.release.releaseUrl})`,
      `- Asset: [${outcome.result.ref.name.split("/").pop() ?? ""}](${outcome.release.assetUrl})`,
      `- Attestation: ${outcome.attestationId === void 0 ? "not mirrored" : `\`${outcome.attestationId}\``}`
    );
    if (outcome.evidenceUrl) lines.push(`- Evidence pack: [${EVIDENCE_ASSET}](${outcome.evidenceUrl})`);
  }
  if (outcome.result.reused) lines.push("", "> This run attempt had already recorded it: nothing was added.");
  for (const warning of outcome.warnings) lines.push("", `> Warning: ${warning}`);
  lines.push("");
  return lines.join("\n");
}

export {
  DEFAULT_VERIFY_DEPTH,
  recordToGitHub,
  EVIDENCE_ASSET,
  CYCLONEDX_ASSET,
  SPDX3_ASSET,
  isPullRequestEvent,
  bundleFile,
  gitHubSummaryMarkdown
};
