import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';

import { datasetRole, integrityDigest, looksLikeLicenseExpression } from '../../src/exchange/select.js';

describe('exchange helpers', () => {
  it('turns lockfile integrities into hex digests, and refuses what is not one', () => {
    const bytes = createHash('sha512').update('left-pad').digest();
    expect(integrityDigest(`sha512-${bytes.toString('base64')}`)).toEqual({
      algorithm: 'sha512',
      hex: bytes.toString('hex'),
    });
    const hex = createHash('sha256').update('x').digest('hex');
    expect(integrityDigest(`sha256:${hex}`)).toEqual({ algorithm: 'sha256', hex });
    expect(integrityDigest('sha256:abc')).toBeNull();
    expect(integrityDigest('md5-AAAA')).toBeNull();
    expect(integrityDigest(undefined)).toBeNull();
  });

  it('tells SPDX licence expressions from free text', () => {
    expect(looksLikeLicenseExpression('CC-BY-4.0')).toBe(true);
    expect(looksLikeLicenseExpression('(MIT OR Apache-2.0) AND LicenseRef-acme')).toBe(true);
    expect(looksLikeLicenseExpression('GPL-2.0-only WITH Classpath-exception-2.0')).toBe(true);
    expect(looksLikeLicenseExpression('Acme internal data licence')).toBe(false);
    expect(looksLikeLicenseExpression('')).toBe(false);
  });

  it('reads a dataset as tested on from its declared split, else from its name', () => {
    expect(datasetRole('data/eval', undefined)).toBe('testedOn');
    expect(datasetRole('holdout-2024', undefined)).toBe('testedOn');
    expect(datasetRole('data/train', undefined)).toBe('trainedOn');
    expect(datasetRole('data/evaluation-set', { split: 'train' })).toBe('trainedOn');
    expect(datasetRole('latest', { split: 'validation' })).toBe('testedOn');
    expect(datasetRole('interval-data', undefined)).toBe('trainedOn');
  });
});
