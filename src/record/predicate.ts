/**
 * The predicate of a model-ledger record (predicateType https://model-ledger.dev/record/v1).
 * schema/record-v1.schema.json is the normative form of these types; keep the two in step.
 */

export const PREDICATE_TYPE = 'https://model-ledger.dev/record/v1';
export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const DSSE_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface Sha256Digest {
  sha256: string;
}

export interface ChainPrevious {
  /** sha256 of the previous record's DSSE payload bytes. */
  statementSha256: string;
  /** sha256 of the previous bundle file's bytes as stored. */
  bundleSha256: string;
  /** Where the previous bundle is stored. */
  uri: string;
}

/**
 * The ledger's Merkle tree before this record (records 0 … index-1): the roots of its perfect
 * subtrees, largest first, as hex. With this record's payload as the next leaf it gives the root
 * of the checkpoint written after it.
 */
export interface ChainTree {
  size: number;
  hashes: string[];
}

/** Why record 0 starts a ledger where one was expected (`new-ledger`): said, signed, kept. */
export interface ChainStart {
  reason: string;
  /** What the run found of an earlier ledger of this origin, if anything. */
  replaces?: string;
}

export interface ChainLink {
  /** Which ledger: `github.com/OWNER/REPO#LEDGER` or `local:<name>#LEDGER`. */
  origin: string;
  index: number;
  previous: ChainPrevious | null;
  /** The tree of the records before this one (absent in records made before checkpoints). */
  tree?: ChainTree;
  /** Only in a record 0 that starts a ledger on purpose. */
  start?: ChainStart;
}

export interface GitPerson {
  name: string;
  email: string;
  date: string;
}

export interface ChangedFile {
  path: string;
  status: 'added' | 'modified' | 'deleted' | 'renamed' | 'copied' | 'type-changed';
  previousPath?: string;
}

export interface CommitSection {
  sha: string;
  tree: string;
  parents: string[];
  author: GitPerson;
  committer: GitPerson;
  message: string;
  /** Whether the commit object carries a signature (gpgsig); not whether it is trusted. */
  signed: boolean;
  /** The remote URL the commit was read from, credentials removed; empty when unknown. */
  repositoryUrl: string;
  /** Branch or ref being built, when known. */
  ref?: string;
  changedFiles?: ChangedFile[];
  /** The commit the changed files are compared against. */
  comparedWith?: string;
  /** GitHub's verification verdict for the commit signature, when read from the API. */
  githubVerification?: { verified: boolean; reason: string };
  /** Uncommitted changes when the record was made; absent in records made before it was recorded. */
  workingTree?: WorkingTreeState;
}

export interface DirtyPath {
  path: string;
  status: ChangedFile['status'] | 'unmerged' | 'untracked';
}

export interface WorkingTreeState {
  /** `dirty` when a path the record names differs from the commit (models and training: tracked ones). */
  state: 'clean' | 'dirty';
  /** The paths the record names (models, datasets, training, lockfiles, config) that differ from the commit. */
  dirty: DirtyPath[];
  /** How many other paths differ from the commit (not named by the record). */
  otherChanges: number;
}

export interface PersonRef {
  login?: string;
  name?: string;
  email?: string;
}

export interface Review {
  reviewer: string;
  state: string;
  submittedAt: string;
  commitId: string;
}

export interface PullRequestInfo {
  number: number;
  title: string;
  url: string;
  author: string;
  labels: string[];
  base: { ref: string; sha: string };
  head: { ref: string; sha: string };
  mergedBy?: string;
  mergedAt?: string;
  reviews: Review[];
  /** How the build was tied to this pull request: its event, its merge commit, or its head. */
  foundBy?: 'event' | 'merge-commit' | 'head';
  state?: 'open' | 'closed';
  draft?: boolean;
  mergeCommitSha?: string;
  /** The head commit approvals were counted on (the one built, when the PR has moved on). */
  approvalsCountedOn?: string;
}

export interface ChangeSection {
  /** Why the change was made; `reasonSource` says where the text came from. */
  reason: string;
  reasonSource: 'input' | 'pull-request' | 'commit-message' | 'none';
  pullRequest?: PullRequestInfo;
  implementedBy: PersonRef[];
  approvedBy: PersonRef[];
  triggeredBy?: PersonRef;
}

export interface DependencyPackage {
  /** Package URL, e.g. pkg:npm/left-pad@1.3.0 */
  purl: string;
  name: string;
  version: string;
  ecosystem: string;
  /** Integrity digest as the lockfile gives it, e.g. `sha512-...` or `sha256:...`. */
  integrity?: string;
  direct?: boolean;
  dev?: boolean;
  /**
   * Where each copy of a package listed more than once came from, kept only when the copies
   * disagree on `dev` (then `dev` is true only if every copy is dev). Bounded; see `occurrencesOmitted`.
   */
  occurrences?: PackageOccurrence[];
  /** How many more copies there were than `occurrences` lists. */
  occurrencesOmitted?: number;
}

/** One copy of a package in a lockfile: its place there (install path, section, key) and its dev flag. */
export interface PackageOccurrence {
  from: string;
  dev?: boolean;
}

export interface Lockfile {
  path: string;
  kind: string;
  sha256: string;
  packages: DependencyPackage[];
}

export interface DependenciesSection {
  lockfiles: Lockfile[];
  /** Lockfiles found and not read (in skipped folders, or not lockfiles of their kind); absent when none. */
  skipped?: SkippedLockfiles;
}

export interface SkippedLockfiles {
  /** How many were left out. */
  count: number;
  /** The first of them by path (bounded), each with why. */
  lockfiles: { path: string; reason: string }[];
  /** The look into skipped folders stopped at its bound: there may be more than `count`. */
  incomplete?: boolean;
}

export interface ManifestRef {
  /** sha256 of the manifest text; equals the directory digest. */
  sha256: string;
  /** The manifest text itself, when small enough to keep inline. */
  inline?: string;
  /** Name of the file stored beside the bundle, when the manifest is too large to inline. */
  stored?: string;
}

export interface ArtifactWarning {
  code: string;
  message: string;
}

export interface ModelEntry {
  /** Repository-relative POSIX path: the in-toto subject name. */
  name: string;
  kind: 'file' | 'directory';
  /** Plain sha256 of the file, or the manifest digest of a directory. */
  digest: Sha256Digest;
  size: number;
  files?: number;
  format?: string;
  /** Metadata read from the file's bytes (header fields, parameter counts...). */
  metadata?: JsonObject;
  manifest?: ManifestRef;
  warnings?: ArtifactWarning[];
  /** What loading the model could run, from a scan of its bytes; absent in records made before the scan. */
  safety?: ModelSafety;
  /** The model's OpenSSF Model Signing signature (`model.sig`), stored beside the record. */
  signature?: ModelSignatureRef;
}

/** An OMS v1.0 signature of a model, signed by the record's signer, referred to by digest. */
export interface ModelSignatureRef {
  /** `https://model_signing/signature/v1.0`: the predicate type of the signed OMS statement. */
  format: string;
  /** Name of the file stored beside the bundle (`<sha256>.model.sig`). */
  stored: string;
  /** sha256 of that file's bytes. */
  sha256: string;
}

/**
 * model-ledger's safety scan of a model file (or every file of a model directory), decided by
 * content, never by name, and without loading anything: `unsafe` — it imports or computes a
 * callable that runs code (os.system, builtins.eval, a name computed at load time, a Keras Lambda
 * layer); `incomplete` — a bound was hit (depth, members, inflated bytes) or a part could not be
 * read (zstd or .lzma compression, encryption), so the rest is unchecked; `unknown` — imports off the
 * list of known-safe names; `clean` — every part was read and imports only known-safe names, or
 * the format holds no code. The verdict is the worst finding's (unsafe, incomplete, unknown).
 */
export interface ModelSafety {
  verdict: 'clean' | 'unknown' | 'unsafe' | 'incomplete';
  /** Pickle streams scanned (every stream of every pickle-bearing part). */
  pickles: number;
  /** What decided a verdict other than clean, at most 100 (the first ones found). */
  findings?: SafetyFinding[];
}

export interface SafetyFinding {
  verdict: 'unsafe' | 'unknown' | 'incomplete';
  /** Where: a directory's file, then archive members, joined with " > "; absent for the file itself. */
  member?: string;
  /** The imports (`module.qualname`) or layers that decided it. */
  names?: string[];
  reason?: string;
}

export interface DatasetEntry {
  name: string;
  kind: 'file' | 'directory' | 'uri';
  path?: string;
  uri?: string;
  digest: Sha256Digest;
  size: number;
  files: number;
  manifest?: ManifestRef;
  /** Declared lineage, e.g. DVC outs/deps, Hugging Face revision. */
  lineage?: JsonObject;
  /** Descriptive fields from the config: license, source, split, rows, personalData... */
  description?: JsonObject;
  /** The safety scan's verdict over the dataset's files, when the dataset asked for one (`scan: true`). */
  safety?: ModelSafety;
}

export interface TrainingSection {
  /** The file the run description was read from. */
  source: string;
  sourceSha256: string;
  sourceKind: string;
  /** The values as given, typed; unknown keys kept. */
  run: JsonObject;
}

export interface CiContext {
  provider: 'github-actions' | 'other' | 'none';
  repository?: string;
  workflow?: string;
  workflowRef?: string;
  runId?: string;
  runAttempt?: string;
  runNumber?: string;
  eventName?: string;
  ref?: string;
  sha?: string;
  actor?: string;
  triggeringActor?: string;
  serverUrl?: string;
  runUrl?: string;
  job?: string;
}

export interface EnvironmentSection {
  ci: CiContext;
  os?: string;
  arch?: string;
  node?: string;
  runner?: JsonObject;
  tools?: Record<string, string>;
  variables?: Record<string, string>;
}

export interface PolicyResult {
  /** Which rule: `required:<path>`, `approvals.minimum`, `signers`, `models.pickle`... */
  rule: string;
  level: 'enforce' | 'warn';
  /**
   * `deferred`: not decidable when the record was made, and checked by `verify --policy` (the
   * `signers` rule for keyless signing, whose identity exists only once the certificate does).
   */
  outcome: 'pass' | 'fail' | 'deferred';
  message: string;
}

export interface PolicySection {
  file: string;
  sha256: string;
  results: PolicyResult[];
}

export interface RecordPredicate {
  recordedAt: string;
  tool: { name: 'model-ledger'; version: string };
  chain: ChainLink;
  /** How the record was signed: `key` records are only as trustworthy as the key's custody. */
  signing: { mode: 'key' | 'development-key' | 'keyless' };
  commit: CommitSection | null;
  change: ChangeSection;
  dependencies: DependenciesSection;
  models: ModelEntry[];
  datasets: DatasetEntry[];
  training: TrainingSection | null;
  environment: EnvironmentSection;
  policy: PolicySection | null;
  /** What was left out and why, so that an absent field is never mistaken for an absent fact. */
  notes: string[];
}

export interface ResourceDescriptor {
  name: string;
  digest: Record<string, string>;
}

export interface Statement {
  _type: typeof STATEMENT_TYPE;
  subject: ResourceDescriptor[];
  predicateType: typeof PREDICATE_TYPE;
  predicate: RecordPredicate;
}
