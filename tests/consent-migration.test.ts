import 'reflect-metadata';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../common/db/data-source.js';
import { dropDatabase, provisionDatabase, type SubgraphDatabase } from '../common/db/provision.js';
import { migrateSubgraph, revertSubgraphMigration } from '../common/subgraph/runtime.js';
import { consentSubgraph } from '../subgraphs/consent/consent.subgraph.js';
import { testAdminUrl } from './support/databases.js';

/**
 * The migration to validity days (1765200000000-ConsentLocalDates) keeps the days an officer in the district
 * meant. The rule: each stored instant becomes the calendar day it falls on in Europe/Berlin. The console
 * sent a typed day as 00:00 of the officer's browser (Berlin), so the typed day comes back, and the end day
 * is now in force through its end, as "valid until 30.06." means.
 */
describe('migrating consents to validity days', () => {
  const old = consentSubgraph.migrations.filter((m) => m.name !== 'ConsentLocalDates1765200000000');
  let database: SubgraphDatabase;
  let db: DataSource;
  const ids = {
    console: randomUUID(),
    winter: randomUUID(),
    api: randomUUID(),
    open: randomUUID(),
    late: randomUUID(),
  };

  beforeAll(async () => {
    const adminUrl = testAdminUrl();
    database = await provisionDatabase(adminUrl, 'consent', `verbund_m${randomBytes(5).toString('hex')}_consent`);
    await migrateSubgraph({ ...consentSubgraph, migrations: old }, database);
    db = await createDataSource({ url: database.adminUrl, entities: [] }).initialize();
    const insert = (id: string, givenAt: string, from: string, until: string | null) =>
      db.query(
        `INSERT INTO consent (id, version, is_current, person_id, recipients, purposes, categories, given_at, valid_from,
           valid_until, form, evidence_reference, notice_version, notice_language, recorded_by_officer, recorded_by_agency, recorded_at)
         VALUES ($1, 1, true, $2, '{jobcenter}', '{JOB_PLACEMENT}', '{CLEARING_LANGUAGE}', $3, $4, $5, 'WRITTEN', 'f', '2026-01', 'de', 'o', 'county', $3)`,
        [id, randomUUID(), givenAt, from, until],
      );
    // As the console wrote "valid from 01.03.2026 until 30.06.2027" typed in Berlin (summer time at the end).
    await insert(ids.console, '2026-03-01T09:00:00Z', '2026-02-28T23:00:00Z', '2027-06-29T22:00:00Z');
    // The same in winter: "until 15.01.2027" was 2027-01-14T23:00Z.
    await insert(ids.winter, '2026-03-01T09:00:00Z', '2026-03-01T09:00:00Z', '2027-01-14T23:00:00Z');
    // An API client's instants with a time of day keep the day they fall on in Berlin.
    await insert(ids.api, '2026-05-01T21:30:00Z', '2026-05-01T21:30:00Z', '2026-11-01T10:00:00Z');
    await insert(ids.open, '2026-05-01T10:00:00Z', '2026-05-01T10:00:00Z', null);
    // 23:30 UTC on 31 December is already New Year's Day in Berlin.
    await insert(ids.late, '2026-12-31T23:30:00Z', '2026-12-31T23:30:00Z', '2027-12-31T23:00:00Z');
    await migrateSubgraph(consentSubgraph, database);
  });
  afterAll(async () => {
    await db?.destroy();
    if (database) await dropDatabase(testAdminUrl(), database.name);
  });

  const days = async () =>
    Object.fromEntries(
      (
        await db.query<{ id: string; from: string; until: string | null }[]>(
          `SELECT id, valid_from::text AS from, valid_until::text AS until FROM consent`,
        )
      ).map((r) => [r.id, [r.from, r.until]]),
    );

  it('turns each instant into the day it falls on in Berlin: the day the officer typed', async () => {
    assert.deepEqual(await days(), {
      [ids.console]: ['2026-03-01', '2027-06-30'],
      [ids.winter]: ['2026-03-01', '2027-01-15'],
      [ids.api]: ['2026-05-01', '2026-11-01'],
      [ids.open]: ['2026-05-01', null],
      [ids.late]: ['2027-01-01', '2028-01-01'],
    });
  });

  it('goes back to instants as the console wrote them, each day at 00:00 in Berlin, and up again to the same days', async () => {
    await revertSubgraphMigration(consentSubgraph, database);
    const rows = await db.query<{ id: string; from: Date; until: Date | null }[]>(
      `SELECT id, valid_from AS from, valid_until AS until FROM consent WHERE id = $1`,
      [ids.console],
    );
    assert.equal(rows[0].from.toISOString(), '2026-02-28T23:00:00.000Z');
    assert.equal(rows[0].until!.toISOString(), '2027-06-29T22:00:00.000Z');
    await migrateSubgraph(consentSubgraph, database);
    assert.deepEqual((await days())[ids.console], ['2026-03-01', '2027-06-30']);
  });
});
