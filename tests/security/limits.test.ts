import 'reflect-metadata';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { SUBGRAPHS, type SubgraphName } from '../../common/domain.js';
import { REQUEST_LIMITS, SUBGRAPH_REQUEST_LIMITS } from '../../common/limits.js';
import { demoPersons } from '../../seed/world.js';
import { codes, post, type GraphQLResponse } from '../support/graphql.js';
import { startHub, type RunningHub } from '../support/hub.js';
import { languageConsentInput } from '../support/queries.js';
import { tokenFor } from '../support/tokens.js';

const SEED = 11;
const persons = demoPersons(SEED, 0, 12);
const DATA_SUBGRAPHS = SUBGRAPHS.filter((n): n is Exclude<SubgraphName, 'consent'> => n !== 'consent');

/** Asserts a refusal before the request ran: HTTP status, code, which limit, and a message naming it. */
function assertRefused(response: GraphQLResponse, limits: string[], status = 400, code = 'QUERY_TOO_COMPLEX'): void {
  assert.equal(response.status, status, JSON.stringify(response.errors));
  assert.deepEqual(codes(response), [code]);
  const error = response.errors![0];
  assert.ok(
    limits.includes(error.extensions!.limit),
    `limit ${error.extensions!.limit} is one of ${limits.join(', ')}`,
  );
  assert.match(
    error.message,
    new RegExp(
      `is ${error.extensions!.actual}, at most ${error.extensions!.max} allowed \\(limit "${error.extensions!.limit}"\\)`,
    ),
  );
  assert.equal(response.data, undefined, 'nothing ran');
}

describe('a request of unbounded cost is refused before it runs (issue #10, class 5)', () => {
  let hub: RunningHub;
  let personId: string;
  let consentId: string;
  let jobcenter: string;
  let officer: string;

  beforeAll(async () => {
    hub = await startHub({ persons, seed: SEED, unseeded: ['consent'] });
    const rows = await hub.subgraphs.county.db.query<{ id: string }[]>('SELECT id FROM person ORDER BY id LIMIT 1');
    personId = rows[0].id;
    jobcenter = await tokenFor('jobcenter', ['CASEWORKER'], 'j.meyer');
    officer = await tokenFor('county', ['CONSENT_OFFICER'], 'a.schulz');
    const recorded = await post(hub.gatewayUrl, {
      token: officer,
      purpose: 'CONSENT_MANAGEMENT',
      query: `mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id } }`,
      variables: { input: languageConsentInput(personId) },
    });
    consentId = recorded.data!.recordConsent.id;
    for (let i = 0; i < 2; i += 1) {
      await post(hub.gatewayUrl, {
        token: officer,
        purpose: 'CONSENT_MANAGEMENT',
        query: `mutation($id: ID!, $terms: ConsentTermsInput!) { changeConsent(id: $id, terms: $terms) { version } }`,
        variables: {
          id: consentId,
          terms: { recipients: ['jobcenter'], purposes: ['JOB_PLACEMENT'], categories: ['CLEARING_LANGUAGE'] },
        },
      });
    }
  });
  afterAll(() => hub.stop());

  const asJobcenter = (
    url: string,
    query: string,
    variables: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ) => post(url, { token: jobcenter, purpose: 'JOB_PLACEMENT', query, variables, headers });
  const asOfficer = (url: string, query: string, variables: Record<string, unknown> = {}) =>
    post(url, { token: officer, purpose: 'CONSENT_MANAGEMENT', query, variables });
  const recordsOf = async (name: Exclude<SubgraphName, 'consent'>, requestId: string) =>
    hub.subgraphs[name].log!.records({ requestId, limit: 1000 });
  const versions = (depth: number) =>
    `query Versions($id: ID!) { consent(id: $id) { ${'versions { '.repeat(depth)}version${' }'.repeat(depth)} } }`;
  const reps = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ __typename: 'Person', id: i === 0 ? personId : randomUUID() }));

  describe('deep nesting of consent.versions', () => {
    it('answers the versions of a consent, and their versions, as a consent officer asks', async () => {
      const response = await asOfficer(hub.gatewayUrl, versions(2), { id: consentId });
      assert.equal(response.errors, undefined, JSON.stringify(response.errors));
      assert.ok(response.data!.consent.versions.length >= 1);
      assert.ok(response.data!.consent.versions[0].versions.length >= 1);
    });

    it('refuses depth 10 (3^10 objects) at the gateway and straight at the consent registry', async () => {
      assertRefused(await asOfficer(hub.gatewayUrl, versions(10), { id: consentId }), ['depth']);
      assertRefused(await asOfficer(hub.subgraphs.consent.url, versions(10), { id: consentId }), ['depth']);
    });

    it('refuses a nesting within the depth limit by its estimated cost', async () => {
      const response = await asOfficer(hub.gatewayUrl, versions(REQUEST_LIMITS.depth - 2), { id: consentId });
      assertRefused(response, ['cost']);
      assert.ok(response.errors![0].extensions!.actual > REQUEST_LIMITS.cost);
    });
  });

  describe('aliases', () => {
    const aliased = (n: number, selection = 'givenName housing { type } employment { status } socialCare { since }') =>
      `query Aliased($id: ID!) { ${Array.from({ length: n }, (_, i) => `a${i}: person(id: $id) { ${selection} }`).join(' ')} }`;

    it('refuses 1000 aliases of one person at the gateway, before any subgraph writes a record', async () => {
      const heads = async () =>
        Promise.all(
          DATA_SUBGRAPHS.map(async (name) => (await hub.subgraphs[name].log!.records({ limit: 1 }))[0]?.sequence ?? 0),
        );
      const before = await heads();
      assertRefused(await asJobcenter(hub.gatewayUrl, aliased(1000), { id: personId }), ['tokens', 'aliases']);
      assert.deepEqual(await heads(), before, 'no subgraph wrote a record');
    });

    it('refuses one alias over the limit at the gateway, naming the aliases', async () => {
      assertRefused(
        await asJobcenter(hub.gatewayUrl, aliased(REQUEST_LIMITS.aliases + 1, 'givenName'), { id: personId }),
        ['aliases'],
      );
    });

    it('refuses 1000 aliases, and one over the limit, straight at every data subgraph', async () => {
      const query = (n: number) =>
        `query($r: [_Any!]!) { ${Array.from({ length: n }, (_, i) => `a${i}: _entities(representations: $r) { __typename }`).join(' ')} }`;
      for (const name of DATA_SUBGRAPHS) {
        assertRefused(await asJobcenter(hub.subgraphs[name].url, query(1000), { r: reps(1) }), ['tokens', 'aliases']);
        assertRefused(
          await asJobcenter(hub.subgraphs[name].url, query(SUBGRAPH_REQUEST_LIMITS.aliases + 1), { r: reps(1) }),
          ['aliases'],
        );
      }
    });

    it('writes one record per (request, person) in every subgraph for an aliased query', async () => {
      // Statute and own task only: every fetch decides alike, whatever the load.
      const response = await asJobcenter(
        hub.gatewayUrl,
        aliased(
          REQUEST_LIMITS.aliases,
          'givenName residence { status } employment { status } integrationCourse { status }',
        ),
        { id: personId },
      );
      const requestId = response.requestId!;
      assert.equal(response.status, 200);
      assert.equal(Object.keys(response.data!).length, REQUEST_LIMITS.aliases);
      for (const name of ['county', 'jobcenter'] as const) {
        const records = await recordsOf(name, requestId);
        assert.equal(records.length, 1, `${name}: ${records.length} records`);
        assert.equal(records[0].personId, personId);
      }
    });

    it('never repeats a record of a request in any subgraph, consent refusals included', async () => {
      const response = await asJobcenter(hub.gatewayUrl, aliased(REQUEST_LIMITS.aliases), { id: personId });
      const requestId = response.requestId!;
      assert.equal(response.status, 200);
      for (const name of DATA_SUBGRAPHS) {
        const records = await recordsOf(name, requestId);
        const contents = records.map((r) => JSON.stringify([r.released, r.refused, r.basis]));
        assert.ok(records.length >= 1, name);
        // A fetch whose consent lookup failed refuses with CONSENT_UNAVAILABLE, which is news worth a record.
        assert.equal(new Set(contents).size, contents.length, `${name}: ${contents.join(' | ')}`);
      }
    });

    it('writes one record per (request, person) for aliases straight at a subgraph', async () => {
      const requestId = randomUUID();
      const query = `query($r: [_Any!]!) { ${Array.from({ length: REQUEST_LIMITS.aliases }, (_, i) => `a${i}: _entities(representations: $r) { ... on Person { givenName } }`).join(' ')} }`;
      const response = await asJobcenter(
        hub.subgraphs.county.url,
        query,
        { r: reps(1) },
        { 'x-request-id': requestId },
      );
      assert.equal(response.errors, undefined, JSON.stringify(response.errors));
      assert.equal((await recordsOf('county', requestId)).length, 1);
    });

    it('adds a record only for what a later fetch of the same request releases anew', async () => {
      const query = `query Two($id: ID!) { a: person(id: $id) { givenName employment { status } } b: person(id: $id) { givenName employment { since } } }`;
      const requestId = (await asJobcenter(hub.gatewayUrl, query, { id: personId })).requestId!;
      const records = await recordsOf('jobcenter', requestId);
      assert.ok(records.length >= 1 && records.length <= 2, `${records.length} records`);
      assert.deepEqual([...new Set(records.flatMap((r) => r.released.map((f) => f.field)))], ['Person.employment']);
    });
  });

  describe('fragments and spreads', () => {
    it('refuses one fragment spread over and over, counting its fields at every spread', async () => {
      const query = `query Spread($id: ID!) { person(id: $id) { ${'...P '.repeat(400)} } } fragment P on Person { givenName familyName residence { status } }`;
      assertRefused(await asJobcenter(hub.gatewayUrl, query, { id: personId }), ['fields']);
    });

    it('refuses a chain of fragments that doubles at every link, at the gateway and at a subgraph', async () => {
      const chain = Array.from({ length: 40 }, (_, i) => `fragment F${i} on Person { ...F${i + 1} ...F${i + 1} }`).join(
        ' ',
      );
      const gateway = await asJobcenter(
        hub.gatewayUrl,
        `query Chain($id: ID!) { person(id: $id) { ...F0 } } ${chain} fragment F40 on Person { givenName }`,
        { id: personId },
      );
      assertRefused(gateway, ['fields']);
      assert.ok(gateway.errors![0].extensions!.actual > 2 ** 39);
      const direct = await asJobcenter(
        hub.subgraphs.county.url,
        `query($r: [_Any!]!) { _entities(representations: $r) { ...F0 } } ${chain} fragment F40 on Person { givenName }`,
        { r: reps(1) },
      );
      assertRefused(direct, ['fields']);
    });

    it('admits many distinct fragments within the limits and answers them', async () => {
      const fragments = Array.from({ length: 100 }, (_, i) => `fragment F${i} on Person { givenName }`).join(' ');
      const spreads = Array.from({ length: 100 }, (_, i) => `...F${i}`).join(' ');
      const response = await asJobcenter(
        hub.gatewayUrl,
        `query Many($id: ID!) { person(id: $id) { ${spreads} } } ${fragments}`,
        { id: personId },
      );
      assert.equal(response.errors, undefined, JSON.stringify(response.errors));
      assert.ok(response.data!.person.givenName);
    });
  });

  describe('list arguments', () => {
    it('answers a consent lookup of 1000 persons, and refuses 2000', async () => {
      const ids = (n: number) => Array.from({ length: n }, () => randomUUID());
      const lookup = `query Lookup($ids: [ID!]!) { consentGrants(personIds: $ids) { id personId } }`;
      const answered = await asJobcenter(hub.subgraphs.consent.url, lookup, { ids: [personId, ...ids(999)] });
      assert.equal(answered.errors, undefined, JSON.stringify(answered.errors));
      assert.equal(answered.data!.consentGrants[0].personId, personId);
      assertRefused(await asJobcenter(hub.subgraphs.consent.url, lookup, { ids: ids(2000) }), ['listArgument']);
    });

    it('refuses an entity fetch of more representations than the limit, and a long list literal at the gateway', async () => {
      const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id } } }`;
      assertRefused(
        await asJobcenter(hub.subgraphs.jobcenter.url, query, { r: reps(REQUEST_LIMITS.listArgument + 1) }),
        ['listArgument'],
      );
      const literal = `{ disclosureLog(filter: { subgraphs: [${'"county" '.repeat(1500)}] }) { hasNextPage } }`;
      assertRefused(await asOfficer(hub.gatewayUrl, literal), ['listArgument']);
    });

    it('admits what the gateway asks of a subgraph for a caseload of 500 persons', async () => {
      const caseload = await post(hub.gatewayUrl, {
        token: await tokenFor('jobcenter'),
        purpose: 'JOB_PLACEMENT',
        query: `query Caseload { jobcenterCaseload(first: 500) { id givenName familyName residence { status validUntil }
          clearing { languages { language level } } housing { type since municipality { name } }
          employment { status since } integrationCourse { status level } benefits { since until }
          socialCare { caseworker { name organisation } openNeeds { field } } } }`,
      });
      assert.equal(caseload.status, 200);
      assert.ok(caseload.data!.jobcenterCaseload.length > 0);
      const fetches: Record<Exclude<SubgraphName, 'consent'>, string> = {
        county: 'givenName familyName residence { status validUntil } clearing { languages { language level } }',
        municipality: 'housing { type since municipality { __typename ags } }',
        jobcenter: 'employment { status since } integrationCourse { status level } benefits { since until }',
        socialcare: 'socialCare { caseworker { name organisation } openNeeds { field } }',
      };
      for (const name of DATA_SUBGRAPHS) {
        const query = `query Caseload__${name}__1($representations: [_Any!]!) { _entities(representations: $representations) { ... on Person { __typename id ${fetches[name]} } } }`;
        const response = await asJobcenter(hub.subgraphs[name].url, query, { representations: reps(500) });
        assert.equal(response.status, 200, `${name}: ${JSON.stringify(response.errors?.[0])}`);
        assert.equal(response.data!._entities.length, 500);
      }
    });
  });

  describe('token flooding and oversized bodies', () => {
    it('refuses a document of more tokens than the limit, naming the count', async () => {
      const flood = `query Flood($id: ID!) { person(id: $id) { givenName } } ${'fragment X on Person { givenName } '.repeat(400)}`;
      const response = await asJobcenter(hub.gatewayUrl, flood, { id: personId });
      assertRefused(response, ['tokens']);
      assert.equal(response.errors![0].extensions!.actual, 21 + 400 * 7);
      const subgraphFlood = `{ _service { sdl } } ${'fragment X on Person { givenName } '.repeat(2000)}`;
      assertRefused(await asJobcenter(hub.subgraphs.county.url, subgraphFlood), ['tokens']);
    });

    it('refuses an oversized body with 413 at the gateway and at a subgraph', async () => {
      const padding = 'x'.repeat(REQUEST_LIMITS.bodyBytes);
      for (const url of [hub.gatewayUrl, hub.subgraphs.county.url]) {
        const response = await asJobcenter(url, `query Big($id: ID!, $pad: String) { person(id: $id) { givenName } }`, {
          id: personId,
          pad: padding,
        });
        assertRefused(response, ['bodyBytes'], 413, 'REQUEST_TOO_LARGE');
        assert.ok(response.errors![0].extensions!.actual > REQUEST_LIMITS.bodyBytes);
      }
    });

    it('refuses an oversized body sent without a length, reading no more than the limit', async () => {
      const chunk = new TextEncoder().encode('x'.repeat(16_384));
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          sent += chunk.length;
          if (sent > 4 * REQUEST_LIMITS.bodyBytes) controller.close();
          else controller.enqueue(chunk);
        },
      });
      const response = await fetch(hub.gatewayUrl, {
        method: 'POST',
        body,
        duplex: 'half',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${jobcenter}`,
          'x-purpose': 'JOB_PLACEMENT',
        },
      });
      assert.equal(response.status, 413);
      const json = (await response.json()) as GraphQLResponse;
      assert.equal(json.errors![0].extensions!.code, 'REQUEST_TOO_LARGE');
    });
  });

  describe('client-supplied strings in the disclosure log are bounded', () => {
    it('bounds a long operation name, keeping it distinct', async () => {
      const name = `Op${'x'.repeat(5000)}`;
      const response = await asJobcenter(
        hub.gatewayUrl,
        `query ${name}($id: ID!) { person(id: $id) { givenName employment { status } } }`,
        { id: personId },
      );
      const requestId = response.requestId!;
      assert.ok(response.data!.person.givenName);
      for (const subgraph of ['county', 'jobcenter'] as const) {
        const [record] = await recordsOf(subgraph, requestId);
        assert.equal([...record.operation!].length, 128);
        assert.ok(record.operation!.startsWith('Opxxx'));
        assert.match(record.operation!, /…[0-9a-f]{16}$/);
      }
    });

    it("bounds a long token subject, and a consent officer's filter finds it by the full value", async () => {
      const sub = `officer-${'y'.repeat(150)}`;
      const requestId = randomUUID();
      const token = await tokenFor('jobcenter', ['CASEWORKER'], sub);
      const response = await post(hub.subgraphs.county.url, {
        token,
        purpose: 'JOB_PLACEMENT',
        headers: { 'x-request-id': requestId },
        query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { givenName } } }`,
        variables: { r: reps(1) },
      });
      assert.equal(response.errors, undefined, JSON.stringify(response.errors));
      const [record] = await recordsOf('county', requestId);
      assert.equal([...record.officer].length, 128);
      const found = await hub.subgraphs.county.log!.records({ officer: sub, limit: 10 });
      assert.deepEqual(
        found.map((r) => r.requestId),
        [requestId],
      );
    });

    it('replaces a long request id by one of its own at the gateway and at a subgraph', async () => {
      const long = 'r'.repeat(5000);
      const viaGateway = await asJobcenter(
        hub.gatewayUrl,
        `query Long($id: ID!) { person(id: $id) { givenName } }`,
        { id: personId },
        { 'x-request-id': long },
      );
      assert.notEqual(viaGateway.requestId, long);
      const [record] = await hub.subgraphs.county.log!.records({ personId, limit: 1 });
      assert.notEqual(record.requestId, long);
      assert.ok(record.requestId.length <= 128);
      const direct = await asJobcenter(
        hub.subgraphs.county.url,
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { givenName } } }`,
        { r: reps(1) },
        { 'x-request-id': long },
      );
      assert.equal(direct.errors, undefined);
      const [latest] = await hub.subgraphs.county.log!.records({ personId, limit: 1 });
      assert.ok(latest.requestId.length <= 128);
    });
  });

  it('applies the same limits at every subgraph, with room for what the gateway adds', () => {
    assert.ok(
      SUBGRAPH_REQUEST_LIMITS.cost >= REQUEST_LIMITS.cost && SUBGRAPH_REQUEST_LIMITS.tokens >= REQUEST_LIMITS.tokens,
    );
  });
});
