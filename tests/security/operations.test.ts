/**
 * Class 4 of the policy's misuse classes: a purpose borrowed from another role, and operations run by a
 * role, purpose or agency their rule does not admit. One table (`common/access/operations.ts`) holds every
 * operation's rule; this file walks it for every agency × purpose × operation, at the gateway and straight
 * at every subgraph, including `_entities`, `_service`, the disclosure log's `/audit/*` endpoints and the lean `/lookup/*`.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { getNamedType, isCompositeType, isNonNullType, type GraphQLField, type GraphQLSchema } from 'graphql';
import { gql } from 'graphql-tag';
import { OPERATIONS, operationRefusal } from '../../common/access/operations.js';
import {
  NARROW_PURPOSES,
  PURPOSE_ROLE,
  PURPOSES_BY_AGENCY,
  SUBGRAPHS,
  parseAgency,
  type Purpose,
  type SubgraphName,
} from '../../common/domain.js';
import { demoPersons } from '../../seed/world.js';
import { codes, post, type GraphQLResponse } from '../support/graphql.js';
import { startHub, type RunningHub } from '../support/hub.js';
import { tokenFor } from '../support/tokens.js';

const SEED = 11;
const persons = demoPersons(SEED, 0, 12);
/** One agency of each kind; each states every purpose its kind may use, with a token carrying all three roles. */
const AGENCIES = ['county', 'municipality:08999001', 'jobcenter', 'socialcare:caritas'];

interface Probe {
  /** `Query.person`, `Mutation.recordConsent`, `Entity.Person`, … as in the table. */
  operation: string;
  query: string;
  variables?: Record<string, unknown>;
  /** Whether the gateway's API schema has it (not @inaccessible, not a federation field). */
  public: boolean;
}

/**
 * A probe per root field: every required argument becomes a variable that is not sent, so an admitted
 * operation stops at its arguments (nothing is written) while a refused one is refused before that.
 */
function rootProbes(sdl: string): Probe[] {
  const schema: GraphQLSchema = buildSubgraphSchema({ typeDefs: gql(sdl) });
  const probes: Probe[] = [];
  for (const [kind, root] of [
    ['Query', schema.getQueryType()],
    ['Mutation', schema.getMutationType()],
  ] as const) {
    for (const field of Object.values(root?.getFields() ?? {}) as GraphQLField<unknown, unknown>[]) {
      if (field.name === '_entities') continue;
      const required = field.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);
      const declared = required.length ? `(${required.map((a) => `$${a.name}: ${String(a.type)}`).join(', ')})` : '';
      const passed = required.length ? `(${required.map((a) => `${a.name}: $${a.name}`).join(', ')})` : '';
      const selection = isCompositeType(getNamedType(field.type)) ? '{ __typename }' : '';
      probes.push({
        operation: `${kind}.${field.name}`,
        query: `${kind.toLowerCase()} Probe${declared} { ${field.name}${passed} ${selection} }`,
        public: !field.name.startsWith('_') && !inaccessible(sdl, field.name),
      });
    }
  }
  return probes;
}

function inaccessible(sdl: string, field: string): boolean {
  return new RegExp(`\\b${field}\\b[^\\n]*@inaccessible`).test(sdl);
}

const REPRESENTATIONS: Record<string, Record<string, unknown>> = {
  Person: { id: '00000000-0000-4000-8000-000000000001' },
  Indicators: { period: '2026-Q3', region: 'DISTRICT' },
  Municipality: { ags: '08999001' },
};

function entityProbes(subgraph: SubgraphName): Probe[] {
  return Object.keys(OPERATIONS[subgraph])
    .filter((name) => name.startsWith('Entity.'))
    .map((operation) => {
      const type = operation.slice('Entity.'.length);
      return {
        operation,
        query: `query($r: [_Any!]!) { _entities(representations: $r) { __typename } }`,
        variables: { r: [{ __typename: type, ...REPRESENTATIONS[type] }] },
        public: false,
      };
    });
}

/** The guard's refusal: FORBIDDEN with a message that says it was refused by the operation's rule. */
function refusedByRule(response: GraphQLResponse): boolean {
  return (response.errors ?? []).some((e) => e.extensions?.code === 'FORBIDDEN' && e.message.startsWith('Refused'));
}

describe('security: every operation has one rule, enforced at the gateway and at every subgraph', () => {
  let hub: RunningHub;
  const probes = {} as Record<SubgraphName, Probe[]>;

  beforeAll(async () => {
    hub = await startHub({ persons, seed: SEED });
    for (const name of SUBGRAPHS) probes[name] = [...rootProbes(hub.subgraphs[name].sdl), ...entityProbes(name)];
  });
  afterAll(() => hub.stop());

  it('lists every operation of every subgraph in the table, and nothing else', () => {
    for (const name of SUBGRAPHS) {
      const inSchema = probes[name].map((p) => p.operation).sort();
      const inTable = Object.keys(OPERATIONS[name])
        .filter((o) => !o.startsWith('Audit.') && !o.startsWith('Lookup.'))
        .sort();
      assert.deepEqual(inSchema, inTable, name);
    }
  });

  it('walks the table: each agency and purpose runs exactly the operations its rule admits, at the gateway and straight at each subgraph', async () => {
    let admitted = 0;
    let refused = 0;
    for (const agencyId of AGENCIES) {
      const agency = parseAgency(agencyId)!;
      const token = await tokenFor(agencyId, ['CASEWORKER', 'CONSENT_OFFICER', 'ANALYST']);
      for (const purpose of PURPOSES_BY_AGENCY[agency.kind]) {
        const caller = { role: PURPOSE_ROLE[purpose], purpose, agency };
        const checks: Promise<void>[] = [];
        for (const subgraph of SUBGRAPHS) {
          for (const probe of probes[subgraph]) {
            const why = operationRefusal(OPERATIONS[subgraph][probe.operation], caller, probe.operation);
            const targets = [hub.subgraphs[subgraph].url, ...(probe.public ? [hub.gatewayUrl] : [])];
            for (const url of targets) {
              checks.push(
                post(url, { token, purpose, query: probe.query, variables: probe.variables }).then((response) => {
                  const where = `${probe.operation} for ${agencyId} ${purpose} at ${url === hub.gatewayUrl ? 'the gateway' : subgraph}`;
                  if (why) {
                    refused += 1;
                    assert.ok(refusedByRule(response), `${where} must be refused: ${JSON.stringify(response.errors)}`);
                    if (!probe.operation.startsWith('Entity.')) {
                      assert.equal(response.status, 403, where);
                      assert.equal(response.data ?? null, null, `${where}: nothing ran`);
                    }
                  } else {
                    admitted += 1;
                    assert.ok(
                      !refusedByRule(response),
                      `${where} must be admitted: ${JSON.stringify(response.errors)}`,
                    );
                  }
                }),
              );
            }
          }
          // The disclosure log's own endpoints follow the same table.
          for (const endpoint of ['records', 'verify', 'checkpoint', 'proofs'] as const) {
            const rule = OPERATIONS[subgraph][`Audit.${endpoint}`];
            if (!rule) continue;
            const url = hub.subgraphs[subgraph].url.replace(/\/graphql$/, `/audit/${endpoint}`);
            checks.push(
              fetch(url, {
                method: 'POST',
                headers: { authorization: `Bearer ${token}`, 'x-purpose': purpose, 'content-type': 'application/json' },
                body:
                  endpoint === 'verify'
                    ? JSON.stringify({ witnessed: null })
                    : endpoint === 'proofs'
                      ? JSON.stringify({ sequences: [1], size: 1 })
                      : // An access request reads one named person's records (tests/security/access-request.test.ts).
                        JSON.stringify(NARROW_PURPOSES.includes(purpose) ? { personId: persons[0].id } : {}),
              }).then((response) => {
                const why = operationRefusal(rule, caller, `Audit.${endpoint}`);
                assert.equal(
                  response.status === 403,
                  why !== undefined,
                  `/audit/${endpoint} at ${subgraph} for ${agencyId} ${purpose}: ${response.status}`,
                );
              }),
            );
          }
          // So do the lean lookups beside /graphql (the consent registry's grants for the data subgraphs).
          for (const operation of Object.keys(OPERATIONS[subgraph]).filter((o) => o.startsWith('Lookup.'))) {
            const url = hub.subgraphs[subgraph].url.replace(
              /\/graphql$/,
              `/lookup/${operation.slice('Lookup.'.length)}`,
            );
            checks.push(
              fetch(url, {
                method: 'POST',
                headers: { authorization: `Bearer ${token}`, 'x-purpose': purpose, 'content-type': 'application/json' },
                body: JSON.stringify({ personIds: [persons[0].id] }),
              }).then((response) => {
                const why = operationRefusal(OPERATIONS[subgraph][operation], caller, operation);
                assert.equal(
                  response.status,
                  why === undefined ? 200 : 403,
                  `${operation} at ${subgraph} for ${agencyId} ${purpose}`,
                );
                if (why) refused += 1;
                else admitted += 1;
              }),
            );
          }
        }
        await Promise.all(checks);
      }
    }
    assert.ok(admitted > 200 && refused > 1000, `admitted ${admitted}, refused ${refused}`);
  });

  it('refuses a purpose borrowed from another role, at the gateway and straight at every subgraph', async () => {
    const personId = persons[0].id;
    const identity = `{ person(id: "${personId}") { givenName familyName dateOfBirth nationality } }`;
    const borrowed: [string, string[], Purpose][] = [
      ['jobcenter', ['CASEWORKER'], 'CONSENT_MANAGEMENT'],
      ['socialcare:caritas', ['CASEWORKER'], 'CONSENT_MANAGEMENT'],
      ['municipality:08999001', ['CASEWORKER'], 'CONSENT_MANAGEMENT'],
      ['county', ['CASEWORKER'], 'MONITORING'],
      ['county', ['ANALYST'], 'CLEARING'],
      ['county', ['CONSENT_OFFICER'], 'RESIDENCE_PROCEDURE'],
      ['jobcenter', ['ANALYST', 'CONSENT_OFFICER'], 'JOB_PLACEMENT'],
      ['county', ['CASEWORKER'], 'DATA_SUBJECT_ACCESS'],
      ['county', ['ANALYST'], 'DATA_SUBJECT_ACCESS'],
      ['jobcenter', ['CONSENT_OFFICER'], 'DATA_SUBJECT_ACCESS'],
    ];
    for (const [agency, roles, purpose] of borrowed) {
      const token = await tokenFor(agency, roles as never);
      for (const url of [hub.gatewayUrl, ...SUBGRAPHS.map((n) => hub.subgraphs[n].url)]) {
        const response = await post(url, { token, purpose, query: identity });
        assert.equal(response.status, 403, `${agency} ${roles.join('+')} ${purpose} at ${url}`);
        assert.deepEqual(codes(response), ['FORBIDDEN_PURPOSE']);
        assert.doesNotMatch(JSON.stringify(response), new RegExp(persons[0].familyName));
      }
    }
  });

  it('lets only the role the purpose selects act: a consent officer who is also a caseworker sees identity only under CONSENT_MANAGEMENT', async () => {
    const personId = persons[0].id;
    const token = await tokenFor('county', ['CASEWORKER', 'CONSENT_OFFICER']);
    const query = `{ person(id: "${personId}") { familyName residence { status } clearing { languages { level } } } }`;
    const asOfficer = await post(hub.gatewayUrl, { token, purpose: 'CONSENT_MANAGEMENT', query });
    assert.equal(asOfficer.data!.person.familyName, persons[0].familyName);
    assert.equal(asOfficer.data!.person.residence, null);
    assert.ok(
      codes(asOfficer).every((c) => c === 'FORBIDDEN') && codes(asOfficer).length >= 1,
      JSON.stringify(asOfficer.errors),
    );
    const asCaseworker = await post(hub.gatewayUrl, { token, purpose: 'CLEARING', query });
    assert.ok(asCaseworker.data!.person.residence, 'the same token as a caseworker, for its own purpose');
    // The log records the refusal with the code the client saw.
    const [record] = await hub.subgraphs.county.db.query<{ refused: { field: string; reason: string }[] }[]>(
      `SELECT refused FROM disclosure_log WHERE person_id = $1 AND purpose = 'CONSENT_MANAGEMENT' ORDER BY sequence DESC LIMIT 1`,
      [personId],
    );
    assert.ok(record.refused.some((r) => r.field === 'Person.residence' && r.reason === 'FORBIDDEN'));
  });

  it('refuses a token naming an agency that is well-formed but not of this district, everywhere', async () => {
    for (const agency of ['municipality:08999099', 'socialcare:unknown-provider', 'municipality:12345678']) {
      const token = await tokenFor(agency);
      for (const url of [hub.gatewayUrl, ...SUBGRAPHS.map((n) => hub.subgraphs[n].url)]) {
        const response = await post(url, { token, purpose: 'CASE_CONFERENCE', query: '{ municipalities { ags } }' });
        assert.equal(response.status, 401, `${agency} at ${url}`);
        assert.deepEqual(codes(response), ['UNAUTHENTICATED']);
      }
    }
  });

  it('refuses at the gateway, before any subgraph is asked, a request mixing an admitted and a refused root field', async () => {
    const token = await tokenFor('county');
    const heads = async () =>
      Object.fromEntries(
        await Promise.all(
          (['county', 'municipality', 'jobcenter', 'socialcare'] as const).map(async (n) => [
            n,
            (await hub.subgraphs[n].db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM disclosure_log'))[0].n,
          ]),
        ),
      );
    const before = await heads();
    const response = await post(hub.gatewayUrl, {
      token,
      purpose: 'CLEARING',
      // registeredPersons alone would be released and logged; the consent officer's timeline is not a caseworker's.
      query: `{ registeredPersons(first: 3) { givenName housing { type } } disclosureLogVerification { subgraph } }`,
    });
    assert.equal(response.status, 403);
    assert.deepEqual(codes(response), ['FORBIDDEN']);
    assert.equal(response.errors![0].extensions!.field, 'Query.disclosureLogVerification');
    assert.deepEqual(await heads(), before, 'no subgraph answered, so none logged a release the client never got');
    // Fragments and aliases do not hide a root field.
    const hidden = await post(hub.gatewayUrl, {
      token,
      purpose: 'CLEARING',
      query: `query { ...F } fragment F on Query { ... on Query { v: disclosureLogVerification { subgraph } } }`,
    });
    assert.deepEqual(codes(hidden), ['FORBIDDEN']);
    assert.deepEqual(await heads(), before);
  });

  it('issues its own request id at the gateway, so a client repeating its X-Request-Id cannot merge two requests into one record', async () => {
    const token = await tokenFor('jobcenter');
    const query = `query($id: ID!) { person(id: $id) { givenName } }`;
    const first = await post(hub.gatewayUrl, {
      token,
      purpose: 'JOB_PLACEMENT',
      query,
      variables: { id: persons[1].id },
      headers: { 'x-request-id': 'my-id-1' },
    });
    const second = await post(hub.gatewayUrl, {
      token,
      purpose: 'JOB_PLACEMENT',
      query,
      variables: { id: persons[1].id },
      headers: { 'x-request-id': 'my-id-1' },
    });
    assert.ok(
      first.requestId && second.requestId && first.requestId !== second.requestId && first.requestId !== 'my-id-1',
    );
    for (const response of [first, second]) {
      const records = await hub.subgraphs.county.log!.records({ requestId: response.requestId!, limit: 10 });
      assert.equal(records.length, 1, 'each request has its own record');
      assert.equal(records[0].correlationId, 'my-id-1', "the client's id is kept beside the gateway's");
    }
    assert.equal((await hub.subgraphs.county.log!.records({ requestId: 'my-id-1', limit: 10 })).length, 0);
  });
});
