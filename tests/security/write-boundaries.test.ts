/**
 * Class 3 of the policy's misuse classes: writes that cross a boundary or widen the writer's scope. Every
 * mutation declares over whose records it writes (`common/access/operations.ts`), the one wrapper checks it
 * before the mutation runs, and every write about a person needs an id the county issued.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { OPERATIONS } from '../../common/access/operations.js';
import { SUBGRAPHS } from '../../common/domain.js';
import { today } from '../../common/scalars.js';
import { demoPersons } from '../../seed/world.js';
import { codes, post } from '../support/graphql.js';
import { startHub, type RunningHub } from '../support/hub.js';
import { tokenFor } from '../support/tokens.js';
import { counts, ok, registerPerson } from './support.js';

const SEED = 13;
const LINDENAU = '08999001';
const BIRKENFELD = '08999002';
const MOVE = `mutation($id: ID!, $since: LocalDate!) { recordAccommodation(personId: $id, input: { type: FOLLOW_UP, address: "Birkenweg 9", since: $since }) { id municipality { ags } } }`;
const ENROL = `mutation($id: ID!) { recordEnrolment(personId: $id, input: { kind: SCHOOL, institution: "Grundschule", grade: 3, since: "2026-09-14" }) { id } }`;

describe("security: no write crosses a boundary or widens its writer's scope", () => {
  let hub: RunningHub;
  let lindenau: string;
  let birkenfeld: string;
  let personId: string;

  beforeAll(async () => {
    hub = await startHub({ persons: demoPersons(SEED, 0, 10), seed: SEED });
    lindenau = await tokenFor(`municipality:${LINDENAU}`);
    birkenfeld = await tokenFor(`municipality:${BIRKENFELD}`);
    // A person the county assigned to Lindenau, who moves in there.
    personId = await registerPerson(hub, LINDENAU);
    await ok(hub.gatewayUrl, lindenau, 'HOUSING_ALLOCATION', MOVE, { id: personId, since: '2026-03-01' });
  });
  afterAll(() => hub.stop());

  const housingOf = async () =>
    hub.subgraphs.municipality.db.query<{ municipality_ags: string; until: string | null }[]>(
      `SELECT municipality_ags, until FROM accommodation WHERE person_id = $1 ORDER BY since`,
      [personId],
    );

  it("refuses a municipality's move of another municipality's resident, at the gateway and straight at the subgraph, changing nothing", async () => {
    const before = await housingOf();
    for (const url of [hub.gatewayUrl, hub.subgraphs.municipality.url]) {
      const response = await post(url, {
        token: birkenfeld,
        purpose: 'HOUSING_ALLOCATION',
        query: MOVE,
        variables: { id: personId, since: today() },
      });
      assert.deepEqual(codes(response), ['FORBIDDEN'], url);
      assert.match(response.errors![0].message, /county's assignment/);
    }
    assert.deepEqual(await housingOf(), before, "Lindenau's record is still open and still Lindenau's");
    // So Birkenfeld did not make the person its own: housing and schooling stay refused to it.
    const read = await post(hub.gatewayUrl, {
      token: birkenfeld,
      purpose: 'HOUSING_ALLOCATION',
      query: `query($id: ID!) { person(id: $id) { housing { address } childcareSchool { institution } } }`,
      variables: { id: personId },
    });
    assert.equal(read.data!.person.housing, null);
    assert.deepEqual(codes(read).sort(), ['CONSENT_REQUIRED', 'CONSENT_REQUIRED']);
  });

  it("refuses another municipality's enrolment of the resident, and the end of Lindenau's enrolment", async () => {
    const enrolled = await ok(hub.gatewayUrl, lindenau, 'SCHOOL_AND_CHILDCARE', ENROL, { id: personId });
    const foreignEnrol = await post(hub.gatewayUrl, {
      token: birkenfeld,
      purpose: 'SCHOOL_AND_CHILDCARE',
      query: ENROL,
      variables: { id: personId },
    });
    assert.deepEqual(codes(foreignEnrol), ['FORBIDDEN']);
    const end = await post(hub.gatewayUrl, {
      token: birkenfeld,
      purpose: 'SCHOOL_AND_CHILDCARE',
      query: `mutation($id: ID!) { endEnrolment(id: $id, until: "${today()}") { until } }`,
      variables: { id: enrolled.recordEnrolment.id },
    });
    assert.deepEqual(codes(end), ['NOT_FOUND'], "another municipality's enrolment is as unknown as a missing one");
    const [row] = await hub.subgraphs.municipality.db.query<{ until: string | null }[]>(
      `SELECT until FROM enrolment WHERE id = $1`,
      [enrolled.recordEnrolment.id],
    );
    assert.equal(row.until, null);
  });

  it('lets the move happen once the county assigns the person to the other municipality: a change of municipality follows the county', async () => {
    await ok(
      hub.gatewayUrl,
      await tokenFor('county'),
      'RESIDENCE_PROCEDURE',
      `mutation($id: ID!) { updateResidence(personId: $id, input: { status: RECOGNISED_REFUGEE, assignedMunicipalityAgs: "${BIRKENFELD}" }) { id } }`,
      { id: personId },
    );
    const moved = await ok(hub.gatewayUrl, birkenfeld, 'HOUSING_ALLOCATION', MOVE, { id: personId, since: today() });
    assert.equal(moved.recordAccommodation.municipality.ags, BIRKENFELD);
    const rows = await housingOf();
    assert.deepEqual(
      rows.map((r) => r.municipality_ags),
      [LINDENAU, BIRKENFELD],
    );
    assert.equal(rows[0].until, today());
  });

  it('refuses writes about a person the county never issued, at every data subgraph and the consent registry, writing nothing', async () => {
    const nobody = randomUUID();
    const tables = {
      county: ['person', 'disclosure_log'],
      municipality: ['accommodation', 'enrolment', 'disclosure_log'],
      jobcenter: ['employment_status', 'benefit', 'disclosure_log'],
      socialcare: ['assignment', 'support_need', 'case_note', 'disclosure_log'],
      consent: ['consent'],
    } as const;
    const before = Object.fromEntries(
      await Promise.all(SUBGRAPHS.map(async (n) => [n, await counts(hub, n, [...tables[n]])])),
    );
    const caritasCaseworker = (
      await hub.subgraphs.socialcare.db.query<{ id: string }[]>(
        `SELECT id FROM caseworker WHERE organisation_id = 'caritas' LIMIT 1`,
      )
    )[0].id;
    const attempts: [string, string, string, string, Record<string, unknown>][] = [
      [
        'county',
        'county',
        'RESIDENCE_PROCEDURE',
        `mutation($id: ID!) { updateResidence(personId: $id, input: { status: RECOGNISED_REFUGEE }) { id } }`,
        {},
      ],
      ['municipality', `municipality:${LINDENAU}`, 'HOUSING_ALLOCATION', MOVE, { since: today() }],
      [
        'jobcenter',
        'jobcenter',
        'JOB_PLACEMENT',
        `mutation($id: ID!) { recordEmploymentStatus(personId: $id, input: { status: SEEKING, since: "2026-01-01" }) { id } }`,
        {},
      ],
      [
        'jobcenter',
        'jobcenter',
        'JOB_PLACEMENT',
        `mutation($id: ID!) { recordBenefit(personId: $id, input: { since: "2026-01-01", householdSize: 1 }) { id } }`,
        {},
      ],
      [
        'socialcare',
        'socialcare:caritas',
        'SOCIAL_COUNSELLING',
        `mutation($id: ID!, $c: ID!) { assignCaseworker(personId: $id, caseworkerId: $c, since: "2026-01-01") { since } }`,
        { c: caritasCaseworker },
      ],
      [
        'socialcare',
        'socialcare:caritas',
        'SOCIAL_COUNSELLING',
        `mutation($id: ID!) { addCaseNote(personId: $id, text: "note") { id } }`,
        {},
      ],
    ];
    for (const [subgraph, agency, purpose, query, extra] of attempts) {
      const token = await tokenFor(agency);
      for (const url of [hub.gatewayUrl, hub.subgraphs[subgraph as 'county'].url]) {
        const response = await post(url, { token, purpose, query, variables: { id: nobody, ...extra } });
        assert.deepEqual(codes(response), ['NOT_FOUND'], `${query} at ${url}: ${JSON.stringify(response.errors)}`);
        assert.match(response.errors![0].message, /registered by the county/);
      }
    }
    const consent = await post(hub.gatewayUrl, {
      token: await tokenFor('county', ['CONSENT_OFFICER']),
      purpose: 'CONSENT_MANAGEMENT',
      query: `mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id } }`,
      variables: {
        input: {
          personId: nobody,
          recipients: ['jobcenter'],
          purposes: ['JOB_PLACEMENT'],
          categories: ['CLEARING_LANGUAGE'],
          givenAt: new Date(Date.now() - 60_000).toISOString(),
          form: 'WRITTEN',
          evidenceReference: 'x',
          noticeVersion: '1',
          noticeLanguage: 'de',
        },
      },
    });
    assert.deepEqual(codes(consent), ['NOT_FOUND']);
    const afterCounts = Object.fromEntries(
      await Promise.all(SUBGRAPHS.map(async (n) => [n, await counts(hub, n, [...tables[n]])])),
    );
    assert.deepEqual(afterCounts, before);
  });

  it("refuses a welfare organisation's writes for another organisation's client, and its closing of another's need", async () => {
    const [client] = await hub.subgraphs.socialcare.db.query<{ person_id: string }[]>(
      `SELECT person_id FROM assignment WHERE organisation_id = 'caritas' AND until IS NULL LIMIT 1`,
    );
    const [need] = await hub.subgraphs.socialcare.db.query<{ id: string }[]>(
      `SELECT id FROM support_need WHERE organisation_id = 'caritas' AND closed_on IS NULL LIMIT 1`,
    );
    const diakonie = await tokenFor('socialcare:diakonie');
    const before = await counts(hub, 'socialcare', ['assignment', 'support_need', 'special_need', 'case_note']);
    const writes = [
      `mutation($id: ID!) { openSupportNeed(personId: $id, input: { field: HOUSING, description: "x", openedOn: "2026-01-01" }) { id } }`,
      `mutation($id: ID!) { recordSpecialNeed(personId: $id, input: { kind: TRAUMA, description: "x", recordedOn: "2026-01-01" }) { id } }`,
      `mutation($id: ID!) { addCaseNote(personId: $id, text: "x") { id } }`,
    ];
    for (const query of writes) {
      const response = await post(hub.gatewayUrl, {
        token: diakonie,
        purpose: 'SOCIAL_COUNSELLING',
        query,
        variables: { id: client.person_id },
      });
      assert.deepEqual(codes(response), ['FORBIDDEN'], query);
    }
    const close = await post(hub.gatewayUrl, {
      token: diakonie,
      purpose: 'SOCIAL_COUNSELLING',
      query: `mutation($id: ID!) { closeSupportNeed(id: $id, closedOn: "${today()}") { id } }`,
      variables: { id: need.id },
    });
    assert.deepEqual(codes(close), ['NOT_FOUND']);
    assert.deepEqual(
      await counts(hub, 'socialcare', ['assignment', 'support_need', 'special_need', 'case_note']),
      before,
    );
  });

  it('refuses every mutation to an agency that does not own its records, whatever the purpose', async () => {
    // The jobcenter writing housing, a municipality writing employment, the county writing social care, ...
    const foreign: [string, string, string][] = [
      ['jobcenter', 'JOB_PLACEMENT', MOVE],
      [
        `municipality:${LINDENAU}`,
        'HOUSING_ALLOCATION',
        `mutation($id: ID!) { recordEmploymentStatus(personId: $id, input: { status: SEEKING, since: "2026-01-01" }) { id } }`,
      ],
      ['county', 'CLEARING', `mutation($id: ID!) { addCaseNote(personId: $id, text: "x") { id } }`],
      [
        'socialcare:caritas',
        'SOCIAL_COUNSELLING',
        `mutation($id: ID!, $input: ClearingInput!) { recordClearing(personId: $id, input: $input) { __typename } }`,
      ],
    ];
    for (const [agency, purpose, query] of foreign) {
      const response = await post(hub.gatewayUrl, {
        token: await tokenFor(agency),
        purpose,
        query,
        variables: { id: personId, since: today() },
      });
      assert.equal(response.status, 403, `${agency}: ${query}: ${JSON.stringify(response.errors)}`);
      assert.deepEqual(codes(response), ['FORBIDDEN']);
    }
  });

  it('declares a write scope for every mutation of every subgraph', () => {
    for (const name of SUBGRAPHS) {
      for (const [operation, rule] of Object.entries(OPERATIONS[name])) {
        if (operation.startsWith('Mutation.')) assert.ok(rule.writes, `${name} ${operation}`);
        else assert.equal(rule.writes, undefined, `${name} ${operation} is no write`);
      }
    }
  });

  it('refuses a write when the county cannot be asked, and writes nothing (fail closed)', async () => {
    const before = await counts(hub, 'jobcenter', ['employment_status', 'disclosure_log']);
    await hub.stopSubgraph('county');
    const response = await post(hub.subgraphs.jobcenter.url, {
      token: await tokenFor('jobcenter'),
      purpose: 'JOB_PLACEMENT',
      query: `mutation($id: ID!) { recordEmploymentStatus(personId: $id, input: { status: SEEKING, since: "2026-01-01" }) { id } }`,
      variables: { id: personId },
    });
    assert.deepEqual(codes(response), ['REGISTRY_UNAVAILABLE']);
    assert.deepEqual(await counts(hub, 'jobcenter', ['employment_status', 'disclosure_log']), before);
  });
});
