import type { Statement } from '../../src/record/predicate.js';
import { reportRecord, type ReportData } from '../../src/report/report-data.js';
import { makePredicate } from './predicate.js';

/**
 * Report data of `count` made-up records (verified, one model each), for what depends on the
 * number of records rather than on their contents: report.html's paging, its benchmark.
 */
export function syntheticReportData(
  count: number,
  options: { origin?: string; reason?: (index: number) => string } = {},
): ReportData {
  const origin = options.origin ?? 'github.com/acme/model#main';
  const statement = (index: number): Statement => ({
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'models/model.safetensors', digest: { sha256: 'a'.repeat(64) } }],
    predicateType: 'https://model-ledger.dev/record/v1',
    predicate: makePredicate({
      chain: { origin, index, previous: null },
      change: {
        reason: options.reason?.(index) ?? `retrain ${index}`,
        reasonSource: 'input',
        implementedBy: [],
        approvedBy: [],
      },
    }),
  });
  return {
    format: 'https://model-ledger.dev/evidence/v1',
    tool: { name: 'model-ledger', version: '0.0.0' },
    generatedAt: '2026-11-26T11:00:00.000Z',
    origin,
    range: { from: 0, to: count - 1 },
    verification: { ok: true, problems: [], notices: [] },
    records: Array.from({ length: count }, (_, index) =>
      reportRecord(
        {
          index,
          file: `ledger/${String(index).padStart(6, '0')}-x.sigstore.json`,
          location: 'x',
          ref: { index, name: 'x', uri: 'x' },
          bundleSha256: 'b'.repeat(64),
          statementSha256: 'c'.repeat(64),
          signer: 'key:abc',
          claimedSigner: null,
          signingMode: 'key',
          recordedAt: new Date(Date.UTC(2026, 0, 1) + index * 3_600_000).toISOString(),
          signatureVerified: true,
          chainVerified: true,
          problems: [],
          statement: statement(index),
        },
        `ledger/${index}`,
        true,
      ),
    ),
  };
}
