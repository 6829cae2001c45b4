/**
 * The county's lean register check (`POST /lookup/registrations`), which every partner's write asks instead of
 * the GraphQL query `registrations`, is held to the same rules: the same answer for every caller, each way of
 * misusing it refused with the same status and code as the GraphQL path, bad bodies refused with
 * BAD_USER_INPUT, nothing logged by either path, and a writer's check that fails closed.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import pg from 'pg';
import { createHttpRegistryLookup } from '../../common/access/registry-lookup.js';
import type { Caller } from '../../common/domain.js';
import { listen } from '../../common/http.js';
import { demoPersons } from '../../seed/world.js';
import { countySubgraph } from '../../subgraphs/county/county.subgraph.js';
import { post } from '../support/graphql.js';
import { startSubgraph, type RunningSubgraph } from '../support/subgraph.js';
import { tokenFor } from '../support/tokens.js';

const SEED = 11;
const persons = demoPersons(SEED, 0, 40);
const LINDENAU = '08999001';
const inLindenau = persons.find((p) => p.municipalityAgs === LINDENAU)!;
const elsewhere = persons.find((p) => p.municipalityAgs && p.municipalityAgs !== LINDENAU)!;
const neverIssued = randomUUID();

interface Answer {
  status: number;
  code: string | undefined;
  registrations: { id: string; assignedToCaller: boolean }[] | undefined;
}

describe("the county's register check without GraphQL answers and refuses as the GraphQL query does", () => {
  let county: RunningSubgraph;
  let lookupUrl: string;
  let admin: pg.Client;
  const asked = [inLindenau.id, elsewhere.id, neverIssued];

  const viaGraphQL = async (headers: Record<string, string>, ids: unknown = asked): Promise<Answer> => {
    const response = await post(county.url, {
      headers,
      query: `query($ids: [ID!]!) { registrations(personIds: $ids) { id assignedToCaller } }`,
      variables: { ids },
    });
    return {
      status: response.status,
      code: response.errors?.[0]?.extensions?.code,
      registrations: response.data?.registrations,
    };
  };
  const viaLookup = async (headers: Record<string, string>, body: unknown = { personIds: asked }): Promise<Answer> => {
    const response = await fetch(lookupUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    const parsed = (await response.json()) as {
      registrations?: Answer['registrations'];
      errors?: { extensions?: { code?: string } }[];
    };
    return {
      status: response.status,
      code: parsed.errors?.[0]?.extensions?.code,
      registrations: parsed.registrations,
    };
  };
  const as = async (agency: string, roles: Parameters<typeof tokenFor>[1], purpose?: string) => ({
    authorization: `Bearer ${await tokenFor(agency, roles)}`,
    ...(purpose ? { 'x-purpose': purpose } : {}),
  });
  const byId = (answer: Answer) => [...(answer.registrations ?? [])].sort((a, b) => a.id.localeCompare(b.id));
  const logRecords = async () => Number((await admin.query('SELECT count(*)::int AS n FROM disclosure_log')).rows[0].n);

  beforeAll(async () => {
    county = await startSubgraph(countySubgraph, { seed: { persons, seed: SEED } });
    lookupUrl = county.url.replace(/\/graphql$/, '/lookup/registrations');
    admin = new pg.Client({ connectionString: county.adminUrl });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.end();
    await county.stop();
  });

  it('answers every writer what the GraphQL query answers, and neither path writes a log record', async () => {
    const before = await logRecords();
    const callers: [string, Parameters<typeof tokenFor>[1], string, boolean][] = [
      [`municipality:${LINDENAU}`, ['CASEWORKER'], 'HOUSING_ALLOCATION', true],
      ['jobcenter', ['CASEWORKER'], 'JOB_PLACEMENT', false],
      ['socialcare:caritas', ['CASEWORKER'], 'SOCIAL_COUNSELLING', false],
      ['county', ['CONSENT_OFFICER'], 'CONSENT_MANAGEMENT', false],
    ];
    for (const [agency, roles, purpose, assignsLindenau] of callers) {
      const headers = await as(agency, roles, purpose);
      const [graphql, lean] = [await viaGraphQL(headers), await viaLookup(headers)];
      assert.equal(lean.status, 200, agency);
      assert.deepEqual(byId(lean), byId(graphql), agency);
      assert.deepEqual(
        byId(lean),
        [
          { id: inLindenau.id, assignedToCaller: assignsLindenau },
          { id: elsewhere.id, assignedToCaller: false },
        ].sort((a, b) => a.id.localeCompare(b.id)),
        `${agency}: the issued ids only, assigned only to the own municipality`,
      );
    }
    assert.equal(await logRecords(), before, 'a register check has no gated field, so neither path logs it');
  });

  it('refuses every caller the GraphQL query refuses, with the same status and code', async () => {
    const jobcenter = await tokenFor('jobcenter');
    const cases: [string, Record<string, string>, number, string][] = [
      ['no token', { 'x-purpose': 'JOB_PLACEMENT' }, 401, 'UNAUTHENTICATED'],
      [
        'a forged signature',
        { authorization: `Bearer ${jobcenter.replace(/.{8}$/, 'AAAAAAAA')}`, 'x-purpose': 'JOB_PLACEMENT' },
        401,
        'UNAUTHENTICATED',
      ],
      [
        'an agency not of the district',
        await as('municipality:08999999', ['CASEWORKER'], 'HOUSING_ALLOCATION'),
        401,
        'UNAUTHENTICATED',
      ],
      ['no purpose', await as('jobcenter', ['CASEWORKER']), 403, 'FORBIDDEN_PURPOSE'],
      [
        "a purpose not the agency's",
        await as('jobcenter', ['CASEWORKER'], 'HOUSING_ALLOCATION'),
        403,
        'FORBIDDEN_PURPOSE',
      ],
      ['an analyst', await as('county', ['ANALYST'], 'MONITORING'), 403, 'FORBIDDEN'],
    ];
    for (const [what, headers, status, code] of cases) {
      const [graphql, lean] = [await viaGraphQL(headers), await viaLookup(headers)];
      assert.deepEqual({ status: graphql.status, code: graphql.code }, { status, code }, `${what} through GraphQL`);
      assert.deepEqual(lean, { status, code, registrations: undefined }, `${what} through the lookup`);
    }
  });

  it('refuses a malformed check with BAD_USER_INPUT as the GraphQL query does, and matches nothing for ids that are not UUIDs', async () => {
    const headers = await as('jobcenter', ['CASEWORKER'], 'JOB_PLACEMENT');
    for (const body of [{}, { personIds: inLindenau.id }, { personIds: [1, 2] }, null]) {
      const lean = await viaLookup(headers, body);
      assert.deepEqual([lean.status, lean.code], [400, 'BAD_USER_INPUT'], JSON.stringify(body));
    }
    const tooMany = Array.from({ length: 101 }, () => inLindenau.id);
    const [graphql, lean] = [await viaGraphQL(headers, tooMany), await viaLookup(headers, { personIds: tooMany })];
    assert.deepEqual([lean.status, lean.code], [400, 'BAD_USER_INPUT']);
    assert.equal(graphql.code, 'BAD_USER_INPUT');
    const notJson = await fetch(lookupUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: '{"personIds": [',
    });
    assert.equal(notJson.status, 400);
    const odd = await viaLookup(headers, { personIds: ["' OR true --", inLindenau.id.toUpperCase()] });
    assert.deepEqual(odd.registrations, [{ id: inLindenau.id, assignedToCaller: false }]);
    assert.equal((await fetch(lookupUrl, { headers })).status, 404, 'GET');
  });

  it("lets a writer's check use the lookup, asks GraphQL for the date of birth, and fails closed", async () => {
    const caller: Caller = {
      officer: 'j.meyer',
      agency: { id: 'jobcenter', kind: 'jobcenter' },
      role: 'CASEWORKER',
      roles: ['CASEWORKER'],
      purpose: 'JOB_PLACEMENT',
      requestId: randomUUID(),
    };
    const authorization = `Bearer ${await tokenFor('jobcenter')}`;
    const found = await createHttpRegistryLookup(county.url)(caller, authorization, asked);
    assert.deepEqual([...found.keys()].sort(), [inLindenau.id, elsewhere.id].sort());
    await assert.rejects(createHttpRegistryLookup(county.url)(caller, 'Bearer nonsense', asked), /HTTP 401/);

    // Which path each check takes, seen by a stand-in county that answers both and notes the path.
    const paths: string[] = [];
    let answer: { status: number; body: string } = { status: 200, body: '' };
    const fake = await listen(async (req, res) => {
      paths.push(req.url ?? '');
      res.statusCode = answer.status;
      res.end(answer.body);
    }, 0);
    try {
      const lookup = createHttpRegistryLookup(fake.url);
      answer = {
        status: 200,
        body: JSON.stringify({ registrations: [{ id: inLindenau.id, assignedToCaller: true }] }),
      };
      assert.deepEqual([...(await lookup(caller, authorization, [inLindenau.id])).keys()], [inLindenau.id]);
      answer = {
        status: 200,
        body: JSON.stringify({
          data: { registrations: [{ id: inLindenau.id, assignedToCaller: false, dateOfBirth: null }] },
        }),
      };
      await lookup(caller, authorization, [inLindenau.id], { withDateOfBirth: true });
      assert.deepEqual(paths, ['/lookup/registrations', '/graphql']);
      // A county that refuses, errs, or answers something else: the write is refused, nothing assumed.
      for (const [status, body, message] of [
        [503, '{"errors":[{"message":"down"}]}', /HTTP 503/],
        [200, '{"registrations":"all"}', /HTTP 200/],
        [200, 'not json', /./],
      ] as const) {
        answer = { status, body };
        await assert.rejects(lookup(caller, authorization, [inLindenau.id]), message, body);
      }
    } finally {
      await fake.close();
    }
  });
});
