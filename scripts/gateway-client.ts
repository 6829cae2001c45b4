/**
 * What the command-line tools that ask a running hub share: a token (given, or a development token signed
 * with the local key) and one GraphQL request to the gateway, with a clear message when it does not answer.
 */
import { loadOrCreateDevKey } from '../common/auth/dev-key.js';
import { issueDevToken } from '../common/auth/token.js';
import type { Config } from '../common/config.js';
import type { Role } from '../common/domain.js';

/** The given token, or a development token for `role`; undefined when an identity provider is configured. */
export async function tokenFor(
  config: Config,
  given: string | undefined,
  caller: { officer: string; role: Role },
): Promise<string | undefined> {
  if (given) return given;
  if (config.jwksUrl) return undefined;
  const key = await loadOrCreateDevKey(config.dataDir);
  return issueDevToken(key.privateKey, {
    officer: caller.officer,
    agency: 'county',
    roles: [caller.role],
    issuer: config.jwtIssuer,
    expiresIn: '15m',
  });
}

export interface GatewayAnswer<T> {
  status: number;
  body: { data?: T | null; errors?: { message: string; extensions?: { code?: string } }[] };
}

/** Thrown when the gateway cannot be reached; the message says where it was looked for and what to do. */
export class GatewayUnreachable extends Error {}

export async function askGateway<T>(
  url: string,
  request: { token: string; purpose: string; query: string; variables?: Record<string, unknown>; timeoutMs: number },
): Promise<GatewayAnswer<T>> {
  try {
    const reply = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${request.token}`,
        'x-purpose': request.purpose,
      },
      body: JSON.stringify({ query: request.query, variables: request.variables ?? {} }),
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    return { status: reply.status, body: (await reply.json()) as GatewayAnswer<T>['body'] };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new GatewayUnreachable(
      `Cannot reach the Verbund gateway at ${url} (${cause?.code ?? cause?.message ?? (error as Error).message}). ` +
        'Start the hub with `npm start`, or point --url (or PORT) at a running gateway.',
    );
  }
}
