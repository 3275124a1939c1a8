// ESLint flat config. TypeScript is linted with type information (typescript-eslint's
// recommendedTypeChecked); JavaScript (scripts/*.mjs and config files) with @eslint/js alone.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** The Node.js globals our JavaScript uses; TypeScript files get theirs from @types/node. */
const nodeGlobals = Object.fromEntries(
  [
    'AbortController',
    'AbortSignal',
    'Buffer',
    'TextDecoder',
    'TextEncoder',
    'URL',
    'URLSearchParams',
    'clearImmediate',
    'clearInterval',
    'clearTimeout',
    'console',
    'fetch',
    'performance',
    'process',
    'queueMicrotask',
    'setImmediate',
    'setInterval',
    'setTimeout',
    'structuredClone',
  ].map((name) => [name, 'readonly']),
);

const typeScriptFiles = ['src/**/*.ts', '__tests__/**/*.ts', 'bench/**/*.ts'];
const testFiles = ['__tests__/**/*.ts'];

export default defineConfig([
  globalIgnores([
    'dist/',
    'lib/',
    'coverage/',
    'node_modules/',
    '.bench/',
    // Stryker's sandboxes and reports (npm run mutate).
    '.stryker-tmp/',
    'reports/mutation/',
    // Data that tests read byte for byte; TypeScript helpers there are still linted.
    '__tests__/fixtures/**/*.{js,mjs,cjs}',
  ]),

  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },

  {
    files: ['**/*.{js,mjs,cjs}'],
    extends: [js.configs.recommended],
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: nodeGlobals },
    rules: {
      eqeqeq: ['error', 'smart'],
      'no-console': 'off',
      'prefer-const': 'error',
    },
  },

  {
    files: typeScriptFiles,
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // An un-awaited promise, e.g. `expect(p).rejects.toThrow()` without `await`, checks nothing.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // Throw and reject with Error objects (LedgerError and its codes), never strings.
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/prefer-promise-reject-errors': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      // An `async` method that implements a Promise-returning interface without awaiting is fine,
      // and `async` turns its throws into rejections; forgotten awaits are no-floating-promises'.
      '@typescript-eslint/require-await': 'off',
      eqeqeq: ['error', 'smart'],
      'no-console': 'error',
    },
  },

  {
    // The CLI talks to its user on stdout and stderr.
    files: ['src/cli/**/*.ts'],
    rules: { 'no-console': 'off' },
  },

  {
    files: testFiles,
    rules: {
      // `expect(mock.fn).toHaveBeenCalled()` passes methods unbound, which jest handles.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
]);
