import { createRequire as __modelLedgerCreateRequire } from 'node:module';
import { dirname as __modelLedgerPathDirname } from 'node:path';
import { fileURLToPath as __modelLedgerFileURLToPath } from 'node:url';
const require = __modelLedgerCreateRequire(import.meta.url);
const __modelLedgerFilename = __modelLedgerFileURLToPath(import.meta.url);
const __modelLedgerDirname = __modelLedgerPathDirname(__modelLedgerFilename);
import {
  safetyFindings
} from "./chunk-QQ2VBXZD.js";
import {
  personLabel
} from "./chunk-CF6SQW4Y.js";

// src/record/training-values.ts
var PARAM_KEYS = ["params", "parameters", "hyperparameters", "hparams"];
function flatten(value, prefix = "", into = {}) {
  for (const [key, item] of Object.entries(value)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (item !== null && typeof item === "object" && !Array.isArray(item)) flatten(item, name, into);
    else into[name] = item;
  }
  return into;
}
function trainingValues(statement) {
  const run = statement.predicate.training?.run;
  if (!run) return { params: {}, metrics: {} };
  const metrics = isObject(run.metrics) ? flatten(run.metrics) : {};
  const params = {};
  const containers = PARAM_KEYS.filter((key) => isObject(run[key]));
  for (const key of containers) Object.assign(params, flatten(run[key]));
  const others = Object.fromEntries(
    Object.entries(run).filter(
      ([key]) => !containers.includes(key) && !(key === "metrics" && isObject(run.metrics))
    )
  );
  for (const [key, value] of Object.entries(flatten(others))) {
    params[key in params ? `run.${key}` : key] = value;
  }
  return { params, metrics };
}
function isObject(value) {
  return value !== null && value !== void 0 && typeof value === "object" && !Array.isArray(value);
}

// src/report/versions.ts
var PYTHON_ECOSYSTEMS = /* @__PURE__ */ new Set(["pypi", "conda"]);
function compareVersions(a, b, ecosystem = "") {
  if (a === b) return 0;
  const python = PYTHON_ECOSYSTEMS.has(ecosystem.toLowerCase());
  const left = python ? parsePep440(a) : parseSemverLike(a);
  const right = python ? parsePep440(b) : parseSemverLike(b);
  if (!left || !right) return null;
  const order = sign(left.epoch - right.epoch) || compareNumbers(left.release, right.release) || compareTail(left, right);
  return order;
}
function sign(value) {
  return value < 0 ? -1 : value > 0 ? 1 : 0;
}
function compareNumbers(a, b) {
  for (let index = 0; index < Math.max(a.length, b.length); index++) {
    const order = sign((a[index] ?? 0) - (b[index] ?? 0));
    if (order !== 0) return order;
  }
  return 0;
}
function compareTail(a, b) {
  for (let index = 0; index < Math.max(a.tail.length, b.tail.length); index++) {
    const x = a.tail[index];
    const y = b.tail[index];
    if (x === void 0 || y === void 0) return x === void 0 ? y === void 0 ? 0 : -1 : 1;
    if (typeof x === "number" && typeof y === "number") {
      const order = sign(x - y);
      if (order !== 0) return order;
    } else if (typeof x === "number") {
      return -1;
    } else if (typeof y === "number") {
      return 1;
    } else if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  return 0;
}
var PEP440 = /^v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(a|alpha|b|beta|c|rc|pre|preview)[-_.]?(\d*))?(?:-(\d+)|[-_.]?(?:post|rev|r)[-_.]?(\d*))?(?:[-_.]?dev[-_.]?(\d*))?(?:\+[a-z0-9.]+)?$/i;
var PRE_RANK = { a: 0, alpha: 0, b: 1, beta: 1, c: 2, rc: 2, pre: 2, preview: 2 };
var TOP = Number.MAX_SAFE_INTEGER;
function parsePep440(version) {
  const match = PEP440.exec(version.trim());
  if (!match) return null;
  const [, epoch, release, prePhase, preNumber, postImplicit, postNumber, devNumber] = match;
  const hasPre = prePhase !== void 0;
  const post = postImplicit ?? postNumber;
  const hasDev = devNumber !== void 0;
  const preKey = hasPre ? [PRE_RANK[prePhase.toLowerCase()] ?? 0, Number(preNumber || 0)] : hasDev && post === void 0 ? [-1, 0] : [TOP, 0];
  return {
    epoch: Number(epoch ?? 0),
    release: release.split(".").map(Number),
    tail: [...preKey, post !== void 0 ? Number(post || 0) : -1, hasDev ? Number(devNumber || 0) : TOP]
  };
}
var SEMVER_LIKE = /^v?(\d+(?:\.\d+)*)(?:[-.]?([0-9A-Za-z][0-9A-Za-z.-]*))?(?:\+[0-9A-Za-z.-]+)?$/;
function parseSemverLike(version) {
  const match = SEMVER_LIKE.exec(version.trim());
  if (!match) return null;
  const [, release, pre] = match;
  const identifiers = pre ? pre.split(/[.-]/).filter((part) => part !== "").map((part) => /^\d+$/.test(part) ? Number(part) : part) : [];
  return {
    epoch: 0,
    release: release.split(".").map(Number),
    tail: identifiers.length > 0 ? [0, ...identifiers] : [1]
  };
}

// src/report/diff.ts
function diffRecords(a, b) {
  const from = header(a);
  const to = header(b);
  const previous = b.statement.predicate.chain.previous;
  const models = diffModels(a, b);
  const datasets = diffDatasets(a, b);
  const dependencies = diffDependencies(a.statement, b.statement);
  const training = diffTraining(a.statement, b.statement);
  const policy = diffPolicy(a.statement, b.statement);
  const signer = {
    from: { signer: a.signer ?? null, mode: a.statement.predicate.signing.mode },
    to: { signer: b.signer ?? null, mode: b.statement.predicate.signing.mode },
    // An unknown signer (a record that did not verify) is flagged by its verification, not here.
    changed: a.statement.predicate.signing.mode !== b.statement.predicate.signing.mode || a.signer != null && b.signer != null && a.signer !== b.signer
  };
  const environment = diffEnvironment(a.statement, b.statement);
  const empty = isEmptyList(models) && isEmptyList(datasets) && dependencies.length === 0 && training.params.length === 0 && training.metrics.length === 0 && policy.changed.length === 0 && !signer.changed && environment.length === 0;
  return {
    from,
    to,
    consecutive: previous !== null && a.statementSha256 !== void 0 && a.statementSha256 !== null && previous.statementSha256 === a.statementSha256,
    sameLedger: from.origin === to.origin,
    models,
    datasets,
    dependencies,
    training,
    policy,
    signer,
    environment,
    safety: safetyFindings(b.statement),
    empty
  };
}
function isEmptyList(list) {
  return list.added.length === 0 && list.removed.length === 0 && list.changed.length === 0;
}
function header(side) {
  const { predicate } = side.statement;
  const pull = predicate.change.pullRequest;
  return {
    index: predicate.chain.index,
    origin: predicate.chain.origin,
    statementSha256: side.statementSha256 ?? null,
    recordedAt: predicate.recordedAt,
    commit: predicate.commit?.sha ?? null,
    reason: (predicate.change.reason.split("\n")[0] ?? "").trim(),
    pullRequest: pull ? { number: pull.number, url: pull.url } : null,
    signingMode: predicate.signing.mode,
    signer: side.signer ?? null,
    verified: side.verified ?? null,
    location: side.location ?? null,
    runUrl: predicate.environment.ci.runUrl ?? null,
    approvedBy: predicate.change.approvedBy.map(personLabel),
    workingTree: predicate.commit?.workingTree ?? null
  };
}
function parameterCount(model) {
  const value = model.metadata?.parameters ?? model.metadata?.parameterCount;
  return typeof value === "number" ? value : null;
}
function modelSummary(model) {
  return {
    name: model.name,
    kind: model.kind,
    digest: model.digest.sha256,
    size: model.size,
    files: model.files ?? null,
    format: model.format ?? null,
    parameters: parameterCount(model)
  };
}
function datasetSummary(dataset) {
  const rows = dataset.description?.rows;
  return {
    name: dataset.name,
    kind: dataset.kind,
    digest: dataset.digest.sha256,
    size: dataset.size,
    files: dataset.files,
    rows: typeof rows === "number" || typeof rows === "string" ? rows : null,
    location: dataset.path ?? dataset.uri ?? null
  };
}
function changedFields(a, b, fields) {
  return fields.filter((field) => JSON.stringify(a[field]) !== JSON.stringify(b[field]));
}
function diffModels(a, b) {
  return diffArtifacts(a, b, (side) => side.statement.predicate.models, modelSummary, [
    "digest",
    "size",
    "format",
    "parameters",
    "files",
    "kind"
  ]);
}
function diffDatasets(a, b) {
  return diffArtifacts(a, b, (side) => side.statement.predicate.datasets, datasetSummary, [
    "digest",
    "size",
    "files",
    "rows",
    "location",
    "kind"
  ]);
}
function diffArtifacts(a, b, entries, summarize, fields) {
  return diffByName(
    entries(a),
    entries(b),
    (x, y) => {
      const from = summarize(x);
      const to = summarize(y);
      const changed = changedFields(from, to, fields);
      if (changed.length === 0) return null;
      return {
        name: y.name,
        from,
        to,
        fields: changed,
        files: fileDiff(x.manifest?.sha256, y.manifest?.sha256, a, b, x, y)
      };
    },
    summarize
  );
}
function diffByName(before, after, compare, summary) {
  const old = new Map(before.map((entry) => [entry.name, entry]));
  const now = new Map(after.map((entry) => [entry.name, entry]));
  const result = { added: [], removed: [], changed: [], unchanged: 0 };
  for (const [name, entry] of now) {
    const previous = old.get(name);
    if (!previous) {
      result.added.push(summary(entry));
      continue;
    }
    const change = compare(previous, entry);
    if (change) result.changed.push(change);
    else result.unchanged++;
  }
  for (const [name, entry] of old) if (!now.has(name)) result.removed.push(summary(entry));
  return result;
}
function parseManifest(text) {
  const files = /* @__PURE__ */ new Map();
  for (const line of text.split("\n")) {
    const match = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
    if (match) files.set(match[2], match[1]);
  }
  return files;
}
function manifestText(digest, side, entry) {
  if (digest === void 0) return void 0;
  return entry.manifest?.inline ?? side.manifests?.get(digest);
}
function fileDiff(fromDigest, toDigest, a, b, x, y) {
  if (fromDigest === void 0 && toDigest === void 0) return null;
  const before = manifestText(fromDigest, a, x);
  const after = manifestText(toDigest, b, y);
  if (before === void 0 || after === void 0) {
    return { available: false, added: [], removed: [], changed: [], unchanged: 0 };
  }
  const old = parseManifest(before);
  const now = parseManifest(after);
  const result = { available: true, added: [], removed: [], changed: [], unchanged: 0 };
  for (const [path, digest] of now) {
    const previous = old.get(path);
    if (previous === void 0) result.added.push(path);
    else if (previous !== digest) result.changed.push(path);
    else result.unchanged++;
  }
  for (const path of old.keys()) if (!now.has(path)) result.removed.push(path);
  return result;
}
function packagesByEcosystem(statement) {
  const result = /* @__PURE__ */ new Map();
  for (const lockfile of statement.predicate.dependencies.lockfiles) {
    for (const pkg of lockfile.packages) {
      let ecosystem = result.get(pkg.ecosystem);
      if (!ecosystem) result.set(pkg.ecosystem, ecosystem = /* @__PURE__ */ new Map());
      let entry = ecosystem.get(pkg.name);
      if (!entry)
        ecosystem.set(pkg.name, entry = { name: pkg.name, versions: /* @__PURE__ */ new Map() });
      if (!entry.versions.has(pkg.version)) entry.versions.set(pkg.version, pkg);
    }
  }
  return result;
}
function diffDependencies(a, b) {
  const before = packagesByEcosystem(a);
  const after = packagesByEcosystem(b);
  const ecosystems = [.../* @__PURE__ */ new Set([...before.keys(), ...after.keys()])].sort();
  const result = [];
  for (const ecosystem of ecosystems) {
    const old = before.get(ecosystem) ?? /* @__PURE__ */ new Map();
    const now = after.get(ecosystem) ?? /* @__PURE__ */ new Map();
    const diff = {
      ecosystem,
      added: [],
      removed: [],
      upgraded: [],
      downgraded: [],
      changed: [],
      unchanged: 0
    };
    const names = [.../* @__PURE__ */ new Set([...old.keys(), ...now.keys()])].sort();
    for (const name of names) {
      const x = old.get(name);
      const y = now.get(name);
      if (!x && y) diff.added.push(...[...y.versions.values()].map(packageSummary));
      else if (x && !y) diff.removed.push(...[...x.versions.values()].map(packageSummary));
      else if (x && y) comparePackage(ecosystem, x, y, diff);
    }
    const touched = diff.added.length + diff.removed.length + diff.upgraded.length + diff.downgraded.length + diff.changed.length;
    if (touched > 0) result.push(diff);
  }
  return result;
}
function packageSummary(pkg) {
  return { name: pkg.name, version: pkg.version, purl: pkg.purl };
}
function comparePackage(ecosystem, x, y, diff) {
  const from = [...x.versions.keys()].sort();
  const to = [...y.versions.keys()].sort();
  if (from.length === 1 && to.length === 1) {
    const [old, now] = [from[0], to[0]];
    if (old === now) {
      const integrityBefore = x.versions.get(old)?.integrity;
      const integrityAfter = y.versions.get(now)?.integrity;
      if (integrityBefore && integrityAfter && integrityBefore !== integrityAfter) {
        diff.changed.push({
          name: x.name,
          from: `${old} (${integrityBefore})`,
          to: `${now} (${integrityAfter})`
        });
      } else {
        diff.unchanged++;
      }
      return;
    }
    const order = compareVersions(old, now, ecosystem);
    const change = { name: x.name, from: old, to: now };
    if (order === -1) diff.upgraded.push(change);
    else if (order === 1) diff.downgraded.push(change);
    else diff.changed.push(change);
    return;
  }
  if (from.join("\n") === to.join("\n")) diff.unchanged++;
  else diff.changed.push({ name: x.name, from: from.join(", "), to: to.join(", ") });
}
function valueChanges(before, after) {
  const keys = [.../* @__PURE__ */ new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys.filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key])).map((key) => ({ key, from: before[key], to: after[key] }));
}
function asNumber(value) {
  if (typeof value === "number") return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value)))
    return Number(value);
  return null;
}
function diffTraining(a, b) {
  const before = trainingValues(a);
  const after = trainingValues(b);
  return {
    source: {
      from: a.predicate.training?.source ?? null,
      to: b.predicate.training?.source ?? null
    },
    params: valueChanges(before.params, after.params),
    metrics: valueChanges(before.metrics, after.metrics).map((change) => {
      const x = asNumber(change.from);
      const y = asNumber(change.to);
      const delta = x !== null && y !== null ? y - x : null;
      return {
        ...change,
        delta: delta === null ? null : roundDelta(delta),
        relative: delta !== null && x !== null && x !== 0 ? delta / Math.abs(x) : null
      };
    }),
    currentMetrics: after.metrics
  };
}
function roundDelta(value) {
  return Number.parseFloat(value.toPrecision(12));
}
function diffPolicy(a, b) {
  const before = new Map((a.predicate.policy?.results ?? []).map((result) => [result.rule, result]));
  const after = new Map((b.predicate.policy?.results ?? []).map((result) => [result.rule, result]));
  const changed = [];
  for (const rule of [.../* @__PURE__ */ new Set([...before.keys(), ...after.keys()])].sort()) {
    const x = before.get(rule);
    const y = after.get(rule);
    if (x?.outcome === y?.outcome && x?.level === y?.level) continue;
    changed.push({
      rule,
      level: (y ?? x)?.level ?? "warn",
      from: x?.outcome ?? null,
      to: y?.outcome ?? null,
      message: (y ?? x)?.message ?? ""
    });
  }
  return {
    results: b.predicate.policy?.results ?? [],
    changed,
    file: { from: a.predicate.policy?.file ?? null, to: b.predicate.policy?.file ?? null }
  };
}
function environmentValues(statement) {
  const { environment } = statement.predicate;
  const values = {};
  const set = (key, value) => {
    if (value !== void 0) values[key] = value;
  };
  set("os", environment.os);
  set("arch", environment.arch);
  set("node", environment.node);
  set("ci.provider", environment.ci.provider);
  set("ci.workflow", environment.ci.workflow);
  const runner = environment.runner ?? {};
  for (const [key, value] of Object.entries(flatten(runner))) if (key !== "name") set(`runner.${key}`, value);
  for (const [tool, version] of Object.entries(environment.tools ?? {})) set(`tools.${tool}`, version);
  set("tool.model-ledger", statement.predicate.tool.version);
  return values;
}
function diffEnvironment(a, b) {
  return valueChanges(environmentValues(a), environmentValues(b));
}

export {
  trainingValues,
  diffRecords,
  modelSummary,
  environmentValues
};
