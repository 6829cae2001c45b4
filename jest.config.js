// `npm test`: jest over every *.test.ts beside the code and under tests/. ESM throughout (run with
// --experimental-vm-modules, see package.json); swc compiles TypeScript with legacy decorators and their
// metadata, as type-graphql and TypeORM expect. tests/global-setup.js prepares PostgreSQL once per run.
import { existsSync } from 'node:fs';

/** Folders holding test files; only these are crawled (data/ may belong to the postgres user). */
const roots = ['common', 'subgraphs', 'gateway', 'tests', 'seed', 'scripts'].filter((dir) => existsSync(dir));

/** @type {import('jest').Config} */
export default {
  roots: roots.map((dir) => `<rootDir>/${dir}`),
  testMatch: ['**/*.test.ts'],
  // Node's, with a log buffer per test file shown only for a failed test: a passing test prints nothing.
  testEnvironment: '<rootDir>/tests/quiet-environment.js',
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  // Sources import each other as `./x.js` (NodeNext); the file on disk is `./x.ts`.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          target: 'es2022',
          keepClassNames: true,
          transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: true },
        },
        module: { type: 'es6' },
        sourceMaps: 'inline',
      },
    ],
  },
  setupFiles: ['reflect-metadata', '<rootDir>/tests/support/realm.ts', '<rootDir>/tests/support/quiet-log.ts'],
  globalSetup: '<rootDir>/tests/global-setup.js',
  globalTeardown: '<rootDir>/tests/global-teardown.js',
  // Two files at a time, as the machine and PostgreSQL allow; each file has databases of its own.
  maxWorkers: 2,
  // jest keeps something of every ESM test file a worker ran (after forced collections: 3 MB for a file of one
  // trivial test, 6 to 12 MB for our unit tests), so a worker's heap reached about 2 GB by the end of a whole run,
  // and the operating system then took longer than jest's 500 ms to end it: "A worker process has failed to exit
  // gracefully". A worker using more than this after a file is replaced by a new one.
  workerIdleMemoryLimit: '1GB',
  // The end-to-end files start five subgraphs and the gateway (replicas.test.ts several of each) in one
  // hook, and seed up to 1000 persons; on two busy cores that can take a minute.
  testTimeout: 180_000,
};
