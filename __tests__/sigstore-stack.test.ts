import { createHash, generateKeyPairSync, sign as cryptoSign, X509Certificate } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { ClientRequest } from 'node:http';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bundleFromJSON, bundleToJSON, type Bundle } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { DSSEBundleBuilder, FulcioSigner, RekorWitness, TSAWitness, type Witness } from '@sigstore/sign';
import { Verifier, toSignedEntity, toTrustMaterial, type VerifierOptions } from '@sigstore/verify';

import { DEFAULT_ISSUER, DEFAULT_SUBJECT, decodeJwtClaims, type TokenClaims } from './support/oidc.js';
import { startSigstoreStack, type SigstoreStack } from './support/sigstore-stack.js';

const PAYLOAD_TYPE = 'application/vnd.in-toto+json';
/** Retry quickly: the fault tests need a second attempt, not a realistic back-off. */
const FAST_RETRY = { retries: 2, minTimeout: 5, maxTimeout: 5, factor: 1 };

interface SignOptions {
  claims?: TokenClaims;
  rekor?: boolean;
  tsa?: boolean;
  retry?: typeof FAST_RETRY | number;
}

function statement(n: number): Buffer {
  return Buffer.from(
    JSON.stringify({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [
        {
          name: `model-${n}.safetensors`,
          digest: { sha256: createHash('sha256').update(`m${n}`).digest('hex') },
        },
      ],
      predicateType: 'https://model-ledger.dev/record/v1',
      predicate: { n },
    }),
  );
}

/** Keyless DSSE signing through the stack, then a JSON round trip as if read from a file. */
async function sign(stack: SigstoreStack, data: Buffer, options: SignOptions = {}): Promise<Bundle> {
  const retry = options.retry ?? 0;
  const witnesses: Witness[] = [];
  if (options.rekor ?? true)
    witnesses.push(new RekorWitness({ rekorBaseURL: stack.rekorUrl, entryType: 'dsse', retry }));
  if (options.tsa ?? true) witnesses.push(new TSAWitness({ tsaBaseURL: stack.tsaUrl, retry }));
  const builder = new DSSEBundleBuilder({
    signer: new FulcioSigner({
      fulcioBaseURL: stack.fulcioUrl,
      identityProvider: { getToken: () => stack.token(options.claims) },
      retry,
    }),
    witnesses,
  });
  const bundle = await builder.create({ data, type: PAYLOAD_TYPE });
  return bundleFromJSON(JSON.parse(JSON.stringify(bundleToJSON(bundle))));
}

function verify(
  trustedRoot: object,
  bundle: Bundle,
  identity: { san: string; issuer: string },
  options?: VerifierOptions,
): ReturnType<Verifier['verify']> {
  const verifier = new Verifier(toTrustMaterial(TrustedRoot.fromJSON(trustedRoot)), options);
  return verifier.verify(toSignedEntity(bundle), {
    subjectAlternativeName: identity.san,
    extensions: { issuer: identity.issuer },
  });
}

function canonicalBody(bundle: Bundle): Record<string, unknown> {
  const entry = bundle.verificationMaterial.tlogEntries[0];
  if (!entry) throw new Error('no tlog entry');
  return JSON.parse(entry.canonicalizedBody.toString('utf8')) as Record<string, unknown>;
}

const defaultIdentity = { san: DEFAULT_SUBJECT, issuer: DEFAULT_ISSUER };

describe('local Sigstore stack (Fulcio + Rekor + TSA)', () => {
  let stack: SigstoreStack;
  beforeAll(async () => {
    stack = await startSigstoreStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  it('does not intercept node:http in-process (nock stays unloaded)', () => {
    expect(ClientRequest.name).toBe('ClientRequest');
  });

  it('listens on 127.0.0.1 and describes itself in a trusted root', async () => {
    for (const url of [stack.fulcioUrl, stack.rekorUrl, stack.tsaUrl]) {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    }
    expect(stack.services).toEqual(['fulcio', 'oidc', 'rekor', 'tsa']);
    expect(stack.clock.getTime() % 1000).toBe(0);
    const root = stack.trustedRoot as unknown as {
      mediaType: string;
      tlogs: { baseUrl: string; publicKey: { validFor: { start: string } } }[];
      timestampAuthorities: unknown[];
      certificateAuthorities: unknown[];
      ctlogs: unknown[];
    };
    expect(root.mediaType).toBe('application/vnd.dev.sigstore.trustedroot+json;version=0.1');
    expect(root.tlogs.map((t) => t.baseUrl)).toEqual([stack.rekorUrl]);
    expect(Date.parse(root.tlogs[0]!.publicKey.validFor.start)).toBeLessThan(stack.clock.getTime());
    expect(root.certificateAuthorities).toHaveLength(1);
    expect(root.ctlogs).toHaveLength(1);
    expect(root.timestampAuthorities).toHaveLength(1);
    expect(JSON.parse(await readFile(stack.trustedRootFile, 'utf8'))).toEqual(stack.trustedRoot);
  });

  it('signs keyless and verifies offline, 20 times in a row', async () => {
    for (let n = 0; n < 20; n++) {
      const san = `https://github.com/octo-org/repo-${n}/.github/workflows/ci.yml@refs/heads/main`;
      const issuer = n % 2 === 0 ? DEFAULT_ISSUER : 'https://issuer.example.test';
      const bundle = await sign(stack, statement(n), { claims: { sub: san, iss: issuer } });
      expect(bundle.mediaType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json');
      expect(bundle.verificationMaterial.tlogEntries).toHaveLength(1);
      expect(bundle.verificationMaterial.timestampVerificationData?.rfc3161Timestamps).toHaveLength(1);
      const signer = verify(stack.trustedRoot, bundle, { san, issuer });
      expect(signer.identity?.subjectAlternativeName).toBe(san);
      expect(signer.identity?.extensions?.issuer).toBe(issuer);
    }
  });

  it('verifies with the trusted root read back from its file', async () => {
    const bundle = await sign(stack, statement(100));
    const fromFile = JSON.parse(await readFile(stack.trustedRootFile, 'utf8')) as object;
    expect(() => verify(fromFile, bundle, defaultIdentity)).not.toThrow();
  });

  it('logs DSSE entries canonicalised the way real Rekor does', async () => {
    const data = statement(101);
    const bundle = await sign(stack, data);
    const body = canonicalBody(bundle) as {
      apiVersion: string;
      kind: string;
      spec: {
        proposedContent?: unknown;
        envelopeHash: { algorithm: string; value: string };
        payloadHash: { algorithm: string; value: string };
        signatures: { signature: string; verifier: string }[];
      };
    };
    expect(Object.keys(body).sort()).toEqual(['apiVersion', 'kind', 'spec']);
    expect(body.kind).toBe('dsse');
    expect(body.apiVersion).toBe('0.0.1');
    expect(Object.keys(body.spec).sort()).toEqual(['envelopeHash', 'payloadHash', 'signatures']);
    expect(body.spec.payloadHash).toEqual({
      algorithm: 'sha256',
      value: createHash('sha256').update(data).digest('hex'),
    });
    expect(body.spec.envelopeHash.algorithm).toBe('sha256');
    expect(body.spec.envelopeHash.value).toMatch(/^[0-9a-f]{64}$/);
    expect(body.spec.signatures).toHaveLength(1);
    const [logged] = body.spec.signatures;
    if (bundle.content.$case !== 'dsseEnvelope') throw new Error('not a DSSE bundle');
    expect(logged?.signature).toBe(bundle.content.dsseEnvelope.signatures[0]?.sig.toString('base64'));
    // The verifier is the signing certificate as canonical PEM (64-column lines).
    const pem = Buffer.from(logged?.verifier ?? '', 'base64').toString('utf8');
    expect(pem).toMatch(
      /^-----BEGIN CERTIFICATE-----\n([A-Za-z0-9+/=]{64}\n)*[A-Za-z0-9+/=]{1,64}\n-----END CERTIFICATE-----\n$/,
    );
    const material = bundle.verificationMaterial.content;
    if (material.$case !== 'certificate') throw new Error('expected a single certificate');
    expect(new X509Certificate(pem).raw.equals(material.certificate.rawBytes)).toBe(true);
    // Log entry and timestamp carry the stack's clock.
    expect(bundle.verificationMaterial.tlogEntries[0]?.integratedTime).toBe(
      String(stack.clock.getTime() / 1000),
    );
  });

  it('puts sub in the certificate SAN and iss in its issuer extension; email needs email_verified', async () => {
    const bundle = await sign(stack, statement(102), {
      claims: {
        sub: 'https://example.test/ci/job',
        iss: 'https://ci.example.test',
        email: 'ada@example.org',
      },
    });
    const signer = verify(stack.trustedRoot, bundle, {
      san: 'https://example.test/ci/job',
      issuer: 'https://ci.example.test',
    });
    expect(signer.identity?.subjectAlternativeName).toBe('https://example.test/ci/job');
    expect(decodeJwtClaims(await stack.token({ email: 'ada@example.org' })).email_verified).toBe(true);

    // sigstore-js itself refuses an unverified email before asking Fulcio ...
    const unverified: TokenClaims = { email: 'ada@example.org', email_verified: false };
    await expect(sign(stack, statement(103), { claims: unverified })).rejects.toThrow(
      /invalid identity token/,
    );
    // ... and so does the Fulcio, as does it a token for another audience.
    const certificateRequest = async (claims: TokenClaims): Promise<{ status: number; message: string }> => {
      const response = await fetch(`${stack.fulcioUrl}/api/v2/signingCert`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          credentials: { oidcIdentityToken: await stack.token(claims) },
          publicKeyRequest: { publicKey: { algorithm: 'ECDSA', content: 'unused' }, proofOfPossession: '' },
        }),
      });
      return { status: response.status, message: ((await response.json()) as { message: string }).message };
    };
    expect(await certificateRequest(unverified)).toEqual({
      status: 401,
      message: 'invalid identity token: email_verified claim was false',
    });
    expect(await certificateRequest({ aud: 'not-sigstore' })).toMatchObject({
      status: 401,
      message: /audience/,
    });
    await expect(sign(stack, statement(104), { claims: { aud: 'not-sigstore' } })).rejects.toThrow(
      /signing certificate/,
    );
    // A proof of possession by another key than the one to certify is refused.
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const response = await fetch(`${stack.fulcioUrl}/api/v2/signingCert`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        credentials: { oidcIdentityToken: await stack.token() },
        publicKeyRequest: {
          publicKey: { algorithm: 'ECDSA', content: other.publicKey.export({ format: 'pem', type: 'spki' }) },
          proofOfPossession: cryptoSign(
            'sha256',
            Buffer.from(DEFAULT_SUBJECT),
            generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey,
          ).toString('base64'),
        },
      }),
    });
    expect(response.status).toBe(400);
  });

  it('rejects a bundle whose policy or payload does not match', async () => {
    const bundle = await sign(stack, statement(105));
    expect(() =>
      verify(stack.trustedRoot, bundle, { ...defaultIdentity, san: 'https://evil.example.test' }),
    ).toThrow();
    expect(() =>
      verify(stack.trustedRoot, bundle, { ...defaultIdentity, issuer: 'https://evil.example.test' }),
    ).toThrow();
    if (bundle.content.$case !== 'dsseEnvelope') throw new Error('not a DSSE bundle');
    const tampered: Bundle = {
      ...bundle,
      content: {
        $case: 'dsseEnvelope',
        dsseEnvelope: { ...bundle.content.dsseEnvelope, payload: statement(106) },
      },
    };
    expect(() => verify(stack.trustedRoot, tampered, defaultIdentity)).toThrow();
  });

  it('serves a Rekor fault once, then normal service resumes', async () => {
    stack.faults.next('rekor', { status: 503 }, 1);
    const before = stack.requests.length;
    const bundle = await sign(stack, statement(107), { retry: FAST_RETRY });
    expect(() => verify(stack.trustedRoot, bundle, defaultIdentity)).not.toThrow();
    const rekor = stack.requests.slice(before).filter((r) => r.service === 'rekor');
    expect(rekor.map((r) => [r.method, r.path, r.status, r.fault])).toEqual([
      ['POST', '/api/v1/log/entries', 503, true],
      ['POST', '/api/v1/log/entries', 201, false],
    ]);
  });

  it('fails signing while a fault outlasts the retries, and serves custom fault bodies', async () => {
    stack.faults.next(
      'tsa',
      { status: 429, headers: { 'retry-after': '0' }, body: '{"code":429,"message":"slow down"}' },
      1,
    );
    await expect(sign(stack, statement(108))).rejects.toThrow(/timestamp/);
    const last = stack.requests.filter((r) => r.service === 'tsa').at(-1);
    expect(last).toMatchObject({ status: 429, fault: true });
    // The queue is empty again.
    await expect(sign(stack, statement(109))).resolves.toBeDefined();

    stack.faults.next('fulcio', { status: 500 }, 5);
    stack.faults.clear();
    await expect(sign(stack, statement(110))).resolves.toBeDefined();
  });

  it('answers 409 with the existing entry for a duplicate proposal, and serves entries by UUID', async () => {
    const bundle = await sign(stack, statement(111));
    const material = bundle.verificationMaterial.content;
    if (material.$case !== 'certificate') throw new Error('expected a single certificate');
    const envelope = bundleToJSON(bundle).dsseEnvelope;
    // The same proposal again, with the certificate's PEM on one line (canonical PEM is the same).
    const pem = `-----BEGIN CERTIFICATE-----\n${material.certificate.rawBytes.toString('base64')}\n-----END CERTIFICATE-----\n`;
    const propose = (envelopeText: string): Promise<Response> =>
      fetch(`${stack.rekorUrl}/api/v1/log/entries`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          apiVersion: '0.0.1',
          kind: 'dsse',
          spec: {
            proposedContent: { envelope: envelopeText, verifiers: [Buffer.from(pem).toString('base64')] },
          },
        }),
      });
    const again = await propose(JSON.stringify(envelope));
    expect(again.status).toBe(409);
    const location = again.headers.get('location');
    expect(location).toMatch(/^\/api\/v1\/log\/entries\/[0-9a-f]{64}$/);
    const fetched = await fetch(`${stack.rekorUrl}${location}`);
    expect(fetched.status).toBe(200);
    const entries = Object.values(
      (await fetched.json()) as Record<string, { body: string; logIndex: number }>,
    );
    expect(entries).toHaveLength(1);
    const logged = bundle.verificationMaterial.tlogEntries[0];
    expect(entries[0]?.body).toBe(logged?.canonicalizedBody.toString('base64'));
    expect(String(entries[0]?.logIndex)).toBe(logged?.logIndex);

    // An envelope its verifiers do not verify is refused, as real Rekor does.
    const forged = await propose(JSON.stringify({ ...envelope, payload: statement(112).toString('base64') }));
    expect(forged.status).toBe(400);
    expect(((await forged.json()) as { message: string }).message).toMatch(/verifies/);
    expect((await fetch(`${stack.rekorUrl}/api/v1/log/entries/${'0'.repeat(64)}`)).status).toBe(404);
  });

  it('hands out GitHub Actions style ID tokens', async () => {
    const env = stack.actionsTokenEnv({ repository: 'octo-org/octo-repo' });
    const url = new URL(env.ACTIONS_ID_TOKEN_REQUEST_URL);
    url.searchParams.set('audience', 'sigstore');
    const response = await fetch(url, {
      headers: { Authorization: `bearer ${env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` },
    });
    expect(response.status).toBe(200);
    const { value } = (await response.json()) as { value: string };
    expect(decodeJwtClaims(value)).toMatchObject({
      iss: DEFAULT_ISSUER,
      sub: DEFAULT_SUBJECT,
      aud: 'sigstore',
      repository: 'octo-org/octo-repo',
    });
    const unauthorised = await fetch(url, { headers: { Authorization: 'bearer nope' } });
    expect(unauthorised.status).toBe(401);
  });
});

describe('local Sigstore stack without Rekor (Fulcio + TSA, like GitHub private instance)', () => {
  let stack: SigstoreStack;
  beforeAll(async () => {
    stack = await startSigstoreStack({ services: ['tsa'] });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('signs with a timestamp only and verifies with tlogThreshold 0', async () => {
    expect(stack.services).toEqual(['fulcio', 'oidc', 'tsa']);
    expect((stack.trustedRoot as unknown as { tlogs: unknown[] }).tlogs).toEqual([]);
    for (let n = 0; n < 5; n++) {
      const bundle = await sign(stack, statement(n), { rekor: false });
      expect(bundle.verificationMaterial.tlogEntries).toEqual([]);
      expect(() => verify(stack.trustedRoot, bundle, defaultIdentity, { tlogThreshold: 0 })).not.toThrow();
      expect(() => verify(stack.trustedRoot, bundle, defaultIdentity)).toThrow(/tlog/);
    }
    expect(stack.requests.filter((r) => r.service === 'rekor')).toEqual([]);
  });

  it('answers 404 where Rekor would be', async () => {
    await expect(sign(stack, statement(1))).rejects.toThrow(/tlog/);
    expect(stack.requests.filter((r) => r.service === 'rekor').map((r) => r.status)).toEqual([404]);
  });
});

describe('stack clock', () => {
  it('uses a given whole-second clock for certificates, log entries and timestamps', async () => {
    const clock = new Date(Math.ceil(Date.now() / 1000) * 1000 + 3_600_000);
    const stack = await startSigstoreStack({ clock });
    try {
      expect(stack.clock.toISOString()).toBe(clock.toISOString());
      const bundle = await sign(stack, statement(1));
      expect(() => verify(stack.trustedRoot, bundle, defaultIdentity)).not.toThrow();
      expect(bundle.verificationMaterial.tlogEntries[0]?.integratedTime).toBe(String(clock.getTime() / 1000));
      const material = bundle.verificationMaterial.content;
      if (material.$case !== 'certificate') throw new Error('expected a single certificate');
      const certificate = new X509Certificate(material.certificate.rawBytes);
      expect(Date.parse(certificate.validFrom)).toBe(clock.getTime());
      expect(Date.parse(certificate.validTo)).toBe(clock.getTime() + 600_000);
    } finally {
      await stack.close();
    }
    await expect(stat(stack.trustedRootFile)).rejects.toThrow(/ENOENT/);
  });

  it('refuses a clock off a whole second or before the mock roots', async () => {
    const offSecond = new Date(Math.ceil(Date.now() / 1000) * 1000 + 60_500);
    await expect(startSigstoreStack({ clock: offSecond })).rejects.toThrow(/whole second/);
    await expect(startSigstoreStack({ clock: new Date('2020-01-01T00:00:00Z') })).rejects.toThrow(
      /before the mock/,
    );
  });
});
