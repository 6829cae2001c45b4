/**
 * The docs cannot rot: every relative link of README.md, docs/ and examples/ resolves (headings included), every
 * `npm run` name is a script of package.json, and every shell block marked `sh runnable` runs against a started
 * hub (its `localhost:4000` pointed at the test's gateway, its development tokens signed with the hub's key)
 * and prints what its `# expect:` lines say. Planted mistakes show that each check can fail.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { loadOrCreateDevKey } from '../common/auth/dev-key.js';
import { createTokenVerifier } from '../common/auth/token.js';
import { demoPersons } from '../seed/world.js';
import {
  brokenLinks,
  projectMarkdown,
  runnableBlocks,
  unknownNpmScripts,
  type MarkdownFile,
  type RunnableBlock,
} from './support/docs.js';
import { startHub, type RunningHub } from './support/hub.js';
import { TEST_ISSUER } from './support/tokens.js';

const root = path.resolve(import.meta.dirname, '..');
const scripts = (
  JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts;
const docs = projectMarkdown(root);

describe('the docs', () => {
  it('are a short front page and pages per topic', () => {
    const readme = docs.find((d) => d.file === 'README.md')!;
    assert.ok(readme.text.split('\n').length <= 150, 'README.md has at most 150 lines');
    assert.match(readme.text, /npm install && npm start/);
    assert.match(readme.text, /npm test/);
    assert.ok(docs.filter((d) => d.file.startsWith('docs/')).length >= 10, 'docs/ holds the topic pages');
  });

  it('link only to files and headings that exist', () => {
    assert.deepEqual(
      docs.flatMap((doc) => brokenLinks(root, doc)),
      [],
    );
  });

  it('name only npm scripts that exist', () => {
    assert.deepEqual(
      docs.flatMap((doc) => unknownNpmScripts(doc, scripts)),
      [],
    );
  });

  it('find a planted broken link, a planted missing heading and a planted wrong script name', () => {
    const planted: MarkdownFile = {
      file: 'docs/planted.md',
      text: [
        'See [the log](disclosure-log.md), [gone](no-such-page.md), [anchor](operating.md#no-such-heading),',
        '![shot](screenshots/none.png) and [outside](https://example.org/x.md).',
        '```sh',
        'npm run -s tokn -- --agency county',
        'npm run audit:verify',
        '```',
      ].join('\n'),
    };
    assert.deepEqual(
      brokenLinks(root, planted).map((p) => p.problem),
      [
        'link to no-such-page.md: docs/no-such-page.md does not exist',
        'link to operating.md#no-such-heading: docs/operating.md has no heading #no-such-heading',
        'link to screenshots/none.png: docs/screenshots/none.png does not exist',
      ],
    );
    assert.deepEqual(
      unknownNpmScripts(planted, scripts).map((p) => p.problem),
      ['npm run tokn: no such script'],
    );
  });

  it('mark runnable blocks in the README and the topic pages', () => {
    const blocks = docs.flatMap(runnableBlocks);
    assert.ok(blocks.some((b) => b.file === 'README.md'));
    assert.ok(blocks.length >= 3, `${blocks.length} runnable blocks`);
    assert.ok(
      blocks.every((b) => b.expects.length > 0),
      'every runnable block says what it expects',
    );
  });
});

describe('the docs’ runnable blocks against a started hub', () => {
  let hub: RunningHub;
  let dataDir: string;

  beforeAll(async () => {
    // The token command signs with the development key in DATA_DIR; the hub verifies with the same key.
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'verbund-docs-'));
    const verifier = createTokenVerifier({ issuer: TEST_ISSUER, devKey: await loadOrCreateDevKey(dataDir) });
    hub = await startHub({ persons: demoPersons(11, 0, 30), seed: 11, verifier });
  });
  afterAll(() => hub?.stop());

  /** Runs a page's runnable blocks in order in one shell, so a later block may use an earlier one's variables. */
  function run(blocks: RunnableBlock[]): Promise<{ code: number; output: string }> {
    const host = new URL(hub.gatewayUrl).host;
    const script = ['set -euo pipefail', ...blocks.map((b) => b.script)].join('\n').replaceAll('localhost:4000', host);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATA_DIR: dataDir,
      NODE_ENV: 'development',
      JWT_ISSUER: TEST_ISSUER,
    };
    delete env.JWKS_URL;
    return new Promise((resolve) => {
      execFile('bash', ['-c', script], { cwd: root, env, timeout: 120_000 }, (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, output: `${stdout}\n${stderr}` });
      });
    });
  }

  const pages = [...new Set(docs.flatMap(runnableBlocks).map((b) => b.file))];
  it.each(pages)('%s: every runnable block runs and prints what it expects', async (file) => {
    const blocks = docs.filter((d) => d.file === file).flatMap(runnableBlocks);
    const { code, output } = await run(blocks);
    assert.equal(code, 0, `${file}: the runnable blocks exited with ${code}:\n${output}`);
    for (const expected of blocks.flatMap((b) => b.expects))
      assert.ok(output.includes(expected), `${file}: output lacks ${JSON.stringify(expected)}:\n${output}`);
  });

  it('fail on a planted wrong command and on a planted wrong expectation', async () => {
    const wrongCommand: RunnableBlock = {
      file: 'docs/planted.md',
      line: 1,
      script: 'TOKEN=$(npm run -s token -- --agency county --officer a.schulz --role CLERK)\necho "$TOKEN"',
      expects: [],
    };
    assert.notEqual((await run([wrongCommand])).code, 0);
    const wrongQuery = runnableBlocks({
      file: 'docs/planted.md',
      text: [
        '```sh runnable',
        'TOKEN=$(npm run -s token -- --agency county --officer a.schulz --role CASEWORKER)',
        `curl -s localhost:4000/graphql -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" \\`,
        `  -H 'x-purpose: CLEARING' -d '{"query":"{ registeredPerson(first: 1) { id } }"}'`,
        '# expect: "registeredPersons"',
        '```',
      ].join('\n'),
    });
    const { code, output } = await run(wrongQuery);
    assert.equal(code, 0);
    assert.ok(!output.includes('"registeredPersons"'), 'a misspelt query does not print what the docs expect');
    assert.match(output, /GRAPHQL_VALIDATION_FAILED/);
  });
});
