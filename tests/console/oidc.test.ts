/**
 * Production sign-in of the consent officers' console: OpenID Connect authorization code flow with PKCE
 * against a real provider (npm `oidc-provider`) on loopback, in Debian's Chromium. The hub verifies the
 * provider's access tokens through its JWKS, as it would with JWKS_URL and JWT_ISSUER, and refuses tokens
 * of any other issuer; the provider redeems no code without its PKCE verifier.
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { SignJWT, decodeJwt, generateKeyPair } from 'jose';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createTokenVerifier } from '../../common/auth/token.js';
import { CONSOLE_DIST_DIR, ensureConsoleBuilt } from '../../scripts/build-console.js';
import { demoPersons } from '../../seed/world.js';
import { post } from '../support/graphql.js';
import { startHub, type RunningHub } from '../support/hub.js';
import { CONSOLE_CLIENT_ID, startOidcProvider, type RunningOidcProvider } from '../support/oidc-provider.js';
import { tokenFor } from '../support/tokens.js';
import { launchChromium } from './browser.js';

const SEED = 12;
const persons = demoPersons(SEED, 0, 10);
const OFFICER = 'k.wagner';

const SEARCH = 'query Search($name: String) { searchPersons(name: $name, first: 5) { id givenName familyName } }';

describe('console sign-in at an OpenID Connect provider (authorization code with PKCE)', () => {
  let idp: RunningOidcProvider;
  let hub: RunningHub;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let accessToken: string;
  const authorizationRequests: URL[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    await ensureConsoleBuilt();
    idp = await startOidcProvider();
    // Every part verifies through the provider's JWKS, as with JWKS_URL and JWT_ISSUER set.
    hub = await startHub({
      persons,
      seed: SEED,
      unseeded: ['consent'],
      verifier: createTokenVerifier({ jwksUrl: idp.jwksUrl, issuer: idp.issuer }),
      console: {
        dir: CONSOLE_DIST_DIR,
        oidc: { issuer: idp.issuer, clientId: CONSOLE_CLIENT_ID, scope: 'openid verbund' },
      },
    });
    base = hub.gatewayUrl.replace(/\/graphql$/, '');
    idp.register(`${base}/console/callback`);
    // The console's own Content-Security-Policy stays on: the page must reach the provider under it.
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.origin === idp.issuer && url.pathname === '/auth') authorizationRequests.push(url);
    });
  });

  afterAll(async () => {
    if (process.env.CONSOLE_DEBUG) await page?.screenshot({ path: process.env.CONSOLE_DEBUG, fullPage: true });
    await browser?.close();
    await hub?.stop();
    await idp?.stop();
  });

  /** Signs in on the provider's (development) login and consent pages. */
  async function signInAtProvider(on: Page): Promise<void> {
    await on.waitForURL((url) => url.origin === idp.issuer);
    await on.locator('input[name="login"]').fill(OFFICER);
    await on.locator('input[name="password"]').fill('any password');
    await on.getByRole('button', { name: 'Sign-in' }).click();
    await on.getByRole('button', { name: 'Continue' }).click();
  }

  it('tells the page where to sign in, and lets it reach only the provider besides the hub', async () => {
    const settings = (await (await fetch(`${base}/console/settings.json`)).json()) as Record<string, unknown>;
    assert.equal(settings.devSignIn, false);
    assert.deepEqual(settings.oidc, { issuer: idp.issuer, clientId: CONSOLE_CLIENT_ID, scope: 'openid verbund' });
    const csp = (await fetch(`${base}/console/`)).headers.get('content-security-policy') ?? '';
    assert.match(csp, new RegExp(`connect-src 'self' ${idp.issuer.replace(/[.]/g, '\\.')};`));
    assert.equal((await fetch(`${base}/console/dev-token?officer=a.schulz&agency=county`)).status, 404);
  });

  it('signs in at the provider with PKCE and finds a person with the access token', async () => {
    await page.goto(`${base}/console`);
    await page.getByRole('heading', { name: 'Anmelden' }).waitFor();
    await page.getByRole('button', { name: 'Beim Anmeldedienst anmelden' }).click();
    await signInAtProvider(page);
    await page.getByText('Angemeldet als').waitFor();
    assert.match(await page.locator('.who').innerText(), new RegExp(`${OFFICER} \\(Landkreis Lindenau\\)`));
    assert.equal(new URL(page.url()).pathname, '/console/');

    const request = authorizationRequests[0];
    assert.ok(request, 'the page went to the authorization endpoint');
    assert.equal(request.searchParams.get('response_type'), 'code');
    assert.equal(request.searchParams.get('code_challenge_method'), 'S256');
    assert.match(request.searchParams.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/);

    // The session holds the provider's access token: a JWT for the hub with the Verbund claims.
    const session = JSON.parse(
      (await page.evaluate<string | null>("sessionStorage.getItem('verbund.console.session')")) ?? '{}',
    ) as { token: string };
    accessToken = session.token;
    const claims = decodeJwt(accessToken);
    assert.equal(claims.iss, idp.issuer);
    assert.equal(claims.aud, 'verbund');
    assert.equal(claims.sub, OFFICER);
    assert.equal(claims.agency, 'county');
    assert.deepEqual(claims.roles, ['CONSENT_OFFICER']);

    const person = persons[0];
    await page.getByLabel('Name oder Personenkennung').fill(`${person.givenName.slice(0, 3)} ${person.familyName}`);
    await page.getByRole('button', { name: 'Suchen' }).click();
    await page.getByRole('row').filter({ hasText: person.id }).waitFor();
  });

  it('refuses tokens of another issuer, at the gateway and at a subgraph, and accepts the provider’s', async () => {
    const person = persons[0];
    const search = (url: string, token: string) =>
      post(url, { token, purpose: 'CONSENT_MANAGEMENT', query: SEARCH, variables: { name: person.familyName } });
    const own = await search(hub.gatewayUrl, accessToken);
    assert.equal(own.status, 200, JSON.stringify(own.errors));
    assert.ok(own.data?.searchPersons.some((p: { id: string }) => p.id === person.id));

    // A development token (another issuer, another key).
    const development = await tokenFor('county', ['CONSENT_OFFICER'], OFFICER);
    // A token that names the provider as issuer but is signed by another key.
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ agency: 'county', roles: ['CONSENT_OFFICER'] })
      .setProtectedHeader({ alg: 'RS256', kid: 'test-idp-1' })
      .setSubject(OFFICER)
      .setIssuer(idp.issuer)
      .setAudience('verbund')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
    for (const [name, token] of Object.entries({ development, forged })) {
      for (const url of [hub.gatewayUrl, hub.subgraphs.county.url]) {
        const response = await search(url, token);
        assert.equal(response.status, 401, `${name} token at ${url}`);
        assert.equal(response.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
      }
    }
  });

  it('gets no code without a PKCE challenge, and no token for a code without its verifier', async () => {
    const redirectUri = `${base}/console/callback`;
    const authorize = (params: Record<string, string>) =>
      `${idp.issuer}/auth?${new URLSearchParams({ client_id: CONSOLE_CLIENT_ID, redirect_uri: redirectUri, response_type: 'code', scope: 'openid verbund', state: 'test-state', ...params }).toString()}`;

    // Without a code challenge the provider sends the browser back with an error, not to its login page.
    const refused = await fetch(authorize({}), { redirect: 'manual' });
    const location = new URL(refused.headers.get('location') ?? '', idp.issuer);
    assert.equal(`${location.origin}${location.pathname}`, redirectUri);
    assert.equal(location.searchParams.get('error'), 'invalid_request');
    assert.match(location.searchParams.get('error_description') ?? '', /PKCE|code_challenge/);
    assert.equal(location.searchParams.get('code'), null);

    // With a challenge there is a code; redeemed without the verifier, or with another, it gives no token.
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const other = await browser.newContext();
    // The console's page at the callback finds no sign-in of its own in this tab and redeems nothing.
    let callback: URL | undefined;
    other.on('request', (request) => {
      if (request.url().startsWith(redirectUri)) callback ??= new URL(request.url());
    });
    try {
      const tab = await other.newPage();
      tab.setDefaultTimeout(15_000);
      await tab.goto(authorize({ code_challenge: challenge, code_challenge_method: 'S256' }));
      await signInAtProvider(tab);
      await tab.waitForURL((url) => url.href.startsWith(redirectUri));
    } finally {
      await other.close();
    }
    const code = callback?.searchParams.get('code');
    assert.ok(code, `the provider issued a code: ${callback?.href}`);
    const redeem = async (extra: Record<string, string>) => {
      const response = await fetch(`${idp.issuer}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          client_id: CONSOLE_CLIENT_ID,
          redirect_uri: redirectUri,
          code,
          ...extra,
        }),
      });
      return { status: response.status, body: (await response.json()) as { error?: string; access_token?: string } };
    };
    const attempts: Record<string, string>[] = [{}, { code_verifier: randomBytes(32).toString('base64url') }];
    for (const extra of attempts) {
      const response = await redeem(extra);
      assert.equal(response.status, 400, JSON.stringify(extra));
      assert.ok(
        ['invalid_grant', 'invalid_request'].includes(response.body.error ?? ''),
        JSON.stringify(response.body),
      );
      assert.equal(response.body.access_token, undefined);
    }
  });
});
