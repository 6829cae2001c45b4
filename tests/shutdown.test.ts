import 'reflect-metadata';
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { loadOrCreateDevKey } from '../common/auth/dev-key.js';
import { issueDevToken } from '../common/auth/token.js';
import { createTestDatabase } from './support/databases.js';
import { post, type GraphQLResponse } from './support/graphql.js';

/**
 * A graceful stop, process by process, as an orchestrator stops a part (SIGTERM) while a request is in flight:
 * `/health/ready` answers 503 at once, the request in flight is answered in full (200), the part closes its
 * pools only afterwards and exits 0, and every line it wrote is JSON.
 */
const root = path.resolve(import.meta.dirname, '..');

interface Started {
  child: ChildProcess;
  output: string[];
  exit: Promise<number | null>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function start(script: string, args: string[], env: NodeJS.ProcessEnv, readyUrl: string): Promise<Started> {
  const child = fork(path.join(root, script), args, {
    execArgv: ['--import', 'tsx'],
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const output: string[] = [];
  child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 120_000;
  for (;;) {
    assert.equal(child.exitCode, null, `${script} exited: ${output.join('')}`);
    try {
      if ((await fetch(readyUrl)).status === 200) return { child, output, exit };
    } catch {
      // not listening yet
    }
    assert.ok(Date.now() < deadline, `${script} not ready: ${output.join('')}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Every line a part wrote is a JSON object with a message. */
function assertJsonLines(output: string[]): void {
  for (const line of output.join('').split('\n').filter(Boolean)) {
    let parsed: { msg?: unknown };
    try {
      parsed = JSON.parse(line) as { msg?: unknown };
    } catch {
      assert.fail(`not a JSON line: ${line}`);
    }
    assert.equal(typeof parsed.msg, 'string', line);
  }
}

/** Waits (up to a minute, the machine may be busy) until `condition` holds. */
async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await condition())) {
    assert.ok(Date.now() < deadline, `timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Sends SIGTERM once `inFlight` has reached the part (`arrived`), checks `/health/ready` as soon as the part
 * says it is stopping, and returns the request's answer and the exit code. Waiting for those two events, not
 * for fixed times, keeps the test true on a machine under load.
 */
async function stopDuring(
  part: Started,
  readyUrl: string,
  inFlight: Promise<GraphQLResponse>,
  arrived: () => Promise<boolean>,
  release: () => Promise<void>,
): Promise<{ response: GraphQLResponse; code: number | null; readyDuringStop: number }> {
  await until(arrived, 'the request in flight reached the part');
  part.child.kill('SIGTERM');
  await until(() => /stopping \(SIGTERM\)/.test(part.output.join('')), 'the part says it is stopping');
  const readyDuringStop = (await fetch(readyUrl)).status;
  await release();
  const response = await inFlight;
  return { response, code: await part.exit, readyDuringStop };
}

describe('graceful stop on SIGTERM', () => {
  const keyDir = mkdtempSync(path.join(os.tmpdir(), 'verbund-shutdown-'));
  let token: string;
  const children: ChildProcess[] = [];
  const drops: (() => Promise<void>)[] = [];
  const servers: Server[] = [];
  const base = (): NodeJS.ProcessEnv => {
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test', DATA_DIR: keyDir, SHUTDOWN_GRACE_SECONDS: '10' };
    delete env.DATABASE_URL;
    return env;
  };

  beforeAll(async () => {
    const key = await loadOrCreateDevKey(keyDir);
    token = await issueDevToken(key.privateKey, {
      officer: 'k.weber',
      agency: 'county',
      roles: ['CASEWORKER'],
      issuer: 'verbund-dev',
    });
  });

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    for (const server of servers) server.close();
    for (const drop of drops) await drop();
    rmSync(keyDir, { recursive: true, force: true });
  });

  it('a subgraph answers a write held in flight across SIGTERM (200, its record written), then closes its pool and exits 0', async () => {
    const database = await createTestDatabase('county');
    drops.push(() => database.drop());
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/graphql`;
    const readyUrl = `http://127.0.0.1:${port}/health/ready`;
    const part = await start(
      'subgraphs/main.ts',
      ['county'],
      { ...base(), COUNTY_URL: url, COUNTY_DATABASE_URL: database.roleUrl, DB_POOL_SIZE: '2' },
      readyUrl,
    );
    children.push(part.child);
    // The write waits for its disclosure record: the test holds the log's table locked until after the SIGTERM.
    const admin = new pg.Client({ connectionString: database.adminUrl });
    await admin.connect();
    await admin.query('BEGIN');
    await admin.query('LOCK TABLE disclosure_log IN EXCLUSIVE MODE');
    const inFlight = post(url, {
      token,
      purpose: 'CLEARING',
      query: `mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { id } }`,
      variables: {
        input: {
          givenName: 'Amina',
          familyName: 'Haddad',
          dateOfBirth: '1990-02-03',
          gender: 'FEMALE',
          nationality: 'SYR',
          arrivalDate: '2024-01-10',
          residence: { status: 'RECOGNISED_REFUGEE', validUntil: '2029-01-01', assignedMunicipalityAgs: '08999002' },
        },
      },
    });
    // The write has arrived when its statement waits for the locked table.
    const waiting = async () =>
      (
        await admin.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND relation = 'disclosure_log'::regclass`,
        )
      ).rows[0].n > 0;
    const { response, code, readyDuringStop } = await stopDuring(part, readyUrl, inFlight, waiting, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await admin.query('COMMIT');
      await admin.end();
    });
    assert.equal(readyDuringStop, 503, 'not ready at once');
    assert.equal(response.status, 200, part.output.join(''));
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    const id = (response.data!.registerPerson as { id: string }).id;
    assert.equal(code, 0, part.output.join(''));
    const check = new pg.Client({ connectionString: database.adminUrl });
    await check.connect();
    try {
      const records = await check.query(
        `SELECT count(*)::int AS n FROM disclosure_log WHERE kind = 'WRITE' AND changes::text LIKE $1`,
        [`%${id}%`],
      );
      assert.equal(records.rows[0].n, 1, 'the write has its record');
    } finally {
      await check.end();
    }
    assert.doesNotMatch(part.output.join(''), /Cannot use a pool after calling end/);
    assertJsonLines(part.output);
  });

  it('the gateway answers a request held in flight across SIGTERM (200) and exits 0', async () => {
    // A county subgraph that answers the gateway's fetch only when the test lets it (after the SIGTERM).
    let held: ServerResponse | undefined;
    const slow = createServer((req, res) => {
      req.resume();
      req.on('end', () => (held = res));
    });
    servers.push(slow);
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const slowUrl = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/graphql`;
    const port = await freePort();
    const readyUrl = `http://127.0.0.1:${port}/health/ready`;
    const part = await start('gateway/main.ts', [], { ...base(), PORT: String(port), COUNTY_URL: slowUrl }, readyUrl);
    children.push(part.child);
    const inFlight = post(`http://127.0.0.1:${port}/graphql`, {
      token,
      purpose: 'CLEARING',
      query: '{ person(id: "6a1c1c55-3f64-4c6b-9d55-9a1f2b7f0e01") { familyName } }',
    });
    const { response, code, readyDuringStop } = await stopDuring(
      part,
      readyUrl,
      inFlight,
      async () => held !== undefined,
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 500));
        held!.setHeader('content-type', 'application/json');
        held!.end(JSON.stringify({ data: { person: null } }));
      },
    );
    assert.equal(readyDuringStop, 503, 'not ready at once');
    assert.equal(response.status, 200, part.output.join(''));
    assert.deepEqual(response.data, { person: null });
    assert.equal(code, 0, part.output.join(''));
    assertJsonLines(part.output);
  });

  it('with the trace collector and a subgraph down, the gateway says so in rate-limited JSON lines and still stops with exit 0', async () => {
    const closedPort = await freePort();
    const port = await freePort();
    const readyUrl = `http://127.0.0.1:${port}/health/ready`;
    const part = await start(
      'gateway/main.ts',
      [],
      {
        ...base(),
        PORT: String(port),
        COUNTY_URL: `http://127.0.0.1:${closedPort}/graphql`,
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${closedPort}`,
      },
      readyUrl,
    );
    children.push(part.child);
    for (let i = 0; i < 3; i += 1) {
      const response = await post(`http://127.0.0.1:${port}/graphql`, {
        token,
        purpose: 'CLEARING',
        query: '{ person(id: "6a1c1c55-3f64-4c6b-9d55-9a1f2b7f0e01") { familyName } }',
      });
      assert.equal(response.status, 200);
      assert.equal(response.errors?.[0]?.extensions?.code, 'SUBGRAPH_UNAVAILABLE');
    }
    part.child.kill('SIGTERM');
    assert.equal(await part.exit, 0, part.output.join(''));
    assertJsonLines(part.output);
    const lines = part.output
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { level: string; msg: string; suppressed?: number });
    const unreachable = lines.filter((l) => /the county subgraph could not be reached/.test(l.msg));
    assert.equal(unreachable.length, 1, 'one line for three failed fetches within the minute');
    assert.equal(unreachable[0].level, 'warn');
    assert.ok(
      lines.some((l) => l.level === 'warn' && /trace export .* failed|tracing stopped without exporting/.test(l.msg)),
      JSON.stringify(lines.map((l) => l.msg)),
    );
  });
});
