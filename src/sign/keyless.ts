import { bundleToJSON, type SerializedBundle } from '@sigstore/bundle';
import { X509Certificate } from 'node:crypto';

import {
  DSSEBundleBuilder,
  FulcioSigner,
  MessageSignatureBundleBuilder,
  RekorWitness,
  TSAWitness,
  type Witness,
} from '@sigstore/sign';

import { LedgerError, describeError } from '../errors.js';
import { DSSE_PAYLOAD_TYPE } from '../record/predicate.js';
import type { SigstoreInstance } from './instance.js';
import type { IdentityProvider } from './oidc.js';
import { noteKeyId, noteSignatureLine } from '../checkpoint/note.js';
import type { SignedCheckpoint, Signer } from './types.js';

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
  private readonly messageBuilder: MessageSignatureBundleBuilder;

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
    const signer = new FulcioSigner({
      fulcioBaseURL: options.instance.fulcioUrl,
      identityProvider: options.identity,
      retry,
      timeout,
    });
    this.builder = new DSSEBundleBuilder({ signer, witnesses });
    // The same witnesses log the checkpoint's signature (Rekor as hashedrekord) and timestamp it.
    this.messageBuilder = new MessageSignatureBundleBuilder({ signer, witnesses });
  }

  /**
   * The checkpoint is signed like an artifact (a message signature over the note body's bytes),
   * so the signature is exactly the ECDSA signature a signed note carries: the note gets a
   * signature line under the certificate's key, and the bundle proves whose key that is and when.
   */
  async signCheckpoint(body: string, name: string): Promise<SignedCheckpoint> {
    let serialized: ReturnType<typeof bundleToJSON>;
    try {
      serialized = bundleToJSON(await this.messageBuilder.create({ data: Buffer.from(body, 'utf8') }));
    } catch (error) {
      throw this.failure('the checkpoint', error);
    }
    const certificate =
      serialized.verificationMaterial.certificate?.rawBytes ??
      serialized.verificationMaterial.x509CertificateChain?.certificates[0]?.rawBytes;
    const signature = serialized.messageSignature?.signature;
    if (!certificate || !signature) {
      throw new LedgerError(
        'SIGNING',
        'the Sigstore bundle of the checkpoint holds no certificate or signature',
        {
          fix: `check the Fulcio instance at ${this.options.instance.fulcioUrl}`,
        },
      );
    }
    const publicKey = new X509Certificate(Buffer.from(certificate, 'base64')).publicKey;
    const line = noteSignatureLine(name, noteKeyId(name, publicKey), Buffer.from(signature, 'base64'));
    return { note: `${body}\n${line}`, bundle: serialized };
  }

  private failure(what: string, error: unknown): LedgerError {
    return new LedgerError(
      'SIGNING',
      `keyless signing of ${what} on the ${this.options.instance.name} Sigstore instance failed (${describeError(error)})`,
      {
        cause: error,
        fix: `check that ${this.options.instance.fulcioUrl} is reachable and the OIDC token (${this.options.identity.source}) is valid`,
      },
    );
  }

  async signStatement(payload: Buffer): Promise<SerializedBundle> {
    try {
      return bundleToJSON(await this.builder.create({ data: payload, type: DSSE_PAYLOAD_TYPE }));
    } catch (error) {
      throw this.failure('the record', error);
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
