import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The staff and contact assignment tables, the same in every partner that records its own contacts (county,
 * municipality, jobcenter; the welfare organisations' caseworkers are their contacts already). Each subgraph
 * names its own migration class.
 */
export function contactsMigration(name: string): new () => MigrationInterface {
  return class implements MigrationInterface {
    name = name;

    async up(db: QueryRunner): Promise<void> {
      await db.query(`
        CREATE TABLE staff_member (
          id uuid PRIMARY KEY,
          agency text NOT NULL,
          office text NOT NULL CHECK (length(office) BETWEEN 1 AND 200),
          name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
          role text NOT NULL CHECK (length(role) BETWEEN 1 AND 200),
          phone text CHECK (length(phone) <= 50),
          email text CHECK (length(email) <= 200)
        )`);
      await db.query(`CREATE INDEX staff_member_agency_idx ON staff_member (agency)`);
      await db.query(`
        CREATE TABLE contact_assignment (
          id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          person_id uuid NOT NULL,
          agency text NOT NULL,
          field_of_action text NOT NULL
            CHECK (field_of_action IN ('HOUSING', 'LANGUAGE', 'EDUCATION', 'WORK_AND_TRAINING', 'SOCIAL_PARTICIPATION', 'RESIDENCE')),
          staff_id uuid NOT NULL REFERENCES staff_member (id),
          since date NOT NULL,
          until date CHECK (until IS NULL OR until >= since),
          recorded_by text NOT NULL
        )`);
      await db.query(
        `CREATE INDEX contact_assignment_person_idx ON contact_assignment (person_id) WHERE until IS NULL`,
      );
      await db.query(
        `CREATE UNIQUE INDEX contact_assignment_one_open_idx ON contact_assignment (person_id, agency, field_of_action) WHERE until IS NULL`,
      );
    }

    async down(db: QueryRunner): Promise<void> {
      await db.query(`DROP TABLE contact_assignment`);
      await db.query(`DROP TABLE staff_member`);
    }
  };
}
