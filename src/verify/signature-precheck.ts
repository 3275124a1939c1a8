/**
 * DSSE signature checks started ahead of verification, on libuv's thread pool (`crypto.verify`
 * with a callback runs there), so that a ledger's ECDSA checks use the machine's other cores while
 * this thread parses and checks the records around them.
 *
 * A precheck decides nothing. @sigstore/verify still runs every check of every bundle and asks
 * for the signature through the signed entity (signed-entity.ts), which answers from here only
 * for the very bundle object and key object that were checked ahead, and over the same bytes
 * @sigstore/verify would check (the PAE of the envelope's payload, its first signature, the same
 * `crypto.verify` call with no digest named). Anything else is checked there, synchronously.
 */
import { verify as verifySignature, type KeyObject } from 'node:crypto';

import type { Bundle } from '@sigstore/bundle';
import { dsse } from '@sigstore/core';

interface Precheck {
  key: KeyObject;
  valid: boolean;
}

/** Parsed bundles are never changed after parsing, so a result stays true of its bundle object. */
const results = new WeakMap<Bundle, Precheck>();

/** The signature check `verify` made ahead for this bundle with this key, if it made one. */
export function precheckedSignature(bundle: Bundle, key: KeyObject): boolean | undefined {
  const result = results.get(bundle);
  return result !== undefined && result.key === key ? result.valid : undefined;
}

/**
 * Starts checking a DSSE bundle's signature with `key` on the thread pool. Resolves when done;
 * never rejects: a check that cannot be made ahead is left to verification.
 */
export function precheckSignature(bundle: Bundle, key: KeyObject): Promise<void> {
  if (bundle.content.$case !== 'dsseEnvelope') return Promise.resolve();
  const { payloadType, payload, signatures } = bundle.content.dsseEnvelope;
  const signature = signatures[0]?.sig;
  if (signature === undefined) return Promise.resolve();
  const pae = dsse.preAuthEncoding(payloadType, Buffer.from(payload));
  return new Promise((resolve) => {
    try {
      verifySignature(undefined, pae, key, Buffer.from(signature), (error, valid) => {
        if (!error) results.set(bundle, { key, valid });
        resolve();
      });
    } catch {
      resolve(); // e.g. a key type crypto.verify refuses: verification reports it
    }
  });
}
