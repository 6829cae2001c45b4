/**
 * Codes that say what happened (issue #23, hole 5). `INTERNAL_SERVER_ERROR` means a bug; a caller's
 * malformed input and an outage each have their own stable code:
 * 1. `_entities` representations that name no entity type of the subgraph, or a malformed key, are
 *    BAD_USER_INPUT at every one of the five subgraphs, and nothing is logged or released;
 * 2. a console path that is not valid percent-encoding is HTTP 400 BAD_USER_INPUT;
 * 3. a subgraph whose database connections are lost answers DATABASE_UNAVAILABLE (HTTP 503 outside
 *    GraphQL), releases nothing, and answers again once the database is back.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { SUBGRAPHS, type SubgraphName } from '../../common/domain.js';
import { demoPersons } from '../../seed/world.js';
import { loadSubgraphDefinition } from '../../subgraphs/index.js';
import { codes, post, type GraphQLResponse } from '../support/graphql.js';
import { startHub, type RunningHub } from '../support/hub.js';
import { testAdminUrl } from '../support/databases.js';
import { startSubgraph, type RunningSubgraph } from '../support/subgraph.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { tokenFor } from '../support/tokens.js';

const SEED = 29;
const persons = demoPersons(SEED, 0, 6);
const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Person { id } } }`;
const SOMEONE = '00000000-0000-4000-8000-000000000001';

/** No error of the response is masked as a bug. */
function assertNoBug(response: GraphQLResponse, where: string): void {
  assert.ok(!codes(response).includes('INTERNAL_SERVER_ERROR'), `${where}: ${JSON.stringify(response.errors)}`);
}

describe('security: bad input and outages carry codes of their own, never INTERNAL_SERVER_ERROR', () => {
  describe('malformed _entities representations and console paths', () => {
    let hub: RunningHub;
    /** A caller each subgraph admits to `_entities` of a Person. */
    const callers: Record<SubgraphName, [string, string, string]> = {
      county: ['county', 'CASEWORKER', 'CLEARING'],
      municipality: ['municipality:08999001', 'CASEWORKER', 'HOUSING_ALLOCATION'],
      jobcenter: ['jobcenter', 'CASEWORKER', 'JOB_PLACEMENT'],
      socialcare: ['socialcare:caritas', 'CASEWORKER', 'SOCIAL_COUNSELLING'],
      consent: ['county', 'CONSENT_OFFICER', 'CONSENT_MANAGEMENT'],
    };
    const ask = async (subgraph: SubgraphName, representations: unknown[]) => {
      const [agency, role, purpose] = callers[subgraph];
      return post(hub.subgraphs[subgraph].url, {
        token: await tokenFor(agency, [role as 'CASEWORKER']),
        purpose,
        query: ENTITIES,
        variables: { r: representations },
      });
    };
    const logSize = async (subgraph: SubgraphName) =>
      subgraph === 'consent'
        ? -1
        : (await hub.subgraphs[subgraph].db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM disclosure_log`))[0]
            .n;

    beforeAll(async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'verbund-console-'));
      writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Verbund</title>');
      hub = await startHub({ persons, seed: SEED, console: { dir } });
    });
    afterAll(() => hub.stop());

    it('refuses a representation naming no entity type of the subgraph with BAD_USER_INPUT, at all five subgraphs', async () => {
      const malformed: [string, unknown][] = [
        ['an unknown __typename', { __typename: 'Nope', id: SOMEONE }],
        ['no __typename', { id: SOMEONE }],
        ['a __typename that is not a string', { __typename: 7, id: SOMEONE }],
        ['a value that is not an object', 'Person'],
        ['a type of the schema that is no entity', { __typename: 'Query' }],
      ];
      for (const subgraph of SUBGRAPHS) {
        for (const [what, representation] of malformed) {
          const before = await logSize(subgraph);
          const response = await ask(subgraph, [{ __typename: 'Person', id: persons[0].id }, representation]);
          assertNoBug(response, `${subgraph}, ${what}`);
          assert.deepEqual(codes(response), ['BAD_USER_INPUT'], `${subgraph}, ${what}`);
          assert.match(response.errors![0].message, /representations\[1\]\.__typename/, `${subgraph}, ${what}`);
          assert.equal(response.data?._entities ?? null, null, `${subgraph}, ${what}: nothing resolved`);
          assert.equal(await logSize(subgraph), before, `${subgraph}, ${what}: nothing logged`);
        }
      }
    });

    it('refuses a type another subgraph serves, where this one does not', async () => {
      for (const [subgraph, representation] of [
        ['socialcare', { __typename: 'Municipality', ags: '08999001' }],
        ['consent', { __typename: 'Indicators', period: '2026-Q3', region: 'DISTRICT' }],
        ['jobcenter', { __typename: 'Municipality', ags: '08999001' }],
      ] as const) {
        const response = await ask(subgraph, [representation]);
        assert.deepEqual(codes(response), ['BAD_USER_INPUT'], subgraph);
      }
    });

    it('refuses a malformed key with BAD_USER_INPUT for that entry only, and still answers the well-formed ones', async () => {
      const keys: [string, unknown][] = [
        ['an id that is no UUID', { __typename: 'Person', id: 'not-a-uuid' }],
        ['an id that is a number', { __typename: 'Person', id: 5 }],
        ['no id', { __typename: 'Person' }],
        ['an empty id', { __typename: 'Person', id: '' }],
      ];
      for (const subgraph of SUBGRAPHS.filter((s) => s !== 'consent')) {
        for (const [what, representation] of keys) {
          const response = await ask(subgraph, [{ __typename: 'Person', id: persons[1].id }, representation]);
          assertNoBug(response, `${subgraph}, ${what}`);
          assert.deepEqual(codes(response), ['BAD_USER_INPUT'], `${subgraph}, ${what}`);
          assert.deepEqual(response.errors![0].path, ['_entities', 1], `${subgraph}, ${what}`);
          assert.equal(response.data!._entities[0].id, persons[1].id, `${subgraph}, ${what}`);
          assert.equal(response.data!._entities[1], null, `${subgraph}, ${what}`);
        }
      }
      // The consent registry's Person, and the municipalities' reference entity, alike.
      assert.deepEqual(codes(await ask('consent', [{ __typename: 'Person', id: 'x' }])), ['BAD_USER_INPUT']);
      for (const ags of [5, '0899900', '0899900x']) {
        const response = await ask('municipality', [{ __typename: 'Municipality', ags }]);
        assert.deepEqual(codes(response), ['BAD_USER_INPUT'], String(ags));
      }
    });

    it('answers a console path that is not valid percent-encoding with 400 BAD_USER_INPUT, and serves the rest', async () => {
      const base = hub.gatewayUrl.replace(/\/graphql$/, '');
      for (const bad of ['/console/%', '/console/%E0%A4%A', '/console/assets/%ZZ.js', '/console/%C0%AF']) {
        const response = await fetch(`${base}${bad}`);
        assert.equal(response.status, 400, bad);
        const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
        assert.equal(body.errors[0].extensions.code, 'BAD_USER_INPUT', bad);
      }
      for (const good of ['/console/', '/console/%70ersons', '/console/settings.json']) {
        assert.equal((await fetch(`${base}${good}`)).status, 200, good);
      }
    });
  });

  describe('lost database connections', () => {
    const running = {} as Record<SubgraphName, RunningSubgraph>;
    const proxies = {} as Record<SubgraphName, TcpProxy>;
    const some = persons.slice(0, 3).map((p) => ({ __typename: 'Person', id: p.id }));
    /** A personal read at each subgraph, as its own caseworkers (or the consent officers) make it. */
    const reads: Record<
      SubgraphName,
      { agency: string; role: 'CASEWORKER' | 'CONSENT_OFFICER'; purpose: string; query: string }
    > = {
      county: {
        agency: 'county',
        role: 'CASEWORKER',
        purpose: 'CLEARING',
        query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { givenName familyName } } }`,
      },
      municipality: {
        agency: 'municipality:08999001',
        role: 'CASEWORKER',
        purpose: 'HOUSING_ALLOCATION',
        query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { housing { address } } } }`,
      },
      jobcenter: {
        agency: 'jobcenter',
        role: 'CASEWORKER',
        purpose: 'JOB_PLACEMENT',
        query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { employment { status } } } }`,
      },
      socialcare: {
        agency: 'socialcare:caritas',
        role: 'CASEWORKER',
        purpose: 'SOCIAL_COUNSELLING',
        query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { socialCare { since } } } }`,
      },
      consent: {
        agency: 'county',
        role: 'CONSENT_OFFICER',
        purpose: 'CONSENT_MANAGEMENT',
        query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { consents { id } } } }`,
      },
    };
    const read = async (subgraph: SubgraphName) => {
      const r = reads[subgraph];
      return post(running[subgraph].url, {
        token: await tokenFor(r.agency, [r.role]),
        purpose: r.purpose,
        query: r.query,
        variables: { r: some },
      });
    };

    beforeAll(async () => {
      const server = new URL(testAdminUrl());
      for (const name of SUBGRAPHS) {
        proxies[name] = await startTcpProxy(server.hostname, Number(server.port || 5432));
        running[name] = await startSubgraph(await loadSubgraphDefinition(name), {
          seed: { persons, seed: SEED },
          databaseUrl: (roleUrl) => {
            const url = new URL(roleUrl);
            url.hostname = '127.0.0.1';
            url.port = String(proxies[name].port);
            // The embedded server is reached over its Unix socket (`?host=/tmp`); the proxy is on TCP.
            url.searchParams.delete('host');
            return url.toString();
          },
        });
      }
    }, 300_000);
    afterAll(async () => {
      for (const name of SUBGRAPHS) {
        await proxies[name]?.restore().catch(() => undefined);
        await running[name]?.stop();
        await proxies[name]?.close();
      }
    });

    it('answers every subgraph’s personal read with DATABASE_UNAVAILABLE, releasing nothing, and recovers', async () => {
      for (const name of SUBGRAPHS) {
        // Before and after: an answer (some persons are not the caller's own, so refusals may come with it).
        const answers = (response: GraphQLResponse, when: string) => {
          assert.equal(response.data?._entities?.length, 3, `${name} ${when}: ${JSON.stringify(response.errors)}`);
          assert.ok(
            codes(response).every((c) => c === 'CONSENT_REQUIRED'),
            `${name} ${when}: ${JSON.stringify(response.errors)}`,
          );
        };
        answers(await read(name), 'before');
        await proxies[name].cut();
        try {
          // Twice: once over the pool's cut connections, once over connections refused.
          for (const attempt of [1, 2]) {
            const response = await read(name);
            const where = `${name}, attempt ${attempt}`;
            assertNoBug(response, where);
            assert.ok(codes(response).length > 0, where);
            assert.ok(
              codes(response).every((c) => c === 'DATABASE_UNAVAILABLE'),
              `${where}: ${JSON.stringify(response.errors)}`,
            );
            assert.match(response.errors![0].message, /nothing was released/, where);
            const values = JSON.stringify(response.data ?? null);
            for (const p of persons.slice(0, 3)) assert.ok(!values.includes(p.familyName), where);
            assert.doesNotMatch(values, /"(address|status|since|givenName)":"/, `${where}: ${values}`);
          }
        } finally {
          await proxies[name].restore();
        }
        answers(await read(name), 'after');
      }
    });

    it('answers the lean consent lookup and the disclosure log’s own endpoints with 503 DATABASE_UNAVAILABLE', async () => {
      await proxies.consent.cut();
      await proxies.jobcenter.cut();
      try {
        const lookup = await fetch(new URL('lookup/consentGrants', running.consent.url), {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${await tokenFor('jobcenter')}`,
            'x-purpose': 'JOB_PLACEMENT',
          },
          body: JSON.stringify({ personIds: [persons[0].id] }),
        });
        assert.equal(lookup.status, 503);
        const lookupBody = (await lookup.json()) as { errors: { extensions: { code: string } }[] };
        assert.equal(lookupBody.errors[0].extensions.code, 'DATABASE_UNAVAILABLE');
        const records = await fetch(new URL('/audit/records', running.jobcenter.url), {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${await tokenFor('county', ['CONSENT_OFFICER'])}`,
            'x-purpose': 'CONSENT_MANAGEMENT',
          },
          body: JSON.stringify({ limit: 5 }),
        });
        assert.equal(records.status, 503);
        const recordsBody = (await records.json()) as { errors: { extensions: { code: string } }[] };
        assert.equal(recordsBody.errors[0].extensions.code, 'DATABASE_UNAVAILABLE');
      } finally {
        await proxies.consent.restore();
        await proxies.jobcenter.restore();
      }
    });
  });
});
