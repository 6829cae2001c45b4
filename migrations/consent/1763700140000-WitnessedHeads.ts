import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The heads (sequence, hash) of the data subgraphs' disclosure logs as the consent registry saw them. A
 * hash chain alone cannot show records cut off its end; a head witnessed here that the log no longer
 * reaches can. Append-only for the registry's role.
 */
export class WitnessedHeads1763700140000 implements MigrationInterface {
  name = 'WitnessedHeads1763700140000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE witnessed_head (
        subgraph text NOT NULL CHECK (subgraph IN ('county', 'municipality', 'jobcenter', 'socialcare')),
        sequence bigint NOT NULL CHECK (sequence > 0),
        hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
        seen_at timestamptz NOT NULL,
        PRIMARY KEY (subgraph, sequence)
      )`);
    await db.query(`
      CREATE TABLE witness_alarm (
        subgraph text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('ALTERED', 'REMOVED', 'TRUNCATED')),
        sequence bigint NOT NULL,
        message text NOT NULL,
        detected_at timestamptz NOT NULL,
        PRIMARY KEY (subgraph, kind, sequence)
      )`);
    await db.query(`REVOKE ALL ON witnessed_head, witness_alarm FROM PUBLIC`);
    const exists = (await db.query(`SELECT 1 FROM pg_roles WHERE rolname = 'verbund_consent'`)) as unknown[];
    if (exists.length > 0) {
      await db.query(`REVOKE ALL ON witnessed_head, witness_alarm FROM verbund_consent`);
      await db.query(`GRANT SELECT, INSERT ON witnessed_head, witness_alarm TO verbund_consent`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE witness_alarm`);
    await db.query(`DROP TABLE witnessed_head`);
  }
}
