import { createRequire as __modelLedgerCreateRequire } from 'node:module';
import { dirname as __modelLedgerPathDirname } from 'node:path';
import { fileURLToPath as __modelLedgerFileURLToPath } from 'node:url';
const require = __modelLedgerCreateRequire(import.meta.url);
const __modelLedgerFilename = __modelLedgerFileURLToPath(import.meta.url);
const __modelLedgerDirname = __modelLedgerPathDirname(__modelLedgerFilename);
import {
  CommitCollector,
  DEFAULT_CONFIG_FILE,
  DatasetsCollector,
  MAX_CHANGED_FILES,
  MAX_SEARCH_DEPTH,
  ModelsCollector,
  SKIPPED_DIRECTORIES,
  TrainingCollector,
  changedFilesBetween,
  collectDependencies,
  isUri,
  loadConfig,
  parserForPath
} from "./chunk-76AGCTII.js";
import {
  DEFAULT_POLICY_FILE
} from "./chunk-BQR56PF6.js";
import {
  git,
  runGit
} from "./chunk-3DDHEWZZ.js";
import {
  globToRegExp,
  hasGlobMagic,
  silentLogger
} from "./chunk-FBKVKE4J.js";
import {
  sha256Hex
} from "./chunk-K46IQGOZ.js";
import {
  LedgerError,
  describeError,
  errnoCode
} from "./chunk-ICUNJ6NG.js";

// src/audit/percent.ts
function formatPercent(part, total) {
  if (total === 0 || part === total) return "100%";
  const rounded = Math.round(part / total * 1e3) / 10;
  return `${rounded >= 100 ? "99.9" : rounded.toFixed(1).replace(/\.0$/, "")}%`;
}

// src/audit/coverage.ts
function trackedChange(commit, tracked) {
  const paths = [];
  const kinds = /* @__PURE__ */ new Set();
  for (const path of commit.paths ?? []) {
    const pattern = tracked.match(path);
    if (!pattern) continue;
    paths.push(path);
    kinds.add(pattern.kind);
  }
  return { paths, kinds: [...kinds] };
}
function inWindow(commit, since, until) {
  const time = Date.parse(commit.committerDate);
  if (since && !(time >= since.getTime())) return false;
  if (until && !(time <= until.getTime())) return false;
  return true;
}
function computeCoverage(options) {
  const { history, mode } = options;
  const commits = history.commits;
  const position = new Map(commits.map((commit, index) => [commit.sha, index]));
  const parents = new Map(commits.map((commit) => [commit.sha, commit.parents]));
  const byCommit = /* @__PURE__ */ new Map();
  const byTree = /* @__PURE__ */ new Map();
  const outside = [];
  for (const record of options.records) {
    if (position.has(record.commit)) {
      if (!byCommit.has(record.commit)) byCommit.set(record.commit, record);
    } else {
      outside.push(record);
      if (record.tree !== "" && !byTree.has(record.tree)) byTree.set(record.tree, record);
    }
  }
  const changed = commits.map((commit) => trackedChange(commit, options.tracked));
  const isChange = changed.map((change) => change.paths.length > 0);
  const line = commits.filter((commit) => commit.firstParent);
  const linePosition = new Map(line.map((commit, index) => [commit.sha, index]));
  const landingOf = (sha) => history.landing.get(sha) ?? sha;
  const landsChange = new Set(
    commits.filter((_, index) => isChange[index]).map((commit) => landingOf(commit.sha))
  );
  const descends = (later, earlier) => {
    const stack = [later];
    const seen = /* @__PURE__ */ new Set();
    while (stack.length > 0) {
      const sha = stack.pop();
      if (sha === earlier) return true;
      if (seen.has(sha) || !position.has(sha)) continue;
      seen.add(sha);
      stack.push(...parents.get(sha) ?? []);
    }
    return false;
  };
  const everyCommit = (index, commit) => {
    for (let next = index + 1; next < commits.length && !isChange[next]; next++) {
      const later = commits[next];
      const record = byCommit.get(later.sha);
      if (record && descends(later.sha, commit.sha))
        return { index: record.index, commit: later.sha, how: "later-commit" };
    }
    return null;
  };
  const everyMerge = (commit) => {
    const landing = linePosition.get(landingOf(commit.sha));
    if (landing === void 0) return null;
    for (let next = landing; next < line.length; next++) {
      const later = line[next];
      if (next > landing && landsChange.has(later.sha)) break;
      const record = byCommit.get(later.sha);
      if (record)
        return { index: record.index, commit: later.sha, how: next === landing ? "merge" : "later-commit" };
    }
    return null;
  };
  const changes = [];
  commits.forEach((commit, index) => {
    if (!isChange[index] || !inWindow(commit, options.since, options.until)) return;
    const own = byCommit.get(commit.sha);
    const sameTree = byTree.get(commit.tree);
    const coveredBy = own ? { index: own.index, commit: commit.sha, how: "same-commit" } : (mode === "every-merge" ? everyMerge(commit) : everyCommit(index, commit)) ?? (sameTree ? { index: sameTree.index, commit: sameTree.commit, how: "same-tree" } : null);
    changes.push({ commit, ...changed[index], coveredBy });
  });
  return { changes, outside };
}

// src/audit/history.ts
import { readFile } from "node:fs/promises";
import { isAbsolute, join } from "node:path";
var RECORD_SEPARATOR = "";
var FIELD_SEPARATOR = "";
var FORMAT = ["%H", "%T", "%P", "%an", "%ae", "%aI", "%cI", "%s"].join("%x1f");
function parseLog(output) {
  const commits = [];
  for (const chunk of output.split(RECORD_SEPARATOR)) {
    if (chunk === "") continue;
    const end = chunk.indexOf("\0");
    const header = end === -1 ? chunk : chunk.slice(0, end);
    const body = end === -1 ? "" : chunk.slice(end + 1).replace(/^\n/, "");
    const [
      sha = "",
      tree = "",
      parents = "",
      name = "",
      email = "",
      authorDate = "",
      committerDate = "",
      subject = ""
    ] = header.split(FIELD_SEPARATOR);
    commits.push({
      sha,
      tree,
      parents: parents.split(" ").filter((parent) => parent !== ""),
      author: { name, email },
      authorDate,
      committerDate,
      subject,
      paths: body.split("\0").filter((path) => path !== ""),
      firstParent: true
    });
  }
  return commits;
}
async function logCommits(cwd, head, extra) {
  return parseLog(
    await git(cwd, [
      "-c",
      "core.quotepath=off",
      "log",
      "--reverse",
      "--no-renames",
      "--name-only",
      "-z",
      `--format=${RECORD_SEPARATOR}${FORMAT}`,
      ...extra,
      head,
      "--"
    ])
  );
}
async function shallowCommits(cwd) {
  const shallow = await git(cwd, ["rev-parse", "--is-shallow-repository"]);
  if (shallow.trim() !== "true") return null;
  const path = (await git(cwd, ["rev-parse", "--git-path", "shallow"])).trim();
  try {
    const text = await readFile(isAbsolute(path) ? path : join(cwd, path), "utf8");
    return new Set(text.split("\n").filter((line) => line !== ""));
  } catch (error) {
    if (errnoCode(error) === "ENOENT") return /* @__PURE__ */ new Set();
    throw new LedgerError("GIT", "cannot read the shallow clone boundary", { file: path, cause: error });
  }
}
async function readHistory(options) {
  const ref = options.ref ?? "HEAD";
  const resolved = await runGit(options.cwd, ["rev-parse", "--verify", "-q", `${ref}^{commit}`]);
  if (!resolved.ok) {
    throw new LedgerError("GIT", `"${ref}" is not a commit in this repository`, {
      file: options.cwd,
      field: "--branch",
      fix: "name a branch, tag or commit of the repository (default: HEAD); run the audit in the repository"
    });
  }
  const head = resolved.stdout.trim();
  const line = await logCommits(options.cwd, head, ["--first-parent", "--diff-merges=first-parent"]);
  const onLine = new Set(line.map((commit) => commit.sha));
  let commits = line;
  if (options.allParents) {
    commits = (await logCommits(options.cwd, head, ["--topo-order", "--diff-merges=dense-combined"])).map(
      (commit) => ({ ...commit, firstParent: onLine.has(commit.sha) })
    );
  }
  const landing = await landings(options.cwd, line, onLine, options.allParents === true);
  const boundary = await shallowCommits(options.cwd);
  let shallow = null;
  if (boundary) {
    shallow = { commits: [] };
    for (const commit of commits) {
      if (!boundary.has(commit.sha)) continue;
      commit.paths = null;
      shallow.commits.push(commit);
    }
  }
  return { ref, head, commits, landing, shallow };
}
async function landings(cwd, line, onLine, allParents) {
  const landing = new Map(line.map((commit) => [commit.sha, commit.sha]));
  if (!allParents) return landing;
  for (const merge of line) {
    const [first, ...others] = merge.parents;
    if (first === void 0 || others.length === 0) continue;
    const brought = await git(cwd, ["rev-list", ...others, `^${first}`]);
    for (const sha of brought.split("\n")) {
      if (sha !== "" && !onLine.has(sha) && !landing.has(sha)) landing.set(sha, merge.sha);
    }
  }
  return landing;
}

// src/audit/tracked.ts
function normalize(path) {
  return path.replace(/^\.\//, "").replace(/\/+$/, "");
}
function configPatterns(config, configFile) {
  const patterns = [{ pattern: configFile, kind: "config", source: "config" }];
  const add = (pattern, kind) => {
    patterns.push({ pattern: normalize(pattern), kind, source: "config" });
  };
  for (const model of config.models ?? []) add(model, "model");
  for (const dataset of config.datasets ?? []) {
    if (typeof dataset === "string") {
      if (!isUri(dataset)) add(dataset, "dataset");
    } else {
      const local = dataset.path ?? dataset.glob;
      if (local !== void 0) add(local, "dataset");
    }
  }
  if (config.training !== void 0) add(config.training, "training");
  for (const lockfile of config.lockfiles ?? []) add(lockfile, "lockfile");
  add(config.policy ?? DEFAULT_POLICY_FILE, "policy");
  return patterns;
}
function recordPatterns(records) {
  const patterns = [];
  const add = (pattern, kind) => {
    patterns.push({ pattern: normalize(pattern), kind, source: "records" });
  };
  for (const predicate of records) {
    for (const model of predicate.models) add(model.name, "model");
    for (const dataset of predicate.datasets) if (dataset.path !== void 0) add(dataset.path, "dataset");
    if (predicate.training) add(predicate.training.source, "training");
    for (const lockfile of predicate.dependencies.lockfiles) add(lockfile.path, "lockfile");
    if (predicate.policy) add(predicate.policy.file, "policy");
  }
  return patterns;
}
function isSearchedLockfile(path) {
  const segments = path.split("/");
  const folders = segments.slice(0, -1);
  if (folders.length > MAX_SEARCH_DEPTH) return false;
  if (folders.some((folder) => folder.startsWith(".") || SKIPPED_DIRECTORIES.has(folder))) return false;
  return parserForPath(path) !== void 0;
}
function trackedPaths(options) {
  const all = [
    ...configPatterns(options.config, normalize(options.configFile ?? DEFAULT_CONFIG_FILE)),
    ...recordPatterns(options.records)
  ];
  const seen = /* @__PURE__ */ new Set();
  const patterns = all.filter((entry) => {
    const key = `${entry.kind}
${entry.pattern}`;
    if (entry.pattern === "" || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const lockfilesByName = (options.config.lockfiles ?? []).length === 0;
  const matchers = patterns.map((entry) => {
    if (hasGlobMagic(entry.pattern)) {
      const regexp = globToRegExp(entry.pattern);
      return (path) => regexp.test(path);
    }
    return (path) => path === entry.pattern || path.startsWith(`${entry.pattern}/`);
  });
  const byName = { pattern: "(any lockfile)", kind: "lockfile", source: "lockfile-name" };
  return {
    patterns,
    lockfilesByName,
    match(path) {
      const index = matchers.findIndex((matches) => matches(path));
      if (index !== -1) return patterns[index] ?? null;
      return lockfilesByName && isSearchedLockfile(path) ? byName : null;
    }
  };
}

// src/audit/completeness.ts
async function auditCompleteness(options) {
  const mode = options.mode ?? "every-commit";
  const min = options.min ?? 100;
  const history = await readHistory({
    cwd: options.cwd,
    ...options.ref === void 0 ? {} : { ref: options.ref },
    ...options.allParents ? { allParents: true } : {}
  });
  const predicates = options.ledger.rows.flatMap(
    (row) => row.statement && row.signatureVerified ? [row.statement.predicate] : []
  );
  const tracked = trackedPaths({
    config: options.config,
    ...options.configFile === void 0 ? {} : { configFile: options.configFile },
    records: predicates
  });
  const covering = [];
  const unverifiedRecords = [];
  const recordsWithoutCommit = [];
  for (const row of options.ledger.rows) {
    const commit = row.statement?.predicate.commit;
    if (!row.signatureVerified || !row.chainVerified) unverifiedRecords.push(row.index);
    else if (!commit) recordsWithoutCommit.push(row.index);
    else covering.push({ index: row.index, commit: commit.sha, tree: commit.tree });
  }
  const coverage = computeCoverage({
    history,
    tracked,
    records: covering,
    mode,
    ...options.since ? { since: options.since } : {},
    ...options.until ? { until: options.until } : {}
  });
  const total = coverage.changes.length;
  const recorded = coverage.changes.filter((change) => change.coveredBy !== null).length;
  const percent = total === 0 ? 100 : recorded / total * 100;
  const unrecorded = coverage.changes.filter((change) => change.coveredBy === null);
  return {
    ref: history.ref,
    head: history.head,
    mode,
    firstParent: options.allParents !== true,
    since: options.since?.toISOString() ?? null,
    until: options.until?.toISOString() ?? null,
    total,
    recorded,
    percent,
    min,
    ok: percent >= min,
    summary: `${recorded} of ${total} model change${total === 1 ? "" : "s"} recorded, ${formatPercent(recorded, total)}`,
    changes: coverage.changes,
    unrecorded,
    tracked: tracked.patterns,
    lockfilesByName: tracked.lockfilesByName,
    recordsOutsideHistory: coverage.outside.map((record) => ({ index: record.index, commit: record.commit })),
    unverifiedRecords,
    recordsWithoutCommit,
    shallow: history.shallow ? await shallowReport(options.cwd, history.shallow.commits, coverage.outside) : null
  };
}
async function shallowReport(cwd, boundary, outside) {
  const recordsNotInClone = [];
  for (const record of outside) {
    const present = await runGit(cwd, ["cat-file", "-e", `${record.commit}^{commit}`]);
    if (!present.ok) recordsNotInClone.push(record.index);
  }
  const oldest = boundary.map((commit) => commit.sha.slice(0, 12)).join(", ");
  const notInClone = recordsNotInClone.length === 0 ? "" : `; ${recordsNotInClone.length} record(s) name commits this clone does not hold (${recordsNotInClone.join(", ")}) and were not placed`;
  return {
    boundary: boundary.map((commit) => ({
      sha: commit.sha,
      date: commit.committerDate,
      subject: commit.subject
    })),
    recordsNotInClone,
    message: `shallow clone: history before ${oldest || "the boundary"} is not in this clone, so changes made there (and what the boundary commit itself changed) could not be seen and are not counted${notInClone}; fetch the whole history (\`git fetch --unshallow\`, or \`fetch-depth: 0\` in actions/checkout) for a complete audit`
  };
}

// src/audit/sections.ts
import { lstat, readFile as readFile2 } from "node:fs/promises";
import { join as join3 } from "node:path";

// src/audit/worktree.ts
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join as join2 } from "node:path";
var WorktreeUnavailable = class extends LedgerError {
  constructor(message) {
    super("GIT", message, {
      fix: "check that the clone is complete (`git fsck`) and that git-lfs objects can be fetched"
    });
    this.name = "WorktreeUnavailable";
  }
};
async function withWorktree(cwd, commit, work) {
  const base = await mkdtemp(join2(tmpdir(), "model-ledger-replay-"));
  const dir = join2(base, "tree");
  try {
    const added = await runGit(cwd, ["worktree", "add", "--detach", "--quiet", dir, commit]);
    if (!added.ok) {
      throw new WorktreeUnavailable(
        `cannot check out ${commit} in a temporary worktree: ${added.stderr.trim() || "git gave no reason"}`
      );
    }
    return await work(dir);
  } finally {
    const removed = await runGit(cwd, ["worktree", "remove", "--force", dir]);
    await rm(base, { recursive: true, force: true });
    if (!removed.ok) await runGit(cwd, ["worktree", "prune"]);
  }
}
async function hasCommit(cwd, sha) {
  return (await runGit(cwd, ["cat-file", "-e", `${sha}^{commit}`])).ok;
}

// src/audit/sections.ts
var NOT_REPLAYABLE = [
  { section: "change", reason: "pull request, reviews and approvals come from the GitHub API at the time" },
  { section: "environment", reason: "the CI context, runner and tool versions of the run" },
  { section: "signing", reason: "how the record was signed is checked by verification, not rebuilt" },
  {
    section: "commit context",
    reason: "commit.repositoryUrl, commit.ref and commit.githubVerification come from the CI run and the GitHub API"
  }
];
function json(value) {
  return value === void 0 ? null : JSON.parse(JSON.stringify(value));
}
function canonical(value) {
  return JSON.stringify(
    value ?? null,
    (_key, item) => item !== null && typeof item === "object" && !Array.isArray(item) ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)) : item
  );
}
function same(a, b) {
  return canonical(a) === canonical(b);
}
function compareFields(prefix, recorded, rebuilt, fields, out) {
  for (const field of fields) {
    const a = recorded[field];
    const b = rebuilt[field];
    if (!same(a, b)) out.push({ field: `${prefix}.${field}`, recorded: json(a), rebuilt: json(b) });
  }
}
function compareSets(field, recorded, rebuilt, out) {
  const a = new Set(recorded);
  const b = new Set(rebuilt);
  const onlyRecorded = recorded.filter((item) => !b.has(item));
  const onlyRebuilt = rebuilt.filter((item) => !a.has(item));
  if (onlyRecorded.length > 0 || onlyRebuilt.length > 0)
    out.push({ field, recorded: onlyRecorded, rebuilt: onlyRebuilt });
}
function verdict(section, differences, notReplayable, rebuiltAny) {
  return {
    section,
    status: !rebuiltAny ? "not-replayable" : differences.length > 0 ? "mismatch" : "match",
    differences,
    notReplayable
  };
}
function collectContext(dir, previous, notes) {
  return {
    cwd: dir,
    env: {},
    previous,
    log: silentLogger,
    note: (text) => notes.push(text),
    attach: () => void 0
  };
}
async function presence(dir, path) {
  try {
    const info = await lstat(join3(dir, path));
    if (info.isFile() && info.size < 1024) {
      const head = (await readFile2(join3(dir, path))).subarray(0, 64).toString("utf8");
      if (head.startsWith("version https://git-lfs.github.com/spec/")) return "lfs-pointer";
    }
    return "present";
  } catch (error) {
    if (errnoCode(error) === "ENOENT" || errnoCode(error) === "ENOTDIR") return "absent";
    throw new LedgerError("IO", "cannot read the checked-out file", { file: path, cause: error });
  }
}
function absentReason(kind, path, state) {
  return state === "absent" ? `${kind} ${path} is not in the commit (built or fetched, not committed)` : `${kind} ${path} is a git-lfs pointer whose content is not available here (install git-lfs and fetch the objects)`;
}
async function replayCommit({ dir, predicate, previous }) {
  const recorded = predicate.commit;
  if (!recorded) return verdict("commit", [], ["the record names no commit"], false);
  const rebuilt = await new CommitCollector().collect(collectContext(dir, null, []));
  if (!rebuilt) return verdict("commit", [], ["the commit could not be read"], false);
  const differences = [];
  const notReplayable = [];
  compareFields(
    "commit",
    recorded,
    rebuilt,
    ["sha", "tree", "parents", "author", "committer", "message", "signed"],
    differences
  );
  const base = recorded.comparedWith;
  const allowed = [previous?.commit?.sha, recorded.parents[0]].filter((sha) => sha !== void 0);
  if (base !== void 0 && !allowed.includes(base)) {
    differences.push({
      field: "commit.comparedWith",
      recorded: base,
      rebuilt: `the previous record's commit or the first parent (${allowed.join(" or ") || "none"})`
    });
  }
  const files = (list) => list.map((file) => `${file.status} ${file.previousPath ? `${file.previousPath} -> ` : ""}${file.path}`);
  if (recorded.changedFiles === void 0) {
    notReplayable.push("changed files: the record has none (its base was not in the clone it was made from)");
  } else if (base !== void 0 && !await hasCommit(dir, base)) {
    notReplayable.push(`changed files: the commit they were compared with, ${base}, is not in this clone`);
  } else {
    const again = await changedFilesBetween(dir, base ?? null, recorded.sha);
    compareSets(
      "commit.changedFiles",
      files(recorded.changedFiles),
      files(again.slice(0, MAX_CHANGED_FILES)),
      differences
    );
  }
  return verdict("commit", differences, notReplayable, true);
}
async function replayDependencies({ dir, predicate }) {
  const config = await loadConfig(join3(dir, DEFAULT_CONFIG_FILE), DEFAULT_CONFIG_FILE, false);
  const rebuilt = await collectDependencies({
    cwd: dir,
    ...config.lockfiles && config.lockfiles.length > 0 ? { paths: config.lockfiles } : {},
    // A lockfile skipped at record time is skipped again, and shows as a difference in the list.
    mode: "best-effort",
    log: silentLogger,
    note: () => void 0
  });
  const differences = [];
  const recorded = predicate.dependencies.lockfiles;
  compareSets(
    "dependencies.lockfiles",
    recorded.map((lockfile) => lockfile.path),
    rebuilt.lockfiles.map((lockfile) => lockfile.path),
    differences
  );
  const packageKey = (pkg) => pkg.integrity ? `${pkg.purl} (${pkg.integrity})` : pkg.purl;
  for (const lockfile of recorded) {
    const again = rebuilt.lockfiles.find((candidate) => candidate.path === lockfile.path);
    if (!again) continue;
    const prefix = `dependencies.lockfiles[${lockfile.path}]`;
    compareFields(prefix, lockfile, again, ["kind", "sha256"], differences);
    compareSets(
      `${prefix}.packages`,
      lockfile.packages.map(packageKey),
      again.packages.map(packageKey),
      differences
    );
  }
  return verdict("dependencies", differences, [], true);
}
var MODEL_FIELDS = ["kind", "digest", "size", "files", "format"];
async function replayModels({ dir, predicate }) {
  const differences = [];
  const notReplayable = [];
  const present = [];
  for (const model of predicate.models) {
    const state = await presence(dir, model.name);
    if (state === "present") present.push(model);
    else notReplayable.push(absentReason("model", model.name, state));
  }
  if (predicate.models.length === 0) notReplayable.push("the record has no models");
  if (present.length === 0) return verdict("models", differences, notReplayable, false);
  const rebuilt = await new ModelsCollector({
    patterns: present.map((model) => model.name),
    noCache: true
  }).collect(collectContext(dir, null, []));
  for (const model of present) {
    const again = rebuilt.find((entry) => entry.name === model.name);
    if (again) compareFields(`models[${model.name}]`, model, again, MODEL_FIELDS, differences);
  }
  return verdict("models", differences, notReplayable, true);
}
var DATASET_FIELDS = ["kind", "digest", "size", "files"];
async function replayDatasets({ dir, predicate }) {
  const differences = [];
  const notReplayable = [];
  const specs = [];
  for (const dataset of predicate.datasets) {
    if (dataset.kind === "uri" || dataset.path === void 0) {
      notReplayable.push(
        `dataset ${dataset.name} is recorded by reference (${dataset.uri ?? "no path"}), not in git`
      );
      continue;
    }
    const glob = hasGlobMagic(dataset.path);
    const state = glob ? "present" : await presence(dir, dataset.path);
    if (state !== "present") {
      notReplayable.push(absentReason("dataset", dataset.path, state));
      continue;
    }
    specs.push({
      entry: dataset,
      spec: glob ? { glob: dataset.path, name: dataset.name } : { path: dataset.path, name: dataset.name }
    });
  }
  if (predicate.datasets.length === 0) notReplayable.push("the record has no datasets");
  if (specs.length === 0) return verdict("datasets", differences, notReplayable, false);
  const rebuilt = await new DatasetsCollector({
    datasets: specs.map((item) => item.spec),
    noCache: true
  }).collect(collectContext(dir, null, []));
  specs.forEach(({ entry }, index) => {
    const again = rebuilt[index];
    if (again) compareFields(`datasets[${entry.name}]`, entry, again, DATASET_FIELDS, differences);
  });
  return verdict("datasets", differences, notReplayable, true);
}
async function replayTraining({ dir, predicate }) {
  const recorded = predicate.training;
  if (!recorded) return verdict("training", [], ["the record has no training description"], false);
  const source = recorded.source;
  const state = await presence(dir, source);
  if (state !== "present")
    return verdict("training", [], [absentReason("training file", source, state)], false);
  const rebuilt = await new TrainingCollector({ path: source }).collect(collectContext(dir, null, []));
  const differences = [];
  if (rebuilt)
    compareFields(
      "training",
      recorded,
      rebuilt,
      ["source", "sourceSha256", "sourceKind", "run"],
      differences
    );
  return verdict("training", differences, [], rebuilt !== null);
}
async function replayPolicy({ dir, predicate }) {
  const recorded = predicate.policy;
  if (!recorded) return verdict("policy", [], ["the record was made without a policy"], false);
  const state = await presence(dir, recorded.file);
  if (state !== "present")
    return verdict("policy", [], [absentReason("policy file", recorded.file, state)], false);
  const differences = [];
  const digest = sha256Hex(await readFile2(join3(dir, recorded.file)));
  if (digest !== recorded.sha256)
    differences.push({ field: "policy.sha256", recorded: recorded.sha256, rebuilt: digest });
  return verdict(
    "policy",
    differences,
    ["policy results depend on the approvals and signer of the run"],
    true
  );
}
var SECTION_REPLAYS = [
  { section: "commit", replay: replayCommit },
  { section: "dependencies", replay: replayDependencies },
  { section: "models", replay: replayModels },
  { section: "datasets", replay: replayDatasets },
  { section: "training", replay: replayTraining },
  { section: "policy", replay: replayPolicy }
];

// src/audit/seeded-random.ts
function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = state + 1831565813 >>> 0;
    let t = state;
    t = Math.imul(t ^ t >>> 15, t | 1);
    t ^= t + Math.imul(t ^ t >>> 7, t | 61);
    return ((t ^ t >>> 14) >>> 0) / 4294967296;
  };
}

// src/audit/replay.ts
function selectRows(rows, select) {
  if ("all" in select) return rows;
  if ("indexes" in select) {
    return select.indexes.map((index) => {
      const row = rows.find((candidate) => candidate.index === index);
      if (!row) {
        throw new LedgerError("USAGE", `the ledger has no record ${index}`, {
          field: "audit replay",
          fix: `name a record from 0 to ${Math.max(0, ...rows.map((candidate) => candidate.index))}`
        });
      }
      return row;
    });
  }
  const next = seededRandom(select.seed ?? Date.now());
  const pool = [...rows];
  for (let index = pool.length - 1; index > 0; index--) {
    const other = Math.floor(next() * (index + 1));
    [pool[index], pool[other]] = [pool[other], pool[index]];
  }
  return pool.slice(0, select.sample).sort((a, b) => a.index - b.index);
}
function replaySections(cwd, commit, predicate, previous) {
  return withWorktree(cwd, commit, async (dir) => {
    const results = [];
    for (const { section, replay } of SECTION_REPLAYS) {
      try {
        results.push(await replay({ dir, predicate, previous: previous?.statement?.predicate ?? null }));
      } catch (error) {
        if (!(error instanceof LedgerError)) throw error;
        results.push({
          section,
          status: "mismatch",
          differences: [
            {
              field: section,
              recorded: "as recorded",
              rebuilt: `cannot be collected: ${describeError(error)}`
            }
          ],
          notReplayable: []
        });
      }
    }
    return results;
  });
}
async function replayRow(cwd, row, previous) {
  const predicate = row.statement?.predicate;
  const commit = predicate?.commit?.sha ?? null;
  const skip = (reason) => ({
    index: row.index,
    commit,
    status: "not-replayable",
    reason,
    sections: []
  });
  if (!predicate || !row.signatureVerified)
    return skip("the record did not verify: what it says cannot be trusted");
  if (!commit) return skip("the record names no commit");
  if (!await hasCommit(cwd, commit))
    return skip(`commit ${commit} is not in this clone (shallow, rebased away or another repository)`);
  let sections;
  try {
    sections = await replaySections(cwd, commit, predicate, previous);
  } catch (error) {
    if (error instanceof WorktreeUnavailable) return skip(error.message);
    throw error;
  }
  const replayed = sections.filter((section) => section.status !== "not-replayable");
  const status = replayed.length === 0 ? "not-replayable" : replayed.some((section) => section.status === "mismatch") ? "mismatch" : "match";
  return { index: row.index, commit, status, sections };
}
async function auditReplay(options) {
  const rows = options.ledger.rows;
  const chosen = selectRows(rows, options.select);
  const records = [];
  for (const row of chosen) {
    const previous = rows.find((candidate) => candidate.index === row.index - 1);
    records.push(await replayRow(options.cwd, row, previous));
  }
  const matched = records.filter((record) => record.status === "match").length;
  const mismatched = records.filter((record) => record.status === "mismatch").length;
  const notReplayable = records.length - matched - mismatched;
  const replayable = matched + mismatched;
  const rate = replayable === 0 ? null : matched / replayable * 100;
  const shown = rate === null ? "no record could be replayed" : `${matched} of ${replayable} replayed record${replayable === 1 ? " matches" : "s match"}, ${formatPercent(matched, replayable)}`;
  return {
    tried: records.length,
    matched,
    mismatched,
    notReplayable,
    rate,
    summary: notReplayable > 0 ? `${shown} (${notReplayable} not replayable)` : shown,
    records,
    neverReplayable: [...NOT_REPLAYABLE],
    ok: mismatched === 0
  };
}

export {
  auditCompleteness,
  auditReplay
};
