/**
 * The OpenTelemetry SDK of one process: a tracer provider that exports the spans of common/tracing.ts, over
 * OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (main files) or to an exporter a test gives (in memory). It
 * registers the provider globally with Node's AsyncLocalStorage context manager and the W3C trace context
 * propagator, then turns the spans on.
 */
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { activateTracing } from './tracing.js';

/** A running tracer provider; `stop` sends what is still buffered and turns the spans off. */
export interface Tracing {
  stop(): Promise<void>;
}

/**
 * Starts tracing for `service` (`verbund-gateway`, `verbund-county`, …). With `endpoint` (the OTLP/HTTP
 * base URL, e.g. `http://collector:4318`) spans are batched to `<endpoint>/v1/traces`; with `exporter` they
 * go to it one by one (tests).
 */
export function startTracing(options: { service: string; endpoint?: string; exporter?: SpanExporter }): Tracing {
  const processor = options.exporter
    ? new SimpleSpanProcessor(options.exporter)
    : new BatchSpanProcessor(new OTLPTraceExporter({ url: `${options.endpoint!.replace(/\/$/, '')}/v1/traces` }));
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.service, 'service.namespace': 'verbund' }),
    spanProcessors: [processor],
  });
  provider.register();
  activateTracing(true);
  return {
    stop: async () => {
      activateTracing(false);
      await provider.shutdown();
    },
  };
}
