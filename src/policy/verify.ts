/**
 * The policy at verify time: every record of a ledger evaluated against one policy file, with the
 * signer verification established (so `signers` is decided for keyless records too). Enforced
 * failures are POLICY_VIOLATION problems, warnings are notices; each record's report also says
 * which policy, if any, it was checked against when it was made.
 */
import type { PolicyResult, Statement } from '../record/predicate.js';
import type { BundleSigner } from '../verify/identity.js';
import type { Problem } from '../verify/problems.js';
import { enforcedFailures, evaluatePolicy, warnings } from './evaluate.js';
import type { LoadedPolicy } from './types.js';

export interface RecordPolicyReport {
  index: number;
  file: string;
  /** The policy file and digest the record was checked against when it was made; null when none. */
  recordedWith: { file: string; sha256: string } | null;
  /** This policy's results for the record; null when the record did not verify, so its content is not evaluated. */
  results: PolicyResult[] | null;
}

export interface LedgerPolicyReport {
  file: string;
  sha256: string;
  records: RecordPolicyReport[];
}

/** What ledger verification knows of one record. */
export interface PolicyCandidate {
  index: number;
  file: string;
  statement: Statement | null;
  signer: BundleSigner | null;
  verified: boolean;
}

export function checkLedgerPolicy(
  loaded: LoadedPolicy,
  candidates: PolicyCandidate[],
): { report: LedgerPolicyReport; problems: Problem[]; notices: string[] } {
  const problems: Problem[] = [];
  const notices: string[] = [];
  const records = [...candidates]
    .sort((a, b) => a.index - b.index || (a.file < b.file ? -1 : 1))
    .map((candidate): RecordPolicyReport => {
      const { statement, signer } = candidate;
      const recorded = statement?.predicate.policy ?? null;
      const label = `record ${candidate.index} (${candidate.file})`;
      if (!candidate.verified || !statement || !signer) {
        return { index: candidate.index, file: candidate.file, recordedWith: null, results: null };
      }
      const results = evaluatePolicy(loaded, statement.predicate, { signer });
      for (const result of enforcedFailures(results)) {
        problems.push({
          code: 'POLICY_VIOLATION',
          index: candidate.index,
          file: candidate.file,
          message: `${label}: breaks ${result.rule} of policy ${loaded.file}: ${result.message}`,
        });
      }
      for (const result of warnings(results)) {
        notices.push(`${label}: policy warning ${result.rule}: ${result.message}`);
      }
      return {
        index: candidate.index,
        file: candidate.file,
        recordedWith: recorded ? { file: recorded.file, sha256: recorded.sha256 } : null,
        results,
      };
    });
  return { report: { file: loaded.file, sha256: loaded.sha256, records }, problems, notices };
}

/** Lines for a terminal: one per record, saying how it fares and what policy it was made under. */
export function describeLedgerPolicy(report: LedgerPolicyReport): string[] {
  const lines = [`policy ${report.file} (sha256 ${report.sha256.slice(0, 12)}…), record by record:`];
  for (const record of report.records) {
    const head = `  record ${record.index} (${record.file}):`;
    if (!record.results) {
      lines.push(`${head} not evaluated — the record did not verify`);
      continue;
    }
    const failed = enforcedFailures(record.results).length;
    const warned = warnings(record.results).length;
    const verdict =
      failed > 0
        ? `FAIL ${failed} enforced rule${failed === 1 ? '' : 's'} broken`
        : `ok, ${record.results.length} rule${record.results.length === 1 ? '' : 's'} checked`;
    const warning = warned > 0 ? `, ${warned} warning${warned === 1 ? '' : 's'}` : '';
    const origin = !record.recordedWith
      ? 'recorded without a policy'
      : record.recordedWith.sha256 === report.sha256
        ? 'recorded under this policy'
        : `recorded under ${record.recordedWith.file} sha256 ${record.recordedWith.sha256.slice(0, 12)}…`;
    lines.push(`${head} ${verdict}${warning}; ${origin}`);
  }
  return lines;
}
