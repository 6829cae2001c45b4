import type { Writable } from 'node:stream';
import { context, type Context } from '@opentelemetry/api';
import type pg from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';

/**
 * A named statement for the hot path: PostgreSQL parses and plans it once per connection, and it goes
 * straight to the data source's own `pg` pool (the same connections, role and limits as TypeORM's queries)
 * without TypeORM's query runner around it. Entities and migrations stay with TypeORM; this is for the few
 * statements every request runs.
 */
export interface PreparedStatement {
  /** Unique per text: PostgreSQL keeps one plan per name and connection. */
  name: string;
  text: string;
}

/**
 * Runs a prepared statement as one statement in its own implicit transaction (autocommit) and returns its
 * rows: on a connection of the pool, or on `client`, one the caller has already taken from it. It is reported
 * to the data source's logger like any TypeORM query, so statement counts (tests, benchmark) see it. On the
 * pool it may share a connection with other statements sent in the same turn (`ReadsTogether`), so it is for
 * reads: a statement that writes or takes a lock goes on a connection of the caller's.
 */
export async function runPrepared<R extends pg.QueryResultRow>(
  db: DataSource,
  statement: PreparedStatement,
  values: unknown[],
  client?: pg.ClientBase,
): Promise<R[]> {
  db.logger.logQuery(statement.text, values);
  const config = { name: statement.name, text: statement.text, values };
  const result = await (client ? client.query<R>(config) : readsTogether(db).query<R>(config));
  return result.rows;
}

/** Statements sent together on one connection at most: a long one holds up those behind it. */
const READS_TOGETHER = 8;

interface Waiting {
  config: pg.QueryConfig;
  resolve: (result: pg.QueryResult) => void;
  reject: (error: unknown) => void;
  /** The caller's trace context, in which its statement's span is started. */
  context: Context;
}

/**
 * Statements run on the pool (not on a caller's connection) in the same turn of the event loop go out
 * together: one connection, taken for them all, is sent them one after the other without waiting
 * (pipelined), so that the reads of a request, e.g. a person's record and language skills, or of requests
 * that arrived together, cost one round trip instead of one each on as many connections. Each statement
 * still runs alone, in its own implicit transaction, with its own result or error.
 */
class ReadsTogether {
  private waiting: Waiting[] = [];

  constructor(private readonly pool: pg.Pool) {}

  query<R extends pg.QueryResultRow>(config: pg.QueryConfig): Promise<pg.QueryResult<R>> {
    return new Promise((resolve, reject) => {
      if (this.waiting.length === 0) setImmediate(() => this.send());
      this.waiting.push({ config, resolve: resolve as Waiting['resolve'], reject, context: context.active() });
    });
  }

  private send(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (let start = 0; start < waiting.length; start += READS_TOGETHER) {
      void this.sendTogether(waiting.slice(start, start + READS_TOGETHER));
    }
  }

  private async sendTogether(statements: Waiting[]): Promise<void> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      for (const statement of statements) statement.reject(error);
      return;
    }
    let failed: Error | undefined;
    const fail = (error: unknown) => (failed ??= error instanceof Error ? error : new Error(String(error)));
    // A connection that breaks while out of the pool (the server restarts, the backend is ended) says so by an
    // event as well as by its statements' errors: heard here, as pg's own pool.query does, not left to end the
    // process.
    client.on('error', fail);
    const sent = inOneWrite(client, () =>
      statements.map((statement) =>
        // Sent by the executor, at once and in order; a throw there rejects this statement alone.
        new Promise<pg.QueryResult>((resolve) =>
          resolve(context.with(statement.context, () => client.query(statement.config))),
        ).then(statement.resolve, (error: unknown) => {
          fail(error);
          statement.reject(error);
        }),
      ),
    );
    await Promise.all(sent);
    client.off('error', fail);
    // As pg's own pool.query: a connection whose statement failed is closed rather than reused.
    client.release(failed);
  }
}

/**
 * Runs `send`, which hands statements to `client` without waiting for them, with the connection's socket
 * corked, so that they leave in one write (one system call, one segment to wake the backend) instead of one
 * each. pg corks each statement's messages (parse, bind, describe, execute, sync) itself; this holds a
 * group's statements together. The statements must be sent synchronously by `send`: what is handed over
 * after it returns goes out on its own, as before (so do statements handed to a connection not yet ready for
 * them: pg queues those and sends them when it is). A pg client without a socket (pg-native) is left alone.
 */
export function inOneWrite<T>(client: pg.ClientBase, send: () => T): T {
  const stream = (client as unknown as { connection?: { stream?: Partial<Writable> } }).connection?.stream;
  stream?.cork?.();
  try {
    return send();
  } finally {
    stream?.uncork?.();
  }
}

const together = new WeakMap<pg.Pool, ReadsTogether>();

function readsTogether(db: DataSource): ReadsTogether {
  const pool = (db.driver as PostgresDriver).master as pg.Pool;
  let reads = together.get(pool);
  if (!reads) together.set(pool, (reads = new ReadsTogether(pool)));
  return reads;
}

/**
 * A connection taken from the data source's pool for a few statements of the caller's own (the disclosure
 * log's group commit), without TypeORM's query runner around it. Its statements are reported to the data
 * source's logger as `runPrepared`'s are. Give it back with `release`.
 */
export interface PooledConnection {
  client: pg.PoolClient;
  query(sql: string, parameters?: unknown[]): Promise<unknown[]>;
  /** Back to the pool; with an error, the connection is closed instead (pg's rule for a broken one). */
  release(error?: Error): void;
}

/** Takes a connection from the data source's pool (see `PooledConnection`). */
export async function takeConnection(db: DataSource): Promise<PooledConnection> {
  const pool = (db.driver as PostgresDriver).master as pg.Pool;
  const client = await pool.connect();
  // A connection that breaks while taken reports it to its statements; the event is heard, so that it does not
  // end the process, and the connection is closed at its release.
  let broken: Error | undefined;
  const heard = (error: Error) => (broken ??= error);
  client.on('error', heard);
  return {
    client,
    query: async (sql, parameters) => {
      db.logger.logQuery(sql, parameters);
      return (await client.query(sql, parameters)).rows as unknown[];
    },
    release: (error) => {
      client.off('error', heard);
      client.release(error ?? broken);
    },
  };
}

/**
 * The connection of the transaction `manager` runs in (a query runner's), so that `runPrepared` can run a
 * statement inside that transaction (a change and its disclosure record).
 */
export async function connectionOf(manager: EntityManager): Promise<pg.ClientBase> {
  if (!manager.queryRunner) throw new Error('The entity manager is not bound to a query runner (a transaction)');
  return (await manager.queryRunner.connect()) as pg.ClientBase;
}
