import 'reflect-metadata';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { parser as promqlParser } from '@prometheus-io/lezer-promql';
import { parse as parseYaml } from 'yaml';
import { metricsAccess, loadConfig } from '../../common/config.js';
import { SUBGRAPHS, type SubgraphName } from '../../common/domain.js';
import { listen, type Listening } from '../../common/http.js';
import { answerMetrics, PartMetrics } from '../../common/metrics.js';
import { demoPersons } from '../../seed/world.js';
import { post } from '../support/graphql.js';
import { startHub, type RunningHub } from '../support/hub.js';
import { PERSON_VIEW, languageConsentInput } from '../support/queries.js';
import { tokenFor } from '../support/tokens.js';

const SEED = 41;
const persons = demoPersons(SEED, 0, 12);

const root = path.resolve(import.meta.dirname, '../..');

/** A PromQL expression parsed by Prometheus' own grammar (lezer-promql): its syntax errors and the metrics it names. */
function promql(expr: string): { errors: number; metrics: string[] } {
  let errors = 0;
  const metrics: string[] = [];
  promqlParser.parse(expr).iterate({
    enter(node) {
      if (node.type.isError) errors += 1;
      if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector')
        metrics.push(expr.slice(node.from, node.to));
    },
  });
  return { errors, metrics };
}

/** One series of a scrape: its name, labels and value. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parse(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      assert.ok(match, `a sample line: ${line}`);
      const labels = Object.fromEntries(
        [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
      );
      return { name: match[1], labels, value: Number(match[3]) };
    });
}

/** The sum of a metric's series whose labels include `labels`. */
function total(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

async function scrape(graphqlUrl: string, token?: string): Promise<{ status: number; text: string }> {
  const response = await fetch(new URL('/metrics', graphqlUrl), {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { status: response.status, text: await response.text() };
}

describe('metrics', () => {
  let hub: RunningHub;
  let personId: string;
  const texts: Partial<Record<SubgraphName | 'gateway', string>> = {};
  const url = (part: SubgraphName | 'gateway') => (part === 'gateway' ? hub.gatewayUrl : hub.subgraphs[part].url);

  beforeAll(async () => {
    hub = await startHub({ persons, seed: SEED, unseeded: ['consent'] });
    const rows = await hub.subgraphs.county.db.query<{ person_id: string }[]>(
      'SELECT person_id FROM language_skill ORDER BY person_id LIMIT 1',
    );
    personId = rows[0].person_id;
    // A consent, so that the person view releases a consent-based field too.
    const recorded = await post(hub.gatewayUrl, {
      token: await tokenFor('county', ['CONSENT_OFFICER']),
      purpose: 'CONSENT_MANAGEMENT',
      query: 'mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id } }',
      variables: { input: languageConsentInput(personId) },
    });
    assert.equal(recorded.errors, undefined, JSON.stringify(recorded.errors));
    const view = await post(hub.gatewayUrl, {
      token: await tokenFor('jobcenter'),
      purpose: 'JOB_PLACEMENT',
      query: PERSON_VIEW,
      variables: { id: personId },
    });
    assert.ok(view.data?.person, JSON.stringify(view));
    // The same view again: the gateway's entity fetches bring documents Apollo has validated by now, which the
    // data subgraphs serve on their lean path.
    const again = await post(hub.gatewayUrl, {
      token: await tokenFor('jobcenter'),
      purpose: 'JOB_PLACEMENT',
      query: PERSON_VIEW,
      variables: { id: personId },
    });
    assert.deepEqual(again.data, view.data);
    // The same errors; the gateway lists them as its parallel fetches answer, so in either order.
    const byPath = (errors: typeof view.errors) =>
      [...(errors ?? [])].sort((a, b) => JSON.stringify(a.path).localeCompare(JSON.stringify(b.path)));
    assert.deepEqual(byPath(again.errors), byPath(view.errors));
    // Client strings that must never become labels: an operation name and an alias made of the person's id,
    // a root field that does not exist, a purpose the caller may not use.
    const hex = personId.replace(/-/g, '');
    await post(hub.gatewayUrl, {
      token: await tokenFor('jobcenter'),
      purpose: 'JOB_PLACEMENT',
      query: `query P${hex} { a${hex}: person(id: "${personId}") { id } }`,
    });
    await post(hub.gatewayUrl, { token: await tokenFor('jobcenter'), purpose: 'JOB_PLACEMENT', query: `{ x${hex} }` });
    // Language skills alone: one fetch, so no signed statement; the county asks the registry itself.
    await post(hub.gatewayUrl, {
      token: await tokenFor('jobcenter'),
      purpose: 'JOB_PLACEMENT',
      query: `query($id: ID!) { person(id: $id) { clearing { languages { language } } } }`,
      variables: { id: personId },
    });
    await post(hub.gatewayUrl, {
      token: await tokenFor('jobcenter'),
      purpose: 'CONSENT_MANAGEMENT',
      query: PERSON_VIEW,
      variables: { id: personId },
    });
    await post(hub.subgraphs.jobcenter.url, {
      token: await tokenFor('jobcenter'),
      purpose: 'JOB_PLACEMENT',
      query: `query Q${hex}($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id } } }`,
      variables: {
        r: [
          { __typename: 'Person', id: personId },
          { __typename: `P${hex}`, id: personId },
        ],
      },
    });
    for (const part of ['gateway', ...SUBGRAPHS] as const) {
      const answer = await scrape(url(part));
      assert.equal(answer.status, 200, `${part}: ${answer.text}`);
      texts[part] = answer.text;
    }
  });
  afterAll(() => hub.stop());

  it('one scrape after a person view shows its requests, refusals, consent lookups, log appends and pool use', () => {
    const gateway = parse(texts.gateway!);
    assert.ok(
      total(gateway, 'verbund_requests_total', { part: 'gateway', operation: 'Query.person', outcome: 'errors' }) >= 1,
      'the person view, answered with refusals',
    );
    assert.ok(total(gateway, 'verbund_request_duration_seconds_count', { operation: 'Query.person' }) >= 1);
    assert.ok(total(gateway, 'verbund_requests_total', { operation: 'Mutation.recordConsent', outcome: 'ok' }) >= 1);
    assert.ok(
      total(gateway, 'verbund_refusals_total', { code: 'CONSENT_REQUIRED', category: 'HOUSING' }) >= 1,
      'housing refused to the jobcenter',
    );
    assert.ok(
      total(gateway, 'verbund_refusals_total', { code: 'FORBIDDEN_PURPOSE', category: 'none' }) >= 1,
      'a purpose of another role, refused before any operation',
    );
    assert.ok(
      total(gateway, 'verbund_refusals_total', { code: 'GRAPHQL_VALIDATION_FAILED' }) >= 1,
      'a root field that does not exist',
    );
    for (const name of ['county', 'municipality', 'jobcenter', 'socialcare'] as const) {
      const samples = parse(texts[name]!);
      // The county answers the view's root field; the others the gateway's entity fetch.
      const operation = name === 'county' ? 'Query.person' : 'Entity.Person';
      assert.ok(
        total(samples, 'verbund_requests_total', { part: name, operation }) >= 1,
        `${name}: its fetch of the person view`,
      );
      assert.ok(
        total(samples, 'verbund_log_appends_total', { log: 'disclosure', outcome: 'ok' }) >= 1,
        `${name}: its disclosure records`,
      );
      assert.ok(
        total(samples, 'verbund_log_append_records_count', { log: 'disclosure' }) >= 1,
        `${name}: batch size observed`,
      );
      assert.ok(
        total(samples, 'verbund_log_append_duration_seconds_count', { log: 'disclosure', outcome: 'ok' }) >= 1,
        `${name}: append latency observed`,
      );
      assert.ok(total(samples, 'verbund_db_pool_connections', { state: 'open' }) >= 1, `${name}: its pool`);
      assert.equal(total(samples, 'verbund_db_pool_max_connections'), 10, `${name}: the pool's maximum, its own gauge`);
      assert.ok(!samples.some((s) => s.name === 'verbund_db_pool_connections' && s.labels.state === 'max'));
      assert.ok(
        samples.some((s) => s.name === 'verbund_log_uncheckpointed_records'),
        `${name}: records waiting for a checkpoint`,
      );
    }
    const county = parse(texts.county!);
    assert.ok(
      total(county, 'verbund_consent_grant_statements_total', { outcome: 'used' }) >= 1,
      "in the person view the county used the registry's signed statement the gateway passed on",
    );
    assert.ok(
      total(county, 'verbund_consent_lookups_total', { outcome: 'ok' }) >= 1,
      'asked alone about language skills, the county asked the registry itself',
    );
    assert.ok(total(county, 'verbund_consent_lookup_duration_seconds_count', { outcome: 'ok' }) >= 1);
    for (const name of ['municipality', 'jobcenter', 'socialcare'] as const) {
      const samples = parse(texts[name]!);
      assert.ok(
        total(samples, 'verbund_lean_path_total', { path: 'lean' }) >= 1,
        `${name}: the second view's entity fetch took the lean path`,
      );
      assert.ok(total(samples, 'verbund_lean_path_total', { path: 'apollo' }) >= 1, `${name}: the first, Apollo's`);
    }
    const jobcenter = parse(texts.jobcenter!);
    assert.equal(total(jobcenter, 'verbund_refusals_total', { code: 'OTHER' }), 0);
    const consent = parse(texts.consent!);
    assert.ok(
      total(consent, 'verbund_requests_total', { operation: 'Lookup.consentGrants', outcome: 'ok' }) >= 1,
      'the lookups, as the registry counts them',
    );
    assert.equal(total(consent, 'verbund_witness_alarms', { kind: 'any' }), 0, 'no witness alarm');
    assert.ok(
      consent.some((s) => s.name === 'verbund_witness_alarms' && s.labels.subgraph === 'jobcenter'),
      'each data subgraph has its alarm series',
    );
  });

  it('the alert rules and the dashboard parse as PromQL and name only metrics the parts export', async () => {
    const exported = new Set<string>(['up']);
    for (const text of Object.values(texts))
      for (const sample of parse(text)) exported.add(sample.name.replace(/_(bucket|sum|count)$/, ''));
    // A histogram is named by its series' base name; a selector may name the base or a series.
    const known = (name: string) => exported.has(name) || exported.has(name.replace(/_(bucket|sum|count)$/, ''));
    const rules = parseYaml(await readFile(path.join(root, 'deploy/monitoring/alerts.yaml'), 'utf8')) as {
      groups: { rules: { alert: string; expr: string }[] }[];
    };
    const dashboard = JSON.parse(await readFile(path.join(root, 'deploy/monitoring/dashboard.json'), 'utf8')) as {
      panels: { title: string; targets: { expr: string }[] }[];
    };
    const expressions = [
      ...rules.groups.flatMap((g) => g.rules.map((r) => [`alert ${r.alert}`, r.expr] as const)),
      ...dashboard.panels.flatMap((p) => p.targets.map((t) => [`panel ${p.title}`, t.expr] as const)),
    ];
    const alerts = rules.groups.flatMap((g) => g.rules.map((r) => r.alert));
    for (const needed of [
      'VerbundWitnessAlarm',
      'VerbundCheckpointStale',
      'VerbundDisclosureLogAppendFailures',
      'VerbundConsentLookupFailures',
      'VerbundConsentLookupSlow',
      'VerbundPartDown',
      'VerbundLatencyP99',
    ])
      assert.ok(alerts.includes(needed), needed);
    for (const [where, expr] of expressions) {
      const { errors, metrics } = promql(expr);
      assert.equal(errors, 0, `${where}: ${expr} does not parse`);
      assert.ok(metrics.length > 0, `${where}: names a metric`);
      for (const metric of metrics) assert.ok(known(metric), `${where}: ${metric} is not exported by any part`);
    }
    // The check catches what it should: a typo in a metric name and an expression that does not parse.
    assert.ok(!known(promql('rate(verbund_request_total[5m])').metrics[0]));
    assert.ok(promql('sum(rate(verbund_requests_total[5m]) by (part)').errors > 0);
  });

  it('metric names follow the Prometheus conventions: counters end in _total, nothing else does; units in base units', () => {
    const types = new Map<string, string>();
    for (const text of Object.values(texts))
      for (const match of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) types.set(match[1], match[2]);
    assert.ok(types.size > 10);
    for (const [name, type] of types) {
      assert.match(name, /^verbund_[a-z0-9_]+$/, name);
      if (type === 'counter') assert.match(name, /_total$/, `${name}: a counter ends in _total`);
      else assert.doesNotMatch(name, /_total$/, `${name}: a ${type} does not end in _total`);
      assert.doesNotMatch(name, /_(milliseconds|ms|minutes|hours|kilobytes|megabytes)\b/, `${name}: base units`);
    }
    assert.equal(types.get('verbund_build_info'), 'gauge');
  });

  it('no label holds a person id, a name or any client string', () => {
    const hex = personId.replace(/-/g, '');
    const person = persons.find((p) => p.id === personId);
    for (const [part, text] of Object.entries(texts)) {
      for (const sample of parse(text)) {
        for (const value of Object.values(sample.labels)) {
          assert.ok(
            !value.includes(personId) && !value.toLowerCase().includes(hex.slice(0, 12)),
            `${part}: ${sample.name} ${JSON.stringify(sample.labels)}`,
          );
          for (const p of persons)
            assert.ok(!value.includes(p.id) && value !== p.givenName && value !== p.familyName, `${part}: ${value}`);
        }
      }
      assert.ok(!text.includes(hex) && !text.includes(personId), `${part}: no id anywhere in the scrape`);
      if (person) assert.ok(!text.includes(person.familyName), `${part}: no name anywhere in the scrape`);
      // Every operation label is a name of the operation table, or (none).
      for (const sample of parse(text)) {
        if (sample.labels.operation)
          assert.match(sample.labels.operation, /^(\(none\)|Query\.\w+|Mutation\.\w+|Entity\.\w+|Lookup\.\w+)$/);
      }
    }
    const jobcenter = parse(texts.jobcenter!);
    assert.ok(
      total(jobcenter, 'verbund_requests_total', { operation: 'Entity.Person' }) >= 2,
      'the forged entity type counts only as the real one',
    );
  });

  it('who may scrape: the token when METRICS_TOKEN is set, anyone in development, nobody in production without one', async () => {
    const token = 'a-scraper-token-of-at-least-32-characters';
    const configured = (env: Record<string, string>) => metricsAccess(loadConfig(env));
    const serve = async (access: ReturnType<typeof configured>): Promise<Listening> => {
      const metrics = new PartMetrics('county', access);
      return listen(async (req, res) => {
        if (!(await answerMetrics(new URL(req.url ?? '/', 'http://x').pathname, req, res, metrics))) res.end();
      }, 0);
    };
    const withToken = await serve(
      configured({
        METRICS_TOKEN: token,
        NODE_ENV: 'production',
        JWKS_URL: 'https://idp.example/certs',
        JWT_ISSUER: 'https://idp.example',
        OIDC_CLIENT_ID: 'c',
      }),
    );
    const development = await serve(configured({}));
    const production = await serve(
      configured({
        NODE_ENV: 'production',
        JWKS_URL: 'https://idp.example/certs',
        JWT_ISSUER: 'https://idp.example',
        OIDC_CLIENT_ID: 'c',
      }),
    );
    try {
      assert.equal((await scrape(withToken.url)).status, 401, 'no token');
      assert.equal((await scrape(withToken.url, `${token}x`)).status, 401, 'a longer token');
      assert.equal((await scrape(withToken.url, token.slice(0, -1) + 'X')).status, 401, 'a wrong token');
      // A caller's JWT is not the scraper's token.
      assert.equal((await scrape(withToken.url, await tokenFor('county'))).status, 401, "a caseworker's token");
      const ok = await scrape(withToken.url, token);
      assert.equal(ok.status, 200);
      assert.match(ok.text, /verbund_requests_total/);
      assert.equal((await scrape(development.url)).status, 200);
      const off = await scrape(production.url);
      assert.equal(off.status, 404);
      assert.doesNotMatch(off.text, /verbund_/);
      assert.equal((await scrape(production.url, token)).status, 404);
    } finally {
      await Promise.all([withToken.close(), development.close(), production.close()]);
    }
    assert.throws(() => loadConfig({ METRICS_TOKEN: 'short' }), /METRICS_TOKEN/);
  });
});
