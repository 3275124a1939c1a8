/**
 * The attestations mirror and the lookup of records under a statement's subjects, over real HTTP
 * to the fake GitHub server: lost answers, 5xx that do not stop, bundles that are not JSON, and
 * attestations that are not model-ledger records.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';

import { MemoryLogger } from '../../src/log.js';
import { PREDICATE_TYPE, type Statement } from '../../src/record/predicate.js';
import { knownRecordsFromAttestations, mirrorAttestation } from '../../src/store/attestations.js';
import type { RecordedRequest } from '../support/fake-github.js';
import { REPOSITORY, startGitHubLedger, type GitHubLedgerServer } from '../support/github-store.js';

let server: GitHubLedgerServer;
beforeEach(async () => {
  server = await startGitHubLedger();
});
afterEach(() => server.close());

const MODEL = 'a'.repeat(64);
const DATASET = 'b'.repeat(64);

function statement(chain: Record<string, unknown> | undefined, predicateType = PREDICATE_TYPE) {
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [
      { name: 'models/model.bin', digest: { sha256: MODEL } },
      { name: 'dataset:train', digest: { sha256: DATASET } },
      { name: 'not-a-digest', digest: { sha256: 'xyz' } },
    ],
    predicateType,
    predicate: chain ? { chain } : {},
  };
}

function bundleOf(payload: unknown): Buffer {
  const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return Buffer.from(
    JSON.stringify({
      mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
      verificationMaterial: {},
      dsseEnvelope: {
        payload: Buffer.from(text).toString('base64'),
        payloadType: 'application/vnd.in-toto+json',
      },
    }),
  );
}

const isCreate = (request: RecordedRequest) =>
  request.method === 'POST' && request.path === '/api/v3/repos/acme/model/attestations';
const isList = (request: RecordedRequest) =>
  request.method === 'GET' && request.path.startsWith('/api/v3/repos/acme/model/attestations/');
const mirror = (bundle: Buffer, log = new MemoryLogger()) =>
  mirrorAttestation({ client: server.client(), owner: 'acme', repo: 'model', bundle, log });

describe('mirrorAttestation', () => {
  it('a bundle that is not JSON is a warning and no request', async () => {
    expect(await mirror(Buffer.from('{not json'))).toEqual({
      warning: expect.stringMatching(/^the bundle is not JSON, so it was not mirrored: /),
    });
    expect(server.fake.requests).toEqual([]);
  });

  it('an answer lost after GitHub stored it: found by its payload under the first subject, not stored twice', async () => {
    const bundle = bundleOf(statement({ origin: 'github.com/acme/model#main', index: 0 }));
    server.fake.fail({ kind: 'truncate', mode: 'close' }, { match: isCreate });
    const log = new MemoryLogger();
    expect(await mirror(bundle, log)).toEqual({ stored: true });
    expect(server.releases.attestations).toHaveLength(1);
    expect(server.fake.requests.filter(isCreate)).toHaveLength(1);
    expect(server.fake.requests.filter(isList).map((request) => request.path)).toEqual([
      `/api/v3/repos/acme/model/attestations/sha256%3A${MODEL}`,
    ]);
    expect(log.messages('info')).toContain(
      'the attestation was stored by an attempt whose answer was lost; not stored again',
    );
  });

  it('a 502 that nothing stored is tried again; one that does not stop ends in a warning naming it', async () => {
    const bundle = bundleOf(statement({ origin: 'github.com/acme/model#main', index: 0 }));
    server.fake.fail({ kind: 'status', status: 502 }, { match: isCreate });
    const log = new MemoryLogger();
    expect(await mirror(bundle, log)).toEqual({ id: expect.any(Number) });
    expect(server.fake.requests.filter(isCreate)).toHaveLength(2);
    expect(log.messages('info')).toContainEqual(
      expect.stringMatching(/^mirroring the attestation failed .*trying again$/),
    );

    // Another record: the attempts' lookups find nothing of it stored.
    server.fake.fail({ kind: 'status', status: 503 }, { match: isCreate, times: 3 });
    const result = await mirror(bundleOf(statement({ origin: 'github.com/acme/model#main', index: 1 })));
    expect(result).toEqual({
      warning: expect.stringMatching(
        /^the record is stored, but mirroring it to GitHub's attestations API failed \(.*503/,
      ),
    });
    expect((result as { warning: string }).warning).not.toMatch(/permissions|Enterprise/);
    expect(server.fake.requests.filter(isCreate)).toHaveLength(5);
  });

  it('a bundle without a DSSE payload is refused by GitHub (422): a warning, not retried', async () => {
    const bundle = Buffer.from(JSON.stringify({ mediaType: 'x', messageSignature: {} }));
    expect(await mirror(bundle)).toEqual({
      warning: expect.stringMatching(/mirroring it .* failed \(.*422/),
    });
    expect(server.fake.requests.filter(isCreate)).toHaveLength(1);
    expect(server.fake.requests.filter(isList)).toHaveLength(0);
  });

  it('a lost answer for a bundle whose payload is not a string is tried again without a lookup', async () => {
    const bundle = Buffer.from(JSON.stringify({ dsseEnvelope: { payload: 7 } }));
    server.fake.fail({ kind: 'status', status: 500 }, { match: isCreate });
    // GitHub refuses the retry (its payload is no statement) or stores it: either way no lookup is made.
    await mirror(bundle);
    expect(server.fake.requests.filter(isCreate)).toHaveLength(2);
    expect(server.fake.requests.filter(isList)).toHaveLength(0);
  });
});

describe('knownRecordsFromAttestations', () => {
  const lookup = () => ({ client: server.client(), owner: 'acme', repo: 'model' });
  const store = (payload: unknown) =>
    server.releases.attestations.push({
      id: server.releases.id(),
      repository: REPOSITORY,
      bundle: JSON.parse(bundleOf(payload).toString()) as unknown,
    });

  it('lists the model-ledger records under the subjects, and skips attestations that are not', async () => {
    store(statement({ origin: 'github.com/acme/model#main', index: 3 }));
    store(statement({ origin: 'github.com/acme/model#main', index: 'four' }));
    store(statement({ index: 5 }));
    store(statement(undefined));
    store(statement({ origin: 'github.com/acme/model#main', index: 6 }, 'https://slsa.dev/provenance/v1'));
    // Not a statement at all, under the model's digest: GitHub's listing skips it (no subjects).
    server.releases.attestations.push({
      id: server.releases.id(),
      repository: REPOSITORY,
      bundle: { dsseEnvelope: { payload: Buffer.from('not json').toString('base64') } },
    });
    const known = await knownRecordsFromAttestations(
      lookup(),
      statement({ origin: 'github.com/acme/model#main', index: 7 }) as unknown as Statement,
    );
    // Each record is found once under each of the two sha256 subjects; the malformed subject is not looked up.
    expect(known).toEqual([
      {
        origin: 'github.com/acme/model#main',
        index: 3,
        where: `GitHub's attestations API (under subject sha256:${MODEL.slice(0, 12)}…)`,
      },
      {
        origin: 'github.com/acme/model#main',
        index: 3,
        where: `GitHub's attestations API (under subject sha256:${DATASET.slice(0, 12)}…)`,
      },
    ]);
    expect(server.fake.requests.filter(isList)).toHaveLength(2);
  });

  it('a lookup that fails is noted and the next subject is tried: nothing is known from it', async () => {
    store(statement({ origin: 'github.com/acme/model#main', index: 3 }));
    server.fake.fail(
      { kind: 'status', status: 500 },
      { match: (request) => isList(request) && request.path.endsWith(MODEL), times: 10 },
    );
    const log = new MemoryLogger();
    const known = await knownRecordsFromAttestations(
      lookup(),
      statement({ origin: 'x', index: 1 }) as unknown as Statement,
      log,
    );
    expect(known.map((entry) => entry.where)).toEqual([
      `GitHub's attestations API (under subject sha256:${DATASET.slice(0, 12)}…)`,
    ]);
    expect(log.messages('info')).toEqual([
      expect.stringMatching(new RegExp(`^could not look up attestations of sha256:${MODEL.slice(0, 12)}: `)),
    ]);
    // Without a logger, the same failure is silent and still not an error.
    server.fake.fail({ kind: 'status', status: 404 }, { match: isList, times: 10 });
    expect(
      await knownRecordsFromAttestations(lookup(), statement(undefined) as unknown as Statement),
    ).toEqual([]);
  });
});
