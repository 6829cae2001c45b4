import 'reflect-metadata';
import assert from 'node:assert/strict';
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { loadOrCreateDevKey } from '../../common/auth/dev-key.js';
import { issueDevToken } from '../../common/auth/token.js';
import { SUBGRAPHS, type Role, type SubgraphName } from '../../common/domain.js';
import { withClient } from '../../common/db/provision.js';
import { openSubgraphDatabase } from '../../common/subgraph/runtime.js';
import { seedDemo, type SeedTargets } from '../../seed/seed-demo.js';
import { demoPersons } from '../../seed/world.js';
import { loadSubgraphDefinition } from '../../subgraphs/index.js';
import { createTestDatabase } from '../support/databases.js';
import { codes, post, type GraphQLResponse } from '../support/graphql.js';
import { PERSON_VIEW } from '../support/queries.js';
import { receivedPersonalFields } from '../support/received.js';
import { startRoundRobin, type RoundRobin } from '../support/round-robin.js';

/**
 * Scale-out, proven on this machine: two replicas of every subgraph, each its own process started from the
 * deployment entry point (`subgraphs/main.ts`), over one database per subgraph, behind a round-robin
 * balancer per subgraph; two gateway processes (`gateway/main.ts`) in front. Concurrent person views, writes
 * and consent officers' timeline reads go through both gateways; halfway through, one replica of every
 * subgraph is killed with SIGKILL. Then: every disclosure chain verifies (the audit route and
 * `npm run audit:verify`), both replicas appended to each chain, every field a client received is in a record of
 * its request, every answer a replica gave has its record, every write its WRITE record and row, and every
 * request started after the kill succeeded. Throughput before and after is reported, not asserted.
 */
const SEED = 21;
const PERSONS = 40;
const persons = demoPersons(SEED, 0, PERSONS);
const PHASE_MS = 8_000;
const CONCURRENCY = 6;
const root = path.resolve(import.meta.dirname, '../..');

const RECORD_STATUS = `mutation RecordStatus($p: ID!) { recordEmploymentStatus(personId: $p, input: { status: SEEKING, since: "2026-10-01" }) { id } }`;
const TIMELINE = `query Timeline($p: ID!) { disclosureTimeline(personId: $p, first: 5) { records { subgraph sequence requestId } } }`;
/** The gateway names its fetches `<Operation>__<subgraph>__<n>`: these are the fetches of the driven requests. */
const DRIVEN = /^(PersonView|RecordStatus|Timeline)__/;

interface Part {
  label: string;
  child: ChildProcess;
  output: string[];
  url: string;
}

/**
 * A port for a child process to listen on. Drawn below the kernel's ephemeral range (32768 and up), which
 * `listen(0)` and every outgoing connection on this machine draw from: a port from there can be taken by
 * another process's connection between our check and the child's listen.
 */
async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + randomInt(12_000);
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

/** Starts a part from its deployment entry point under tsx and waits until `/health/ready` answers 200. */
async function startPart(
  label: string,
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  url: string,
): Promise<Part> {
  const child = fork(path.join(root, script), args, {
    execArgv: ['--import', 'tsx'],
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const output: string[] = [];
  child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`${label} exited during start-up (${child.exitCode}): ${output.join('')}`);
    try {
      if ((await fetch(new URL('/health/ready', url))).status === 200) return { label, child, output, url };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${label} not ready within 120 s: ${output.join('')}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function stopPart(part: Part, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  return new Promise((resolve) => {
    if (part.child.exitCode !== null || part.child.signalCode !== null) return resolve();
    part.child.once('exit', () => resolve());
    part.child.kill(signal);
  });
}

interface Driven {
  kind: 'view' | 'write' | 'timeline';
  query: string;
  personId: string;
  startedAt: number;
  endedAt: number;
  response?: GraphQLResponse;
  failure?: string;
}

interface LogRow {
  sequence: number;
  request_id: string;
  kind: string;
  released: { field: string }[];
  changes: { operation: string; record: string }[];
}

describe('scale-out: two replicas of every subgraph over one database each, one of each killed mid-run', () => {
  const parts: Part[] = [];
  const replicas = {} as Record<SubgraphName, Part[]>;
  const balancers = {} as Record<SubgraphName, RoundRobin>;
  const adminUrls = {} as Record<SubgraphName, string>;
  const drops: (() => Promise<void>)[] = [];
  const gateways: string[] = [];
  const keyDir = mkdtempSync(path.join(os.tmpdir(), 'verbund-replicas-'));
  const tokens: Record<'jobcenter' | 'officer', string> = { jobcenter: '', officer: '' };
  const driven: Driven[] = [];
  let killedAt = 0;
  const killOnExit = () => {
    for (const part of parts) part.child.kill('SIGKILL');
  };

  beforeAll(async () => {
    process.once('exit', killOnExit);
    const key = await loadOrCreateDevKey(keyDir);
    const token = (agency: string, role: Role, officer: string) =>
      issueDevToken(key.privateKey, { officer, agency, roles: [role], issuer: 'verbund-dev' });
    tokens.jobcenter = await token('jobcenter', 'CASEWORKER', 'j.meyer');
    tokens.officer = await token('county', 'CONSENT_OFFICER', 'a.schulz');

    // One database per subgraph, seeded once; both replicas of a subgraph connect to it as its role.
    const roleUrls = {} as Record<SubgraphName, string>;
    const targets: SeedTargets = {};
    for (const name of SUBGRAPHS) {
      const database = await createTestDatabase(name);
      drops.push(() => database.drop());
      roleUrls[name] = database.roleUrl;
      adminUrls[name] = database.adminUrl;
      const definition = await loadSubgraphDefinition(name);
      targets[name] = { definition, db: await openSubgraphDatabase(definition, database.roleUrl, { poolSize: 2 }) };
    }
    try {
      await seedDemo(targets, { seed: SEED, from: 0, to: PERSONS });
    } finally {
      for (const target of Object.values(targets)) await target.db.destroy();
    }

    const ports = {} as Record<SubgraphName, number[]>;
    for (const name of SUBGRAPHS) {
      ports[name] = [await freePort(), await freePort()];
      balancers[name] = await startRoundRobin(ports[name].map((port) => `http://127.0.0.1:${port}`));
    }
    const balanced = Object.fromEntries(SUBGRAPHS.map((n) => [`${n.toUpperCase()}_URL`, balancers[n].url]));
    const base: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'test',
      DATA_DIR: keyDir,
      DB_POOL_SIZE: '4',
      LOG_HEAD_INTERVAL_SECONDS: '1',
      ...balanced,
    };
    delete base.DATABASE_URL;
    // Each replica listens on its own port (from its own <NAME>_URL) and reaches every other subgraph,
    // the consent registry and the county's register through the balancers, as in a cluster.
    const starting = SUBGRAPHS.flatMap((name) =>
      ports[name].map(async (port, i) => {
        const url = `http://127.0.0.1:${port}/graphql`;
        const env = {
          ...base,
          [`${name.toUpperCase()}_URL`]: url,
          [`${name.toUpperCase()}_DATABASE_URL`]: roleUrls[name],
        };
        const part = await startPart(`${name}#${i}`, 'subgraphs/main.ts', [name], env, url);
        parts.push(part);
        return { name, i, part };
      }),
    );
    for (const { name, i, part } of await Promise.all(starting)) (replicas[name] ??= [])[i] = part;
    for (let i = 0; i < 2; i += 1) {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}/graphql`;
      parts.push(await startPart(`gateway#${i}`, 'gateway/main.ts', [], { ...base, PORT: String(port) }, url));
      gateways.push(url);
    }
  });

  afterAll(async () => {
    await Promise.all(parts.map((part) => stopPart(part)));
    process.off('exit', killOnExit);
    for (const balancer of Object.values(balancers)) await balancer.close();
    for (const drop of drops) await drop();
    rmSync(keyDir, { recursive: true, force: true });
  });

  /** Drives requests from CONCURRENCY workers until `until`, alternating gateways: 70 % person views, 20 % writes, 10 % timelines. */
  async function drive(until: number): Promise<void> {
    let n = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (Date.now() < until) {
          const i = n++;
          const person = persons[(i * 7) % PERSONS];
          const roll = i % 10;
          const kind: Driven['kind'] = roll < 7 ? 'view' : roll < 9 ? 'write' : 'timeline';
          const request: Driven = {
            kind,
            personId: person.id,
            query: kind === 'view' ? PERSON_VIEW : kind === 'write' ? RECORD_STATUS : TIMELINE,
            startedAt: Date.now(),
            endedAt: 0,
          };
          driven.push(request);
          try {
            request.response = await post(gateways[i % gateways.length], {
              token: kind === 'timeline' ? tokens.officer : tokens.jobcenter,
              purpose: kind === 'timeline' ? 'CONSENT_MANAGEMENT' : 'JOB_PLACEMENT',
              query: request.query,
              variables: kind === 'view' ? { id: person.id } : { p: person.id },
            });
          } catch (error) {
            request.failure = (error as Error).message;
          }
          request.endedAt = Date.now();
        }
      }),
    );
  }

  /** Answered in full: refusals by policy (CONSENT_REQUIRED) are answers; anything a part's absence causes is not. */
  const succeeded = (r: Driven) =>
    r.response?.status === 200 &&
    !!r.response.data &&
    (r.response.errors ?? []).every((e) => e.extensions?.code === 'CONSENT_REQUIRED');
  const logOf = async (name: SubgraphName): Promise<LogRow[]> =>
    withClient(
      adminUrls[name],
      async (client) =>
        (
          await client.query<LogRow>(
            'SELECT sequence::int AS sequence, request_id, kind, released, changes FROM disclosure_log ORDER BY sequence',
          )
        ).rows,
    );

  it('serves through both replicas, survives SIGKILL of one replica of every subgraph, and keeps every chain and record', async () => {
    const start = Date.now();
    await drive(start + PHASE_MS);
    const before = driven.length;
    // Kill one replica of every subgraph at once, while the next phase's requests are already running.
    const second = drive(Date.now() + PHASE_MS);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await Promise.all(SUBGRAPHS.map((name) => stopPart(replicas[name][0], 'SIGKILL')));
    killedAt = Date.now();
    await second;

    // --- figures (reported, never asserted: timing depends on the machine)
    const first = driven.slice(0, before);
    const afterKill = driven.filter((r) => r.startedAt >= killedAt);
    const inFlight = driven.filter((r) => r.startedAt < killedAt && r.endedAt >= killedAt - 300 && !first.includes(r));
    const rate = (requests: Driven[]) => {
      if (requests.length === 0) return 0;
      const span = Math.max(...requests.map((r) => r.endedAt)) - Math.min(...requests.map((r) => r.startedAt));
      return (requests.filter(succeeded).length / span) * 1000;
    };
    const summary = {
      beforeKill: {
        requests: first.length,
        succeeded: first.filter(succeeded).length,
        perSecond: rate(first).toFixed(1),
      },
      aroundKill: { requests: inFlight.length, succeeded: inFlight.filter(succeeded).length },
      afterKill: {
        requests: afterKill.length,
        succeeded: afterKill.filter(succeeded).length,
        perSecond: rate(afterKill).toFixed(1),
      },
      byKind: Object.fromEntries(
        ['view', 'write', 'timeline'].map((k) => [k, driven.filter((r) => r.kind === k && succeeded(r)).length]),
      ),
    };
    console.log(`[replicas] ${JSON.stringify(summary)}`);

    // --- both replicas served before the kill, and only the survivor after it
    for (const name of SUBGRAPHS) {
      const served = balancers[name].forwarded.filter(
        (f) => f.operationName && DRIVEN.test(f.operationName) && f.backend !== undefined,
      );
      const backends = new Set(served.map((f) => f.backend));
      assert.deepEqual([...backends].sort(), [0, 1], `${name}: both replicas answered fetches`);
    }

    // --- requests started after the kill all succeeded (throughput recovered)
    assert.ok(afterKill.length > 0, 'requests ran after the kill');
    const failedAfter = afterKill.filter((r) => !succeeded(r));
    assert.deepEqual(
      failedAfter.map((r) => r.failure ?? `${r.response?.status} ${codes(r.response!).join(',')}`),
      [],
      'every request started after the kill succeeded',
    );
    assert.ok(first.filter(succeeded).length > 0, 'requests succeeded before the kill');

    // --- every disclosure chain intact, through the audit route (witnessed heads included)
    const verification = await post(gateways[1], {
      token: tokens.officer,
      purpose: 'CONSENT_MANAGEMENT',
      query: '{ disclosureLogVerification { subgraph intact summary problems { message } } }',
    });
    assert.equal(verification.errors, undefined, JSON.stringify(verification.errors));
    const chains = verification.data!.disclosureLogVerification as {
      subgraph: string;
      intact: boolean;
      summary: string;
    }[];
    assert.deepEqual(chains.map((c) => c.subgraph).sort(), [...SUBGRAPHS].sort());
    for (const chain of chains) assert.ok(chain.intact, chain.summary);
    console.log(`[replicas] ${chains.map((c) => c.summary).join('; ')}`);

    const logs = Object.fromEntries(
      await Promise.all(SUBGRAPHS.map(async (name) => [name, await logOf(name)] as const)),
    ) as Record<SubgraphName, LogRow[]>;
    const byRequest = (name: SubgraphName) => {
      const map = new Map<string, LogRow[]>();
      for (const row of logs[name]) map.set(row.request_id, [...(map.get(row.request_id) ?? []), row]);
      return map;
    };
    const records = Object.fromEntries(SUBGRAPHS.map((name) => [name, byRequest(name)])) as Record<
      SubgraphName,
      Map<string, LogRow[]>
    >;

    // --- two writer processes appended to each chain, interleaved, and the chain stayed linear
    const switches: Record<string, number> = {};
    for (const name of SUBGRAPHS) {
      const writer = new Map<string, number>();
      for (const f of balancers[name].forwarded)
        if (f.requestId && f.backend !== undefined && f.operationName && DRIVEN.test(f.operationName))
          writer.set(f.requestId, f.backend);
      const sequence = logs[name].map((row) => writer.get(row.request_id)).filter((w) => w !== undefined);
      switches[name] = sequence.filter((w, i) => i > 0 && w !== sequence[i - 1]).length;
      assert.ok(
        new Set(sequence).size === 2 && switches[name] > 0,
        `${name}: records from both replicas, interleaved on one chain`,
      );
      const numbers = logs[name].map((row) => row.sequence);
      assert.deepEqual(
        numbers,
        numbers.map((_, i) => numbers[0] + i),
        `${name}: sequence numbers without gap or fork`,
      );
    }

    // --- no record lost: every personal field a client received is released in a record of its request
    let checkedFields = 0;
    const missing: string[] = [];
    for (const request of driven.filter((r) => r.response?.status === 200 && r.response.data)) {
      const requestId = request.response!.requestId!;
      if (request.kind === 'view') {
        // A subgraph the gateway reports unavailable released nothing: its fields are null without an error at their
        // path, which receivedPersonalFields would otherwise count as received.
        const unavailable = new Set(
          (request.response!.errors ?? [])
            .filter((e) => e.extensions?.code === 'SUBGRAPH_UNAVAILABLE')
            .map((e) => e.extensions?.serviceName as string),
        );
        for (const [field, owner] of receivedPersonalFields(request.query, request.response!)) {
          if (unavailable.has(owner!)) continue;
          const released = (records[owner as SubgraphName]?.get(requestId) ?? []).flatMap((row) =>
            row.released.map((f) => f.field),
          );
          if (!released.includes(field)) {
            const fetches = balancers[owner as SubgraphName].forwarded
              .filter((f) => f.requestId === requestId)
              .map((f) => ({
                op: f.operationName,
                backend: f.backend,
                status: f.status,
                body: String(JSON.stringify(f.body)).slice(0, 400),
              }));
            missing.push(
              `${requestId} (${request.startedAt - killedAt} ms from the kill): ${field} from ${owner}; errors ${JSON.stringify(request.response!.errors?.filter((e) => e.extensions?.code !== 'CONSENT_REQUIRED'))}; fetches ${JSON.stringify(fetches)}; records ${JSON.stringify((records[owner as SubgraphName]?.get(requestId) ?? []).map((r) => ({ seq: r.sequence, kind: r.kind, released: r.released.map((x) => x.field) })))}`,
            );
          }
          checkedFields += 1;
        }
      } else if (request.kind === 'write' && request.response!.data!.recordEmploymentStatus) {
        const id = (request.response!.data!.recordEmploymentStatus as { id: string }).id;
        const writes = (records.jobcenter.get(requestId) ?? []).filter((row) => row.kind === 'WRITE');
        assert.ok(
          writes.some((row) => row.changes.some((c) => c.record === `EmploymentStatus:${id}`)),
          `${requestId}: write ${id} without its WRITE record`,
        );
      } else if (request.kind === 'timeline' && request.response!.data!.disclosureTimeline) {
        assert.ok(
          records.consent.get(requestId)?.length,
          `${requestId}: a consent officer's timeline read without its record`,
        );
      }
    }
    assert.deepEqual(missing, [], 'received fields without a record');
    const written = driven
      .filter((r) => r.kind === 'write' && succeeded(r))
      .map((r) => (r.response!.data!.recordEmploymentStatus as { id: string }).id);
    const rows = await withClient(
      adminUrls.jobcenter,
      async (client) =>
        (
          await client.query<{ id: string }>('SELECT id::text FROM employment_status WHERE id::text = ANY($1)', [
            written,
          ])
        ).rows,
    );
    assert.equal(rows.length, written.length, 'every acknowledged write is in the database');

    // --- no answer released without a record: every driven fetch a replica answered with data has a record
    let answered = 0;
    let withoutRecord = 0;
    for (const name of SUBGRAPHS) {
      for (const f of balancers[name].forwarded) {
        if (!f.operationName || !DRIVEN.test(f.operationName) || f.status !== 200 || !f.requestId) continue;
        const data = (f.body as { data?: Record<string, unknown> | null } | undefined)?.data;
        const hasData =
          data &&
          Object.values(data).some(
            (value) => value !== null && (!Array.isArray(value) || value.some((v) => v !== null)),
          );
        if (!hasData) continue;
        answered += 1;
        if (!records[name].get(f.requestId)?.length) withoutRecord += 1;
      }
    }
    assert.equal(withoutRecord, 0, `${withoutRecord} of ${answered} answers left a replica without a record`);

    // Records whose answer never arrived: committed by a replica killed before it could answer (allowed: the
    // record is written before the data leaves, so a crash in between leaves a record of an answer not given).
    const answeredIds = new Set(
      SUBGRAPHS.flatMap((name) =>
        balancers[name].forwarded.filter((f) => f.status === 200 && f.requestId).map((f) => f.requestId!),
      ),
    );
    const orphans = SUBGRAPHS.reduce(
      (sum, name) => sum + logs[name].filter((row) => !answeredIds.has(row.request_id)).length,
      0,
    );
    console.log(
      `[replicas] records per chain ${SUBGRAPHS.map((n) => `${n} ${logs[n].length}`).join(', ')}; writer switches ${JSON.stringify(switches)}; ` +
        `${checkedFields} received fields matched to records; ${answered} answered fetches, all with records; ${orphans} records of answers lost with a killed replica`,
    );

    // --- the operator's command agrees
    const verify = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'scripts/audit-verify.ts', '--url', gateways[0], '--token', tokens.officer],
        {
          cwd: root,
          env: { ...process.env, DATA_DIR: keyDir },
        },
      );
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('close', (code) => resolve({ code, output }));
    });
    assert.equal(verify.code, 0, verify.output);
    for (const name of SUBGRAPHS.filter((n) => n !== 'consent'))
      assert.match(
        verify.output,
        new RegExp(
          `${name}: (records? [\\d–, and]+ re-read and intact|no record re-read); .*cosigned checkpoint \\d+ \\(size \\d+, cosigned by consent\\)`,
        ),
      );
  });
});
