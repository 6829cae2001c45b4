import 'reflect-metadata';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { SUBGRAPHS } from '../../common/domain.js';
import { demoPersons } from '../../seed/world.js';
import { post } from '../support/graphql.js';
import { startHub, type RunningHub } from '../support/hub.js';
import { tokenFor } from '../support/tokens.js';

describe('probe', () => {
  let hub: RunningHub;
  beforeAll(async () => {
    hub = await startHub({ persons: demoPersons(5, 0, 3), seed: 5 });
  });
  afterAll(() => hub.stop());
  it('probes', async () => {
    const token = await tokenFor('county', ['CASEWORKER']);
    const reps: unknown[] = [
      { __typename: 'Nope', id: 'x' },
      { __typename: 'Person', id: 'not-a-uuid' },
      { __typename: 'Person', id: 5 },
      { __typename: 'Person' },
      { id: '00000000-0000-4000-8000-000000000001' },
      'just a string',
      { __typename: 'Person', id: '00000000-0000-4000-8000-000000000001' },
      { __typename: 'Municipality', ags: 5 },
      { __typename: 'Indicators', period: 'x', region: 'y' },
    ];
    for (const name of SUBGRAPHS) {
      for (const r of reps) {
        const res = await post(hub.subgraphs[name].url, {
          token,
          purpose: 'CASE_CONFERENCE',
          query: `query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Person { id } } }`,
          variables: { r: [r] },
        });
        console.log(name, JSON.stringify(r), res.status, JSON.stringify(res.errors?.map((e) => [e.extensions?.code, e.message, e.path])), JSON.stringify(res.data));
      }
    }
    for (const p of ['/console/%', '/console/%E0%A4%A', '/graphql/%', '/%']) {
      const r = await fetch(hub.gatewayUrl.replace('/graphql', '') + p);
      console.log(p, r.status, (await r.text()).slice(0, 200));
    }
    const bad = await post(hub.gatewayUrl, { token, purpose: 'CASE_CONFERENCE', query: `query($id: ID!) { person(id: $id) { contacts { name } } }`, variables: { id: (await hub.subgraphs.county.db.query('SELECT id FROM person LIMIT 1'))[0].id } });
    console.log('contacts', JSON.stringify(bad.errors?.map((e) => [e.extensions?.code, e.path, e.extensions?.field])));
    const officer = await tokenFor('county', ['CONSENT_OFFICER']);
    for (const q of [`{ disclosureTimeline(personId: "") { records { personId } } }`, `{ disclosureTimeline(personId: "  ") { records { personId } } }`, `{ disclosureLog(filter: { personId: "" }) { records { personId } } }`]) {
      const r = await post(hub.gatewayUrl, { token: officer, purpose: 'CONSENT_MANAGEMENT', query: q });
      console.log(q, r.status, JSON.stringify(r.errors?.map((e) => [e.extensions?.code, e.message])), JSON.stringify(r.data).slice(0, 200));
    }
  });
});
