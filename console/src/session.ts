import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import type { Letterhead } from '../../common/policy/agencies';

/** The signed-in consent officer. The token lives in this tab's sessionStorage only. */
export interface Session {
  token: string;
  officer: string;
  agency: string;
  /** ANALYST: the monitoring page only, with X-Purpose MONITORING. @default CONSENT_OFFICER */
  role?: 'CONSENT_OFFICER' | 'ANALYST';
}

const KEY = 'verbund.console.session';

export function loadSession(): Session | undefined {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : undefined;
  } catch {
    return undefined;
  }
}

export function saveSession(session: Session | undefined): void {
  if (session) sessionStorage.setItem(KEY, JSON.stringify(session));
  else sessionStorage.removeItem(KEY);
}

/** Every request goes to the gateway's public graph with the officer's token and the consent-management purpose. */
export function createClient(session: Session): ApolloClient {
  return new ApolloClient({
    link: new HttpLink({
      uri: '/graphql',
      headers: {
        authorization: `Bearer ${session.token}`,
        'x-purpose': session.role === 'ANALYST' ? 'MONITORING' : 'CONSENT_MANAGEMENT',
      },
    }),
    // A consent's versions share its id: each version is its own object.
    cache: new InMemoryCache({ typePolicies: { Consent: { keyFields: ['id', 'version'] } } }),
  });
}

/** The console's OpenID Connect client at the hub's identity provider. */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  scope: string;
}

export interface Settings {
  devSignIn: boolean;
  agencies: string[];
  /** The district's names for its agencies (the agencies file's `displayName`), by agency id. */
  agencyNames?: Record<string, string>;
  /** Present when the hub verifies tokens of an identity provider (JWKS_URL). */
  oidc?: OidcSettings;
  /** The district's letterhead for the Art. 15 letter (the agencies file's `letterhead`); null when not configured. */
  letterhead?: Letterhead | null;
  /** `DISCLOSURE_RETENTION_DAYS`: how long disclosure records are kept, stated in the Art. 15 letter. */
  retentionDays?: number;
}

export async function loadSettings(): Promise<Settings> {
  const response = await fetch('/console/settings.json');
  return (await response.json()) as Settings;
}
