/**
 * The access request (`DATA_SUBJECT_ACCESS`, Art. 15 (3) GDPR): the county's consent officer gathers the copy of
 * one person's data from every agency. By class of misuse: another role, another agency, another purpose's
 * operations (a search, a caseload, the audit), several persons in one request (aliases, `_entities` straight at
 * a subgraph, the whole log), a consent naming the purpose; and the reads that build a report, left out of the
 * person's report only where they really built it (not another officer's read under the report's request id,
 * nor a read in a request of its own).
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { Role } from '../../common/domain.js';
import { SUBGRAPHS } from '../../common/domain.js';
import { demoPersons } from '../../seed/world.js';
import { codes, post } from '../support/graphql.js';
import { startHub, type RunningHub } from '../support/hub.js';
import { languageConsentInput } from '../support/queries.js';
import { tokenFor } from '../support/tokens.js';

const SEED = 29;
const persons = demoPersons(SEED, 0, 8);
const PURPOSE = 'DATA_SUBJECT_ACCESS';
const STATUTE = 'STATUTE:data-subject-access-copy';
const DATA_SUBGRAPHS = ['county', 'municipality', 'jobcenter', 'socialcare'] as const;

/** The copy as the console asks for it, one field or more of every category of every agency. */
const COPY = `query Copy($id: ID!) { person(id: $id) { givenName familyName residence { status }
  clearing { languages { language level } qualifications { title } }
  housingHistory { since } childcareSchool { since }
  employmentHistory { since } integrationCourses { status } benefits { since }
  socialCare { since openNeeds { field } } } }`;
/** What each data subgraph releases of the copy, by category. */
const CATEGORIES_BY_SUBGRAPH: Record<(typeof DATA_SUBGRAPHS)[number], string[]> = {
  county: ['CLEARING_EDUCATION', 'CLEARING_LANGUAGE', 'IDENTITY', 'RESIDENCE'],
  municipality: ['CHILDCARE_SCHOOL', 'HOUSING'],
  jobcenter: ['BENEFITS', 'EMPLOYMENT', 'INTEGRATION_COURSE'],
  socialcare: ['SOCIAL_CARE'],
};
const JOBCENTER_ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { employmentHistory { since } } } }`;
const REPORT = `query ($id: ID!) { accessReport(personId: $id) { entries { holder recipient purpose categories } } }`;

interface Row {
  purpose: string;
  officer: string;
  released: { field: string; category: string }[];
  refused: { field: string; category: string; reason: string }[];
  basis: { category: string; basis: string }[];
}

describe('security: the access request (DATA_SUBJECT_ACCESS) serves one person, for the county’s consent office only', () => {
  let hub: RunningHub;
  let officer: string;
  const person = persons[0];
  const other = persons[1];

  const recordsOf = (subgraph: (typeof DATA_SUBGRAPHS)[number], requestId: string) =>
    hub.subgraphs[subgraph].db.query<Row[]>(
      `SELECT purpose, officer, released, refused, basis FROM disclosure_log WHERE request_id = $1 ORDER BY sequence`,
      [requestId],
    );

  beforeAll(async () => {
    hub = await startHub({ persons, seed: SEED });
    officer = await tokenFor('county', ['CONSENT_OFFICER'], 'a.schulz');
  });
  afterAll(() => hub.stop());

  it('gathers every category but HEALTH, each subgraph deciding on the statute entry and recording the read under the purpose', async () => {
    const response = await post(hub.gatewayUrl, {
      token: officer,
      purpose: PURPOSE,
      query: COPY,
      variables: { id: person.id },
    });
    assert.equal(response.status, 200);
    assert.equal(response.data!.person.familyName, person.familyName);
    // The only refusal there can be: support needs in the field of action HEALTH (special category, which no
    // statute releases), reported whenever the person has a counselling case.
    assert.ok(
      (response.errors ?? []).every((e) => e.extensions!.code === 'FORBIDDEN' && e.extensions!.category === 'HEALTH'),
      JSON.stringify(response.errors),
    );
    assert.ok(response.requestId);
    for (const subgraph of DATA_SUBGRAPHS) {
      const rows = await recordsOf(subgraph, response.requestId);
      assert.equal(rows.length, 1, `${subgraph}: one record of the request`);
      const [row] = rows;
      assert.equal(row.purpose, PURPOSE, subgraph);
      assert.equal(row.officer, 'a.schulz', subgraph);
      const released = [...new Set(row.released.map((f) => f.category))];
      assert.ok(released.length > 0, `${subgraph} released some of the copy`);
      assert.ok(
        released.every((c) => CATEGORIES_BY_SUBGRAPH[subgraph].includes(c)),
        `${subgraph}: ${released.join(', ')}`,
      );
      if (subgraph === 'county') assert.ok(released.includes('IDENTITY') && released.includes('RESIDENCE'));
      assert.ok(
        row.basis.every((b) => b.basis === STATUTE),
        `${subgraph}: every release on the statute entry, ${JSON.stringify(row.basis)}`,
      );
      assert.ok(
        row.refused.every((f) => f.category === 'HEALTH' && f.reason === 'FORBIDDEN'),
        `${subgraph}: ${JSON.stringify(row.refused)}`,
      );
    }
  });

  it('refuses the purpose to every other role and to every other agency’s consent office, at the gateway and straight at each subgraph', async () => {
    const callers: [string, Role[]][] = [
      ['county', ['CASEWORKER']],
      ['county', ['ANALYST']],
      ['county', ['CASEWORKER', 'ANALYST']],
      ['jobcenter', ['CONSENT_OFFICER']],
      ['municipality:08999001', ['CONSENT_OFFICER']],
      ['socialcare:caritas', ['CONSENT_OFFICER', 'CASEWORKER']],
    ];
    for (const [agency, roles] of callers) {
      const token = await tokenFor(agency, roles);
      for (const url of [hub.gatewayUrl, ...SUBGRAPHS.map((n) => hub.subgraphs[n].url)]) {
        const response = await post(url, { token, purpose: PURPOSE, query: COPY, variables: { id: person.id } });
        const where = `${agency} ${roles.join('+')} at ${url}`;
        assert.equal(response.status, 403, where);
        assert.deepEqual(codes(response), ['FORBIDDEN_PURPOSE'], where);
        assert.doesNotMatch(JSON.stringify(response), new RegExp(person.familyName), where);
      }
    }
  });

  it('runs no operation that lists persons or serves consent management: search, caseloads, the timeline, the log, consents', async () => {
    const refused = [
      `{ searchPersons(name: "${person.familyName}") { id givenName residence { status } } }`,
      `{ registeredPersons(first: 5) { id residence { status } } }`,
      `{ disclosureLog(first: 5) { records { personId } } }`,
      `{ disclosureTimeline(personId: "${person.id}", first: 5) { records { requestId } } }`,
      `{ effectiveAccess(personId: "${person.id}") { agency } }`,
      `{ consent(id: "${person.id}") { id } }`,
    ];
    for (const query of refused) {
      const response = await post(hub.gatewayUrl, { token: officer, purpose: PURPOSE, query });
      assert.equal(response.status, 403, query);
      assert.deepEqual(codes(response), ['FORBIDDEN'], query);
      assert.equal(response.data ?? null, null, `${query}: nothing ran`);
    }
    const consent = await post(hub.gatewayUrl, {
      token: officer,
      purpose: PURPOSE,
      query: `mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id } }`,
      variables: { input: languageConsentInput(person.id) },
    });
    assert.equal(consent.status, 403);
    assert.deepEqual(codes(consent), ['FORBIDDEN']);
  });

  it('releases nothing when one request names several persons: aliases at the gateway, _entities straight at a subgraph', async () => {
    const aliases = await post(hub.gatewayUrl, {
      token: officer,
      purpose: PURPOSE,
      query: `query($a: ID!, $b: ID!) { a: person(id: $a) { familyName residence { status } }
        b: person(id: $b) { familyName residence { status } } }`,
      variables: { a: person.id, b: other.id },
    });
    assert.equal(aliases.data!.a.familyName, null);
    assert.equal(aliases.data!.b.familyName, null);
    assert.doesNotMatch(JSON.stringify(aliases.data), new RegExp(`${person.familyName}|${other.familyName}`));
    assert.ok(codes(aliases).length > 0 && codes(aliases).every((c) => c === 'FORBIDDEN'), JSON.stringify(aliases));
    const county = await recordsOf('county', aliases.requestId!);
    assert.equal(county.length, 2, 'one record per person, each refusing');
    assert.ok(county.every((r) => r.released.length === 0 && r.refused.every((f) => f.reason === 'FORBIDDEN')));

    const entities = await post(hub.subgraphs.jobcenter.url, {
      token: officer,
      purpose: PURPOSE,
      query: JOBCENTER_ENTITIES,
      variables: {
        r: [
          { __typename: 'Person', id: person.id },
          { __typename: 'Person', id: other.id },
        ],
      },
    });
    assert.ok(
      entities.data!._entities.every((e: { employmentHistory: unknown } | null) => e?.employmentHistory == null),
      JSON.stringify(entities.data),
    );
    assert.ok(codes(entities).length > 0 && codes(entities).every((c) => c === 'FORBIDDEN'));
    const jobcenter = await recordsOf('jobcenter', entities.requestId!);
    assert.ok(
      jobcenter.every((r) => r.released.length === 0),
      JSON.stringify(jobcenter),
    );
  });

  it('reads the audit log of the one person it names only, never the whole log', async () => {
    for (const subgraph of DATA_SUBGRAPHS) {
      const url = hub.subgraphs[subgraph].url.replace(/\/graphql$/, '/audit/records');
      const ask = (body: object) =>
        fetch(url, {
          method: 'POST',
          headers: { authorization: `Bearer ${officer}`, 'x-purpose': PURPOSE, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      const whole = await ask({ limit: 10 });
      assert.equal(whole.status, 403, `${subgraph}: the whole log`);
      assert.equal(
        ((await whole.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code,
        'FORBIDDEN',
      );
      assert.equal((await ask({ personId: person.id, limit: 10 })).status, 200, `${subgraph}: one person's records`);
    }
  });

  it('is nothing a person consents to: a consent naming it is refused', async () => {
    const response = await post(hub.gatewayUrl, {
      token: officer,
      purpose: 'CONSENT_MANAGEMENT',
      query: `mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id } }`,
      variables: { input: languageConsentInput(person.id, { recipients: ['county'], purposes: [PURPOSE] }) },
    });
    assert.deepEqual(codes(response), ['BAD_USER_INPUT']);
    assert.deepEqual(
      (response.errors![0].extensions!.problems as { field: string }[]).map((p) => p.field),
      ['purposes'],
    );
  });

  it('leaves out of the report only the copy its own request read, not another officer’s read under its request id nor a read of its own request', async () => {
    const subject = persons[2];
    const accessRequestEntries = async () => {
      const response = await post<{ accessReport: { entries: { holder: string; purpose: string }[] } }>(
        hub.gatewayUrl,
        { token: officer, purpose: 'CONSENT_MANAGEMENT', query: REPORT, variables: { id: subject.id } },
      );
      assert.equal(response.errors, undefined, JSON.stringify(response.errors));
      return response.data!.accessReport.entries.filter((e) => e.purpose === PURPOSE);
    };
    // The console's request: the report and the copy in one request under the access request.
    const built = await post(hub.gatewayUrl, {
      token: officer,
      purpose: PURPOSE,
      query: `query($id: ID!) { accessReport(personId: $id) { entries { purpose } }
        person(id: $id) { familyName employmentHistory { since } housingHistory { since } } }`,
      variables: { id: subject.id },
    });
    assert.equal(built.data!.person.familyName, subject.familyName);
    assert.ok(built.requestId);
    for (const subgraph of ['county', 'jobcenter', 'municipality'] as const)
      assert.ok((await recordsOf(subgraph, built.requestId)).some((r) => r.purpose === PURPOSE && r.released.length));
    assert.deepEqual(await accessRequestEntries(), [], 'the reads that built the report are not disclosures in it');

    // Another officer of the county, straight at the jobcenter, under the report's request id: listed.
    const colleague = await tokenFor('county', ['CONSENT_OFFICER'], 'b.other');
    const borrowed = await post(hub.subgraphs.jobcenter.url, {
      token: colleague,
      purpose: PURPOSE,
      query: JOBCENTER_ENTITIES,
      variables: { r: [{ __typename: 'Person', id: subject.id }] },
      headers: { 'x-request-id': built.requestId },
    });
    assert.equal(borrowed.errors, undefined, JSON.stringify(borrowed.errors));
    assert.deepEqual(
      (await accessRequestEntries()).map((e) => e.holder),
      ['jobcenter'],
      'a read under a borrowed request id is a disclosure like any other',
    );

    // A read of the copy in a request that built no report (the same officer): listed too.
    const alone = await post(hub.gatewayUrl, {
      token: officer,
      purpose: PURPOSE,
      query: `query($id: ID!) { person(id: $id) { residence { status } } }`,
      variables: { id: subject.id },
    });
    assert.equal(alone.errors, undefined, JSON.stringify(alone.errors));
    const holders = (await accessRequestEntries()).map((e) => e.holder).sort();
    assert.deepEqual(holders, ['county', 'jobcenter']);
  });
});
