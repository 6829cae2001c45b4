/**
 * `npm run bench:together -- [--rounds 5] [--units 4000]` (needs DATABASE_URL, a server on this machine): what
 * sending statements together saves (`common/db/prepared.ts`, the pools' pipelining), on a jobcenter database
 * of its own, in alternating rounds so that the machine's drift hits every way alike:
 *
 * - **reads**: 16 callers, each sending the jobcenter's two reads of a person view (employment status and
 *   integration course) at once, over and over; one connection and round trip each (the pool's own `query`,
 *   as before), against sent together (`runPrepared`);
 * - **a change**: the shape of a mutation (`recordingChanges`): START TRANSACTION, the insert, the disclosure
 *   record's savepoint and append (`DisclosureLog.appendWithin`), COMMIT; on connections that do not pipeline
 *   (the savepoint and the append two round trips, as before) against ones that do (one); one change at a time,
 *   and 16 at once. (The connections that do not pipeline queue the append behind the savepoint, which pg
 *   warns is deprecated; the hub's connections all pipeline.)
 *
 * - **one write**: 16 callers, each sending the same two reads on a pipelined connection of its own from the
 *   pool, each statement in a write of its own against both in one (`inOneWrite`, as the two cases above send
 *   them together).
 *
 * Prints, per unit (a pair of reads; a change), the CPU time of this process and of the database's backends.
 * The tables are empty: the figures are of the round trips, not of the reads' work.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import type pg from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { DisclosureLog } from '../common/audit/log/disclosure-log.repository.js';
import type { DisclosureEntry } from '../common/audit/log/record.js';
import { loadConfigOrExit } from '../common/config.js';
import { createDataSource } from '../common/db/data-source.js';
import { inOneWrite, runPrepared, type PreparedStatement } from '../common/db/prepared.js';
import { dropDatabase, provisionDatabase } from '../common/db/provision.js';
import { migrateSubgraph } from '../common/subgraph/runtime.js';
import { jobcenterSubgraph } from '../subgraphs/jobcenter/jobcenter.subgraph.js';
import { backendCpuBetween, serverBackendCpuSeconds } from './cpu.js';

const { values } = parseArgs({ options: { rounds: { type: 'string' }, units: { type: 'string' } } });
const rounds = Number(values.rounds ?? 5);
const units = Number(values.units ?? 4000);
if (!Number.isInteger(rounds) || rounds < 1 || !Number.isInteger(units) || units < 16) {
  console.error('Usage: npm run bench:together -- [--rounds 5] [--units 4000] (rounds ≥ 1, units ≥ 16)');
  process.exit(64);
}
const config = loadConfigOrExit();
if (!config.databaseUrl) {
  console.error('Set DATABASE_URL to a PostgreSQL server on this machine for the benchmark database.');
  process.exit(64);
}
const adminUrl = config.databaseUrl;
const DATABASE = 'verbund_together_jobcenter';
const CALLERS = 16;

const EMPLOYMENT: PreparedStatement = {
  name: 'bench_together_employment',
  text: 'SELECT id, status, since::text FROM employment_status WHERE person_id = ANY($1::uuid[])',
};
const COURSE: PreparedStatement = {
  name: 'bench_together_course',
  text: 'SELECT id, status, starts::text FROM integration_course WHERE person_id = ANY($1::uuid[])',
};
const INSERT_STATUS =
  'INSERT INTO employment_status (person_id, status, since, employer, recorded_by) VALUES ($1, $2, $3, $4, $5) RETURNING id';

function changeEntry(personId: string): DisclosureEntry {
  return {
    requestId: randomUUID(),
    agency: 'jobcenter',
    officer: 'bench.officer',
    roles: ['CASEWORKER'],
    purpose: 'JOB_PLACEMENT',
    operation: 'RecordEmploymentStatus',
    kind: 'WRITE',
    personId,
    released: [],
    refused: [],
    basis: [],
    changes: [{ operation: 'recordEmploymentStatus', record: `EmploymentStatus:${personId}` }],
    retention: null,
    policyVersion: 'bench',
    correlationId: null,
  };
}

/** Runs `work` `count` times, spread over `at` callers at once. */
async function callers(count: number, work: (i: number) => Promise<unknown>, at = CALLERS): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: at }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

/** CPU ms per unit of this process and of the database's backends while `run` did `count` units. */
async function measure(count: number, run: () => Promise<void>): Promise<{ node: number; database: number }> {
  const backendsBefore = await serverBackendCpuSeconds(adminUrl, 'verbund_together');
  const before = process.cpuUsage();
  await run();
  const used = process.cpuUsage(before);
  const backends = backendCpuBetween(backendsBefore, await serverBackendCpuSeconds(adminUrl, 'verbund_together'));
  return { node: (used.user + used.system) / 1000 / count, database: (backends * 1000) / count };
}

/** Persons the changes write about; the reads ask for others, whose rows stay none as the rounds go on. */
const written = Array.from({ length: 100 }, () => randomUUID());
const read = Array.from({ length: 100 }, () => randomUUID());

async function reads(db: DataSource, together: boolean, count: number): Promise<void> {
  const pool = (db.driver as PostgresDriver).master as pg.Pool;
  const send = (statement: PreparedStatement, ids: string[]) =>
    together
      ? runPrepared(db, statement, [ids])
      : pool.query({ name: statement.name, text: statement.text, values: [ids] });
  await callers(count, (i) => {
    const ids = [read[i % read.length]];
    return Promise.all([send(EMPLOYMENT, ids), send(COURSE, ids)]);
  });
}

async function pairsOnOneConnection(db: DataSource, oneWrite: boolean, count: number): Promise<void> {
  const pool = (db.driver as PostgresDriver).master as pg.Pool;
  await callers(count, async (i) => {
    const values = [[read[i % read.length]]];
    const client = await pool.connect();
    try {
      const send = () => [EMPLOYMENT, COURSE].map((statement) => client.query({ ...statement, values }));
      await Promise.all(oneWrite ? inOneWrite(client, send) : send());
    } finally {
      client.release();
    }
  });
}

async function changes(db: DataSource, log: DisclosureLog, count: number, at: number): Promise<void> {
  await callers(
    count,
    async (i) => {
      const personId = written[i % written.length];
      const runner = db.createQueryRunner();
      await runner.connect();
      await runner.startTransaction();
      try {
        await runner.query(INSERT_STATUS, [personId, 'SEEKING', '2026-01-01', null, 'bench.officer']);
        await log.appendWithin(runner.manager, [changeEntry(personId)]);
        await runner.commitTransaction();
      } catch (error) {
        if (runner.isTransactionActive) await runner.rollbackTransaction();
        throw error;
      } finally {
        await runner.release();
      }
    },
    at,
  );
}

const fmt = (ms: number) => ms.toFixed(3);

await dropDatabase(adminUrl, DATABASE);
const provisioned = await provisionDatabase(adminUrl, 'jobcenter', DATABASE);
await migrateSubgraph(jobcenterSubgraph, provisioned);
const pipelined = await createDataSource({ url: provisioned.roleUrl, entities: [] }).initialize();
const oneByOne = await createDataSource({ url: provisioned.roleUrl, entities: [], pipeline: false }).initialize();
try {
  const logs = new Map([
    [pipelined, new DisclosureLog(pipelined)],
    [oneByOne, new DisclosureLog(oneByOne)],
  ]);
  // Warm-up: every connection opened and its statements prepared, the processes' tails known.
  for (const db of [pipelined, oneByOne]) {
    await reads(db, false, 200);
    await reads(db, true, 200);
    await pairsOnOneConnection(db, true, 200);
    await changes(db, logs.get(db)!, 200, CALLERS);
  }
  console.log(`${rounds} rounds of ${units} units each way; CPU ms per unit, this process / the database's backends`);
  console.log(
    '| round | reads by 16 callers, one connection each | sent together | changes one at a time, savepoint and append in two round trips | in one | changes by 16 callers, two | one | a pair on one connection, a write each | in one write |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  const pair = (x: { node: number; database: number }) => `${fmt(x.node)} / ${fmt(x.database)}`;
  for (let round = 1; round <= rounds; round++) {
    const figures = [
      await measure(units, () => reads(pipelined, false, units)),
      await measure(units, () => reads(pipelined, true, units)),
      // Switching pools costs one refused append (the other pool's tail), once per run of `units`.
      await measure(units, () => changes(oneByOne, logs.get(oneByOne)!, units, 1)),
      await measure(units, () => changes(pipelined, logs.get(pipelined)!, units, 1)),
      await measure(units, () => changes(oneByOne, logs.get(oneByOne)!, units, CALLERS)),
      await measure(units, () => changes(pipelined, logs.get(pipelined)!, units, CALLERS)),
      await measure(units, () => pairsOnOneConnection(pipelined, false, units)),
      await measure(units, () => pairsOnOneConnection(pipelined, true, units)),
    ];
    console.log(`| ${round} | ${figures.map(pair).join(' | ')} |`);
  }
} finally {
  await pipelined.destroy();
  await oneByOne.destroy();
  await dropDatabase(adminUrl, DATABASE);
}
