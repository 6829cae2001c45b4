/**
 * Bad input is refused, never taken as a question (issue #23, hole 6):
 * 1. an empty, blank or malformed person id in the consent officers' timeline, log search, export and
 *    Art. 15 report is BAD_USER_INPUT naming the argument: never "no filter", which would show every
 *    person's records, and nothing is put on record as read;
 * 2. error paths name only fields of the client's own document: a refusal at a hidden field of the
 *    composition (`socialcareContacts` behind `contacts`) is reported at the field the client asked for,
 *    under its alias, through fragments;
 * 3. a subgraph's schema (`_service`) is, in production, for the gateway's identity only: no token of any
 *    role gets it straight from a subgraph (the mTLS side is in mtls.test.ts); in development it is open.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { SUBGRAPHS, type Role } from '../../common/domain.js';
import { demoPersons } from '../../seed/world.js';
import { loadSubgraphDefinition } from '../../subgraphs/index.js';
import { codes, post, type GraphQLResponse } from '../support/graphql.js';
import { startHub, type RunningHub } from '../support/hub.js';
import { startSubgraph } from '../support/subgraph.js';
import { tokenFor } from '../support/tokens.js';

const SEED = 37;
const persons = demoPersons(SEED, 0, 8);

/** Every response key the document's selections name, to check error paths against. */
function responseKeys(query: string): Set<string> {
  return new Set([...query.matchAll(/(\w+)\s*:\s*(\w+)|(\w+)/g)].map((m) => m[1] ?? m[3]));
}

describe('security: bad input is refused, and errors name what the client asked', () => {
  let hub: RunningHub;
  let officer: string;

  const asOfficer = (query: string, variables?: Record<string, unknown>) =>
    post(hub.gatewayUrl, { token: officer, purpose: 'CONSENT_MANAGEMENT', query, variables });
  const officerReads = async () =>
    (
      await hub.subgraphs.consent.db.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM disclosure_log WHERE kind = 'AUDIT'`,
      )
    )[0].n;
  const assertRefused = (response: GraphQLResponse, field: string, where: string) => {
    assert.deepEqual(codes(response), ['BAD_USER_INPUT'], `${where}: ${JSON.stringify(response.errors)}`);
    assert.deepEqual(
      (response.errors![0].extensions!.problems as { field: string }[]).map((p) => p.field),
      [field],
      where,
    );
    assert.equal(response.data ?? null, null, `${where}: no records`);
  };

  beforeAll(async () => {
    hub = await startHub({ persons, seed: SEED });
    officer = await tokenFor('county', ['CONSENT_OFFICER'], 'o.officer');
    // Records of several persons, so that a missing filter would show them.
    for (const p of persons.slice(0, 3)) {
      await post(hub.gatewayUrl, {
        token: await tokenFor('jobcenter'),
        purpose: 'JOB_PLACEMENT',
        query: `query($id: ID!) { person(id: $id) { givenName employment { status } } }`,
        variables: { id: p.id },
      });
    }
  });
  afterAll(() => hub.stop());

  const BLANK_IDS = ['', ' ', '\t', '   \n', 'not-a-uuid', `${persons[0].id} `];

  it('refuses an empty, blank or malformed person id of the timeline, and records no read', async () => {
    const before = await officerReads();
    for (const id of BLANK_IDS) {
      const response = await asOfficer(
        `query($id: ID!) { disclosureTimeline(personId: $id) { records { personId } } }`,
        {
          id,
        },
      );
      assertRefused(response, 'personId', `timeline ${JSON.stringify(id)}`);
    }
    // Written inline in the document rather than as a variable, alike.
    assertRefused(
      await asOfficer(`{ disclosureTimeline(personId: "") { records { personId } } }`),
      'personId',
      'inline ""',
    );
    assert.equal(await officerReads(), before, 'nothing of a refused read is on record as read');
  });

  it('refuses them in the log search and its CSV export, where they would otherwise mean "everyone"', async () => {
    const before = await officerReads();
    for (const id of BLANK_IDS) {
      assertRefused(
        await asOfficer(`query($f: DisclosureFilter) { disclosureLog(filter: $f) { records { personId } } }`, {
          f: { personId: id },
        }),
        'filter.personId',
        `log ${JSON.stringify(id)}`,
      );
      assertRefused(
        await asOfficer(`query($f: DisclosureFilter) { disclosureLogExport(filter: $f, first: 10) }`, {
          f: { personId: id },
        }),
        'filter.personId',
        `export ${JSON.stringify(id)}`,
      );
    }
    assert.equal(await officerReads(), before);
    // A well-formed id still narrows the search to that one person.
    const one = await asOfficer(`query($f: DisclosureFilter) { disclosureLog(filter: $f) { records { personId } } }`, {
      f: { personId: persons[1].id },
    });
    assert.equal(one.errors, undefined, JSON.stringify(one.errors));
    const seen = new Set((one.data!.disclosureLog.records as { personId: string }[]).map((r) => r.personId));
    assert.deepEqual([...seen], [persons[1].id]);
  });

  it("refuses them in a person's Art. 15 report", async () => {
    for (const id of BLANK_IDS) {
      const response = await asOfficer(`query($id: ID!) { accessReport(personId: $id) { entries { holder } } }`, {
        id,
      });
      assert.deepEqual(codes(response), ['BAD_USER_INPUT'], JSON.stringify(id));
    }
  });

  describe('error paths in the client’s terms', () => {
    const ask = (query: string, variables: Record<string, unknown>) =>
      tokenFor('county').then((token) => post(hub.gatewayUrl, { token, purpose: 'CLEARING', query, variables }));

    const documents = [
      `query($id: ID!) { person(id: $id) { contacts { fieldOfAction name } } }`,
      `query($id: ID!) { person(id: $id) { c: contacts { name } } }`,
      `query($id: ID!) { p: person(id: $id) { ...C } } fragment C on Person { ... on Person { people: contacts { name } } }`,
      `query($id: ID!) { person(id: $id) { givenName contacts { name } housing { address } employment { status } } }`,
    ];

    it('reports a refusal behind Person.contacts at contacts, never at the hidden partner fields', async () => {
      for (const query of documents) {
        const response = await ask(query, { id: persons[2].id });
        const keys = responseKeys(query);
        assert.ok((response.errors ?? []).length > 0, `${query}: some partner's contacts are refused`);
        for (const error of response.errors ?? []) {
          for (const segment of error.path ?? []) {
            if (typeof segment === 'number') continue;
            assert.ok(keys.has(segment), `${query}: ${JSON.stringify(error.path)} names ${segment}`);
          }
          assert.doesNotMatch(JSON.stringify(error.path), /socialcareContacts|municipalityContacts|jobcenterContacts/);
        }
      }
    });

    it('puts each refusal at the alias the client gave the field', async () => {
      const response = await ask(documents[2], { id: persons[2].id });
      const paths = new Set((response.errors ?? []).map((e) => JSON.stringify(e.path)));
      assert.deepEqual([...paths], [JSON.stringify(['p', 'people'])]);
      // The refusal still names its category and the log's field, for the caller to act on.
      assert.ok(response.errors!.every((e) => e.extensions?.category && e.extensions.code === 'CONSENT_REQUIRED'));
    });
  });

  it('refuses a subgraph’s schema (_service) in production to every token, and answers it in development', async () => {
    const roles: [string, Role, string][] = [
      ['county', 'CASEWORKER', 'CLEARING'],
      ['jobcenter', 'CONSENT_OFFICER', 'CONSENT_MANAGEMENT'],
      ['municipality:08999001', 'ANALYST', 'MONITORING'],
    ];
    for (const name of SUBGRAPHS) {
      for (const [agency, role, purpose] of roles) {
        const response = await post(hub.subgraphs[name].url, {
          token: await tokenFor(agency, [role]),
          purpose,
          query: '{ _service { sdl } }',
        });
        assert.equal(response.status, 403, `${name} ${role}`);
        assert.deepEqual(codes(response), ['FORBIDDEN'], `${name} ${role}`);
        assert.match(response.errors![0].message, /only the hub's gateway/, `${name} ${role}`);
        assert.equal(response.data ?? null, null);
      }
    }
    const development = await startSubgraph(await loadSubgraphDefinition('jobcenter'), { development: true });
    try {
      const response = await post(development.url, {
        token: await tokenFor('jobcenter'),
        purpose: 'JOB_PLACEMENT',
        query: '{ _service { sdl } }',
      });
      assert.equal(response.errors, undefined, JSON.stringify(response.errors));
      assert.match(response.data!._service.sdl, /type Person/);
    } finally {
      await development.stop();
    }
  });
});
