import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { PURPOSES, PURPOSES_BY_AGENCY, PURPOSE_ROLE, ROLES, parseAgency } from '../../common/domain.js';
import { monitoringWindow } from '../../common/monitoring/series.js';
import { isSmall } from '../../common/monitoring/suppression.js';
import { demoPersons } from '../../seed/world.js';
import { municipalitySubgraph } from '../../subgraphs/municipality/municipality.subgraph.js';
import { municipalitySeeder } from '../../subgraphs/municipality/seed.js';
import { MunicipalityIndicatorService } from '../../subgraphs/municipality/services/indicators.service.js';
import { codes, post, type GraphQLResponse } from '../support/graphql.js';
import { DISTRIBUTION, figures, type Figures } from '../support/indicators.js';
import { startHub, type RunningHub } from '../support/hub.js';
import { startSubgraph, type RunningSubgraph } from '../support/subgraph.js';
import { tokenFor } from '../support/tokens.js';

const MUNICIPALITIES = ['08999001', '08999002', '08999003', '08999004', '08999005', '08999006'];
const SERIES = `query($p: [String!]!, $r: [String!]!) { indicatorSeries(periods: $p, regions: $r) { period region asOf housing { ${DISTRIBUTION} } } }`;

interface Entry {
  period: string;
  region: string;
  asOf: string;
  housing: Parameters<typeof figures>[0];
}

/**
 * Monitoring as an analyst trying to get a small count out of it: by choosing periods (months against
 * quarters, neighbouring periods, one at a time or many together), by choosing sets of municipalities, by
 * many aliases, by a huge range, and by every other role and purpose. Straight at the municipality subgraph,
 * which serves the monitoring entry points (the gateway runs the same rule from the same table).
 */
describe('monitoring: what an analyst can get by asking cleverly', () => {
  let municipality: RunningSubgraph;
  let analyst: string;

  const series = async (
    periods: string[],
    regions: string[],
    token = analyst,
    purpose = 'MONITORING',
  ): Promise<GraphQLResponse> =>
    post(municipality.url, { token, purpose, query: SERIES, variables: { p: periods, r: regions } });
  const byKey = (response: GraphQLResponse): Map<string, Figures> => {
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    const entries = (response.data as { indicatorSeries: Entry[] }).indicatorSeries;
    return new Map(entries.map((e) => [`${e.period}@${e.region}`, figures(e.housing)]));
  };

  beforeAll(async () => {
    municipality = await startSubgraph(municipalitySubgraph);
    await municipalitySeeder.reference!(municipality.db);
    // 120 demo persons: enough for some figures to stand, few enough for many small cells in six municipalities.
    await municipalitySeeder.persons(municipality.db, demoPersons(1, 0, 120), 1);
    analyst = await tokenFor('county', ['ANALYST']);
  });
  afterAll(() => municipality.stop());

  it('gives the same figures whichever periods and regions are asked together, in any order, one by one or by alias', async () => {
    const periods = ['2025-Q4', '2026-01', '2026-02', '2026-03', '2026-Q1', '2026-Q2', '2026-07', '2026-Q3'];
    const regions = ['DISTRICT', ...MUNICIPALITIES];
    const all = byKey(await series(periods, regions));
    assert.equal(all.size, periods.length * regions.length);
    const reversed = byKey(await series([...periods].reverse(), [...regions].reverse()));
    const pairs = byKey(await series(['2026-07', '2026-Q3'], ['08999003']));
    for (const [key, value] of pairs) assert.deepEqual(value, all.get(key), key);
    for (const [key, value] of reversed) assert.deepEqual(value, all.get(key), key);
    // One at a time through `indicators`, and as many aliases as the limits allow.
    const aliases = periods.map(
      (p, i) => `a${i}: indicators(period: "${p}", municipality: "08999002") { period housing { ${DISTRIBUTION} } }`,
    );
    const aliased = await post(municipality.url, {
      token: analyst,
      purpose: 'MONITORING',
      query: `{ ${aliases.join(' ')} }`,
    });
    assert.equal(aliased.errors, undefined, JSON.stringify(aliased.errors));
    for (const entry of Object.values(aliased.data as Record<string, { period: string; housing: Entry['housing'] }>)) {
      assert.deepEqual(figures(entry.housing), all.get(`${entry.period}@08999002`), entry.period);
    }
    // A quarter is its last month.
    assert.deepEqual(all.get('2026-Q1@08999001'), all.get('2026-03@08999001'));
  });

  it('withholds every count that is small in its period, and every cell withheld in one period in all of them', async () => {
    const months = Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`);
    const regions = ['DISTRICT', ...MUNICIPALITIES];
    const all = byKey(await series(months, regions));
    const service = new MunicipalityIndicatorService(municipality.db.manager);
    let small = 0;
    let published = 0;
    for (const month of months) {
      const end = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5)), 0)).toISOString().slice(0, 10);
      const table = await service.housing(end);
      for (const region of regions) {
        const rows =
          region === 'DISTRICT'
            ? [...table.municipalities.values(), table.unassigned ?? {}]
            : [table.municipalities.get(region) ?? {}];
        const truth: Record<string, number> = { SHARED: 0, FOLLOW_UP: 0, OWN_FLAT: 0 };
        for (const row of rows) for (const key of Object.keys(truth)) truth[key] += row[key] ?? 0;
        truth.TOTAL = truth.SHARED + truth.FOLLOW_UP + truth.OWN_FLAT;
        const shown = all.get(`${month}@${region}`)!;
        for (const [key, value] of Object.entries(truth)) {
          if (isSmall(value, 5)) {
            small += 1;
            assert.equal(shown[key], null, `${month} ${region} ${key} = ${value} is small`);
          } else if (shown[key] !== null) {
            published += 1;
            assert.equal(shown[key], value, `${month} ${region} ${key}`);
          }
        }
      }
    }
    assert.ok(small > 10 && published > 10, `the data exercise both (${small} small, ${published} published)`);
    // One pattern: a cell is withheld in every month or in none.
    for (const region of regions) {
      for (const key of ['SHARED', 'FOLLOW_UP', 'OWN_FLAT', 'TOTAL']) {
        const withheld = new Set(months.map((m) => all.get(`${m}@${region}`)![key] === null));
        assert.equal(withheld.size, 1, `${region} ${key} is withheld in some months only`);
      }
    }
  });

  it('refuses huge, repeated, unknown and out-of-window requests with BAD_USER_INPUT, before counting', async () => {
    const months = (from: number, n: number) =>
      Array.from(
        { length: n },
        (_, i) => `${2000 + Math.floor((from + i) / 12)}-${String(((from + i) % 12) + 1).padStart(2, '0')}`,
      );
    const problems = async (periods: string[], regions: string[]) => {
      const response = await series(periods, regions);
      assert.deepEqual(codes(response), ['BAD_USER_INPUT'], JSON.stringify(response.errors));
      return (response.errors![0].extensions!.problems as { field: string; message: string }[]).map(
        (p) => `${p.field}: ${p.message}`,
      );
    };
    assert.deepEqual(await problems(months(25 * 12, 37), ['DISTRICT']), ['periods: must list 1 to 36 values']);
    assert.deepEqual(await problems([], ['DISTRICT']), ['periods: must list 1 to 36 values']);
    assert.deepEqual(
      await problems(
        ['2026-Q3'],
        Array.from({ length: 31 }, (_, i) => `089990${String(i).padStart(2, '0')}`),
      ),
      ['regions: must list 1 to 30 values'],
    );
    assert.deepEqual(await problems(['2026-Q3', '2026-Q3'], ['DISTRICT']), ['periods: lists a value twice']);
    assert.deepEqual(await problems(['2024-12'], ['DISTRICT']), [
      'periods[0]: 2024-12 is outside the monitoring window 2025-01 to ' + windowEnd(),
    ]);
    assert.deepEqual(await problems(['2026-Q3'], ['Lindenau']), [
      'regions[0]: must be DISTRICT or a municipality key (AGS) of eight digits',
    ]);
    assert.deepEqual(await problems(['2026-Q3'], ['08999099']), [
      'regions: 08999099 is not a municipality of the district',
    ]);
    // Periods × regions are bounded per request, over all aliases: 32 × 8 is too many, so are 2 aliases of 24 × 7.
    const regions = ['DISTRICT', ...MUNICIPALITIES];
    const quarters = ['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4'];
    assert.deepEqual(await problems([...months(25 * 12, 24), ...quarters], [...regions, '08999007']), [
      'periods: asks for 256 periods × regions in this request; at most 252',
    ]);
    const twice = await post(municipality.url, {
      token: analyst,
      purpose: 'MONITORING',
      query: `query($p: [String!]!, $r: [String!]!) { a: indicatorSeries(periods: $p, regions: $r) { period } b: indicatorSeries(periods: $p, regions: $r) { period } }`,
      variables: { p: months(25 * 12, 24), r: regions },
    });
    assert.deepEqual(codes(twice), ['BAD_USER_INPUT']);
    assert.equal((twice.data as { b?: unknown } | null)?.b ?? null, null);
  });

  it('answers indicatorSeries to analysts with purpose MONITORING only, for every agency, role and purpose', async () => {
    let refused = 0;
    for (const agency of ['county', 'municipality:08999001', 'jobcenter', 'socialcare:caritas']) {
      const kind = parseAgency(agency)!.kind;
      for (const role of ROLES) {
        const token = await tokenFor(agency, [role]);
        for (const purpose of PURPOSES) {
          const response = await series(['2026-Q3'], ['DISTRICT'], token, purpose);
          const expected =
            !PURPOSES_BY_AGENCY[kind].includes(purpose) || PURPOSE_ROLE[purpose] !== role
              ? 'FORBIDDEN_PURPOSE'
              : purpose === 'MONITORING'
                ? 'OK'
                : 'FORBIDDEN';
          if (expected === 'OK') {
            assert.equal(response.errors, undefined, `${agency} ${role} ${purpose}`);
          } else {
            assert.deepEqual(codes(response), [expected], `${agency} ${role} ${purpose}`);
            assert.ok(!response.data || (response.data as Record<string, unknown>).indicatorSeries == null, 'no data');
            refused += 1;
          }
        }
      }
    }
    assert.ok(refused > 100);
  });
});

function windowEnd(): string {
  return monitoringWindow().at(-1)!.slice(0, 7);
}

/**
 * The same at the gateway, with every partner's indicators: one request or many, series or aliases, give the
 * same figures; the gateway refuses the series to every other role and purpose before any subgraph is asked.
 */
describe('monitoring at the gateway', () => {
  let hub: RunningHub;
  let analyst: string;
  const FIELDS = [
    'housing',
    'childcareSchool',
    'germanAtClearing',
    'employmentStatus',
    'integrationCourses',
    'vocationalLanguage',
    'openSupportNeeds',
    'socialParticipation',
    'languageSupport',
  ];
  const selection = FIELDS.map((f) => `${f} { ${DISTRIBUTION} }`).join(' ');

  beforeAll(async () => {
    hub = await startHub({ persons: demoPersons(1, 0, 120), seed: 1 });
    analyst = await tokenFor('county', ['ANALYST']);
  });
  afterAll(() => hub.stop());

  it('gives every partner’s figures alike through indicatorSeries and through aliases of indicators', async () => {
    const periods = ['2025-Q4', '2026-02', '2026-Q2'];
    const series = await post(hub.gatewayUrl, {
      token: analyst,
      purpose: 'MONITORING',
      query: `query($p: [String!]!, $r: [String!]!) { indicatorSeries(periods: $p, regions: $r) { period region ${selection} } }`,
      variables: { p: periods, r: ['DISTRICT', '08999004'] },
    });
    assert.equal(series.errors, undefined, JSON.stringify(series.errors));
    const entries = (
      series.data as { indicatorSeries: (Record<string, Entry['housing']> & { period: string; region: string })[] }
    ).indicatorSeries;
    assert.equal(entries.length, 6);
    const aliases = periods
      .map((p, i) => `a${i}: indicators(period: "${p}", municipality: "08999004") { period ${selection} }`)
      .join(' ');
    const aliased = await post(hub.gatewayUrl, { token: analyst, purpose: 'MONITORING', query: `{ ${aliases} }` });
    assert.equal(aliased.errors, undefined, JSON.stringify(aliased.errors));
    let withheld = 0;
    for (const entry of Object.values(
      aliased.data as Record<string, Record<string, Entry['housing']> & { period: string }>,
    )) {
      const same = entries.find((e) => e.period === entry.period && e.region === '08999004')!;
      for (const field of FIELDS) {
        assert.deepEqual(figures(entry[field]), figures(same[field]), `${entry.period} ${field}`);
        withheld += Object.values(figures(entry[field])).filter((v) => v === null).length;
      }
    }
    assert.ok(withheld > 0, 'a small municipality has withheld figures');
  });

  it('refuses indicatorSeries at the gateway to caseworkers, consent officers and analysts with another purpose', async () => {
    const ask = async (token: string, purpose: string) =>
      post(hub.gatewayUrl, {
        token,
        purpose,
        query: `{ indicatorSeries(periods: ["2026-Q3"], regions: ["DISTRICT"]) { period housing { total { value } } } }`,
      });
    assert.deepEqual(codes(await ask(await tokenFor('county', ['CASEWORKER']), 'CLEARING')), ['FORBIDDEN']);
    assert.deepEqual(codes(await ask(await tokenFor('county', ['CONSENT_OFFICER']), 'CONSENT_MANAGEMENT')), [
      'FORBIDDEN',
    ]);
    assert.deepEqual(codes(await ask(await tokenFor('county', ['CASEWORKER', 'ANALYST']), 'CLEARING')), ['FORBIDDEN']);
    assert.deepEqual(codes(await ask(await tokenFor('jobcenter', ['ANALYST']), 'MONITORING')), []);
  });
});
