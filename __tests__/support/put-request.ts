/** What the store tests put: a record request and a ledger key, built the same way for every store. */
import { createPublicKey } from 'node:crypto';

import { generateKeyPair, keyHint } from '../../src/sign/keys.js';
import type { PutRequest } from '../../src/store/types.js';

/** A request to store record `index` (a stand-in bundle), with `extra` fields over the defaults. */
export function putRequest(
  index: number,
  statementSha256: string,
  extra: Partial<PutRequest> = {},
): PutRequest {
  return {
    index,
    statementSha256,
    bundle: Buffer.from(`{"record":${index}}`),
    attachments: [],
    ...extra,
  };
}

/** A fresh ledger public key, as `put` takes it. */
export function ledgerPublicKey(): { hint: string; pem: string } {
  const pem = createPublicKey(generateKeyPair().privateKeyPem)
    .export({ type: 'spki', format: 'pem' })
    .toString();
  return { hint: keyHint(createPublicKey(pem)), pem };
}
