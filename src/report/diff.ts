/**
 * What changed between two records: model artifacts, datasets (down to files, from their
 * manifests), dependencies by ecosystem, training parameters and metrics, policy results, the
 * signer and the environment. Pure: the caller reads and verifies the records and resolves the
 * manifests it has (see ./load.ts); the result is typed data for Markdown, JSON and HTML.
 */
import type {
  DatasetEntry,
  DependencyPackage,
  JsonValue,
  ModelEntry,
  PolicyResult,
  Statement,
  WorkingTreeState,
} from '../record/predicate.js';
import { flatten, trainingValues } from '../record/training-values.js';
import { personLabel } from './facts.js';
import { safetyFindings, type SafetyFinding } from './safety.js';
import { compareVersions } from './versions.js';

export interface DiffSide {
  statement: Statement;
  /** sha256 of the DSSE payload: the record's identity. */
  statementSha256?: string | null;
  /** Who signed, as verified: `key:<hint>` or a certificate identity; null when unknown. */
  signer?: string | null;
  /** Whether the record verified (signature and chain); undefined when not checked. */
  verified?: boolean;
  /** Manifests the record refers to, by digest (inline ones are read from the record itself). */
  manifests?: ReadonlyMap<string, string>;
  /** Where the record is (a path or a URL), for links. */
  location?: string;
}

export interface RecordHeader {
  index: number;
  origin: string;
  statementSha256: string | null;
  recordedAt: string;
  commit: string | null;
  reason: string;
  pullRequest: { number: number; url: string } | null;
  signingMode: string;
  signer: string | null;
  verified: boolean | null;
  location: string | null;
  runUrl: string | null;
  /** Who approved the change, as the record says. */
  approvedBy: string[];
  /** Uncommitted changes when the record was made; null when the record does not say. */
  workingTree: WorkingTreeState | null;
}

export interface ListDiff<T, C> {
  added: T[];
  removed: T[];
  changed: C[];
  unchanged: number;
}

/** Files of a directory that differ, from the two manifests; `available` false when a manifest is missing. */
export interface FileListDiff {
  available: boolean;
  added: string[];
  removed: string[];
  changed: string[];
  unchanged: number;
}

export interface ModelSummary {
  name: string;
  kind: string;
  digest: string;
  size: number;
  files: number | null;
  format: string | null;
  parameters: number | null;
}

export interface ModelChange {
  name: string;
  from: ModelSummary;
  to: ModelSummary;
  /** Which of digest, size, format, parameters, files changed. */
  fields: string[];
  files: FileListDiff | null;
}

export interface DatasetSummary {
  name: string;
  kind: string;
  digest: string;
  size: number;
  files: number;
  rows: number | string | null;
  location: string | null;
}

export interface DatasetChange {
  name: string;
  from: DatasetSummary;
  to: DatasetSummary;
  fields: string[];
  files: FileListDiff | null;
}

export interface PackageSummary {
  name: string;
  version: string;
  purl: string;
}

export interface VersionChange {
  name: string;
  from: string;
  to: string;
}

export interface EcosystemDiff {
  ecosystem: string;
  added: PackageSummary[];
  removed: PackageSummary[];
  upgraded: VersionChange[];
  downgraded: VersionChange[];
  /** Versions that cannot be ordered, or the same version with a different integrity digest. */
  changed: VersionChange[];
  unchanged: number;
}

export interface ValueChange {
  key: string;
  from: JsonValue | undefined;
  to: JsonValue | undefined;
}

export interface MetricChange extends ValueChange {
  /** to − from, when both are numbers. */
  delta: number | null;
  /** delta / |from|, when from is a non-zero number. */
  relative: number | null;
}

export interface TrainingDiff {
  source: { from: string | null; to: string | null };
  params: ValueChange[];
  metrics: MetricChange[];
  /** Metrics of the newer record, changed or not, for context. */
  currentMetrics: Record<string, JsonValue>;
}

export interface PolicyChange {
  rule: string;
  level: PolicyResult['level'];
  from: PolicyResult['outcome'] | null;
  to: PolicyResult['outcome'] | null;
  message: string;
}

export interface PolicyDiff {
  /** The newer record's results. */
  results: PolicyResult[];
  changed: PolicyChange[];
  file: { from: string | null; to: string | null };
}

export interface SignerDiff {
  from: { signer: string | null; mode: string };
  to: { signer: string | null; mode: string };
  /** The signing identity or key differs: a reviewer must look. */
  changed: boolean;
}

export interface RecordDiff {
  from: RecordHeader;
  to: RecordHeader;
  /** `to` links directly to `from`. */
  consecutive: boolean;
  sameLedger: boolean;
  models: ListDiff<ModelSummary, ModelChange>;
  datasets: ListDiff<DatasetSummary, DatasetChange>;
  dependencies: EcosystemDiff[];
  training: TrainingDiff;
  policy: PolicyDiff;
  signer: SignerDiff;
  environment: ValueChange[];
  /** Pickle findings of the newer record's models: shown first, whatever else changed. */
  safety: SafetyFinding[];
  /** Nothing changed in any section. */
  empty: boolean;
}

export function diffRecords(a: DiffSide, b: DiffSide): RecordDiff {
  const from = header(a);
  const to = header(b);
  const previous = b.statement.predicate.chain.previous;
  const models = diffModels(a, b);
  const datasets = diffDatasets(a, b);
  const dependencies = diffDependencies(a.statement, b.statement);
  const training = diffTraining(a.statement, b.statement);
  const policy = diffPolicy(a.statement, b.statement);
  const signer: SignerDiff = {
    from: { signer: a.signer ?? null, mode: a.statement.predicate.signing.mode },
    to: { signer: b.signer ?? null, mode: b.statement.predicate.signing.mode },
    // An unknown signer (a record that did not verify) is flagged by its verification, not here.
    changed:
      a.statement.predicate.signing.mode !== b.statement.predicate.signing.mode ||
      (a.signer != null && b.signer != null && a.signer !== b.signer),
  };
  const environment = diffEnvironment(a.statement, b.statement);
  const empty =
    isEmptyList(models) &&
    isEmptyList(datasets) &&
    dependencies.length === 0 &&
    training.params.length === 0 &&
    training.metrics.length === 0 &&
    policy.changed.length === 0 &&
    !signer.changed &&
    environment.length === 0;
  return {
    from,
    to,
    consecutive:
      previous !== null &&
      a.statementSha256 !== undefined &&
      a.statementSha256 !== null &&
      previous.statementSha256 === a.statementSha256,
    sameLedger: from.origin === to.origin,
    models,
    datasets,
    dependencies,
    training,
    policy,
    signer,
    environment,
    safety: safetyFindings(b.statement),
    empty,
  };
}

function isEmptyList<T, C>(list: ListDiff<T, C>): boolean {
  return list.added.length === 0 && list.removed.length === 0 && list.changed.length === 0;
}

function header(side: DiffSide): RecordHeader {
  const { predicate } = side.statement;
  const pull = predicate.change.pullRequest;
  return {
    index: predicate.chain.index,
    origin: predicate.chain.origin,
    statementSha256: side.statementSha256 ?? null,
    recordedAt: predicate.recordedAt,
    commit: predicate.commit?.sha ?? null,
    reason: (predicate.change.reason.split('\n')[0] ?? '').trim(),
    pullRequest: pull ? { number: pull.number, url: pull.url } : null,
    signingMode: predicate.signing.mode,
    signer: side.signer ?? null,
    verified: side.verified ?? null,
    location: side.location ?? null,
    runUrl: predicate.environment.ci.runUrl ?? null,
    approvedBy: predicate.change.approvedBy.map(personLabel),
    workingTree: predicate.commit?.workingTree ?? null,
  };
}

// ---------------------------------------------------------------------------------------------
// Models and datasets

function parameterCount(model: ModelEntry): number | null {
  const value = model.metadata?.parameters ?? model.metadata?.parameterCount;
  return typeof value === 'number' ? value : null;
}

export function modelSummary(model: ModelEntry): ModelSummary {
  return {
    name: model.name,
    kind: model.kind,
    digest: model.digest.sha256,
    size: model.size,
    files: model.files ?? null,
    format: model.format ?? null,
    parameters: parameterCount(model),
  };
}

function datasetSummary(dataset: DatasetEntry): DatasetSummary {
  const rows = dataset.description?.rows;
  return {
    name: dataset.name,
    kind: dataset.kind,
    digest: dataset.digest.sha256,
    size: dataset.size,
    files: dataset.files,
    rows: typeof rows === 'number' || typeof rows === 'string' ? rows : null,
    location: dataset.path ?? dataset.uri ?? null,
  };
}

function changedFields<T extends object>(a: T, b: T, fields: (keyof T & string)[]): string[] {
  return fields.filter((field) => JSON.stringify(a[field]) !== JSON.stringify(b[field]));
}

function diffModels(a: DiffSide, b: DiffSide): ListDiff<ModelSummary, ModelChange> {
  return diffArtifacts(a, b, (side) => side.statement.predicate.models, modelSummary, [
    'digest',
    'size',
    'format',
    'parameters',
    'files',
    'kind',
  ]);
}

function diffDatasets(a: DiffSide, b: DiffSide): ListDiff<DatasetSummary, DatasetChange> {
  return diffArtifacts(a, b, (side) => side.statement.predicate.datasets, datasetSummary, [
    'digest',
    'size',
    'files',
    'rows',
    'location',
    'kind',
  ]);
}

/** Models or datasets, by name: what was added, removed, or changed in `fields` (with files, for directories). */
function diffArtifacts<E extends ModelEntry | DatasetEntry, S extends object>(
  a: DiffSide,
  b: DiffSide,
  entries: (side: DiffSide) => E[],
  summarize: (entry: E) => S,
  fields: (keyof S & string)[],
): ListDiff<S, { name: string; from: S; to: S; fields: string[]; files: FileListDiff | null }> {
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
        files: fileDiff(x.manifest?.sha256, y.manifest?.sha256, a, b, x, y),
      };
    },
    summarize,
  );
}

function diffByName<E extends { name: string }, S, C>(
  before: E[],
  after: E[],
  compare: (x: E, y: E) => C | null,
  summary: (entry: E) => S,
): ListDiff<S, C> {
  const old = new Map(before.map((entry) => [entry.name, entry]));
  const now = new Map(after.map((entry) => [entry.name, entry]));
  const result: ListDiff<S, C> = { added: [], removed: [], changed: [], unchanged: 0 };
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

/** Parses `<sha256>  <path>` manifest lines into path → digest. */
export function parseManifest(text: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
    if (match) files.set(match[2] as string, match[1] as string);
  }
  return files;
}

function manifestText(
  digest: string | undefined,
  side: DiffSide,
  entry: ModelEntry | DatasetEntry,
): string | undefined {
  if (digest === undefined) return undefined;
  return entry.manifest?.inline ?? side.manifests?.get(digest);
}

function fileDiff(
  fromDigest: string | undefined,
  toDigest: string | undefined,
  a: DiffSide,
  b: DiffSide,
  x: ModelEntry | DatasetEntry,
  y: ModelEntry | DatasetEntry,
): FileListDiff | null {
  if (fromDigest === undefined && toDigest === undefined) return null; // single files
  const before = manifestText(fromDigest, a, x);
  const after = manifestText(toDigest, b, y);
  if (before === undefined || after === undefined) {
    return { available: false, added: [], removed: [], changed: [], unchanged: 0 };
  }
  const old = parseManifest(before);
  const now = parseManifest(after);
  const result: FileListDiff = { available: true, added: [], removed: [], changed: [], unchanged: 0 };
  for (const [path, digest] of now) {
    const previous = old.get(path);
    if (previous === undefined) result.added.push(path);
    else if (previous !== digest) result.changed.push(path);
    else result.unchanged++;
  }
  for (const path of old.keys()) if (!now.has(path)) result.removed.push(path);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Dependencies

interface PackageVersions {
  name: string;
  versions: Map<string, DependencyPackage>;
}

function packagesByEcosystem(statement: Statement): Map<string, Map<string, PackageVersions>> {
  const result = new Map<string, Map<string, PackageVersions>>();
  for (const lockfile of statement.predicate.dependencies.lockfiles) {
    for (const pkg of lockfile.packages) {
      let ecosystem = result.get(pkg.ecosystem);
      if (!ecosystem) result.set(pkg.ecosystem, (ecosystem = new Map<string, PackageVersions>()));
      let entry = ecosystem.get(pkg.name);
      if (!entry)
        ecosystem.set(pkg.name, (entry = { name: pkg.name, versions: new Map<string, DependencyPackage>() }));
      if (!entry.versions.has(pkg.version)) entry.versions.set(pkg.version, pkg);
    }
  }
  return result;
}

function diffDependencies(a: Statement, b: Statement): EcosystemDiff[] {
  const before = packagesByEcosystem(a);
  const after = packagesByEcosystem(b);
  const ecosystems = [...new Set([...before.keys(), ...after.keys()])].sort();
  const result: EcosystemDiff[] = [];
  for (const ecosystem of ecosystems) {
    const old = before.get(ecosystem) ?? new Map<string, PackageVersions>();
    const now = after.get(ecosystem) ?? new Map<string, PackageVersions>();
    const diff: EcosystemDiff = {
      ecosystem,
      added: [],
      removed: [],
      upgraded: [],
      downgraded: [],
      changed: [],
      unchanged: 0,
    };
    const names = [...new Set([...old.keys(), ...now.keys()])].sort();
    for (const name of names) {
      const x = old.get(name);
      const y = now.get(name);
      if (!x && y) diff.added.push(...[...y.versions.values()].map(packageSummary));
      else if (x && !y) diff.removed.push(...[...x.versions.values()].map(packageSummary));
      else if (x && y) comparePackage(ecosystem, x, y, diff);
    }
    const touched =
      diff.added.length +
      diff.removed.length +
      diff.upgraded.length +
      diff.downgraded.length +
      diff.changed.length;
    if (touched > 0) result.push(diff);
  }
  return result;
}

function packageSummary(pkg: DependencyPackage): PackageSummary {
  return { name: pkg.name, version: pkg.version, purl: pkg.purl };
}

function comparePackage(
  ecosystem: string,
  x: PackageVersions,
  y: PackageVersions,
  diff: EcosystemDiff,
): void {
  const from = [...x.versions.keys()].sort();
  const to = [...y.versions.keys()].sort();
  if (from.length === 1 && to.length === 1) {
    const [old, now] = [from[0] as string, to[0] as string];
    if (old === now) {
      const integrityBefore = x.versions.get(old)?.integrity;
      const integrityAfter = y.versions.get(now)?.integrity;
      if (integrityBefore && integrityAfter && integrityBefore !== integrityAfter) {
        diff.changed.push({
          name: x.name,
          from: `${old} (${integrityBefore})`,
          to: `${now} (${integrityAfter})`,
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
    else diff.changed.push(change); // incomparable, or equal spellings of one version (1.0 and 1.0.0)
    return;
  }
  if (from.join('\n') === to.join('\n')) diff.unchanged++;
  else diff.changed.push({ name: x.name, from: from.join(', '), to: to.join(', ') });
}

// ---------------------------------------------------------------------------------------------
// Training, policy, environment

function valueChanges(before: Record<string, JsonValue>, after: Record<string, JsonValue>): ValueChange[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys
    .filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]))
    .map((key) => ({ key, from: before[key], to: after[key] }));
}

function asNumber(value: JsonValue | undefined): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return null;
}

function diffTraining(a: Statement, b: Statement): TrainingDiff {
  const before = trainingValues(a);
  const after = trainingValues(b);
  return {
    source: {
      from: a.predicate.training?.source ?? null,
      to: b.predicate.training?.source ?? null,
    },
    params: valueChanges(before.params, after.params),
    metrics: valueChanges(before.metrics, after.metrics).map((change) => {
      const x = asNumber(change.from);
      const y = asNumber(change.to);
      const delta = x !== null && y !== null ? y - x : null;
      return {
        ...change,
        delta: delta === null ? null : roundDelta(delta),
        relative: delta !== null && x !== null && x !== 0 ? delta / Math.abs(x) : null,
      };
    }),
    currentMetrics: after.metrics,
  };
}

/** Removes binary floating-point noise (0.92 − 0.91 = 0.010000000000000009). */
function roundDelta(value: number): number {
  return Number.parseFloat(value.toPrecision(12));
}

function diffPolicy(a: Statement, b: Statement): PolicyDiff {
  const before = new Map((a.predicate.policy?.results ?? []).map((result) => [result.rule, result]));
  const after = new Map((b.predicate.policy?.results ?? []).map((result) => [result.rule, result]));
  const changed: PolicyChange[] = [];
  for (const rule of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const x = before.get(rule);
    const y = after.get(rule);
    if (x?.outcome === y?.outcome && x?.level === y?.level) continue;
    changed.push({
      rule,
      level: (y ?? x)?.level ?? 'warn',
      from: x?.outcome ?? null,
      to: y?.outcome ?? null,
      message: (y ?? x)?.message ?? '',
    });
  }
  return {
    results: b.predicate.policy?.results ?? [],
    changed,
    file: { from: a.predicate.policy?.file ?? null, to: b.predicate.policy?.file ?? null },
  };
}

/** What the build ran on and with; per-run values (run ids, shas, runner names) are left out. */
export function environmentValues(statement: Statement): Record<string, JsonValue> {
  const { environment } = statement.predicate;
  const values: Record<string, JsonValue> = {};
  const set = (key: string, value: JsonValue | undefined): void => {
    if (value !== undefined) values[key] = value;
  };
  set('os', environment.os);
  set('arch', environment.arch);
  set('node', environment.node);
  set('ci.provider', environment.ci.provider);
  set('ci.workflow', environment.ci.workflow);
  const runner = environment.runner ?? {};
  for (const [key, value] of Object.entries(flatten(runner))) if (key !== 'name') set(`runner.${key}`, value);
  for (const [tool, version] of Object.entries(environment.tools ?? {})) set(`tools.${tool}`, version);
  set('tool.model-ledger', statement.predicate.tool.version);
  return values;
}

function diffEnvironment(a: Statement, b: Statement): ValueChange[] {
  return valueChanges(environmentValues(a), environmentValues(b));
}
