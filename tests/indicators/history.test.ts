import 'reflect-metadata';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { createDataSource } from '../../common/db/data-source.js';
import { CountyHistory1763700320000 } from '../../migrations/county/1763700320000-CountyHistory.js';
import { countySubgraph } from '../../subgraphs/county/county.subgraph.js';
import { CountyIndicatorService } from '../../subgraphs/county/services/indicators.service.js';
import { counts, fetchIndicators, figures } from '../support/indicators.js';
import { startSubgraph, type RunningSubgraph } from '../support/subgraph.js';
import { tokenFor } from '../support/tokens.js';

const M1 = '08999001';
const M2 = '08999002';
const M3 = '08999003';

async function addPerson(
  county: RunningSubgraph,
  name: string,
  ags: string | null,
  arrival = '2025-01-01',
): Promise<string> {
  const id = randomUUID();
  await county.db.query(
    `INSERT INTO person (id, given_name, family_name, date_of_birth, gender, nationality, residence_status, arrival_date,
       assigned_municipality_ags, registered_by) VALUES ($1, $2, 'History', '1990-01-01', 'FEMALE', 'SYR', 'RECOGNISED_REFUGEE', $3, $4, 'test')`,
    [id, name, arrival, ags],
  );
  return id;
}

/**
 * The county's figures from its histories, hand-counted on three month-ends around the boundary of Q2 and
 * Q3 2026. Each person's line says where and at which level they count on 06-30, 07-31 and 09-30; with
 * today's state alone (the model before the histories) every line would count as on 09-30.
 */
describe('county indicators are true as of each past day', () => {
  let county: RunningSubgraph;

  beforeAll(async () => {
    county = await startSubgraph(countySubgraph);
    // [name, assignments [ags, since, until], clearings [completed on, German level or null]]
    const people: [string, [string, string, string | null][], [string, string | null][]][] = [
      // 06-30 M1 A1 · 07-31 M1 A1 · 09-30 M2 B1 (moved on 08-15, cleared again on 09-01)
      [
        'h1',
        [
          [M1, '2025-03-01', '2026-08-15'],
          [M2, '2026-08-15', null],
        ],
        [
          ['2025-05-01', 'A1'],
          ['2026-09-01', 'B1'],
        ],
      ],
      // 06-30 not cleared · 07-31 M1 B2 (cleared on the last day of July) · 09-30 M1 B2
      ['h2', [[M1, '2025-01-01', null]], [['2026-07-31', 'B2']]],
      // 06-30 unassigned NONE (cleared before being assigned) · 07-31 M2 NONE · 09-30 M2 NONE
      ['h3', [[M2, '2026-07-01', null]], [['2026-06-15', null]]],
      // 06-30 M2 C1_AND_ABOVE · 07-31 M2 C1_AND_ABOVE · 09-30 unassigned (assignment ended that day)
      ['h4', [[M2, '2025-01-01', '2026-09-30']], [['2025-02-01', 'C2']]],
      // never counted on these days: cleared only in October
      ['h5', [[M3, '2025-01-01', null]], [['2026-10-01', 'A2']]],
    ];
    for (const [name, assignments, clearings] of people) {
      const id = await addPerson(county, name, null);
      for (const [ags, since, until] of assignments) {
        await county.db.query(
          `INSERT INTO municipality_assignment (person_id, municipality_ags, since, until) VALUES ($1, $2, $3, $4)`,
          [id, ags, since, until],
        );
      }
      for (const [on, level] of clearings) {
        await county.db.query(
          `INSERT INTO clearing_record (person_id, completed_on, german_level, recorded_by) VALUES ($1, $2, $3, 'test')`,
          [id, on, level],
        );
      }
    }
  });
  afterAll(() => county.stop());

  it('counts each person where they were assigned and at the level of their latest clearing on that day', async () => {
    const service = new CountyIndicatorService(county.db.manager);
    assert.deepEqual(counts(await service.germanAtClearing('2026-06-30')), {
      [M1]: { A1: 1 },
      [M2]: { C1_AND_ABOVE: 1 },
      UNASSIGNED: { NONE: 1 },
    });
    assert.deepEqual(counts(await service.germanAtClearing('2026-07-31')), {
      [M1]: { A1: 1, B2: 1 },
      [M2]: { NONE: 1, C1_AND_ABOVE: 1 },
    });
    assert.deepEqual(counts(await service.germanAtClearing('2026-09-30')), {
      [M1]: { B2: 1 },
      [M2]: { B1: 1, NONE: 1 },
      UNASSIGNED: { C1_AND_ABOVE: 1 },
    });
    assert.deepEqual(counts(await service.germanAtClearing('2026-10-31')), {
      [M1]: { B2: 1 },
      [M2]: { B1: 1, NONE: 1 },
      [M3]: { A2: 1 },
      UNASSIGNED: { C1_AND_ABOVE: 1 },
    });
    assert.deepEqual(counts(await service.germanAtClearing('2025-01-31')), {});
  });

  it('publishes a quarter exactly as its last month, and the first months of the quarter as their own days', async () => {
    const analyst = await tokenFor('county', ['ANALYST']);
    const ask = async (period: string, region: string) => {
      const response = await fetchIndicators(county.url, {
        token: analyst,
        period,
        region,
        fields: ['germanAtClearing'],
      });
      assert.equal(response.errors, undefined, JSON.stringify(response.errors));
      return figures(response.data!._entities[0].germanAtClearing);
    };
    assert.deepEqual(await ask('2026-Q3', M2), await ask('2026-09', M2));
    assert.deepEqual(await ask('2026-Q3', 'DISTRICT'), await ask('2026-09', 'DISTRICT'));
    // Everything here is small: withheld in every period, never shown as 0 where someone is counted.
    for (const period of ['2026-06', '2026-07', '2026-08', '2026-Q3']) {
      const district = await ask(period, 'DISTRICT');
      assert.equal(district.TOTAL, null, period);
    }
  });

  it('keeps the histories as the county writes: a new assignment ends the old one today, a new clearing is a new record', async () => {
    const id = await addPerson(county, 'h6', M1, '2025-02-01');
    const today = (await county.db.query(`SELECT CURRENT_DATE::text AS d`))[0].d as string;
    await county.db.query(`UPDATE person SET assigned_municipality_ags = $2 WHERE id = $1`, [id, M2]);
    assert.deepEqual(
      await county.db.query(
        `SELECT municipality_ags, since::text, until::text FROM municipality_assignment WHERE person_id = $1 ORDER BY id`,
        [id],
      ),
      [
        { municipality_ags: M1, since: '2025-02-01', until: today },
        { municipality_ags: M2, since: today, until: null },
      ],
    );
    // A clearing as the service records it: the profile, then the language skills replaced, in one transaction.
    const clear = (on: string, german: string | null) =>
      county.db.transaction(async (manager) => {
        await manager.query(
          `INSERT INTO clearing_profile (person_id, school_years, school_degree, completed_on, recorded_by) VALUES ($1, 8, 'PRIMARY', $2, 'test')
           ON CONFLICT (person_id) DO UPDATE SET completed_on = EXCLUDED.completed_on`,
          [id, on],
        );
        await manager.query(`DELETE FROM language_skill WHERE person_id = $1`, [id]);
        await manager.query(`INSERT INTO language_skill (person_id, language, level) VALUES ($1, 'ar', 'NATIVE')`, [
          id,
        ]);
        if (german)
          await manager.query(`INSERT INTO language_skill (person_id, language, level) VALUES ($1, 'de', $2)`, [
            id,
            german,
          ]);
      });
    await clear('2025-04-01', 'A1');
    await clear('2026-03-01', 'B1');
    await clear('2026-05-01', null);
    assert.deepEqual(
      await county.db.query(
        `SELECT completed_on::text, german_level FROM clearing_record WHERE person_id = $1 ORDER BY id`,
        [id],
      ),
      [
        { completed_on: '2025-04-01', german_level: 'A1' },
        { completed_on: '2026-03-01', german_level: 'B1' },
        { completed_on: '2026-05-01', german_level: null },
      ],
    );
  });
});

describe('migration CountyHistory', () => {
  let county: RunningSubgraph;
  beforeAll(async () => {
    county = await startSubgraph(countySubgraph);
  });
  afterAll(() => county.stop());

  it('fills the histories from the current state on up, and down leaves the current state as it was', async () => {
    const migration = new CountyHistory1763700320000();
    // Migrations run as the database's owner, not as the subgraph's role.
    const admin = await createDataSource({ url: county.adminUrl, entities: [] }).initialize();
    const runner = admin.createQueryRunner();
    try {
      await migration.down(runner);
      // Written while only the current state was kept.
      const id = await addPerson(county, 'm1', M3, '2025-04-01');
      await county.db.query(
        `INSERT INTO clearing_profile (person_id, school_years, school_degree, completed_on, recorded_by) VALUES ($1, 10, 'SECONDARY', '2025-06-01', 'test')`,
        [id],
      );
      await county.db.query(
        `INSERT INTO language_skill (person_id, language, level) VALUES ($1, 'de', 'B1'), ($1, 'fa', 'NATIVE')`,
        [id],
      );
      await migration.up(runner);
      const service = new CountyIndicatorService(county.db.manager);
      assert.deepEqual(counts(await service.germanAtClearing('2025-05-31')), {});
      assert.deepEqual(counts(await service.germanAtClearing('2025-06-30')), { [M3]: { B1: 1 } });
      await migration.down(runner);
      assert.deepEqual(
        await county.db.query(
          `SELECT assigned_municipality_ags, (SELECT level FROM language_skill WHERE person_id = $1 AND language = 'de') AS level FROM person WHERE id = $1`,
          [id],
        ),
        [{ assigned_municipality_ags: M3, level: 'B1' }],
      );
      await migration.up(runner);
    } finally {
      await runner.release();
      await admin.destroy();
    }
  });
});
