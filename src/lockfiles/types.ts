/** The role every lockfile parser plays: recognise its files, turn one into package URLs. */
import type { DependencyPackage } from '../record/predicate.js';

export type LockfileKind =
  | 'npm'
  | 'yarn'
  | 'pnpm'
  | 'pip'
  | 'poetry'
  | 'uv'
  | 'pipenv'
  | 'conda'
  | 'conda-explicit'
  | 'conda-lock'
  | 'cargo'
  | 'go';

/** A text file of the repository: its repo-relative POSIX path and its decoded content. */
export interface SourceText {
  path: string;
  text: string;
}

export interface ParseInput extends SourceText {
  /**
   * Reads another file this one includes (pip `-r` / `-c`), by repo-relative POSIX path.
   * Without it, includes are refused with an error naming the line.
   */
  readInclude?: ((path: string) => Promise<SourceText>) | undefined;
}

export interface ParsedPackages {
  /** Sorted by purl, identical entries merged. */
  packages: DependencyPackage[];
  /** What the file declares but could not be recorded as a package, and why (for the record's notes). */
  notes: string[];
  /**
   * Set when the file, matched by its name alone, is not a lockfile of this kind (a templated
   * `environment_template.yml`, an `environment.yml` without `dependencies`): why. Then nothing is
   * recorded from it, and that is not an error even in strict mode.
   */
  notALockfile?: string;
}

export interface LockfileParser {
  readonly kind: LockfileKind;
  /** Whether the file at this repo-relative POSIX path is of this kind, judged by its path alone. */
  matches(path: string): boolean;
  parse(input: ParseInput): Promise<ParsedPackages>;
}
