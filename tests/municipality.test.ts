import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import pg from 'pg';
import type { ConsentLookup } from '../common/access/consent-lookup.js';
import type { ConsentGrant } from '../common/policy/policy.js';
import { today } from '../common/scalars.js';
import { demoPersons, type DemoPerson } from '../seed/world.js';
import { municipalitySubgraph } from '../subgraphs/municipality/municipality.subgraph.js';
import { codes, post, type GraphQLResponse } from './support/graphql.js';
import { startSubgraph, type RunningSubgraph } from './support/subgraph.js';
import { tokenFor } from './support/tokens.js';

const SEED = 7;
const persons = demoPersons(SEED, 0, 300);
const LINDENAU = '08999001';
const BIRKENFELD = '08999002';

/** Picks distinct demo persons, so that no test sees another test's writes. */
const taken = new Set<string>();
function pick(predicate: (p: DemoPerson) => boolean): DemoPerson {
  const person = persons.find((p) => !taken.has(p.id) && predicate(p));
  assert.ok(person, 'the demo world has such a person');
  taken.add(person.id);
  return person;
}
const inLindenau = (p: DemoPerson) => p.municipalityAgs === LINDENAU;

const resident = pick((p) => inLindenau(p) && p.inFollowUpAccommodation);
const notified = pick(inLindenau);
const consented = pick((p) => inLindenau(p) && p.age >= 6 && p.age <= 17);
const mover = pick((p) => inLindenau(p) && p.inFollowUpAccommodation);
const invalid = pick(inLindenau);
const pupil = pick((p) => inLindenau(p) && p.age >= 6 && p.age <= 17);

const GRANT: Omit<ConsentGrant, 'personId'> = {
  id: 'consent-housing-1',
  version: 2,
  recipients: [`municipality:${BIRKENFELD}`],
  purposes: ['HOUSING_ALLOCATION'],
  categories: ['HOUSING'],
  validFrom: '2026-01-01',
  validUntil: null,
  withdrawnAt: null,
  voidedAt: null,
};
/** The registry knows one consent: `consented` lets Birkenfeld see HOUSING for housing allocation. */
const consentLookup: ConsentLookup = async (_caller, _authorization, personIds) =>
  personIds.filter((id) => id === consented.id).map((personId) => ({ ...GRANT, personId }));

const SELECTION = `id housing { type address since until municipality { ags name } } housingHistory { type since until }
  childcareSchool { kind institution grade since until municipality { name } }`;

describe('municipality subgraph', () => {
  let municipality: RunningSubgraph;
  let lindenau: string;
  let birkenfeld: string;
  let admin: pg.Client;

  const fetchPersons = (token: string, purpose: string, ids: string[], selection = SELECTION) =>
    post(municipality.url, {
      token,
      purpose,
      query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { ${selection} } } }`,
      variables: { r: ids.map((id) => ({ __typename: 'Person', id })) },
    });
  const openStays = async (personId: string) =>
    (
      await admin.query(
        'SELECT type, municipality_ags, since::text, until::text FROM accommodation WHERE person_id = $1 ORDER BY since, until NULLS LAST',
        [personId],
      )
    ).rows;
  const refusal = (response: GraphQLResponse, field: string) =>
    response.errors?.find((e) => e.extensions?.field === field);

  beforeAll(async () => {
    municipality = await startSubgraph(municipalitySubgraph, { seed: { persons, seed: SEED }, consentLookup });
    lindenau = await tokenFor(`municipality:${LINDENAU}`);
    birkenfeld = await tokenFor(`municipality:${BIRKENFELD}`);
    admin = new pg.Client({ connectionString: municipality.adminUrl });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.end();
    await municipality.stop();
  });

  it('lists the municipalities as reference data', async () => {
    const response = await post(municipality.url, {
      token: birkenfeld,
      purpose: 'HOUSING_ALLOCATION',
      query: '{ municipalities { ags name population } }',
    });
    assert.equal(response.errors, undefined);
    assert.equal(response.data!.municipalities.length, 6);
    assert.deepEqual(response.data!.municipalities[0], { ags: LINDENAU, name: 'Lindenau', population: 48_200 });
  });

  it('shows a municipality the housing and schooling of its own resident as its own task', async () => {
    const response = await fetchPersons(lindenau, 'HOUSING_ALLOCATION', [resident.id]);
    assert.equal(response.errors, undefined);
    const person = response.data!._entities[0];
    const rows = await openStays(resident.id);
    assert.equal(rows.length, 2);
    assert.deepEqual(person.housing.municipality, { ags: LINDENAU, name: 'Lindenau' });
    assert.equal(person.housing.type, rows[1].type);
    assert.equal(person.housing.since, rows[1].since);
    assert.equal(person.housing.until, null);
    assert.deepEqual(
      person.housingHistory.map((s: { type: string }) => s.type),
      ['SHARED', rows[1].type],
    );
    assert.equal(person.housingHistory[0].until, person.housing.since);
    assert.ok(Array.isArray(person.childcareSchool));
  });

  it("refuses another municipality a person's housing without consent, naming category, field and person", async () => {
    const response = await fetchPersons(birkenfeld, 'HOUSING_ALLOCATION', [notified.id]);
    const person = response.data!._entities[0];
    assert.equal(person.id, notified.id);
    assert.equal(person.housing, null);
    assert.equal(person.housingHistory, null);
    assert.equal(person.childcareSchool, null);
    const error = refusal(response, 'Person.housing');
    assert.ok(error, 'an error names Person.housing');
    assert.equal(error.extensions!.code, 'CONSENT_REQUIRED');
    assert.equal(error.extensions!.category, 'HOUSING');
    assert.equal(error.extensions!.personId, notified.id);
    assert.equal(refusal(response, 'Person.childcareSchool')?.extensions?.category, 'CHILDCARE_SCHOOL');
    // Placed at the field as graphql-js places any field error: its location in the query and its path.
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { ${SELECTION} } } }`;
    assert.deepEqual(Object.keys(error), ['message', 'locations', 'path', 'extensions']);
    assert.deepEqual(error.locations, [{ line: 1, column: query.indexOf('housing {') + 1 }]);
    assert.deepEqual(error.path, ['_entities', 0, 'housing']);
    assert.match(error.message, /^Person\.housing withheld: /);
  });

  it('releases housing to another municipality with a consent, and only the consented category', async () => {
    const response = await fetchPersons(birkenfeld, 'HOUSING_ALLOCATION', [consented.id]);
    const person = response.data!._entities[0];
    assert.equal(person.housing.municipality.name, 'Lindenau');
    assert.ok(person.housingHistory.length >= 1);
    assert.equal(person.childcareSchool, null);
    assert.deepEqual(codes(response), ['CONSENT_REQUIRED']);
    assert.equal(response.errors![0].extensions!.field, 'Person.childcareSchool');
    // The same consent does not cover another purpose.
    const school = await fetchPersons(birkenfeld, 'SCHOOL_AND_CHILDCARE', [consented.id], 'housing { type }');
    assert.equal(school.data!._entities[0].housing, null);
    assert.deepEqual(codes(school), ['CONSENT_REQUIRED']);
  });

  it('refuses the jobcenter housing without consent', async () => {
    const response = await fetchPersons(
      await tokenFor('jobcenter'),
      'JOB_PLACEMENT',
      [consented.id],
      'housing { type }',
    );
    assert.equal(response.data!._entities[0].housing, null);
    assert.deepEqual(codes(response), ['CONSENT_REQUIRED']);
    assert.equal(response.errors![0].extensions!.category, 'HOUSING');
  });

  it('gives an analyst no person-level field, not even of its own municipality', async () => {
    const analyst = await tokenFor(`municipality:${LINDENAU}`, ['ANALYST']);
    const response = await fetchPersons(
      analyst,
      'MONITORING',
      [resident.id],
      'housing { type } childcareSchool { kind }',
    );
    assert.deepEqual(response.data!._entities, [null]);
    assert.deepEqual(codes(response), ['FORBIDDEN']);
  });

  it('shows the county current housing for housing allocation by statute, but not schooling', async () => {
    const county = await tokenFor('county');
    const response = await fetchPersons(
      county,
      'HOUSING_ALLOCATION',
      [resident.id],
      'housing { type municipality { name } } childcareSchool { kind }',
    );
    const person = response.data!._entities[0];
    assert.equal(person.housing.municipality.name, 'Lindenau');
    assert.equal(person.childcareSchool, null);
    assert.deepEqual(codes(response), ['CONSENT_REQUIRED']);
    const clearing = await fetchPersons(county, 'CLEARING', [resident.id], 'housing { type }');
    assert.equal(clearing.data!._entities[0].housing, null);
  });

  it('lists only the caller municipality’s current residents and validates paging', async () => {
    const response = await post(municipality.url, {
      token: lindenau,
      purpose: 'HOUSING_ALLOCATION',
      query: '{ residents(first: 500) { id } }',
    });
    assert.equal(response.errors, undefined);
    const ids = new Set(response.data!.residents.map((p: { id: string }) => p.id));
    const expected = persons.filter(inLindenau).map((p) => p.id);
    assert.equal(ids.size, expected.length);
    for (const id of expected) assert.ok(ids.has(id), id);
    const page = await post(municipality.url, {
      token: lindenau,
      purpose: 'HOUSING_ALLOCATION',
      query: '{ residents(first: 2, offset: 1) { id } }',
    });
    assert.deepEqual(page.data!.residents, response.data!.residents.slice(1, 3));
    const bad = await post(municipality.url, {
      token: lindenau,
      purpose: 'HOUSING_ALLOCATION',
      query: '{ residents(first: 0, offset: -1) { id } }',
    });
    assert.deepEqual(codes(bad), ['BAD_USER_INPUT']);
    assert.deepEqual(
      bad.errors![0].extensions!.problems.map((p: { field: string }) => p.field),
      ['first', 'offset'],
    );
    const jobcenter = await post(municipality.url, {
      token: await tokenFor('jobcenter'),
      purpose: 'JOB_PLACEMENT',
      query: '{ residents { id } }',
    });
    assert.deepEqual(codes(jobcenter), ['FORBIDDEN']);
  });

  it('records a move: the current accommodation ends and the new one begins, in one transaction', async () => {
    const mutation = `mutation($id: ID!, $input: AccommodationInput!) { recordAccommodation(personId: $id, input: $input) { type address since until municipality { ags } } }`;
    const since = today();
    const beforeRows = await openStays(mover.id);
    assert.equal(beforeRows.at(-1).until, null);

    // A failure after the old stay is closed must leave it open: make the insert fail for OWN_FLAT.
    await admin.query(`ALTER TABLE accommodation ADD CONSTRAINT test_no_own_flat CHECK (type <> 'OWN_FLAT') NOT VALID`);
    try {
      const failed = await post(municipality.url, {
        token: lindenau,
        purpose: 'HOUSING_ALLOCATION',
        query: mutation,
        variables: { id: mover.id, input: { type: 'OWN_FLAT', address: 'Rosenweg 4', since } },
      });
      // The database's refusal of the value is the caller's bad input, not a bug.
      assert.deepEqual(codes(failed), ['BAD_USER_INPUT']);
      assert.deepEqual(await openStays(mover.id), beforeRows);
    } finally {
      await admin.query('ALTER TABLE accommodation DROP CONSTRAINT test_no_own_flat');
    }

    const response = await post(municipality.url, {
      token: lindenau,
      purpose: 'HOUSING_ALLOCATION',
      query: mutation,
      variables: { id: mover.id, input: { type: 'OWN_FLAT', address: ' Rosenweg 4 ', since } },
    });
    assert.equal(response.errors, undefined);
    assert.deepEqual(response.data!.recordAccommodation, {
      type: 'OWN_FLAT',
      address: 'Rosenweg 4',
      since,
      until: null,
      municipality: { ags: LINDENAU },
    });
    const rows = await openStays(mover.id);
    assert.equal(rows.length, beforeRows.length + 1);
    assert.deepEqual(rows.at(-2), { ...beforeRows.at(-1), until: since });
    assert.deepEqual(rows.at(-1), { type: 'OWN_FLAT', municipality_ags: LINDENAU, since, until: null });
    assert.equal(rows.filter((r: { until: string | null }) => r.until === null).length, 1);
  });

  it('refuses invalid input with a problem per field and changes no row', async () => {
    const snapshot = async () => (await admin.query('SELECT id, until::text FROM accommodation ORDER BY id')).rows;
    const beforeRows = await snapshot();
    const mutation = `mutation($id: ID!, $input: AccommodationInput!) { recordAccommodation(personId: $id, input: $input) { id } }`;
    const send = (input: Record<string, unknown>, id = invalid.id) =>
      post(municipality.url, {
        token: lindenau,
        purpose: 'HOUSING_ALLOCATION',
        query: mutation,
        variables: { id, input },
      });

    const fields = await send({ type: 'FOLLOW_UP', address: '   ', since: '2099-01-01' });
    assert.deepEqual(codes(fields), ['BAD_USER_INPUT']);
    assert.deepEqual(fields.errors![0].extensions!.problems.map((p: { field: string }) => p.field).sort(), [
      'address',
      'since',
    ]);
    const tooLong = await send({ type: 'FOLLOW_UP', address: 'x'.repeat(201), since: '2026-01-01' });
    assert.deepEqual(
      tooLong.errors![0].extensions!.problems.map((p: { field: string }) => p.field),
      ['address'],
    );
    const beforeCurrent = await send({ type: 'FOLLOW_UP', address: 'Seestraße 2', since: '1995-01-01' });
    assert.deepEqual(codes(beforeCurrent), ['BAD_USER_INPUT']);
    assert.deepEqual(
      beforeCurrent.errors![0].extensions!.problems.map((p: { field: string }) => p.field),
      ['since'],
    );
    const badId = await send({ type: 'FOLLOW_UP', address: 'Seestraße 2', since: '2026-01-01' }, 'not-a-person');
    assert.deepEqual(
      badId.errors![0].extensions!.problems.map((p: { field: string }) => p.field),
      ['personId'],
    );
    const badDate = await send({ type: 'FOLLOW_UP', address: 'Seestraße 2', since: '2026-02-30' });
    assert.deepEqual(codes(badDate), ['BAD_USER_INPUT']);

    assert.deepEqual(await snapshot(), beforeRows);
  });

  it("never lets a municipality write another municipality's records", async () => {
    // Birkenfeld cannot record a move of a Lindenau resident whom the county has not assigned to it: the
    // write would close Lindenau's record and make the person Birkenfeld's own.
    const moved = await post(municipality.url, {
      token: birkenfeld,
      purpose: 'HOUSING_ALLOCATION',
      query: `mutation($id: ID!) { recordAccommodation(personId: $id, input: { type: FOLLOW_UP, address: "Birkenweg 9", since: "${today()}" }) { municipality { ags } } }`,
      variables: { id: pupil.id },
    });
    assert.deepEqual(codes(moved), ['FORBIDDEN']);
    const kept = await fetchPersons(lindenau, 'HOUSING_ALLOCATION', [pupil.id], 'housing { municipality { ags } }');
    assert.equal(kept.errors, undefined);
    assert.equal(kept.data!._entities[0].housing.municipality.ags, LINDENAU);

    // Lindenau's enrolment of the pupil stays Lindenau's: Birkenfeld cannot end it.
    const enrolled = await post(municipality.url, {
      token: lindenau,
      purpose: 'SCHOOL_AND_CHILDCARE',
      query: `mutation($id: ID!) { recordEnrolment(personId: $id, input: { kind: SCHOOL, institution: "Grundschule am Markt", grade: 3, since: "2026-09-14" }) { id kind grade until municipality { name } } }`,
      variables: { id: pupil.id },
    });
    assert.equal(enrolled.errors, undefined);
    const enrolment = enrolled.data!.recordEnrolment;
    assert.deepEqual(
      { ...enrolment, id: undefined },
      { id: undefined, kind: 'SCHOOL', grade: 3, until: null, municipality: { name: 'Lindenau' } },
    );
    const end = `mutation($id: ID!) { endEnrolment(id: $id, until: "${today()}") { until } }`;
    const foreign = await post(municipality.url, {
      token: birkenfeld,
      purpose: 'SCHOOL_AND_CHILDCARE',
      query: end,
      variables: { id: enrolment.id },
    });
    assert.deepEqual(codes(foreign), ['NOT_FOUND']);
    const row = await admin.query('SELECT municipality_ags, until FROM enrolment WHERE id = $1', [enrolment.id]);
    assert.deepEqual(row.rows[0], { municipality_ags: LINDENAU, until: null });
    const own = await post(municipality.url, {
      token: lindenau,
      purpose: 'SCHOOL_AND_CHILDCARE',
      query: end,
      variables: { id: enrolment.id },
    });
    assert.deepEqual(own.data!.endEnrolment, { until: today() });

    const jobcenter = await post(municipality.url, {
      token: await tokenFor('jobcenter'),
      purpose: 'JOB_PLACEMENT',
      query: `mutation($id: ID!) { recordEnrolment(personId: $id, input: { kind: CHILDCARE, institution: "Kita Regenbogen", since: "2026-01-01" }) { id } }`,
      variables: { id: pupil.id },
    });
    assert.deepEqual(codes(jobcenter), ['FORBIDDEN']);
  });

  it('refuses a grade for childcare and an enrolment ending before it began', async () => {
    const record = await post(municipality.url, {
      token: lindenau,
      purpose: 'SCHOOL_AND_CHILDCARE',
      query: `mutation($id: ID!) { recordEnrolment(personId: $id, input: { kind: CHILDCARE, institution: "Kita Regenbogen", grade: 2, since: "2026-01-01" }) { id } }`,
      variables: { id: consented.id },
    });
    assert.deepEqual(
      record.errors![0].extensions!.problems.map((p: { field: string }) => p.field),
      ['grade'],
    );
    const [existing] = (
      await admin.query(
        `SELECT id, since::text FROM enrolment WHERE municipality_ags = $1 AND until IS NULL AND since > '2016-01-01' LIMIT 1`,
        [LINDENAU],
      )
    ).rows;
    const early = await post(municipality.url, {
      token: lindenau,
      purpose: 'SCHOOL_AND_CHILDCARE',
      query: `mutation($id: ID!) { endEnrolment(id: $id, until: "2015-01-01") { id } }`,
      variables: { id: existing.id },
    });
    assert.deepEqual(
      early.errors![0].extensions!.problems.map((p: { field: string }) => p.field),
      ['until'],
    );
    const still = await admin.query('SELECT until FROM enrolment WHERE id = $1', [existing.id]);
    assert.equal(still.rows[0].until, null);
  });

  it('answers an entity fetch of N persons with the same number of statements for N = 1, 10, 100', async () => {
    const residents = persons.filter((p) => inLindenau(p) && !taken.has(p.id));
    assert.ok(residents.length >= 100);
    assert.ok(
      residents.slice(0, 100).some((p) => p.age <= 17),
      'some children, so enrolments are loaded',
    );
    const counts: number[] = [];
    // The first fetch warms the log: a process's first append (and its first after another writer's, here a
    // mutation's) reads the chain's head under the lock; every later one is one statement. It is not counted.
    for (const n of [1, 1, 10, 100]) {
      const start = municipality.statements.count;
      const response = await fetchPersons(
        lindenau,
        'HOUSING_ALLOCATION',
        residents.slice(0, n).map((p) => p.id),
      );
      assert.equal(response.errors, undefined);
      assert.equal(response.data!._entities.length, n);
      assert.ok(
        response.data!._entities.every(
          (p: { housing: { municipality: { name: string } } }) => p.housing.municipality.name === 'Lindenau',
        ),
      );
      counts.push(municipality.statements.count - start);
    }
    counts.shift();
    assert.ok(counts[0] > 0);
    assert.deepEqual(counts, [counts[0], counts[0], counts[0]]);
  });
});
