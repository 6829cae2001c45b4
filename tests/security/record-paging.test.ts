/**
 * One page per request (issue #23, hole 3): a person's timeline and Art. 15 report read one page of the
 * person's records at the source — each log answers `first + 1` records after the cursor, with every filter
 * (category, basis kind, the officers' own reads) applied in its SQL — never all of them. Tried as an officer
 * paging through a person with thousands of records would: every record exactly once across pages, with and
 * without filters; a filter that matches only the oldest few of 6,000 records still fills its page (the
 * registry used to sieve at most 5,000 source records and hand out a short page); each log reads one page with
 * one statement; the report's pages end at the end of a day.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { readHead, toRowDocument } from '../../common/audit/log/disclosure-log.table.js';
import { chainEntries, type DisclosureEntry } from '../../common/audit/log/record.js';
import { createDataSource } from '../../common/db/data-source.js';
import { localDateOf } from '../../common/district-time.js';
import { demoPersons } from '../../seed/world.js';
import { post } from '../support/graphql.js';
import { startHub, type RunningHub } from '../support/hub.js';
import { tokenFor } from '../support/tokens.js';

const SEED = 31;
const PERSON = randomUUID();
const OTHER = randomUUID();
const CONSENT_ID = randomUUID();
/** Jobcenter records of the person: one every 10 minutes from here, about 144 a day over 42 days. */
const START = Date.parse('2026-09-01T08:00:00Z');
const JOBCENTER_RECORDS = 6_000;
/** The oldest few also release BENEFITS on a consent: sparse matches below 5,995 newer records. */
const SPARSE = 5;
const COUNTY_RECORDS = 60;
/** Every sixth county record is a consent officer's read (purpose CONSENT_MANAGEMENT). */
const isOfficerRead = (i: number) => i % 6 === 0;

function entry(personId: string, overrides: Partial<DisclosureEntry>): DisclosureEntry {
  return {
    requestId: randomUUID(),
    agency: 'jobcenter',
    officer: 'j.meyer',
    roles: ['CASEWORKER'],
    purpose: 'JOB_PLACEMENT',
    operation: 'PersonView',
    kind: 'READ',
    personId,
    released: [{ field: 'Person.employment', category: 'EMPLOYMENT' }],
    refused: [],
    basis: [{ category: 'EMPLOYMENT', basis: 'OWN_TASK' }],
    changes: [],
    retention: null,
    policyVersion: 'paging-test',
    correlationId: null,
    ...overrides,
  };
}

/** Appends records at chosen times as the table's owner (set-up only: the process stamps its own time). */
async function appendAt(db: DataSource, rows: { entry: DisclosureEntry; at: Date }[]) {
  for (let start = 0; start < rows.length; start += 1000) {
    const chunk = rows.slice(start, start + 1000);
    let head = await readHead(db);
    const records = chunk.map(({ entry, at }) => {
      const [record] = chainEntries([entry], head, at);
      head = record;
      return record;
    });
    await db.query(
      `INSERT INTO disclosure_log SELECT r.* FROM jsonb_array_elements($1::jsonb) AS e(doc),
         LATERAL jsonb_populate_record(NULL::disclosure_log, e.doc) AS r`,
      [JSON.stringify(records.map(toRowDocument))],
    );
  }
}

type Sourced = { subgraph: string; sequence: number };
type Expected = { purpose: string; categories: string[]; basis: string[]; at: Date };
type Page<T> = { records: T[]; endCursor: string | null; hasNextPage: boolean };

describe("security: a person's timeline and Art. 15 report read one page at the source, filters included", () => {
  let hub: RunningHub;
  let officer: string;
  /** (subgraph, sequence) of every record of the person in the county's and the jobcenter's logs, with its content. */
  const expected = new Map<string, Expected>();
  const key = (r: Sourced) => `${r.subgraph}#${r.sequence}`;

  const timeline = async (first: number, after: string | null, filter: Record<string, unknown> = {}) => {
    const response = await post<{ disclosureTimeline: Page<Sourced & { purpose: string }> }>(hub.gatewayUrl, {
      token: officer,
      purpose: 'CONSENT_MANAGEMENT',
      query: `query($id: ID!, $first: Int!, $after: String, $filter: DisclosureFilter) {
        disclosureTimeline(personId: $id, first: $first, after: $after, filter: $filter) {
          records { subgraph sequence purpose } endCursor hasNextPage } }`,
      variables: { id: PERSON, first, after, filter: { subgraphs: ['county', 'jobcenter'], ...filter } },
    });
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    return response.data!.disclosureTimeline;
  };

  /** Every page of the timeline in the filter, checking each page's size against `first`. */
  const allPages = async (first: number, filter: Record<string, unknown> = {}) => {
    const pages: Page<Sourced>[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Page<Sourced> = await timeline(first, after, filter);
      pages.push(page);
      if (!page.hasNextPage) return pages;
      assert.equal(page.records.length, first, 'a page with more to come is full');
      after = page.endCursor;
    }
  };

  const exactlyOnce = (pages: Page<Sourced>[], wanted: (record: Expected) => boolean) => {
    const seen = pages.flatMap((p) => p.records.map(key));
    assert.equal(new Set(seen).size, seen.length, 'no record on two pages');
    const want = [...expected].filter(([, v]) => wanted(v)).map(([k]) => k);
    assert.deepEqual([...seen].sort(), want.sort());
  };

  beforeAll(async () => {
    hub = await startHub({ persons: demoPersons(SEED, 0, 4), seed: SEED });
    officer = await tokenFor('county', ['CONSENT_OFFICER'], 'a.schulz');
    const admin = async (name: 'county' | 'jobcenter') =>
      createDataSource({ url: hub.subgraphs[name].adminUrl, entities: [] }).initialize();
    const jobcenter = await admin('jobcenter');
    const county = await admin('county');
    try {
      const jobcenterHead = (await readHead(jobcenter)).sequence;
      const rows: { entry: DisclosureEntry; at: Date }[] = [];
      for (let i = 0; i < JOBCENTER_RECORDS; i++) {
        const sparse = i < SPARSE;
        rows.push({
          at: new Date(START + i * 600_000),
          entry: entry(PERSON, {
            released: [
              { field: 'Person.employment', category: 'EMPLOYMENT' },
              ...(sparse ? [{ field: 'Person.benefits', category: 'BENEFITS' }] : []),
            ],
            basis: [
              { category: 'EMPLOYMENT', basis: 'OWN_TASK' },
              ...(sparse ? [{ category: 'BENEFITS', basis: `CONSENT:${CONSENT_ID}@1` }] : []),
            ],
          }),
        });
        // Another person's records between them: never on this person's pages.
        if (i % 50 === 0) rows.push({ at: new Date(START + i * 600_000), entry: entry(OTHER, {}) });
      }
      await appendAt(jobcenter, rows);
      let sequence = jobcenterHead;
      for (const row of rows) {
        sequence += 1;
        if (row.entry.personId !== PERSON) continue;
        expected.set(`jobcenter#${sequence}`, {
          purpose: row.entry.purpose,
          categories: row.entry.released.map((f) => f.category),
          basis: row.entry.basis.map((b) => b.basis),
          at: row.at,
        });
      }
      const countyHead = (await readHead(county)).sequence;
      const countyRows = Array.from({ length: COUNTY_RECORDS }, (_, i) => ({
        // Some at the very same instants as jobcenter records: the cursor orders them by subgraph, then sequence.
        at: new Date(START + i * 100 * 600_000),
        entry: entry(PERSON, {
          agency: 'county',
          officer: isOfficerRead(i) ? 'a.schulz' : 'k.officer',
          roles: [isOfficerRead(i) ? 'CONSENT_OFFICER' : 'CASEWORKER'],
          purpose: isOfficerRead(i) ? 'CONSENT_MANAGEMENT' : 'CLEARING',
          released: [{ field: 'Person.givenName', category: 'IDENTITY' }],
          refused: isOfficerRead(i)
            ? []
            : [{ field: 'Person.integrationCourse', category: 'INTEGRATION_COURSE', reason: 'CONSENT_REQUIRED' }],
          basis: [{ category: 'IDENTITY', basis: 'STATUTE:aufenthg-86' }],
        }),
      }));
      await appendAt(county, countyRows);
      countyRows.forEach((row, i) =>
        expected.set(`county#${countyHead + i + 1}`, {
          purpose: row.entry.purpose,
          categories: [...row.entry.released, ...row.entry.refused].map((f) => f.category),
          basis: row.entry.basis.map((b) => b.basis),
          at: row.at,
        }),
      );
    } finally {
      await jobcenter.destroy();
      await county.destroy();
    }
  }, 120_000);
  afterAll(() => hub.stop());

  it('pages through every record of the person exactly once, at several page sizes', async () => {
    for (const first of [500, 137]) exactlyOnce(await allPages(first), () => true);
  }, 120_000);

  it('fills a page from sparse matches far below the newest records (category, basis kind)', async () => {
    for (const filter of [{ category: 'BENEFITS' }, { basis: 'CONSENT' }]) {
      const page = await timeline(3, null, filter);
      assert.equal(page.records.length, 3, `${JSON.stringify(filter)}: full, though 5,995 newer records do not match`);
      assert.equal(page.hasNextPage, true);
      const rest = await timeline(3, page.endCursor, filter);
      assert.equal(rest.records.length, SPARSE - 3);
      assert.equal(rest.hasNextPage, false);
    }
    exactlyOnce(await allPages(4, { category: 'BENEFITS' }), (v) => v.categories.includes('BENEFITS'));
    exactlyOnce(await allPages(2, { basis: 'CONSENT' }), (v) => v.basis.some((b) => b.startsWith('CONSENT:')));
    exactlyOnce(await allPages(25, { basis: 'STATUTE' }), (v) => v.basis.some((b) => b.startsWith('STATUTE:')));
  }, 120_000);

  it("leaves the officers' own reads out at the source, page after page", async () => {
    const pages = await allPages(11, { officerReads: false, category: 'IDENTITY' });
    exactlyOnce(pages, (v) => v.categories.includes('IDENTITY') && v.purpose !== 'CONSENT_MANAGEMENT');
    const all = await allPages(11, { category: 'IDENTITY' });
    exactlyOnce(all, (v) => v.categories.includes('IDENTITY'));
    assert.equal(
      all.flatMap((p) => p.records).length - pages.flatMap((p) => p.records).length,
      COUNTY_RECORDS / 6,
      "the officers' reads are the difference",
    );
  }, 120_000);

  it('reads one page with one statement per log, however sparse the filter', async () => {
    const statements = () => hub.subgraphs.jobcenter.statements.count;
    const before = statements();
    const page = await timeline(3, null, { category: 'BENEFITS' });
    assert.equal(page.records.length, 3);
    assert.equal(statements() - before, 1, 'the jobcenter answered the page with one query');
  });

  it("answers a log's filters at the source: /audit/records honours limit with category and basis", async () => {
    const url = new URL('/audit/records', hub.subgraphs.jobcenter.url).toString();
    const ask = async (body: Record<string, unknown>) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${officer}`,
          'x-purpose': 'CONSENT_MANAGEMENT',
        },
        body: JSON.stringify({ personId: PERSON, ...body }),
      });
      return { status: response.status, body: (await response.json()) as { records?: { sequence: number }[] } };
    };
    const sparse = await ask({ category: 'BENEFITS', limit: 4 });
    assert.equal(sparse.status, 200);
    assert.equal(sparse.body.records!.length, 4);
    const consent = await ask({ basis: 'CONSENT', limit: 10 });
    assert.equal(consent.body.records!.length, SPARSE);
    const own = await ask({ basis: 'OWN_TASK', category: 'BENEFITS', limit: 10 });
    assert.equal(own.body.records!.length, SPARSE, 'the sparse records also release EMPLOYMENT on own task');
    for (const bad of [{ category: 'NOT_A_CATEGORY' }, { basis: 'MAYBE' }, { officerReads: 'no' }]) {
      const answer = await ask({ ...bad, limit: 10 });
      assert.equal(answer.status, 400, JSON.stringify(bad));
    }
  });

  it("pages the Art. 15 report: every released record counted once, a page's days whole unless one day fills it", async () => {
    type Entry = { date: string; holder: string; recipient: string; purpose: string; requests: number };
    type Report = Page<never> & { entries: Entry[]; document: string };
    const report = async (first: number, after: string | null) => {
      const response = await post<{ accessReport: Report }>(hub.gatewayUrl, {
        token: officer,
        purpose: 'CONSENT_MANAGEMENT',
        query: `query($id: ID!, $first: Int!, $after: String) { accessReport(personId: $id, first: $first, after: $after) {
          entries { date holder recipient purpose requests } document endCursor hasNextPage } }`,
        variables: { id: PERSON, first, after },
      });
      assert.equal(response.errors, undefined, JSON.stringify(response.errors));
      return response.data!.accessReport;
    };
    const released = expected.size; // every record of the person released something
    const perDay = new Map<string, number>();
    for (const v of expected.values()) {
      const day = localDateOf(v.at, 'Europe/Berlin');
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
    }
    for (const first of [500, 100]) {
      let after: string | null = null;
      let total = 0;
      let pages = 0;
      const daysSeen = new Map<string, number>();
      for (;;) {
        const page: Report = await report(first, after);
        pages += 1;
        const onPage = page.entries.reduce((n, e) => n + e.requests, 0);
        assert.ok(onPage <= first, `page ${pages} covers ${onPage} records, at most ${first}`);
        total += onPage;
        for (const day of new Set(page.entries.map((e) => e.date))) daysSeen.set(day, (daysSeen.get(day) ?? 0) + 1);
        assert.match(page.document, /This is one part of the report/);
        if (!page.hasNextPage) break;
        after = page.endCursor;
      }
      assert.equal(total, released, `first: ${first}: every released record counted once`);
      for (const [day, count] of daysSeen) {
        // A day on two pages only when it alone holds more records than a page.
        if (count > 1) assert.ok(perDay.get(day)! > first, `${day} split over ${count} pages with first ${first}`);
      }
      if (first === 500)
        assert.ok(
          [...daysSeen.values()].every((c) => c === 1),
          'with 500 a page, every day whole',
        );
      else
        assert.ok(
          [...daysSeen.values()].some((c) => c > 1),
          'with 100 a page, a day of 144 records is split',
        );
    }
  }, 120_000);

  it('refuses a report page size outside 1 to 500', async () => {
    const report = (first: number) =>
      post<{ accessReport: { hasNextPage: boolean } }>(hub.gatewayUrl, {
        token: officer,
        purpose: 'CONSENT_MANAGEMENT',
        query: `query($id: ID!, $first: Int!) { accessReport(personId: $id, first: $first) { hasNextPage } }`,
        variables: { id: PERSON, first },
      });
    for (const first of [0, 501, -1]) {
      const response = await report(first);
      assert.equal(response.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', String(first));
      // The problem names the argument and its bounds, through the gateway as the registry said it.
      assert.deepEqual(
        response.errors?.[0]?.extensions?.problems,
        [{ field: 'first', message: 'must be from 1 to 500' }],
        String(first),
      );
      assert.equal(response.data ?? null, null, `no report with first ${first}`);
    }
    // Both bounds are allowed.
    for (const first of [1, 500]) {
      const response = await report(first);
      assert.equal(response.errors, undefined, `first ${first}: ${JSON.stringify(response.errors)}`);
      assert.equal(typeof response.data?.accessReport.hasNextPage, 'boolean');
    }
  });
});
