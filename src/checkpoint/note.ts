import {
  createHash,
  createPublicKey,
  sign as signBytes,
  verify as verifyBytes,
  type KeyObject,
} from 'node:crypto';

import { LedgerError, describeError } from '../errors.js';
import { HASH_SIZE } from './merkle.js';

/**
 * C2SP signed notes (c2sp.org/signed-note) and the checkpoints written in them
 * (c2sp.org/tlog-checkpoint), with the Ed25519 witness cosignatures of c2sp.org/tlog-cosignature.
 *
 * A note is a text ending in a newline, a blank line, then one or more lines
 * `— <key name> base64(4-byte key ID || signature)`. A checkpoint's text is its origin, its tree
 * size in decimal, the base64 root hash, and optional extension lines.
 *
 * Signature types and key IDs, as c2sp.org/signed-note assigns them:
 * - Ed25519 (type 0x01): key ID = SHA-256(name || 0x0A || 0x01 || 32-byte public key)[:4], the
 *   signature is RFC 8032 Ed25519 over the note text.
 * - ECDSA (type 0x02, "ECDSA signatures as implemented by github.com/transparency-dev/witness",
 *   which is also what Sigstore's Rekor uses for its checkpoints): key ID = SHA-256(DER
 *   SubjectPublicKeyInfo)[:4] — the spec's explicit exception to the name-and-type rule — and the
 *   signature is ASN.1 DER ECDSA over SHA-256 of the note text, on P-256 (P-384 and P-521 are
 *   allowed and accepted, still with SHA-256 as that implementation does). This is the type
 *   model-ledger's own ECDSA P-256 signing keys produce.
 * - Ed25519 cosignature/v1 (type 0x04): key ID = SHA-256(name || 0x0A || 0x04 || public key)[:4],
 *   the signature is an 8-byte big-endian POSIX timestamp followed by Ed25519 over
 *   "cosignature/v1\ntime <timestamp>\n" || checkpoint text.
 * The same Ed25519 key therefore verifies both plain (0x01) and cosignature (0x04) lines: the key
 * ID tells them apart.
 */

/** More signature lines than this and a note is refused: the spec asks for a limit of at least 16. */
export const MAX_SIGNATURES = 100;

/** The first character of every signature line (U+2014 EM DASH) and the space after it. */
const SIGNATURE_PREFIX = '\u2014 ';
const COSIGNATURE_HEADER = 'cosignature/v1\n';
/** Largest POSIX timestamp a cosignature may carry (2^63 - 1). */
const MAX_TIMESTAMP = 2n ** 63n - 1n;

const TYPE_ED25519 = 0x01;
const TYPE_ECDSA = 0x02;
const TYPE_COSIGNATURE_V1 = 0x04;

const ECDSA_CURVES = new Set(['prime256v1', 'secp384r1', 'secp521r1']);

export type NoteSignatureType = 'ed25519' | 'ecdsa' | 'cosignature/v1';

/** One signature line of a note, as written (not yet verified). */
export interface NoteSignature {
  name: string;
  /** The uint32 key ID at the front of the signature (big-endian). */
  keyId: number;
  /** The signature bytes after the key ID. */
  signature: Buffer;
  /** The line as it appears, without its newline. */
  line: string;
}

export interface ParsedNote {
  /** The signed text: every line before the separating blank line, final newline included. */
  text: string;
  signatures: NoteSignature[];
}

export interface CheckpointFields {
  origin: string;
  /** Tree size: how many records the ledger holds. */
  size: number;
  /** The RFC 6962 root hash, 32 bytes. */
  rootHash: Buffer;
  /** Opaque extension lines after the root (none in model-ledger's own checkpoints). */
  extensions?: readonly string[];
}

export interface ParsedCheckpoint {
  origin: string;
  size: number;
  rootHash: Buffer;
  extensions: string[];
  signatures: NoteSignature[];
  /** The checkpoint text the signatures are over (see formatCheckpointBody). */
  body: string;
}

export interface NoteSigner {
  /** Key name: non-empty, without spaces or '+'. A ledger's checkpoints use its origin. */
  name: string;
  /** ECDSA (P-256, P-384, P-521) or Ed25519 private key. */
  privateKey: KeyObject;
}

export interface NoteVerifier {
  name: string;
  /** ECDSA or Ed25519 public key (a private key is accepted and its public half used). */
  publicKey: KeyObject;
}

export interface VerifiedSignature {
  name: string;
  keyId: number;
  type: NoteSignatureType;
  /** For cosignature/v1: when the witness says it cosigned. */
  timestamp?: Date;
}

export interface NoteVerification {
  /** Names of the given keys whose signatures verified, each once, in note order. */
  verified: string[];
  /** Signature lines from keys not given (distinct lines): ignored, as the spec requires. */
  unknown: number;
  /** Every verified signature, one per key. */
  verifiedSignatures: VerifiedSignature[];
}

/** `"<origin>\n<size>\n<base64 root>\n"` followed by any extension lines, each ending in "\n". */
export function formatCheckpointBody(fields: CheckpointFields): string {
  const { origin, size, rootHash, extensions = [] } = fields;
  if (origin === '' || hasForbiddenCharacter(origin)) {
    throw new LedgerError(
      'CHECKPOINT',
      `origin ${JSON.stringify(origin)} is empty or holds a control character`,
    );
  }
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new LedgerError('CHECKPOINT', `tree size ${String(size)} is not a non-negative integer`);
  }
  if (!Buffer.isBuffer(rootHash) || rootHash.length !== HASH_SIZE) {
    throw new LedgerError('CHECKPOINT', `root hash is not ${HASH_SIZE} bytes`);
  }
  for (const line of extensions) {
    if (line === '' || hasForbiddenCharacter(line)) {
      throw new LedgerError(
        'CHECKPOINT',
        `extension line ${JSON.stringify(line)} is empty or holds a control character`,
      );
    }
  }
  return [origin, String(size), rootHash.toString('base64'), ...extensions]
    .map((line) => `${line}\n`)
    .join('');
}

/**
 * Splits a signed note into its text and signature lines, strictly: valid UTF-8 (when given
 * bytes), no control characters but newlines, a final newline, a blank line before the
 * signatures, 1 to MAX_SIGNATURES well-formed signature lines. `source` names the note in errors.
 */
export function parseNote(note: string | Buffer, source?: string): ParsedNote {
  const text = decodeNote(note, source);
  const fail = (message: string, line?: number, fix?: string): never => {
    throw new LedgerError('CHECKPOINT', message, {
      ...(source === undefined ? {} : { file: source }),
      ...(line === undefined ? {} : { field: `line ${line}` }),
      ...(fix === undefined ? {} : { fix }),
    });
  };
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    const bad = firstForbiddenCharacter(line);
    if (bad !== undefined) {
      fail(
        `holds the control character ${codePoint(bad)}`,
        index + 1,
        bad === 0x0d ? 'write the note with Unix line endings (\\n), not \\r\\n' : undefined,
      );
    }
  });
  if (!text.endsWith('\n')) fail('does not end with a newline', lines.length);
  lines.pop(); // the empty string after the final newline
  const blank = lines.lastIndexOf('');
  if (blank === -1) fail('has no blank line between the text and the signatures', lines.length);
  if (blank === 0) fail('has an empty text before the signatures', 1);
  const signatureLines = lines.slice(blank + 1);
  if (signatureLines.length === 0) fail('has no signature line after the blank line', blank + 1);
  if (signatureLines.length > MAX_SIGNATURES) {
    fail(`has ${signatureLines.length} signature lines; at most ${MAX_SIGNATURES} are accepted`, blank + 2);
  }
  const signatures = signatureLines.map((line, offset) => {
    const parsed = parseSignatureLine(line);
    if (typeof parsed === 'string') fail(parsed, blank + 2 + offset);
    return parsed as NoteSignature;
  });
  return { text: `${lines.slice(0, blank).join('\n')}\n`, signatures };
}

/**
 * A checkpoint's fields from its text (no signatures): origin, decimal size without leading
 * zeros, base64 of a 32-byte root, then non-empty extension lines.
 */
export function parseCheckpointBody(
  body: string,
  source?: string,
): CheckpointFields & { extensions: string[] } {
  const fail = (message: string, line: number): never => {
    throw new LedgerError('CHECKPOINT', message, {
      ...(source === undefined ? {} : { file: source }),
      field: `line ${line}`,
    });
  };
  if (!body.endsWith('\n')) fail('checkpoint text does not end with a newline', body.split('\n').length);
  const lines = body.slice(0, -1).split('\n');
  lines.forEach((line, index) => {
    const bad = firstForbiddenCharacter(line);
    if (bad !== undefined) fail(`holds the control character ${codePoint(bad)}`, index + 1);
  });
  const [origin, sizeLine, rootLine, ...extensions] = lines;
  if (origin === undefined || origin === '') fail('the origin line is empty', 1);
  if (sizeLine === undefined) fail('the tree size line is missing', 2);
  if (!/^(0|[1-9][0-9]*)$/.test(sizeLine as string)) {
    fail(`tree size ${JSON.stringify(sizeLine)} is not a decimal number without leading zeros`, 2);
  }
  const size = Number(sizeLine);
  if (!Number.isSafeInteger(size)) fail(`tree size ${sizeLine as string} is too large`, 2);
  if (rootLine === undefined) fail('the root hash line is missing', 3);
  const rootHash = strictBase64(rootLine as string);
  if (rootHash === undefined || rootHash.length !== HASH_SIZE) {
    fail(`root hash ${JSON.stringify(rootLine)} is not the base64 of ${HASH_SIZE} bytes`, 3);
  }
  extensions.forEach((line, index) => {
    if (line === '') fail('extension lines must not be empty', 4 + index);
  });
  return { origin: origin as string, size, rootHash: rootHash as Buffer, extensions };
}

/** A signed checkpoint, parsed strictly (see parseNote and parseCheckpointBody); not verified. */
export function parseCheckpoint(text: string | Buffer, source?: string): ParsedCheckpoint {
  const note = parseNote(text, source);
  const fields = parseCheckpointBody(note.text, source);
  return { ...fields, signatures: note.signatures, body: note.text };
}

/** The key ID a signature by `publicKey` under `name` carries (plain note signature types). */
export function noteKeyId(name: string, publicKey: KeyObject): number {
  return describeKey(name, publicKey).keyId;
}

/** The key ID of an Ed25519 witness's cosignature/v1 lines (type 0x04). */
export function cosignatureKeyId(name: string, publicKey: KeyObject): number {
  checkName(name);
  return typedKeyId(name, TYPE_COSIGNATURE_V1, ed25519Raw(toPublicKey(publicKey), name));
}

/**
 * The verifier key string of c2sp.org/signed-note, `<name>+<hex key ID>+base64(type || key)`, for
 * configuring other tools (Go's sumdb/note, witnesses) with a model-ledger key.
 */
export function verifierKey(name: string, publicKey: KeyObject): string {
  const key = describeKey(name, publicKey);
  const material = Buffer.concat([Buffer.from([key.typeByte]), key.material]);
  return `${name}+${key.keyId.toString(16).padStart(8, '0')}+${material.toString('base64')}`;
}

/**
 * A verifier key string (`<name>+<hex key ID>+base64(type || key)`, as Go's sumdb/note and
 * witnesses print them) as a key to verify with: type 0x01 (Ed25519), 0x02 (ECDSA, DER SPKI) or
 * 0x04 (Ed25519 cosignature/v1). The key ID must be the one the key and name give.
 */
export function parseVerifierKey(vkey: string): NoteVerifier & { keyId: number; type: NoteSignatureType } {
  const fail = (why: string): never => {
    throw new LedgerError('KEY', `verifier key ${JSON.stringify(vkey)} ${why}`, {
      fix: 'give it as <name>+<8 hex digits>+<base64 of type byte and public key>',
    });
  };
  const first = vkey.indexOf('+');
  const second = vkey.indexOf('+', first + 1);
  if (first === -1 || second === -1) fail('does not have three parts separated by +');
  const name = vkey.slice(0, first);
  const idText = vkey.slice(first + 1, second);
  if (!isValidName(name)) fail('has an invalid key name');
  if (!/^[0-9a-f]{8}$/.test(idText)) fail('has a key ID that is not 8 lowercase hex digits');
  const material = strictBase64(vkey.slice(second + 1));
  if (material === undefined || material.length < 2) fail('has a key that is not standard base64');
  const bytes = material as Buffer;
  const type = bytes[0];
  const key = bytes.subarray(1);
  let publicKey: KeyObject;
  try {
    if (type === TYPE_ED25519 || type === TYPE_COSIGNATURE_V1) {
      if (key.length !== 32) fail(`holds ${key.length} bytes of Ed25519 key, not 32`);
      publicKey = createPublicKey({
        key: { kty: 'OKP', crv: 'Ed25519', x: key.toString('base64url') },
        format: 'jwk',
      });
    } else if (type === TYPE_ECDSA) {
      publicKey = createPublicKey({ key, format: 'der', type: 'spki' });
    } else {
      return fail(
        `has signature type 0x${(type ?? 0).toString(16).padStart(2, '0')}, not one model-ledger verifies`,
      );
    }
  } catch (error) {
    if (error instanceof LedgerError) throw error;
    return fail(`holds a public key that does not parse (${describeError(error)})`);
  }
  const keyId = type === TYPE_COSIGNATURE_V1 ? cosignatureKeyId(name, publicKey) : noteKeyId(name, publicKey);
  if (keyId.toString(16).padStart(8, '0') !== idText) {
    fail(`names key ID ${idText}, but its name and key give ${keyId.toString(16).padStart(8, '0')}`);
  }
  const kind: NoteSignatureType =
    type === TYPE_COSIGNATURE_V1 ? 'cosignature/v1' : describeKey(name, publicKey).type;
  return { name, publicKey, keyId, type: kind };
}

/** A signature line for a key ID and signature made elsewhere (e.g. by an external signer). */
export function noteSignatureLine(name: string, keyId: number, signature: Buffer): string {
  checkName(name);
  if (!Number.isInteger(keyId) || keyId < 0 || keyId > 0xffffffff) {
    throw new LedgerError('CHECKPOINT', `key ID ${String(keyId)} is not a uint32`);
  }
  const id = Buffer.alloc(4);
  id.writeUInt32BE(keyId);
  return `${SIGNATURE_PREFIX}${name} ${Buffer.concat([id, signature]).toString('base64')}\n`;
}

/** Signs a note text: returns text, blank line, one signature line per signer. */
export function signNote(body: string, signer: NoteSigner | readonly NoteSigner[]): string {
  checkNoteText(body);
  const signers: readonly NoteSigner[] = isSignerList(signer) ? signer : [signer];
  if (signers.length === 0) throw new LedgerError('CHECKPOINT', 'a note needs at least one signer');
  return `${body}\n${signers.map((one) => signatureLine(body, one)).join('')}`;
}

/**
 * Adds a signature to a signed note (a cosignature, in the plain sense). A signature already there
 * from the same key (same name and key ID) is replaced, not duplicated.
 */
export function addSignature(note: string, signer: NoteSigner): string {
  const parsed = parseNote(note);
  const line = signatureLine(parsed.text, signer);
  return appendLine(parsed, signer.name, describeKey(signer.name, signer.privateKey).keyId, line);
}

/** The cosignature/v1 line (with its newline) of an Ed25519 witness over a checkpoint text. */
export function cosignatureLine(checkpointBody: string, witness: NoteSigner, time: Date): string {
  parseCheckpointBody(checkpointBody);
  const publicKey = toPublicKey(witness.privateKey);
  const raw = ed25519Raw(publicKey, witness.name);
  checkName(witness.name);
  const timestamp = posixSeconds(time);
  const stamp = Buffer.alloc(8);
  stamp.writeBigUInt64BE(timestamp);
  const signature = signWith(null, cosignedMessage(checkpointBody, timestamp), witness);
  return noteSignatureLine(
    witness.name,
    typedKeyId(witness.name, TYPE_COSIGNATURE_V1, raw),
    Buffer.concat([stamp, signature]),
  );
}

/**
 * A witness's cosignature/v1 (c2sp.org/tlog-cosignature, Ed25519) over a checkpoint text: the
 * checkpoint text, blank line, cosignature line. `time` is when the witness cosigns (whole seconds).
 */
export function cosign(checkpointBody: string, witness: NoteSigner, time: Date): string {
  return `${checkpointBody}\n${cosignatureLine(checkpointBody, witness, time)}`;
}

/** Adds a witness's cosignature/v1 to a signed checkpoint, replacing an earlier one by the same key. */
export function addCosignature(note: string, witness: NoteSigner, time: Date): string {
  const parsed = parseNote(note);
  const line = cosignatureLine(parsed.text, witness, time);
  return appendLine(parsed, witness.name, cosignatureKeyId(witness.name, witness.privateKey), line);
}

/**
 * Verifies a note's signatures against the given keys. As c2sp.org/signed-note requires:
 * signatures whose name and key ID match no given key are ignored (counted in `unknown`); a
 * signature from a given key that does not verify rejects the whole note (VERIFICATION_FAILED);
 * a note no given key signed is returned with `verified` empty — the caller must then reject it
 * (`openCheckpoint` does).
 */
export function verifyNote(
  note: string | Buffer,
  verifiers: readonly NoteVerifier[],
  source?: string,
): NoteVerification {
  const parsed = parseNote(note, source);
  const known = knownKeys(verifiers);
  const verified: string[] = [];
  const signatures: VerifiedSignature[] = [];
  const seen = new Set<string>();
  const unknown = new Set<string>();
  for (const signature of parsed.signatures) {
    const key = known.get(keyLabel(signature.name, signature.keyId));
    if (key === undefined) {
      unknown.add(signature.line);
      continue;
    }
    const timestamp = checkSignature(parsed.text, signature, key, source);
    const label = keyLabel(signature.name, signature.keyId);
    if (seen.has(label)) continue;
    seen.add(label);
    if (!verified.includes(signature.name)) verified.push(signature.name);
    signatures.push({
      name: signature.name,
      keyId: signature.keyId,
      type: key.type,
      ...(timestamp === undefined ? {} : { timestamp }),
    });
  }
  return { verified, unknown: unknown.size, verifiedSignatures: signatures };
}

/**
 * Parses a signed checkpoint and verifies it: at least one given key must have signed it, else
 * VERIFICATION_FAILED. The usual entry point for reading a checkpoint file.
 */
export function openCheckpoint(
  text: string | Buffer,
  verifiers: readonly NoteVerifier[],
  source?: string,
): ParsedCheckpoint & NoteVerification {
  const checkpoint = parseCheckpoint(text, source);
  const verification = verifyNote(text, verifiers, source);
  if (verification.verified.length === 0) {
    throw new LedgerError('VERIFICATION_FAILED', 'no signature on the checkpoint is from a trusted key', {
      ...(source === undefined ? {} : { file: source }),
      fix: `check that the key given is the ledger's signing key; the checkpoint is signed by ${[
        ...new Set(checkpoint.signatures.map((signature) => signature.name)),
      ].join(', ')}`,
    });
  }
  return { ...checkpoint, ...verification };
}

// ---------------------------------------------------------------------------------------------

interface KeyDescription {
  type: NoteSignatureType;
  typeByte: number;
  keyId: number;
  /** The public key bytes of a verifier key string: raw Ed25519 key, or DER SPKI for ECDSA. */
  material: Buffer;
  publicKey: KeyObject;
}

function describeKey(name: string, key: KeyObject): KeyDescription {
  checkName(name);
  const publicKey = toPublicKey(key);
  if (publicKey.asymmetricKeyType === 'ed25519') {
    const material = ed25519Raw(publicKey, name);
    return {
      type: 'ed25519',
      typeByte: TYPE_ED25519,
      keyId: typedKeyId(name, TYPE_ED25519, material),
      material,
      publicKey,
    };
  }
  if (publicKey.asymmetricKeyType === 'ec') {
    const curve = publicKey.asymmetricKeyDetails?.namedCurve ?? 'unknown';
    if (!ECDSA_CURVES.has(curve)) {
      throw new LedgerError('KEY', `the ECDSA key for ${name} is on curve ${curve}`, {
        fix: 'use a P-256 key (P-384 and P-521 are also accepted by signed notes)',
      });
    }
    const material = publicKey.export({ type: 'spki', format: 'der' });
    const keyId = createHash('sha256').update(material).digest().readUInt32BE(0);
    return { type: 'ecdsa', typeByte: TYPE_ECDSA, keyId, material, publicKey };
  }
  throw new LedgerError(
    'KEY',
    `the ${publicKey.asymmetricKeyType ?? 'unknown'} key for ${name} cannot sign notes`,
    {
      fix: 'use an ECDSA P-256 or an Ed25519 key',
    },
  );
}

/**
 * name + key ID → the key and the signature type it verifies. The same key given twice is one
 * entry. Two different keys with the same name and key ID (a 1 in 2^32 accident) keep the first:
 * a signature by the other then fails to verify, which rejects the note rather than trusting it.
 */
function knownKeys(verifiers: readonly NoteVerifier[]): Map<string, KeyDescription> {
  const known = new Map<string, KeyDescription>();
  const add = (name: string, description: KeyDescription): void => {
    const label = keyLabel(name, description.keyId);
    if (!known.has(label)) known.set(label, description);
  };
  for (const verifier of verifiers) {
    const description = describeKey(verifier.name, verifier.publicKey);
    add(verifier.name, description);
    if (description.type === 'ed25519') {
      add(verifier.name, {
        ...description,
        type: 'cosignature/v1',
        typeByte: TYPE_COSIGNATURE_V1,
        keyId: typedKeyId(verifier.name, TYPE_COSIGNATURE_V1, description.material),
      });
    }
  }
  return known;
}

/** Verifies one signature; throws when it does not hold. Returns a cosignature's timestamp. */
function checkSignature(
  text: string,
  signature: NoteSignature,
  key: KeyDescription,
  source: string | undefined,
): Date | undefined {
  const reject = (why: string): never => {
    throw new LedgerError(
      'VERIFICATION_FAILED',
      `the signature by ${keyLabel(signature.name, signature.keyId)} ${why}`,
      {
        ...(source === undefined ? {} : { file: source }),
        fix: 'the note was changed after it was signed, or the signature line is corrupt',
      },
    );
  };
  const data = Buffer.from(text, 'utf8');
  if (key.type === 'cosignature/v1') {
    if (signature.signature.length !== 8 + 64)
      reject('is not a cosignature/v1 (8-byte time and 64-byte Ed25519)');
    const timestamp = signature.signature.readBigUInt64BE(0);
    if (timestamp > MAX_TIMESTAMP) reject('carries a timestamp beyond 2^63 - 1');
    const ok = safeVerify(
      null,
      cosignedMessage(text, timestamp),
      key.publicKey,
      signature.signature.subarray(8),
    );
    if (!ok) reject('does not verify');
    return new Date(Number(timestamp) * 1000);
  }
  const ok = safeVerify(key.type === 'ecdsa' ? 'sha256' : null, data, key.publicKey, signature.signature);
  if (!ok) reject('does not verify');
  return undefined;
}

function safeVerify(algorithm: string | null, data: Buffer, key: KeyObject, signature: Buffer): boolean {
  try {
    return verifyBytes(algorithm, data, key, signature);
  } catch {
    // OpenSSL refuses some malformed DER outright; for the verifier that is a bad signature.
    return false;
  }
}

function signatureLine(body: string, signer: NoteSigner): string {
  const key = describeKey(signer.name, signer.privateKey);
  const signature = signWith(key.type === 'ecdsa' ? 'sha256' : null, Buffer.from(body, 'utf8'), signer);
  return noteSignatureLine(signer.name, key.keyId, signature);
}

/** Node's sign, with a KEY error for a public key given to sign and a SIGNING error for the rest. */
function signWith(algorithm: string | null, data: Buffer, signer: NoteSigner): Buffer {
  if (signer.privateKey.type !== 'private') {
    throw new LedgerError('KEY', `the key given to sign as ${signer.name} is not a private key`);
  }
  try {
    return signBytes(algorithm, data, signer.privateKey);
  } catch (error) {
    throw new LedgerError('SIGNING', `signing the note as ${signer.name} failed (${describeError(error)})`, {
      cause: error,
    });
  }
}

function isSignerList(signer: NoteSigner | readonly NoteSigner[]): signer is readonly NoteSigner[] {
  return Array.isArray(signer);
}

function appendLine(parsed: ParsedNote, name: string, keyId: number, line: string): string {
  const kept = parsed.signatures.filter(
    (signature) => !(signature.name === name && signature.keyId === keyId),
  );
  if (kept.length + 1 > MAX_SIGNATURES) {
    throw new LedgerError(
      'CHECKPOINT',
      `the note already has ${kept.length} signatures; at most ${MAX_SIGNATURES}`,
    );
  }
  return `${parsed.text}\n${kept.map((signature) => `${signature.line}\n`).join('')}${line}`;
}

function cosignedMessage(checkpointBody: string, timestamp: bigint): Buffer {
  return Buffer.from(`${COSIGNATURE_HEADER}time ${timestamp.toString()}\n${checkpointBody}`, 'utf8');
}

function parseSignatureLine(line: string): NoteSignature | string {
  if (!line.startsWith(SIGNATURE_PREFIX)) {
    return 'is not a signature line ("\u2014 <key name> <base64 signature>", with an em dash U+2014)';
  }
  const rest = line.slice(SIGNATURE_PREFIX.length);
  const space = rest.indexOf(' ');
  if (space === -1) return 'signature line has no space between key name and signature';
  const name = rest.slice(0, space);
  const encoded = rest.slice(space + 1);
  if (!isValidName(name)) return `key name ${JSON.stringify(name)} is empty or holds a space or '+'`;
  const bytes = strictBase64(encoded);
  if (bytes === undefined) return `signature by ${name} is not standard base64`;
  if (bytes.length < 5) return `signature by ${name} is shorter than a key ID and a signature`;
  return { name, keyId: bytes.readUInt32BE(0), signature: bytes.subarray(4), line };
}

function decodeNote(note: string | Buffer, source: string | undefined): string {
  if (typeof note === 'string') {
    if (!isWellFormed(note)) {
      throw new LedgerError('CHECKPOINT', 'holds a lone UTF-16 surrogate: it is not valid UTF-8 text', {
        ...(source === undefined ? {} : { file: source }),
      });
    }
    return note;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(note);
  } catch (error) {
    throw new LedgerError('CHECKPOINT', 'is not valid UTF-8', {
      ...(source === undefined ? {} : { file: source }),
      cause: error,
    });
  }
}

function checkNoteText(body: string): void {
  if (body === '' || !body.endsWith('\n')) {
    throw new LedgerError('CHECKPOINT', 'note text must be non-empty and end with a newline');
  }
  if (body.endsWith('\n\n') || body === '\n') {
    throw new LedgerError('CHECKPOINT', 'note text must not end with an empty line');
  }
  if (body.split('\n').some((line) => firstForbiddenCharacter(line) !== undefined)) {
    throw new LedgerError('CHECKPOINT', 'note text holds a control character other than newline');
  }
  if (!isWellFormed(body)) {
    throw new LedgerError('CHECKPOINT', 'note text holds a lone UTF-16 surrogate, which UTF-8 cannot carry');
  }
}

/** A string UTF-8 encodes without loss: no lone surrogates (whose bytes would not be what was signed). */
function isWellFormed(text: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

function checkName(name: string): void {
  if (!isValidName(name)) {
    throw new LedgerError(
      'KEY',
      `key name ${JSON.stringify(name)} is empty or holds a space, '+' or a control character`,
      {
        fix: 'name keys like a URL without scheme, e.g. example.com/ledger',
      },
    );
  }
}

function isValidName(name: string): boolean {
  return name !== '' && !/[\s+]/u.test(name) && !hasForbiddenCharacter(name);
}

/**
 * Standard padded base64 that decodes and re-encodes to itself; undefined otherwise. Node's decoder
 * is lenient (it skips spaces, takes URL-safe letters, tolerates missing padding); the round trip
 * refuses all of that, and non-zero trailing bits.
 */
function strictBase64(text: string): Buffer | undefined {
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

function typedKeyId(name: string, type: number, material: Buffer): number {
  return createHash('sha256')
    .update(Buffer.from(`${name}\n`, 'utf8'))
    .update(Buffer.from([type]))
    .update(material)
    .digest()
    .readUInt32BE(0);
}

function ed25519Raw(publicKey: KeyObject, name: string): Buffer {
  if (publicKey.asymmetricKeyType !== 'ed25519') {
    throw new LedgerError(
      'KEY',
      `the key for ${name} is ${publicKey.asymmetricKeyType ?? 'unknown'}, not Ed25519`,
      {
        fix: 'witness cosignatures (cosignature/v1) need an Ed25519 key',
      },
    );
  }
  const { x } = publicKey.export({ format: 'jwk' });
  return Buffer.from(x as string, 'base64url');
}

function toPublicKey(key: KeyObject): KeyObject {
  return key.type === 'private' ? createPublicKey(key) : key;
}

function posixSeconds(time: Date): bigint {
  const ms = time.getTime();
  if (!Number.isFinite(ms) || ms < 0) {
    throw new LedgerError('CHECKPOINT', `cosignature time ${String(time)} is not a time after 1970`);
  }
  return BigInt(Math.floor(ms / 1000));
}

function keyLabel(name: string, keyId: number): string {
  return `${name}+${keyId.toString(16).padStart(8, '0')}`;
}

function firstForbiddenCharacter(line: string): number | undefined {
  for (let index = 0; index < line.length; index++) {
    const code = line.charCodeAt(index);
    if (code < 0x20) return code;
  }
  return undefined;
}

function codePoint(code: number): string {
  return `U+${code.toString(16).padStart(4, '0').toUpperCase()}`;
}

function hasForbiddenCharacter(text: string): boolean {
  return firstForbiddenCharacter(text) !== undefined;
}
