/**
 * A policy file as model-ledger uses it: every rule checked and compiled at load time (paths
 * parsed, regular expressions and globs compiled), so evaluation cannot fail on the file itself.
 */
import type { PolicyResult, RecordPredicate } from '../record/predicate.js';
import type { BundleSigner } from '../verify/identity.js';

export type RuleLevel = PolicyResult['level'];

/** What every rule has: how a failure counts, and what to tell the user about it. */
export interface RuleMeta {
  level: RuleLevel;
  /** The policy's own words for a failure; a default explains it otherwise. */
  message?: string;
}

/** A glob or regular expression as written, with the expression it compiled to. */
export interface Matcher {
  source: string;
  regexp: RegExp;
}

/** One step of a dotted path: a field, every item of a list (`[*]`), or one item (`[2]`). */
export type PathStep = { kind: 'field'; name: string } | { kind: 'each' } | { kind: 'item'; index: number };

export interface RequiredRule extends RuleMeta {
  path: string;
  steps: PathStep[];
}

export interface ApprovalsRule extends RuleMeta {
  minimum: number;
  teams?: string[];
  onLastCommit: boolean;
}

export interface SignerPattern {
  identity?: string;
  identityRegexp?: Matcher;
  issuer?: string;
  keyHint?: string;
}

export interface SignersRule extends RuleMeta {
  allow: SignerPattern[];
}

export interface DatasetPattern {
  name?: Matcher;
  path?: Matcher;
  uri?: Matcher;
}

export interface DatasetsRule extends RuleMeta {
  allow?: DatasetPattern[];
  denyLicenses?: string[];
}

export type PickleMode = 'deny' | 'warn' | 'allow';

export interface ModelsRule extends RuleMeta {
  formats?: string[];
  /** What to do with models the safety scan calls `unsafe`. */
  pickle?: PickleMode;
  /** ...called `unknown` (imports off the safe list); default `warn` (`allow` when pickle is allow). */
  pickleUnknown?: PickleMode;
  /** ...whose scan is `incomplete` (a bound hit, a part unread); default: as `pickle`. */
  pickleIncomplete?: PickleMode;
  maxSizeBytes?: number;
}

/** A package URL to refuse; without a version it refuses every version. */
export interface DeniedPackage {
  source: string;
  type: string;
  /** Namespace and name, decoded and normalised as the purl type asks. */
  path: string;
  version?: string;
}

export interface DependenciesRule extends RuleMeta {
  deny?: DeniedPackage[];
  requireLockfiles?: boolean;
}

export interface RetentionRule extends RuleMeta {
  years: number;
}

/** `working-tree: { clean: true }`: no uncommitted change to what the record names. */
export type WorkingTreeRule = RuleMeta;

export interface Policy {
  version: 1;
  required: RequiredRule[];
  approvals?: ApprovalsRule;
  signers?: SignersRule;
  datasets?: DatasetsRule;
  models?: ModelsRule;
  dependencies?: DependenciesRule;
  retention?: RetentionRule;
  workingTree?: WorkingTreeRule;
}

export interface LoadedPolicy {
  /** The file as the user named it (repository-relative for the default file). */
  file: string;
  /** sha256 of the file's bytes: what a record says it was checked against. */
  sha256: string;
  policy: Policy;
}

/** What a policy is evaluated on: a record's predicate, before or after it is linked and signed. */
export type PolicySubject = Omit<RecordPredicate, 'chain' | 'policy'>;

export interface PolicyEvaluationOptions {
  /**
   * Who signed (verify) or will sign (record, key signing). Without it the `signers` rule is
   * `deferred`: a keyless signer's identity is known only once Fulcio has issued the certificate.
   */
  signer?: BundleSigner;
}
