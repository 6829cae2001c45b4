import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, it } from '@jest/globals';

const run = promisify(execFile);
const made: string[] = [];

/**
 * Builds a page of one HTML file with `buildPage` in a Node process of its own, whose NODE_ENV is `nodeEnv`
 * (unset for undefined), as `npm start` runs it; answers with that process's NODE_ENV afterwards. (Vite's
 * bundler does not run inside jest's module realm.)
 */
async function nodeEnvAfterBuild(nodeEnv: string | undefined): Promise<{ after: string | null; built: boolean }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'verbund-page-'));
  made.push(dir);
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>page</title><p>page</p>');
  const script = `
    const { buildPage } = await import(${JSON.stringify(path.resolve('scripts/stale-build.ts'))});
    await buildPage({ configFile: false, root: ${JSON.stringify(dir)}, logLevel: 'error' });
    console.log(JSON.stringify(process.env.NODE_ENV ?? null));`;
  const env = { ...process.env };
  if (nodeEnv === undefined) delete env.NODE_ENV;
  else env.NODE_ENV = nodeEnv;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env });
  return {
    after: JSON.parse(stdout.trim().split('\n').pop()!),
    built: existsSync(path.join(dir, 'dist', 'index.html')),
  };
}

describe('building a page (console, explorer)', () => {
  afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  // npm start builds the pages in its own process, then starts the gateway with that process's environment:
  // Vite's NODE_ENV=production made the gateway refuse the development tokens on a fresh clone.
  it('leaves NODE_ENV unset where it was unset, so that npm start still starts the development hub', async () => {
    assert.deepEqual(await nodeEnvAfterBuild(undefined), { after: null, built: true });
  });

  it('leaves a NODE_ENV that was set as it was', async () => {
    assert.deepEqual(await nodeEnvAfterBuild('development'), { after: 'development', built: true });
  });
});
