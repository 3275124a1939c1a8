import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

import { LedgerError, describeError, errnoCode } from '../errors.js';
import { readBoundedText } from '../fs/bounded.js';

export interface KeyPairPem {
  privateKeyPem: string;
  publicKeyPem: string;
}

/** A fresh ECDSA P-256 key pair: PKCS#8 private key, SPKI public key, both PEM. */
/** P-256 signs records; Ed25519 is what witnesses cosign checkpoints with (c2sp.org/tlog-cosignature). */
export type KeyAlgorithm = 'p256' | 'ed25519';

export function generateKeyPair(algorithm: KeyAlgorithm = 'p256'): KeyPairPem {
  const { privateKey, publicKey } =
    algorithm === 'ed25519'
      ? generateKeyPairSync('ed25519')
      : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/**
 * The key's identifier carried in a bundle's `publicKey.hint`: the hex SHA-256 of its DER
 * SubjectPublicKeyInfo, so any holder of the public key can recompute it.
 */
export function keyHint(publicKey: KeyObject): string {
  // A KeyObject never changes, and verify asks once per bundle: compute each key's hint once.
  let hint = hints.get(publicKey);
  if (hint === undefined) {
    hint = createHash('sha256')
      .update(publicKey.export({ type: 'spki', format: 'der' }))
      .digest('hex');
    hints.set(publicKey, hint);
  }
  return hint;
}

const hints = new WeakMap<KeyObject, string>();

function assertP256(key: KeyObject, file: string): void {
  const curve = key.asymmetricKeyDetails?.namedCurve;
  // Stryker disable next-line ConditionalExpression: a key that is not EC has no named curve, so the curve test alone refuses it too
  if (key.asymmetricKeyType !== 'ec' || curve !== 'prime256v1') {
    const found =
      key.asymmetricKeyType === 'ec' ? `EC ${curve ?? 'unknown curve'}` : String(key.asymmetricKeyType);
    throw new LedgerError('KEY', `is a ${found} key; model-ledger signs with ECDSA P-256`, {
      file,
      fix: 'create a key with `model-ledger keygen --out PREFIX`',
    });
  }
}

/** A PEM key is a few hundred bytes; a FIFO or a device in its place is refused, not read. */
const MAX_KEY_FILE_BYTES = 64 * 1024;

async function readKeyFile(file: string): Promise<string> {
  try {
    return await readBoundedText(file, MAX_KEY_FILE_BYTES, file, { code: 'KEY' });
  } catch (error) {
    const cause = error instanceof LedgerError ? error.cause : error;
    // The errno stays reachable as `cause` (ensureDevelopmentKey creates a key that is absent).
    throw new LedgerError(
      'KEY',
      `cannot read key file (${describeError(error)
        .replace(`${file}: `, '')
        .replace(/ — .*$/, '')})`,
      {
        file,
        cause: cause ?? error,
        fix: errnoCode(cause) === 'ENOENT' ? 'check the path' : 'check the file permissions',
      },
    );
  }
}

/** Loads a PKCS#8 PEM ECDSA P-256 private key from a file. */
export async function loadPrivateKey(file: string): Promise<KeyObject> {
  return parsePrivateKey(await readKeyFile(file), file);
}

/** Parses PKCS#8 PEM text; `source` names where it came from (a file, an input) in errors. */
export function parsePrivateKey(pem: string, source: string): KeyObject {
  if (!pem.includes('-----BEGIN PRIVATE KEY-----')) {
    const hint = pem.includes('PUBLIC KEY')
      ? 'this is a public key'
      : 'expected a PKCS#8 "BEGIN PRIVATE KEY" block';
    throw new LedgerError('KEY', `not a PKCS#8 PEM private key (${hint})`, {
      file: source,
      fix: 'convert with `openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pkcs8.pem` or create one with `model-ledger keygen`',
    });
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw new LedgerError('KEY', `unreadable private key (${describeError(error)})`, {
      file: source,
      cause: error,
    });
  }
  assertP256(key, source);
  return key;
}

/** Loads an SPKI PEM public key (or derives it from a private key file given by mistake: refused). */
export async function loadPublicKey(file: string): Promise<KeyObject> {
  const pem = await readKeyFile(file);
  if (!pem.includes('-----BEGIN PUBLIC KEY-----')) {
    throw new LedgerError('KEY', 'not a PEM public key ("BEGIN PUBLIC KEY" block)', {
      file,
      fix: pem.includes('PRIVATE KEY')
        ? 'pass the public half (PREFIX.pub.pem); never hand a private key to a verifier'
        : 'pass the PREFIX.pub.pem written by `model-ledger keygen`',
    });
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw new LedgerError('KEY', `unreadable public key (${describeError(error)})`, { file, cause: error });
  }
  assertP256(key, file);
  return key;
}

export function publicKeyPem(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

/** Writes PREFIX.key.pem (mode 0600) and PREFIX.pub.pem; refuses to overwrite either. */
export async function writeKeyPair(
  prefix: string,
  algorithm: KeyAlgorithm = 'p256',
): Promise<{ privateKeyFile: string; publicKeyFile: string }> {
  const pair = generateKeyPair(algorithm);
  const privateKeyFile = `${prefix}.key.pem`;
  const publicKeyFile = `${prefix}.pub.pem`;
  await mkdir(dirname(privateKeyFile), { recursive: true });
  await writeExclusive(privateKeyFile, pair.privateKeyPem, 0o600);
  await writeExclusive(publicKeyFile, pair.publicKeyPem, 0o644);
  return { privateKeyFile, publicKeyFile };
}

async function writeExclusive(file: string, content: string, mode: number): Promise<void> {
  try {
    await writeFile(file, content, { mode, flag: 'wx' });
  } catch (error) {
    if (errnoCode(error) === 'EEXIST') {
      throw new LedgerError('BAD_INPUT', 'already exists; refusing to overwrite a key', {
        file,
        cause: error,
        fix: 'choose another --out prefix or move the old key away',
      });
    }
    throw new LedgerError('IO', `cannot write (${describeError(error)})`, { file, cause: error });
  }
}

/** Where the development key lives: outside any ledger, in the user's config directory. */
export function developmentKeyFile(env: Readonly<Record<string, string | undefined>>): string {
  const configHome = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(configHome, 'model-ledger', 'development-key.pem');
}

/** Loads the development key, creating it (mode 0600) on first use. */
export async function ensureDevelopmentKey(
  env: Readonly<Record<string, string | undefined>>,
): Promise<{ key: KeyObject; file: string; created: boolean }> {
  const file = developmentKeyFile(env);
  try {
    return { key: await loadPrivateKey(file), file, created: false };
  } catch (error) {
    if (!(error instanceof LedgerError) || errnoCode(error.cause) !== 'ENOENT') throw error;
  }
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const pair = generateKeyPair();
  await writeExclusive(file, pair.privateKeyPem, 0o600);
  return { key: createPrivateKey(pair.privateKeyPem), file, created: true };
}

/** Public keys from PEM text, keyed by hint. */
export function keyRing(pems: Iterable<string>): Map<string, KeyObject> {
  const ring = new Map<string, KeyObject>();
  for (const pem of pems) {
    const key = createPublicKey(pem);
    ring.set(keyHint(key), key);
  }
  return ring;
}
