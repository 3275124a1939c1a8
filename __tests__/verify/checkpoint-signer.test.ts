/**
 * The key that signs a keyless ledger's checkpoints (checkpoint-signer.ts), from the bundle beside
 * the note: a real keyless signature through the loopback Sigstore stack, in its v0.2 form
 * (certificate chain) and v0.3 form (one certificate), and a key-signed bundle in its place.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { X509Certificate, createHash, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';

import { bundleToJSON, toMessageSignatureBundle } from '@sigstore/bundle';

import { KeylessSigner } from '../../src/sign/keyless.js';
import { keyHint } from '../../src/sign/keys.js';
import { requireIdentityProvider } from '../../src/sign/oidc.js';
import type { StoredCheckpoint } from '../../src/store/types.js';
import type { BundleTrust } from '../../src/verify/bundle.js';
import { keylessCheckpointKey } from '../../src/verify/checkpoint-signer.js';
import { DEFAULT_ISSUER } from '../support/oidc.js';
import { startSigstoreStack, type SigstoreStack } from '../support/sigstore-stack.js';

const RELEASE = 'https://github.com/acme/model/.github/workflows/release.yml@refs/heads/main';
const NAME = 'github.com/acme/model#main';
const BODY = `${NAME}\n2\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n`;

let stack: SigstoreStack;
let checkpoint: StoredCheckpoint;
const trust = (extra: Partial<BundleTrust> = {}): BundleTrust => ({
  trustedRoot: stack.trustedRoot,
  identity: { identity: RELEASE, issuer: DEFAULT_ISSUER },
  ...extra,
});

beforeAll(async () => {
  stack = await startSigstoreStack();
  const signer = new KeylessSigner({
    instance: { name: 'custom', fulcioUrl: stack.fulcioUrl, rekorUrl: stack.rekorUrl, tsaUrl: stack.tsaUrl },
    identity: requireIdentityProvider({ SIGSTORE_ID_TOKEN: await stack.token({ sub: RELEASE }) }),
  });
  const signed = await signer.signCheckpoint(BODY, NAME);
  checkpoint = {
    size: 2,
    text: signed.note,
    uri: '000001.checkpoint',
    bundle: JSON.stringify(signed.bundle),
  };
});
afterAll(async () => {
  await stack?.close();
});

interface BundleJson {
  mediaType: string;
  verificationMaterial: {
    x509CertificateChain?: { certificates: { rawBytes: string }[] };
    certificate?: { rawBytes: string };
  };
}

describe('the key of a keyless checkpoint', () => {
  it('is the certificate key, whether the bundle holds a certificate chain or one certificate', () => {
    const chained = JSON.parse(checkpoint.bundle as string) as BundleJson;
    const leaf = chained.verificationMaterial.x509CertificateChain?.certificates[0];
    expect(leaf).toBeDefined();
    const certified = keyHint(new X509Certificate(Buffer.from(leaf?.rawBytes ?? '', 'base64')).publicKey);
    const hintOf = (result: ReturnType<typeof keylessCheckpointKey>) =>
      'key' in result ? keyHint(result.key) : result.problem;
    expect(hintOf(keylessCheckpointKey(checkpoint, trust()))).toBe(certified);

    const single: BundleJson = {
      mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
      verificationMaterial: { ...chained.verificationMaterial, certificate: leaf },
    };
    delete single.verificationMaterial.x509CertificateChain;
    const bundle = JSON.stringify({ ...chained, ...single });
    expect(hintOf(keylessCheckpointKey({ ...checkpoint, bundle }, trust()))).toBe(certified);
  });

  it('is a problem when the bundle beside it is a key-signed signature of the note, even by a trusted key', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const publicKey = createPublicKey(privateKey);
    const json = bundleToJSON(
      toMessageSignatureBundle({
        digest: createHash('sha256').update(BODY, 'utf8').digest(),
        signature: sign('sha256', Buffer.from(BODY, 'utf8'), privateKey),
        keyHint: keyHint(publicKey),
        certificateChain: false,
      }),
    );
    const result = keylessCheckpointKey(
      { ...checkpoint, bundle: JSON.stringify(json) },
      trust({ keys: new Map([[keyHint(publicKey), publicKey]]) }),
    );
    expect(result).toEqual({
      problem: '000001.checkpoint.sigstore.json is not a keyless signature of checkpoint 000001.checkpoint',
    });
  });
});
