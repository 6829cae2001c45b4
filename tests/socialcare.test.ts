import 'reflect-metadata';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, it } from '@jest/globals';
import type { Category, Purpose } from '../common/domain.js';
import { ACCESS_REQUEST, PURPOSE_ROLE, PURPOSES_BY_AGENCY } from '../common/domain.js';
import type { ConsentGrant } from '../common/policy/policy.js';
import { demoPersons, type DemoPerson } from '../seed/world.js';
import { demoCaseworkers } from '../subgraphs/socialcare/seed.js';
import { socialcareSubgraph } from '../subgraphs/socialcare/socialcare.subgraph.js';
import { codes, post, type GraphQLResponse } from './support/graphql.js';
import { startSubgraph, type RunningSubgraph } from './support/subgraph.js';
import { tokenFor } from './support/tokens.js';

const SEED = 11;
const persons = demoPersons(SEED, 0, 300);
const counselled = persons.filter((p) => p.organisationId !== null);
const COUNSELLING = 'SOCIAL_COUNSELLING';

const CASE_QUERY = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id
  socialCare { since caseworker { name organisation } organisation { id name } openNeeds { field description } }
  specialNeeds { kind description } } } }`;

function grant(
  personId: string,
  categories: Category[],
  recipient = 'jobcenter',
  purpose: Purpose = 'JOB_PLACEMENT',
): ConsentGrant {
  return {
    id: randomUUID(),
    version: 1,
    personId,
    recipients: [recipient],
    purposes: [purpose],
    categories,
    validFrom: '2026-01-01',
    validUntil: null,
    withdrawnAt: null,
    voidedAt: null,
  };
}

describe('socialcare subgraph', () => {
  let socialcare: RunningSubgraph;
  let grants: ConsentGrant[] = [];
  let caritas: string;
  let diakonie: string;
  let jobcenter: string;
  /** A caritas client with a special need and at least one open support need. */
  let client: DemoPerson;

  const OTHERS_SPECIAL_NEEDS = 'Person.specialNeeds[other organisations]';
  const fetchCase = (token: string, purpose: string, ids: string[]) =>
    post(socialcare.url, {
      token,
      purpose,
      query: CASE_QUERY,
      variables: { r: ids.map((id) => ({ __typename: 'Person', id })) },
    });
  const rowCounts = async () =>
    (
      await socialcare.db
        .query(`SELECT (SELECT count(*) FROM assignment)::int AS a, (SELECT count(*) FROM assignment WHERE until IS NULL)::int AS open,
      (SELECT count(*) FROM support_need)::int AS n, (SELECT count(*) FROM support_need WHERE closed_on IS NULL)::int AS "openNeeds",
      (SELECT count(*) FROM special_need)::int AS s, (SELECT count(*) FROM case_note)::int AS c`)
    )[0];
  const problemFields = (response: GraphQLResponse) =>
    (response.errors?.[0]?.extensions?.problems ?? []).map((p: { field: string }) => p.field).sort();

  beforeAll(async () => {
    socialcare = await startSubgraph(socialcareSubgraph, {
      seed: { persons, seed: SEED },
      consentLookup: async (_caller, _authorization, ids) => grants.filter((g) => ids.includes(g.personId)),
    });
    [caritas, diakonie, jobcenter] = await Promise.all([
      tokenFor('socialcare:caritas'),
      tokenFor('socialcare:diakonie'),
      tokenFor('jobcenter'),
    ]);
    const rows: { person_id: string }[] = await socialcare.db.query(
      `SELECT a.person_id FROM assignment a WHERE a.organisation_id = 'caritas' AND a.until IS NULL
         AND EXISTS (SELECT 1 FROM special_need s WHERE s.person_id = a.person_id)
         AND EXISTS (SELECT 1 FROM support_need n WHERE n.person_id = a.person_id AND n.closed_on IS NULL)
       ORDER BY a.person_id LIMIT 1`,
    );
    assert.equal(rows.length, 1, 'the seed must hold a caritas client with special and open support needs');
    client = persons.find((p) => p.id === rows[0].person_id)!;
  });
  beforeEach(() => {
    grants = [];
  });
  afterAll(() => socialcare.stop());

  it('seeds deterministically: every counselled person has one open assignment with a caseworker of its organisation', async () => {
    const rows: { person_id: string; organisation_id: string; caseworker_org: string; since: string }[] =
      await socialcare.db.query(
        `SELECT a.person_id, a.organisation_id, c.organisation_id AS caseworker_org, a.since FROM assignment a JOIN caseworker c ON c.id = a.caseworker_id WHERE a.until IS NULL`,
      );
    assert.equal(rows.length, counselled.length);
    for (const row of rows) {
      const person = persons.find((p) => p.id === row.person_id)!;
      assert.equal(row.organisation_id, person.organisationId);
      assert.equal(row.caseworker_org, person.organisationId);
      assert.ok(row.since >= person.arrivalDate);
    }
    const caseworkers: { id: string }[] = await socialcare.db.query(
      `SELECT id FROM caseworker WHERE organisation_id = 'caritas' ORDER BY id`,
    );
    assert.deepEqual(
      caseworkers.map((c) => c.id),
      demoCaseworkers('caritas')
        .map((c) => c.id)
        .sort(),
    );
    assert.ok(caseworkers.length >= 3 && caseworkers.length <= 5);
  });

  it("shows a welfare organisation its own client's social care and special needs", async () => {
    const response = await fetchCase(caritas, COUNSELLING, [client.id]);
    // Own task covers the organisation's own records only; other organisations' are withheld, and that is said.
    assert.deepEqual(
      response.errors!.map((e) => [e.extensions!.code, e.extensions!.field]),
      [['CONSENT_REQUIRED', OTHERS_SPECIAL_NEEDS]],
    );
    const person = response.data!._entities[0];
    const [expected] = await socialcare.db.query(
      `SELECT c.name, a.since FROM assignment a JOIN caseworker c ON c.id = a.caseworker_id WHERE a.person_id = $1 AND a.until IS NULL`,
      [client.id],
    );
    assert.equal(person.socialCare.caseworker.name, expected.name);
    assert.equal(person.socialCare.caseworker.organisation, 'Caritasverband Lindenau');
    assert.deepEqual(person.socialCare.organisation, { id: 'caritas', name: 'Caritasverband Lindenau' });
    assert.equal(person.socialCare.since, expected.since);
    const open = await socialcare.db.query(
      `SELECT field FROM support_need WHERE person_id = $1 AND closed_on IS NULL ORDER BY opened_on, id`,
      [client.id],
    );
    assert.deepEqual(
      person.socialCare.openNeeds.map((n: { field: string }) => n.field),
      open.map((n: { field: string }) => n.field),
    );
    const special = await socialcare.db.query(
      `SELECT kind FROM special_need WHERE person_id = $1 AND organisation_id = 'caritas'`,
      [client.id],
    );
    assert.ok(special.length > 0);
    assert.deepEqual(
      person.specialNeeds.map((n: { kind: string }) => n.kind).sort(),
      special.map((n: { kind: string }) => n.kind).sort(),
    );
  });

  it("refuses another organisation's client with CONSENT_REQUIRED naming category, field and person", async () => {
    const response = await fetchCase(diakonie, COUNSELLING, [client.id]);
    const person = response.data!._entities[0];
    assert.equal(person.socialCare, null);
    assert.equal(person.specialNeeds, null);
    assert.deepEqual(codes(response), ['CONSENT_REQUIRED', 'CONSENT_REQUIRED']);
    const byField = Object.fromEntries(response.errors!.map((e) => [e.extensions!.field, e.extensions]));
    assert.deepEqual(
      { category: byField['Person.socialCare']!.category, personId: byField['Person.socialCare']!.personId },
      { category: 'SOCIAL_CARE', personId: client.id },
    );
    assert.deepEqual(
      { category: byField['Person.specialNeeds']!.category, personId: byField['Person.specialNeeds']!.personId },
      { category: 'HEALTH', personId: client.id },
    );
  });

  it('releases SOCIAL_CARE to the jobcenter on consent, and HEALTH only on an explicit HEALTH consent', async () => {
    grants = [grant(client.id, ['SOCIAL_CARE'])];
    const socialOnly = await fetchCase(jobcenter, 'JOB_PLACEMENT', [client.id]);
    const person = socialOnly.data!._entities[0];
    assert.equal(person.socialCare.caseworker.organisation, 'Caritasverband Lindenau');
    assert.equal(person.specialNeeds, null);
    // Support needs in the field of action HEALTH are HEALTH data: left out of openNeeds, the refusal reported.
    assert.ok(!person.socialCare.openNeeds.some((n: { field: string }) => n.field === 'HEALTH'));
    assert.deepEqual(codes(socialOnly), ['CONSENT_REQUIRED', 'CONSENT_REQUIRED']);
    assert.deepEqual(
      socialOnly.errors!.map((e) => e.extensions!.category),
      ['HEALTH', 'HEALTH'],
    );

    grants = [grant(client.id, ['SOCIAL_CARE', 'HEALTH'])];
    const both = await fetchCase(jobcenter, 'JOB_PLACEMENT', [client.id]);
    assert.equal(both.errors, undefined);
    assert.ok(both.data!._entities[0].specialNeeds.length > 0);

    // A consent for another purpose covers nothing.
    grants = [grant(client.id, ['SOCIAL_CARE', 'HEALTH'], 'jobcenter', 'LANGUAGE_SUPPORT')];
    const otherPurpose = await fetchCase(jobcenter, 'JOB_PLACEMENT', [client.id]);
    assert.deepEqual(codes(otherPurpose), ['CONSENT_REQUIRED', 'CONSENT_REQUIRED']);
  });

  it('never releases HEALTH by statute: the county is refused for every purpose without consent', async () => {
    const county = await tokenFor('county');
    // The access request's copy (Art. 15 (3)) is a statute of the consent officer's: it never names HEALTH either.
    const officer = await tokenFor('county', ['CONSENT_OFFICER']);
    for (const purpose of PURPOSES_BY_AGENCY.county.filter((p) => p !== 'MONITORING' && p !== 'CONSENT_MANAGEMENT')) {
      const response = await fetchCase(PURPOSE_ROLE[purpose] === 'CONSENT_OFFICER' ? officer : county, purpose, [
        client.id,
      ]);
      assert.equal(response.data!._entities[0].specialNeeds, null, purpose);
      const health = response.errors!.filter((e) => e.extensions!.category === 'HEALTH');
      if (purpose === ACCESS_REQUEST) {
        // No consent can name the access request, so HEALTH is simply forbidden under it.
        assert.ok(health.length > 0 && health.every((e) => e.extensions!.code === 'FORBIDDEN'), purpose);
        continue;
      }
      assert.deepEqual(
        health.map((e) => e.extensions!.code),
        ['CONSENT_REQUIRED'],
        purpose,
      );
    }
  });

  it('keeps case notes inside the organisation: others are FORBIDDEN, an organisation sees only its own', async () => {
    const query = `query($id: ID!) { caseNotes(personId: $id) { personId author text } }`;
    await socialcare.db.query(
      `INSERT INTO case_note (person_id, organisation_id, author, text) VALUES ($1, 'diakonie', 'd.officer', 'diakonie note')`,
      [client.id],
    );
    for (const [agency, purpose] of [
      ['jobcenter', 'JOB_PLACEMENT'],
      ['county', 'CLEARING'],
      ['municipality:08999001', 'HOUSING_ALLOCATION'],
    ] as const) {
      const response = await post(socialcare.url, {
        token: await tokenFor(agency),
        purpose,
        query,
        variables: { id: client.id },
      });
      assert.deepEqual(codes(response), ['FORBIDDEN'], agency);
      assert.equal(response.data ?? null, null);
    }
    // An analyst cannot state a caseworker's purpose at all.
    const analyst = await post(socialcare.url, {
      token: await tokenFor('socialcare:caritas', ['ANALYST']),
      purpose: COUNSELLING,
      query,
      variables: { id: client.id },
    });
    assert.deepEqual(codes(analyst), ['FORBIDDEN_PURPOSE']);

    const own = await post(socialcare.url, {
      token: caritas,
      purpose: COUNSELLING,
      query,
      variables: { id: client.id },
    });
    assert.equal(own.errors, undefined);
    const expected: { text: string }[] = await socialcare.db.query(
      `SELECT text FROM case_note WHERE person_id = $1 AND organisation_id = 'caritas' ORDER BY created_at, id`,
      [client.id],
    );
    assert.deepEqual(
      own.data!.caseNotes.map((n: { text: string }) => n.text),
      expected.map((n) => n.text),
    );
    assert.ok(!own.data!.caseNotes.some((n: { text: string }) => n.text === 'diakonie note'));
    const other = await post(socialcare.url, {
      token: diakonie,
      purpose: COUNSELLING,
      query,
      variables: { id: client.id },
    });
    assert.deepEqual(
      other.data!.caseNotes.map((n: { text: string }) => n.text),
      ['diakonie note'],
    );
    // Case notes are no field of Person, so no consent can ever release them through the graph.
    const personType = /type Person[^{]*\{([^}]*)\}/.exec(socialcare.sdl)![1];
    assert.doesNotMatch(personType, /caseNotes|note/i);
  });

  it("lists the organisation's current clients, validates paging, and refuses other agencies", async () => {
    const query = `query($first: Int, $offset: Int) { clients(first: $first, offset: $offset) { id socialCare { organisation { id } } } }`;
    const response = await post(socialcare.url, {
      token: caritas,
      purpose: COUNSELLING,
      query,
      variables: { first: 500 },
    });
    assert.equal(response.errors, undefined);
    const open: { person_id: string }[] = await socialcare.db.query(
      `SELECT person_id FROM assignment WHERE organisation_id = 'caritas' AND until IS NULL`,
    );
    assert.deepEqual(
      response.data!.clients.map((c: { id: string }) => c.id).sort(),
      open.map((r) => r.person_id).sort(),
    );
    assert.ok(
      response.data!.clients.every(
        (c: { socialCare: { organisation: { id: string } } }) => c.socialCare.organisation.id === 'caritas',
      ),
    );
    const bad = await post(socialcare.url, { token: caritas, purpose: COUNSELLING, query, variables: { first: 0 } });
    assert.deepEqual(codes(bad), ['BAD_USER_INPUT']);
    assert.deepEqual(problemFields(bad), ['first']);
    const negative = await post(socialcare.url, {
      token: caritas,
      purpose: COUNSELLING,
      query,
      variables: { offset: -1 },
    });
    assert.deepEqual(problemFields(negative), ['offset']);
    const foreign = await post(socialcare.url, { token: jobcenter, purpose: 'JOB_PLACEMENT', query });
    assert.deepEqual(codes(foreign), ['FORBIDDEN']);
  });

  it('writes a new case: assignment, reassignment, needs, special need and note', async () => {
    const personId = randomUUID();
    const [first, second] = demoCaseworkers('caritas');
    const assign = (caseworkerId: string, since: string) =>
      post(socialcare.url, {
        token: caritas,
        purpose: COUNSELLING,
        query: `mutation($p: ID!, $c: ID!, $s: LocalDate!) { assignCaseworker(personId: $p, caseworkerId: $c, since: $s) { since caseworker { name } } }`,
        variables: { p: personId, c: caseworkerId, s: since },
      });
    const assigned = await assign(first.id, '2026-03-01');
    assert.equal(assigned.errors, undefined);
    assert.equal(assigned.data!.assignCaseworker.caseworker.name, first.name);
    const reassigned = await assign(second.id, '2026-06-01');
    assert.equal(reassigned.errors, undefined);
    const rows = await socialcare.db.query(
      `SELECT caseworker_id, since, until FROM assignment WHERE person_id = $1 ORDER BY since`,
      [personId],
    );
    assert.deepEqual(rows, [
      { caseworker_id: first.id, since: '2026-03-01', until: '2026-06-01' },
      { caseworker_id: second.id, since: '2026-06-01', until: null },
    ]);

    const opened = await post(socialcare.url, {
      token: caritas,
      purpose: COUNSELLING,
      query: `mutation($p: ID!) { openSupportNeed(personId: $p, input: { field: HOUSING, description: "Own flat", openedOn: "2026-06-02" }) { id field closedOn } }`,
      variables: { p: personId },
    });
    assert.equal(opened.errors, undefined);
    const closed = await post(socialcare.url, {
      token: caritas,
      purpose: COUNSELLING,
      query: `mutation($id: ID!) { closeSupportNeed(id: $id, closedOn: "2026-07-01") { closedOn } }`,
      variables: { id: opened.data!.openSupportNeed.id },
    });
    assert.equal(closed.data!.closeSupportNeed.closedOn, '2026-07-01');
    const again = await post(socialcare.url, {
      token: caritas,
      purpose: COUNSELLING,
      query: `mutation($id: ID!) { closeSupportNeed(id: $id, closedOn: "2026-07-02") { closedOn } }`,
      variables: { id: opened.data!.openSupportNeed.id },
    });
    assert.deepEqual(codes(again), ['BAD_USER_INPUT']);
    const special = await post(socialcare.url, {
      token: caritas,
      purpose: COUNSELLING,
      query: `mutation($p: ID!) { recordSpecialNeed(personId: $p, input: { kind: PREGNANCY, description: "Midwife found", recordedOn: "2026-06-03" }) { kind } }`,
      variables: { p: personId },
    });
    assert.equal(special.data!.recordSpecialNeed.kind, 'PREGNANCY');
    const note = await post(socialcare.url, {
      token: caritas,
      purpose: COUNSELLING,
      query: `mutation($p: ID!) { addCaseNote(personId: $p, text: "  First talk.  ") { text author } }`,
      variables: { p: personId },
    });
    assert.deepEqual(note.data!.addCaseNote, { text: 'First talk.', author: 'test.officer' });

    const read = await fetchCase(caritas, COUNSELLING, [personId]);
    assert.deepEqual(
      codes(read),
      ['CONSENT_REQUIRED'],
      "only the notice that other organisations' special needs are withheld",
    );
    const person = read.data!._entities[0];
    assert.equal(person.socialCare.caseworker.name, second.name);
    assert.deepEqual(person.socialCare.openNeeds, []);
    assert.deepEqual(person.specialNeeds, [{ kind: 'PREGNANCY', description: 'Midwife found' }]);
  });

  it('refuses invalid input with a problem per field and writes nothing', async () => {
    const beforeRows = await rowCounts();
    const mutate = (query: string, variables: Record<string, unknown> = {}) =>
      post(socialcare.url, { token: caritas, purpose: COUNSELLING, query, variables: { p: client.id, ...variables } });

    const need = await mutate(
      `mutation($p: ID!) { openSupportNeed(personId: $p, input: { field: WORK_AND_TRAINING, description: "", openedOn: "2099-01-01" }) { id } }`,
    );
    assert.deepEqual(codes(need), ['BAD_USER_INPUT']);
    assert.deepEqual(problemFields(need), ['description', 'openedOn']);

    const special = await mutate(
      `mutation($p: ID!, $d: String!) { recordSpecialNeed(personId: $p, input: { kind: TRAUMA, description: $d, recordedOn: "2099-01-01" }) { id } }`,
      { d: 'x'.repeat(2001) },
    );
    assert.deepEqual(codes(special), ['BAD_USER_INPUT']);
    assert.deepEqual(problemFields(special), ['description', 'recordedOn']);

    for (const text of ['   ', 'x'.repeat(4001)]) {
      const note = await mutate(`mutation($p: ID!, $t: String!) { addCaseNote(personId: $p, text: $t) { id } }`, {
        t: text,
      });
      assert.deepEqual(problemFields(note), ['text']);
    }

    const [openNeed] = await socialcare.db.query(
      `SELECT id, opened_on FROM support_need WHERE person_id = $1 AND closed_on IS NULL LIMIT 1`,
      [client.id],
    );
    const early = await mutate(`mutation($id: ID!) { closeSupportNeed(id: $id, closedOn: "2000-01-01") { id } }`, {
      id: openNeed.id,
    });
    assert.deepEqual(problemFields(early), ['closedOn']);

    const wrongWorker = await mutate(
      `mutation($p: ID!, $c: ID!) { assignCaseworker(personId: $p, caseworkerId: $c, since: "2026-11-02") { since } }`,
      { c: demoCaseworkers('diakonie')[0].id },
    );
    assert.deepEqual(problemFields(wrongWorker), ['caseworkerId']);
    const badIds = await mutate(
      `mutation { assignCaseworker(personId: "nope", caseworkerId: "x", since: "2026-11-02") { since } }`,
    );
    assert.deepEqual(codes(badIds), ['BAD_USER_INPUT']);

    assert.deepEqual(await rowCounts(), beforeRows);
  });

  it("lets an organisation write nothing for another organisation's client, and no other agency write at all", async () => {
    const beforeRows = await rowCounts();
    const [openNeed] = await socialcare.db.query(
      `SELECT id FROM support_need WHERE person_id = $1 AND closed_on IS NULL LIMIT 1`,
      [client.id],
    );
    const writes = [
      [`mutation($p: ID!) { addCaseNote(personId: $p, text: "mine now") { id } }`, 'FORBIDDEN'],
      [
        `mutation($p: ID!) { openSupportNeed(personId: $p, input: { field: HOUSING, description: "x", openedOn: "2026-01-01" }) { id } }`,
        'FORBIDDEN',
      ],
      [
        `mutation($p: ID!) { recordSpecialNeed(personId: $p, input: { kind: TRAUMA, description: "x", recordedOn: "2026-01-01" }) { id } }`,
        'FORBIDDEN',
      ],
      [
        `mutation($p: ID!) { assignCaseworker(personId: $p, caseworkerId: "${demoCaseworkers('diakonie')[0].id}", since: "2026-11-02") { since } }`,
        'FORBIDDEN',
      ],
      [`mutation($n: ID!) { closeSupportNeed(id: $n, closedOn: "2026-11-02") { id } }`, 'NOT_FOUND'],
    ] as const;
    for (const [query, code] of writes) {
      const response = await post(socialcare.url, {
        token: diakonie,
        purpose: COUNSELLING,
        query,
        variables: { p: client.id, n: openNeed.id },
      });
      assert.deepEqual(codes(response), [code], query);
    }
    const jc = await post(socialcare.url, {
      token: jobcenter,
      purpose: 'JOB_PLACEMENT',
      query: writes[0][0],
      variables: { p: client.id },
    });
    assert.deepEqual(codes(jc), ['FORBIDDEN']);
    grants = [grant(client.id, ['SOCIAL_CARE', 'HEALTH'], 'socialcare:diakonie', 'SOCIAL_COUNSELLING')];
    const withConsent = await post(socialcare.url, {
      token: diakonie,
      purpose: COUNSELLING,
      query: writes[0][0],
      variables: { p: client.id },
    });
    assert.deepEqual(codes(withConsent), ['FORBIDDEN'], 'consent never grants a write');
    assert.deepEqual(await rowCounts(), beforeRows);
  });

  it('answers an entity fetch of N persons with the same number of statements for N = 1, 10, 100', async () => {
    assert.ok(counselled.length >= 100);
    grants = counselled.slice(0, 100).map((p) => grant(p.id, ['SOCIAL_CARE', 'HEALTH']));
    const counts: number[] = [];
    // The first fetch warms the log: a process's first append (and its first after another writer's, here a
    // mutation's) reads the chain's head under the lock; every later one is one statement. It is not counted.
    for (const n of [1, 1, 10, 100]) {
      const start = socialcare.statements.count;
      const response = await fetchCase(
        jobcenter,
        'JOB_PLACEMENT',
        counselled.slice(0, n).map((p) => p.id),
      );
      assert.equal(response.errors, undefined);
      assert.equal(response.data!._entities.length, n);
      assert.ok(
        response.data!._entities.every(
          (p: { socialCare: { caseworker: { organisation: string } } }) => p.socialCare.caseworker.organisation,
        ),
      );
      counts.push(socialcare.statements.count - start);
    }
    counts.shift();
    assert.ok(counts[0] > 0);
    assert.deepEqual(counts, [counts[0], counts[0], counts[0]]);
  });
});
