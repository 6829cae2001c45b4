import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { SUBGRAPHS } from '../../common/domain.js';
import { PART_ATTRIBUTE, REQUEST_ID_ATTRIBUTE } from '../../common/tracing.js';
import { startTracing, type Tracing } from '../../common/tracing-sdk.js';
import { demoPersons } from '../../seed/world.js';
import { post } from '../support/graphql.js';
import { startHub, type RunningHub } from '../support/hub.js';
import { PERSON_VIEW, languageConsentInput } from '../support/queries.js';
import { tokenFor } from '../support/tokens.js';

const SEED = 43;
const persons = demoPersons(SEED, 0, 12);

describe('one trace per request, from the gateway through every subgraph to its SQL', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let hub: RunningHub;
  let personId: string;

  beforeAll(async () => {
    // Before the hub is built: its parts instrument themselves only when tracing is on.
    tracing = startTracing({ service: 'verbund-test', exporter });
    hub = await startHub({ persons, seed: SEED, unseeded: ['consent'] });
    const rows = await hub.subgraphs.county.db.query<{ person_id: string }[]>(
      'SELECT person_id FROM language_skill ORDER BY person_id LIMIT 1',
    );
    personId = rows[0].person_id;
    const recorded = await post(hub.gatewayUrl, {
      token: await tokenFor('county', ['CONSENT_OFFICER']),
      purpose: 'CONSENT_MANAGEMENT',
      query: 'mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id } }',
      variables: { input: languageConsentInput(personId) },
    });
    assert.equal(recorded.errors, undefined, JSON.stringify(recorded.errors));
  });
  afterAll(async () => {
    await hub.stop();
    await tracing.stop();
  });

  /** Asks the person view and returns its request id and the spans finished by then. */
  async function view(): Promise<{ requestId: string; spans: ReadableSpan[] }> {
    exporter.reset();
    const response = await post(hub.gatewayUrl, {
      token: await tokenFor('jobcenter'),
      purpose: 'JOB_PLACEMENT',
      query: PERSON_VIEW,
      variables: { id: personId },
    });
    assert.ok(
      response.data?.person?.clearing?.languages,
      `the consented field is released: ${JSON.stringify(response.errors)}`,
    );
    assert.ok(response.requestId);
    // The gateway's server span ends when its response has been written.
    for (
      let i = 0;
      i < 50 &&
      !exporter
        .getFinishedSpans()
        .some((s) => s.attributes[PART_ATTRIBUTE] === 'gateway' && s.attributes[REQUEST_ID_ATTRIBUTE]);
      i += 1
    ) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return { requestId: response.requestId, spans: exporter.getFinishedSpans() };
  }

  /**
   * What the GraphQL paths leave in a view's trace: each server span of `/graphql` and each execution span,
   * by part, name, operations and status, request id present or not.
   */
  const graphqlShape = (run: { requestId: string; spans: ReadableSpan[] }) => {
    const gateway = run.spans.find(
      (s) => s.attributes[PART_ATTRIBUTE] === 'gateway' && s.attributes[REQUEST_ID_ATTRIBUTE] === run.requestId,
    )!;
    const trace = run.spans.filter((s) => s.spanContext().traceId === gateway.spanContext().traceId);
    const byId = new Map(trace.map((s) => [s.spanContext().spanId, s]));
    return trace
      .filter((s) => s.name === 'POST /graphql' || s.name.startsWith('graphql.execute'))
      .map((s) => {
        const part =
          s.attributes[PART_ATTRIBUTE] ?? byId.get(s.parentSpanContext?.spanId ?? '')?.attributes[PART_ATTRIBUTE];
        return [
          String(part),
          s.name,
          JSON.stringify(s.attributes['verbund.operations']),
          String(s.attributes['http.response.status_code']),
          String(s.attributes[REQUEST_ID_ATTRIBUTE] === run.requestId),
          String(s.status.code),
        ].join(' ');
      })
      .sort();
  };
  /** The shape of the first view, whose fetches only Apollo served (no document was known before). */
  let apolloShape: string[] = [];

  it('one person view is one trace spanning the gateway and all five subgraphs, each down to its SQL, tied to the request id of its records', async () => {
    const { requestId, spans } = await view();
    apolloShape = graphqlShape({ requestId, spans });
    const gateway = spans.find(
      (s) => s.attributes[PART_ATTRIBUTE] === 'gateway' && s.attributes[REQUEST_ID_ATTRIBUTE] === requestId,
    );
    assert.ok(gateway, 'the gateway server span names the request id');
    const traceId = gateway.spanContext().traceId;
    const trace = spans.filter((s) => s.spanContext().traceId === traceId);
    const byId = new Map(trace.map((s) => [s.spanContext().spanId, s]));
    const ancestors = (span: ReadableSpan): ReadableSpan[] => {
      const chain: ReadableSpan[] = [];
      for (
        let parent = span.parentSpanContext?.spanId;
        parent && byId.has(parent);
        parent = byId.get(parent)!.parentSpanContext?.spanId
      )
        chain.push(byId.get(parent)!);
      return chain;
    };
    assert.equal(gateway.parentSpanContext, undefined, 'the gateway starts the trace');
    for (const part of SUBGRAPHS) {
      // The registry takes part through its lean consent lookup, the others through GraphQL.
      const served = part === 'consent' ? 'POST /lookup/consentGrants' : 'POST /graphql';
      const servers = trace.filter((s) => s.attributes[PART_ATTRIBUTE] === part && s.name === served);
      assert.ok(
        servers.length >= 1,
        `${part}: a server span in the trace (${trace.map((s) => `${String(s.attributes[PART_ATTRIBUTE])}:${s.name}`).join(', ')})`,
      );
      for (const server of servers) {
        assert.equal(server.attributes[REQUEST_ID_ATTRIBUTE], requestId, `${part}: the same request id as the records`);
        assert.ok(ancestors(server).includes(gateway), `${part}: below the gateway's span`);
      }
      const sql = trace.filter(
        (s) => s.attributes[PART_ATTRIBUTE] === part && s.attributes['db.system.name'] === 'postgresql',
      );
      assert.ok(sql.length >= 1, `${part}: its SQL in the trace`);
      for (const statement of sql)
        assert.ok(
          ancestors(statement).some((a) => servers.includes(a)),
          `${part}: ${statement.name} below its own server span`,
        );
    }
    // The consent registry was reached once, by the gateway's lookup for the whole request (its signed answer
    // goes to every data subgraph), a client span of the gateway's.
    const lookups = trace.filter(
      (s) => s.attributes[PART_ATTRIBUTE] === 'consent' && s.name === 'POST /lookup/consentGrants',
    );
    assert.equal(lookups.length, 1, 'one consent lookup in the trace');
    assert.ok(ancestors(lookups[0]).includes(gateway), "the lookup below the gateway's span");
    // Each data subgraph wrote the records of this request under the same request id.
    for (const part of ['county', 'municipality', 'jobcenter', 'socialcare'] as const) {
      const [{ n }] = await hub.subgraphs[part].db.query<{ n: number }[]>(
        'SELECT count(*)::int AS n FROM disclosure_log WHERE request_id = $1',
        [requestId],
      );
      assert.ok(n >= 1, `${part}: records of the traced request`);
    }
    // Nothing of the request belongs to another trace.
    assert.deepEqual(
      spans.filter((s) => s.attributes[REQUEST_ID_ATTRIBUTE] === requestId && s.spanContext().traceId !== traceId),
      [],
    );
    // No span holds the person's id or a parameter.
    const attributes = JSON.stringify(trace.map((s) => [s.name, s.attributes]));
    assert.ok(!attributes.includes(personId), 'no person id in any span');
    assert.match(attributes, /\$1/, 'statements with their placeholders');
  });

  it("a consent officer's timeline is one trace through the registry into every data subgraph's log", async () => {
    exporter.reset();
    const response = await post(hub.gatewayUrl, {
      token: await tokenFor('county', ['CONSENT_OFFICER']),
      purpose: 'CONSENT_MANAGEMENT',
      query: `{ disclosureTimeline(personId: "${personId}", first: 10) { records { subgraph requestId } } }`,
    });
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    for (
      let i = 0;
      i < 50 &&
      !exporter
        .getFinishedSpans()
        .some(
          (s) =>
            s.attributes[PART_ATTRIBUTE] === 'gateway' && s.attributes[REQUEST_ID_ATTRIBUTE] === response.requestId,
        );
      i += 1
    ) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const spans = exporter.getFinishedSpans();
    const gateway = spans.find(
      (s) => s.attributes[PART_ATTRIBUTE] === 'gateway' && s.attributes[REQUEST_ID_ATTRIBUTE] === response.requestId,
    )!;
    const trace = spans.filter((s) => s.spanContext().traceId === gateway.spanContext().traceId);
    for (const part of ['county', 'municipality', 'jobcenter', 'socialcare']) {
      assert.ok(
        trace.some(
          (s) => s.attributes[PART_ATTRIBUTE] === part && String(s.attributes['url.path']).startsWith('/audit/'),
        ),
        `${part}: its log read in the trace`,
      );
    }
  });

  it("the data subgraphs' lean path leaves the spans Apollo's path left in the first view", async () => {
    const lean = () =>
      Promise.all(
        (['municipality', 'jobcenter', 'socialcare'] as const).map(
          async (part) =>
            (await hub.subgraphs[part].metrics.leanPath.get()).values.find((v) => v.labels.path === 'lean')?.value ?? 0,
        ),
      );
    const before = await lean();
    const again = await view();
    const after = await lean();
    // The first view brought the person view's fetches to Apollo; this one is served on the lean path.
    assert.ok(
      after.every((n, i) => n > before[i]),
      `lean path per data subgraph: ${before.join()} → ${after.join()}`,
    );
    assert.ok(apolloShape.length > 0);
    assert.deepEqual(graphqlShape(again), apolloShape);
  });

  it('two person views are two traces', async () => {
    const first = await view();
    const second = await view();
    const traceOf = (run: typeof first) =>
      run.spans
        .find(
          (s) => s.attributes[PART_ATTRIBUTE] === 'gateway' && s.attributes[REQUEST_ID_ATTRIBUTE] === run.requestId,
        )!
        .spanContext().traceId;
    assert.notEqual(traceOf(first), traceOf(second));
    assert.notEqual(first.requestId, second.requestId);
  });

  it("a client's operation name (a person's name and id) appears in no span: not in a name, an attribute or an event", async () => {
    exporter.reset();
    const chosen = `Amina_Haddad_${personId.replace(/-/g, '_')}`;
    const token = await tokenFor('jobcenter');
    const named = await post(hub.gatewayUrl, {
      token,
      purpose: 'JOB_PLACEMENT',
      query: PERSON_VIEW.replace('query PersonView', `query ${chosen}`),
      variables: { id: personId },
    });
    assert.ok(named.data?.person, JSON.stringify(named.errors));
    // A name that matches no operation: GraphQL quotes it in its error, which @apollo/gateway records on its span.
    const unmatched = await fetch(hub.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': 'JOB_PLACEMENT' },
      body: JSON.stringify({ query: PERSON_VIEW, operationName: chosen, variables: { id: personId } }),
    });
    await unmatched.text();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const spans = exporter.getFinishedSpans();
    assert.ok(
      spans.some((s) => s.name === 'gateway.request'),
      "@apollo/gateway's own spans are exported",
    );
    assert.ok(spans.some((s) => s.name === 'gateway.plan'));
    for (const span of spans) {
      const seen = JSON.stringify({ name: span.name, attributes: span.attributes, events: span.events });
      assert.doesNotMatch(seen, /Amina|Haddad/, `span ${span.name}`);
      assert.ok(!seen.includes(personId.replace(/-/g, '_')), `span ${span.name}`);
    }
  });
});
