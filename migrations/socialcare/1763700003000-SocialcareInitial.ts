import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Welfare organisations, their caseworkers, assignments, support needs, special needs and case notes. */
export class SocialcareInitial1763700003000 implements MigrationInterface {
  name = 'SocialcareInitial1763700003000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE organisation (
        id text PRIMARY KEY CHECK (id ~ '^[a-z][a-z0-9-]{1,40}$'),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200)
      )`);
    await db.query(`
      CREATE TABLE caseworker (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id text NOT NULL REFERENCES organisation (id),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        phone text NOT NULL CHECK (phone ~ '^\\+?[0-9 ()/-]{5,30}$'),
        email text NOT NULL CHECK (email ~ '^[^@\\s]+@[^@\\s]+$'),
        -- lets an assignment's composite key prove that its caseworker belongs to its organisation
        UNIQUE (id, organisation_id)
      )`);
    await db.query(`CREATE INDEX caseworker_organisation_idx ON caseworker (organisation_id)`);
    await db.query(`
      CREATE TABLE assignment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL,
        organisation_id text NOT NULL REFERENCES organisation (id),
        caseworker_id uuid NOT NULL,
        since date NOT NULL,
        until date,
        FOREIGN KEY (caseworker_id, organisation_id) REFERENCES caseworker (id, organisation_id),
        CHECK (until IS NULL OR until >= since)
      )`);
    await db.query(
      `CREATE UNIQUE INDEX assignment_one_open_per_person_idx ON assignment (person_id) WHERE until IS NULL`,
    );
    await db.query(`CREATE INDEX assignment_person_idx ON assignment (person_id)`);
    await db.query(
      `CREATE INDEX assignment_open_organisation_idx ON assignment (organisation_id, since DESC, person_id) WHERE until IS NULL`,
    );
    await db.query(`
      CREATE TABLE support_need (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL,
        organisation_id text NOT NULL REFERENCES organisation (id),
        field text NOT NULL CHECK (field IN ('HOUSING', 'LANGUAGE', 'EDUCATION', 'WORK_AND_TRAINING',
          'SOCIAL_PARTICIPATION', 'HEALTH')),
        description text NOT NULL CHECK (length(description) BETWEEN 1 AND 2000),
        opened_on date NOT NULL,
        closed_on date,
        CHECK (closed_on IS NULL OR closed_on >= opened_on)
      )`);
    await db.query(`CREATE INDEX support_need_person_idx ON support_need (person_id)`);
    await db.query(`CREATE INDEX support_need_organisation_idx ON support_need (organisation_id)`);
    await db.query(`
      CREATE TABLE special_need (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL,
        organisation_id text NOT NULL REFERENCES organisation (id),
        kind text NOT NULL CHECK (kind IN ('DISABILITY', 'TRAUMA', 'CHRONIC_ILLNESS', 'PREGNANCY')),
        description text NOT NULL CHECK (length(description) BETWEEN 1 AND 2000),
        recorded_on date NOT NULL
      )`);
    await db.query(`CREATE INDEX special_need_person_idx ON special_need (person_id)`);
    await db.query(`CREATE INDEX special_need_organisation_idx ON special_need (organisation_id)`);
    await db.query(`
      CREATE TABLE case_note (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL,
        organisation_id text NOT NULL REFERENCES organisation (id),
        author text NOT NULL CHECK (length(author) BETWEEN 1 AND 200),
        text text NOT NULL CHECK (length(btrim(text)) BETWEEN 1 AND 4000),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(
      `CREATE INDEX case_note_person_organisation_idx ON case_note (person_id, organisation_id, created_at)`,
    );
    await db.query(`CREATE INDEX case_note_organisation_idx ON case_note (organisation_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE case_note, special_need, support_need, assignment, caseworker, organisation`);
  }
}
