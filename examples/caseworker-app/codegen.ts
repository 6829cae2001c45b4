/**
 * GraphQL Code Generator (client preset) for the caseworker app: the typed person view, from the hub's composed
 * schema, into src/gql/ (checked in). The client preset's persisted documents give each operation its SHA-256,
 * the same hash the hub's trusted documents register (`npm run documents -- add`).
 *
 *   npx tsx examples/caseworker-app/codegen.ts           regenerate src/gql/
 *   npx tsx examples/caseworker-app/codegen.ts --check   fail when src/gql/ is not what the schema gives now
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CodegenConfig } from '@graphql-codegen/cli';

const here = import.meta.dirname;
const GENERATED = path.join(here, 'src/gql');

/** A partner points `schema` at the hub's published supergraph (or its API schema) instead. */
export const CASEWORKER_CODEGEN: CodegenConfig = {
  schema: path.join(here, '../../schema/supergraph.graphql'),
  documents: [path.join(here, 'src/*.graphql')],
  ignoreNoDocuments: false,
  emitLegacyCommonJSImports: false,
  silent: true,
  errorsOnly: true,
  generates: {
    [`${GENERATED}/`]: {
      preset: 'client',
      presetConfig: { fragmentMasking: false, persistedDocuments: { hashAlgorithm: 'sha256' } },
      config: {
        enumType: 'const',
        useTypeImports: true,
        avoidOptionals: { field: true, inputValue: false, object: true, defaultValue: false },
        defaultScalarType: 'unknown',
        scalars: { LocalDate: 'string', DateTimeISO: 'string', ID: 'string' },
      },
    },
  },
};

/** The files GraphQL Code Generator writes now. */
async function generated(): Promise<{ filename: string; content: string }[]> {
  const { generate } = await import('@graphql-codegen/cli');
  return (await generate(CASEWORKER_CODEGEN, false)) as { filename: string; content: string }[];
}

if (process.argv[1] === import.meta.filename) {
  const check = process.argv.includes('--check');
  const stale: string[] = [];
  for (const file of await generated()) {
    const current = await readFile(file.filename, 'utf8').catch(() => undefined);
    if (current === file.content) continue;
    if (check) stale.push(path.relative(process.cwd(), file.filename));
    else {
      await mkdir(path.dirname(file.filename), { recursive: true });
      await writeFile(file.filename, file.content);
    }
  }
  if (stale.length) {
    console.error(`Not what the schema gives now: ${stale.join(', ')} (npx tsx examples/caseworker-app/codegen.ts)`);
    process.exit(1);
  }
}
