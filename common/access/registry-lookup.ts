import type { Caller } from '../domain.js';
import { createJsonPoster } from '../http-client.js';
import { lookupHeaders } from './consent-lookup.js';

/** What the county's register says about one person, as much as a writer needs to know. */
export interface Registration {
  id: string;
  /** Whether the county assigned the person to the caller's municipality (false for any other caller). */
  assignedToCaller: boolean;
  /** The date of birth (YYYY-MM-DD), when asked for (`withDateOfBirth`) and the policy lets the caller see it. */
  dateOfBirth?: string | null;
}

/** What else a register check asks for. */
export interface RegistryLookupOptions {
  /** The person's date of birth (identity data; the consent registry's plausibility check). */
  withDateOfBirth?: boolean;
}

/**
 * Asks the county's register which of these person ids it issued. Every write about a person checks it, so
 * no partner keeps records of a person the county never registered. Throws when the county cannot answer;
 * the write is then refused (fail closed).
 */
export type RegistryLookup = (
  caller: Caller,
  authorization: string,
  personIds: string[],
  options?: RegistryLookupOptions,
) => Promise<Map<string, Registration>>;

const LOOKUP_WITH_BIRTH = `query RegistryLookup($personIds: [ID!]!) { registrations(personIds: $personIds) { id assignedToCaller dateOfBirth } }`;

/**
 * The county's register over HTTP, asked with the caller's own token and purpose (no service credential).
 * The plain check, which every write makes, goes to the county's lean lookup (`POST /lookup/registrations`
 * beside its `/graphql`): the same answer, rule and checks of token and purpose, without GraphQL's
 * per-request cost. With the date of birth, a field the county decides and logs, it asks the GraphQL query
 * `registrations`.
 */
export function createHttpRegistryLookup(countyUrl: string | (() => string), timeoutMs = 2000): RegistryLookup {
  const post = createJsonPoster();
  return async (caller, authorization, personIds, options) => {
    const url = typeof countyUrl === 'function' ? countyUrl() : countyUrl;
    const headers = lookupHeaders(caller, authorization);
    if (!options?.withDateOfBirth) {
      const response = await post(registrationsLookupUrl(url), headers, { personIds }, timeoutMs);
      const body = (response.body ?? {}) as { registrations?: unknown; errors?: unknown[] };
      if (response.status !== 200 || !Array.isArray(body.registrations)) {
        throw new Error(
          `The county's register answered HTTP ${response.status}: ${JSON.stringify(body.errors ?? null)}`,
        );
      }
      return new Map((body.registrations as Registration[]).map((r) => [r.id, r]));
    }
    const response = await post(url, headers, { query: LOOKUP_WITH_BIRTH, variables: { personIds } }, timeoutMs);
    const body = (response.body ?? {}) as { data?: { registrations?: Registration[] }; errors?: unknown[] };
    if (response.status !== 200 || body.errors?.length || !body.data?.registrations) {
      throw new Error(`The county's register answered HTTP ${response.status}: ${JSON.stringify(body.errors ?? null)}`);
    }
    return new Map(body.data.registrations.map((r) => [r.id, r]));
  };
}

/** The county's lean register check beside its GraphQL URL; relative, so that a proxy's path prefix applies too. */
export function registrationsLookupUrl(countyUrl: string): string {
  return new URL('lookup/registrations', countyUrl).toString();
}
