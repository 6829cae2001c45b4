import 'reflect-metadata';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { ACCESS_REQUEST, type Category } from '../common/domain.js';
import type { ConsentGrant } from '../common/policy/policy.js';
import { demoPersons } from '../seed/world.js';
import { socialcareSubgraph } from '../subgraphs/socialcare/socialcare.subgraph.js';
import { startSubgraph, type RunningSubgraph } from './support/subgraph.js';
import { tokenFor } from './support/tokens.js';

/**
 * The subgraphs' lean path for plain queries (common/subgraph/lean-path.ts) against Apollo's own, on a real
 * subgraph and database: each request is sent twice, once as the lean path takes it and once with a query
 * string, which Apollo ignores for a POST and which sends the request to Apollo. Both answers must be the
 * same bytes (status, headers but the date, body) and leave the same disclosure records.
 */
const SEED = 12;
const persons = demoPersons(SEED, 0, 200);
const counselled = persons.filter((p) => p.organisationId !== null);

const CASE_QUERY = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id
  socialCare { since caseworker { name organisation } organisation { id name } openNeeds { field description } }
  specialNeeds { kind description } } } }`;

interface Answer {
  status: number;
  headers: [string, string][];
  body: string;
}

/** A record as both paths must write it: everything but where it sits in the chain, when, and its request id. */
interface RecordShape {
  person_id: string;
  officer: string;
  agency: string;
  purpose: string;
  operation: string | null;
  kind: string;
  released: unknown;
  refused: unknown;
  basis: unknown;
}

describe('lean path of a subgraph: _entities and root-field queries', () => {
  let socialcare: RunningSubgraph;
  let grants: ConsentGrant[] = [];
  let caritas: string;
  let county: string;
  let officer: string;
  let jobcenter: string;
  let analyst: string;

  const pathCount = async (path: 'lean' | 'apollo') =>
    (await socialcare.metrics.leanPath.get()).values.find((v) => v.labels.path === path)?.value ?? 0;

  /** Sends one request as given; `apollo` adds a query string, which only the lean path looks at. */
  const send = async (options: {
    apollo: boolean;
    token?: string;
    purpose?: string;
    body: unknown;
    requestId: string;
  }): Promise<Answer> => {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-request-id': options.requestId };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.purpose) headers['x-purpose'] = options.purpose;
    const response = await fetch(options.apollo ? `${socialcare.url}?path=apollo` : socialcare.url, {
      method: 'POST',
      headers,
      body: JSON.stringify(options.body),
    });
    const body = await response.text();
    return {
      status: response.status,
      headers: [...response.headers.entries()].filter(([name]) => name !== 'date'),
      body,
    };
  };

  const records = async (requestId: string): Promise<RecordShape[]> =>
    socialcare.db.query(
      `SELECT person_id, officer, agency, purpose, operation, kind, released, refused, basis
         FROM disclosure_log WHERE request_id = $1 ORDER BY person_id`,
      [requestId],
    );

  /**
   * Sends the request through Apollo, then as the lean path would take it; asserts the same bytes and
   * records, and which path served the second (`neither`: refused before either, by the limits). Returns
   * the lean answer.
   */
  const compare = async (
    options: { token?: string; purpose?: string; body: unknown },
    expected: 'lean' | 'apollo' | 'neither',
  ): Promise<{ answer: Answer; records: RecordShape[] }> => {
    const apolloId = randomUUID();
    const leanId = randomUUID();
    const viaApollo = await send({ ...options, apollo: true, requestId: apolloId });
    const [lean, apollo] = [await pathCount('lean'), await pathCount('apollo')];
    const viaLean = await send({ ...options, apollo: false, requestId: leanId });
    assert.equal(await pathCount('lean'), lean + (expected === 'lean' ? 1 : 0), 'requests served by the lean path');
    assert.equal(await pathCount('apollo'), apollo + (expected === 'apollo' ? 1 : 0), 'requests handed to Apollo');
    assert.equal(viaLean.body, viaApollo.body);
    assert.equal(viaLean.status, viaApollo.status);
    assert.deepEqual(viaLean.headers, viaApollo.headers);
    const [leanRecords, apolloRecords] = [await records(leanId), await records(apolloId)];
    assert.deepEqual(leanRecords, apolloRecords);
    return { answer: viaLean, records: leanRecords };
  };

  const representations = (ids: string[]) => ({ r: ids.map((id) => ({ __typename: 'Person', id })) });
  const caseFetch = (ids: string[]) => ({ query: CASE_QUERY, variables: representations(ids) });
  const codesOf = (answer: Answer) =>
    ((JSON.parse(answer.body) as { errors?: { extensions: { code: string } }[] }).errors ?? []).map(
      (e) => e.extensions.code,
    );

  const grant = (personId: string, categories: Category[]): ConsentGrant => ({
    id: randomUUID(),
    version: 1,
    personId,
    recipients: ['jobcenter'],
    purposes: ['JOB_PLACEMENT'],
    categories,
    validFrom: '2026-01-01',
    validUntil: null,
    withdrawnAt: null,
    voidedAt: null,
  });

  beforeAll(async () => {
    socialcare = await startSubgraph(socialcareSubgraph, {
      seed: { persons, seed: SEED },
      consentLookup: async (_caller, _authorization, ids) => grants.filter((g) => ids.includes(g.personId)),
    });
    [caritas, county, officer, jobcenter, analyst] = await Promise.all([
      tokenFor('socialcare:caritas'),
      tokenFor('county'),
      tokenFor('county', ['CONSENT_OFFICER']),
      tokenFor('jobcenter'),
      tokenFor('socialcare:caritas', ['ANALYST']),
    ]);
    // Apollo validates each document once, as the gateway's first fetch of it; from then on the lean path knows it.
    await send({
      apollo: true,
      token: caritas,
      purpose: 'SOCIAL_COUNSELLING',
      body: caseFetch([]),
      requestId: randomUUID(),
    });
  });

  afterAll(async () => {
    await socialcare?.stop();
  });

  it('releases the same fields with the same records, and counts the lean path', async () => {
    const own = counselled.filter((p) => p.organisationId === 'caritas').slice(0, 3);
    const { answer, records } = await compare(
      { token: caritas, purpose: 'SOCIAL_COUNSELLING', body: caseFetch(own.map((p) => p.id)) },
      'lean',
    );
    assert.equal(answer.status, 200);
    assert.ok(records.length === own.length && records.every((r) => (r.released as unknown[]).length > 0));
    // With consent: the jobcenter sees what the consent names, nothing else.
    grants = own.map((p) => grant(p.id, ['SOCIAL_CARE']));
    const consented = await compare(
      { token: jobcenter, purpose: 'JOB_PLACEMENT', body: caseFetch(own.map((p) => p.id)) },
      'lean',
    );
    assert.ok(consented.records.some((r) => (r.released as unknown[]).length > 0));
    grants = [];
  });

  it('refuses the same fields with the same codes and records: CONSENT_REQUIRED and FORBIDDEN', async () => {
    const ids = counselled.slice(0, 4).map((p) => p.id);
    const required = await compare({ token: jobcenter, purpose: 'JOB_PLACEMENT', body: caseFetch(ids) }, 'lean');
    assert.ok(codesOf(required.answer).includes('CONSENT_REQUIRED'));
    assert.ok(required.records.every((r) => (r.refused as unknown[]).length > 0));
    // No consent can name the access request, so HEALTH is forbidden under it.
    const forbidden = await compare({ token: officer, purpose: ACCESS_REQUEST, body: caseFetch(ids) }, 'lean');
    assert.ok(codesOf(forbidden.answer).includes('FORBIDDEN'));
    // An entity type the caller's role may not resolve at all: refused per representation.
    const entity = await compare({ token: analyst, purpose: 'MONITORING', body: caseFetch(ids) }, 'lean');
    assert.ok(codesOf(entity.answer).length > 0, entity.answer.body);
    await compare({ token: county, purpose: 'CLEARING', body: caseFetch(ids) }, 'lean');
  });

  it('answers a bad token (401) and a missing purpose (403) as Apollo does, through Apollo', async () => {
    const ids = counselled.slice(0, 2).map((p) => p.id);
    const bad = await compare({ token: 'not-a-token', purpose: 'SOCIAL_COUNSELLING', body: caseFetch(ids) }, 'apollo');
    assert.equal(bad.answer.status, 401);
    assert.deepEqual(codesOf(bad.answer), ['UNAUTHENTICATED']);
    const none = await compare({ body: caseFetch(ids) }, 'apollo');
    assert.equal(none.answer.status, 401);
    const purpose = await compare({ token: caritas, body: caseFetch(ids) }, 'apollo');
    assert.equal(purpose.answer.status, 403);
    assert.deepEqual(codesOf(purpose.answer), ['FORBIDDEN_PURPOSE']);
  });

  it('serves root-field queries alike: a caseload page, aliases, case notes that never leave, a refused role', async () => {
    const CLIENTS = `query Clients($first: Int!) { clients(first: $first) { id socialCare { since caseworker { name } }
      specialNeeds { kind } } }`;
    const page = await compare(
      { token: caritas, purpose: 'SOCIAL_COUNSELLING', body: { query: CLIENTS, variables: { first: 4 } } },
      'lean', // `compare` sends through Apollo first, which validates the document and so teaches it
    );
    assert.ok(page.records.length > 0, page.answer.body);
    const again = await compare(
      { token: caritas, purpose: 'SOCIAL_COUNSELLING', body: { query: CLIENTS, variables: { first: 5 } } },
      'lean',
    );
    assert.equal(again.records.length, 5, again.answer.body);
    assert.ok(again.records.every((r) => (r.released as unknown[]).length > 0));
    // Two root fields under aliases, in one document.
    const ALIASED = `query { mine: clients(first: 2) { id } organisations: welfareOrganisations { id name } }`;
    const aliased = await compare({ token: caritas, purpose: 'SOCIAL_COUNSELLING', body: { query: ALIASED } }, 'lean');
    assert.match(aliased.answer.body, /"mine":\[\{"id":/);
    // The organisation's own notes: served to it, refused to anyone else, on either path alike.
    const NOTES = `query Notes($id: ID!) { caseNotes(personId: $id) { id text } }`;
    const [person] = counselled.filter((p) => p.organisationId === 'caritas');
    const notes = { query: NOTES, variables: { id: person.id } };
    const own = await compare({ token: caritas, purpose: 'SOCIAL_COUNSELLING', body: notes }, 'lean');
    assert.equal(own.answer.status, 200, own.answer.body);
    // Another agency, and a role that may not call it at all: the operation guard refuses both before
    // anything runs, and hands them to Apollo, whose refusal is the answer.
    for (const [token, purpose] of [
      [jobcenter, 'JOB_PLACEMENT'],
      [analyst, 'MONITORING'],
    ]) {
      const refused = await compare({ token, purpose, body: notes }, 'apollo');
      assert.deepEqual(codesOf(refused.answer), ['FORBIDDEN'], refused.answer.body);
      assert.doesNotMatch(refused.answer.body, /"text"/);
    }
  });

  it('leaves mutations, directives and more than one operation to Apollo', async () => {
    const [person] = counselled.filter((p) => p.organisationId === 'caritas');
    // A mutation Apollo has run once is still never taken: an empty note is refused before anything is written.
    const NOTE = `mutation { addCaseNote(personId: "${person.id}", text: "") { id } }`;
    for (let round = 0; round < 2; round++) {
      const { answer, records } = await compare(
        { token: caritas, purpose: 'SOCIAL_COUNSELLING', body: { query: NOTE } },
        'apollo',
      );
      assert.ok(codesOf(answer).length > 0, answer.body);
      assert.deepEqual(records, []);
    }
    const DIRECTIVE = `query { clients(first: 1) @include(if: true) { id } }`;
    const TWO = `query A { welfareOrganisations { id } } query B { clients(first: 1) { id } }`;
    for (const body of [{ query: DIRECTIVE }, { query: TWO, operationName: 'B' }]) {
      await compare({ token: caritas, purpose: 'SOCIAL_COUNSELLING', body }, 'apollo');
      await compare({ token: caritas, purpose: 'SOCIAL_COUNSELLING', body }, 'apollo');
    }
  });

  it('refuses too many aliases or too deep a document with the limit code, before either path', async () => {
    const aliases = Array.from({ length: 31 }, (_, i) => `a${i}: id`).join(' ');
    const wide = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { ${aliases} } } }`;
    const deep = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { socialCare { caseworker { organisation { a { b { c { d { e { f } } } } } } } } } } }`;
    for (const query of [wide, deep]) {
      const { answer } = await compare(
        { token: caritas, purpose: 'SOCIAL_COUNSELLING', body: { query, variables: representations([]) } },
        'neither',
      );
      assert.equal(answer.status, 400);
      assert.deepEqual(codesOf(answer), ['QUERY_TOO_COMPLEX']);
    }
  });

  it('hands variables that do not fit the document to Apollo before anything runs, and answers the rest alike', async () => {
    for (const variables of [{ r: [null] }, { r: null }, {}, [1], 'r', null]) {
      const { answer, records } = await compare(
        { token: caritas, purpose: 'SOCIAL_COUNSELLING', body: { query: CASE_QUERY, variables } },
        'apollo',
      );
      assert.ok(answer.status >= 400, answer.body);
      assert.deepEqual(records, []);
    }
    // Variables that fit the type (a single value is coerced into a list of one) but name no entity of the
    // subgraph: the resolver refuses them, on either path alike.
    for (const variables of [{ r: 'not a list' }, { r: 42 }, { r: [{ id: 'no typename' }] }]) {
      const { answer } = await compare(
        { token: caritas, purpose: 'SOCIAL_COUNSELLING', body: { query: CASE_QUERY, variables } },
        'lean',
      );
      assert.ok(codesOf(answer).length > 0, answer.body);
    }
  });

  it('answers alike when the log append breaks outright: a masked 500, nothing released', async () => {
    const log = socialcare.log!;
    const append = log.append.bind(log);
    log.append = (entries) => {
      if (entries.length) throw new Error('the log broke before it returned a promise');
      return append(entries);
    };
    try {
      const own = counselled.filter((p) => p.organisationId === 'caritas').slice(5, 7);
      const { answer, records } = await compare(
        { token: caritas, purpose: 'SOCIAL_COUNSELLING', body: caseFetch(own.map((p) => p.id)) },
        'lean',
      );
      assert.equal(answer.status, 500);
      assert.deepEqual(codesOf(answer), ['INTERNAL_SERVER_ERROR']);
      assert.doesNotMatch(answer.body, /"data"/);
      assert.deepEqual(records, []);
    } finally {
      log.append = append;
    }
  });

  it('withholds the response alike when the disclosure log cannot be written', async () => {
    const log = socialcare.log!;
    const append = log.append.bind(log);
    log.append = async (entries) => {
      if (entries.length) throw new Error('log unavailable for this test');
      return append(entries);
    };
    try {
      const own = counselled.filter((p) => p.organisationId === 'caritas').slice(3, 5);
      const { answer, records } = await compare(
        { token: caritas, purpose: 'SOCIAL_COUNSELLING', body: caseFetch(own.map((p) => p.id)) },
        'lean',
      );
      assert.deepEqual(codesOf(answer), ['DISCLOSURE_LOG_UNAVAILABLE']);
      assert.match(answer.body, /"data":null/);
      assert.deepEqual(records, []);
    } finally {
      log.append = append;
    }
  });
});
