/**
 * The consent officers' console in a real browser (Debian's Chromium driven by Playwright) against the
 * whole hub: sign in, find a person, record, change and withdraw a consent and see the jobcenter's person
 * view follow, the timeline with release and refusal, the log export against the API, the Arabic report,
 * and axe-core on every main screen. `VERBUND_SCREENSHOTS=docs/screenshots` also saves the screens.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import ExcelJS from 'exceljs';
import { CASE_PURPOSES, SUBGRAPHS, type SubgraphName } from '../../common/domain.js';
import { loadAgencyList } from '../../common/policy/agencies.js';
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
const agencies = loadAgencyList();
const de = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../console/src/i18n/de.json'), 'utf8')) as {
  purposes: Record<string, string>;
};
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

  interface ShownRow {
    record: string;
    time: string;
    recipient: string;
  }

  /** The rows the page shows, in order: log and sequence, the time as shown, and the recipient's name. */
  const shownRows = (): Promise<ShownRow[]> =>
    page.locator('.records tbody tr').evaluateAll((rows) =>
      rows.map((row) => ({
        record: row.getAttribute('data-record') ?? '',
        time: row.querySelector('time')?.textContent ?? '',
        recipient: row.querySelector('.recipient')?.textContent ?? '',
      })),
    );

  /**
   * Clicks "Filter anwenden" and waits until the page shows the answer to the filtered request: the answer of
   * `operation` whose variables carry `variable` has come, and the count line no longer says "Wird geladen …".
   * The count line of the previous filter says "… Einträge angezeigt" too, so waiting for it alone could read
   * the rows of before.
   */
  async function applyFilter(operation: string, variable: string): Promise<void> {
    const answered = page.waitForResponse((response) => {
      const body = response.request().postData() ?? '';
      return body.includes(`"operationName":"${operation}"`) && body.includes(variable);
    });
    await page.getByRole('button', { name: 'Filter anwenden' }).click();
    await answered;
    await page.locator('p.count', { hasText: /^\d+ Einträge angezeigt$/ }).waitFor();
  }

  /** Clicks an export button and returns the downloaded file's bytes. */
  async function download(button: RegExp): Promise<Buffer> {
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: button }).click(),
    ]);
    return readFile(await file.path());
  }

  /** An export's rows against the page's: same records in the same order, same minute on the district's clock. */
  function assertSameRows(rows: string[][], shown: ShownRow[]): void {
    assert.deepEqual(
      rows.map((r) => `${r[11]}#${r[12]}`),
      shown.map((s) => s.record),
      'the same records in the same order',
    );
    rows.forEach((row, i) => {
      // 06.12.2026 09:41:07 in the file; 06.12.2026, 09:41 (Europe/Berlin) on the page.
      assert.equal(row[0].slice(0, 16), shown[i].time.replace(', ', ' ').slice(0, 16), `time of ${shown[i].record}`);
      assert.equal(row[1], shown[i].recipient, `recipient of ${shown[i].record}`);
    });
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
    await page.getByRole('heading', { name: 'Anmelden' }).waitFor();
    assert.equal(await page.evaluate('document.documentElement.lang'), 'de');
    assert.equal(await page.title(), 'Anmelden – Verbund Einwilligungsstelle');
    await accessible('sign-in');
    await screenshot(page, 'sign-in');
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.getByText('Angemeldet als').waitFor();
    // The district's name for the agency (the agencies file's displayName), not its code.
    assert.match(await page.locator('.who').innerText(), /a\.schulz \(Landkreis Lindenau\)/);
  });

  it('finds a person however the name is spelled: "Krawez" and "Кравець" find "Kravets", "احمدی" finds "Ahmadi"; an impossible typed date says so', async () => {
    const kravets = persons.filter((p) => p.familyName === 'Kravets');
    assert.ok(kravets.length > 0, 'the seed has a Kravets');
    for (const spelling of ['Krawez', 'Кравець', 'kravec']) {
      await page.goto(`${base}/console/?name=${encodeURIComponent(spelling)}`);
      await page.getByRole('heading', { name: /Person(en)? gefunden/ }).waitFor();
      const names = await page.locator('table.results tbody tr td:first-child').allInnerTexts();
      for (const p of kravets) assert.ok(names.includes(`Kravets, ${p.givenName}`), `${spelling}: ${names.join('; ')}`);
      assert.ok(
        names.every((n) => n.startsWith('Kravets,')),
        `${spelling} finds only the Kravets: ${names.join('; ')}`,
      );
    }
    // Namesakes told apart by the municipality they are assigned to, by the district's name for it.
    const header = await page.locator('table.results thead th').allInnerTexts();
    const column = header.indexOf('Zugewiesene Gemeinde') + 1;
    assert.ok(column > 0, header.join(' | '));
    for (const p of kravets) {
      const row = page
        .getByRole('row')
        .filter({ hasText: `Kravets, ${p.givenName}` })
        .first();
      const shown = await row.locator(`td:nth-child(${column})`).innerText();
      const sameName = kravets
        .filter((k) => k.givenName === p.givenName)
        .map((k) => agencies.displayNames[`municipality:${k.municipalityAgs}`]);
      assert.ok(sameName.includes(shown) && shown.length > 0, `${p.givenName}: ${shown} among ${sameName.join(', ')}`);
    }
    const ahmadi = persons.find((p) => p.familyName === 'Ahmadi')!;
    await page.goto(`${base}/console/?name=${encodeURIComponent('احمدی')}`);
    await page.getByRole('row').filter({ hasText: ahmadi.id }).waitFor();

    await page.goto(`${base}/console/`);
    await page.getByLabel('Geburtsdatum').click();
    // 31 February, typed into the browser's date field as a German officer types it (day, month, year).
    await page.keyboard.type('31022026');
    assert.equal(await page.evaluate("document.getElementById('search-dob').validity.badInput"), true);
    await page.getByRole('button', { name: 'Suchen' }).click();
    await page
      .locator('.error-summary')
      .getByRole('link', { name: /Geburtsdatum: diesen Tag gibt es nicht/ })
      .waitFor();
    await page.goto(`${base}/console/`);
  });

  it('finds a person by name and by date of birth, identity only, and says why a search is refused', async () => {
    await page.getByLabel('Name oder Personenkennung').fill('a');
    await page.getByRole('button', { name: 'Suchen' }).click();
    // The error summary names the field, links to it and is announced (role=alert).
    const summary = page.locator('.error-summary[role="alert"]');
    // The hub's problem in German, with its code for support (console/src/errors.ts).
    await summary
      .getByRole('link', { name: 'Name oder Personenkennung: muss mindestens 2 Zeichen haben (Code BAD_USER_INPUT)' })
      .click();
    assert.equal(await page.evaluate('document.activeElement.id'), 'search-name');

    await page.getByLabel('Name oder Personenkennung').fill(`${person.givenName.slice(0, 3)} ${person.familyName}`);
    await page.getByRole('button', { name: 'Suchen' }).click();
    const row = page.getByRole('row').filter({ hasText: person.id });
    await row.waitFor();
    const [y, m, d] = person.dateOfBirth.split('-');
    assert.match(
      await row.innerText(),
      new RegExp(`${d}\\.${m}\\.${y}`),
      'the date of birth as German offices write it',
    );
    // The search is in the URL: a reload shows the same results.
    assert.match(page.url(), /\?name=/);
    await page.reload();
    await page.getByRole('row').filter({ hasText: person.id }).waitFor();
    assert.equal(
      await page.getByLabel('Name oder Personenkennung').inputValue(),
      `${person.givenName.slice(0, 3)} ${person.familyName}`,
    );
    await accessible('person search');
    await screenshot(page, 'person-search');

    await page.getByLabel('Name oder Personenkennung').fill('');
    await page.getByLabel('Geburtsdatum').fill(person.dateOfBirth);
    await page.getByRole('button', { name: 'Suchen' }).click();
    await page.getByRole('row').filter({ hasText: person.id }).waitFor();
    await page
      .getByRole('link', { name: `${person.familyName}, ${person.givenName}` })
      .first()
      .click();
    await page.getByRole('heading', { name: 'Einwilligungen', exact: true }).waitFor();
    // The focus follows to the new screen's heading, which names the person once the person is loaded (it says
    // "Wird geladen …" until then), and the tab says which screen and person it is.
    await page.waitForFunction(`document.activeElement && document.activeElement.tagName === 'H1'`);
    await page
      .waitForFunction(
        `document.activeElement?.tagName === 'H1' && document.activeElement.textContent === ${JSON.stringify(`${person.familyName}, ${person.givenName}`)}`,
        undefined,
        { timeout: 10_000 },
      )
      .catch(async () =>
        assert.fail(
          `the focused heading says ${JSON.stringify(await page.evaluate('document.activeElement?.textContent'))}`,
        ),
      );
    assert.equal(
      await page.title(),
      `Einwilligungen – ${person.familyName}, ${person.givenName} – Verbund Einwilligungsstelle`,
    );
  });

  it('records a consent (validating as the API does) and the jobcenter’s next person view changes', async () => {
    const before = await jobcenterView();
    assert.equal(languagesError(before), 'CONSENT_REQUIRED');

    await page.getByRole('button', { name: 'Einwilligung erfassen' }).click();
    // The focus goes into the form as it opens.
    await page.waitForFunction(`document.activeElement && document.activeElement.id === 'consent-form-heading'`);
    // Only purposes a person can consent to are offered (common/domain.ts CASE_PURPOSES).
    const purposes = await page.locator('fieldset:has(legend:text-is("Zwecke")) label').allInnerTexts();
    assert.deepEqual(
      purposes.map((p) => p.trim()),
      CASE_PURPOSES.map((p) => de.purposes[p]),
    );
    assert.equal(await page.getByRole('checkbox', { name: 'Verwaltung von Einwilligungen' }).count(), 0);
    await page.getByRole('button', { name: 'Einwilligung speichern' }).click();
    const errors = page.locator('#consent-error-summary');
    await errors.getByRole('link', { name: 'Empfänger: mindestens einen Empfänger wählen' }).waitFor();
    await errors.getByRole('link', { name: /Nachweis \(Ablageort\): angeben, wo/ }).click();
    assert.equal(await page.evaluate('document.activeElement.id'), 'evidenceReference');

    await page.getByRole('checkbox', { name: 'Jobcenter Landkreis Lindenau', exact: true }).check();
    await page.getByRole('checkbox', { name: 'Arbeitsvermittlung', exact: true }).check();
    await page.getByRole('checkbox', { name: 'Sprachkenntnisse', exact: true }).check();
    await page.getByLabel('Gültig bis').fill('2027-06-30');
    await page.getByLabel('Nachweis (Ablageort)').fill('file 2026/118');
    await page.getByLabel('Version der Information').fill('2026-01');
    await page.getByLabel('Sprache der Information').fill('ar');
    await accessible('consent form');
    await screenshot(page, 'consent-form');
    await page.getByRole('button', { name: 'Einwilligung speichern' }).click();
    await page.getByRole('status').filter({ hasText: 'erfasst (Version 1)' }).waitFor();
    await page.locator('.consents .state-GIVEN').first().waitFor();
    // A consent as a sentence, with the district's names and plain words.
    assert.equal(
      await page.locator('.consents .sentence').first().innerText(),
      'Jobcenter Landkreis Lindenau darf Sprachkenntnisse zur Arbeitsvermittlung sehen, bis 30.06.2027',
    );

    const granted = await jobcenterView();
    assert.equal(languagesError(granted), undefined);
    assert.ok(granted.data!.person.clearing.languages.length > 0);
  });

  it('changes the consent into a new version', async () => {
    await page.getByRole('button', { name: 'Ändern' }).click();
    await page.getByLabel('Nachweis (Ablageort)').fill('file 2026/118, page 2');
    await page.getByRole('button', { name: 'Neue Version speichern' }).click();
    await page.getByRole('status').filter({ hasText: 'Version 2 gilt' }).waitFor();
    await page.getByText('file 2026/118, page 2').waitFor();
    await accessible('consents');
    await screenshot(page, 'consents');
    assert.ok((await jobcenterView()).data!.person.clearing.languages.length > 0, 'still granted by version 2');
  });

  it('withdraws it with a reason and a confirmation, and the very next request is refused', async () => {
    await page.getByRole('button', { name: 'Widerrufen', exact: true }).click();
    const confirm = page.getByRole('button', { name: 'Widerruf bestätigen' });
    assert.equal(await confirm.isDisabled(), true, 'no withdrawal without a reason');
    await page.getByLabel('Grund des Widerrufs').fill('asked in person');
    await confirm.click();
    await page.getByRole('status').filter({ hasText: 'widerrufen' }).waitFor();
    await page.locator('.consents .state-WITHDRAWN').first().waitFor();
    assert.equal(languagesError(await jobcenterView()), 'CONSENT_REQUIRED');
  });

  it('shows the timeline with the release on consent and the refusal after withdrawal, and opens that consent version', async () => {
    await page.getByRole('link', { name: 'Zeitleiste' }).click();
    const released = page.locator('.fields .released[data-field="ClearingProfile.languages"]');
    const refused = page.locator('.fields .refused[data-field="ClearingProfile.languages"]');
    await released.first().waitFor();
    await refused.first().waitFor();
    assert.match(await released.first().innerText(), /Sprachen und Sprachniveau Sprachkenntnisse$/);
    assert.match(await refused.first().innerText(), /keine Einwilligung \(CONSENT_REQUIRED\)/);
    await page.waitForFunction(`document.activeElement && document.activeElement.id === 'timeline-heading'`);
    const style = (selector: string) =>
      page.evaluate<string>(`getComputedStyle(document.querySelector('${selector}')).textDecorationLine`);
    const [releasedStyle, refusedStyle] = [await style('.fields .released'), await style('.fields .refused')];
    assert.notEqual(releasedStyle, refusedStyle, 'refused fields look different');
    await page.locator('.badge.verified').first().waitFor();
    assert.equal(await page.locator('.badge.alarm').count(), 0);
    // Each badge says what the hub re-read and what rests on whose cosignature, as the hub's summary does.
    await page.locator('.badge.verified[data-subgraph="jobcenter"]').waitFor();
    assert.match(
      await page.locator('.badge.verified[data-subgraph="jobcenter"] .badge-proof').innerText(),
      /^Einträge 1–\d+ erneut gelesen und unversehrt; Prüfpunkt \d+ gegengezeichnet von Einwilligungsregister$/,
    );
    // The registry's own badge may still be filling in: wait for its text, as for the jobcenter's badge above.
    await page.locator('.badge.verified[data-subgraph="consent"] .badge-proof').filter({ hasText: /\S/ }).waitFor();
    assert.match(
      await page.locator('.badge.verified[data-subgraph="consent"] .badge-proof').innerText(),
      /^Einträge 1–\d+ erneut gelesen und unversehrt; noch kein Prüfpunkt von einer anderen Stelle gegengezeichnet$/,
    );
    // A statute basis names its catalogue entry and the entry's legal reference.
    const statute = page.getByText(/^Gesetz: § 50 Abs\. 1 SGB II.*\(jobcenter-placement-identity\)$/).first();
    await statute.waitFor();
    await accessible('timeline');
    await screenshot(page, 'timeline');

    await page.getByLabel('Entscheidung').selectOption('REFUSED');
    await applyFilter('ConsoleTimeline', '"decision":"REFUSED"');
    assert.ok((await page.locator('.fields .refused').count()) > 0);

    await page.getByLabel('Entscheidung').selectOption('');
    await page.getByLabel('Grundlage').selectOption('CONSENT');
    await page.getByRole('button', { name: 'Filter anwenden' }).click();
    const consentLink = page.getByRole('link', { name: /^Einwilligung [0-9a-f]{8}, Version \d$/ }).first();
    await consentLink.waitFor();
    const version = (await consentLink.innerText()).split('Version ')[1];
    await consentLink.click();
    await page.getByRole('heading', { name: new RegExp(`Version ${version}$`) }).waitFor();
    await page.goBack();
  });

  it('searches the whole log with filters and exports exactly the filtered view as CSV', async () => {
    await page.getByRole('link', { name: 'Übermittlungsprotokoll' }).click();
    await page.getByLabel('Empfänger', { exact: true }).selectOption({ label: 'Jobcenter Landkreis Lindenau' });
    await page.getByLabel('Entscheidung').selectOption('REFUSED');
    await applyFilter('ConsoleLog', '"decision":"REFUSED"');
    await page.waitForFunction(`!document.body.innerText.includes('Wird geladen')`);
    await accessible('disclosure log');
    await screenshot(page, 'disclosure-log');
    // The records the page shows, in its order: each row's log and sequence, time and recipient.
    const shown = await shownRows();
    assert.ok(shown.length > 0);
    const csv = await download(/^Als CSV exportieren/);
    assert.deepEqual([...csv.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte order mark');
    const [header, ...rows] = parseCsv(csv.toString('utf8').slice(1), ';');
    assert.deepEqual(header.slice(0, 4), ['Zeit (Europe/Berlin)', 'Empfänger', 'Empfänger-Kennung', 'Zweck']);
    assertSameRows(rows, shown);
    for (const row of rows) assert.equal(row[2], 'jobcenter');

    // The server made the file, and the export is on record in the consent registry's log of officers' reads.
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
      officerReads: false,
      first: shown.length,
      format: 'CSV',
    });
    assert.equal(exports[0].audit.records, rows.length);
  });

  it("hides the consent officers' own reads from the person's timeline until the switch shows them", async () => {
    await page.goto(`${base}/console/person/${person.id}/timeline`);
    await page.locator('.records tbody tr').first().waitFor();
    await page.waitForFunction(`!document.body.innerText.includes('Wird geladen')`);
    assert.equal(await page.locator('.fields .audit').count(), 0, 'no looks of officers');
    const purposes = await page.locator('.records .purpose').allInnerTexts();
    assert.ok(!purposes.includes('Verwaltung von Einwilligungen'), purposes.join(', '));

    await page.getByLabel('Eigene Abrufe der Einwilligungsstelle zeigen').check();
    await page.getByRole('button', { name: 'Filter anwenden' }).click();
    const look = page.locator('.fields .audit', {
      hasText: 'Einwilligungsstelle a.schulz (Landkreis Lindenau) hat diese Zeitleiste angesehen',
    });
    await look.first().waitFor();
    assert.match(page.url(), /officerReads=1/);
    await accessible("timeline with officers' looks");
  });

  it('filters the timeline on the server by recipient, data and inclusive days, keeps the filters in the URL over reload and Back, and sums up per recipient and data', async () => {
    await page.goto(`${base}/console/person/${person.id}/timeline`);
    await page.locator('.records tbody tr').first().waitFor();
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date());
    await page.getByLabel('Empfänger', { exact: true }).selectOption({ label: 'Jobcenter Landkreis Lindenau' });
    await page.getByLabel('Daten', { exact: true }).selectOption({ label: 'Sprachkenntnisse' });
    // One day alone: from and to are both included.
    await page.getByLabel('Von (Tag, einschließlich)').fill(today);
    await page.getByLabel('Bis (Tag, einschließlich)').fill(today);
    await page.getByRole('button', { name: 'Filter anwenden' }).click();
    await page.waitForURL(/category=CLEARING_LANGUAGE/);
    await page.waitForFunction(`!document.body.innerText.includes('Wird geladen')`);
    const filtered = await shownRows();
    assert.ok(filtered.length > 0, 'the jobcenter read the languages today');
    for (const row of filtered) assert.equal(row.recipient, 'Jobcenter Landkreis Lindenau');
    const fields = await page
      .locator('.records tbody tr')
      .evaluateAll((rows) =>
        rows.map((row) => [...row.querySelectorAll('[data-field]')].map((f) => f.getAttribute('data-field'))),
      );
    for (const f of fields) assert.ok(f.includes('ClearingProfile.languages'), f.join(', '));
    // The summary: the jobcenter × languages, with its count, first and last, and basis.
    const cell = page.locator('[data-summary="jobcenter CLEARING_LANGUAGE"]');
    await cell.waitFor();
    const summary = await cell.locator('td').allInnerTexts();
    assert.equal(summary[0], 'Sprachkenntnisse');
    assert.ok(Number(summary[1]) >= 1, summary.join(' | '));
    assert.match(summary[2], /^\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2} \(Europe\/Berlin\)$/);
    assert.match(summary[4], /Einwilligung/);
    await accessible('timeline, filtered, with summary');
    await screenshot(page, 'timeline-filtered');

    await page.reload();
    await page.locator('[data-summary="jobcenter CLEARING_LANGUAGE"]').waitFor();
    // The summary and the records come from two queries: the rows may follow the summary.
    await page.locator('.records tbody tr').first().waitFor();
    assert.equal(await page.getByLabel('Daten', { exact: true }).inputValue(), 'CLEARING_LANGUAGE');
    assert.equal(await page.getByLabel('Bis (Tag, einschließlich)').inputValue(), today);
    assert.deepEqual(await shownRows(), filtered);

    // The day before alone holds none of today's records.
    const yesterday = new Date(Date.parse(`${today}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('Von (Tag, einschließlich)').fill(yesterday);
    await page.getByLabel('Bis (Tag, einschließlich)').fill(yesterday);
    await page.getByRole('button', { name: 'Filter anwenden' }).click();
    await page.getByText('Keine passenden Einträge.').first().waitFor();

    await page.goBack();
    await page.waitForFunction(`document.querySelectorAll('.records tbody tr').length > 0`);
    assert.equal(await page.getByLabel('Von (Tag, einschließlich)').inputValue(), today);
    assert.deepEqual(await shownRows(), filtered);
  });

  it("exports the person's disclosures as CSV for German Excel and as .xlsx, each equal to the timeline row for row", async () => {
    await page.goto(`${base}/console/person/${person.id}/timeline`);
    await page.locator('.records tbody tr').first().waitFor();
    await page.waitForFunction(`!document.body.innerText.includes('Wird geladen')`);
    const shown = await shownRows();
    assert.ok(shown.length > 1);

    const csv = await download(/^Als CSV exportieren/);
    assert.deepEqual([...csv.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte order mark');
    const text = csv.toString('utf8').slice(1);
    assert.ok(text.includes('\r\n') && text.split('\r\n')[0].includes(';'), 'semicolons, CRLF');
    const [header, ...rows] = parseCsv(text, ';');
    assert.equal(header[0], 'Zeit (Europe/Berlin)');
    assertSameRows(rows, shown);

    const xlsx = await download(/^Als Excel-Datei/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    const cells: string[][] = [];
    // Every cell the export writes is text.
    sheet.eachRow((row) => cells.push((row.values as (string | null)[]).slice(1).map((v) => v ?? '')));
    assert.deepEqual(cells[0], header);
    assertSameRows(cells.slice(1), shown);
    assert.deepEqual(
      cells.slice(1).map((r) => r.slice(0, 14)),
      rows.map((r) => r.slice(0, 14).map((c) => c)),
      'the workbook holds what the CSV holds',
    );
  });

  it('reflows the timeline at 320 px without sideways scrolling', async () => {
    await page.setViewportSize({ width: 320, height: 800 });
    try {
      await page.goto(`${base}/console/person/${person.id}/timeline`);
      await page.locator('.records tbody tr').first().waitFor();
      await page.waitForFunction(`!document.body.innerText.includes('Wird geladen')`);
      await screenshot(page, 'timeline-320px');
      const width = await page.evaluate<number>('document.documentElement.scrollWidth');
      const wide = await page.evaluate<string[]>(
        `[...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > 321).slice(0, 8).map((e) => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))`,
      );
      assert.ok(width <= 320, `the page is ${width} px wide at 320 px: ${wide.join(', ')}`);
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it('offers no change or withdrawal of an expired consent', async () => {
    const recorded = await post(`${base}/graphql`, {
      token: officer,
      purpose: 'CONSENT_MANAGEMENT',
      query: `mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id state } }`,
      variables: {
        input: {
          personId: person.id,
          recipients: ['socialcare:caritas'],
          purposes: ['SOCIAL_COUNSELLING'],
          categories: ['HOUSING'],
          givenAt: '2025-01-10T09:00:00Z',
          validFrom: '2025-01-10',
          validUntil: '2025-06-30',
          form: 'WRITTEN',
          evidenceReference: 'file 2025/7',
          noticeVersion: '2026-01',
          noticeLanguage: 'de',
        },
      },
    });
    assert.equal(recorded.errors, undefined, JSON.stringify(recorded.errors));
    const consent = recorded.data!.recordConsent as { id: string; state: string };
    assert.equal(consent.state, 'EXPIRED');
    await page.goto(`${base}/console/person/${person.id}/consents`);
    const card = page.locator(`.consents .card[data-consent-id="${consent.id}"]`);
    await card.locator('h3 .state-EXPIRED').waitFor();
    assert.equal(await card.getByRole('button', { name: 'Ändern' }).count(), 0);
    assert.equal(await card.getByRole('button', { name: 'Widerrufen', exact: true }).count(), 0);
    assert.match(await card.locator('.sentence').innerText(), /bis 30\.06\.2025$/);
  });

  it('switches to English and back, and German is the default', async () => {
    await page.goto(`${base}/console/person/${person.id}/timeline`);
    await page.getByRole('heading', { name: 'Zeitleiste: wer hat was wann und wozu gesehen' }).waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Timeline: who saw what, when and why' }).waitFor();
    assert.equal(await page.evaluate('document.documentElement.lang'), 'en');
    await page.reload();
    await page.getByRole('heading', { name: 'Timeline: who saw what, when and why' }).waitFor();
    await accessible('timeline in English');
    await page.getByRole('button', { name: 'Deutsch' }).click();
    await page.getByRole('heading', { name: 'Zeitleiste: wer hat was wann und wozu gesehen' }).waitFor();
    assert.equal(await page.evaluate('document.documentElement.lang'), 'de');
  });

  it('shows the Art. 15 report in German and, right to left, in Arabic, the language of the notice', async () => {
    await page.goto(`${base}/console/person/${person.id}/report`);
    const report = page.locator('article.report');
    await report.waitFor();
    assert.equal(await report.getAttribute('lang'), 'de');
    assert.equal(await report.getAttribute('dir'), 'ltr');
    // The letter's subject; "Art. 15" is kept together by a no-break space (\s).
    await page.getByRole('heading', { name: /Auskunft über Ihre Daten nach Art\.\s15\sDSGVO/ }).waitFor();
    assert.match(await report.innerText(), /Jobcenter/);
    assert.doesNotMatch(await report.innerText(), /a\.schulz|j\.meyer/, 'no officer identities');
    await accessible('report (de)');
    await screenshot(page, 'report-de');

    await page.getByRole('link', { name: /العربية \(Information\)/ }).click();
    await page.locator('article.report[lang="ar"]').waitFor();
    assert.equal(await report.getAttribute('dir'), 'rtl');
    assert.equal(
      await page.evaluate<string>(`getComputedStyle(document.querySelector('article.report')).direction`),
      'rtl',
    );
    assert.match(await report.innerText(), /الاطلاع على بياناتك/);
    await accessible('report (ar)');
    await screenshot(page, 'report-ar');
  });

  it('names a hung jobcenter (as after SIGSTOP) as the part that did not answer, keeps the other badges, and recovers on Retry', async () => {
    hub.subgraphs.jobcenter.pause();
    try {
      await page.goto(`${base}/console/log`);
      const alarm = page.locator('.badge.alarm[data-subgraph="jobcenter"]');
      await alarm.waitFor({ timeout: 30_000 });
      assert.equal(await alarm.innerText(), 'unvollständig: Jobcenter nicht erreichbar');
      // The others are verified, not swept away with the jobcenter.
      for (const other of ['county', 'municipality', 'socialcare', 'consent'])
        await page.locator(`.badge.verified[data-subgraph="${other}"]`).waitFor();
      assert.equal(await page.locator('.badge.alarm').count(), 1, 'only the jobcenter is named');
      // The server names it too: the registry's answer says which log did not answer, not that it timed out itself.
      const verification = await post(`${base}/graphql`, {
        token: officer,
        purpose: 'CONSENT_MANAGEMENT',
        query: `{ disclosureLogVerification { subgraph available summary } }`,
      });
      assert.equal(verification.errors, undefined, JSON.stringify(verification.errors));
      const rows = verification.data!.disclosureLogVerification as {
        subgraph: string;
        available: boolean;
        summary: string;
      }[];
      assert.deepEqual(
        rows.filter((r) => !r.available).map((r) => r.subgraph),
        ['jobcenter'],
      );
      assert.match(rows.find((r) => r.subgraph === 'jobcenter')!.summary, /^jobcenter did not answer/);
      await page.getByText(/^Unvollständig: Jobcenter nicht erreichbar/).waitFor({ timeout: 30_000 });
      await accessible('disclosure log, jobcenter hung');
      await screenshot(page, 'disclosure-log-jobcenter-hung');
    } finally {
      hub.subgraphs.jobcenter.resume();
    }
    await page.getByRole('button', { name: 'Erneut versuchen' }).click();
    await page.locator('.badge.verified[data-subgraph="jobcenter"]').waitFor({ timeout: 30_000 });
    assert.equal(await page.locator('.badge.alarm').count(), 0);
  });

  // Last: it stops the jobcenter subgraph for the rest of the file.
  it('says the timeline and the report are incomplete when a data subgraph is not reachable, rather than showing less', async () => {
    await hub.stopSubgraph('jobcenter');
    await page.goto(`${base}/console/person/${person.id}/timeline`);
    await page.getByText(/^Unvollständig: Jobcenter nicht erreichbar/).waitFor();
    await page
      .locator('.badge.alarm[data-subgraph="jobcenter"]', { hasText: 'unvollständig: Jobcenter nicht erreichbar' })
      .waitFor();
    // The other logs are still shown, and none of the jobcenter's records.
    await page.locator('.records tbody tr').first().waitFor();
    assert.equal(await page.locator('.records tbody tr[data-record^="jobcenter#"]').count(), 0);
    await accessible('timeline, jobcenter not reachable');

    await page.goto(`${base}/console/person/${person.id}/report`);
    await page.getByText(/^Unvollständig: Jobcenter nicht erreichbar/).waitFor();
    assert.equal(await page.locator('article.report').count(), 0, 'no report that silently leaves the jobcenter out');
  });
});
