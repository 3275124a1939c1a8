import { createPublicKey, sign as signBytes, type KeyObject } from 'node:crypto';

import { bundleToJSON, toDSSEBundle, type SerializedBundle } from '@sigstore/bundle';
import { dsse } from '@sigstore/core';
import type { Witness } from '@sigstore/sign';

import { signNote } from '../checkpoint/note.js';
import { LedgerError, describeError } from '../errors.js';
import { DSSE_PAYLOAD_TYPE } from '../record/predicate.js';
import { keyHint, publicKeyPem } from './keys.js';
import type { SignedCheckpoint, Signer, SigningMode } from './types.js';

/**
 * Signs with a local key: a v0.3 bundle whose verification material is the key's hint. The bundle
 * is assembled here, as @sigstore/sign's DSSEBundleBuilder assembles it, rather than with that
 * builder: @sigstore/sign's entry point evaluates Fulcio, Rekor and an HTTP stack (~50 ms of every
 * key-signed record), which only a timestamp authority needs, so it loads only with `tsaUrl`.
 */
export class KeySigner implements Signer {
  readonly publicKeyPem: string;
  readonly hint: string;
  private timestamper: Promise<Witness> | undefined;

  /**
   * `tsaUrl`: an RFC 3161 timestamp authority whose token goes into every bundle, so the time of a
   * key-signed record is not the signer's own word (checked against the trusted root's TSAs).
   */
  constructor(
    private readonly privateKey: KeyObject,
    readonly mode: Extract<SigningMode, 'key' | 'development-key'> = 'key',
    private readonly tsaUrl?: string,
  ) {
    this.publicKeyPem = publicKeyPem(privateKey);
    this.hint = keyHint(privateKey.type === 'private' ? createPublicKey(privateKey) : privateKey);
  }

  signNote(body: string, name: string): string {
    return signNote(body, { name, privateKey: this.privateKey });
  }

  signCheckpoint(body: string, name: string): Promise<SignedCheckpoint> {
    return Promise.resolve({ note: this.signNote(body, name) });
  }

  async signStatement(payload: Buffer): Promise<SerializedBundle> {
    try {
      // ECDSA P-256 over SHA-256 of the DSSE pre-authentication encoding, DER-encoded as DSSE expects.
      const signature = signBytes(
        'sha256',
        dsse.preAuthEncoding(DSSE_PAYLOAD_TYPE, payload),
        this.privateKey,
      );
      const bundle = toDSSEBundle({
        artifact: payload,
        artifactType: DSSE_PAYLOAD_TYPE,
        signature,
        keyHint: this.hint,
        certificateChain: false,
      });
      const timestamps =
        this.tsaUrl === undefined
          ? []
          : ((await (await this.timestampAuthority()).testify(bundle.content, this.publicKeyPem))
              .rfc3161Timestamps ?? []);
      bundle.verificationMaterial.tlogEntries = [];
      bundle.verificationMaterial.timestampVerificationData = { rfc3161Timestamps: timestamps };
      return bundleToJSON(bundle);
    } catch (error) {
      throw new LedgerError('SIGNING', `signing with the local key failed (${describeError(error)})`, {
        cause: error,
      });
    }
  }

  /** The timestamp authority's client, made once, on the first statement signed with `tsaUrl`. */
  private timestampAuthority(): Promise<Witness> {
    const tsaBaseURL = this.tsaUrl as string;
    this.timestamper ??= import('@sigstore/sign').then(
      ({ TSAWitness }) => new TSAWitness({ tsaBaseURL, retry: 2, timeout: 10_000 }),
    );
    return this.timestamper;
  }
}
