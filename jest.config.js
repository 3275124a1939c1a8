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
  // Coverage is collected by `npm test` (jest --coverage), over all of src/ whether a test imports
  // a file or not; a run of some files (`npm run test:file -- PATHS`) collects none and checks none.
  collectCoverageFrom: ['src/**/*.ts', '!src/**/*.d.ts'],
  coverageReporters: ['text-summary', 'json-summary'],
  // Branch coverage per folder, aggregated over each folder (README, Testing).
  coverageThreshold: {
    './src/chain/': { branches: 90 },
    './src/verify/': { branches: 90 },
    './src/sign/': { branches: 90 },
    './src/store/': { branches: 90, lines: 90, statements: 90, functions: 90 },
    './src/formats/': { branches: 90, lines: 90, statements: 90, functions: 90 },
    './src/collect/secrets.ts': { branches: 90 },
  },
};
