import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';

import * as library from '../src/index.js';

describe('public library API', () => {
  it('exports exactly these values, so the API changes only on purpose', () => {
    expect(Object.keys(library).sort()).toEqual([
      'DEFAULT_LEDGER_DIR',
      'DEFAULT_RELEASE_TAG',
      'DEFAULT_SIGNATURE_FILE',
      'DEVELOPMENT_KEY_NOTICE',
      'DSSE_PAYLOAD_TYPE',
      'DirectoryWitnessState',
      'GitHubReleaseStore',
      'GitHubReleaseWitnessState',
      'LedgerError',
      'LocalStore',
      'OMS_PREDICATE_TYPE',
      'PREDICATE_TYPE',
      'RecordConflict',
      'STATEMENT_TYPE',
      'TOOL_VERSION',
      'VerificationFailure',
      'applyConfig',
      'assertValidStatement',
      'auditCompleteness',
      'auditReplay',
      'buildCycloneDx',
      'buildEvidencePack',
      'buildSpdx3',
      'buildStatement',
      'createGitHubClient',
      'diffRecords',
      'evaluatePolicy',
      'exitCodeFor',
      'filterEntries',
      'findByDate',
      'findByDigest',
      'findByIndex',
      'generateKeyPair',
      'keyHint',
      'ledgerOrigin',
      'loadConfig',
      'loadLedger',
      'loadPolicy',
      'loadTrustedRootFile',
      'logEntry',
      'measureRetrieval',
      'mirrorAttestation',
      'modelSignatureAttachment',
      'parseBundleFile',
      'record',
      'recordOptionsFrom',
      'recordSchema',
      'recordToGitHub',
      'renderDiffMarkdown',
      'resolveTrustedRoot',
      'serializeModel',
      'serializeStatement',
      'signModelDirectory',
      'subjectsFor',
      'verifyArtifact',
      'verifyBundle',
      'verifyLedger',
      'verifyModelSignature',
      'witnessLedger',
      'writeEvidencePack',
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
