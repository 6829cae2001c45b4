import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { SubgraphName } from '../../domain.js';
import { roleName } from '../../db/provision.js';

/**
 * Signed checkpoints beside a data subgraph's disclosure log (the log's own table and its append are left
 * as they are):
 *
 * - `disclosure_attestation`: before the process appends an entry it stores the entry's digest with an HMAC
 *   under a key derived from its signing key, which the database never holds; `disclosure_attestation_use`
 *   says which record used which attestation, so one attestation vouches for one record only.
 * - `disclosure_checkpoint`: the signed checkpoints (size, root, time, key id, signature), each with the tree's
 *   frontier, so that the next one costs only the records appended since.
 * - `merkle_node`: the tree's complete subtrees of 256 leaves and more, so that a proof needs O(log n) rows;
 *   smaller subtrees are recomputed from the records' hashes.
 * - `checkpoint_origin`: the records already in the log when this migration ran were written before anyone
 *   attested; checkpoints cover them on the strength of the hash chain and the witnessed heads alone.
 *
 * The subgraph's role may SELECT and INSERT these tables (origin: SELECT only), never change or delete a row.
 */
export function checkpointMigration(subgraph: SubgraphName, name: string): new () => MigrationInterface {
  const role = roleName(subgraph);
  return class implements MigrationInterface {
    name = name;

    async up(db: QueryRunner): Promise<void> {
      await db.query(`
        CREATE TABLE disclosure_attestation (
          digest text NOT NULL CHECK (digest ~ '^[0-9a-f]{64}$'),
          key_id text NOT NULL CHECK (key_id ~ '^[0-9a-f]{16}$'),
          mac text NOT NULL CHECK (mac ~ '^[0-9a-f]{64}$')
        )`);
      await db.query(`CREATE INDEX disclosure_attestation_digest_idx ON disclosure_attestation (digest)`);
      await db.query(`
        CREATE TABLE disclosure_attestation_use (
          sequence bigint PRIMARY KEY,
          digest text NOT NULL
        )`);
      await db.query(`CREATE INDEX disclosure_attestation_use_digest_idx ON disclosure_attestation_use (digest)`);
      await db.query(`
        CREATE TABLE disclosure_checkpoint (
          size bigint PRIMARY KEY CHECK (size >= 0),
          root text NOT NULL CHECK (root ~ '^[0-9a-f]{64}$'),
          at timestamptz NOT NULL,
          key_id text NOT NULL,
          signature text NOT NULL,
          frontier jsonb NOT NULL,
          last_hash text NOT NULL CHECK (last_hash ~ '^[0-9a-f]{64}$')
        )`);
      await db.query(`
        CREATE TABLE merkle_node (
          level smallint NOT NULL CHECK (level >= 8),
          position bigint NOT NULL CHECK (position >= 0),
          hash bytea NOT NULL CHECK (length(hash) = 32),
          PRIMARY KEY (level, position)
        )`);
      await db.query(`CREATE TABLE checkpoint_origin (legacy_through bigint NOT NULL)`);
      await db.query(`INSERT INTO checkpoint_origin SELECT coalesce(max(sequence), 0) FROM disclosure_log`);
      const tables =
        'disclosure_attestation, disclosure_attestation_use, disclosure_checkpoint, merkle_node, checkpoint_origin';
      await db.query(`REVOKE ALL ON ${tables} FROM PUBLIC`);
      const exists = (await db.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])) as unknown[];
      if (exists.length > 0) {
        await db.query(`REVOKE ALL ON ${tables} FROM ${role}`);
        await db.query(
          `GRANT SELECT, INSERT ON disclosure_attestation, disclosure_attestation_use, disclosure_checkpoint, merkle_node TO ${role}`,
        );
        await db.query(`GRANT SELECT ON checkpoint_origin TO ${role}`);
      }
    }

    async down(db: QueryRunner): Promise<void> {
      await db.query(`DROP TABLE checkpoint_origin`);
      await db.query(`DROP TABLE merkle_node`);
      await db.query(`DROP TABLE disclosure_checkpoint`);
      await db.query(`DROP TABLE disclosure_attestation_use`);
      await db.query(`DROP TABLE disclosure_attestation`);
    }
  };
}
