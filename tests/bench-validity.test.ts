/**
 * The benchmark's end-of-run check (issue #27) against a running hub: it reads the logs' last records, the
 * checkpoints their processes signed and the registry's cosignatures from the real tables, and has the
 * registry verify every log from record 1. Nothing here is timed.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { SUBGRAPHS, type SubgraphName } from '../common/domain.js';
import { demoPersons } from '../seed/world.js';
import { CASELOAD_SEED, consentToCaseload } from '../bench/caseload.js';
import { postGraphQL } from '../bench/graphql.js';
import { CALLERS, PERSON_VIEW } from '../bench/queries.js';
import { awaitCheckpoints, judgeRun, lastSequences, verifyLogsFromStart } from '../bench/validity.js';
import { startHub, type RunningHub } from './support/hub.js';
import { tokenFor } from './support/tokens.js';

describe("the benchmark's check of the measured hub's logs", () => {
  let hub: RunningHub;
  let tokens: { jobcenter: string; officer: string };
  let persons: string[];
  let databases: Record<SubgraphName, { adminUrl: string }>;
  const since = new Date(Date.now() - 1000);

  const views = async (count: number) => {
    for (let i = 0; i < count; i++) {
      const body = await postGraphQL(hub.gatewayUrl, {
        token: tokens.jobcenter,
        purpose: CALLERS.jobcenter.purpose,
        query: PERSON_VIEW,
        variables: { id: persons[i % persons.length] },
      });
      assert.ok(!body.errors?.some((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR'), JSON.stringify(body));
    }
  };

  beforeAll(async () => {
    hub = await startHub({ persons: demoPersons(CASELOAD_SEED, 0, 20), seed: CASELOAD_SEED });
    tokens = { jobcenter: await tokenFor('jobcenter'), officer: await tokenFor('county', ['CONSENT_OFFICER']) };
    const consented = new Set<string>();
    await consentToCaseload(hub.gatewayUrl, tokens, consented);
    persons = [...consented];
    databases = Object.fromEntries(SUBGRAPHS.map((n) => [n, { adminUrl: hub.subgraphs[n].adminUrl }])) as Record<
      SubgraphName,
      { adminUrl: string }
    >;
  });
  afterAll(() => hub?.stop());

  it('finds a run valid whose logs verify from record 1 under cosigned checkpoints covering the last record', async () => {
    await views(3);
    // The registry's verification has every log checkpointed and cosigns it (the bench waits for the timers instead).
    await verifyLogsFromStart(hub.subgraphs.consent.url, tokens.officer, []);
    const last = await lastSequences(databases);
    assert.ok(
      [...last.values()].every((n) => n > 0),
      JSON.stringify([...last]),
    );
    const checks = await awaitCheckpoints(databases, last, since, 0);
    const validity = judgeRun(await verifyLogsFromStart(hub.subgraphs.consent.url, tokens.officer, checks), 60);
    assert.equal(validity.valid, true, validity.reason);
    assert.match(validity.reason, /cosigned by /);
  });

  it('finds it invalid when records came after the newest checkpoint', async () => {
    await views(2);
    const last = await lastSequences(databases);
    const checks = await awaitCheckpoints(databases, last, since, 0);
    const validity = judgeRun(await verifyLogsFromStart(hub.subgraphs.consent.url, tokens.officer, checks), 60);
    assert.equal(validity.valid, false);
    assert.match(validity.reason, /newest checkpoint covers \d+ of the run's \d+ records/);
  });
});
