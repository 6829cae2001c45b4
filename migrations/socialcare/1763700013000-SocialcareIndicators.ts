import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Monitoring: the municipality where an organisation counsels a person (counselling is organised by
 * municipality), so that open support needs can be counted per municipality from the organisation's own
 * records. Older assignments have none and count in the district's figures only. And indexes for counting as
 * of a day: each person's counselling in force (the latest begun), and the needs open, read from the index.
 */
export class SocialcareIndicators1763700013000 implements MigrationInterface {
  name = 'SocialcareIndicators1763700013000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `ALTER TABLE assignment ADD COLUMN municipality_ags char(8) CHECK (municipality_ags ~ '^[0-9]{8}$')`,
    );
    await db.query(
      `CREATE INDEX assignment_as_of_idx ON assignment (person_id, since DESC, id) INCLUDE (until, municipality_ags)`,
    );
    await db.query(
      `CREATE INDEX support_need_as_of_idx ON support_need (opened_on) INCLUDE (closed_on, person_id, field)`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX support_need_as_of_idx, assignment_as_of_idx`);
    await db.query(`ALTER TABLE assignment DROP COLUMN municipality_ags`);
  }
}
