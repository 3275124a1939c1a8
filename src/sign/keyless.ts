import { bundleToJSON, type SerializedBundle } from '@sigstore/bundle';
import { DSSEBundleBuilder, FulcioSigner, RekorWitness, TSAWitness, type Witness } from '@sigstore/sign';

import { LedgerError, describeError } from '../errors.js';
import { DSSE_PAYLOAD_TYPE } from '../record/predicate.js';
import type { SigstoreInstance } from './instance.js';
import type { IdentityProvider } from './oidc.js';
import type { Signer } from './types.js';

export interface KeylessSignerOptions {
  instance: SigstoreInstance;
  identity: IdentityProvider;
  /** Per-request timeout in milliseconds. */
  timeoutMs?: number;
  /** Retries on 408, 429 and 5xx, with exponential backoff. */
  retries?: number;
}

/**
 * OIDC identity → short-lived Fulcio certificate → signature over the DSSE PAE, witnessed by a
 * Rekor entry and/or an RFC 3161 timestamp: the bundle proves who signed and when.
 */
export class KeylessSigner implements Signer {
  readonly mode = 'keyless';
  private readonly builder: DSSEBundleBuilder;

  constructor(private readonly options: KeylessSignerOptions) {
    const retry = { retries: options.retries ?? 3, factor: 2, minTimeout: 500, maxTimeout: 8000 };
    const timeout = options.timeoutMs ?? 30_000;
    const witnesses: Witness[] = [];
    if (options.instance.rekorUrl) {
      // fetchOnConflict: a re-run that submits an entry Rekor already has (409) reuses that entry.
      witnesses.push(
        new RekorWitness({
          rekorBaseURL: options.instance.rekorUrl,
          entryType: 'dsse',
          fetchOnConflict: true,
          retry,
          timeout,
        }),
      );
    }
    if (options.instance.tsaUrl) {
      witnesses.push(new TSAWitness({ tsaBaseURL: options.instance.tsaUrl, retry, timeout }));
    }
    this.builder = new DSSEBundleBuilder({
      signer: new FulcioSigner({
        fulcioBaseURL: options.instance.fulcioUrl,
        identityProvider: options.identity,
        retry,
        timeout,
      }),
      witnesses,
    });
  }

  async signStatement(payload: Buffer): Promise<SerializedBundle> {
    try {
      return bundleToJSON(await this.builder.create({ data: payload, type: DSSE_PAYLOAD_TYPE }));
    } catch (error) {
      throw new LedgerError(
        'SIGNING',
        `keyless signing on the ${this.options.instance.name} Sigstore instance failed (${describeError(error)})`,
        {
          cause: error,
          fix: `check that ${this.options.instance.fulcioUrl} is reachable and the OIDC token (${this.options.identity.source}) is valid`,
        },
      );
    }
  }
}

/**
 * The transparency-log witness. fetchOnConflict: a re-run that submits an entry Rekor already
 * has gets 409, and reuses that entry instead of failing.
 */
export function rekorWitness(
  url: string,
  options: { retry?: { retries: number }; timeout?: number } = {},
): RekorWitness {
  return new RekorWitness({ rekorBaseURL: url, entryType: 'dsse', fetchOnConflict: true, ...options });
}
