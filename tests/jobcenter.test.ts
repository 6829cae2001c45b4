import 'reflect-metadata';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { ConsentLookup } from '../common/access/consent-lookup.js';
import type { ConsentGrant } from '../common/policy/policy.js';
import { today } from '../common/scalars.js';
import { demoPersons } from '../seed/world.js';
import { jobcenterSubgraph } from '../subgraphs/jobcenter/jobcenter.subgraph.js';
import { codes, post, type GraphQLResponse } from './support/graphql.js';
import { startSubgraph, type RunningSubgraph } from './support/subgraph.js';
import { tokenFor } from './support/tokens.js';

const SEED = 7;
const persons = demoPersons(SEED, 0, 120);
const MUNICIPALITY = 'municipality:08999001';
const ALL_FIELDS = `employment { status since employer } employmentHistory { status since } measures { kind title starts }
  integrationCourse { status level resultLevel } integrationCourses { courseType } benefits { kind since until householdSize }`;

function grant(personId: string, overrides: Partial<ConsentGrant> = {}): ConsentGrant {
  return {
    id: randomUUID(),
    version: 1,
    personId,
    recipients: [MUNICIPALITY],
    purposes: ['HOUSING_ALLOCATION'],
    categories: ['EMPLOYMENT'],
    validFrom: '2026-01-01',
    validUntil: null,
    withdrawnAt: null,
    voidedAt: null,
    ...overrides,
  };
}

describe('jobcenter subgraph', () => {
  let jobcenter: RunningSubgraph;
  let caseworker: string;
  // Each test sets the consent registry's answer; the subgraph asks through this indirection.
  let lookup: ConsentLookup = async () => [];
  /** Adults with an employment history, an integration course and a benefit receipt. */
  let fullyRecorded: string[];

  const entities = (token: string, purpose: string, ids: string[], fields = ALL_FIELDS) =>
    post(jobcenter.url, {
      token,
      purpose,
      query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id ${fields} } } }`,
      variables: { r: ids.map((id) => ({ __typename: 'Person', id })) },
    });
  const rowCounts = async () =>
    (
      await jobcenter.db
        .query(`SELECT (SELECT count(*) FROM employment_status)::int AS e, (SELECT count(*) FROM measure)::int AS m,
      (SELECT count(*) FROM integration_course)::int AS c, (SELECT count(*) FROM benefit)::int AS b`)
    )[0];
  const errorFor = (response: GraphQLResponse, index: number, field: string) =>
    response.errors?.find((e) => e.path?.[1] === index && e.path?.[2] === field);

  beforeAll(async () => {
    jobcenter = await startSubgraph(jobcenterSubgraph, {
      seed: { persons, seed: SEED },
      consentLookup: (...args) => lookup(...args),
    });
    caseworker = await tokenFor('jobcenter');
    const rows: { person_id: string }[] = await jobcenter.db.query(`SELECT DISTINCT e.person_id FROM employment_status e
      JOIN integration_course c USING (person_id) JOIN benefit b USING (person_id) ORDER BY e.person_id`);
    fullyRecorded = rows.map((r) => r.person_id);
    assert.ok(fullyRecorded.length >= 3, 'the seed gives several adults full records');
  });
  afterAll(() => jobcenter.stop());

  it('seeds records for adults of working age only', async () => {
    const seeded = new Set(
      (await jobcenter.db.query('SELECT DISTINCT person_id FROM employment_status')).map(
        (r: { person_id: string }) => r.person_id,
      ),
    );
    const adults = persons.filter((p) => p.age >= 18 && p.age <= 64);
    assert.equal(seeded.size, adults.length);
    for (const p of persons) assert.equal(seeded.has(p.id), p.age >= 18 && p.age <= 64, `${p.id} aged ${p.age}`);
  });

  it('shows the jobcenter its own records, with the current status and latest course first', async () => {
    const id = fullyRecorded[0];
    const response = await entities(caseworker, 'JOB_PLACEMENT', [id]);
    assert.equal(response.errors, undefined);
    const person = response.data!._entities[0];
    const [latest] = await jobcenter.db.query(
      `SELECT status, since FROM employment_status WHERE person_id = $1 ORDER BY since DESC, recorded_at DESC LIMIT 1`,
      [id],
    );
    assert.deepEqual({ status: person.employment.status, since: person.employment.since }, latest);
    assert.equal(person.employmentHistory[0].since, latest.since);
    const [course] = await jobcenter.db.query(
      `SELECT status, target_level FROM integration_course WHERE person_id = $1 ORDER BY starts DESC LIMIT 1`,
      [id],
    );
    assert.deepEqual(
      { status: person.integrationCourse.status, level: person.integrationCourse.level },
      { status: course.status, level: course.target_level },
    );
    assert.ok(person.benefits.length > 0);
    assert.match(jobcenter.sdl, /integrationCourse: IntegrationCourse @consent\(category: "INTEGRATION_COURSE"\)/);
  });

  it('lists the caseload by current status and checks paging arguments', async () => {
    const response = await post(jobcenter.url, {
      token: caseworker,
      purpose: 'JOB_PLACEMENT',
      query: `{ jobcenterCaseload(first: 500, status: EMPLOYED) { id employment { status } } }`,
    });
    assert.equal(response.errors, undefined);
    const [expected] = await jobcenter.db
      .query(`SELECT count(*)::int AS n FROM (SELECT DISTINCT ON (person_id) status FROM employment_status
      ORDER BY person_id, since DESC, recorded_at DESC) current WHERE status = 'EMPLOYED'`);
    assert.ok(expected.n > 0);
    assert.equal(response.data!.jobcenterCaseload.length, expected.n);
    for (const p of response.data!.jobcenterCaseload) assert.equal(p.employment.status, 'EMPLOYED');
    const bad = await post(jobcenter.url, {
      token: caseworker,
      purpose: 'JOB_PLACEMENT',
      query: `{ jobcenterCaseload(first: 0) { id } }`,
    });
    assert.deepEqual(codes(bad), ['BAD_USER_INPUT']);
  });

  it('refuses a municipality without consent and releases with a matching consent', async () => {
    const [withConsent, without] = fullyRecorded as [string, string];
    lookup = async () => [
      grant(withConsent),
      grant(without, { purposes: ['SCHOOL_AND_CHILDCARE'] }), // another purpose covers nothing here
    ];
    try {
      const response = await entities(
        await tokenFor(MUNICIPALITY),
        'HOUSING_ALLOCATION',
        [withConsent, without],
        'employment { status } benefits { since }',
      );
      const [released, refused] = response.data!._entities;
      assert.ok(released.employment?.status);
      assert.equal(released.benefits, null);
      assert.equal(refused.employment, null);
      const error = errorFor(response, 1, 'employment');
      assert.equal(error?.extensions?.code, 'CONSENT_REQUIRED');
      assert.deepEqual(
        { category: error.extensions.category, field: error.extensions.field, personId: error.extensions.personId },
        { category: 'EMPLOYMENT', field: 'Person.employment', personId: without },
      );
      assert.equal(errorFor(response, 0, 'benefits')?.extensions?.category, 'BENEFITS');
    } finally {
      lookup = async () => [];
    }
  });

  it('releases employment and benefits to the county by statute, but not the integration course', async () => {
    const response = await entities(await tokenFor('county'), 'RESIDENCE_PROCEDURE', [fullyRecorded[0]]);
    const person = response.data!._entities[0];
    assert.ok(person.employment?.status);
    assert.ok(person.measures);
    assert.ok(person.benefits?.length > 0);
    assert.equal(person.integrationCourse, null);
    assert.equal(person.integrationCourses, null);
    assert.deepEqual([...new Set(codes(response))], ['CONSENT_REQUIRED']);
    assert.equal(errorFor(response, 0, 'integrationCourse')?.extensions?.category, 'INTEGRATION_COURSE');
  });

  it('fails closed with CONSENT_UNAVAILABLE when the registry fails, while own-task and statutory fields answer', async () => {
    lookup = async () => {
      throw new Error('registry down');
    };
    try {
      const county = await entities(await tokenFor('county'), 'RESIDENCE_PROCEDURE', [fullyRecorded[0]]);
      assert.ok(county.data!._entities[0].employment?.status);
      assert.equal(county.data!._entities[0].integrationCourse, null);
      assert.equal(errorFor(county, 0, 'integrationCourse')?.extensions?.code, 'CONSENT_UNAVAILABLE');
      const own = await entities(caseworker, 'JOB_PLACEMENT', [fullyRecorded[0]]);
      assert.equal(own.errors, undefined);
      assert.ok(own.data!._entities[0].integrationCourse?.status);
    } finally {
      lookup = async () => [];
    }
  });

  it('gives an analyst no person-level field', async () => {
    const response = await entities(
      await tokenFor('jobcenter', ['ANALYST']),
      'MONITORING',
      [fullyRecorded[0]],
      'employment { status } benefits { since }',
    );
    // The Person entity itself is refused to analysts: not even its id comes back.
    assert.deepEqual(response.data!._entities, [null]);
    assert.deepEqual(codes(response), ['FORBIDDEN']);
  });

  it('refuses invalid input with a problem per field and writes nothing', async () => {
    const before = await rowCounts();
    const personId = persons[3].id;
    const problemFields = (response: GraphQLResponse) => {
      assert.deepEqual(codes(response), ['BAD_USER_INPUT']);
      return response.errors![0].extensions!.problems.map((p: { field: string }) => p.field).sort();
    };
    const course = (input: Record<string, unknown>) =>
      post(jobcenter.url, {
        token: caseworker,
        purpose: 'JOB_PLACEMENT',
        query: `mutation($id: ID!, $input: IntegrationCourseInput!) { recordIntegrationCourse(personId: $id, input: $input) { id } }`,
        variables: { id: personId, input: { courseType: 'GENERAL', starts: '2025-01-10', ...input } },
      });
    // Format, checked by class-validator.
    assert.deepEqual(
      problemFields(await course({ status: 'COMPLETED', level: 'B3', resultLevel: 'native', ends: '2025-09-01' })),
      ['level', 'resultLevel'],
    );
    // Rules, checked by the service.
    assert.deepEqual(problemFields(await course({ status: 'COMPLETED', level: 'B1', ends: '2024-12-01' })), [
      'ends',
      'resultLevel',
    ]);
    const employment = await post(jobcenter.url, {
      token: caseworker,
      purpose: 'JOB_PLACEMENT',
      query: `mutation($id: ID!) { recordEmploymentStatus(personId: $id, input: { status: EMPLOYED, since: "2099-01-01" }) { id } }`,
      variables: { id: personId },
    });
    assert.deepEqual(problemFields(employment), ['employer', 'since']);
    const benefit = await post(jobcenter.url, {
      token: caseworker,
      purpose: 'JOB_PLACEMENT',
      query: `mutation { recordBenefit(personId: "${personId}", input: { since: "2025-01-01", householdSize: 0 }) { id } }`,
    });
    assert.deepEqual(problemFields(benefit), ['householdSize']);
    // A malformed person id is refused before anything else is looked at.
    const nobody = await post(jobcenter.url, {
      token: caseworker,
      purpose: 'JOB_PLACEMENT',
      query: `mutation { recordBenefit(personId: "not-a-person", input: { since: "2025-01-01", householdSize: 1 }) { id } }`,
    });
    assert.deepEqual(problemFields(nobody), ['personId']);
    assert.deepEqual(await rowCounts(), before);
  });

  it('records a course and its completion, and does not reopen a finished course', async () => {
    const personId = randomUUID();
    const update = (id: string, input: string) =>
      post(jobcenter.url, {
        token: caseworker,
        purpose: 'LANGUAGE_SUPPORT',
        query: `mutation { updateIntegrationCourse(id: "${id}", input: ${input}) { status level resultLevel ends } }`,
      });
    const recorded = await post(jobcenter.url, {
      token: caseworker,
      purpose: 'LANGUAGE_SUPPORT',
      query: `mutation { recordIntegrationCourse(personId: "${personId}", input: { courseType: LITERACY, status: ENROLLED, level: "B1", starts: "2025-02-03" }) { id status level } }`,
    });
    assert.equal(recorded.errors, undefined);
    const id = recorded.data!.recordIntegrationCourse.id;
    assert.deepEqual(codes(await update(id, `{ status: COMPLETED, ends: "2025-10-30" }`)), ['BAD_USER_INPUT']);
    const completed = await update(id, `{ status: COMPLETED, resultLevel: "A2", ends: "2025-10-30" }`);
    assert.deepEqual(completed.data!.updateIntegrationCourse, {
      status: 'COMPLETED',
      level: 'B1',
      resultLevel: 'A2',
      ends: '2025-10-30',
    });
    assert.deepEqual(codes(await update(id, `{ status: ENROLLED }`)), ['BAD_USER_INPUT']);
    assert.deepEqual(codes(await update(randomUUID(), `{ status: ENROLLED }`)), ['NOT_FOUND']);
    const [row] = await jobcenter.db.query('SELECT status, result_level FROM integration_course WHERE id = $1', [id]);
    assert.deepEqual(row, { status: 'COMPLETED', result_level: 'A2' });
  });

  it('ends the running benefit receipt when it opens a new one, leaving exactly one open', async () => {
    const record = (personId: string, since: string, householdSize: number) =>
      post(jobcenter.url, {
        token: caseworker,
        purpose: 'JOB_PLACEMENT',
        query: `mutation { recordBenefit(personId: "${personId}", input: { since: "${since}", householdSize: ${householdSize} }) { since until householdSize } }`,
      });
    const receipts = async (personId: string) =>
      jobcenter.db.query('SELECT since, until, household_size FROM benefit WHERE person_id = $1 ORDER BY since', [
        personId,
      ]);

    const fresh = randomUUID();
    assert.equal((await record(fresh, '2025-01-01', 2)).errors, undefined);
    const second = await record(fresh, '2025-06-01', 3);
    assert.deepEqual(second.data!.recordBenefit, { since: '2025-06-01', until: null, householdSize: 3 });
    assert.deepEqual(await receipts(fresh), [
      { since: '2025-01-01', until: '2025-05-31', household_size: 2 },
      { since: '2025-06-01', until: null, household_size: 3 },
    ]);
    // A start before the running receipt is refused as a whole: the running receipt stays open.
    assert.deepEqual(codes(await record(fresh, '2025-03-01', 4)), ['BAD_USER_INPUT']);
    assert.equal((await receipts(fresh)).length, 2);

    // A seeded person with a running receipt.
    const [seeded] = await jobcenter.db.query(
      'SELECT person_id FROM benefit WHERE until IS NULL ORDER BY person_id LIMIT 1',
    );
    assert.equal((await record(seeded.person_id, today(), 5)).errors, undefined);
    const open = (await receipts(seeded.person_id)).filter((r: { until: string | null }) => r.until === null);
    assert.deepEqual(open, [{ since: today(), until: null, household_size: 5 }]);
  });

  it('lets no other agency write jobcenter records', async () => {
    const before = await rowCounts();
    for (const [agency, purpose] of [
      ['county', 'RESIDENCE_PROCEDURE'],
      [MUNICIPALITY, 'HOUSING_ALLOCATION'],
    ] as const) {
      const response = await post(jobcenter.url, {
        token: await tokenFor(agency),
        purpose,
        query: `mutation { recordEmploymentStatus(personId: "${persons[5].id}", input: { status: SEEKING, since: "2025-01-01" }) { id } }`,
      });
      assert.deepEqual(codes(response), ['FORBIDDEN']);
    }
    assert.deepEqual(await rowCounts(), before);
  });

  it('answers an entity fetch of N persons with the same number of statements for N = 1, 10, 100', async () => {
    const counts: number[] = [];
    // The first fetch warms the log: a process's first append (and its first after another writer's, here a
    // mutation's) reads the chain's head under the lock; every later one is one statement. It is not counted.
    for (const n of [1, 1, 10, 100]) {
      const ids = persons.slice(0, n).map((p) => p.id);
      const start = jobcenter.statements.count;
      const response = await entities(caseworker, 'JOB_PLACEMENT', ids);
      assert.equal(response.errors, undefined);
      assert.equal(response.data!._entities.length, n);
      counts.push(jobcenter.statements.count - start);
    }
    counts.shift();
    assert.ok(counts[0] > 0);
    assert.deepEqual(counts, [counts[0], counts[0], counts[0]]);
  });
});
