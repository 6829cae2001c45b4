import { execFile } from 'node:child_process';
import { cp, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

/** Where `compileForBench` puts the compiled parts: the repository's layout, as `npm run build` makes `dist/`. */
export const BENCH_BUILD_DIR = '.bench-build';

/**
 * Compiles the parts the benchmark runs (the subgraphs, the gateway and the baseline) with `tsc`, as a
 * deployment runs them (`npm run build`, `node dist/subgraphs/main.js`), instead of under tsx: the figures
 * are then those of the production code path. The schema files and the policy's JSON files are copied beside
 * the compiled code, which reads them relative to itself. Returns the directory.
 */
export async function compileForBench(root: string, log: (line: string) => void): Promise<string> {
  const out = path.join(root, BENCH_BUILD_DIR);
  await rm(out, { recursive: true, force: true });
  log('compiling the parts with tsc (-p tsconfig.bench.json), as npm run build does');
  await promisify(execFile)(
    process.execPath,
    [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.bench.json')],
    { cwd: root },
  );
  await cp(path.join(root, 'schema'), path.join(out, 'schema'), { recursive: true });
  await cp(path.join(root, 'common/policy'), path.join(out, 'common/policy'), {
    recursive: true,
    filter: (file) => !file.endsWith('.ts'),
  });
  return out;
}
