import 'reflect-metadata';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { jobcenterSubgraph } from '../../subgraphs/jobcenter/jobcenter.subgraph.js';
import { JobcenterIndicatorService } from '../../subgraphs/jobcenter/services/indicators.service.js';
import { demoCaseworkers, socialcareSeeder } from '../../subgraphs/socialcare/seed.js';
import { SocialcareIndicatorService } from '../../subgraphs/socialcare/services/indicators.service.js';
import { socialcareSubgraph } from '../../subgraphs/socialcare/socialcare.subgraph.js';
import { codes, post } from '../support/graphql.js';
import { counts, fetchIndicators, figures } from '../support/indicators.js';
import { startSubgraph, type RunningSubgraph } from '../support/subgraph.js';
import { tokenFor } from '../support/tokens.js';

const M1 = '08999001';
const M2 = '08999002';

/**
 * The two fields of action added for monitoring, each counted by the partner that holds the data, hand-counted
 * on the month-ends around the Q2/Q3 2026 boundary.
 */
describe('social participation and language support (welfare organisations)', () => {
  let socialcare: RunningSubgraph;
  const ids = new Map<string, string>();
  const id = (name: string) => ids.get(name) ?? ids.set(name, randomUUID()).get(name)!;

  beforeAll(async () => {
    socialcare = await startSubgraph(socialcareSubgraph);
    await socialcareSeeder.reference!(socialcare.db);
    // Counselling (person, organisation, municipality, since, until).
    const assignments: [string, string, string | null, string, string | null][] = [
      ['p1', 'caritas', M1, '2025-01-01', '2026-08-01'], // M1 until 08-01 ...
      ['p1', 'caritas', M2, '2026-08-01', null], //          ... then M2
      ['p2', 'diakonie', M2, '2025-01-01', null],
      ['p3', 'awo', M1, '2025-01-01', null],
    ];
    for (const [person, organisation, ags, since, until] of assignments) {
      await socialcare.db.query(
        `INSERT INTO assignment (person_id, organisation_id, caseworker_id, since, until, municipality_ags) VALUES ($1, $2, $3, $4, $5, $6)`,
        [id(person), organisation, demoCaseworkers(organisation)[0].id, since, until, ags],
      );
    }
    // Participation (person, organisation, kind, since, until).
    const entries: [string, string, string, string, string | null][] = [
      ['p1', 'caritas', 'SPORTS_CLUB', '2026-03-01', null], //        06-30 M1 · 07-31 M1 · 09-30 M2 (moved)
      ['p1', 'diakonie', 'SPORTS_CLUB', '2026-05-01', null], //       the same kind from another organisation: once
      ['p2', 'diakonie', 'COMMUNITY_OFFER', '2026-06-30', '2026-09-30'], // 06-30 M2 (began that day) · 07-31 M2 · 09-30 ended
      ['p3', 'awo', 'VOLUNTEERING', '2026-07-01', null], //           06-30 no · 07-31 M1 · 09-30 M1
      ['p3', 'awo', 'LANGUAGE_CAFE', '2026-01-01', '2026-07-31'], //   06-30 M1 · ended on 07-31
      ['p2', 'diakonie', 'LANGUAGE_TUTORING', '2026-09-30', null], // 09-30 M2 only
      ['p4', 'drk', 'PARENTS_LANGUAGE_GROUP', '2026-02-01', null], // never counselled: district only
    ];
    for (const [person, organisation, kind, since, until] of entries) {
      await socialcare.db.query(
        `INSERT INTO participation (person_id, organisation_id, kind, since, until, recorded_by) VALUES ($1, $2, $3, $4, $5, 'test')`,
        [id(person), organisation, kind, since, until],
      );
    }
  });
  afterAll(() => socialcare.stop());

  it('counts persons taking part on each day, once per kind, by the counselling municipality on that day', async () => {
    const service = new SocialcareIndicatorService(socialcare.db.manager);
    assert.deepEqual(counts(await service.socialParticipation('2026-06-30')), {
      [M1]: { SPORTS_CLUB: 1 },
      [M2]: { COMMUNITY_OFFER: 1 },
    });
    assert.deepEqual(counts(await service.socialParticipation('2026-07-31')), {
      [M1]: { SPORTS_CLUB: 1, VOLUNTEERING: 1 },
      [M2]: { COMMUNITY_OFFER: 1 },
    });
    assert.deepEqual(counts(await service.socialParticipation('2026-09-30')), {
      [M1]: { VOLUNTEERING: 1 },
      [M2]: { SPORTS_CLUB: 1 },
    });
    assert.deepEqual(counts(await service.socialParticipation('2026-02-28')), {});
  });

  it('counts language support beyond integration courses the same way', async () => {
    const service = new SocialcareIndicatorService(socialcare.db.manager);
    assert.deepEqual(counts(await service.languageSupport('2026-06-30')), {
      [M1]: { LANGUAGE_CAFE: 1 },
      UNASSIGNED: { PARENTS_LANGUAGE_GROUP: 1 },
    });
    assert.deepEqual(counts(await service.languageSupport('2026-07-31')), {
      UNASSIGNED: { PARENTS_LANGUAGE_GROUP: 1 },
    });
    assert.deepEqual(counts(await service.languageSupport('2026-09-30')), {
      [M2]: { LANGUAGE_TUTORING: 1 },
      UNASSIGNED: { PARENTS_LANGUAGE_GROUP: 1 },
    });
  });

  it('publishes them to analysts, withheld where small, never as zero', async () => {
    const analyst = await tokenFor('county', ['ANALYST']);
    const response = await fetchIndicators(socialcare.url, {
      token: analyst,
      period: '2026-Q3',
      region: M2,
      fields: ['socialParticipation', 'languageSupport'],
    });
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    const [entity] = response.data!._entities;
    const participation = figures(entity.socialParticipation);
    assert.equal(participation.SPORTS_CLUB, null);
    assert.equal(participation.COMMUNITY_OFFER, null, 'ended on that day, but 1 in July: withheld, not 0');
    assert.equal(participation.OTHER_CLUB, 0);
    assert.equal(figures(entity.languageSupport).LANGUAGE_TUTORING, null);
  });
});

describe('welfare organisations record participation for their own clients only', () => {
  let socialcare: RunningSubgraph;
  beforeAll(async () => {
    socialcare = await startSubgraph(socialcareSubgraph);
    await socialcareSeeder.reference!(socialcare.db);
  });
  afterAll(() => socialcare.stop());

  const RECORD = `mutation($p: ID!, $k: ParticipationKind!, $s: LocalDate!) { recordParticipation(personId: $p, input: { kind: $k, since: $s }) { id kind since until } }`;
  const END = `mutation($id: ID!, $u: LocalDate!) { endParticipation(id: $id, until: $u) { id until } }`;

  it('records and ends a participation, which the indicator then counts on each day; other organisations can do neither', async () => {
    const caritas = await tokenFor('socialcare:caritas');
    const diakonie = await tokenFor('socialcare:diakonie');
    const person = randomUUID();
    await socialcare.db.query(
      `INSERT INTO assignment (person_id, organisation_id, caseworker_id, since, municipality_ags) VALUES ($1, 'caritas', $2, '2025-01-01', $3)`,
      [person, demoCaseworkers('caritas')[0].id, M1],
    );
    const recorded = await post(socialcare.url, {
      token: caritas,
      purpose: 'SOCIAL_COUNSELLING',
      query: RECORD,
      variables: { p: person, k: 'SPORTS_CLUB', s: '2026-02-01' },
    });
    assert.equal(recorded.errors, undefined, JSON.stringify(recorded.errors));
    const { id } = (recorded.data as { recordParticipation: { id: string } }).recordParticipation;
    // Another organisation neither records for caritas's client nor ends caritas's record (which looks missing to it).
    const foreign = await post(socialcare.url, {
      token: diakonie,
      purpose: 'SOCIAL_COUNSELLING',
      query: RECORD,
      variables: { p: person, k: 'LANGUAGE_CAFE', s: '2026-02-01' },
    });
    assert.deepEqual(codes(foreign), ['FORBIDDEN']);
    const foreignEnd = await post(socialcare.url, {
      token: diakonie,
      purpose: 'SOCIAL_COUNSELLING',
      query: END,
      variables: { id, u: '2026-05-01' },
    });
    assert.deepEqual(codes(foreignEnd), ['NOT_FOUND']);
    // A jobcenter caseworker or an analyst writes nothing here.
    const jobcenter = await post(socialcare.url, {
      token: await tokenFor('jobcenter'),
      purpose: 'JOB_PLACEMENT',
      query: RECORD,
      variables: { p: person, k: 'VOLUNTEERING', s: '2026-02-01' },
    });
    assert.deepEqual(codes(jobcenter), ['FORBIDDEN']);
    const early = await post(socialcare.url, {
      token: caritas,
      purpose: 'SOCIAL_COUNSELLING',
      query: END,
      variables: { id, u: '2026-01-15' },
    });
    assert.deepEqual(codes(early), ['BAD_USER_INPUT']);
    const ended = await post(socialcare.url, {
      token: caritas,
      purpose: 'SOCIAL_COUNSELLING',
      query: END,
      variables: { id, u: '2026-05-01' },
    });
    assert.equal(ended.errors, undefined, JSON.stringify(ended.errors));

    const service = new SocialcareIndicatorService(socialcare.db.manager);
    assert.deepEqual(counts(await service.socialParticipation('2026-01-31')), {});
    assert.deepEqual(counts(await service.socialParticipation('2026-04-30')), { [M1]: { SPORTS_CLUB: 1 } });
    assert.deepEqual(counts(await service.socialParticipation('2026-05-31')), {});
    assert.deepEqual(counts(await service.languageSupport('2026-04-30')), {});
  });
});

describe('vocational language courses (jobcenter)', () => {
  let jobcenter: RunningSubgraph;
  const ids = new Map<string, string>();
  const id = (name: string) => ids.get(name) ?? ids.set(name, randomUUID()).get(name)!;

  beforeAll(async () => {
    jobcenter = await startSubgraph(jobcenterSubgraph);
    for (const [person, ags, since] of [
      ['v1', M1, '2025-01-01'],
      ['v2', M2, '2025-01-01'],
      ['v3', M1, '2025-01-01'],
    ] as const) {
      await jobcenter.db.query(
        `INSERT INTO client_residence (person_id, municipality_ags, since, recorded_by) VALUES ($1, $2, $3, 'test')`,
        [id(person), ags, since],
      );
    }
    // (person, kind, starts, ends)
    const measures: [string, string, string, string | null][] = [
      ['v1', 'VOCATIONAL_LANGUAGE_COURSE', '2026-04-01', '2026-07-31'], // 06-30 ATTENDING · 07-31 ENDED (ends that day)
      ['v2', 'VOCATIONAL_LANGUAGE_COURSE', '2026-07-15', null], //        07-31 ATTENDING · 09-30 ATTENDING
      ['v3', 'VOCATIONAL_LANGUAGE_COURSE', '2025-06-01', '2025-12-01'], // ENDED throughout ...
      ['v3', 'VOCATIONAL_LANGUAGE_COURSE', '2026-09-01', null], //        ... until the next one began: 09-30 ATTENDING
      ['v1', 'JOB_COACHING', '2026-01-01', null], //                      another kind: not counted
      ['v4', 'VOCATIONAL_LANGUAGE_COURSE', '2026-10-01', null], //        begins later
    ];
    for (const [person, kind, starts, ends] of measures) {
      await jobcenter.db.query(
        `INSERT INTO measure (person_id, kind, title, provider, starts, ends, recorded_by) VALUES ($1, $2, 'course', 'VHS', $3, $4, 'test')`,
        [id(person), kind, starts, ends],
      );
    }
  });
  afterAll(() => jobcenter.stop());

  it('counts clients by their latest vocational language course on each day', async () => {
    const service = new JobcenterIndicatorService(jobcenter.db.manager);
    assert.deepEqual(counts(await service.vocationalLanguage('2026-06-30')), { [M1]: { ATTENDING: 1, ENDED: 1 } });
    assert.deepEqual(counts(await service.vocationalLanguage('2026-07-31')), {
      [M1]: { ENDED: 2 },
      [M2]: { ATTENDING: 1 },
    });
    assert.deepEqual(counts(await service.vocationalLanguage('2026-09-30')), {
      [M1]: { ATTENDING: 1, ENDED: 1 },
      [M2]: { ATTENDING: 1 },
    });
  });
});
