/**
 * Signed consent grants: one consent lookup per gateway request instead of one per subgraph fetch.
 *
 * The gateway asks the consent registry once for the persons a request names (with the caller's own token
 * and purpose, as a subgraph would) and passes the registry's answer, signed with the registry's grant key
 * (Ed25519), to every subgraph fetch of that request in the `X-Consent-Grant` header. A data subgraph
 * verifies the signature and the binding instead of asking the registry again:
 *
 * - the statement names the request id, the SHA-256 of the caller's bearer token, the caller's agency and
 *   purpose: it is worth nothing for another request, another token, agency or purpose;
 * - it expires `GRANT_LIFETIME_MS` after the registry made it (one request's fetches, not a cache: a
 *   withdrawal counts for every request that starts after it, as before);
 * - it says which persons were asked (`personIds`): for those, the grants listed are all the consents in
 *   force that name the caller; for any other person the subgraph asks the registry itself.
 *
 * A statement that is missing, expired, unreadable, signed by a key the registry does not publish, or bound to
 * something else is not used: the subgraph then asks the registry itself, exactly as without grants, and
 * refuses consent-based fields if the registry does not answer (fail closed). Nothing is ever released on a
 * statement that does not verify, and a subgraph reached directly decides alone as it always did.
 */
import { createHash, type KeyObject } from 'node:crypto';
import type { Caller, Category, Purpose } from '../../domain.js';
import type { LogKeyRing, PublishedKey } from '../log/log-keys.js';
import { publicKeyFrom, publishKeys, verifySignature } from '../log/log-keys.js';
import { createJsonPoster } from '../../http-client.js';
import type { ConsentGrant } from '../../policy/policy.js';

/** The header a signed statement travels in, from the gateway to each subgraph fetch of one request. */
export const GRANT_HEADER = 'x-consent-grant';

/**
 * What the gateway passes in `X-Consent-Grant` when the registry did not answer its lookup within the deadline
 * (`CONSENT_TIMEOUT_MS`): each data subgraph of the request then refuses its consent-based fields at once
 * (`CONSENT_UNAVAILABLE`, fail closed) instead of waiting for the same registry a second time. It can only
 * make a subgraph refuse, never release: a client that sends it straight to a subgraph withholds its own fields.
 */
export const REGISTRY_UNANSWERED = 'unanswered';

/**
 * At most this many persons per signed statement: a person view or a short list. A caseload of 100 persons
 * would make a header too large to send in every fetch; its subgraphs ask the registry themselves.
 */
export const MAX_SIGNED_PERSONS = 20;

/** How long a statement counts after the registry made it: the gateway's deadline for one subgraph fetch. */
export const GRANT_LIFETIME_MS = 10_000;

/** A consent in a statement: only what the policy reads; recipient and purpose are the statement's own. */
interface StatedGrant {
  id: string;
  version: number;
  personId: string;
  categories: Category[];
  validFrom: string;
  validUntil: string | null;
}

/** What the registry signs. */
export interface GrantStatement {
  v: 1;
  /** The key that signed it, as the registry publishes it at `/grant-keys`. */
  keyId: string;
  requestId: string;
  /** SHA-256 (hex) of the caller's `Authorization` header value. */
  token: string;
  agency: string;
  purpose: Purpose;
  /** The persons asked: for them, `grants` are all the consents in force naming agency and purpose. */
  personIds: string[];
  grants: StatedGrant[];
  /** Milliseconds since the epoch. */
  issuedAt: number;
  expiresAt: number;
}

/** The SHA-256 of a bearer token's header value, hex: how a statement names the token without carrying it. */
export function tokenDigest(authorization: string): string {
  return createHash('sha256').update(authorization).digest('hex');
}

/**
 * The registry's statement about `grants` for the persons asked, signed: `<payload>.<signature>`, both
 * base64url. Only grants neither withdrawn nor voided are stated (the registry's lookup returns no others).
 */
export function signGrants(
  keys: Pick<LogKeyRing, 'keyId' | 'sign'>,
  caller: Caller,
  authorization: string,
  personIds: string[],
  grants: (Omit<StatedGrant, 'categories'> & { categories: string[]; withdrawnAt: unknown; voidedAt?: unknown })[],
  now = Date.now(),
): string {
  const statement: GrantStatement = {
    v: 1,
    keyId: keys.keyId,
    requestId: caller.requestId,
    token: tokenDigest(authorization),
    agency: caller.agency.id,
    purpose: caller.purpose,
    personIds,
    grants: grants
      .filter((g) => !g.withdrawnAt && !g.voidedAt)
      .map((g) => ({
        id: g.id,
        version: g.version,
        personId: g.personId,
        categories: g.categories as Category[],
        validFrom: g.validFrom,
        validUntil: g.validUntil,
      })),
    issuedAt: now,
    expiresAt: now + GRANT_LIFETIME_MS,
  };
  const payload = Buffer.from(JSON.stringify(statement)).toString('base64url');
  const signature = Buffer.from(keys.sign(payload), 'base64').toString('base64url');
  return `${payload}.${signature}`;
}

/** Why a statement was not used; `verbund_consent_grant_statements_total{outcome}` counts them. */
export type StatementRejection = 'malformed' | 'unknown-key' | 'bad-signature' | 'other-request' | 'expired';

/** A verified statement: the persons it answers for and their consents, as the policy reads them. */
export interface VerifiedGrants {
  personIds: Set<string>;
  grants: ConsentGrant[];
}

/** The registry's grant keys by key id, as this subgraph knows them. */
export type GrantKeyLookup = (keyId: string) => Promise<KeyObject | undefined>;

/**
 * Verifies a statement for this request: signature by a key the registry publishes, then request id, token,
 * agency, purpose and expiry. Returns the grants, or why the statement is not used.
 */
export async function verifyGrants(
  header: string,
  request: { caller: Caller; authorization: string },
  keyFor: GrantKeyLookup,
  now = Date.now(),
): Promise<VerifiedGrants | StatementRejection> {
  const [payload, signature, extra] = header.split('.');
  if (!payload || !signature || extra !== undefined) return 'malformed';
  let statement: GrantStatement;
  try {
    statement = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as GrantStatement;
  } catch {
    return 'malformed';
  }
  if (!isStatement(statement)) return 'malformed';
  const key = await keyFor(statement.keyId);
  if (!key) return 'unknown-key';
  if (!verifySignature(key, payload, Buffer.from(signature, 'base64url').toString('base64'))) return 'bad-signature';
  const { caller, authorization } = request;
  if (
    statement.requestId !== caller.requestId ||
    statement.token !== tokenDigest(authorization) ||
    statement.agency !== caller.agency.id ||
    statement.purpose !== caller.purpose
  ) {
    return 'other-request';
  }
  if (now >= statement.expiresAt || now < statement.issuedAt - GRANT_LIFETIME_MS) return 'expired';
  return {
    personIds: new Set(statement.personIds),
    grants: statement.grants.map((g) => ({
      ...g,
      recipients: [statement.agency],
      purposes: [statement.purpose],
      withdrawnAt: null,
      voidedAt: null,
    })),
  };
}

function isStatement(value: unknown): value is GrantStatement {
  const s = value as Partial<GrantStatement> | null;
  return (
    typeof s === 'object' &&
    s !== null &&
    s.v === 1 &&
    typeof s.keyId === 'string' &&
    typeof s.requestId === 'string' &&
    typeof s.token === 'string' &&
    typeof s.agency === 'string' &&
    typeof s.purpose === 'string' &&
    typeof s.issuedAt === 'number' &&
    typeof s.expiresAt === 'number' &&
    Array.isArray(s.personIds) &&
    s.personIds.every((id) => typeof id === 'string') &&
    Array.isArray(s.grants) &&
    s.grants.every(
      (g) =>
        typeof g === 'object' &&
        g !== null &&
        typeof g.id === 'string' &&
        typeof g.personId === 'string' &&
        typeof g.version === 'number' &&
        Array.isArray(g.categories) &&
        typeof g.validFrom === 'string' &&
        (g.validUntil === null || typeof g.validUntil === 'string'),
    )
  );
}

/** What the registry publishes at `GET /grant-keys`. */
export function publishGrantKeys(keys: LogKeyRing): { keys: PublishedKey[] } {
  return { keys: publishKeys(keys) };
}

/**
 * The registry's grant keys as a data subgraph learns them: from `GET /grant-keys` beside the registry's
 * `/graphql` (the same registry, over the same channel, mTLS in production, that it asks for consents
 * today), kept by key id. A key id it does not know makes it ask again, at most once per `refreshMs`, so a
 * restarted registry's new key is learnt within one request.
 */
export function createGrantKeyLookup(consentUrl: string, timeoutMs = 2000, refreshMs = 1000): GrantKeyLookup {
  const get = createJsonPoster();
  const url = new URL('grant-keys', consentUrl).toString();
  const known = new Map<string, KeyObject>();
  let lastAsked = -Infinity;
  let asking: Promise<void> | undefined;
  const refresh = async () => {
    const answer = await get(url, {}, undefined, timeoutMs);
    const keys = (answer.body as { keys?: unknown } | undefined)?.keys;
    if (answer.status !== 200 || !Array.isArray(keys))
      throw new Error(`the registry's /grant-keys answered HTTP ${answer.status}`);
    for (const published of keys as PublishedKey[]) known.set(published.keyId, publicKeyFrom(published));
  };
  return async (keyId) => {
    if (!known.has(keyId) && Date.now() - lastAsked >= refreshMs) {
      lastAsked = Date.now();
      asking ??= refresh().finally(() => (asking = undefined));
      await asking.catch(() => undefined);
    } else if (asking) {
      await asking.catch(() => undefined);
    }
    return known.get(keyId);
  };
}
