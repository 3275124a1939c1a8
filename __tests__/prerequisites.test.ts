import { afterEach, expect, it, jest } from '@jest/globals';

import { reportMissing } from './support/prerequisites.js';

const saved = process.env.CI;
afterEach(() => {
  if (saved === undefined) delete process.env.CI;
  else process.env.CI = saved;
  jest.restoreAllMocks();
});

it('fails under CI=true where a user would see a skip', () => {
  process.env.CI = 'true';
  expect(() => reportMissing('tests skipped: jq not installed')).toThrow(
    /^tests skipped: jq not installed — and CI=true, where nothing may be skipped/,
  );
});

it('says why and lets the suite skip elsewhere', () => {
  delete process.env.CI;
  const written: string[] = [];
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  expect(() => reportMissing('tests skipped: jq not installed')).not.toThrow();
  expect(written).toEqual(['tests skipped: jq not installed\n']);
});
