/**
 * The consent officers' console speaks German on every screen, the hub's refusals included: Chromium (de-DE,
 * Europe/Berlin) walks search, the person's consents (with who sees what), timeline and Art. 15 report, the log
 * search and the directory, provokes the hub's field problems (a consent given before the person was born, a
 * day range that ends before it starts, a filter value the schema does not know) and checks that every error
 * summary speaks German with the code kept, and that no English text of the hub is visible anywhere. Then the
 * same officer goes from the search to recording a consent by keyboard alone, the focus on each new screen's
 * heading and, as the form opens, on the form's.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { createDataSource } from '../../common/db/data-source.js';
import { demoPersons } from '../../seed/world.js';
import { post } from '../support/graphql.js';
import type { RunningHub } from '../support/hub.js';
import { PERSON_VIEW } from '../support/queries.js';
import { tokenFor } from '../support/tokens.js';
import { launchChromium, startConsoleHub, type ConsoleHub } from './browser.js';

const SEED = 13;
const persons = demoPersons(SEED, 0, 20);

/** Words of the hub's English that German text never holds. */
const ENGLISH = /\b(must|the|not|give|is|are|was|Expected|Variable|got|record|failed|invalid|only|twice)\b/;

describe('the console in German, the hub’s messages included', () => {
  let running: ConsoleHub;
  let hub: RunningHub;
  let base: string;
  let browser: Browser;
  let page: Page;
  /** Every message of an error or problem the hub answered the page with (English, for developers). */
  const hubMessages = new Set<string>();
  /** The answers still being read into hubMessages. */
  const readings: Promise<unknown>[] = [];
  const answersRead = () => Promise.all(readings);
  const person = persons.find((p) => Number(p.dateOfBirth.slice(0, 4)) > 1950) ?? persons[0];
  const name = `${person.familyName}, ${person.givenName}`;

  beforeAll(async () => {
    browser = await launchChromium();
    running = await startConsoleHub({ persons, seed: SEED });
    ({ hub, base } = running);
    const context = await browser.newContext({
      bypassCSP: true,
      viewport: { width: 1280, height: 900 },
      locale: 'de-DE',
      timezoneId: 'Europe/Berlin',
    });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('response', (response) => {
      if (!response.url().endsWith('/graphql') || response.request().method() !== 'POST') return;
      const reading = response
        .json()
        .then((body: { errors?: { message: string; extensions?: { problems?: { message: string }[] } }[] }) => {
          for (const e of body.errors ?? []) {
            hubMessages.add(e.message);
            for (const p of e.extensions?.problems ?? []) hubMessages.add(p.message);
          }
        })
        .catch(() => undefined);
      readings.push(reading);
    });
  });

  afterAll(async () => {
    if (process.env.CONSOLE_DEBUG) await page.screenshot({ path: process.env.CONSOLE_DEBUG, fullPage: true });
    await browser?.close();
    await running?.stop();
  });

  /** No message of the hub is visible, and what the page shows as an error or alarm has no English in it. */
  async function allGerman(screen: string): Promise<void> {
    await answersRead();
    const body = await page.locator('body').innerText();
    for (const message of hubMessages)
      assert.ok(!body.includes(message), `${screen}: the hub's English “${message}” is visible:\n${body}`);
    const alerts = await page.locator('.error, .error-summary, [role="alert"], .badge').allInnerTexts();
    for (const alert of alerts) assert.doesNotMatch(alert, ENGLISH, `${screen}: English in “${alert}”`);
    assert.equal(await page.evaluate('document.documentElement.lang'), 'de', screen);
  }

  /** Presses Tab until the element that `selector` names (or a button with that text) has the focus, at most 120 times. */
  async function tabTo(selector: string, button?: string): Promise<void> {
    const test = button
      ? `document.activeElement?.tagName === 'BUTTON' && document.activeElement.textContent === ${JSON.stringify(button)}`
      : `document.activeElement?.matches(${JSON.stringify(selector)}) ?? false`;
    for (let i = 0; i < 120; i++) {
      if (await page.evaluate<boolean>(test)) return;
      await page.keyboard.press('Tab');
    }
    assert.fail(`Tab never reached ${button ?? selector}`);
  }

  /** After saving a consent: true when the form warns of an overlapping consent in force (the seed has some). */
  async function overlapShown(): Promise<boolean> {
    const overlap = page.getByRole('button', { name: 'Trotzdem speichern' });
    await page.waitForFunction(
      `!!document.querySelector('#consent-error-summary a, [role="status"]') || [...document.querySelectorAll('button')].some((b) => b.textContent === 'Trotzdem speichern')`,
    );
    return (await overlap.count()) > 0;
  }

  async function saveDespiteOverlap(): Promise<void> {
    if (await overlapShown()) await page.getByRole('button', { name: 'Trotzdem speichern' }).click();
  }

  /** Waits until the focus is where `test` (an expression about `document.activeElement`) says. */
  const focusOn = (test: string) => page.waitForFunction(`document.activeElement && (${test})`);

  const focused = () =>
    page.evaluate<{ tag: string; id: string; text: string }>(`({
      tag: document.activeElement?.tagName ?? '',
      id: document.activeElement?.id ?? '',
      text: document.activeElement?.textContent ?? '',
    })`);

  it('walks every screen of a consent officer in German, and says the hub’s refusals in German with their codes', async () => {
    await page.goto(`${base}/console`);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.getByText('Angemeldet als').waitFor();

    // Search: a refused search, then the person.
    await page.getByLabel('Name oder Personenkennung').fill('a');
    await page.getByRole('button', { name: 'Suchen' }).click();
    await page
      .locator('.error-summary')
      .getByRole('link', { name: 'Name oder Personenkennung: muss mindestens 2 Zeichen haben (Code BAD_USER_INPUT)' })
      .waitFor();
    await allGerman('search refused');
    await page.getByLabel('Name oder Personenkennung').fill(person.familyName);
    await page.getByRole('button', { name: 'Suchen' }).click();
    await page.getByRole('link', { name }).first().click();

    // Consents, with who sees what.
    await page.getByRole('heading', { name: 'Einwilligungen', exact: true }).waitFor();
    await page.getByRole('heading', { name: 'Wer sieht was – jetzt' }).waitFor();
    await page.waitForFunction(`!document.body.innerText.includes('Wird berechnet')`);
    await allGerman('consents and effective access');

    // A consent given before the person was born: the hub refuses it (the form does not know the birth date).
    await page.getByRole('button', { name: 'Einwilligung erfassen' }).click();
    await page.getByRole('checkbox', { name: 'Jobcenter Landkreis Lindenau', exact: true }).check();
    await page.getByRole('checkbox', { name: 'Arbeitsvermittlung', exact: true }).check();
    await page.getByRole('checkbox', { name: 'Sprachkenntnisse', exact: true }).check();
    const [y, m, d] = person.dateOfBirth.split('-');
    await page.getByLabel('Erteilt am').fill(`${Number(y) - 1}-${m}-${d}T10:00`);
    await page.getByLabel('Nachweis (Ablageort)').fill('Akte 2026/7');
    await page.getByLabel('Version der Information').fill('2026-01');
    await page.getByRole('button', { name: 'Einwilligung speichern' }).click();
    await saveDespiteOverlap();
    const summary = page.locator('#consent-error-summary');
    await summary
      .getByRole('link', {
        name: `Erteilt am: darf nicht vor dem Geburtsdatum der Person liegen (${d}.${m}.${y}) (Code BAD_USER_INPUT)`,
      })
      .waitFor();
    await answersRead();
    assert.ok(
      [...hubMessages].some((message) => message.startsWith("must not be before the person's date of birth")),
      'the hub itself refused it',
    );
    // The summary is announced and has the focus.
    assert.equal((await focused()).id, 'consent-error-summary');
    await allGerman('consent form refused by the hub');
    // The date field is German (Chromium with chromium-l10n, in German): 31.12.2026 typed digit by digit in
    // German order is stored as 2026-12-31 (in US order, 31 is no month and nothing would be stored).
    const validFrom = page.getByLabel('Gültig ab');
    await validFrom.focus();
    await page.keyboard.type('31122026');
    assert.equal(await validFrom.inputValue(), '2026-12-31');
    // A day that does not exist (31 February), typed: the form says so before sending. (Focused anew, the field
    // starts again at its first part, the day.)
    await validFrom.blur();
    await validFrom.focus();
    await page.keyboard.type('31022027');
    assert.equal(await page.evaluate("document.getElementById('validFrom').validity.badInput"), true);
    await page.getByRole('button', { name: 'Einwilligung speichern' }).click();
    await summary.getByRole('link', { name: 'Gültig ab: kein gültiges Datum' }).waitFor();
    await allGerman('consent form, impossible day');
    await page.getByRole('button', { name: 'Abbrechen' }).click();

    // Timeline: a day range that ends before it starts.
    await page.getByRole('link', { name: 'Zeitleiste' }).click();
    await page.getByRole('heading', { name: /^Zeitleiste/ }).waitFor();
    await page.getByLabel('Von (Tag, einschließlich)').fill('2026-12-06');
    await page.getByLabel('Bis (Tag, einschließlich)').fill('2026-12-01');
    await page.getByRole('button', { name: 'Filter anwenden' }).click();
    const failure = page.locator('p.error[role="alert"]').first();
    await failure.waitFor();
    assert.equal(
      await failure.innerText(),
      'Der Verbund hat die Eingabe nicht angenommen. Bis (Tag, einschließlich): darf nicht vor dem ersten Tag liegen (Code BAD_USER_INPUT)',
    );
    // The summary does not claim that nothing matches a filter the hub refused.
    const timelineSummary = page.locator('section.summary');
    await timelineSummary.locator('p.summary-failed').waitFor();
    assert.doesNotMatch(await timelineSummary.innerText(), /Keine Übermittlungen passen/);
    await allGerman('timeline refused');
    // A filter value the hub's schema does not know, from a link in a ticket.
    await page.goto(`${base}/console/person/${person.id}/timeline?category=HOUSING_WISHES`);
    await failure.waitFor();
    assert.match(await failure.innerText(), /^Der Verbund .*\(Code [A-Z_]+\)$/);
    await allGerman('timeline with an unknown category');
    // A recipient from a hand-made link, longer than the hub takes (class-validator's own words): in German.
    await page.goto(`${base}/console/person/${person.id}/timeline?agency=${'x'.repeat(101)}`);
    const tooLong = page.locator('p.error[role="alert"]').filter({ hasText: 'Empfänger' }).first();
    await tooLong.waitFor();
    assert.equal(
      await tooLong.innerText(),
      'Der Verbund hat die Eingabe nicht angenommen. Empfänger: darf höchstens 100 Zeichen haben (Code BAD_USER_INPUT)',
    );
    await answersRead();
    assert.ok(
      [...hubMessages].some((message) => message === 'agency must be shorter than or equal to 100 characters'),
      'the hub itself refused it',
    );
    await allGerman('timeline with an over-long recipient');

    // The Art. 15 report.
    await page.getByRole('link', { name: 'Auskunft nach Art. 15' }).click();
    await page.locator('article').first().waitFor();
    await allGerman('Art. 15 report');

    // The log search: the same refusal in German.
    await page.getByRole('link', { name: 'Übermittlungsprotokoll' }).click();
    await page.getByRole('heading', { name: 'Übermittlungsprotokoll', level: 1 }).waitFor();
    await page.waitForFunction(`!document.body.innerText.includes('Wird geladen')`);
    await allGerman('log search');
    await page.getByLabel('Von (Tag, einschließlich)').fill('2026-11-30');
    await page.getByLabel('Bis (Tag, einschließlich)').fill('2026-11-02');
    await page.getByRole('button', { name: 'Filter anwenden' }).click();
    await failure.waitFor();
    assert.match(
      await failure.innerText(),
      /^Der Verbund hat die Eingabe nicht angenommen\. Bis \(Tag, einschließlich\): darf nicht vor dem ersten Tag liegen \(Code BAD_USER_INPUT\)$/,
    );
    await allGerman('log search refused');

    // The directory.
    await page.getByRole('link', { name: 'Wer ist zuständig' }).click();
    await page.getByRole('heading', { name: 'Wer ist zuständig', level: 1 }).waitFor();
    await page.waitForFunction(`!document.body.innerText.includes('Wird geladen')`);
    await allGerman('directory');
    assert.ok(hubMessages.size >= 3, `the hub refused several requests: ${[...hubMessages].join(' | ')}`);
  });

  it('goes from the search to a recorded consent by keyboard alone, the focus on each new heading and in the form', async () => {
    await page.goto(`${base}/console/`);
    await page.getByRole('heading', { name: 'Person suchen', level: 1 }).waitFor();
    await tabTo('#search-name');
    await page.keyboard.type(person.familyName);
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name }).first().waitFor();
    await tabTo(`a[href$="/person/${person.id}"]`);
    await page.keyboard.press('Enter');
    // The heading takes the focus at once and names the person once the person is loaded ("Wird geladen …" before).
    await focusOn(
      `document.activeElement.tagName === 'H1' && document.activeElement.textContent === ${JSON.stringify(name)}`,
    ).catch(async () => assert.fail(`the focused element is ${JSON.stringify(await focused())}`));

    // The tabs: each tab's heading takes the focus.
    await tabTo(`a[href$="/person/${person.id}/timeline"]`);
    await page.keyboard.press('Enter');
    await focusOn(`document.activeElement.id === 'timeline-heading'`);
    await tabTo(`a[href$="/person/${person.id}/consents"]`);
    await page.keyboard.press('Enter');
    await focusOn(`document.activeElement.matches('[data-tab-heading]')`);
    assert.match((await focused()).text, /^Einwilligungen/);

    await tabTo('button', 'Einwilligung erfassen');
    await page.keyboard.press('Enter');
    await focusOn(`document.activeElement.id === 'consent-form-heading'`);
    assert.equal((await focused()).text, 'Einwilligung erfassen');

    for (const [field, value] of [
      ['recipients', 'jobcenter'],
      ['purposes', 'JOB_PLACEMENT'],
      ['categories', 'CLEARING_LANGUAGE'],
    ]) {
      await tabTo(`input[name="${field}"][value="${value}"]`);
      await page.keyboard.press('Space');
    }
    await tabTo('#evidenceReference');
    await page.keyboard.type('Akte 2026/8');
    await tabTo('#noticeVersion');
    await page.keyboard.type('2026-01');
    await page.keyboard.press('Enter');
    // The seed's consents may overlap: the warning says so, and the officer saves anyway, by keyboard.
    if (await overlapShown()) {
      await tabTo('button', 'Trotzdem speichern');
      await page.keyboard.press('Enter');
    }
    await page.getByRole('status').filter({ hasText: 'erfasst (Version 1)' }).waitFor();
    // The new consent, as a sentence, among the person's consents.
    await page
      .locator('.consents .sentence', {
        hasText: /^Jobcenter Landkreis Lindenau darf Sprachkenntnisse zur Arbeitsvermittlung sehen/,
      })
      .waitFor();
    await allGerman('consent recorded by keyboard');
  });

  it('names an altered log record in the integrity alarm in German, with the problem’s code', async () => {
    // A jobcenter read, so that the jobcenter's log holds a record to alter.
    const response = await post(`${base}/graphql`, {
      token: await tokenFor('jobcenter', ['CASEWORKER'], 'j.meyer'),
      purpose: 'JOB_PLACEMENT',
      query: PERSON_VIEW,
      variables: { id: person.id },
    });
    assert.ok(response.data, JSON.stringify(response.errors));
    const admin = await createDataSource({ url: hub.subgraphs.jobcenter.adminUrl, entities: [] }).initialize();
    const [last] = await admin.query<{ sequence: number; officer: string }[]>(
      'SELECT sequence, officer FROM disclosure_log ORDER BY sequence DESC LIMIT 1',
    );
    assert.ok(last, 'the jobcenter has logged the read');
    await admin.query('ALTER TABLE disclosure_log DISABLE TRIGGER USER');
    try {
      await admin.query(`UPDATE disclosure_log SET officer = 'someone.else' WHERE sequence = $1`, [last.sequence]);
      await page.goto(`${base}/console/log`);
      const alarm = page.locator('.badge.alarm[data-subgraph="jobcenter"]');
      await alarm.waitFor({ timeout: 30_000 });
      assert.match(
        await alarm.innerText(),
        new RegExp(`^ALARM: Eintrag ${last.sequence} wurde nachträglich verändert \\(Code ALTERED\\)`),
      );
      await allGerman('integrity alarm');
    } finally {
      await admin.query(`UPDATE disclosure_log SET officer = $1 WHERE sequence = $2`, [last.officer, last.sequence]);
      await admin.query('ALTER TABLE disclosure_log ENABLE TRIGGER USER');
      await admin.destroy();
    }
  });
});
