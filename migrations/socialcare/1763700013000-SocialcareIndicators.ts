import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Monitoring: the municipality where an organisation counsels a person (counselling is organised by
 * municipality), so that open support needs can be counted per municipality from the organisation's own
 * records. Older assignments have none and count in the district's figures only.
 */
export class SocialcareIndicators1763700013000 implements MigrationInterface {
  name = 'SocialcareIndicators1763700013000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE assignment ADD COLUMN municipality_ags char(8) CHECK (municipality_ags ~ '^[0-9]{8}$')`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE assignment DROP COLUMN municipality_ags`);
  }
}
