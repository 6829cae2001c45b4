/**
 * The consent officers' console and the analysts' page in Chromium against a hub in the production profile:
 * trusted documents on, so the gateway runs only what trusted-documents/<agency>/ registers. Every operation
 * the pages send (Apollo Client's own print, with `__typename`) must be registered for the officer's agency:
 * the county's and the jobcenter's consent officers and the county's analyst go through their screens, and
 * not one request of theirs is refused.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { Browser, Page, Request } from 'playwright-core';
import { loadAgencyList } from '../../common/policy/agencies.js';
import { loadTrustedDocuments, TRUSTED_DOCUMENTS_DIR } from '../../gateway/trusted-documents.js';
import { CONSOLE_DIST_DIR, ensureConsoleBuilt } from '../../scripts/build-console.js';
import { demoPersons } from '../../seed/world.js';
import { codes, post } from '../support/graphql.js';
import { startHub, type RunningHub } from '../support/hub.js';
import { TEST_ISSUER, testKey, tokenFor } from '../support/tokens.js';
import { launchChromium } from './browser.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SEED = 11;
const persons = demoPersons(SEED, 0, 30);

interface Seen {
  operation: string;
  status: number;
  codes: string[];
}

describe('the console in the production profile, with its documents registered', () => {
  let hub: RunningHub;
  let browser: Browser;
  let base: string;
  const seen: Seen[] = [];
  /** The answers' bodies still being read: a tab is closed only once they are (see `closeTab`). */
  const reading: Promise<unknown>[] = [];
  /** Each tab's GraphQL requests not yet answered in full. */
  const unanswered = new Map<Page, Set<Request>>();

  /** A fresh browser tab that records every GraphQL answer it gets. */
  async function tab(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'de-DE' });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const pending = new Set<Request>();
    unanswered.set(page, pending);
    const isGraphql = (request: Request) => request.url().endsWith('/graphql');
    page.on('request', (request) => {
      if (isGraphql(request)) pending.add(request);
    });
    page.on('requestfinished', (request) => pending.delete(request));
    page.on('requestfailed', (request) => pending.delete(request));
    page.on('response', (response) => {
      if (!isGraphql(response.request())) return;
      const operation = (JSON.parse(response.request().postData() ?? '{}') as { operationName?: string }).operationName;
      const read = response
        .json()
        .then((body: { errors?: { extensions?: { code?: string } }[] }) =>
          seen.push({
            operation: operation ?? '(none)',
            status: response.status(),
            codes: (body.errors ?? []).map((e) => String(e.extensions?.code)),
          }),
        )
        .catch(() => seen.push({ operation: operation ?? '(none)', status: response.status(), codes: ['NOT_JSON'] }));
      reading.push(read);
    });
    return page;
  }

  /**
   * Closes a tab once its GraphQL requests are answered and their bodies read: a body still being read when the
   * tab closes cannot be, and would count as an answer that was not JSON (seen for the verification status the
   * pages load in the background). Playwright's "networkidle" does not do: a page that reached it once counts
   * as idle for every later request.
   */
  async function closeTab(page: Page): Promise<void> {
    const pending = unanswered.get(page)!;
    const deadline = Date.now() + 60_000;
    while (pending.size > 0) {
      assert.ok(
        Date.now() < deadline,
        `still unanswered after 60 s: ${[...pending].map((r) => r.postData()?.slice(0, 80)).join('; ')}`,
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await Promise.all(reading);
    unanswered.delete(page);
    await page.context().close();
  }

  async function signIn(page: Page, officer: RegExp): Promise<void> {
    await page.goto(`${base}/console/`);
    await page.getByLabel(officer).check();
    await page.getByRole('button', { name: 'Anmelden' }).click();
  }

  beforeAll(async () => {
    browser = await launchChromium();
    await ensureConsoleBuilt();
    const trustedDocuments = await loadTrustedDocuments({
      dir: path.join(ROOT, TRUSTED_DOCUMENTS_DIR),
      enforce: true,
      supergraphSdl: await readFile(path.join(ROOT, 'schema/supergraph.graphql'), 'utf8'),
      agencies: loadAgencyList(),
    });
    hub = await startHub({
      persons,
      seed: SEED,
      unseeded: ['consent'],
      trustedDocuments,
      // Development sign-in stands in for the identity provider: how the token is got does not change the documents.
      console: { dir: CONSOLE_DIST_DIR, devSignIn: { key: await testKey(), issuer: TEST_ISSUER } },
    });
    base = hub.gatewayUrl.replace(/\/graphql$/, '');
  });

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
  });

  it('refuses a document the console does not send, for the same officer (trusted documents are on)', async () => {
    const officer = await tokenFor('county', ['CONSENT_OFFICER'], 'a.schulz');
    const response = await post(hub.gatewayUrl, {
      token: officer,
      purpose: 'CONSENT_MANAGEMENT',
      query: 'query { searchPersons(name: "Ab") { id givenName familyName } }',
    });
    assert.deepEqual(codes(response), ['UNTRUSTED_DOCUMENT']);
  });

  it('lets the county’s consent officer search, record a consent, and read the timeline and the log', async () => {
    const person = persons[0];
    const page = await tab();
    await signIn(page, /A\. Schulz/);
    await page.getByText('Angemeldet als').waitFor();
    await page.getByLabel('Geburtsdatum').fill(person.dateOfBirth);
    await page.getByRole('button', { name: 'Suchen' }).click();
    await page
      .getByRole('link', { name: `${person.familyName}, ${person.givenName}` })
      .first()
      .click();
    await page.getByRole('heading', { name: 'Einwilligungen', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Einwilligung erfassen' }).click();
    await page.getByRole('checkbox', { name: 'Jobcenter Landkreis Lindenau', exact: true }).check();
    await page.getByRole('checkbox', { name: 'Arbeitsvermittlung', exact: true }).check();
    await page.getByRole('checkbox', { name: 'Sprachkenntnisse', exact: true }).check();
    await page.getByLabel('Nachweis (Ablageort)').fill('file 2026/118');
    await page.getByLabel('Version der Information').fill('2026-01');
    await page.getByLabel('Sprache der Information').fill('ar');
    await page.getByRole('button', { name: 'Einwilligung speichern' }).click();
    await page.getByRole('status').filter({ hasText: 'erfasst (Version 1)' }).waitFor();
    await page.getByRole('link', { name: 'Zeitleiste' }).click();
    await page.getByText('Einträge angezeigt').waitFor();
    // This person's only records are the officers' own reads: shown by the switch, then exported.
    await page.getByLabel('Eigene Abrufe der Einwilligungsstelle zeigen').check();
    await page.getByRole('button', { name: 'Filter anwenden' }).click();
    await page.locator('.records tbody tr').first().waitFor();
    await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /^Als CSV exportieren/ }).click(),
    ]);
    await page.getByRole('link', { name: 'Übermittlungsprotokoll' }).click();
    await page.getByRole('button', { name: 'Filter anwenden' }).click();
    await page.getByText('Einträge angezeigt').waitFor();
    await closeTab(page);
  });

  it('lets the jobcenter’s consent officer search by name', async () => {
    const person = persons[1];
    const page = await tab();
    await signIn(page, /R\. Yıldız/);
    await page.getByText('Angemeldet als').waitFor();
    await page.getByLabel('Name oder Personenkennung').fill(person.familyName);
    await page.getByRole('button', { name: 'Suchen' }).click();
    await page.getByRole('row').filter({ hasText: person.id }).waitFor();
    await closeTab(page);
  });

  it('lets the county’s analyst read the indicator series', async () => {
    const page = await tab();
    await signIn(page, /M\. Weber/);
    await page.getByRole('heading', { name: 'Integrationsmonitoring' }).waitFor();
    await page.locator('figure.indicator').first().waitFor();
    await closeTab(page);
  });

  it('refused not one of the pages’ requests', () => {
    const operations = new Set(seen.map((s) => s.operation));
    for (const name of [
      'ConsoleSearchPersons',
      'ConsoleRecordConsent',
      'ConsoleTimeline',
      'ConsoleDisclosureSummary',
      'ConsoleExport',
      'AnalystIndicatorSeries',
    ])
      assert.ok(operations.has(name), `${name} was sent (sent: ${[...operations].join(', ')})`);
    const refused = seen.filter(
      (s) =>
        s.status !== 200 ||
        s.codes.some((c) =>
          ['UNTRUSTED_DOCUMENT', 'PERSISTED_QUERY_NOT_TRUSTED', 'BAD_REQUEST', 'NOT_JSON'].includes(c),
        ),
    );
    assert.deepEqual(refused, []);
  });
});
