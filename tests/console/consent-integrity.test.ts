/**
 * Issue #22 in a real browser (Debian's Chromium, Playwright), with the browser in Europe/Berlin,
 * Pacific/Kiritimati (UTC+14) and Etc/GMT+12 (UTC-12): the days typed are the days shown, stored and enforced,
 * also typed key by key with the hub's Node process far from the browser's zone (31 February named, not stored);
 * two tabs changing one consent end in a visible conflict with a reload, not a silent overwrite; the overlap
 * warning comes before saving and the withdrawal preview before confirming; the person page shows the
 * effective-access matrix; axe-core finds nothing serious on any of these.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { createDataSource } from '../../common/db/data-source.js';
import { demoPersons } from '../../seed/world.js';
import { post } from '../support/graphql.js';
import type { RunningHub } from '../support/hub.js';
import { tokenFor } from '../support/tokens.js';
import { launchChromium, startConsoleHub, type ConsoleHub, screenshot, seriousViolations } from './browser.js';

const SEED = 13;
const persons = demoPersons(SEED, 0, 12);
const ZONES = ['Europe/Berlin', 'Pacific/Kiritimati', 'Etc/GMT+12'] as const;
/**
 * Node's own process object. Jest gives a test a copy of `process.env`, and setting TZ there changes no clock;
 * set on the real one, Node switches the zone of every Date in the process at once (the hub runs in it). A core
 * module's functions belong to Node's own realm, whose global `process` that realm's Function constructor returns.
 */
const realProcess = (EventEmitter.constructor as FunctionConstructor)('return process')() as NodeJS.Process;

describe('consent integrity in the console, in three browser time zones', () => {
  let running: ConsoleHub;
  let hub: RunningHub;
  let base: string;
  let browser: Browser;
  let officer: string;

  beforeAll(async () => {
    browser = await launchChromium();
    running = await startConsoleHub({ persons, seed: SEED, unseeded: ['consent'] });
    ({ hub, base } = running);
    officer = await tokenFor('county', ['CONSENT_OFFICER'], 'a.schulz');
  });

  afterAll(async () => {
    await browser?.close();
    await running?.stop();
  });

  const api = (query: string, variables: Record<string, unknown>) =>
    post(`${base}/graphql`, { token: officer, purpose: 'CONSENT_MANAGEMENT', query, variables });

  async function accessible(page: Page, screen: string): Promise<void> {
    const violations = await seriousViolations(page);
    assert.deepEqual(
      violations,
      [],
      `${screen}: serious or critical axe-core violations:\n${JSON.stringify(violations, null, 2)}`,
    );
  }

  async function signedIn(timezoneId: string, personId: string): Promise<Page> {
    const context = await browser.newContext({
      bypassCSP: true,
      viewport: { width: 1400, height: 900 },
      locale: 'de-DE',
      timezoneId,
    });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${base}/console`);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.getByText('Angemeldet als').waitFor();
    await page.goto(`${base}/console/person/${personId}/consents`);
    await page.getByRole('heading', { name: 'Einwilligungen', exact: true }).waitFor();
    assert.equal(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone), timezoneId);
    return page;
  }

  ZONES.forEach((zone, index) => {
    const person = persons[index];
    const slug = zone.replace(/\W+/g, '-').toLowerCase();

    it(`keeps the typed days as shown, stored and enforced, with the browser in ${zone}`, async () => {
      const page = await signedIn(zone, person.id);
      await page.getByRole('button', { name: 'Einwilligung erfassen' }).click();
      await page.getByRole('checkbox', { name: 'Jobcenter Landkreis Lindenau', exact: true }).check();
      await page.getByRole('checkbox', { name: 'Arbeitsvermittlung', exact: true }).check();
      await page.getByRole('checkbox', { name: 'Sprachkenntnisse', exact: true }).check();
      await page.getByLabel('Erteilt am').fill('2026-11-20T09:30');
      await page.getByLabel('Gültig ab').fill('2026-12-01');
      await page.getByLabel('Gültig bis').fill('2027-06-30');
      await page.getByLabel('Nachweis (Ablageort)').fill(`file 2026/22-${index}`);
      await page.getByLabel('Version der Information').fill('2026-01');
      await page.getByLabel('Sprache der Information').fill('uk');
      await accessible(page, 'consent form');
      await page.getByRole('button', { name: 'Einwilligung speichern' }).click();
      await page.getByRole('status').filter({ hasText: 'erfasst (Version 1)' }).waitFor();
      const card = page.locator('.consents .card').first();
      // Shown as typed …
      assert.match(await card.locator('.validity').innerText(), /vom 01\.12\.2026 .*bis 30\.06\.2027 \(einschließlich/);
      assert.match(await card.innerText(), /20\.11\.2026, 09:30 \(Europe\/Berlin\)/);
      // … stored as typed …
      const id = (await card.getAttribute('data-consent-id'))!;
      const stored = await api(`query($id: ID!) { consent(id: $id) { validFrom validUntil givenAt } }`, { id });
      assert.deepEqual(stored.data!.consent, {
        validFrom: '2026-12-01',
        validUntil: '2027-06-30',
        givenAt: '2026-11-20T08:30:00.000Z',
      });
      // … and enforced through the end of that day in the district.
      const at = async (instant: string) =>
        (
          await api(
            `query($p: ID!, $at: DateTimeISO) { effectiveAccess(personId: $p, at: $at) { agency purpose category basis } }`,
            {
              p: person.id,
              at: instant,
            },
          )
        ).data!.effectiveAccess.find(
          (c: { agency: string; purpose: string; category: string }) =>
            c.agency === 'jobcenter' && c.purpose === 'JOB_PLACEMENT' && c.category === 'CLEARING_LANGUAGE',
        ).basis;
      assert.equal(await at('2027-06-30T23:59:00+02:00'), 'CONSENT');
      assert.equal(await at('2027-07-01T00:00:00+02:00'), 'NONE');
      // The change form shows the same days again; saving a change leaves them as they are.
      await card.getByRole('button', { name: 'Ändern' }).click();
      assert.equal(await page.getByLabel('Gültig bis').inputValue(), '2027-06-30');
      await page.getByRole('checkbox', { name: 'Sprachförderung', exact: true }).check();
      await page.getByRole('button', { name: 'Neue Version speichern' }).click();
      await page.getByRole('status').filter({ hasText: 'Version 2 gilt' }).waitFor();
      const again = await api(`query($id: ID!) { consent(id: $id) { version validFrom validUntil } }`, { id });
      assert.deepEqual(again.data!.consent, { version: 2, validFrom: '2026-12-01', validUntil: '2027-06-30' });
      await page.context().close();
    });

    it(`ends two tabs changing one consent in a visible conflict with a reload, with the browser in ${zone}`, async () => {
      const first = await signedIn(zone, person.id);
      const second = await signedIn(zone, person.id);
      for (const page of [first, second])
        await page.locator('.consents .card').first().getByRole('button', { name: 'Ändern' }).click();
      await first.getByLabel('Nachweis (Ablageort)').fill('first tab');
      await first.getByRole('button', { name: 'Neue Version speichern' }).click();
      await first.getByRole('status').filter({ hasText: 'Version 3 gilt' }).waitFor();
      await second.getByLabel('Nachweis (Ablageort)').fill('second tab');
      await second.getByRole('button', { name: 'Neue Version speichern' }).click();
      const conflict = second.getByRole('alert').filter({ hasText: 'Konflikt' });
      await conflict.waitFor();
      assert.match(
        await conflict.innerText(),
        /Version 3 \(von a\.schulz, Landkreis Lindenau, am \d\d\.\d\d\.\d{4}, \d\d:\d\d \(Europe\/Berlin\)\)\. Sie hatten Version 2 gesehen\. Ihre Änderung wurde nicht gespeichert\./,
      );
      await accessible(second, 'conflict');
      await screenshot(second, `consent-conflict-${slug}`);
      await second.getByRole('button', { name: 'Neu laden' }).click();
      await second.getByText('first tab').waitFor();
      assert.equal(await second.getByText('second tab').count(), 0, 'the second tab wrote nothing');
      await first.context().close();
      await second.context().close();
    });

    it(`warns of an overlap before saving and previews a withdrawal before confirming, with the browser in ${zone}`, async () => {
      const page = await signedIn(zone, person.id);
      await page.getByRole('button', { name: 'Einwilligung erfassen' }).click();
      await page.getByRole('checkbox', { name: 'Jobcenter Landkreis Lindenau', exact: true }).check();
      await page.getByRole('checkbox', { name: 'Arbeitsvermittlung', exact: true }).check();
      await page.getByRole('checkbox', { name: 'Sprachkenntnisse', exact: true }).check();
      await page.getByLabel('Nachweis (Ablageort)').fill('duplicate');
      await page.getByLabel('Version der Information').fill('2026-01');
      const before = (await api(`query($id: ID!) { person(id: $id) { consents { id } } }`, { id: person.id })).data!
        .person.consents.length;
      await page.getByRole('button', { name: 'Einwilligung speichern' }).click();
      const warning = page.getByRole('alert').filter({ hasText: 'Überschneidung' });
      await warning.waitFor();
      const after = (await api(`query($id: ID!) { person(id: $id) { consents { id } } }`, { id: person.id })).data!
        .person.consents.length;
      assert.equal(after, before, 'nothing saved before the officer decides');
      await accessible(page, 'overlap warning');
      await screenshot(page, `consent-overlap-${slug}`);
      await page.getByRole('button', { name: 'Trotzdem speichern' }).click();
      await page.getByRole('status').filter({ hasText: 'erfasst (Version 1)' }).waitFor();

      // Withdrawing the older one: the jobcenter keeps the category through the other consent, as the preview says.
      const older = page.locator('.consents .card').filter({ hasText: 'Version 3' }).first();
      await older.getByRole('button', { name: 'Widerrufen', exact: true }).click();
      const preview = page
        .locator('.preview-list li')
        .filter({ hasText: 'Jobcenter Landkreis Lindenau · Sprachkenntnisse für Arbeitsvermittlung' });
      await preview.first().waitFor();
      assert.match(await preview.first().innerText(), /behält ihn über Einwilligung [0-9a-f]{8} v1 bis auf Widerruf/);
      await accessible(page, 'withdrawal preview');
      await screenshot(page, `consent-withdrawal-preview-${slug}`);
      await page.getByLabel('Grund des Widerrufs').fill('asked in person');
      await page.getByRole('button', { name: 'Widerruf bestätigen' }).click();
      await page.getByRole('status').filter({ hasText: 'widerrufen' }).waitFor();

      // The matrix on the person page names the remaining consent for the jobcenter.
      const cell = page.locator('[data-cell="jobcenter JOB_PLACEMENT CLEARING_LANGUAGE"]');
      await page.reload();
      await cell.waitFor();
      assert.match(await cell.innerText(), /^Einw\. [0-9a-f]{8} v1$/);
      assert.equal(await page.locator('[data-cell="jobcenter JOB_PLACEMENT HEALTH"]').innerText(), '—');
      await accessible(page, 'person page with the effective-access matrix');
      await screenshot(page, `effective-access-${slug}`);
      await page.context().close();
    });
  });

  /**
   * The Node process (the whole hub runs in it) and the browser far apart from UTC and from each other: a
   * calendar day is typed into the date fields key by key, as an officer types it, and must be stored as that
   * day, never shifted by a conversion through either clock.
   */
  const FAR_APART = [
    { node: 'Pacific/Kiritimati', browser: 'Europe/Berlin', offsets: [-840, -840] },
    { node: 'Europe/Berlin', browser: 'Pacific/Kiritimati', offsets: [-60, -120] },
    { node: 'Etc/GMT+12', browser: 'Pacific/Kiritimati', offsets: [720, 720] },
  ] as const;
  FAR_APART.forEach(({ node, browser: zone, offsets }, index) => {
    const person = persons[3 + index];

    it(`stores the typed calendar day and names 31 February, with Node in ${node} and the browser in ${zone}`, async () => {
      const before = realProcess.env.TZ;
      realProcess.env.TZ = node;
      try {
        // Node follows a changed TZ at once: the hub in this process now runs on that clock.
        assert.deepEqual(
          [new Date('2026-12-01T12:00:00Z').getTimezoneOffset(), new Date('2027-06-30T12:00:00Z').getTimezoneOffset()],
          [...offsets],
        );
        const page = await signedIn(zone, person.id);
        await page.getByRole('button', { name: 'Einwilligung erfassen' }).click();
        await page.getByRole('checkbox', { name: 'Jobcenter Landkreis Lindenau', exact: true }).check();
        await page.getByRole('checkbox', { name: 'Arbeitsvermittlung', exact: true }).check();
        await page.getByRole('checkbox', { name: 'Sprachkenntnisse', exact: true }).check();
        await page.getByLabel('Erteilt am').fill('2026-11-20T09:30');
        await page.getByLabel('Nachweis (Ablageort)').fill(`file 2026/25-${index}`);
        await page.getByLabel('Version der Information').fill('2026-01');
        await page.getByLabel('Sprache der Information').fill('uk');
        // 31.02.2027, typed as a German officer types it (Chromium in German: day, month, year).
        const from = page.getByLabel('Gültig ab');
        await from.focus();
        await page.keyboard.type('31022027');
        assert.equal(
          await from.evaluate((e) => (e as unknown as { validity: { badInput: boolean } }).validity.badInput),
          true,
        );
        await page.getByRole('button', { name: 'Einwilligung speichern' }).click();
        await page
          .locator('#consent-error-summary')
          .getByRole('link', { name: 'Gültig ab: kein gültiges Datum' })
          .waitFor();
        // Then real days, typed over it: 01.12.2026 to 30.06.2027.
        await from.focus();
        await page.keyboard.type('01122026');
        const until = page.getByLabel('Gültig bis');
        await until.focus();
        await page.keyboard.type('30062027');
        assert.deepEqual([await from.inputValue(), await until.inputValue()], ['2026-12-01', '2027-06-30']);
        await page.getByRole('button', { name: 'Einwilligung speichern' }).click();
        await page.getByRole('status').filter({ hasText: 'erfasst (Version 1)' }).waitFor();
        const card = page.locator('.consents .card').first();
        assert.match(
          await card.locator('.validity').innerText(),
          /vom 01\.12\.2026 .*bis 30\.06\.2027 \(einschließlich/,
        );
        const id = (await card.getAttribute('data-consent-id'))!;
        // Stored as typed: through the graph, and in the registry's own table.
        const stored = await api(`query($id: ID!) { consent(id: $id) { validFrom validUntil } }`, { id });
        assert.deepEqual(stored.data!.consent, { validFrom: '2026-12-01', validUntil: '2027-06-30' });
        const db = await createDataSource({ url: hub.subgraphs.consent.adminUrl, entities: [] }).initialize();
        try {
          const rows = await db.query<{ from: string; until: string }[]>(
            `SELECT valid_from::text AS "from", valid_until::text AS "until" FROM consent WHERE id = $1`,
            [id],
          );
          assert.deepEqual(rows, [{ from: '2026-12-01', until: '2027-06-30' }]);
        } finally {
          await db.destroy();
        }
        await page.context().close();
      } finally {
        if (before === undefined) delete realProcess.env.TZ;
        else realProcess.env.TZ = before;
      }
    });
  });

  it('voids a consent from the console: it then allows nothing and says so', async () => {
    const page = await signedIn('Europe/Berlin', persons[0].id);
    const target = page
      .locator('.consents .card')
      .filter({ has: page.locator('.state-GIVEN') })
      .first();
    await target.getByRole('button', { name: 'Für ungültig erklären' }).click();
    await page.getByLabel('Grund (warum irrtümlich erfasst)').fill('wrong person');
    await accessible(page, 'void panel');
    await page.getByRole('button', { name: 'Ungültigerklärung bestätigen' }).click();
    await page.getByRole('status').filter({ hasText: 'für ungültig erklärt' }).waitFor();
    await page.locator('.consents .state-VOIDED').first().waitFor();
    await page.context().close();
  });

  it("shows the timeline's times on the district's clock with its zone named, with the browser at UTC+14", async () => {
    const page = await signedIn('Pacific/Kiritimati', persons[0].id);
    await page.goto(`${base}/console/person/${persons[0].id}/timeline?officerReads=1`);
    const first = page.locator('table.records tbody tr time').first();
    await first.waitFor();
    const shown = await first.innerText();
    const instant = (await first.getAttribute('datetime'))!;
    const berlin = new Intl.DateTimeFormat('de-DE', {
      timeZone: 'Europe/Berlin',
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(new Date(instant));
    assert.equal(shown, `${berlin} (Europe/Berlin)`);
    await page.context().close();
  });
});
