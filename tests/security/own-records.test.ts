/**
 * Own task covers the records the caller's own agency wrote, nothing else (issue #23, hole 4). The holder
 * of a record is the agency that wrote it; after a person moves from one municipality to another, the new
 * municipality's own task reaches what it wrote itself, and the former municipality's records only on
 * another basis (statute, consent), logged as a disclosure by the former one. Tried as the new
 * municipality would: under each of its case purposes, through the gateway and straight at the subgraph,
 * with and without a consent, and by sweeping every data subgraph's log for an own-task basis claimed
 * over another agency's records.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { today } from '../../common/scalars.js';
import { demoPersons } from '../../seed/world.js';
import { codes, post, type GraphQLResponse } from '../support/graphql.js';
import { startHub, type RunningHub } from '../support/hub.js';
import { PERSON_VIEW } from '../support/queries.js';
import { tokenFor } from '../support/tokens.js';
import { lastRecord, ok, recordConsent, registerPerson } from './support.js';

const SEED = 23;
const LINDENAU = '08999001';
const BIRKENFELD = '08999002';
const OLD_ADDRESS = 'Lindenstraße 12';
const NEW_ADDRESS = 'Birkenweg 9';
const OLD_KITA = 'Kita Sonnenblume';
const NEW_SCHOOL = 'Grundschule am Markt';
const MOVE = `mutation($id: ID!, $address: String!, $since: LocalDate!) { recordAccommodation(personId: $id, input: { type: FOLLOW_UP, address: $address, since: $since }) { id } }`;
const ENROL = `mutation($id: ID!, $input: EnrolmentInput!) { recordEnrolment(personId: $id, input: $input) { id } }`;
const HISTORY = `query($id: ID!) { person(id: $id) { housing { address } housingHistory { address municipality { ags } } } }`;
const SCHOOLING = `query($id: ID!) { person(id: $id) { childcareSchool { kind institution } } }`;
const OTHERS_HOUSING = 'Person.housingHistory[other municipalities]';
const OTHERS_SCHOOLING = 'Person.childcareSchool[other municipalities]';

type Row = {
  agency: string;
  released: { field: string; category: string; holders?: string[] }[];
  basis: { category: string; basis: string; holders?: string[] }[];
};

describe('security: own task covers only the records the caller’s own agency wrote, also after a move', () => {
  let hub: RunningHub;
  let lindenau: string;
  let birkenfeld: string;
  let personId: string;

  const refusalsOf = (response: GraphQLResponse) =>
    (response.errors ?? []).map((e) => [e.extensions?.code, e.extensions?.field, e.extensions?.category]);

  beforeAll(async () => {
    hub = await startHub({ persons: demoPersons(SEED, 0, 10), seed: SEED });
    lindenau = await tokenFor(`municipality:${LINDENAU}`, ['CASEWORKER'], 'l.officer');
    birkenfeld = await tokenFor(`municipality:${BIRKENFELD}`, ['CASEWORKER'], 'b.officer');
    // Lindenau houses the person and finds her child a Kita place; then the county assigns her to Birkenfeld.
    personId = await registerPerson(hub, LINDENAU, 'Umzug');
    await ok(hub.gatewayUrl, lindenau, 'HOUSING_ALLOCATION', MOVE, {
      id: personId,
      address: OLD_ADDRESS,
      since: '2026-03-01',
    });
    await ok(hub.gatewayUrl, lindenau, 'SCHOOL_AND_CHILDCARE', ENROL, {
      id: personId,
      input: { kind: 'CHILDCARE', institution: OLD_KITA, since: '2026-04-01' },
    });
    await ok(
      hub.gatewayUrl,
      await tokenFor('county'),
      'RESIDENCE_PROCEDURE',
      `mutation($id: ID!) { updateResidence(personId: $id, input: { status: RECOGNISED_REFUGEE, assignedMunicipalityAgs: "${BIRKENFELD}" }) { id } }`,
      { id: personId },
    );
    await ok(hub.gatewayUrl, birkenfeld, 'HOUSING_ALLOCATION', MOVE, {
      id: personId,
      address: NEW_ADDRESS,
      since: today(),
    });
    await ok(hub.gatewayUrl, birkenfeld, 'SCHOOL_AND_CHILDCARE', ENROL, {
      id: personId,
      input: { kind: 'SCHOOL', institution: NEW_SCHOOL, grade: 1, since: today() },
    });
  });
  afterAll(() => hub.stop());

  it('gives the new municipality its own stay by own task under HOUSING_ALLOCATION, and leaves the former one’s out, saying so', async () => {
    const response = await post(hub.gatewayUrl, {
      token: birkenfeld,
      purpose: 'HOUSING_ALLOCATION',
      query: HISTORY,
      variables: { id: personId },
    });
    assert.deepEqual(response.data!.person.housing, { address: NEW_ADDRESS });
    assert.deepEqual(response.data!.person.housingHistory, [
      { address: NEW_ADDRESS, municipality: { ags: BIRKENFELD } },
    ]);
    assert.doesNotMatch(JSON.stringify(response.data), /Lindenstraße/);
    assert.deepEqual(refusalsOf(response), [['CONSENT_REQUIRED', OTHERS_HOUSING, 'HOUSING']]);
    const record = await lastRecord(hub, 'municipality', personId);
    assert.deepEqual(
      record.released.filter((f) => f.field === 'Person.housingHistory'),
      [{ field: 'Person.housingHistory', category: 'HOUSING', holders: [`municipality:${BIRKENFELD}`] }],
    );
    assert.deepEqual(record.basis, [
      { category: 'HOUSING', basis: 'OWN_TASK', holders: [`municipality:${BIRKENFELD}`] },
    ]);
    assert.deepEqual(record.refused, [{ field: OTHERS_HOUSING, category: 'HOUSING', reason: 'CONSENT_REQUIRED' }]);
  });

  it('gives it its own school enrolment under SCHOOL_AND_CHILDCARE, never the Kita place the former municipality recorded', async () => {
    const response = await post(hub.gatewayUrl, {
      token: birkenfeld,
      purpose: 'SCHOOL_AND_CHILDCARE',
      query: SCHOOLING,
      variables: { id: personId },
    });
    assert.deepEqual(response.data!.person.childcareSchool, [{ kind: 'SCHOOL', institution: NEW_SCHOOL }]);
    assert.deepEqual(refusalsOf(response), [['CONSENT_REQUIRED', OTHERS_SCHOOLING, 'CHILDCARE_SCHOOL']]);
    const record = await lastRecord(hub, 'municipality', personId);
    assert.deepEqual(record.basis, [
      { category: 'CHILDCARE_SCHOOL', basis: 'OWN_TASK', holders: [`municipality:${BIRKENFELD}`] },
    ]);
  });

  it('holds the same under CASE_CONFERENCE, and straight at the subgraph under aliases and fragments', async () => {
    const attempts: [string, string, Record<string, unknown>][] = [
      [
        hub.gatewayUrl,
        `query($id: ID!) { person(id: $id) { housingHistory { address } childcareSchool { institution } } }`,
        { id: personId },
      ],
      [
        hub.subgraphs.municipality.url,
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { housingHistory { address } childcareSchool { institution } } } }`,
        { r: [{ __typename: 'Person', id: personId }] },
      ],
      [
        hub.subgraphs.municipality.url,
        `query($r: [_Any!]!) { _entities(representations: $r) { ...P } } fragment P on Person { a: housingHistory { x: address } b: childcareSchool { y: institution } c: housingHistory { since } }`,
        { r: [{ __typename: 'Person', id: personId }] },
      ],
    ];
    for (const [url, query, variables] of attempts) {
      const response = await post(url, { token: birkenfeld, purpose: 'CASE_CONFERENCE', query, variables });
      const data = JSON.stringify(response.data);
      assert.match(data, /Birkenweg 9|\d{4}-\d{2}-\d{2}/, query);
      assert.doesNotMatch(data, /Lindenstraße|Sonnenblume|2026-03-01/, query);
      assert.ok(codes(response).length >= 2, query);
      assert.ok(
        codes(response).every((c) => c === 'CONSENT_REQUIRED'),
        `${query}: ${JSON.stringify(response.errors)}`,
      );
    }
  });

  it('releases the former municipality’s records on the person’s consent, logged as its disclosure to the new one, not as own task', async () => {
    await recordConsent(hub, personId, {
      recipients: [`municipality:${BIRKENFELD}`],
      purposes: ['HOUSING_ALLOCATION'],
      categories: ['HOUSING'],
    });
    const response = await post(hub.gatewayUrl, {
      token: birkenfeld,
      purpose: 'HOUSING_ALLOCATION',
      query: HISTORY,
      variables: { id: personId },
    });
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    assert.deepEqual(
      response.data!.person.housingHistory.map((s: { address: string }) => s.address),
      [OLD_ADDRESS, NEW_ADDRESS],
    );
    const record = await lastRecord(hub, 'municipality', personId);
    const consent = record.basis.find((b) => b.basis.startsWith('CONSENT:'));
    assert.deepEqual(consent?.holders, [`municipality:${LINDENAU}`]);
    assert.deepEqual(
      record.basis.filter((b) => b.basis === 'OWN_TASK'),
      [{ category: 'HOUSING', basis: 'OWN_TASK', holders: [`municipality:${BIRKENFELD}`] }],
    );
    assert.deepEqual(
      record.released.find((f) => f.field === OTHERS_HOUSING),
      { field: OTHERS_HOUSING, category: 'HOUSING', holders: [`municipality:${LINDENAU}`] },
    );

    // The person's Art. 15 report tells the two apart: Lindenau disclosed to Birkenfeld on the consent.
    const report = await ok(
      hub.gatewayUrl,
      await tokenFor('county', ['CONSENT_OFFICER']),
      'CONSENT_MANAGEMENT',
      `query($id: ID!) { accessReport(personId: $id) { entries { date holder recipient purpose ownRecords basis { category kind } } } }`,
      { id: personId },
    );
    type Entry = {
      date: string;
      holder: string;
      recipient: string;
      purpose: string;
      ownRecords: boolean;
      basis: { category: string; kind: string }[];
    };
    const entries = (report.accessReport.entries as Entry[]).filter(
      (e) => e.recipient === `municipality:${BIRKENFELD}` && e.purpose === 'HOUSING_ALLOCATION',
    );
    const fromLindenau = entries.filter((e) => e.holder === `municipality:${LINDENAU}`);
    assert.equal(fromLindenau.length, 1, JSON.stringify(entries));
    assert.equal(fromLindenau[0].ownRecords, false);
    assert.deepEqual(fromLindenau[0].basis, [{ category: 'HOUSING', kind: 'CONSENT' }]);
    const own = entries.filter((e) => e.holder === `municipality:${BIRKENFELD}`);
    assert.ok(own.length >= 1);
    for (const entry of own) {
      assert.equal(entry.ownRecords, true);
      assert.deepEqual(entry.basis, [{ category: 'HOUSING', kind: 'OWN_TASK' }]);
    }
  });

  it('gives the former municipality no own task over the records it wrote for a person who no longer lives there', async () => {
    const response = await post(hub.gatewayUrl, {
      token: lindenau,
      purpose: 'SCHOOL_AND_CHILDCARE',
      query: SCHOOLING,
      variables: { id: personId },
    });
    assert.equal(response.data!.person.childcareSchool, null);
    assert.deepEqual(codes(response), ['CONSENT_REQUIRED']);
  });

  it('gives a welfare organisation that takes a client over its own records only, never the former organisation’s', async () => {
    const caritas = await tokenFor('socialcare:caritas', ['CASEWORKER'], 'c.officer');
    const diakonie = await tokenFor('socialcare:diakonie', ['CASEWORKER'], 'd.officer');
    const caseworkerOf = async (organisation: string) =>
      (
        await hub.subgraphs.socialcare.db.query<{ id: string }[]>(
          `SELECT id FROM caseworker WHERE organisation_id = $1 ORDER BY id LIMIT 1`,
          [organisation],
        )
      )[0].id;
    const assign = `mutation($p: ID!, $c: ID!) { assignCaseworker(personId: $p, caseworkerId: $c, since: "2026-02-01") { since } }`;
    const special = `mutation($p: ID!, $i: SpecialNeedInput!) { recordSpecialNeed(personId: $p, input: $i) { id } }`;
    await ok(hub.gatewayUrl, caritas, 'SOCIAL_COUNSELLING', assign, { p: personId, c: await caseworkerOf('caritas') });
    await ok(hub.gatewayUrl, caritas, 'SOCIAL_COUNSELLING', special, {
      p: personId,
      i: { kind: 'TRAUMA', description: 'Caritas: night terrors', recordedOn: '2026-02-02' },
    });
    // Caritas hands the counselling over: its assignment ends, Diakonie's begins.
    await hub.subgraphs.socialcare.db.query(
      `UPDATE assignment SET until = '2026-05-01' WHERE person_id = $1 AND until IS NULL`,
      [personId],
    );
    await ok(hub.gatewayUrl, diakonie, 'SOCIAL_COUNSELLING', assign.replace('2026-02-01', '2026-05-01'), {
      p: personId,
      c: await caseworkerOf('diakonie'),
    });
    await ok(hub.gatewayUrl, diakonie, 'SOCIAL_COUNSELLING', special, {
      p: personId,
      i: { kind: 'DISABILITY', description: 'Diakonie: wheelchair', recordedOn: '2026-05-02' },
    });
    const response = await post(hub.gatewayUrl, {
      token: diakonie,
      purpose: 'SOCIAL_COUNSELLING',
      query: `query($id: ID!) { person(id: $id) { specialNeeds { description } } }`,
      variables: { id: personId },
    });
    assert.deepEqual(response.data!.person.specialNeeds, [{ description: 'Diakonie: wheelchair' }]);
    assert.deepEqual(codes(response), ['CONSENT_REQUIRED']);
    const record = await lastRecord(hub, 'socialcare', personId);
    assert.deepEqual(record.basis, [{ category: 'HEALTH', basis: 'OWN_TASK', holders: ['socialcare:diakonie'] }]);
  });

  it('finds, in every data subgraph’s log, no own-task basis over records another agency holds', async () => {
    // Everyone reads the whole person once, each under a case purpose of its own.
    const readers: [string, string][] = [
      ['county', 'CASE_CONFERENCE'],
      ['jobcenter', 'CASE_CONFERENCE'],
      [`municipality:${BIRKENFELD}`, 'CASE_CONFERENCE'],
      [`municipality:${LINDENAU}`, 'CASE_CONFERENCE'],
      ['socialcare:diakonie', 'CASE_CONFERENCE'],
      ['socialcare:caritas', 'CASE_CONFERENCE'],
    ];
    const view = PERSON_VIEW.replace(
      'housing {',
      'housingHistory { address } childcareSchool { institution } specialNeeds { description } housing {',
    );
    for (const [agency, purpose] of readers) {
      await post(hub.gatewayUrl, { token: await tokenFor(agency), purpose, query: view, variables: { id: personId } });
    }
    const selfHeld = { county: 'county', jobcenter: 'jobcenter' } as const;
    let ownTask = 0;
    for (const subgraph of ['county', 'municipality', 'jobcenter', 'socialcare'] as const) {
      const rows = await hub.subgraphs[subgraph].db.query<Row[]>(
        `SELECT agency, released, basis FROM disclosure_log WHERE person_id = $1 AND kind = 'READ'`,
        [personId],
      );
      for (const row of rows) {
        for (const basis of row.basis.filter((b) => b.basis === 'OWN_TASK')) {
          ownTask += 1;
          const released = row.released.filter((f) => f.category === basis.category);
          if (subgraph === 'county' || subgraph === 'jobcenter') {
            assert.equal(row.agency, selfHeld[subgraph], `${subgraph}: ${JSON.stringify(row)}`);
            continue;
          }
          // Every released record of the category that another agency holds has a basis of its own.
          for (const holder of released.flatMap((f) => f.holders ?? [])) {
            const covering = row.basis.filter(
              (b) => b.category === basis.category && (!b.holders || b.holders.includes(holder)),
            );
            assert.ok(covering.length > 0, JSON.stringify(row));
            if (holder !== row.agency) {
              assert.ok(
                covering.every((b) => b.basis !== 'OWN_TASK'),
                `${subgraph}: ${holder}'s records released to ${row.agency} as own task: ${JSON.stringify(row)}`,
              );
            }
          }
          assert.deepEqual(basis.holders ?? [row.agency], [row.agency], JSON.stringify(row));
        }
      }
    }
    assert.ok(ownTask >= 4, 'own-task reads were made in several subgraphs');
  });
});
