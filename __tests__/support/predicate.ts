import type { RecordPredicate } from '../../src/record/predicate.js';

/** A well-formed predicate with nothing in it but what every record has; override what a test needs. */
export function makePredicate(overrides: Partial<RecordPredicate> = {}): RecordPredicate {
  return {
    recordedAt: '2026-11-26T10:00:00.000Z',
    tool: { name: 'model-ledger', version: '0.1.0' },
    chain: { origin: 'github.com/acme/model#main', index: 0, previous: null },
    signing: { mode: 'key' },
    commit: null,
    change: { reason: 'first', reasonSource: 'input', implementedBy: [], approvedBy: [] },
    dependencies: { lockfiles: [] },
    models: [],
    datasets: [],
    training: null,
    environment: { ci: { provider: 'none' } },
    policy: null,
    notes: [],
    ...overrides,
  };
}
