import 'reflect-metadata';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { SUBGRAPHS, type SubgraphName } from '../common/domain.js';
import { roleName, withClient } from '../common/db/provision.js';
import { listen } from '../common/http.js';
import { buildGateway } from '../gateway/gateway.js';
import { demoPersons } from '../seed/world.js';
import { startHub, type RunningHub } from './support/hub.js';
import { testVerifier } from './support/tokens.js';

const SEED = 14;
const persons = demoPersons(SEED, 0, 5);

interface HealthAnswer {
  status: number;
  body: { status: string; checks?: Record<string, string> };
  text: string;
}

async function health(graphqlUrl: string, which: 'live' | 'ready' | ''): Promise<HealthAnswer> {
  const response = await fetch(new URL(which ? `/health/${which}` : '/health', graphqlUrl));
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as HealthAnswer['body'], text };
}

/** A not-ready answer names the check in words: no statement, no stack trace, no driver message. */
function assertNoInternals(answer: HealthAnswer): void {
  assert.doesNotMatch(answer.text, /SELECT|FROM|INSERT|\bat \S+:\d+|Error|password|verbund_t/i);
}

const asAdmin = withClient;

/** Asks until `ready` answers as expected (a pool reconnects on its own time), at most a few seconds. */
async function readyUntil(url: string, status: number): Promise<HealthAnswer> {
  let answer = await health(url, 'ready');
  for (let i = 0; i < 50 && answer.status !== status; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    answer = await health(url, 'ready');
  }
  return answer;
}

describe('health endpoints', () => {
  let hub: RunningHub;
  const url = (name: SubgraphName) => hub.subgraphs[name].url;

  beforeAll(async () => {
    hub = await startHub({ persons, seed: SEED, unseeded: ['consent'] });
  });
  afterAll(() => hub.stop());

  it('every subgraph and the gateway are live and ready, without a token; /health stays an alias of live', async () => {
    for (const name of SUBGRAPHS) {
      assert.deepEqual((await health(url(name), 'live')).body, { status: 'live' }, name);
      assert.deepEqual((await health(url(name), '')).body, { status: 'live' }, name);
      const ready = await health(url(name), 'ready');
      assert.equal(ready.status, 200, `${name}: ${ready.text}`);
      assert.deepEqual(ready.body, { status: 'ready', checks: { database: 'ok', migrations: 'ok' } }, name);
    }
    assert.deepEqual(await health(hub.gatewayUrl, 'live'), {
      status: 200,
      body: { status: 'live' },
      text: '{"status":"live"}',
    });
    const ready = await health(hub.gatewayUrl, 'ready');
    assert.equal(ready.status, 200);
    assert.deepEqual(ready.body, { status: 'ready', checks: { supergraph: 'ok' } });
  });

  it('a subgraph whose pool is closed is live but not ready, naming the database, and ready again once it reopens', async () => {
    const municipality = hub.subgraphs.municipality;
    await municipality.db.destroy();
    try {
      assert.equal((await health(url('municipality'), 'live')).status, 200);
      const ready = await health(url('municipality'), 'ready');
      assert.equal(ready.status, 503);
      assert.deepEqual(ready.body, {
        status: 'not ready',
        checks: {
          database: 'not connected (the connection pool is closed)',
          migrations: 'not checked (database failed)',
        },
      });
      assertNoInternals(ready);
    } finally {
      await municipality.db.initialize();
    }
    assert.equal((await health(url('municipality'), 'ready')).status, 200);
  });

  it('a subgraph whose database refuses its connections is not ready, naming the database', async () => {
    const socialcare = hub.subgraphs.socialcare;
    const database = new URL(socialcare.adminUrl).pathname.slice(1);
    const role = roleName('socialcare');
    await asAdmin(socialcare.adminUrl, async (client) => {
      await client.query(`REVOKE CONNECT ON DATABASE "${database}" FROM "${role}"`);
      await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND usename = $2', [
        database,
        role,
      ]);
    });
    try {
      const ready = await readyUntil(url('socialcare'), 503);
      assert.equal(ready.status, 503, ready.text);
      assert.equal(ready.body.status, 'not ready');
      assert.match(ready.body.checks!.database, /^unreachable/);
      assert.equal(ready.body.checks!.migrations, 'not checked (database failed)');
      assertNoInternals(ready);
      assert.equal((await health(url('socialcare'), 'live')).status, 200);
    } finally {
      await asAdmin(socialcare.adminUrl, (client) =>
        client.query(`GRANT CONNECT ON DATABASE "${database}" TO "${role}"`),
      );
    }
    const again = await readyUntil(url('socialcare'), 200);
    assert.equal(again.status, 200, again.text);
  });

  it('a subgraph whose database lacks a migration of its definition is not ready, naming the pending migration', async () => {
    const jobcenter = hub.subgraphs.jobcenter;
    const [last] = await asAdmin(jobcenter.adminUrl, async (client) => {
      const removed = await client.query<{ timestamp: string; name: string }>(
        'DELETE FROM migrations WHERE id = (SELECT id FROM migrations ORDER BY timestamp DESC LIMIT 1) RETURNING timestamp, name',
      );
      return removed.rows;
    });
    try {
      const ready = await health(url('jobcenter'), 'ready');
      assert.equal(ready.status, 503);
      assert.deepEqual(ready.body, {
        status: 'not ready',
        checks: { database: 'ok', migrations: `1 pending: ${last.name}` },
      });
      // The runtime role reads the migrations table; it does not need the administrator for this.
      assert.equal(
        (await jobcenter.db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM migrations'))[0].n > 0,
        true,
      );
    } finally {
      await asAdmin(jobcenter.adminUrl, (client) =>
        client.query('INSERT INTO migrations (timestamp, name) VALUES ($1, $2)', [last.timestamp, last.name]),
      );
    }
    assert.equal((await health(url('jobcenter'), 'ready')).status, 200);
  });

  it('a gateway that has stopped is no longer ready', async () => {
    const gateway = await buildGateway({
      supergraphSdl: await readFile(path.resolve(import.meta.dirname, '../schema/supergraph.graphql'), 'utf8'),
      subgraphUrls: Object.fromEntries(SUBGRAPHS.map((n) => [n, url(n)])) as Record<SubgraphName, string>,
      verifier: await testVerifier(),
      development: false,
    });
    const listening = await listen(gateway.handler, 0);
    try {
      assert.equal((await health(listening.url, 'ready')).status, 200);
      await gateway.stop();
      const ready = await health(listening.url, 'ready');
      assert.equal(ready.status, 503);
      assert.deepEqual(ready.body, {
        status: 'not ready',
        checks: { supergraph: 'not loaded (the gateway is stopping)' },
      });
      assert.equal((await health(listening.url, 'live')).status, 200);
    } finally {
      await listening.close();
    }
  });
});
