import type { SerializedBundle } from '@sigstore/bundle';

export type SigningMode = 'key' | 'development-key' | 'keyless';

/** Turns a statement's bytes into a Sigstore bundle (v0.3, DSSE envelope). */
export interface Signer {
  readonly mode: SigningMode;
  /** PEM of the public key that verifies this signer's records, for key signers. */
  readonly publicKeyPem?: string;
  signStatement(payload: Buffer): Promise<SerializedBundle>;
  /**
   * Signs a checkpoint body as a C2SP signed note under the key name `name` (derived from the
   * ledger's origin). Keyless signers also return the Sigstore bundle that ties the note's
   * signature key to their certificate identity: without it the note's key would be anyone's.
   */
  signCheckpoint?(body: string, name: string): Promise<SignedCheckpoint>;
}

export interface SignedCheckpoint {
  /** The note text: the body, a blank line and the signature line. */
  note: string;
  /** Keyless: a message-signature bundle over the body, whose certificate holds the note's key. */
  bundle?: SerializedBundle;
}
