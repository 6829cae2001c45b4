import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createWitnessState, grantAppendOnly } from '../../common/audit/witness/witness-state.migration.js';

/**
 * The consent registry as a witness of the data subgraphs' signed checkpoints: the witness's state (the
 * checkpoints it cosigned, the logs' keys, the alarms) and the checkpoints its verification found intact.
 * Append-only for the registry's role.
 */
export class CheckpointWitness1763700440000 implements MigrationInterface {
  name = 'CheckpointWitness1763700440000';

  async up(db: QueryRunner): Promise<void> {
    await createWitnessState(db, 'consent');
    await db.query(`
      CREATE TABLE verified_checkpoint (
        log_id text NOT NULL,
        size bigint NOT NULL CHECK (size > 0),
        root text NOT NULL CHECK (root ~ '^[0-9a-f]{64}$'),
        verified_at timestamptz NOT NULL,
        PRIMARY KEY (log_id, size)
      )`);
    await grantAppendOnly(db, 'consent', 'verified_checkpoint');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE verified_checkpoint`);
    await db.query(`DROP TABLE checkpoint_alarm`);
    await db.query(`DROP TABLE witnessed_log_key`);
    await db.query(`DROP TABLE cosigned_checkpoint`);
  }
}
