/**
 * The district's guide of responsibilities (issue #17):
 * 1. it answers every authenticated role and purpose, and carries no person data — by its schema (no type it
 *    reaches is a Person or a gated field) and by its answers (no person id, no disclosure record);
 * 2. each partner keeps its own lines: nobody changes or removes another's, a municipality writes for itself
 *    only, analysts and consent officers write nothing; every change is on record, about no person.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { buildSchema, getNamedType, isObjectType, type GraphQLObjectType } from 'graphql';
import { actingPairs } from '../../common/access/operations.js';
import { PURPOSES_BY_AGENCY, type AgencyKind } from '../../common/domain.js';
import { FIELDS_OF_ACTION } from '../../common/integration/contact-category.js';
import { demoPersons } from '../../seed/world.js';
import { codes, post } from '../support/graphql.js';
import { startHub, type RunningHub } from '../support/hub.js';
import { tokenFor } from '../support/tokens.js';

const SEED = 41;
const LINDENAU = '08999001';
const BIRKENFELD = '08999002';
const DIRECTORY = `query($f: FieldOfAction, $m: String) { directory(fieldOfAction: $f, municipality: $m) {
  id agency fieldOfAction municipality { ags name } office contactName phone email address hours updatedAt } }`;
const RECORD = `mutation($input: DirectoryEntryInput!) { recordDirectoryEntry(input: $input) { id agency office municipality { ags } } }`;

describe("security: the district's directory has no person data and each partner keeps its own lines", () => {
  let hub: RunningHub;
  let personIds: string[];

  beforeAll(async () => {
    const persons = demoPersons(SEED, 0, 10);
    personIds = persons.map((p) => p.id);
    hub = await startHub({ persons, seed: SEED });
  });
  afterAll(() => hub.stop());

  it('lists, for every field of action and municipality, who is responsible in the demo district', async () => {
    const response = await post(hub.gatewayUrl, {
      token: await tokenFor('jobcenter'),
      purpose: 'JOB_PLACEMENT',
      query: DIRECTORY,
      variables: { m: LINDENAU },
    });
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    const entries = response.data!.directory as {
      fieldOfAction: string;
      agency: string;
      municipality: { ags: string; name: string } | null;
    }[];
    for (const field of FIELDS_OF_ACTION) {
      assert.ok(
        entries.some((e) => e.fieldOfAction === field),
        `someone is responsible for ${field} in Lindenau`,
      );
    }
    assert.ok(
      entries.every((e) => e.municipality === null || e.municipality.ags === LINDENAU),
      'Lindenau and district-wide only',
    );
    assert.ok(
      entries.some((e) => e.municipality?.name === 'Lindenau'),
      'the municipality subgraph names it',
    );
  });

  it('answers every role and purpose of every agency kind, at the gateway and straight at the county, and writes no disclosure record', async () => {
    const agencies = ['county', 'jobcenter', `municipality:${LINDENAU}`, 'socialcare:caritas'];
    const before = (
      await hub.subgraphs.county.db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM disclosure_log`)
    )[0].n;
    for (const agency of agencies) {
      for (const { role, purpose } of actingPairs()) {
        if (!PURPOSES_BY_AGENCY[agency.split(':')[0] as AgencyKind].includes(purpose)) continue;
        const token = await tokenFor(agency, [role]);
        for (const url of [hub.gatewayUrl, hub.subgraphs.county.url]) {
          const response = await post(url, {
            token,
            purpose,
            query: `{ directory(fieldOfAction: HOUSING) { office agency } }`,
          });
          assert.equal(response.errors, undefined, `${agency} ${role} ${purpose}: ${JSON.stringify(response.errors)}`);
          assert.ok((response.data!.directory as unknown[]).length > 0);
        }
      }
    }
    const after = (
      await hub.subgraphs.county.db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM disclosure_log`)
    )[0].n;
    assert.equal(after, before, 'a directory read discloses nothing about anyone');
    const anonymous = await post(hub.gatewayUrl, { purpose: 'JOB_PLACEMENT', query: `{ directory { office } }` });
    assert.equal(anonymous.status, 401, 'but only to authenticated callers');
  });

  it('reaches no person data by its schema, and its answers name no person', async () => {
    const sdl = await readFile(path.resolve(import.meta.dirname, '../../schema/supergraph.graphql'), 'utf8');
    const schema = buildSchema(sdl.replace(/^.*@link.*$/gm, ''), { assumeValidSDL: true });
    const seen = new Set<string>();
    const walk = (type: GraphQLObjectType) => {
      if (seen.has(type.name)) return;
      seen.add(type.name);
      assert.notEqual(type.name, 'Person', 'the directory reaches no Person');
      for (const field of Object.values(type.getFields())) {
        assert.ok(
          !field.astNode?.directives?.some((d) => d.name.value === 'consent'),
          `${type.name}.${field.name} is not personal data`,
        );
        const named = getNamedType(field.type);
        if (isObjectType(named)) walk(named);
      }
    };
    walk(getNamedType(schema.getQueryType()!.getFields().directory.type) as GraphQLObjectType);
    const response = await post(hub.gatewayUrl, {
      token: await tokenFor('county', ['ANALYST']),
      purpose: 'MONITORING',
      query: DIRECTORY,
    });
    const text = JSON.stringify(response.data);
    for (const id of personIds) assert.ok(!text.includes(id));
  });

  it('lets each partner add and change its own lines only, a municipality for itself only, and records each change about no person', async () => {
    const jobcenter = await tokenFor('jobcenter', ['CASEWORKER'], 'j.directory');
    const lindenau = await tokenFor(`municipality:${LINDENAU}`);
    const made = await post(hub.gatewayUrl, {
      token: jobcenter,
      purpose: 'JOB_PLACEMENT',
      query: RECORD,
      variables: {
        input: {
          fieldOfAction: 'WORK_AND_TRAINING',
          municipality: BIRKENFELD,
          office: 'Jobcenter, Außenstelle Birkenfeld',
          phone: '07132 881-0',
        },
      },
    });
    assert.equal(made.errors, undefined, JSON.stringify(made.errors));
    assert.equal(made.data!.recordDirectoryEntry.agency, 'jobcenter', 'the caller keeps it, whatever it claims');
    const id = made.data!.recordDirectoryEntry.id as string;
    const [write] = await hub.subgraphs.county.db.query<
      { person_id: string | null; kind: string; changes: { operation: string; record: string }[]; agency: string }[]
    >(`SELECT person_id, kind, changes, agency FROM disclosure_log WHERE request_id = $1`, [made.requestId]);
    assert.deepEqual(write, {
      person_id: null,
      kind: 'WRITE',
      changes: [{ operation: 'recordDirectoryEntry', record: `DirectoryEntry:${id}` }],
      agency: 'jobcenter',
    });

    const [countyLine] = await hub.subgraphs.county.db.query<{ id: string }[]>(
      `SELECT id FROM directory_entry WHERE agency = 'county' LIMIT 1`,
    );
    const attempts: [string, string, string, Record<string, unknown>, string][] = [
      // another partner's line, changed or removed
      [
        jobcenter,
        'JOB_PLACEMENT',
        RECORD,
        { input: { id: countyLine.id, fieldOfAction: 'RESIDENCE', office: 'Jobcenter (taken over)' } },
        'NOT_FOUND',
      ],
      [
        jobcenter,
        'JOB_PLACEMENT',
        `mutation($id: ID!) { removeDirectoryEntry(id: $id) { id } }`,
        { id: countyLine.id },
        'NOT_FOUND',
      ],
      [
        lindenau,
        'HOUSING_ALLOCATION',
        `mutation($id: ID!) { removeDirectoryEntry(id: $id) { id } }`,
        { id },
        'NOT_FOUND',
      ],
      // a municipality writes for itself only
      [
        lindenau,
        'HOUSING_ALLOCATION',
        RECORD,
        { input: { fieldOfAction: 'HOUSING', municipality: BIRKENFELD, office: 'Lindenau for Birkenfeld' } },
        'FORBIDDEN',
      ],
      [
        lindenau,
        'HOUSING_ALLOCATION',
        RECORD,
        { input: { fieldOfAction: 'HOUSING', office: 'Lindenau for the district' } },
        'FORBIDDEN',
      ],
      // input the API checks
      [
        jobcenter,
        'JOB_PLACEMENT',
        RECORD,
        { input: { fieldOfAction: 'HOUSING', office: '', email: 'not-an-address' } },
        'BAD_USER_INPUT',
      ],
    ];
    const count = async () =>
      (await hub.subgraphs.county.db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM directory_entry`))[0].n;
    const before = await count();
    for (const [token, purpose, query, variables, code] of attempts) {
      const response = await post(hub.gatewayUrl, { token, purpose, query, variables });
      assert.deepEqual(codes(response), [code], `${query} ${JSON.stringify(variables)}`);
    }
    assert.equal(await count(), before);
    const [unchanged] = await hub.subgraphs.county.db.query<{ agency: string }[]>(
      `SELECT agency FROM directory_entry WHERE id = $1`,
      [countyLine.id],
    );
    assert.equal(unchanged.agency, 'county');

    for (const [agency, role, purpose] of [
      ['county', 'ANALYST', 'MONITORING'],
      ['county', 'CONSENT_OFFICER', 'CONSENT_MANAGEMENT'],
    ] as const) {
      for (const url of [hub.gatewayUrl, hub.subgraphs.county.url]) {
        const response = await post(url, {
          token: await tokenFor(agency, [role]),
          purpose,
          query: RECORD,
          variables: { input: { fieldOfAction: 'RESIDENCE', office: 'x' } },
        });
        assert.equal(response.status, 403, `${role} at ${url}`);
      }
    }

    const changed = await post(hub.gatewayUrl, {
      token: jobcenter,
      purpose: 'CASE_CONFERENCE',
      query: RECORD,
      variables: {
        input: { id, fieldOfAction: 'WORK_AND_TRAINING', municipality: BIRKENFELD, office: 'Jobcenter Birkenfeld' },
      },
    });
    assert.equal(changed.data!.recordDirectoryEntry.office, 'Jobcenter Birkenfeld');
    const removed = await post(hub.gatewayUrl, {
      token: jobcenter,
      purpose: 'JOB_PLACEMENT',
      query: `mutation($id: ID!) { removeDirectoryEntry(id: $id) { id } }`,
      variables: { id },
    });
    assert.equal(removed.errors, undefined, JSON.stringify(removed.errors));
    assert.equal(await count(), before - 1);
  });
});
