import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { consentSubgraph } from '../subgraphs/consent/consent.subgraph.js';
import { codes, post } from './support/graphql.js';
import { startSubgraph, type RunningSubgraph } from './support/subgraph.js';
import { tokenFor } from './support/tokens.js';

const personId = '7d1f2c3a-1111-4222-8333-444455556666';
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

describe('consent registry', () => {
  let registry: RunningSubgraph;
  let officer: string;
  beforeAll(async () => {
    registry = await startSubgraph(consentSubgraph);
    officer = await tokenFor('county', ['CONSENT_OFFICER'], 'a.schulz');
  });
  afterAll(() => registry.stop());

  const record = (token: string, input: Record<string, unknown>, purpose = 'CONSENT_MANAGEMENT') =>
    post(registry.url, {
      token,
      purpose,
      query: `mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id version state recordedBy { officer agency } } }`,
      variables: { input },
    });
  const rowCount = async () =>
    (await registry.db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM consent'))[0].n;

  it('records a consent with who recorded it', async () => {
    const response = await record(officer, { ...terms, personId });
    assert.equal(response.errors, undefined);
    assert.deepEqual(response.data!.recordConsent.recordedBy, { officer: 'a.schulz', agency: 'county' });
    assert.equal(response.data!.recordConsent.version, 1);
  });

  it('refuses bad terms with a problem per field and stores nothing', async () => {
    const before = await rowCount();
    const response = await record(officer, {
      ...terms,
      personId,
      recipients: ['police'],
      noticeLanguage: 'Ukrainian',
      validUntil: '2026-01-01',
    });
    assert.deepEqual(codes(response), ['BAD_USER_INPUT']);
    const fields = response.errors![0].extensions!.problems.map((p: { field: string }) => p.field);
    assert.ok(fields.includes('recipients') && fields.includes('noticeLanguage'), JSON.stringify(fields));
    const late = await record(officer, { ...terms, personId, validUntil: '2026-01-01' });
    assert.deepEqual(late.errors![0].extensions!.problems, [
      { field: 'validUntil', message: 'must be after validFrom' },
    ]);
    assert.equal(await rowCount(), before);
  });

  it('lets only consent officers, for consent management, write consents', async () => {
    const before = await rowCount();
    assert.deepEqual(codes(await record(await tokenFor('jobcenter'), { ...terms, personId }, 'JOB_PLACEMENT')), [
      'FORBIDDEN',
    ]);
    // A purpose of another role is refused before anything runs: CLEARING belongs to caseworkers.
    assert.deepEqual(codes(await record(officer, { ...terms, personId }, 'CLEARING')), ['FORBIDDEN_PURPOSE']);
    assert.equal(await rowCount(), before);
  });

  it('keeps old versions when terms change, and only the current one decides', async () => {
    const id = (await record(officer, { ...terms, personId })).data!.recordConsent.id;
    const changed = await post(registry.url, {
      token: officer,
      purpose: 'CONSENT_MANAGEMENT',
      query: `mutation($id: ID!, $terms: ConsentTermsInput!) { changeConsent(id: $id, expectedVersion: 1, terms: $terms) { version categories versions { version categories } } }`,
      variables: { id, terms: { ...terms, categories: ['CLEARING_LANGUAGE', 'CLEARING_EDUCATION'] } },
    });
    assert.equal(changed.errors, undefined, JSON.stringify(changed.errors));
    assert.equal(changed.data!.changeConsent.version, 2);
    assert.deepEqual(
      changed.data!.changeConsent.versions.map((v: { categories: string[] }) => v.categories.length),
      [1, 2],
    );
    const grants = await post(registry.url, {
      token: await tokenFor('jobcenter'),
      purpose: 'JOB_PLACEMENT',
      query: `query($ids: [ID!]!) { consentGrants(personIds: $ids) { id version } }`,
      variables: { ids: [personId] },
    });
    const versions = grants
      .data!.consentGrants.filter((g: { id: string }) => g.id === id)
      .map((g: { version: number }) => g.version);
    assert.deepEqual(versions, [2]);
  });

  it('answers a lookup only about consents naming the caller and its purpose', async () => {
    const grants = await post(registry.url, {
      token: await tokenFor('municipality:08999001'),
      purpose: 'HOUSING_ALLOCATION',
      query: `query($ids: [ID!]!) { consentGrants(personIds: $ids) { id } }`,
      variables: { ids: [personId] },
    });
    assert.deepEqual(grants.data!.consentGrants, []);
  });
});
