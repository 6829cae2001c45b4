import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Consent records, one row per version; exactly one current version per consent. */
export class ConsentInitial1763700004000 implements MigrationInterface {
  name = 'ConsentInitial1763700004000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE consent (
        id uuid NOT NULL,
        version int NOT NULL CHECK (version >= 1),
        is_current boolean NOT NULL,
        person_id uuid NOT NULL,
        recipients text[] NOT NULL CHECK (cardinality(recipients) > 0),
        purposes text[] NOT NULL CHECK (cardinality(purposes) > 0),
        categories text[] NOT NULL CHECK (cardinality(categories) > 0),
        given_at timestamptz NOT NULL,
        valid_from timestamptz NOT NULL,
        valid_until timestamptz CHECK (valid_until IS NULL OR valid_until > valid_from),
        withdrawn_at timestamptz,
        withdrawal_reason text,
        form text NOT NULL CHECK (form IN ('WRITTEN', 'ELECTRONIC')),
        evidence_reference text NOT NULL,
        notice_version text NOT NULL,
        notice_language text NOT NULL,
        recorded_by_officer text NOT NULL,
        recorded_by_agency text NOT NULL,
        recorded_at timestamptz NOT NULL,
        PRIMARY KEY (id, version)
      )`);
    await db.query(`CREATE UNIQUE INDEX consent_one_current_idx ON consent (id) WHERE is_current`);
    await db.query(`CREATE INDEX consent_current_person_idx ON consent (person_id) WHERE is_current`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE consent`);
  }
}
