/**
 * Record names as each store writes them, and the head of a listing.
 */
import { describe, expect, it } from '@jest/globals';

import { LedgerError } from '../../src/errors.js';
import {
  checkpointBundleName,
  checkpointFileName,
  headOf,
  parseRecordName,
  RecordConflict,
  recordFileName,
  releaseRecordName,
} from '../../src/store/types.js';

describe('record names', () => {
  it('reads the index (and the digest prefix of local names) back from every name a store writes', () => {
    const local = recordFileName(7, '0123456789abcdef'.repeat(4));
    expect(local).toBe('000007-0123456789ab.sigstore.json');
    expect(parseRecordName(local)).toEqual({ index: 7, sha256Prefix: '0123456789ab' });
    expect(parseRecordName(releaseRecordName(12))).toEqual({ index: 12 });
    expect(parseRecordName(`model-ledger-3/${releaseRecordName(1_234_567)}`)).toEqual({ index: 1_234_567 });
    for (const other of [
      'notes.txt',
      '7-0123456789ab.sigstore.json',
      'model-ledger-12.sigstore.json',
      'model-ledger-key-ab.pub.pem',
    ])
      expect(parseRecordName(other)).toBeNull();
    expect(checkpointBundleName(checkpointFileName(7))).toBe('model-ledger-000007.checkpoint.sigstore.json');
  });

  it('the head is the highest index (the first of two at it); an empty listing has none', () => {
    expect(headOf([])).toBeNull();
    const refs = [
      { index: 1, name: 'a', uri: 'a' },
      { index: 3, name: 'b', uri: 'b' },
      { index: 3, name: 'c', uri: 'c' },
      { index: 2, name: 'd', uri: 'd' },
    ];
    expect(headOf(refs)?.name).toBe('b');
  });

  it('a RecordConflict is a CHAIN error callers can tell apart', () => {
    const conflict = new RecordConflict('another run stored record 3 first');
    expect(conflict).toBeInstanceOf(LedgerError);
    expect(conflict).toMatchObject({
      code: 'CHAIN',
      name: 'RecordConflict',
      file: undefined,
      fix: undefined,
    });
    expect(conflict.message).toBe('another run stored record 3 first');
  });
});
