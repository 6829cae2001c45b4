/**
 * `npm run build:console`: builds the consent officers' console (console/, React + Vite) into console/dist,
 * which the gateway serves at /console. `npm start` and the browser tests call `ensureConsoleBuilt`, which
 * builds only when the build is missing or older than a source file.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');
export const CONSOLE_DIR = path.join(root, 'console');
export const CONSOLE_DIST_DIR = path.join(CONSOLE_DIR, 'dist');

function newestSource(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    if (entry.name === 'dist' || entry.name === 'node_modules') return newest;
    const full = path.join(dir, entry.name);
    return Math.max(newest, entry.isDirectory() ? newestSource(full) : statSync(full).mtimeMs);
  }, 0);
}

function builtAt(): number | undefined {
  try {
    return statSync(path.join(CONSOLE_DIST_DIR, 'index.html')).mtimeMs;
  } catch {
    return undefined;
  }
}

export async function buildConsole(): Promise<void> {
  const { build } = await import('vite');
  await build({ configFile: path.join(CONSOLE_DIR, 'vite.config.ts'), logLevel: 'warn' });
}

/** Builds the console unless a build newer than every source file exists; returns whether it built. */
export async function ensureConsoleBuilt(log: (line: string) => void = () => {}): Promise<boolean> {
  const built = builtAt();
  if (built !== undefined && built >= newestSource(CONSOLE_DIR)) return false;
  log('building the consent officers’ console (console/dist)');
  await buildConsole();
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  await buildConsole();
  console.log(`Built the console into ${path.relative(process.cwd(), CONSOLE_DIST_DIR)}`);
}
