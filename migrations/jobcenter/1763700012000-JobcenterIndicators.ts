import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Monitoring: the municipality each client lives in, as the jobcenter's own file records it (it decides
 * which local office is responsible), with its history, so that figures can be given per municipality
 * without asking another partner who lives where. And indexes that hand each client's entry in force on a
 * day (the latest begun by then) over in that order, with every column the count needs, so that PostgreSQL
 * neither sorts nor reads the tables.
 */
export class JobcenterIndicators1763700012000 implements MigrationInterface {
  name = 'JobcenterIndicators1763700012000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE client_residence (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL,
        municipality_ags char(8) NOT NULL CHECK (municipality_ags ~ '^[0-9]{8}$'),
        since date NOT NULL,
        until date,
        recorded_by text NOT NULL,
        CHECK (until IS NULL OR until >= since)
      )`);
    // At most one current residence per person: a move first ends the old one.
    await db.query(
      `CREATE UNIQUE INDEX client_residence_current_idx ON client_residence (person_id) WHERE until IS NULL`,
    );
    await db.query(
      `CREATE INDEX client_residence_as_of_idx ON client_residence (person_id, since DESC, id) INCLUDE (until, municipality_ags)`,
    );
    await db.query(
      `CREATE INDEX employment_status_as_of_idx ON employment_status (person_id, since DESC, recorded_at DESC, id) INCLUDE (status)`,
    );
    await db.query(
      `CREATE INDEX integration_course_as_of_idx ON integration_course (person_id, starts DESC, id)
       INCLUDE (status, result_level, ends) WHERE status <> 'WAITING'`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX integration_course_as_of_idx, employment_status_as_of_idx`);
    await db.query(`DROP TABLE client_residence`);
  }
}
