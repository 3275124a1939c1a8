import { describe, expect, it } from '@jest/globals';
import { createPrivateKey, createPublicKey, verify } from 'node:crypto';

import { DSSEBundleBuilder } from '@sigstore/sign';
import { dsse } from '@sigstore/core';
import { bundleToJSON } from '@sigstore/bundle';
import { DEFAULT_MIRROR_URL } from '@sigstore/tuf';

import { DSSE_PAYLOAD_TYPE } from '../../src/record/predicate.js';
import { KeySigner } from '../../src/sign/key-signer.js';
import { generateKeyPair } from '../../src/sign/keys.js';
import { PUBLIC_GOOD_TUF_MIRROR } from '../../src/sign/trusted-root.js';

describe('the key signer', () => {
  it("makes the bundle @sigstore/sign's DSSEBundleBuilder makes, without loading @sigstore/sign", async () => {
    const privateKey = createPrivateKey(generateKeyPair().privateKeyPem);
    const signer = new KeySigner(privateKey);
    const payload = Buffer.from('{"_type":"https://in-toto.io/Statement/v1"}');
    const ours = await signer.signStatement(payload);

    const envelope = ours.dsseEnvelope;
    const signature = Buffer.from(envelope?.signatures[0]?.sig ?? '', 'base64');
    expect(
      verify(
        'sha256',
        dsse.preAuthEncoding(DSSE_PAYLOAD_TYPE, payload),
        createPublicKey(privateKey),
        signature,
      ),
    ).toBe(true);
    // ECDSA signatures differ each time: the builder is handed ours, so everything else must match.
    const builder = new DSSEBundleBuilder({
      signer: {
        sign: () =>
          Promise.resolve({
            signature,
            key: { $case: 'publicKey', publicKey: signer.publicKeyPem, hint: signer.hint },
          }),
      },
      witnesses: [],
    });
    const theirs = bundleToJSON(await builder.create({ data: payload, type: DSSE_PAYLOAD_TYPE }));
    expect(JSON.stringify(ours)).toBe(JSON.stringify(theirs));
  });

  it('names the TUF repository @sigstore/tuf trusts by default, without loading it', () => {
    expect(PUBLIC_GOOD_TUF_MIRROR).toBe(DEFAULT_MIRROR_URL);
  });
});
