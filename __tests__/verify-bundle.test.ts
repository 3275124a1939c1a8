import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { LedgerError } from '../src/errors.js';
import { KeySigner } from '../src/sign/key-signer.js';
import { keyHint } from '../src/sign/keys.js';
import { loadTrustedRootFile, parseTrustedRoot, tufCacheDir } from '../src/sign/trusted-root.js';
import {
  hashFileWith,
  matchMessageDigest,
  matchStatementSubject,
  parseArtifactArgument,
  verifyPrehashed,
  type Artifact,
} from '../src/verify/artifact.js';
import { keyRing } from '../src/sign/keys.js';
import { verifyBundle, verifyKeySignedBundle } from '../src/verify/bundle.js';
import { parseBundle } from '../src/verify/bundle-parse.js';
import {
  GITHUB_ACTIONS_ISSUER,
  checkIdentity,
  resolvePolicy,
  type IdentityPolicy,
  type SignedByCertificate,
} from '../src/verify/identity.js';
import { VerificationFailure, type ProblemCode } from '../src/verify/problems.js';
import { runCli } from './support/cli.js';

/** Runs `action`, which must throw a VerificationFailure with `problem` and a message matching `message`. */
function expectFailure(action: () => unknown, problem: ProblemCode, message: RegExp): void {
  let thrown: unknown;
  try {
    action();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(VerificationFailure);
  expect((thrown as VerificationFailure).problem).toBe(problem);
  expect((thrown as VerificationFailure).message).toMatch(message);
}

function expectLedgerError(action: () => unknown, code: LedgerError['code'], message: RegExp): void {
  let thrown: unknown;
  try {
    action();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(LedgerError);
  expect(thrown).not.toBeInstanceOf(VerificationFailure);
  expect((thrown as LedgerError).code).toBe(code);
  expect((thrown as LedgerError).message).toMatch(message);
}

const RELEASE = 'https://github.com/acme/models/.github/workflows/release.yml@refs/heads/main';

function signer(overrides: Partial<SignedByCertificate> = {}): SignedByCertificate {
  return {
    kind: 'certificate',
    identity: RELEASE,
    issuer: GITHUB_ACTIONS_ISSUER,
    extensions: { buildSignerURI: RELEASE, sourceRepositoryURI: 'https://github.com/acme/models' },
    keyHint: 'ab'.repeat(32),
    ...overrides,
  };
}

function check(policy: IdentityPolicy, who: SignedByCertificate = signer()): void {
  checkIdentity(who, resolvePolicy(policy), 'b.json');
}

describe('identity policy', () => {
  it('refuses incomplete or contradictory policies as usage errors', () => {
    expectLedgerError(
      () => resolvePolicy({ issuer: GITHUB_ACTIONS_ISSUER }),
      'USAGE',
      /no identity was given to check it against: any signer would pass/,
    );
    expectLedgerError(
      () => resolvePolicy({ identity: RELEASE }),
      'USAGE',
      /a certificate identity needs its OIDC issuer/,
    );
    expectLedgerError(
      () => resolvePolicy({ identity: RELEASE, identityRegexp: '.*', issuer: GITHUB_ACTIONS_ISSUER }),
      'USAGE',
      /--certificate-identity and --certificate-identity-regexp exclude each other/,
    );
    expectLedgerError(
      () => resolvePolicy({ identityRegexp: '(', issuer: GITHUB_ACTIONS_ISSUER }),
      'USAGE',
      /is not a regular expression/,
    );
    expectLedgerError(
      () => resolvePolicy({ signerRepo: 'acme' }),
      'USAGE',
      /--signer-repo "acme" is not OWNER\/REPO/,
    );
    expectLedgerError(
      () => resolvePolicy({ signerWorkflow: 'acme/models' }),
      'USAGE',
      /is not \[HOST\/\]OWNER\/REPO\/PATH/,
    );
  });

  it('takes GitHub Actions as the issuer for --signer-repo and --signer-workflow, as gh attestation verify does', () => {
    expect(resolvePolicy({ signerRepo: 'acme/models' }).issuer).toBe(GITHUB_ACTIONS_ISSUER);
    expect(
      resolvePolicy({
        signerWorkflow: 'acme/models/.github/workflows/release.yml',
        issuer: 'https://ghes.example/token',
      }).issuer,
    ).toBe('https://ghes.example/token');
  });

  it('matches an exact identity and names signer and expectation when it differs', () => {
    check({ identity: RELEASE, issuer: GITHUB_ACTIONS_ISSUER });
    const dev = 'https://github.com/x/y/.github/workflows/z.yml@refs/heads/dev';
    expectFailure(
      () => check({ identity: RELEASE, issuer: GITHUB_ACTIONS_ISSUER }, signer({ identity: dev })),
      'IDENTITY_MISMATCH',
      new RegExp(
        `^b\\.json: signed by ${dev.replace(/[.?]/g, '\\$&')}, expected ${RELEASE.replace(/[.?]/g, '\\$&')}$`,
      ),
    );
  });

  it('matches a regexp unanchored, as cosign does, so ^…$ pins the whole identity', () => {
    check({ identityRegexp: 'acme/models', issuer: GITHUB_ACTIONS_ISSUER });
    check({
      identityRegexp: '^https://github\\.com/acme/models/\\.github/workflows/release\\.yml@refs/heads/main$',
      issuer: GITHUB_ACTIONS_ISSUER,
    });
    expectFailure(
      () =>
        check({
          identityRegexp: '^https://github\\.com/acme/models/.*@refs/tags/',
          issuer: GITHUB_ACTIONS_ISSUER,
        }),
      'IDENTITY_MISMATCH',
      /signed by https:\/\/github\.com\/acme\/models\/\.github\/workflows\/release\.yml@refs\/heads\/main, which does not match \^https/,
    );
  });

  it('compares the issuer exactly', () => {
    expectFailure(
      () => check({ identity: RELEASE, issuer: 'https://token.actions.githubusercontent.com/' }),
      'IDENTITY_MISMATCH',
      /with OIDC issuer https:\/\/token\.actions\.githubusercontent\.com, expected issuer https:\/\/token\.actions\.githubusercontent\.com\/$/,
    );
  });

  it('checks --signer-repo against the signing workflow, case-insensitively, and not a name that merely starts alike', () => {
    check({ signerRepo: 'acme/models' });
    check({ signerRepo: 'ACME/Models' });
    expectFailure(
      () => check({ signerRepo: 'acme/model' }),
      'IDENTITY_MISMATCH',
      /expected a workflow in repository acme\/model$/,
    );
    expectFailure(
      () => check({ signerRepo: 'other/models' }),
      'IDENTITY_MISMATCH',
      /signed by https:\/\/github\.com\/acme\/models\/.*, expected a workflow in repository other\/models/,
    );
  });

  it('uses the Build Signer URI (the called workflow) over the SAN, as gh does for reusable workflows', () => {
    const called = 'https://github.com/org/shared/.github/workflows/attest.yml@refs/tags/v1';
    const reusable = signer({
      identity: called,
      extensions: { buildSignerURI: called, sourceRepositoryURI: 'https://github.com/acme/models' },
    });
    check({ signerRepo: 'org/shared' }, reusable);
    expectFailure(
      () => check({ signerRepo: 'acme/models' }, reusable),
      'IDENTITY_MISMATCH',
      /expected a workflow in repository acme\/models/,
    );
    // Certificates from before the extension existed: the SAN.
    check({ signerRepo: 'acme/models' }, signer({ extensions: {} }));
  });

  it('checks --signer-workflow at any ref, with or without a host, and only that file', () => {
    check({ signerWorkflow: 'acme/models/.github/workflows/release.yml' });
    check({ signerWorkflow: 'github.com/acme/models/.github/workflows/release.yml' });
    expectFailure(
      () => check({ signerWorkflow: 'acme/models/.github/workflows/release.y' }),
      'IDENTITY_MISMATCH',
      /expected workflow https:\/\/github\.com\/acme\/models\/\.github\/workflows\/release\.y@…$/,
    );
    expectFailure(
      () => check({ signerWorkflow: 'ghes.example.com/acme/models/.github/workflows/release.yml' }),
      'IDENTITY_MISMATCH',
      /expected workflow https:\/\/ghes\.example\.com\//,
    );
  });
});

describe('artifact matching', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'model-ledger-artifact-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const model = Buffer.from('model weights');
  const sha256 = createHash('sha256').update(model).digest('hex');
  const sha512 = createHash('sha512').update(model).digest('hex');
  const statement = (subjects: unknown[]): Buffer =>
    Buffer.from(
      JSON.stringify({
        _type: 'https://in-toto.io/Statement/v1',
        subject: subjects,
        predicateType: 'x',
        predicate: {},
      }),
    );
  const inToto = 'application/vnd.in-toto+json';

  it('reads FILE_OR_DIGEST as the conformance protocol says', async () => {
    const hex = 'A'.repeat(64);
    expect(parseArtifactArgument(`sha256:${hex}`, join(dir, `sha256:${hex}`))).toEqual({
      digest: 'a'.repeat(64),
    });
    expect(parseArtifactArgument('sha256:abc', join(dir, 'sha256:abc'))).toEqual({
      path: join(dir, 'sha256:abc'),
    });
    expect(parseArtifactArgument(`sha512:${'a'.repeat(64)}`, join(dir, 'x'))).toEqual({
      path: join(dir, 'x'),
    });
    // A file that happens to be named like a digest is a file.
    await writeFile(join(dir, `sha256:${hex}`), 'x');
    expect(parseArtifactArgument(`sha256:${hex}`, join(dir, `sha256:${hex}`))).toEqual({
      path: join(dir, `sha256:${hex}`),
    });
  });

  it('hashes a file with the algorithms asked for, and names an unreadable one', async () => {
    await writeFile(join(dir, 'model.bin'), model);
    expect(await hashFileWith(join(dir, 'model.bin'), ['sha256', 'sha512'])).toEqual({ sha256, sha512 });
    await expect(hashFileWith(join(dir, 'absent.bin'), ['sha256'], 'absent.bin')).rejects.toThrow(
      /^absent\.bin: cannot read the artifact .* — check the path$/,
    );
  });

  it('finds the artifact among the statement subjects by sha256 or sha512, whichever the subject uses', () => {
    const subjects = [
      { name: 'other.bin', digest: { sha256: 'f'.repeat(64) } },
      { name: 'model.bin', digest: { sha512: sha512.toUpperCase() } },
    ];
    const bytes: Artifact = { kind: 'bytes', bytes: model };
    expect(matchStatementSubject(statement(subjects), inToto, bytes, 'b.json').name).toBe('model.bin');
    expect(
      matchStatementSubject(
        statement(subjects),
        inToto,
        { kind: 'digests', digests: { sha256, sha512 } },
        'b.json',
      ).name,
    ).toBe('model.bin');
    expect(
      matchStatementSubject(
        statement([{ name: 'm', digest: { sha256 } }]),
        inToto,
        { kind: 'digests', digests: { sha256 } },
        'b.json',
      ).name,
    ).toBe('m');
  });

  it('refuses an artifact that is no subject, naming both digests', () => {
    expectFailure(
      () =>
        matchStatementSubject(
          statement([{ name: 'model.bin', digest: { sha256: 'f'.repeat(64) } }]),
          inToto,
          { kind: 'bytes', bytes: model },
          'b.json',
        ),
      'SUBJECT_MISMATCH',
      new RegExp(
        `the artifact \\(sha256:${sha256.slice(0, 12)}…\\) is not a subject of the signed statement \\(model\\.bin sha256:ffffffffffff…\\)`,
      ),
    );
    expectFailure(
      () => matchStatementSubject(statement([]), inToto, { kind: 'bytes', bytes: model }, 'b.json'),
      'SUBJECT_MISMATCH',
      /names no subjects/,
    );
    expectFailure(
      () =>
        matchStatementSubject(Buffer.from('hello'), 'text/plain', { kind: 'bytes', bytes: model }, 'b.json'),
      'SUBJECT_MISMATCH',
      /the signed payload is text\/plain, not an in-toto statement/,
    );
  });

  it('cannot compare a sha256 digest with sha512-only subjects, and says to pass the file', () => {
    expectLedgerError(
      () =>
        matchStatementSubject(
          statement([{ name: 'm', digest: { sha512 } }]),
          inToto,
          { kind: 'digests', digests: { sha256 } },
          'b.json',
        ),
      'VERIFY',
      /subjects have sha512 digests, and only the artifact's sha256 is known — pass the artifact file/,
    );
  });

  it('checks a message signature digest against the artifact', () => {
    matchMessageDigest(Buffer.from(sha256, 'hex'), 'sha256', { kind: 'bytes', bytes: model }, 'b.json');
    matchMessageDigest(
      Buffer.from(sha256, 'hex'),
      'sha256',
      { kind: 'digests', digests: { sha256 } },
      'b.json',
    );
    expectFailure(
      () =>
        matchMessageDigest(
          Buffer.from(sha256, 'hex'),
          'sha256',
          { kind: 'bytes', bytes: Buffer.from('other') },
          'b.json',
        ),
      'SUBJECT_MISMATCH',
      new RegExp(`is not what the bundle signs \\(sha256:${sha256.slice(0, 12)}…\\)`),
    );
    expectLedgerError(
      () =>
        matchMessageDigest(
          Buffer.from(sha512, 'hex'),
          'sha512',
          { kind: 'digests', digests: { sha256 } },
          'b.json',
        ),
      'VERIFY',
      /signs a sha512 digest/,
    );
  });

  it.each([
    ['P-256', 'sha256'],
    ['P-384', 'sha384'],
    ['P-521', 'sha512'],
  ] as const)('verifies an ECDSA %s signature from the digest alone', (namedCurve, algorithm) => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve });
    const digest = createHash(algorithm).update(model).digest();
    for (let round = 0; round < 3; round++) {
      const signature = sign(algorithm, model, privateKey);
      expect(verifyPrehashed(publicKey, algorithm, digest, signature)).toBe(true);
      const other = Buffer.from(digest);
      other[0] = (other[0] ?? 0) ^ 1;
      expect(verifyPrehashed(publicKey, algorithm, other, signature)).toBe(false);
    }
    expect(verifyPrehashed(publicKey, algorithm, digest, Buffer.from('not DER'))).toBe(false);
    expect(
      verifyPrehashed(
        generateKeyPairSync('ec', { namedCurve }).publicKey,
        algorithm,
        digest,
        sign(algorithm, model, privateKey),
      ),
    ).toBe(false);
  });

  it('verifies an RSA PKCS#1 v1.5 signature from the digest alone, and refuses Ed25519', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const digest = createHash('sha256').update(model).digest();
    expect(verifyPrehashed(publicKey, 'sha256', digest, sign('sha256', model, privateKey))).toBe(true);
    expect(
      verifyPrehashed(
        publicKey,
        'sha256',
        createHash('sha256').update('x').digest(),
        sign('sha256', model, privateKey),
      ),
    ).toBe(false);
    expect(verifyPrehashed(publicKey, 'sha512', digest, sign('sha256', model, privateKey))).toBe(false);
    const ed = generateKeyPairSync('ed25519');
    expectLedgerError(
      () => verifyPrehashed(ed.publicKey, 'sha256', digest, sign(null, model, ed.privateKey)),
      'VERIFY',
      /cannot be verified from the artifact's digest alone/,
    );
  });
});

describe('trusted root', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'model-ledger-root-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const rawKey = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  const log = (validFor: Record<string, unknown> | undefined): Record<string, unknown> => ({
    baseUrl: 'https://rekor.example',
    hashAlgorithm: 'SHA2_256',
    publicKey: { rawBytes: rawKey, keyDetails: 'PKIX_ECDSA_P256_SHA_256', ...(validFor ? { validFor } : {}) },
    logId: { keyId: 'AAAA' },
  });
  const root = (tlogs: unknown[]): Record<string, unknown> => ({
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs,
    certificateAuthorities: [],
    ctlogs: [],
    timestampAuthorities: [],
  });

  it('parses a well-formed root; an open end is fine', () => {
    const loaded = parseTrustedRoot(root([log({ start: '2024-01-01T00:00:00Z', end: null })]), 'root.json');
    expect(loaded.root.tlogs).toHaveLength(1);
    expect(loaded.material.tlogs[0]?.baseURL).toBe('https://rekor.example');
  });

  it('refuses a key trusted without a start, and other malformed roots, naming file and field', () => {
    expectLedgerError(
      () =>
        parseTrustedRoot(
          root([log({ start: '2024-01-01T00:00:00Z' }), log({ end: '2030-01-01T00:00:00Z' })]),
          'root.json',
        ),
      'BAD_INPUT',
      /^root\.json: tlogs\[1\]\.publicKey\.validFor\.start: has no start/,
    );
    expectLedgerError(
      () => parseTrustedRoot(root([log(undefined)]), 'root.json'),
      'BAD_INPUT',
      /tlogs\[0\]\.publicKey\.validFor\.start: has no start/,
    );
    expectLedgerError(
      () => parseTrustedRoot({ ...root([]), mediaType: 'x' }, 'root.json'),
      'BAD_INPUT',
      /mediaType: is not a Sigstore trusted root/,
    );
    expectLedgerError(() => parseTrustedRoot([], 'root.json'), 'BAD_INPUT', /expected a JSON object/);
    expectLedgerError(
      () => parseTrustedRoot(root([log({ start: 'yesterday' })]), 'root.json'),
      'BAD_INPUT',
      /validFor\.start: is not a timestamp/,
    );
    expectLedgerError(
      () =>
        parseTrustedRoot(
          {
            ...root([]),
            certificateAuthorities: [
              { certChain: { certificates: [] }, validFor: { start: '2024-01-01T00:00:00Z' } },
            ],
          },
          'root.json',
        ),
      'BAD_INPUT',
      /certificateAuthorities\[0\]\.certChain\.certificates: has no certificates/,
    );
  });

  it('loads a root file, naming it when it is absent or not JSON', async () => {
    await writeFile(join(dir, 'ok.json'), JSON.stringify(root([log({ start: '2024-01-01T00:00:00Z' })])));
    expect((await loadTrustedRootFile(join(dir, 'ok.json'))).root.tlogs).toHaveLength(1);
    await expect(loadTrustedRootFile(join(dir, 'absent.json'))).rejects.toThrow(
      /absent\.json: cannot read the trusted root .* — check the --trusted-root path/,
    );
    await writeFile(join(dir, 'bad.json'), '{');
    await expect(loadTrustedRootFile(join(dir, 'bad.json'))).rejects.toThrow(/bad\.json: is not JSON/);
  });

  it('caches TUF metadata under the user cache directory', () => {
    expect(tufCacheDir({ XDG_CACHE_HOME: '/c', HOME: '/h' }, 'linux')).toBe(
      join('/c', 'model-ledger', 'tuf'),
    );
    expect(tufCacheDir({ HOME: '/h' }, 'linux')).toBe(join('/h', '.cache', 'model-ledger', 'tuf'));
    expect(tufCacheDir({ HOME: '/h' }, 'darwin')).toBe(
      join('/h', 'Library', 'Caches', 'model-ledger', 'tuf'),
    );
    expect(tufCacheDir({ LOCALAPPDATA: 'C:\\Users\\a\\AppData\\Local' }, 'win32')).toBe(
      join('C:\\Users\\a\\AppData\\Local', 'model-ledger', 'Cache', 'tuf'),
    );
  });
});

describe('bundles', () => {
  it('says plainly what is wrong with something that is not a bundle', () => {
    expectFailure(() => parseBundle('x', 'b.json'), 'CORRUPT', /expected a JSON object/);
    expectFailure(() => parseBundle({}, 'b.json'), 'CORRUPT', /it has no mediaType/);
    expectFailure(
      () => parseBundle({ mediaType: 'application/vnd.dev.sigstore.bundle.v0.4+json' }, 'b.json'),
      'CORRUPT',
      /^b\.json: mediaType: has media type "application\/vnd\.dev\.sigstore\.bundle\.v0\.4\+json", which is not a Sigstore bundle version this verifier knows/,
    );
    expectFailure(
      () =>
        parseBundle(
          {
            mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
            verificationMaterial: { publicKey: { hint: 'x' } },
          },
          'b.json',
        ),
      'CORRUPT',
      /not a valid Sigstore bundle: it holds no signature \(neither messageSignature nor dsseEnvelope\)/,
    );
  });

  describe('signed with a key', () => {
    let dir: string;
    let privateKey: KeyObject;
    let publicKey: KeyObject;
    let dsseBundle: Record<string, unknown>;
    let messageBundle: Record<string, unknown>;
    const model = Buffer.from('model weights');
    const sha256 = createHash('sha256').update(model).digest('hex');

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'model-ledger-keybundle-'));
      ({ privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' }));
      const statement = {
        _type: 'https://in-toto.io/Statement/v1',
        subject: [{ name: 'model.bin', digest: { sha256 } }],
        predicateType: 'x',
        predicate: {},
      };
      dsseBundle = {
        ...(await new KeySigner(privateKey).signStatement(Buffer.from(JSON.stringify(statement)))),
      };
      messageBundle = {
        mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
        verificationMaterial: { publicKey: { hint: 'some-hint' }, tlogEntries: [] },
        messageSignature: {
          messageDigest: { algorithm: 'SHA2_256', digest: Buffer.from(sha256, 'hex').toString('base64') },
          signature: sign('sha256', model, privateKey).toString('base64'),
        },
      };
      await writeFile(join(dir, 'model.bin'), model);
      await writeFile(join(dir, 'dsse.json'), JSON.stringify(dsseBundle));
      await writeFile(join(dir, 'message.json'), JSON.stringify(messageBundle));
      await writeFile(join(dir, 'pub.pem'), publicKey.export({ type: 'spki', format: 'pem' }));
      await writeFile(join(dir, 'broken.json'), '{"mediaType": ');
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('keeps the ledger check as it was: DSSE by a key of the ring', () => {
      const ring = keyRing([publicKey.export({ type: 'spki', format: 'pem' }).toString()]);
      const verified = verifyKeySignedBundle(dsseBundle, { keys: ring }, 'r.json');
      expect(verified.signer).toEqual({ kind: 'key', keyHint: keyHint(publicKey) });
      expect(JSON.parse(verified.payload.toString('utf8'))).toMatchObject({
        subject: [{ name: 'model.bin' }],
      });
      expectFailure(
        () => verifyKeySignedBundle(dsseBundle, { keys: new Map() }, 'r.json'),
        'UNKNOWN_SIGNER',
        /is signed by key [0-9a-f]{64}, which is not trusted/,
      );
      const tampered = structuredClone(dsseBundle) as { dsseEnvelope: { payload: string } };
      tampered.dsseEnvelope.payload = Buffer.from('{"_type":"forged"}').toString('base64');
      expectFailure(
        () => verifyKeySignedBundle(tampered, { keys: ring }, 'r.json'),
        'BAD_SIGNATURE',
        /the statement or the signature was changed after signing/,
      );
      expectFailure(
        () => verifyKeySignedBundle(messageBundle, { keys: ring }, 'r.json'),
        'CORRUPT',
        /holds a message signature, not a DSSE envelope/,
      );
    });

    it('verifies with one given key whatever the hint, and checks the artifact', () => {
      const dsse = verifyBundle(dsseBundle, { key: publicKey }, 'd.json', { kind: 'bytes', bytes: model });
      expect(dsse).toMatchObject({
        content: 'dsseEnvelope',
        subject: { name: 'model.bin' },
        signer: { kind: 'key' },
      });
      expectFailure(
        () =>
          verifyBundle(dsseBundle, { key: publicKey }, 'd.json', { kind: 'bytes', bytes: Buffer.from('x') }),
        'SUBJECT_MISMATCH',
        /not a subject/,
      );
      const message = verifyBundle(messageBundle, { key: publicKey }, 'm.json', {
        kind: 'bytes',
        bytes: model,
      });
      expect(message).toMatchObject({
        content: 'messageSignature',
        messageDigest: { algorithm: 'sha256', hex: sha256 },
      });
      // From the digest alone (conformance `sha256:<hex>`).
      verifyBundle(messageBundle, { key: publicKey }, 'm.json', { kind: 'digests', digests: { sha256 } });
      const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
      expectFailure(
        () => verifyBundle(messageBundle, { key: stranger }, 'm.json', { kind: 'bytes', bytes: model }),
        'BAD_SIGNATURE',
        /over the artifact/,
      );
      expectFailure(
        () =>
          verifyBundle(messageBundle, { key: stranger }, 'm.json', { kind: 'digests', digests: { sha256 } }),
        'BAD_SIGNATURE',
        /over the artifact/,
      );
    });

    it('says verification cannot be done (not that it failed) for an Ed25519 signature and a digest alone', () => {
      const ed = generateKeyPairSync('ed25519');
      const bundle = structuredClone(messageBundle) as { messageSignature: { signature: string } };
      bundle.messageSignature.signature = sign(null, model, ed.privateKey).toString('base64');
      verifyBundle(bundle, { key: ed.publicKey }, 'm.json', { kind: 'bytes', bytes: model });
      expectLedgerError(
        () => verifyBundle(bundle, { key: ed.publicKey }, 'm.json', { kind: 'digests', digests: { sha256 } }),
        'VERIFY',
        /ed25519 signatures cannot be verified from the artifact's digest alone — pass the artifact file/,
      );
    });

    it('refuses a key-signed bundle when a certificate identity was expected', () => {
      expectFailure(
        () =>
          verifyBundle(
            dsseBundle,
            { identity: { identity: RELEASE, issuer: GITHUB_ACTIONS_ISSUER }, trustedRoot: undefined },
            'd.json',
          ),
        'UNKNOWN_SIGNER',
        new RegExp(
          `is signed with a public key \\(hint [0-9a-f]{64}\\), not with a certificate for ${RELEASE.replace(/[.?]/g, '\\$&')}`,
        ),
      );
    });

    it('verify-bundle --key works offline, with the file or its digest', async () => {
      for (const [bundle, artifact] of [
        ['dsse.json', 'model.bin'],
        ['message.json', 'model.bin'],
        ['dsse.json', `sha256:${sha256}`],
        ['message.json', `sha256:${sha256}`],
      ] as const) {
        const run = await runCli(['verify-bundle', '--bundle', bundle, '--key', 'pub.pem', artifact], dir, {
          HOME: dir,
        });
        expect({ bundle, artifact, stderr: run.stderr, status: run.status }).toEqual({
          bundle,
          artifact,
          stderr: '',
          status: 0,
        });
        expect(run.stdout).toMatch(
          new RegExp(`^ok: ${bundle}: signed by key ${keyHint(publicKey).slice(0, 16)}…; artifact matches `),
        );
      }
    });

    it.each([
      [['--key', 'pub.pem', 'model.bin'], /--bundle FILE is required/],
      [['--bundle', 'dsse.json', '--key', 'pub.pem'], /the artifact to verify \(FILE_OR_DIGEST\) is missing/],
      [['--bundle', 'dsse.json', 'model.bin'], /no identity was given/],
      [
        ['--bundle', 'dsse.json', '--key', 'pub.pem', '--certificate-identity', RELEASE, 'model.bin'],
        /--key and the certificate identity options exclude each other/,
      ],
      [['--bundle', 'dsse.json', '--certificate-identity', RELEASE, 'model.bin'], /needs its OIDC issuer/],
      [['--bundle', 'absent.json', '--key', 'pub.pem', 'model.bin'], /absent\.json: cannot read the bundle/],
      [
        ['--bundle', 'dsse.json', '--key', 'absent.pem', 'model.bin'],
        /absent\.pem: cannot read the public key/,
      ],
      [['--bundle', 'dsse.json', '--key', 'pub.pem', 'absent.bin'], /absent\.bin: cannot read the artifact/],
      [
        ['--bundle', 'dsse.json', '--key', 'pub.pem', '--trusted-root', 'absent.json', 'model.bin'],
        /absent\.json: cannot read the trusted root/,
      ],
      [['--bundle', 'dsse.json', '--key', 'pub.pem', '--bogus', 'model.bin'], /Unknown option '--bogus'/],
    ])('exits 2 with one line for bad usage or unreadable input: %j', async (args, message) => {
      const run = await runCli(['verify-bundle', ...args], dir, { HOME: dir });
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr.split('\n')).toHaveLength(1);
    });

    it('exits 1 for a bundle file that is not a bundle, and for a wrong artifact', async () => {
      const broken = await runCli(
        ['verify-bundle', '--bundle', 'broken.json', '--key', 'pub.pem', 'model.bin'],
        dir,
        { HOME: dir },
      );
      expect(broken.status).toBe(1);
      expect(broken.stderr).toMatch(
        /^model-ledger verify-bundle: broken\.json: is not a Sigstore bundle: not valid JSON/,
      );
      await writeFile(join(dir, 'other.bin'), 'other');
      const wrong = await runCli(
        ['verify-bundle', '--bundle', 'message.json', '--key', 'pub.pem', '--json', 'other.bin'],
        dir,
        { HOME: dir },
      );
      expect(wrong.status).toBe(1);
      expect(JSON.parse(wrong.stdout)).toMatchObject({ ok: false, problem: 'SUBJECT_MISMATCH' });
      expect(await readFile(join(dir, 'model.bin'))).toEqual(model);
    });

    it('prints --help and is listed in the command list', async () => {
      const help = await runCli(['verify-bundle', '--help'], dir, { HOME: dir });
      expect(help.status).toBe(0);
      expect(help.stdout).toMatch(/^Usage: model-ledger verify-bundle --bundle FILE/);
      expect((await runCli(['--help'], dir, { HOME: dir })).stdout).toMatch(
        /verify-bundle +verify one Sigstore bundle/,
      );
    });
  });
});
