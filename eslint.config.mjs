import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**', 'migrations/Migration*.ts', 'jest.config.js', 'terraform/**', 'k8s/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // CommonJS config files (the dependency rules) run in Node with its module globals.
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs', globals: { module: 'readonly', require: 'readonly', __dirname: 'readonly' } } },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Test helpers read loosely typed JSON bodies.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
