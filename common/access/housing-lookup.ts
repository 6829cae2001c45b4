import type { Caller } from '../domain.js';
import { createJsonPoster } from '../http-client.js';

/** One person of a candidate search who lives in one of the asked municipalities, as the municipality answers. */
export interface HousingMatch {
  personId: string;
  /** The municipality (AGS) of the person's current accommodation. */
  municipality: string;
}

/** What the county asks the municipalities for one round of a candidate search. */
export interface HousingMatchRequest {
  /** Persons in the order of the search; the municipality keeps that order. */
  personIds: string[];
  /** Municipality keys (AGS) the candidate must live in. */
  municipalities: string[];
  /** At most this many matches, the first in `personIds` order. */
  first: number;
}

/**
 * Asks the municipality subgraph, on the caller's behalf, which of these persons currently live in one of
 * these municipalities. The municipality decides HOUSING for each person itself (a person without a basis is
 * never matched) and records every match it answers in its own disclosure log. Throws on any failure.
 */
export type HousingMatchLookup = (
  caller: Caller,
  authorization: string,
  request: HousingMatchRequest,
) => Promise<HousingMatch[]>;

const LOOKUP = `query HousingMatchLookup($personIds: [ID!]!, $municipalities: [String!]!, $first: Int!) {
  housingMatches(personIds: $personIds, municipalities: $municipalities, first: $first) { personId municipality }
}`;

/** The municipality subgraph over HTTP, asked with the caller's own token and purpose (no service credential). */
export function createHttpHousingMatchLookup(
  municipalityUrl: string | (() => string),
  timeoutMs = 2000,
): HousingMatchLookup {
  const post = createJsonPoster();
  return async (caller, authorization, request) => {
    const response = await post(
      typeof municipalityUrl === 'function' ? municipalityUrl() : municipalityUrl,
      { authorization, 'x-purpose': caller.purpose, 'x-request-id': caller.requestId },
      { query: LOOKUP, variables: request },
      timeoutMs,
    );
    const body = (response.body ?? {}) as { data?: { housingMatches?: HousingMatch[] }; errors?: unknown[] };
    if (response.status !== 200 || body.errors?.length || !body.data?.housingMatches) {
      throw new Error(
        `The municipality subgraph answered HTTP ${response.status}: ${JSON.stringify(body.errors ?? null)}`,
      );
    }
    return body.data.housingMatches;
  };
}
