import { expect } from '@jest/globals';

import { LedgerError } from '../../src/errors.js';

/** The LedgerError `run` throws (or rejects with); fails the test when it throws nothing or something else. */
export async function refusal(run: () => unknown): Promise<LedgerError> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(LedgerError);
    return error as LedgerError;
  }
  throw new Error('expected a LedgerError, and nothing was thrown');
}

/** Whatever `action` throws, synchronously; fails the test when it throws nothing. */
export function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw, and nothing was thrown');
}
