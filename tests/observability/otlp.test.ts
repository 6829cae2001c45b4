import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from '@jest/globals';
import { loadConfig } from '../../common/config.js';
import { callTraced, tracingActive } from '../../common/tracing.js';
import { startTracing } from '../../common/tracing-sdk.js';

describe('OTLP export', () => {
  it('is off without OTEL_EXPORTER_OTLP_ENDPOINT, refuses a bad one, and sends spans to <endpoint>/v1/traces', async () => {
    assert.equal(loadConfig({}).otlpEndpoint, undefined);
    assert.equal(tracingActive(), false, 'no spans unless started');
    assert.throws(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }), /OTEL_EXPORTER_OTLP_ENDPOINT/);
    const received: { path: string; body: string }[] = [];
    const collector = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push({ path: req.url ?? '', body });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    try {
      const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
      const config = loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint });
      const tracing = startTracing({ service: 'verbund-otlp-test', endpoint: config.otlpEndpoint });
      let sent: Record<string, string> = {};
      await callTraced('http://county:4001/graphql', 'POST', { 'x-purpose': 'CLEARING' }, async (headers) => {
        sent = headers;
        return { status: 200 };
      });
      assert.match(sent.traceparent ?? '', /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/, 'the call carries the trace on');
      await tracing.stop();
      assert.equal(tracingActive(), false);
      const traces = received.filter((r) => r.path === '/v1/traces');
      assert.equal(traces.length, 1, JSON.stringify(received.map((r) => r.path)));
      assert.match(traces[0].body, /verbund-otlp-test/);
      assert.match(traces[0].body, /POST \/graphql/);
    } finally {
      await new Promise<void>((resolve) => collector.close(() => resolve()));
    }
  });
});
