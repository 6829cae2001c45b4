/**
 * The analysts' page of the console in a real browser (Debian's Chromium driven by Playwright) against the
 * whole hub seeded with the demo district: an analyst signs in and sees only this page; a withheld figure is
 * a gap in its chart and "withheld" in its table, never 0; the CSV equals the API's figures; charts download
 * as PNG and SVG; axe-core finds no serious violation. `VERBUND_SCREENSHOTS=docs/screenshots` saves the page.
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
import { TEST_ISSUER, testKey, testVerifier, tokenFor } from '../support/tokens.js';
import { launchChromium, parseCsv, seriousViolations } from './browser.js';

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

describe('analysts’ monitoring page in Chromium', () => {
  let hub: RunningHub;
  let gateway: BuiltGateway;
  let served: Listening;
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

  beforeAll(async () => {
    browser = await launchChromium();
    await ensureConsoleBuilt();
    hub = await startHub({ persons, seed: SEED });
    gateway = await buildGateway({
      supergraphSdl: await readFile(path.resolve(import.meta.dirname, '../../schema/supergraph.graphql'), 'utf8'),
      subgraphUrls: Object.fromEntries(SUBGRAPHS.map((n) => [n, hub.subgraphs[n].url])) as Record<SubgraphName, string>,
      verifier: await testVerifier(),
      development: false,
      console: { dir: CONSOLE_DIST_DIR, devSignIn: { key: await testKey(), issuer: TEST_ISSUER } },
    });
    served = await listen(gateway.handler, 0);
    base = served.url.replace(/\/graphql$/, '');
    analyst = await tokenFor('county', ['ANALYST'], 'm.weber');
    context = await browser.newContext({
      bypassCSP: true,
      acceptDownloads: true,
      viewport: { width: 1400, height: 1000 },
      locale: 'de-DE',
    });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
  });

  afterAll(async () => {
    await browser?.close();
    await served?.close();
    await gateway?.stop();
    await hub?.stop();
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
    await page.getByRole('heading', { name: 'Integration monitoring' }).waitFor();
    assert.deepEqual(
      await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link').allInnerTexts(),
      ['Monitoring'],
    );
    await page.goto(`${base}/console/log`);
    await page.getByRole('heading', { name: 'Integration monitoring' }).waitFor();
    assert.equal(await page.getByRole('heading', { name: 'Übermittlungsprotokoll' }).count(), 0);
    await page.locator('figure.indicator').first().waitFor();
  });

  it('draws a withheld figure as a gap with a note and "withheld" in the table, never as 0; published ones as lines', async () => {
    const regions = ['DISTRICT', '08999001'];
    await page.getByLabel('Lindenau').check();
    await page.getByRole('button', { name: 'Show' }).click();
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
    assert.ok(cells.length > 0 && cells.every((t) => t === 'withheld'), JSON.stringify(cells));
    // The note names the key as the table heads it, e.g. COMPLETED_B1 as "Completed B1".
    const heading = (await figure.locator(`th[data-key="${found.withheld}"]`).innerText()).replace('■', '').trim();
    assert.match(await figure.locator('.note').innerText(), new RegExp(`Gaps: .*${heading}.* withheld`));
    if (process.env.VERBUND_SCREENSHOTS)
      await figure.screenshot({ path: path.join(process.env.VERBUND_SCREENSHOTS, 'monitoring-gaps.png') });
    // The published figures in the table are the API's.
    const apiValues = entries
      .filter((e) => e.region === found.region)
      .map((e) => String(e[found.field].cells.find((c) => c.key === found.published)!.value));
    assert.deepEqual(await figure.locator(`td[data-key="${found.published}"]`).allInnerTexts(), apiValues);
  });

  it('downloads exactly the shown figures as CSV, equal to the API’s, and each chart as PNG and SVG', async () => {
    await page.getByLabel('Months').check();
    await page.getByLabel('From', { exact: true }).selectOption('2026-01');
    await page.getByLabel('to', { exact: true }).selectOption('2026-06');
    await page.getByLabel('Birkenfeld').check();
    await page.getByRole('button', { name: 'Show' }).click();
    await page.locator('figure[data-indicator="housing-08999002"] th[scope="row"]', { hasText: '2026-06' }).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download figures (CSV)' }).click(),
    ]);
    const [header, ...rows] = parseCsv(await readFile(await download.path(), 'utf8'));
    assert.deepEqual(header, ['indicator', 'region', 'region_name', 'period', 'as_of', 'key', 'value', 'withheld']);
    const periods = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06'];
    const expected: string[][] = [];
    const entries = await api(periods, ['DISTRICT', '08999001', '08999002']);
    for (const field of FIELDS) {
      for (const e of entries) {
        for (const f of [...e[field].cells, e[field].total])
          expected.push([
            field,
            e.region,
            e.period,
            e.asOf,
            f.key,
            f.value === null ? '' : String(f.value),
            String(f.suppressed),
          ]);
      }
    }
    assert.deepEqual(
      rows.map(([indicator, region, , period, asOf, key, value, withheld]) => [
        indicator,
        region,
        period,
        asOf,
        key,
        value,
        withheld,
      ]),
      expected,
    );
    assert.ok(
      rows.some((r) => r[7] === 'true' && r[6] === ''),
      'withheld figures are empty in the CSV, not 0',
    );

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
    assert.match(svgText, /2026-06/);
  });

  it('has no serious or critical accessibility violations', async () => {
    await page.getByLabel('Quarters').check();
    await page.getByRole('button', { name: 'Show' }).click();
    await page.locator('figure[data-indicator="housing-DISTRICT"] th[scope="row"]', { hasText: '2026-Q4' }).waitFor();
    const violations = await seriousViolations(page);
    assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
    assert.ok(
      await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'),
      'no horizontal scrolling',
    );
    await page.evaluate('window.scrollTo(0, 0)');
    // The first screen (the whole page is long: every indicator for every region).
    const dir = process.env.VERBUND_SCREENSHOTS;
    if (dir) await page.screenshot({ path: path.join(dir, 'monitoring.png'), fullPage: false });
  });

  async function periodsShown(): Promise<string[]> {
    return page.locator('figure[data-indicator="housing-DISTRICT"] th[scope="row"]').allInnerTexts();
  }
});
