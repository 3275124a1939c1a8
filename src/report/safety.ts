/**
 * Pickle findings of a record's models, for every face that shows a record: the finding a
 * reviewer most needs. Read from the model's `safety` verdict (with its findings' names) and from
 * its PICKLE_* warnings (records made before the verdict); both defensively, since records of any
 * version may be shown.
 */
import type { ModelEntry, Statement } from '../record/predicate.js';

export type SafetyVerdict = 'unsafe' | 'unknown' | 'incomplete';

export interface SafetyFinding {
  model: string;
  verdict: SafetyVerdict;
  /** Imports the scan found that are not known to be safe (`module.name`). */
  imports: string[];
  /** The warnings' messages, as recorded. */
  messages: string[];
}

const VERDICT_OF_WARNING: Record<string, SafetyVerdict> = {
  PICKLE_UNSAFE_IMPORT: 'unsafe',
  PICKLE_UNKNOWN_IMPORT: 'unknown',
  PICKLE_UNRESOLVED_IMPORT: 'unknown',
  PICKLE_SCAN_INCOMPLETE: 'incomplete',
  PICKLE_NOT_SCANNED: 'incomplete',
};

const RANK: Record<SafetyVerdict, number> = { unsafe: 3, unknown: 2, incomplete: 1 };

function isVerdict(value: unknown): value is SafetyVerdict {
  return value === 'unsafe' || value === 'unknown' || value === 'incomplete';
}

function strings(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown) => {
    if (typeof item === 'string') return [item];
    if (typeof item === 'object' && item !== null) {
      const { module, name, import: full } = item as Record<string, unknown>;
      if (typeof full === 'string') return [full];
      if (typeof module === 'string' && typeof name === 'string') return [`${module}.${name}`];
    }
    return [];
  });
}

/** The finding of one model, or null when its scan found nothing to worry about (or it is no pickle). */
export function modelSafety(model: Pick<ModelEntry, 'name' | 'safety' | 'warnings'>): SafetyFinding | null {
  const messages: string[] = [];
  const imports = new Set<string>();
  let verdict: SafetyVerdict | null = null;
  const raise = (next: SafetyVerdict): void => {
    if (verdict === null || RANK[next] > RANK[verdict]) verdict = next;
  };
  // The verdict of the scan (`clean` needs no finding), with what decided it.
  const safety: unknown = model.safety;
  if (typeof safety === 'object' && safety !== null) {
    const fields = safety as Record<string, unknown>;
    if (isVerdict(fields.verdict)) raise(fields.verdict);
    for (const key of ['imports', 'unsafeImports', 'unknownImports'])
      strings(fields[key]).forEach((x) => imports.add(x));
    for (const finding of Array.isArray(fields.findings) ? (fields.findings as unknown[]) : []) {
      if (typeof finding !== 'object' || finding === null) continue;
      const { verdict: found, names, member, reason } = finding as Record<string, unknown>;
      if (isVerdict(found)) raise(found);
      strings(names).forEach((name) => imports.add(name));
      if (typeof reason === 'string')
        messages.push(typeof member === 'string' ? `${member}: ${reason}` : reason);
    }
  }
  for (const warning of Array.isArray(model.warnings) ? model.warnings : []) {
    const found = VERDICT_OF_WARNING[warning.code];
    if (!found) continue;
    raise(found);
    messages.push(warning.message);
    const named = /imports ([\w.]+) \(/.exec(warning.message);
    if (named && found !== 'incomplete') imports.add(named[1] as string);
  }
  // The scan's own verdict is shown as recorded: its ranking (incomplete above unknown) decided it,
  // and the findings and warnings under it only say why.
  const recorded =
    typeof safety === 'object' && safety !== null ? (safety as Record<string, unknown>).verdict : undefined;
  if (isVerdict(recorded)) verdict = recorded;
  if (verdict === null) return null;
  return { model: model.name, verdict, imports: [...imports].sort(), messages };
}

/** Every model's finding, and every dataset's scanned on request (`dataset NAME`), the most serious first. */
export function safetyFindings(statement: Statement): SafetyFinding[] {
  const datasets = (statement.predicate.datasets ?? []).flatMap((dataset) =>
    dataset.safety ? [{ name: `dataset ${dataset.name}`, safety: dataset.safety }] : [],
  );
  return [...statement.predicate.models, ...datasets]
    .map(modelSafety)
    .filter((finding): finding is SafetyFinding => finding !== null)
    .sort((a, b) => RANK[b.verdict] - RANK[a.verdict] || (a.model < b.model ? -1 : 1));
}

/** One line per finding: `UNSAFE pickle: model.pt imports os.system, builtins.eval`. */
export function safetyLine(finding: SafetyFinding): string {
  const what =
    finding.verdict === 'unsafe'
      ? 'UNSAFE pickle: loading it can run arbitrary code'
      : finding.verdict === 'unknown'
        ? 'pickle with imports not known to be safe'
        : 'pickle scan incomplete: not every import was checked';
  const imports = finding.imports.length > 0 ? ` (imports ${finding.imports.join(', ')})` : '';
  return `${finding.model}: ${what}${imports}`;
}
