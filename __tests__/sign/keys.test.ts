import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  developmentKeyFile,
  ensureDevelopmentKey,
  generateKeyPair,
  keyHint,
  loadPrivateKey,
  loadPublicKey,
  parsePrivateKey,
  publicKeyPem,
  writeKeyPair,
} from '../../src/sign/keys.js';
import { refusal } from '../support/refusal.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'model-ledger-keys-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const pem = (key: { export: (options: { type: 'pkcs8' | 'spki'; format: 'pem' }) => string | Buffer }) => ({
  private: key.export({ type: 'pkcs8', format: 'pem' }).toString(),
});

describe('generating keys', () => {
  it('makes a P-256 pair by default and an Ed25519 pair on request, both PEM', () => {
    const p256 = generateKeyPair();
    const key = parsePrivateKey(p256.privateKeyPem, 'p256');
    expect(key.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(p256.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(p256.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(publicKeyPem(key)).toBe(p256.publicKeyPem);

    const ed = generateKeyPair('ed25519');
    expect(createPublicKey(ed.publicKeyPem).asymmetricKeyType).toBe('ed25519');
    const signature = sign(null, Buffer.from('note'), ed.privateKeyPem);
    expect(verify(null, Buffer.from('note'), ed.publicKeyPem, signature)).toBe(true);
  });

  it('gives a public key its own PEM', () => {
    const pair = generateKeyPair();
    expect(publicKeyPem(createPublicKey(pair.publicKeyPem))).toBe(pair.publicKeyPem);
  });
});

describe('reading a private key', () => {
  it('parses PKCS#8 P-256 and names the source in every refusal', async () => {
    const pair = generateKeyPair();
    expect(parsePrivateKey(pair.privateKeyPem, 'signing-key').type).toBe('private');

    let error = await refusal(() => parsePrivateKey(pair.publicKeyPem, 'signing-key'));
    expect({ code: error.code, file: error.file }).toEqual({ code: 'KEY', file: 'signing-key' });
    expect(error.message).toContain('not a PKCS#8 PEM private key (this is a public key)');
    expect(error.fix).toContain('openssl pkcs8 -topk8 -nocrypt');

    error = await refusal(() => parsePrivateKey('hello', 'signing-key'));
    expect(error.message).toContain(
      'not a PKCS#8 PEM private key (expected a PKCS#8 "BEGIN PRIVATE KEY" block)',
    );

    error = await refusal(() =>
      parsePrivateKey('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n', 'signing-key'),
    );
    expect(error.message).toMatch(/signing-key: unreadable private key \(.+\)/);
    expect(String((error.cause as { message?: unknown }).message)).not.toBe('');
  });

  it('refuses keys of another kind or curve, saying which', async () => {
    const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey;
    let error = await refusal(() => parsePrivateKey(pem(p384).private, 'k.pem'));
    expect(error.message).toBe(
      'k.pem: is a EC secp384r1 key; model-ledger signs with ECDSA P-256 — create a key with `model-ledger keygen --out PREFIX`',
    );
    const ed = generateKeyPairSync('ed25519').privateKey;
    error = await refusal(() => parsePrivateKey(pem(ed).private, 'k.pem'));
    expect(error.message).toContain('k.pem: is a ed25519 key; model-ledger signs with ECDSA P-256');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    error = await refusal(() => parsePrivateKey(pem(rsa).private, 'k.pem'));
    expect(error.message).toContain('is a rsa key;');
  });

  it('loads a key file, and says what to check when it cannot', async () => {
    const { privateKeyFile, publicKeyFile } = await writeKeyPair(join(dir, 'load', 'team'));
    expect(keyHint(createPublicKey(await loadPrivateKey(privateKeyFile)))).toBe(
      keyHint(await loadPublicKey(publicKeyFile)),
    );

    const missing = await refusal(() => loadPrivateKey(join(dir, 'absent.pem')));
    expect(missing.code).toBe('KEY');
    expect(missing.file).toBe(join(dir, 'absent.pem'));
    expect(missing.fix).toBe('check the path');
    expect((missing.cause as NodeJS.ErrnoException).code).toBe('ENOENT');
    // The message says why, without repeating the file name or the inner fix.
    expect(missing.message).toMatch(/: cannot read key file \([^—]*\) — check the path$/);
    expect(missing.message.split(join(dir, 'absent.pem')).length).toBe(2);

    const directory = await refusal(() => loadPrivateKey(dir));
    expect(directory.code).toBe('KEY');
    expect(directory.fix).toBe('check the file permissions');
    expect(directory.message).toContain('cannot read key file (');

    const huge = join(dir, 'huge.pem');
    await writeFile(huge, 'A'.repeat(65 * 1024));
    const tooBig = await refusal(() => loadPrivateKey(huge));
    expect(tooBig.code).toBe('KEY');
    expect(tooBig.message).toContain('cannot read key file (');
    expect(tooBig.fix).toBe('check the file permissions');
    // The inner error's file name and fix are not repeated: the file once, one fix.
    expect(tooBig.message.split(huge).length).toBe(2);
    expect(tooBig.message.split(' — ').length).toBe(2);
    expect(tooBig.message).toMatch(/: cannot read key file \(.+\) — check the file permissions$/);
  });
});

describe('reading a public key', () => {
  it('refuses a private key handed to a verifier, and anything else that is not a public key', async () => {
    const pair = generateKeyPair();
    const privateFile = join(dir, 'given.key.pem');
    await writeFile(privateFile, pair.privateKeyPem);
    let error = await refusal(() => loadPublicKey(privateFile));
    expect({ code: error.code, file: error.file }).toEqual({ code: 'KEY', file: privateFile });
    expect(error.message).toContain('not a PEM public key ("BEGIN PUBLIC KEY" block)');
    expect(error.fix).toBe('pass the public half (PREFIX.pub.pem); never hand a private key to a verifier');

    const text = join(dir, 'notes.txt');
    await writeFile(text, 'hello');
    error = await refusal(() => loadPublicKey(text));
    expect(error.fix).toBe('pass the PREFIX.pub.pem written by `model-ledger keygen`');

    const broken = join(dir, 'broken.pub.pem');
    await writeFile(broken, '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n');
    error = await refusal(() => loadPublicKey(broken));
    expect(error.message).toMatch(/unreadable public key \(.+\)/);
    expect(String((error.cause as { message?: unknown }).message)).not.toBe('');

    const p384 = join(dir, 'p384.pub.pem');
    const other = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey;
    await writeFile(p384, other.export({ type: 'spki', format: 'pem' }));
    error = await refusal(() => loadPublicKey(p384));
    expect(error.message).toContain('is a EC secp384r1 key');
  });
});

describe('writing a key pair', () => {
  it('writes PREFIX.key.pem (0600) and PREFIX.pub.pem (0644) in a new directory, and never overwrites', async () => {
    const prefix = join(dir, 'new', 'nested', 'team');
    const files = await writeKeyPair(prefix);
    expect(files).toEqual({ privateKeyFile: `${prefix}.key.pem`, publicKeyFile: `${prefix}.pub.pem` });
    if (process.platform !== 'win32') {
      expect((await stat(files.privateKeyFile)).mode & 0o777).toBe(0o600);
      expect((await stat(files.publicKeyFile)).mode & 0o777).toBe(0o644 & ~process.umask());
    }
    const privateKey = await loadPrivateKey(files.privateKeyFile);
    expect(publicKeyPem(privateKey)).toBe(await readFile(files.publicKeyFile, 'utf8'));

    const before = await readFile(files.privateKeyFile, 'utf8');
    const error = await refusal(() => writeKeyPair(prefix));
    expect({ code: error.code, file: error.file }).toEqual({ code: 'BAD_INPUT', file: files.privateKeyFile });
    expect(error.message).toContain('already exists; refusing to overwrite a key');
    expect(error.fix).toBe('choose another --out prefix or move the old key away');
    expect(await readFile(files.privateKeyFile, 'utf8')).toBe(before);

    const ed = await writeKeyPair(join(dir, 'new', 'witness'), 'ed25519');
    expect(createPublicKey(await readFile(ed.publicKeyFile, 'utf8')).asymmetricKeyType).toBe('ed25519');
  });

  it('says the write failed, and why, when the file system refuses the name', async () => {
    const prefix = join(dir, 'x'.repeat(250));
    const error = await refusal(() => writeKeyPair(prefix));
    expect({ code: error.code, file: error.file }).toEqual({ code: 'IO', file: `${prefix}.key.pem` });
    expect(error.message).toContain('cannot write (');
    expect((error.cause as NodeJS.ErrnoException).code).toBe('ENAMETOOLONG');
  });
});

describe('the development key', () => {
  it('lives in the config directory: XDG_CONFIG_HOME, else HOME/.config, else the home directory', () => {
    expect(developmentKeyFile({ XDG_CONFIG_HOME: '/x/config', HOME: '/home/u' })).toBe(
      '/x/config/model-ledger/development-key.pem',
    );
    expect(developmentKeyFile({ XDG_CONFIG_HOME: '', HOME: '/home/u' })).toBe(
      '/home/u/.config/model-ledger/development-key.pem',
    );
    expect(developmentKeyFile({ HOME: '' })).toBe(
      join(homedir(), '.config', 'model-ledger', 'development-key.pem'),
    );
  });

  it('is created once (mode 0600 in a 0700 directory), then loaded', async () => {
    const env = { XDG_CONFIG_HOME: join(dir, 'config') };
    const first = await ensureDevelopmentKey(env);
    expect(first.created).toBe(true);
    expect(first.file).toBe(join(dir, 'config', 'model-ledger', 'development-key.pem'));
    if (process.platform !== 'win32') {
      expect((await stat(first.file)).mode & 0o777).toBe(0o600);
      expect((await stat(join(dir, 'config', 'model-ledger'))).mode & 0o777).toBe(0o700 & ~process.umask());
    }
    const second = await ensureDevelopmentKey(env);
    expect(second.created).toBe(false);
    expect(second.file).toBe(first.file);
    expect(keyHint(createPublicKey(second.key))).toBe(keyHint(createPublicKey(first.key)));
  });

  it('is not replaced when it exists but cannot be used', async () => {
    const env = { XDG_CONFIG_HOME: join(dir, 'bad-config') };
    const file = developmentKeyFile(env);
    await mkdir(join(dir, 'bad-config', 'model-ledger'), { recursive: true });
    await writeFile(file, 'not a key');
    const error = await refusal(() => ensureDevelopmentKey(env));
    expect(error.code).toBe('KEY');
    expect(error.message).toContain('not a PKCS#8 PEM private key');
    expect(await readFile(file, 'utf8')).toBe('not a key');

    // A directory in its place is an error too, not a reason to write a new key.
    const dirEnv = { XDG_CONFIG_HOME: join(dir, 'dir-config') };
    await mkdir(developmentKeyFile(dirEnv), { recursive: true });
    const unreadable = await refusal(() => ensureDevelopmentKey(dirEnv));
    expect(unreadable.fix).toBe('check the file permissions');
  });
});
