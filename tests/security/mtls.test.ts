import 'reflect-metadata';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { request } from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { loadConfig } from '../../common/config.js';
import { SUBGRAPHS, type SubgraphName } from '../../common/domain.js';
import { listen, type Listening } from '../../common/http.js';
import { readTlsFiles, useClientCertificate, type TlsFiles } from '../../common/tls.js';
import { buildGateway, type BuiltGateway } from '../../gateway/gateway.js';
import { makeDevelopmentCa } from '../../scripts/dev-ca.js';
import { demoPersons } from '../../seed/world.js';
import { countySubgraph } from '../../subgraphs/county/county.subgraph.js';
import { post } from '../support/graphql.js';
import { startSubgraph, type RunningSubgraph } from '../support/subgraph.js';
import { testVerifier, tokenFor } from '../support/tokens.js';

const SEED = 47;
const persons = demoPersons(SEED, 0, 6);
const QUERY = '{ registeredPersons(first: 3) { id givenName } }';

/** POSTs a GraphQL query over HTTPS, presenting `tls`'s certificate (none without one) and trusting `ca`. */
function postTls(
  url: string,
  options: { ca: string; client?: Pick<TlsFiles, 'cert' | 'key'>; token?: string; query?: string },
): Promise<{ status: number; body: any }> {
  const payload = JSON.stringify({ query: options.query ?? QUERY });
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        ca: options.ca,
        ...(options.client ? { cert: options.client.cert, key: options.client.key } : {}),
        headers: {
          'content-type': 'application/json',
          'x-purpose': 'CLEARING',
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe('mTLS between the gateway and a subgraph', () => {
  let district: Record<string, TlsFiles>;
  let other: Record<string, TlsFiles>;
  let county: RunningSubgraph;
  let gateway: BuiltGateway;
  let gatewayListening: Listening;
  let token: string;

  beforeAll(async () => {
    const parts = (dir: string) =>
      Object.fromEntries(
        ['gateway', 'county'].map((p) => [
          p,
          readTlsFiles({
            caFile: path.join(dir, 'ca.pem'),
            certFile: path.join(dir, `${p}.pem`),
            keyFile: path.join(dir, `${p}.key`),
          }),
        ]),
      );
    const a = mkdtempSync(path.join(os.tmpdir(), 'verbund-ca-'));
    const b = mkdtempSync(path.join(os.tmpdir(), 'verbund-other-ca-'));
    makeDevelopmentCa(a);
    makeDevelopmentCa(b);
    district = parts(a);
    other = parts(b);
    county = await startSubgraph(countySubgraph, { seed: { persons, seed: SEED }, tls: district.county });
    assert.match(county.url, /^https:/);
    // The other subgraphs are not running: this query asks the county only.
    const urls = Object.fromEntries(
      SUBGRAPHS.map((n) => [n, n === 'county' ? county.url : 'https://127.0.0.1:9/graphql']),
    ) as Record<SubgraphName, string>;
    gateway = await buildGateway({
      supergraphSdl: await readFile(path.resolve(import.meta.dirname, '../../schema/supergraph.graphql'), 'utf8'),
      subgraphUrls: urls,
      verifier: await testVerifier(),
      development: false,
    });
    gatewayListening = await listen(gateway.handler, 0);
    token = await tokenFor('county');
  });
  afterAll(async () => {
    useClientCertificate(undefined);
    await gatewayListening.close();
    await gateway.stop();
    await county.stop();
  });

  it('admits the gateway with its certificate of the district CA, and still checks the caller token behind it', async () => {
    useClientCertificate(district.gateway);
    const response = await post(gatewayListening.url, { token, purpose: 'CLEARING', query: QUERY });
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    assert.equal(response.data!.registeredPersons.length, 3);
    // The certificate is in addition to the token: without one, the county refuses the same part.
    const direct = await postTls(county.url, { ca: district.county.ca, client: district.gateway });
    assert.equal(direct.status, 401);
    assert.equal(direct.body.errors[0].extensions.code, 'UNAUTHENTICATED');
    const withToken = await postTls(county.url, { ca: district.county.ca, client: district.gateway, token });
    assert.equal(withToken.status, 200);
  });

  it('refuses a plain HTTP client', async () => {
    await assert.rejects(
      fetch(county.url.replace('https:', 'http:'), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'x-purpose': 'CLEARING', 'content-type': 'application/json' },
        body: JSON.stringify({ query: QUERY }),
      }),
    );
  });

  it('refuses an HTTPS client without a certificate, even with a valid token', async () => {
    const answer = await postTls(county.url, { ca: district.county.ca, token });
    assert.equal(answer.status, 403);
    assert.equal(answer.body.errors[0].extensions.code, 'CLIENT_CERTIFICATE_REQUIRED');
    assert.equal(answer.body.data, undefined);
  });

  it('refuses a client with a certificate from another CA, even with a valid token, straight or as the gateway', async () => {
    const answer = await postTls(county.url, { ca: district.county.ca, client: other.gateway, token });
    assert.equal(answer.status, 403);
    assert.equal(answer.body.errors[0].extensions.code, 'CLIENT_CERTIFICATE_REQUIRED');
    // A gateway holding the other CA's certificate gets the county's refusal, and no data.
    useClientCertificate({ ca: district.county.ca, cert: other.gateway.cert, key: other.gateway.key });
    const response = await post(gatewayListening.url, { token, purpose: 'CLEARING', query: QUERY });
    assert.equal(response.data?.registeredPersons ?? null, null);
    assert.ok(
      response.errors?.some((e) => e.extensions?.code === 'CLIENT_CERTIFICATE_REQUIRED'),
      JSON.stringify(response.errors),
    );
    useClientCertificate(undefined);
  });

  it('answers health probes without a client certificate, and nothing else', async () => {
    const ready = await fetch(new URL('/health/ready', county.url), {}).catch(() => undefined);
    // Node's fetch does not trust the development CA; ask with node:https instead.
    assert.equal(ready, undefined);
    const status = await new Promise<number>((resolve, reject) => {
      request(new URL('/health/ready', county.url), { ca: district.county.ca }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on('error', reject)
        .end();
    });
    assert.equal(status, 200);
  });

  it("answers a subgraph's schema (_service) in production to the gateway's certificate only, not to another part's", async () => {
    const query = '{ _service { sdl } }';
    const asGateway = await postTls(county.url, { ca: district.county.ca, client: district.gateway, token, query });
    assert.equal(asGateway.status, 200, JSON.stringify(asGateway.body.errors));
    assert.match(asGateway.body.data._service.sdl, /type Person/);
    // The county's own certificate is of the district's CA too, but it is not the gateway's identity.
    const asCounty = await postTls(county.url, { ca: district.county.ca, client: district.county, token, query });
    assert.equal(asCounty.status, 403);
    assert.equal(asCounty.body.errors[0].extensions.code, 'FORBIDDEN');
    assert.equal(asCounty.body.data ?? null, null);
  });

  it('reads the three TLS variables together, with https subgraph URLs by default', () => {
    assert.throws(() => loadConfig({ TLS_CA_FILE: '/x/ca.pem' }), /TLS_CERT_FILE/);
    const config = loadConfig({ TLS_CA_FILE: 'a.pem', TLS_CERT_FILE: 'b.pem', TLS_KEY_FILE: 'c.key' });
    assert.match(config.subgraphUrls.county, /^https:\/\/localhost:4001/);
    assert.throws(() => readTlsFiles(config.tls!), /TLS_CA_FILE/);
  });
});
