/**
 * Signs a model directory or file as OpenSSF Model Signing v1.0 (`model.sig`): the OMS statement
 * in a DSSE envelope, in a Sigstore bundle v0.3, signed by any model-ledger Signer (the record's
 * own key or keyless identity).
 */
import { createHash } from 'node:crypto';

import type { SerializedBundle } from '@sigstore/bundle';

import { sha256Hex } from '../hash/file.js';
import type { Signer } from '../sign/types.js';
import { omsStatement, type OmsManifest } from './resources.js';
import { pathInside, serializeModel, type SerializeModelOptions, type SerializedModel } from './serialize.js';

export interface SignModelOptions extends SerializeModelOptions {
  signer: Signer;
  /**
   * Where the signature will be written. When inside the model it is left out of the manifest
   * (and listed in its ignore paths), as model_signing does with `model.sig`.
   */
  signatureFile?: string;
}

export interface ModelSignature {
  /** The bundle as JSON: what `model.sig` holds. */
  bundle: SerializedBundle;
  /** `model.sig`'s bytes (pretty JSON and a newline), and their sha256: how a record refers to it. */
  bytes: Buffer;
  sha256: string;
  manifest: OmsManifest;
  stats: SerializedModel['stats'];
}

/** The file name model_signing writes by default. */
export const DEFAULT_SIGNATURE_FILE = 'model.sig';

/** Serializes the model (reusing known digests, the pool and the cache) and signs its OMS statement. */
export async function signModelDirectory(options: SignModelOptions): Promise<ModelSignature> {
  const { signer, signatureFile, ...serialize } = options;
  const ignorePaths = [...(serialize.ignorePaths ?? [])];
  const inside = signatureFile === undefined ? null : pathInside(serialize.path, signatureFile);
  if (inside !== null) ignorePaths.push(inside);
  const serialized = await serializeModel({ ...serialize, ignorePaths });
  const payload = Buffer.from(JSON.stringify(omsStatement(serialized.manifest)), 'utf8');
  const bundle = withModelSigningHint(await signer.signStatement(payload), signer);
  const bytes = Buffer.from(`${JSON.stringify(bundle, null, 2)}\n`, 'utf8');
  return { bundle, bytes, sha256: sha256Hex(bytes), manifest: serialized.manifest, stats: serialized.stats };
}

/**
 * model_signing names the key in `publicKey.hint` by the sha256 of its SPKI PEM text, and its
 * verifier refuses a bundle whose hint is another key's: write the hint its way. The hint is not
 * signed, so this changes nothing the signature covers.
 */
function withModelSigningHint(bundle: SerializedBundle, signer: Signer): SerializedBundle {
  const material = bundle.verificationMaterial;
  if (!signer.publicKeyPem || !material.publicKey) return bundle;
  return {
    ...bundle,
    verificationMaterial: { ...material, publicKey: { hint: modelSigningKeyHint(signer.publicKeyPem) } },
  };
}

/** The key hint as model_signing computes it: hex sha256 of the SPKI PEM text. */
export function modelSigningKeyHint(publicKeyPem: string): string {
  return createHash('sha256').update(publicKeyPem, 'utf8').digest('hex');
}

/**
 * How a record keeps a model signature beside its bundle: content-addressed like large manifests
 * (`<sha256 of model.sig>.model.sig`), so the record refers to it by digest and any store can hold it.
 */
export function modelSignatureAttachment(signature: ModelSignature): {
  name: string;
  content: string;
  sha256: string;
} {
  return {
    name: `${signature.sha256}.model.sig`,
    content: signature.bytes.toString('utf8'),
    sha256: signature.sha256,
  };
}
