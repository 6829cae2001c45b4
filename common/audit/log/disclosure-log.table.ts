/**
 * The `disclosure_log` table as the code sees it: rows mapped to records and back, the chain's head, and
 * appending after it in a transaction under the append lock. The repository, verification and retention
 * all go through here, so there is one mapping and one way into the chain.
 */
import type pg from 'pg';
import type { DataSource } from 'typeorm';
import { runPrepared, type PreparedStatement } from '../../db/prepared.js';
import {
  ENTRY_FIELDS,
  GENESIS_HASH,
  chainEntries,
  type AuditDetail,
  type DisclosureEntry,
  type DisclosureRecord,
  type RetentionDetail,
} from './record.js';

/** Held, per database, by whoever appends to the chain, so that two processes never fork it. */
export const APPEND_LOCK = 7_366_201;
/** Rows per INSERT: 19 parameters each stays far below PostgreSQL's 65,535. */
export const INSERT_CHUNK = 1000;
/** A record field's column: `requestId` is stored as `request_id`. */
const columnOf = (field: string) => field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
const COLUMNS = [
  'sequence',
  'at',
  ...ENTRY_FIELDS.map(columnOf),
  'previous_hash',
  'hash',
  'correlation_id',
  'officer_salt',
] as const;
/** Only the consent registry's log of officers' audit reads has it; it is written only for AUDIT records. */
const AUDIT_COLUMNS = [...COLUMNS, 'audit'] as const;
const JSON_COLUMNS = new Set(['released', 'refused', 'basis', 'changes', 'retention', 'audit']);

/** A `disclosure_log` row as pg returns it (bigint sequence as text, jsonb parsed). */
export interface RecordRow {
  sequence: string;
  at: Date;
  request_id: string;
  agency: string;
  officer: string;
  roles: string[];
  purpose: string;
  operation: string | null;
  kind: DisclosureRecord['kind'];
  person_id: string | null;
  released: DisclosureRecord['released'];
  refused: DisclosureRecord['refused'];
  basis: DisclosureRecord['basis'];
  changes: DisclosureRecord['changes'];
  retention: RetentionDetail | null;
  policy_version: string;
  previous_hash: string;
  hash: string;
  correlation_id: string | null;
  /** Version 2 records' salt of the officer's commitment; null in version 1 records. */
  officer_salt: string | null;
  /** Absent from the data subgraphs' tables. */
  audit?: AuditDetail | null;
}

/** The record a row holds. */
export function fromRow(row: RecordRow): DisclosureRecord {
  return {
    sequence: Number(row.sequence),
    at: row.at,
    requestId: row.request_id,
    agency: row.agency,
    officer: row.officer,
    roles: row.roles,
    purpose: row.purpose,
    operation: row.operation,
    kind: row.kind,
    personId: row.person_id,
    released: row.released,
    refused: row.refused,
    basis: row.basis,
    changes: row.changes,
    retention: row.retention,
    policyVersion: row.policy_version,
    previousHash: row.previous_hash,
    hash: row.hash,
    correlationId: row.correlation_id,
    ...(row.officer_salt ? { officerSalt: row.officer_salt } : {}),
    ...(row.audit ? { audit: row.audit } : {}),
  };
}

function toParameters(record: DisclosureRecord): unknown[] {
  return [
    record.sequence,
    record.at,
    ...ENTRY_FIELDS.map((field) => (JSON_COLUMNS.has(field) ? JSON.stringify(record[field]) : record[field])),
    record.previousHash,
    record.hash,
    record.correlationId ?? null,
    record.officerSalt ?? null,
    ...(record.audit ? [JSON.stringify(record.audit)] : []),
  ];
}

/** The newest record's place in the chain; the genesis position for an empty log. */
export interface ChainHead {
  sequence: number;
  hash: string;
}

/** Anything that runs SQL: a DataSource, or a transaction's EntityManager. */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/** The newest record's sequence and hash, read by whoever is about to append or witness. */
export async function readHead(manager: Queryable): Promise<ChainHead> {
  const rows = (await manager.query('SELECT sequence, hash FROM disclosure_log ORDER BY sequence DESC LIMIT 1')) as {
    sequence: string;
    hash: string;
  }[];
  return rows[0] ? { sequence: Number(rows[0].sequence), hash: rows[0].hash } : { sequence: 0, hash: GENESIS_HASH };
}

/**
 * The process's attestation of one entry (see `common/audit/log/attestation.ts`): stored with the records, in the
 * same statement or transaction, so that a record of the process never lacks one.
 */
export interface AttestationRow {
  digest: string;
  key_id: string;
  mac: string;
}

const INSERT_ATTESTATIONS = `INSERT INTO disclosure_attestation (digest, key_id, mac)
  SELECT a.digest, a.key_id, a.mac FROM jsonb_to_recordset($1::jsonb) AS a(digest text, key_id text, mac text)`;

/** Appends records after the current head, in the caller's transaction, holding the append lock. */
export async function appendInTransaction(
  manager: Queryable,
  entries: DisclosureEntry[],
  head?: ChainHead,
  attestations?: AttestationRow[],
): Promise<DisclosureRecord[]> {
  if (attestations?.length) await manager.query(INSERT_ATTESTATIONS, [JSON.stringify(attestations)]);
  await manager.query('SELECT pg_advisory_xact_lock($1)', [APPEND_LOCK]);
  const records = chainEntries(entries, head ?? (await readHead(manager)), new Date());
  for (let start = 0; start < records.length; start += INSERT_CHUNK) {
    const chunk = records.slice(start, start + INSERT_CHUNK);
    // Audit records and others go in separate statements (only the former name the audit column), each run
    // of one or the other in chain order, as the chain trigger wants them.
    const runs: DisclosureRecord[][] = [];
    for (const record of chunk) {
      const last = runs[runs.length - 1];
      if (last && !last[0].audit === !record.audit) last.push(record);
      else runs.push([record]);
    }
    for (const group of runs) {
      const columns: readonly string[] = group[0].audit ? AUDIT_COLUMNS : COLUMNS;
      const values = group.map(
        (_, row) =>
          `(${columns.map((column, i) => `$${row * columns.length + i + 1}${JSON_COLUMNS.has(column) ? '::jsonb' : ''}`).join(', ')})`,
      );
      await manager.query(
        `INSERT INTO disclosure_log (${columns.join(', ')}) VALUES ${values.join(', ')}`,
        group.flatMap(toParameters),
      );
    }
  }
  return records;
}

/**
 * The append as one statement: it takes the append lock (held to its implicit commit, or, on `client` inside
 * a caller's transaction, until that transaction ends), and inserts records chained in the process after
 * `head`, the tail this process last appended. The database stays the judge:
 * the chain trigger, which reads the head afresh once the lock is held, refuses the records unless they extend
 * the chain by one, and the primary key refuses a second record at any sequence. So a head that another
 * process (or a mutation's own transaction) has moved on costs a refusal (`isStaleHead`), never a fork; the
 * caller then appends under the lock with the head read in the transaction (`appendInTransaction`).
 * Rows go in as one JSON array, in chain order, so the statement's text (and plan) is the same for any
 * number of records.
 */
export async function appendInOneStatement(
  db: DataSource,
  entries: DisclosureEntry[],
  head: ChainHead,
  attestations?: AttestationRow[],
  client?: pg.ClientBase,
): Promise<DisclosureRecord[]> {
  const records = chainEntries(entries, head, new Date());
  if (attestations?.length) {
    await runPrepared(
      db,
      APPEND_ATTESTED_STATEMENT,
      [JSON.stringify(records.map(toRowDocument)), JSON.stringify(attestations)],
      client,
    );
  } else {
    await runPrepared(db, APPEND_STATEMENT, [JSON.stringify(records.map(toRowDocument))], client);
  }
  return records;
}

const APPEND_STATEMENT: PreparedStatement = {
  name: 'verbund_disclosure_append',
  // The lock's subquery is joined to every row, so no row reaches the table (and its trigger) before the lock
  // is held; a transaction-level lock in an autocommit statement is released by its commit.
  text: `INSERT INTO disclosure_log
    SELECT r.* FROM (SELECT pg_advisory_xact_lock(${APPEND_LOCK})) AS append_lock,
      jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(doc, n),
      LATERAL jsonb_populate_record(NULL::disclosure_log, e.doc) AS r
    ORDER BY e.n`,
};

/** The same with the process's attestations of the records, stored by the same statement (all or nothing). */
const APPEND_ATTESTED_STATEMENT: PreparedStatement = {
  name: 'verbund_disclosure_append_attested',
  text: `WITH attested AS (INSERT INTO disclosure_attestation (digest, key_id, mac)
      SELECT a.digest, a.key_id, a.mac FROM jsonb_to_recordset($2::jsonb) AS a(digest text, key_id text, mac text))
    ${APPEND_STATEMENT.text}`,
};

/**
 * A record as the JSON object `jsonb_populate_record` turns into a `disclosure_log` row (also what tests and
 * benchmarks insert as the table's owner to lay out records at chosen times).
 */
export function toRowDocument(record: DisclosureRecord): Record<string, unknown> {
  return {
    sequence: record.sequence,
    at: record.at.toISOString(),
    request_id: record.requestId,
    agency: record.agency,
    officer: record.officer,
    roles: record.roles,
    purpose: record.purpose,
    operation: record.operation,
    kind: record.kind,
    person_id: record.personId,
    released: record.released,
    refused: record.refused,
    basis: record.basis,
    changes: record.changes,
    retention: record.retention,
    policy_version: record.policyVersion,
    previous_hash: record.previousHash,
    hash: record.hash,
    correlation_id: record.correlationId ?? null,
    officer_salt: record.officerSalt ?? null,
    ...(record.audit ? { audit: record.audit } : {}),
  };
}

/**
 * True when the database refused an append because its head was not the chain's head: the chain trigger
 * (check_violation) or the primary key (unique_violation, another record took the sequence).
 */
export function isStaleHead(error: unknown): boolean {
  const code = (error as { code?: unknown }).code ?? (error as { driverError?: { code?: unknown } }).driverError?.code;
  return code === '23514' || code === '23505';
}
