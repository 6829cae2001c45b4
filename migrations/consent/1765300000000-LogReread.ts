import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the consent registry's verification re-read of each data subgraph's log, and when: the records since
 * the last verified checkpoint (`NEW`), a rotating slice of older ones (`SLICE`), or everything (`FULL`).
 * The slices advance through the log so that every record is re-read at least once per
 * `VERIFY_FULL_CYCLE_DAYS`, and a verification can say when the records it did not re-read were last read.
 * Append-only for the registry's role.
 */
export class LogReread1765300000000 implements MigrationInterface {
  name = 'LogReread1765300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE log_reread (
        log_id text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('NEW', 'SLICE', 'FULL')),
        from_size bigint NOT NULL CHECK (from_size >= 0),
        through_size bigint NOT NULL CHECK (through_size >= from_size),
        intact boolean NOT NULL,
        reread_at timestamptz NOT NULL,
        PRIMARY KEY (log_id, kind, reread_at)
      )`);
    await db.query(`REVOKE ALL ON log_reread FROM PUBLIC`);
    const exists = (await db.query(`SELECT 1 FROM pg_roles WHERE rolname = 'verbund_consent'`)) as unknown[];
    if (exists.length > 0) {
      await db.query(`REVOKE ALL ON log_reread FROM verbund_consent`);
      await db.query(`GRANT SELECT, INSERT ON log_reread TO verbund_consent`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE log_reread`);
  }
}
