/**
 * The OpenTelemetry SDK of one process: a tracer provider that exports the spans of common/tracing.ts (and
 * those @apollo/gateway makes), over OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (main files) or to an exporter
 * a test gives (in memory). It registers the provider globally with Node's AsyncLocalStorage context manager
 * and the W3C trace context propagator, then turns the spans on.
 *
 * Every span passes `ClientChosenNamesRemoved` before it is exported: a client names its operation as it likes
 * (after a person, say), and @apollo/gateway copies that name onto its spans. A collector that is down costs a
 * rate-limited JSON warning, never an unhandled error, and never a failed stop.
 */
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  SimpleSpanProcessor,
  type ReadableSpan,
  type Span,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { Context } from '@opentelemetry/api';
import { partLogger, rateLimitedWarnings, scrubText } from './log.js';
import { activateTracing } from './tracing.js';

/** A running tracer provider; `stop` sends what is still buffered and turns the spans off. It never rejects. */
export interface Tracing {
  stop(): Promise<void>;
}

/** Attributes whose value a client chooses: the operation name (twice, in @apollo/gateway) and the document. */
export const CLIENT_CHOSEN_ATTRIBUTES = ['graphql.operation.name', 'operationName', 'graphql.document'] as const;

/** How long `stop` waits for the last export. @default 5000 */
export const STOP_DEADLINE_MS = 5_000;

/**
 * Removes what a client chose from every span before any exporter sees it: the attributes of
 * `CLIENT_CHOSEN_ATTRIBUTES`, and quoted strings and ids from exception events (GraphQL's "Unknown operation
 * named \"…\"" quotes the client's name). The operations of the operation table (`verbund.operations`) stay.
 */
export class ClientChosenNamesRemoved implements SpanProcessor {
  constructor(private readonly next: SpanProcessor) {}

  onStart(span: Span, parentContext: Context): void {
    this.next.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    const attributes = span.attributes as Record<string, unknown>;
    for (const name of CLIENT_CHOSEN_ATTRIBUTES) delete attributes[name];
    for (const event of span.events) {
      const eventAttributes = (event.attributes ?? {}) as Record<string, unknown>;
      for (const [key, value] of Object.entries(eventAttributes))
        if (typeof value === 'string') eventAttributes[key] = scrubText(value);
    }
    this.next.onEnd(span);
  }

  forceFlush(): Promise<void> {
    return this.next.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.next.shutdown();
  }
}

/** An exporter that reports failed exports (a collector down or refusing) as rate-limited JSON warnings. */
function reportingFailures(exporter: SpanExporter, endpoint: string): SpanExporter {
  const warn = rateLimitedWarnings(partLogger('tracing'));
  return {
    export(spans, done) {
      exporter.export(spans, (result) => {
        // ExportResultCode.SUCCESS is 0 (@opentelemetry/core, not a dependency of this project).
        if ((result.code as number) !== 0)
          warn('export', `trace export to ${endpoint} failed: ${spans.length} spans dropped`, { err: result.error });
        done(result);
      });
    },
    shutdown: () => exporter.shutdown(),
    forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
  };
}

/**
 * Starts tracing for `service` (`verbund-gateway`, `verbund-county`, …). With `endpoint` (the OTLP/HTTP
 * base URL, e.g. `http://collector:4318`) spans are batched to `<endpoint>/v1/traces`; with `exporter` they
 * go to it one by one (tests).
 */
export function startTracing(options: { service: string; endpoint?: string; exporter?: SpanExporter }): Tracing {
  const log = partLogger('tracing');
  const traces = options.endpoint && `${options.endpoint.replace(/\/$/, '')}/v1/traces`;
  const processor = options.exporter
    ? new SimpleSpanProcessor(options.exporter)
    : new BatchSpanProcessor(reportingFailures(new OTLPTraceExporter({ url: traces! }), traces!));
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.service, 'service.namespace': 'verbund' }),
    spanProcessors: [new ClientChosenNamesRemoved(processor)],
  });
  provider.register();
  activateTracing(true);
  return {
    stop: async () => {
      activateTracing(false);
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          provider.shutdown(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(
              () => reject(new Error(`the last spans were not exported within ${STOP_DEADLINE_MS} ms`)),
              STOP_DEADLINE_MS,
            );
          }),
        ]);
      } catch (error) {
        log.warn(`tracing stopped without exporting its last spans${traces ? ` to ${traces}` : ''}`, { err: error });
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
