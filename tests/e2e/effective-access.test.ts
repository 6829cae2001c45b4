import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { localDateOf } from '../../common/district-time.js';
import { PURPOSE_ROLE, PURPOSES_BY_AGENCY, parseAgency, type Purpose, type SubgraphName } from '../../common/domain.js';
import { loadAgencyList } from '../../common/policy/agencies.js';
import { demoPersons, type DemoPerson } from '../../seed/world.js';
import { codes, post, type GraphQLResponse } from '../support/graphql.js';
import { startHub, type RunningHub } from '../support/hub.js';
import { tokenFor } from '../support/tokens.js';

/**
 * Issue #22 through the gateway: `effectiveAccess` agrees with what the person view actually releases, for
 * every agency and purpose of the demo district, on persons with no, one, overlapping, expired, withdrawn and
 * voided consents; a voided consent allows nothing from the next request on and what it released is marked;
 * a stale version is refused with CONFLICT; an impossible consent is refused naming the field.
 */
const SEED = 7;
const persons = demoPersons(SEED, 0, 12);
const ZONE = 'Europe/Berlin';

/** Every category the graph serves about a person, each through at least one field. */
const FULL_VIEW = `query FullPersonView($id: ID!) { person(id: $id) { id givenName familyName dateOfBirth residence { status validUntil }
  clearing { languages { language level } schooling { years } qualifications { title } }
  housing { type since } housingHistory { type } childcareSchool { __typename }
  employment { status since } integrationCourse { status level } benefits { __typename }
  socialCare { caseworker { name organisation } openNeeds { field } } specialNeeds { __typename } } }`;

const CELL =
  'agency purpose category allowed basis basisCode consentId consentVersion consentValidUntil ownTaskForOwnRecords';
interface Cell {
  agency: string;
  purpose: Purpose;
  category: string;
  allowed: boolean;
  basis: string;
  basisCode: string | null;
  consentId: string | null;
  ownTaskForOwnRecords: boolean;
}
interface LogRow {
  released: { field: string; category: string }[];
  refused: { field: string; category: string }[];
  basis: { category: string; basis: string }[];
}

const DATA_SUBGRAPHS: SubgraphName[] = ['county', 'municipality', 'jobcenter', 'socialcare'];
const ALL_CATEGORIES = [
  'IDENTITY',
  'RESIDENCE',
  'CLEARING_LANGUAGE',
  'CLEARING_EDUCATION',
  'HOUSING',
  'CHILDCARE_SCHOOL',
  'EMPLOYMENT',
  'INTEGRATION_COURSE',
  'BENEFITS',
  'SOCIAL_CARE',
  'HEALTH',
];

const day = (daysAgo: number) => localDateOf(new Date(Date.now() - daysAgo * 86_400_000), ZONE);

describe('effective access through the gateway', () => {
  let hub: RunningHub;
  let officer: string;
  const scenario = {} as Record<'none' | 'one' | 'overlapping' | 'expired' | 'withdrawn' | 'voided', DemoPerson>;
  const consentOf = {} as Record<string, string>;

  const manage = (query: string, variables: Record<string, unknown>) =>
    post(hub.gatewayUrl, { token: officer, purpose: 'CONSENT_MANAGEMENT', query, variables });
  const ok = (response: GraphQLResponse) => {
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    return response.data!;
  };
  /** Broad terms: the person's municipality and welfare organisation, the jobcenter, several purposes and categories. */
  const termsFor = (p: DemoPerson, more: Record<string, unknown> = {}) => ({
    recipients: ['jobcenter', `municipality:${p.municipalityAgs}`, 'socialcare:caritas', 'county'],
    purposes: ['JOB_PLACEMENT', 'HOUSING_ALLOCATION', 'SOCIAL_COUNSELLING', 'CASE_CONFERENCE', 'CLEARING'],
    categories: [
      'CLEARING_LANGUAGE',
      'CLEARING_EDUCATION',
      'HOUSING',
      'EMPLOYMENT',
      'SOCIAL_CARE',
      'HEALTH',
      'BENEFITS',
    ],
    givenAt: new Date(Date.now() - 5 * 86_400_000).toISOString(),
    form: 'WRITTEN',
    evidenceReference: 'file 2026/22',
    noticeVersion: '2026-01',
    noticeLanguage: 'de',
    ...more,
  });
  const record = async (p: DemoPerson, more: Record<string, unknown> = {}) =>
    ok(
      await manage(`mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id overlapping { id } } }`, {
        input: { personId: p.id, ...termsFor(p, more) },
      }),
    ).recordConsent as { id: string; overlapping: { id: string }[] };

  beforeAll(async () => {
    hub = await startHub({ persons, seed: SEED, unseeded: ['consent'] });
    officer = await tokenFor('county', ['CONSENT_OFFICER'], 'a.schulz');
    const [none, one, overlapping, expired, withdrawn, voided] = persons;
    Object.assign(scenario, { none, one, overlapping, expired, withdrawn, voided });
    consentOf.one = (await record(one, { validUntil: day(-30) })).id;
    consentOf.overlapping = (await record(overlapping, { validUntil: day(-30) })).id;
    const second = await record(overlapping, {
      recipients: ['jobcenter'],
      purposes: ['JOB_PLACEMENT'],
      categories: ['CLEARING_LANGUAGE', 'INTEGRATION_COURSE'],
    });
    assert.deepEqual(
      second.overlapping.map((c) => c.id),
      [consentOf.overlapping],
      'recordConsent answers the overlap',
    );
    consentOf.expired = (await record(expired, { validUntil: day(1) })).id;
    consentOf.withdrawn = (await record(withdrawn)).id;
    ok(
      await manage(`mutation($id: ID!) { withdrawConsent(input: { id: $id, expectedVersion: 1 }) { state } }`, {
        id: consentOf.withdrawn,
      }),
    );
    consentOf.voided = (await record(voided)).id;
  });
  afterAll(() => hub.stop());

  async function effective(p: DemoPerson): Promise<Cell[]> {
    return ok(await manage(`query($id: ID!) { effectiveAccess(personId: $id) { ${CELL} } }`, { id: p.id }))
      .effectiveAccess as Cell[];
  }

  /** What each data subgraph's log says it released and refused, per category, for one gateway request. */
  async function logged(requestId: string, personId: string) {
    const released = new Map<string, Set<string>>();
    const refused = new Set<string>();
    for (const name of DATA_SUBGRAPHS) {
      const rows = await hub.subgraphs[name].db.query<LogRow[]>(
        `SELECT released, refused, basis FROM disclosure_log WHERE request_id = $1 AND person_id = $2`,
        [requestId, personId],
      );
      for (const row of rows) {
        for (const b of row.basis) {
          if (!row.released.some((f) => f.category === b.category)) continue;
          if (!released.has(b.category)) released.set(b.category, new Set());
          released.get(b.category)!.add(b.basis);
        }
        for (const f of row.refused) refused.add(f.category);
      }
    }
    return { released, refused };
  }

  /** Runs the full person view as every agency and purpose of the district and compares with the matrix. */
  async function compare(p: DemoPerson) {
    const cells = await effective(p);
    const agencies = loadAgencyList().ids;
    const tally = { compared: 0, consent: 0, refused: 0 };
    const pairs = agencies.flatMap((id) =>
      PURPOSES_BY_AGENCY[parseAgency(id)!.kind]
        .filter((purpose) => purpose !== 'MONITORING')
        .map((purpose) => ({ id, purpose })),
    );
    // Every pair the district has appears in the matrix, with every category.
    for (const { id, purpose } of pairs) {
      const row = cells.filter((c) => c.agency === id && c.purpose === purpose);
      assert.deepEqual(row.map((c) => c.category).sort(), [...ALL_CATEGORIES].sort(), `${id} ${purpose}`);
    }
    for (let i = 0; i < pairs.length; i += 4) {
      await Promise.all(
        pairs.slice(i, i + 4).map(async ({ id, purpose }) => {
          const token = await tokenFor(id, [PURPOSE_ROLE[purpose]], 'x.tester');
          const response = await post(hub.gatewayUrl, { token, purpose, query: FULL_VIEW, variables: { id: p.id } });
          assert.ok(response.requestId, 'the gateway names its request');
          const { released, refused } = await logged(response.requestId, p.id);
          for (const category of ALL_CATEGORIES) {
            const cell = cells.find((c) => c.agency === id && c.purpose === purpose && c.category === category)!;
            const where = `${p.id} ${id} ${purpose} ${category}: ${JSON.stringify(cell)}`;
            for (const basis of released.get(category) ?? []) {
              tally.compared += 1;
              if (basis === 'OWN_TASK') assert.ok(cell.basisCode === 'OWN_TASK' || cell.ownTaskForOwnRecords, where);
              else {
                assert.equal(cell.basisCode, basis, where);
                if (basis.startsWith('CONSENT:')) tally.consent += 1;
              }
            }
            if (refused.has(category)) {
              tally.compared += 1;
              tally.refused += 1;
              assert.equal(cell.allowed, false, `refused, but effectiveAccess allows: ${where}`);
            }
          }
        }),
      );
    }
    return { cells, tally };
  }

  it('agrees with the person view for a person without consents', async () => {
    const { cells, tally } = await compare(scenario.none);
    assert.ok(tally.compared > 100 && tally.refused > 20, JSON.stringify(tally));
    assert.equal(cells.filter((c) => c.basis === 'CONSENT').length, 0);
  });

  it('agrees with the person view for a person with one consent, naming it with its last day', async () => {
    const { cells, tally } = await compare(scenario.one);
    assert.ok(tally.consent > 5, JSON.stringify(tally));
    const jobcenter = cells.find(
      (c) => c.agency === 'jobcenter' && c.purpose === 'JOB_PLACEMENT' && c.category === 'CLEARING_LANGUAGE',
    )!;
    assert.equal(jobcenter.consentId, consentOf.one);
  });

  it('agrees with the person view for a person with overlapping consents, naming the one lasting longest', async () => {
    const { cells, tally } = await compare(scenario.overlapping);
    assert.ok(tally.consent > 5, JSON.stringify(tally));
    const language = cells.find(
      (c) => c.agency === 'jobcenter' && c.purpose === 'JOB_PLACEMENT' && c.category === 'CLEARING_LANGUAGE',
    )!;
    assert.equal(language.basis, 'CONSENT');
    assert.notEqual(language.consentId, consentOf.overlapping, 'the open-ended one outlasts the one ending in a month');
  });

  it('agrees with the person view for a person whose consent expired yesterday', async () => {
    const { cells, tally } = await compare(scenario.expired);
    assert.equal(tally.consent, 0);
    assert.equal(cells.filter((c) => c.basis === 'CONSENT').length, 0);
  });

  it('agrees with the person view for a person whose consent was withdrawn', async () => {
    const { cells, tally } = await compare(scenario.withdrawn);
    assert.equal(tally.consent, 0);
    assert.equal(cells.filter((c) => c.basis === 'CONSENT').length, 0);
  });

  it('voids a consent: released on before, nothing from the next request on, and the earlier release is marked', async () => {
    const before = await compare(scenario.voided);
    assert.ok(before.tally.consent > 5, JSON.stringify(before.tally));
    const voided = await manage(
      `mutation($id: ID!) { voidConsent(input: { id: $id, expectedVersion: 1, reason: "recorded for the wrong person" }) { state version } }`,
      { id: consentOf.voided },
    );
    assert.deepEqual(ok(voided).voidConsent, { state: 'VOIDED', version: 2 });
    const after = await compare(scenario.voided);
    assert.equal(after.tally.consent, 0);
    assert.equal(after.cells.filter((c) => c.basis === 'CONSENT').length, 0);

    const timeline = ok(
      await manage(
        `query($id: ID!) { disclosureTimeline(personId: $id, first: 500) { records { basis { kind consentId consentVoidedAt consentVoidReason } } } }`,
        { id: scenario.voided.id },
      ),
    ).disclosureTimeline.records as {
      basis: { kind: string; consentId: string; consentVoidedAt: string; consentVoidReason: string }[];
    }[];
    const onIt = timeline.flatMap((r) => r.basis).filter((b) => b.consentId === consentOf.voided);
    assert.ok(onIt.length > 0);
    for (const b of onIt) {
      assert.equal(b.consentVoidReason, 'recorded for the wrong person');
      assert.ok(b.consentVoidedAt);
    }
    const report = ok(
      await manage(
        `query($id: ID!) { accessReport(personId: $id) { entries { basis { consentId consentVoidedAt consentVoidReason } } document } }`,
        { id: scenario.voided.id },
      ),
    ).accessReport;
    const reported = report.entries
      .flatMap((e: { basis: { consentId: string }[] }) => e.basis)
      .filter((b: { consentId: string }) => b.consentId === consentOf.voided);
    assert.ok(
      reported.length > 0 &&
        reported.every((b: { consentVoidReason: string }) => b.consentVoidReason === 'recorded for the wrong person'),
    );
    assert.match(
      report.document,
      /later voided as recorded in error, on \d{4}-\d{2}-\d{2} \d{2}:\d{2} \(Europe\/Berlin\): recorded for the wrong person/,
    );
  });

  it('refuses a stale version through the gateway with CONFLICT, writing nothing', async () => {
    const p = scenario.none;
    const { id } = await record(p, { recipients: ['jobcenter'] });
    const terms = termsFor(p, { recipients: ['jobcenter'], purposes: ['LANGUAGE_SUPPORT'] });
    const change = () =>
      manage(
        `mutation($id: ID!, $terms: ConsentTermsInput!) { changeConsent(id: $id, expectedVersion: 1, terms: $terms) { version } }`,
        { id, terms },
      );
    const [a, b] = await Promise.all([change(), change()]);
    assert.deepEqual([a, b].map((r) => (r.errors ? codes(r).join() : 'OK')).sort(), ['CONFLICT', 'OK']);
    const stale = await change();
    assert.deepEqual(codes(stale), ['CONFLICT']);
    assert.equal(stale.errors![0].extensions!.currentVersion, 2);
    assert.deepEqual(stale.errors![0].extensions!.changedBy, { officer: 'a.schulz', agency: 'county' });
    const versions = ok(await manage(`query($id: ID!) { consent(id: $id) { version versions { version } } }`, { id }));
    assert.equal(versions.consent.versions.length, 2);
  });

  it("refuses through the gateway a consent given before the person's birth, as the county registered it", async () => {
    const p = scenario.none;
    const born = p.dateOfBirth;
    const response = await manage(`mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id } }`, {
      input: { personId: p.id, ...termsFor(p, { givenAt: `${Number(born.slice(0, 4)) - 1}-06-01T10:00:00Z` }) },
    });
    assert.deepEqual(codes(response), ['BAD_USER_INPUT']);
    assert.deepEqual(
      response.errors![0].extensions!.problems.map((x: { field: string }) => x.field),
      ['givenAt'],
    );
  });
});
