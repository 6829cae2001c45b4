import 'reflect-metadata';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { PURPOSE_ROLE, PURPOSES, PURPOSES_BY_AGENCY, ROLES, parseAgency, type Role } from '../../common/domain.js';
import { countySubgraph } from '../../subgraphs/county/county.subgraph.js';
import { jobcenterSubgraph } from '../../subgraphs/jobcenter/jobcenter.subgraph.js';
import { municipalitySubgraph } from '../../subgraphs/municipality/municipality.subgraph.js';
import { socialcareSubgraph } from '../../subgraphs/socialcare/socialcare.subgraph.js';
import { codes, post, type GraphQLResponse } from '../support/graphql.js';
import { fetchIndicators } from '../support/indicators.js';
import { startSubgraph, type RunningSubgraph } from '../support/subgraph.js';
import { tokenFor } from '../support/tokens.js';

const AGENCIES = ['county', 'municipality:08999001', 'jobcenter', 'socialcare:caritas'];
const ROLE_SETS: Role[][] = [...ROLES.map((role) => [role]), ['CASEWORKER', 'CONSENT_OFFICER']];

describe('who may read indicators', () => {
  const subgraphs: [name: string, running: RunningSubgraph, field: string][] = [];

  beforeAll(async () => {
    subgraphs.push(['county', await startSubgraph(countySubgraph), 'germanAtClearing']);
    subgraphs.push(['municipality', await startSubgraph(municipalitySubgraph), 'housing']);
    subgraphs.push(['jobcenter', await startSubgraph(jobcenterSubgraph), 'employmentStatus']);
    subgraphs.push(['socialcare', await startSubgraph(socialcareSubgraph), 'openSupportNeeds']);
  });
  afterAll(async () => {
    for (const [, running] of subgraphs) await running.stop();
  });

  it('answers only analysts with purpose MONITORING, at every subgraph, for every agency; refuses every other role and purpose', async () => {
    let allowed = 0;
    let refused = 0;
    for (const agency of AGENCIES) {
      const kind = parseAgency(agency)!.kind;
      for (const roles of ROLE_SETS) {
        const token = await tokenFor(agency, roles);
        for (const purpose of PURPOSES) {
          const mayUsePurpose = PURPOSES_BY_AGENCY[kind].includes(purpose);
          // The purpose selects the acting role: a token without it is refused outright (FORBIDDEN_PURPOSE);
          // with it, only an analyst's MONITORING reads indicators.
          const expected =
            !mayUsePurpose || !roles.includes(PURPOSE_ROLE[purpose])
              ? 'FORBIDDEN_PURPOSE'
              : purpose === 'MONITORING'
                ? 'OK'
                : 'FORBIDDEN';
          const responses: [string, GraphQLResponse][] = [];
          for (const [name, running, field] of subgraphs) {
            responses.push([
              name,
              await fetchIndicators(running.url, {
                token,
                purpose,
                period: '2026-Q3',
                region: 'DISTRICT',
                fields: [field],
              }),
            ]);
          }
          const municipality = subgraphs[1][1];
          responses.push([
            'municipality query',
            await post(municipality.url, {
              token,
              purpose,
              query: `{ indicators(period: "2026-Q3") { housing { total { value } } } }`,
            }),
          ]);
          for (const [name, response] of responses) {
            const label = `${agency} ${roles.join('+')} ${purpose} at ${name}`;
            if (expected === 'OK') {
              assert.equal(response.errors, undefined, label);
              allowed += 1;
            } else {
              assert.deepEqual(codes(response), [expected], label);
              const data = response.data as Record<string, unknown> | null | undefined;
              assert.ok(
                !data ||
                  Object.values(data).every((v) => v === null || (Array.isArray(v) && v.every((e) => e === null))),
                `${label}: no data`,
              );
              refused += 1;
            }
          }
        }
      }
    }
    assert.equal(allowed, AGENCIES.length * 5, 'an analyst of each agency, at four subgraphs and the query');
    assert.ok(refused > 300);
  });

  it('tells an analyst at the county, even asked directly, nothing about whether a person is registered', async () => {
    const county = subgraphs[0][1];
    const registered = randomUUID();
    await county.db.query(
      `INSERT INTO person (id, given_name, family_name, date_of_birth, gender, nationality, residence_status, arrival_date, registered_by)
       VALUES ($1, 'A', 'B', '1990-01-01', 'MALE', 'SYR', 'TOLERATED', '2024-01-01', 'test')`,
      [registered],
    );
    const analyst = await tokenFor('county', ['ANALYST']);
    const answers = [];
    for (const id of [registered, randomUUID()]) {
      const direct = await post(county.url, {
        token: analyst,
        purpose: 'MONITORING',
        query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id } } }`,
        variables: { r: [{ __typename: 'Person', id }] },
      });
      const query = await post(county.url, {
        token: analyst,
        purpose: 'MONITORING',
        query: `{ person(id: "${id}") { id } }`,
      });
      // The query is refused before it runs, so it carries no data at all.
      assert.deepEqual([codes(direct), codes(query), query.data], [['FORBIDDEN'], ['FORBIDDEN'], undefined]);
      assert.ok(!JSON.stringify(direct.data ?? null).includes(id));
      answers.push(
        JSON.stringify([
          direct.data,
          query.data,
          direct.errors!.map((e) => e.message),
          query.errors!.map((e) => e.message),
        ]),
      );
    }
    assert.equal(answers[0], answers[1], 'a registered and an unknown id get the same answer');
    // A caseworker still finds the person.
    const caseworker = await post(county.url, {
      token: await tokenFor('county'),
      purpose: 'CLEARING',
      query: `{ person(id: "${registered}") { id } }`,
    });
    assert.deepEqual(caseworker.data, { person: { id: registered } });
  });
});
