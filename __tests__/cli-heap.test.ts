import { describe, expect, it } from '@jest/globals';

import { tuneHeapFor } from '../src/cli/heap.js';

/**
 * The CLI tunes the garbage collector only for a pass over a whole ledger; what that saves is
 * measured by `npm run bench -- verify` (peak memory), not here.
 */
describe('tuneHeapFor', () => {
  it('tunes verify, and leaves record, the other commands and no command alone', () => {
    expect(tuneHeapFor('verify')).toBe(true);
    for (const command of ['record', 'log', 'diff', 'export', '--help', undefined])
      expect(tuneHeapFor(command)).toBe(false);
  });
});
