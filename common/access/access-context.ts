import type { DataSource } from 'typeorm';
import type { Caller } from '../domain.js';
import type { Registration } from './registry-lookup.js';

/**
 * What the access checks read of a request's context: who asks, and the county's register asked on their
 * behalf. A subgraph's full context (`SubgraphContext`) has both, and more.
 */
export interface AccessContext {
  caller: Caller;
  /** The county's register, asked on the caller's behalf: which of these person ids it issued. */
  registry(personIds: string[]): Promise<Map<string, Registration>>;
}

/** The person or record a mutation names, taken from its arguments (`personId`, `id`, or the same in `input`). */
export interface WriteTarget {
  personId?: string;
  recordId?: string;
}

/** Checks that a write stays within its declared scope; throws FORBIDDEN or NOT_FOUND when it does not. */
export type WriteScopeCheck<Context extends AccessContext = AccessContext> = (
  context: Context,
  target: WriteTarget,
  mutation: string,
) => Promise<void>;

/** What a lean lookup knows of its request besides caller and body. */
export interface LookupRequest {
  /** The caller's `Authorization` header value (a signed answer names its digest, never the token). */
  authorization: string;
  /** The consent registry's grant key (`CONSENT_GRANT_KEY_FILE`): signs answers the gateway passes on. */
  grantKeys?: GrantSigningKey;
}

/** A signing key as the consent registry's grant key is one (a `LogKeyRing` of `common/audit/log/log-keys.ts`). */
export interface GrantSigningKey {
  keyId: string;
  /** Signs `data`; base64. */
  sign(data: string | Buffer): string;
}

/** Answers one admitted lean lookup (`common/access/lookup-routes.ts`); throws `badUserInput` for a bad body. */
export type LookupHandler = (db: DataSource, caller: Caller, body: unknown, request: LookupRequest) => Promise<unknown>;
