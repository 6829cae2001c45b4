import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { demoPersons } from '../seed/world.js';
import { countySubgraph } from '../subgraphs/county/county.subgraph.js';
import { codes, post } from './support/graphql.js';
import { startSubgraph, type RunningSubgraph } from './support/subgraph.js';
import { tokenFor } from './support/tokens.js';

const SEED = 7;
const persons = demoPersons(SEED, 0, 120);

describe('county subgraph', () => {
  let county: RunningSubgraph;
  let clerk: string;
  beforeAll(async () => {
    county = await startSubgraph(countySubgraph, { seed: { persons, seed: SEED } });
    clerk = await tokenFor('county');
  });
  afterAll(() => county.stop());

  it('registers a person and reads the record back for its own task', async () => {
    const registered = await post(county.url, {
      token: clerk,
      purpose: 'CLEARING',
      query: `mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { id givenName residence { status assignedMunicipality { ags } } } }`,
      variables: {
        input: {
          givenName: 'Amina',
          familyName: 'Haddad',
          dateOfBirth: '1990-02-03',
          gender: 'FEMALE',
          nationality: 'SYR',
          arrivalDate: '2024-01-10',
          residence: { status: 'RECOGNISED_REFUGEE', validUntil: '2029-01-01', assignedMunicipalityAgs: '08999002' },
        },
      },
    });
    assert.deepEqual(registered.errors, undefined);
    const person = registered.data!.registerPerson;
    assert.match(person.id, /^[0-9a-f-]{36}$/);
    assert.deepEqual(person.residence, { status: 'RECOGNISED_REFUGEE', assignedMunicipality: { ags: '08999002' } });
    const read = await post(county.url, {
      token: clerk,
      purpose: 'CLEARING',
      query: `{ person(id: "${person.id}") { familyName } }`,
    });
    assert.equal(read.data!.person.familyName, 'Haddad');
  });

  it('refuses invalid input with a problem per field and writes nothing', async () => {
    const before = await county.db.query('SELECT count(*)::int AS n FROM person');
    const response = await post(county.url, {
      token: clerk,
      purpose: 'CLEARING',
      query: `mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { id } }`,
      variables: {
        input: {
          givenName: 'Ahmad',
          familyName: '',
          dateOfBirth: '2090-01-01',
          gender: 'MALE',
          nationality: 'syr',
          arrivalDate: '2024-01-10',
          residence: { status: 'ASYLUM_PENDING', assignedMunicipalityAgs: '123' },
        },
      },
    });
    assert.deepEqual(codes(response), ['BAD_USER_INPUT']);
    const fields = response.errors![0].extensions!.problems.map((p: { field: string }) => p.field);
    for (const field of ['familyName', 'nationality', 'residence.assignedMunicipalityAgs'])
      assert.ok(fields.includes(field), field);
    const afterCount = await county.db.query('SELECT count(*)::int AS n FROM person');
    assert.equal(afterCount[0].n, before[0].n);
  });

  it('refuses a clearing record that lists a language twice and keeps the earlier profile', async () => {
    const id = persons[0].id;
    const snapshot = async () =>
      await county.db.query('SELECT language, level FROM language_skill WHERE person_id = $1 ORDER BY language', [id]);
    const beforeRows = await snapshot();
    const response = await post(county.url, {
      token: clerk,
      purpose: 'CLEARING',
      query: `mutation($id: ID!, $input: ClearingInput!) { recordClearing(personId: $id, input: $input) { languages { language } } }`,
      variables: {
        id,
        input: {
          schoolYears: 10,
          schoolDegree: 'SECONDARY',
          interests: [],
          goals: [],
          clearedOn: '2026-01-05',
          languages: [
            { language: 'de', level: 'B1' },
            { language: 'de', level: 'A2' },
          ],
          qualifications: [],
          workExperience: [],
        },
      },
    });
    assert.deepEqual(codes(response), ['BAD_USER_INPUT']);
    assert.deepEqual(await snapshot(), beforeRows);
  });

  it('answers an entity fetch of N persons with the same number of statements for N = 1, 10, 100', async () => {
    const counts: number[] = [];
    // The first fetch warms the log: a process's first append (and its first after another writer's, here a
    // mutation's) reads the chain's head under the lock; every later one is one statement. It is not counted.
    for (const n of [1, 1, 10, 100]) {
      const representations = persons.slice(0, n).map((p) => ({ __typename: 'Person', id: p.id }));
      const start = county.statements.count;
      const response = await post(county.url, {
        token: clerk,
        purpose: 'CLEARING',
        query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { givenName residence { status }
          clearing { languages { language level } qualifications { title } schooling { years } goals } } } }`,
        variables: { r: representations },
      });
      assert.equal(response.errors, undefined);
      assert.equal(response.data!._entities.length, n);
      counts.push(county.statements.count - start);
    }
    counts.shift();
    assert.ok(counts[0] > 0);
    assert.deepEqual(counts, [counts[0], counts[0], counts[0]]);
  });

  it('asks the consent registry once per fetch, however many persons and categories it touches', async () => {
    const lookups: string[][] = [];
    const counting = await startSubgraph(countySubgraph, {
      seed: { persons: persons.slice(0, 60), seed: SEED },
      consentLookup: async (_caller, _authorization, personIds) => {
        lookups.push(personIds);
        return [];
      },
    });
    try {
      const response = await post(counting.url, {
        token: await tokenFor('jobcenter'),
        purpose: 'JOB_PLACEMENT',
        query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { givenName clearing { languages { level } schooling { years } goals } } } }`,
        variables: { r: persons.slice(0, 60).map((p) => ({ __typename: 'Person', id: p.id })) },
      });
      assert.equal(response.data!._entities.length, 60);
      assert.ok(
        response.data!._entities.every((e: { givenName: string | null }) => e.givenName),
        'identity by statute needs no lookup',
      );
      assert.equal(lookups.length, 1);
      assert.equal(lookups[0].length, 60);
    } finally {
      await counting.stop();
    }
  });

  it('lets no other agency write county records', async () => {
    const response = await post(county.url, {
      token: await tokenFor('jobcenter'),
      purpose: 'JOB_PLACEMENT',
      query: `mutation { updateResidence(personId: "${persons[1].id}", input: { status: TOLERATED }) { id } }`,
    });
    assert.deepEqual(codes(response), ['FORBIDDEN']);
    const row = await county.db.query('SELECT residence_status FROM person WHERE id = $1', [persons[1].id]);
    assert.equal(row[0].residence_status, persons[1].residenceStatus);
  });
});
