import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { SubgraphName } from '../../domain.js';
import { roleName } from '../../db/provision.js';

/**
 * The chain trigger's body as the log was first made: the owner's role is looked up for every inserted row,
 * before the chain is read. Kept for `chainFirstMigration`'s `down`.
 */
const OWNER_FIRST_CHAIN_CHECK = `
        DECLARE
          last_sequence bigint;
          last_hash text;
        BEGIN
          IF pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'USAGE') THEN
            RETURN NEW;
          END IF;
          SELECT sequence, hash INTO last_sequence, last_hash FROM disclosure_log ORDER BY sequence DESC LIMIT 1;
          IF NOT FOUND THEN
            last_sequence := 0;
            last_hash := repeat('0', 64);
          END IF;
          IF NEW.sequence <> last_sequence + 1 OR NEW.previous_hash <> last_hash THEN
            RAISE EXCEPTION 'disclosure_log: record % does not follow record %', NEW.sequence, last_sequence
              USING ERRCODE = 'check_violation';
          END IF;
          RETURN NEW;
        END `;

/**
 * The same rule, checked in the other order: a row that extends the chain by one goes in at once, and only a
 * row that does not is asked whether its writer is the table's owner (exempt, for the retention operation).
 * Every append of a subgraph's process extends the chain, so the role lookup (about 10 µs of the trigger's 30 per
 * row, measured in `docs/benchmark.md`) is no longer made for any of them. Who may insert what is unchanged.
 */
const CHAIN_FIRST_CHAIN_CHECK = `
        DECLARE
          last_sequence bigint;
          last_hash text;
        BEGIN
          -- A row without sequence or previous hash is left to the NOT NULL constraints (not_null_violation),
          -- so that it is never taken for an append that lost a race (check_violation, which the process retries).
          IF NEW.sequence IS NULL OR NEW.previous_hash IS NULL THEN
            RETURN NEW;
          END IF;
          SELECT sequence, hash INTO last_sequence, last_hash FROM disclosure_log ORDER BY sequence DESC LIMIT 1;
          IF NOT FOUND THEN
            last_sequence := 0;
            last_hash := repeat('0', 64);
          END IF;
          IF NEW.sequence = last_sequence + 1 AND NEW.previous_hash = last_hash THEN
            RETURN NEW;
          END IF;
          IF pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'USAGE') THEN
            RETURN NEW;
          END IF;
          RAISE EXCEPTION 'disclosure_log: record % does not follow record %', NEW.sequence, last_sequence
            USING ERRCODE = 'check_violation';
        END `;

/** Replaces the chain trigger's body by `CHAIN_FIRST_CHAIN_CHECK` (the same rule, the chain read first). */
export function chainFirstMigration(name: string): new () => MigrationInterface {
  return class implements MigrationInterface {
    name = name;

    async up(db: QueryRunner): Promise<void> {
      await db.query(
        `CREATE OR REPLACE FUNCTION disclosure_log_next_in_chain() RETURNS trigger LANGUAGE plpgsql AS $$${CHAIN_FIRST_CHAIN_CHECK}$$`,
      );
    }

    async down(db: QueryRunner): Promise<void> {
      await db.query(
        `CREATE OR REPLACE FUNCTION disclosure_log_next_in_chain() RETURNS trigger LANGUAGE plpgsql AS $$${OWNER_FIRST_CHAIN_CHECK}$$`,
      );
    }
  };
}

/**
 * The disclosure log table of one data subgraph. Append-only twice over: the subgraph's role is granted
 * SELECT and INSERT only, and a trigger refuses UPDATE, DELETE and TRUNCATE from anyone, the owner
 * included, except a DELETE inside the retention operation (`SET LOCAL verbund.retention = 'on'`), which
 * only the administrator can run because only it holds DELETE. A second trigger lets the role insert only
 * the record that extends the chain by one.
 */
export function disclosureLogMigration(subgraph: SubgraphName, name: string): new () => MigrationInterface {
  const role = roleName(subgraph);
  return class implements MigrationInterface {
    name = name;

    async up(db: QueryRunner): Promise<void> {
      await db.query(`
        CREATE TABLE disclosure_log (
          sequence bigint PRIMARY KEY CHECK (sequence > 0),
          at timestamptz NOT NULL,
          request_id text NOT NULL,
          agency text NOT NULL,
          officer text NOT NULL,
          roles text[] NOT NULL,
          purpose text NOT NULL,
          operation text,
          kind text NOT NULL CHECK (kind IN ('READ', 'WRITE', 'RETENTION')),
          person_id uuid,
          released jsonb NOT NULL,
          refused jsonb NOT NULL,
          basis jsonb NOT NULL,
          changes jsonb NOT NULL,
          retention jsonb,
          policy_version text NOT NULL,
          previous_hash text NOT NULL CHECK (previous_hash ~ '^[0-9a-f]{64}$'),
          hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$')
        )`);
      // The timeline of one person and the filtered log, both newest first.
      await db.query(`CREATE INDEX disclosure_log_person_idx ON disclosure_log (person_id, at DESC, sequence DESC)`);
      await db.query(`CREATE INDEX disclosure_log_at_idx ON disclosure_log (at DESC, sequence DESC)`);
      await db.query(`CREATE INDEX disclosure_log_agency_idx ON disclosure_log (agency, at DESC, sequence DESC)`);
      await db.query(`CREATE INDEX disclosure_log_officer_idx ON disclosure_log (officer, at DESC, sequence DESC)`);
      await db.query(`CREATE INDEX disclosure_log_request_idx ON disclosure_log (request_id)`);
      await db.query(`CREATE INDEX disclosure_log_retention_idx ON disclosure_log (sequence) WHERE kind = 'RETENTION'`);
      // The role can only extend the chain by one: no gaps, no far-off sequence that would block every later
      // append. (It could still append a well-formed forged record; an unkeyed chain cannot prevent that.)
      // The owner, who alone runs the retention operation, is exempt.
      await db.query(
        `CREATE FUNCTION disclosure_log_next_in_chain() RETURNS trigger LANGUAGE plpgsql AS $$${OWNER_FIRST_CHAIN_CHECK}$$`,
      );
      await db.query(`
        CREATE TRIGGER disclosure_log_in_chain BEFORE INSERT ON disclosure_log
        FOR EACH ROW EXECUTE FUNCTION disclosure_log_next_in_chain()`);
      await db.query(`
        CREATE FUNCTION disclosure_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'DELETE' AND current_setting('verbund.retention', true) = 'on' THEN
            RETURN OLD;
          END IF;
          RAISE EXCEPTION 'disclosure_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
        END $$`);
      await db.query(`
        CREATE TRIGGER disclosure_log_no_change BEFORE UPDATE OR DELETE ON disclosure_log
        FOR EACH ROW EXECUTE FUNCTION disclosure_log_append_only()`);
      await db.query(`
        CREATE TRIGGER disclosure_log_no_truncate BEFORE TRUNCATE ON disclosure_log
        FOR EACH STATEMENT EXECUTE FUNCTION disclosure_log_append_only()`);
      await db.query(`REVOKE ALL ON disclosure_log FROM PUBLIC`);
      const exists = (await db.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])) as unknown[];
      if (exists.length > 0) {
        await db.query(`REVOKE ALL ON disclosure_log FROM ${role}`);
        await db.query(`GRANT SELECT, INSERT ON disclosure_log TO ${role}`);
      }
    }

    async down(db: QueryRunner): Promise<void> {
      await db.query(`DROP TABLE disclosure_log`);
      await db.query(`DROP FUNCTION disclosure_log_append_only()`);
      await db.query(`DROP FUNCTION disclosure_log_next_in_chain()`);
    }
  };
}

/**
 * Adds the client's correlation id beside the gateway's request id. Older records keep it empty, and the
 * record encoding covers it only where it is set, so their hashes stay valid.
 */
export function correlationIdMigration(name: string): new () => MigrationInterface {
  return class implements MigrationInterface {
    name = name;

    async up(db: QueryRunner): Promise<void> {
      await db.query(`ALTER TABLE disclosure_log ADD COLUMN correlation_id text`);
    }

    async down(db: QueryRunner): Promise<void> {
      await db.query(`ALTER TABLE disclosure_log DROP COLUMN correlation_id`);
    }
  };
}

/**
 * Lets a log hold consent officers' audit reads (kind `AUDIT`, with what was looked at in `audit`). Only the
 * consent registry's log needs it; the record encoding covers `audit` only where it is set.
 */
export function auditRecordsMigration(name: string): new () => MigrationInterface {
  return class implements MigrationInterface {
    name = name;

    async up(db: QueryRunner): Promise<void> {
      await db.query(`ALTER TABLE disclosure_log ADD COLUMN audit jsonb`);
      await db.query(`ALTER TABLE disclosure_log DROP CONSTRAINT disclosure_log_kind_check`);
      await db.query(`
        ALTER TABLE disclosure_log ADD CONSTRAINT disclosure_log_kind_check
        CHECK (kind IN ('READ', 'WRITE', 'RETENTION', 'AUDIT') AND (kind = 'AUDIT') = (audit IS NOT NULL))`);
    }

    async down(db: QueryRunner): Promise<void> {
      await db.query(`ALTER TABLE disclosure_log DROP CONSTRAINT disclosure_log_kind_check`);
      await db.query(`ALTER TABLE disclosure_log DROP COLUMN audit`);
      await db.query(
        `ALTER TABLE disclosure_log ADD CONSTRAINT disclosure_log_kind_check CHECK (kind IN ('READ', 'WRITE', 'RETENTION'))`,
      );
    }
  };
}

/**
 * Record version 2 (issue #23): each new record keeps the salt of its officer's commitment, so that its hash
 * covers the commitment and a person's receipt can carry that instead of the pseudonymous id. Older records
 * keep no salt and hash as version 1.
 */
export function officerSaltMigration(name: string): new () => MigrationInterface {
  return class implements MigrationInterface {
    name = name;

    async up(db: QueryRunner): Promise<void> {
      await db.query(`ALTER TABLE disclosure_log ADD COLUMN officer_salt text CHECK (officer_salt ~ '^[0-9a-f]{32}$')`);
    }

    async down(db: QueryRunner): Promise<void> {
      await db.query(`ALTER TABLE disclosure_log DROP COLUMN officer_salt`);
    }
  };
}
