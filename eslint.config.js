// ESLint flat config: typescript-eslint's recommended rules, without type information (fast).
// Lint reports only; it is not part of `npm test`.
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/', 'node_modules/', 'test-results/', 'playwright-report/', 'bench/results/', '.vitest-attachments/'] },
  tseslint.configs.recommended,
  {
    rules: {
      // Parameters are not checked: backends implement one interface, and an implementation may not need
      // every argument. Unused locals still are (prefix `_` to keep one on purpose).
      '@typescript-eslint/no-unused-vars': ['error', { args: 'none', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
    },
  },
);
