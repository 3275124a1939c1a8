/**
 * Benchmark (not a test): what the key hints cost `verify` of a 5,000-record key-signed ledger,
 * where every bundle's signer is named by the hint of the one trusted key. `keyHint` computes a
 * KeyObject's hint once; the reference, in the same run, is what it cost before: the DER export
 * and SHA-256 for every bundle. Also one ECDSA P-256 verification per bundle, for scale.
 */
import { createHash, createPublicKey, createSign, createVerify } from 'node:crypto';

import { generateKeyPair, keyHint } from '../src/sign/keys.js';

const BUNDLES = process.env.BENCH_SMALL ? 1_000 : 5_000;
const ROUNDS = 5;

function timedMs(work: () => void): number {
  const started = performance.now();
  work();
  return performance.now() - started;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

export async function run(): Promise<string[]> {
  const pair = generateKeyPair();
  const payload = Buffer.alloc(4096, 1);
  const signature = createSign('sha256').update(payload).sign(pair.privateKeyPem);
  const memoised: number[] = [];
  const recomputed: number[] = [];
  const ecdsa: number[] = [];
  let hint = '';
  for (let round = 0; round < ROUNDS; round++) {
    const key = createPublicKey(pair.publicKeyPem); // a fresh object: the first hint is computed
    memoised.push(
      timedMs(() => {
        for (let index = 0; index < BUNDLES; index++) hint = keyHint(key);
      }),
    );
    recomputed.push(
      timedMs(() => {
        for (let index = 0; index < BUNDLES; index++) {
          const again = createHash('sha256')
            .update(key.export({ type: 'spki', format: 'der' }))
            .digest('hex');
          if (again !== hint) throw new Error('the memoised hint differs from the recomputed one');
        }
      }),
    );
    ecdsa.push(
      timedMs(() => {
        for (let index = 0; index < BUNDLES; index++) {
          if (!createVerify('sha256').update(payload).verify(key, signature))
            throw new Error('bad signature');
        }
      }),
    );
    await Promise.resolve();
  }
  const [ours, before, verify] = [median(memoised), median(recomputed), median(ecdsa)];
  return [
    `key hints for ${BUNDLES.toLocaleString('en')} bundles of one key: ${ours.toFixed(2)} ms, memoised per KeyObject; ` +
      `${before.toFixed(1)} ms exporting and hashing the key per bundle (${(before / Math.max(ours, 0.001)).toFixed(0)}× more)`,
    `for scale: ${BUNDLES.toLocaleString('en')} ECDSA P-256 verifications take ${verify.toFixed(0)} ms; ` +
      `per-bundle hints were ${((before / verify) * 100).toFixed(0)}% of that, memoised ${((ours / verify) * 100).toFixed(2)}%`,
  ];
}
