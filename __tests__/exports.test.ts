import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';

import * as library from '../src/index.js';

describe('public library API', () => {
  it('exports exactly these values, so the API changes only on purpose', () => {
    expect(Object.keys(library).sort()).toEqual([
      'DEFAULT_LEDGER_DIR',
      'DEVELOPMENT_KEY_NOTICE',
      'DSSE_PAYLOAD_TYPE',
      'LedgerError',
      'LocalStore',
      'PREDICATE_TYPE',
      'STATEMENT_TYPE',
      'TOOL_VERSION',
      'VerificationFailure',
      'assertValidStatement',
      'buildStatement',
      'exitCodeFor',
      'generateKeyPair',
      'keyHint',
      'ledgerOrigin',
      'loadTrustedRootFile',
      'record',
      'recordSchema',
      'resolveTrustedRoot',
      'serializeStatement',
      'subjectsFor',
      'verifyBundle',
      'verifyLedger',
      'writeKeyPair',
    ]);
  });

  it('writes the package version into records', async () => {
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(library.TOOL_VERSION).toBe(pkg.version);
  });
});
