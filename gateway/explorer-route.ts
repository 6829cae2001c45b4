import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { DevKey } from '../common/auth/dev-key.js';
import { issueDevToken } from '../common/auth/token.js';
import { isRole, parseAgency, PURPOSE_ROLE, PURPOSES_BY_AGENCY, ROLES, type Role } from '../common/domain.js';
import { send } from '../common/http.js';
import type { AgencyList } from '../common/policy/agencies.js';
import { sendFile } from './console-route.js';
import { EXAMPLES, variablesOf } from './explorer-examples.js';

/** Where the built explorer lives, relative to the repository root (`npm run build:explorer`). */
export const EXPLORER_DIST = 'explorer/dist';

export interface ExplorerRouteOptions {
  /** The built explorer (`explorer/dist`). */
  dir: string;
  /**
   * Development only: the gateway signs demo tokens for the picker with the development key (any agency of
   * the district, any role). Never given in production: there the explorer hands out no token.
   */
  devTokens?: { key: DevKey; issuer: string };
  /** A person of the demo district, put into the examples' variables. */
  examplePersonId?: string;
  /** The district's agencies, offered in the picker and checked before a demo token is signed. */
  agencies: AgencyList;
}

/**
 * GraphiQL's editors set styles inline and its fonts are data: URLs; everything else comes from this origin,
 * and the page talks to this origin only.
 */
const CSP =
  "default-src 'self'; connect-src 'self'; img-src 'self' data:; font-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

const OFFICER = /^[A-Za-z0-9._-]{1,64}$/;

/** Per agency of the district and role, the purposes that role may state at that agency. */
export function purposesByAgencyAndRole(agencies: AgencyList): Record<string, Record<Role, string[]>> {
  return Object.fromEntries(
    agencies.ids.map((id) => {
      const stated = PURPOSES_BY_AGENCY[parseAgency(id)!.kind];
      return [id, Object.fromEntries(ROLES.map((role) => [role, stated.filter((p) => PURPOSE_ROLE[p] === role)]))];
    }),
  ) as Record<string, Record<Role, string[]>>;
}

async function devToken(res: ServerResponse, url: URL, { devTokens, agencies }: ExplorerRouteOptions): Promise<void> {
  res.setHeader('cache-control', 'no-store');
  if (!devTokens) return send(res, 404, { error: 'The explorer hands out no tokens outside development' });
  const officer = url.searchParams.get('officer') ?? 'explorer';
  const agency = url.searchParams.get('agency') ?? '';
  const role = url.searchParams.get('role') ?? '';
  const problems: { field: string; message: string }[] = [];
  if (!OFFICER.test(officer))
    problems.push({ field: 'officer', message: 'must be 1 to 64 letters, digits, dots, dashes or underscores' });
  if (!agencies.has(agency)) problems.push({ field: 'agency', message: 'must be one of the district agencies' });
  if (!isRole(role)) problems.push({ field: 'role', message: `must be one of ${ROLES.join(', ')}` });
  if (problems.length || !isRole(role)) return send(res, 400, { error: 'Invalid demo caller', problems });
  const token = await issueDevToken(devTokens.key.privateKey, {
    officer,
    agency,
    roles: [role],
    issuer: devTokens.issuer,
    expiresIn: '8h',
  });
  send(res, 200, { token, officer, agency, roles: [role] });
}

/**
 * The developers' explorer at `/explorer`: GraphiQL bundled from npm (no request leaves the hub), its settings
 * at `/explorer/settings.json` and, in development only, demo tokens at `/explorer/dev-token`. Answers true
 * when it handled the request; anything outside `/explorer` is left to the next handler.
 */
export function createExplorerRoute(
  options: ExplorerRouteOptions,
): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const root = path.resolve(options.dir);
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/explorer' && !url.pathname.startsWith('/explorer/')) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, { error: 'The explorer is read with GET' });
      return true;
    }
    if (url.pathname === '/explorer') {
      res.statusCode = 308;
      res.setHeader('location', '/explorer/');
      res.end();
      return true;
    }
    const rest = decodeURIComponent(url.pathname.slice('/explorer/'.length));
    if (rest === 'dev-token') {
      await devToken(res, url, options);
      return true;
    }
    if (rest === 'settings.json') {
      res.setHeader('cache-control', 'no-store');
      send(res, 200, {
        devTokens: Boolean(options.devTokens),
        agencies: options.agencies.ids,
        purposes: purposesByAgencyAndRole(options.agencies),
        ...(options.examplePersonId ? { examplePersonId: options.examplePersonId } : {}),
      });
      return true;
    }
    const file = path.resolve(root, rest || 'index.html');
    const cache = rest.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
    if (file.startsWith(root + path.sep) && (await sendFile(res, file, cache, CSP))) return true;
    if (rest) send(res, 404, { error: 'No such file of the explorer' });
    else send(res, 503, { error: 'The explorer is not built: run `npm run build:explorer`' });
    return true;
  };
}

/** The gateway's options for the explorer and Apollo Sandbox, from the configuration. */
export interface ExplorerSetup {
  explorer?: Omit<ExplorerRouteOptions, 'agencies'>;
  sandbox?: { document: string; variables?: Record<string, unknown>; headers: Record<string, string> };
  introspection: boolean;
}

/**
 * Sets the explorer up as configured (`EXPLORER`): in development with demo tokens, and Apollo Sandbox opening
 * with the first example (the jobcenter's person view) and a demo token for its caller in the headers; in
 * production only when switched on, without tokens, and with introspection for authenticated callers.
 */
export async function explorerSetup(options: {
  enabled: boolean;
  development: boolean;
  dir: string;
  devKey?: DevKey;
  issuer: string;
  examplePersonId?: string;
}): Promise<ExplorerSetup> {
  const devTokens = options.development && options.devKey ? { key: options.devKey, issuer: options.issuer } : undefined;
  let sandbox: ExplorerSetup['sandbox'];
  if (devTokens) {
    const example = EXAMPLES[0];
    const token = await issueDevToken(devTokens.key.privateKey, {
      officer: 'sandbox',
      agency: example.caller.agency,
      roles: [example.caller.role],
      issuer: devTokens.issuer,
      expiresIn: '8h',
    });
    sandbox = {
      document: example.query,
      variables: JSON.parse(variablesOf(example, options.examplePersonId ?? '<person id>')) as Record<string, unknown>,
      headers: { Authorization: `Bearer ${token}`, 'X-Purpose': example.caller.purpose },
    };
  }
  return {
    explorer: options.enabled
      ? {
          dir: options.dir,
          devTokens,
          ...(options.examplePersonId ? { examplePersonId: options.examplePersonId } : {}),
        }
      : undefined,
    sandbox,
    introspection: options.development || options.enabled,
  };
}
