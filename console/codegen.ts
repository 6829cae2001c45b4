/**
 * GraphQL Code Generator (client preset): the console's and the analysts' page's operations and their types,
 * generated from the composed schema (schema/supergraph.graphql) into console/src/gql/. `npm run build:console`
 * runs it first, so an operation that no longer matches the schema fails the build; a test checks that the
 * checked-in output is current. console/src/gql/persisted-documents.json lists every document by its SHA-256
 * hash (for registering the console's documents as trusted documents).
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CodegenConfig } from '@graphql-codegen/cli';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The composed schema the console is checked against. */
export const SUPERGRAPH_FILE = path.join(root, 'schema/supergraph.graphql');
/** Where the generated documents and types live (read by the trusted-documents registry too). */
export const GENERATED_DIR = path.join(root, 'console/src/gql');

/**
 * The console's source files that may hold operations, in a fixed (sorted) order: the generated files list
 * documents in the order they are read, and a folder's listing order differs between checkouts.
 */
function operationSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return full === GENERATED_DIR ? [] : operationSources(full);
      return /\.tsx?$/.test(entry.name) ? [full] : [];
    })
    .sort();
}

export const CONSOLE_CODEGEN: CodegenConfig = {
  schema: SUPERGRAPH_FILE,
  documents: operationSources(path.join(root, 'console/src')),
  ignoreNoDocuments: false,
  emitLegacyCommonJSImports: false,
  silent: true,
  // Passed to the schema loader too: enums keep the schema's order (the order the district reads them in).
  config: { sort: false },
  errorsOnly: true,
  generates: {
    [`${GENERATED_DIR}/`]: {
      preset: 'client',
      presetConfig: { fragmentMasking: false, persistedDocuments: { hashAlgorithm: 'sha256' } },
      config: {
        enumType: 'const',
        useTypeImports: true,
        avoidOptionals: { field: true, inputValue: false, object: true, defaultValue: false },
        defaultScalarType: 'unknown',
        scalars: { DateTimeISO: 'string', LocalDate: 'string', ID: 'string' },
      },
    },
  },
};

export default CONSOLE_CODEGEN;
