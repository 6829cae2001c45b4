/**
 * Statements run on the pool in the same turn of the event loop go out together on one connection
 * (`runPrepared` in `common/db/prepared.ts`): counted on the wire, each with its own result or error.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type pg from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { createDataSource, StatementCounter } from '../common/db/data-source.js';
import { runPrepared, type PreparedStatement } from '../common/db/prepared.js';
import { jobcenterSubgraph } from '../subgraphs/jobcenter/jobcenter.subgraph.js';
import { poolTraffic } from './support/round-trips.js';
import { startSubgraph, type RunningSubgraph } from './support/subgraph.js';

const ECHO: PreparedStatement = { name: 'test_echo', text: 'SELECT $1::int AS n' };
const DIVIDE: PreparedStatement = { name: 'test_divide', text: 'SELECT 100 / $1::int AS n' };
const END_BACKEND: PreparedStatement = { name: 'test_end', text: 'SELECT pg_terminate_backend(pg_backend_pid())' };

describe('statements sent together', () => {
  let jobcenter: RunningSubgraph;
  let db: DataSource;
  const counter = new StatementCounter();

  beforeAll(async () => {
    jobcenter = await startSubgraph(jobcenterSubgraph, { consentLookup: async () => [] });
    db = await createDataSource({ url: jobcenter.roleUrl, entities: [], counter, poolSize: 10 }).initialize();
  });
  afterAll(async () => {
    await db.destroy();
    await jobcenter.stop();
  });

  const pool = () => (db.driver as PostgresDriver).master as pg.Pool;
  const echo = (n: number) => runPrepared<{ n: number }>(db, ECHO, [n]).then((rows) => rows[0].n);

  it('share one connection and one round trip when sent in the same turn, each with its own rows', async () => {
    await echo(0); // the pool has a connection, the statement is prepared on it
    const traffic = poolTraffic(db);
    const before = counter.count;
    assert.deepEqual(await Promise.all([echo(1), echo(2), echo(3)]), [1, 2, 3]);
    assert.deepEqual(traffic.read(), { connections: 1, trips: 1, writes: 1 }, 'one connection, round trip and write');
    assert.equal(counter.count - before, 3, 'each statement is still counted');
    // One after the other, each waits for the one before: a round trip each.
    for (const n of [4, 5]) assert.equal(await echo(n), n);
    assert.deepEqual(traffic.read(), { connections: 3, trips: 3, writes: 3 });
    traffic.stop();
  });

  it("keeps a failing statement's error to itself", async () => {
    await Promise.all([echo(1), echo(2)]);
    const opened = pool().totalCount;
    const traffic = poolTraffic(db);
    const results = await Promise.allSettled([
      echo(7),
      runPrepared<{ n: number }>(db, DIVIDE, [0]),
      runPrepared<{ n: number }>(db, DIVIDE, [4]),
    ]);
    assert.equal(results[0].status === 'fulfilled' && results[0].value, 7);
    assert.equal(results[1].status === 'rejected' && (results[1].reason as { code?: string }).code, '22012');
    assert.deepEqual(results[2].status === 'fulfilled' && results[2].value, [{ n: 25 }]);
    const { connections, trips, writes } = traffic.read();
    traffic.stop();
    assert.deepEqual({ connections, trips, writes }, { connections: 1, trips: 1, writes: 1 });
    // The connection whose statement failed was closed, not given back; the pool goes on.
    assert.equal(pool().totalCount, opened - 1);
    assert.equal(await echo(8), 8);
  });

  it('survives a connection that breaks under the statements sent together', async () => {
    // The backend ends itself: every statement on the connection fails, and the connection says so by an
    // event too, which ends the process if nobody listens.
    const ended = await Promise.allSettled([echo(9), runPrepared(db, END_BACKEND, []), runPrepared(db, DIVIDE, [2])]);
    // Sent before the end: answered, or refused with the connection if its answer was not read before the end.
    assert.ok(ended[0].status === 'rejected' || ended[0].value === 9, JSON.stringify(ended[0]));
    assert.equal(ended[1].status, 'rejected');
    assert.equal(ended[2].status, 'rejected', 'sent after it: refused with the connection');
    assert.equal(await echo(10), 10, 'the pool goes on with another connection');
  });

  it('sends at most eight together on one connection', async () => {
    const traffic = poolTraffic(db);
    const numbers = Array.from({ length: 20 }, (_, i) => i);
    assert.deepEqual(await Promise.all(numbers.map(echo)), numbers);
    assert.deepEqual(traffic.read(), { connections: 3, trips: 3, writes: 3 }, '20 statements: 8, 8 and 4');
    traffic.stop();
  });
});
