/**
 * Choosing and running a signer: `resolveSigner` (key, keyless, development key), the OIDC token
 * sources, the Sigstore instance from the event payload, and the key and keyless signers against
 * a loopback Sigstore (Fulcio, Rekor, TSA and GitHub's OIDC endpoint).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createPrivateKey, createPublicKey, verify, X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { dsse } from '@sigstore/core';

import { verifyNote } from '../../src/checkpoint/note.js';
import { DSSE_PAYLOAD_TYPE } from '../../src/record/predicate.js';
import {
  chooseInstance,
  GITHUB_INSTANCE,
  PUBLIC_GOOD,
  repositoryVisibility,
} from '../../src/sign/instance.js';
import { KeySigner } from '../../src/sign/key-signer.js';
import { KeylessSigner, rekorWitness } from '../../src/sign/keyless.js';
import { generateKeyPair, keyHint, writeKeyPair } from '../../src/sign/keys.js';
import { identityProviderFrom, MISSING_ID_TOKEN_FIX, requireIdentityProvider } from '../../src/sign/oidc.js';
import { DEVELOPMENT_KEY_NOTICE, resolveSigner } from '../../src/sign/resolve.js';
import { startSigstoreStack, type SigstoreStack } from '../support/sigstore-stack.js';
import { decodeJwtClaims } from '../support/oidc.js';
import { refusal } from '../support/refusal.js';

let stack: SigstoreStack;
let dir: string;

beforeAll(async () => {
  stack = await startSigstoreStack();
  dir = await mkdtemp(join(tmpdir(), 'model-ledger-signers-'));
});
afterAll(async () => {
  await stack?.close();
  await rm(dir, { recursive: true, force: true });
});

const PAYLOAD = Buffer.from('{"_type":"https://in-toto.io/Statement/v1"}');

function dsseSignatureValid(
  bundle: { dsseEnvelope?: { signatures: { sig: string }[] } },
  publicKey: Parameters<typeof verify>[2],
): boolean {
  const signature = Buffer.from(bundle.dsseEnvelope?.signatures[0]?.sig ?? '', 'base64');
  return verify('sha256', dsse.preAuthEncoding(DSSE_PAYLOAD_TYPE, PAYLOAD), publicKey, signature);
}

describe('the event payload and the instance', () => {
  it("reads the repository's visibility, or its private flag, or nothing", async () => {
    const event = async (payload: unknown): Promise<Record<string, string>> => {
      const file = join(dir, `event-${Math.random().toString(36).slice(2)}.json`);
      await writeFile(file, JSON.stringify(payload));
      return { GITHUB_EVENT_PATH: file };
    };
    expect(
      await repositoryVisibility(await event({ repository: { visibility: 'internal', private: false } })),
    ).toBe('internal');
    expect(await repositoryVisibility(await event({ repository: { private: true } }))).toBe('private');
    expect(await repositoryVisibility(await event({ repository: { private: false } }))).toBe('public');
    expect(
      await repositoryVisibility(await event({ repository: { visibility: 1, private: 'yes' } })),
    ).toBeUndefined();
    expect(await repositoryVisibility(await event(null))).toBeUndefined();
    expect(await repositoryVisibility(await event({}))).toBeUndefined();
    expect(await repositoryVisibility({ GITHUB_EVENT_PATH: '' })).toBeUndefined();
    expect(await chooseInstance({}, await event({ repository: { private: true } }))).toEqual(GITHUB_INSTANCE);
  });

  it('says the payload cannot be read, naming it', async () => {
    const file = join(dir, 'broken-event.json');
    await writeFile(file, '{"repository": ');
    for (const path of [file, join(dir, 'absent-event.json')]) {
      const error = await refusal(() => repositoryVisibility({ GITHUB_EVENT_PATH: path }));
      expect({ code: error.code, file: error.file }).toEqual({ code: 'BAD_INPUT', file: path });
      expect(error.message).toContain('cannot read the workflow event payload');
      expect(error.cause).toBeDefined();
    }
  });

  it('keeps the custom URLs given, and only those', async () => {
    expect(
      await chooseInstance({ fulcioUrl: 'https://f.example', rekorUrl: 'https://r.example' }, {}),
    ).toEqual({
      name: 'custom',
      fulcioUrl: 'https://f.example',
      rekorUrl: 'https://r.example',
    });
    expect(
      await chooseInstance(
        {
          fulcioUrl: 'https://f.example',
          rekorUrl: 'https://r.example',
          tsaUrl: 'https://t.example',
          instance: 'github',
        },
        {},
      ),
    ).toEqual({
      name: 'custom',
      fulcioUrl: 'https://f.example',
      rekorUrl: 'https://r.example',
      tsaUrl: 'https://t.example',
    });
    const error = await refusal(() => chooseInstance({ fulcioUrl: 'https://f.example' }, {}));
    expect({ code: error.code, field: error.field, fix: error.fix }).toEqual({
      code: 'USAGE',
      field: '--fulcio-url',
      fix: 'add --rekor-url and/or --tsa-url',
    });
    // URLs of the log or TSA alone do not make an instance custom.
    expect(await chooseInstance({ rekorUrl: 'https://r.example', instance: 'github' }, {})).toEqual(
      GITHUB_INSTANCE,
    );
    expect(await chooseInstance({ instance: 'public-good' }, {})).toEqual(PUBLIC_GOOD);
    // An explicit choice wins over the repository's visibility.
    const publicRepo = join(dir, 'public-event.json');
    await writeFile(publicRepo, JSON.stringify({ repository: { visibility: 'public' } }));
    expect(await chooseInstance({ instance: 'github' }, { GITHUB_EVENT_PATH: publicRepo })).toEqual(
      GITHUB_INSTANCE,
    );
  });
});

describe('OIDC tokens', () => {
  it('hands over SIGSTORE_ID_TOKEN as it is', async () => {
    const provider = identityProviderFrom({ SIGSTORE_ID_TOKEN: 'a.b.c' });
    expect(provider?.source).toBe('SIGSTORE_ID_TOKEN');
    expect(await provider?.getToken()).toBe('a.b.c');
    expect(identityProviderFrom({ SIGSTORE_ID_TOKEN: '' })).toBeNull();
    expect(identityProviderFrom({ ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'y' })).toBeNull();
  });

  it("asks GitHub Actions' endpoint for a token with audience sigstore", async () => {
    const provider = identityProviderFrom(
      stack.actionsTokenEnv({ sub: 'repo:acme/model:ref:refs/heads/main' }),
    );
    expect(provider?.source).toBe('GitHub Actions OIDC');
    const token = (await provider?.getToken()) ?? '';
    expect(token.split('.')).toHaveLength(3);
    expect(decodeJwtClaims(token)).toMatchObject({
      aud: 'sigstore',
      sub: 'repo:acme/model:ref:refs/heads/main',
    });
    const asked = stack.requests.filter((request) => request.service === 'oidc').at(-1);
    expect(asked?.path).toMatch(/[?&]audience=sigstore(&|$)/);
  });

  it('says what the endpoint did wrong: refused, no JSON, no token, or not a JWT', async () => {
    const provider = requireIdentityProvider(stack.actionsTokenEnv());
    stack.faults.next('oidc', { status: 403 });
    let error = await refusal(() => provider.getToken());
    expect(error.message).toContain('the GitHub Actions OIDC endpoint answered 403');
    expect({ code: error.code, field: error.field, fix: error.fix }).toEqual({
      code: 'SIGNING',
      field: 'ACTIONS_ID_TOKEN_REQUEST_URL',
      fix: MISSING_ID_TOKEN_FIX,
    });
    for (const body of ['not json', '{"value": 7}', '{"count": 1}', '{"value": "a.b"}', 'null']) {
      stack.faults.next('oidc', { status: 200, body, headers: { 'content-type': 'application/json' } });
      error = await refusal(() => provider.getToken());
      expect({ body, message: error.message }).toEqual({
        body,
        message: 'ACTIONS_ID_TOKEN_REQUEST_URL: the GitHub Actions OIDC endpoint did not return a token',
      });
    }
  });

  it('says the endpoint cannot be reached', async () => {
    const provider = requireIdentityProvider({
      ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:9/token',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'y',
    });
    const error = await refusal(() => provider.getToken());
    expect(error.code).toBe('SIGNING');
    expect(error.message).toMatch(/^cannot reach the GitHub Actions OIDC endpoint \(.+\)$/);
    expect(error.cause).toBeDefined();
  });

  it('names the missing permission in GitHub Actions, and the choices elsewhere', async () => {
    let error = await refusal(() => requireIdentityProvider({ GITHUB_ACTIONS: 'true' }));
    expect(error.message).toBe(
      'keyless signing needs an OIDC token, and this job has no "id-token" permission — add `permissions: id-token: write` to the job',
    );
    error = await refusal(() => requireIdentityProvider({ GITHUB_ACTIONS: 'false' }));
    expect(error.message).toBe(
      `keyless signing needs an OIDC identity token, and none was found — ${MISSING_ID_TOKEN_FIX}`,
    );
  });
});

describe('resolving the signer', () => {
  it('signs with the key given, as text or as a file, when there is no OIDC token', async () => {
    const pair = generateKeyPair();
    const fromPem = await resolveSigner({ keyPem: pair.privateKeyPem }, {});
    expect(fromPem.notices).toEqual([]);
    expect(fromPem.signer.mode).toBe('key');
    expect(fromPem.signer.publicKeyPem).toBe(pair.publicKeyPem);

    const { privateKeyFile, publicKeyFile } = await writeKeyPair(join(dir, 'team'));
    const fromFile = await resolveSigner(
      { signing: 'key', keyFile: privateKeyFile },
      { SIGSTORE_ID_TOKEN: 'a.b.c' },
    );
    expect(fromFile.signer.mode).toBe('key');
    expect((fromFile.signer as KeySigner).hint).toBe(keyHint(createPublicKey(await readFile(publicKeyFile))));
    // The PEM wins over the file.
    const both = await resolveSigner({ keyPem: pair.privateKeyPem, keyFile: privateKeyFile }, {});
    expect(both.signer.publicKeyPem).toBe(pair.publicKeyPem);

    const garbled = await refusal(() => resolveSigner({ keyPem: 'not a key' }, {}));
    expect({ code: garbled.code, file: garbled.file }).toEqual({ code: 'KEY', file: 'signing-key' });

    const error = await refusal(() => resolveSigner({ signing: 'key' }, {}));
    expect({ code: error.code, field: error.field, fix: error.fix }).toEqual({
      code: 'USAGE',
      field: 'signing',
      fix: 'pass --key PEM (or the signing-key input)',
    });
    expect(error.message).toContain('key signing needs a key');
  });

  it('timestamps key-signed records when a TSA is given', async () => {
    const pair = generateKeyPair();
    const { signer } = await resolveSigner(
      { keyPem: pair.privateKeyPem, sigstore: { tsaUrl: stack.tsaUrl } },
      {},
    );
    const bundle = await signer.signStatement(PAYLOAD);
    expect(bundle.verificationMaterial.timestampVerificationData?.rfc3161Timestamps).toHaveLength(1);
    expect(bundle.verificationMaterial.tlogEntries ?? []).toEqual([]);
    expect(dsseSignatureValid(bundle, pair.publicKeyPem)).toBe(true);
    // The authority's client is made once.
    const again = await signer.signStatement(PAYLOAD);
    expect(again.verificationMaterial.timestampVerificationData?.rfc3161Timestamps).toHaveLength(1);
  });

  it('signs keyless when an OIDC token is there, also with a key given, and says on which instance', async () => {
    const pair = generateKeyPair();
    const env = { SIGSTORE_ID_TOKEN: await stack.token() };
    const keyless = await resolveSigner(
      { keyPem: pair.privateKeyPem, sigstore: { fulcioUrl: stack.fulcioUrl, rekorUrl: stack.rekorUrl } },
      env,
    );
    expect(keyless.signer.mode).toBe('keyless');
    expect(keyless.notices).toEqual([
      `signing keyless on the custom Sigstore instance (${stack.fulcioUrl}) with the SIGSTORE_ID_TOKEN token`,
    ]);
    const defaults = await resolveSigner({ signing: 'keyless' }, env);
    expect(defaults.notices).toEqual([
      'signing keyless on the github Sigstore instance (https://fulcio.githubapp.com) with the SIGSTORE_ID_TOKEN token',
    ]);
    const error = await refusal(() => resolveSigner({ signing: 'keyless', keyPem: pair.privateKeyPem }, {}));
    expect(error.message).toContain('keyless signing needs an OIDC identity token');
  });

  it('uses a development key outside CI, created once, and never in CI', async () => {
    const env = { XDG_CONFIG_HOME: join(dir, 'config') };
    const first = await resolveSigner({}, env);
    expect(first.signer.mode).toBe('development-key');
    expect(first.notices).toEqual([
      `created a development key at ${join(dir, 'config', 'model-ledger', 'development-key.pem')} (mode 0600)`,
      DEVELOPMENT_KEY_NOTICE,
    ]);
    const second = await resolveSigner({ signing: 'auto' }, env);
    expect(second.notices).toEqual([DEVELOPMENT_KEY_NOTICE]);
    expect(second.signer.publicKeyPem).toBe(first.signer.publicKeyPem);

    for (const ci of [{ CI: 'true' }, { GITHUB_ACTIONS: 'true' }]) {
      const error = await refusal(() =>
        resolveSigner({}, { ...env, ...ci, XDG_CONFIG_HOME: join(dir, 'ci-config') }),
      );
      expect(error.code).toBe('SIGNING');
    }
    // Not a word of it written in CI.
    expect(existsSync(join(dir, 'ci-config'))).toBe(false);
    expect((await resolveSigner({}, { ...env, CI: 'false', GITHUB_ACTIONS: 'false' })).signer.mode).toBe(
      'development-key',
    );
  });
});

describe('the key signer', () => {
  it('signs checkpoints as signed notes under the given name, and says so when a statement cannot be signed', async () => {
    const pair = generateKeyPair();
    const signer = new KeySigner(createPrivateKey(pair.privateKeyPem), 'development-key');
    expect(signer.mode).toBe('development-key');
    expect(new KeySigner(createPrivateKey(pair.privateKeyPem)).mode).toBe('key');
    const body = 'github.com/acme/model#main\n1\nAAAA\n';
    const checkpoint = await signer.signCheckpoint(body, 'github.com/acme/model#main');
    expect(Object.keys(checkpoint)).toEqual(['note']);
    const verifier = { name: 'github.com/acme/model#main', publicKey: createPublicKey(pair.publicKeyPem) };
    for (const note of [checkpoint.note, signer.signNote(body, 'github.com/acme/model#main')]) {
      expect(note.startsWith(`${body}\n— github.com/acme/model#main `)).toBe(true);
      expect(verifyNote(note, [verifier]).verified).toEqual(['github.com/acme/model#main']);
    }

    const bundle = await signer.signStatement(PAYLOAD);
    // No log entries and no timestamps (JSON leaves the empty lists out).
    expect(bundle.verificationMaterial).toEqual({
      publicKey: { hint: signer.hint },
      timestampVerificationData: {},
    });

    // A signer holding only a public key cannot sign: an error saying so, not a broken bundle.
    const publicOnly = new KeySigner(createPublicKey(pair.publicKeyPem));
    expect(publicOnly.hint).toBe(signer.hint);
    const error = await refusal(() => publicOnly.signStatement(PAYLOAD));
    expect(error.code).toBe('SIGNING');
    expect(error.message).toMatch(/^signing with the local key failed \(.+\)$/);
    expect(error.cause).toBeDefined();
  });
});

describe('the keyless signer', () => {
  it('signs a statement with a Fulcio certificate, logged in Rekor and timestamped', async () => {
    const identity = requireIdentityProvider({ SIGSTORE_ID_TOKEN: await stack.token() });
    const signer = new KeylessSigner({
      instance: {
        name: 'custom',
        fulcioUrl: stack.fulcioUrl,
        rekorUrl: stack.rekorUrl,
        tsaUrl: stack.tsaUrl,
      },
      identity,
    });
    expect(signer.mode).toBe('keyless');
    const bundle = await signer.signStatement(PAYLOAD);
    const certificate = bundle.verificationMaterial.certificate?.rawBytes ?? '';
    expect(
      dsseSignatureValid(bundle, new X509Certificate(Buffer.from(certificate, 'base64')).publicKey),
    ).toBe(true);
    expect(bundle.verificationMaterial.tlogEntries).toHaveLength(1);
    expect(bundle.verificationMaterial.tlogEntries[0]?.kindVersion?.kind).toBe('dsse');
    expect(bundle.verificationMaterial.timestampVerificationData?.rfc3161Timestamps).toHaveLength(1);
  });

  it('signs a checkpoint whose note signature is the certificate key', async () => {
    const signer = new KeylessSigner({
      instance: { name: 'custom', fulcioUrl: stack.fulcioUrl, tsaUrl: stack.tsaUrl },
      identity: requireIdentityProvider({ SIGSTORE_ID_TOKEN: await stack.token() }),
    });
    const rekorBefore = stack.requests.filter((request) => request.service === 'rekor').length;
    const body = 'github.com/acme/model#main\n1\nAAAA\n';
    const signed = await signer.signCheckpoint(body, 'github.com/acme/model#main');
    expect(signed.note.startsWith(`${body}\n— github.com/acme/model#main `)).toBe(true);
    const material = signed.bundle?.verificationMaterial;
    const certificate = Buffer.from(
      material?.certificate?.rawBytes ?? material?.x509CertificateChain?.certificates[0]?.rawBytes ?? '',
      'base64',
    );
    expect(certificate.length).toBeGreaterThan(0);
    const publicKey = new X509Certificate(certificate).publicKey;
    expect(verifyNote(signed.note, [{ name: 'github.com/acme/model#main', publicKey }]).verified).toEqual([
      'github.com/acme/model#main',
    ]);
    expect(signed.bundle?.messageSignature?.signature).toBeDefined();
    // No Rekor URL: nothing logged, only timestamped.
    expect(stack.requests.filter((request) => request.service === 'rekor').length).toBe(rekorBefore);
    expect(signed.bundle?.verificationMaterial.timestampVerificationData?.rfc3161Timestamps).toHaveLength(1);
  });

  it('says which instance failed, and what to check, with few retries when asked', async () => {
    const signer = new KeylessSigner({
      instance: { name: 'custom', fulcioUrl: stack.fulcioUrl, rekorUrl: stack.rekorUrl },
      identity: requireIdentityProvider({ SIGSTORE_ID_TOKEN: await stack.token() }),
      retries: 0,
      timeoutMs: 5000,
    });
    stack.faults.next('fulcio', { status: 500 }, 2);
    let error = await refusal(() => signer.signStatement(PAYLOAD));
    expect(error.code).toBe('SIGNING');
    expect(error.message).toMatch(
      /^keyless signing of the record on the custom Sigstore instance failed \(.+\)/,
    );
    expect(error.fix).toBe(
      `check that ${stack.fulcioUrl} is reachable and the OIDC token (SIGSTORE_ID_TOKEN) is valid`,
    );
    error = await refusal(() => signer.signCheckpoint('body\n', 'name'));
    expect(error.message).toMatch(
      /^keyless signing of the checkpoint on the custom Sigstore instance failed/,
    );
    stack.faults.clear();
  });

  it('makes Rekor witnesses that log DSSE entries, set to reuse an entry Rekor already has', async () => {
    const pair = generateKeyPair();
    const signer = new KeySigner(createPrivateKey(pair.privateKeyPem));
    const bundle = await signer.signStatement(PAYLOAD);
    const envelope = bundle.dsseEnvelope as {
      payload: string;
      payloadType: string;
      signatures: { sig: string }[];
    };
    const witness = rekorWitness(stack.rekorUrl, { retry: { retries: 0 } });
    const logged = await witness.testify(
      {
        $case: 'dsseEnvelope',
        dsseEnvelope: {
          payload: PAYLOAD,
          payloadType: envelope.payloadType,
          signatures: [{ sig: Buffer.from(envelope.signatures[0]?.sig ?? '', 'base64'), keyid: '' }],
        },
      },
      pair.publicKeyPem,
    );
    expect(logged.tlogEntries[0]?.kindVersion?.kind).toBe('dsse');
    // The 409 path itself is keyless.test.ts's; here, that the witness is made to take it.
    expect((witness as unknown as { tlogV1: { fetchOnConflict: boolean } }).tlogV1.fetchOnConflict).toBe(
      true,
    );
  });
});
