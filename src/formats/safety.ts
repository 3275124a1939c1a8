import type { ModelSafety, SafetyFinding } from '../record/predicate.js';
import type { PickleScan } from './pickle.js';
import { pickleFindings } from './pickle-safety.js';

/**
 * The safety verdict of one model file, gathered part by part as the scan walks its containers.
 * The worst finding decides: unsafe, then incomplete (a part was not read: it could hide
 * anything), then unknown; a file with no finding is clean.
 */

const MAX_FINDINGS = 100;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text from a file with lone surrogates (`\ud800`) replaced, so the statement is valid UTF-8 JSON. */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\ufffd');
}
const MAX_NAMES = 50;
const RANK: Record<ModelSafety['verdict'], number> = { clean: 0, unknown: 1, incomplete: 2, unsafe: 3 };

export class SafetyReport {
  pickles = 0;
  private verdict: ModelSafety['verdict'] = 'clean';
  private readonly findings: SafetyFinding[] = [];
  private dropped = 0;

  add(finding: SafetyFinding): void {
    if (RANK[finding.verdict] > RANK[this.verdict]) this.verdict = finding.verdict;
    if (this.findings.length >= MAX_FINDINGS) {
      this.dropped++;
      return;
    }
    const names = finding.names?.slice(0, MAX_NAMES);
    this.findings.push({
      verdict: finding.verdict,
      ...(finding.member ? { member: wellFormed(finding.member) } : {}),
      ...(names && names.length > 0 ? { names: names.map((name) => wellFormed(name)) } : {}),
      ...(finding.reason ? { reason: wellFormed(finding.reason) } : {}),
    });
  }

  incomplete(member: string | undefined, reason: string): void {
    this.add({ verdict: 'incomplete', ...(member ? { member } : {}), reason });
  }

  /** The findings of one scanned pickle (or the streams of one part). */
  addPickle(scan: PickleScan, member: string | undefined): void {
    this.pickles += scan.streams;
    const found = pickleFindings(scan);
    const where = member ? { member } : {};
    if (found.unsafe.length > 0)
      this.add({
        verdict: 'unsafe',
        ...where,
        names: found.unsafe,
        reason: 'imports callables that can run code when loaded',
      });
    if (found.computed > 0)
      this.add({
        verdict: 'unsafe',
        ...where,
        reason: `${found.computed} import(s) whose name is computed at load time (STACK_GLOBAL on non-constant operands)`,
      });
    if (found.untracked > 0)
      this.incomplete(member, `${found.untracked} import(s) whose operands the bounded memo no longer held`);
    if (found.unknown.length > 0)
      this.add({
        verdict: 'unknown',
        ...where,
        names: found.unknown,
        reason: "imports names off model-ledger's safe list",
      });
    if (found.extensions > 0)
      this.add({
        verdict: 'unknown',
        ...where,
        reason: `${found.extensions} import(s) from the copyreg extension registry (EXT)`,
      });
  }

  /** Everything a nested report found, under `member`. */
  merge(other: SafetyReport, member: string | undefined): void {
    this.pickles += other.pickles;
    for (const finding of other.findings)
      this.add({
        ...finding,
        ...(member ? { member: finding.member ? `${member} > ${finding.member}` : member } : {}),
      });
    if (other.dropped > 0) this.dropped += other.dropped;
    if (RANK[other.verdict] > RANK[this.verdict]) this.verdict = other.verdict;
  }

  result(): ModelSafety {
    const findings = [...this.findings];
    if (this.dropped > 0)
      findings.push({
        verdict: this.verdict === 'clean' ? 'unknown' : this.verdict,
        reason: `${this.dropped} more finding(s) not listed`,
      });
    return { verdict: this.verdict, pickles: this.pickles, ...(findings.length > 0 ? { findings } : {}) };
  }
}

/** One verdict over several files (a model directory): each file's findings under its path. */
export function combineSafety(parts: { member: string; safety: ModelSafety }[]): SafetyReport {
  const report = new SafetyReport();
  for (const { member, safety } of parts) {
    report.pickles += safety.pickles;
    for (const finding of safety.findings ?? [])
      report.add({ ...finding, member: finding.member ? `${member} > ${finding.member}` : member });
    if (safety.verdict !== 'clean' && (safety.findings ?? []).length === 0)
      report.add({ verdict: safety.verdict, member });
  }
  return report;
}
