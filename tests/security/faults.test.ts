import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterAll, afterEach, beforeAll, describe, it } from '@jest/globals';
import type { SubgraphName } from '../../common/domain.js';
import { demoPersons } from '../../seed/world.js';
import { post, type GraphQLResponse } from '../support/graphql.js';
import { startHub, type RunningHub } from '../support/hub.js';
import { PERSON_VIEW, languageConsentInput } from '../support/queries.js';
import { tokenFor } from '../support/tokens.js';

const SEED = 11;
const persons = demoPersons(SEED, 0, 20);
/** Short deadlines, so that a hung part costs the suite little; inner calls end before the gateway's. */
const TIMEOUTS = { subgraph: 1500, consent: 300, audit: 600 };

function errorFor(response: GraphQLResponse, field: string) {
  return response.errors?.find((e) => e.extensions?.field === field);
}

/** The error that reports `subgraph` as unavailable, by code and by name. */
function unavailable(response: GraphQLResponse, subgraph: SubgraphName) {
  return response.errors?.find(
    (e) => e.extensions?.code === 'SUBGRAPH_UNAVAILABLE' && e.message.includes(`The ${subgraph} subgraph`),
  );
}

/** Runs `ask` and returns its answer with the time it took, in milliseconds. */
async function timed<T>(ask: () => Promise<T>): Promise<{ answer: T; ms: number }> {
  const started = performance.now();
  const answer = await ask();
  return { answer, ms: performance.now() - started };
}

describe('a part that hangs is reported by name and takes nothing else with it', () => {
  let hub: RunningHub;
  let personId: string;
  let jobcenter: string;
  let officer: string;
  const paused = new Set<SubgraphName>();

  const pause = (...names: SubgraphName[]) => {
    for (const name of names) {
      hub.subgraphs[name].pause();
      paused.add(name);
    }
  };
  const view = () =>
    post(hub.gatewayUrl, {
      token: jobcenter,
      purpose: 'JOB_PLACEMENT',
      query: PERSON_VIEW,
      variables: { id: personId },
    });
  const timeline = () =>
    post(hub.gatewayUrl, {
      token: officer,
      purpose: 'CONSENT_MANAGEMENT',
      query: `query($id: ID!) { disclosureTimeline(personId: $id, first: 5) { records { subgraph requestId } } }`,
      variables: { id: personId },
    });

  beforeAll(async () => {
    hub = await startHub({ persons, seed: SEED, unseeded: ['consent'], timeouts: TIMEOUTS });
    const rows = await hub.subgraphs.county.db.query<{ person_id: string }[]>(
      'SELECT person_id FROM language_skill ORDER BY person_id LIMIT 1',
    );
    personId = rows[0].person_id;
    jobcenter = await tokenFor('jobcenter', ['CASEWORKER'], 'j.meyer');
    officer = await tokenFor('county', ['CONSENT_OFFICER'], 'a.schulz');
    const consent = await post(hub.gatewayUrl, {
      token: officer,
      purpose: 'CONSENT_MANAGEMENT',
      query: `mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id } }`,
      variables: { input: languageConsentInput(personId) },
    });
    assert.equal(consent.errors, undefined, JSON.stringify(consent.errors));
  });
  afterEach(() => {
    for (const name of paused) hub.subgraphs[name].resume();
    paused.clear();
  });
  afterAll(() => hub.stop());

  it('answers the person view without a hung data subgraph, within the deadline, naming it', async () => {
    pause('municipality');
    const { answer, ms } = await timed(view);
    assert.ok(ms < 3 * TIMEOUTS.subgraph, `answered after ${Math.round(ms)} ms`);
    const person = answer.data!.person;
    assert.ok(person.givenName, 'county fields are there');
    assert.ok(person.clearing.languages, 'consent-based county fields are there');
    assert.equal(person.housing, null, "the hung subgraph's field is null");
    const failure = unavailable(answer, 'municipality');
    assert.ok(failure, JSON.stringify(answer.errors));
    assert.equal(failure.extensions!.serviceName, 'municipality');
    assert.match(failure.message, /did not answer within 1500 ms/);
    const down = answer
      .errors!.filter((e) => e.extensions?.code === 'SUBGRAPH_UNAVAILABLE')
      .map((e) => e.extensions!.serviceName);
    assert.deepEqual(down, ['municipality'], 'no other part is reported');
  });

  it('names each of several hung subgraphs and still answers from the rest', async () => {
    pause('jobcenter', 'socialcare');
    const { answer, ms } = await timed(view);
    assert.ok(ms < 3 * TIMEOUTS.subgraph, `answered after ${Math.round(ms)} ms`);
    const person = answer.data!.person;
    assert.ok(person.givenName);
    // The municipality still answers: with its refusal, as no consent gives the jobcenter housing for job placement.
    assert.equal(person.housing, null);
    const housing = answer.errors?.find((e) => e.extensions?.field === 'Person.housing');
    assert.equal(housing?.extensions?.code, 'CONSENT_REQUIRED', JSON.stringify(answer.errors));
    assert.equal(unavailable(answer, 'municipality'), undefined);
    assert.ok(unavailable(answer, 'jobcenter'), JSON.stringify(answer.errors));
    assert.ok(unavailable(answer, 'socialcare'), JSON.stringify(answer.errors));
  });

  it('is whole again once the hung subgraph answers', async () => {
    pause('municipality');
    assert.ok(unavailable(await view(), 'municipality'));
    hub.subgraphs.municipality.resume();
    paused.delete('municipality');
    const answer = await view();
    assert.equal(
      answer.errors?.find((e) => e.extensions?.code === 'SUBGRAPH_UNAVAILABLE'),
      undefined,
      JSON.stringify(answer.errors),
    );
  });

  it('refuses only consent-based fields when the consent registry hangs, within its deadline', async () => {
    pause('consent');
    const { answer, ms } = await timed(view);
    assert.ok(ms < 3 * TIMEOUTS.subgraph, `answered after ${Math.round(ms)} ms`);
    const person = answer.data!.person;
    assert.ok(person.givenName, 'statute still answers');
    assert.ok(person.residence.status, 'statute still answers');
    assert.equal(errorFor(answer, 'Person.employment'), undefined, "the jobcenter's own task still answers");
    assert.equal(person.clearing.languages, null);
    assert.equal(errorFor(answer, 'ClearingProfile.languages')!.extensions!.code, 'CONSENT_UNAVAILABLE');
    assert.equal(
      answer.errors!.find((e) => e.extensions?.code === 'SUBGRAPH_UNAVAILABLE'),
      undefined,
      'no data subgraph is reported down for it',
    );
  });

  it("names the consent registry when it hangs on a consent officer's own request", async () => {
    pause('consent');
    const { answer, ms } = await timed(() =>
      post(hub.gatewayUrl, {
        token: officer,
        purpose: 'CONSENT_MANAGEMENT',
        query: `mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id } }`,
        variables: { input: languageConsentInput(personId) },
      }),
    );
    assert.ok(ms < 3 * TIMEOUTS.subgraph, `answered after ${Math.round(ms)} ms`);
    assert.ok(unavailable(answer, 'consent'), JSON.stringify(answer.errors));
  });

  for (const hung of ['jobcenter', 'county'] as const) {
    it(`names the ${hung} disclosure log when it hangs during the consent officer's timeline`, async () => {
      assert.equal((await timeline()).errors, undefined);
      pause(hung);
      const { answer, ms } = await timed(timeline);
      assert.ok(ms < 3 * TIMEOUTS.subgraph, `answered after ${Math.round(ms)} ms`);
      assert.equal(answer.data?.disclosureTimeline ?? null, null, 'no timeline with a gap');
      const failure = answer.errors?.find((e) => e.extensions?.code === 'SUBGRAPH_UNAVAILABLE');
      assert.ok(failure, JSON.stringify(answer.errors));
      assert.match(failure.message, new RegExp(`The ${hung} subgraph's disclosure log did not answer`));
      assert.equal(unavailable(answer, 'consent'), undefined, 'the registry itself is not blamed');
    });
  }

  it('does not hold up requests that do not need the hung subgraph', async () => {
    pause('socialcare');
    const { answer, ms } = await timed(() =>
      post(hub.gatewayUrl, {
        token: jobcenter,
        purpose: 'JOB_PLACEMENT',
        query: `query($id: ID!) { person(id: $id) { givenName employment { status } } }`,
        variables: { id: personId },
      }),
    );
    assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
    assert.ok(ms < TIMEOUTS.subgraph, `answered after ${Math.round(ms)} ms, without waiting for socialcare`);
  });
});
