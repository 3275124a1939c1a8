/**
 * The tests `npm run mutate` runs against each mutant (see stryker.config.json): the focused ones
 * for src/chain, src/sign, src/verify and src/collect/secrets.ts. Each mutant runs every test that
 * reaches its line, so suites that start a loopback Sigstore or build ledgers through the CLI in
 * their setup (tamper-table, conformance, anchors, cli-tamper, keyless) would cost seconds per
 * mutant; they stay in `npm test`, and the score is what the focused tests alone achieve.
 */
import base from './jest.config.js';

export default {
  ...base,
  testMatch: [
    // chain/
    '**/__tests__/chain/**/*.test.ts',
    // sign/
    '**/__tests__/sign/**/*.test.ts',
    '**/__tests__/sign-instance.test.ts',
    // collect/secrets.ts
    '**/__tests__/collect/secrets.test.ts',
    '**/__tests__/collect/environment.test.ts',
    // verify/
    '**/__tests__/verify/**/*.test.ts',
    '**/__tests__/verify-bundle.test.ts',
  ],
};
