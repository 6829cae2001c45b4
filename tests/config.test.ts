import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
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
  ] as const) {
    it(`names ${variable} when it is ${JSON.stringify(value)}`, () => {
      assert.throws(() => loadConfig({ [variable]: value }), (e: unknown) => e instanceof ConfigError && e.message.includes(variable));
    });
  }
  it('requires JWT_ISSUER with JWKS_URL', () => {
    assert.throws(() => loadConfig({ JWKS_URL: 'https://idp.example/jwks' }), /JWT_ISSUER/);
  });
});
