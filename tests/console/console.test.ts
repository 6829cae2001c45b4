/**
 * The consent officers' console in a real browser (Debian's Chromium driven by Playwright) against the
 * whole hub: sign in, find a person, record, change and withdraw a consent and see the jobcenter's person
 * view follow, the timeline with release and refusal, the log export against the API, the Arabic report,
 * and axe-core on every main screen. `VERBUND_SCREENSHOTS=docs/screenshots` also saves the screens.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { SUBGRAPHS, type SubgraphName } from '../../common/domain.js';
import { listen, type Listening } from '../../common/http.js';
import { buildGateway, type BuiltGateway } from '../../gateway/gateway.js';
import { CONSOLE_DIST_DIR, ensureConsoleBuilt } from '../../scripts/build-console.js';
import { demoPersons } from '../../seed/world.js';
import { post } from '../support/graphql.js';
import { startHub, type RunningHub } from '../support/hub.js';
import { PERSON_VIEW } from '../support/queries.js';
import { TEST_ISSUER, testKey, testVerifier, tokenFor } from '../support/tokens.js';
import { launchChromium, parseCsv, screenshot, seriousViolations } from './browser.js';

const SEED = 11;
const persons = demoPersons(SEED, 0, 30);

describe('consent officers’ console in Chromium', () => {
  let hub: RunningHub;
  let gateway: BuiltGateway;
  let served: Listening;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let person: (typeof persons)[number];
  let jobcenter: string;
  let officer: string;

  beforeAll(async () => {
    // Fails here, never skips, when Chromium is missing.
    browser = await launchChromium();
    await ensureConsoleBuilt();
    hub = await startHub({ persons, seed: SEED, unseeded: ['consent'] });
    const rows = await hub.subgraphs.county.db.query<{ person_id: string }[]>(
      'SELECT person_id FROM language_skill ORDER BY person_id LIMIT 1',
    );
    person = persons.find((p) => p.id === rows[0].person_id)!;
    // The hub's gateway, built as `npm start` builds it, with the console and development sign-in.
    gateway = await buildGateway({
      supergraphSdl: await readFile(path.resolve(import.meta.dirname, '../../schema/supergraph.graphql'), 'utf8'),
      subgraphUrls: Object.fromEntries(SUBGRAPHS.map((n) => [n, hub.subgraphs[n].url])) as Record<SubgraphName, string>,
      verifier: await testVerifier(),
      development: false,
      console: { dir: CONSOLE_DIST_DIR, devSignIn: { key: await testKey(), issuer: TEST_ISSUER } },
    });
    served = await listen(gateway.handler, 0);
    base = served.url.replace(/\/graphql$/, '');
    jobcenter = await tokenFor('jobcenter', ['CASEWORKER'], 'j.meyer');
    officer = await tokenFor('county', ['CONSENT_OFFICER'], 'a.schulz');
    // axe-core is injected as a script; the console's own Content-Security-Policy would block it.
    context = await browser.newContext({
      bypassCSP: true,
      viewport: { width: 1280, height: 900 },
      locale: 'de-DE',
      timezoneId: 'Europe/Berlin',
    });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    if (process.env.CONSOLE_DEBUG) await page.screenshot({ path: process.env.CONSOLE_DEBUG, fullPage: true });
    await browser?.close();
    await served?.close();
    await gateway?.stop();
    await hub?.stop();
  });

  const jobcenterView = () =>
    post(`${base}/graphql`, {
      token: jobcenter,
      purpose: 'JOB_PLACEMENT',
      query: PERSON_VIEW,
      variables: { id: person.id },
    });
  const languagesError = (response: Awaited<ReturnType<typeof jobcenterView>>) =>
    response.errors?.find((e) => e.extensions?.field === 'ClearingProfile.languages')?.extensions?.code;

  async function accessible(screen: string): Promise<void> {
    const violations = await seriousViolations(page);
    assert.deepEqual(
      violations,
      [],
      `${screen}: serious or critical axe-core violations:\n${JSON.stringify(violations, null, 2)}`,
    );
  }

  it('hands out development tokens only for district agencies, and no key', async () => {
    const ok = await fetch(`${base}/console/dev-token?officer=a.schulz&agency=county`);
    assert.equal(ok.status, 200);
    const body = (await ok.json()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body).sort(), ['agency', 'officer', 'roles', 'token']);
    assert.deepEqual(body.roles, ['CONSENT_OFFICER']);
    assert.equal((await fetch(`${base}/console/dev-token?officer=a.schulz&agency=municipality:00000000`)).status, 400);
    assert.equal((await fetch(`${base}/console/dev-token?officer=${'x'.repeat(65)}&agency=county`)).status, 400);
    assert.equal(
      (await fetch(`${base}/console/..%2f..%2fpackage.json`)).headers.get('content-type'),
      'text/html; charset=utf-8',
    );
  });

  it('signs in as a demo officer', async () => {
    await page.goto(`${base}/console`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await accessible('sign-in');
    await screenshot(page, 'sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Signed in as').waitFor();
    assert.match(await page.locator('.who').innerText(), /a\.schulz \(county\)/);
  });

  it('finds a person by name and by date of birth, identity only, and says why a search is refused', async () => {
    await page.getByLabel('Name or person id').fill('a');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('must have at least 2 characters').waitFor();

    await page.getByLabel('Name or person id').fill(`${person.givenName.slice(0, 3)} ${person.familyName}`);
    await page.getByRole('button', { name: 'Search' }).click();
    const row = page.getByRole('row').filter({ hasText: person.id });
    await row.waitFor();
    assert.match(await row.innerText(), new RegExp(person.dateOfBirth));
    await accessible('person search');
    await screenshot(page, 'person-search');

    await page.getByLabel('Name or person id').fill('');
    await page.getByLabel('Date of birth').fill(person.dateOfBirth);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('row').filter({ hasText: person.id }).waitFor();
    await page
      .getByRole('link', { name: `${person.familyName}, ${person.givenName}` })
      .first()
      .click();
    await page.getByRole('heading', { name: 'Consents' }).waitFor();
  });

  it('records a consent (validating as the API does) and the jobcenter’s next person view changes', async () => {
    const before = await jobcenterView();
    assert.equal(languagesError(before), 'CONSENT_REQUIRED');

    await page.getByRole('button', { name: 'Record a consent' }).click();
    await page.getByRole('button', { name: 'Record consent' }).click();
    await page.getByText('choose at least one recipient').waitFor();
    await page.getByText('enter where the signed form or record is kept').waitFor();

    await page.getByRole('checkbox', { name: 'jobcenter', exact: true }).check();
    await page.getByRole('checkbox', { name: 'JOB_PLACEMENT', exact: true }).check();
    await page.getByRole('checkbox', { name: 'CLEARING_LANGUAGE', exact: true }).check();
    await page.getByLabel('Evidence reference').fill('file 2026/118');
    await page.getByLabel('Notice version').fill('2026-01');
    await page.getByLabel('Notice language').fill('ar');
    await accessible('consent form');
    await screenshot(page, 'consent-form');
    await page.getByRole('button', { name: 'Record consent' }).click();
    await page.getByRole('status').filter({ hasText: 'recorded (version 1)' }).waitFor();
    await page.locator('.consents .state-GIVEN').first().waitFor();

    const granted = await jobcenterView();
    assert.equal(languagesError(granted), undefined);
    assert.ok(granted.data!.person.clearing.languages.length > 0);
  });

  it('changes the consent into a new version', async () => {
    await page.getByRole('button', { name: 'Change' }).click();
    await page.getByLabel('Evidence reference').fill('file 2026/118, page 2');
    await page.getByRole('button', { name: 'Save new version' }).click();
    await page.getByRole('status').filter({ hasText: 'version 2 is in force' }).waitFor();
    await page.getByText('file 2026/118, page 2').waitFor();
    await accessible('consents');
    await screenshot(page, 'consents');
    assert.ok((await jobcenterView()).data!.person.clearing.languages.length > 0, 'still granted by version 2');
  });

  it('withdraws it with a reason and a confirmation, and the very next request is refused', async () => {
    await page.getByRole('button', { name: 'Withdraw' }).click();
    const confirm = page.getByRole('button', { name: 'Confirm withdrawal' });
    assert.equal(await confirm.isDisabled(), true, 'no withdrawal without a reason');
    await page.getByLabel('Reason for the withdrawal').fill('asked in person');
    await confirm.click();
    await page.getByRole('status').filter({ hasText: 'withdrawn' }).waitFor();
    await page.locator('.consents .state-WITHDRAWN').first().waitFor();
    assert.equal(languagesError(await jobcenterView()), 'CONSENT_REQUIRED');
  });

  it('shows the timeline with the release on consent and the refusal after withdrawal, and opens that consent version', async () => {
    await page.getByRole('link', { name: 'Timeline' }).click();
    const released = page.locator('.fields .released', { hasText: 'ClearingProfile.languages' });
    const refused = page.locator('.fields .refused', { hasText: 'ClearingProfile.languages' });
    await released.first().waitFor();
    await refused.first().waitFor();
    assert.match(await refused.first().innerText(), /CONSENT_REQUIRED/);
    const style = (selector: string) =>
      page.evaluate<string>(`getComputedStyle(document.querySelector('${selector}')).textDecorationLine`);
    const [releasedStyle, refusedStyle] = [await style('.fields .released'), await style('.fields .refused')];
    assert.notEqual(releasedStyle, refusedStyle, 'refused fields look different');
    await page.locator('.badge.verified').first().waitFor();
    assert.equal(await page.locator('.badge.alarm').count(), 0);
    // A statute basis names its catalogue entry and the entry's legal reference.
    const statute = page.getByText(/^statute jobcenter-placement-identity \(§ 50 Abs\. 1 SGB II/).first();
    await statute.waitFor();
    await accessible('timeline');
    await screenshot(page, 'timeline');

    await page.getByLabel('Decision').selectOption('REFUSED');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('records shown').waitFor();
    await page.waitForFunction(
      `document.querySelectorAll('.fields .released').length === 0 || document.querySelectorAll('.fields .refused').length > 0`,
    );
    assert.ok((await page.locator('.fields .refused').count()) > 0);

    await page.getByLabel('Decision').selectOption('');
    await page.getByLabel('Basis').selectOption('CONSENT');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const consentLink = page.getByRole('link', { name: /^consent [0-9a-f]{8}@\d$/ }).first();
    await consentLink.waitFor();
    const version = (await consentLink.innerText()).split('@')[1];
    await consentLink.click();
    await page.getByRole('heading', { name: new RegExp(`version ${version}$`) }).waitFor();
    await page.goBack();
  });

  it('searches the whole log with filters and exports exactly the filtered view as CSV', async () => {
    await page.getByRole('link', { name: 'Disclosure log' }).click();
    await page.getByLabel('Recipient agency').fill('jobcenter');
    await page.getByLabel('Decision').selectOption('REFUSED');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForFunction(
      `[...document.querySelectorAll('.records tbody tr')].length > 0 && !document.body.innerText.includes('Loading…')`,
    );
    await accessible('disclosure log');
    await screenshot(page, 'disclosure-log');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /^Export CSV/ }).click(),
    ]);
    const csv = parseCsv(await readFile(await download.path(), 'utf8'));

    const api = await post(`${base}/graphql`, {
      token: officer,
      purpose: 'CONSENT_MANAGEMENT',
      query: `{ disclosureLog(filter: { agency: "jobcenter", decision: REFUSED }, first: 50) {
        records { subgraph sequence at requestId agency purpose released { field } refused { field reason } } } }`,
    });
    const records = api.data!.disclosureLog.records as {
      subgraph: string;
      sequence: number;
      at: string;
      requestId: string;
      agency: string;
      purpose: string;
      refused: { field: string; reason: string }[];
    }[];
    const [header, ...rows] = csv;
    assert.deepEqual(header.slice(0, 5), ['at', 'subgraph', 'sequence', 'requestId', 'agency']);
    assert.equal(rows.length, records.length);
    assert.ok(rows.length > 0);
    rows.forEach((row, i) => {
      const record = records[i];
      assert.deepEqual(
        [row[0], row[1], Number(row[2]), row[3], row[4], row[6]],
        [record.at, record.subgraph, record.sequence, record.requestId, record.agency, record.purpose],
      );
      for (const f of record.refused)
        assert.ok(row[11].includes(f.field) && row[11].includes(f.reason), `${f.field} in ${row[11]}`);
    });

    // The server made the CSV, and the export is on record in the consent registry's log of officers' reads.
    const looks = await post(`${base}/graphql`, {
      token: officer,
      purpose: 'CONSENT_MANAGEMENT',
      query: `{ disclosureLog(filter: { subgraphs: ["consent"], officer: "a.schulz" }, first: 50) { records { operation audit { action filter records } } } }`,
    });
    const exports = (
      looks.data!.disclosureLog.records as { audit: { action: string; filter: string; records: number } }[]
    ).filter((r) => r.audit.action === 'EXPORT');
    assert.equal(exports.length, 1);
    assert.deepEqual(JSON.parse(exports[0].audit.filter), {
      agency: 'jobcenter',
      decision: 'REFUSED',
      first: records.length,
    });
    assert.equal(exports[0].audit.records, rows.length);
  });

  it("shows the consent officers' own looks on the person's timeline", async () => {
    await page.goto(`${base}/console/person/${person.id}/timeline`);
    const look = page.locator('.fields .audit', { hasText: 'consent officer a.schulz (county) viewed this timeline' });
    await look.first().waitFor();
    await accessible("timeline with officers' looks");
  });

  it('shows the Art. 15 report in German and, right to left, in Arabic, the language of the notice', async () => {
    await page.goto(`${base}/console/person/${person.id}/report`);
    const report = page.locator('article.report');
    await report.waitFor();
    assert.equal(await report.getAttribute('lang'), 'de');
    assert.equal(await report.getAttribute('dir'), 'ltr');
    await page.getByRole('heading', { name: /Auskunft nach Art\. 15/ }).waitFor();
    assert.match(await report.innerText(), /Jobcenter/);
    assert.doesNotMatch(await report.innerText(), /a\.schulz|j\.meyer/, 'no officer identities');
    await accessible('report (de)');
    await screenshot(page, 'report-de');

    await page.getByRole('link', { name: /العربية \(notice\)/ }).click();
    await page.locator('article.report[lang="ar"]').waitFor();
    assert.equal(await report.getAttribute('dir'), 'rtl');
    assert.equal(
      await page.evaluate<string>(`getComputedStyle(document.querySelector('article.report')).direction`),
      'rtl',
    );
    assert.match(await report.innerText(), /من تلقى بياناتك/);
    await accessible('report (ar)');
    await screenshot(page, 'report-ar');
  });

  // Last: it stops the jobcenter subgraph for the rest of the file.
  it('says the timeline and the report are incomplete when a data subgraph is not reachable, rather than showing less', async () => {
    await hub.stopSubgraph('jobcenter');
    await page.goto(`${base}/console/person/${person.id}/timeline`);
    await page.getByText(/^Incomplete: jobcenter not reachable/).waitFor();
    await page
      .locator('.badge.alarm[data-subgraph="jobcenter"]', { hasText: 'incomplete: jobcenter not reachable' })
      .waitFor();
    // The other logs are still shown, and none of the jobcenter's records.
    await page.locator('.records tbody tr').first().waitFor();
    assert.equal(await page.locator('.records tbody tr[data-record^="jobcenter#"]').count(), 0);
    await accessible('timeline, jobcenter not reachable');

    await page.goto(`${base}/console/person/${person.id}/report`);
    await page.getByText(/^Incomplete: jobcenter not reachable/).waitFor();
    assert.equal(await page.locator('article.report').count(), 0, 'no report that silently leaves the jobcenter out');
  });
});
