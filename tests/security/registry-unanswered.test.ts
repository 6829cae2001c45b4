/**
 * A consent registry that stops answering (issue #27's signed statements): the gateway waits for its lookup
 * until the deadline and then tells each data subgraph of the request (`X-Consent-Grant: unanswered`), which
 * refuses its consent-based fields at once, fail closed, instead of waiting for the same registry again: a
 * caseworker used to wait the deadline twice over. Tried through the gateway and straight at a subgraph.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { GRANT_HEADER, REGISTRY_UNANSWERED } from '../../common/audit/proofs/signed-grants.js';
import { demoPersons } from '../../seed/world.js';
import { PERSON_VIEW } from '../../bench/queries.js';
import { codes, post } from '../support/graphql.js';
import { startHub, type RunningHub } from '../support/hub.js';
import { tokenFor } from '../support/tokens.js';

const SEED = 12;
const HOUSING = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { housing { type } } } }`;

/** In front of the registry: passes everything on, or, while `hanging`, takes consent lookups and never answers. */
class RegistryProxy {
  hanging = false;
  /** Consent lookups (`POST /lookup/consentGrants`) that reached the proxy. */
  lookups = 0;
  private readonly sockets = new Set<Socket>();
  private readonly server = http.createServer((req, res) => void this.handle(req, res));
  url = '';
  /** The registry's own address, known once it listens. */
  target = '';

  constructor() {
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/graphql`;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.url?.endsWith('/lookup/consentGrants')) {
      this.lookups += 1;
      if (this.hanging) return; // never answered; the socket is closed when the test ends
    }
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name)),
    ) as Record<string, string>;
    const answer = await fetch(new URL(req.url!, this.target), {
      method: req.method,
      headers,
      body: chunks.length ? Buffer.concat(chunks) : undefined,
    });
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
    res.end(Buffer.from(await answer.arrayBuffer()));
  }
}

interface View {
  person: {
    clearing: { languages: unknown[] | null } | null;
    housing: { type: string } | null;
    employment: { status: string } | null;
  } | null;
}

describe('a consent registry that does not answer', () => {
  let hub: RunningHub;
  let proxy: RegistryProxy;
  let caseworker: string;
  /** A housed person whose seeded consent lets the jobcenter see HOUSING for JOB_PLACEMENT. */
  let person: string;

  const view = () =>
    post<View>(hub.gatewayUrl, {
      token: caseworker,
      purpose: 'JOB_PLACEMENT',
      query: PERSON_VIEW,
      variables: { id: person },
    });
  const unanswered = async () =>
    (await hub.subgraphs.municipality.metrics.grantStatements.get()).values.find(
      (v) => v.labels.outcome === REGISTRY_UNANSWERED,
    )?.value ?? 0;

  beforeAll(async () => {
    proxy = new RegistryProxy();
    await proxy.start();
    hub = await startHub({
      persons: demoPersons(SEED, 0, 40),
      seed: SEED,
      timeouts: { consent: 400 },
      registryUrl: (url) => {
        proxy.target = url;
        return proxy.url;
      },
    });
    caseworker = await tokenFor('jobcenter');
    const consented = await hub.subgraphs.consent.db.query<{ person_id: string }[]>(
      `SELECT person_id FROM consent WHERE 'jobcenter' = ANY(recipients) AND 'JOB_PLACEMENT' = ANY(purposes)
          AND 'HOUSING' = ANY(categories) AND withdrawn_at IS NULL`,
    );
    const [housed] = await hub.subgraphs.municipality.db.query<{ person_id: string }[]>(
      'SELECT DISTINCT person_id FROM accommodation WHERE person_id = ANY($1::uuid[]) ORDER BY person_id LIMIT 1',
      [consented.map((row) => row.person_id)],
    );
    assert.ok(housed, 'a housed person whose consent lets the jobcenter see the housing');
    person = housed.person_id;
  });
  afterAll(async () => {
    await hub?.stop();
    await proxy?.stop();
  });

  it('through the gateway: one wait for the registry, then every consent-based field refused at once', async () => {
    // Control: while the registry answers (through the proxy), the consented housing is released.
    const answered = await view();
    assert.ok(answered.data?.person?.housing?.type, JSON.stringify(answered));

    proxy.hanging = true;
    const lookups = proxy.lookups;
    const before = await unanswered();
    const response = await view();
    proxy.hanging = false;
    // Only the gateway asked; before, the county, the municipality and socialcare each waited for it again.
    assert.equal(proxy.lookups - lookups, 1, 'consent lookups during the view');
    assert.equal((await unanswered()) - before, 1, "the municipality took the gateway's word");
    const seen = response.data?.person;
    assert.equal(seen?.housing, null);
    assert.equal(seen?.clearing?.languages ?? null, null);
    assert.ok(seen?.employment?.status, 'the jobcenter’s own task needs no consent');
    const codeAt = (path: string) => response.errors?.find((e) => e.path?.join('.') === path)?.extensions?.code;
    assert.equal(codeAt('person.housing'), 'CONSENT_UNAVAILABLE', JSON.stringify(response.errors));
    assert.equal(codeAt('person.clearing.languages'), 'CONSENT_UNAVAILABLE', JSON.stringify(response.errors));
    // The refusal is on record at the municipality, with its reason.
    const [record] = await hub.subgraphs.municipality.db.query<{ refused: { field: string; reason: string }[] }[]>(
      'SELECT refused FROM disclosure_log WHERE request_id = $1',
      [response.requestId],
    );
    assert.deepEqual(
      record?.refused.map((r) => [r.field, r.reason]),
      [['Person.housing', 'CONSENT_UNAVAILABLE']],
    );

    // The registry answers again: so does the next view.
    const again = await view();
    assert.ok(again.data?.person?.housing?.type, JSON.stringify(again));
  });

  it('straight at a subgraph, the header only withholds: the caller’s own consent-based fields, without a lookup', async () => {
    const lookups = proxy.lookups;
    const registry = hub.subgraphs.consent.statements.count;
    const asked = (headers: Record<string, string>) =>
      post<{ _entities: ({ housing: { type: string } | null } | null)[] }>(hub.subgraphs.municipality.url, {
        token: caseworker,
        purpose: 'JOB_PLACEMENT',
        query: HOUSING,
        variables: { r: [{ __typename: 'Person', id: person }] },
        headers,
      });
    const withheld = await asked({ [GRANT_HEADER]: REGISTRY_UNANSWERED });
    assert.equal(withheld.data?._entities?.[0]?.housing, null);
    assert.deepEqual(codes(withheld), ['CONSENT_UNAVAILABLE']);
    assert.equal(proxy.lookups, lookups, 'no lookup was made');
    assert.equal(hub.subgraphs.consent.statements.count, registry);
    // Without it, the same call asks the registry and is answered.
    const released = await asked({});
    assert.ok(released.data?._entities?.[0]?.housing?.type, JSON.stringify(released));
    assert.equal(proxy.lookups - lookups, 1);
  });
});
