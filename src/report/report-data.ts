/**
 * The data the HTML report and index.json are made of: one flat, display-ready object per record
 * (who, what, when, why, verification verdicts), plus the normalised maps the page compares two
 * records with. Built from the loaded ledger only; nothing here verifies anything.
 */
import type { JsonValue, Statement, WorkingTreeState } from '../record/predicate.js';
import { TOOL_VERSION } from '../record/version.js';
import { trainingValues } from '../record/training-values.js';
import { environmentValues, modelSummary, type ModelSummary } from './diff.js';
import { personLabel, recordFacts, type PolicyOutcome } from './facts.js';
import type { LedgerRow, LoadedLedger } from './load.js';
import { safetyFindings, type SafetyFinding } from './safety.js';

export interface ReportRecord {
  index: number;
  /** The bundle's path inside the pack. */
  file: string;
  inRange: boolean;
  recordedAt: string | null;
  statementSha256: string | null;
  bundleSha256: string;
  previousStatementSha256: string | null;
  signer: string | null;
  claimedSigner: string | null;
  signingMode: string | null;
  signatureVerified: boolean;
  chainVerified: boolean;
  problems: string[];
  readable: boolean;
  origin: string | null;
  commit: {
    sha: string;
    message: string;
    author: string;
    date: string;
    ref: string | null;
    url: string | null;
  } | null;
  reason: string;
  reasonSource: string | null;
  pullRequest: {
    number: number;
    title: string;
    url: string;
    author: string;
    base: string;
    head: string;
    mergedBy: string | null;
    mergedAt: string | null;
  } | null;
  actor: string | null;
  people: string[];
  implementedBy: string[];
  approvedBy: string[];
  reviews: { reviewer: string; state: string; submittedAt: string; commitId: string }[];
  models: (ModelSummary & { warnings: string[] })[];
  /** Pickle findings of the models, the most serious first. */
  safety: SafetyFinding[];
  /** Uncommitted changes when the record was made; null when the record does not say. */
  workingTree: WorkingTreeState | null;
  datasets: {
    name: string;
    kind: string;
    digest: string;
    size: number;
    files: number;
    rows: string | null;
    location: string | null;
    description: Record<string, JsonValue>;
    lineage: JsonValue | null;
  }[];
  training: {
    source: string;
    kind: string;
    params: Record<string, JsonValue>;
    metrics: Record<string, JsonValue>;
  } | null;
  policy: {
    outcome: PolicyOutcome;
    file: string | null;
    results: { rule: string; level: string; outcome: string; message: string }[];
  };
  /** `ecosystem:name` → versions (comma-separated when several). */
  dependencies: Record<string, string>;
  dependencyCounts: Record<string, number>;
  environment: Record<string, JsonValue>;
  ci: { provider: string; runUrl: string | null; workflow: string | null; eventName: string | null };
  notes: string[];
}

export interface ReportData {
  format: 'https://model-ledger.dev/evidence/v1';
  tool: { name: 'model-ledger'; version: string };
  generatedAt: string;
  origin: string | null;
  range: { from: number; to: number };
  verification: { ok: boolean; problems: string[]; notices: string[] };
  records: ReportRecord[];
}

export function reportRecord(row: LedgerRow, file: string, inRange: boolean): ReportRecord {
  const statement = row.statement;
  const claimed = row.claimedSigner
    ? row.claimedSigner.kind === 'key'
      ? `key:${row.claimedSigner.keyHint}`
      : row.claimedSigner.identity
    : null;
  const base = {
    index: row.index,
    file,
    inRange,
    recordedAt: row.recordedAt,
    statementSha256: row.statementSha256,
    bundleSha256: row.bundleSha256,
    signer: row.signer,
    claimedSigner: claimed,
    signingMode: row.signingMode,
    signatureVerified: row.signatureVerified,
    chainVerified: row.chainVerified,
    problems: row.problems.map((problem) => `${problem.code}: ${problem.message}`),
  };
  if (!statement) {
    return {
      ...base,
      previousStatementSha256: null,
      readable: false,
      origin: null,
      commit: null,
      reason: '',
      reasonSource: null,
      pullRequest: null,
      actor: null,
      people: [],
      implementedBy: [],
      approvedBy: [],
      reviews: [],
      models: [],
      safety: [],
      workingTree: null,
      datasets: [],
      training: null,
      policy: { outcome: 'none', file: null, results: [] },
      dependencies: {},
      dependencyCounts: {},
      environment: {},
      ci: { provider: 'none', runUrl: null, workflow: null, eventName: null },
      notes: [],
    };
  }
  return { ...base, ...statementFields(statement) };
}

/** The half of a record that comes from its statement. */
type StatementFields = Omit<
  ReportRecord,
  | 'index'
  | 'file'
  | 'inRange'
  | 'recordedAt'
  | 'statementSha256'
  | 'bundleSha256'
  | 'signer'
  | 'claimedSigner'
  | 'signingMode'
  | 'signatureVerified'
  | 'chainVerified'
  | 'problems'
>;

function statementFields(statement: Statement): StatementFields {
  const { predicate } = statement;
  const facts = recordFacts(statement);
  const { commit, change, environment } = predicate;
  const { ci } = environment;
  const repositoryUrl = ci.serverUrl && ci.repository ? `${ci.serverUrl}/${ci.repository}` : null;
  const pull = change.pullRequest;
  const dependencies: Record<string, string> = {};
  const dependencyCounts: Record<string, number> = {};
  for (const lockfile of predicate.dependencies.lockfiles) {
    for (const pkg of lockfile.packages) {
      const key = `${pkg.ecosystem}:${pkg.name}`;
      const versions = new Set((dependencies[key] ?? '').split(', ').filter((v) => v !== ''));
      if (!versions.has(pkg.version))
        dependencyCounts[pkg.ecosystem] = (dependencyCounts[pkg.ecosystem] ?? 0) + 1;
      versions.add(pkg.version);
      dependencies[key] = [...versions].sort().join(', ');
    }
  }
  const training = predicate.training ? trainingValues(statement) : null;
  return {
    previousStatementSha256: predicate.chain.previous?.statementSha256 ?? null,
    readable: true,
    origin: predicate.chain.origin,
    commit: commit
      ? {
          sha: commit.sha,
          message: (commit.message.split('\n')[0] ?? '').trim(),
          author: `${commit.author.name} <${commit.author.email}>`,
          date: commit.author.date,
          ref: commit.ref ?? null,
          url: repositoryUrl ? `${repositoryUrl}/commit/${commit.sha}` : null,
        }
      : null,
    reason: change.reason,
    reasonSource: change.reasonSource,
    pullRequest: pull
      ? {
          number: pull.number,
          title: pull.title,
          url: pull.url,
          author: pull.author,
          base: pull.base.ref,
          head: pull.head.ref,
          mergedBy: pull.mergedBy ?? null,
          mergedAt: pull.mergedAt ?? null,
        }
      : null,
    actor: facts.actor,
    people: facts.people,
    implementedBy: change.implementedBy.map(personLabel),
    approvedBy: change.approvedBy.map(personLabel),
    reviews: pull?.reviews.map((review) => ({ ...review })) ?? [],
    models: predicate.models.map((model) => ({
      ...modelSummary(model),
      warnings: (model.warnings ?? []).map((warning) => `${warning.code}: ${warning.message}`),
    })),
    safety: safetyFindings(statement),
    workingTree: commit?.workingTree ?? null,
    datasets: predicate.datasets.map((dataset) => {
      const rows = dataset.description?.rows;
      return {
        name: dataset.name,
        kind: dataset.kind,
        digest: dataset.digest.sha256,
        size: dataset.size,
        files: dataset.files,
        rows: typeof rows === 'number' || typeof rows === 'string' ? String(rows) : null,
        location: dataset.path ?? dataset.uri ?? null,
        description: dataset.description ?? {},
        lineage: dataset.lineage ?? null,
      };
    }),
    training:
      predicate.training && training
        ? {
            source: predicate.training.source,
            kind: predicate.training.sourceKind,
            params: training.params,
            metrics: training.metrics,
          }
        : null,
    policy: {
      outcome: facts.policy,
      file: predicate.policy?.file ?? null,
      results: (predicate.policy?.results ?? []).map((result) => ({ ...result })),
    },
    dependencies,
    dependencyCounts,
    environment: environmentValues(statement),
    ci: {
      provider: ci.provider,
      runUrl: ci.runUrl ?? null,
      workflow: ci.workflow ?? null,
      eventName: ci.eventName ?? null,
    },
    notes: predicate.notes,
  };
}

export interface ReportDataOptions {
  from: number;
  to: number;
  generatedAt: string;
  /** The bundle's path in the pack, by stored file name. */
  fileOf: (row: LedgerRow) => string;
}

export function buildReportData(
  ledger: LoadedLedger,
  rows: LedgerRow[],
  options: ReportDataOptions,
): ReportData {
  const records = rows.map((row) =>
    reportRecord(row, options.fileOf(row), row.index >= options.from && row.index <= options.to),
  );
  // Problems of records after the range are not the pack's: those records are not in it.
  const problems = ledger.verification.problems.filter(
    (problem) => problem.index === null || problem.index <= options.to,
  );
  return {
    format: 'https://model-ledger.dev/evidence/v1',
    tool: { name: 'model-ledger', version: TOOL_VERSION },
    generatedAt: options.generatedAt,
    origin: records.find((record) => record.origin !== null)?.origin ?? null,
    range: { from: options.from, to: options.to },
    verification: {
      ok: records.length > 0 && problems.length === 0,
      problems: problems.map((problem) => `${problem.code}: ${problem.message}`),
      notices: ledger.verification.notices,
    },
    records,
  };
}
