import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { SUBGRAPHS, type SubgraphName } from '../../common/domain.js';
import { seedDemo, type SeedTargets } from '../../seed/seed-demo.js';
import { demoPersons } from '../../seed/world.js';
import { loadSubgraphDefinition } from '../../subgraphs/index.js';
import {
  CASELOAD_SEED,
  CASELOAD_SIZES,
  consentToCaseload,
  countCaseloadStatements,
  warmCaseload,
  type CaseloadCount,
  type CaseloadTokens,
  type CountedHub,
} from '../../bench/caseload.js';
import { startHub, type RunningHub } from '../support/hub.js';
import { tokenFor } from '../support/tokens.js';

const SEED = CASELOAD_SEED;
const SIZES = CASELOAD_SIZES;

describe('the caseload of 100 persons (benchmark scenario 3)', () => {
  let hub: RunningHub;
  let tokens: CaseloadTokens;
  const counts: CaseloadCount[] = [];

  beforeAll(async () => {
    hub = await startHub({ persons: demoPersons(SEED, 0, SIZES[0]), seed: SEED });
    tokens = { jobcenter: await tokenFor('jobcenter'), officer: await tokenFor('county', ['CONSENT_OFFICER']) };
    const counted: CountedHub = {
      gatewayUrl: hub.gatewayUrl,
      statements: () =>
        Object.fromEntries(SUBGRAPHS.map((n) => [n, hub.subgraphs[n].statements.count])) as Record<
          SubgraphName,
          number
        >,
    };
    const targets: SeedTargets = {};
    for (const name of SUBGRAPHS)
      targets[name] = { definition: await loadSubgraphDefinition(name), db: hub.subgraphs[name].db };
    const consented = new Set<string>();
    let seeded = SIZES[0];
    for (const size of SIZES) {
      await seedDemo(targets, { seed: SEED, from: seeded, to: size });
      seeded = size;
      await consentToCaseload(hub.gatewayUrl, tokens, consented);
      await warmCaseload(counted, tokens);
      counts.push(await countCaseloadStatements(counted, tokens));
    }
  });
  afterAll(() => hub.stop());

  it('costs every subgraph the same number of SQL statements with 10, 100 and 1000 persons seeded (the registry: one lookup for a short list)', () => {
    console.log(
      counts.map((c, i) => `${SIZES[i]} seeded, ${c.persons} listed: ${JSON.stringify(c.statements)}`).join('; '),
    );
    const [small, medium, large] = counts;
    assert.equal(large.persons, 100);
    assert.ok(
      small.persons > 0 && small.persons < 100,
      `a short caseload with ${SIZES[0]} persons seeded (${small.persons})`,
    );
    for (const name of SUBGRAPHS) assert.ok(small.statements[name] > 0, `${name} reads its database`);
    // The lists of 100 persons cost the same whatever is seeded.
    assert.deepEqual(large.statements, medium.statements);
    // The short list too, but for the registry: its few persons fit one signed consent statement, so the
    // gateway's one lookup replaces the subgraphs' own (signed grants); a list of 100 is asked by each subgraph.
    for (const name of SUBGRAPHS.filter((n) => n !== 'consent')) {
      assert.equal(small.statements[name], large.statements[name], `${name}: the same for the short list`);
    }
    assert.equal(small.statements.consent, 1, 'the short list: one lookup, by the gateway');
    assert.ok(large.statements.consent >= small.statements.consent, 'the long list: one lookup per asking subgraph');
  });
});
