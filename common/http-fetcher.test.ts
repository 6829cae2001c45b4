import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { createJsonPoster } from './http-client.js';
import { createHttpFetcher, DeadlineExceededError } from './http-fetcher.js';

describe("the gateway's subgraph fetcher", () => {
  let server: http.Server;
  let url: string;
  const fetcher = createHttpFetcher({ maxSockets: 2 });
  let open = 0;
  let most = 0;

  beforeAll(async () => {
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
          res.end(
            JSON.stringify({ data: { echo: Buffer.concat(chunks).toString(), auth: req.headers.authorization } }),
          );
        }, 20),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(() => {
    fetcher.destroy();
    server.close();
  });

  it('posts the body and headers and reads status, headers and JSON as the gateway does', async () => {
    const response = await fetcher(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer x' },
      body: '{"query":"{a}"}',
    });
    assert.equal(response.status, 200);
    assert.equal(response.ok, true);
    assert.equal(response.headers.get('Content-Type'), 'application/json');
    assert.deepEqual(await response.json(), { data: { echo: '{"query":"{a}"}', auth: 'Bearer x' } });
    assert.equal(response.bodyUsed, true);
  });

  it('keeps at most maxSockets requests open to one subgraph', async () => {
    most = 0;
    await Promise.all(
      Array.from({ length: 6 }, () => fetcher(url, { method: 'POST', body: '{}' }).then((r) => r.text())),
    );
    assert.equal(most, 2);
  });

  it('rejects when the subgraph cannot be reached, so the gateway reports it unavailable', async () => {
    await assert.rejects(fetcher('http://127.0.0.1:1/graphql', { method: 'POST', body: '{}' }), /ECONNREFUSED/);
  });
});

describe('deadlines of calls between parts', () => {
  let server: http.Server;
  let base: string;
  const held: http.ServerResponse[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      if (req.url === '/silent') return void held.push(res); // accepts the request and never answers
      if (req.url === '/cut-body') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
        res.write('{"data":');
        return void setTimeout(() => res.socket?.destroy(), 20); // half a body, then the connection drops
      }
      if (req.url === '/missing') {
        res.writeHead(503, { 'content-type': 'application/json' });
        return void res.end('{"errors":[]}');
      }
      if (req.url === '/stalled-body') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"data":');
        return void held.push(res); // the headers and half a body, then nothing
      }
      res.setHeader('content-type', 'application/json');
      res.end('{"data":{}}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it('rejects an answer whose connection drops in the middle of its body, instead of waiting for the rest', async () => {
    const fetcher = createHttpFetcher({ timeoutMs: 1_000 });
    await assert.rejects(
      fetcher(`${base}/cut-body`, { method: 'POST', body: '{}' }),
      (e: unknown) =>
        !(e instanceof DeadlineExceededError) &&
        /aborted|closed before the answer was complete|ECONNRESET/.test(String(e)),
    );
    assert.equal((await fetcher(`${base}/ok?x=1`, { method: 'POST', body: '{}' })).status, 200);
    fetcher.destroy();
  });

  it('gives the status and its text, as the gateway names a failed subgraph fetch', async () => {
    const fetcher = createHttpFetcher();
    const answer = await fetcher(`${base}/missing`, { method: 'POST', body: '{}' });
    assert.deepEqual([answer.status, answer.ok, answer.statusText], [503, false, 'Service Unavailable']);
    assert.deepEqual(await answer.json(), { errors: [] });
    fetcher.destroy();
  });

  for (const path of ['/silent', '/stalled-body']) {
    it(`aborts a call to a peer that hangs (${path}) at the fetcher's deadline`, async () => {
      const fetcher = createHttpFetcher({ timeoutMs: 200 });
      const heldBefore = held.length;
      const started = Date.now();
      await assert.rejects(
        fetcher(`${base}${path}`, { method: 'POST', body: '{}' }),
        (e: unknown) => e instanceof DeadlineExceededError && e.timeoutMs === 200,
      );
      assert.ok(Date.now() - started < 3 * 200, 'answered within three times the deadline');
      // the connection is given up: the server sees it close, and the next call to a healthy path still works
      assert.equal(held.length, heldBefore + 1, 'the call reached the server');
      const socket = held[held.length - 1].socket!;
      if (!socket.destroyed) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          once(socket, 'close'),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error('the connection stayed open after the deadline')), 1_000);
          }),
        ]).finally(() => clearTimeout(timer));
      }
      assert.equal((await fetcher(`${base}/ok`, { method: 'POST', body: '{}' })).status, 200);
      fetcher.destroy();
    });

    it(`aborts a JSON call to a peer that hangs (${path}) at its own deadline`, async () => {
      const post = createJsonPoster();
      const started = Date.now();
      await assert.rejects(
        post(`${base}${path}`, {}, { query: '{a}' }, 200),
        (e: unknown) => e instanceof DeadlineExceededError,
      );
      assert.ok(Date.now() - started < 3 * 200, 'answered within three times the deadline');
    });
  }
});
