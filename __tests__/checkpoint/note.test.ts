import { describe, expect, it } from '@jest/globals';
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  type KeyObject,
} from 'node:crypto';

import { LedgerError } from '../../src/errors.js';
import { leafHash, merkleRoot, verifyInclusion } from '../../src/checkpoint/merkle.js';
import {
  MAX_SIGNATURES,
  addCosignature,
  addSignature,
  cosign,
  cosignatureKeyId,
  formatCheckpointBody,
  noteKeyId,
  noteSignatureLine,
  openCheckpoint,
  parseCheckpoint,
  parseCheckpointBody,
  parseNote,
  parseVerifierKey,
  signNote,
  verifierKey,
  verifyNote,
  type NoteSignature,
} from '../../src/checkpoint/note.js';

// golang.org/x/mod sumdb/note/note_test.go (TestSign, TestOpen): the PeterNeumann and EnochRoot
// keys, their vkeys, the note text and the expected Ed25519 signatures.
const PETER_SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const PETER_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const ENOCH_VKEY = 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop';
const GO_TEXT =
  'If you think cryptography is the answer to your problem,\n' +
  "then you don't know what your problem is.\n";
const PETER_SIG =
  '— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';
const ENOCH_SIG =
  '— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n';

// c2sp.org/signed-note "Example": a verifier key and the note it verifies.
const SPEC_VKEY = 'example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k';
const SPEC_NOTE =
  'This is an example message.\n\n' +
  '— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n';

/** An Ed25519 private key from a Go sumdb skey (type byte 0x01, 32-byte seed), as PKCS#8 DER. */
function skeyPrivate(skey: string): { name: string; privateKey: KeyObject } {
  const parts = skey.split('+');
  const seed = Buffer.from(parts.slice(4).join('+'), 'base64').subarray(1); // base64 may hold '+'
  const pkcs8Prefix = Buffer.from('302e020100300506032b657004220420', 'hex');
  const privateKey = createPrivateKey({
    key: Buffer.concat([pkcs8Prefix, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  return { name: parts[2] as string, privateKey };
}

const peter = skeyPrivate(PETER_SKEY);
const peterVerifier = parseVerifierKey(PETER_VKEY);
const enochVerifier = parseVerifierKey(ENOCH_VKEY);

function ecdsaKey(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' });
}

function ed25519Key(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('ed25519');
}

const ORIGIN = 'github.com/acme/model/ledger';

/** The LedgerError a call throws; fails the test when it returns or throws something else. */
function caught(call: () => unknown): LedgerError {
  try {
    call();
  } catch (error) {
    if (error instanceof LedgerError) return error;
    throw error;
  }
  throw new Error('expected a LedgerError, but the call returned');
}
const ROOT = merkleRoot(['a', 'b', 'c'].map((text) => leafHash(Buffer.from(text))));

describe('published signed-note vectors', () => {
  it('signs the Go sumdb/note text exactly as TestSign expects', () => {
    expect(noteKeyId(peter.name, peter.privateKey)).toBe(0xc74f20a3);
    expect(signNote(GO_TEXT, peter)).toBe(`${GO_TEXT}\n${PETER_SIG}`);
    expect(verifierKey(peter.name, peter.privateKey)).toBe(PETER_VKEY);
    expect(verifierKey(enochVerifier.name, enochVerifier.publicKey)).toBe(ENOCH_VKEY);
  });

  it('opens the TestOpen notes: one, both or none of the keys known', () => {
    const note = `${GO_TEXT}\n${PETER_SIG}${ENOCH_SIG}`;
    expect(verifyNote(note, [peterVerifier])).toEqual({
      verified: ['PeterNeumann'],
      unknown: 1,
      verifiedSignatures: [{ name: 'PeterNeumann', keyId: 0xc74f20a3, type: 'ed25519' }],
    });
    expect(verifyNote(note, [peterVerifier, enochVerifier]).verified).toEqual(['PeterNeumann', 'EnochRoot']);
    expect(verifyNote(note, [])).toEqual({ verified: [], unknown: 2, verifiedSignatures: [] });
    expect(parseNote(note).text).toBe(GO_TEXT);
  });

  it('rejects the TestOpen corrupted signature and malformed notes', () => {
    const corrupt = `${GO_TEXT}\n${PETER_SIG.slice(0, 60)}ABCD${PETER_SIG.slice(60)}`;
    expect(() => verifyNote(corrupt, [peterVerifier])).toThrow(
      /the signature by PeterNeumann\+c74f20a3 does not verify/,
    );
    const malformed = [
      GO_TEXT,
      `${GO_TEXT}\n`,
      `${GO_TEXT}\n${PETER_SIG.slice(0, -1)}`,
      `\x01${GO_TEXT}\n${PETER_SIG}`,
      `${GO_TEXT}\n— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`,
      `${GO_TEXT}\n${PETER_SIG}Unexpected line.\n`,
    ];
    for (const note of malformed) {
      expect(() => verifyNote(note, [peterVerifier])).toThrow(LedgerError);
    }
    expect(() =>
      parseNote(Buffer.concat([Buffer.from([0xff]), Buffer.from(`${GO_TEXT}\n${PETER_SIG}`)])),
    ).toThrow(/not valid UTF-8/);
  });

  it('counts duplicated signatures once, as TestOpen does', () => {
    const note = `${GO_TEXT}\n${PETER_SIG}${PETER_SIG}${ENOCH_SIG}${ENOCH_SIG}`;
    expect(verifyNote(note, [peterVerifier])).toEqual({
      verified: ['PeterNeumann'],
      unknown: 1,
      verifiedSignatures: [{ name: 'PeterNeumann', keyId: 0xc74f20a3, type: 'ed25519' }],
    });
  });

  it('refuses more than 100 signature lines, as TestOpen does', () => {
    const note = `${GO_TEXT}\n${PETER_SIG.repeat(MAX_SIGNATURES + 1)}`;
    expect(() => verifyNote(note, [peterVerifier])).toThrow(/101 signature lines; at most 100/);
    expect(verifyNote(`${GO_TEXT}\n${PETER_SIG.repeat(MAX_SIGNATURES)}`, [peterVerifier]).verified).toEqual([
      'PeterNeumann',
    ]);
  });

  it('verifies the c2sp.org/signed-note example with its verifier key', () => {
    const key = parseVerifierKey(SPEC_VKEY);
    expect(noteKeyId(key.name, key.publicKey)).toBe(0x530d903a);
    expect(verifyNote(SPEC_NOTE, [key]).verified).toEqual(['example.com/foo']);
    expect(() => verifyNote(SPEC_NOTE.replace('example message', 'example massage'), [key])).toThrow(
      LedgerError,
    );
  });
});

describe('checkpoints', () => {
  it('formats and parses the checkpoint text', () => {
    const body = formatCheckpointBody({ origin: ORIGIN, size: 3, rootHash: ROOT });
    expect(body).toBe(`${ORIGIN}\n3\n${ROOT.toString('base64')}\n`);
    const key = ecdsaKey();
    const note = signNote(body, { name: ORIGIN, privateKey: key.privateKey });
    const parsed = parseCheckpoint(note);
    expect(parsed).toMatchObject({ origin: ORIGIN, size: 3, rootHash: ROOT, extensions: [], body });
    expect(parsed.signatures).toHaveLength(1);
    expect(parsed.signatures[0]?.keyId).toBe(noteKeyId(ORIGIN, key.publicKey));
  });

  it('round-trips with ECDSA P-256 and Ed25519 keys, and a tampered size, root or signature fails', () => {
    for (const key of [ecdsaKey(), ed25519Key()]) {
      const body = formatCheckpointBody({ origin: ORIGIN, size: 3, rootHash: ROOT });
      const note = signNote(body, { name: ORIGIN, privateKey: key.privateKey });
      const verifier = { name: ORIGIN, publicKey: key.publicKey };
      expect(openCheckpoint(note, [verifier])).toMatchObject({ size: 3, verified: [ORIGIN] });
      const otherRoot = Buffer.from(ROOT).fill(1, 0, 1).toString('base64');
      for (const tampered of [
        note.replace('\n3\n', '\n4\n'),
        note.replace(ROOT.toString('base64'), otherRoot),
        note.replace(ORIGIN, `${ORIGIN}x`),
      ]) {
        expect(() => openCheckpoint(tampered, [verifier])).toThrow(/does not verify/);
      }
      const line = note.split('\n')[4] as string;
      const bytes = Buffer.from(line.split(' ')[2] as string, 'base64');
      bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 0x01;
      const badSignature = note.replace(line, `— ${ORIGIN} ${bytes.toString('base64')}`);
      expect(caught(() => openCheckpoint(badSignature, [verifier])).code).toBe('VERIFICATION_FAILED');
    }
  });

  it('a wrong key is an unknown signer, and openCheckpoint refuses the note', () => {
    const body = formatCheckpointBody({ origin: ORIGIN, size: 3, rootHash: ROOT });
    const note = signNote(body, { name: ORIGIN, privateKey: ecdsaKey().privateKey });
    const other = { name: ORIGIN, publicKey: ecdsaKey().publicKey };
    expect(verifyNote(note, [other])).toMatchObject({ verified: [], unknown: 1 });
    expect(() => openCheckpoint(note, [other], 'ledger/checkpoint')).toThrow(
      /ledger\/checkpoint: no signature on the checkpoint is from a trusted key/,
    );
  });
});

describe('witness signatures', () => {
  it('adds a cosignature/v1 that verifies with the witness key and carries its time', () => {
    const log = ecdsaKey();
    const witness = ed25519Key();
    const body = formatCheckpointBody({ origin: ORIGIN, size: 3, rootHash: ROOT });
    const note = signNote(body, { name: ORIGIN, privateKey: log.privateKey });
    const time = new Date('2026-12-01T12:00:00Z');
    const cosigned = addCosignature(note, { name: 'audit.example/w1', privateKey: witness.privateKey }, time);
    const result = verifyNote(cosigned, [
      { name: ORIGIN, publicKey: log.publicKey },
      { name: 'audit.example/w1', publicKey: witness.publicKey },
    ]);
    expect(result.verified).toEqual([ORIGIN, 'audit.example/w1']);
    expect(result.verifiedSignatures[1]).toEqual({
      name: 'audit.example/w1',
      keyId: cosignatureKeyId('audit.example/w1', witness.publicKey),
      type: 'cosignature/v1',
      timestamp: time,
    });
    expect(cosign(body, { name: 'audit.example/w1', privateKey: witness.privateKey }, time)).toBe(
      `${body}\n${cosigned.split('\n').at(-2) as string}\n`,
    );
  });

  it('a cosignature fails on a changed checkpoint, a changed time or a truncated signature', () => {
    const witness = ed25519Key();
    const name = 'audit.example/w1';
    const verifier = { name, publicKey: witness.publicKey };
    const body = formatCheckpointBody({ origin: ORIGIN, size: 3, rootHash: ROOT });
    const note = cosign(body, { name, privateKey: witness.privateKey }, new Date('2026-12-01T12:00:00Z'));
    expect(verifyNote(note, [verifier]).verified).toEqual([name]);
    const line = parseNote(note).signatures[0] as NoteSignature;
    const bytes = Buffer.concat([Buffer.alloc(4), line.signature]);
    bytes.writeUInt32BE(line.keyId, 0);
    const relined = (changed: Buffer): string => `${body}\n— ${name} ${changed.toString('base64')}\n`;
    const later = Buffer.from(bytes);
    later.writeBigUInt64BE(later.readBigUInt64BE(4) + 1n, 4);
    const beyond = Buffer.from(bytes);
    beyond.writeBigUInt64BE(2n ** 63n, 4);
    for (const [tampered, message] of [
      [note.replace('\n3\n', '\n4\n'), /does not verify/],
      [relined(later), /does not verify/],
      [relined(bytes.subarray(0, -1)), /is not a cosignature\/v1/],
      [relined(beyond), /timestamp beyond 2\^63 - 1/],
    ] as const) {
      expect(caught(() => verifyNote(tampered, [verifier])).message).toMatch(message);
    }
    // A plain Ed25519 signature by the same key carries the other key ID: both verify, as two types.
    const both = addSignature(note, { name, privateKey: witness.privateKey });
    expect(verifyNote(both, [verifier]).verifiedSignatures.map((signature) => signature.type)).toEqual([
      'cosignature/v1',
      'ed25519',
    ]);
    expect(() => cosign(body, { name, privateKey: witness.privateKey }, new Date(-1000))).toThrow(
      /after 1970/,
    );
  });

  it('adding a signature by the same key again replaces it', () => {
    const key = ed25519Key();
    const body = formatCheckpointBody({ origin: ORIGIN, size: 3, rootHash: ROOT });
    const signer = { name: ORIGIN, privateKey: key.privateKey };
    const note = signNote(body, signer);
    expect(addSignature(note, signer)).toBe(note);
    const witness = { name: 'w', privateKey: ed25519Key().privateKey };
    const once = addCosignature(note, witness, new Date(1_000_000));
    const twice = addCosignature(once, witness, new Date(2_000_000));
    expect(parseNote(twice).signatures).toHaveLength(2);
  });
});

// A real Rekor checkpoint and inclusion proof: the v0.3 bundle sigstore-js-2.1.0-bundle.json from
// cli/cli pkg/cmd/attestation/test/data (tlogEntries[0].inclusionProof), and the rekor.sigstore.dev
// public key from the public-good trusted root (tlogs[0].publicKey.rawBytes, DER SPKI). Rekor signs
// checkpoints with ECDSA P-256, key ID = SHA-256(DER SPKI)[:4]: the note type 0x02 used here.
const REKOR_KEY_DER =
  'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE2G2Y+2tabdTV5BcGiBIx0a9fAFwrkBbmLSGtks4L3qX6yYY0zufBnhC8Ur/iy55GhWP/9A/bY2LhC30M9+RYtw==';
const REKOR_LOG_ID = 'wNI9atQGlz+VWfO6LRygH4QUfY/8W4RFwiT5i5WRgB0=';
const REKOR_CHECKPOINT =
  'rekor.sigstore.dev - 2605736670972794746\n29188099\nfbEijQTFeiQCldZqez/u/WcrNPk4nxXI5ihofHYjFUA=\n' +
  'Timestamp: 1693323623528968756\n\n' +
  '— rekor.sigstore.dev wNI9ajBEAiAK0YTbxRlhOZeeP+844Y+W7iz+hsFIF8x2NYsmuaxifAIgYUFSurlKwN7j5jCwpqSVrkbouQoYIYlyWU9Om16svmI=\n';
const REKOR_PROOF = {
  index: 29188096,
  size: 29188099,
  // SHA-256(0x00 || base64-decoded canonicalizedBody) of the same entry.
  leafHash: 'cbnBN04glTe6/ddbT1kdzuEPP2l/FQ18xdC3Je6mQek=',
  hashes: [
    'z7VKeAC2d2x18Vtxt7n40GS3gtc1xfRwjjxxzpy/Trw=',
    '/Kd8ZuCLZ7MukSwpjaSgxKFl5X2vdHWk6/qpNrkiUJo=',
    'vvkKs7IShUI15nVb9c5olPgBnL9r4uP7+d5KzV0hSjs=',
    'Fg4p0WJZw8Lghrpxkx1SXgzfroTeIIrEgEbfgr9IdXY=',
    'bH8NahqE+hQ58Qxhg0V5fYusFQ1xsaQ/rK6slWVRT5k=',
    'HplNgZ3/afEHq52zcfL2s1AKisOYDdMCWK1jOu1tGyw=',
    'uOPuC2YDmwZe989ZN3Lgh5CKMXh9HETrSNgf0jV0WkM=',
    'eVsvWKnEZ1+Xo3Ba15DfEiIhhmlrEaIeb+VfYmx8KhY=',
    'uLuBRins5nkqq2rqd17R27pQTUF+xetttC6MsmlUzd0=',
    'jRUq4D8O+FI47Wbw96s7yHCu4qzWUxpIVfxQEeprDmc=',
    'rXEsmEJN4PEoTU8US4qVtdIsGB1MCiRlGOepoiC99kM=',
  ],
};

describe('a real Rekor checkpoint (ECDSA, type 0x02)', () => {
  const rekor = {
    name: 'rekor.sigstore.dev',
    publicKey: createPublicKey({ key: Buffer.from(REKOR_KEY_DER, 'base64'), format: 'der', type: 'spki' }),
  };

  it('computes Rekor key ID from the DER public key, and verifies its checkpoint', () => {
    expect(noteKeyId(rekor.name, rekor.publicKey)).toBe(Buffer.from(REKOR_LOG_ID, 'base64').readUInt32BE(0));
    const checkpoint = openCheckpoint(REKOR_CHECKPOINT, [rekor]);
    expect(checkpoint).toMatchObject({
      origin: 'rekor.sigstore.dev - 2605736670972794746',
      size: 29188099,
      extensions: ['Timestamp: 1693323623528968756'],
      verified: ['rekor.sigstore.dev'],
      verifiedSignatures: [{ name: 'rekor.sigstore.dev', type: 'ecdsa' }],
    });
    expect(checkpoint.rootHash.toString('base64')).toBe('fbEijQTFeiQCldZqez/u/WcrNPk4nxXI5ihofHYjFUA=');
    expect(() => openCheckpoint(REKOR_CHECKPOINT.replace('29188099', '29188098'), [rekor])).toThrow(
      /rekor\.sigstore\.dev\+c0d23d6a does not verify/,
    );
    expect(verifierKey(rekor.name, rekor.publicKey)).toBe(
      `rekor.sigstore.dev+c0d23d6a+${Buffer.concat([Buffer.from([2]), Buffer.from(REKOR_KEY_DER, 'base64')]).toString('base64')}`,
    );
  });

  it('verifies the entry inclusion proof against the checkpoint root', () => {
    const checkpoint = parseCheckpoint(REKOR_CHECKPOINT);
    const check = {
      index: REKOR_PROOF.index,
      size: checkpoint.size,
      leafHash: Buffer.from(REKOR_PROOF.leafHash, 'base64'),
      proof: REKOR_PROOF.hashes.map((hash) => Buffer.from(hash, 'base64')),
      root: checkpoint.rootHash,
    };
    expect(checkpoint.size).toBe(REKOR_PROOF.size);
    expect(verifyInclusion(check)).toBe(true);
    expect(verifyInclusion({ ...check, index: check.index + 1 })).toBe(false);
  });
});

/** The same bytes under Node's lenient decoder, but with non-zero bits after the last byte. */
function nonCanonical(base64: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const last = base64.replace(/=+$/, '').length - 1;
  const value = alphabet.indexOf(base64[last] as string);
  const changed = `${base64.slice(0, last)}${alphabet[value | 1] as string}${base64.slice(last + 1)}`;
  expect(Buffer.from(changed, 'base64')).toEqual(Buffer.from(base64, 'base64'));
  expect(changed).not.toBe(base64);
  return changed;
}

describe('strict parsing', () => {
  const key = ecdsaKey();
  const signer = { name: ORIGIN, privateKey: key.privateKey };
  const body = formatCheckpointBody({ origin: ORIGIN, size: 3, rootHash: ROOT });
  const note = signNote(body, signer);
  const signatureLine = note.split('\n')[4] as string;
  const root = ROOT.toString('base64');
  const withBody = (text: string): string => `${text}\n${signatureLine}\n`;

  it('names the line of each malformed part', () => {
    const cases: [string, RegExp][] = [
      [
        withBody(`${ORIGIN}\n03\n${root}\n`),
        /line 2: tree size "03" is not a decimal number without leading zeros/,
      ],
      [withBody(`${ORIGIN}\n+3\n${root}\n`), /line 2: tree size "\+3"/],
      [withBody(`${ORIGIN}\n3.0\n${root}\n`), /line 2: tree size "3.0"/],
      [withBody(`${ORIGIN}\n 3\n${root}\n`), /line 2: tree size " 3"/],
      [
        withBody(`${ORIGIN}\n99999999999999999999\n${root}\n`),
        /line 2: tree size 99999999999999999999 is too large/,
      ],
      [
        withBody(`${ORIGIN}\n3\n${ROOT.subarray(1).toString('base64')}\n`),
        /line 3: root hash .* is not the base64 of 32 bytes/,
      ],
      [
        withBody(`${ORIGIN}\n3\n${Buffer.concat([ROOT, Buffer.alloc(1)]).toString('base64')}\n`),
        /line 3: root hash/,
      ],
      [withBody(`${ORIGIN}\n3\n${ROOT.toString('hex')}\n`), /line 3: root hash/],
      [withBody(`${ORIGIN}\n3\n${root.replace(/=$/, '')}\n`), /line 3: root hash/],
      [withBody(`${ORIGIN}\n3\n`), /line 3: the root hash line is missing/],
      [withBody(`${ORIGIN}\n3\n${root.replace(/\+/g, '-').replace(/\//g, '_')}\n`), /line 3: root hash/],
      [withBody(`${ORIGIN}\n3\n${root.slice(0, 20)} ${root.slice(20)}\n`), /line 3: root hash/],
      [withBody(`${ORIGIN}\n3\n${nonCanonical(root)}\n`), /line 3: root hash/],
      [withBody(`${ORIGIN}\n`), /line 2: the tree size line is missing/],
      [`${body}\n${signatureLine}`, /line 5: does not end with a newline/],
      [
        `${body}${signatureLine}\n`,
        /line 4: has no blank line between the text and the signatures|line 4: is not a signature line/,
      ],
      [`${body}\n`, /line 4: has no signature line after the blank line/],
      [`${body}\n${signatureLine.replace('—', '-')}\n`, /line 5: is not a signature line/],
      [
        `${body}\n${signatureLine.replace(ORIGIN, 'a+b')}\n`,
        /line 5: key name "a\+b" is empty or holds a space or '\+'/,
      ],
      [`${body}\n${signatureLine.replace(ORIGIN, '')}\n`, /line 5: key name ""/],
      [`${body}\n${signatureLine}=\n`, /line 5: signature by .* is not standard base64/],
      [`${body}\n— ${ORIGIN} AAAA\n`, /line 5: signature by .* is shorter than a key ID and a signature/],
      [`${body}\n${signatureLine}\n${signatureLine} \n`, /line 6: signature by .* is not standard base64/],
      [
        note.replace('\n', '\r\n'),
        /line 1: holds the control character U\+000D — write the note with Unix line endings/,
      ],
      [note.replace(ORIGIN, `${ORIGIN}\t`), /line 1: holds the control character U\+0009/],
      [withBody(`${ORIGIN}\n3\n${root}\n\nextension\n`), /line 4: extension lines must not be empty/],
      [`\n${signatureLine}\n`, /line 1: has an empty text before the signatures/],
    ];
    for (const [text, message] of cases) {
      const error = caught(() => parseCheckpoint(text, 'ledger/checkpoint'));
      // The text rides along so that a failure says which case it was.
      expect({ text, code: error.code, file: error.file, matches: message.test(error.message) }).toEqual({
        text,
        code: 'CHECKPOINT',
        file: 'ledger/checkpoint',
        matches: true,
      });
    }
  });

  it('parses an unsigned checkpoint text on its own, as strictly', () => {
    expect(parseCheckpointBody(body)).toEqual({ origin: ORIGIN, size: 3, rootHash: ROOT, extensions: [] });
    expect(() => parseCheckpointBody(body.slice(0, -1), 'cp')).toThrow(
      /^cp: line 3: checkpoint text does not end/,
    );
    expect(() => parseCheckpointBody(`a\tb\n3\n${root}\n`)).toThrow(
      /line 1: holds the control character U\+0009/,
    );
    expect(() => parseCheckpointBody(`\n3\n${root}\n`)).toThrow(/line 1: the origin line is empty/);
    expect(() => parseCheckpointBody(`${body}\n`)).toThrow(/line 4: extension lines must not be empty/);
  });

  it('accepts extension lines and several signatures, and keeps the body they sign', () => {
    const extended = formatCheckpointBody({
      origin: ORIGIN,
      size: 3,
      rootHash: ROOT,
      extensions: ['a b', 'c'],
    });
    const witness = { name: 'w.example/1', privateKey: ed25519Key().privateKey };
    const signed = signNote(extended, [signer, witness]);
    const parsed = parseCheckpoint(Buffer.from(signed));
    expect(parsed).toMatchObject({ extensions: ['a b', 'c'], body: extended });
    expect(parsed.signatures.map((signature) => signature.name)).toEqual([ORIGIN, 'w.example/1']);
  });

  it('formats only what parses back', () => {
    expect(() => formatCheckpointBody({ origin: '', size: 1, rootHash: ROOT })).toThrow(/origin "" is empty/);
    expect(() => formatCheckpointBody({ origin: 'a\nb', size: 1, rootHash: ROOT })).toThrow(LedgerError);
    expect(() => formatCheckpointBody({ origin: ORIGIN, size: -1, rootHash: ROOT })).toThrow(/tree size -1/);
    expect(() => formatCheckpointBody({ origin: ORIGIN, size: 1.5, rootHash: ROOT })).toThrow(
      /tree size 1.5/,
    );
    expect(() => formatCheckpointBody({ origin: ORIGIN, size: 1, rootHash: ROOT.subarray(2) })).toThrow(
      /root hash is not 32 bytes/,
    );
    expect(() => formatCheckpointBody({ origin: ORIGIN, size: 1, rootHash: ROOT, extensions: [''] })).toThrow(
      /extension line "" is empty/,
    );
    expect(formatCheckpointBody({ origin: ORIGIN, size: 0, rootHash: merkleRoot([]) })).toBe(
      `${ORIGIN}\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n`,
    );
  });

  it('refuses to sign a text a note could not carry, or with a key of the wrong kind', () => {
    expect(() => signNote('no newline', signer)).toThrow(/must be non-empty and end with a newline/);
    expect(() => signNote('ends blank\n\n', signer)).toThrow(/must not end with an empty line/);
    expect(() => signNote('tab\there\n', signer)).toThrow(/control character/);
    expect(() => signNote(body, [])).toThrow(/at least one signer/);
    expect(() => signNote('lone \ud800 surrogate\n', signer)).toThrow(/lone UTF-16 surrogate/);
    expect(() => parseNote(`lone \udc00\n\n${signatureLine}\n`)).toThrow(/lone UTF-16 surrogate/);
    expect(parseNote(`pair \ud83d\ude00\n\n${signatureLine}\n`).text).toBe('pair \u{1f600}\n');
    const witnessKey = ed25519Key();
    expect(
      caught(() => cosign(body, { name: 'w', privateKey: witnessKey.publicKey }, new Date())).message,
    ).toMatch(/the key given to sign as w is not a private key/);
    expect(caught(() => signNote(body, { name: 'has space', privateKey: key.privateKey })).code).toBe('KEY');
    expect(caught(() => signNote(body, { name: ORIGIN, privateKey: key.publicKey })).message).toMatch(
      /not a private key/,
    );
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    expect(() => signNote(body, { name: ORIGIN, privateKey: rsa.privateKey })).toThrow(
      /the rsa key .* cannot sign notes/,
    );
    const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
    expect(() => signNote(body, { name: ORIGIN, privateKey: k1.privateKey })).toThrow(
      /is on curve secp256k1/,
    );
    expect(() => cosign(body, { name: 'w', privateKey: key.privateKey }, new Date())).toThrow(/not Ed25519/);
    expect(() =>
      cosign('not a checkpoint\n', { name: 'w', privateKey: ed25519Key().privateKey }, new Date()),
    ).toThrow(/tree size line is missing/);
  });
});

describe('keys and key IDs', () => {
  it('derives the ECDSA key ID from the DER public key alone, the Ed25519 one from name, type and key', () => {
    const { publicKey } = ecdsaKey();
    const der = publicKey.export({ type: 'spki', format: 'der' });
    const expected = createHash('sha256').update(der).digest().readUInt32BE(0);
    expect(noteKeyId('a.example', publicKey)).toBe(expected);
    expect(noteKeyId('b.example', publicKey)).toBe(expected);
    const ed = ed25519Key().publicKey;
    const raw = Buffer.from(ed.export({ format: 'jwk' }).x as string, 'base64url');
    const typed = (type: number): number =>
      createHash('sha256')
        .update(Buffer.concat([Buffer.from('w.example\n'), Buffer.from([type]), raw]))
        .digest()
        .readUInt32BE(0);
    expect(noteKeyId('w.example', ed)).toBe(typed(0x01));
    expect(cosignatureKeyId('w.example', ed)).toBe(typed(0x04));
  });

  it('accepts the same key given twice, and two keys under one name (a rotation)', () => {
    const { privateKey, publicKey } = ed25519Key();
    const note = signNote(`hello\n`, { name: 'k', privateKey });
    expect(
      verifyNote(note, [
        { name: 'k', publicKey },
        { name: 'k', publicKey: privateKey },
      ]).verified,
    ).toEqual(['k']);
    const rotated = ed25519Key();
    const both = addSignature(note, { name: 'k', privateKey: rotated.privateKey });
    expect(parseNote(both).signatures).toHaveLength(2);
    expect(
      verifyNote(both, [
        { name: 'k', publicKey },
        { name: 'k', publicKey: rotated.publicKey },
      ]),
    ).toMatchObject({ verified: ['k'], unknown: 0, verifiedSignatures: [{ name: 'k' }, { name: 'k' }] });
  });

  it('builds a signature line for a signature made elsewhere, and refuses a key ID beyond uint32', () => {
    const { privateKey, publicKey } = ecdsaKey();
    const text = 'made by an external signer\n';
    // What a signer holding the key outside this process does: ECDSA over SHA-256 of the text.
    const signature = sign('sha256', Buffer.from(text), privateKey);
    const note = `${text}\n${noteSignatureLine('ext.example', noteKeyId('ext.example', publicKey), signature)}`;
    expect(verifyNote(note, [{ name: 'ext.example', publicKey }]).verified).toEqual(['ext.example']);
    expect(noteSignatureLine('n', 0xffffffff, Buffer.from([1]))).toBe(
      `— n ${Buffer.from([255, 255, 255, 255, 1]).toString('base64')}\n`,
    );
    expect(() => noteSignatureLine('n', 2 ** 32, signature)).toThrow(/key ID 4294967296 is not a uint32/);
    expect(() => noteSignatureLine('n', -1, signature)).toThrow(/key ID -1 is not a uint32/);
    expect(() => noteSignatureLine('n m', 1, signature)).toThrow(/key name "n m"/);
  });

  it('a signature with a known name but another key ID is unknown, not a failure', () => {
    const { privateKey, publicKey } = ecdsaKey();
    const note = signNote(`hello\n`, { name: 'k', privateKey: ecdsaKey().privateKey });
    expect(verifyNote(note, [{ name: 'k', publicKey }])).toMatchObject({ verified: [], unknown: 1 });
    expect(noteKeyId('k', privateKey)).toBe(noteKeyId('k', publicKey));
  });
});

// transparency-dev/formats note/note_verifier_test.go (TestECDSAVerifier): ECDSA vkeys of
// Sigstore's Rekor and of the Pixel 6 transparency log, with notes they sign.
const FORMATS_REKOR_VKEY =
  'rekor.sigstore.dev+c0d23d6a+AjBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABNhtmPtrWm3U1eQXBogSMdGvXwBcK5AW5i0hrZLOC96l+smGNM7nwZ4QvFK/4sueRoVj//QP22Ni4Qt9DPfkWLc=';
const FORMATS_REKOR_NOTE =
  'Rekor\n798034\nf+7CoKgXKE/tNys9TTXcr/ad6U/K3xvznmzew9y6SP0=\n\n' +
  '— rekor.sigstore.dev wNI9ajBEAiARInWIWyCdyG27CO6LPnPekyw20qO0YJfoaPaowGp/XgIgc+qEHS3+GKVClgqq20uDLet7MCoTURUCRdxwWBHHufk=\n';
const FORMATS_PIXEL_VKEY =
  'pixel6_transparency_log+91c16e30+AjBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABN+4x0Jk1yTwvLFI9A4NDdGZcX0aiWVdWM5XJVy0M4VWD3AvyW5Q6Hs9A0mcDkpUoYgn+KKPNzFC0H3nN3q6JQ8=';
const FORMATS_PIXEL_NOTE =
  'DEFAULT\n10\nbsWRucJU5xJPHb5eBdOm6+DM+VelCZBuvtI3sHERJ9Y=\n\n' +
  '— pixel6_transparency_log kcFuMDBFAiEAhqMAP8P6qf6QxtUJhzMhbN+MbZ9dwfUHzGQJmffJHtoCIGD0cNe47dHWBoPwYdgBCepB06/+g5O1FmYjXl06owL4\n';

describe('verifier keys', () => {
  it('reads the published ECDSA vkeys and verifies the checkpoints they sign', () => {
    const rekor = parseVerifierKey(FORMATS_REKOR_VKEY);
    expect(rekor).toMatchObject({ name: 'rekor.sigstore.dev', keyId: 0xc0d23d6a, type: 'ecdsa' });
    expect(verifierKey(rekor.name, rekor.publicKey)).toBe(FORMATS_REKOR_VKEY);
    expect(openCheckpoint(FORMATS_REKOR_NOTE, [rekor])).toMatchObject({ origin: 'Rekor', size: 798034 });
    const pixel = parseVerifierKey(FORMATS_PIXEL_VKEY);
    expect(openCheckpoint(FORMATS_PIXEL_NOTE, [pixel])).toMatchObject({ origin: 'DEFAULT', size: 10 });
    // Same key under another name: the signature is not by a known key.
    const renamed = parseVerifierKey(FORMATS_REKOR_VKEY.replace('rekor.', 'bananas.'));
    expect(verifyNote(FORMATS_REKOR_NOTE, [renamed])).toMatchObject({ verified: [], unknown: 1 });
    const garbled = FORMATS_REKOR_NOTE.replace(
      'wNI9ajBEAiARInWIWyCdyG27CO6LPnPekyw20qO0YJfoaPaowGp',
      'THIS/IS/PROBABLY/NOT/A/VALID/SIGNATURE/ANy/MOREowGp',
    );
    expect(() => openCheckpoint(garbled, [rekor])).toThrow(
      /no signature on the checkpoint is from a trusted key/,
    );
  });

  it('refuses every truncation and every one-byte change of a vkey, as Go TestNewVerifier does', () => {
    expect(parseVerifierKey(PETER_VKEY)).toMatchObject({
      name: 'PeterNeumann',
      keyId: 0xc74f20a3,
      type: 'ed25519',
    });
    for (let from = 0; from <= PETER_VKEY.length; from++) {
      for (let to = from + 1; to <= PETER_VKEY.length; to++) {
        if (from === 0 && to === PETER_VKEY.length) continue;
        const part = PETER_VKEY.slice(from, to);
        expect({ part, error: caught(() => parseVerifierKey(part)).code }).toEqual({ part, error: 'KEY' });
      }
    }
    for (let at = 0; at < PETER_VKEY.length; at++) {
      const changed =
        PETER_VKEY.slice(0, at) +
        String.fromCharCode(PETER_VKEY.charCodeAt(at) + 1) +
        PETER_VKEY.slice(at + 1);
      expect({ changed, error: caught(() => parseVerifierKey(changed)).code }).toEqual({
        changed,
        error: 'KEY',
      });
    }
    // Go's "wrong length key" case; its base64 is also not canonical, which is caught first.
    expect(() =>
      parseVerifierKey('PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=='),
    ).toThrow(/not standard base64/);
    const long = Buffer.concat([Buffer.from([1]), Buffer.alloc(33)]).toString('base64');
    expect(() => parseVerifierKey(`PeterNeumann+00000000+${long}`)).toThrow(
      /holds 33 bytes of Ed25519 key, not 32/,
    );
    expect(() =>
      parseVerifierKey('PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'),
    ).toThrow(/signature type 0x65/);
    expect(() =>
      parseVerifierKey('PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'),
    ).toThrow(/names key ID c74f20a4, but its name and key give c74f20a3/);
  });

  it('reads a cosignature/v1 vkey (type 0x04) and verifies the witness cosignatures with it', () => {
    const witness = ed25519Key();
    const name = 'witness.example/w1';
    const raw = Buffer.from(witness.publicKey.export({ format: 'jwk' }).x as string, 'base64url');
    const id = cosignatureKeyId(name, witness.publicKey).toString(16).padStart(8, '0');
    const vkey = `${name}+${id}+${Buffer.concat([Buffer.from([0x04]), raw]).toString('base64')}`;
    expect(parseVerifierKey(vkey)).toMatchObject({ name, type: 'cosignature/v1' });
    const body = formatCheckpointBody({ origin: ORIGIN, size: 3, rootHash: ROOT });
    const note = cosign(body, { name, privateKey: witness.privateKey }, new Date('2026-01-01T00:00:00Z'));
    expect(verifyNote(note, [parseVerifierKey(vkey)]).verifiedSignatures).toEqual([
      { name, keyId: parseInt(id, 16), type: 'cosignature/v1', timestamp: new Date('2026-01-01T00:00:00Z') },
    ]);
  });
});
