import {
  X509Certificate,
  createHash,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  verify as verifySignature,
  type KeyObject,
} from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

// Deep imports on purpose: the package root (`@sigstore/mock`) loads nock, which patches
// node:http for the whole process on import. These modules are the bare handlers and fakes.
import { fulcioHandler, initializeCA, initializeCTLog } from '@sigstore/mock/dist/fulcio/index.js';
import { initializeTLog, rekorHandler } from '@sigstore/mock/dist/rekor/index.js';
import type { HandlerFn, HandlerFnResult } from '@sigstore/mock/dist/shared.types.js';
import { initializeTSA, tsaHandler } from '@sigstore/mock/dist/timestamp/index.js';
import { HashAlgorithm, PublicKeyDetails, TrustedRoot } from '@sigstore/protobuf-specs';

import { SIGSTORE_AUDIENCE, createTokenIssuer, decodeJwtClaims, type TokenClaims } from './oidc.js';

/**
 * A local Sigstore stack for tests: the Fulcio, Rekor and TSA fakes of `@sigstore/mock` behind real
 * `node:http` servers on 127.0.0.1 (one port per service, each at its root path like the real
 * services), a trusted root that verifies what they issue, OIDC tokens the Fulcio accepts, a
 * GitHub Actions style ID-token endpoint, switchable faults and a log of the requests received.
 *
 * Where the mock differs from the real service in a way a verifier notices, the stack behaves
 * like the real service:
 * - Rekor canonicalises `dsse` (and `hashedrekord`) entries before logging them, as real Rekor
 *   does, so the logged body has `envelopeHash`, `payloadHash` and `signatures[{signature,
 *   verifier}]` (the mock would log the proposal as sent); it also rejects envelopes whose
 *   signatures its verifiers do not verify, answers 409 with `Location` for a duplicate entry and
 *   serves `GET /api/v1/log/entries/{uuid}`.
 * - Fulcio checks the token's audience (`sigstore`), `email_verified` when there is an `email`,
 *   and the proof of possession (a signature over the email, else `sub`, by the key to certify).
 * - Errors are JSON `{code, message}` as the real services answer.
 *
 * The clock: all fakes share one clock on a whole second (the mock TSA writes fractional seconds
 * without trailing zeros, which @sigstore/core cannot parse), which stays fixed for the stack's
 * life. Certificates are valid for 10 minutes from it; every timestamp and log entry carries it.
 */

export type SigstoreService = 'fulcio' | 'rekor' | 'tsa' | 'oidc';

/** A canned answer served instead of the real one. */
export interface FaultResponse {
  status: number;
  headers?: Record<string, string>;
  /** Defaults to a JSON error `{code, message}`. */
  body?: string;
  /** Wait this long before answering (to provoke client timeouts). */
  delayMs?: number;
}

export interface RecordedRequest {
  service: SigstoreService;
  method: string;
  /** Path and query, as received. */
  path: string;
  /** Status answered; 0 while the request is in flight. */
  status: number;
  /** True when a queued fault answered it. */
  fault: boolean;
}

export interface SigstoreStackOptions {
  /**
   * The one clock of all the fakes: a whole second, not before now (the mock's root certificates
   * are issued at the real time the stack starts). Default: the next whole second after startup.
   */
  clock?: Date;
  /**
   * Which witnesses to run besides Fulcio. Default both. `['tsa']` is GitHub's private instance
   * (Fulcio + TSA, nothing published); verify its bundles with `tlogThreshold: 0`.
   */
  services?: readonly ('rekor' | 'tsa')[];
}

/** A trusted root in protobuf JSON form. */
export interface TrustedRootJSON {
  mediaType: string;
  tlogs: unknown[];
  certificateAuthorities: unknown[];
  ctlogs: unknown[];
  timestampAuthorities: unknown[];
}

export interface SigstoreStack {
  /** Fulcio base URL (`FulcioSigner`'s `fulcioBaseURL`). */
  readonly fulcioUrl: string;
  /**
   * Rekor base URL (`RekorWitness`'s `rekorBaseURL`); also the trusted root's `tlogs[].baseUrl`.
   * Without 'rekor' in `services` it is still a URL, whose every request answers 404.
   */
  readonly rekorUrl: string;
  /** TSA base URL (`TSAWitness`'s `tsaBaseURL`). Without 'tsa' in `services`, every request answers 404. */
  readonly tsaUrl: string;
  /** The services running: always 'fulcio' and 'oidc', then the chosen witnesses. */
  readonly services: readonly SigstoreService[];
  /** The fixed time every certificate, SCT, log entry and timestamp carries. */
  readonly clock: Date;
  /** Verifies what this stack issues (media type application/vnd.dev.sigstore.trustedroot+json;version=0.1). */
  readonly trustedRoot: TrustedRootJSON;
  /** The same trusted root, written to a temp file (removed by `close`). */
  readonly trustedRootFile: string;
  /** A JWT the Fulcio accepts for this identity; defaults in ./oidc.ts (iss GitHub Actions, aud sigstore). */
  token(claims?: TokenClaims): Promise<string>;
  /**
   * Environment for GitHub Actions' OIDC flow: a request URL on this stack that answers
   * `{value: <jwt>}` for `Authorization: bearer <token>`, with `aud` from the `audience` query
   * parameter (the repository owner's URL without one, as GitHub does).
   */
  actionsTokenEnv(claims?: TokenClaims): {
    ACTIONS_ID_TOKEN_REQUEST_URL: string;
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: string;
  };
  /** Switchable faults for retry tests. */
  readonly faults: {
    /** Answer the next `times` (default 1) requests to `service` with `response`, then serve normally. */
    next(service: SigstoreService, response: FaultResponse, times?: number): void;
    /** Drop all queued faults. */
    clear(): void;
  };
  /** Every request received, in order of arrival. */
  readonly requests: RecordedRequest[];
  /**
   * The Fulcio CA's root certificate (DER, as in the trusted root) and its private key, for tests
   * that issue certificates Fulcio never would (no SCT, a CA as leaf, expired).
   */
  readonly fulcioCA: { certificate: Buffer; privateKey: KeyObject };
  close(): Promise<void>;
}

const TRUSTED_ROOT_MEDIA_TYPE = 'application/vnd.dev.sigstore.trustedroot+json;version=0.1';
/** Trusted root validity starts this long before the clock. */
const VALIDITY_LEAD_MS = 60_000;
/** What a GitHub Actions token's `aud` is when no audience is asked for. */
const ACTIONS_DEFAULT_AUDIENCE = 'https://github.com/octo-org';
const ACTIONS_TOKEN_PATH = '/_apis/distributedtask/idtoken';
const REKOR_ENTRIES_PATH = '/api/v1/log/entries';

export async function startSigstoreStack(options: SigstoreStackOptions = {}): Promise<SigstoreStack> {
  const witnesses = options.services ?? ['rekor', 'tsa'];
  const hasRekor = witnesses.includes('rekor');
  const hasTsa = witnesses.includes('tsa');
  const running: SigstoreService[] = [
    'fulcio',
    'oidc',
    ...(hasRekor ? ['rekor' as const] : []),
    ...(hasTsa ? ['tsa' as const] : []),
  ];

  if (options.clock !== undefined && options.clock.getTime() % 1000 !== 0) {
    throw new Error(`startSigstoreStack: clock ${options.clock.toISOString()} is not on a whole second`);
  }
  // One Date shared by reference with every fake (they read it on each use), so it can be set
  // once the root certificates exist.
  const clock = new Date(options.clock?.getTime() ?? 0);

  const requests: RecordedRequest[] = [];
  const faultQueues = new Map<SigstoreService, { response: FaultResponse; remaining: number }[]>();
  const closing = new AbortController();
  const servers: Server[] = [];
  const tokens = createTokenIssuer(() => clock);
  const actionsTokens = new Map<string, TokenClaims>();

  const takeFault = (service: SigstoreService): FaultResponse | undefined => {
    const queue = faultQueues.get(service);
    const head = queue?.[0];
    if (!queue || !head) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) queue.shift();
    return head.response;
  };

  const listen = async (service: SigstoreService, route: Route): Promise<string> => {
    const server = createServer((req, res) => {
      void (async () => {
        const record: RecordedRequest = {
          service,
          method: req.method ?? 'GET',
          path: req.url ?? '/',
          status: 0,
          fault: false,
        };
        requests.push(record);
        let reply: Reply;
        try {
          const body = await readBody(req);
          const fault = takeFault(service);
          if (fault) {
            record.fault = true;
            if (fault.delayMs) await sleep(fault.delayMs, undefined, { signal: closing.signal });
            reply = {
              status: fault.status,
              headers: fault.headers,
              ...(fault.body !== undefined
                ? { body: fault.body }
                : jsonError(fault.status, `fault injected by the test (${service})`)),
            };
          } else {
            const url = new URL(record.path, 'http://127.0.0.1');
            reply =
              (await route(record.method, url, body, req)) ??
              jsonError(404, `${service}: no route for ${record.method} ${url.pathname}`);
          }
        } catch (error) {
          reply =
            error instanceof HttpError
              ? jsonError(error.status, error.message)
              : jsonError(500, error instanceof Error ? error.message : String(error));
        }
        record.status = reply.status;
        if (res.destroyed) return;
        const headers: Record<string, string> = { ...reply.headers };
        if (reply.contentType && !hasHeader(headers, 'content-type'))
          headers['content-type'] = reply.contentType;
        res.writeHead(reply.status, headers);
        res.end(reply.body ?? '');
      })();
    });
    servers.push(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };

  const tempDir = await mkdtemp(join(tmpdir(), 'model-ledger-sigstore-'));
  try {
    // Ports first: the Rekor's checkpoint origin is named after its URL.
    const routes = new Map<SigstoreService, Route>();
    const dispatch =
      (service: SigstoreService): Route =>
      (method, url, body, req) => {
        const route = routes.get(service);
        if (!route) throw new HttpError(404, `${service} is not part of this stack`);
        return route(method, url, body, req);
      };
    const fulcioUrl = await listen('fulcio', dispatch('fulcio'));
    const rekorUrl = await listen('rekor', dispatch('rekor'));
    const tsaUrl = await listen('tsa', dispatch('tsa'));
    const oidcUrl = await listen('oidc', dispatch('oidc'));

    const ctLog = await initializeCTLog(newKeyPair(), clock);
    const caKeys = newKeyPair();
    const ca = await initializeCA(caKeys, ctLog, clock);
    const tlogKeys = newKeyPair();
    const tlog = await initializeTLog(rekorUrl, tlogKeys, clock);
    const tsa = await initializeTSA(newKeyPair(), clock);

    const caRoot = toBuffer(ca.rootCertificate);
    const tsaRoot = toBuffer(tsa.rootCertificate);
    const tsaIntermediate = toBuffer(tsa.intCertificate);
    // The mock issues its root and TSA certificates at the real time, whatever the clock.
    const rootsValidFrom = Math.max(...[caRoot, tsaRoot, tsaIntermediate].map(validFrom));
    if (options.clock === undefined) {
      clock.setTime(Math.max(Math.ceil(Date.now() / 1000) * 1000, rootsValidFrom));
    } else if (clock.getTime() < rootsValidFrom) {
      throw new Error(
        `startSigstoreStack: clock ${clock.toISOString()} is before the mock's root certificates ` +
          `(valid from ${new Date(rootsValidFrom).toISOString()}); use a clock at or after now`,
      );
    }

    routes.set('fulcio', fulcioRoute(fulcioHandler(ca).fn, caRoot));
    if (hasRekor) routes.set('rekor', rekorRoute(rekorHandler(tlog).fn));
    if (hasTsa) routes.set('tsa', tsaRoute(tsaHandler(tsa).fn, [tsaIntermediate, tsaRoot]));
    routes.set(
      'oidc',
      actionsTokenRoute(actionsTokens, (claims) => tokens.mint(claims)),
    );

    const validFor = { start: new Date(clock.getTime() - VALIDITY_LEAD_MS) };
    const tlogPublicKey = tlogKeys.publicKey.export({ format: 'der', type: 'spki' });
    const rootJson = TrustedRoot.toJSON({
      mediaType: TRUSTED_ROOT_MEDIA_TYPE,
      tlogs: hasRekor
        ? [
            {
              baseUrl: rekorUrl,
              hashAlgorithm: HashAlgorithm.SHA2_256,
              publicKey: {
                rawBytes: tlogPublicKey,
                keyDetails: PublicKeyDetails.PKIX_ECDSA_P256_SHA_256,
                validFor,
              },
              logId: { keyId: sha256(tlogPublicKey) },
              checkpointKeyId: undefined,
              operator: 'model-ledger tests',
            },
          ]
        : [],
      certificateAuthorities: [
        {
          subject: { organization: 'sigstore.mock', commonName: 'sigstore' },
          uri: fulcioUrl,
          certChain: { certificates: [{ rawBytes: caRoot }] },
          validFor,
          operator: 'model-ledger tests',
        },
      ],
      ctlogs: [
        {
          baseUrl: `${fulcioUrl}/ctlog`,
          hashAlgorithm: HashAlgorithm.SHA2_256,
          publicKey: {
            rawBytes: ctLog.publicKey,
            keyDetails: PublicKeyDetails.PKIX_ECDSA_P256_SHA_256,
            validFor,
          },
          logId: { keyId: toBuffer(ctLog.logID) },
          checkpointKeyId: undefined,
          operator: 'model-ledger tests',
        },
      ],
      timestampAuthorities: hasTsa
        ? [
            {
              subject: { organization: 'sigstore.mock', commonName: 'tsa' },
              uri: tsaUrl,
              certChain: { certificates: [{ rawBytes: tsaIntermediate }, { rawBytes: tsaRoot }] },
              validFor,
              operator: 'model-ledger tests',
            },
          ]
        : [],
    }) as Partial<TrustedRootJSON>;
    // Protobuf JSON leaves out empty lists; keep every field, as published trusted roots do.
    const trustedRoot: TrustedRootJSON = {
      mediaType: TRUSTED_ROOT_MEDIA_TYPE,
      tlogs: rootJson.tlogs ?? [],
      certificateAuthorities: rootJson.certificateAuthorities ?? [],
      ctlogs: rootJson.ctlogs ?? [],
      timestampAuthorities: rootJson.timestampAuthorities ?? [],
    };
    const trustedRootFile = join(tempDir, 'trusted_root.json');
    await writeFile(trustedRootFile, `${JSON.stringify(trustedRoot, null, 2)}\n`);

    return {
      fulcioUrl,
      rekorUrl,
      tsaUrl,
      services: running,
      clock: new Date(clock.getTime()),
      trustedRoot,
      trustedRootFile,
      token: (claims) => Promise.resolve(tokens.mint(claims)),
      actionsTokenEnv(claims = {}) {
        const requestToken = randomBytes(16).toString('hex');
        actionsTokens.set(requestToken, claims);
        return {
          ACTIONS_ID_TOKEN_REQUEST_URL: `${oidcUrl}${ACTIONS_TOKEN_PATH}?api-version=2.0`,
          ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken,
        };
      },
      faults: {
        next(service, response, times = 1) {
          if (!Number.isInteger(times) || times < 1)
            throw new Error(`faults.next: times must be >= 1, got ${times}`);
          const queue = faultQueues.get(service) ?? [];
          queue.push({ response, remaining: times });
          faultQueues.set(service, queue);
        },
        clear: () => faultQueues.clear(),
      },
      requests,
      fulcioCA: { certificate: caRoot, privateKey: caKeys.privateKey },
      close: () => shutdown(servers, closing, tempDir),
    };
  } catch (error) {
    await shutdown(servers, closing, tempDir);
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP plumbing

interface Reply {
  status: number;
  body?: string | Buffer;
  contentType?: string;
  headers?: Record<string, string> | undefined;
}

/** Answers a request, or undefined for 404. */
type Route = (method: string, url: URL, body: Buffer, req: IncomingMessage) => Promise<Reply | undefined>;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function jsonError(status: number, message: string): Reply {
  return { status, body: JSON.stringify({ code: status, message }), contentType: 'application/json' };
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function textOf(result: HandlerFnResult): string {
  return typeof result.response === 'string' ? result.response : toBuffer(result.response).toString('utf8');
}

/** A mock handler's result as a reply; its plain-text errors become JSON errors. */
function fromHandler(result: HandlerFnResult, headers?: Record<string, string>): Reply {
  const body = typeof result.response === 'string' ? result.response : toBuffer(result.response);
  if (result.statusCode >= 400 && !result.contentType) return jsonError(result.statusCode, body.toString());
  return { status: result.statusCode, body, contentType: result.contentType, headers };
}

async function shutdown(servers: Server[], closing: AbortController, tempDir: string): Promise<void> {
  closing.abort();
  await Promise.all(
    servers.map(
      (server) =>
        new Promise<void>((resolve) => {
          if (!server.listening) return resolve();
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    ),
  );
  await rm(tempDir, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------
// Services

function fulcioRoute(handle: HandlerFn, root: Buffer): Route {
  return async (method, url, body) => {
    if (method === 'POST' && url.pathname === '/api/v2/signingCert') {
      checkCertificateRequest(body.toString('utf8'));
      return fromHandler(await handle(body.toString('utf8')));
    }
    if (method === 'GET' && url.pathname === '/api/v2/trustBundle') {
      const chains = [{ certificates: [pemEncode('CERTIFICATE', root)] }];
      return { status: 200, body: JSON.stringify({ chains }), contentType: 'application/json' };
    }
    return undefined;
  };
}

/** What real Fulcio checks and the mock does not: audience, verified email, proof of possession. */
function checkCertificateRequest(body: string): void {
  const request = asObject(parseJson(body), 'request');
  const token = asString(asObject(request.credentials, 'credentials').oidcIdentityToken, 'oidcIdentityToken');
  let claims: Record<string, unknown>;
  try {
    claims = decodeJwtClaims(token);
  } catch (error) {
    throw new HttpError(
      401,
      `invalid identity token: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const audiences = Array.isArray(claims.aud) ? (claims.aud as unknown[]) : [claims.aud];
  if (!audiences.includes(SIGSTORE_AUDIENCE)) {
    throw new HttpError(
      401,
      `invalid identity token: audience ${JSON.stringify(claims.aud)} is not "${SIGSTORE_AUDIENCE}"`,
    );
  }
  if (claims.email !== undefined && claims.email_verified !== true) {
    throw new HttpError(401, 'invalid identity token: email_verified claim was false');
  }
  if (request.publicKeyRequest === undefined) return; // a CSR carries its own proof
  const publicKeyRequest = asObject(request.publicKeyRequest, 'publicKeyRequest');
  const pem = asString(asObject(publicKeyRequest.publicKey, 'publicKey').content, 'publicKey.content');
  const proof = Buffer.from(asString(publicKeyRequest.proofOfPossession, 'proofOfPossession'), 'base64');
  const subject = typeof claims.email === 'string' ? claims.email : claims.sub;
  if (typeof subject !== 'string') throw new HttpError(401, 'invalid identity token: no subject');
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (error) {
    throw new HttpError(400, `invalid public key: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!verifies(key, Buffer.from(subject, 'utf8'), proof)) {
    throw new HttpError(400, 'The signature supplied in the request could not be verified');
  }
}

function rekorRoute(handle: HandlerFn): Route {
  const entries = new Map<string, unknown>(); // uuid → entry
  const uuidByBody = new Map<string, string>(); // canonical body (base64) → uuid
  return async (method, url, body) => {
    if (method === 'POST' && url.pathname === REKOR_ENTRIES_PATH) {
      const canonical = canonicalRekorEntry(body.toString('utf8'));
      const result = await handle(JSON.stringify(canonical));
      if (result.statusCode !== 201) return fromHandler(result);
      const response = asObject(parseJson(textOf(result)), 'mock rekor response');
      const [uuid, entry] = Object.entries(response)[0] ?? [];
      if (uuid === undefined) throw new Error('the mock Rekor answered no entry');
      const logged = asString(asObject(entry, 'entry').body, 'entry.body');
      const existing = uuidByBody.get(logged);
      if (existing !== undefined) {
        return {
          ...jsonError(
            409,
            `an equivalent entry already exists in the transparency log with UUID ${existing}`,
          ),
          headers: { location: `${REKOR_ENTRIES_PATH}/${existing}` },
        };
      }
      entries.set(uuid, entry);
      uuidByBody.set(logged, uuid);
      return fromHandler(result, { location: `${REKOR_ENTRIES_PATH}/${uuid}`, etag: uuid });
    }
    const uuid = url.pathname.startsWith(`${REKOR_ENTRIES_PATH}/`)
      ? url.pathname.slice(REKOR_ENTRIES_PATH.length + 1)
      : undefined;
    if (method === 'GET' && uuid !== undefined) {
      const entry = entries.get(uuid);
      if (entry === undefined) return jsonError(404, `entry ${uuid} not found`);
      return { status: 200, body: JSON.stringify({ [uuid]: entry }), contentType: 'application/json' };
    }
    return undefined;
  };
}

function tsaRoute(handle: HandlerFn, chain: Buffer[]): Route {
  return async (method, url, body) => {
    if (method === 'POST' && url.pathname === '/api/v1/timestamp') {
      return fromHandler(await handle(body.toString('utf8')));
    }
    if (method === 'GET' && url.pathname === '/api/v1/timestamp/certchain') {
      const pem = chain.map((der) => pemEncode('CERTIFICATE', der)).join('');
      return { status: 200, body: pem, contentType: 'application/pem-certificate-chain' };
    }
    return undefined;
  };
}

function actionsTokenRoute(known: Map<string, TokenClaims>, mint: (claims: TokenClaims) => string): Route {
  return (method, url, _body, req) => {
    if (method !== 'GET' || url.pathname !== ACTIONS_TOKEN_PATH) return Promise.resolve(undefined);
    const match = /^bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const claims = match?.[1] !== undefined ? known.get(match[1]) : undefined;
    if (claims === undefined) return Promise.resolve(jsonError(401, 'bad or missing bearer token'));
    const aud = url.searchParams.get('audience') ?? ACTIONS_DEFAULT_AUDIENCE;
    const value = mint({ ...claims, aud });
    return Promise.resolve({
      status: 200,
      body: JSON.stringify({ count: 1, value }),
      contentType: 'application/json',
    });
  };
}

// ---------------------------------------------------------------------------------------------
// Rekor canonicalisation (what real Rekor logs, rather than the proposal as sent)

/** The entry as real Rekor would log it: `dsse` and `hashedrekord` v0.0.1 canonicalised, others as sent. */
function canonicalRekorEntry(body: string): Record<string, unknown> {
  const entry = asObject(parseJson(body), 'proposed entry');
  if (entry.kind === 'dsse' && entry.apiVersion === '0.0.1')
    return canonicalDsse(asObject(entry.spec, 'spec'));
  if (entry.kind === 'hashedrekord' && entry.apiVersion === '0.0.1') {
    return canonicalHashedRekord(asObject(entry.spec, 'spec'));
  }
  return entry;
}

/**
 * A DSSE proposal `{proposedContent: {envelope, verifiers}}` becomes `{envelopeHash, payloadHash,
 * signatures}`: the SHA-256 of the envelope text as sent, the SHA-256 of the decoded payload, and
 * for each distinct signature (sorted) the verifier that verifies it, as base64 of its PEM.
 */
function canonicalDsse(spec: Record<string, unknown>): Record<string, unknown> {
  if (spec.envelopeHash !== undefined || spec.payloadHash !== undefined || spec.signatures !== undefined) {
    throw new HttpError(400, 'either proposedContent or envelopeHash, payloadHash and signatures, not both');
  }
  const proposed = asObject(spec.proposedContent, 'proposedContent');
  const envelopeText = asString(proposed.envelope, 'proposedContent.envelope');
  const envelope = asObject(parseJson(envelopeText), 'envelope');
  const payloadType = asString(envelope.payloadType, 'envelope.payloadType');
  const payload = Buffer.from(asString(envelope.payload, 'envelope.payload'), 'base64');
  const signatures = asArray(envelope.signatures, 'envelope.signatures').map((signature) =>
    asString(asObject(signature, 'envelope signature').sig, 'envelope signature sig'),
  );
  if (signatures.length === 0) throw new HttpError(400, 'the envelope has no signatures');
  const verifiers = asArray(proposed.verifiers, 'proposedContent.verifiers').map((verifier) =>
    parseVerifier(Buffer.from(asString(verifier, 'verifier'), 'base64').toString('utf8')),
  );
  const pae = preAuthEncoding(payloadType, payload);
  const canonicalSignatures = [...new Set(signatures)].sort().map((signature) => {
    const verifier = verifiers.find(({ key }) => verifies(key, pae, Buffer.from(signature, 'base64')));
    if (!verifier) throw new HttpError(400, 'all signatures must have a key that verifies it');
    return { signature, verifier: Buffer.from(verifier.pem, 'utf8').toString('base64') };
  });
  return {
    apiVersion: '0.0.1',
    kind: 'dsse',
    spec: {
      envelopeHash: { algorithm: 'sha256', value: sha256(Buffer.from(envelopeText, 'utf8')).toString('hex') },
      payloadHash: { algorithm: 'sha256', value: sha256(payload).toString('hex') },
      signatures: canonicalSignatures,
    },
  };
}

/** hashedrekord keeps its fields; the public key is re-encoded as canonical PEM. */
function canonicalHashedRekord(spec: Record<string, unknown>): Record<string, unknown> {
  const signature = asObject(spec.signature, 'signature');
  const publicKey = asObject(signature.publicKey, 'signature.publicKey');
  const hash = asObject(asObject(spec.data, 'data').hash, 'data.hash');
  const verifier = parseVerifier(
    Buffer.from(asString(publicKey.content, 'publicKey.content'), 'base64').toString('utf8'),
  );
  return {
    apiVersion: '0.0.1',
    kind: 'hashedrekord',
    spec: {
      data: {
        hash: {
          algorithm: asString(hash.algorithm, 'hash.algorithm'),
          value: asString(hash.value, 'hash.value'),
        },
      },
      signature: {
        content: asString(signature.content, 'signature.content'),
        publicKey: { content: Buffer.from(verifier.pem, 'utf8').toString('base64') },
      },
    },
  };
}

/** A PEM certificate or public key: its key and its canonical PEM (64-column, trailing newline). */
function parseVerifier(pem: string): { key: KeyObject; pem: string } {
  try {
    if (pem.includes('-----BEGIN CERTIFICATE-----')) {
      const certificate = new X509Certificate(pem);
      return { key: certificate.publicKey, pem: pemEncode('CERTIFICATE', certificate.raw) };
    }
    const key = createPublicKey(pem);
    return { key, pem: pemEncode('PUBLIC KEY', key.export({ format: 'der', type: 'spki' })) };
  } catch (error) {
    throw new HttpError(
      400,
      `could not parse verifier: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** DSSE's pre-authentication encoding: "DSSEv1" SP len(type) SP type SP len(body) SP body. */
function preAuthEncoding(payloadType: string, payload: Buffer): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `, 'utf8'),
    type,
    Buffer.from(` ${payload.length} `, 'utf8'),
    payload,
  ]);
}

function verifies(key: KeyObject, data: Buffer, signature: Buffer): boolean {
  try {
    return verifySignature(key.asymmetricKeyType === 'ed25519' ? null : 'sha256', data, key, signature);
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function newKeyPair(): { publicKey: KeyObject; privateKey: KeyObject } {
  return generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
}

function toBuffer(view: ArrayBufferView): Buffer {
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength);
}

function sha256(data: Buffer): Buffer {
  return createHash('sha256').update(data).digest();
}

/** Start of a DER certificate's validity, in epoch milliseconds. */
function validFrom(der: Buffer): number {
  const time = Date.parse(new X509Certificate(der).validFrom);
  if (Number.isNaN(time)) throw new Error('cannot read a mock certificate validity');
  return time;
}

function pemEncode(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HttpError(400, `malformed JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function asObject(value: unknown, what: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new HttpError(400, `${what} must be an object`);
  }
  return value as Record<string, unknown>;
}

function asArray(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new HttpError(400, `${what} must be an array`);
  return value as unknown[];
}

function asString(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new HttpError(400, `${what} must be a string`);
  return value;
}
