import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Monitoring: each person's stay (and each child's place) in force on a day is the latest begun by then;
 * these indexes hand it over in that order with every column the count needs, so PostgreSQL neither sorts
 * nor reads the table.
 */
export class MunicipalityIndicators1763700011000 implements MigrationInterface {
  name = 'MunicipalityIndicators1763700011000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE INDEX accommodation_as_of_idx ON accommodation (person_id, since DESC, id) INCLUDE (until, municipality_ags, type)`,
    );
    await db.query(
      `CREATE INDEX enrolment_as_of_idx ON enrolment (person_id, kind, since DESC, id) INCLUDE (until, municipality_ags)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX enrolment_as_of_idx, accommodation_as_of_idx`);
  }
}
