/**
 * The candidate search's cost does not grow with the district (issue #17): the SQL statements each subgraph runs
 * for one page are the same with 100 and with 1000 persons seeded, for a page that fills and for a search that
 * finds nobody among the consenting persons. Persons without consent never enter the search, so they cost nothing.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { SUBGRAPHS, type SubgraphName } from '../../common/domain.js';
import { seedDemo, type SeedTargets } from '../../seed/seed-demo.js';
import { MUNICIPALITIES, demoPersons } from '../../seed/world.js';
import { loadSubgraphDefinition } from '../../subgraphs/index.js';
import { post } from '../support/graphql.js';
import { languageConsentInput } from '../support/queries.js';
import { startHub, type RunningHub } from '../support/hub.js';
import { tokenFor } from '../support/tokens.js';

const SEED = 23;
const SIZES = [100, 1000];
const SEARCH = `query($f: CandidateFilter!) { candidateSearch(filter: $f, first: 5) {
  candidates { person { id givenName } languages { level } livesIn { ags } } endCursor hasNextPage } }`;
const FULL_PAGE = { language: { language: 'de', atLeast: 'A1' }, livingIn: MUNICIPALITIES.map((m) => m.ags) };
// Nobody of the district speaks German natively: the consented persons are read and none of them matches.
const NOBODY = { language: { language: 'de', atLeast: 'NATIVE' }, livingIn: [MUNICIPALITIES[0].ags] };

type Counts = Record<SubgraphName, number>;

describe('the candidate search costs the same number of statements however many persons are seeded', () => {
  let hub: RunningHub;
  let jobcenter: string;
  const measured: { size: number; full: Counts; nobody: Counts; found: number }[] = [];

  const count = async (filter: unknown) => {
    const start = Object.fromEntries(SUBGRAPHS.map((n) => [n, hub.subgraphs[n].statements.count])) as Counts;
    const response = await post(hub.gatewayUrl, {
      token: jobcenter,
      purpose: 'JOB_PLACEMENT',
      query: SEARCH,
      variables: { f: filter },
    });
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    const counts = Object.fromEntries(
      SUBGRAPHS.map((n) => [n, hub.subgraphs[n].statements.count - start[n]]),
    ) as Counts;
    return { counts, found: (response.data!.candidateSearch.candidates as unknown[]).length };
  };

  beforeAll(async () => {
    hub = await startHub({ persons: demoPersons(SEED, 0, SIZES[0]), seed: SEED });
    jobcenter = await tokenFor('jobcenter');
    const officer = await tokenFor('county', ['CONSENT_OFFICER']);
    // Twenty of the first hundred persons consent to the search's categories.
    for (const person of demoPersons(SEED, 0, 20)) {
      const response = await post(hub.gatewayUrl, {
        token: officer,
        purpose: 'CONSENT_MANAGEMENT',
        query: `mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id } }`,
        variables: { input: languageConsentInput(person.id, { categories: ['CLEARING_LANGUAGE', 'HOUSING'] }) },
      });
      assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    }
    const targets: SeedTargets = {};
    for (const name of SUBGRAPHS)
      targets[name] = { definition: await loadSubgraphDefinition(name), db: hub.subgraphs[name].db };
    let seeded = SIZES[0];
    for (const size of SIZES) {
      await seedDemo(targets, { seed: SEED, from: seeded, to: size });
      seeded = size;
      await count(FULL_PAGE); // warm-up: the first request of a kind prepares what later ones reuse
      const full = await count(FULL_PAGE);
      const nobody = await count(NOBODY);
      measured.push({ size, full: full.counts, nobody: nobody.counts, found: full.found });
    }
  });
  afterAll(() => hub.stop());

  it('runs the same statements per subgraph for a full page and for an empty search with 100 and 1000 persons seeded', () => {
    console.log(
      measured
        .map((m) => `${m.size} seeded: full page ${JSON.stringify(m.full)}, nobody found ${JSON.stringify(m.nobody)}`)
        .join('; '),
    );
    const [small, large] = measured;
    assert.equal(small.found, 5);
    assert.equal(large.found, 5);
    assert.ok(
      small.full.county > 0 && small.full.municipality > 0 && small.full.consent > 0,
      'every part of the search reads its database',
    );
    assert.deepEqual(large.full, small.full);
    assert.deepEqual(large.nobody, small.nobody);
  });
});
