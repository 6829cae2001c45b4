/**
 * The municipality beside homonyms: a consent officer tells two persons of the same name apart by the
 * municipality they are assigned to (`Person.assignedMunicipality`, statute entry `consent-management-municipality`,
 * which names that one field of the RESIDENCE category). By class of misuse: the rest of the category under the same
 * purpose (the residence object, its own copy of the municipality, aliases), other roles and purposes, other
 * agencies' consent offices, straight at the county subgraph; and what the county's log keeps of each.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { Role } from '../../common/domain.js';
import { demoPersons } from '../../seed/world.js';
import { codes, post } from '../support/graphql.js';
import { startHub, type RunningHub } from '../support/hub.js';
import { tokenFor } from '../support/tokens.js';

const SEED = 31;
const persons = demoPersons(SEED, 0, 40);
const STATUTE = 'STATUTE:consent-management-municipality';
const FIELD = 'Person.assignedMunicipality';

/** The family name most persons of this small world share: the consent officer's search finds several. */
const familyName = (() => {
  const counts = new Map<string, number>();
  for (const p of persons) counts.set(p.familyName, (counts.get(p.familyName) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0][0];
})();
const namesakes = persons.filter((p) => p.familyName === familyName);

const SEARCH = `query ($name: String!) { searchPersons(name: $name, first: 50) { id familyName dateOfBirth
  assignedMunicipality { ags } } }`;

interface Row {
  person_id: string;
  purpose: string;
  released: { field: string; category: string }[];
  refused: { field: string; category: string; reason: string }[];
  basis: { category: string; basis: string }[];
}

describe('security: the assigned municipality beside homonyms, for consent officers, without the residence status', () => {
  let hub: RunningHub;
  const countyRecords = (requestId: string) =>
    hub.subgraphs.county.db.query<Row[]>(
      'SELECT person_id, purpose, released, refused, basis FROM disclosure_log WHERE request_id = $1 ORDER BY sequence',
      [requestId],
    );

  beforeAll(async () => {
    hub = await startHub({ persons, seed: SEED });
  });
  afterAll(() => hub.stop());

  it('shows every namesake’s municipality to the consent officer, on the statute entry, and records each release', async () => {
    assert.ok(namesakes.length >= 2, `the world of seed ${SEED} has namesakes (${familyName}: ${namesakes.length})`);
    const token = await tokenFor('county', ['CONSENT_OFFICER'], 'a.schulz');
    const response = await post(hub.gatewayUrl, {
      token,
      purpose: 'CONSENT_MANAGEMENT',
      query: SEARCH,
      variables: { name: familyName },
    });
    assert.equal(response.status, 200);
    assert.deepEqual(response.errors ?? [], []);
    const found = response.data!.searchPersons as { id: string; assignedMunicipality: { ags: string } | null }[];
    assert.deepEqual(found.map((p) => p.id).sort(), namesakes.map((p) => p.id).sort());
    for (const p of found) {
      const seeded = namesakes.find((n) => n.id === p.id)!;
      assert.equal(p.assignedMunicipality?.ags, seeded.municipalityAgs, p.id);
    }
    // One record per person the request concerned, each with the field released on the entry.
    const rows = await countyRecords(response.requestId!);
    assert.deepEqual(rows.map((r) => r.person_id).sort(), namesakes.map((p) => p.id).sort());
    for (const row of rows) {
      assert.equal(row.purpose, 'CONSENT_MANAGEMENT');
      assert.ok(
        row.released.some((f) => f.field === FIELD && f.category === 'RESIDENCE'),
        JSON.stringify(row),
      );
      assert.deepEqual(
        row.basis.filter((b) => b.category === 'RESIDENCE').map((b) => b.basis),
        [STATUTE],
      );
    }
  });

  it('keeps the rest of RESIDENCE from the consent officer: the residence object, its own municipality, under aliases, straight at the county', async () => {
    const token = await tokenFor('county', ['CONSENT_OFFICER']);
    const person = namesakes[0];
    const queries = [
      `query ($id: ID!) { person(id: $id) { residence { status validUntil } } }`,
      `query ($id: ID!) { person(id: $id) { residence { assignedMunicipality { ags } } } }`,
      `query ($id: ID!) { person(id: $id) { assignedMunicipality: residence { status } } }`,
      `query ($id: ID!) { person(id: $id) { a: assignedMunicipality { ags } b: residence { arrivalDate } } }`,
    ];
    let n = 0;
    for (const url of [hub.gatewayUrl, hub.subgraphs.county.url]) {
      for (const query of queries) {
        const requestId = `homonym-residence-${(n += 1)}`;
        const response = await post(url, {
          token,
          purpose: 'CONSENT_MANAGEMENT',
          query,
          variables: { id: person.id },
          headers: { 'x-request-id': requestId },
        });
        const residence = (response.errors ?? []).filter((e) => e.extensions?.field === 'Person.residence');
        assert.equal(residence.length, 1, `${url} ${query}: ${JSON.stringify(response.errors)}`);
        assert.equal(residence[0].extensions!.code, 'FORBIDDEN');
        const data = response.data?.person as Record<string, unknown> | null | undefined;
        for (const [alias, value] of Object.entries(data ?? {}))
          if (alias !== 'a') assert.equal(value, null, `${url} ${query}: ${alias} withheld`);
        if (query.includes(' a: ')) assert.equal((data!.a as { ags: string }).ags, person.municipalityAgs);
        // The gateway gives a request its own id; straight at the county the caller's id is the request's.
        const [row] = await countyRecords(url === hub.gatewayUrl ? response.requestId! : requestId);
        assert.ok(row, `${url}: a record of the request`);
        assert.ok(row.refused.some((f) => f.field === 'Person.residence' && f.reason === 'FORBIDDEN'));
        assert.ok(!row.released.some((f) => f.field === 'Person.residence'));
      }
    }
  });

  it('gives the field on the entry to every agency’s consent office, and to no one else without a basis of their own', async () => {
    const person = namesakes[0];
    const query = `query ($id: ID!) { person(id: $id) { assignedMunicipality { ags } } }`;
    const cases: { agency: string; roles: Role[]; purpose: string; expect: string }[] = [
      { agency: 'jobcenter', roles: ['CONSENT_OFFICER'], purpose: 'CONSENT_MANAGEMENT', expect: STATUTE },
      { agency: 'municipality:08999001', roles: ['CONSENT_OFFICER'], purpose: 'CONSENT_MANAGEMENT', expect: STATUTE },
      { agency: 'socialcare:caritas', roles: ['CONSENT_OFFICER'], purpose: 'CONSENT_MANAGEMENT', expect: STATUTE },
      // The whole category by its own bases: the county's own task, the jobcenter's placement statute.
      { agency: 'county', roles: ['CASEWORKER'], purpose: 'CLEARING', expect: 'OWN_TASK' },
      {
        agency: 'jobcenter',
        roles: ['CASEWORKER'],
        purpose: 'JOB_PLACEMENT',
        expect: 'STATUTE:jobcenter-placement-identity',
      },
      // No basis: an analyst, a caseworker under a purpose without statute or consent, a consent officer's token
      // stating a caseworker's purpose.
      { agency: 'county', roles: ['ANALYST'], purpose: 'MONITORING', expect: 'FORBIDDEN' },
      { agency: 'jobcenter', roles: ['CASEWORKER'], purpose: 'LANGUAGE_SUPPORT', expect: 'CONSENT_REQUIRED' },
      { agency: 'county', roles: ['CONSENT_OFFICER'], purpose: 'CLEARING', expect: 'FORBIDDEN_PURPOSE' },
    ];
    let n = 0;
    for (const c of cases) {
      const token = await tokenFor(c.agency, c.roles);
      for (const url of [hub.gatewayUrl, hub.subgraphs.county.url]) {
        const requestId = `homonym-callers-${(n += 1)}`;
        const response = await post(url, {
          token,
          purpose: c.purpose,
          query,
          variables: { id: person.id },
          headers: { 'x-request-id': requestId },
        });
        const what = `${c.agency} ${c.roles.join('+')} ${c.purpose} at ${url}`;
        if (c.expect === 'FORBIDDEN_PURPOSE') {
          assert.deepEqual(codes(response), ['FORBIDDEN_PURPOSE'], what);
          continue;
        }
        if (c.expect === 'FORBIDDEN' || c.expect === 'CONSENT_REQUIRED') {
          assert.deepEqual(codes(response), [c.expect], what);
          // An analyst is refused the whole operation (no data at all); the caseworker the field.
          assert.equal(response.data?.person?.assignedMunicipality ?? null, null, what);
          continue;
        }
        assert.deepEqual(codes(response), [], what);
        assert.equal(response.data!.person.assignedMunicipality.ags, person.municipalityAgs, what);
        const [row] = await countyRecords(url === hub.gatewayUrl ? response.requestId! : requestId);
        assert.deepEqual(
          row.basis.filter((b) => b.category === 'RESIDENCE').map((b) => b.basis),
          [c.expect],
          what,
        );
      }
    }
  });
});
