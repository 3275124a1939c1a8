import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

import { LedgerError } from '../../src/errors.js';
import { VerificationFailure, verifyArtifact } from '../../src/index.js';

/** The library's verifyArtifact on bundles GitHub's CLI verifies (vendored, see the fixtures' README). */
const GH = fileURLToPath(new URL('../fixtures/sigstore-conformance/gh-cli/', import.meta.url));
const trustedRoot = JSON.parse(readFileSync(join(GH, 'trusted_root.json'), 'utf8')) as unknown;
let rootLoads = 0;
const loadTrustedRoot = () => {
  rootLoads++;
  return Promise.resolve(trustedRoot);
};

describe('verifyArtifact', () => {
  it('verifies each bundle of a JSON Lines file against the artifact, hashing it once per algorithm', async () => {
    const file = 'sigstore-js-2.1.0_with_2_bundles.jsonl';
    const results = await verifyArtifact({
      bundle: readFileSync(join(GH, file)),
      bundleFile: file,
      artifact: 'sigstore-js-2.1.0.tgz',
      artifactPath: join(GH, 'sigstore-js-2.1.0.tgz'),
      identity: { signerRepo: 'sigstore/sigstore-js' },
      loadTrustedRoot,
    });
    expect(results.map((result) => result.label)).toEqual([`${file} line 1`, `${file} line 2`]);
    for (const { verified } of results) {
      expect(verified.signer).toMatchObject({ kind: 'certificate' });
      expect(verified.content).toBe('dsseEnvelope');
    }
    expect(rootLoads).toBe(1);
  });

  it('refuses another artifact, another repository, and a file that is not a bundle', async () => {
    const base = {
      bundle: readFileSync(join(GH, 'sigstore-js-2.1.0-bundle.json')),
      bundleFile: 'sigstore-js-2.1.0-bundle.json',
      identity: { signerRepo: 'sigstore/sigstore-js' },
      loadTrustedRoot,
    };
    await expect(
      verifyArtifact({
        ...base,
        artifact: 'custom-issuer-artifact',
        artifactPath: join(GH, 'custom-issuer-artifact'),
      }),
    ).rejects.toMatchObject({ problem: 'SUBJECT_MISMATCH' });
    await expect(
      verifyArtifact({
        ...base,
        identity: { signerRepo: 'mallory/sigstore-js' },
        artifact: 'sigstore-js-2.1.0.tgz',
        artifactPath: join(GH, 'sigstore-js-2.1.0.tgz'),
      }),
    ).rejects.toMatchObject({ problem: 'IDENTITY_MISMATCH' });
    const garbage = verifyArtifact({
      ...base,
      bundle: Buffer.from('not a bundle\nnor this\n'),
      artifact: 'sigstore-js-2.1.0.tgz',
      artifactPath: join(GH, 'sigstore-js-2.1.0.tgz'),
    });
    await expect(garbage).rejects.toBeInstanceOf(VerificationFailure);
    await expect(garbage).rejects.toMatchObject({ problem: 'CORRUPT' });
  });

  it('unwraps an attestation API record {"bundle": …}, one per line or alone', async () => {
    const bundle = JSON.parse(readFileSync(join(GH, 'sigstore-js-2.1.0-bundle.json'), 'utf8')) as unknown;
    const record = JSON.stringify({ bundle, repositoryId: 1 });
    for (const [text, labels] of [
      [record, ['attestations.json']],
      [`${record}\n${record}\n`, ['attestations.json line 1', 'attestations.json line 2']],
    ] as const) {
      const results = await verifyArtifact({
        bundle: Buffer.from(text),
        bundleFile: 'attestations.json',
        artifact: 'sigstore-js-2.1.0.tgz',
        artifactPath: join(GH, 'sigstore-js-2.1.0.tgz'),
        identity: { signerRepo: 'sigstore/sigstore-js' },
        loadTrustedRoot,
      });
      expect(results.map((result) => [result.label, result.verified.signer.kind])).toEqual(
        labels.map((label) => [label, 'certificate']),
      );
    }
  });

  it('refuses a JSON object that is neither a bundle nor a record holding one', async () => {
    const verification = verifyArtifact({
      bundle: Buffer.from('{"attestations":[]}'),
      bundleFile: 'other.json',
      artifact: 'sigstore-js-2.1.0.tgz',
      artifactPath: join(GH, 'sigstore-js-2.1.0.tgz'),
      identity: { signerRepo: 'sigstore/sigstore-js' },
      loadTrustedRoot,
    });
    await expect(verification).rejects.toBeInstanceOf(VerificationFailure);
    await expect(verification).rejects.toMatchObject({
      problem: 'CORRUPT',
      message: 'other.json: mediaType: is not a Sigstore bundle (it has no mediaType)',
    });
  });

  it('without a key or an identity, refuses a keyless bundle as a usage error: any signer would pass', async () => {
    const verification = verifyArtifact({
      bundle: readFileSync(join(GH, 'sigstore-js-2.1.0-bundle.json')),
      bundleFile: 'sigstore-js-2.1.0-bundle.json',
      artifact: 'sigstore-js-2.1.0.tgz',
      artifactPath: join(GH, 'sigstore-js-2.1.0.tgz'),
      loadTrustedRoot,
    });
    await expect(verification).rejects.toBeInstanceOf(LedgerError);
    await expect(verification).rejects.not.toBeInstanceOf(VerificationFailure);
    await expect(verification).rejects.toMatchObject({
      code: 'USAGE',
      file: 'sigstore-js-2.1.0-bundle.json',
    });
  });
});
