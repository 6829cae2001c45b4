import type { Caller } from '../domain.js';
import { createJsonPoster } from '../http-client.js';

/** What the county's register says about one person, as much as a writer needs to know. */
export interface Registration {
  id: string;
  /** Whether the county assigned the person to the caller's municipality (false for any other caller). */
  assignedToCaller: boolean;
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
) => Promise<Map<string, Registration>>;

const LOOKUP = `query RegistryLookup($personIds: [ID!]!) { registrations(personIds: $personIds) { id assignedToCaller } }`;

/** The county's register over HTTP, asked with the caller's own token and purpose (no service credential). */
export function createHttpRegistryLookup(countyUrl: string | (() => string), timeoutMs = 2000): RegistryLookup {
  const post = createJsonPoster();
  return async (caller, authorization, personIds) => {
    const response = await post(
      typeof countyUrl === 'function' ? countyUrl() : countyUrl,
      { authorization, 'x-purpose': caller.purpose, 'x-request-id': caller.requestId },
      { query: LOOKUP, variables: { personIds } },
      timeoutMs,
    );
    const body = (response.body ?? {}) as { data?: { registrations?: Registration[] }; errors?: unknown[] };
    if (response.status !== 200 || body.errors?.length || !body.data?.registrations) {
      throw new Error(`The county's register answered HTTP ${response.status}: ${JSON.stringify(body.errors ?? null)}`);
    }
    return new Map(body.data.registrations.map((r) => [r.id, r]));
  };
}
