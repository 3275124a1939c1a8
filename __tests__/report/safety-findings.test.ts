import { expect, it } from '@jest/globals';

import type { Statement } from '../../src/record/predicate.js';
import { safetyFindings, safetyLine } from '../../src/report/safety.js';
import { makePredicate } from '../support/predicate.js';

it("lists a dataset scanned on request beside the models, by the scan's verdict", () => {
  const statement: Statement = {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'model.pt', digest: { sha256: 'a'.repeat(64) } }],
    predicateType: 'https://model-ledger.dev/record/v1',
    predicate: makePredicate({
      models: [
        {
          name: 'model.pt',
          kind: 'file',
          digest: { sha256: 'a'.repeat(64) },
          size: 10,
          safety: {
            verdict: 'unknown',
            pickles: 1,
            findings: [{ verdict: 'unknown', names: ['mypkg.Net'] }],
          },
        },
      ],
      datasets: [
        {
          name: 'shards',
          kind: 'directory',
          path: 'shards',
          digest: { sha256: 'b'.repeat(64) },
          size: 10,
          files: 2,
          safety: {
            verdict: 'unsafe',
            pickles: 2,
            findings: [{ verdict: 'unsafe', names: ['posix.system'] }],
          },
        },
        { name: 'clean', kind: 'file', path: 'c.csv', digest: { sha256: 'c'.repeat(64) }, size: 1, files: 1 },
      ],
    }),
  };
  const findings = safetyFindings(statement);
  expect(findings.map((finding) => [finding.model, finding.verdict])).toEqual([
    ['dataset shards', 'unsafe'],
    ['model.pt', 'unknown'],
  ]);
  expect(safetyLine(findings[0] as (typeof findings)[number])).toBe(
    'dataset shards: UNSAFE pickle: loading it can run arbitrary code (imports posix.system)',
  );
});
