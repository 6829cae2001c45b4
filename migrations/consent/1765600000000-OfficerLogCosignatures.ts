import type { MigrationInterface, QueryRunner } from 'typeorm';
import { roleName } from '../../common/db/provision.js';

/**
 * Cosignatures that witnesses of other parties sent back for the registry's checkpoints of its officers' log,
 * each checked against the witness's pinned key before it is kept, and published with the checkpoint.
 */
export class OfficerLogCosignatures1765600000000 implements MigrationInterface {
  name = 'OfficerLogCosignatures1765600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE officer_log_cosignature (
        size bigint NOT NULL CHECK (size > 0),
        witness text NOT NULL CHECK (witness <> 'consent'),
        key_id text NOT NULL,
        at text NOT NULL,
        signature text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (size, witness, key_id)
      )`);
    await db.query(`REVOKE ALL ON officer_log_cosignature FROM PUBLIC`);
    const role = roleName('consent');
    const exists = (await db.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])) as unknown[];
    if (exists.length > 0) await db.query(`GRANT SELECT, INSERT ON officer_log_cosignature TO ${role}`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE officer_log_cosignature`);
  }
}
