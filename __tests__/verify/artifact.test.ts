/**
 * Matching an artifact with what a bundle signs (artifact.ts): statements whose subjects are
 * malformed or unnamed, a payload that is not in-toto, message digests of unsupported algorithms,
 * a file that cannot be hashed, and keys that cannot verify a signature from a digest alone.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, createSecretKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { bundleToJSON, toMessageSignatureBundle } from '@sigstore/bundle';
import { HashAlgorithm } from '@sigstore/protobuf-specs';

import { LedgerError } from '../../src/errors.js';
import { keyHint } from '../../src/sign/keys.js';
import {
  hashFileWith,
  matchStatementSubject,
  messageDigestAlgorithm,
  statementSubjects,
  subjectAlgorithms,
  verifyPrehashed,
  type Artifact,
} from '../../src/verify/artifact.js';
import { verifyBundle } from '../../src/verify/bundle.js';
import { parseBundle } from '../../src/verify/bundle-parse.js';
import { VerificationFailure, type ProblemCode } from '../../src/verify/problems.js';
import { thrownBy } from '../support/refusal.js';

const IN_TOTO = 'application/vnd.in-toto+json';
const ARTIFACT = Buffer.from('model weights v1');
const SHA256 = createHash('sha256').update(ARTIFACT).digest('hex');

function expectFailure(action: () => unknown, problem: ProblemCode, message: string | RegExp): void {
  const error = thrownBy(action);
  expect(error).toBeInstanceOf(VerificationFailure);
  expect((error as VerificationFailure).problem).toBe(problem);
  expect((error as VerificationFailure).message).toMatch(message);
}

function statement(subject: unknown): Buffer {
  return Buffer.from(JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject }));
}

const bytes: Artifact = { kind: 'bytes', bytes: ARTIFACT };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'model-ledger-artifact-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('statement subjects read without trusting them', () => {
  it('finds none in a statement whose subject is not a list', () => {
    expect(statementSubjects(Buffer.from('{"subject":{"name":"a"}}'), IN_TOTO)).toBeNull();
    expectFailure(
      () => matchStatementSubject(Buffer.from('{"subject":"model.bin"}'), IN_TOTO, bytes, 'b.json'),
      'SUBJECT_MISMATCH',
      'b.json: the signed in-toto statement names no subjects to match the artifact against',
    );
  });

  it('skips subjects that are null or have no digest object, and reads a missing name as empty', () => {
    const subjects = statementSubjects(
      statement([null, { name: 'a', digest: null }, { name: 7, digest: { sha256: SHA256, size: 3 } }]),
      IN_TOTO,
    );
    expect(subjects).toEqual([{ name: '', digest: { sha256: SHA256 } }]);
    // The unnamed subject is the one the artifact matches.
    expect(
      matchStatementSubject(statement([null, { digest: { sha256: SHA256 } }]), IN_TOTO, bytes, 'b.json'),
    ).toEqual({ name: '', digest: { sha256: SHA256 } });
  });

  it('says an untyped payload is no in-toto statement', () => {
    expectFailure(
      () =>
        matchStatementSubject(statement([{ name: 'a', digest: { sha256: SHA256 } }]), '', bytes, 'b.json'),
      'SUBJECT_MISMATCH',
      'b.json: the signed payload is untyped, not an in-toto statement: it names no subject to match the artifact against',
    );
  });

  it('names unnamed subjects, and those without the digest compared, when the artifact is none of them', () => {
    const other = 'ab'.repeat(32);
    const sha512 = 'cd'.repeat(64);
    expectFailure(
      () =>
        matchStatementSubject(
          statement([{ digest: { sha256: other } }, { name: 'weights.bin', digest: { sha512 } }]),
          IN_TOTO,
          bytes,
          'b.json',
        ),
      'SUBJECT_MISMATCH',
      `b.json: the artifact (sha256:${SHA256.slice(0, 12)}…) is not a subject of the signed statement ((unnamed) sha256:${other.slice(0, 12)}…, weights.bin sha256:-…)`,
    );
  });
});

describe('the digest algorithms a bundle needs', () => {
  it('are none for a message signature, whose digest the bundle names itself', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const bundle = toMessageSignatureBundle({
      digest: createHash('sha256').update(ARTIFACT).digest(),
      signature: sign('sha256', ARTIFACT, privateKey),
      keyHint: 'hint',
      certificateChain: false,
    });
    expect(subjectAlgorithms(parseBundle(bundleToJSON(bundle), 'm.json'))).toEqual([]);
  });

  it('refuses a message digest algorithm it does not support, by name or by number', () => {
    const error = thrownBy(() => messageDigestAlgorithm(HashAlgorithm.SHA3_256, 'm.json'));
    expect(error).toMatchObject({
      problem: 'CORRUPT',
      message: 'm.json: uses message digest algorithm SHA3_256, which is not supported',
    });
    expectFailure(
      () => messageDigestAlgorithm(42 as HashAlgorithm, 'm.json'),
      'CORRUPT',
      'm.json: uses message digest algorithm 42, which is not supported',
    );
  });

  it('refuses a SHA3 message signature before checking its signature', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const json = bundleToJSON(
      toMessageSignatureBundle({
        digest: createHash('sha3-256').update(ARTIFACT).digest(),
        signature: sign('sha256', ARTIFACT, privateKey),
        keyHint: keyHint(publicKey),
        certificateChain: false,
      }),
    );
    (json.messageSignature as { messageDigest: { algorithm: string } }).messageDigest.algorithm = 'SHA3_256';
    expectFailure(
      () => verifyBundle(json, { key: publicKey }, 'm.json', bytes),
      'CORRUPT',
      'm.json: uses message digest algorithm SHA3_256, which is not supported',
    );
  });
});

describe('hashing an artifact file', () => {
  it('says a directory is not a readable file, and a missing path to check the path', async () => {
    const error = await hashFileWith(dir, ['sha256'], 'weights/').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LedgerError);
    expect(error).toMatchObject({
      code: 'BAD_INPUT',
      file: 'weights/',
      fix: 'the artifact must be a readable file',
    });
    await expect(hashFileWith(join(dir, 'absent.bin'), ['sha256'])).rejects.toMatchObject({
      code: 'BAD_INPUT',
      fix: 'check the path',
    });
  });
});

describe('verifying a signature from a digest alone', () => {
  const digest = createHash('sha256').update(ARTIFACT).digest();

  it('refuses a key that is not an asymmetric key', () => {
    const error = thrownBy(() =>
      verifyPrehashed(createSecretKey(randomBytes(32)), 'sha256', digest, Buffer.alloc(64)),
    );
    expect(error).toBeInstanceOf(LedgerError);
    expect(error).toMatchObject({
      code: 'VERIFY',
      message:
        "unknown signatures cannot be verified from the artifact's digest alone — pass the artifact file instead of its digest",
    });
  });

  it('refuses an ECDSA key on a curve Sigstore does not use, naming the curve', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
    const signature = sign('sha256', ARTIFACT, privateKey);
    const error = thrownBy(() => verifyPrehashed(publicKey, 'sha256', digest, signature));
    expect(error).toBeInstanceOf(LedgerError);
    expect(error).toMatchObject({
      code: 'VERIFY',
      message:
        'an ECDSA signature on curve secp256k1 cannot be verified from a digest alone — pass the artifact file instead of its digest',
    });
  });
});
