/**
 * The consent registry's lean lookup (`POST /lookup/consentGrants`), which the data subgraphs ask on every
 * request instead of the GraphQL query `consentGrants`, is held to the same rules: each way of misusing it
 * (no token, a forged one, an agency not of the district, another purpose, role or agency, a purpose borrowed
 * from another role) is refused with the same status and code as the GraphQL path, it tells a caller only
 * about consents naming the caller's agency and purpose, and a data subgraph's lookup fails closed.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { createHttpConsentLookup } from '../../common/access/consent-lookup.js';
import type { Caller } from '../../common/domain.js';
import { listen } from '../../common/http.js';
import { consentSubgraph } from '../../subgraphs/consent/consent.subgraph.js';
import { post } from '../support/graphql.js';
import { startSubgraph, type RunningSubgraph } from '../support/subgraph.js';
import { tokenFor } from '../support/tokens.js';

const personId = randomUUID();
const otherPerson = randomUUID();
const terms = {
  recipients: ['jobcenter'],
  purposes: ['JOB_PLACEMENT'],
  categories: ['CLEARING_LANGUAGE'],
  givenAt: '2026-03-01T10:00:00Z',
  form: 'WRITTEN',
  evidenceReference: 'file 17',
  noticeVersion: '2026-01',
  noticeLanguage: 'uk',
};

interface Answer {
  status: number;
  code: string | undefined;
  grants: { id: string; personId: string }[] | undefined;
}

describe('the consent lookup without GraphQL refuses what the GraphQL query refuses', () => {
  let registry: RunningSubgraph;
  let lookupUrl: string;
  let consentId: string;

  /** The GraphQL path: `consentGrants` straight at the registry. */
  const viaGraphQL = async (
    headers: Record<string, string>,
    ids: unknown = [personId, otherPerson],
  ): Promise<Answer> => {
    const response = await post(registry.url, {
      headers,
      query: `query($ids: [ID!]!) { consentGrants(personIds: $ids) { id personId } }`,
      variables: { ids },
    });
    return {
      status: response.status,
      code: response.errors?.[0]?.extensions?.code,
      grants: response.data?.consentGrants,
    };
  };
  /** The lean path, as `createHttpConsentLookup` asks it. */
  const viaLookup = async (
    headers: Record<string, string>,
    body: unknown = { personIds: [personId, otherPerson] },
  ): Promise<Answer> => {
    const response = await fetch(lookupUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    const parsed = (await response.json()) as {
      grants?: Answer['grants'];
      errors?: { extensions?: { code?: string } }[];
    };
    return { status: response.status, code: parsed.errors?.[0]?.extensions?.code, grants: parsed.grants };
  };
  const as = async (
    agency: string,
    roles: Parameters<typeof tokenFor>[1],
    purpose?: string,
  ): Promise<Record<string, string>> => ({
    authorization: `Bearer ${await tokenFor(agency, roles)}`,
    ...(purpose ? { 'x-purpose': purpose } : {}),
  });

  beforeAll(async () => {
    registry = await startSubgraph(consentSubgraph);
    lookupUrl = registry.url.replace(/\/graphql$/, '/lookup/consentGrants');
    const recorded = await post(registry.url, {
      token: await tokenFor('county', ['CONSENT_OFFICER']),
      purpose: 'CONSENT_MANAGEMENT',
      query: `mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id } }`,
      variables: { input: { ...terms, personId } },
    });
    assert.equal(recorded.errors, undefined, JSON.stringify(recorded.errors));
    consentId = recorded.data!.recordConsent.id;
  });
  afterAll(() => registry.stop());

  it('answers the caller the consent naming its agency and purpose, as the GraphQL query does', async () => {
    const headers = await as('jobcenter', ['CASEWORKER'], 'JOB_PLACEMENT');
    const [graphql, lean] = [await viaGraphQL(headers), await viaLookup(headers)];
    assert.equal(lean.status, 200);
    assert.deepEqual(
      lean.grants?.map((g) => [g.id, g.personId]),
      [[consentId, personId]],
    );
    assert.deepEqual(
      lean.grants?.map((g) => g.id),
      graphql.grants?.map((g) => g.id),
    );
  });

  it('tells another agency, another purpose of the same agency, and another role nothing about that consent', async () => {
    const callers: [string, Parameters<typeof tokenFor>[1], string][] = [
      ['municipality:08999001', ['CASEWORKER'], 'HOUSING_ALLOCATION'],
      ['socialcare:caritas', ['CASEWORKER'], 'SOCIAL_COUNSELLING'],
      ['county', ['CASEWORKER'], 'CLEARING'],
      ['jobcenter', ['CASEWORKER'], 'LANGUAGE_SUPPORT'],
    ];
    for (const [agency, roles, purpose] of callers) {
      const headers = await as(agency, roles, purpose);
      const [graphql, lean] = [await viaGraphQL(headers), await viaLookup(headers)];
      assert.deepEqual(lean, { status: 200, code: undefined, grants: [] }, `${agency} ${purpose}`);
      assert.deepEqual(graphql.grants, [], `${agency} ${purpose} through GraphQL`);
    }
  });

  it('refuses every caller the GraphQL query refuses, with the same status and code', async () => {
    const jobcenter = await tokenFor('jobcenter');
    const forged = jobcenter.replace(/.{8}$/, 'AAAAAAAA');
    const cases: [string, Record<string, string>, number, string][] = [
      ['no token', { 'x-purpose': 'JOB_PLACEMENT' }, 401, 'UNAUTHENTICATED'],
      [
        'not a bearer token',
        { authorization: `Basic ${jobcenter}`, 'x-purpose': 'JOB_PLACEMENT' },
        401,
        'UNAUTHENTICATED',
      ],
      [
        'a forged signature',
        { authorization: `Bearer ${forged}`, 'x-purpose': 'JOB_PLACEMENT' },
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
      [
        'a purpose borrowed from another role',
        await as('jobcenter', ['CASEWORKER'], 'CONSENT_MANAGEMENT'),
        403,
        'FORBIDDEN_PURPOSE',
      ],
      ['a consent officer', await as('county', ['CONSENT_OFFICER'], 'CONSENT_MANAGEMENT'), 403, 'FORBIDDEN'],
      ['an analyst', await as('county', ['ANALYST'], 'MONITORING'), 403, 'FORBIDDEN'],
      [
        'a token of every role acting as analyst',
        await as('jobcenter', ['CASEWORKER', 'ANALYST', 'CONSENT_OFFICER'], 'MONITORING'),
        403,
        'FORBIDDEN',
      ],
    ];
    for (const [what, headers, status, code] of cases) {
      const [graphql, lean] = [await viaGraphQL(headers), await viaLookup(headers)];
      assert.deepEqual({ status: graphql.status, code: graphql.code }, { status, code }, `${what} through GraphQL`);
      assert.deepEqual(lean, { status, code, grants: undefined }, `${what} through the lookup`);
    }
  });

  it('refuses a malformed lookup with BAD_USER_INPUT, and matches nothing for ids that are not UUIDs', async () => {
    const headers = await as('jobcenter', ['CASEWORKER'], 'JOB_PLACEMENT');
    for (const body of [
      {},
      { personIds: personId },
      { personIds: [1, 2] },
      { personIds: Array.from({ length: 1001 }, () => personId) },
      null,
    ]) {
      const lean = await viaLookup(headers, body);
      assert.deepEqual([lean.status, lean.code], [400, 'BAD_USER_INPUT'], JSON.stringify(body).slice(0, 60));
    }
    const notJson = await fetch(lookupUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: '{"personIds": [',
    });
    assert.equal(notJson.status, 400);
    assert.deepEqual(
      (await viaLookup(headers, { personIds: ["' OR true --", personId.toUpperCase()] })).grants?.map((g) => g.id),
      [consentId],
    );
    const get = await fetch(lookupUrl, { headers });
    assert.equal(get.status, 404);
    const unknown = await fetch(lookupUrl.replace(/consentGrants$/, 'consent'), {
      method: 'POST',
      headers,
      body: '{}',
    });
    assert.equal(unknown.status, 404);
  });

  it('stops telling once the consent is withdrawn', async () => {
    const withdrawn = await post(registry.url, {
      token: await tokenFor('county', ['CONSENT_OFFICER']),
      purpose: 'CONSENT_MANAGEMENT',
      query: `mutation($input: WithdrawConsentInput!) { withdrawConsent(input: $input) { state } }`,
      variables: { input: { id: consentId, expectedVersion: 1, reason: 'asked in person' } },
    });
    assert.equal(withdrawn.errors, undefined, JSON.stringify(withdrawn.errors));
    const lean = await viaLookup(await as('jobcenter', ['CASEWORKER'], 'JOB_PLACEMENT'));
    assert.deepEqual(lean.grants, []);
  });

  it("fails a data subgraph's lookup (so consent-based fields are refused) when the registry cannot answer as it should", async () => {
    const caller: Caller = {
      officer: 'j.meyer',
      agency: { id: 'jobcenter', kind: 'jobcenter' },
      role: 'CASEWORKER',
      roles: ['CASEWORKER'],
      purpose: 'JOB_PLACEMENT',
      requestId: randomUUID(),
    };
    const authorization = `Bearer ${await tokenFor('jobcenter')}`;
    const working = createHttpConsentLookup(registry.url);
    assert.deepEqual(await working(caller, authorization, [personId]), []);
    // A registry that refuses the caller, answers with an error, garbage, or not at all.
    await assert.rejects(createHttpConsentLookup(registry.url)(caller, 'Bearer nonsense', [personId]), /HTTP 401/);
    const fake = await listen(async (req, res) => {
      if (req.url?.includes('garbage')) return void res.end('{"grants": "all"}');
      if (req.url?.includes('error')) return void ((res.statusCode = 500), res.end('{}'));
      // Too late for the caller's 200 ms; once the caller has gone (or the server closes) the wait ends, so no
      // timer outlives the test and keeps jest's worker from exiting.
      await new Promise<void>((resolve) => {
        const late = setTimeout(resolve, 2000);
        res.once('close', () => {
          clearTimeout(late);
          resolve();
        });
      });
      if (!res.destroyed) res.end('{"grants": []}');
    }, 0);
    try {
      await assert.rejects(
        createHttpConsentLookup(fake.url.replace('/graphql', '/garbage/graphql'))(caller, authorization, [personId]),
        /without grants/,
      );
      await assert.rejects(
        createHttpConsentLookup(fake.url.replace('/graphql', '/error/graphql'))(caller, authorization, [personId]),
        /HTTP 500/,
      );
      await assert.rejects(createHttpConsentLookup(fake.url, 200)(caller, authorization, [personId]));
    } finally {
      await fake.close();
    }
  });
});
