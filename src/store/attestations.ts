/**
 * Mirrors a record's bundle to GitHub's attestations API (`POST /repos/{owner}/{repo}/attestations`),
 * so that `gh attestation verify MODEL_FILE --repo OWNER/REPO --predicate-type
 * https://model-ledger.dev/record/v1` finds it by the model's digest. The ledger in the releases is
 * the record of truth; the mirror is a convenience, and its failure is a warning, never an error.
 */
import { describeError } from '../errors.js';
import { PREDICATE_TYPE, type Statement } from '../record/predicate.js';
import { gitHubFailureText, httpStatusOf, type GitHubClient } from '../github/client.js';
import type { GitHubRepository } from '../github/context.js';
import { silentLogger, type Logger } from '../log.js';

export interface MirrorOptions extends GitHubRepository {
  client: GitHubClient;
  /** The bundle file's bytes as stored. */
  bundle: Buffer;
  log?: Logger;
}

/**
 * The attestation's id; `stored` when an attempt whose answer was lost had stored it (GitHub's
 * listing gives no ids); or why there is none (for a warning).
 */
export type MirrorResult = { id: number } | { stored: true } | { warning: string };

export async function mirrorAttestation(options: MirrorOptions): Promise<MirrorResult> {
  const log = options.log ?? silentLogger;
  let bundle: {
    mediaType?: string;
    verificationMaterial?: Record<string, unknown>;
    dsseEnvelope?: Record<string, unknown>;
  };
  try {
    bundle = JSON.parse(options.bundle.toString('utf8')) as typeof bundle;
  } catch (error) {
    return { warning: `the bundle is not JSON, so it was not mirrored: ${describeError(error)}` };
  }
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        const { data } = await options.client.rest.repos.createAttestation({
          owner: options.owner,
          repo: options.repo,
          bundle,
          // Not retried blindly: an attempt whose answer was lost may have stored it (looked up below).
          request: { retries: 0 },
        });
        if (typeof data.id !== 'number') return { warning: 'GitHub stored the attestation but gave no id' };
        log.info(`mirrored to GitHub's attestations API as attestation ${data.id}`);
        return { id: data.id };
      } catch (error) {
        const status = httpStatusOf(error);
        if ((status !== undefined && status < 500 && status !== 429) || attempt >= 3) throw error;
        if (await isMirrored(options, bundle.dsseEnvelope?.payload)) {
          log.info('the attestation was stored by an attempt whose answer was lost; not stored again');
          return { stored: true };
        }
        log.info(`mirroring the attestation failed (${describeError(error)}); trying again`);
      }
    }
  } catch (error) {
    const text = gitHubFailureText(error);
    if (text === undefined) throw error;
    const status = httpStatusOf(error);
    const hint =
      status === 403
        ? ': the token may not write attestations — add `attestations: write` to the workflow `permissions:`, or set `github-attestations: false`'
        : status === 404
          ? ': the attestations API is not available to this repository (private repositories need GitHub Enterprise Cloud), or the token cannot see it'
          : '';
    return {
      warning: `the record is stored, but mirroring it to GitHub's attestations API failed (${text})${hint}`,
    };
  }
}

/** An attestation of the repository under one of the statement's subjects with exactly this payload. */
async function isMirrored(options: MirrorOptions, payload: unknown): Promise<boolean> {
  if (typeof payload !== 'string') return false;
  const statement = decodePayload(payload);
  for (const digest of sha256Subjects(statement).slice(0, 1)) {
    for (const attestation of await listAttestations(options, digest)) {
      if (attestation.payload === payload) return true;
    }
  }
  return false;
}

export interface AttestationLookup extends GitHubRepository {
  client: GitHubClient;
}

/**
 * Records of model-ledger that GitHub's attestations API holds under the statement's subjects
 * (at most three looked up): an outside trace of the ledger that survives deleted releases.
 * Failures to look are not errors (the API may be unavailable to the repository): nothing is known.
 */
export async function knownRecordsFromAttestations(
  lookup: AttestationLookup,
  statement: Statement,
  log: Logger = silentLogger,
): Promise<{ origin: string; index: number; where: string }[]> {
  const known: { origin: string; index: number; where: string }[] = [];
  for (const digest of sha256Subjects(statement).slice(0, 3)) {
    let attestations: { payload?: string }[];
    try {
      attestations = await listAttestations(lookup, digest);
    } catch (error) {
      log.info(`could not look up attestations of sha256:${digest.slice(0, 12)}: ${describeError(error)}`);
      continue;
    }
    for (const attestation of attestations) {
      const found = attestation.payload ? decodePayload(attestation.payload) : undefined;
      const chain = found?.predicate?.chain;
      if (found?.predicateType !== PREDICATE_TYPE || !chain || typeof chain.index !== 'number') continue;
      if (typeof chain.origin !== 'string') continue;
      known.push({
        origin: chain.origin,
        index: chain.index,
        where: `GitHub's attestations API (under subject sha256:${digest.slice(0, 12)}…)`,
      });
    }
  }
  return known;
}

async function listAttestations(lookup: AttestationLookup, digest: string): Promise<{ payload?: string }[]> {
  const { data } = await lookup.client.request('GET /repos/{owner}/{repo}/attestations/{subject_digest}', {
    owner: lookup.owner,
    repo: lookup.repo,
    subject_digest: `sha256:${digest}`,
    predicate_type: PREDICATE_TYPE,
    per_page: 30,
  });
  const list = data.attestations;
  if (!Array.isArray(list)) return [];
  return list.map((entry) => {
    const payload = entry.bundle?.dsseEnvelope?.payload;
    return typeof payload === 'string' ? { payload } : {};
  });
}

interface LooseStatement {
  predicateType?: unknown;
  subject?: { digest?: Record<string, unknown> }[];
  predicate?: { chain?: { origin?: unknown; index?: unknown } };
}

function decodePayload(payload: string): LooseStatement | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as unknown;
    return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
  } catch {
    return undefined; // not a statement: nothing to learn from it
  }
}

function sha256Subjects(statement: LooseStatement | Statement | undefined): string[] {
  const subjects = (statement?.subject ?? []) as { digest?: Record<string, unknown> }[];
  return subjects
    .map((subject) => subject.digest?.sha256)
    .filter((digest): digest is string => typeof digest === 'string' && /^[0-9a-f]{64}$/.test(digest));
}
