import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { SubgraphName } from '../../domain.js';
import { roleName } from '../../db/provision.js';

/** The tables a witness keeps in its part's database (`DatabaseWitnessStore`). */
export const WITNESS_STATE_TABLES = ['cosigned_checkpoint', 'witnessed_log_key', 'checkpoint_alarm'] as const;

/**
 * A witness's state in its part's database: the checkpoints it cosigned (each extends the one before, by a
 * consistency proof), the logs' public keys it accepted beyond the pinned ones, and the checkpoints it
 * refused, kept as alarms. Append-only for the part's role (SELECT and INSERT only).
 */
export async function createWitnessState(db: QueryRunner, subgraph: SubgraphName): Promise<void> {
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
  await grantAppendOnly(db, subgraph, WITNESS_STATE_TABLES.join(', '));
}

/** Lets only the part's role read and append to `tables` (no UPDATE or DELETE), where the role exists. */
export async function grantAppendOnly(db: QueryRunner, subgraph: SubgraphName, tables: string): Promise<void> {
  await db.query(`REVOKE ALL ON ${tables} FROM PUBLIC`);
  const role = roleName(subgraph);
  const exists = (await db.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])) as unknown[];
  if (exists.length > 0) {
    await db.query(`REVOKE ALL ON ${tables} FROM ${role}`);
    await db.query(`GRANT SELECT, INSERT ON ${tables} TO ${role}`);
  }
}

/** The migration that gives a data subgraph a witness's state (the one that witnesses the registry's officers' log). */
export function witnessStateMigration(subgraph: SubgraphName, name: string): new () => MigrationInterface {
  return class implements MigrationInterface {
    name = name;

    async up(db: QueryRunner): Promise<void> {
      await createWitnessState(db, subgraph);
    }

    async down(db: QueryRunner): Promise<void> {
      for (const table of [...WITNESS_STATE_TABLES].reverse()) await db.query(`DROP TABLE ${table}`);
    }
  };
}
