/**
 * The jobcenter's consented candidate search (issue #17), as a curious caseworker and an attacker would try it:
 * 1. a person without a basis for every category the filter uses is never matched, counted or revealed — twins
 *    that differ only in consent, the same answers whether or not such persons exist, withdrawal;
 * 2. what the log records equals what was returned, at the county and at the municipality;
 * 3. nobody else runs it: other agencies, purposes and roles, at the gateway and straight at the county, and the
 *    municipality's part (`housingMatches`) straight at the municipality;
 * 4. its paging is stable and its cursor tells nothing and cannot be forged; aliases buy nothing;
 * 5. it fails closed: with the consent registry or the municipalities not answering, no candidate and no record.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { demoPersons } from '../../seed/world.js';
import { codes, post } from '../support/graphql.js';
import { startHub, type RunningHub } from '../support/hub.js';
import { tokenFor } from '../support/tokens.js';
import { ok, recordConsent, registerPerson } from './support.js';

const SEED = 17;
const ULMSTETTEN = '08999006';
const TITLE = 'Glassblower';
const FILTER = {
  language: { language: 'de', atLeast: 'B1' },
  qualification: { kind: 'VOCATIONAL', titleContains: 'glassblow', recognitionAtLeast: 'PARTIAL' },
  livingIn: [ULMSTETTEN],
};
const CLEARING_ONLY = { language: FILTER.language, qualification: FILTER.qualification };
const SEARCH = `query($f: CandidateFilter!, $first: Int, $after: String) {
  candidateSearch(filter: $f, first: $first, after: $after) {
    candidates { person { id } languages { language level } qualifications { title recognition } livesIn { ags } }
    endCursor hasNextPage
  }
}`;
const ALL = ['CLEARING_LANGUAGE', 'CLEARING_EDUCATION', 'HOUSING'];

describe('security: the candidate search never matches, counts or reveals a person without a basis', () => {
  let hub: RunningHub;
  let jobcenter: string;
  /** Twins: the same clearing record and the same home; they differ only in consent. */
  const twin: Record<'all' | 'none' | 'clearingOnly' | 'withdrawn' | 'otherPurpose', string> = {} as never;
  let withdrawnConsent: string;

  const search = (
    filter: unknown,
    extra: Record<string, unknown> = {},
    token = jobcenter,
    purpose = 'JOB_PLACEMENT',
    url = hub.gatewayUrl,
  ) => post(url, { token, purpose, query: SEARCH, variables: { f: filter, ...extra } });
  const ids = (response: Awaited<ReturnType<typeof search>>) =>
    (response.data!.candidateSearch.candidates as { person: { id: string } }[]).map((c) => c.person.id);

  async function addTwin(name: string): Promise<string> {
    const id = await registerPerson(hub, ULMSTETTEN, name);
    await ok(
      hub.gatewayUrl,
      await tokenFor('county'),
      'CLEARING',
      `mutation($id: ID!, $input: ClearingInput!) { recordClearing(personId: $id, input: $input) { __typename } }`,
      {
        id,
        input: {
          schoolYears: 10,
          schoolDegree: 'SECONDARY',
          interests: ['crafts'],
          goals: ['vocational training'],
          clearedOn: '2026-03-01',
          languages: [
            { language: 'ar', level: 'NATIVE' },
            { language: 'de', level: 'B2' },
          ],
          qualifications: [{ title: TITLE, kind: 'VOCATIONAL', country: 'SYR', recognition: 'PARTIAL' }],
          workExperience: [],
        },
      },
    );
    await ok(
      hub.gatewayUrl,
      await tokenFor(`municipality:${ULMSTETTEN}`),
      'HOUSING_ALLOCATION',
      `mutation($id: ID!) { recordAccommodation(personId: $id, input: { type: SHARED, address: "Am Bahnhof 1", since: "2026-02-01" }) { id } }`,
      { id },
    );
    return id;
  }

  beforeAll(async () => {
    hub = await startHub({ persons: demoPersons(SEED, 0, 20), seed: SEED });
    jobcenter = await tokenFor('jobcenter', ['CASEWORKER'], 'j.search');
    for (const key of Object.keys({
      all: 0,
      none: 0,
      clearingOnly: 0,
      withdrawn: 0,
      otherPurpose: 0,
    }) as (keyof typeof twin)[]) {
      twin[key] = await addTwin(`Twin-${key}`);
    }
    await recordConsent(hub, twin.all, { categories: ALL });
    await recordConsent(hub, twin.clearingOnly, { categories: ['CLEARING_LANGUAGE', 'CLEARING_EDUCATION'] });
    withdrawnConsent = await recordConsent(hub, twin.withdrawn, { categories: ALL });
    await ok(
      hub.gatewayUrl,
      await tokenFor('county', ['CONSENT_OFFICER']),
      'CONSENT_MANAGEMENT',
      `mutation($id: ID!) { withdrawConsent(input: { id: $id, expectedVersion: 1, reason: "asked in person" }) { state } }`,
      { id: withdrawnConsent },
    );
    // Consent for another purpose than the search's does not count.
    await recordConsent(hub, twin.otherPurpose, { categories: ALL, purposes: ['LANGUAGE_SUPPORT'] });
  });
  afterAll(() => hub.stop());

  it('matches the twin whose consent covers every filtered category, and none of the others', async () => {
    const response = await search(FILTER);
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    assert.deepEqual(ids(response), [twin.all]);
    const [candidate] = response.data!.candidateSearch.candidates;
    assert.deepEqual(candidate.languages, [{ language: 'de', level: 'B2' }], 'only the skill that met the criterion');
    assert.deepEqual(candidate.qualifications, [{ title: TITLE, recognition: 'PARTIAL' }]);
    assert.deepEqual(candidate.livesIn, { ags: ULMSTETTEN });
    assert.equal(response.data!.candidateSearch.hasNextPage, false);
  });

  it('needs a basis only for the categories the filter uses: without a housing criterion the clearing-only twin is found too', async () => {
    const response = await search(CLEARING_ONLY);
    assert.deepEqual(new Set(ids(response)), new Set([twin.all, twin.clearingOnly]));
    assert.ok(!JSON.stringify(response.data).includes(ULMSTETTEN), 'no housing is answered when none was asked');
  });

  it('answers exactly the same, page by page, whether or not persons without a basis exist', async () => {
    const before = [await search(FILTER, { first: 1 }), await search(CLEARING_ONLY, { first: 1 })];
    // Ten more twins without any consent: they must change nothing the caller can see.
    for (let i = 0; i < 10; i += 1) await addTwin(`Twin-late-${'abcdefghij'[i]}`);
    const after = [await search(FILTER, { first: 1 }), await search(CLEARING_ONLY, { first: 1 })];
    for (const [i, response] of after.entries()) {
      assert.deepEqual(ids(response), ids(before[i]));
      assert.equal(response.data!.candidateSearch.hasNextPage, before[i].data!.candidateSearch.hasNextPage);
      assert.equal(typeof response.data!.candidateSearch.endCursor, typeof before[i].data!.candidateSearch.endCursor);
      assert.deepEqual(response.errors, before[i].errors);
    }
  });

  it('stops matching a person the moment a consent is withdrawn, and never matches for a consent of another purpose', async () => {
    const found = new Set(ids(await search(CLEARING_ONLY, { first: 50 })));
    assert.ok(!found.has(twin.withdrawn));
    assert.ok(!found.has(twin.otherPurpose));
    assert.ok(!found.has(twin.none));
  });

  it('records every match at the county and the municipality, exactly the persons and categories returned, and nothing of the others', async () => {
    const response = await search(FILTER);
    const requestId = response.requestId!;
    const county = await hub.subgraphs.county.db.query<
      { person_id: string; released: { field: string; category: string }[]; refused: unknown[] }[]
    >(`SELECT person_id, released, refused FROM disclosure_log WHERE request_id = $1`, [requestId]);
    assert.deepEqual(
      county.map((r) => r.person_id),
      [twin.all],
    );
    assert.deepEqual(county[0].released.map((f) => `${f.field} ${f.category}`).sort(), [
      'Candidate.languages CLEARING_LANGUAGE',
      'Candidate.qualifications CLEARING_EDUCATION',
      'CandidateFilter.language CLEARING_LANGUAGE',
      'CandidateFilter.qualification CLEARING_EDUCATION',
    ]);
    assert.deepEqual(county[0].refused, []);
    const municipality = await hub.subgraphs.municipality.db.query<
      { person_id: string; released: { field: string; category: string }[]; basis: { basis: string }[] }[]
    >(`SELECT person_id, released, basis FROM disclosure_log WHERE request_id = $1`, [requestId]);
    assert.deepEqual(
      municipality.map((r) => r.person_id),
      [twin.all],
    );
    assert.deepEqual(
      municipality[0].released.map((f) => `${f.field} ${f.category}`),
      ['CandidateFilter.livingIn HOUSING'],
    );
    assert.match(municipality[0].basis[0].basis, /^CONSENT:/);
    for (const other of [twin.none, twin.clearingOnly, twin.withdrawn, twin.otherPurpose]) {
      for (const name of ['county', 'municipality'] as const) {
        const rows = await hub.subgraphs[name].db.query(
          `SELECT 1 FROM disclosure_log WHERE request_id = $1 AND person_id = $2`,
          [requestId, other],
        );
        assert.equal(rows.length, 0, `${name} recorded nothing about ${other}`);
      }
    }
  });

  it('records only what went out: a page asked for its cursor alone records nothing, one asked for ids records the match only', async () => {
    const bare = await post(hub.gatewayUrl, {
      token: jobcenter,
      purpose: 'JOB_PLACEMENT',
      query: `query($f: CandidateFilter!) { candidateSearch(filter: $f) { hasNextPage } }`,
      variables: { f: CLEARING_ONLY },
    });
    assert.equal(bare.errors, undefined);
    const none = await hub.subgraphs.county.db.query(`SELECT 1 FROM disclosure_log WHERE request_id = $1`, [
      bare.requestId,
    ]);
    assert.equal(none.length, 0);
    const idsOnly = await post(hub.gatewayUrl, {
      token: jobcenter,
      purpose: 'JOB_PLACEMENT',
      query: `query($f: CandidateFilter!) { candidateSearch(filter: $f) { candidates { person { id } } } }`,
      variables: { f: CLEARING_ONLY },
    });
    const rows = await hub.subgraphs.county.db.query<{ person_id: string; released: { field: string }[] }[]>(
      `SELECT person_id, released FROM disclosure_log WHERE request_id = $1 ORDER BY person_id`,
      [idsOnly.requestId],
    );
    assert.deepEqual(
      rows.map((r) => r.person_id),
      [...ids(idsOnly)].sort(),
    );
    for (const row of rows)
      assert.deepEqual(row.released.map((f) => f.field).sort(), [
        'CandidateFilter.language',
        'CandidateFilter.qualification',
      ]);
  });

  it('is refused to every other agency, purpose and role, at the gateway and straight at the county, before anything runs', async () => {
    const callers: [string, string[], string][] = [
      ['jobcenter', ['CASEWORKER'], 'LANGUAGE_SUPPORT'],
      ['jobcenter', ['CASEWORKER'], 'CASE_CONFERENCE'],
      ['jobcenter', ['CONSENT_OFFICER'], 'CONSENT_MANAGEMENT'],
      ['jobcenter', ['ANALYST'], 'MONITORING'],
      ['county', ['CASEWORKER'], 'CLEARING'],
      [`municipality:${ULMSTETTEN}`, ['CASEWORKER'], 'HOUSING_ALLOCATION'],
      ['socialcare:caritas', ['CASEWORKER'], 'SOCIAL_COUNSELLING'],
    ];
    for (const [agency, roles, purpose] of callers) {
      const token = await tokenFor(agency, roles as never);
      for (const url of [hub.gatewayUrl, hub.subgraphs.county.url]) {
        const response = await search(FILTER, {}, token, purpose, url);
        assert.equal(response.status, 403, `${agency} ${purpose} at ${url}`);
        assert.deepEqual(codes(response), ['FORBIDDEN']);
        assert.ok(!response.data?.candidateSearch);
      }
    }
    // A caseworker cannot borrow JOB_PLACEMENT from another agency either.
    const county = await search(FILTER, {}, await tokenFor('county'), 'JOB_PLACEMENT');
    assert.equal(county.status, 403);
  });

  it("the municipality's part answers only the jobcenter, and never about a person without a HOUSING basis, whatever ids are sent", async () => {
    const query = `query($p: [ID!]!, $m: [String!]!) { housingMatches(personIds: $p, municipalities: $m, first: 50) { personId municipality } }`;
    const variables = { p: Object.values(twin).concat(randomUUID()), m: [ULMSTETTEN] };
    const direct = await post(hub.subgraphs.municipality.url, {
      token: jobcenter,
      purpose: 'JOB_PLACEMENT',
      query,
      variables,
    });
    assert.equal(direct.errors, undefined);
    assert.deepEqual(direct.data!.housingMatches, [{ personId: twin.all, municipality: ULMSTETTEN }]);
    for (const [agency, purpose] of [
      ['county', 'CLEARING'],
      [`municipality:${ULMSTETTEN}`, 'HOUSING_ALLOCATION'],
      ['jobcenter', 'LANGUAGE_SUPPORT'],
    ]) {
      const response = await post(hub.subgraphs.municipality.url, {
        token: await tokenFor(agency),
        purpose,
        query,
        variables,
      });
      assert.equal(response.status, 403, `${agency} ${purpose}`);
    }
    const publicGraph = await post(hub.gatewayUrl, { token: jobcenter, purpose: 'JOB_PLACEMENT', query, variables });
    assert.notEqual(publicGraph.status, 200, 'not part of the public graph');
  });

  it("the registry's part names only persons whose consents in force name the caller, its purpose and every category, and only to the jobcenter", async () => {
    const query = `query($c: [String!]!) { consentedPersons(categories: $c, after: "00000000-0000-0000-0000-000000000000", first: 1000) }`;
    const direct = await post(hub.subgraphs.consent.url, {
      token: jobcenter,
      purpose: 'JOB_PLACEMENT',
      query,
      variables: { c: ALL },
    });
    assert.equal(direct.errors, undefined, JSON.stringify(direct.errors));
    const named = new Set(direct.data!.consentedPersons as string[]);
    assert.ok(named.has(twin.all));
    for (const other of [twin.none, twin.clearingOnly, twin.withdrawn, twin.otherPurpose])
      assert.ok(!named.has(other), other);
    for (const [agency, roles, purpose] of [
      ['county', ['CASEWORKER'], 'CLEARING'],
      [`municipality:${ULMSTETTEN}`, ['CASEWORKER'], 'HOUSING_ALLOCATION'],
      ['jobcenter', ['CASEWORKER'], 'LANGUAGE_SUPPORT'],
      ['jobcenter', ['CONSENT_OFFICER'], 'CONSENT_MANAGEMENT'],
    ] as const) {
      const response = await post(hub.subgraphs.consent.url, {
        token: await tokenFor(agency, [...roles]),
        purpose,
        query,
        variables: { c: ALL },
      });
      assert.equal(response.status, 403, `${agency} ${purpose}`);
    }
    const publicGraph = await post(hub.gatewayUrl, {
      token: jobcenter,
      purpose: 'JOB_PLACEMENT',
      query,
      variables: { c: ALL },
    });
    assert.notEqual(publicGraph.status, 200, 'not part of the public graph');
  });

  it('pages in a stable order without repeats, and a forged or foreign cursor is refused without revealing anything', async () => {
    const all = ids(await search(CLEARING_ONLY, { first: 50 }));
    const paged: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 10; i += 1) {
      const page = await search(CLEARING_ONLY, { first: 1, after: cursor });
      paged.push(...ids(page));
      cursor = page.data!.candidateSearch.endCursor;
      if (!page.data!.candidateSearch.hasNextPage) break;
    }
    assert.deepEqual(paged, all);
    assert.deepEqual([...all].sort(), all, 'ordered by person id');
    assert.deepEqual(ids(await search(CLEARING_ONLY, { first: 50 })), all, 'the same query, the same answer');
    for (const forged of [Buffer.from(twin.none).toString('base64url'), twin.none, 'x', `${cursor ?? ''}A`]) {
      const response = await search(CLEARING_ONLY, { after: forged });
      assert.deepEqual(codes(response), ['BAD_USER_INPUT'], forged);
    }
  });

  it('refuses an empty filter and oversized pages, and thirty aliases each see only what one search sees', async () => {
    assert.deepEqual(codes(await search({})), ['BAD_USER_INPUT']);
    assert.deepEqual(codes(await search(FILTER, { first: 51 })), ['BAD_USER_INPUT']);
    const aliases = Array.from(
      { length: 30 },
      (_, i) => `a${i}: candidateSearch(filter: $f, first: 50) { candidates { person { id } } }`,
    ).join(' ');
    for (const url of [hub.gatewayUrl, hub.subgraphs.county.url]) {
      const response = await post(url, {
        token: jobcenter,
        purpose: 'JOB_PLACEMENT',
        query: `query($f: CandidateFilter!) { ${aliases} }`,
        variables: { f: FILTER },
      });
      assert.equal(response.errors, undefined, JSON.stringify(response.errors));
      for (const value of Object.values(response.data!)) {
        assert.deepEqual(
          (value as { candidates: { person: { id: string } }[] }).candidates.map((c) => c.person.id),
          [twin.all],
        );
      }
    }
  });

  it('fails closed when the consent registry or the municipalities do not answer: no candidates, nothing recorded', async () => {
    const cases = [
      ['municipality', FILTER, 'SUBGRAPH_UNAVAILABLE'],
      ['consent', CLEARING_ONLY, 'CONSENT_UNAVAILABLE'],
    ] as const;
    for (const [part, filter, code] of cases) {
      hub.subgraphs[part].pause();
      try {
        const response = await search(filter);
        assert.deepEqual(codes(response), [code], JSON.stringify(response.errors));
        assert.equal(response.data?.candidateSearch ?? null, null);
        const rows = await hub.subgraphs.county.db.query(`SELECT 1 FROM disclosure_log WHERE request_id = $1`, [
          response.requestId,
        ]);
        assert.equal(rows.length, 0, `${part} down: nothing released, nothing recorded`);
      } finally {
        hub.subgraphs[part].resume();
      }
    }
    assert.deepEqual(ids(await search(FILTER)), [twin.all], 'and answers again once they do');
  });
});
