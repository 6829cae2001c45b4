import type { Caller, Category } from '../domain.js';
import { createJsonPoster } from '../http-client.js';

/** One page of the persons whose consents in force let the caller see some categories. */
export interface ConsentedPersonsRequest {
  /** Every one of these must be covered (by one consent or several). */
  categories: Category[];
  /** Person ids after this one, in id order. */
  after: string;
  first: number;
}

/**
 * Asks the consent registry, on the caller's behalf, which persons' consents in force name the caller's
 * agency and purpose and cover all these categories: the persons a consented search may consider at all.
 * The registry answers only about consents naming the caller. Throws on any failure (fail closed).
 */
export type ConsentedPersonsLookup = (
  caller: Caller,
  authorization: string,
  request: ConsentedPersonsRequest,
) => Promise<string[]>;

const LOOKUP = `query ConsentedPersonsLookup($categories: [String!]!, $after: ID!, $first: Int!) {
  consentedPersons(categories: $categories, after: $after, first: $first)
}`;

/** The consent registry over HTTP, asked with the caller's own token and purpose. */
export function createHttpConsentedPersonsLookup(
  consentUrl: string | (() => string),
  timeoutMs = 2000,
): ConsentedPersonsLookup {
  const post = createJsonPoster();
  return async (caller, authorization, request) => {
    const response = await post(
      typeof consentUrl === 'function' ? consentUrl() : consentUrl,
      { authorization, 'x-purpose': caller.purpose, 'x-request-id': caller.requestId },
      { query: LOOKUP, variables: request },
      timeoutMs,
    );
    const body = (response.body ?? {}) as { data?: { consentedPersons?: string[] }; errors?: unknown[] };
    if (response.status !== 200 || body.errors?.length || !body.data?.consentedPersons) {
      throw new Error(`The consent registry answered HTTP ${response.status}: ${JSON.stringify(body.errors ?? null)}`);
    }
    return body.data.consentedPersons;
  };
}
