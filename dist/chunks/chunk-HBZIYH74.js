import { createRequire as __modelLedgerCreateRequire } from 'node:module';
import { dirname as __modelLedgerPathDirname } from 'node:path';
import { fileURLToPath as __modelLedgerFileURLToPath } from 'node:url';
const require = __modelLedgerCreateRequire(import.meta.url);
const __modelLedgerFilename = __modelLedgerFileURLToPath(import.meta.url);
const __modelLedgerDirname = __modelLedgerPathDirname(__modelLedgerFilename);
import {
  deferred,
  evaluateDependencies,
  failed,
  isPresent,
  listed,
  passed,
  plural,
  resolvePath
} from "./chunk-K5UFL2LG.js";
import {
  MerkleAccumulator,
  leafHash
} from "./chunk-L2DKPJSZ.js";
import {
  LedgerError
} from "./chunk-ICUNJ6NG.js";

// src/collect/pull-request.ts
var DELETED_USER = "ghost";
async function readPullRequest(access, number) {
  const { client, owner, repo } = access;
  const { data: pull } = await client.rest.pulls.get({ owner, repo, pull_number: number });
  const reviews = await client.paginate(client.rest.pulls.listReviews, {
    owner,
    repo,
    pull_number: number,
    per_page: 100
  });
  const info = {
    number: pull.number,
    title: pull.title,
    url: pull.html_url,
    author: pull.user.login,
    labels: pull.labels.map((label) => label.name),
    base: { ref: pull.base.ref, sha: pull.base.sha },
    head: { ref: pull.head.ref, sha: pull.head.sha },
    reviews: reviews.filter((review) => review.state !== "PENDING").map((review) => ({
      reviewer: review.user?.login ?? DELETED_USER,
      state: review.state,
      submittedAt: review.submitted_at ?? "",
      commitId: review.commit_id ?? ""
    }))
  };
  if (pull.merged_by) info.mergedBy = pull.merged_by.login;
  if (pull.merged_at) info.mergedAt = pull.merged_at;
  return { info, body: pull.body ?? "" };
}
var VERDICTS = /* @__PURE__ */ new Set(["APPROVED", "CHANGES_REQUESTED", "DISMISSED"]);
function approversOf(info) {
  const latest = /* @__PURE__ */ new Map();
  const ordered = info.reviews.map((review, index) => ({ review, index })).sort((a, b) => a.review.submittedAt.localeCompare(b.review.submittedAt) || a.index - b.index);
  for (const { review } of ordered) {
    if (VERDICTS.has(review.state)) latest.set(review.reviewer, review);
  }
  const approvers = [];
  for (const [reviewer, review] of latest) {
    if (review.state !== "APPROVED") continue;
    if (review.commitId !== info.head.sha) continue;
    if (reviewer === info.author || reviewer === DELETED_USER) continue;
    approvers.push(reviewer);
  }
  return approvers.sort();
}

// src/policy/rules/approvals.ts
var VERDICTS2 = /* @__PURE__ */ new Set(["APPROVED", "CHANGES_REQUESTED", "DISMISSED"]);
function evaluateApprovals(rule, subject) {
  const pull = subject.change.pullRequest;
  if (!pull) {
    const why = "the record has no pull request, so no approvals (see its notes for why none was read)";
    return [
      failed("approvals.minimum", rule, `${plural(rule.minimum, "approval")} required; ${why}`),
      ...rule.onLastCommit ? [failed("approvals.on-last-commit", rule, why)] : [],
      ...rule.teams ? [teamsResult(rule, [])] : []
    ];
  }
  const authors = new Set(
    [pull.author, ...subject.change.implementedBy.map((person) => person.login)].filter(
      (login) => login !== void 0 && login !== ""
    )
  );
  const approvals = latestApprovals(pull).filter(
    (review) => !authors.has(review.reviewer) && review.reviewer !== DELETED_USER
  );
  const approvers = approvals.map((review) => review.reviewer);
  const results = [];
  const counted = `from people other than the author (${pull.author})`;
  results.push(
    approvers.length >= rule.minimum ? passed(
      "approvals.minimum",
      rule,
      `pull request #${pull.number} has ${plural(approvers.length, "approval")} ${counted}: ${listed(approvers)}`
    ) : failed(
      "approvals.minimum",
      rule,
      `pull request #${pull.number} has ${plural(approvers.length, "approval")} ${counted}${approvers.length > 0 ? ` (${listed(approvers)})` : ""}; ${rule.minimum} required`
    )
  );
  if (rule.onLastCommit) results.push(lastCommitResult(rule, pull, approvals));
  if (rule.teams) results.push(teamsResult(rule, approvers));
  return results;
}
function latestApprovals(pull) {
  const latest = /* @__PURE__ */ new Map();
  const ordered = pull.reviews.map((review, index) => ({ review, index })).sort((a, b) => a.review.submittedAt.localeCompare(b.review.submittedAt) || a.index - b.index);
  for (const { review } of ordered) if (VERDICTS2.has(review.state)) latest.set(review.reviewer, review);
  return [...latest.values()].filter((review) => review.state === "APPROVED").sort((a, b) => a.reviewer < b.reviewer ? -1 : 1);
}
function lastCommitResult(rule, pull, approvals) {
  const head = pull.approvalsCountedOn ?? pull.head.sha;
  const current = approvals.filter((review) => review.commitId === head).map((review) => review.reviewer);
  const stale = approvals.filter((review) => review.commitId !== head).map((review) => `${review.reviewer} on ${review.commitId.slice(0, 12) || "an unknown commit"}`);
  const short = head.slice(0, 12);
  if (current.length >= rule.minimum) {
    return passed(
      "approvals.on-last-commit",
      rule,
      `${plural(current.length, "approval")} on the last commit ${short}: ${listed(current)}`
    );
  }
  return failed(
    "approvals.on-last-commit",
    rule,
    `${plural(current.length, "approval")} on the last commit ${short}${current.length > 0 ? ` (${listed(current)})` : ""}, ${rule.minimum} required` + (stale.length > 0 ? `; approvals given before the last push: ${listed(stale)}` : "")
  );
}
function teamsResult(rule, approvers) {
  const teams = (rule.teams ?? []).join(", ");
  return failed(
    "approvals.teams",
    rule,
    `approvers must belong to ${teams}, and the record does not say which teams the approvers${approvers.length > 0 ? ` (${listed(approvers)})` : ""} belong to, so model-ledger cannot show it \u2014 require those teams with CODEOWNERS and branch protection, and set this rule to level: warn`
  );
}

// src/policy/rules/datasets.ts
function evaluateDatasets(rule, subject) {
  const results = [];
  const { datasets } = subject;
  if (rule.allow) {
    const allow = rule.allow;
    const outside = datasets.filter((dataset) => !allow.some((pattern) => matches(pattern, dataset)));
    results.push(
      outside.length === 0 ? passed("datasets.allow", rule, allowedText(datasets.length)) : failed(
        "datasets.allow",
        rule,
        `${plural(outside.length, "dataset")} not on the allow-list: ${listed(outside.map(describeDataset))}`
      )
    );
  }
  if (rule.denyLicenses) {
    const denied = new Map(rule.denyLicenses.map((id) => [id.toLowerCase(), id]));
    const offending = datasets.flatMap((dataset) => {
      const found = licensesOf(dataset).filter((id) => denied.has(id.toLowerCase()));
      return found.length > 0 ? [`${dataset.name} (${found.join(", ")})`] : [];
    });
    results.push(
      offending.length === 0 ? passed(
        "datasets.deny-licenses",
        rule,
        `no dataset declares a denied licence (${rule.denyLicenses.join(", ")})`
      ) : failed("datasets.deny-licenses", rule, `datasets under a denied licence: ${listed(offending)}`)
    );
  }
  return results;
}
function allowedText(count) {
  return count === 0 ? "the record has no datasets" : `all ${plural(count, "dataset")} on the allow-list`;
}
function matches(pattern, dataset) {
  const test = (matcher, value) => matcher === void 0 || value !== void 0 && matcher.regexp.test(value);
  return test(pattern.name, dataset.name) && test(pattern.path, dataset.path) && test(pattern.uri, dataset.uri);
}
function describeDataset(dataset) {
  const where = dataset.uri ?? dataset.path;
  return where !== void 0 && where !== dataset.name ? `${dataset.name} (${where})` : dataset.name;
}
function licensesOf(dataset) {
  const declared = dataset.description?.["license"];
  const texts = Array.isArray(declared) ? declared : [declared];
  return texts.filter((text) => typeof text === "string").flatMap((text) => text.split(/[\s()]+/)).filter((id) => id !== "" && !/^(AND|OR|WITH)$/i.test(id));
}

// src/policy/rules/models.ts
function evaluateModels(rule, subject) {
  const { models } = subject;
  const results = [];
  if (rule.formats) {
    const allowed = new Set(rule.formats.map((format) => format.toLowerCase()));
    const outside = models.filter((model) => !allowed.has((model.format ?? "").toLowerCase()));
    results.push(
      outside.length === 0 ? passed(
        "models.formats",
        rule,
        modelsText(models.length, `in an allowed format (${rule.formats.join(", ")})`)
      ) : failed(
        "models.formats",
        rule,
        `${plural(outside.length, "model")} in a format the policy does not allow (${rule.formats.join(", ")}): ${listed(outside.map((model) => `${model.name} (${model.format ?? "format not recognised"})`))}`
      )
    );
  }
  if (rule.pickle) {
    const scannedDatasets = subject.datasets.flatMap(
      (dataset) => dataset.safety ? [{ name: `dataset ${dataset.name}`, safety: dataset.safety }] : []
    );
    results.push(pickleResult(rule, rule.pickle, [...models, ...scannedDatasets]));
  }
  if (rule.maxSizeBytes !== void 0) {
    const max = rule.maxSizeBytes;
    const large = models.filter((model) => model.size > max);
    results.push(
      large.length === 0 ? passed("models.max-size-bytes", rule, modelsText(models.length, `at most ${max} bytes`)) : failed(
        "models.max-size-bytes",
        rule,
        `${plural(large.length, "model")} larger than ${max} bytes: ${listed(large.map((model) => `${model.name} (${model.size} bytes)`))}`
      )
    );
  }
  return results;
}
function modelsText(count, what) {
  return count === 0 ? "the record has no models" : `all ${plural(count, "model")} ${what}`;
}
function flagOf(model) {
  if (model.safety) {
    const { verdict, findings = [] } = model.safety;
    if (verdict === "clean") return null;
    const names = [
      ...new Set(findings.filter((finding) => finding.verdict === verdict).flatMap((f) => f.names ?? []))
    ];
    return {
      flag: verdict,
      label: names.length > 0 ? `${verdict}: ${names.slice(0, 5).join(", ")}` : verdict
    };
  }
  const codes = [
    ...new Set(
      (model.warnings ?? []).filter((warning) => warning.code.startsWith("PICKLE_")).map((w) => w.code)
    )
  ];
  if (codes.length === 0) return null;
  const flag = codes.includes("PICKLE_UNSAFE_IMPORT") || codes.includes("PICKLE_UNRESOLVED_IMPORT") ? "unsafe" : codes.includes("PICKLE_SCAN_INCOMPLETE") || codes.includes("PICKLE_NOT_SCANNED") ? "incomplete" : "unknown";
  return { flag, label: codes.join(", ") };
}
function pickleResult(rule, mode, models) {
  const modes = {
    unsafe: mode,
    unknown: rule.pickleUnknown ?? (mode === "allow" ? "allow" : "warn"),
    incomplete: rule.pickleIncomplete ?? mode
  };
  const flagged = models.flatMap((model) => {
    const flag = flagOf(model);
    return flag ? [{ name: `${model.name} (${flag.label})`, mode: modes[flag.flag] }] : [];
  });
  if (flagged.length === 0) return passed("models.pickle", rule, "the pickle scan flagged no model");
  const found = `${plural(flagged.length, "model")} with pickle findings: ${listed(flagged.map((entry) => entry.name))}`;
  const strictest = flagged.some((entry) => entry.mode === "deny") ? "deny" : flagged.some((entry) => entry.mode === "warn") ? "warn" : "allow";
  if (strictest === "allow") return passed("models.pickle", rule, `${found} (allowed by the policy)`);
  return failed(
    "models.pickle",
    rule,
    `${found} \u2014 loading them can run code; convert them to safetensors or ONNX`,
    strictest === "warn" ? "warn" : rule.level
  );
}

// src/policy/rules/required.ts
function evaluateRequired(rule, subject) {
  const id = `required:${rule.path}`;
  const places = resolvePath(subject, rule.steps);
  if (places.length === 0) {
    return passed(id, rule, `${rule.path}: the list is empty, so no item lacks it`);
  }
  const missing = places.filter((place) => !isPresent(place.value));
  if (missing.length === 0) {
    return passed(
      id,
      rule,
      places.length === 1 ? `${rule.path} is present` : `${rule.path} is present in all ${places.length} items`
    );
  }
  const where = missing.map((place) => describeAbsence(place.at, place.value, rule.path));
  return failed(id, rule, `${rule.path} must be present and non-empty: ${listed(where)}`);
}
function describeAbsence(at, value, path) {
  if (value !== void 0 && value !== null) return `${at} is empty`;
  const anyItem = (text) => text.replace(/\[\d+\]/g, "[*]");
  return at === "" || anyItem(at) === anyItem(path) ? `${at || path} is missing` : `${at} is missing, so is everything below it`;
}

// src/policy/rules/retention.ts
function evaluateRetention(rule, subject) {
  const recorded = new Date(subject.recordedAt);
  const until = Number.isNaN(recorded.getTime()) ? void 0 : new Date(recorded);
  until?.setUTCFullYear(until.getUTCFullYear() + rule.years);
  const date = until ? `, until ${until.toISOString().slice(0, 10)}` : "";
  return passed(
    "retention",
    rule,
    `keep this record for ${rule.years} ${rule.years === 1 ? "year" : "years"}${date} (informational: model-ledger never deletes records; the store's retention settings enforce this)`
  );
}

// src/policy/rules/signers.ts
function evaluateSigners(rule, signer) {
  if (!signer) {
    return deferred(
      "signers",
      rule,
      "signed keyless: the signer is known only once Fulcio has issued the certificate, so this rule is checked by `model-ledger verify --policy`"
    );
  }
  const match = rule.allow.find((pattern) => matches2(pattern, signer));
  if (match)
    return passed(
      "signers",
      rule,
      `signed by ${describeSigner(signer)}, allowed by ${describePattern(match)}`
    );
  return failed(
    "signers",
    rule,
    `signed by ${describeSigner(signer)}, which no entry allows (${rule.allow.map(describePattern).join("; ")})`
  );
}
function matches2(pattern, signer) {
  if (signer.kind === "key") return pattern.keyHint === signer.keyHint;
  if (pattern.keyHint !== void 0) return false;
  if (pattern.issuer !== signer.issuer) return false;
  if (pattern.identity !== void 0) return pattern.identity === signer.identity;
  return pattern.identityRegexp?.regexp.test(signer.identity) ?? false;
}
function describeSigner(signer) {
  return signer.kind === "key" ? `key ${signer.keyHint}` : `${signer.identity} (issuer ${signer.issuer})`;
}
function describePattern(pattern) {
  if (pattern.keyHint !== void 0) return `key-hint ${pattern.keyHint.slice(0, 16)}\u2026`;
  const who = pattern.identity ?? `identity-regexp ${pattern.identityRegexp?.source ?? ""}`;
  return `${who} (issuer ${pattern.issuer ?? ""})`;
}

// src/policy/rules/working-tree.ts
var RULE = "working-tree.clean";
function evaluateWorkingTree(rule, subject) {
  const { commit } = subject;
  if (!commit) return failed(RULE, rule, "the record names no commit, so its working tree cannot be clean");
  const tree = commit.workingTree;
  if (!tree) return failed(RULE, rule, "the record does not say whether its working tree was clean");
  if (tree.state === "clean") {
    return passed(RULE, rule, `nothing the record names differs from commit ${commit.sha.slice(0, 12)}`);
  }
  return failed(
    RULE,
    rule,
    `uncommitted changes to ${listed(tree.dirty.map((entry) => `${entry.path} (${entry.status})`))}: commit them, then record`
  );
}

// src/policy/evaluate.ts
function evaluatePolicy(loaded, subject, options = {}) {
  const { policy } = loaded;
  const results = policy.required.map((rule) => evaluateRequired(rule, subject));
  if (policy.approvals) results.push(...evaluateApprovals(policy.approvals, subject));
  if (policy.signers) results.push(evaluateSigners(policy.signers, options.signer));
  if (policy.datasets) results.push(...evaluateDatasets(policy.datasets, subject));
  if (policy.models) results.push(...evaluateModels(policy.models, subject));
  if (policy.dependencies) results.push(...evaluateDependencies(policy.dependencies, subject));
  if (policy.retention) results.push(evaluateRetention(policy.retention, subject));
  if (policy.workingTree) results.push(evaluateWorkingTree(policy.workingTree, subject));
  return results;
}
function enforcedFailures(results) {
  return results.filter((result) => result.outcome === "fail" && result.level === "enforce");
}
function warnings(results) {
  return results.filter((result) => result.outcome === "fail" && result.level === "warn");
}

// src/checkpoint/tree-state.ts
var TreeState = class _TreeState {
  constructor(tree) {
    this.tree = tree;
  }
  tree;
  static empty() {
    return new _TreeState(new MerkleAccumulator());
  }
  /** The state a record carries; malformed states are a CHAIN error naming the record. */
  static fromRecord(tree, what) {
    try {
      return new _TreeState(
        MerkleAccumulator.fromState({
          size: tree.size,
          subtreeRoots: tree.hashes.map((hex) => Buffer.from(hex, "hex"))
        })
      );
    } catch (error) {
      if (!(error instanceof LedgerError)) throw error;
      throw new LedgerError("CHAIN", `${what}: chain.tree is not a tree state (${error.message})`, {
        field: "chain.tree",
        cause: error
      });
    }
  }
  static ofLeaves(payloads) {
    const tree = new MerkleAccumulator();
    for (const payload of payloads) tree.push(leafHash(payload));
    return new _TreeState(tree);
  }
  get size() {
    return this.tree.size;
  }
  /** The state with one more record (its DSSE payload bytes) appended. */
  append(payload) {
    return this.appendLeafHash(leafHash(payload));
  }
  appendLeafHash(hash) {
    const next = this.tree.clone();
    next.push(hash);
    return new _TreeState(next);
  }
  /** The RFC 6962 root. */
  root() {
    return this.tree.root();
  }
  toRecord() {
    const { size, subtreeRoots } = this.tree.state();
    return { size, hashes: subtreeRoots.map((hash) => hash.toString("hex")) };
  }
  equals(other) {
    const a = this.tree.state();
    const b = other.tree.state();
    return a.size === b.size && a.subtreeRoots.length === b.subtreeRoots.length && a.subtreeRoots.every((hash, at) => hash.equals(b.subtreeRoots[at]));
  }
};

// src/checkpoint/checkpoint-name.ts
function checkpointKeyName(origin) {
  return origin.replace(/[\s+]/g, "_");
}

export {
  readPullRequest,
  approversOf,
  evaluatePolicy,
  enforcedFailures,
  warnings,
  TreeState,
  checkpointKeyName
};
