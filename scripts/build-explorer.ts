/**
 * `npm run build:explorer`: bundles GraphiQL with the hub's demo caller picker and examples (explorer/, React +
 * Vite) into explorer/dist, which the gateway serves at /explorer with nothing fetched from elsewhere. `npm start`
 * and the tests call `ensureExplorerBuilt`, which builds only when the build is older than a source file.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPage, isBuildCurrent } from './stale-build.js';

const root = path.resolve(import.meta.dirname, '..');
export const EXPLORER_DIR = path.join(root, 'explorer');
export const EXPLORER_DIST_DIR = path.join(EXPLORER_DIR, 'dist');

export async function buildExplorer(): Promise<void> {
  // GraphiQL's dependencies carry 'use client' directives, which the bundler reports as warnings on every build.
  await buildPage({ configFile: path.join(EXPLORER_DIR, 'vite.config.ts'), logLevel: 'error' });
}

/** Builds the explorer unless a build newer than every source file exists; returns whether it built. */
export async function ensureExplorerBuilt(log: (line: string) => void = () => {}): Promise<boolean> {
  if (isBuildCurrent(EXPLORER_DIR)) return false;
  log('building the GraphQL explorer (explorer/dist)');
  await buildExplorer();
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  await buildExplorer();
  console.log(`Built the explorer into ${path.relative(process.cwd(), EXPLORER_DIST_DIR)}`);
}
