import 'reflect-metadata';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { demoCaseworkers, socialcareSeeder } from '../../subgraphs/socialcare/seed.js';
import { SocialcareIndicatorService } from '../../subgraphs/socialcare/services/indicators.service.js';
import { socialcareSubgraph } from '../../subgraphs/socialcare/socialcare.subgraph.js';
import { codes, post } from '../support/graphql.js';
import { counts, fetchIndicators, figures } from '../support/indicators.js';
import { startSubgraph, type RunningSubgraph } from '../support/subgraph.js';
import { tokenFor } from '../support/tokens.js';

const M1 = '08999001';
const M2 = '08999002';
const M3 = '08999003';

/** Counselling (person, organisation, municipality, since, until). */
const ASSIGNMENTS: [string, string, string | null, string, string | null][] = [
  ['s1', 'caritas', M1, '2025-01-01', null],
  ['s2', 'diakonie', M2, '2025-01-01', '2026-09-30'], // moved on the last day ...
  ['s2', 'diakonie', M3, '2026-09-30', null], //         ... counselled in M3 then
  ['s4', 'awo', null, '2026-01-01', null], //            no municipality recorded
  ['s5', 'drk', M1, '2026-10-01', null], //              counselled only after the period
];
/** Support needs (person, field, opened, closed); the figures on 2026-09-30 are in the first test. */
const NEEDS: [string, string, string, string | null][] = [
  ['s1', 'HOUSING', '2026-01-01', null],
  ['s1', 'HOUSING', '2026-02-01', null], //               a second open need in the same field counts once
  ['s1', 'LANGUAGE', '2026-01-01', '2026-09-30'], //      closed on the last day
  ['s1', 'WORK_AND_TRAINING', '2026-09-30', null], //     opened on the last day
  ['s2', 'HEALTH', '2026-05-01', '2026-10-01'], //        closed after the period: open then
  ['s3', 'EDUCATION', '2026-03-01', null], //             never counselled
  ['s4', 'SOCIAL_PARTICIPATION', '2026-03-01', null],
  ['s5', 'LANGUAGE', '2026-08-01', null],
  ['s6', 'HOUSING', '2026-10-02', null], //               opened later
];

describe('socialcare indicators', () => {
  let socialcare: RunningSubgraph;
  const ids = new Map<string, string>();
  const id = (name: string) => ids.get(name) ?? ids.set(name, randomUUID()).get(name)!;

  beforeAll(async () => {
    socialcare = await startSubgraph(socialcareSubgraph);
    await socialcareSeeder.reference!(socialcare.db);
    for (const [person, organisation, ags, since, until] of ASSIGNMENTS) {
      await socialcare.db.query(
        `INSERT INTO assignment (person_id, organisation_id, caseworker_id, since, until, municipality_ags) VALUES ($1, $2, $3, $4, $5, $6)`,
        [id(person), organisation, demoCaseworkers(organisation)[0].id, since, until, ags],
      );
    }
    for (const [person, field, opened, closed] of NEEDS) {
      await socialcare.db.query(
        `INSERT INTO support_need (person_id, organisation_id, field, description, opened_on, closed_on) VALUES ($1, 'caritas', $2, 'need', $3, $4)`,
        [id(person), field, opened, closed],
      );
    }
  });
  afterAll(() => socialcare.stop());

  it('counts persons with an open support need on the last day, once per field, by the counselling municipality', async () => {
    assert.deepEqual(
      counts(await new SocialcareIndicatorService(socialcare.db.manager).openSupportNeeds('2026-09-30')),
      {
        [M1]: { HOUSING: 1, WORK_AND_TRAINING: 1 },
        [M3]: { HEALTH: 1 },
        UNASSIGNED: { EDUCATION: 1, SOCIAL_PARTICIPATION: 1, LANGUAGE: 1 },
      },
    );
  });

  it('publishes protected figures through the entity', async () => {
    const response = await fetchIndicators(socialcare.url, {
      token: await tokenFor('socialcare:caritas', ['ANALYST']),
      period: '2026-09',
      region: 'DISTRICT',
      fields: ['openSupportNeeds'],
    });
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    assert.deepEqual(figures(response.data!._entities[0].openSupportNeeds), {
      // 6 needs on that day, fewer before: the series withholds the total in every period of the window.
      HOUSING: null,
      LANGUAGE: null,
      EDUCATION: null,
      WORK_AND_TRAINING: null,
      SOCIAL_PARTICIPATION: null,
      HEALTH: null,
      TOTAL: null,
    });
  });

  it('records where counselling takes place, keeping it when only the caseworker changes', async () => {
    const caritas = await tokenFor('socialcare:caritas');
    const [first, second] = demoCaseworkers('caritas');
    const person = randomUUID();
    const assign = (caseworker: string, since: string, ags?: string) =>
      post(socialcare.url, {
        token: caritas,
        purpose: 'SOCIAL_COUNSELLING',
        query: `mutation($p: ID!, $c: ID!, $s: LocalDate!, $a: String) { assignCaseworker(personId: $p, caseworkerId: $c, since: $s, municipalityAgs: $a) { since } }`,
        variables: { p: person, c: caseworker, s: since, a: ags },
      });
    assert.equal((await assign(first.id, '2026-01-05', M2)).errors, undefined);
    assert.equal((await assign(second.id, '2026-03-01')).errors, undefined);
    const rows = await socialcare.db.query(
      `SELECT municipality_ags, since, until FROM assignment WHERE person_id = $1 ORDER BY since`,
      [person],
    );
    assert.deepEqual(rows, [
      { municipality_ags: M2, since: '2026-01-05', until: '2026-03-01' },
      { municipality_ags: M2, since: '2026-03-01', until: null },
    ]);
    const bad = await assign(first.id, '2026-04-01', 'Lindenau');
    assert.deepEqual(codes(bad), ['BAD_USER_INPUT']);
    assert.equal(bad.errors![0].extensions!.problems[0].field, 'municipalityAgs');
  });
});
