import { exportJWK, generateKeyPair } from 'jose';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { errors } from 'oidc-provider';
import type { Role } from '../../common/domain.js';

/** The console's client id at the test provider. */
export const CONSOLE_CLIENT_ID = 'verbund-console';

/** The resource indicator of the hub; its access tokens carry `aud: verbund`. */
const RESOURCE = 'urn:verbund:hub';

/** The accounts the provider knows: login name → Verbund claims. Its dev login page takes any password. */
export const OIDC_ACCOUNTS: Record<string, { agency: string; roles: Role[] }> = {
  'k.wagner': { agency: 'county', roles: ['CONSENT_OFFICER'] },
};

/** A real OpenID Connect provider (npm `oidc-provider`) on loopback, as a district's identity provider. */
export interface RunningOidcProvider {
  issuer: string;
  jwksUrl: string;
  /**
   * Registers the console (a public client, PKCE required) with its redirect URI and starts answering. Two
   * steps, because the hub's verifier needs the JWKS URL before the hub listens and knows its own address.
   */
  register(redirectUri: string): void;
  stop(): Promise<void>;
}

/**
 * Starts `oidc-provider` on a free loopback port: authorization code flow with PKCE for the console, JWT
 * access tokens for the hub (resource indicator, audience `verbund`) with the claims `agency` and `roles`
 * of the signed-in account, and oidc-provider's development login and consent pages.
 */
export async function startOidcProvider(): Promise<RunningOidcProvider> {
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const server = createServer((req, res) => {
    if (handler) handler(req, res);
    else res.writeHead(503).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: 'test-idp-1', alg: 'RS256', use: 'sig' };

  return {
    issuer,
    jwksUrl: `${issuer}/jwks`,
    register(redirectUri) {
      const provider = new Provider(issuer, {
        clients: [
          {
            client_id: CONSOLE_CLIENT_ID,
            token_endpoint_auth_method: 'none',
            redirect_uris: [redirectUri],
            grant_types: ['authorization_code'],
            response_types: ['code'],
          },
        ],
        jwks: { keys: [signingKey] },
        pkce: { required: () => true },
        // Short lives, given explicitly (oidc-provider notices every default it uses).
        ttl: { Interaction: 600, Session: 3600, Grant: 3600, AuthorizationCode: 60, AccessToken: 600, IdToken: 600 },
        findAccount: (_ctx, id) => (OIDC_ACCOUNTS[id] ? { accountId: id, claims: () => ({ sub: id }) } : undefined),
        extraTokenClaims: (_ctx, token) => {
          const account = token.kind === 'AccessToken' && token.accountId ? OIDC_ACCOUNTS[token.accountId] : undefined;
          return account ? { agency: account.agency, roles: account.roles } : undefined;
        },
        clientBasedCORS: (_ctx, origin, client) =>
          client.redirectUris?.some((uri) => new URL(uri).origin === origin) ?? false,
        features: {
          devInteractions: { enabled: true },
          resourceIndicators: {
            enabled: true,
            defaultResource: () => RESOURCE,
            useGrantedResource: () => true,
            getResourceServerInfo: (_ctx, indicator) => {
              if (indicator !== RESOURCE) throw new errors.InvalidTarget();
              return {
                scope: 'verbund',
                audience: 'verbund',
                accessTokenFormat: 'jwt',
                accessTokenTTL: 600,
                jwt: { sign: { alg: 'RS256' } },
              };
            },
          },
        },
      });
      const callback = provider.callback();
      handler = (req, res) => void callback(req, res);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
