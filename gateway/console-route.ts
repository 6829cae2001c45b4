import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { DevKey } from '../common/auth/dev-key.js';
import { issueDevToken } from '../common/auth/token.js';
import type { OidcConfig } from '../common/config.js';
import type { AgencyList } from '../common/policy/agencies.js';
import { send } from '../common/http.js';
import { ErrorCode } from '../common/errors.js';

/** Where the built console lives, relative to the repository root (`npm run build:console`). */
export const CONSOLE_DIST = 'console/dist';

export interface ConsoleRouteOptions {
  /** The built console (`console/dist`). */
  dir: string;
  /**
   * Development sign-in: the gateway signs a consent officer's token with the development key. Only
   * given in development without JWKS_URL; the key never leaves the gateway, only the token does.
   */
  devSignIn?: { key: DevKey; issuer: string };
  /**
   * Production sign-in: the page signs the officer in at this OpenID Connect provider (authorization code
   * with PKCE) and sends the access token it gets; the hub verifies it through JWKS_URL like any token.
   */
  oidc?: OidcConfig;
  /** The district's agencies, offered as consent recipients and checked before a development token is signed. */
  agencies: AgencyList;
  /**
   * `DISCLOSURE_RETENTION_DAYS`: how long the disclosure records are kept, which the Art. 15 letter states as
   * their storage period. @default 730
   */
  retentionDays?: number;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/**
 * The page talks to this origin only, and to the identity provider's when one is configured (discovery and
 * token endpoint); no inline scripts, no third party.
 */
function contentSecurityPolicy(oidc: OidcConfig | undefined): string {
  const connect = oidc ? `; connect-src 'self' ${new URL(oidc.issuer).origin}` : '';
  return `default-src 'self'${connect}; img-src 'self' data:; style-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'`;
}

const OFFICER = /^[A-Za-z0-9._-]{1,64}$/;

function securityHeaders(res: ServerResponse, csp: string): void {
  res.setHeader('content-security-policy', csp);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
}

/** Sends a built file with its type, cache policy and Content-Security-Policy; false when there is no such file. */
export async function sendFile(res: ServerResponse, file: string, cache: string, csp: string): Promise<boolean> {
  try {
    if (!(await stat(file)).isFile()) return false;
  } catch {
    return false;
  }
  securityHeaders(res, csp);
  res.statusCode = 200;
  res.setHeader('content-type', TYPES[path.extname(file)] ?? 'application/octet-stream');
  res.setHeader('cache-control', cache);
  res.end(await readFile(file));
  return true;
}

async function devToken(res: ServerResponse, url: URL, { devSignIn, agencies }: ConsoleRouteOptions): Promise<void> {
  res.setHeader('cache-control', 'no-store');
  if (!devSignIn) {
    return send(res, 404, {
      error: 'Development sign-in is off (production, or an identity provider is configured with JWKS_URL)',
    });
  }
  const officer = url.searchParams.get('officer') ?? '';
  const agency = url.searchParams.get('agency') ?? '';
  // Consent officers, and analysts for the monitoring page; never a caseworker.
  const asked = url.searchParams.get('role') ?? 'CONSENT_OFFICER';
  const role = asked === 'ANALYST' ? 'ANALYST' : 'CONSENT_OFFICER';
  const problems: { field: string; message: string }[] = [];
  if (asked !== role) problems.push({ field: 'role', message: 'must be CONSENT_OFFICER or ANALYST' });
  if (!OFFICER.test(officer))
    problems.push({ field: 'officer', message: 'must be 1 to 64 letters, digits, dots, dashes or underscores' });
  if (!agencies.has(agency)) problems.push({ field: 'agency', message: 'must be one of the district agencies' });
  if (problems.length) return send(res, 400, { error: 'Invalid sign-in', problems });
  const token = await issueDevToken(devSignIn.key.privateKey, {
    officer,
    agency,
    roles: [role],
    issuer: devSignIn.issuer,
    expiresIn: '8h',
  });
  send(res, 200, { token, officer, agency, roles: [role] });
}

/**
 * The consent officers' console at `/console`: the built single-page app, its runtime settings at
 * `/console/settings.json` (with the OpenID Connect client when one is configured) and, in development only,
 * `/console/dev-token`. Answers true when it handled the
 * request; anything outside `/console` is left to the GraphQL handler.
 */
export function createConsoleRoute(
  options: ConsoleRouteOptions,
): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const root = path.resolve(options.dir);
  const csp = contentSecurityPolicy(options.oidc);
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/console' && !url.pathname.startsWith('/console/')) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, { error: 'The console is read with GET' });
      return true;
    }
    if (url.pathname === '/console') {
      res.statusCode = 308;
      res.setHeader('location', '/console/');
      res.end();
      return true;
    }
    let rest: string;
    try {
      rest = decodeURIComponent(url.pathname.slice('/console/'.length));
    } catch {
      // `/console/%` or a cut-off UTF-8 sequence: the client's mistake, not the console's.
      send(res, 400, {
        errors: [
          {
            message: 'The path is not valid percent-encoding (RFC 3986)',
            extensions: { code: ErrorCode.BadUserInput },
          },
        ],
      });
      return true;
    }
    if (rest === 'dev-token') {
      await devToken(res, url, options);
      return true;
    }
    if (rest === 'settings.json') {
      res.setHeader('cache-control', 'no-store');
      const oidc = options.oidc && {
        issuer: options.oidc.issuer,
        clientId: options.oidc.clientId,
        scope: options.oidc.scope,
      };
      send(res, 200, {
        devSignIn: Boolean(options.devSignIn),
        agencies: options.agencies.ids,
        agencyNames: options.agencies.displayNames,
        letterhead: options.agencies.letterhead ?? null,
        retentionDays: options.retentionDays ?? 730,
        ...(oidc ? { oidc } : {}),
      });
      return true;
    }
    const file = path.resolve(root, rest);
    if (
      rest &&
      file.startsWith(root + path.sep) &&
      (await sendFile(res, file, rest.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache', csp))
    ) {
      return true;
    }
    // Every other path is a screen of the single-page app.
    if (!(await sendFile(res, path.join(root, 'index.html'), 'no-cache', csp))) {
      send(res, 503, { error: 'The console is not built: run `npm run build:console`' });
    }
    return true;
  };
}
