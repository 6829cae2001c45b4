/**
 * A person's contacts at every partner (issue #17), as a curious caseworker would try them:
 * 1. that a person has a contact at a partner is personal data of the partner's category: an entry without a
 *    basis is left out, the refusal is reported whether or not there is one, and it is logged per entry —
 *    a caller without a basis for SOCIAL_CARE does not learn that a welfare organisation counsels the person;
 * 2. the same straight at the partner subgraphs, under aliases and fragments, and for another organisation;
 * 3. assignments are each partner's own writes: no foreign staff, no persons outside the writer's scope, no
 *    other partner's records, no field of action the partner does not work in.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { demoPersons } from '../../seed/world.js';
import { codes, post } from '../support/graphql.js';
import { startHub, type RunningHub } from '../support/hub.js';
import { tokenFor } from '../support/tokens.js';
import { ok, recordConsent, registerPerson } from './support.js';

const SEED = 31;
const LINDENAU = '08999001';
const BIRKENFELD = '08999002';
const CONTACTS = `query($id: ID!) { person(id: $id) { contacts { fieldOfAction partner agency name role phone email since } } }`;
const SOCIAL = 'Person.socialcareContacts[SOCIAL_CARE]';

describe("security: a person's contacts are released entry by entry, and written by each partner for itself", () => {
  let hub: RunningHub;
  let counselled: string;
  let notCounselled: string;
  let jobcenter: string;
  let caritas: string;
  let lindenau: string;

  const staff = async (subgraph: 'county' | 'municipality' | 'jobcenter', agency: string, role: string) =>
    (
      await hub.subgraphs[subgraph].db.query<{ id: string }[]>(
        `SELECT id FROM staff_member WHERE agency = $1 AND role = $2 ORDER BY id LIMIT 1`,
        [agency, role],
      )
    )[0].id;
  const contactsOf = (token: string, purpose: string, id: string) =>
    post(hub.gatewayUrl, { token, purpose, query: CONTACTS, variables: { id } });
  const record = async (
    subgraph: 'county' | 'municipality' | 'jobcenter' | 'socialcare',
    requestId: string,
    personId: string,
  ) =>
    (
      await hub.subgraphs[subgraph].db.query<
        {
          released: { field: string; category: string }[];
          refused: { field: string; reason: string }[];
          basis: { category: string; basis: string }[];
        }[]
      >(`SELECT released, refused, basis FROM disclosure_log WHERE request_id = $1 AND person_id = $2`, [
        requestId,
        personId,
      ])
    )[0];

  async function withContacts(name: string, counsel: boolean): Promise<string> {
    const id = await registerPerson(hub, LINDENAU, name);
    const since = '2026-03-01';
    await ok(
      hub.gatewayUrl,
      await tokenFor('county'),
      'CLEARING',
      `mutation($id: ID!, $s: ID!) { assignCountyContact(personId: $id, input: { fieldOfAction: RESIDENCE, staffId: $s, since: "${since}" }) { id } }`,
      {
        id,
        s: await staff('county', 'county', 'Immigration office caseworker'),
      },
    );
    await ok(
      hub.gatewayUrl,
      lindenau,
      'HOUSING_ALLOCATION',
      `mutation($id: ID!, $s: ID!) { assignMunicipalityContact(personId: $id, input: { fieldOfAction: HOUSING, staffId: $s, since: "${since}" }) { id } }`,
      {
        id,
        s: await staff('municipality', `municipality:${LINDENAU}`, 'Housing officer'),
      },
    );
    await ok(
      hub.gatewayUrl,
      jobcenter,
      'JOB_PLACEMENT',
      `mutation($id: ID!, $s: ID!) { assignJobcenterContact(personId: $id, input: { fieldOfAction: WORK_AND_TRAINING, staffId: $s, since: "${since}" }) { id } }`,
      {
        id,
        s: await staff('jobcenter', 'jobcenter', 'Placement officer'),
      },
    );
    if (counsel) {
      const [caseworker] = await hub.subgraphs.socialcare.db.query<{ id: string }[]>(
        `SELECT id FROM caseworker WHERE organisation_id = 'caritas' ORDER BY id LIMIT 1`,
      );
      await ok(
        hub.gatewayUrl,
        caritas,
        'SOCIAL_COUNSELLING',
        `mutation($id: ID!, $c: ID!) { assignCaseworker(personId: $id, caseworkerId: $c, since: "${since}") { since } }`,
        { id, c: caseworker.id },
      );
    }
    return id;
  }

  beforeAll(async () => {
    hub = await startHub({ persons: demoPersons(SEED, 0, 10), seed: SEED });
    jobcenter = await tokenFor('jobcenter', ['CASEWORKER'], 'j.contacts');
    caritas = await tokenFor('socialcare:caritas', ['CASEWORKER'], 'c.contacts');
    lindenau = await tokenFor(`municipality:${LINDENAU}`, ['CASEWORKER'], 'l.contacts');
    counselled = await withContacts('Counselled', true);
    notCounselled = await withContacts('Uncounselled', false);
  });
  afterAll(() => hub.stop());

  it("lists one entry per field of action and partner for a caller with a basis for each, with the officers' contact data", async () => {
    await recordConsent(hub, counselled, { categories: ['SOCIAL_CARE', 'HOUSING'] });
    const response = await contactsOf(jobcenter, 'JOB_PLACEMENT', counselled);
    const contacts = response.data!.person.contacts as {
      fieldOfAction: string;
      agency: string;
      name: string;
      phone: string;
      email: string;
      role: string;
    }[];
    assert.deepEqual(
      contacts.map((c) => `${c.fieldOfAction} ${c.agency}`),
      [
        'HOUSING municipality:08999001',
        'WORK_AND_TRAINING jobcenter',
        'SOCIAL_PARTICIPATION socialcare:caritas',
        'RESIDENCE county',
      ],
    );
    for (const contact of contacts)
      assert.ok(contact.name && contact.phone && contact.email && contact.role, JSON.stringify(contact));
    const social = contacts.find((c) => c.agency === 'socialcare:caritas')!;
    assert.equal(social.role, 'Integration guide (Integrationslotse)');
    // The clearing categories have no basis here: the county's clearing entries would be refused, and say so.
    assert.ok(
      response.errors?.some(
        (e) => e.extensions?.field === 'Person.contacts[CLEARING_LANGUAGE]' && e.extensions.code === 'CONSENT_REQUIRED',
      ),
    );
  });

  it('logs every entry where it is held, under its category and basis, and the refusals beside them', async () => {
    const response = await contactsOf(jobcenter, 'JOB_PLACEMENT', counselled);
    const id = response.requestId!;
    const socialcare = await record('socialcare', id, counselled);
    assert.deepEqual(
      socialcare.released.map((f) => `${f.field} ${f.category}`),
      [`${SOCIAL} SOCIAL_CARE`],
    );
    assert.match(socialcare.basis.find((b) => b.category === 'SOCIAL_CARE')!.basis, /^CONSENT:/);
    const municipality = await record('municipality', id, counselled);
    assert.deepEqual(
      municipality.released.map((f) => f.field),
      ['Person.municipalityContacts[HOUSING]'],
    );
    assert.deepEqual(
      municipality.refused.map((f) => `${f.field} ${f.reason}`),
      ['Person.municipalityContacts[CHILDCARE_SCHOOL] CONSENT_REQUIRED'],
    );
    const county = await record('county', id, counselled);
    assert.deepEqual(
      county.released.map((f) => f.field),
      ['Person.contacts[RESIDENCE]'],
    );
    assert.equal(county.basis.find((b) => b.category === 'RESIDENCE')!.basis, 'STATUTE:jobcenter-placement-identity');
    const own = await record('jobcenter', id, counselled);
    assert.ok(own.released.some((f) => f.field === 'Person.jobcenterContacts[EMPLOYMENT]'));
    assert.equal(own.basis.find((b) => b.category === 'EMPLOYMENT')!.basis, 'OWN_TASK');
  });

  it('without a SOCIAL_CARE basis the jobcenter cannot tell a counselled person from one nobody counsels', async () => {
    const [a, b] = [
      await contactsOf(jobcenter, 'JOB_PLACEMENT', notCounselled),
      await contactsOf(jobcenter, 'JOB_PLACEMENT', counselled),
    ];
    // `counselled`'s consent is for JOB_PLACEMENT: under LANGUAGE_SUPPORT neither person has a SOCIAL_CARE basis.
    const [c, d] = [
      await contactsOf(jobcenter, 'LANGUAGE_SUPPORT', notCounselled),
      await contactsOf(jobcenter, 'LANGUAGE_SUPPORT', counselled),
    ];
    assert.ok(
      b.data!.person.contacts.some((x: { agency: string }) => x.agency.startsWith('socialcare:')),
      'with consent, it is there',
    );
    assert.ok(!a.data!.person.contacts.some((x: { agency: string }) => x.agency.startsWith('socialcare:')));
    const shape = (r: typeof c) => ({
      agencies: (r.data!.person.contacts as { agency: string; fieldOfAction: string }[]).map(
        (x) => `${x.fieldOfAction} ${x.agency}`,
      ),
      errors: (r.errors ?? [])
        .map((e) => `${e.extensions?.code} ${e.extensions?.category} ${e.extensions?.field}`)
        .sort(),
    });
    assert.deepEqual(shape(d), shape(c));
    assert.ok(shape(d).errors.includes(`CONSENT_REQUIRED SOCIAL_CARE ${SOCIAL}`), 'the refusal is reported for both');
    assert.doesNotMatch(JSON.stringify(d), /caritas|Caritas/);
    const logged = await record('socialcare', d.requestId!, counselled);
    assert.deepEqual(logged.released, []);
    assert.deepEqual(
      logged.refused.map((f) => `${f.field} ${f.reason}`),
      [`${SOCIAL} CONSENT_REQUIRED`],
    );
  });

  it("withholds the same straight at the welfare organisations' subgraph, under aliases and through fragments", async () => {
    const queries = [
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { socialcareContacts { name agency } } } }`,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { a: socialcareContacts { name } b: socialcareContacts { e: email } } } }`,
      `query($r: [_Any!]!) { _entities(representations: $r) { ...P } } fragment P on Person { socialcareContacts { ...C } } fragment C on Contact { phone partner }`,
    ];
    for (const query of queries) {
      const response = await post(hub.subgraphs.socialcare.url, {
        token: jobcenter,
        purpose: 'LANGUAGE_SUPPORT',
        query,
        variables: { r: [{ __typename: 'Person', id: counselled }] },
      });
      assert.doesNotMatch(JSON.stringify(response.data), /caritas|Caritas|@/, query);
      assert.ok(
        response.errors?.some((e) => e.extensions?.field === SOCIAL && e.extensions.code === 'CONSENT_REQUIRED'),
        query,
      );
    }
  });

  it("another organisation's own task does not cover caritas' counselling; caritas sees its own; analysts and consent officers see none", async () => {
    const diakonie = await contactsOf(await tokenFor('socialcare:diakonie'), 'SOCIAL_COUNSELLING', counselled);
    assert.ok(!diakonie.data!.person.contacts.some((x: { agency: string }) => x.agency === 'socialcare:caritas'));
    assert.ok(diakonie.errors!.some((e) => e.extensions?.field === `${SOCIAL.slice(0, -1)}, other organisations]`));
    const own = await contactsOf(caritas, 'SOCIAL_COUNSELLING', counselled);
    assert.ok(own.data!.person.contacts.some((x: { agency: string }) => x.agency === 'socialcare:caritas'));
    const officer = await contactsOf(await tokenFor('county', ['CONSENT_OFFICER']), 'CONSENT_MANAGEMENT', counselled);
    assert.deepEqual(officer.data!.person.contacts, []);
    assert.ok(officer.errors!.every((e) => e.extensions?.code === 'FORBIDDEN'));
    const analyst = await contactsOf(await tokenFor('county', ['ANALYST']), 'MONITORING', counselled);
    assert.equal(analyst.status, 403);
  });

  it("refuses assignments of foreign staff, outside the writer's scope, of other partners' records and of fields the partner does not work in, writing nothing", async () => {
    const before = await hub.subgraphs.municipality.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM contact_assignment`,
    );
    const birkenfeld = await tokenFor(`municipality:${BIRKENFELD}`);
    const birkenfeldOfficer = await staff('municipality', `municipality:${BIRKENFELD}`, 'Housing officer');
    const lindenauOfficer = await staff('municipality', `municipality:${LINDENAU}`, 'Housing officer');
    const assign = `mutation($id: ID!, $s: ID!, $f: FieldOfAction!) { assignMunicipalityContact(personId: $id, input: { fieldOfAction: $f, staffId: $s, since: "2026-04-01" }) { id } }`;
    const cases: [string, Record<string, unknown>, string][] = [
      [birkenfeld, { id: counselled, s: birkenfeldOfficer, f: 'HOUSING' }, 'FORBIDDEN'], // not assigned to Birkenfeld, nor living there
      [lindenau, { id: counselled, s: birkenfeldOfficer, f: 'HOUSING' }, 'NOT_FOUND'], // another municipality's officer
      [lindenau, { id: counselled, s: lindenauOfficer, f: 'WORK_AND_TRAINING' }, 'BAD_USER_INPUT'], // not a field of a municipality
      [lindenau, { id: randomUUID(), s: lindenauOfficer, f: 'HOUSING' }, 'NOT_FOUND'], // never registered
    ];
    for (const [token, variables, code] of cases) {
      const response = await post(hub.gatewayUrl, { token, purpose: 'HOUSING_ALLOCATION', query: assign, variables });
      assert.deepEqual(codes(response), [code], JSON.stringify(variables));
    }
    const jobcenterStaffByMunicipality = await post(hub.gatewayUrl, {
      token: jobcenter,
      purpose: 'JOB_PLACEMENT',
      query: `mutation($id: ID!, $s: ID!) { assignJobcenterContact(personId: $id, input: { fieldOfAction: WORK_AND_TRAINING, staffId: $s, since: "2026-04-01" }) { id } }`,
      variables: { id: counselled, s: lindenauOfficer },
    });
    assert.deepEqual(codes(jobcenterStaffByMunicipality), ['NOT_FOUND']);
    const [lindenauRecord] = await hub.subgraphs.municipality.db.query<{ id: string }[]>(
      `SELECT id FROM contact_assignment WHERE person_id = $1`,
      [counselled],
    );
    const end = await post(hub.gatewayUrl, {
      token: birkenfeld,
      purpose: 'HOUSING_ALLOCATION',
      query: `mutation($id: ID!) { endMunicipalityContact(id: $id, until: "2026-05-01") { id } }`,
      variables: { id: lindenauRecord.id },
    });
    assert.deepEqual(codes(end), ['NOT_FOUND']);
    const foreignMutation = await post(hub.gatewayUrl, {
      token: jobcenter,
      purpose: 'JOB_PLACEMENT',
      query: `mutation($id: ID!) { endMunicipalityContact(id: $id, until: "2026-05-01") { id } }`,
      variables: { id: lindenauRecord.id },
    });
    assert.equal(foreignMutation.status, 403);
    const after = await hub.subgraphs.municipality.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM contact_assignment`,
    );
    assert.deepEqual(after, before);
  });

  it('a new assignment ends the one before it, and every change is on record as a WRITE', async () => {
    const officer = await staff('jobcenter', 'jobcenter', 'Placement officer');
    const response = await post(hub.gatewayUrl, {
      token: jobcenter,
      purpose: 'JOB_PLACEMENT',
      query: `mutation($id: ID!, $s: ID!) { assignJobcenterContact(personId: $id, input: { fieldOfAction: WORK_AND_TRAINING, staffId: $s, since: "2026-06-01" }) { id since until } }`,
      variables: { id: notCounselled, s: officer },
    });
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    const rows = await hub.subgraphs.jobcenter.db.query<{ until: string | null }[]>(
      `SELECT until::text FROM contact_assignment WHERE person_id = $1 ORDER BY since`,
      [notCounselled],
    );
    assert.deepEqual(
      rows.map((r) => r.until),
      ['2026-06-01', null],
    );
    const writes = await hub.subgraphs.jobcenter.db.query<{ changes: { operation: string }[] }[]>(
      `SELECT changes FROM disclosure_log WHERE request_id = $1 AND kind = 'WRITE'`,
      [response.requestId],
    );
    assert.deepEqual(
      writes.map((w) => w.changes[0].operation),
      ['assignJobcenterContact'],
    );
  });
});
