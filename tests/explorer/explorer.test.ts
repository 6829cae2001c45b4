/**
 * The developers' explorer (GraphiQL bundled from npm, at /explorer) in Chromium with every request to
 * anywhere but the hub blocked, as in a district's closed network: the demo caller picker fills token and
 * purpose, the person view example runs and shows data and CONSENT_REQUIRED errors; axe-core finds nothing
 * serious. In production the explorer is off unless configured and never hands out a token.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { SUBGRAPHS, type SubgraphName } from '../../common/domain.js';
import { listen, type Listening } from '../../common/http.js';
import { explorerSetup } from '../../gateway/explorer-route.js';
import { buildGateway, type BuiltGateway } from '../../gateway/gateway.js';
import { EXPLORER_DIST_DIR } from '../../scripts/build-explorer.js';
import { demoPersons } from '../../seed/world.js';
import { launchChromium, screenshot, seriousViolations } from '../console/browser.js';
import { startHub, type RunningHub } from '../support/hub.js';
import { TEST_ISSUER, testKey, testVerifier } from '../support/tokens.js';

const SEED = 1;
const persons = demoPersons(SEED, 0, 20);

describe('the explorer at /explorer, offline', () => {
  let hub: RunningHub;
  let browser: Browser;
  const served: { gateway: BuiltGateway; listening: Listening }[] = [];
  let development: string;
  let production: string;
  let productionWithout: string;
  let context: BrowserContext;
  let page: Page;
  const blocked: string[] = [];

  const serve = async (development: boolean, enabled: boolean): Promise<string> => {
    const setup = await explorerSetup({
      enabled,
      development,
      dir: EXPLORER_DIST_DIR,
      devKey: await testKey(),
      issuer: TEST_ISSUER,
      examplePersonId: persons[0].id,
    });
    const gateway = await buildGateway({
      supergraphSdl: await readFile(path.resolve(import.meta.dirname, '../../schema/supergraph.graphql'), 'utf8'),
      subgraphUrls: Object.fromEntries(SUBGRAPHS.map((n) => [n, hub.subgraphs[n].url])) as Record<SubgraphName, string>,
      verifier: await testVerifier(),
      development,
      ...setup,
    });
    const listening = await listen(gateway.handler, 0);
    served.push({ gateway, listening });
    return listening.url.replace(/\/graphql$/, '');
  };

  beforeAll(async () => {
    browser = await launchChromium();
    // Built by the global set-up (tests/support/harness.ts): vite cannot build inside jest.
    assert.ok(
      existsSync(path.join(EXPLORER_DIST_DIR, 'index.html')),
      'explorer/dist is missing: run `npm install && npm run build:explorer`',
    );
    hub = await startHub({ persons, seed: SEED });
    development = await serve(true, true);
    production = await serve(false, true);
    productionWithout = await serve(false, false);
    context = await browser.newContext({
      viewport: { width: 1400, height: 900 },
      locale: 'de-DE',
      timezoneId: 'Europe/Berlin',
    });
    // The district's network: nothing but the hub answers; every other request is refused and noted.
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === 'localhost' || url.hostname === '127.0.0.1') return route.continue();
      blocked.push(url.href);
      return route.abort('blockedbyclient');
    });
    page = await context.newPage();
    page.setDefaultTimeout(30_000);
  });

  afterAll(async () => {
    await browser?.close();
    for (const { gateway, listening } of served) {
      await listening.close();
      await gateway.stop();
    }
    await hub?.stop();
  });

  it('offers the purposes each role may state at the chosen agency', async () => {
    await page.goto(`${development}/explorer/`);
    const caller = page.getByRole('form', { name: 'Demo caller' });
    await caller.getByLabel('Agency').selectOption('jobcenter');
    await caller.getByLabel('Role').selectOption('CASEWORKER');
    assert.deepEqual(await caller.getByLabel('Purpose').locator('option').allInnerTexts(), [
      'JOB_PLACEMENT',
      'LANGUAGE_SUPPORT',
      'CASE_CONFERENCE',
    ]);
    await caller.getByLabel('Agency').selectOption('municipality:08999001');
    await caller.getByLabel('Role').selectOption('ANALYST');
    assert.deepEqual(await caller.getByLabel('Purpose').locator('option').allInnerTexts(), ['MONITORING']);
  });

  it('runs the person view with the demo token and purpose chosen in the picker, showing data and CONSENT_REQUIRED', async () => {
    const caller = page.getByRole('form', { name: 'Demo caller' });
    await caller.getByLabel('Agency').selectOption('jobcenter');
    await caller.getByLabel('Role').selectOption('CASEWORKER');
    await caller.getByLabel('Purpose').selectOption('JOB_PLACEMENT');
    await caller.getByRole('button', { name: 'Use demo token' }).click();
    await page.getByRole('status').filter({ hasText: 'Headers: jobcenter, CASEWORKER, JOB_PLACEMENT' }).waitFor();
    // The new token remounts GraphiQL, whose editors load afterwards: until they hold the query and the headers,
    // the run button sends nothing, or sends the query without them.
    await page.locator('.graphiql-query-editor .CodeMirror-line', { hasText: 'PersonView' }).first().waitFor();
    await page
      .locator('.graphiql-editor-tool .CodeMirror-line', { hasText: 'Bearer ey' })
      .first()
      .waitFor({ state: 'attached' });
    const answered = page.waitForResponse(
      (r) => r.url().endsWith('/graphql') && (r.request().postData() ?? '').includes('PersonView'),
    );
    await page.locator('.graphiql-execute-button').click();
    const response = await answered;
    const sent = response.request().headers();
    assert.equal(sent['x-purpose'], 'JOB_PLACEMENT');
    assert.match(sent.authorization ?? '', /^Bearer ey/);
    const body = (await response.json()) as {
      data: { person: { id: string; givenName: string | null; housing: unknown } };
      errors: { extensions: { code: string; category: string } }[];
    };
    // Identity by statute, housing only with a consent the demo person has not given.
    assert.equal(body.data.person.id, persons[0].id);
    assert.equal(body.data.person.givenName, persons[0].givenName);
    assert.equal(body.data.person.housing, null);
    assert.ok(body.errors.some((e) => e.extensions.code === 'CONSENT_REQUIRED' && e.extensions.category === 'HOUSING'));
    const result = page.locator('.result-window');
    await result.filter({ hasText: 'CONSENT_REQUIRED' }).waitFor();
    await result.filter({ hasText: persons[0].givenName }).waitFor();
    await screenshot(page, 'explorer');
  });

  it('shows each field’s access rules from the schema in the documentation', async () => {
    const answered = await page.evaluate(async () => {
      const response = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __type(name: "Person") { fields { name description } } }' }),
      });
      return (await response.json()) as { data: { __type: { fields: { name: string; description: string }[] } } };
    });
    const housing = answered.data.__type.fields.find((f) => f.name === 'housing')!;
    assert.match(housing.description, /Who may see this field \(category HOUSING/);
  });

  it('made no request to anywhere but the hub, and axe-core finds nothing serious', async () => {
    assert.deepEqual(blocked, []);
    // The page's Content-Security-Policy refuses inline scripts; axe-core goes in through the DevTools protocol.
    await page.evaluate(await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8'));
    assert.deepEqual(await seriousViolations(page), []);
  });

  it('hands out demo tokens in development only, for agencies of the district and known roles', async () => {
    const ok = await fetch(`${development}/explorer/dev-token?agency=socialcare:caritas&role=CASEWORKER`);
    assert.equal(ok.status, 200);
    assert.deepEqual(((await ok.json()) as { roles: string[] }).roles, ['CASEWORKER']);
    assert.equal((await fetch(`${development}/explorer/dev-token?agency=socialcare:evil&role=CASEWORKER`)).status, 400);
    assert.equal((await fetch(`${development}/explorer/dev-token?agency=county&role=ADMIN`)).status, 400);
    assert.equal((await fetch(`${production}/explorer/dev-token?agency=county&role=CASEWORKER`)).status, 404);
    const settings = (await (await fetch(`${production}/explorer/settings.json`)).json()) as { devTokens: boolean };
    assert.equal(settings.devTokens, false);
  });

  it('in production shows no picker when configured, and is not served at all when not', async () => {
    await page.goto(`${production}/explorer/`);
    await page.getByText('Put your token from the identity provider').waitFor();
    assert.equal(await page.getByRole('form', { name: 'Demo caller' }).count(), 0);
    const off = await fetch(`${productionWithout}/explorer/`);
    assert.notEqual(off.status, 200);
    assert.doesNotMatch(await off.text(), /graphiql|<script/i);
  });

  it('opens Apollo Sandbox at /graphql in development with the example and the demo headers already set', async () => {
    const html = await (await fetch(`${development}/graphql`, { headers: { accept: 'text/html' } })).text();
    assert.match(html, /query PersonView/);
    assert.match(html, /X-Purpose.{0,12}JOB_PLACEMENT/);
    assert.match(html, /sharedHeaders/);
    assert.match(html, /Bearer ey/);
    const productionHtml = await (await fetch(`${production}/graphql`, { headers: { accept: 'text/html' } })).text();
    assert.doesNotMatch(productionHtml, /Bearer ey/);
  });
});
