/**
 * The console's operations and types are generated from the composed schema (GraphQL Code Generator, client
 * preset): the checked-in output is current, and a schema that no longer has a field the console asks for
 * fails `npm run build:console` before anything is built. The generator runs as the command runs it, in its
 * own process (it loads its presets as ES modules, which jest's module system cannot).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, it } from '@jest/globals';

const root = path.resolve(import.meta.dirname, '../..');
const GENERATED = path.join(root, 'console/src/gql');

/** Runs `npm run build:console -- <args>` (the script itself); resolves with its exit code and output. */
async function buildConsole(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/build-console.ts', ...args], {
    cwd: root,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: Error & { code?: number; stdout?: string; stderr?: string }) => ({
      code: error.code ?? -1,
      stdout: error.stdout ?? '',
      stderr: error.stderr ?? '',
    }),
  );
}

describe('the console’s generated operations', () => {
  let dir: string;
  let planted: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'verbund-codegen-'));
    // The planted change: the consent's evidenceReference renamed, as a schema change would rename it.
    const sdl = await readFile(path.join(root, 'schema/supergraph.graphql'), 'utf8');
    const changed = sdl.replace(/^ {2}evidenceReference: String!$/gm, '  evidenceRef: String!');
    assert.notEqual(changed, sdl, 'the planted change applies');
    planted = path.join(dir, 'supergraph.graphql');
    await writeFile(planted, changed);
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('are generated from schema/supergraph.graphql and checked in as generated', async () => {
    const check = await buildConsole('--check');
    assert.equal(check.code, 0, check.stderr);
    const documents = JSON.parse(await readFile(path.join(GENERATED, 'persisted-documents.json'), 'utf8')) as Record<
      string,
      string
    >;
    const names = Object.values(documents).map((d) => /(?:query|mutation) (\w+)/.exec(d)?.[1]);
    for (const name of ['ConsoleSearchPersons', 'ConsoleTimeline', 'ConsoleRecordConsent', 'AnalystIndicatorSeries'])
      assert.ok(names.includes(name), `${name} is among the generated documents`);
    for (const hash of Object.keys(documents)) assert.match(hash, /^sha256:[0-9a-f]{64}$/);
  });

  it('make `npm run build:console` fail on a schema that renamed a field an operation asks for, naming it, before anything is built', async () => {
    const before = (await stat(path.join(GENERATED, 'graphql.ts'))).mtimeMs;
    const failed = await buildConsole('--schema', planted);
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /The console does not build: GraphQL Document Validation failed/);
    assert.match(failed.stderr, /Cannot query field "evidenceReference" on type "Consent"/);
    assert.equal((await stat(path.join(GENERATED, 'graphql.ts'))).mtimeMs, before, 'a failed build writes nothing');
    assert.equal((await buildConsole('--check', '--schema', planted)).code, 1, 'and the check fails too');
  });
});
