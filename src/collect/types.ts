import type { Logger } from '../log.js';
import type {
  ChangeSection,
  CommitSection,
  DatasetEntry,
  DependenciesSection,
  EnvironmentSection,
  ModelEntry,
  RecordPredicate,
  TrainingSection,
} from '../record/predicate.js';

/** What every collector may read. Collectors never read process.env or process.cwd() directly. */
export interface CollectContext {
  /** Working directory: the repository root the record describes. */
  cwd: string;
  /** Environment variables of the run (process.env in production, a plain object in tests). */
  env: Readonly<Record<string, string | undefined>>;
  /** The predicate of the ledger's current head, or null for the first record. */
  previous: RecordPredicate | null;
  log: Logger;
  /** Notes for the record: what was omitted and why. */
  note(text: string): void;
  /**
   * Keeps a file beside the bundle (a large manifest); `name` is a plain file name such as
   * `<sha256>.manifest.txt`, and the store writes it next to the record that refers to it.
   */
  attach(name: string, content: string): void;
}

/** The sections of a predicate that collectors fill. */
export interface CollectedSections {
  commit: CommitSection | null;
  change: ChangeSection;
  dependencies: DependenciesSection;
  models: ModelEntry[];
  datasets: DatasetEntry[];
  training: TrainingSection | null;
  environment: EnvironmentSection;
}

/** One collector fills one section; it returns an empty section when it finds nothing, never a guess. */
export interface Collector<K extends keyof CollectedSections> {
  readonly section: K;
  collect(context: CollectContext): Promise<CollectedSections[K]>;
}
