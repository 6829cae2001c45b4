import { UserManager, WebStorageStateStore } from 'oidc-client-ts';
import type { OidcSettings, Session } from './session';

/** Where the identity provider sends the officer back; register exactly this URL as the client's redirect URI. */
export const CALLBACK_PATH = 'callback';

function userManager(settings: OidcSettings): UserManager {
  return new UserManager({
    authority: settings.issuer,
    client_id: settings.clientId,
    redirect_uri: `${window.location.origin}/console/${CALLBACK_PATH}`,
    response_type: 'code',
    scope: settings.scope,
    // The authorization code flow with PKCE (S256) is oidc-client-ts's only code flow; nothing to switch on.
    // No hidden iframes: the page's CSP allows none, and an expired session signs in again.
    automaticSilentRenew: false,
    monitorSession: false,
    loadUserInfo: false,
    // Like the development token: this tab only.
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    stateStore: new WebStorageStateStore({ store: window.sessionStorage }),
  });
}

/** Sends the browser to the identity provider's sign-in page. */
export async function startSignIn(settings: OidcSettings): Promise<void> {
  await userManager(settings).signinRedirect();
}

/**
 * Completes the sign-in on the redirect back from the provider: checks the state, redeems the code with
 * the PKCE verifier and returns the session with the access token, which the hub verifies itself.
 */
export async function completeSignIn(settings: OidcSettings): Promise<Session> {
  const user = await userManager(settings).signinRedirectCallback();
  const claims = decodeClaims(user.access_token);
  if (typeof claims.sub !== 'string' || typeof claims.agency !== 'string') {
    throw new Error('The identity provider issued an access token without the Verbund claims sub and agency');
  }
  const roles = Array.isArray(claims.roles) ? claims.roles : [];
  const role = roles.includes('ANALYST') && !roles.includes('CONSENT_OFFICER') ? 'ANALYST' : 'CONSENT_OFFICER';
  return { token: user.access_token, officer: claims.sub, agency: claims.agency, role };
}

/** Forgets the provider's tokens of this tab. */
export async function forgetSignIn(settings: OidcSettings): Promise<void> {
  await userManager(settings).removeUser();
}

/** The payload of a JWT, read only to show who is signed in; the hub verifies the token. */
function decodeClaims(token: string): Record<string, unknown> {
  const payload = token.split('.')[1];
  if (!payload) throw new Error('The identity provider issued an access token that is not a JWT');
  const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
  const bytes = Uint8Array.from(atob(base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), '=')), (c) =>
    c.charCodeAt(0),
  );
  return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
}
