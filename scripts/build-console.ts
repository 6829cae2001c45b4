/**
 * `npm run build:console`: generates the console's typed operations from schema/supergraph.graphql (GraphQL
 * Code Generator, console/codegen.ts) and builds the consent officers' console (console/, React + Vite) into
 * console/dist, which the gateway serves at /console. An operation that no longer matches the schema fails
 * the build. `npm start` and the browser tests call `ensureConsoleBuilt`, which builds only when the build is
 * missing or older than a source file or the schema.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CONSOLE_CODEGEN, SUPERGRAPH_FILE } from '../console/codegen.js';
import { buildPage, isBuildCurrent, readIfExists } from './stale-build.js';

const root = path.resolve(import.meta.dirname, '..');
export const CONSOLE_DIR = path.join(root, 'console');
export const CONSOLE_DIST_DIR = path.join(CONSOLE_DIR, 'dist');

/** One generated file: where it belongs and what it holds. */
export interface GeneratedFile {
  filename: string;
  content: string;
}

/** Plain code-unit order, as `Array.prototype.sort` orders strings: the same whatever the machine's locale. */
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Generates the console's documents and types against `schema` (the composed supergraph by default), without
 * writing them. Rejects, naming the operation and field, when a document does not validate against it.
 */
export async function generateConsoleOperations(schema: string = SUPERGRAPH_FILE): Promise<GeneratedFile[]> {
  const { generate } = await import('@graphql-codegen/cli');
  const { preset } = await import('@graphql-codegen/client-preset');
  // The loader reads the source files side by side and, with `sort: false` (kept for the schema's enum order),
  // hands their documents over in the order the reads finished, which a busy machine changes. The client preset
  // writes them in the order it gets them: so they are given to it sorted by file, the same on every run.
  const inFileOrder: typeof preset = {
    ...preset,
    buildGeneratesSection: (options) =>
      preset.buildGeneratesSection({
        ...options,
        documents: [...options.documents].sort((a, b) => byCodeUnits(a.location ?? '', b.location ?? '')),
      }),
  };
  const generates = Object.fromEntries(
    Object.entries(CONSOLE_CODEGEN.generates).map(([output, options]) => [output, { ...options, preset: inFileOrder }]),
  );
  const files = (await generate({ ...CONSOLE_CODEGEN, schema, generates }, false)) as GeneratedFile[];
  return files.map((f) => ({ filename: path.resolve(f.filename), content: f.content }));
}

/** The checked-in generated files that differ from what the schema and the operations give now. */
export async function staleGeneratedFiles(schema: string = SUPERGRAPH_FILE): Promise<string[]> {
  const stale: string[] = [];
  for (const file of await generateConsoleOperations(schema)) {
    if (readIfExists(file.filename) !== file.content) stale.push(path.relative(root, file.filename));
  }
  return stale;
}

/** Writes the generated files that changed (unchanged files keep their time, so nothing rebuilds for them). */
async function writeGeneratedOperations(schema: string): Promise<void> {
  for (const file of await generateConsoleOperations(schema)) {
    if (readIfExists(file.filename) !== file.content) writeFileSync(file.filename, file.content);
  }
}

/** Generates the operations (against `schema`, the supergraph by default) and builds the console. */
export async function buildConsole(schema: string = SUPERGRAPH_FILE): Promise<void> {
  await writeGeneratedOperations(schema);
  await buildPage({ configFile: path.join(CONSOLE_DIR, 'vite.config.ts'), logLevel: 'warn' });
}

/** Builds the console unless a build newer than every source file exists; returns whether it built. */
export async function ensureConsoleBuilt(log: (line: string) => void = () => {}): Promise<boolean> {
  if (isBuildCurrent(CONSOLE_DIR, [SUPERGRAPH_FILE])) return false;
  log('building the consent officers’ console (console/dist)');
  // In a process of its own: the code generator loads its presets as ES modules, which a caller such as jest's
  // module system cannot.
  await promisify(execFile)(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    cwd: root,
  }).catch((error: Error & { stderr?: string }) => {
    throw new Error(error.stderr?.trim() || error.message);
  });
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  // `--schema <file>`: against another composed schema (how the test plants a change); `--check`: only say
  // whether the checked-in generated files are current (exit 1 when not), build nothing.
  const at = process.argv.indexOf('--schema');
  const schema = at > 0 ? path.resolve(process.argv[at + 1]) : SUPERGRAPH_FILE;
  try {
    if (process.argv.includes('--check')) {
      const stale = await staleGeneratedFiles(schema);
      if (stale.length) {
        console.error(`Stale generated operations (run npm run build:console): ${stale.join(', ')}`);
        process.exit(1);
      }
      console.log('The console’s generated operations match the schema.');
      process.exit(0);
    }
    await buildConsole(schema);
  } catch (error) {
    console.error(`The console does not build: ${(error as Error).message}`);
    process.exit(1);
  }
  console.log(`Built the console into ${path.relative(process.cwd(), CONSOLE_DIST_DIR)}`);
}
