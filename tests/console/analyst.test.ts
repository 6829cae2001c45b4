/**
 * The analysts' page of the console in a real browser (Debian's Chromium driven by Playwright, de-DE,
 * Europe/Berlin) against the whole hub seeded with the demo district: an analyst signs in and sees only this
 * page, in German words (no key such as COMPLETED_A1 or TOTAL, the district's names for the regions); a
 * withheld figure is a gap in its chart and "geheim gehalten" in its table, never 0; the CSV (German Excel's:
 * BOM, semicolons, German headers) equals the API's figures; charts download as PNG and SVG; the running period
 * is as of today's Berlin date; the choices survive reload and Back; the comparison chart shows the chosen
 * municipalities with the API's figures; a server error reads in German with its code; axe-core finds no
 * serious violation. `VERBUND_SCREENSHOTS=docs/screenshots` saves the page.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEFAULT_DISTRICT_TIME_ZONE, localDateOf } from '../../common/district-time.js';
import { demoPersons } from '../../seed/world.js';
import { post } from '../support/graphql.js';
import { tokenFor } from '../support/tokens.js';
import { launchChromium, startConsoleHub, type ConsoleHub, parseCsv, seriousViolations } from './browser.js';

const SEED = 1;
const persons = demoPersons(SEED, 0, 300);
const DISTRIBUTION = 'cells { key value suppressed } total { key value suppressed }';
const FIELDS = [
  'housing',
  'germanAtClearing',
  'integrationCourses',
  'vocationalLanguage',
  'languageSupport',
  'childcareSchool',
  'employmentStatus',
  'socialParticipation',
  'openSupportNeeds',
];

interface Figure {
  key: string;
  value: number | null;
  suppressed: boolean;
}
type Entry = { period: string; region: string; asOf: string } & Record<string, { cells: Figure[]; total: Figure }>;

/** What must never be visible on the German page: a key of the API (COMPLETED_A1, C1_AND_ABOVE) or its words for the district and totals. */
const RAW_KEY = /\b[A-Z]{2,}_[A-Z0-9_]+\b|\b(DISTRICT|TOTAL|SHARED|ATTENDING|EMPLOYED)\b/;
/** A day as the page writes it: 06.12.2026. */
const german = (day: string) => day.split('-').reverse().join('.');

describe('analysts’ monitoring page in Chromium', () => {
  let running: ConsoleHub;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let analyst: string;

  const api = async (periods: string[], regions: string[]): Promise<Entry[]> => {
    const response = await post(`${base}/graphql`, {
      token: analyst,
      purpose: 'MONITORING',
      query: `query($p: [String!]!, $r: [String!]!) { indicatorSeries(periods: $p, regions: $r) { period region asOf ${FIELDS.map((f) => `${f} { ${DISTRIBUTION} }`).join(' ')} } }`,
      variables: { p: periods, r: regions },
    });
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    return (response.data as { indicatorSeries: Entry[] }).indicatorSeries;
  };
  const show = () => page.getByRole('button', { name: 'Anzeigen', exact: true }).click();
  /** The visible text of the page, the charts' SVG text and the choices' options included. */
  const visibleText = () =>
    page.evaluate<string>(`[document.body.innerText,
      ...[...document.querySelectorAll('svg text, option')].map((e) => e.textContent)].join('\\n')`);
  const today = localDateOf(new Date(), DEFAULT_DISTRICT_TIME_ZONE);
  const [year, month] = today.split('-').map(Number);
  const runningQuarter = `${year}-Q${Math.ceil(month / 3)}`;

  beforeAll(async () => {
    browser = await launchChromium();
    running = await startConsoleHub({ persons, seed: SEED });
    base = running.base;
    analyst = await tokenFor('county', ['ANALYST'], 'm.weber');
    context = await browser.newContext({
      bypassCSP: true,
      acceptDownloads: true,
      viewport: { width: 1400, height: 1000 },
      locale: 'de-DE',
      timezoneId: 'Europe/Berlin',
    });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
  });

  afterAll(async () => {
    await browser?.close();
    await running?.stop();
  });

  it('hands out analyst tokens for development sign-in, and no other role than consent officer or analyst', async () => {
    const ok = await fetch(`${base}/console/dev-token?officer=m.weber&agency=county&role=ANALYST`);
    assert.equal(ok.status, 200);
    assert.deepEqual(((await ok.json()) as { roles: string[] }).roles, ['ANALYST']);
    assert.equal((await fetch(`${base}/console/dev-token?officer=m.weber&agency=county&role=CASEWORKER`)).status, 400);
  });

  it('signs an analyst in to the monitoring page only, whatever the path', async () => {
    await page.goto(`${base}/console/`);
    await page.getByLabel(/M\. Weber/).check();
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.getByRole('heading', { name: 'Integrationsmonitoring' }).waitFor();
    assert.deepEqual(
      await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link').allInnerTexts(),
      ['Monitoring'],
    );
    await page.goto(`${base}/console/log`);
    await page.getByRole('heading', { name: 'Integrationsmonitoring' }).waitFor();
    assert.equal(await page.getByRole('heading', { name: 'Übermittlungsprotokoll' }).count(), 0);
    await page.locator('figure.indicator').first().waitFor();
    assert.equal(await page.title(), 'Integrationsmonitoring – Verbund');
  });

  it('draws a withheld figure as a gap with a note and "geheim gehalten" in the table, never as 0; published ones as lines', async () => {
    const regions = ['DISTRICT', '08999001'];
    await page.getByRole('checkbox', { name: 'Stadt Lindenau' }).check();
    await show();
    await page.locator('figure[data-indicator="housing-08999001"]').waitFor();
    const entries = await api(await periodsShown(), regions);
    // An indicator and region with one key withheld and another published, from the API.
    let found: { field: string; region: string; withheld: string; published: string } | undefined;
    for (const field of FIELDS) {
      for (const region of regions) {
        const rows = entries.filter((e) => e.region === region);
        const keys = rows[0][field].cells.map((c) => c.key);
        const withheld = keys.find((k) => rows.some((r) => r[field].cells.find((c) => c.key === k)!.suppressed));
        const published = keys.find((k) =>
          rows.every((r) => {
            const c = r[field].cells.find((x) => x.key === k)!;
            return !c.suppressed && c.value! > 0;
          }),
        );
        if (withheld && published && !found) found = { field, region, withheld, published };
      }
    }
    assert.ok(found, 'the demo district has an indicator with a withheld and a published key');
    const figure = page.locator(`figure[data-indicator="${found.field}-${found.region}"]`);
    await figure.scrollIntoViewIfNeeded();
    const colour = async (key: string) => (await figure.locator(`th[data-key="${key}"]`).getAttribute('data-colour'))!;
    // What the chart draws in a key's colour: line segments and points (an empty path draws nothing).
    const strokes = async (key: string) =>
      (
        await figure
          .locator(`.chart svg path[stroke="${await colour(key)}"]`)
          .evaluateAll((paths) => paths.map((p) => p.getAttribute('d') ?? ''))
      ).filter((d) => /[ML]/.test(d)).length;
    assert.ok((await strokes(found.published)) > 0, `${found.published} is drawn`);
    assert.equal(
      await strokes(found.withheld),
      0,
      `${found.withheld} is withheld: no line and no point, not even at 0`,
    );
    const cells = await figure.locator(`td[data-key="${found.withheld}"]`).allInnerTexts();
    assert.ok(cells.length > 0 && cells.every((t) => t === 'geheim gehalten'), JSON.stringify(cells));
    // The note names the key as the table heads it, in German words (COMPLETED_B1 as "Abgeschlossen mit B1").
    const heading = (await figure.locator(`th[data-key="${found.withheld}"]`).innerText()).replace('■', '').trim();
    assert.doesNotMatch(heading, RAW_KEY);
    assert.match(await figure.locator('.note').innerText(), new RegExp(`Lücken: .*${heading}.* geheim gehalten`));
    if (process.env.VERBUND_SCREENSHOTS)
      await figure.screenshot({ path: path.join(process.env.VERBUND_SCREENSHOTS, 'monitoring-gaps.png') });
    // The published figures in the table are the API's.
    const apiValues = entries
      .filter((e) => e.region === found.region)
      .map((e) => String(e[found.field].cells.find((c) => c.key === found.published)!.value));
    assert.deepEqual(await figure.locator(`td[data-key="${found.published}"]`).allInnerTexts(), apiValues);
  });

  it('shows no key of the API anywhere on the German page: German words for keys, indicators, periods and regions', async () => {
    const text = await visibleText();
    assert.doesNotMatch(text, RAW_KEY, text.match(RAW_KEY)?.[0]);
    for (const words of [
      'Insgesamt',
      'Gemeinschaftsunterkunft',
      'Eigene Wohnung',
      'Landkreis Lindenau',
      'Stadt Lindenau',
      'Quartal',
    ])
      assert.ok(text.includes(words), words);
    assert.deepEqual(await page.locator('figure[data-indicator="housing-DISTRICT"] thead th').allInnerTexts(), [
      'Zeitraum',
      '■ Gemeinschaftsunterkunft',
      '■ Anschlussunterbringung',
      '■ Eigene Wohnung',
      '■ Insgesamt',
    ]);
  });

  it('says the running period is as of today’s date in Berlin, from the API’s as-of day', async () => {
    const periods = await periodsShown();
    assert.equal(periods.at(-1), runningQuarter);
    const [entry] = await api([runningQuarter], ['DISTRICT']);
    assert.equal(entry.asOf, today, 'the hub counts the running quarter as of today');
    const row = page.locator(`figure[data-indicator="housing-DISTRICT"] th[data-period="${runningQuarter}"]`);
    assert.match(await row.innerText(), new RegExp(`Quartal ${year}\\s+\\(Stand ${german(today)}\\)`));
    assert.match(
      await page.locator('.as-of').innerText(),
      new RegExp(`laufende Zeitraum .*Quartal ${year} zeigt den Stand von heute, ${german(today)}`),
    );
    // A past quarter is as of its last day, without a note.
    const past = page.locator(`figure[data-indicator="housing-DISTRICT"] th[data-period="2025-Q1"]`);
    assert.equal(await past.innerText(), '1. Quartal 2025');
  });

  it('compares the chosen municipalities in one chart, with the API’s figures and withheld ones as gaps', async () => {
    await page.getByRole('checkbox', { name: 'Gemeinde Birkenfeld' }).check();
    await page.getByLabel('Indikator', { exact: true }).selectOption('housing');
    await show();
    const comparison = page.locator('figure[data-indicator="housing-comparison"]');
    await comparison.locator('th[data-key="08999002"]').waitFor();
    assert.deepEqual(
      await comparison.locator('thead th[data-key]').evaluateAll((ths) => ths.map((th) => th.getAttribute('data-key'))),
      ['08999001', '08999002'],
    );
    assert.deepEqual(
      (await comparison.locator('thead th[data-key]').allInnerTexts()).map((t) => t.replace('■', '').trim()),
      ['Stadt Lindenau', 'Gemeinde Birkenfeld'],
    );
    assert.match(await comparison.locator('figcaption').innerText(), /Gewählte Gemeinden im Vergleich: Insgesamt/);
    // Only the chosen indicator is shown, beside its per-region charts.
    assert.equal(await page.locator('section h2').count(), 1);
    assert.equal(await page.locator('figure[data-indicator="housing-08999002"]').count(), 1);
    const periods = await periodsShown();
    const entries = await api(periods, ['08999001', '08999002']);
    const expected = (key: string, region: string) =>
      periods.map((p) => {
        const d = entries.find((e) => e.period === p && e.region === region)!.housing;
        const f = [...d.cells, d.total].find((x) => x.key === key)!;
        return f.suppressed ? 'geheim gehalten' : String(f.value);
      });
    for (const region of ['08999001', '08999002'])
      assert.deepEqual(await comparison.locator(`td[data-key="${region}"]`).allInnerTexts(), expected('TOTAL', region));
    // Another characteristic: own flats.
    await page.getByLabel('Gemeinden vergleichen nach').selectOption('OWN_FLAT');
    await show();
    await comparison.locator('figcaption', { hasText: 'Eigene Wohnung' }).waitFor();
    for (const region of ['08999001', '08999002'])
      assert.deepEqual(
        await comparison.locator(`td[data-key="${region}"]`).allInnerTexts(),
        expected('OWN_FLAT', region),
      );
    assert.match(page.url(), /indicator=housing&compare=OWN_FLAT/);
    if (process.env.VERBUND_SCREENSHOTS) {
      await page.evaluate('window.scrollTo(0, 0)');
      await page.screenshot({
        path: path.join(process.env.VERBUND_SCREENSHOTS, 'monitoring-comparison.png'),
        fullPage: true,
      });
    }
  });

  it('keeps the choices in the URL: reload and Back show the same', async () => {
    const before = page.url();
    await page.getByLabel('Monate').check();
    await page.getByLabel('Von', { exact: true }).selectOption('2026-01');
    await page.getByLabel('bis', { exact: true }).selectOption('2026-06');
    await show();
    await page.locator('figure[data-indicator="housing-comparison"] th[data-period="2026-06"]').waitFor();
    assert.match(
      page.url(),
      /view=months&from=2026-01&to=2026-06&regions=district%2C08999001%2C08999002&indicator=housing/,
    );
    await page.reload();
    await page.locator('figure[data-indicator="housing-comparison"] th[data-period="2026-06"]').waitFor();
    assert.equal(await page.getByLabel('Monate').isChecked(), true);
    assert.equal(await page.getByLabel('Von', { exact: true }).inputValue(), '2026-01');
    assert.equal(await page.getByLabel('bis', { exact: true }).inputValue(), '2026-06');
    assert.equal(await page.getByRole('checkbox', { name: 'Gemeinde Birkenfeld' }).isChecked(), true);
    assert.equal(await page.getByLabel('Indikator', { exact: true }).inputValue(), 'housing');
    assert.deepEqual(await periodsShown(), ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06']);
    await page.goBack();
    await page.locator(`figure[data-indicator="housing-comparison"] th[data-period="${runningQuarter}"]`).waitFor();
    assert.match(
      await page.locator('figure[data-indicator="housing-comparison"] figcaption').innerText(),
      /Eigene Wohnung/,
    );
    assert.equal(page.url(), before);
    assert.equal(await page.getByLabel('Quartale').isChecked(), true);
    assert.equal((await periodsShown()).at(-1), runningQuarter);
    await page.goForward();
    await page.locator('figure[data-indicator="housing-DISTRICT"] th[data-period="2026-06"]').waitFor();
  });

  it('downloads exactly the shown figures as CSV for German Excel, equal to the API’s, and each chart as PNG and SVG', async () => {
    await page.getByLabel('Indikator', { exact: true }).selectOption('');
    await show();
    await page.locator('figure[data-indicator="employmentStatus-08999002"] th[data-period="2026-06"]').waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Zahlen herunterladen (CSV)' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'verbund-indikatoren.csv');
    const bytes = await readFile(await download.path());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 with byte order mark');
    const text = bytes.toString('utf8').slice(1);
    assert.match(text, /\r\n$/);
    const [header, ...rows] = parseCsv(text, ';');
    assert.deepEqual(header, [
      'Indikator',
      'Region',
      'Gemeindeschlüssel (AGS)',
      'Zeitraum',
      'Stand',
      'Merkmal',
      'Anzahl',
      'Geheim gehalten',
      'Indikator (Schlüssel)',
      'Merkmal (Schlüssel)',
    ]);
    const periods = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06'];
    const expected: string[][] = [];
    const entries = await api(periods, ['DISTRICT', '08999001', '08999002']);
    for (const field of FIELDS) {
      for (const e of entries) {
        for (const f of [...e[field].cells, e[field].total])
          expected.push([
            e.region === 'DISTRICT' ? '' : e.region,
            german(e.asOf),
            f.value === null ? '' : String(f.value),
            f.suppressed ? 'ja' : 'nein',
            field,
            f.key,
          ]);
      }
    }
    assert.deepEqual(
      rows.map(([, , ags, , asOf, , value, withheld, field, key]) => [ags, asOf, value, withheld, field, key]),
      expected,
    );
    assert.ok(
      rows.some((r) => r[7] === 'ja' && r[6] === ''),
      'withheld figures are empty in the CSV, not 0',
    );
    // The words: the region's name, the period, the characteristic, the indicator's title; no key among them.
    const first = rows.find((r) => r[8] === 'housing' && r[2] === '08999001' && r[9] === 'TOTAL')!;
    assert.deepEqual(first.slice(0, 6), [
      'Wohnen: Personen nach Unterbringung',
      'Stadt Lindenau',
      '08999001',
      'Januar 2026',
      '31.01.2026',
      'Insgesamt',
    ]);
    for (const row of rows) assert.doesNotMatch(row.slice(0, 8).join(';'), RAW_KEY);

    const figure = page.locator('figure[data-indicator="housing-DISTRICT"]');
    const [png] = await Promise.all([
      page.waitForEvent('download'),
      figure.getByRole('button', { name: /^PNG/ }).click(),
    ]);
    const pngBytes = await readFile(await png.path());
    assert.deepEqual([...pngBytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.equal(png.suggestedFilename(), 'housing-DISTRICT.png');
    const [svg] = await Promise.all([
      page.waitForEvent('download'),
      figure.getByRole('button', { name: /^SVG/ }).click(),
    ]);
    const svgText = await readFile(await svg.path(), 'utf8');
    assert.match(svgText, /^<svg[\s\S]*<\/svg>$/);
    assert.match(svgText, /Juni 2026/);
    assert.match(svgText, /Insgesamt/);
    assert.match(svgText, /Wohnen: Personen nach Unterbringung, Landkreis Lindenau/);
    assert.doesNotMatch(svgText.replace(/<[^>]*>/g, ' '), RAW_KEY);
  });

  it('says a server error in German with its code, and recovers', async () => {
    await page.goto(`${base}/console/?view=quarters&regions=district,08999099`);
    const alert = page.getByRole('alert').filter({ hasText: 'Der Verbund hat mit einem Fehler geantwortet' });
    await alert.waitFor();
    const text = await alert.innerText();
    assert.match(text, /Der Verbund hat die Eingabe nicht angenommen\./);
    assert.match(text, /08999099 ist keine Gemeinde des Landkreises/);
    assert.match(text, /\(Code BAD_USER_INPUT\)/);
    assert.doesNotMatch(text, /is not a municipality|Invalid input/);
    await page.goBack();
    await page.locator('figure[data-indicator="housing-DISTRICT"] th[data-period="2026-06"]').waitFor();
    assert.equal(await alert.count(), 0);
  });

  it('speaks English by the same switch', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Integration monitoring' }).waitFor();
    await page.locator('figure[data-indicator="housing-DISTRICT"] th[data-period="2026-06"]').waitFor();
    assert.deepEqual(await page.locator('figure[data-indicator="housing-DISTRICT"] thead th').allInnerTexts(), [
      'Period',
      '■ Shared accommodation',
      '■ Follow-up accommodation',
      '■ Own flat',
      '■ Total',
    ]);
    assert.equal(
      await page.locator('figure[data-indicator="housing-DISTRICT"] th[data-period="2026-06"]').innerText(),
      'June 2026',
    );
    await page.getByRole('button', { name: 'Deutsch' }).click();
    await page.getByRole('heading', { name: 'Integrationsmonitoring' }).waitFor();
  });

  it('has no serious or critical accessibility violations', async () => {
    await page.getByLabel('Quartale').check();
    await show();
    await page.locator(`figure[data-indicator="housing-DISTRICT"] th[data-period="${runningQuarter}"]`).waitFor();
    const violations = await seriousViolations(page);
    assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
    assert.ok(
      await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'),
      'no horizontal scrolling',
    );
    const text = await visibleText();
    assert.doesNotMatch(text, RAW_KEY, text.match(RAW_KEY)?.[0]);
    await page.evaluate('window.scrollTo(0, 0)');
    // The first screen (the whole page is long: every indicator for every region).
    const dir = process.env.VERBUND_SCREENSHOTS;
    if (dir) await page.screenshot({ path: path.join(dir, 'monitoring.png'), fullPage: false });
  });

  async function periodsShown(): Promise<string[]> {
    return page
      .locator('figure[data-indicator="housing-DISTRICT"] th[scope="row"]')
      .evaluateAll((ths) => ths.map((th) => th.getAttribute('data-period')!));
  }
});
