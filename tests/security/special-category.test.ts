/**
 * Classes 1 and 2 of the policy's misuse classes:
 * 1. special-category data under an ordinary label: a record's category depends on its content (a support
 *    need in the field of action HEALTH is HEALTH), so it is gated and logged per item;
 * 2. own task that reaches records someone else holds: a welfare organisation's own task covers its own
 *    records only, never another organisation's about the same person.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { demoPersons } from '../../seed/world.js';
import { codes, post } from '../support/graphql.js';
import { startHub, type RunningHub } from '../support/hub.js';
import { tokenFor } from '../support/tokens.js';
import { lastRecord, ok, recordConsent, registerPerson } from './support.js';

const SEED = 12;
const TRAUMA = 'Referral to trauma therapy';
const HEALTH_NEED = 'SocialCareCase.openNeeds[HEALTH]';
const OTHERS_SPECIAL = 'Person.specialNeeds[other organisations]';

describe('security: special-category data and records other organisations hold', () => {
  let hub: RunningHub;
  let personId: string;
  let caritas: string;
  let diakonie: string;
  let jobcenter: string;

  const caseworkerOf = async (organisation: string) =>
    (
      await hub.subgraphs.socialcare.db.query<{ id: string }[]>(
        `SELECT id FROM caseworker WHERE organisation_id = $1 ORDER BY id LIMIT 1`,
        [organisation],
      )
    )[0].id;

  beforeAll(async () => {
    hub = await startHub({ persons: demoPersons(SEED, 0, 10), seed: SEED });
    caritas = await tokenFor('socialcare:caritas', ['CASEWORKER'], 'c.officer');
    diakonie = await tokenFor('socialcare:diakonie', ['CASEWORKER'], 'd.officer');
    jobcenter = await tokenFor('jobcenter', ['CASEWORKER'], 'j.officer');
    personId = await registerPerson(hub, '08999001');
    const write = (query: string, variables: Record<string, unknown>) =>
      ok(hub.gatewayUrl, caritas, 'SOCIAL_COUNSELLING', query, variables);
    await write(
      `mutation($p: ID!, $c: ID!) { assignCaseworker(personId: $p, caseworkerId: $c, since: "2026-01-05") { since } }`,
      {
        p: personId,
        c: await caseworkerOf('caritas'),
      },
    );
    const need = `mutation($p: ID!, $i: SupportNeedInput!) { openSupportNeed(personId: $p, input: $i) { id } }`;
    await write(need, { p: personId, i: { field: 'HEALTH', description: TRAUMA, openedOn: '2026-01-10' } });
    await write(need, {
      p: personId,
      i: { field: 'LANGUAGE', description: 'Evening language course', openedOn: '2026-01-10' },
    });
    await write(`mutation($p: ID!, $i: SpecialNeedInput!) { recordSpecialNeed(personId: $p, input: $i) { id } }`, {
      p: personId,
      i: { kind: 'TRAUMA', description: 'Caritas: flashbacks', recordedOn: '2026-01-11' },
    });
  });
  afterAll(() => hub.stop());

  const NEEDS = `query($id: ID!) { person(id: $id) { socialCare { openNeeds { field description } } } }`;

  it('leaves a HEALTH support need out for a caller with a SOCIAL_CARE consent only, says so, and logs it as HEALTH refused', async () => {
    await recordConsent(hub, personId, { categories: ['SOCIAL_CARE'] });
    const response = await post(hub.gatewayUrl, {
      token: jobcenter,
      purpose: 'JOB_PLACEMENT',
      query: NEEDS,
      variables: { id: personId },
    });
    assert.deepEqual(
      response.data!.person.socialCare.openNeeds.map((n: { field: string }) => n.field),
      ['LANGUAGE'],
    );
    assert.doesNotMatch(JSON.stringify(response.data), /trauma/i);
    const refusal = response.errors!.find((e) => e.extensions!.field === HEALTH_NEED)!;
    assert.deepEqual(
      [refusal.extensions!.code, refusal.extensions!.category, refusal.extensions!.personId],
      ['CONSENT_REQUIRED', 'HEALTH', personId],
    );
    const record = await lastRecord(hub, 'socialcare', personId);
    assert.deepEqual(record.refused, [{ field: HEALTH_NEED, category: 'HEALTH', reason: 'CONSENT_REQUIRED' }]);
    assert.ok(!record.released.some((f) => f.category === 'HEALTH'), 'nothing of HEALTH is logged as released');
    assert.ok(!record.basis.some((b) => b.category === 'HEALTH'));
  });

  it('withholds it the same way straight at the subgraph, under aliases and through fragments', async () => {
    const queries = [
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { socialCare { openNeeds { field description } } } } }`,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { a: socialCare { n: openNeeds { d: description } } b: socialCare { openNeeds { field } } } } }`,
      `query($r: [_Any!]!) { _entities(representations: $r) { ...P } } fragment P on Person { socialCare { ...C } } fragment C on SocialCareCase { openNeeds { description } }`,
    ];
    for (const query of queries) {
      const response = await post(hub.subgraphs.socialcare.url, {
        token: jobcenter,
        purpose: 'JOB_PLACEMENT',
        query,
        variables: { r: [{ __typename: 'Person', id: personId }] },
      });
      assert.doesNotMatch(JSON.stringify(response.data), /trauma/i, query);
      assert.ok(codes(response).includes('CONSENT_REQUIRED'), query);
    }
  });

  it('gives no statute and no consent for another purpose or recipient a HEALTH basis', async () => {
    // A HEALTH consent for the jobcenter's language support purpose does not cover job placement; one for the county not the jobcenter.
    await recordConsent(hub, personId, { categories: ['SOCIAL_CARE', 'HEALTH'], purposes: ['LANGUAGE_SUPPORT'] });
    await recordConsent(hub, personId, {
      categories: ['SOCIAL_CARE', 'HEALTH'],
      recipients: ['county'],
      purposes: ['CLEARING'],
    });
    const placement = await post(hub.gatewayUrl, {
      token: jobcenter,
      purpose: 'JOB_PLACEMENT',
      query: NEEDS,
      variables: { id: personId },
    });
    assert.doesNotMatch(JSON.stringify(placement.data), /trauma/i);
    // The county, for every purpose of its own, has statutes but none for HEALTH.
    for (const purpose of ['RESIDENCE_PROCEDURE', 'HOUSING_ALLOCATION', 'CASE_CONFERENCE']) {
      const county = await post(hub.gatewayUrl, {
        token: await tokenFor('county'),
        purpose,
        query: NEEDS,
        variables: { id: personId },
      });
      assert.doesNotMatch(JSON.stringify(county.data ?? null), /trauma/i, purpose);
    }
  });

  it('releases the HEALTH need on a consent that names HEALTH, and logs it as HEALTH on that consent', async () => {
    const consentId = await recordConsent(hub, personId, { categories: ['SOCIAL_CARE', 'HEALTH'] });
    const response = await post(hub.gatewayUrl, {
      token: jobcenter,
      purpose: 'JOB_PLACEMENT',
      query: NEEDS,
      variables: { id: personId },
    });
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    assert.ok(
      response.data!.person.socialCare.openNeeds.some((n: { description: string }) => n.description === TRAUMA),
    );
    const record = await lastRecord(hub, 'socialcare', personId);
    assert.deepEqual(
      record.released.find((f) => f.field === HEALTH_NEED),
      { field: HEALTH_NEED, category: 'HEALTH', holders: ['socialcare:caritas'] },
    );
    assert.ok(record.basis.some((b) => b.category === 'HEALTH' && b.basis.startsWith(`CONSENT:${consentId}@`)));
  });

  it("keeps another organisation's special needs and support needs from a welfare organisation that takes the person on", async () => {
    // Caritas' counselling ends (as an administrator closes it); Diakonie takes the person on.
    await hub.subgraphs.socialcare.db.query(
      `UPDATE assignment SET until = '2026-02-01' WHERE person_id = $1 AND until IS NULL`,
      [personId],
    );
    await ok(
      hub.gatewayUrl,
      diakonie,
      'SOCIAL_COUNSELLING',
      `mutation($p: ID!, $c: ID!) { assignCaseworker(personId: $p, caseworkerId: $c, since: "2026-02-02") { since } }`,
      {
        p: personId,
        c: await caseworkerOf('diakonie'),
      },
    );
    await ok(
      hub.gatewayUrl,
      diakonie,
      'SOCIAL_COUNSELLING',
      `mutation($p: ID!, $i: SpecialNeedInput!) { recordSpecialNeed(personId: $p, input: $i) { id } }`,
      {
        p: personId,
        i: { kind: 'PREGNANCY', description: 'Diakonie: midwife found', recordedOn: '2026-02-03' },
      },
    );
    const query = `query($id: ID!) { person(id: $id) { specialNeeds { kind description } socialCare { organisation { id } openNeeds { description } } } }`;
    for (const url of [hub.gatewayUrl, hub.subgraphs.socialcare.url]) {
      const response =
        url === hub.gatewayUrl
          ? await post(url, { token: diakonie, purpose: 'SOCIAL_COUNSELLING', query, variables: { id: personId } })
          : await post(url, {
              token: diakonie,
              purpose: 'SOCIAL_COUNSELLING',
              query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { specialNeeds { kind description } socialCare { organisation { id } openNeeds { description } } } } }`,
              variables: { r: [{ __typename: 'Person', id: personId }] },
            });
      const person = url === hub.gatewayUrl ? response.data!.person : response.data!._entities[0];
      assert.deepEqual(person.specialNeeds, [{ kind: 'PREGNANCY', description: 'Diakonie: midwife found' }], url);
      assert.equal(person.socialCare.organisation.id, 'diakonie');
      assert.deepEqual(person.socialCare.openNeeds, [], "Caritas' open needs are not Diakonie's");
      assert.doesNotMatch(JSON.stringify(response.data), /flashbacks|trauma/i);
      const refusal = response.errors!.find((e) => e.extensions!.field === OTHERS_SPECIAL)!;
      assert.deepEqual([refusal.extensions!.code, refusal.extensions!.category], ['CONSENT_REQUIRED', 'HEALTH']);
    }
    // With the person's consent naming Diakonie and HEALTH, Caritas' record comes too, logged with its holder.
    await recordConsent(hub, personId, {
      recipients: ['socialcare:diakonie'],
      purposes: ['SOCIAL_COUNSELLING'],
      categories: ['HEALTH'],
    });
    const consented = await post(hub.gatewayUrl, {
      token: diakonie,
      purpose: 'SOCIAL_COUNSELLING',
      query,
      variables: { id: personId },
    });
    assert.equal(consented.errors, undefined, JSON.stringify(consented.errors));
    assert.deepEqual(consented.data!.person.specialNeeds.map((n: { kind: string }) => n.kind).sort(), [
      'PREGNANCY',
      'TRAUMA',
    ]);
    const record = await lastRecord(hub, 'socialcare', personId);
    assert.deepEqual(record.released.find((f) => f.field === OTHERS_SPECIAL)?.holders, ['socialcare:caritas']);
  });

  it('names the organisation, not the subgraph, as holder in the Art. 15 report, and tells own reads from disclosures', async () => {
    const officer = await tokenFor('county', ['CONSENT_OFFICER']);
    const report = await post(hub.gatewayUrl, {
      token: officer,
      purpose: 'CONSENT_MANAGEMENT',
      query: `query($id: ID!) { accessReport(personId: $id) { entries { holder recipient purpose categories ownRecords } document } }`,
      variables: { id: personId },
    });
    assert.equal(report.errors, undefined, JSON.stringify(report.errors));
    const entries = report.data!.accessReport.entries as {
      holder: string;
      recipient: string;
      categories: string[];
      ownRecords: boolean;
    }[];
    assert.ok(!entries.some((e) => e.holder === 'socialcare'), 'the subgraph is never named as holder');
    assert.ok(
      entries.some(
        (e) =>
          e.holder === 'socialcare:caritas' &&
          e.recipient === 'jobcenter' &&
          !e.ownRecords &&
          e.categories.includes('HEALTH'),
      ),
    );
    assert.ok(
      entries.some((e) => e.holder === 'socialcare:caritas' && e.recipient === 'socialcare:diakonie' && !e.ownRecords),
    );
    assert.ok(
      entries.some((e) => e.holder === 'socialcare:diakonie' && e.recipient === 'socialcare:diakonie' && e.ownRecords),
    );
    assert.match(
      report.data!.accessReport.document,
      /Data disclosed to other agencies[\s\S]*Agencies reading their own records/,
    );
  });
});
