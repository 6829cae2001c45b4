/**
 * `npm run build:explorer`: bundles GraphiQL with the hub's demo caller picker and examples (explorer/, React +
 * Vite) into explorer/dist, which the gateway serves at /explorer with nothing fetched from elsewhere. `npm start`
 * and the tests call `ensureExplorerBuilt`, which builds only when the build is older than a source file.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');
export const EXPLORER_DIR = path.join(root, 'explorer');
export const EXPLORER_DIST_DIR = path.join(EXPLORER_DIR, 'dist');

function newestSource(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    if (entry.name === 'dist' || entry.name === 'node_modules') return newest;
    const full = path.join(dir, entry.name);
    return Math.max(newest, entry.isDirectory() ? newestSource(full) : statSync(full).mtimeMs);
  }, 0);
}

function builtAt(): number | undefined {
  try {
    return statSync(path.join(EXPLORER_DIST_DIR, 'index.html')).mtimeMs;
  } catch {
    return undefined;
  }
}

export async function buildExplorer(): Promise<void> {
  const { build } = await import('vite');
  // GraphiQL's dependencies carry 'use client' directives, which the bundler reports as warnings on every build.
  await build({ configFile: path.join(EXPLORER_DIR, 'vite.config.ts'), logLevel: 'error' });
}

/** Builds the explorer unless a build newer than every source file exists; returns whether it built. */
export async function ensureExplorerBuilt(log: (line: string) => void = () => {}): Promise<boolean> {
  const built = builtAt();
  if (built !== undefined && built >= newestSource(EXPLORER_DIR)) return false;
  log('building the GraphQL explorer (explorer/dist)');
  await buildExplorer();
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  await buildExplorer();
  console.log(`Built the explorer into ${path.relative(process.cwd(), EXPLORER_DIST_DIR)}`);
}
