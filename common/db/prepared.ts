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
 * to the data source's logger like any TypeORM query, so statement counts (tests, benchmark) see it.
 */
export async function runPrepared<R extends pg.QueryResultRow>(
  db: DataSource,
  statement: PreparedStatement,
  values: unknown[],
  client?: pg.ClientBase,
): Promise<R[]> {
  const pool = (db.driver as PostgresDriver).master as pg.Pool;
  db.logger.logQuery(statement.text, values);
  const result = await (client ?? pool).query<R>({ name: statement.name, text: statement.text, values });
  return result.rows;
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
  return {
    client,
    query: async (sql, parameters) => {
      db.logger.logQuery(sql, parameters);
      return (await client.query(sql, parameters)).rows as unknown[];
    },
    release: (error) => client.release(error),
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
