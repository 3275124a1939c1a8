import type { SerializedBundle } from '@sigstore/bundle';

export type SigningMode = 'key' | 'development-key' | 'keyless';

/** Turns a statement's bytes into a Sigstore bundle (v0.3, DSSE envelope). */
export interface Signer {
  readonly mode: SigningMode;
  /** PEM of the public key that verifies this signer's records, for key signers. */
  readonly publicKeyPem?: string;
  signStatement(payload: Buffer): Promise<SerializedBundle>;
  /**
   * Signs a checkpoint body as a C2SP signed note under the key name `name` (the ledger's origin),
   * for signers that hold a long-lived key; keyless signers have none.
   */
  signNote?(body: string, name: string): string;
}
