import type { Caller } from '../domain.js';
import { createJsonPoster } from '../http-client.js';
import type { ConsentGrant } from '../policy/policy.js';

/** Looks up the consents that name the caller's agency and purpose for some persons. */
export type ConsentLookup = (caller: Caller, authorization: string, personIds: string[]) => Promise<ConsentGrant[]>;

const LOOKUP = `query ConsentLookup($personIds: [ID!]!) {
  consentGrants(personIds: $personIds) {
    id version personId recipients purposes categories validFrom validUntil withdrawnAt
  }
}`;

interface GrantWire extends Omit<ConsentGrant, 'validFrom' | 'validUntil' | 'withdrawnAt'> {
  validFrom: string;
  validUntil: string | null;
  withdrawnAt: string | null;
}

/**
 * Asks the consent subgraph over HTTP, with the caller's own token and purpose: the registry answers only
 * about consents that name the caller, so no service credential is needed. Throws on any failure; the
 * caller of this function then refuses consent-based fields (fail closed). A registry that does not answer
 * within `timeoutMs` (`CONSENT_TIMEOUT_MS`) counts as a failure: the call is aborted, not left waiting.
 */
export function createHttpConsentLookup(consentUrl: string, timeoutMs = 2000): ConsentLookup {
  const post = createJsonPoster();
  return async (caller, authorization, personIds) => {
    const response = await post(
      consentUrl,
      { authorization, 'x-purpose': caller.purpose, 'x-request-id': caller.requestId },
      { query: LOOKUP, variables: { personIds } },
      timeoutMs,
    );
    if (response.status !== 200) throw new Error(`Consent registry answered HTTP ${response.status}`);
    const body = (response.body ?? {}) as { data?: { consentGrants?: GrantWire[] }; errors?: unknown[] };
    if (body.errors?.length || !body.data?.consentGrants) {
      throw new Error(`Consent registry answered with errors: ${JSON.stringify(body.errors)}`);
    }
    return body.data.consentGrants.map((g) => ({
      ...g,
      validFrom: new Date(g.validFrom),
      validUntil: g.validUntil ? new Date(g.validUntil) : null,
      withdrawnAt: g.withdrawnAt ? new Date(g.withdrawnAt) : null,
    }));
  };
}
