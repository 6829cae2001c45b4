import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createHttpFetcher } from './http-fetcher.js';

describe('the gateway\'s subgraph fetcher', () => {
  let server: http.Server;
  let url: string;
  const fetcher = createHttpFetcher({ maxSockets: 2 });
  let open = 0;
  let most = 0;

  before(async () => {
    server = http.createServer((req, res) => {
      open += 1;
      most = Math.max(most, open);
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () =>
        setTimeout(() => {
          open -= 1;
          res.setHeader('content-type', 'application/json');
          res.setHeader('cache-control', 'max-age=0');
          res.end(JSON.stringify({ data: { echo: Buffer.concat(chunks).toString(), auth: req.headers.authorization } }));
        }, 20),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  after(() => {
    fetcher.destroy();
    server.close();
  });

  it('posts the body and headers and reads status, headers and JSON as the gateway does', async () => {
    const response = await fetcher(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer x' }, body: '{"query":"{a}"}' });
    assert.equal(response.status, 200);
    assert.equal(response.ok, true);
    assert.equal(response.headers.get('Content-Type'), 'application/json');
    assert.deepEqual(await response.json(), { data: { echo: '{"query":"{a}"}', auth: 'Bearer x' } });
    assert.equal(response.bodyUsed, true);
  });

  it('keeps at most maxSockets requests open to one subgraph', async () => {
    most = 0;
    await Promise.all(Array.from({ length: 6 }, () => fetcher(url, { method: 'POST', body: '{}' }).then((r) => r.text())));
    assert.equal(most, 2);
  });

  it('rejects when the subgraph cannot be reached, so the gateway reports it unavailable', async () => {
    await assert.rejects(fetcher('http://127.0.0.1:1/graphql', { method: 'POST', body: '{}' }), /ECONNREFUSED/);
  });
});
