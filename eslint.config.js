import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.kerf/**', 'packages/*/bin/**', 'eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // dependency-cruiser reads a CommonJS config
    files: ['.dependency-cruiser.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable' } },
  },
  {
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly' } },
  },
  {
    // the floor app's service worker: plain JavaScript in the worker scope
    files: ['packages/web/public/*.js'],
    languageOptions: {
      globals: { self: 'readonly', caches: 'readonly', fetch: 'readonly', Response: 'readonly', URL: 'readonly' },
    },
  },
  {
    files: ['packages/*/src/**/*.ts', 'packages/web/src/**/*.tsx'],
    languageOptions: {
      parserOptions: {
        project: [
          'packages/floor-codes/tsconfig.test.json',
          'packages/server/tsconfig.test.json',
          'packages/solver/tsconfig.test.json',
          'packages/connectors/tsconfig.test.json',
          'packages/sim/tsconfig.test.json',
          'packages/edge/tsconfig.test.json',
          'packages/web/tsconfig.json',
        ],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
);
