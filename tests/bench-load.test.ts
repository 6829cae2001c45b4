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
    // Request k is due k × 10 ms after the first. None may arrive well before it is due: a per-second burst
    // sends each second's share at once, up to 990 ms early. A busy machine (the suite runs two files at a time)
    // can only make requests late, never early, so a stall of the test process does not fail this check.
    const first = arrivals[0];
    const early = arrivals
      .map((t, k) => ({ k, aheadMs: Math.round(first + k * 10 - t) }))
      .filter(({ aheadMs }) => aheadMs > 100);
    assert.deepEqual(early.slice(0, 5), [], `${early.length} requests arrived more than 100 ms before they were due`);
    // Spread over the two seconds, not sent in one go at the end either.
    assert.ok(arrivals[arrivals.length - 1] - first >= 1900, `all 200 within ${arrivals.at(-1)! - first} ms`);
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
