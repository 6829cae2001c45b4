/**
 * Signed consent grants (issue #27): the gateway asks the consent registry once per request and passes its
 * signed statement to every fetch; each data subgraph uses it only when it verifies for that request, and
 * otherwise asks the registry itself. Tried as the gateway would use it, and as an insider or partner
 * application would misuse it straight at a subgraph: another request, another token, an expired statement,
 * another key, a changed payload, a statement about someone else.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { ephemeralKeyRing } from '../../common/audit/log/log-keys.js';
import {
  GRANT_HEADER,
  GRANT_LIFETIME_MS,
  MAX_SIGNED_PERSONS,
  signGrants,
} from '../../common/audit/proofs/signed-grants.js';
import { parseAgency, type Caller } from '../../common/domain.js';
import { demoPersons } from '../../seed/world.js';
import { PERSON_VIEW } from '../../bench/queries.js';
import { codes, post, type GraphQLResponse } from '../support/graphql.js';
import { startHub, type RunningHub } from '../support/hub.js';
import { tokenFor } from '../support/tokens.js';

const SEED = 11;
const grantKeys = ephemeralKeyRing();
const HOUSING = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { housing { type } } } }`;

describe('signed consent grants', () => {
  let hub: RunningHub;
  let caseworker: string;
  let colleague: string;
  let officer: string;
  /** Housed persons: `consented` gave the jobcenter HOUSING for JOB_PLACEMENT, `other` did not. */
  let consented: string;
  let other: string;

  const registryStatements = () => hub.subgraphs.consent.statements.count;
  const used = async (name: 'county' | 'municipality' | 'jobcenter' | 'socialcare', outcome = 'used') =>
    (await hub.subgraphs[name].metrics.grantStatements.get()).values.find((v) => v.labels.outcome === outcome)?.value ??
    0;
  const view = (id: string, headers?: Record<string, string>) =>
    post<{ person: { housing: { type: string } | null } | null }>(hub.gatewayUrl, {
      token: caseworker,
      purpose: 'JOB_PLACEMENT',
      query: PERSON_VIEW,
      variables: { id },
      headers,
    });
  /** The jobcenter caseworker straight at the municipality, as a partner application could call it. */
  const housingAtMunicipality = (id: string, headers: Record<string, string>, token = caseworker) =>
    post<{ _entities: ({ housing: { type: string } | null } | null)[] }>(hub.subgraphs.municipality.url, {
      token,
      purpose: 'JOB_PLACEMENT',
      query: HOUSING,
      variables: { r: [{ __typename: 'Person', id }] },
      headers,
    });
  /** A statement as the registry would sign it for the caseworker's request `requestId`. */
  const statement = (
    requestId: string,
    personIds: string[],
    categories: string[],
    options: { token?: string; now?: number; keys?: typeof grantKeys } = {},
  ) => {
    const caller = { requestId, agency: parseAgency('jobcenter')!, purpose: 'JOB_PLACEMENT' } as Caller;
    const grants = personIds.map((personId) => ({
      id: randomUUID(),
      version: 1,
      personId,
      categories,
      validFrom: '2026-01-01',
      validUntil: null,
      withdrawnAt: null,
    }));
    return signGrants(
      options.keys ?? grantKeys,
      caller,
      `Bearer ${options.token ?? caseworker}`,
      personIds,
      grants,
      options.now,
    );
  };

  beforeAll(async () => {
    hub = await startHub({ persons: demoPersons(SEED, 0, 40), seed: SEED, grantKeys });
    caseworker = await tokenFor('jobcenter');
    colleague = await tokenFor('jobcenter', ['CASEWORKER'], 'another.caseworker');
    officer = await tokenFor('county', ['CONSENT_OFFICER']);
    // Two persons the municipality houses and no seeded consent lets the jobcenter see housed.
    const seeded = await hub.subgraphs.consent.db.query<{ person_id: string }[]>(
      `SELECT person_id FROM consent WHERE 'jobcenter' = ANY(recipients) AND 'JOB_PLACEMENT' = ANY(purposes)
          AND 'HOUSING' = ANY(categories)`,
    );
    const housed = await hub.subgraphs.municipality.db.query<{ person_id: string }[]>(
      'SELECT DISTINCT person_id FROM accommodation WHERE NOT (person_id = ANY($1::uuid[])) ORDER BY person_id LIMIT 2',
      [seeded.map((row) => row.person_id)],
    );
    assert.equal(housed.length, 2, 'two housed persons without consent');
    [consented, other] = housed.map((row) => row.person_id);
    const recorded = await post(hub.gatewayUrl, {
      token: officer,
      purpose: 'CONSENT_MANAGEMENT',
      query: `mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id } }`,
      variables: {
        input: {
          personId: consented,
          recipients: ['jobcenter'],
          purposes: ['JOB_PLACEMENT'],
          categories: ['HOUSING', 'CLEARING_LANGUAGE', 'SOCIAL_CARE'],
          givenAt: new Date(Date.now() - 60_000).toISOString(),
          form: 'WRITTEN',
          evidenceReference: 'file 27',
          noticeVersion: '2026-01',
          noticeLanguage: 'de',
        },
      },
    });
    assert.ok(!recorded.errors, JSON.stringify(recorded.errors));
  });
  afterAll(() => hub.stop());

  it('asks the registry once per person view, and every data subgraph that needs consent uses the statement', async () => {
    await view(consented); // warm: the subgraphs learn the registry's grant key once
    for (const [id, released] of [
      [consented, true],
      [other, false],
    ] as const) {
      const before = {
        registry: registryStatements(),
        municipality: await used('municipality'),
        jobcenter: await used('jobcenter'),
      };
      const response = await view(id);
      assert.equal(registryStatements() - before.registry, 1, `one registry lookup for the view of ${id}`);
      assert.equal((await used('municipality')) - before.municipality, 1, 'the municipality used the statement');
      // The jobcenter's own task answers its fields: it needs no consent, so it does not even check the statement.
      assert.equal((await used('jobcenter')) - before.jobcenter, 0, 'the jobcenter left it unchecked');
      if (released) {
        assert.ok(response.data?.person?.housing?.type, JSON.stringify(response));
      } else {
        assert.equal(response.data?.person?.housing, null);
        assert.ok(codes(response).includes('CONSENT_REQUIRED'), JSON.stringify(response.errors));
      }
    }
  });

  it('is used straight at a subgraph only when it is the registry’s and was made for this request and token', async () => {
    const requestId = randomUUID();
    const released = (response: GraphQLResponse<{ _entities: ({ housing: unknown } | null)[] }>) =>
      response.data?._entities?.[0]?.housing ?? null;

    // Positive control: a statement signed with the registry's key for this request releases what it states,
    // so every refusal below comes from its check, not from the header being ignored.
    const genuine = statement(requestId, [other], ['HOUSING']);
    const before = registryStatements();
    assert.ok(released(await housingAtMunicipality(other, { 'x-request-id': requestId, [GRANT_HEADER]: genuine })));
    assert.equal(registryStatements(), before, 'a verified statement spares the lookup');

    const tampered = (() => {
      const [payload, signature] = genuine.split('.');
      const body = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { grants: { categories: string[] }[] };
      body.grants[0].categories.push('SOCIAL_CARE');
      return `${Buffer.from(JSON.stringify(body)).toString('base64url')}.${signature}`;
    })();
    const refusedCases: [string, Record<string, string>, string | undefined, string][] = [
      ['no statement', { 'x-request-id': randomUUID() }, undefined, 'none'],
      ['another request', { 'x-request-id': randomUUID(), [GRANT_HEADER]: genuine }, undefined, 'other-request'],
      ['another token', { 'x-request-id': requestId, [GRANT_HEADER]: genuine }, colleague, 'other-request'],
      [
        'expired',
        {
          'x-request-id': requestId,
          [GRANT_HEADER]: statement(requestId, [other], ['HOUSING'], { now: Date.now() - GRANT_LIFETIME_MS - 1000 }),
        },
        undefined,
        'expired',
      ],
      [
        'another key',
        {
          'x-request-id': requestId,
          [GRANT_HEADER]: statement(requestId, [other], ['HOUSING'], { keys: ephemeralKeyRing() }),
        },
        undefined,
        'unknown-key',
      ],
      ['a changed payload', { 'x-request-id': requestId, [GRANT_HEADER]: tampered }, undefined, 'bad-signature'],
      ['not a statement', { 'x-request-id': requestId, [GRANT_HEADER]: 'e30.AAAA' }, undefined, 'malformed'],
      [
        'about someone else',
        { 'x-request-id': requestId, [GRANT_HEADER]: statement(requestId, [consented], ['HOUSING']) },
        undefined,
        'used',
      ],
    ];
    for (const [what, headers, token, outcome] of refusedCases) {
      const counted = outcome === 'none' ? 0 : await used('municipality', outcome);
      const asked = registryStatements();
      const response = await housingAtMunicipality(other, headers, token);
      assert.equal(released(response), null, `${what}: nothing released`);
      assert.ok(codes(response).includes('CONSENT_REQUIRED'), `${what}: ${JSON.stringify(response.errors)}`);
      assert.equal(registryStatements() - asked, 1, `${what}: the municipality asked the registry itself`);
      if (outcome !== 'none') assert.equal((await used('municipality', outcome)) - counted, 1, `${what}: counted`);
    }
  });

  it('takes no statement from a client of the gateway', async () => {
    const forged = statement(randomUUID(), [other], ['HOUSING']);
    const response = await view(other, { [GRANT_HEADER]: forged });
    assert.equal(response.data?.person?.housing, null, JSON.stringify(response.data));
    assert.ok(codes(response).includes('CONSENT_REQUIRED'));
  });

  it('signs for a caseworker only, and for a short list only', async () => {
    const ask = (token: string, purpose: string, personIds: string[]) =>
      fetch(new URL('lookup/consentGrants', hub.subgraphs.consent.url), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'x-purpose': purpose, 'content-type': 'application/json' },
        body: JSON.stringify({ personIds, signed: true }),
      });
    const answer = await ask(caseworker, 'JOB_PLACEMENT', [consented]);
    assert.equal(answer.status, 200);
    const body = (await answer.json()) as { grants: { personId: string }[]; statement?: string };
    assert.ok(body.grants.length > 0 && body.grants.every((g) => g.personId === consented), JSON.stringify(body));
    assert.match(body.statement ?? '', /^[\w-]+\.[\w-]+$/);
    assert.equal((await ask(officer, 'CONSENT_MANAGEMENT', [consented])).status, 403);
    const many = Array.from({ length: MAX_SIGNED_PERSONS + 1 }, () => randomUUID());
    const refused = await ask(caseworker, 'JOB_PLACEMENT', many);
    assert.equal(refused.status, 400);
    assert.match(await refused.text(), /BAD_USER_INPUT/);
  });

  it('counts a withdrawal for the next request at once', async () => {
    const [consent] = await hub.subgraphs.consent.db.query<{ id: string; version: number }[]>(
      `SELECT id, version FROM consent WHERE person_id = $1 AND is_current AND 'HOUSING' = ANY(categories)`,
      [consented],
    );
    assert.ok((await view(consented)).data?.person?.housing, 'released before');
    const withdrawn = await post(hub.gatewayUrl, {
      token: officer,
      purpose: 'CONSENT_MANAGEMENT',
      query: `mutation($id: ID!, $v: Int!) { withdrawConsent(input: { id: $id, expectedVersion: $v }) { state } }`,
      variables: { id: consent.id, v: consent.version },
    });
    assert.ok(!withdrawn.errors, JSON.stringify(withdrawn.errors));
    const after = await view(consented);
    assert.equal(after.data?.person?.housing, null);
    assert.ok(codes(after).includes('CONSENT_REQUIRED'));
  });
});
