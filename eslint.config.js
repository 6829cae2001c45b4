// Type-aware linting: promises must be awaited or voided, switches over unions must be exhaustive, nothing
// untyped in product code, and imports only point down the layers (common/ is at the bottom).
import tseslint from 'typescript-eslint';

/** Forbids imports from the named top-level folders, wherever the importing file sits. */
const noImportsFrom = (folders, why) => [
  'error',
  { patterns: [{ group: folders.flatMap((folder) => [`**/${folder}/*`, `**/${folder}/**`]), message: why }] },
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'data/',
      'schema/',
      '.smoke/',
      'eslint.config.js',
      'console/dist/',
      'explorer/dist/',
      'console/src/gql/',
      'examples/caseworker-app/src/gql/',
      'dist/',
      '.bench-build/',
    ],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // jest's configuration and global set-up are plain JavaScript outside tsconfig.json.
        projectService: { allowDefaultProject: ['jest.config.js', 'tests/global-*.js', 'tests/quiet-environment.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Stubs and loaders return promises by contract without awaiting anything.
      '@typescript-eslint/require-await': 'off',
    },
  },
  // The layers: common/ is used by every part and uses none of them; the others never reach into the runners.
  {
    files: ['common/**'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': noImportsFrom(
        ['subgraphs', 'seed', 'scripts', 'bench', 'gateway', 'migrations', 'tests'],
        'common/ is shared by every part and must not depend on one: pass what it needs in (see SubgraphDefinition).',
      ),
    },
  },
  {
    files: ['subgraphs/**', 'seed/**', 'migrations/**', 'gateway/**'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': noImportsFrom(
        ['scripts', 'bench', 'tests'],
        'Product code must not depend on the scripts, the benchmark or the tests that run it.',
      ),
    },
  },
  {
    files: ['seed/**', 'migrations/**'],
    rules: {
      'no-restricted-imports': noImportsFrom(
        ['subgraphs', 'scripts', 'bench', 'gateway', 'tests'],
        'Migrations and the demo world sit below the subgraphs that use them.',
      ),
    },
  },
  // Tests read GraphQL responses as untyped JSON.
  {
    files: ['tests/**', '**/*.test.ts', '**/*.test.tsx'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
