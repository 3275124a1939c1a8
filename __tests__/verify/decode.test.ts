/**
 * Reading a stored record before and while trusting it: its JSON, its statement, who it claims
 * signed it, and the problem code each failure of @sigstore/verify turns into.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, sign } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { bundleFromJSON, bundleToJSON, toMessageSignatureBundle, type Bundle } from '@sigstore/bundle';
import { PolicyError, VerificationError } from '@sigstore/verify';

import { LedgerError } from '../../src/errors.js';
import { DSSE_PAYLOAD_TYPE } from '../../src/record/predicate.js';
import { explainFailure } from '../../src/verify/bundle-failure.js';
import { claimedSigner, readStoredBundle } from '../../src/verify/claimed-signer.js';
import { decodeStatement, parseBundleJson } from '../../src/verify/decode.js';
import { PROBLEM_CODES, VerificationFailure } from '../../src/verify/problems.js';
import { LocalStore } from '../../src/store/local.js';
import { readVerifiedRecord, verifyRecordBytes } from '../../src/verify/read.js';
import { ledgerTrust } from '../../src/verify/trust.js';
import { createKeyLedger, ledgerKey, storedRecord, type StoredRecord } from '../support/signed-ledger.js';
import { runCli } from '../support/cli.js';
import { copyTempRepo, type TempRepo } from '../support/repo.js';

const GH = join(process.cwd(), '__tests__/fixtures/sigstore-conformance/gh-cli');
const CONFORMANCE = join(
  process.cwd(),
  '__tests__/fixtures/sigstore-conformance/sigstore-conformance/bundle-verify',
);
const WORKFLOW = 'https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/main';
const ACTIONS_ISSUER = 'https://token.actions.githubusercontent.com';

let repo: TempRepo;
let record: StoredRecord;

beforeAll(async () => {
  repo = await createKeyLedger(1);
  record = await storedRecord(join(repo.dir, '.model-ledger'), 0);
}, 60_000);
afterAll(async () => {
  await repo?.cleanup();
});

/** A message-signature bundle signed with the ledger's own key: everything but what it signs checks out. */
async function messageSignatureBundle(): Promise<unknown> {
  const key = await ledgerKey(repo);
  const artifact = Buffer.from('weights');
  return bundleToJSON(
    toMessageSignatureBundle({
      digest: createHash('sha256').update(artifact).digest(),
      signature: sign('sha256', artifact, key),
      keyHint: record.bundle.verificationMaterial.publicKey?.hint ?? '',
    }),
  );
}

function failure(run: () => unknown): VerificationFailure {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(VerificationFailure);
    return error as VerificationFailure;
  }
  throw new Error('expected a VerificationFailure, and nothing was thrown');
}

describe('decoding a stored record', () => {
  it('parses the JSON of a bundle file, and calls a file that is not JSON corrupt', () => {
    expect(parseBundleJson(Buffer.from('{"a":[1]}'), 'b.json')).toEqual({ a: [1] });
    const error = failure(() => parseBundleJson(Buffer.from('{"a":'), 'b.json'));
    expect({ problem: error.problem, code: error.code, file: error.file }).toEqual({
      problem: 'CORRUPT',
      code: 'VERIFICATION_FAILED',
      file: 'b.json',
    });
    expect(error.message).toBe('b.json: is not valid JSON (truncated or edited)');
    expect(error.cause).toBeDefined();
  });

  it('decodes the signed statement, and refuses another payload type, a payload that is not JSON, or a statement off the schema', () => {
    expect(decodeStatement(record.payload, DSSE_PAYLOAD_TYPE, record.name)).toEqual(record.statement);

    let error = failure(() => decodeStatement(record.payload, 'text/plain', record.name));
    expect(error.problem).toBe('SCHEMA');
    expect(error.message).toBe(
      `${record.name}: payload type is "text/plain", expected "${DSSE_PAYLOAD_TYPE}"`,
    );

    error = failure(() => decodeStatement(Buffer.from('{"_type":'), DSSE_PAYLOAD_TYPE, record.name));
    expect(error.problem).toBe('SCHEMA');
    expect(error.message).toBe(`${record.name}: the signed payload is not JSON`);
    expect(error.cause).toBeDefined();

    const offSchema = { ...record.statement, predicateType: 'https://example.com/other' };
    error = failure(() =>
      decodeStatement(Buffer.from(JSON.stringify(offSchema)), DSSE_PAYLOAD_TYPE, record.name),
    );
    expect(error.problem).toBe('SCHEMA');
    expect(error.message).toContain(record.name);
    expect(error.cause).toBeInstanceOf(LedgerError);
  });

  it('verifies and reads a record through its store, with both digests', async () => {
    const store = new LocalStore(join(repo.dir, '.model-ledger'));
    const refs = await store.list();
    const { trust } = await ledgerTrust(store, refs, {});
    const verified = await readVerifiedRecord(store, refs[0] as (typeof refs)[number], trust);
    expect(verified.statementSha256).toBe(record.statementSha256);
    expect(verified.bundleSha256).toBe(record.bundleSha256);
    expect(verified.payload).toEqual(record.payload);
    expect(verified.statement).toEqual(record.statement);
    expect(verified.signer).toMatchObject({ kind: 'key' });
  });

  it('refuses a record file that holds a message signature instead of a signed statement', async () => {
    const bundle = await messageSignatureBundle();
    const store = new LocalStore(join(repo.dir, '.model-ledger'));
    const { trust } = await ledgerTrust(store, await store.list(), {});
    const ref = { index: 0, name: 'message.sigstore.json', uri: 'message.sigstore.json' };
    const error = failure(() => verifyRecordBytes(Buffer.from(JSON.stringify(bundle)), ref, trust));
    expect(error.problem).toBe('CORRUPT');
    expect(error.message).toBe('message.sigstore.json: holds a message signature, not a signed statement');
  });
});

describe('a record file replaced by a message signature', () => {
  it('is a CORRUPT record that verify reports (exit 1), not a verification that could not be made', async () => {
    const copy = await copyTempRepo(repo);
    try {
      const stored = await storedRecord(join(copy.dir, '.model-ledger'), 0);
      await writeFile(stored.path, JSON.stringify(await messageSignatureBundle()));
      const run = await runCli(['verify'], copy.dir, copy.env);
      expect(run.status).toBe(1);
      expect(`${run.stdout}\n${run.stderr}`).toMatch(
        /FAIL CORRUPT: record 0 \(000000-[0-9a-f]{12}\.sigstore\.json\).*holds a message signature, not a signed statement/,
      );
    } finally {
      await copy.cleanup();
    }
  });
});

describe('who a stored bundle claims signed it', () => {
  it('is the key hint of a key-signed bundle', () => {
    expect(claimedSigner(record.bytes, record.name)).toEqual({
      kind: 'key',
      keyHint: record.bundle.verificationMaterial.publicKey?.hint,
    });
  });

  it("is the certificate's identity and issuer, from a v0.3 certificate or a v0.1 chain", async () => {
    for (const file of ['sigstore-js-2.1.0-bundle.json', 'sigstore-js-2.1.0-bundle-v0.1.json']) {
      const claim = claimedSigner(await readFile(join(GH, file)), file);
      expect({ file, claim }).toEqual({
        file,
        claim: { kind: 'certificate', identity: WORKFLOW, issuer: ACTIONS_ISSUER },
      });
    }
  });

  it('is nothing for a file that is not a bundle, a chain without certificates or a certificate that does not parse', async () => {
    expect(readStoredBundle(Buffer.from('{"mediaType": 3}'), 'x.json')).toEqual({
      bundle: null,
      claim: null,
    });
    expect(claimedSigner(Buffer.from('not json'), 'x.json')).toBeNull();

    const v01 = JSON.parse(await readFile(join(GH, 'sigstore-js-2.1.0-bundle-v0.1.json'), 'utf8')) as {
      verificationMaterial: { x509CertificateChain: { certificates: { rawBytes: string }[] } };
    };
    const empty = structuredClone(v01);
    (empty.verificationMaterial.x509CertificateChain.certificates[0] as { rawBytes: string }).rawBytes = '';
    // A certificate without bytes is no bundle at all.
    expect(readStoredBundle(Buffer.from(JSON.stringify(empty)), 'x.json')).toEqual({
      bundle: null,
      claim: null,
    });

    const garbled = structuredClone(v01);
    (garbled.verificationMaterial.x509CertificateChain.certificates[0] as { rawBytes: string }).rawBytes =
      Buffer.from('not a certificate').toString('base64');
    const read = readStoredBundle(Buffer.from(JSON.stringify(garbled)), 'x.json');
    expect(read.bundle).not.toBeNull();
    expect(read.claim).toBeNull();
  });
});

describe('explaining what @sigstore/verify threw', () => {
  let dsseBundle: Bundle;
  let messageBundle: Bundle;
  beforeAll(async () => {
    dsseBundle = bundleFromJSON(record.bundle);
    messageBundle = bundleFromJSON(
      JSON.parse(await readFile(join(CONFORMANCE, 'happy-path-v0.2/bundle.sigstore.json'), 'utf8')),
    );
    expect(messageBundle.content.$case).toBe('messageSignature');
  });

  const explain = (error: unknown, bundle = dsseBundle): LedgerError =>
    explainFailure(error, bundle, 'b.json');
  const failed = (code: string, message = 'it failed', cause?: unknown) =>
    new VerificationError({ code: code as never, message, cause });

  it('passes its own errors through', () => {
    const own = new LedgerError('VERIFY', 'cannot be carried out');
    expect(explain(own)).toBe(own);
  });

  it('gives each error code of @sigstore/verify its problem, naming the file and keeping the cause', () => {
    const cases: [string, string, RegExp][] = [
      [
        'TLOG_BODY_ERROR',
        'TLOG_MISMATCH',
        /^the transparency-log entry does not match this bundle \(it failed\): the bundle was changed after it was logged/,
      ],
      [
        'TLOG_INCLUSION_PROOF_ERROR',
        'UNTRUSTED',
        /^its transparency-log inclusion does not verify against the trusted root \(it failed\)$/,
      ],
      ['TLOG_INCLUSION_PROMISE_ERROR', 'UNTRUSTED', /^its transparency-log inclusion does not verify/],
      ['TLOG_MISSING_INCLUSION_ERROR', 'UNTRUSTED', /^its transparency-log inclusion does not verify/],
      [
        'TLOG_ERROR',
        'UNTRUSTED',
        /^has no transparency-log entry, but the trusted root's Sigstore instance logs every signature \(it failed\)$/,
      ],
      [
        'CERTIFICATE_ERROR',
        'UNTRUSTED',
        /^the signing certificate is not trusted \(it failed\): issued by another Sigstore instance/,
      ],
      ['TIMESTAMP_ERROR', 'UNTRUSTED', /^no trusted timestamp proves when it was signed \(it failed\)$/],
      ['PUBLIC_KEY_ERROR', 'UNKNOWN_SIGNER', /^the signing key is not trusted \(it failed\)$/],
      ['NOT_A_CODE_WE_KNOW', 'UNTRUSTED', /^it failed$/],
    ];
    for (const [code, problem, message] of cases) {
      const error = failed(code);
      const explained = explain(error) as VerificationFailure;
      expect({ code, problem: explained.problem, file: explained.file }).toEqual({
        code,
        problem,
        file: 'b.json',
      });
      expect(explained.message.replace(/^b\.json: /, '')).toMatch(message);
      expect(explained.cause).toBe(error);
    }
  });

  it('says whether the statement or the artifact was changed, by what the bundle signs', () => {
    const statement = explain(failed('SIGNATURE_ERROR')) as VerificationFailure;
    expect(statement.problem).toBe('BAD_SIGNATURE');
    expect(statement.message).toBe(
      'b.json: signature does not verify: the statement or the signature was changed after signing',
    );
    const artifact = explain(failed('SIGNATURE_ERROR'), messageBundle) as VerificationFailure;
    expect(artifact.message).toBe(
      'b.json: signature does not verify over the artifact: the artifact or the signature was changed after signing',
    );
  });

  it("names an SCT problem as the certificate's transparency proof", () => {
    const sct = explain(failed('CERTIFICATE_ERROR', 'SCT verification failed')) as VerificationFailure;
    expect(sct.message).toBe(
      "b.json: the signing certificate's transparency proof (SCT) does not verify against the trusted root's CT logs (SCT verification failed)",
    );
    const notSct = explain(failed('CERTIFICATE_ERROR', 'DESCRIPTION of the chain')) as VerificationFailure;
    expect(notSct.message).toContain('the signing certificate is not trusted');
  });

  it('calls a policy error an identity mismatch, and anything else a malformed bundle, with every cause in the detail', () => {
    const policy = explain(
      new PolicyError({ code: 'UNTRUSTED_SIGNER_ERROR', message: 'wrong identity' }),
    ) as VerificationFailure;
    expect(policy.problem).toBe('IDENTITY_MISMATCH');
    expect(policy.message).toBe('b.json: wrong identity');

    const deep = new TypeError('cannot read properties of undefined', {
      cause: new Error('inner', { cause: 'root cause' }),
    });
    const malformed = explain(deep) as VerificationFailure;
    expect(malformed.problem).toBe('CORRUPT');
    expect(malformed.message).toBe(
      'b.json: is malformed: verification stopped at an unexpected value (cannot read properties of undefined: inner: root cause)',
    );
    const chained = explain(failed('TIMESTAMP_ERROR', 'outer', new Error('why'))) as VerificationFailure;
    expect(chained.message).toBe('b.json: no trusted timestamp proves when it was signed (outer: why)');
  });

  it('has a code for every problem, each a VerificationFailure that says which', () => {
    expect(new Set(PROBLEM_CODES).size).toBe(PROBLEM_CODES.length);
    const error = new VerificationFailure('GAP', 'record 2 is missing', { file: 'ledger' });
    expect({ name: error.name, problem: error.problem, code: error.code, message: error.message }).toEqual({
      name: 'VerificationFailure',
      problem: 'GAP',
      code: 'VERIFICATION_FAILED',
      message: 'ledger: record 2 is missing',
    });
    expect(new VerificationFailure('GAP', 'x').file).toBeUndefined();
  });
});
