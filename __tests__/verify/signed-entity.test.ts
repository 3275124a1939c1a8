/**
 * The times of signing a verified bundle proves (signed-entity.ts): a log entry's integrated time
 * counts only with its inclusion promise; an RFC 3161 timestamp always. Bundles are signed keyless
 * through the loopback Sigstore stack (Fulcio, Rekor, TSA).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';

import { KeylessSigner } from '../../src/sign/keyless.js';
import { requireIdentityProvider } from '../../src/sign/oidc.js';
import { STATEMENT_TYPE } from '../../src/record/predicate.js';
import { verifyBundle, type BundleTrust } from '../../src/verify/bundle.js';
import { DEFAULT_ISSUER } from '../support/oidc.js';
import { startSigstoreStack, type SigstoreStack } from '../support/sigstore-stack.js';

const RELEASE = 'https://github.com/acme/model/.github/workflows/release.yml@refs/heads/main';
const MODEL = Buffer.from('weights 1');

let stack: SigstoreStack;
let signed: { verificationMaterial: { tlogEntries: Record<string, unknown>[] } };
const trust = (): BundleTrust => ({
  trustedRoot: stack.trustedRoot,
  identity: { identity: RELEASE, issuer: DEFAULT_ISSUER },
});

beforeAll(async () => {
  stack = await startSigstoreStack();
  const signer = new KeylessSigner({
    instance: { name: 'custom', fulcioUrl: stack.fulcioUrl, rekorUrl: stack.rekorUrl, tsaUrl: stack.tsaUrl },
    identity: requireIdentityProvider({ SIGSTORE_ID_TOKEN: await stack.token({ sub: RELEASE }) }),
  });
  const payload = Buffer.from(
    JSON.stringify({
      _type: STATEMENT_TYPE,
      subject: [{ name: 'model.bin', digest: { sha256: createHash('sha256').update(MODEL).digest('hex') } }],
      predicateType: 'https://example.org/test/v1',
      predicate: {},
    }),
  );
  signed = JSON.parse(JSON.stringify(await signer.signStatement(payload))) as typeof signed;
});
afterAll(async () => {
  await stack?.close();
});

describe('the times of signing', () => {
  it("are the log's integrated time and the timestamp authority's time", () => {
    expect(signed.verificationMaterial.tlogEntries[0]?.inclusionPromise).toBeDefined();
    const verified = verifyBundle(signed, trust(), 'b.json', { kind: 'bytes', bytes: MODEL });
    expect(verified.timestamps.map((time) => time.source).sort()).toEqual([
      'timestamp-authority',
      'transparency-log',
    ]);
    for (const { time } of verified.timestamps) expect(time).toEqual(stack.clock);
  });

  it('leave out a log entry without its inclusion promise: its integrated time is only the log’s word', () => {
    const stripped = structuredClone(signed);
    for (const entry of stripped.verificationMaterial.tlogEntries) delete entry.inclusionPromise;
    const verified = verifyBundle(stripped, trust(), 'b.json', { kind: 'bytes', bytes: MODEL });
    expect(verified.timestamps).toEqual([{ source: 'timestamp-authority', time: stack.clock }]);
  });
});
