/**
 * The tests `npm run mutate` runs against each mutant (see stryker.config.json): the ones that
 * exercise src/chain, src/sign, src/verify and src/collect/secrets.ts. The rest of the suite
 * (formats, stores, reports, the built dist/) cannot see those mutants and would only slow each
 * run down.
 */
import base from './jest.config.js';

export default {
  ...base,
  testMatch: [
    // chain/
    '**/__tests__/chain/**/*.test.ts',
    '**/__tests__/tamper-table.test.ts',
    '**/__tests__/record-verify.test.ts',
    // sign/
    '**/__tests__/sign/**/*.test.ts',
    '**/__tests__/sign-instance.test.ts',
    '**/__tests__/keyless.test.ts',
    '**/__tests__/keyless-checkpoints.test.ts',
    '**/__tests__/key-timestamps.test.ts',
    '**/__tests__/sigstore-stack.test.ts',
    // collect/secrets.ts
    '**/__tests__/collect/secrets.test.ts',
    '**/__tests__/collect/environment.test.ts',
    // verify/
    '**/__tests__/verify/**/*.test.ts',
    '**/__tests__/verify-bundle.test.ts',
    '**/__tests__/anchors.test.ts',
    '**/__tests__/cli-tamper.test.ts',
    '**/__tests__/conformance.test.ts',
  ],
};
