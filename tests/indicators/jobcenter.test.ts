import 'reflect-metadata';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { jobcenterSubgraph } from '../../subgraphs/jobcenter/jobcenter.subgraph.js';
import { JobcenterIndicatorService } from '../../subgraphs/jobcenter/services/indicators.service.js';
import { codes, post } from '../support/graphql.js';
import { counts, fetchIndicators, figures } from '../support/indicators.js';
import { startSubgraph, type RunningSubgraph } from '../support/subgraph.js';
import { tokenFor } from '../support/tokens.js';

const M1 = '08999001';
const M2 = '08999002';
const M3 = '08999003';

/** Employment entries (person, status, since, recorded at hour); the figures on 2026-09-30 follow each person. */
const STATUSES: [string, string, string, number][] = [
  ['j1', 'SEEKING', '2025-01-01', 8],
  ['j1', 'EMPLOYED', '2026-09-30', 8], //        j1: EMPLOYED (since the last day), M1
  ['j2', 'SEEKING', '2025-01-01', 8],
  ['j2', 'IN_MEASURE', '2026-10-01', 8], //      j2: SEEKING (the measure starts later), M2 (moved on the last day)
  ['j3', 'IN_TRAINING', '2026-03-01', 8], //     j3: IN_TRAINING, no municipality yet on that day
  ['j4', 'NOT_AVAILABLE', '2026-06-01', 8],
  ['j4', 'SEEKING', '2026-06-01', 9], //         j4: SEEKING (same day, recorded later), no municipality
  ['j5', 'EMPLOYED', '2026-11-01', 8], //        j5: no status yet
  ['j6', 'IN_MEASURE', '2026-07-01', 8], //      j6: IN_MEASURE, M3
];
const RESIDENCES: [string, string, string, string | null][] = [
  ['j1', M1, '2025-01-01', null],
  ['j2', M1, '2025-01-01', '2026-09-30'],
  ['j2', M2, '2026-09-30', null],
  ['j3', M2, '2026-10-01', null],
  ['j6', M3, '2020-01-01', null],
];
/** Courses (person, status, starts, ends, result). */
const COURSES: [string, string, string, string | null, string | null][] = [
  ['j1', 'COMPLETED', '2025-02-01', '2025-10-01', 'B1'], // COMPLETED_B1, M1
  ['j2', 'ABORTED', '2026-01-01', '2026-03-01', null],
  ['j2', 'ENROLLED', '2026-04-01', null, null], //          ATTENDING (the latest), M2
  ['j3', 'COMPLETED', '2026-01-01', '2026-09-30', 'A2'], // COMPLETED_A2 (ended on the last day), unassigned
  ['j4', 'COMPLETED', '2026-01-01', '2026-10-15', 'B2'], // ATTENDING on that day, unassigned
  ['j6', 'WAITING', '2026-09-01', null, null], //           waiting: not counted
  ['j7', 'ABORTED', '2026-02-01', '2026-05-01', null], //   ABORTED, unassigned (no residence)
  ['j5', 'ENROLLED', '2026-10-01', null, null], //          begins later: not counted
];

describe('jobcenter indicators', () => {
  let jobcenter: RunningSubgraph;
  const ids = new Map<string, string>();
  const id = (name: string) => ids.get(name) ?? ids.set(name, randomUUID()).get(name)!;

  beforeAll(async () => {
    jobcenter = await startSubgraph(jobcenterSubgraph);
    for (const [person, status, since, hour] of STATUSES) {
      await jobcenter.db.query(
        `INSERT INTO employment_status (person_id, status, since, employer, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, 'test', $5)`,
        [
          id(person),
          status,
          since,
          status === 'EMPLOYED' || status === 'IN_TRAINING' ? 'Bäckerei' : null,
          `2026-01-01T0${hour}:00:00Z`,
        ],
      );
    }
    for (const [person, ags, since, until] of RESIDENCES) {
      await jobcenter.db.query(
        `INSERT INTO client_residence (person_id, municipality_ags, since, until, recorded_by) VALUES ($1, $2, $3, $4, 'test')`,
        [id(person), ags, since, until],
      );
    }
    for (const [person, status, starts, ends, result] of COURSES) {
      await jobcenter.db.query(
        `INSERT INTO integration_course (person_id, course_type, status, target_level, result_level, starts, ends, recorded_by)
         VALUES ($1, 'GENERAL', $2, 'B1', $3, $4, $5, 'test')`,
        [id(person), status, result, starts, ends],
      );
    }
  });
  afterAll(() => jobcenter.stop());

  it("counts clients by employment status on the last day, by the municipality in the jobcenter's file", async () => {
    assert.deepEqual(counts(await new JobcenterIndicatorService(jobcenter.db.manager).employment('2026-09-30')), {
      [M1]: { EMPLOYED: 1 },
      [M2]: { SEEKING: 1 },
      [M3]: { IN_MEASURE: 1 },
      UNASSIGNED: { IN_TRAINING: 1, SEEKING: 1 },
    });
  });

  it('counts clients by the state of their latest integration course on the last day', async () => {
    const service = new JobcenterIndicatorService(jobcenter.db.manager);
    assert.deepEqual(counts(await service.integrationCourses('2026-09-30')), {
      [M1]: { COMPLETED_B1: 1 },
      [M2]: { ATTENDING: 1 },
      UNASSIGNED: { COMPLETED_A2: 1, ATTENDING: 1, ABORTED: 1 },
    });
    // At the end of 2025 only j1's course had begun, and it was still running.
    assert.deepEqual(counts(await service.integrationCourses('2025-09-30')), { [M1]: { ATTENDING: 1 } });
  });

  it('publishes protected figures through the entity', async () => {
    const analyst = await tokenFor('jobcenter', ['ANALYST']);
    const response = await fetchIndicators(jobcenter.url, {
      token: analyst,
      period: '2026-Q3',
      region: 'DISTRICT',
      fields: ['employmentStatus', 'integrationCourses'],
    });
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    const [entity] = response.data!._entities;
    // Five clients on that day, but fewer earlier in the window: the series withholds the total in every period.
    assert.deepEqual(figures(entity.employmentStatus), {
      EMPLOYED: null,
      IN_TRAINING: null,
      IN_MEASURE: null,
      SEEKING: null,
      NOT_AVAILABLE: 0,
      TOTAL: null,
    });
    assert.deepEqual(figures(entity.integrationCourses).TOTAL, null);
  });

  it('records where a client lives, ending the earlier residence on the day of the move', async () => {
    const caseworker = await tokenFor('jobcenter');
    const person = randomUUID();
    const record = (municipalityAgs: string, since: string, token = caseworker, purpose = 'JOB_PLACEMENT') =>
      post(jobcenter.url, {
        token,
        purpose,
        query: `mutation($p: ID!, $i: ClientResidenceInput!) { recordClientResidence(personId: $p, input: $i) { municipalityAgs since until } }`,
        variables: { p: person, i: { municipalityAgs, since } },
      });
    assert.deepEqual((await record(M1, '2025-03-01')).data!.recordClientResidence, {
      municipalityAgs: M1,
      since: '2025-03-01',
      until: null,
    });
    assert.equal((await record(M2, '2026-02-01')).errors, undefined);
    const rows = await jobcenter.db.query(
      `SELECT municipality_ags, since, until FROM client_residence WHERE person_id = $1 ORDER BY since`,
      [person],
    );
    assert.deepEqual(rows, [
      { municipality_ags: M1, since: '2025-03-01', until: '2026-02-01' },
      { municipality_ags: M2, since: '2026-02-01', until: null },
    ]);
    const earlier = await record(M3, '2026-01-01');
    assert.deepEqual(codes(earlier), ['BAD_USER_INPUT']);
    assert.match(earlier.errors![0].message, /since: must be after the start of the current residence \(2026-02-01\)/);
    const badAgs = await record('123', '2099-01-01');
    assert.deepEqual(badAgs.errors![0].extensions!.problems.map((p: { field: string }) => p.field).sort(), [
      'municipalityAgs',
      'since',
    ]);
    assert.deepEqual(codes(await record(M3, '2026-05-01', await tokenFor('county'), 'RESIDENCE_PROCEDURE')), [
      'FORBIDDEN',
    ]);
    assert.deepEqual(codes(await record(M3, '2026-05-01', await tokenFor('jobcenter', ['ANALYST']), 'MONITORING')), [
      'FORBIDDEN',
    ]);
  });
});
