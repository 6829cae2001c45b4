import type { MigrationInterface, QueryRunner } from 'typeorm';

const LEVELS = `('A1', 'A2', 'B1', 'B2', 'C1', 'C2')`;

/**
 * Employment history, measures, integration courses and benefit receipt. Persons are the county's, so
 * `person_id` references nothing here: the jobcenter keys its records by the id the county issued.
 */
export class JobcenterInitial1763700002000 implements MigrationInterface {
  name = 'JobcenterInitial1763700002000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE employment_status (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL,
        status text NOT NULL CHECK (status IN ('EMPLOYED', 'IN_TRAINING', 'IN_MEASURE', 'SEEKING', 'NOT_AVAILABLE')),
        since date NOT NULL,
        employer text CHECK (employer IS NULL OR length(employer) BETWEEN 1 AND 200),
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(
      `CREATE INDEX employment_status_person_idx ON employment_status (person_id, since DESC, recorded_at DESC)`,
    );
    await db.query(`
      CREATE TABLE measure (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN ('JOB_COACHING', 'VOCATIONAL_LANGUAGE_COURSE', 'INTERNSHIP', 'QUALIFICATION', 'WAGE_SUBSIDY')),
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        provider text NOT NULL CHECK (length(provider) BETWEEN 1 AND 200),
        starts date NOT NULL,
        ends date CHECK (ends IS NULL OR ends >= starts),
        recorded_by text NOT NULL
      )`);
    await db.query(`CREATE INDEX measure_person_idx ON measure (person_id)`);
    await db.query(`
      CREATE TABLE integration_course (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL,
        course_type text NOT NULL CHECK (course_type IN ('GENERAL', 'YOUTH', 'PARENTS_AND_WOMEN', 'LITERACY', 'INTENSIVE', 'JOB_RELATED')),
        status text NOT NULL CHECK (status IN ('ENROLLED', 'COMPLETED', 'ABORTED', 'WAITING')),
        target_level text NOT NULL CHECK (target_level IN ${LEVELS}),
        result_level text CHECK (result_level IN ${LEVELS}),
        starts date NOT NULL,
        ends date CHECK (ends IS NULL OR ends >= starts),
        recorded_by text NOT NULL,
        CHECK ((status = 'COMPLETED') = (result_level IS NOT NULL)),
        CHECK (status NOT IN ('COMPLETED', 'ABORTED') OR ends IS NOT NULL)
      )`);
    await db.query(`CREATE INDEX integration_course_person_idx ON integration_course (person_id)`);
    await db.query(`
      CREATE TABLE benefit (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN ('SGB_II_CITIZENS_BENEFIT')),
        since date NOT NULL,
        until date CHECK (until IS NULL OR until >= since),
        household_size int NOT NULL CHECK (household_size BETWEEN 1 AND 30),
        recorded_by text NOT NULL
      )`);
    await db.query(`CREATE INDEX benefit_person_idx ON benefit (person_id)`);
    // At most one running receipt per person and kind: a new one first ends the old one.
    await db.query(`CREATE UNIQUE INDEX benefit_open_idx ON benefit (person_id, kind) WHERE until IS NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE benefit, integration_course, measure, employment_status`);
  }
}
