import type { DataSource, EntityManager } from 'typeorm';
import {
  GENESIS_HASH,
  LOG_TEXT_LIMITS,
  boundLogText,
  chainEntries,
  recordHash,
  type AuditDetail,
  type DisclosureEntry,
  type DisclosureRecord,
  type RetentionDetail,
} from './record.js';

/** Held, per database, by whoever appends to the chain, so that two processes never fork it. */
const APPEND_LOCK = 7_366_201;
/** Rows per INSERT: 19 parameters each stays far below PostgreSQL's 65,535. */
const INSERT_CHUNK = 1000;
const COLUMNS = [
  'sequence', 'at', 'request_id', 'agency', 'officer', 'roles', 'purpose', 'operation', 'kind', 'person_id',
  'released', 'refused', 'basis', 'changes', 'retention', 'policy_version', 'previous_hash', 'hash', 'correlation_id',
] as const;
/** Only the consent registry's log of officers' audit reads has it; it is written only for AUDIT records. */
const AUDIT_COLUMNS = [...COLUMNS, 'audit'] as const;
const JSON_COLUMNS = new Set(['released', 'refused', 'basis', 'changes', 'retention', 'audit']);

interface RecordRow {
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
  /** Absent from the data subgraphs' tables. */
  audit?: AuditDetail | null;
}

function fromRow(row: RecordRow): DisclosureRecord {
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
    ...(row.audit ? { audit: row.audit } : {}),
  };
}

function toParameters(record: DisclosureRecord): unknown[] {
  return [
    record.sequence, record.at, record.requestId, record.agency, record.officer, record.roles, record.purpose,
    record.operation, record.kind, record.personId, JSON.stringify(record.released), JSON.stringify(record.refused),
    JSON.stringify(record.basis), JSON.stringify(record.changes), JSON.stringify(record.retention),
    record.policyVersion, record.previousHash, record.hash, record.correlationId ?? null,
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

async function readHead(manager: Queryable): Promise<ChainHead> {
  const rows = (await manager.query(
    'SELECT sequence, hash FROM disclosure_log ORDER BY sequence DESC LIMIT 1',
  )) as { sequence: string; hash: string }[];
  return rows[0] ? { sequence: Number(rows[0].sequence), hash: rows[0].hash } : { sequence: 0, hash: GENESIS_HASH };
}

/** Appends records after the current head, in the caller's transaction, holding the append lock. */
async function appendInTransaction(
  manager: EntityManager,
  entries: DisclosureEntry[],
  head?: ChainHead,
): Promise<DisclosureRecord[]> {
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

/** A chain's head as the consent registry fetches it to witness. */
export interface HeadReport extends ChainHead {
  firstSequence: number | null;
  /** The hash stored at the asked sequence, null when that record is not there. */
  checked: { sequence: number; hash: string | null } | null;
}

/** Which records a consent officer asks for. Newest first; `before` continues a page. */
export interface RecordQuery {
  personId?: string;
  requestId?: string;
  agency?: string;
  officer?: string;
  purpose?: string;
  from?: Date;
  to?: Date;
  /** RELEASED: records that released at least one field; REFUSED: at least one refusal; WRITE: changes. */
  decision?: 'RELEASED' | 'REFUSED' | 'WRITE';
  /** Only records strictly before this (time, sequence) position. */
  before?: { at: Date; sequence: number };
  limit: number;
}

interface Pending {
  entries: DisclosureEntry[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * A subgraph's disclosure log in its own database. Appends from concurrent requests are committed together
 * (group commit): while one transaction writes, the next requests queue and go into the following one, so
 * the chain stays linear without every request waiting for its own turn at the lock.
 */
export class DisclosureLog {
  private queue: Pending[] = [];
  private flushing = false;

  constructor(private readonly db: DataSource) {}

  /** Resolves once the entries are committed; rejects when they could not be written. */
  append(entries: DisclosureEntry[]): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.queue.push({ entries, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  /** Appends within a transaction the caller already holds, so that a change and its record commit together. */
  appendWithin(manager: EntityManager, entries: DisclosureEntry[]): Promise<DisclosureRecord[]> {
    return appendInTransaction(manager, entries);
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.queue.length > 0) {
      const batch: Pending[] = [];
      let size = 0;
      while (this.queue.length > 0 && size < INSERT_CHUNK) {
        const next = this.queue.shift()!;
        batch.push(next);
        size += next.entries.length;
      }
      try {
        await this.db.transaction((manager) => appendInTransaction(manager, batch.flatMap((p) => p.entries)));
        for (const pending of batch) pending.resolve();
      } catch (error) {
        for (const pending of batch) pending.reject(error);
      }
    }
    this.flushing = false;
  }

  head(): Promise<ChainHead> {
    return readHead(this.db);
  }

  /**
   * The head, the first record kept, and the hash now stored at `check`, so that whoever witnessed an
   * earlier head can tell whether the chain still runs through it.
   */
  async headWithCheck(check?: number): Promise<HeadReport> {
    const head = await readHead(this.db);
    const [first] = await this.db.query<{ first: string | null }[]>('SELECT min(sequence) AS first FROM disclosure_log');
    let checked: HeadReport['checked'] = null;
    if (check !== undefined) {
      const rows = await this.db.query<{ hash: string }[]>('SELECT hash FROM disclosure_log WHERE sequence = $1', [check]);
      checked = { sequence: check, hash: rows[0]?.hash ?? null };
    }
    return { ...head, firstSequence: first.first === null ? null : Number(first.first), checked };
  }

  async records(query: RecordQuery): Promise<DisclosureRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (query.personId) add('person_id = ?', query.personId);
    // Filters are bounded as the records were, so that a long value finds its records.
    if (query.requestId) add('request_id = ?', boundLogText(query.requestId, LOG_TEXT_LIMITS.requestId));
    if (query.agency) add('agency = ?', boundLogText(query.agency, LOG_TEXT_LIMITS.agency));
    if (query.officer) add('officer = ?', boundLogText(query.officer, LOG_TEXT_LIMITS.officer));
    if (query.purpose) add('purpose = ?', query.purpose);
    if (query.from) add('at >= ?', query.from);
    if (query.to) add('at < ?', query.to);
    if (query.decision === 'RELEASED') where.push(`kind = 'READ' AND released <> '[]'::jsonb`);
    if (query.decision === 'REFUSED') where.push(`refused <> '[]'::jsonb`);
    if (query.decision === 'WRITE') where.push(`kind = 'WRITE'`);
    if (query.before) {
      params.push(query.before.at, query.before.sequence);
      where.push(`(at, sequence) < ($${params.length - 1}, $${params.length})`);
    }
    params.push(query.limit);
    const rows = await this.db.query<RecordRow[]>(
      `SELECT * FROM disclosure_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY at DESC, sequence DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(fromRow);
  }
}

/** What verification found wrong, at which record. */
export interface ChainProblem {
  kind: 'ALTERED' | 'REMOVED' | 'TRUNCATED';
  sequence: number;
  message: string;
}

/** A head the consent registry saw earlier: the log must still contain it, unchanged. */
export interface WitnessedHead extends ChainHead {
  seenAt: Date;
}

export interface ChainVerification {
  intact: boolean;
  records: number;
  firstSequence: number | null;
  lastSequence: number;
  headHash: string;
  problems: ChainProblem[];
}

const VERIFY_PAGE = 5000;
const MAX_PROBLEMS = 100;

/**
 * Walks the whole chain in sequence order and recomputes every hash. Finds records whose content was
 * altered, records removed from the middle or the start (other than by the retention operation), and,
 * given the newest head the consent registry witnessed, records cut off the end.
 */
export async function verifyChain(
  db: Queryable,
  witnessed?: WitnessedHead,
  /** Records younger than this may not have been removed: a RETENTION record that did so is reported. */
  minimumRetentionDays?: number,
): Promise<ChainVerification> {
  const problems: ChainProblem[] = [];
  const report = (problem: ChainProblem) => {
    if (problems.length < MAX_PROBLEMS) problems.push(problem);
  };
  const retentions = ((await db.query(
    `SELECT * FROM disclosure_log WHERE kind = 'RETENTION' ORDER BY sequence DESC`,
  )) as RecordRow[]).map(fromRow);
  for (const retention of minimumRetentionDays === undefined ? [] : retentions) {
    const cutoff = new Date(retention.retention?.cutoff ?? 0);
    if (retention.at.getTime() - cutoff.getTime() < minimumRetentionDays! * 86_400_000) {
      report({
        kind: 'REMOVED',
        sequence: retention.retention?.removedFrom ?? retention.sequence,
        message: `RETENTION record ${retention.sequence} removed records ${retention.retention?.removedFrom} to ${retention.retention?.removedThrough} up to ${cutoff.toISOString()}, inside the retention period of ${minimumRetentionDays} days`,
      });
    }
  }

  let count = 0;
  let first: number | null = null;
  let previous: DisclosureRecord | null = null;
  let witnessedHash: string | undefined;
  for (;;) {
    const rows = (await db.query(
      'SELECT * FROM disclosure_log WHERE sequence > $1 ORDER BY sequence LIMIT $2',
      [previous?.sequence ?? 0, VERIFY_PAGE],
    )) as RecordRow[];
    if (rows.length === 0) break;
    for (const row of rows) {
      const record = fromRow(row);
      count += 1;
      if (record.sequence === witnessed?.sequence) witnessedHash = record.hash;
      const { hash, ...unhashed } = record;
      if (recordHash(unhashed) !== hash) {
        report({ kind: 'ALTERED', sequence: record.sequence, message: `record ${record.sequence} was altered: its content no longer matches its hash` });
      }
      if (previous === null) {
        first = record.sequence;
        if (record.sequence === 1) {
          if (record.previousHash !== GENESIS_HASH) {
            report({ kind: 'ALTERED', sequence: 1, message: 'record 1 does not start the chain' });
          }
        } else {
          const anchor = retentions.find((r) => r.retention?.removedThrough === record.sequence - 1);
          if (!anchor || anchor.retention?.anchorHash !== record.previousHash) {
            report({
              kind: 'REMOVED',
              sequence: 1,
              message: `${record.sequence === 2 ? 'record 1 was' : `records 1 to ${record.sequence - 1} were`} removed without a retention record`,
            });
          }
        }
      } else if (record.sequence > previous.sequence + 1) {
        const from = previous.sequence + 1;
        const to = record.sequence - 1;
        report({
          kind: 'REMOVED',
          sequence: from,
          message: from === to ? `record ${from} was removed` : `records ${from} to ${to} were removed`,
        });
      } else if (record.previousHash !== previous.hash) {
        report({
          kind: 'ALTERED',
          sequence: previous.sequence,
          message: `record ${record.sequence} does not follow record ${previous.sequence}: record ${previous.sequence} was altered or replaced`,
        });
      }
      previous = record;
    }
  }

  const lastSequence = previous?.sequence ?? 0;
  if (witnessed && witnessed.sequence > 0) {
    const seen = `the consent registry saw record ${witnessed.sequence} with hash ${witnessed.hash} at ${witnessed.seenAt.toISOString()}`;
    if (witnessed.sequence > lastSequence) {
      report({
        kind: 'TRUNCATED',
        sequence: lastSequence + 1,
        message: `records after ${lastSequence} were cut off: ${seen}`,
      });
    } else if (witnessedHash !== undefined && witnessedHash !== witnessed.hash) {
      report({
        kind: 'ALTERED',
        sequence: witnessed.sequence,
        message: `record ${witnessed.sequence} differs from the head the consent registry saw (${seen}); the chain was rewritten`,
      });
    }
  }
  return {
    intact: problems.length === 0,
    records: count,
    firstSequence: first,
    lastSequence,
    headHash: previous?.hash ?? GENESIS_HASH,
    problems,
  };
}

/**
 * Removes records older than `cutoff`, the documented retention operation. It runs as the database's
 * administrator (the subgraph's role may not delete), removes a prefix of the chain only, and appends a
 * RETENTION record naming the removed range and the last removed hash, from which verification resumes.
 */
export async function removeExpiredRecords(
  adminDb: DataSource,
  options: { cutoff: Date; operator: string; agency: string; policyVersion: string; reason: string },
): Promise<RetentionDetail | null> {
  return adminDb.transaction(async (manager) => {
    await manager.query('SELECT pg_advisory_xact_lock($1)', [APPEND_LOCK]);
    const [bounds] = await manager.query<{ first: string | null; first_kept: string | null; last: string | null }[]>(
      `SELECT min(sequence) AS first, (SELECT min(sequence) FROM disclosure_log WHERE at >= $1) AS first_kept,
              max(sequence) AS last
       FROM disclosure_log`,
      [options.cutoff],
    );
    if (bounds.first === null) return null;
    const first = Number(bounds.first);
    const removedThrough = (bounds.first_kept === null ? Number(bounds.last) + 1 : Number(bounds.first_kept)) - 1;
    if (removedThrough < first) return null;
    const head = await readHead(manager);
    const [anchor] = await manager.query<{ hash: string }[]>('SELECT hash FROM disclosure_log WHERE sequence = $1', [removedThrough]);
    await manager.query(`SET LOCAL verbund.retention = 'on'`);
    const deleted = await manager.query<[unknown, number]>('DELETE FROM disclosure_log WHERE sequence <= $1', [removedThrough]);
    await manager.query(`SET LOCAL verbund.retention = 'off'`);
    const detail: RetentionDetail = {
      removedFrom: first,
      removedThrough,
      count: deleted[1],
      anchorHash: anchor.hash,
      cutoff: options.cutoff.toISOString(),
      reason: options.reason,
    };
    await appendInTransaction(manager, [
      {
        requestId: `retention-${new Date().toISOString()}`,
        agency: options.agency,
        officer: options.operator,
        roles: [],
        purpose: 'RETENTION',
        operation: 'removeExpiredRecords',
        kind: 'RETENTION',
        personId: null,
        released: [],
        refused: [],
        basis: [],
        changes: [],
        retention: detail,
        policyVersion: options.policyVersion,
      },
    ], head);
    return detail;
  });
}
