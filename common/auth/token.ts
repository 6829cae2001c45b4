import { GraphQLError } from 'graphql';
import { SignJWT, createRemoteJWKSet, errors as joseErrors, jwtVerify, type CryptoKey, type JWTPayload } from 'jose';
import { randomUUID } from 'node:crypto';
import { PURPOSE_ROLE, PURPOSES_BY_AGENCY, isPurpose, isRole, parseAgency, type Caller, type Role } from '../domain.js';
import { ErrorCode } from '../errors.js';
import { loadAgencyList, type AgencyList } from '../policy/agencies.js';
import { DEV_KEY_ALGORITHM, type DevKey } from './dev-key.js';

/** Every Verbund token is issued for this audience. */
export const AUDIENCE = 'verbund';

/** Verifies bearer tokens against the identity provider's JWKS, or the development key when there is none. */
export interface TokenVerifier {
  verify(token: string): Promise<JWTPayload>;
  /** The district's agencies; a token naming any other is refused. */
  agencies: AgencyList;
}

export function createTokenVerifier(options: {
  jwksUrl?: string;
  issuer: string;
  devKey?: DevKey;
  /** @default the demo district's list shipped with Verbund */
  agencies?: AgencyList;
}): TokenVerifier {
  const common = { issuer: options.issuer, audience: AUDIENCE, requiredClaims: ['sub', 'exp'] };
  const agencies = options.agencies ?? loadAgencyList();
  if (options.jwksUrl) {
    const keySet = createRemoteJWKSet(new URL(options.jwksUrl));
    return rememberingVerified({ agencies, verify: async (token) => (await jwtVerify(token, keySet, common)).payload });
  }
  const key = options.devKey?.publicKey;
  if (!key) throw new Error('Neither JWKS_URL nor a development key is configured');
  return rememberingVerified({
    agencies,
    verify: async (token) => (await jwtVerify(token, key, { ...common, algorithms: [DEV_KEY_ALGORITHM] })).payload,
  });
}

/** How many verified tokens a process remembers; the oldest is forgotten first. */
const REMEMBERED_TOKENS = 1000;

/**
 * Remembers tokens that verified, until they expire. One person view presents the same token to the
 * gateway and every subgraph, and a caseworker's screen sends it again and again; the signature is
 * checked once per process instead of every time. Only exact token strings that passed are remembered,
 * and never past their `exp`.
 */
function rememberingVerified(verifier: TokenVerifier): TokenVerifier {
  const verified = new Map<string, JWTPayload>();
  return {
    agencies: verifier.agencies,
    async verify(token) {
      const known = verified.get(token);
      if (known && known.exp! * 1000 > Date.now()) return known;
      if (known) verified.delete(token);
      const payload = await verifier.verify(token);
      verified.set(token, payload);
      if (verified.size > REMEMBERED_TOKENS) verified.delete(verified.keys().next().value!);
      return payload;
    },
  };
}

function unauthenticated(reason: string): GraphQLError {
  return new GraphQLError(`Not authenticated: ${reason}`, {
    extensions: { code: ErrorCode.Unauthenticated, http: { status: 401 } },
  });
}

function describeJoseError(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'the token has expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    return `claim "${error.claim}" is not acceptable (${error.reason})`;
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'the token signature is not valid';
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'no key of the identity provider matches the token';
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'the token is signed with an algorithm not accepted';
  if (error instanceof joseErrors.JOSEError) return 'the token is malformed';
  return 'the token could not be verified';
}

type HeaderValue = string | string[] | undefined;
type Headers = { get(name: string): string | null | undefined } | Record<string, HeaderValue>;

function header(headers: Headers, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null | undefined }).get(name) ?? undefined;
  }
  const value = (headers as Record<string, HeaderValue>)[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The longest officer id (`sub`) accepted at all. The disclosure log bounds what it stores further (a long
 * value keeps its start and a hash of the whole, see `common/audit/log/record.ts`).
 */
export const MAX_OFFICER_LENGTH = 1024;

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Authenticates one request from its headers: a valid bearer token with the Verbund claims and a purpose
 * the caller's agency may use. Throws UNAUTHENTICATED (401) or FORBIDDEN_PURPOSE (403); the gateway and
 * every subgraph call this, so a subgraph reached directly decides exactly as through the gateway.
 */
export async function authenticate(verifier: TokenVerifier, headers: Headers): Promise<Caller> {
  const authorization = header(headers, 'authorization');
  const match = authorization ? /^Bearer\s+(\S+)$/i.exec(authorization) : null;
  if (!match) throw unauthenticated('send "Authorization: Bearer <token>"');
  let claims: JWTPayload;
  try {
    claims = await verifier.verify(match[1]);
  } catch (error) {
    throw unauthenticated(describeJoseError(error));
  }
  const agency = parseAgency(claims.agency);
  if (!agency) throw unauthenticated('claim "agency" is missing or not a Verbund agency');
  if (!verifier.agencies.has(agency.id)) throw unauthenticated(`agency ${agency.id} is not an agency of this district`);
  if (typeof claims.sub !== 'string' || claims.sub.length === 0 || claims.sub.length > MAX_OFFICER_LENGTH) {
    throw unauthenticated(`claim "sub" must be an officer id of 1 to ${MAX_OFFICER_LENGTH} characters`);
  }
  const roles = claims.roles;
  if (!Array.isArray(roles) || roles.length === 0 || roles.length > 3 || !roles.every(isRole)) {
    throw unauthenticated('claim "roles" must list CASEWORKER, CONSENT_OFFICER or ANALYST');
  }
  const purpose = header(headers, 'x-purpose');
  if (!isPurpose(purpose) || !PURPOSES_BY_AGENCY[agency.kind].includes(purpose)) {
    throw new GraphQLError(
      purpose
        ? `Purpose "${purpose}" may not be used by agency ${agency.id}; allowed: ${PURPOSES_BY_AGENCY[agency.kind].join(', ')}`
        : `Send the purpose of this request in the X-Purpose header; allowed for ${agency.id}: ${PURPOSES_BY_AGENCY[agency.kind].join(', ')}`,
      { extensions: { code: ErrorCode.ForbiddenPurpose, http: { status: 403 } } },
    );
  }
  // Purpose limitation: the purpose selects the acting role, and only that role's rights apply.
  const role = PURPOSE_ROLE[purpose];
  if (!roles.includes(role)) {
    throw new GraphQLError(
      `Purpose ${purpose} belongs to role ${role}, which this token does not carry (it carries ${roles.join(', ')})`,
      { extensions: { code: ErrorCode.ForbiddenPurpose, http: { status: 403 } } },
    );
  }
  const requestId = header(headers, 'x-request-id');
  const correlationId = header(headers, 'x-correlation-id');
  return {
    officer: claims.sub,
    agency,
    role,
    roles: [role],
    purpose,
    requestId: requestId && REQUEST_ID_PATTERN.test(requestId) ? requestId : randomUUID(),
    ...(correlationId && REQUEST_ID_PATTERN.test(correlationId) ? { correlationId } : {}),
  };
}

/** Issues a development token signed with the local key (`npm run token`). */
export async function issueDevToken(
  key: CryptoKey,
  claims: { officer: string; agency: string; roles: Role[]; issuer: string; expiresIn?: string },
): Promise<string> {
  return new SignJWT({ agency: claims.agency, roles: claims.roles })
    .setProtectedHeader({ alg: DEV_KEY_ALGORITHM })
    .setSubject(claims.officer)
    .setIssuer(claims.issuer)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(claims.expiresIn ?? '8h')
    .sign(key);
}
