import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { InlineConfig } from 'vite';

/** The newest modification time of any file below `dir`, leaving out built output and installed packages. */
function newestSource(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    if (entry.name === 'dist' || entry.name === 'node_modules') return newest;
    const full = path.join(dir, entry.name);
    return Math.max(newest, entry.isDirectory() ? newestSource(full) : statSync(full).mtimeMs);
  }, 0);
}

/**
 * Whether a page's build (`<dir>/dist/index.html`) is newer than every source file of `dir` and every file in
 * `alsoFrom` (e.g. the schema its operations are generated from). No build is never current.
 */
export function isBuildCurrent(dir: string, alsoFrom: string[] = []): boolean {
  let built: number;
  try {
    built = statSync(path.join(dir, 'dist', 'index.html')).mtimeMs;
  } catch {
    return false;
  }
  return built >= Math.max(newestSource(dir), ...alsoFrom.map((file) => statSync(file).mtimeMs));
}

/** A text file's content, or undefined when there is none yet. */
export function readIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Vite's production build of one page (`config` names its `vite.config.ts`). Vite sets `NODE_ENV=production` in the
 * process that calls it where the variable was unset. `npm start` builds the explorer in its own process (the
 * console in a child process) before it starts the gateway, which then inherited it and refused the development
 * tokens on a fresh clone. The variable is put back as it was (and npm start starts its parts with the
 * environment it was given, so not even a part restarted during a build sees Vite's).
 */
export async function buildPage(config: InlineConfig): Promise<void> {
  const before = process.env.NODE_ENV;
  const { build } = await import('vite');
  try {
    await build(config);
  } finally {
    if (before === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = before;
  }
}
