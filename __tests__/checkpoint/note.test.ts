import { describe, expect, it } from '@jest/globals';
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';

import { LedgerError } from '../../src/errors.js';
import { leafHash, merkleRoot } from '../../src/checkpoint/merkle.js';
import {
  MAX_SIGNATURES,
  addCosignature,
  addSignature,
  cosign,
  cosignatureKeyId,
  formatCheckpointBody,
  noteKeyId,
  openCheckpoint,
  parseCheckpoint,
  parseNote,
  signNote,
  verifierKey,
  verifyNote,
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

/** An Ed25519 public key from a vkey's base64 part (type byte 0x01, 32-byte key). */
function vkeyPublic(vkey: string): { name: string; publicKey: KeyObject } {
  const [name, , ...material] = vkey.split('+') as [string, string, ...string[]];
  const bytes = Buffer.from(material.join('+'), 'base64');
  expect(bytes[0]).toBe(0x01);
  const x = bytes.subarray(1).toString('base64url');
  return { name, publicKey: createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' }) };
}

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
const peterVerifier = vkeyPublic(PETER_VKEY);
const enochVerifier = vkeyPublic(ENOCH_VKEY);

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
    expect(verifyNote(note, [peterVerifier])).toMatchObject({ verified: ['PeterNeumann'], unknown: 1 });
  });

  it('refuses more than 100 signature lines, as TestOpen does', () => {
    const note = `${GO_TEXT}\n${PETER_SIG.repeat(MAX_SIGNATURES + 1)}`;
    expect(() => verifyNote(note, [peterVerifier])).toThrow(/101 signature lines; at most 100/);
    expect(verifyNote(`${GO_TEXT}\n${PETER_SIG.repeat(MAX_SIGNATURES)}`, [peterVerifier]).verified).toEqual([
      'PeterNeumann',
    ]);
  });

  it('verifies the c2sp.org/signed-note example with its verifier key', () => {
    const key = vkeyPublic(SPEC_VKEY);
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
