/**
 * "Who is responsible" (issue #17) in a real browser (Debian's Chromium driven by Playwright) against the whole
 * hub: the district's guide of responsibilities, per field of action and municipality, filtered, without any
 * person data, and accessible (axe-core). `VERBUND_SCREENSHOTS=docs/screenshots` also saves the screen.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { demoPersons } from '../../seed/world.js';
import { launchChromium, startConsoleHub, type ConsoleHub, screenshot, seriousViolations } from './browser.js';

const SEED = 19;
const persons = demoPersons(SEED, 0, 12);

describe('“Who is responsible” in Chromium', () => {
  let running: ConsoleHub;
  let base: string;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchChromium();
    running = await startConsoleHub({ persons, seed: SEED });
    base = running.base;
    const context = await browser.newContext({
      bypassCSP: true,
      viewport: { width: 1280, height: 900 },
      locale: 'de-DE',
      timezoneId: 'Europe/Berlin',
    });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    await browser?.close();
    await running?.stop();
  });

  it('lists every field of action with its responsible offices, filters by municipality and field, shows no person data, and is accessible', async () => {
    await page.goto(`${base}/console`);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.getByText('Angemeldet als').waitFor();
    await page.getByRole('link', { name: 'Wer ist zuständig' }).click();
    await page.getByRole('heading', { name: 'Wer ist zuständig', level: 1 }).waitFor();
    for (const field of [
      'Wohnen',
      'Sprache',
      'Bildung (Kita und Schule)',
      'Arbeit und Ausbildung',
      'Soziale Teilhabe',
      'Aufenthaltsverfahren',
    ]) {
      await page.getByRole('heading', { name: field, level: 2 }).waitFor();
    }

    await page.getByLabel('Gemeinde', { exact: true }).selectOption({ label: 'Birkenfeld' });
    await page.getByRole('row').filter({ hasText: 'Gemeinde Birkenfeld, Bürgeramt' }).first().waitFor();
    await page.waitForFunction(`!document.body.innerText.includes('Gemeinde Lindenau')`);
    const where = await page.locator('table.directory tbody tr td:first-child').allInnerTexts();
    assert.ok(where.length > 0);
    assert.ok(
      where.every((w) => w === 'Birkenfeld' || w === 'Ganzer Landkreis'),
      where.join(', '),
    );
    const housing = page
      .getByRole('table')
      .filter({ has: page.getByText('Gemeinde Birkenfeld, Bürgeramt – Unterbringung') });
    assert.match(await housing.innerText(), /Housing officer|@birkenfeld\.example/);
    await page
      .getByRole('link', { name: /@birkenfeld\.example/ })
      .first()
      .waitFor();

    const text = await page.locator('main').innerText();
    for (const person of persons) {
      assert.ok(!text.includes(person.id) && !text.includes(person.familyName), 'no person data on the page');
    }
    await page.getByLabel('Gemeinde', { exact: true }).selectOption({ label: 'Alle Gemeinden' });
    await page.getByRole('row').filter({ hasText: 'Gemeinde Lindenau' }).first().waitFor();
    const violations = await seriousViolations(page);
    assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
    await screenshot(page, 'who-is-responsible');

    await page.getByLabel('Handlungsfeld').selectOption({ label: 'Arbeit und Ausbildung' });
    await page.waitForFunction(`document.querySelectorAll('main h2').length === 1`);
    assert.deepEqual(await page.locator('main h2').allInnerTexts(), ['Arbeit und Ausbildung']);
    assert.match(await page.locator('main').innerText(), /Jobcenter Landkreis Lindenau, Team Integration/);
  });
});
