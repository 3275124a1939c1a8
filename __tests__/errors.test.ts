import { describe, expect, it } from '@jest/globals';
import { LedgerError, exitCodeFor } from '../src/errors.js';

describe('LedgerError', () => {
  it('names the file, the field and the fix in its message', () => {
    const error = new LedgerError('BAD_INPUT', 'is not valid JSON', {
      file: 'ledger/000001-abc.sigstore.json',
      field: 'line 3',
      fix: 'restore the file from the release asset',
    });
    expect(error.message).toBe(
      'ledger/000001-abc.sigstore.json: line 3: is not valid JSON — restore the file from the release asset',
    );
    expect(error.code).toBe('BAD_INPUT');
  });

  it('maps policy violations to exit 1 and input problems to exit 2', () => {
    expect(exitCodeFor('POLICY')).toBe(1);
    expect(exitCodeFor('BAD_INPUT')).toBe(2);
    expect(exitCodeFor('USAGE')).toBe(2);
  });
});
