import { createPublicKey, sign as signBytes, type KeyObject } from 'node:crypto';

import { bundleToJSON, type SerializedBundle } from '@sigstore/bundle';
import { DSSEBundleBuilder, TSAWitness, type Signature, type Signer as SigstoreSigner } from '@sigstore/sign';

import { signNote } from '../checkpoint/note.js';
import { LedgerError, describeError } from '../errors.js';
import { DSSE_PAYLOAD_TYPE } from '../record/predicate.js';
import { keyHint, publicKeyPem } from './keys.js';
import type { SignedCheckpoint, Signer, SigningMode } from './types.js';

/** ECDSA P-256 over SHA-256 of the DSSE pre-authentication encoding, DER-encoded as DSSE expects. */
class PrivateKeySigner implements SigstoreSigner {
  constructor(
    private readonly privateKey: KeyObject,
    private readonly publicPem: string,
    private readonly hint: string,
  ) {}

  sign(data: Buffer): Promise<Signature> {
    const signature = signBytes('sha256', data, this.privateKey);
    return Promise.resolve({
      signature,
      key: { $case: 'publicKey', publicKey: this.publicPem, hint: this.hint },
    });
  }
}

/** Signs with a local key: a v0.3 bundle whose verification material is the key's hint. */
export class KeySigner implements Signer {
  readonly publicKeyPem: string;
  readonly hint: string;
  private readonly builder: DSSEBundleBuilder;

  /**
   * `tsaUrl`: an RFC 3161 timestamp authority whose token goes into every bundle, so the time of a
   * key-signed record is not the signer's own word (checked against the trusted root's TSAs).
   */
  constructor(
    private readonly privateKey: KeyObject,
    readonly mode: Extract<SigningMode, 'key' | 'development-key'> = 'key',
    tsaUrl?: string,
  ) {
    this.publicKeyPem = publicKeyPem(privateKey);
    this.hint = keyHint(privateKey.type === 'private' ? createPublicKey(privateKey) : privateKey);
    this.builder = new DSSEBundleBuilder({
      signer: new PrivateKeySigner(privateKey, this.publicKeyPem, this.hint),
      witnesses: tsaUrl ? [new TSAWitness({ tsaBaseURL: tsaUrl, retry: 2, timeout: 10_000 })] : [],
    });
  }

  signNote(body: string, name: string): string {
    return signNote(body, { name, privateKey: this.privateKey });
  }

  signCheckpoint(body: string, name: string): Promise<SignedCheckpoint> {
    return Promise.resolve({ note: this.signNote(body, name) });
  }

  async signStatement(payload: Buffer): Promise<SerializedBundle> {
    try {
      const bundle = await this.builder.create({ data: payload, type: DSSE_PAYLOAD_TYPE });
      return bundleToJSON(bundle);
    } catch (error) {
      throw new LedgerError('SIGNING', `signing with the local key failed (${describeError(error)})`, {
        cause: error,
      });
    }
  }
}
