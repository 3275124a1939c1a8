import { createRequire as __modelLedgerCreateRequire } from 'node:module';
import { dirname as __modelLedgerPathDirname } from 'node:path';
import { fileURLToPath as __modelLedgerFileURLToPath } from 'node:url';
const require = __modelLedgerCreateRequire(import.meta.url);
const __modelLedgerFilename = __modelLedgerFileURLToPath(import.meta.url);
const __modelLedgerDirname = __modelLedgerPathDirname(__modelLedgerFilename);

// src/report/facts.ts
var DEVELOPMENT_KEY_LABEL = "development key \u2014 not evidence";
function signingModeLabel(mode) {
  if (mode === "development-key") return DEVELOPMENT_KEY_LABEL;
  return mode ?? "unknown";
}
function workingTreeLabel(tree, max = 5) {
  if (!tree) return null;
  if (tree.state !== "dirty") return "clean";
  const paths = tree.dirty.map((entry) => entry.path);
  const shown = paths.slice(0, max).join(", ");
  return `dirty: ${shown}${paths.length > max ? ` (+${paths.length - max} more)` : ""}`;
}
function personLabel(person) {
  return person.login ?? person.email ?? person.name ?? "unknown";
}
function recordFacts(statement) {
  const { predicate } = statement;
  const { change, commit, environment } = predicate;
  const triggered = change.triggeredBy ? personLabel(change.triggeredBy) : void 0;
  const actor = triggered ?? environment.ci.triggeringActor ?? environment.ci.actor ?? commit?.author.email ?? commit?.author.name ?? "unknown";
  const implementedBy = change.implementedBy.map(personLabel);
  const approvedBy = change.approvedBy.map(personLabel);
  const identities = [
    actor,
    ...[change.triggeredBy, ...change.implementedBy, ...change.approvedBy].flatMap(
      (person) => person ? [person.login, person.email, person.name] : []
    ),
    environment.ci.actor,
    environment.ci.triggeringActor,
    change.pullRequest?.author,
    commit?.author.email,
    commit?.author.name
  ].filter((value) => typeof value === "string" && value !== "" && value !== "unknown");
  return {
    recordedAt: predicate.recordedAt,
    origin: predicate.chain.origin,
    commit: commit?.sha ?? null,
    ref: commit?.ref ?? environment.ci.ref ?? null,
    reason: (change.reason.split("\n")[0] ?? "").trim(),
    pullRequest: change.pullRequest ? { number: change.pullRequest.number, title: change.pullRequest.title, url: change.pullRequest.url } : null,
    actor,
    people: [...new Set(identities)],
    implementedBy,
    approvedBy,
    models: predicate.models.map((model) => model.name),
    datasets: predicate.datasets.map((dataset) => dataset.name),
    policy: policyOutcome(statement),
    runUrl: environment.ci.runUrl ?? null
  };
}
function policyOutcome(statement) {
  const policy = statement.predicate.policy;
  if (!policy) return "none";
  if (policy.results.some((result) => result.outcome === "fail" && result.level === "enforce")) return "fail";
  if (policy.results.some((result) => result.outcome === "fail")) return "warn";
  return "pass";
}

export {
  DEVELOPMENT_KEY_LABEL,
  signingModeLabel,
  workingTreeLabel,
  personLabel,
  recordFacts
};
