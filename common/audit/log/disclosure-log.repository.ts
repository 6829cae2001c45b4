/**
 * A subgraph's disclosure log as the rest of the code uses it: appending through the group-commit queue
 * (or within a caller's transaction), the chain's head for witnessing, and consent officers' queries.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { connectionOf, inOneWrite, takeConnection } from '../../db/prepared.js';
import { OFFICER_PURPOSES } from '../../domain.js';
import { partLogger } from '../../log.js';
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

/** What this process knows of a record it appended itself: the hash it computed and the digest it attested. */
export interface OwnRecord {
  hash: string;
  digest: string;
}

/** At most this many records are remembered (about 300 bytes each); older ones are checkpointed the full way. */
export const OWN_RECORDS_LIMIT = 20_000;

/**
 * The records this process appended by its group commit and no checkpoint has covered yet, by sequence: the
 * hash it computed over the content it built, and the digest its attestation vouches for. The checkpointer
 * takes a record whose stored hash is the remembered one as this process's own, without reading its content
 * back (see `Checkpointer`). Only records whose statement or transaction committed are remembered. Bounded:
 * beyond `limit`, the oldest are forgotten, and a forgotten record is read and checked in full.
 */
export class OwnRecords {
  private readonly bySequence = new Map<number, OwnRecord>();

  constructor(private readonly limit = OWN_RECORDS_LIMIT) {}

  remember(records: DisclosureRecord[], attestations: AttestationRow[]): void {
    records.forEach((record, i) =>
      this.bySequence.set(record.sequence, { hash: record.hash, digest: attestations[i].digest }),
    );
    for (const sequence of this.bySequence.keys()) {
      if (this.bySequence.size <= this.limit) break;
      this.bySequence.delete(sequence);
    }
  }

  get(sequence: number): OwnRecord | undefined {
    return this.bySequence.get(sequence);
  }

  /** Forgets every record up to `sequence` (a checkpoint now covers them). */
  forgetThrough(sequence: number): void {
    for (const known of this.bySequence.keys()) if (known <= sequence) this.bySequence.delete(known);
  }

  get size(): number {
    return this.bySequence.size;
  }
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
  private readonly appendedListeners = new Set<(records: number) => void>();
  /** The records this process attested and committed, until a checkpoint covers them; none without attestations. */
  readonly own: OwnRecords | undefined;

  constructor(
    private readonly db: DataSource,
    /**
     * The process's attestations of entries (data subgraphs: `AttestingDisclosureLog`), stored by the same
     * statement or transaction as the records. @default none (the consent registry's own log)
     */
    private readonly attestationsOf?: (entries: DisclosureEntry[]) => AttestationRow[],
  ) {
    this.own = attestationsOf ? new OwnRecords() : undefined;
  }

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
   * While this process knows the chain's tail, the records go in by one statement after a savepoint (the
   * append lock, taken by that statement, is then held until the caller's transaction ends); a tail another
   * process has moved on costs a refusal, undone to the savepoint, and the locked append. Tell `abandoned`
   * the records if the caller's transaction is rolled back.
   */
  appendWithin(manager: EntityManager, entries: DisclosureEntry[]): Promise<DisclosureRecord[]> {
    const attestations = this.attestationsOf?.(entries);
    return this.inTurn(async () => {
      const tail = this.tail;
      if (tail) {
        // Sent together, the append would go in on its own if the savepoint failed outside a transaction.
        if (!manager.queryRunner?.isTransactionActive) throw new Error('appendWithin needs a transaction');
        const client = await connectionOf(manager);
        // The savepoint and the append are sent together (the pool's connections pipeline), in one write and
        // one round trip.
        this.db.logger.logQuery('SAVEPOINT disclosure_append');
        const [savepoint, appended] = inOneWrite(client, () => [
          client.query('SAVEPOINT disclosure_append'),
          appendInOneStatement(this.db, entries, tail, attestations, client),
        ]);
        // Its failure is handled below, even while the savepoint is still awaited.
        appended.catch(() => undefined);
        try {
          await savepoint;
          const records = await appended;
          this.tail = headOf(records);
          return records;
        } catch (error) {
          await appended.catch(() => undefined);
          this.tail = undefined;
          if (!isStaleHead(error)) throw error;
          await manager.query('ROLLBACK TO SAVEPOINT disclosure_append');
        }
      }
      const records = await appendInTransaction(manager, entries, undefined, attestations);
      this.tail = headOf(records);
      return records;
    });
  }

  /**
   * Records appended with `appendWithin` whose transaction was rolled back: the next append no longer builds
   * on them. (Without this it would be refused by the database and go in under the lock: a retry, never a fork.)
   */
  abandoned(records: DisclosureRecord[]): void {
    if (records.length && this.tail && this.tail.sequence >= records[0].sequence) this.tail = undefined;
  }

  /**
   * The chain's tail as this process last appended it: after its own newest record, committed or still in a
   * change's open transaction (which holds the append lock until it ends, so that the next statement waits
   * for it). Undefined when unknown. Ahead of the committed chain only by records of open transactions; if
   * one is rolled back, or another process has appended since, the database refuses the next one-statement
   * append (`isStaleHead`) and the batch goes in under the lock with the head read there: a retry, never a fork.
   */
  private tail: ChainHead | undefined;

  /**
   * Appends of this process, one after the other: the next statement is sent only once the previous one has
   * returned, that is, once it holds (or has released) the append lock, so that the database takes this
   * process's records in the order they were chained in.
   */
  private turn: Promise<void> = Promise.resolve();

  private async inTurn<T>(work: () => Promise<T>): Promise<T> {
    const previous = this.turn;
    let done!: () => void;
    this.turn = new Promise((resolve) => (done = resolve));
    await previous;
    try {
      return await work();
    } finally {
      done();
    }
  }

  /**
   * One statement per batch while this process knows the tail; five (the locked transaction) otherwise. The
   * connection is taken before the turn: whoever holds the turn then waits for nothing but the append lock,
   * whose holder needs only to commit, and never for a connection, which changes waiting for their turn may
   * all be holding.
   */
  private async commit(entries: DisclosureEntry[]): Promise<void> {
    const attestations = this.attestationsOf?.(entries);
    const connection = await takeConnection(this.db);
    let broken: Error | undefined;
    try {
      await this.inTurn(async () => {
        const tail = this.tail;
        if (tail) {
          try {
            const records = await appendInOneStatement(this.db, entries, tail, attestations, connection.client);
            this.tail = headOf(records);
            if (attestations) this.own?.remember(records, attestations);
            return;
          } catch (error) {
            this.tail = undefined;
            if (!isStaleHead(error)) throw error;
          }
        }
        await connection.query('BEGIN');
        try {
          const records = await appendInTransaction(connection, entries, undefined, attestations);
          await connection.query('COMMIT');
          this.tail = headOf(records);
          if (attestations) this.own?.remember(records, attestations);
        } catch (error) {
          await connection.query('ROLLBACK').catch((rollback: unknown) => {
            broken = rollback instanceof Error ? rollback : new Error(String(rollback));
          });
          throw error;
        }
      });
    } finally {
      connection.release(broken);
    }
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
        this.tellAppended(size);
      } catch (error) {
        this.tail = undefined;
        for (const pending of batch) pending.reject(error);
      }
    }
    this.flushing = false;
  }

  /**
   * Calls `listener` with the number of records each group commit of this process appended (the checkpointer
   * counts them); returns the function that stops it. A change's records, committed in its own transaction,
   * are not counted: the timer covers them.
   */
  onAppended(listener: (records: number) => void): () => void {
    this.appendedListeners.add(listener);
    return () => this.appendedListeners.delete(listener);
  }

  /** A listener that throws is reported, never taken for a failed append. */
  private tellAppended(records: number): void {
    for (const listener of this.appendedListeners) {
      try {
        listener(records);
      } catch (error) {
        partLogger('disclosure-log').error('a listener to appended records failed', { err: error });
      }
    }
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
