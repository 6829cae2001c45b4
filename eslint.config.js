// Type-aware linting: promises must be awaited or voided, switches over unions must be exhaustive.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'schema/', '.smoke/', 'eslint.config.js', 'console/dist/', 'dist/'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // jest's configuration and global set-up are plain JavaScript outside tsconfig.json.
        projectService: { allowDefaultProject: ['jest.config.js', 'tests/global-*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Decorated GraphQL/ORM classes and test payloads are typed by their schema, not by TypeScript.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      // Stubs and loaders return promises by contract without awaiting anything.
      '@typescript-eslint/require-await': 'off',
    },
  },
);
