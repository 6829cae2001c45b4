import 'reflect-metadata';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { promisify } from 'node:util';
import { Kind, parse, type ObjectTypeDefinitionNode } from 'graphql';
import { listen } from '../../common/http.js';
import { demoPersons } from '../../seed/world.js';
import { codes, post } from '../support/graphql.js';
import { startHub, type RunningHub } from '../support/hub.js';
import { DISTRIBUTION, fetchIndicators, figures } from '../support/indicators.js';
import { tokenFor } from '../support/tokens.js';

const SEED = 5;
const persons = demoPersons(SEED, 0, 200);
const root = path.resolve(import.meta.dirname, '../..');
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** Each indicator field and the subgraph that owns it. */
const OWNERS = {
  housing: 'municipality',
  childcareSchool: 'municipality',
  germanAtClearing: 'county',
  employmentStatus: 'jobcenter',
  integrationCourses: 'jobcenter',
  openSupportNeeds: 'socialcare',
} as const;
const FIELDS = Object.keys(OWNERS)
  .map((field) => `${field} { ${DISTRIBUTION} }`)
  .join(' ');

describe('monitoring indicators through the gateway', () => {
  let hub: RunningHub;
  let analyst: string;

  beforeAll(async () => {
    hub = await startHub({ persons, seed: SEED, unseeded: ['consent'] });
    analyst = await tokenFor('county', ['ANALYST'], 'm.analyst');
  });
  afterAll(() => hub.stop());

  const ask = (query: string, token = analyst, purpose = 'MONITORING') =>
    post(hub.gatewayUrl, { token, purpose, query });

  it('composes every indicator from the partner that owns it, for the district, a municipality and a trend of periods', async () => {
    const response = await ask(`{
      q2: indicators(period: "2026-Q2") { period region asOf ${FIELDS} }
      q3: indicators(period: "2026-Q3") { period region asOf ${FIELDS} }
      m1: indicators(period: "2026-09", municipality: "08999001") { period region asOf ${FIELDS} }
    }`);
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    const { q2, q3, m1 } = response.data!;
    assert.deepEqual([q3.period, q3.region, q3.asOf], ['2026-Q3', 'DISTRICT', '2026-09-30']);
    assert.deepEqual([m1.period, m1.region, m1.asOf], ['2026-09', '08999001', '2026-09-30']);
    assert.doesNotMatch(JSON.stringify(response.data), UUID, 'no person id leaves a subgraph');

    // Every demo person lives in accommodation from arrival on: the district's housing total is everyone arrived by then.
    const arrived = (day: string) => persons.filter((p) => p.arrivalDate <= day).length;
    assert.equal(figures(q3.housing).TOTAL, arrived('2026-09-30'));
    assert.equal(figures(q2.housing).TOTAL, arrived('2026-06-30'));
    assert.ok(arrived('2026-06-30') < arrived('2026-09-30'), 'the trend moves');

    // Each figure is exactly what its owner answers when asked directly.
    for (const [field, owner] of Object.entries(OWNERS)) {
      for (const [result, region] of [
        [q3, 'DISTRICT'],
        [m1, '08999001'],
      ] as const) {
        const direct = await fetchIndicators(hub.subgraphs[owner].url, {
          token: analyst,
          period: result.period,
          region,
          fields: [field],
        });
        assert.deepEqual(result[field], direct.data!._entities[0][field], `${field} for ${region} from ${owner}`);
        assert.ok(result[field].cells.length > 0);
        figures(result[field]);
      }
    }
    // Something was large enough to publish, and something small enough to withhold.
    const all = [q3, m1].flatMap((r) => Object.keys(OWNERS).flatMap((f) => Object.values(figures(r[f]))));
    assert.ok(all.some((v) => v !== null && v >= 5));
    assert.ok(all.some((v) => v === null));
  });

  it('refuses indicators to caseworkers and consent officers, and to analysts stating another purpose', async () => {
    // A purpose the token's roles do not include is refused outright; a caseworker's own purpose at the
    // gateway, before any subgraph is asked.
    const cases: [string, string[], string, string][] = [
      ['jobcenter', ['CASEWORKER'], 'JOB_PLACEMENT', 'FORBIDDEN'],
      ['county', ['CASEWORKER', 'ANALYST'], 'CLEARING', 'FORBIDDEN'],
      ['jobcenter', ['CASEWORKER'], 'MONITORING', 'FORBIDDEN_PURPOSE'],
      ['county', ['CONSENT_OFFICER'], 'MONITORING', 'FORBIDDEN_PURPOSE'],
      ['county', ['ANALYST'], 'CLEARING', 'FORBIDDEN_PURPOSE'],
      ['municipality:08999001', ['ANALYST'], 'HOUSING_ALLOCATION', 'FORBIDDEN_PURPOSE'],
    ];
    for (const [agency, roles, purpose, code] of cases) {
      const response = await ask(
        `{ indicators(period: "2026-Q3") { housing { total { value } } employmentStatus { total { value } } } }`,
        await tokenFor(agency, roles as never),
        purpose,
      );
      assert.deepEqual(codes(response), [code], `${agency} ${roles.join('+')} ${purpose}`);
      assert.equal(response.data?.indicators ?? null, null);
    }
  });

  it('lets an analyst read no person-level data: every other query is refused or gives reference data only', async () => {
    const [{ id }] = await hub.subgraphs.county.db.query<{ id: string }[]>('SELECT id FROM person ORDER BY id LIMIT 1');
    const PERSON = `givenName familyName dateOfBirth nationality residence { status } clearing { languages { level } schooling { years } }
      housing { type } housingHistory { since } childcareSchool { kind } employment { status } measures { kind } integrationCourse { status }
      benefits { since } socialCare { since } specialNeeds { kind } consents { state } contacts { name }`;
    const TERMS = `{ recipients: ["jobcenter"], purposes: [JOB_PLACEMENT], categories: [CLEARING_LANGUAGE],
      givenAt: "2026-11-20T10:00:00Z", form: WRITTEN, evidenceReference: "x", noticeVersion: "2026-01", noticeLanguage: "de" }`;
    const refused: Record<string, string> = {
      person: `{ person(id: "${id}") { id ${PERSON} } }`,
      registeredPersons: `{ registeredPersons { id } }`,
      searchPersons: `{ searchPersons(name: "Omar") { id givenName } }`,
      jobcenterCaseload: `{ jobcenterCaseload { id } }`,
      residents: `{ residents { id } }`,
      clients: `{ clients { id } }`,
      caseNotes: `{ caseNotes(personId: "${id}") { text } }`,
      consent: `{ consent(id: "${id}") { id } }`,
      disclosureTimeline: `{ disclosureTimeline(personId: "${id}") { records { sequence } } }`,
      disclosureLog: `{ disclosureLog { records { personId } } }`,
      accessReport: `{ accessReport(personId: "${id}") { document } }`,
      disclosureLogVerification: `{ disclosureLogVerification { summary } }`,
      disclosureLogExport: `{ disclosureLogExport(first: 10) }`,
      disclosureExport: `{ disclosureExport(first: 10, format: CSV) { base64 } }`,
      disclosureSummary: `{ disclosureSummary(personId: "${id}") { recipient count } }`,
      candidateSearch: `{ candidateSearch(filter: { language: { language: "de", atLeast: A1 } }) { candidates { person { id } } } }`,
      effectiveAccess: `{ effectiveAccess(personId: "${id}") { agency allowed } }`,
      withdrawalPreview: `{ withdrawalPreview(id: "${id}") { agency } }`,
      changePreview: `{ changePreview(id: "${id}", terms: ${TERMS}) { agency } }`,
      overlappingConsents: `{ overlappingConsents(personId: "${id}", terms: ${TERMS}) { id } }`,
      consentSettings: `{ consentSettings { timeZone } }`,
    };
    const reference: Record<string, string> = {
      municipalities: `{ municipalities { ags name population } }`,
      welfareOrganisations: `{ welfareOrganisations { id name } }`,
      indicators: `{ indicators(period: "2026-Q3") { period } }`,
      directory: `{ directory { fieldOfAction office contactName phone municipality { name } agency } }`,
      indicatorSeries: `{ indicatorSeries(periods: ["2026-Q2", "2026-Q3"], regions: ["DISTRICT"]) { period region } }`,
    };
    // The list covers every query of the composed graph, so a new query must be placed here.
    const supergraph = parse(await readFile(path.join(root, 'schema/supergraph.graphql'), 'utf8'));
    const query = supergraph.definitions.find(
      (d): d is ObjectTypeDefinitionNode => d.kind === Kind.OBJECT_TYPE_DEFINITION && d.name.value === 'Query',
    )!;
    const published = query
      .fields!.filter((f) => !f.directives?.some((d) => d.name.value === 'inaccessible'))
      .map((f) => f.name.value);
    assert.deepEqual(published.sort(), [...Object.keys(refused), ...Object.keys(reference)].sort());

    for (const [name, text] of Object.entries(refused)) {
      const response = await ask(text);
      assert.ok(
        codes(response).length > 0 && codes(response).every((c) => c === 'FORBIDDEN'),
        `${name}: ${JSON.stringify(response.errors)}`,
      );
      assert.equal(response.data?.[name] ?? null, null, `${name} gives nothing`);
    }
    for (const [name, text] of Object.entries(reference)) {
      const response = await ask(text);
      assert.equal(response.errors, undefined, name);
      assert.doesNotMatch(JSON.stringify(response.data), UUID, name);
    }
  });

  it('exports the same figures as CSV and JSON with npm run indicators, through the gateway', async () => {
    const run = (...args: string[]) =>
      promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', 'scripts/indicators.ts', '--url', hub.gatewayUrl, '--token', analyst, ...args],
        { cwd: root },
      );
    const csv = await run('--period', '2026-Q2', '--period', '2026-Q3', '--format', 'csv');
    const lines = csv.stdout.trim().split('\n');
    assert.equal(lines[0], 'period,region,as_of,indicator,source,key,value,suppressed');
    const total = lines.find((l) => l.startsWith('2026-Q3,DISTRICT,2026-09-30,housing,municipality,TOTAL,'));
    assert.equal(
      total,
      `2026-Q3,DISTRICT,2026-09-30,housing,municipality,TOTAL,${persons.filter((p) => p.arrivalDate <= '2026-09-30').length},false`,
    );
    for (const [field, owner] of Object.entries(OWNERS)) {
      for (const period of ['2026-Q2', '2026-Q3'])
        assert.ok(
          lines.some((l) => l.startsWith(`${period},DISTRICT,`) && l.includes(`,${field},${owner},`)),
          `${period} ${field}`,
        );
    }
    assert.ok(
      lines.slice(1).every((l) => /,,true$/.test(l) || /,\d+,false$/.test(l)),
      'withheld figures are empty and marked',
    );

    const json = JSON.parse(
      (await run('--period', '2026-09', '--municipality', '08999001', '--format', 'json')).stdout,
    );
    const direct = await ask(
      `{ indicators(period: "2026-09", municipality: "08999001") { period region asOf ${FIELDS} } }`,
    );
    assert.deepEqual(json, { indicators: [direct.data!.indicators] });
  });

  it('says clearly when the gateway cannot be reached, and what is wrong with a bad period', async () => {
    const closed = await listen(async () => {}, 0);
    await closed.close();
    const run = (...args: string[]) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/indicators.ts', '--token', analyst, ...args], {
        cwd: root,
      }).then(
        () => assert.fail('expected a failure'),
        (error: { code: number; stderr: string }) => error,
      );
    const unreachable = await run('--url', closed.url, '--period', '2026-Q3');
    assert.equal(unreachable.code, 69);
    assert.match(
      unreachable.stderr,
      new RegExp(
        `Cannot reach the Verbund gateway at ${closed.url.replace(/[.]/g, '\\.')} \\(ECONNREFUSED\\)\\. Start the hub with \`npm start\``,
      ),
    );
    const bad = await run('--url', hub.gatewayUrl, '--period', '2026-Q5');
    assert.equal(bad.code, 64);
    assert.match(bad.stderr, /--period: quarter Q5 does not exist/);
  });
});
