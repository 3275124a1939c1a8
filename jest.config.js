/** Native ESM: run with NODE_OPTIONS=--experimental-vm-modules (see package.json "test"). */
export default {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  testTimeout: 60000,
  // Never in band (jest runs in band when it computes one worker, as on 2 cores): suites that
  // scan hundreds of MB of crafted input bloat a process, and a worker above this is restarted
  // before its next suite instead of carrying that heap into it.
  maxWorkers: 2,
  workerIdleMemoryLimit: '400MB',
};
