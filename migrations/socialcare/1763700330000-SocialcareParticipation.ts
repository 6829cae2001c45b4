import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Monitoring of two fields of action the welfare organisations hold the data for: social participation
 * (membership in a club, taking part in a community offer, volunteering) and language support beyond the
 * integration courses (language cafés, volunteer tutoring, language groups for parents). Each entry is the
 * organisation's own record of one person taking part in one kind of offer, from a day until a day, so that
 * figures are true as of any past day. A new table: existing data is untouched; `down` drops it.
 */
export class SocialcareParticipation1763700330000 implements MigrationInterface {
  name = 'SocialcareParticipation1763700330000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE participation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL,
        organisation_id text NOT NULL REFERENCES organisation (id),
        kind text NOT NULL CHECK (kind IN ('SPORTS_CLUB', 'OTHER_CLUB', 'COMMUNITY_OFFER', 'VOLUNTEERING',
          'LANGUAGE_CAFE', 'LANGUAGE_TUTORING', 'PARENTS_LANGUAGE_GROUP')),
        since date NOT NULL,
        until date,
        recorded_by text NOT NULL,
        CHECK (until IS NULL OR until >= since)
      )`);
    await db.query(`CREATE INDEX participation_person_idx ON participation (person_id)`);
    await db.query(`CREATE INDEX participation_as_of_idx ON participation (since) INCLUDE (until, person_id, kind)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE participation`);
  }
}
