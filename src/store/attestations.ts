/**
 * Mirrors a record's bundle to GitHub's attestations API (`POST /repos/{owner}/{repo}/attestations`),
 * so that `gh attestation verify MODEL_FILE --repo OWNER/REPO --predicate-type
 * https://model-ledger.dev/record/v1` finds it by the model's digest. The ledger in the releases is
 * the record of truth; the mirror is a convenience, and its failure is a warning, never an error.
 */
import { describeError } from '../errors.js';
import { gitHubFailureText, httpStatusOf, type GitHubClient } from '../github/client.js';
import type { GitHubRepository } from '../github/context.js';
import { silentLogger, type Logger } from '../log.js';

export interface MirrorOptions extends GitHubRepository {
  client: GitHubClient;
  /** The bundle file's bytes as stored. */
  bundle: Buffer;
  log?: Logger;
}

/** The attestation's id, or why there is none (for a warning). */
export type MirrorResult = { id: number } | { warning: string };

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
    const { data } = await options.client.rest.repos.createAttestation({
      owner: options.owner,
      repo: options.repo,
      bundle,
    });
    if (typeof data.id !== 'number') return { warning: 'GitHub stored the attestation but gave no id' };
    log.info(`mirrored to GitHub's attestations API as attestation ${data.id}`);
    return { id: data.id };
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
