import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { ConfigError, loadConfig } from '../common/config.js';

describe('configuration', () => {
  it('has working defaults', () => {
    const config = loadConfig({});
    assert.equal(config.port, 4000);
    assert.equal(config.subgraphUrls.consent, 'http://localhost:4005/graphql');
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.suppressionThreshold, 5);
    assert.equal(loadConfig({ SUPPRESSION_THRESHOLD: '3' }).suppressionThreshold, 3);
  });
  for (const [variable, value] of [
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://x'],
    ['DATABASE_URL', 'not a url'],
    ['NODE_ENV', 'staging'],
    ['JWKS_URL', 'ftp://idp'],
    ['COUNTY_DATABASE_URL', 'http://x'],
    ['SUPPRESSION_THRESHOLD', '1'],
    ['SUPPRESSION_THRESHOLD', 'five'],
    ['SUBGRAPH_TIMEOUT_MS', 'ten seconds'],
    ['SUBGRAPH_TIMEOUT_MS', '0'],
    ['CONSENT_TIMEOUT_MS', '-1'],
    ['CONSENT_TIMEOUT_MS', '10000'],
    ['AUDIT_TIMEOUT_MS', '60000'],
    ['EXPLORER_EXAMPLE_PERSON', 'Natalia Kravets'],
    ['EXPLORER_EXAMPLE_PERSON', '6eed1a79-a9c2-43fe-bca9'],
  ] as const) {
    it(`names ${variable} when it is ${JSON.stringify(value)}`, () => {
      assert.throws(
        () => loadConfig({ [variable]: value }),
        (e: unknown) => e instanceof ConfigError && e.message.includes(variable),
      );
    });
  }
  it("gives every call between parts a deadline, the inner ones shorter than the gateway's", () => {
    assert.deepEqual(loadConfig({}).timeouts, { subgraph: 10_000, consent: 2_000, audit: 5_000 });
    assert.deepEqual(loadConfig({ SUBGRAPH_TIMEOUT_MS: '3000' }).timeouts, {
      subgraph: 3000,
      consent: 1500,
      audit: 1500,
    });
    assert.deepEqual(loadConfig({ SUBGRAPH_TIMEOUT_MS: '3000', CONSENT_TIMEOUT_MS: '500' }).timeouts.consent, 500);
    assert.throws(
      () => loadConfig({ SUBGRAPH_TIMEOUT_MS: '3000', AUDIT_TIMEOUT_MS: '3000' }),
      /AUDIT_TIMEOUT_MS.*below SUBGRAPH_TIMEOUT_MS/,
    );
  });
  it('requires JWT_ISSUER with JWKS_URL', () => {
    assert.throws(() => loadConfig({ JWKS_URL: 'https://idp.example/jwks' }), /JWT_ISSUER/);
  });
  it("requires the console's OIDC client id with JWKS_URL, and only with it", () => {
    const idp = { JWKS_URL: 'https://idp.example/jwks', JWT_ISSUER: 'https://idp.example' };
    assert.throws(
      () => loadConfig(idp),
      (e: unknown) => e instanceof ConfigError && e.message.includes('OIDC_CLIENT_ID'),
    );
    assert.deepEqual(loadConfig({ ...idp, OIDC_CLIENT_ID: 'verbund-console' }).oidc, {
      issuer: 'https://idp.example',
      clientId: 'verbund-console',
      scope: 'openid',
    });
    assert.equal(
      loadConfig({ ...idp, OIDC_CLIENT_ID: 'c', OIDC_SCOPE: 'openid verbund' }).oidc?.scope,
      'openid verbund',
    );
    assert.throws(() => loadConfig({ ...idp, OIDC_CLIENT_ID: 'c', OIDC_SCOPE: 'verbund' }), /OIDC_SCOPE/);
    assert.throws(() => loadConfig({ ...idp, JWT_ISSUER: 'idp-without-url', OIDC_CLIENT_ID: 'c' }), /JWT_ISSUER/);
    assert.throws(() => loadConfig({ OIDC_CLIENT_ID: 'verbund-console' }), /OIDC_CLIENT_ID/);
    assert.equal(loadConfig({}).oidc, undefined);
  });
});
