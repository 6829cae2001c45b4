import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { drive } from '../bench/load.js';

/**
 * The benchmark's constant-rate load (scenario 2) against a local server that notes when each request arrives:
 * the requests must arrive evenly spaced and keep coming while the server is slow (an open loop), or the
 * latencies would measure the generator's bursts rather than a server offered that rate.
 */
describe('the benchmark offers a constant rate open loop', () => {
  let server: http.Server;
  let url: string;
  let arrivals: number[] = [];
  let answerAfterMs = 5;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      arrivals.push(performance.now());
      req.resume();
      req.on('end', () =>
        setTimeout(() => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('{"data":{"ok":true}}');
        }, answerAfterMs),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const request = { headers: {}, body: () => '{"query":"{ ok }"}', verify: (body: string) => body.includes('"ok"') };

  it('spreads the requests evenly over each second instead of sending each second’s share at once', async () => {
    arrivals = [];
    answerAfterMs = 5;
    const result = await drive({ url, connections: 16, duration: 2, overallRate: 100 }, request);
    assert.equal(result.requests, 200);
    assert.equal(result.errors + result.non2xx + result.mismatches, 0);
    const start = arrivals[0];
    const windows = Array.from(
      { length: 8 },
      (_, w) => arrivals.filter((t) => t - start >= w * 250 && t - start < (w + 1) * 250).length,
    );
    // 25 per quarter second when evenly spaced; a per-second burst puts 100 in the first quarter and none after.
    assert.ok(
      windows.every((n) => n >= 5 && n <= 45),
      `requests per quarter second: ${windows.join(', ')}`,
    );
  });

  it('keeps sending while the server is slow, and counts the wait in the latency', async () => {
    arrivals = [];
    answerAfterMs = 300;
    const result = await drive({ url, connections: 16, duration: 2, overallRate: 100 }, request);
    // 16 connections waiting for each answer would have sent about 16 / 0.3 s = 53 per second.
    assert.equal(arrivals.length, 200);
    assert.equal(result.requests, 200);
    assert.ok(result.p50 >= 300, `p50 ${result.p50} ms`);
  });
});
