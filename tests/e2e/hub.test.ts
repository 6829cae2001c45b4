import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { SignJWT, generateKeyPair } from 'jose';
import { localDateOf } from '../../common/district-time.js';
import { demoPersons } from '../../seed/world.js';
import { codes, post, type GraphQLResponse } from '../support/graphql.js';
import { startHub, type RunningHub } from '../support/hub.js';
import { PERSON_VIEW, languageConsentInput } from '../support/queries.js';
import { TEST_ISSUER, testKey, tokenFor } from '../support/tokens.js';

const SEED = 3;
const persons = demoPersons(SEED, 0, 40);

function errorFor(response: GraphQLResponse, field: string) {
  return response.errors?.find((e) => e.extensions?.field === field);
}

describe('the hub end to end', () => {
  let hub: RunningHub;
  let personId: string;
  let jobcenter: string;
  let officer: string;

  beforeAll(async () => {
    hub = await startHub({ persons, seed: SEED, unseeded: ['consent'] });
    const rows = await hub.subgraphs.county.db.query<{ person_id: string }[]>(
      'SELECT person_id FROM language_skill ORDER BY person_id LIMIT 1',
    );
    personId = rows[0].person_id;
    jobcenter = await tokenFor('jobcenter', ['CASEWORKER'], 'j.meyer');
    officer = await tokenFor('county', ['CONSENT_OFFICER'], 'a.schulz');
  });
  afterAll(() => hub.stop());

  const view = (token = jobcenter, purpose = 'JOB_PLACEMENT', url = hub.gatewayUrl) =>
    post(url, { token, purpose, query: PERSON_VIEW, variables: { id: personId } });

  async function recordConsent(terms: Record<string, unknown> = {}): Promise<string> {
    const response = await post(hub.gatewayUrl, {
      token: officer,
      purpose: 'CONSENT_MANAGEMENT',
      query: `mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id version state } }`,
      variables: {
        input: languageConsentInput(personId, terms),
      },
    });
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    assert.equal(response.data!.recordConsent.state, 'GIVEN');
    return response.data!.recordConsent.id;
  }

  it('answers the person view from all four data subgraphs, refusing what no basis covers', async () => {
    const response = await view();
    const person = response.data!.person;
    assert.ok(person.givenName, 'identity by statute');
    assert.ok(person.residence.status, 'residence by statute');
    // The jobcenter's own field, by own task: exactly its latest recorded status (or none recorded).
    const [latest] = await hub.subgraphs.jobcenter.db.query<{ status: string }[]>(
      `SELECT status FROM employment_status WHERE person_id = $1 ORDER BY since DESC, recorded_at DESC, id ASC LIMIT 1`,
      [personId],
    );
    assert.equal(person.employment?.status ?? null, latest?.status ?? null, 'jobcenter fields by own task');
    for (const field of ['Person.givenName', 'Person.residence', 'Person.employment', 'Person.integrationCourse']) {
      assert.equal(errorFor(response, field), undefined, `${field} is released`);
    }
    assert.equal(person.clearing.languages, null);
    assert.equal(person.housing, null);
    assert.equal(person.socialCare, null);
    const housing = errorFor(response, 'Person.housing')!;
    assert.equal(housing.extensions!.code, 'CONSENT_REQUIRED');
    assert.equal(housing.extensions!.category, 'HOUSING');
    assert.equal(housing.extensions!.personId, personId);
    assert.deepEqual(housing.path, ['person', 'housing']);
    assert.equal(errorFor(response, 'ClearingProfile.languages')!.extensions!.code, 'CONSENT_REQUIRED');
    assert.equal(errorFor(response, 'ClearingProfile.languages')!.extensions!.category, 'CLEARING_LANGUAGE');
  });

  it('releases language skills on consent and refuses them on the very next request after withdrawal', async () => {
    const consentId = await recordConsent();
    const granted = await view();
    assert.ok(
      Array.isArray(granted.data!.person.clearing.languages) && granted.data!.person.clearing.languages.length > 0,
    );
    assert.equal(errorFor(granted, 'ClearingProfile.languages'), undefined);
    assert.equal(granted.data!.person.housing, null, 'the consent covers language skills only');

    const withdrawn = await post(hub.gatewayUrl, {
      token: officer,
      purpose: 'CONSENT_MANAGEMENT',
      query: `mutation($id: ID!) { withdrawConsent(input: { id: $id, expectedVersion: 1, reason: "asked in person" }) { state version versions { version state } } }`,
      variables: { id: consentId },
    });
    assert.equal(withdrawn.data!.withdrawConsent.state, 'WITHDRAWN');
    assert.deepEqual(
      withdrawn.data!.withdrawConsent.versions.map((v: { version: number }) => v.version),
      [1, 2],
    );
    const refused = await view();
    assert.equal(refused.data!.person.clearing.languages, null);
    assert.equal(errorFor(refused, 'ClearingProfile.languages')!.extensions!.code, 'CONSENT_REQUIRED');
  });

  it('stops releasing when a consent expires', async () => {
    // Validity is a pair of days in the district's zone (Europe/Berlin): in force through the end of its last day.
    const day = (daysAgo: number) => localDateOf(new Date(Date.now() - daysAgo * 86_400_000), 'Europe/Berlin');
    const givenAt = new Date(Date.now() - 3 * 86_400_000).toISOString();
    const id = await recordConsent({ givenAt, validUntil: day(0) });
    assert.ok((await view()).data!.person.clearing.languages);
    const ended = await post(hub.gatewayUrl, {
      token: officer,
      purpose: 'CONSENT_MANAGEMENT',
      query: `mutation($id: ID!, $terms: ConsentTermsInput!) { changeConsent(id: $id, expectedVersion: 1, terms: $terms) { state } }`,
      variables: {
        id,
        terms: (({ personId: _p, ...t }) => t)(languageConsentInput(personId, { givenAt, validUntil: day(1) })),
      },
    });
    assert.equal(ended.data?.changeConsent.state, 'EXPIRED', JSON.stringify(ended.errors));
    assert.equal((await view()).data!.person.clearing.languages, null);
  });

  it('decides exactly the same when a subgraph is asked directly, without the gateway', async () => {
    const consentId = await recordConsent();
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { givenName clearing { languages { language } schooling { years } } } } }`;
    const direct = await post(hub.subgraphs.county.url, {
      token: jobcenter,
      purpose: 'JOB_PLACEMENT',
      query,
      variables: { r: [{ __typename: 'Person', id: personId }] },
    });
    const entity = direct.data!._entities[0];
    assert.ok(entity.givenName);
    assert.ok(entity.clearing.languages.length > 0);
    assert.equal(entity.clearing.schooling, null);
    assert.equal(errorFor(direct, 'ClearingProfile.schooling')!.extensions!.code, 'CONSENT_REQUIRED');
    const viaGateway = await view();
    assert.ok(viaGateway.data!.person.clearing.languages.length > 0);
    const anonymous = await post(hub.subgraphs.county.url, {
      purpose: 'JOB_PLACEMENT',
      query,
      variables: { r: [{ __typename: 'Person', id: personId }] },
    });
    assert.equal(anonymous.status, 401);
    assert.deepEqual(codes(anonymous), ['UNAUTHENTICATED']);
    await post(hub.gatewayUrl, {
      token: officer,
      purpose: 'CONSENT_MANAGEMENT',
      query: `mutation($id: ID!) { withdrawConsent(input: { id: $id, expectedVersion: 1 }) { state } }`,
      variables: { id: consentId },
    });
  });

  it('refuses bad tokens and purposes at the gateway before any subgraph is asked', async () => {
    const key = await testKey();
    const foreign = await generateKeyPair('EdDSA');
    const sign = (claims: Record<string, unknown>, signer = key.privateKey, exp: string | number = '1h') =>
      new SignJWT({ agency: 'jobcenter', roles: ['CASEWORKER'], ...claims })
        .setProtectedHeader({ alg: 'EdDSA' })
        .setSubject('x')
        .setIssuer(TEST_ISSUER)
        .setAudience('verbund')
        .setExpirationTime(exp)
        .sign(signer);
    const cases: [string, string | undefined, string | undefined, number, string][] = [
      ['missing token', undefined, 'JOB_PLACEMENT', 401, 'UNAUTHENTICATED'],
      ['forged token', await sign({}, foreign.privateKey), 'JOB_PLACEMENT', 401, 'UNAUTHENTICATED'],
      [
        'expired token',
        await sign({}, key.privateKey, Math.floor(Date.now() / 1000) - 60),
        'JOB_PLACEMENT',
        401,
        'UNAUTHENTICATED',
      ],
      [
        'wrong audience',
        await new SignJWT({ agency: 'jobcenter', roles: ['CASEWORKER'] })
          .setProtectedHeader({ alg: 'EdDSA' })
          .setSubject('x')
          .setIssuer(TEST_ISSUER)
          .setAudience('elsewhere')
          .setExpirationTime('1h')
          .sign(key.privateKey),
        'JOB_PLACEMENT',
        401,
        'UNAUTHENTICATED',
      ],
      ['unknown agency', await sign({ agency: 'police' }), 'JOB_PLACEMENT', 401, 'UNAUTHENTICATED'],
      ['garbage', 'not-a-jwt', 'JOB_PLACEMENT', 401, 'UNAUTHENTICATED'],
      ['missing purpose', jobcenter, undefined, 403, 'FORBIDDEN_PURPOSE'],
      ['purpose of another agency', jobcenter, 'RESIDENCE_PROCEDURE', 403, 'FORBIDDEN_PURPOSE'],
      ['unknown purpose', jobcenter, 'CURIOSITY', 403, 'FORBIDDEN_PURPOSE'],
    ];
    const before = Object.values(hub.subgraphs).map((s) => s.statements.count);
    for (const [name, token, purpose, status, code] of cases) {
      const response = await post(hub.gatewayUrl, { token, purpose, query: PERSON_VIEW, variables: { id: personId } });
      assert.equal(response.status, status, name);
      assert.deepEqual(codes(response), [code], name);
      assert.equal(response.data, undefined, name);
    }
    assert.deepEqual(
      Object.values(hub.subgraphs).map((s) => s.statements.count),
      before,
      'no subgraph touched its database',
    );
  });

  it('refuses consent-based fields when the registry is down, and still answers own task and statute', async () => {
    await recordConsent();
    await hub.stopSubgraph('consent');
    const response = await view();
    const person = response.data!.person;
    assert.ok(person.givenName, 'statute still answers');
    assert.equal(person.clearing.languages, null);
    assert.equal(errorFor(response, 'ClearingProfile.languages')!.extensions!.code, 'CONSENT_UNAVAILABLE');
  });

  it('answers with the other subgraphs when one is down, naming the missing one', async () => {
    await hub.stopSubgraph('municipality');
    const response = await view();
    assert.ok(response.data!.person.givenName);
    assert.equal(response.data!.person.housing, null);
    const failure = response.errors!.find((e) => JSON.stringify(e).includes('municipality'));
    assert.ok(failure, JSON.stringify(response.errors));
  });
});
