/**
 * The statement budget of the person view (issue #16): with its disclosure record included, each data
 * subgraph answers one person view in at most three SQL statements, and the consent registry in one: the
 * gateway's lookup, whose signed answer every data subgraph of the request uses. Counted (not timed) by each subgraph's statement counter, on a hub whose logs are
 * warm (the first append of a process reads the chain's head under the lock: five statements, once); and the
 * round trips they cost on the wire, where statements sent together share one.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { SUBGRAPHS, type SubgraphName } from '../../common/domain.js';
import { demoPersons } from '../../seed/world.js';
import { CASELOAD_SEED, consentToCaseload, type CaseloadTokens } from '../../bench/caseload.js';
import { PERSON_VIEW } from '../../bench/queries.js';
import { post } from '../support/graphql.js';
import { poolTraffic, type PoolTraffic } from '../support/round-trips.js';
import { startHub, type RunningHub } from '../support/hub.js';
import { tokenFor } from '../support/tokens.js';

/** At most this many statements per data subgraph for one person view, its disclosure record included. */
const DATA_SUBGRAPH_BUDGET = 3;

interface View {
  clearing: { languages: unknown[] } | null;
  housing: { type: string } | null;
  employment: { status: string } | null;
  socialCare: { caseworker: { name: string; organisation: string } | null; openNeeds: unknown[] } | null;
}

describe('the person view within its statement budget', () => {
  let hub: RunningHub;
  let tokens: CaseloadTokens;
  let personId: string;

  const statements = () =>
    Object.fromEntries(SUBGRAPHS.map((n) => [n, hub.subgraphs[n].statements.count])) as Record<SubgraphName, number>;
  const view = async (id: string) =>
    post<{ person: View | null }>(hub.gatewayUrl, {
      token: tokens.jobcenter,
      purpose: 'JOB_PLACEMENT',
      query: PERSON_VIEW,
      variables: { id },
    });

  beforeAll(async () => {
    hub = await startHub({ persons: demoPersons(CASELOAD_SEED, 0, 100), seed: CASELOAD_SEED });
    tokens = { jobcenter: await tokenFor('jobcenter'), officer: await tokenFor('county', ['CONSENT_OFFICER']) };
    const consented = new Set<string>();
    await consentToCaseload(hub.gatewayUrl, tokens, consented);
    // A person with records at every data subgraph, all released: every subgraph reads its tables.
    for (const id of consented) {
      const person = (await view(id)).data?.person;
      if (
        person?.clearing?.languages.length &&
        person.housing &&
        person.employment &&
        person.socialCare?.caseworker &&
        person.socialCare.openNeeds.length
      ) {
        personId = id;
        break;
      }
    }
    assert.ok(personId, 'a consented person with records at every data subgraph');
  });
  afterAll(() => hub.stop());

  it(`costs each data subgraph at most ${DATA_SUBGRAPH_BUDGET} statements and the consent registry one per lookup`, async () => {
    const counts: Record<SubgraphName, number>[] = [];
    const traffic = SUBGRAPHS.map((n) => [n, poolTraffic(hub.subgraphs[n].db)] as const);
    const trips: Record<SubgraphName, PoolTraffic>[] = [];
    for (let i = 0; i < 3; i++) {
      const before = statements();
      const wireBefore = traffic.map(([n, t]) => [n, t.read()] as const);
      const response = await view(personId);
      const after = statements();
      const wireAfter = new Map(traffic.map(([n, t]) => [n, t.read()]));
      trips.push(
        Object.fromEntries(
          wireBefore.map(([n, b]) => [
            n,
            {
              connections: wireAfter.get(n)!.connections - b.connections,
              trips: wireAfter.get(n)!.trips - b.trips,
              writes: wireAfter.get(n)!.writes - b.writes,
            },
          ]),
        ) as Record<SubgraphName, PoolTraffic>,
      );
      assert.ok(response.data?.person?.socialCare?.caseworker?.organisation, JSON.stringify(response));
      counts.push(Object.fromEntries(SUBGRAPHS.map((n) => [n, after[n] - before[n]])) as Record<SubgraphName, number>);
    }
    for (const [, t] of traffic) t.stop();
    console.log(`person view statements: ${counts.map((c) => JSON.stringify(c)).join('; ')}`);
    console.log(`person view round trips: ${trips.map((c) => JSON.stringify(c)).join('; ')}`);
    for (const count of counts) {
      for (const name of SUBGRAPHS.filter((n) => n !== 'consent')) {
        assert.ok(count[name] > 0 && count[name] <= DATA_SUBGRAPH_BUDGET, `${name}: ${count[name]} statements`);
      }
      // County (language skills), municipality (housing) and socialcare (its case) need consent; the gateway asks
      // the registry once for the request and passes its signed statement to each of them (issue #27).
      assert.equal(count.consent, 1, `consent: ${count.consent} statements`);
    }
    for (const [i, wire] of trips.entries()) {
      for (const name of SUBGRAPHS) {
        assert.ok(wire[name].trips <= counts[i][name], `${name}: ${wire[name].trips} round trips`);
        // Statements sent together leave in one write to the socket (\`inOneWrite\`): never more writes than trips.
        assert.ok(wire[name].writes <= wire[name].trips, `${name}: ${wire[name].writes} writes`);
      }
      // The jobcenter reads the employment status and the integration course at once: both go out together on
      // one connection and in one write (\`runPrepared\`), then the record's append. The other subgraphs read one
      // after the other.
      assert.deepEqual(wire.jobcenter, { connections: 2, trips: 2, writes: 2 }, JSON.stringify(wire));
    }
    // Each view writes one disclosure record per data subgraph: the budget includes it.
    for (const name of SUBGRAPHS.filter((n) => n !== 'consent')) {
      const [row] = await hub.subgraphs[name].db.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM disclosure_log WHERE person_id = $1`,
        [personId],
      );
      assert.ok(row.n >= 4, `${name} recorded every view (${row.n})`);
    }
  });
});
