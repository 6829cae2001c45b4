import type { Caller } from '../domain.js';
import { createJsonPoster } from '../http-client.js';

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

const LOOKUP = `query RegistryLookup($personIds: [ID!]!) { registrations(personIds: $personIds) { id assignedToCaller } }`;
const LOOKUP_WITH_BIRTH = `query RegistryLookup($personIds: [ID!]!) { registrations(personIds: $personIds) { id assignedToCaller dateOfBirth } }`;

/** The county's register over HTTP, asked with the caller's own token and purpose (no service credential). */
export function createHttpRegistryLookup(countyUrl: string | (() => string), timeoutMs = 2000): RegistryLookup {
  const post = createJsonPoster();
  return async (caller, authorization, personIds, options) => {
    const response = await post(
      typeof countyUrl === 'function' ? countyUrl() : countyUrl,
      { authorization, 'x-purpose': caller.purpose, 'x-request-id': caller.requestId },
      { query: options?.withDateOfBirth ? LOOKUP_WITH_BIRTH : LOOKUP, variables: { personIds } },
      timeoutMs,
    );
    const body = (response.body ?? {}) as { data?: { registrations?: Registration[] }; errors?: unknown[] };
    if (response.status !== 200 || body.errors?.length || !body.data?.registrations) {
      throw new Error(`The county's register answered HTTP ${response.status}: ${JSON.stringify(body.errors ?? null)}`);
    }
    return new Map(body.data.registrations.map((r) => [r.id, r]));
  };
}
