import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { listen, send, type Listening } from '../common/http.js';
import { loadAgencyList } from '../common/policy/agencies.js';
import { createConsoleRoute } from './console-route.js';

describe('console route without development sign-in (production, or JWKS_URL configured)', () => {
  let server: Listening;
  let base: string;

  beforeAll(async () => {
    const route = createConsoleRoute({
      dir: mkdtempSync(path.join(os.tmpdir(), 'verbund-console-')),
      agencies: loadAgencyList(),
    });
    server = await listen(async (req, res) => {
      if (!(await route(req, res))) send(res, 404, { error: 'graphql handler' });
    }, 0);
    base = server.url.replace(/\/graphql$/, '');
  });
  afterAll(() => server.close());

  it('refuses development tokens', async () => {
    const response = await fetch(`${base}/console/dev-token?officer=a.schulz&agency=county`);
    assert.equal(response.status, 404);
    assert.equal(((await response.json()) as { token?: string }).token, undefined);
  });

  it('tells the page that development sign-in is off', async () => {
    const settings = (await (await fetch(`${base}/console/settings.json`)).json()) as {
      devSignIn: boolean;
      agencies: string[];
      letterhead: { authority: string; supervisoryAuthority: { name: string } } | null;
      retentionDays: number;
    };
    assert.equal(settings.devSignIn, false);
    assert.ok(settings.agencies.includes('jobcenter'));
    // What the Art. 15 letter prints: the district's letterhead and the disclosure records' retention.
    assert.equal(settings.letterhead?.authority, 'Landkreis Lindenau');
    assert.match(settings.letterhead?.supervisoryAuthority.name ?? '', /Datenschutz/);
    assert.equal(settings.retentionDays, 730);
  });

  it('says how to build a missing console, and leaves other paths to the GraphQL handler', async () => {
    const response = await fetch(`${base}/console/`);
    assert.equal(response.status, 503);
    assert.match(((await response.json()) as { error: string }).error, /npm run build:console/);
    assert.equal((await fetch(`${base}/consoles`)).status, 404);
    assert.equal((await fetch(`${base}/console`, { redirect: 'manual' })).headers.get('location'), '/console/');
  });
});

describe('console route with an identity provider (OIDC_CLIENT_ID with JWKS_URL)', () => {
  let server: Listening;
  let base: string;
  const oidc = { issuer: 'https://idp.district.example/realms/verbund', clientId: 'verbund-console', scope: 'openid' };

  beforeAll(async () => {
    const route = createConsoleRoute({
      dir: mkdtempSync(path.join(os.tmpdir(), 'verbund-console-')),
      agencies: loadAgencyList(),
      oidc,
    });
    server = await listen(async (req, res) => {
      if (!(await route(req, res))) send(res, 404, { error: 'graphql handler' });
    }, 0);
    base = server.url.replace(/\/graphql$/, '');
  });
  afterAll(() => server.close());

  it('tells the page the issuer and client id, and no development sign-in', async () => {
    const settings = (await (await fetch(`${base}/console/settings.json`)).json()) as Record<string, unknown>;
    assert.equal(settings.devSignIn, false);
    assert.deepEqual(settings.oidc, oidc);
    assert.equal((await fetch(`${base}/console/dev-token?officer=a.schulz&agency=county`)).status, 404);
  });

  it("lets the page connect to the provider's origin only, besides its own", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'verbund-console-'));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>console</title>');
    const route = createConsoleRoute({ dir, agencies: loadAgencyList(), oidc });
    const built = await listen(async (req, res) => {
      if (!(await route(req, res))) send(res, 404, {});
    }, 0);
    try {
      const csp =
        (await fetch(built.url.replace(/\/graphql$/, '/console/callback'))).headers.get('content-security-policy') ??
        '';
      assert.match(csp, /connect-src 'self' https:\/\/idp\.district\.example;/);
      assert.match(csp, /frame-ancestors 'none'/);
    } finally {
      await built.close();
    }
  });
});
