/**
 * `npm run capacity -- [--persons 1000] [--views 1000] [--seconds 20] [--connections 8] [--force]`: capacity figures
 * of the hub as a deployment runs it (compiled, one process per part, each subgraph with its own database role)
 * for docs/operating.md, "Capacity": disclosure records and disk bytes per 1,000 person views (the audit tables of
 * each subgraph's database), database connections per replica against the server's max_connections, and memory
 * (resident set, heap after a full collection) of every part under a sustained load of person views. Needs
 * DATABASE_URL; refuses to measure while the machine's 1-minute load is 4 or more (other work would be measured
 * too) unless --force. Prints Markdown and writes it to bench/CAPACITY.md.
 */
import 'reflect-metadata';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadOrCreateDevKey } from '../common/auth/dev-key.js';
import { issueDevToken } from '../common/auth/token.js';
import { loadConfigOrExit } from '../common/config.js';
import { SUBGRAPHS, type SubgraphName } from '../common/domain.js';
import type { SubgraphDatabase } from '../common/db/provision.js';
import { compileForBench } from './build.js';
import {
  dropHubDatabases,
  personsWithLanguageConsent,
  prepareHubDatabases,
  startHub,
  type Deployment,
} from './deployments.js';
import { drive, type LoadResult } from './load.js';
import { CALLERS, PERSON_VIEW } from './queries.js';

const root = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    persons: { type: 'string', default: '1000' },
    views: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '20' },
    connections: { type: 'string', default: '8' },
    port: { type: 'string', default: '4600' },
    force: { type: 'boolean', default: false },
  },
});
const persons = Number(values.persons);
const views = Number(values.views);
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const log = (line: string) => console.error(`[capacity] ${line}`);

const config = loadConfigOrExit();
if (!config.databaseUrl) {
  console.error(
    'DATABASE_URL (an administrative connection to PostgreSQL) is needed: the figures are of a real server.',
  );
  process.exit(78);
}
const loadBefore = os.loadavg()[0];
if (loadBefore >= 4 && !values.force) {
  console.error(
    `the 1-minute load is ${loadBefore.toFixed(2)} (4 or more): other work would be measured too; wait, or --force`,
  );
  process.exit(75);
}
const adminUrl = config.databaseUrl;
/** The parts sign checkpoints this often here, so that a measurement includes their rows (60 s by default). */
const CHECKPOINT_SECONDS = 5;

/** The tables the disclosure log occupies in a subgraph's database. */
const AUDIT_TABLES = [
  'disclosure_log',
  'disclosure_attestation',
  'disclosure_attestation_use',
  'disclosure_checkpoint',
  'merkle_node',
];

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** Records and bytes of the audit tables (with their indexes and TOAST) in one subgraph's database. */
async function auditFootprint(database: SubgraphDatabase): Promise<{ records: number; bytes: number }> {
  const [row] = await query<{ records: string; bytes: string }>(
    database.adminUrl,
    `SELECT (SELECT count(*) FROM disclosure_log) AS records,
            (SELECT coalesce(sum(pg_total_relation_size(to_regclass(t))), 0) FROM unnest($1::text[]) AS t
              WHERE to_regclass(t) IS NOT NULL) AS bytes`,
    [AUDIT_TABLES],
  );
  return { records: Number(row.records), bytes: Number(row.bytes) };
}

/** Connections open to each subgraph's database as its own role (the replica's pool). */
async function connectionsNow(
  databases: Record<SubgraphName, SubgraphDatabase>,
): Promise<Record<SubgraphName, number>> {
  const rows = await query<{ datname: string; n: string }>(
    adminUrl,
    `SELECT datname, count(*) AS n FROM pg_stat_activity WHERE datname = ANY($1) AND usename LIKE 'verbund\\_%' GROUP BY datname`,
    [SUBGRAPHS.map((n) => databases[n].name)],
  );
  return Object.fromEntries(
    SUBGRAPHS.map((n) => [n, Number(rows.find((r) => r.datname === databases[n].name)?.n ?? 0)]),
  ) as Record<SubgraphName, number>;
}

const startedAt = new Date();
log(
  `load ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}, ${os.cpus().length} cores, Node ${process.version}`,
);
const databases = await prepareHubDatabases(adminUrl, { persons, seed: 7, log });
const consented = await personsWithLanguageConsent(databases.consent);
const build = await compileForBench(root, log);
let hub: Deployment | undefined;
let stopping = false;
const shutdown = async () => {
  stopping = true;
  await hub?.stop();
  await dropHubDatabases(adminUrl).catch(() => {});
};
try {
  const devKey = await loadOrCreateDevKey(config.dataDir);
  const token = await issueDevToken(devKey.privateKey, {
    officer: CALLERS.jobcenter.officer,
    agency: CALLERS.jobcenter.agency,
    roles: [CALLERS.jobcenter.role],
    issuer: config.jwtIssuer,
    expiresIn: '24h',
  });
  hub = await startHub({
    databases,
    port: Number(values.port),
    env: {
      ...process.env,
      DB_POOL_SIZE: String(config.dbPoolSize),
      CHECKPOINT_INTERVAL_SECONDS: String(CHECKPOINT_SECONDS),
    },
    build,
    onUnexpectedExit: (label, code) => {
      if (!stopping) log(`${label} stopped unexpectedly (${code})`);
    },
  });
  const request = {
    headers: { authorization: `Bearer ${token}`, 'x-purpose': CALLERS.jobcenter.purpose },
    body: () =>
      JSON.stringify({
        query: PERSON_VIEW,
        variables: { id: consented[Math.floor(Math.random() * consented.length)] },
      }),
    verify: (body: string) => body.includes('"givenName":"'),
  };
  // Warm-up, then the footprint of exactly `views` person views.
  await drive({ url: hub.gatewayUrl, connections, duration: 0, amount: 200 }, request);
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const before = Object.fromEntries(
    await Promise.all(SUBGRAPHS.map(async (n) => [n, await auditFootprint(databases[n])] as const)),
  ) as Record<SubgraphName, { records: number; bytes: number }>;
  const counted: LoadResult = await drive({ url: hub.gatewayUrl, connections, duration: 0, amount: views }, request);
  // The checkpointer signs every CHECKPOINT_INTERVAL_SECONDS: wait for one, so that its rows count too.
  await new Promise((resolve) => setTimeout(resolve, (CHECKPOINT_SECONDS + 2) * 1000));
  const after = Object.fromEntries(
    await Promise.all(SUBGRAPHS.map(async (n) => [n, await auditFootprint(databases[n])] as const)),
  ) as Record<SubgraphName, { records: number; bytes: number }>;

  // Memory and connections under a sustained load, sampled every second.
  const peakRss = new Map<string, number>();
  const peakConnections = Object.fromEntries(SUBGRAPHS.map((n) => [n, 0])) as Record<SubgraphName, number>;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      for (const p of hub.processes) peakRss.set(p.label, Math.max(peakRss.get(p.label) ?? 0, await p.rssKiB()));
      const open = await connectionsNow(databases);
      for (const n of SUBGRAPHS) peakConnections[n] = Math.max(peakConnections[n], open[n]);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  })();
  const sustained = await drive({ url: hub.gatewayUrl, connections, duration: seconds }, request);
  sampling = false;
  await sampler;
  const heap = new Map<string, number>();
  for (const p of hub.processes) heap.set(p.label, await p.heapAfterGcKiB());
  const [limits] = await query<{ max: string; reserved: string }>(
    adminUrl,
    `SELECT current_setting('max_connections') AS max, current_setting('superuser_reserved_connections') AS reserved`,
  );
  const loadAfter = os.loadavg()[0];

  const mib = (kib: number) => (kib / 1024).toFixed(0);
  const per1000 = (n: number) => ((n * 1000) / counted.requests).toFixed(0);
  const lines = [
    `Measured ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC by \`npm run capacity\` on this machine (${os.cpus().length} cores, Node ${process.version}, PostgreSQL at DATABASE_URL, ${persons} demo persons; 1-minute load ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after), the parts compiled as in the image, one process each.`,
    '',
    `**Disclosure log per 1,000 person views** (${counted.requests} views of a jobcenter caseworker, ${counted.errors + counted.non2xx + counted.mismatches} failed; records and bytes of ${AUDIT_TABLES.join(', ')} with indexes):`,
    '',
    '| subgraph | records | disk bytes | bytes per record |',
    '|---|---:|---:|---:|',
    ...SUBGRAPHS.map((n) => {
      const records = after[n].records - before[n].records;
      const bytes = after[n].bytes - before[n].bytes;
      return `| ${n} | ${per1000(records)} | ${per1000(bytes)} | ${records ? (bytes / records).toFixed(0) : '–'} |`;
    }),
    '',
    `**Under load** (${seconds} s of person views over ${connections} connections: ${sustained.requestsPerSecond.toFixed(0)}/s, p99 ${sustained.p99.toFixed(0)} ms, ${sustained.errors + sustained.non2xx + sustained.mismatches} failed). DB_POOL_SIZE ${config.dbPoolSize}; the server's max_connections ${limits.max} (${limits.reserved} reserved for superusers):`,
    '',
    '| part | peak resident memory (MiB) | heap after a full collection (MiB) | peak DB connections per replica |',
    '|---|---:|---:|---:|',
    ...hub.processes.map((p) => {
      const part = p.label.split(' ').slice(1).join(' ') as SubgraphName | 'gateway';
      return `| ${part} | ${mib(peakRss.get(p.label) ?? 0)} | ${mib(heap.get(p.label) ?? 0)} | ${part === 'gateway' ? '–' : peakConnections[part]} |`;
    }),
  ];
  const text = `${lines.join('\n')}\n`;
  console.log(text);
  await writeFile(path.join(root, 'bench/CAPACITY.md'), `# Capacity figures\n\n${text}`);
} finally {
  await shutdown();
}
