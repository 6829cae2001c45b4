import 'reflect-metadata';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { authenticate, createTokenVerifier } from '../common/auth/token.js';
import { tokenFor } from './support/tokens.js';

const headers = (token: string, purpose = 'JOB_PLACEMENT') => ({
  authorization: `Bearer ${token}`,
  'x-purpose': purpose,
});

describe('authentication against an identity provider (JWKS)', () => {
  let jwksUrl: string;
  let close: () => void;
  let providerKey: CryptoKey;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    providerKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'idp-1', alg: 'RS256', use: 'sig' };
    const server = createServer((_, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
    close = () => server.close();
  });
  afterAll(() => close());

  const providerToken = (claims: Record<string, unknown> = {}) =>
    new SignJWT({ agency: 'jobcenter', roles: ['CASEWORKER'], ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'idp-1' })
      .setSubject('pseudonym-4711')
      .setIssuer('https://idp.district.example')
      .setAudience('verbund')
      .setExpirationTime('5m')
      .sign(providerKey);

  it("accepts the provider's tokens and carries the caller's claims", async () => {
    const verifier = createTokenVerifier({ jwksUrl, issuer: 'https://idp.district.example' });
    const caller = await authenticate(verifier, { ...headers(await providerToken()), 'x-request-id': 'req-1' });
    assert.deepEqual(
      [caller.officer, caller.agency.id, caller.roles, caller.purpose, caller.requestId],
      ['pseudonym-4711', 'jobcenter', ['CASEWORKER'], 'JOB_PLACEMENT', 'req-1'],
    );
  });

  it('refuses development tokens once a JWKS is configured', async () => {
    const verifier = createTokenVerifier({ jwksUrl, issuer: 'https://idp.district.example' });
    await assert.rejects(
      authenticate(verifier, headers(await tokenFor('jobcenter'))),
      (e: { extensions: { code: string } }) => e.extensions.code === 'UNAUTHENTICATED',
    );
  });

  it('refuses a provider token for another issuer or with claims Verbund cannot use', async () => {
    const verifier = createTokenVerifier({ jwksUrl, issuer: 'https://idp.district.example' });
    const other = createTokenVerifier({ jwksUrl, issuer: 'https://elsewhere.example' });
    await assert.rejects(authenticate(other, headers(await providerToken())), /iss/);
    await assert.rejects(authenticate(verifier, headers(await providerToken({ roles: ['ADMIN'] }))), /roles/);
    await assert.rejects(
      authenticate(verifier, headers(await providerToken({ agency: 'municipality:123' }))),
      /agency/,
    );
  });

  it('generates a request id when none or a malformed one is sent', async () => {
    const verifier = createTokenVerifier({ jwksUrl, issuer: 'https://idp.district.example' });
    const caller = await authenticate(verifier, {
      ...headers(await providerToken()),
      'x-request-id': 'bad id with spaces',
    });
    assert.match(caller.requestId, /^[0-9a-f-]{36}$/);
  });
});
