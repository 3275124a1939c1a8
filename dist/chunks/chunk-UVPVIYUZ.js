import { createRequire as __modelLedgerCreateRequire } from 'node:module';
import { dirname as __modelLedgerPathDirname } from 'node:path';
import { fileURLToPath as __modelLedgerFileURLToPath } from 'node:url';
const require = __modelLedgerCreateRequire(import.meta.url);
const __modelLedgerFilename = __modelLedgerFileURLToPath(import.meta.url);
const __modelLedgerDirname = __modelLedgerPathDirname(__modelLedgerFilename);
import {
  CommitCollector,
  DatasetsCollector,
  ModelsCollector,
  TrainingCollector,
  dependenciesCollector,
  isUri,
  readWorkingTree,
  workingTreeState
} from "./chunk-76AGCTII.js";
import {
  DEFAULT_POLICY_FILE,
  loadPolicy
} from "./chunk-BQR56PF6.js";
import {
  DEFAULT_LEDGER_DIR,
  LocalStore,
  gitHubFailureText,
  githubAvailability,
  pullRequestForCommit,
  pullRequestNumberFromEvent,
  readEventPayload,
  repositoryRelative,
  runGit
} from "./chunk-3DDHEWZZ.js";
import {
  TOOL_VERSION
} from "./chunk-KIVWQLOT.js";
import {
  TreeState,
  approversOf,
  checkpointKeyName,
  enforcedFailures,
  evaluatePolicy,
  readPullRequest,
  warnings
} from "./chunk-HBZIYH74.js";
import {
  hashFiles,
  listTree
} from "./chunk-K5UFL2LG.js";
import {
  formatCheckpointBody,
  parseCheckpoint,
  signNote
} from "./chunk-L2DKPJSZ.js";
import {
  ledgerTrust
} from "./chunk-QUGHHY5W.js";
import {
  RecordConflict,
  compareBytewise,
  headOf,
  parseRecordFileName,
  recordFileName,
  silentLogger
} from "./chunk-FBKVKE4J.js";
import {
  readVerifiedRecord
} from "./chunk-UJ5LYJPP.js";
import {
  assertValidStatement,
  sha256Hex
} from "./chunk-K46IQGOZ.js";
import {
  DSSE_PAYLOAD_TYPE,
  PREDICATE_TYPE,
  STATEMENT_TYPE
} from "./chunk-XHSS2EDQ.js";
import {
  VerificationFailure
} from "./chunk-IAOLLCTZ.js";
import {
  ensureDevelopmentKey,
  keyHint,
  loadPrivateKey,
  parsePrivateKey,
  publicKeyPem
} from "./chunk-KZKQFOQH.js";
import {
  resolveTrustedRoot
} from "./chunk-F3OFXP4A.js";
import {
  LedgerError,
  describeError,
  errnoCode
} from "./chunk-ICUNJ6NG.js";
import {
  require_dist,
  require_dist2
} from "./chunk-6HJSFOKJ.js";
import {
  __toESM
} from "./chunk-H3ACIWDX.js";

// src/sign/key-signer.ts
var import_bundle = __toESM(require_dist(), 1);
var import_core = __toESM(require_dist2(), 1);
import { createPublicKey, sign as signBytes } from "node:crypto";
var KeySigner = class {
  /**
   * `tsaUrl`: an RFC 3161 timestamp authority whose token goes into every bundle, so the time of a
   * key-signed record is not the signer's own word (checked against the trusted root's TSAs).
   */
  constructor(privateKey, mode = "key", tsaUrl) {
    this.privateKey = privateKey;
    this.mode = mode;
    this.tsaUrl = tsaUrl;
    this.publicKeyPem = publicKeyPem(privateKey);
    this.hint = keyHint(privateKey.type === "private" ? createPublicKey(privateKey) : privateKey);
  }
  privateKey;
  mode;
  tsaUrl;
  publicKeyPem;
  hint;
  timestamper;
  signNote(body, name) {
    return signNote(body, { name, privateKey: this.privateKey });
  }
  signCheckpoint(body, name) {
    return Promise.resolve({ note: this.signNote(body, name) });
  }
  async signStatement(payload) {
    try {
      const signature = signBytes(
        "sha256",
        import_core.dsse.preAuthEncoding(DSSE_PAYLOAD_TYPE, payload),
        this.privateKey
      );
      const bundle = (0, import_bundle.toDSSEBundle)({
        artifact: payload,
        artifactType: DSSE_PAYLOAD_TYPE,
        signature,
        keyHint: this.hint,
        certificateChain: false
      });
      const timestamps = this.tsaUrl === void 0 ? [] : (await (await this.timestampAuthority()).testify(bundle.content, this.publicKeyPem)).rfc3161Timestamps ?? [];
      bundle.verificationMaterial.tlogEntries = [];
      bundle.verificationMaterial.timestampVerificationData = { rfc3161Timestamps: timestamps };
      return (0, import_bundle.bundleToJSON)(bundle);
    } catch (error) {
      throw new LedgerError("SIGNING", `signing with the local key failed (${describeError(error)})`, {
        cause: error
      });
    }
  }
  /** The timestamp authority's client, made once, on the first statement signed with `tsaUrl`. */
  timestampAuthority() {
    const tsaBaseURL = this.tsaUrl;
    this.timestamper ??= import("./dist-UEKYEB5Z.js").then(
      ({ TSAWitness }) => new TSAWitness({ tsaBaseURL, retry: 2, timeout: 1e4 })
    );
    return this.timestamper;
  }
};

// src/sign/oidc.ts
var MISSING_ID_TOKEN_FIX = "add `permissions: id-token: write` to the workflow job, or set SIGSTORE_ID_TOKEN in other CI systems";
var StaticTokenProvider = class {
  constructor(token) {
    this.token = token;
  }
  token;
  source = "SIGSTORE_ID_TOKEN";
  getToken() {
    return Promise.resolve(this.token);
  }
};
var GitHubActionsTokenProvider = class {
  constructor(requestUrl, requestToken) {
    this.requestUrl = requestUrl;
    this.requestToken = requestToken;
  }
  requestUrl;
  requestToken;
  source = "GitHub Actions OIDC";
  async getToken() {
    const url = new URL(this.requestUrl);
    url.searchParams.set("audience", "sigstore");
    let response;
    try {
      response = await fetch(url, {
        headers: { Authorization: `bearer ${this.requestToken}`, Accept: "application/json" },
        signal: AbortSignal.timeout(3e4)
      });
    } catch (error) {
      throw new LedgerError(
        "SIGNING",
        `cannot reach the GitHub Actions OIDC endpoint (${describeError(error)})`,
        {
          cause: error
        }
      );
    }
    if (!response.ok) {
      throw new LedgerError("SIGNING", `the GitHub Actions OIDC endpoint answered ${response.status}`, {
        field: "ACTIONS_ID_TOKEN_REQUEST_URL",
        fix: MISSING_ID_TOKEN_FIX
      });
    }
    const body = await response.json().catch(() => null);
    if (typeof body?.value !== "string" || body.value.split(".").length !== 3) {
      throw new LedgerError("SIGNING", "the GitHub Actions OIDC endpoint did not return a token", {
        field: "ACTIONS_ID_TOKEN_REQUEST_URL"
      });
    }
    return body.value;
  }
};
function identityProviderFrom(env) {
  if (env.SIGSTORE_ID_TOKEN) return new StaticTokenProvider(env.SIGSTORE_ID_TOKEN);
  if (env.ACTIONS_ID_TOKEN_REQUEST_URL && env.ACTIONS_ID_TOKEN_REQUEST_TOKEN) {
    return new GitHubActionsTokenProvider(
      env.ACTIONS_ID_TOKEN_REQUEST_URL,
      env.ACTIONS_ID_TOKEN_REQUEST_TOKEN
    );
  }
  return null;
}
function requireIdentityProvider(env) {
  const provider = identityProviderFrom(env);
  if (provider) return provider;
  const inActions = env.GITHUB_ACTIONS === "true";
  throw new LedgerError(
    "SIGNING",
    inActions ? 'keyless signing needs an OIDC token, and this job has no "id-token" permission' : "keyless signing needs an OIDC identity token, and none was found",
    {
      fix: inActions ? "add `permissions: id-token: write` to the job" : MISSING_ID_TOKEN_FIX
    }
  );
}

// src/sign/instance.ts
import { readFile } from "node:fs/promises";
var PUBLIC_GOOD = {
  name: "public-good",
  fulcioUrl: "https://fulcio.sigstore.dev",
  rekorUrl: "https://rekor.sigstore.dev"
};
var GITHUB_INSTANCE = {
  name: "github",
  fulcioUrl: "https://fulcio.githubapp.com",
  tsaUrl: "https://timestamp.githubapp.com"
};
async function chooseInstance(options, env) {
  if (options.fulcioUrl) {
    if (!options.rekorUrl && !options.tsaUrl) {
      throw new LedgerError("USAGE", "a custom Fulcio needs a transparency log or a timestamp authority", {
        field: "--fulcio-url",
        fix: "add --rekor-url and/or --tsa-url"
      });
    }
    return {
      name: "custom",
      fulcioUrl: options.fulcioUrl,
      ...options.rekorUrl ? { rekorUrl: options.rekorUrl } : {},
      ...options.tsaUrl ? { tsaUrl: options.tsaUrl } : {}
    };
  }
  const choice = options.instance ?? "auto";
  if (choice === "public-good") return PUBLIC_GOOD;
  if (choice === "github") return GITHUB_INSTANCE;
  return await repositoryVisibility(env) === "public" ? PUBLIC_GOOD : GITHUB_INSTANCE;
}
async function repositoryVisibility(env) {
  const path = env.GITHUB_EVENT_PATH;
  if (!path) return void 0;
  let payload;
  try {
    payload = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new LedgerError("BAD_INPUT", "cannot read the workflow event payload", {
      file: path,
      cause: error
    });
  }
  const repository = payload?.repository;
  if (typeof repository?.visibility === "string") return repository.visibility;
  if (typeof repository?.private === "boolean") return repository.private ? "private" : "public";
  return void 0;
}

// src/sign/resolve.ts
var DEVELOPMENT_KEY_NOTICE = "signed with a local development key: these records are for trying model-ledger out, not evidence. Use --key or keyless signing in CI.";
async function resolveSigner(options, env) {
  const choice = options.signing ?? "auto";
  const hasKey = Boolean(options.keyPem || options.keyFile);
  if (choice === "key" || choice === "auto" && hasKey && !identityProviderFrom(env)) {
    if (!hasKey) {
      throw new LedgerError("USAGE", "key signing needs a key", {
        field: "signing",
        fix: "pass --key PEM (or the signing-key input)"
      });
    }
    const key = options.keyPem ? parsePrivateKey(options.keyPem, "signing-key") : await loadPrivateKey(options.keyFile);
    const tsaUrl = options.sigstore?.tsaUrl;
    return { signer: new KeySigner(key, "key", tsaUrl), notices: [] };
  }
  if (choice === "keyless" || identityProviderFrom(env)) {
    const identity = requireIdentityProvider(env);
    const instance = await chooseInstance(options.sigstore ?? {}, env);
    const { KeylessSigner } = await import("./keyless-L2AZMJKY.js");
    return {
      signer: new KeylessSigner({ instance, identity }),
      notices: [
        `signing keyless on the ${instance.name} Sigstore instance (${instance.fulcioUrl}) with the ${identity.source} token`
      ]
    };
  }
  if (env.CI === "true" || env.GITHUB_ACTIONS === "true") {
    requireIdentityProvider(env);
  }
  const development = await ensureDevelopmentKey(env);
  const notices = development.created ? [`created a development key at ${development.file} (mode 0600)`] : [];
  notices.push(DEVELOPMENT_KEY_NOTICE);
  return { signer: new KeySigner(development.key, "development-key"), notices };
}

// src/oms/serialize.ts
import { lstat, realpath, stat } from "node:fs/promises";
import { basename, isAbsolute, join, posix, relative, resolve, sep } from "node:path";

// src/oms/resources.ts
import { createHash } from "node:crypto";
var OMS_PREDICATE_TYPE = "https://model_signing/signature/v1.0";
function compareResourceNames(a, b) {
  const left = a.split("/");
  const right = b.split("/");
  const length = Math.min(left.length, right.length);
  for (let index = 0; index < length; index++) {
    const order = compareCodePoints(left[index], right[index]);
    if (order !== 0) return order;
  }
  return left.length - right.length;
}
function compareCodePoints(a, b) {
  const x = [...a];
  const y = [...b];
  const length = Math.min(x.length, y.length);
  for (let index = 0; index < length; index++) {
    const difference = x[index].codePointAt(0) - y[index].codePointAt(0);
    if (difference !== 0) return difference;
  }
  return x.length - y.length;
}
function subjectDigestOf(resources) {
  const hash = createHash("sha256");
  for (const resource of resources) hash.update(Buffer.from(resource.digest, "hex"));
  return hash.digest("hex");
}
function buildOmsManifest(modelName, files, serialization) {
  const resources = files.map((file) => ({ name: file.name, algorithm: "sha256", digest: file.sha256 })).sort((a, b) => compareResourceNames(a.name, b.name));
  return { modelName, resources, serialization, subjectDigest: subjectDigestOf(resources) };
}
function omsStatement(manifest) {
  return {
    _type: STATEMENT_TYPE,
    subject: [{ name: manifest.modelName, digest: { sha256: manifest.subjectDigest } }],
    predicateType: OMS_PREDICATE_TYPE,
    predicate: { serialization: manifest.serialization, resources: manifest.resources }
  };
}
var HEX64 = /^[0-9a-f]{64}$/;
function parseOmsStatement(payload, file) {
  const fail2 = (message, field) => {
    throw new VerificationFailure("CORRUPT", message, { file, ...field ? { field } : {} });
  };
  let json;
  try {
    json = JSON.parse(payload.toString("utf8"));
  } catch {
    return fail2("its signed payload is not JSON");
  }
  if (!isObject(json)) return fail2("its signed payload is not a JSON object");
  if (json._type !== STATEMENT_TYPE) fail2(`is not an in-toto Statement v1`, "_type");
  if (json.predicateType !== OMS_PREDICATE_TYPE) {
    fail2(
      `has predicateType ${JSON.stringify(json.predicateType)}, not ${OMS_PREDICATE_TYPE} (an OpenSSF Model Signing v1.0 signature)`,
      "predicateType"
    );
  }
  const subjects = json.subject;
  if (!Array.isArray(subjects) || subjects.length !== 1) fail2("must have exactly one subject", "subject");
  const subject = subjects[0];
  const expected = isObject(subject) && isObject(subject.digest) ? subject.digest.sha256 : void 0;
  if (!isObject(subject) || typeof subject.name !== "string" || typeof expected !== "string" || !HEX64.test(expected)) {
    return fail2("its subject needs a name and a sha256 digest", "subject[0]");
  }
  const predicate = json.predicate;
  if (!isObject(predicate) || !isObject(predicate.serialization) || !Array.isArray(predicate.resources)) {
    return fail2("its predicate needs serialization and resources", "predicate");
  }
  const serialization = parseSerialization(predicate.serialization, fail2);
  const resources = predicate.resources.map((resource, index) => {
    const field = `predicate.resources[${index}]`;
    if (!isObject(resource) || typeof resource.name !== "string" || typeof resource.digest !== "string") {
      return fail2("needs name and digest", field);
    }
    if (resource.algorithm !== "sha256") {
      fail2(`uses algorithm ${JSON.stringify(resource.algorithm)}; only sha256 is supported`, field);
    }
    const digest = resource.digest.toLowerCase();
    if (!HEX64.test(digest)) fail2("digest is not 64 hex digits", field);
    return { name: resource.name, algorithm: "sha256", digest };
  });
  const names = new Set(resources.map((resource) => resource.name));
  if (names.size !== resources.length) fail2("lists a resource twice", "predicate.resources");
  const computed = subjectDigestOf(resources);
  if (computed !== expected) {
    fail2(
      `is inconsistent: the subject digest is ${expected}, but the listed resources hash to ${computed}`,
      "subject[0].digest"
    );
  }
  return {
    modelName: subject.name,
    resources: [...resources].sort((a, b) => compareResourceNames(a.name, b.name)),
    serialization,
    subjectDigest: computed
  };
}
function parseSerialization(raw, fail2) {
  const field = "predicate.serialization";
  if (raw.method !== "files") {
    fail2(
      `uses the ${JSON.stringify(raw.method)} serialization; only "files" is supported`,
      `${field}.method`
    );
  }
  if (raw.hash_type !== "sha256") {
    fail2(`hashes with ${JSON.stringify(raw.hash_type)}; only sha256 is supported`, `${field}.hash_type`);
  }
  if (typeof raw.allow_symlinks !== "boolean") fail2("allow_symlinks must be true or false", field);
  const ignore = raw.ignore_paths;
  if (ignore !== void 0 && (!Array.isArray(ignore) || ignore.some((path) => typeof path !== "string"))) {
    fail2("ignore_paths must be a list of paths", `${field}.ignore_paths`);
  }
  return {
    method: "files",
    hash_type: "sha256",
    allow_symlinks: raw.allow_symlinks,
    ...ignore === void 0 ? {} : { ignore_paths: ignore }
  };
}
function isObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function compareResources(signed, actual) {
  const expected = new Map(signed.map((resource) => [resource.name, resource.digest]));
  const found = new Map(actual.map((resource) => [resource.name, resource.digest]));
  const difference = { added: [], removed: [], changed: [] };
  for (const [name, digest] of found) {
    const signedDigest = expected.get(name);
    if (signedDigest === void 0) difference.added.push(name);
    else if (signedDigest !== digest) difference.changed.push({ name, signed: signedDigest, actual: digest });
  }
  for (const name of expected.keys()) if (!found.has(name)) difference.removed.push(name);
  difference.added.sort(compareResourceNames);
  difference.removed.sort(compareResourceNames);
  difference.changed.sort((a, b) => compareResourceNames(a.name, b.name));
  return difference;
}
function describeDifference(difference) {
  const list = (names) => names.length <= 5 ? names.join(", ") : `${names.slice(0, 5).join(", ")} and ${names.length - 5} more`;
  const parts = [];
  if (difference.changed.length > 0) {
    parts.push(
      `changed: ${list(difference.changed.map((entry) => `${entry.name} (signed ${entry.signed.slice(0, 12)}\u2026, found ${entry.actual.slice(0, 12)}\u2026)`))}`
    );
  }
  if (difference.added.length > 0) parts.push(`not signed (added): ${list(difference.added)}`);
  if (difference.removed.length > 0) parts.push(`missing (removed): ${list(difference.removed)}`);
  return parts.join("; ");
}

// src/oms/serialize.ts
var GIT_PATHS = [".git", ".gitattributes", ".github", ".gitignore"];
function normaliseIgnorePaths(paths) {
  const kept = /* @__PURE__ */ new Set();
  for (const raw of paths) {
    const path = posix.normalize(raw.replaceAll("\\", "/")).replace(/\/+$/, "");
    if (path === "." || path === "" || path === ".." || path.startsWith("../") || path.startsWith("/"))
      continue;
    kept.add(path);
  }
  return [...kept].sort();
}
function pathInside(model, path) {
  const inside = relative(resolve(model), resolve(path));
  if (inside === "" || inside === ".." || inside.startsWith(`..${sep}`) || isAbsolute(inside)) return null;
  return inside.split(sep).join("/");
}
function isIgnored(path, ignorePaths) {
  return ignorePaths.some((ignored) => path === ignored || path.startsWith(`${ignored}/`));
}
async function serializeModel(options) {
  const display = options.display ?? options.path;
  const absolute = resolve(options.path);
  const kind = await modelKind(absolute, display);
  const modelName = basename(absolute);
  const known = options.knownDigests ?? /* @__PURE__ */ new Map();
  if (kind === "file") {
    const serialization2 = { method: "files", hash_type: "sha256", allow_symlinks: false };
    const cached = known.get(".");
    if (cached !== void 0) {
      return {
        manifest: buildOmsManifest(modelName, [{ name: ".", sha256: cached }], serialization2),
        stats: { files: 1, known: 1, hashed: { files: 0, bytes: 0, fromCache: 0 } },
        symlinks: []
      };
    }
    const { files, stats } = await hashFiles([{ absolute, display }], options.hash);
    return {
      manifest: buildOmsManifest(
        modelName,
        [{ name: ".", sha256: files[0].sha256 }],
        serialization2
      ),
      stats: { files: 1, known: 0, hashed: stats },
      symlinks: []
    };
  }
  const ignorePaths = normaliseIgnorePaths([
    ...options.ignorePaths ?? [],
    ...options.ignoreGitPaths === false ? [] : GIT_PATHS
  ]);
  const listing = await listTree(absolute, display);
  const prefix = display.replace(/\/+$/, "");
  const links = listing.symlinks.filter((path) => !isIgnored(path, ignorePaths));
  const skipped = options.allowSymlinks || !options.reportSymlinks ? [] : links.splice(0);
  if (links.length > 0 && !options.allowSymlinks) {
    throw new LedgerError("BAD_INPUT", "is a symlink; model signatures list regular files only", {
      file: `${prefix}/${links[0]}`,
      fix: "replace the symlink with the file it points to, leave it out with --ignore-paths, or sign it as its target with --allow-symlinks"
    });
  }
  const linked = [];
  for (const link of links) {
    const target = await realpath(join(listing.root, ...link.split("/")));
    if (!(await stat(target)).isFile()) {
      throw new LedgerError(
        "BAD_INPUT",
        "is a symlink to a directory; only symlinks to files can be signed",
        {
          file: `${prefix}/${link}`,
          fix: "sign the directory it points to, or leave the symlink out with --ignore-paths"
        }
      );
    }
    linked.push({ relative: link, absolute: target });
  }
  const included = [...listing.files, ...linked].filter((file) => !isIgnored(file.relative, ignorePaths));
  if (included.length === 0) {
    throw new LedgerError("BAD_INPUT", "holds no file to sign (every file is ignored, or there are none)", {
      file: display,
      fix: "check the path and the --ignore-paths given"
    });
  }
  const toHash = included.filter((file) => !known.has(file.relative));
  const hashed = toHash.length ? await hashFiles(
    toHash.map((file) => ({ absolute: file.absolute, display: `${prefix}/${file.relative}` })),
    options.hash
  ) : { files: [], stats: { files: 0, bytes: 0, fromCache: 0 } };
  const digests = new Map(
    toHash.map((file, index) => [file.relative, hashed.files[index]?.sha256])
  );
  const serialization = {
    method: "files",
    hash_type: "sha256",
    allow_symlinks: options.allowSymlinks === true,
    ...ignorePaths.length > 0 ? { ignore_paths: ignorePaths } : {}
  };
  const manifest = buildOmsManifest(
    modelName,
    included.map((file) => ({
      name: file.relative,
      sha256: known.get(file.relative) ?? digests.get(file.relative)
    })),
    serialization
  );
  return {
    manifest,
    stats: { files: included.length, known: included.length - toHash.length, hashed: hashed.stats },
    symlinks: skipped
  };
}
async function modelKind(absolute, display) {
  let stats;
  try {
    stats = await lstat(absolute);
  } catch (error) {
    const missing = errnoCode(error) === "ENOENT";
    throw new LedgerError(
      "BAD_INPUT",
      missing ? "model not found" : `cannot read the model (${describeError(error)})`,
      {
        file: display,
        cause: error,
        fix: missing ? "check the path of the model directory or file" : "check the permissions"
      }
    );
  }
  if (stats.isSymbolicLink()) {
    throw new LedgerError("BAD_INPUT", "is a symlink; sign the directory or file it points to", {
      file: display
    });
  }
  if (stats.isDirectory()) return "directory";
  if (stats.isFile()) return "file";
  throw new LedgerError("BAD_INPUT", "is neither a directory nor a regular file", { file: display });
}

// src/oms/sign.ts
import { createHash as createHash2 } from "node:crypto";
var DEFAULT_SIGNATURE_FILE = "model.sig";
async function signModelDirectory(options) {
  const { signer, signatureFile, ...serialize } = options;
  const ignorePaths = [...serialize.ignorePaths ?? []];
  const inside = signatureFile === void 0 ? null : pathInside(serialize.path, signatureFile);
  if (inside !== null) ignorePaths.push(inside);
  const serialized = await serializeModel({ ...serialize, ignorePaths });
  const payload = Buffer.from(JSON.stringify(omsStatement(serialized.manifest)), "utf8");
  const bundle = withModelSigningHint(await signer.signStatement(payload), signer);
  const bytes = Buffer.from(`${JSON.stringify(bundle, null, 2)}
`, "utf8");
  return { bundle, bytes, sha256: sha256Hex(bytes), manifest: serialized.manifest, stats: serialized.stats };
}
function withModelSigningHint(bundle, signer) {
  const material = bundle.verificationMaterial;
  if (!signer.publicKeyPem || !material.publicKey) return bundle;
  return {
    ...bundle,
    verificationMaterial: { ...material, publicKey: { hint: modelSigningKeyHint(signer.publicKeyPem) } }
  };
}
function modelSigningKeyHint(publicKeyPem2) {
  return createHash2("sha256").update(publicKeyPem2, "utf8").digest("hex");
}
function modelSignatureAttachment(signature) {
  return {
    name: `${signature.sha256}.model.sig`,
    content: signature.bytes.toString("utf8"),
    sha256: signature.sha256
  };
}

// src/run/record.ts
import { createPublicKey as createPublicKey3 } from "node:crypto";
import { basename as basename3 } from "node:path";

// src/chain/recent.ts
async function verifyBelowHead(store, refs, head, trust, depth) {
  let upper = head;
  let checked = 1;
  while (checked < depth) {
    const { chain } = upper.statement.predicate;
    if (chain.index === 0 || chain.previous === null) {
      if (chain.index !== 0 || chain.previous !== null) {
        fail(store, `record ${chain.index} (${upper.ref.name}) claims to be the first record but is not`);
      }
      break;
    }
    const index = chain.index - 1;
    const here = refs.filter((ref2) => ref2.index === index);
    if (here.length === 0)
      fail(store, `record ${index} is missing below record ${chain.index}: the ledger has a gap`);
    if (here.length > 1) {
      fail(store, `the ledger has a fork at record ${index}: ${here.map((ref2) => ref2.name).join(", ")}`);
    }
    const ref = here[0];
    let record2;
    try {
      record2 = await readVerifiedRecord(store, ref, trust);
    } catch (error) {
      if (error instanceof VerificationFailure)
        fail(store, `record ${index} does not verify: ${error.message}`, error);
      throw error;
    }
    const found = record2.statement.predicate.chain;
    if (found.index !== index) fail(store, `${ref.name} holds record ${found.index}, not record ${index}`);
    if (found.origin !== chain.origin) {
      fail(store, `record ${index} belongs to ledger ${found.origin}, not ${chain.origin}`);
    }
    if (record2.statementSha256 !== chain.previous.statementSha256) {
      fail(
        store,
        `record ${chain.index} links to statement ${chain.previous.statementSha256.slice(0, 12)}, but record ${index} (${ref.name}) is statement ${record2.statementSha256.slice(0, 12)}: it was replaced`
      );
    }
    if (record2.bundleSha256 !== chain.previous.bundleSha256) {
      fail(
        store,
        `record ${index} (${ref.name}): its bundle file changed after record ${chain.index} linked to it: re-signed or rewritten`
      );
    }
    upper = record2;
    checked += 1;
  }
  return checked;
}
function fail(store, message, cause) {
  throw new LedgerError(
    "CHAIN",
    `the ledger below its head does not check out, so nothing is linked to it: ${message}`,
    {
      file: store.location,
      cause,
      fix: "run `model-ledger verify` to see what is wrong with the ledger"
    }
  );
}
function assertAppendable(store, refs, head, complete) {
  const { chain } = head.statement.predicate;
  const named = parseRecordFileName(head.ref.name);
  if (head.ref.index !== chain.index || named && !head.statementSha256.startsWith(named.sha256Prefix)) {
    refuse(
      store,
      head.ref,
      `holds record ${chain.index} (statement ${head.statementSha256.slice(0, 12)}), but its name says record ${head.ref.index}${named ? ` (statement ${named.sha256Prefix})` : ""}`,
      `the head of the ledger is misnamed or a copy; remove it if it is a copy of another record, or rename it to ${recordFileName(chain.index, head.statementSha256)}`
    );
  }
  const byPrefix = /* @__PURE__ */ new Map();
  for (const ref of refs) {
    const prefix = parseRecordFileName(ref.name)?.sha256Prefix;
    if (prefix === void 0) continue;
    const other = byPrefix.get(prefix);
    if (other) {
      refuse(
        store,
        ref,
        `carries the same statement digest in its name as ${other.name}: one is a copy of the other`,
        "remove the copy (run `model-ledger verify` to see which record is which)"
      );
    }
    byPrefix.set(prefix, ref);
  }
  if (chain.previous) {
    const below = refs.filter((ref) => ref.index === chain.index - 1);
    const expected = chain.previous.statementSha256.slice(0, 12);
    const misnamed = below.find((ref) => {
      const prefix = parseRecordFileName(ref.name)?.sha256Prefix;
      return prefix !== void 0 && prefix !== expected;
    });
    if (misnamed) {
      refuse(
        store,
        misnamed,
        // Stryker disable next-line StringLiteral: the '?' is never shown: `misnamed` was found by the prefix its name parses to
        `is named as statement ${parseRecordFileName(misnamed.name)?.sha256Prefix ?? "?"}, but record ${chain.index} links to statement ${expected} at index ${chain.index - 1}`,
        "the record below the head was replaced or renamed; restore it from a copy of the ledger"
      );
    }
  }
  if (!complete) return;
  const counts = /* @__PURE__ */ new Map();
  for (const ref of refs) counts.set(ref.index, [...counts.get(ref.index) ?? [], ref]);
  for (let index = 0; index <= chain.index; index++) {
    const here = counts.get(index) ?? [];
    if (here.length === 0) {
      const next = refs.map((ref) => ref.index).filter((other) => other > index);
      const where = index === 0 ? "record 0 is missing" : `record ${index} is missing: the ledger has a gap`;
      throw new LedgerError(
        "CHAIN",
        `${where} (the next record is ${Math.min(...next)}), so nothing is appended`,
        {
          file: store.location,
          fix: `restore record ${index} (${String(index).padStart(6, "0")}-\u2026.sigstore.json) from a copy of the ledger; run \`model-ledger verify\` to see every problem`
        }
      );
    }
    if (here.length > 1) {
      refuse(
        store,
        here[1],
        `is a second record at index ${index} (beside ${here[0].name}): the ledger has a fork`,
        "remove the record that should not be there; run `model-ledger verify` to see which"
      );
    }
  }
}
function refuse(store, ref, message, fix) {
  throw new LedgerError("CHAIN", `${message}, so nothing is appended to the ledger`, {
    file: store.locate(ref),
    fix
  });
}

// src/collect/environment.ts
import { spawn } from "node:child_process";
import { access as access2, readFile as readFile4 } from "node:fs/promises";
import { arch, platform, release } from "node:os";
import { join as join4 } from "node:path";

// src/collect/secrets.ts
var REDACTED = "[REDACTED]";
var DEFAULT_ENV_ALLOW_LIST = [
  "CI",
  "GITHUB_ACTIONS",
  "GITHUB_ACTOR",
  "GITHUB_ACTOR_ID",
  "GITHUB_TRIGGERING_ACTOR",
  "GITHUB_REPOSITORY",
  "GITHUB_REPOSITORY_ID",
  "GITHUB_REPOSITORY_OWNER",
  "GITHUB_REPOSITORY_OWNER_ID",
  "GITHUB_EVENT_NAME",
  "GITHUB_REF",
  "GITHUB_REF_NAME",
  "GITHUB_REF_TYPE",
  "GITHUB_REF_PROTECTED",
  "GITHUB_HEAD_REF",
  "GITHUB_BASE_REF",
  "GITHUB_SHA",
  "GITHUB_WORKFLOW",
  "GITHUB_WORKFLOW_REF",
  "GITHUB_WORKFLOW_SHA",
  "GITHUB_JOB",
  "GITHUB_RUN_ID",
  "GITHUB_RUN_NUMBER",
  "GITHUB_RUN_ATTEMPT",
  "GITHUB_SERVER_URL",
  "GITHUB_API_URL",
  "GITHUB_GRAPHQL_URL",
  "RUNNER_OS",
  "RUNNER_ARCH",
  "RUNNER_NAME",
  "RUNNER_ENVIRONMENT",
  "ImageOS",
  "ImageVersion",
  "CUDA_VISIBLE_DEVICES",
  "NVIDIA_VISIBLE_DEVICES",
  "CUBLAS_WORKSPACE_CONFIG",
  "PYTHONHASHSEED",
  "TF_DETERMINISTIC_OPS",
  "TF_CUDNN_DETERMINISTIC",
  "OMP_NUM_THREADS",
  "MKL_NUM_THREADS"
];
var SECRET_NAME = /token|secret|passw(?:or)?d|passwd|pwd|pass_?phrase|key|credential|cred(?:s|_)|auth(?!or)|private|cookie|session|signature|certificate|\bpat\b|_pat_|^pat_|_pat$|dsn|connection_?string|webhook/i;
function isSecretName(name) {
  return SECRET_NAME.test(name);
}
var MIN_SECRET_SUBSTRING = 4;
function expandKnownSecrets(knownSecrets) {
  const forms = /* @__PURE__ */ new Set();
  for (const secret of knownSecrets) {
    if (!secret) continue;
    forms.add(secret);
    const trimmed = secret.trim();
    if (trimmed) forms.add(trimmed);
    for (const line of secret.split(/\r?\n/)) {
      if (line.trim().length >= 8) forms.add(line.trim());
    }
    if (trimmed.length >= MIN_SECRET_SUBSTRING) {
      forms.add(Buffer.from(trimmed, "utf8").toString("base64"));
      forms.add(Buffer.from(trimmed, "utf8").toString("base64").replace(/=+$/, ""));
      forms.add(encodeURIComponent(trimmed));
    }
  }
  return [...forms].sort((a, b) => b.length - a.length);
}
function redactKnownSecrets(text, expandedSecrets) {
  let result = text;
  for (const secret of expandedSecrets) {
    if (result === secret || result.trim() === secret) return REDACTED;
    if (secret.length >= MIN_SECRET_SUBSTRING && result.includes(secret))
      result = result.split(secret).join(REDACTED);
  }
  return result;
}
function redactDeep(value, knownSecrets) {
  const expanded = expandKnownSecrets(knownSecrets);
  if (expanded.length === 0) return value;
  const walk = (node) => {
    if (typeof node === "string") return redactKnownSecrets(node, expanded);
    if (Array.isArray(node)) return node.map(walk);
    if (typeof node === "object" && node !== null) {
      const copy = {};
      for (const [key, child] of Object.entries(node)) {
        Object.defineProperty(copy, redactKnownSecrets(key, expanded), {
          value: walk(child),
          enumerable: true,
          writable: true,
          configurable: true
        });
      }
      return copy;
    }
    return node;
  };
  return walk(value);
}
function admits(entry, name) {
  return entry.endsWith("*") ? name.startsWith(entry.slice(0, -1)) : entry === name;
}
function captureEnvironment(env, options = {}) {
  const allow = [...options.replaceDefaults ? [] : DEFAULT_ENV_ALLOW_LIST, ...options.variables ?? []].map((entry) => entry.trim()).filter(Boolean);
  const expanded = expandKnownSecrets(options.knownSecrets ?? []);
  const captured = {};
  for (const name of Object.keys(env).sort()) {
    const value = env[name];
    if (value === void 0 || !allow.some((entry) => admits(entry, name))) continue;
    if (isSecretName(name) || findSecretFormats(value).length > 0) {
      captured[name] = REDACTED;
      continue;
    }
    captured[name] = redactKnownSecrets(value, expanded);
  }
  return captured;
}
var SECRET_FORMATS = [
  { kind: "github-token", pattern: /\bgh[pousr]_[A-Za-z0-9]{36,255}\b/ },
  { kind: "github-token", pattern: /\bgithub_pat_[A-Za-z0-9_]{22,255}\b/ },
  { kind: "aws-access-key-id", pattern: /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/ },
  { kind: "private-key", pattern: /-----BEGIN[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----/ },
  { kind: "jwt", pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/ },
  { kind: "slack-token", pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
  { kind: "slack-token", pattern: /\bxapp-\d-[A-Za-z0-9-]{10,}/ },
  {
    kind: "slack-webhook",
    pattern: /hooks\.slack\.com\/services\/T[A-Za-z0-9_]+\/B[A-Za-z0-9_]+\/[A-Za-z0-9_]+/
  },
  { kind: "huggingface-token", pattern: /\bhf_[A-Za-z0-9]{34,}\b/ },
  { kind: "npm-token", pattern: /\bnpm_[A-Za-z0-9]{36}\b/ },
  { kind: "pypi-token", pattern: /\bpypi-AgE[A-Za-z0-9_-]{50,}/ }
];
function findSecretFormats(text) {
  const kinds = /* @__PURE__ */ new Set();
  for (const format of SECRET_FORMATS) if (format.pattern.test(text)) kinds.add(format.kind);
  return [...kinds];
}
function scanForSecrets(serializedRecord, knownSecrets) {
  const expanded = expandKnownSecrets(knownSecrets);
  const findings = [];
  const kindsOf = (text) => {
    const kinds = findSecretFormats(text);
    if (expanded.some(
      (secret) => text === secret || secret.length >= MIN_SECRET_SUBSTRING && text.includes(secret)
    )) {
      kinds.push("known-secret");
    }
    return kinds;
  };
  const visit = (node, path) => {
    if (typeof node === "string") {
      for (const kind of kindsOf(node)) findings.push({ field: path || "(root)", kind });
    } else if (Array.isArray(node)) {
      node.forEach((child, index) => visit(child, `${path}[${index}]`));
    } else if (typeof node === "object" && node !== null) {
      for (const [key, child] of Object.entries(node)) {
        const keyKinds = kindsOf(key);
        const plain = keyKinds.length > 0 || /^[A-Za-z_$][\w$]*$/.test(key);
        const segment = keyKinds.length > 0 ? "<redacted key>" : key;
        const childPath = plain ? `${path ? `${path}.` : ""}${segment}` : `${path}[${JSON.stringify(key)}]`;
        for (const kind of keyKinds) findings.push({ field: childPath, kind });
        visit(child, childPath);
      }
    }
  };
  let parsed;
  try {
    parsed = JSON.parse(serializedRecord);
  } catch {
    return kindsOf(serializedRecord).map((kind) => ({ field: "(document)", kind }));
  }
  visit(parsed, "");
  return findings;
}

// src/collect/nvidia.ts
import { access, readFile as readFile2 } from "node:fs/promises";
import { join as join2 } from "node:path";
var PROC_VERSION = "proc/driver/nvidia/version";
async function nvidiaDevicePresent(root) {
  for (const path of ["dev/nvidia0", PROC_VERSION]) {
    try {
      await access(join2(root, path));
      return true;
    } catch {
    }
  }
  return false;
}
async function nvidiaDriverFromProc(root) {
  let text;
  try {
    text = await readFile2(join2(root, PROC_VERSION), "utf8");
  } catch {
    return void 0;
  }
  return /^NVRM version:.*?\s(\d+\.\d+(?:\.\d+)?)(?:\s|$)/m.exec(text)?.[1];
}
function parseNvidiaSmi(output) {
  const driver = /Driver Version:\s*([\d.]+)/.exec(output)?.[1];
  const cuda = /CUDA Version:\s*([\d.]+)/.exec(output)?.[1];
  const found = {};
  if (driver) found["nvidia-driver"] = driver;
  if (cuda) found.cuda = cuda;
  return Object.keys(found).length > 0 ? found : void 0;
}

// src/collect/tool-files.ts
import { accessSync, constants, existsSync, readdirSync, statSync } from "node:fs";
import { open, readFile as readFile3, realpath as realpath2 } from "node:fs/promises";
import { basename as basename2, delimiter, dirname, isAbsolute as isAbsolute2, join as join3, resolve as resolve2 } from "node:path";
async function locateCommand(command, env, cwd) {
  const path = await onPath(command, env, cwd, /* @__PURE__ */ new Set());
  if (path === void 0) return void 0;
  const shim = pyenvShim(await readHead(path, 2048));
  if (shim === void 0) return { path, resolved: true };
  const target = await pyenvTarget(command, shim, env, cwd);
  return target === void 0 ? { path, resolved: false } : { path: target, resolved: true };
}
async function onPath(command, env, cwd, skip) {
  const extensions = process.platform === "win32" ? ["", ...(env.PATHEXT ?? ".COM;.EXE;.BAT;.CMD").split(";")] : [""];
  for (const entry of (env.PATH ?? "").split(delimiter)) {
    const dir = resolve2(cwd, entry);
    if (skip.has(dir)) continue;
    for (const extension of extensions) {
      const candidate = join3(dir, command + extension);
      if (await isExecutableFile(candidate)) return candidate;
    }
  }
  return void 0;
}
function pyenvShim(head) {
  if (head === void 0 || !head.subarray(0, 2).equals(Buffer.from("#!"))) return void 0;
  const text = head.toString("utf8");
  const root = /^export PYENV_ROOT="([^"\n]+)"$/m.exec(text)?.[1];
  const libexec = /^exec "([^"\n]+)\/libexec\/pyenv" exec "\$program" "\$@"$/m.exec(text)?.[1];
  if (root === void 0 || libexec === void 0 || !isAbsolute2(root)) return void 0;
  return { root, prefix: libexec };
}
async function pyenvTarget(command, shim, env, cwd) {
  if (await hasVersionNameHooks(shim, env)) return void 0;
  const versions = await pyenvVersions(shim.root, env, cwd);
  if (versions === void 0) return void 0;
  for (const version of [...versions, "system"]) {
    if (version === "system") {
      const found = await onPath(command, env, cwd, /* @__PURE__ */ new Set([join3(shim.root, "shims")]));
      if (found !== void 0) return found;
      continue;
    }
    const dir = await installedVersion(shim.root, version);
    if (dir === void 0) return void 0;
    const candidate = join3(dir, "bin", command);
    if (await isExecutableFile(candidate)) return candidate;
  }
  return void 0;
}
async function installedVersion(root, version) {
  for (const name of [version, version.replace(/^python-/, "")]) {
    if (name === "" || name === "." || name === ".." || name.includes("/")) return void 0;
    const dir = join3(root, "versions", name);
    if (await isDirectory(dir)) return dir;
  }
  return void 0;
}
async function pyenvVersions(root, env, cwd) {
  if (env.PYENV_VERSION) return env.PYENV_VERSION.split(":").filter((version) => version !== "");
  const start = env.PYENV_DIR ? resolve2(cwd, env.PYENV_DIR) : cwd;
  const file = await nearestVersionFile(start) ?? (start !== cwd ? await nearestVersionFile(cwd) : void 0) ?? join3(root, "version");
  const text = await readSmallText(file);
  if (text === void 0) return ["system"];
  const versions = text.split(/\r?\n/).map((line) => line.trim().split(/\s+/)[0] ?? "").filter((word) => word !== "" && !word.startsWith("#"));
  return versions.length > 0 ? versions : ["system"];
}
async function nearestVersionFile(start) {
  for (let dir = start; ; dir = dirname(dir)) {
    const file = join3(dir, ".python-version");
    if (await isFile(file)) return file;
    if (dirname(dir) === dir) return void 0;
  }
}
async function hasVersionNameHooks(shim, env) {
  const dirs = [
    ...(env.PYENV_HOOK_PATH ?? "").split(":").filter((dir) => dir !== ""),
    join3(shim.root, "pyenv.d"),
    join3(shim.prefix, "pyenv.d"),
    "/usr/etc/pyenv.d",
    "/usr/local/etc/pyenv.d",
    "/etc/pyenv.d",
    "/usr/lib/pyenv/hooks"
  ];
  for (const plugins of /* @__PURE__ */ new Set([join3(shim.root, "plugins"), join3(shim.prefix, "plugins")])) {
    for (const plugin of await listDir(plugins)) dirs.push(join3(plugins, plugin, "etc", "pyenv.d"));
  }
  for (const dir of new Set(dirs)) {
    if ((await listDir(join3(dir, "version-name"))).length > 0) return true;
  }
  return false;
}
function interpreterName(name) {
  const match = /^python(?:(\d+)(?:\.(\d+))?)?([a-z]*)$/.exec(name);
  if (match === null) return void 0;
  return { ...match[1] ? { major: match[1] } : {}, ...match[2] ? { minor: match[2] } : {} };
}
function agrees(version, name) {
  const [major, minor] = version.split(".");
  return (name.major === void 0 || major === name.major) && (name.minor === void 0 || minor === name.minor);
}
async function pythonVersionFromFiles(path) {
  const real = await realpath2(path).catch(() => void 0);
  if (real === void 0 || !isNativeExecutable(await readHead(real, 4))) return void 0;
  const name = interpreterName(basename2(real));
  const asCalled = interpreterName(basename2(path));
  if (name === void 0 || asCalled === void 0) return void 0;
  if (asCalled.major !== void 0 && name.major !== void 0 && asCalled.major !== name.major)
    return void 0;
  const expected = { ...asCalled, ...name };
  const prefix = dirname(dirname(real));
  const headers = (await listDir(join3(prefix, "include"))).filter((entry) => {
    const version = /^python(\d+\.\d+)[a-z]*$/.exec(entry)?.[1];
    return version !== void 0 && agrees(version, expected);
  });
  if (headers.length === 1) {
    const header = await readSmallText(join3(prefix, "include", headers[0], "patchlevel.h"));
    const version = header && /^#define\s+PY_VERSION\s+"([^"\n]+)"/m.exec(header)?.[1];
    if (version && agrees(version, expected)) return version;
  }
  const venv = await venvConfig(dirname(dirname(path)));
  const fromConfig = venv?.version ?? versionInfo(venv?.version_info);
  if (fromConfig && agrees(fromConfig, expected)) return fromConfig;
  const installed = basename2(prefix);
  if (expected.minor !== void 0 && /^\d+\.\d+\.\d+$/.test(installed) && agrees(installed, expected))
    return installed;
  return void 0;
}
function versionInfo(text) {
  const match = text && /^(\d+\.\d+\.\d+)(?:\.(final|alpha|beta|candidate)(?:\.(\d+))?)?$/.exec(text);
  if (!match) return void 0;
  const level = { alpha: "a", beta: "b", candidate: "rc" }[match[2]];
  return level === void 0 ? match[1] : `${match[1]}${level}${match[3] ?? "0"}`;
}
async function venvConfig(dir) {
  const text = await readSmallText(join3(dir, "pyvenv.cfg"));
  if (text === void 0) return void 0;
  const config = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*([A-Za-z_-]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (match) config[match[1].toLowerCase()] = match[2];
  }
  return config;
}
async function pipVersionFromFiles(path, env) {
  if (env.PYTHONPATH || env.PYTHONHOME || env.PYTHONUSERBASE || env.PYTHONNOUSERSITE || !env.HOME)
    return void 0;
  const script = (await readHead(path, 4096))?.toString("utf8");
  if (script === void 0 || !/^from pip(?:\._internal(?:\.cli\.main)?)? import main$/m.test(script))
    return void 0;
  const interpreter = shebangInterpreter(script);
  if (interpreter === void 0) return void 0;
  const real = await realpath2(interpreter).catch(() => void 0);
  if (real === void 0) return void 0;
  let minor = /^python(\d+\.\d+)[a-z]*$/.exec(basename2(real))?.[1];
  if (minor === void 0) {
    const version = await pythonVersionFromFiles(interpreter);
    minor = version === void 0 ? void 0 : /^\d+\.\d+/.exec(version)?.[0];
  }
  if (minor === void 0) return void 0;
  const lib = `python${minor}`;
  const venvDir = dirname(dirname(interpreter));
  const venv = await venvConfig(venvDir);
  let sites;
  if (venv !== void 0) {
    if (venv["include-system-site-packages"]?.toLowerCase() === "true") return void 0;
    sites = [join3(venvDir, "lib", lib, "site-packages")];
  } else {
    const prefix = dirname(dirname(real));
    sites = [
      join3(env.HOME, ".local", "lib", lib, "site-packages"),
      ...process.platform === "darwin" ? [join3(env.HOME, "Library", "Python", minor, "lib", "python", "site-packages")] : [],
      join3(prefix, "lib", lib, "site-packages"),
      // Debian's layout: /usr/local/lib/python3.X/dist-packages, then /usr/lib/python3/dist-packages.
      join3(prefix, "local", "lib", lib, "dist-packages"),
      join3(prefix, "lib", `python${minor.split(".")[0] ?? ""}`, "dist-packages")
    ];
  }
  for (const site of sites) {
    const entries = await listDir(site);
    const infos = entries.filter((entry) => /^pip-[^-]+\.dist-info$/.test(entry));
    const hasPackage = entries.includes("pip");
    if (infos.length === 0 && !hasPackage) continue;
    if (infos.length !== 1 || !hasPackage) return void 0;
    const metadata = await readSmallText(join3(site, infos[0], "METADATA"));
    if (metadata === void 0 || !/^Name:\s*pip\s*$/im.test(metadata)) return void 0;
    return /^Version:\s*(\S+)\s*$/m.exec(metadata)?.[1];
  }
  return void 0;
}
function shebangInterpreter(script) {
  const [first = "", second = ""] = script.split("\n", 2);
  const direct = /^#!(\/\S+)\s*$/.exec(first)?.[1];
  if (direct !== void 0 && interpreterName(basename2(direct)) !== void 0) return direct;
  if (direct === "/bin/sh") {
    const quoted = /^'''exec' "?(\/[^"\n]+?)"? "\$0" "\$@"/.exec(second)?.[1];
    if (quoted !== void 0 && interpreterName(basename2(quoted)) !== void 0) return quoted;
  }
  return void 0;
}
function isNativeExecutable(head) {
  if (head === void 0 || head.length < 4) return false;
  const magic = head.readUInt32BE(0);
  return [2135247942, 4277009102, 4277009103, 3472551422, 3489328638, 3405691582].includes(magic);
}
async function readHead(path, bytes) {
  if (statOf(path)?.isFile() !== true) return void 0;
  try {
    const handle = await open(path, "r");
    try {
      const buffer = Buffer.alloc(bytes);
      const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch {
    return void 0;
  }
}
async function readSmallText(path) {
  const info = statOf(path);
  if (info === void 0 || !info.isFile() || info.size > 256 * 1024) return void 0;
  try {
    return await readFile3(path, "utf8");
  } catch {
    return void 0;
  }
}
async function listDir(path) {
  try {
    return existsSync(path) ? readdirSync(path) : [];
  } catch {
    return [];
  }
}
function statOf(path) {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return void 0;
  }
}
async function isExecutableFile(path) {
  if (statOf(path)?.isFile() !== true) return false;
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
async function isFile(path) {
  return statOf(path)?.isFile() === true;
}
async function isDirectory(path) {
  return statOf(path)?.isDirectory() === true;
}

// src/collect/environment.ts
function ciContextFrom(env) {
  if (env.GITHUB_ACTIONS !== "true") {
    return { provider: env.CI ? "other" : "none" };
  }
  const fields = [
    ["repository", "GITHUB_REPOSITORY"],
    ["workflow", "GITHUB_WORKFLOW"],
    ["workflowRef", "GITHUB_WORKFLOW_REF"],
    ["runId", "GITHUB_RUN_ID"],
    ["runAttempt", "GITHUB_RUN_ATTEMPT"],
    ["runNumber", "GITHUB_RUN_NUMBER"],
    ["eventName", "GITHUB_EVENT_NAME"],
    ["ref", "GITHUB_REF"],
    ["sha", "GITHUB_SHA"],
    ["actor", "GITHUB_ACTOR"],
    ["triggeringActor", "GITHUB_TRIGGERING_ACTOR"],
    ["serverUrl", "GITHUB_SERVER_URL"],
    ["job", "GITHUB_JOB"]
  ];
  const context = { provider: "github-actions" };
  for (const [field, variable] of fields) {
    const value = env[variable];
    if (value) context[field] = value;
  }
  if (context.serverUrl && context.repository && context.runId) {
    context.runUrl = `${context.serverUrl}/${context.repository}/actions/runs/${context.runId}`;
  }
  return context;
}
function firstVersion(text) {
  return /\b(\d+\.\d+(?:\.\d+)*(?:[-+.]?[0-9A-Za-z.]+)?)/.exec(text)?.[1];
}
var versionOf = (name) => (output) => {
  const version = firstVersion(output);
  return version ? { [name]: version } : void 0;
};
var pythonFromFiles = (name) => async (executable) => {
  const version = await pythonVersionFromFiles(executable);
  return version === void 0 ? void 0 : { [name]: version };
};
var DEFAULT_TOOL_PROBES = [
  {
    name: "python3",
    command: "python3",
    args: ["--version"],
    parse: versionOf("python3"),
    fromFiles: pythonFromFiles("python3")
  },
  {
    name: "python",
    command: "python",
    args: ["--version"],
    parse: versionOf("python"),
    fromFiles: pythonFromFiles("python")
  },
  {
    name: "pip",
    command: "pip",
    args: ["--version"],
    parse: versionOf("pip"),
    fromFiles: async (executable, env) => {
      const version = await pipVersionFromFiles(executable, env);
      return version === void 0 ? void 0 : { pip: version };
    }
  },
  {
    name: "nvidia-smi",
    command: "nvidia-smi",
    args: [],
    parse: parseNvidiaSmi,
    applies: nvidiaDevicePresent,
    // A container given the GPU without NVIDIA's utilities still has the driver's /proc entry.
    fromSystem: async (root) => {
      const driver = await nvidiaDriverFromProc(root);
      return driver === void 0 ? void 0 : { "nvidia-driver": driver };
    }
  },
  // No file says git's version; it answers in milliseconds, while the other collectors work.
  { name: "git", command: "git", args: ["--version"], parse: versionOf("git") }
];
var EnvironmentCollector = class {
  constructor(options = {}) {
    this.options = options;
  }
  options;
  section = "environment";
  async collect(context) {
    const { env } = context;
    const [tools, distribution, container, gpus] = await Promise.all([
      this.toolVersions(context),
      osRelease(this.root),
      detectContainer(env, this.root),
      this.gpuNames(context)
    ]);
    const section = {
      ci: ciContextFrom(env),
      os: distribution ? `${platform()} ${release()} (${distribution})` : `${platform()} ${release()}`,
      arch: arch(),
      node: process.version
    };
    const runner = runnerFrom(env);
    if (container) runner.container = container;
    if (gpus.length > 0) runner.gpus = gpus;
    if (Object.keys(runner).length > 0) section.runner = runner;
    if (Object.keys(tools).length > 0) section.tools = tools;
    const variables = captureEnvironment(env, {
      variables: this.options.variables ?? [],
      knownSecrets: this.options.knownSecrets ?? []
    });
    if (Object.keys(variables).length > 0) section.variables = variables;
    return section;
  }
  async toolVersions(context) {
    const probes = this.options.tools ?? DEFAULT_TOOL_PROBES;
    const answers = await Promise.all(probes.map((probe) => this.toolVersion(probe, context)));
    const tools = {};
    for (const answer of answers) Object.assign(tools, answer ?? {});
    return tools;
  }
  async toolVersion(probe, context) {
    if (probe.applies && !await probe.applies(this.root)) return void 0;
    const located = await locateCommand(probe.command, context.env, context.cwd);
    if (located === void 0) {
      context.log.debug(`environment: ${probe.command} is not on PATH`);
      return probe.fromSystem?.(this.root);
    }
    if (located.resolved && probe.fromFiles) {
      const found = await probe.fromFiles(located.path, context.env);
      if (found !== void 0) return found;
    }
    const shown = [probe.command, ...probe.args].join(" ");
    const answer = await runTool(located.path, probe.args, context, this.timeout);
    let why;
    if (answer.kind === "ok") {
      const found = probe.parse(answer.output);
      if (found !== void 0) return found;
      why = "printed no version";
    } else if (answer.kind === "timeout") {
      why = `did not answer within ${seconds(this.timeout)} and was stopped`;
    } else {
      why = `failed (${answer.detail})`;
    }
    context.note(`environment: \`${shown}\` ${why}; ${probe.name} is recorded as unknown`);
    return { ...await probe.fromSystem?.(this.root), [probe.name]: "unknown" };
  }
  async gpuNames(context) {
    const probe = (this.options.tools ?? DEFAULT_TOOL_PROBES).find((tool) => tool.command === "nvidia-smi");
    if (probe === void 0 || probe.applies && !await probe.applies(this.root)) return [];
    const located = await locateCommand("nvidia-smi", context.env, context.cwd);
    if (located === void 0) return [];
    const answer = await runTool(
      located.path,
      ["--query-gpu=name", "--format=csv,noheader"],
      context,
      this.timeout
    );
    if (answer.kind !== "ok") return [];
    return answer.output.split("\n").map((line) => line.trim()).filter((line) => line !== "" && !/failed|error|not found/i.test(line));
  }
  get timeout() {
    return this.options.toolTimeoutMs ?? 1500;
  }
  get root() {
    return this.options.root ?? "/";
  }
};
var seconds = (ms) => `${Number((ms / 1e3).toFixed(2))} s`;
function runnerFrom(env) {
  const runner = {};
  const fields = [
    ["name", "RUNNER_NAME"],
    ["os", "RUNNER_OS"],
    ["arch", "RUNNER_ARCH"],
    ["imageOS", "ImageOS"],
    ["imageVersion", "ImageVersion"]
  ];
  for (const [field, variable] of fields) {
    const value = env[variable];
    if (value) runner[field] = value;
  }
  const environment = env.RUNNER_ENVIRONMENT;
  if (environment === "github-hosted" || environment === "self-hosted") runner.environment = environment;
  return runner;
}
var MAX_OUTPUT = 1024 * 1024;
function runTool(executable, args, context, timeoutMs) {
  return new Promise((resolve4) => {
    const group = process.platform !== "win32";
    let child;
    try {
      child = spawn(executable, args, {
        cwd: context.cwd,
        env: { ...definedOnly(context.env), LC_ALL: "C" },
        stdio: ["ignore", "pipe", "pipe"],
        detached: group,
        windowsHide: true
      });
    } catch (error) {
      resolve4({ kind: "failed", detail: describeError(error) });
      return;
    }
    const kill = () => {
      try {
        if (group && child.pid !== void 0) process.kill(-child.pid, "SIGKILL");
        else child.kill("SIGKILL");
      } catch {
      }
    };
    const output = { stdout: "", stderr: "" };
    const keep = (stream) => (chunk) => {
      if (output[stream].length < MAX_OUTPUT) output[stream] += chunk.toString("utf8");
    };
    child.stdout?.on("data", keep("stdout"));
    child.stderr?.on("data", keep("stderr"));
    let settled = false;
    const settle = (answer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve4(answer);
    };
    const timer = setTimeout(() => {
      kill();
      child.stdout?.destroy();
      child.stderr?.destroy();
      settle({ kind: "timeout" });
    }, timeoutMs);
    child.on("error", (error) => settle({ kind: "failed", detail: error.message }));
    child.on("exit", () => {
      setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
      }, 100).unref();
    });
    child.on("close", (code, signal) => {
      if (code === 0) settle({ kind: "ok", output: `${output.stdout}
${output.stderr}` });
      else settle({ kind: "failed", detail: signal ? `killed by ${signal}` : `exit status ${String(code)}` });
    });
  });
}
function definedOnly(env) {
  const result = {};
  for (const [name, value] of Object.entries(env)) if (value !== void 0) result[name] = value;
  return result;
}
async function osRelease(root) {
  for (const file of ["etc/os-release", "usr/lib/os-release"]) {
    try {
      const text = await readFile4(join4(root, file), "utf8");
      const match = /^PRETTY_NAME=(?:"([^"\n]*)"|'([^'\n]*)'|(\S*))/m.exec(text);
      const name = match?.[1] ?? match?.[2] ?? match?.[3];
      if (name) return name;
    } catch {
    }
  }
  return void 0;
}
async function detectContainer(env, root) {
  let runtime;
  let image = env.CONTAINER_IMAGE?.trim() || void 0;
  if (await exists(join4(root, ".dockerenv"))) runtime = "docker";
  const containerenv = await readText(join4(root, "run/.containerenv"));
  if (containerenv !== void 0) {
    runtime ??= "podman";
    image ??= /^image="([^"\n]+)"/m.exec(containerenv)?.[1];
  }
  if (!runtime && env.container) runtime = env.container;
  if (!runtime) {
    const cgroup = await readText(join4(root, "proc/1/cgroup")) ?? "";
    runtime = /\b(docker|kubepods|containerd|libpod|lxc)\b/.exec(cgroup)?.[1];
    if (runtime === "kubepods") runtime = "kubernetes";
    if (runtime === "libpod") runtime = "podman";
  }
  if (!runtime && !image) return void 0;
  const container = {};
  if (runtime) container.runtime = runtime;
  if (image) container.image = image;
  return container;
}
async function exists(path) {
  try {
    await access2(path);
    return true;
  } catch {
    return false;
  }
}
async function readText(path) {
  try {
    return await readFile4(path, "utf8");
  } catch {
    return void 0;
  }
}

// src/collect/change.ts
var MAX_REASON_CHARS = 4e3;
var MAX_IMPLEMENTER_COMMITS = 200;
function trimReason(text) {
  const trimmed = text.trim();
  if (trimmed.length <= MAX_REASON_CHARS) return trimmed;
  return `${trimmed.slice(0, MAX_REASON_CHARS)}\u2026 [cut at ${MAX_REASON_CHARS} characters]`;
}
function reasonFromPullRequest(title, body) {
  const description = body.replace(/<!--[\s\S]*?(-->|$)/g, "").replace(/\r\n/g, "\n").replace(/\n{3,}/g, "\n\n").trim();
  return description ? `${title.trim()}

${description}` : title.trim();
}
function assemble(parts) {
  const given = parts.reason?.trim();
  const fromPull = parts.pullRequest ? reasonFromPullRequest(parts.pullRequest.info.title, parts.pullRequest.body) : "";
  const fromCommit = parts.commit?.message.trim();
  const [reason, reasonSource] = given ? [given, "input"] : fromPull ? [fromPull, "pull-request"] : fromCommit ? [fromCommit, "commit-message"] : ["", "none"];
  const section = {
    reason: trimReason(reason),
    reasonSource,
    implementedBy: dedupe(parts.implementedBy),
    approvedBy: dedupe(parts.approvedBy)
  };
  if (parts.pullRequest) section.pullRequest = parts.pullRequest.info;
  if (parts.triggeredBy) section.triggeredBy = { login: parts.triggeredBy };
  return section;
}
var ChangeCollector = class {
  constructor(options, commit) {
    this.options = options;
    this.commit = commit;
  }
  options;
  commit;
  section = "change";
  async collect(context) {
    const ci = ciContextFrom(context.env);
    const triggeredBy = ci.triggeringActor || ci.actor;
    const pull = await this.pullRequest(context);
    const implementedBy = [];
    if (pull) implementedBy.push({ login: pull.details.info.author });
    if (this.commit) implementedBy.push(...await implementersOf(context, this.commit));
    const section = assemble({
      ...this.options.reason === void 0 ? {} : { reason: this.options.reason },
      ...pull ? { pullRequest: pull.details } : {},
      commit: this.commit,
      implementedBy,
      approvedBy: pull ? approversOf({
        ...pull.details.info,
        head: { ...pull.details.info.head, sha: pull.approvedHead }
      }).map((login) => ({ login })) : [],
      ...triggeredBy ? { triggeredBy } : {}
    });
    if (section.reasonSource === "none") {
      context.note(
        "change: no reason was given (`--reason` / `reason` input), no pull request was found and the commit message is empty"
      );
    }
    return section;
  }
  async pullRequest(context) {
    const github = this.options.github;
    if (!github || !github.available) {
      const reason = github ? github.reason : "GitHub was not consulted";
      context.note(`change: the pull request, its reviews and approvals are not recorded: ${reason}`);
      return void 0;
    }
    const { access: access4 } = github;
    const eventName = context.env.GITHUB_EVENT_NAME;
    const payload = await readEventPayload(context.env, context.log);
    try {
      let number = pullRequestNumberFromEvent(eventName, payload);
      let builtHead;
      if (number !== void 0) {
        builtHead = eventHeadSha(payload);
      } else if (this.commit) {
        const associated = await pullRequestForCommit(access4, this.commit.sha);
        number = associated?.number;
        if (associated?.match === "head") builtHead = this.commit.sha;
      }
      if (number === void 0) {
        context.note(
          this.commit ? `change: no pull request on GitHub has ${this.commit.sha} as its merge commit or head, so none is recorded` : "change: no commit and no pull_request event, so no pull request is recorded"
        );
        return void 0;
      }
      const details = await readPullRequest(access4, number);
      const approvedHead = builtHead ?? details.info.head.sha;
      if (approvedHead !== details.info.head.sha) {
        context.note(
          `change: pull request #${number} has moved on to ${details.info.head.sha} since this build's head ${approvedHead}; approvals are counted on the head that was built`
        );
      }
      return { details, approvedHead };
    } catch (error) {
      const failure = gitHubFailureText(error);
      if (failure === void 0) throw error;
      context.log.warn(`change: cannot read the pull request from GitHub: ${failure}`);
      context.note(`change: the pull request, its reviews and approvals are not recorded: ${failure}`);
      return void 0;
    }
  }
};
function eventHeadSha(payload) {
  const pull = payload?.pull_request;
  if (typeof pull !== "object" || pull === null) return void 0;
  const head = pull.head;
  const sha = typeof head === "object" && head !== null ? head.sha : void 0;
  return typeof sha === "string" && /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(sha) ? sha : void 0;
}
function identitiesOf(commit) {
  return [
    { name: commit.author.name, email: commit.author.email },
    { name: commit.committer.name, email: commit.committer.email }
  ];
}
async function implementersOf(context, commit) {
  const range = commit.comparedWith ? [`${commit.comparedWith}..${commit.sha}`] : [commit.sha, "-1"];
  const log = await runGit(context.cwd, [
    "log",
    "--no-merges",
    `--max-count=${MAX_IMPLEMENTER_COMMITS + 1}`,
    "--format=%an%x00%ae%x00%cn%x00%ce%x00",
    ...range,
    "--"
  ]);
  const people = [];
  const fields = log.ok ? log.stdout.replace(/\n/g, "").split("\0") : [];
  let commits = 0;
  for (let index = 0; index + 3 < fields.length; index += 4) {
    commits += 1;
    if (commits > MAX_IMPLEMENTER_COMMITS) {
      context.note(
        `change: the change has more than ${MAX_IMPLEMENTER_COMMITS} commits; implementers are read from the latest ${MAX_IMPLEMENTER_COMMITS}`
      );
      break;
    }
    people.push({ name: fields[index], email: fields[index + 1] });
    people.push({ name: fields[index + 2], email: fields[index + 3] });
  }
  return people.length > 0 ? people : identitiesOf(commit);
}
function dedupe(people) {
  const seen = /* @__PURE__ */ new Set();
  return people.filter((person) => {
    const key = JSON.stringify([person.login ?? "", person.name ?? "", person.email ?? ""]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// src/collect/registry.ts
var DEFAULT_CONFIG_FILES = ["model-ledger.yml", "model-ledger.policy.yml"];
function datasetInRepository(root, spec, field) {
  if (typeof spec === "string")
    return isUri(spec) || spec.trim() === "" ? spec : repositoryRelative(root, spec, field);
  if (spec.path !== void 0) return { ...spec, path: repositoryRelative(root, spec.path, `${field}.path`) };
  if (spec.glob !== void 0) return { ...spec, glob: repositoryRelative(root, spec.glob, `${field}.glob`) };
  return spec;
}
function pathsInRepository(options) {
  const root = options.cwd;
  return {
    models: options.models.map((model, index) => repositoryRelative(root, model, `models[${index}]`)),
    datasets: options.datasets.map(
      (dataset, index) => datasetInRepository(root, dataset, `datasets[${index}]`)
    ),
    training: options.training === void 0 ? void 0 : repositoryRelative(root, options.training, "training"),
    dependencies: {
      ...options.dependencies,
      ...options.dependencies.paths === void 0 ? {} : {
        paths: options.dependencies.paths.map(
          (path, index) => repositoryRelative(root, path, `lockfiles[${index}]`)
        )
      }
    }
  };
}
async function collectSections(given) {
  const options = { ...given, ...pathsInRepository(given) };
  const notes = [];
  const attachments = /* @__PURE__ */ new Map();
  const warnings2 = [];
  const context = {
    cwd: options.cwd,
    env: options.env,
    previous: options.previous,
    log: {
      debug: (message) => options.log.debug(message),
      info: (message) => options.log.info(message),
      warn: (message) => void warnings2.push(message)
    },
    note: (text) => notes.push(text),
    attach: (name, content) => attachments.set(name, { name, content })
  };
  const github = githubAvailability(options.env, options.github, options.log);
  const commitAndChange = async () => {
    const commit2 = await new CommitCollector({ github }).collect(context);
    const change2 = await new ChangeCollector(
      { ...options.reason === void 0 ? {} : { reason: options.reason }, github },
      commit2
    ).collect(context);
    return { commit: commit2, change: change2 };
  };
  const [{ commit, change }, status, models, datasets, training, dependencies, environment] = await Promise.all([
    commitAndChange(),
    readWorkingTree(options.cwd),
    new ModelsCollector({ patterns: options.models, ...options.hashing }).collect(context),
    new DatasetsCollector({ datasets: options.datasets, ...options.hashing }).collect(context),
    options.training === void 0 ? null : new TrainingCollector({ path: options.training }).collect(context),
    dependenciesCollector(options.dependencies).collect(context),
    new EnvironmentCollector({
      variables: options.environmentVariables,
      knownSecrets: options.knownSecrets
    }).collect(context)
  ]);
  for (const warning of warnings2) options.log.warn(warning);
  if (commit && status) {
    commit.workingTree = workingTreeState(status, {
      outputs: [...models.map((model) => model.name), ...training ? [training.source] : []],
      inputs: [
        ...datasets.flatMap((dataset) => dataset.path === void 0 ? [] : [dataset.path]),
        ...dependencies.lockfiles.map((lockfile) => lockfile.path),
        ...DEFAULT_CONFIG_FILES,
        ...options.configFiles ?? []
      ]
    });
    if (commit.workingTree.state === "dirty") {
      const paths = commit.workingTree.dirty.map((entry) => `${entry.path} (${entry.status})`);
      options.log.warn(
        `uncommitted changes to what this record names: ${paths.slice(0, 5).join(", ")}${paths.length > 5 ? ` and ${paths.length - 5} more` : ""}; the commit ${commit.sha.slice(0, 12)} does not hold them`
      );
    }
  }
  return {
    sections: {
      commit,
      change,
      dependencies,
      models,
      datasets,
      training,
      environment
    },
    notes,
    attachments: [...attachments.values()]
  };
}

// src/policy/record.ts
import { createPublicKey as createPublicKey2 } from "node:crypto";
import { access as access3 } from "node:fs/promises";
import { isAbsolute as isAbsolute3, join as join5, relative as relative2, resolve as resolve3, sep as sep2 } from "node:path";
async function policyForRecord(cwd, option) {
  if (option === false) return null;
  if (option === void 0) {
    const file2 = join5(cwd, DEFAULT_POLICY_FILE);
    try {
      await access3(file2);
    } catch (error) {
      if (errnoCode(error) === "ENOENT") return null;
      throw new LedgerError("BAD_INPUT", `cannot read the policy file (${describeError(error)})`, {
        file: DEFAULT_POLICY_FILE,
        cause: error,
        fix: "make it readable, or pass --no-policy"
      });
    }
    return loadPolicy(file2, DEFAULT_POLICY_FILE);
  }
  const file = resolve3(cwd, option);
  const inside = relative2(cwd, file);
  const display = inside.startsWith("..") || isAbsolute3(inside) ? file : inside.split(sep2).join("/");
  return loadPolicy(file, display);
}
function checkPolicyBeforeSigning(loaded, subject, signer, log) {
  const results = evaluatePolicy(
    loaded,
    subject,
    signer.publicKeyPem ? { signer: { kind: "key", keyHint: keyHint(createPublicKey2(signer.publicKeyPem)) } } : {}
  );
  for (const result of warnings(results))
    log.warn(`policy ${loaded.file}: ${result.rule}: ${result.message}`);
  for (const result of results.filter((candidate) => candidate.outcome === "deferred")) {
    log.info(`policy ${loaded.file}: ${result.rule}: ${result.message}`);
  }
  const failures = enforcedFailures(results);
  if (failures.length > 0) {
    const listed = failures.map((result) => `
  - ${result.rule}: ${result.message}`).join("");
    throw new LedgerError(
      "POLICY",
      `the change breaks ${failures.length === 1 ? "an enforced rule" : `${failures.length} enforced rules`} of the policy:${listed}
Nothing was signed or written: change what the rule asks for, or the rule (level: warn only reports it).`,
      { file: loaded.file }
    );
  }
  const count = (outcome) => results.filter((result) => result.outcome === outcome).length;
  const deferredCount = count("deferred");
  log.info(
    `policy ${loaded.file}: ${count("pass")} of ${results.length} rule(s) hold` + (count("fail") > 0 ? `, ${count("fail")} warning(s)` : "") + (deferredCount > 0 ? `, ${deferredCount} left to \`verify --policy\`` : "")
  );
  return { file: loaded.file, sha256: loaded.sha256, results };
}

// src/run/model-signatures.ts
import { join as join6 } from "node:path";
var MODEL_SIGNATURE_FORMAT = "https://model_signing/signature/v1.0";
async function signModels(options) {
  const attachments = [...options.attachments];
  const models = [];
  let reusedFiles = 0;
  let hashedBytes = 0;
  for (const model of options.models) {
    let signature;
    try {
      signature = await signModelDirectory({
        path: join6(options.root, model.name),
        display: model.name,
        signer: options.signer,
        knownDigests: knownDigestsOf(model, options.attachments),
        ...options.hash ? { hash: options.hash } : {}
      });
    } catch (error) {
      if (!(error instanceof LedgerError) || error.code === "SIGNING") throw error;
      models.push({
        ...model,
        warnings: [
          ...model.warnings ?? [],
          { code: "MODEL_SIGNATURE", message: `no OpenSSF Model Signing signature: ${error.message}` }
        ]
      });
      continue;
    }
    reusedFiles += signature.stats.known;
    hashedBytes += signature.stats.hashed.bytes;
    const attachment = modelSignatureAttachment(signature);
    if (!attachments.some((existing) => existing.name === attachment.name)) {
      attachments.push({ name: attachment.name, content: attachment.content });
    }
    models.push({
      ...model,
      signature: { format: MODEL_SIGNATURE_FORMAT, stored: attachment.name, sha256: attachment.sha256 }
    });
  }
  return { models, attachments, reusedFiles, hashedBytes };
}
function knownDigestsOf(model, attachments) {
  const known = /* @__PURE__ */ new Map();
  if (model.kind === "file") {
    known.set(".", model.digest.sha256);
    return known;
  }
  const text = model.manifest?.inline ?? attachments.find((attachment) => attachment.name === model.manifest?.stored)?.content ?? "";
  for (const line of text.split("\n")) {
    const match = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
    if (match) known.set(match[2], match[1]);
  }
  return known;
}

// src/record/statement.ts
function subjectsFor(predicate) {
  const subjects = [
    ...predicate.models.map((model) => ({ name: model.name, digest: { sha256: model.digest.sha256 } })),
    ...predicate.datasets.map((dataset) => ({
      name: `dataset:${dataset.name}`,
      digest: { sha256: dataset.digest.sha256 }
    }))
  ];
  if (subjects.length > 0) return subjects;
  const commit = predicate.commit;
  if (commit) {
    const repository = commit.repositoryUrl || "unknown";
    return [{ name: `git+${repository}@${commit.sha}`, digest: { gitCommit: commit.sha } }];
  }
  return [];
}
function buildStatement(predicate) {
  return { _type: STATEMENT_TYPE, subject: subjectsFor(predicate), predicateType: PREDICATE_TYPE, predicate };
}
function serializeStatement(statement) {
  return Buffer.from(JSON.stringify(statement), "utf8");
}

// src/run/record.ts
async function record(options) {
  const env = options.env ?? process.env;
  const log = options.log ?? silentLogger;
  const notices = [];
  const store = options.store ?? new LocalStore(options.ledgerDir ?? DEFAULT_LEDGER_DIR);
  const policy = await policyForRecord(options.cwd, options.policy);
  const knownSecrets = [
    ...options.knownSecrets ?? [],
    options.githubToken ?? "",
    options.keyPem ?? ""
  ].filter((secret) => secret !== "");
  const { signer, notices: signerNotices } = options.signer ? { signer: options.signer, notices: [] } : await resolveSigner(options, env);
  notices.push(...signerNotices);
  const loadTrustedRoot = async () => (await resolveTrustedRoot(
    options.trustedRootFile === void 0 ? {} : { file: options.trustedRootFile },
    env
  )).json;
  let head = await readHead2(store, signer, loadTrustedRoot, options.headVerificationDepth);
  const collected = await collectSections({
    cwd: options.cwd,
    env,
    previous: head?.statement.predicate ?? null,
    log,
    models: options.models ?? [],
    datasets: options.datasets ?? [],
    training: options.training,
    hashing: {
      ...options.noCache ? { noCache: true } : {},
      ...options.onProgress ? { onProgress: options.onProgress } : {}
    },
    ...options.reason === void 0 ? {} : { reason: options.reason },
    github: {
      ...options.githubToken ? { token: options.githubToken } : {},
      ...options.githubApiUrl ? { baseUrl: options.githubApiUrl } : {}
    },
    environmentVariables: options.environmentVariables ?? [],
    knownSecrets,
    dependencies: {
      ...options.lockfiles === void 0 ? {} : { paths: options.lockfiles },
      ...options.dependencies === void 0 ? {} : { mode: options.dependencies },
      ...options.lockfileSearch === void 0 ? {} : { search: options.lockfileSearch }
    },
    ...options.configFiles === void 0 ? {} : { configFiles: options.configFiles }
  });
  const base = {
    recordedAt: (options.now ?? /* @__PURE__ */ new Date()).toISOString(),
    tool: { name: "model-ledger", version: TOOL_VERSION },
    signing: { mode: signer.mode },
    ...collected.sections,
    policy: null,
    notes: collected.notes
  };
  if (policy) base.policy = checkPolicyBeforeSigning(policy, base, signer, log);
  const publicKey = signer.publicKeyPem ? { hint: keyHint(createPublicKey3(signer.publicKeyPem)), pem: signer.publicKeyPem } : void 0;
  const draft = serializeStatement(
    buildStatement(
      redactDeep(
        {
          ...base,
          chain: linkTo(head, TreeState.empty(), collected.sections.commit?.repositoryUrl ?? "", options)
        },
        knownSecrets
      )
    )
  );
  assertValidStatement(JSON.parse(draft.toString("utf8")));
  assertNoSecrets(draft, knownSecrets);
  const draftStatement = JSON.parse(draft.toString("utf8"));
  const own = findRecordOfThisRun(head, draftStatement);
  if (own) return recordOfThisRun(own, store, notices, log);
  let attachments = collected.attachments;
  if (options.modelSignatures !== false && base.models.length > 0) {
    const signed = await signModels({
      root: options.cwd,
      models: base.models,
      attachments,
      signer,
      ...options.noCache ? { hash: { noCache: true } } : {}
    });
    base.models = signed.models;
    attachments = signed.attachments;
  }
  const start = await startOfLedger(store, head, draftStatement, options);
  const unlock = await store.lock?.();
  try {
    let current = unlock ? await readHead2(store, signer, loadTrustedRoot) : head;
    for (let attempt = 1; ; attempt++) {
      const tree = await treeBefore(store, current, signer, loadTrustedRoot);
      const chain = linkTo(current, tree, collected.sections.commit?.repositoryUrl ?? "", options);
      if (chain.index === 0 && start) chain.start = start;
      const statement = buildStatement(redactDeep({ ...base, chain }, knownSecrets));
      assertValidStatement(statement);
      const payload = serializeStatement(statement);
      assertNoSecrets(payload, knownSecrets);
      const statementSha256 = sha256Hex(payload);
      const bundle = Buffer.from(`${JSON.stringify(await signer.signStatement(payload), null, 2)}
`, "utf8");
      const signed = await checkpointAfter(signer, chain.origin, tree.append(payload));
      const checkpoint = signed?.note;
      const checkpointBundle = signed?.bundle ? Buffer.from(`${JSON.stringify(signed.bundle, null, 2)}
`, "utf8") : void 0;
      const ref = await store.put({
        index: chain.index,
        statementSha256,
        bundle,
        attachments,
        ...publicKey ? { publicKey } : {},
        ...checkpoint ? { checkpoint } : {},
        ...checkpointBundle ? { checkpointBundle } : {}
      }).catch((error) => {
        if (error instanceof RecordConflict) return null;
        throw error;
      });
      const rival = ref && !store.exclusiveIndex ? await losingTo(store, ref) : void 0;
      if (!ref || rival) {
        if (ref) await store.remove(ref);
        if (attempt >= MAX_LINK_ATTEMPTS) {
          throw new LedgerError(
            "CHAIN",
            `other runs keep appending to the ledger at the same time (${attempt} attempts)`,
            {
              file: store.location,
              fix: "serialise the runs that record into one ledger, e.g. with a workflow `concurrency:` group"
            }
          );
        }
        log.warn(
          `record ${chain.index}: ${rival?.name ?? "another run's record"} was appended concurrently; linking again on top of it`
        );
        current = await readHead2(store, signer, loadTrustedRoot);
        head = current;
        continue;
      }
      log.info(`record ${chain.index} written to ${store.locate(ref)}`);
      return {
        index: chain.index,
        statementSha256,
        bundleSha256: sha256Hex(bundle),
        location: store.locate(ref),
        ref,
        previous: chain.previous,
        statement,
        signingMode: signer.mode,
        notices,
        ...checkpoint ? { checkpoint } : {},
        ...checkpointBundle ? { checkpointBundle } : {}
      };
    }
  } finally {
    await unlock?.();
  }
}
var MAX_LINK_ATTEMPTS = 5;
function linkTo(head, tree, repositoryUrl, options) {
  return {
    origin: head?.statement.predicate.chain.origin ?? ledgerOrigin(repositoryUrl, options),
    index: head ? head.statement.predicate.chain.index + 1 : 0,
    previous: head ? { statementSha256: head.statementSha256, bundleSha256: head.bundleSha256, uri: head.ref.uri } : null,
    tree: tree.toRecord()
  };
}
async function treeBefore(store, head, signer, loadTrustedRoot) {
  if (!head) return TreeState.empty();
  const { chain } = head.statement.predicate;
  if (chain.tree) return TreeState.fromRecord(chain.tree, `record ${chain.index}`).append(head.payload);
  const refs = await store.list();
  const { trust } = await ledgerTrust(
    store,
    refs,
    { loadTrustedRoot },
    signer.publicKeyPem ? [signer.publicKeyPem] : []
  );
  let tree = TreeState.empty();
  for (const ref of refs) {
    if (ref.index > chain.index) break;
    tree = tree.append((await readVerifiedRecord(store, ref, trust)).payload);
  }
  return tree;
}
async function checkpointAfter(signer, origin, tree) {
  if (!signer.signCheckpoint) return void 0;
  const body = formatCheckpointBody({ origin, size: tree.size, rootHash: tree.root() });
  return signer.signCheckpoint(body, checkpointKeyName(origin));
}
async function startOfLedger(store, head, draft, options) {
  if (head) {
    const { origin, index } = head.statement.predicate.chain;
    const ahead = (await options.knownRecords?.(draft) ?? []).filter((record2) => record2.origin === origin && record2.index > index).sort((a, b) => b.index - a.index)[0];
    if (ahead) {
      throw new LedgerError(
        "CHAIN",
        `the ledger's newest record in ${store.location} is ${index}, but ${ahead.where} holds record ${ahead.index} of it: records ${index + 1}\u2013${ahead.index} were deleted`,
        {
          file: store.location,
          fix: "restore the deleted records; nothing is linked to a truncated ledger"
        }
      );
    }
    if (options.newLedger) {
      throw new LedgerError(
        "USAGE",
        `a new ledger was asked for, but ${store.location} already holds one (${head.statement.predicate.chain.origin}, ${head.statement.predicate.chain.index + 1} records)`,
        {
          field: "new-ledger",
          fix: "drop `new-ledger`, or start the new ledger under another name (`ledger-name`) so both histories stay"
        }
      );
    }
    return void 0;
  }
  const signs = [];
  const checkpoint = await store.latestCheckpoint?.();
  if (checkpoint) {
    signs.push(
      `the store holds a checkpoint of ${checkpoint.size} record(s) (${checkpoint.uri}) but no record`
    );
  }
  const known = await options.knownRecords?.(draft) ?? [];
  const newest = known.filter((record2) => record2.origin === draft.predicate.chain.origin).sort((a, b) => b.index - a.index)[0];
  if (newest) signs.push(`${newest.where} holds record ${newest.index} of ${newest.origin}`);
  if (signs.length === 0) return options.newLedger ? { reason: options.newLedger.reason } : void 0;
  if (!options.newLedger) {
    throw new LedgerError(
      "CHAIN",
      `no ledger was found in ${store.location}, but one existed: ${signs.join("; ")}. Starting again at record 0 would silently replace its history`,
      {
        file: store.location,
        fix: "restore the deleted records (or releases), or start a new ledger on purpose with `new-ledger: true` (CLI `--new-ledger`) and a `reason`: both are recorded in the new record 0"
      }
    );
  }
  return { reason: options.newLedger.reason, replaces: signs.join("; ") };
}
async function losingTo(store, ours) {
  const rivals = (await store.list()).filter((ref) => ref.index === ours.index && ref.name !== ours.name);
  return rivals.find(
    (ref) => ref.sequence !== void 0 && ours.sequence !== void 0 ? ref.sequence < ours.sequence : compareBytewise(ref.name, ours.name) < 0
  );
}
async function readHead2(store, signer, loadTrustedRoot, depth = 1) {
  const refs = store.recent && Number.isFinite(depth) ? await store.recent(Math.max(depth, 1)) : await store.list();
  const head = headOf(refs);
  if (!head) return null;
  const tied = refs.filter((ref) => ref.index === head.index);
  if (tied.length > 1) {
    throw new LedgerError(
      "CHAIN",
      `the ledger has a fork at record ${head.index}: ${tied.map((ref) => ref.name).join(", ")}`,
      {
        file: store.location,
        fix: "run `model-ledger verify` and remove the record that should not be there before recording again"
      }
    );
  }
  const firsts = refs.some((ref) => ref.index === 0) ? refs.filter((ref) => ref.index === 0) : await store.recordsAt?.(0) ?? (await store.list()).filter((ref) => ref.index === 0);
  const { trust } = await ledgerTrust(
    store,
    [head, ...firsts.filter((ref) => ref.name !== head.name)],
    { loadTrustedRoot },
    signer.publicKeyPem ? [signer.publicKeyPem] : []
  );
  let verified;
  try {
    verified = await readVerifiedRecord(store, head, trust);
  } catch (error) {
    if (error instanceof VerificationFailure) {
      throw new LedgerError(
        "CHAIN",
        `the ledger head does not verify, so nothing can be linked to it: ${error.message}`,
        {
          file: `${store.location}/${head.name}`,
          cause: error,
          fix: "run `model-ledger verify` to see what is wrong with the ledger"
        }
      );
    }
    throw error;
  }
  assertAppendable(store, refs, verified, !(store.recent && Number.isFinite(depth)));
  if (depth > 1) await verifyBelowHead(store, refs, verified, trust, depth);
  await assertAgreesWithCheckpoint(store, verified, trust);
  return verified;
}
async function assertAgreesWithCheckpoint(store, head, trust) {
  const checkpoint = await store.latestCheckpoint?.();
  const records = head.statement.predicate.chain.index + 1;
  if (!checkpoint) return;
  if (checkpoint.size > records) {
    throw new LedgerError(
      "CHAIN",
      `the ledger's checkpoint ${checkpoint.uri} covers ${checkpoint.size} records, but the newest record is ${head.statement.predicate.chain.index}: records ${records}\u2013${checkpoint.size - 1} were deleted`,
      {
        file: store.location,
        fix: "restore the deleted records; run `model-ledger verify` to see the whole state. Nothing is linked to a truncated ledger"
      }
    );
  }
  if (checkpoint.size === 0) return;
  let root;
  try {
    root = parseCheckpoint(checkpoint.text, checkpoint.uri).rootHash;
  } catch (error) {
    throw new LedgerError(
      "CHAIN",
      `the ledger's checkpoint ${checkpoint.uri} is not a checkpoint: ${describeError(error)}`,
      {
        file: checkpoint.uri,
        cause: error,
        fix: "restore the checkpoint from a copy; run `model-ledger verify` to see the whole state"
      }
    );
  }
  const last = checkpoint.size === records ? head : await recordAtIndex(store, checkpoint.size - 1, trust);
  const tree = last?.statement.predicate.chain.tree;
  if (!last || !tree) return;
  const ours = TreeState.fromRecord(tree, `record ${checkpoint.size - 1}`).append(last.payload).root();
  if (ours.equals(root)) return;
  throw new LedgerError(
    "CHAIN",
    `INCONSISTENT: the ledger's first ${checkpoint.size} records are not those its checkpoint ${checkpoint.uri} covered (root ${ours.toString("base64")}, checkpoint ${root.toString("base64")}): its history was rewritten`,
    {
      file: store.location,
      fix: "restore the records the checkpoint covers; run `model-ledger verify` to see the whole state. Nothing is linked to a rewritten ledger"
    }
  );
}
async function recordAtIndex(store, index, trust) {
  const refs = await store.recordsAt?.(index) ?? (await store.list()).filter((ref) => ref.index === index);
  if (refs.length !== 1) return void 0;
  try {
    return await readVerifiedRecord(store, refs[0], trust);
  } catch (error) {
    if (error instanceof VerificationFailure) return void 0;
    throw error;
  }
}
function findRecordOfThisRun(head, draft) {
  const ours = draft.predicate.environment.ci;
  if (!head || ours.provider !== "github-actions" || !ours.runId || !ours.runAttempt) return null;
  const theirs = head.statement.predicate.environment.ci;
  const same = theirs.provider === "github-actions" && theirs.repository === ours.repository && theirs.runId === ours.runId && theirs.runAttempt === ours.runAttempt && theirs.job === ours.job && JSON.stringify(head.statement.subject) === JSON.stringify(draft.subject);
  return same ? head : null;
}
function recordOfThisRun(own, store, notices, log) {
  const { chain, environment, signing } = own.statement.predicate;
  const message = `run ${environment.ci.runId} attempt ${environment.ci.runAttempt} already recorded record ${chain.index} (${store.locate(own.ref)}); nothing was added`;
  log.info(message);
  return {
    index: chain.index,
    statementSha256: own.statementSha256,
    bundleSha256: own.bundleSha256,
    location: store.locate(own.ref),
    ref: own.ref,
    previous: chain.previous,
    statement: own.statement,
    signingMode: signing.mode,
    notices: [...notices, message],
    reused: true
  };
}
function assertNoSecrets(payload, knownSecrets) {
  const findings = scanForSecrets(payload.toString("utf8"), knownSecrets);
  if (findings.length === 0) return;
  throw new LedgerError(
    "SECRET",
    `the record would contain a secret: ${findings.map((finding) => `${finding.field} (${finding.kind})`).join(", ")}`,
    {
      field: findings[0]?.field,
      fix: "remove the secret from that source (file, variable, message) or stop recording it; nothing was signed or written"
    }
  );
}
function ledgerOrigin(repositoryUrl, options) {
  const ledger = options.ledgerName ?? "main";
  try {
    const url = new URL(repositoryUrl);
    return `${url.host}${url.pathname.replace(/\/+$/, "")}#${ledger}`;
  } catch {
    return `local:${basename3(options.cwd)}#${ledger}`;
  }
}

export {
  KeySigner,
  identityProviderFrom,
  resolveSigner,
  parseOmsStatement,
  compareResources,
  describeDifference,
  pathInside,
  serializeModel,
  DEFAULT_SIGNATURE_FILE,
  signModelDirectory,
  modelSigningKeyHint,
  record
};
