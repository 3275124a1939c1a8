/**
 * Runs racing into one ledger on the fake GitHub, truly concurrently over HTTP, with uploads that
 * take time (their assets listed as `starter` meanwhile) and random start delays: at the first
 * record, at a rollover to a new release, mid-ledger, and with immutable releases. Every run that
 * succeeds has its record in the final ledger at the index it reported, the chain is linear, and
 * nothing a failed run wrote is left in the ledger.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';

import { record } from '../../src/run/record.js';
import { generateKeyPair } from '../../src/sign/keys.js';
import { verifyLedger } from '../../src/verify/ledger.js';
import { startGitHubLedger, type GitHubLedgerServer } from '../support/github-store.js';
import { createTempRepo, type TempRepo } from '../support/repo.js';

let server: GitHubLedgerServer;
let repo: TempRepo;
const key = generateKeyPair().privateKeyPem;

beforeEach(async () => {
  server = await startGitHubLedger();
  repo = await createTempRepo();
  await repo.write('models/model.bin', 'weights');
  repo.commit('train');
});
afterEach(async () => {
  await server.close();
  await repo.cleanup();
});

/** A small deterministic generator, so a failing round can be replayed from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

const perRelease = 3;

function run(reason: string) {
  return record({
    cwd: repo.dir,
    env: repo.env,
    store: server.store({ recordsPerRelease: perRelease, sleep: () => new Promise((r) => setTimeout(r, 5)) }),
    models: ['models/model.bin'],
    signing: 'key',
    keyPem: key,
    reason,
  });
}

/** `runs` runs at once after random delays; returns the successes and failures. */
async function race(runs: number, next: () => number, label: string) {
  const settled = await Promise.allSettled(
    Array.from({ length: runs }, async (_, n) => {
      await new Promise((resolve) => setTimeout(resolve, Math.floor(next() * 20)));
      return run(`${label} run ${n}`);
    }),
  );
  const ok = settled.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  const failed = settled.flatMap((outcome) =>
    outcome.status === 'rejected' ? [outcome.reason as Error] : [],
  );
  return { ok, failed };
}

async function assertNoRecordLost(expected: Map<number, string>) {
  const outcome = await verifyLedger({ store: server.store({ recordsPerRelease: perRelease }) });
  expect(outcome.problems).toEqual([]);
  expect(outcome.ok).toBe(true);
  const stored = new Map(outcome.records.map((summary) => [summary.index, summary.statementSha256]));
  // Exactly the records whose runs succeeded, each at the index it reported: none lost, none extra.
  expect(stored).toEqual(expected);
}

describe('runs racing into one ledger', () => {
  for (const immutable of [false, true]) {
    it(`lose no record at the first record, at rollover and mid-ledger${immutable ? ' (immutable releases)' : ''}`, async () => {
      server.releases.immutable = immutable;
      const next = random(immutable ? 7 : 3);
      server.releases.uploadLatency = () => Math.floor(next() * 40);
      const expected = new Map<number, string>();
      let failures = 0;
      // Round 1 starts the ledger; with 3 records a release, later rounds cross rollovers.
      for (let round = 0; round < 5; round++) {
        const { ok, failed } = await race(2 + (round % 4), next, `round ${round}`);
        for (const result of ok) {
          expect([
            result.index,
            expected.has(result.index),
            result.location,
            expected.get(result.index),
            result.statementSha256,
          ]).toEqual([result.index, false, result.location, undefined, result.statementSha256]);
          expected.set(result.index, result.statementSha256);
        }
        for (const error of failed) expect(error.message).toMatch(/other runs keep appending|another run/);
        failures += failed.length;
        expect(ok.length).toBeGreaterThan(0);
        await assertNoRecordLost(expected);
      }
      expect(expected.size).toBeGreaterThanOrEqual(10);
      expect([...expected.keys()].sort((a, b) => a - b)).toEqual([...Array(expected.size).keys()]);
      expect(failures).toBeLessThan(expected.size);
      // No run ever deleted another run's asset, and no draft is left behind.
      expect(server.releases.releasesOf('acme/model').filter((release) => release.draft)).toEqual([]);
    }, 240_000);
  }
});
