/**
 * A subgraph's disclosure log as the rest of the code uses it: appending through the group-commit queue
 * (or within a caller's transaction), the chain's head for witnessing, and consent officers' queries.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { OFFICER_PURPOSES } from '../../domain.js';
import {
  appendInOneStatement,
  appendInTransaction,
  fromRow,
  INSERT_CHUNK,
  isStaleHead,
  readHead,
  type AttestationRow,
  type ChainHead,
  type RecordRow,
} from './disclosure-log.table.js';
import { LOG_TEXT_LIMITS, boundLogText, type DisclosureEntry, type DisclosureRecord } from './record.js';

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
  /** Only records of this operation (e.g. the registry's `accessReport` entries in its log of officers' reads). */
  operation?: string;
  from?: Date;
  to?: Date;
  /** RELEASED: records that released at least one field; REFUSED: at least one refusal; WRITE: changes. */
  decision?: 'RELEASED' | 'REFUSED' | 'WRITE';
  /** Only records that released or refused a field of this data category. */
  category?: string;
  /** Only records with a release on this kind of basis (as `parseBasis` reads a basis). */
  basis?: BasisKindName;
  /** false: leave out the consent officers' own reads (their purposes: CONSENT_MANAGEMENT, DATA_SUBJECT_ACCESS). */
  officerReads?: boolean;
  /** Only records strictly before this (time, sequence) position. */
  before?: { at: Date; sequence: number };
  limit: number;
}

/** The kinds of legal basis: `OWN_TASK`, `STATUTE:<entry>`, `CONSENT:<id>@<version>`. */
export type BasisKindName = 'OWN_TASK' | 'STATUTE' | 'CONSENT';

/**
 * SQL that is true for one element `b` of a record's `basis` of that kind, read exactly as `parseBasis` reads
 * it: a `STATUTE:` prefix, a well-formed `CONSENT:<id>@<version>`, and anything else own task.
 */
const BASIS_KIND_SQL: Record<BasisKindName, string> = {
  STATUTE: `b->>'basis' LIKE 'STATUTE:%'`,
  CONSENT: `b->>'basis' ~ '^CONSENT:[^@]+@[0-9]+$'`,
  OWN_TASK: `NOT (b->>'basis' LIKE 'STATUTE:%' OR b->>'basis' ~ '^CONSENT:[^@]+@[0-9]+$')`,
};

/** A log read in this process (the consent registry's own), merged with the data subgraphs' by the log client. */
export interface LocalLog {
  subgraph: 'consent';
  records(query: RecordQuery): Promise<DisclosureRecord[]>;
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

  constructor(
    private readonly db: DataSource,
    /**
     * The process's attestations of entries (data subgraphs: `AttestingDisclosureLog`), stored by the same
     * statement or transaction as the records. @default none (the consent registry's own log)
     */
    private readonly attestationsOf?: (entries: DisclosureEntry[]) => AttestationRow[],
  ) {}

  /** Resolves once the entries are committed; rejects when they could not be written. */
  append(entries: DisclosureEntry[]): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.queue.push({ entries, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  /**
   * Appends within a transaction the caller already holds, so that a change and its record commit together.
   * Tell `committed` the records once that transaction has committed.
   */
  appendWithin(manager: EntityManager, entries: DisclosureEntry[]): Promise<DisclosureRecord[]> {
    return appendInTransaction(manager, entries, undefined, this.attestationsOf?.(entries));
  }

  /**
   * Records appended with `appendWithin` whose transaction has committed: the next batch can follow them in
   * one statement. Only committed records may become the head this process builds on (one rolled back would
   * be refused by the database, costing a retry, never a fork).
   */
  committed(records: DisclosureRecord[]): void {
    if (records.length) this.advanceHead(headOf(records));
  }

  private advanceHead(head: ChainHead): void {
    if (!this.lastHead || head.sequence > this.lastHead.sequence) this.lastHead = head;
  }

  /**
   * The head this process last committed, or undefined when it does not know one. It is never ahead of the
   * chain (it is set only after a commit), so at worst it is behind: then the one-statement append is refused
   * by the database and the batch goes in under the lock with the head read there.
   */
  private lastHead: ChainHead | undefined;

  /** One statement per batch while this process holds the head; five (the locked transaction) otherwise. */
  private async commit(entries: DisclosureEntry[]): Promise<void> {
    const attestations = this.attestationsOf?.(entries);
    if (this.lastHead) {
      try {
        const records = await appendInOneStatement(this.db, entries, this.lastHead, attestations);
        this.advanceHead(headOf(records));
        return;
      } catch (error) {
        this.lastHead = undefined;
        if (!isStaleHead(error)) throw error;
      }
    }
    const records = await this.db.transaction((manager) =>
      appendInTransaction(manager, entries, undefined, attestations),
    );
    this.advanceHead(headOf(records));
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
        await this.commit(batch.flatMap((p) => p.entries));
        for (const pending of batch) pending.resolve();
      } catch (error) {
        this.lastHead = undefined;
        for (const pending of batch) pending.reject(error);
      }
    }
    this.flushing = false;
  }

  /** The newest record's sequence and hash; the genesis position for an empty log. */
  head(): Promise<ChainHead> {
    return readHead(this.db);
  }

  /**
   * The head, the first record kept, and the hash now stored at `check`, so that whoever witnessed an
   * earlier head can tell whether the chain still runs through it.
   */
  async headWithCheck(check?: number): Promise<HeadReport> {
    const head = await readHead(this.db);
    const [first] = await this.db.query<{ first: string | null }[]>(
      'SELECT min(sequence) AS first FROM disclosure_log',
    );
    let checked: HeadReport['checked'] = null;
    if (check !== undefined) {
      const rows = await this.db.query<{ hash: string }[]>('SELECT hash FROM disclosure_log WHERE sequence = $1', [
        check,
      ]);
      checked = { sequence: check, hash: rows[0]?.hash ?? null };
    }
    return { ...head, firstSequence: first.first === null ? null : Number(first.first), checked };
  }

  /**
   * The records a consent officer asked for, newest first, at most `query.limit`: one page, every filter applied
   * here in SQL, and continued after `query.before` (keyset), so that a page costs the same however many records
   * come after it. A person's page walks `disclosure_log_person_idx` (person, time, sequence) and stops after
   * `limit` matches.
   */
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
    if (query.operation) add('operation = ?', query.operation);
    if (query.from) add('at >= ?', query.from);
    if (query.to) add('at < ?', query.to);
    if (query.decision === 'RELEASED') where.push(`kind = 'READ' AND released <> '[]'::jsonb`);
    if (query.decision === 'REFUSED') where.push(`refused <> '[]'::jsonb`);
    if (query.decision === 'WRITE') where.push(`kind = 'WRITE'`);
    if (query.category) {
      const field = JSON.stringify([{ category: query.category }]);
      params.push(field);
      where.push(`(released @> $${params.length}::jsonb OR refused @> $${params.length}::jsonb)`);
    }
    if (query.basis)
      where.push(`EXISTS (SELECT 1 FROM jsonb_array_elements(basis) b WHERE ${BASIS_KIND_SQL[query.basis]})`);
    if (query.officerReads === false) {
      params.push(OFFICER_PURPOSES);
      where.push(`purpose <> ALL($${params.length}::text[])`);
    }
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

function headOf(records: DisclosureRecord[]): ChainHead {
  const last = records[records.length - 1];
  return { sequence: last.sequence, hash: last.hash };
}
