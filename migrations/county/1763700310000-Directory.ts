import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The district's guide of responsibilities (issue #17): per field of action and municipality, who is responsible. */
export class Directory1763700310000 implements MigrationInterface {
  name = 'Directory1763700310000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE directory_entry (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        agency text NOT NULL,
        field_of_action text NOT NULL
          CHECK (field_of_action IN ('HOUSING', 'LANGUAGE', 'EDUCATION', 'WORK_AND_TRAINING', 'SOCIAL_PARTICIPATION', 'RESIDENCE')),
        municipality_ags char(8) CHECK (municipality_ags ~ '^[0-9]{8}$'),
        office text NOT NULL CHECK (length(office) BETWEEN 1 AND 200),
        contact_name text CHECK (length(contact_name) <= 200),
        phone text CHECK (length(phone) <= 50),
        email text CHECK (length(email) <= 200),
        address text CHECK (length(address) <= 300),
        hours text CHECK (length(hours) <= 300),
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by text NOT NULL
      )`);
    await db.query(`CREATE INDEX directory_entry_field_idx ON directory_entry (field_of_action, municipality_ags)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE directory_entry`);
  }
}
