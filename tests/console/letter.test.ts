/**
 * The Art. 15 letter in a real browser (Debian's Chromium, de-DE, Europe/Berlin) against the whole hub: every
 * item of Art. 15 (1) GDPR and the copy of Art. 15 (3) on the district's letterhead; the officer's own reads to
 * build it not counted in it; printed to PDF on A4 in de, ar and fa, each page rendered with pdftoppm and its
 * width compared with A4's, nothing wider than the printable width; in ar and fa no Latin-script run outside a
 * `<bdi>` or an element with `lang`; the receipt saved as a file. `VERBUND_SCREENSHOTS=docs/screenshots` also
 * saves the screens and the first printed page of each language.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { Browser, Download, Page } from 'playwright-core';
import { checkReceipt, type Receipt } from '../../common/audit/proofs/receipt.js';
import { loadAgencyList } from '../../common/policy/agencies.js';
import { demoPersons } from '../../seed/world.js';
import { post } from '../support/graphql.js';
import type { RunningHub } from '../support/hub.js';
import { PERSON_VIEW } from '../support/queries.js';
import { tokenFor } from '../support/tokens.js';
import { launchChromium, startConsoleHub, type ConsoleHub, screenshot, seriousViolations } from './browser.js';

const run = promisify(execFile);
const SEED = 23;
const persons = demoPersons(SEED, 0, 12);
/** "(example)", or "example" as a word (not the reserved domain .example of the demo district's addresses). */
const EXAMPLE = /\(example\)|(?<![.@\w])example\b|Beispiel/i;
const letterhead = loadAgencyList().letterhead!;
/** A4 at pdftoppm's 50 dots per inch: 210 mm × 297 mm (Chromium's A4 is 8.27 × 11.7 in, pdftoppm rounds up). */
const A4_WIDTH_AT_50 = (210 / 25.4) * 50;
const A4_HEIGHT_AT_50 = (297 / 25.4) * 50;
/** The printable width in CSS pixels: A4's 210 mm less the letter's 16 mm margins on both sides (@page). */
const PRINT_WIDTH = Math.floor(((210 - 2 * 16) / 25.4) * 96);

/** What the console asks to build the letter, as it asks it: the report and the person beside it, in one request. */
const REPORT = `query ConsoleAccessReport($personId: ID!) {
  accessReport(personId: $personId) { entries { date holder recipient purpose categories requests ownRecords } }
  person(id: $personId) { id givenName familyName }
}`;
/** The employer of the jobcenter's record the copy shows. */
const EMPLOYER = 'Bäckerei Sonnenschein';
const LANGUAGES = ['de', 'en', 'ar', 'fa', 'uk', 'tr'] as const;
type LetterTable = {
  letter: Record<string, string> & { copyLabels: Record<string, string>; copyValues: Record<string, string> };
  purposes: Record<string, string>;
  categoryNames: Record<string, string>;
};
const letterTable = async (lang: string) =>
  JSON.parse(
    await readFile(path.resolve(import.meta.dirname, `../../console/src/i18n/${lang}.json`), 'utf8'),
  ) as LetterTable;
const OFFICER_READS = `query ($personId: ID!) {
  disclosureTimeline(personId: $personId, filter: { purpose: CONSENT_MANAGEMENT, officerReads: null }, first: 200) {
    records { subgraph requestId released { field } }
  }
}`;

describe('the Art. 15 letter in Chromium', () => {
  let running: ConsoleHub;
  let hub: RunningHub;
  let base: string;
  let browser: Browser;
  let page: Page;
  let officer: string;
  let person: (typeof persons)[number];
  let pages: string;

  beforeAll(async () => {
    browser = await launchChromium();
    running = await startConsoleHub({ persons, seed: SEED });
    ({ hub, base } = running);
    officer = await tokenFor('county', ['CONSENT_OFFICER'], 'a.schulz');
    person = persons[0];
    // A disclosure to another agency on a statute: the jobcenter reads the person for job placement.
    const jobcenter = await tokenFor('jobcenter', ['CASEWORKER'], 'j.meyer');
    await post(`${base}/graphql`, {
      token: jobcenter,
      purpose: 'JOB_PLACEMENT',
      query: PERSON_VIEW,
      variables: { id: person.id },
    });
    // A record of the jobcenter's own, to find in the copy of the data as the jobcenter holds it.
    const employment = await post(`${base}/graphql`, {
      token: jobcenter,
      purpose: 'JOB_PLACEMENT',
      query: `mutation($p: ID!, $i: EmploymentStatusInput!) { recordEmploymentStatus(personId: $p, input: $i) { id } }`,
      variables: { p: person.id, i: { status: 'EMPLOYED', since: '2026-10-01', employer: EMPLOYER } },
    });
    assert.equal(employment.errors, undefined, JSON.stringify(employment.errors));
    pages = await mkdtemp(path.join(os.tmpdir(), 'verbund-letter-'));
    const context = await browser.newContext({
      bypassCSP: true,
      acceptDownloads: true,
      viewport: { width: 1280, height: 900 },
      locale: 'de-DE',
      timezoneId: 'Europe/Berlin',
    });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${base}/console`);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.getByText('Angemeldet als').waitFor();
  });

  afterAll(async () => {
    // LETTER_PAGES=1 keeps the printed PDFs and page images to look at.
    if (pages && !process.env.LETTER_PAGES) await rm(pages, { recursive: true, force: true });
    else if (pages) console.log(`printed letters in ${pages}`);
    await browser?.close();
    await running?.stop();
  });

  const report = (p: Page = page) => p.locator('article.report');

  /** Text as read, with the no-break spaces that keep "§ 50" together as plain spaces. */
  const plain = (text: string) => text.replaceAll('\u00a0', ' ');

  async function openLetter(lang: string): Promise<string> {
    await page.goto(`${base}/console/person/${person.id}/report?lang=${lang}`);
    await page.locator(`article.report[lang="${lang}"]`).waitFor();
    return plain(await report().innerText());
  }

  const officerReport = () =>
    post<{ accessReport: { entries: Record<string, unknown>[] }; person: { id: string } }>(`${base}/graphql`, {
      token: officer,
      purpose: 'CONSENT_MANAGEMENT',
      query: REPORT,
      variables: { personId: person.id },
    });

  it('states every item of Art. 15 (1) GDPR and the copy of Art. 15 (3), on the district’s letterhead', async () => {
    const text = await openLetter('de');
    for (const item of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'])
      assert.match(text, new RegExp(`Art\\. 15 Abs\\. 1 lit\\. ${item} DSGVO`), `Art. 15 (1) (${item}) is answered`);
    assert.match(text, /Kopie Ihrer Daten \(Art\. 15 Abs\. 3 DSGVO\)/);
    // (a)–(c): purposes, categories, recipients; the jobcenter's read on a statute, with the German reference.
    assert.match(text, /Arbeitsvermittlung/);
    assert.match(text, /Identität/);
    assert.match(text, /Jobcenter Landkreis Lindenau/);
    assert.match(text, /Gesetz: § 50 Abs\. 1 SGB II i\. V\. m\. § 69 Abs\. 1 Nr\. 1 SGB X/);
    // (d): the disclosure records' retention the hub uses (DISCLOSURE_RETENTION_DAYS, 730 by default).
    assert.match(text, /werden 730 Tage lang aufbewahrt/);
    // (e) and (f): rectification, erasure, restriction, objection; the supervisory authority with its address.
    for (const right of ['Art. 16 DSGVO', 'Art. 17 DSGVO', 'Art. 18 DSGVO', 'Art. 21 DSGVO', 'Art. 77 DSGVO'])
      assert.ok(text.includes(right), `names ${right}`);
    assert.ok(text.includes(letterhead.supervisoryAuthority.name));
    for (const line of letterhead.supervisoryAuthority.address) assert.ok(text.includes(line), `address: ${line}`);
    // (g): where the data come from: the county holds the identity data, the jobcenter read them there.
    const sources = await page.locator('table.sources tbody tr').allInnerTexts();
    assert.ok(
      sources.some((row) => /Identität/.test(row) && /Landkreis Lindenau/.test(row)),
      `identity from the county: ${sources.join(' | ')}`,
    );
    // (h): no automated decision within Art. 22 (1) and (4), no profiling, by the hub.
    assert.match(
      text,
      /8\. Automatisierte Entscheidungen \(Art\. 15 Abs\. 1 lit\. h DSGVO\)\s+Der Datenverbund trifft keine automatisierte Entscheidung im Sinne von Art\. 22 Abs\. 1 und 4 DSGVO, auch kein Profiling/,
    );
    // Art. 15 (3): the identity data as the county holds them, read through the hub.
    assert.ok(text.includes(`${person.givenName} ${person.familyName}`));
    assert.ok(text.includes(person.id));
    // Letterhead, contact, reference number (stable per person and day), date, calendar, no example text.
    for (const part of [
      letterhead.authority,
      letterhead.office,
      ...letterhead.address,
      letterhead.phone,
      letterhead.email,
    ])
      assert.ok(text.includes(part), `letterhead: ${part}`);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date());
    const reference = `DS 15-${today.replaceAll('-', '')}-${person.id.replaceAll('-', '').slice(0, 8).toUpperCase()}`;
    assert.equal(await page.locator('[data-reference]').innerText(), reference);
    assert.match(text, /gregorianischen Kalender/);
    assert.doesNotMatch(text, EXAMPLE, 'no "(example)" anywhere');
    assert.doesNotMatch(text, /a\.schulz|j\.meyer/, 'no officer identities');
    await page.reload();
    await report().waitFor();
    assert.equal(await page.locator('[data-reference]').innerText(), reference, 'the same number on reload');
    const violations = await seriousViolations(page);
    assert.deepEqual(violations, [], JSON.stringify(violations, null, 2));
    await screenshot(page, 'report-de');
  });

  it('copies every agency’s records of the person (Art. 15 (3)), gathered for the access request and recorded by each agency', async () => {
    const agencyNames = loadAgencyList().displayNames;
    const gathered = page.waitForResponse((r) => r.request().headers()['x-purpose'] === 'DATA_SUBJECT_ACCESS');
    const text = await openLetter('de');
    const requestId = (await gathered).headers()['x-request-id'];
    assert.ok(requestId, 'the gateway names the request that gathered the copy');
    // Each agency decided and recorded its own fields under the access request, on the statute entry.
    for (const subgraph of ['county', 'municipality', 'jobcenter', 'socialcare'] as const) {
      const rows = await hub.subgraphs[subgraph].db.query<
        { purpose: string; released: { category: string }[]; basis: { basis: string }[] }[]
      >(`SELECT purpose, released, basis FROM disclosure_log WHERE request_id = $1 AND person_id = $2`, [
        requestId,
        person.id,
      ]);
      // The county answers twice: once with the person, once with the contacts that need the partners' first.
      assert.ok(rows.length >= 1, `${subgraph}: the letter's read is on its log`);
      assert.ok(
        rows.some((r) => r.released.length > 0),
        `${subgraph} released its records`,
      );
      for (const row of rows) {
        assert.equal(row.purpose, 'DATA_SUBJECT_ACCESS', subgraph);
        assert.ok(
          row.basis.every((b) => b.basis === 'STATUTE:data-subject-access-copy'),
          subgraph,
        );
      }
    }
    const de = await letterTable('de');
    const copy = page.locator('.data-copy');
    // The county's records beside the identity data: the residence status in words, the municipality by its name.
    const county = plain(await copy.locator('[data-copy-agency="county"]').innerText());
    assert.ok(
      county.includes(
        `${de.letter.copyLabels.status}: ${de.letter.copyValues[`ResidenceStatus.${person.residenceStatus}`]}`,
      ),
      county,
    );
    assert.ok(county.includes(agencyNames[`municipality:${person.municipalityAgs}`]), county);
    // The jobcenter's record as the jobcenter holds it.
    const jobcenter = plain(await copy.locator('[data-copy-agency="jobcenter"]').innerText());
    assert.ok(jobcenter.startsWith('Jobcenter Landkreis Lindenau'), jobcenter);
    assert.ok(
      jobcenter.includes(
        `${de.letter.copyLabels.employmentStatus}: ${de.letter.copyValues['EmploymentState.EMPLOYED']}; ${de.letter.copyLabels.since}: 1. Oktober 2026; ${de.letter.copyLabels.employer}: ${EMPLOYER}`,
      ),
      jobcenter,
    );
    assert.ok(await copy.locator('[data-copy-agency="municipality"]').count(), 'the municipality is named');
    // The person's responsible contacts, each where the agency that assigned it holds it (Person.contacts); a
    // welfare organisation's contact is its counselling caseworker, already in its SOCIAL_CARE record above.
    let contacts = 0;
    for (const subgraph of ['county', 'municipality', 'jobcenter'] as const) {
      const assigned = await hub.subgraphs[subgraph].db.query<{ field_of_action: string; name: string }[]>(
        `SELECT a.field_of_action, s.name FROM contact_assignment a JOIN staff_member s ON s.id = a.staff_id
         WHERE a.person_id = $1 AND a.until IS NULL`,
        [person.id],
      );
      const section = plain(await copy.locator(`[data-copy-agency="${subgraph}"]`).innerText());
      for (const contact of assigned) {
        contacts += 1;
        assert.ok(
          section.includes(
            `${de.letter.copyLabels.fieldOfAction}: ${de.letter.copyValues[`FieldOfAction.${contact.field_of_action}`]}`,
          ) && section.includes(`${de.letter.copyLabels.contactPerson}: ${contact.name}`),
          `${subgraph}: ${contact.name} (${contact.field_of_action}) in ${section}`,
        );
      }
    }
    assert.ok(contacts > 0, 'the person has contacts to show');
    // Special category data are not gathered through the hub, and the letter says so where the person has a case.
    if (person.organisationId)
      assert.match(plain(await copy.locator('[data-copy-withheld]').innerText()), /Gesundheit/);
    assert.doesNotMatch(text, /Die Akten der übrigen Stellen/, 'no longer "ask each agency"');
    // The reads that gathered the copy are not disclosures in the letter, however often it is opened.
    const purposes = await page.locator('table.disclosures tbody tr td:nth-child(4)').allInnerTexts();
    assert.ok(!purposes.includes(de.purposes.DATA_SUBJECT_ACCESS), purposes.join(' | '));
    await openLetter('de');
    assert.deepEqual(await page.locator('table.disclosures tbody tr td:nth-child(4)').allInnerTexts(), purposes);
    // In every language of the letter, with that language's labels and words for coded values.
    for (const lang of LANGUAGES) {
      const table = await letterTable(lang);
      await openLetter(lang);
      const line = plain(
        await page.locator('[data-copy-agency="jobcenter"] li').filter({ hasText: EMPLOYER }).first().innerText(),
      );
      assert.ok(line.includes(table.letter.copyLabels.employmentStatus), `${lang}: ${line}`);
      assert.ok(line.includes(table.letter.copyValues['EmploymentState.EMPLOYED']), `${lang}: ${line}`);
      assert.ok(line.includes(EMPLOYER), `${lang}: ${line}`);
      assert.equal(
        await page.locator('[data-copy-agency="jobcenter"] li bdi[lang="de"]', { hasText: EMPLOYER }).count(),
        1,
        `${lang}: the employer as the jobcenter wrote it, isolated and marked German`,
      );
    }
  });

  it('states in every language it offers that the hub makes no automated decision within Art. 22 (Art. 15 (1) (h))', async () => {
    const languages = ['de', 'en', 'ar', 'fa', 'uk', 'tr'];
    await openLetter('de');
    const offered = await page.locator('.report-tools a[lang]').evaluateAll((links) => links.map((a) => a.lang));
    assert.deepEqual([...offered].sort(), [...languages].sort(), 'the languages the letter offers');
    for (const lang of languages) {
      const { letter } = JSON.parse(
        await readFile(path.resolve(import.meta.dirname, `../../console/src/i18n/${lang}.json`), 'utf8'),
      ) as { letter: Record<string, string> };
      await openLetter(lang);
      const section = page.locator('section.letter-section').filter({
        has: page.locator('h3 bdi[lang="de"]', { hasText: /^Art\.\s15\sAbs\.\s1\slit\.\sh\sDSGVO$/ }),
      });
      assert.equal(await section.count(), 1, `${lang}: one section answers (h)`);
      assert.ok(plain(await section.locator('h3').innerText()).includes(letter.automatedTitle), `${lang}: title`);
      // The statement in the letter's language, with the German reference to Art. 22 kept and isolated.
      assert.equal(
        plain(await section.locator('p').innerText()).replace(/\s+/g, ' '),
        letter.automated.replace('{art22}', 'Art. 22 Abs. 1 und 4 DSGVO').replace(/\s+/g, ' '),
        lang,
      );
      assert.equal(plain(await section.locator('p bdi[lang="de"]').innerText()), 'Art. 22 Abs. 1 und 4 DSGVO');
    }
  });

  it('does not count the reads that built the report as disclosures in it, though they are on record', async () => {
    const reads = async () =>
      (
        await post<{ disclosureTimeline: { records: { subgraph: string; released: unknown[] }[] } }>(
          `${base}/graphql`,
          { token: officer, purpose: 'CONSENT_MANAGEMENT', query: OFFICER_READS, variables: { personId: person.id } },
        )
      ).data!.disclosureTimeline.records.filter((r) => r.subgraph === 'county' && r.released.length > 0).length;
    const first = await officerReport();
    assert.equal(first.errors, undefined, JSON.stringify(first.errors));
    const readsBefore = await reads();
    const second = await officerReport();
    const third = await officerReport();
    assert.deepEqual(third.data!.accessReport.entries, first.data!.accessReport.entries, 'the same report each time');
    assert.deepEqual(second.data!.accessReport.entries, first.data!.accessReport.entries);
    assert.equal(await reads(), readsBefore + 2, 'each report’s read of the person is in the county’s log');
    // The page too: opening the letter twice shows the same rows.
    await openLetter('de');
    const rows = await page.locator('table.disclosures tbody tr').allInnerTexts();
    await openLetter('de');
    assert.deepEqual(await page.locator('table.disclosures tbody tr').allInnerTexts(), rows);
  });

  for (const lang of ['de', 'ar', 'fa'] as const) {
    it(`prints on A4 in ${lang}: every page A4 wide, nothing wider than the printable width, pages numbered`, async () => {
      await openLetter(lang);
      if (lang !== 'de') await screenshot(page, `report-${lang}`);
      await page.emulateMedia({ media: 'print' });
      await page.setViewportSize({ width: PRINT_WIDTH, height: 1100 });
      const overflow = await page.evaluate<{ document: number; wide: string[] }>(`(() => {
        const wide = [...document.querySelectorAll('article.report, article.report table, article.report td, article.report th, article.report dd')]
          .filter((e) => e.scrollWidth > e.clientWidth + 1)
          .map((e) => e.tagName + ': ' + e.textContent.slice(0, 40) + ' ' + e.scrollWidth + '>' + e.clientWidth);
        return { document: document.documentElement.scrollWidth, wide };
      })()`);
      assert.ok(overflow.document <= PRINT_WIDTH, `document ${overflow.document} px wide in ${PRINT_WIDTH} px`);
      assert.deepEqual(overflow.wide, [], 'no element wider than its box');
      const pdf = path.join(pages, `letter-${lang}.pdf`);
      await page.pdf({ path: pdf, format: 'A4' });
      await page.emulateMedia({ media: 'screen' });
      await page.setViewportSize({ width: 1280, height: 900 });
      await run('pdftoppm', ['-r', '50', '-png', pdf, path.join(pages, lang)]);
      const images = (await readdir(pages)).filter((f) => f.startsWith(`${lang}-`) && f.endsWith('.png')).sort();
      assert.ok(images.length >= 1, 'at least one page');
      for (const image of images) {
        const png = await readFile(path.join(pages, image));
        // The PNG header's IHDR: width and height, big-endian, at bytes 16 and 20.
        const [width, height] = [png.readUInt32BE(16), png.readUInt32BE(20)];
        assert.ok(Math.abs(width - A4_WIDTH_AT_50) < 1, `${image}: ${width} px wide, A4 is ${A4_WIDTH_AT_50}`);
        assert.ok(Math.abs(height - A4_HEIGHT_AT_50) < 2, `${image}: ${height} px high, A4 is ${A4_HEIGHT_AT_50}`);
      }
      const stdout = plain((await run('pdftotext', ['-layout', pdf, '-'])).stdout);
      assert.match(stdout, /Art\. 15 Abs\. 1 lit\. g DSGVO/, 'the German reference is in the printed letter');
      assert.doesNotMatch(stdout, EXAMPLE);
      if (lang === 'de') {
        assert.match(stdout, new RegExp(`Seite 1 von ${images.length}`), 'page numbers in the foot');
        // The last column printed, and words kept whole in their columns (no "Arbeitsvermi ttlung").
        for (const word of ['Abrufe', 'Arbeitsvermittlung', 'Sprachkenntnisse', 'Integrationskurs'])
          assert.ok(stdout.includes(word), `"${word}" whole in the printed table`);
      }
      if (process.env.VERBUND_SCREENSHOTS) {
        await run('pdftoppm', ['-r', '80', '-png', '-f', '1', '-l', '1', pdf, path.join(pages, `print-${lang}`)]);
        const first = (await readdir(pages)).find((f) => f.startsWith(`print-${lang}-`))!;
        await copyFile(path.join(pages, first), path.join(process.env.VERBUND_SCREENSHOTS, `report-print-${lang}.png`));
      }
    });
  }

  for (const lang of ['ar', 'fa'] as const) {
    it(`isolates every left-to-right run in ${lang}: no Latin script outside a <bdi> or an element with lang`, async () => {
      await openLetter(lang);
      assert.equal(await report().getAttribute('dir'), 'rtl');
      // While it prints, the page itself is in the letter's language and direction; after, the console's again.
      const root = () => page.evaluate<string>(`document.documentElement.lang + ' ' + document.documentElement.dir`);
      const onScreen = await root();
      await page.evaluate(`window.dispatchEvent(new Event('beforeprint'))`);
      assert.equal(await root(), `${lang} rtl`);
      await page.evaluate(`window.dispatchEvent(new Event('afterprint'))`);
      assert.equal(await root(), onScreen);
      assert.equal(
        await page.evaluate<string>(`getComputedStyle(document.querySelector('article.report')).direction`),
        'rtl',
      );
      const loose = await page.evaluate<string[]>(`(() => {
        const article = document.querySelector('article.report');
        const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
        const loose = [];
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          if (!/\\p{Script=Latin}/u.test(node.data)) continue;
          const parent = node.parentElement;
          if (parent.closest('bdi')) continue;
          if (parent.closest('[lang]') !== article) continue;
          loose.push(node.data);
        }
        return loose;
      })()`);
      assert.deepEqual(loose, [], 'Latin-script text outside <bdi>/lang');
      // The law references stay German, isolated; the dates are Gregorian (this year, not 1405 of the Solar Hijri calendar).
      const references = (await page.locator('article.report bdi[lang="de"]').allInnerTexts()).map(plain);
      assert.ok(references.includes('Art. 15 Abs. 1 lit. d DSGVO'));
      assert.ok(references.includes('§ 50 Abs. 1 SGB II'), references.join(' | '));
      const date = await page.locator('.letter-meta time').innerText();
      assert.ok(date.includes(String(new Date().getFullYear())), `Gregorian date: ${date}`);
      assert.doesNotMatch(await report().innerText(), EXAMPLE);
    });
  }

  it('saves the person’s receipt as a file to attach, naming it in the letter', async () => {
    await openLetter('de');
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 60_000 }),
      page.getByRole('button', { name: /Quittung zum Beilegen speichern/ }).click(),
    ]);
    const name = download.suggestedFilename();
    assert.match(name, /^DS_15-\d{8}-[0-9A-F]{8}-receipt\.json$/);
    assert.ok((await report().innerText()).includes(name), 'the letter names the enclosure');
    const receipt = JSON.parse(await readFile(await download.path(), 'utf8')) as Record<string, unknown>;
    assert.ok(JSON.stringify(receipt).includes(person.id), 'the receipt is the person’s');
  });

  it('lists every page of the report for a person with more records than one page holds', async () => {
    // 520 reads of another person by the jobcenter, written as its process writes them: more than one report page
    // (500), all on one day, so the registry splits that day across two pages.
    const other = persons[1];
    const entry = (i: number) => ({
      requestId: `letter-pages-${i}`,
      agency: 'jobcenter',
      officer: 'j.meyer',
      roles: ['CASEWORKER'],
      purpose: 'JOB_PLACEMENT' as const,
      operation: 'PersonView',
      kind: 'READ' as const,
      personId: other.id,
      released: [{ field: 'Person.familyName', category: 'IDENTITY' as const }],
      refused: [],
      basis: [{ category: 'IDENTITY' as const, basis: 'STATUTE:jobcenter-placement-identity' }],
      changes: [],
      retention: null,
      policyVersion: 'letter-test',
    });
    for (let start = 0; start < 520; start += 104) {
      await hub.subgraphs.county.log!.append(Array.from({ length: 104 }, (_, i) => entry(start + i)));
    }
    const firstPage = await post<{ accessReport: { hasNextPage: boolean } }>(`${base}/graphql`, {
      token: officer,
      purpose: 'CONSENT_MANAGEMENT',
      query: 'query ($p: ID!) { accessReport(personId: $p) { hasNextPage } }',
      variables: { p: other.id },
    });
    assert.equal(firstPage.data?.accessReport.hasNextPage, true, 'the report has a second page');
    await page.goto(`${base}/console/person/${other.id}/report?lang=de`);
    await page.locator('article.report[lang="de"]').waitFor({ timeout: 60_000 });
    const counts = await page
      .locator('table.disclosures tbody tr td:last-child')
      .evaluateAll((cells) => cells.map((c) => Number(c.textContent)));
    assert.equal(
      counts.reduce((a, b) => a + b, 0),
      520,
      `every request on both pages is in the letter: ${counts.join(', ')}`,
    );
  });

  it('saves a receipt of every page the letter lists, each file checkable offline and named in the letter', async () => {
    // The person of the test before, with 520 records: the letter lists two pages, so the receipt is two files.
    const other = persons[1];
    await page.goto(`${base}/console/person/${other.id}/report?lang=de`);
    await page.locator('article.report[lang="de"]').waitFor({ timeout: 60_000 });
    const downloads: Download[] = [];
    page.on('download', (d) => downloads.push(d));
    try {
      await page.getByRole('button', { name: /Quittung zum Beilegen speichern/ }).click();
      await page
        .getByRole('status')
        .filter({ hasText: /Gespeichert als/ })
        .waitFor({ timeout: 120_000 });
      const names = (
        await page
          .getByRole('status')
          .filter({ hasText: /Gespeichert als/ })
          .innerText()
      )
        .replace(/^Gespeichert als /, '')
        .replace(/\.$/, '')
        .split(', ');
      assert.equal(names.length, 2, `one file per page: ${names.join(', ')}`);
      for (const [i, name] of names.entries()) assert.match(name, new RegExp(`-receipt-${i + 1}-of-2\\.json$`));
      for (let i = 0; downloads.length < names.length && i < 100; i++) await page.waitForTimeout(100);
      // Two downloads started one after the other may finish in either order.
      assert.deepEqual(downloads.map((d) => d.suggestedFilename()).sort(), [...names].sort(), 'every file downloaded');
      const letter = await report().innerText();
      for (const name of names) assert.ok(letter.includes(name), `the letter names ${name}`);
      const proven = new Set<string>();
      let listed = 0;
      for (const d of downloads) {
        const receipt = JSON.parse(await readFile(await d.path(), 'utf8')) as Receipt;
        assert.equal(receipt.personId, other.id);
        const check = checkReceipt(receipt);
        assert.equal(check.valid, true, check.problems.join('; '));
        const records = [
          ...receipt.disclosures.map((x) => `${x.subgraph}:${x.record.sequence}`),
          ...receipt.pending.map((x) => `${x.subgraph}:${x.sequence}`),
        ];
        listed += records.length;
        for (const r of records) proven.add(r);
      }
      assert.equal(listed, proven.size, 'no record in two files');
      assert.equal(proven.size, 520, 'the receipts cover every record the letter lists');
    } finally {
      page.removeAllListeners('download');
    }
  });

  it('names a log that does not answer instead of a letter with a gap, and shows the letter after Retry', async () => {
    await hub.stopSubgraph('municipality', { keepDatabase: true });
    try {
      await page.goto(`${base}/console/person/${person.id}/report?lang=de`);
      const alert = page.getByRole('alert').filter({ hasText: /Unvollständig/ });
      await alert.waitFor({ timeout: 60_000 });
      assert.match(await alert.innerText(), /Gemeinde|Stadt|municipality/i, 'the log that did not answer is named');
      assert.equal(await report().count(), 0, 'no letter with a gap');
    } finally {
      await hub.startSubgraphAgain('municipality');
    }
    await page.getByRole('button', { name: 'Erneut versuchen' }).click();
    await page.locator('article.report[lang="de"]').waitFor({ timeout: 60_000 });
    assert.equal(
      await page
        .getByRole('alert')
        .filter({ hasText: /Unvollständig/ })
        .count(),
      0,
    );
  });
});
