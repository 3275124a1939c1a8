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
  return ledgerPolicyReport(
    loaded,
    candidates.map((candidate) => checkRecordPolicy(loaded, candidate)),
  );
}

/** One record's results under a policy, with its enforced failures and its warnings. */
export interface RecordPolicyOutcome {
  record: RecordPolicyReport;
  problems: Problem[];
  notices: string[];
}

/**
 * A record evaluated as soon as it is verified, so that a ledger read one record at a time need
 * not keep every statement for the policy.
 */
export function checkRecordPolicy(loaded: LoadedPolicy, candidate: PolicyCandidate): RecordPolicyOutcome {
  const { statement, signer } = candidate;
  const recorded = statement?.predicate.policy ?? null;
  const label = `record ${candidate.index} (${candidate.file})`;
  if (!candidate.verified || !statement || !signer) {
    return {
      record: { index: candidate.index, file: candidate.file, recordedWith: null, results: null },
      problems: [],
      notices: [],
    };
  }
  const results = evaluatePolicy(loaded, statement.predicate, { signer });
  return {
    record: {
      index: candidate.index,
      file: candidate.file,
      recordedWith: recorded ? { file: recorded.file, sha256: recorded.sha256 } : null,
      results,
    },
    problems: enforcedFailures(results).map((result) => ({
      code: 'POLICY_VIOLATION' as const,
      index: candidate.index,
      file: candidate.file,
      message: `${label}: breaks ${result.rule} of policy ${loaded.file}: ${result.message}`,
    })),
    notices: warnings(results).map((result) => `${label}: policy warning ${result.rule}: ${result.message}`),
  };
}

/** The ledger's report from its records' outcomes, in record order. */
export function ledgerPolicyReport(
  loaded: LoadedPolicy,
  outcomes: RecordPolicyOutcome[],
): { report: LedgerPolicyReport; problems: Problem[]; notices: string[] } {
  const sorted = [...outcomes].sort(
    (a, b) => a.record.index - b.record.index || (a.record.file < b.record.file ? -1 : 1),
  );
  return {
    report: { file: loaded.file, sha256: loaded.sha256, records: sorted.map((outcome) => outcome.record) },
    problems: sorted.flatMap((outcome) => outcome.problems),
    notices: sorted.flatMap((outcome) => outcome.notices),
  };
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
