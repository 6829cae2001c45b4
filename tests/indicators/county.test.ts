import 'reflect-metadata';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { countySubgraph } from '../../subgraphs/county/county.subgraph.js';
import { CountyIndicatorService } from '../../subgraphs/county/services/indicators.service.js';
import { codes } from '../support/graphql.js';
import { counts, fetchIndicators, figures } from '../support/indicators.js';
import { startSubgraph, type RunningSubgraph } from '../support/subgraph.js';
import { tokenFor } from '../support/tokens.js';

const M1 = '08999001';
const M2 = '08999002';

/** Persons with their assigned municipality, clearing date and languages; the figure each gives on 2026-09-30. */
const PERSONS: [name: string, ags: string | null, clearedOn: string | null, languages: [string, string][]][] = [
  [
    'q1',
    M1,
    '2026-05-01',
    [
      ['de', 'A1'],
      ['ar', 'NATIVE'],
    ],
  ], // A1 M1
  ['q2', M1, '2026-09-30', [['de', 'B1']]], //                    B1 M1 (cleared on the last day)
  ['q3', M1, '2026-10-01', [['de', 'B2']]], //                    not yet cleared
  ['q4', M2, '2025-01-01', [['de', 'C2']]], //                    C1_AND_ABOVE M2
  ['q5', M2, '2025-01-01', [['de', 'NATIVE']]], //                C1_AND_ABOVE M2
  [
    'q6',
    M2,
    '2026-01-01',
    [
      ['ar', 'NATIVE'],
      ['en', 'B2'],
    ],
  ], //   NONE M2: no German recorded
  ['q7', null, '2026-02-02', [['de', 'A2']]], //                  A2, assigned to no municipality
  ['q8', '08999003', null, [['de', 'A1']]], //                    no clearing: not counted
];

describe('county indicators', () => {
  let county: RunningSubgraph;

  beforeAll(async () => {
    county = await startSubgraph(countySubgraph);
    for (const [name, ags, clearedOn, languages] of PERSONS) {
      const id = randomUUID();
      await county.db.query(
        `INSERT INTO person (id, given_name, family_name, date_of_birth, gender, nationality, residence_status, arrival_date,
           assigned_municipality_ags, registered_by) VALUES ($1, $2, 'Test', '1990-01-01', 'FEMALE', 'SYR', 'RECOGNISED_REFUGEE', '2024-01-01', $3, 'test')`,
        [id, name, ags],
      );
      if (clearedOn) {
        await county.db.query(
          `INSERT INTO clearing_profile (person_id, school_years, school_degree, completed_on, recorded_by) VALUES ($1, 8, 'PRIMARY', $2, 'test')`,
          [id, clearedOn],
        );
      }
      for (const [language, level] of languages) {
        await county.db.query(`INSERT INTO language_skill (person_id, language, level) VALUES ($1, $2, $3)`, [
          id,
          language,
          level,
        ]);
      }
    }
  });
  afterAll(() => county.stop());

  it('counts cleared persons by their German level at clearing, by assigned municipality', async () => {
    const service = new CountyIndicatorService(county.db.manager);
    assert.deepEqual(counts(await service.germanAtClearing('2026-09-30')), {
      [M1]: { A1: 1, B1: 1 },
      [M2]: { C1_AND_ABOVE: 2, NONE: 1 },
      UNASSIGNED: { A2: 1 },
    });
    assert.deepEqual(counts(await service.germanAtClearing('2025-12-31')), { [M2]: { C1_AND_ABOVE: 2 } });
  });

  it('answers the gateway for the district and a municipality, everything here being small', async () => {
    const analyst = await tokenFor('county', ['ANALYST']);
    const district = await fetchIndicators(county.url, {
      token: analyst,
      period: '2026-Q3',
      region: 'DISTRICT',
      fields: ['germanAtClearing'],
    });
    assert.equal(district.errors, undefined, JSON.stringify(district.errors));
    const [entity] = district.data!._entities;
    assert.deepEqual([entity.period, entity.region], ['2026-Q3', 'DISTRICT']);
    // 6 cleared persons on 2026-09-30, but the series protects every month-end of the window at once: the
    // total was 2 in 2025 and B2 becomes 1 in October, so both are withheld in every period, the 6 included.
    assert.deepEqual(figures(entity.germanAtClearing), {
      A1: null,
      A2: null,
      B1: null,
      B2: null,
      C1_AND_ABOVE: null,
      NONE: null,
      TOTAL: null,
    });
    const m2 = await fetchIndicators(county.url, {
      token: analyst,
      period: '2026-09',
      region: M2,
      fields: ['germanAtClearing'],
    });
    assert.deepEqual(figures(m2.data!._entities[0].germanAtClearing), {
      A1: 0,
      A2: 0,
      B1: 0,
      B2: 0,
      C1_AND_ABOVE: null,
      NONE: null,
      TOTAL: null,
    });
  });

  it('checks the entity key and the caller as the query does', async () => {
    const analyst = await tokenFor('county', ['ANALYST']);
    const bad = await fetchIndicators(county.url, {
      token: analyst,
      period: '2026-13',
      region: 'Lindenau',
      fields: ['germanAtClearing'],
    });
    assert.deepEqual(codes(bad), ['BAD_USER_INPUT']);
    assert.deepEqual(
      bad.errors![0].extensions!.problems.map((p: { field: string }) => p.field),
      ['period', 'region'],
    );
    // A caseworker cannot state MONITORING at all; stating its own purpose, it may not resolve Indicators.
    const borrowed = await fetchIndicators(county.url, {
      token: await tokenFor('county'),
      purpose: 'MONITORING',
      period: '2026-Q3',
      region: 'DISTRICT',
      fields: ['germanAtClearing'],
    });
    assert.deepEqual(codes(borrowed), ['FORBIDDEN_PURPOSE']);
    const caseworker = await fetchIndicators(county.url, {
      token: await tokenFor('county'),
      purpose: 'CLEARING',
      period: '2026-Q3',
      region: 'DISTRICT',
      fields: ['germanAtClearing'],
    });
    assert.deepEqual(codes(caseworker), ['FORBIDDEN']);
  });
});
