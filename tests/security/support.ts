import assert from 'node:assert/strict';
import { post, type GraphQLResponse } from '../support/graphql.js';
import type { RunningHub } from '../support/hub.js';
import { languageConsentInput } from '../support/queries.js';
import { tokenFor } from '../support/tokens.js';

/** Sends one operation through the gateway and fails the test on any error. */
export async function ok(
  url: string,
  token: string,
  purpose: string,
  query: string,
  variables?: Record<string, unknown>,
) {
  const response = await post(url, { token, purpose, query, variables });
  assert.equal(response.errors, undefined, `${query}: ${JSON.stringify(response.errors)}`);
  return response.data!;
}

/** Registers a person at the county, assigned to `ags`, through the gateway; returns the id the county issued. */
export async function registerPerson(hub: RunningHub, ags: string | null, familyName = 'Testperson'): Promise<string> {
  const data = await ok(
    hub.gatewayUrl,
    await tokenFor('county'),
    'CLEARING',
    `mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { id } }`,
    {
      input: {
        givenName: 'Amal',
        familyName,
        dateOfBirth: '1994-03-02',
        gender: 'FEMALE',
        nationality: 'SYR',
        arrivalDate: '2025-02-01',
        residence: { status: 'RECOGNISED_REFUGEE', assignedMunicipalityAgs: ags },
      },
    },
  );
  return data.registerPerson.id as string;
}

/** Records a consent through the gateway as a county consent officer; returns its id. */
export async function recordConsent(
  hub: RunningHub,
  personId: string,
  terms: Record<string, unknown>,
): Promise<string> {
  const data = await ok(
    hub.gatewayUrl,
    await tokenFor('county', ['CONSENT_OFFICER']),
    'CONSENT_MANAGEMENT',
    `mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id } }`,
    { input: languageConsentInput(personId, terms) },
  );
  return data.recordConsent.id as string;
}

/** The newest disclosure record a data subgraph wrote about a person. */
export async function lastRecord(
  hub: RunningHub,
  subgraph: 'county' | 'municipality' | 'jobcenter' | 'socialcare',
  personId: string,
) {
  const [row] = await hub.subgraphs[subgraph].db.query<
    {
      released: { field: string; category: string; holders?: string[] }[];
      refused: { field: string; category: string; reason: string }[];
      basis: { category: string; basis: string; holders?: string[] }[];
    }[]
  >(`SELECT released, refused, basis FROM disclosure_log WHERE person_id = $1 ORDER BY sequence DESC LIMIT 1`, [
    personId,
  ]);
  return row;
}

/** Row counts of some tables of a subgraph, to show that a refused write changed nothing. */
export async function counts(
  hub: RunningHub,
  subgraph: keyof RunningHub['subgraphs'],
  tables: string[],
): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const table of tables) {
    result[table] = (
      await hub.subgraphs[subgraph].db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${table}`)
    )[0].n;
  }
  return result;
}

export type { GraphQLResponse };
