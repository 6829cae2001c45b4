import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The consent registry as a witness of the data subgraphs' signed checkpoints: the checkpoints it cosigned
 * (each extends the one before, by a consistency proof), the logs' public keys as it first saw them, and the
 * checkpoints it refused, kept as alarms. Append-only for the registry's role.
 */
export class CheckpointWitness1763700440000 implements MigrationInterface {
  name = 'CheckpointWitness1763700440000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE cosigned_checkpoint (
        log_id text NOT NULL,
        size bigint NOT NULL CHECK (size > 0),
        root text NOT NULL CHECK (root ~ '^[0-9a-f]{64}$'),
        at timestamptz NOT NULL,
        key_id text NOT NULL,
        signature text NOT NULL,
        witness text NOT NULL,
        witness_key_id text NOT NULL,
        cosigned_at timestamptz NOT NULL,
        cosignature text NOT NULL,
        PRIMARY KEY (log_id, size)
      )`);
    await db.query(`
      CREATE TABLE witnessed_log_key (
        log_id text NOT NULL,
        key_id text NOT NULL,
        public_key text NOT NULL,
        first_seen timestamptz NOT NULL,
        PRIMARY KEY (log_id, key_id)
      )`);
    await db.query(`
      CREATE TABLE checkpoint_alarm (
        log_id text NOT NULL,
        size bigint NOT NULL,
        message text NOT NULL,
        checkpoint jsonb,
        detected_at timestamptz NOT NULL,
        PRIMARY KEY (log_id, size, message)
      )`);
    await db.query(`
      CREATE TABLE verified_checkpoint (
        log_id text NOT NULL,
        size bigint NOT NULL CHECK (size > 0),
        root text NOT NULL CHECK (root ~ '^[0-9a-f]{64}$'),
        verified_at timestamptz NOT NULL,
        PRIMARY KEY (log_id, size)
      )`);
    const tables = 'cosigned_checkpoint, witnessed_log_key, checkpoint_alarm, verified_checkpoint';
    await db.query(`REVOKE ALL ON ${tables} FROM PUBLIC`);
    const exists = (await db.query(`SELECT 1 FROM pg_roles WHERE rolname = 'verbund_consent'`)) as unknown[];
    if (exists.length > 0) {
      await db.query(`REVOKE ALL ON ${tables} FROM verbund_consent`);
      await db.query(`GRANT SELECT, INSERT ON ${tables} TO verbund_consent`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE verified_checkpoint`);
    await db.query(`DROP TABLE checkpoint_alarm`);
    await db.query(`DROP TABLE witnessed_log_key`);
    await db.query(`DROP TABLE cosigned_checkpoint`);
  }
}
