import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Persons, residence and the clearing profile. */
export class CountyInitial1763700000000 implements MigrationInterface {
  name = 'CountyInitial1763700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE person (
        id uuid PRIMARY KEY,
        given_name text NOT NULL CHECK (length(given_name) BETWEEN 1 AND 100),
        family_name text NOT NULL CHECK (length(family_name) BETWEEN 1 AND 100),
        date_of_birth date NOT NULL,
        gender text NOT NULL CHECK (gender IN ('FEMALE', 'MALE', 'DIVERSE', 'UNKNOWN')),
        nationality char(3) NOT NULL,
        residence_status text NOT NULL CHECK (residence_status IN ('ASYLUM_PENDING', 'RECOGNISED_REFUGEE',
          'SUBSIDIARY_PROTECTION', 'TEMPORARY_PROTECTION', 'TOLERATED', 'SETTLEMENT_PERMIT')),
        residence_valid_until date,
        arrival_date date NOT NULL,
        assigned_municipality_ags char(8),
        registered_at timestamptz NOT NULL DEFAULT now(),
        registered_by text NOT NULL
      )`);
    await db.query(`CREATE INDEX person_assigned_municipality_idx ON person (assigned_municipality_ags)`);
    await db.query(`CREATE INDEX person_registered_at_idx ON person (registered_at DESC, id)`);
    await db.query(`
      CREATE TABLE clearing_profile (
        person_id uuid PRIMARY KEY REFERENCES person (id) ON DELETE CASCADE,
        school_years int NOT NULL CHECK (school_years BETWEEN 0 AND 25),
        school_degree text NOT NULL CHECK (school_degree IN ('NONE', 'PRIMARY', 'LOWER_SECONDARY', 'SECONDARY', 'UNIVERSITY_ENTRANCE')),
        interests text[] NOT NULL DEFAULT '{}',
        goals text[] NOT NULL DEFAULT '{}',
        completed_on date NOT NULL,
        recorded_by text NOT NULL
      )`);
    await db.query(`
      CREATE TABLE language_skill (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL REFERENCES person (id) ON DELETE CASCADE,
        language text NOT NULL CHECK (language ~ '^[a-z]{2}$'),
        level text NOT NULL CHECK (level IN ('A1', 'A2', 'B1', 'B2', 'C1', 'C2', 'NATIVE')),
        UNIQUE (person_id, language)
      )`);
    await db.query(`
      CREATE TABLE qualification (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL REFERENCES person (id) ON DELETE CASCADE,
        title text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('VOCATIONAL', 'ACADEMIC')),
        country char(3) NOT NULL,
        recognition text NOT NULL CHECK (recognition IN ('NOT_APPLIED', 'IN_PROGRESS', 'FULL', 'PARTIAL', 'REJECTED'))
      )`);
    await db.query(`CREATE INDEX qualification_person_idx ON qualification (person_id)`);
    await db.query(`
      CREATE TABLE work_experience (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL REFERENCES person (id) ON DELETE CASCADE,
        occupation text NOT NULL,
        years numeric(4,1) NOT NULL CHECK (years >= 0)
      )`);
    await db.query(`CREATE INDEX work_experience_person_idx ON work_experience (person_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE work_experience, qualification, language_skill, clearing_profile, person`);
  }
}
