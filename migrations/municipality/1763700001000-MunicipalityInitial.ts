import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Municipalities, accommodation (housing) and childcare/school enrolments. */
export class MunicipalityInitial1763700001000 implements MigrationInterface {
  name = 'MunicipalityInitial1763700001000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE municipality (
        ags char(8) PRIMARY KEY CHECK (ags ~ '^[0-9]{8}$'),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        population int NOT NULL CHECK (population >= 0)
      )`);
    await db.query(`
      CREATE TABLE accommodation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL,
        municipality_ags char(8) NOT NULL REFERENCES municipality (ags),
        type text NOT NULL CHECK (type IN ('SHARED', 'FOLLOW_UP', 'OWN_FLAT')),
        address text NOT NULL CHECK (length(btrim(address)) BETWEEN 1 AND 200),
        since date NOT NULL,
        until date,
        recorded_by text NOT NULL,
        CHECK (until IS NULL OR until >= since)
      )`);
    // At most one current accommodation per person; it also serves the current-housing lookups.
    await db.query(
      `CREATE UNIQUE INDEX accommodation_current_person_idx ON accommodation (person_id) WHERE until IS NULL`,
    );
    await db.query(`CREATE INDEX accommodation_person_idx ON accommodation (person_id, since)`);
    // Own scope and `residents`: a municipality's current residents.
    await db.query(
      `CREATE INDEX accommodation_current_municipality_idx ON accommodation (municipality_ags, person_id) WHERE until IS NULL`,
    );
    await db.query(`
      CREATE TABLE enrolment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL,
        municipality_ags char(8) NOT NULL REFERENCES municipality (ags),
        kind text NOT NULL CHECK (kind IN ('CHILDCARE', 'SCHOOL')),
        institution text NOT NULL CHECK (length(btrim(institution)) BETWEEN 1 AND 200),
        grade int CHECK (grade BETWEEN 1 AND 13),
        since date NOT NULL,
        until date,
        recorded_by text NOT NULL,
        CHECK (until IS NULL OR until >= since),
        CHECK (kind = 'SCHOOL' OR grade IS NULL)
      )`);
    await db.query(`CREATE INDEX enrolment_person_idx ON enrolment (person_id, since)`);
    await db.query(`CREATE INDEX enrolment_municipality_idx ON enrolment (municipality_ags)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE enrolment, accommodation, municipality`);
  }
}
