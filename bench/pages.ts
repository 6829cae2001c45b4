/**
 * `npm run bench:pages -- [--records 100000] [--small 100] [--runs 30]` (needs DATABASE_URL): what the first page
 * of a person's timeline and of their Art. 15 report costs with `--records` disclosure records for that person
 * against one with `--small`, and the same with a filter that matches only the person's oldest 5 records.
 *
 * The records are laid out in a fresh jobcenter database (chained version 2 records, as the process writes
 * them); the pages are read with the consent registry's own code (`DisclosureLogClient.page`, `wholeDays`,
 * `groupForReport`) against that log's `DisclosureLog.records`, in this process: the HTTP hop between the
 * registry and a log is left out (one request per log and page, the same for both persons). Beside each figure,
 * the way it was read before #23 (every record for the report; the registry sieving up to 5,000 records for a
 * filter) is measured in the same process as the baseline. Prints the machine's load before and after.
 */
import 'reflect-metadata';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { DataSource } from 'typeorm';
import { DisclosureLog, type RecordQuery } from '../common/audit/log/disclosure-log.repository.js';
import { toRowDocument } from '../common/audit/log/disclosure-log.table.js';
import { chainEntries, GENESIS_HASH, parseBasis, type DisclosureEntry } from '../common/audit/log/record.js';
import { DisclosureLogClient, type RecordPage } from '../common/audit/witness/log-client.js';
import { loadConfigOrExit } from '../common/config.js';
import { createDataSource } from '../common/db/data-source.js';
import { dropDatabase, provisionDatabase } from '../common/db/provision.js';
import type { Caller } from '../common/domain.js';
import { migrateSubgraph } from '../common/subgraph/runtime.js';
import { groupForReport, wholeDays } from '../subgraphs/consent/services/disclosure.service.js';
import { jobcenterSubgraph } from '../subgraphs/jobcenter/jobcenter.subgraph.js';

const { values } = parseArgs({
  options: { records: { type: 'string' }, small: { type: 'string' }, runs: { type: 'string' } },
});
const BIG = Number(values.records ?? 100_000);
const SMALL = Number(values.small ?? 100);
const RUNS = Number(values.runs ?? 30);
const config = loadConfigOrExit();
if (!config.databaseUrl) {
  console.error('Set DATABASE_URL to a PostgreSQL server for the benchmark database.');
  process.exit(64);
}
const out = (line: string) => console.log(line);
const TIME_ZONE = 'Europe/Berlin';
const BIG_PERSON = '00000000-0000-4000-8000-00000000b16b';
const SMALL_PERSON = '00000000-0000-4000-8000-0000000005aa';
/** The person's oldest records that also release BENEFITS on a consent: what the sparse filter matches. */
const SPARSE = 5;

function entry(personId: string, sparse: boolean): DisclosureEntry {
  return {
    requestId: `bench-${Math.random()}`,
    agency: 'jobcenter',
    officer: 'bench.officer',
    roles: ['CASEWORKER'],
    purpose: 'JOB_PLACEMENT',
    operation: 'PersonView',
    kind: 'READ',
    personId,
    released: [
      { field: 'Person.employment', category: 'EMPLOYMENT' },
      ...(sparse ? [{ field: 'Person.benefits', category: 'BENEFITS' }] : []),
    ],
    refused: [{ field: 'Person.integrationCourse', category: 'INTEGRATION_COURSE', reason: 'CONSENT_REQUIRED' }],
    basis: [
      { category: 'EMPLOYMENT', basis: 'OWN_TASK' },
      ...(sparse ? [{ category: 'BENEFITS', basis: 'CONSENT:6f1c2a52-4a43-4c55-9a59-0a4f5c1e2b3d@1' }] : []),
    ],
    changes: [],
    retention: null,
    policyVersion: 'bench',
    correlationId: null,
  };
}

/** Both persons' records, the big one's spread over the last 100 days, the small one's among them. */
async function layOut(db: DataSource) {
  const now = Date.now();
  const rows: { entry: DisclosureEntry; at: Date }[] = [];
  const span = 100 * 86_400_000;
  for (let i = 0; i < BIG; i++) {
    rows.push({ entry: entry(BIG_PERSON, i < SPARSE), at: new Date(now - span + Math.floor((i * span) / BIG)) });
    if (i % Math.max(1, Math.floor(BIG / SMALL)) === 0 && rows.length < BIG + SMALL)
      rows.push({ entry: entry(SMALL_PERSON, i === 0), at: new Date(now - span + Math.floor((i * span) / BIG)) });
  }
  let head = { sequence: 0, hash: GENESIS_HASH };
  for (let start = 0; start < rows.length; start += 5000) {
    const records = rows.slice(start, start + 5000).map(({ entry: e, at }) => {
      const [record] = chainEntries([e], head, at);
      head = record;
      return record;
    });
    await db.query(
      `INSERT INTO disclosure_log SELECT r.* FROM jsonb_array_elements($1::jsonb) AS e(doc),
         LATERAL jsonb_populate_record(NULL::disclosure_log, e.doc) AS r`,
      [JSON.stringify(records.map(toRowDocument))],
    );
  }
  await db.query('ANALYZE disclosure_log');
  const counts = await db.query<{ person_id: string; n: string }[]>(
    'SELECT person_id, count(*) AS n FROM disclosure_log GROUP BY person_id',
  );
  return Object.fromEntries(counts.map((c) => [c.person_id, Number(c.n)]));
}

async function timed(run: () => Promise<unknown>): Promise<{ median: number; p95: number }> {
  for (let i = 0; i < 3; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await run();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return {
    median: times[Math.floor(times.length / 2)],
    p95: times[Math.min(times.length - 1, Math.ceil(times.length * 0.95) - 1)],
  };
}

const fmt = (t: { median: number; p95: number }) => `${t.median.toFixed(2)} ms (p95 ${t.p95.toFixed(2)})`;

const name = 'verbund_benchpages';
await dropDatabase(config.databaseUrl, name);
const provisioned = await provisionDatabase(config.databaseUrl, 'jobcenter', name);
await migrateSubgraph(jobcenterSubgraph, provisioned);
const admin = await createDataSource({ url: provisioned.adminUrl, entities: [] }).initialize();
const runtime = await createDataSource({ url: provisioned.roleUrl, entities: [] }).initialize();
try {
  const loadBefore = os.loadavg();
  out(`# Pages of a person's records: figures (node ${process.version}, ${os.cpus().length} cores)`);
  out(`load average before (1, 5, 15 min): ${loadBefore.map((l) => l.toFixed(2)).join(', ')}`);
  const t = performance.now();
  const counts = await layOut(admin);
  out(
    `laid out ${counts[BIG_PERSON]} records of one person and ${counts[SMALL_PERSON]} of another in ${((performance.now() - t) / 1000).toFixed(1)} s (set-up)`,
  );
  // The registry's reader, with the jobcenter's log read in this process (as the registry reads its own).
  const log = new DisclosureLog(runtime);
  const local = { subgraph: 'consent' as const, records: (q: RecordQuery) => log.records(q) };
  const client = new DisclosureLogClient(() => ({}));
  const caller = {} as Caller;
  const page = (personId: string, first: number, filter: Partial<RecordQuery> = {}, after?: string) =>
    client.page(caller, '', { filter: { personId, ...filter }, subgraphs: [], first, after, local });

  /** The report's first page now: one page of at most 500 released records, cut at a day's end, grouped. */
  const reportNow = async (personId: string, first: number) => {
    const p = wholeDays(await page(personId, first, { decision: 'RELEASED' }), TIME_ZONE);
    return groupForReport(p.records, TIME_ZONE).length;
  };
  /** The report before #23: every released record of the person, 500 a request, then grouped. */
  const reportBefore = async (personId: string) => {
    const all = [];
    let after: string | undefined;
    for (;;) {
      const p: RecordPage = await page(personId, 500, { decision: 'RELEASED' }, after);
      all.push(...p.records);
      if (!p.hasNextPage || !p.endCursor) break;
      after = p.endCursor;
    }
    return groupForReport(all, TIME_ZONE).length;
  };
  /** A filtered timeline page before #23: the registry sieved source pages of 100, at most 5,000 records. */
  const sieveBefore = async (personId: string, first: number) => {
    const matches = [];
    let after: string | undefined;
    let scanned = 0;
    for (;;) {
      const p = await page(personId, Math.max(first + 1, 100), {}, after);
      for (const r of p.records) {
        scanned += 1;
        if (r.basis.some((b) => parseBasis(b.basis).kind === 'CONSENT')) matches.push(r);
        if (matches.length > first) return matches.length;
      }
      const last = p.records[p.records.length - 1];
      if (!p.hasNextPage || !last) return matches.length;
      if (scanned >= 5000) return matches.length;
      after = p.endCursor ?? undefined;
    }
  };

  const lines: [string, () => Promise<unknown>][] = [];
  for (const [label, person] of [
    [`${counts[BIG_PERSON]} records`, BIG_PERSON],
    [`${counts[SMALL_PERSON]} records`, SMALL_PERSON],
  ] as const) {
    lines.push([`timeline, first page of 50, ${label}`, () => page(person, 50)]);
    lines.push([`accessReport, first page of 100 records, ${label}`, () => reportNow(person, 100)]);
    lines.push([`accessReport, first page of up to 500 records, ${label}`, () => reportNow(person, 500)]);
    lines.push([
      `timeline, 50 with basis CONSENT (${SPARSE} oldest match), at the source, ${label}`,
      () => page(person, 50, { basis: 'CONSENT' }),
    ]);
  }
  for (const [label, run] of lines) out(`${label}: ${fmt(await timed(run))}`);
  out('baseline, as read before #23:');
  for (const [label, person] of [
    [`${counts[SMALL_PERSON]} records`, SMALL_PERSON],
    [`${counts[BIG_PERSON]} records`, BIG_PERSON],
  ] as const) {
    out(`  accessReport reading every record, ${label}: ${fmt(await timed(() => reportBefore(person)))}`);
    out(
      `  timeline with basis CONSENT sieved in the registry (≤ 5,000 records, a short page past them), ${label}: ${fmt(await timed(() => sieveBefore(person, 50)))}`,
    );
  }
  // What the database itself reads for the first page: the person index, LIMIT first + 1.
  for (const [label, person] of [
    ['big', BIG_PERSON],
    ['small', SMALL_PERSON],
  ] as const) {
    for (const [what, extra] of [
      ['first page', ''],
      [
        'basis CONSENT',
        ` AND EXISTS (SELECT 1 FROM jsonb_array_elements(basis) b WHERE b->>'basis' ~ '^CONSENT:[^@]+@[0-9]+$')`,
      ],
    ] as const) {
      const [plan] = await runtime.query<{ 'QUERY PLAN': { Plan: Record<string, unknown> }[] }[]>(
        `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) SELECT * FROM disclosure_log WHERE person_id = $1${extra} ORDER BY at DESC, sequence DESC LIMIT 51`,
        [person],
      );
      const root = plan['QUERY PLAN'][0].Plan as Record<string, string | number | undefined>;
      const scan = (root.Plans as unknown as Record<string, string | number | undefined>[] | undefined)?.[0] ?? root;
      out(
        `plan, ${what}, ${label} person: ${String(scan['Node Type'])} on ${String(scan['Index Name'] ?? '-')}, ${String(scan['Actual Rows'])} rows returned, ${String(scan['Rows Removed by Filter'] ?? 0)} removed by filter, ${Number(root['Shared Hit Blocks'] ?? 0) + Number(root['Shared Read Blocks'] ?? 0)} buffers`,
      );
    }
  }
  out(
    `load average after (1, 5, 15 min): ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')}`,
  );
} finally {
  await runtime.destroy();
  await admin.destroy();
  await dropDatabase(config.databaseUrl, name);
}
