import type { Caller } from '../domain.js';
import { createJsonPoster } from '../http-client.js';
import type { ConsentGrant } from '../policy/policy.js';

/** Looks up the consents that name the caller's agency and purpose for some persons. */
export type ConsentLookup = (caller: Caller, authorization: string, personIds: string[]) => Promise<ConsentGrant[]>;

/** A grant as JSON carries it: validity days stay YYYY-MM-DD strings (never turned into instants). */
interface GrantWire extends Omit<ConsentGrant, 'withdrawnAt' | 'voidedAt'> {
  withdrawnAt: string | null;
  voidedAt?: string | null;
}

/**
 * Asks the consent subgraph over HTTP, with the caller's own token and purpose: the registry answers only
 * about consents that name the caller, so no service credential is needed. It asks the registry's lean
 * lookup (`POST /lookup/consentGrants` beside the registry's `/graphql` at `consentUrl`), which checks token,
 * purpose and operation rule as the GraphQL query `consentGrants` does, without GraphQL's per-request cost.
 * Throws on any failure; the caller of this function then refuses consent-based fields (fail closed). A
 * registry that does not answer within `timeoutMs` (`CONSENT_TIMEOUT_MS`) counts as a failure: the call is
 * aborted, not left waiting.
 */
export function createHttpConsentLookup(consentUrl: string, timeoutMs = 2000): ConsentLookup {
  const post = createJsonPoster();
  const url = consentLookupUrl(consentUrl);
  return async (caller, authorization, personIds) => {
    const response = await post(url, lookupHeaders(caller, authorization), { personIds }, timeoutMs);
    if (response.status !== 200) throw new Error(`Consent registry answered HTTP ${response.status}`);
    const grants = (response.body as { grants?: unknown } | null)?.grants;
    if (!Array.isArray(grants)) throw new Error('Consent registry answered without grants');
    return (grants as GrantWire[]).map((g) => ({
      ...g,
      withdrawnAt: g.withdrawnAt ? new Date(g.withdrawnAt) : null,
      voidedAt: g.voidedAt ? new Date(g.voidedAt) : null,
    }));
  };
}

/** The registry's lean lookup beside its GraphQL URL; relative, so that a proxy's path prefix applies too. */
export function consentLookupUrl(consentUrl: string): string {
  return new URL('lookup/consentGrants', consentUrl).toString();
}

/** What a lookup on the caller's behalf sends: the caller's own token, purpose and request id. */
export function lookupHeaders(caller: Caller, authorization: string): Record<string, string> {
  return { authorization, 'x-purpose': caller.purpose, 'x-request-id': caller.requestId };
}
