/**
 * Traces through the hub, written with the OpenTelemetry API only: a SERVER span for each GraphQL request
 * a part answers (continuing the caller's trace from its `traceparent` header), a CLIENT span for each call
 * between parts (gateway → subgraph, subgraph → consent registry or county register, registry → logs) that
 * passes the trace on, a span for each GraphQL execution, and one for each SQL statement on a subgraph's
 * pool. Each request's server span carries `verbund.request_id`, the request id its disclosure records
 * carry, so a record leads to its trace and a trace to its records.
 *
 * The spans are made here by hand rather than by OpenTelemetry's HTTP, GraphQL and pg auto-instrumentations:
 * those patch modules as they are loaded (require-in-the-middle, or import-in-the-middle with the
 * `--import` hook for ESM), which neither tsx's ESM loader nor jest's VM modules (where the trace test runs)
 * pass through. Patching the instances this code owns works everywhere.
 *
 * Nothing here does anything until `activateTracing` has been called (common/tracing-sdk.ts, when
 * `OTEL_EXPORTER_OTLP_ENDPOINT` is set, or a test): without it no span is made and no header added.
 * Span attributes hold no personal data: operation names from the operation table, SQL text with its
 * placeholders (never its parameters), URLs of parts, status codes, the request id.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, propagation, trace, type Span } from '@opentelemetry/api';
import type { DocumentNode, OperationDefinitionNode } from 'graphql';
import type { DataSource } from 'typeorm';

let active = false;

/** Turns the spans of this module on; the tracer provider must be registered globally first. */
export function activateTracing(on = true): void {
  active = on;
}

/** Whether spans are made. */
export function tracingActive(): boolean {
  return active;
}

const tracer = () => trace.getTracer('verbund');

/** The span attribute that names the request id of the disclosure records. */
export const REQUEST_ID_ATTRIBUTE = 'verbund.request_id';
/** The span attribute that names the part (gateway, county, …) that made the span. */
export const PART_ATTRIBUTE = 'verbund.part';

/** Ends a span with an error status when `error` is given. Only the error's type is recorded, not its message. */
function end(span: Span, error?: unknown): void {
  if (error) span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'error' });
  span.end();
}

/**
 * Serves one request inside a SERVER span that continues the caller's trace (W3C `traceparent`), so that
 * everything done while serving it (SQL, calls to other parts, log lines) belongs to the same trace.
 */
export async function serveTraced(
  part: string,
  req: IncomingMessage,
  res: ServerResponse,
  serve: () => Promise<void>,
): Promise<void> {
  if (!active) return serve();
  const parent = propagation.extract(ROOT_CONTEXT, req.headers);
  const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
  const span = tracer().startSpan(
    `${req.method ?? 'GET'} ${pathname}`,
    {
      kind: SpanKind.SERVER,
      attributes: { [PART_ATTRIBUTE]: part, 'http.request.method': req.method ?? 'GET', 'url.path': pathname },
    },
    parent,
  );
  res.once('finish', () => {
    span.setAttribute('http.response.status_code', res.statusCode);
    end(span, res.statusCode >= 500 ? new Error(`HTTP ${res.statusCode}`) : undefined);
  });
  return context.with(trace.setSpan(parent, span), serve);
}

/** Puts the request id of the disclosure records on the request's server span. */
export function tagRequestId(requestId: string): void {
  if (active) trace.getActiveSpan()?.setAttribute(REQUEST_ID_ATTRIBUTE, requestId);
}

/**
 * Calls another part inside a CLIENT span and passes the trace on in `headers` (a copy is returned for the
 * call); `call` resolves with the answer's status.
 */
export async function callTraced<T extends { status: number }>(
  url: string,
  method: string,
  headers: Record<string, string>,
  call: (headers: Record<string, string>) => Promise<T>,
): Promise<T> {
  if (!active) return call(headers);
  const target = new URL(url);
  const span = tracer().startSpan(`${method} ${target.pathname}`, {
    kind: SpanKind.CLIENT,
    attributes: {
      'http.request.method': method,
      'server.address': target.hostname,
      'server.port': Number(target.port) || undefined,
      'url.path': target.pathname,
    },
  });
  const carrier = { ...headers };
  propagation.inject(trace.setSpan(context.active(), span), carrier);
  try {
    const answer = await call(carrier);
    span.setAttribute('http.response.status_code', answer.status);
    end(span, answer.status >= 500 ? new Error(`HTTP ${answer.status}`) : undefined);
    return answer;
  } catch (error) {
    end(span, error);
    throw error;
  }
}

/**
 * One GraphQL request's tracing, inside its server span: its root operations on that span, and a span
 * around its execution. Undefined when tracing is off.
 */
export function traceRequest(): RequestTrace | undefined {
  return active ? new RequestTrace(trace.getActiveSpan()) : undefined;
}

/** See `traceRequest`; `operations` are names of the operation table only, never a client's string. */
export class RequestTrace {
  private operations: string[] = [];

  constructor(private readonly server: Span | undefined) {}

  /** Names the request's root operations on its server span. */
  resolved(operations: string[]): void {
    this.operations = operations;
    if (operations.length) this.server?.setAttribute('verbund.operations', operations);
  }

  /** Starts the execution's span; the function returned ends it, with an error status when given one. */
  executing(): (error?: unknown) => void {
    const span = tracer().startSpan(`graphql.execute ${this.operations.join(' ')}`.trim(), {
      attributes: { 'verbund.operations': this.operations },
    });
    return (error) => end(span, error);
  }
}

/**
 * Puts the request's root operations on its server span and a span around the GraphQL execution.
 * `operationsOf` names them as the operation table does (only names of the table, never a client's string).
 */
export function tracingPlugin(
  operationsOf: (document: DocumentNode, operation: OperationDefinitionNode) => string[],
): ApolloServerPlugin<BaseContext> {
  return {
    requestDidStart() {
      const traced = traceRequest();
      if (!traced) return Promise.resolve();
      return Promise.resolve({
        didResolveOperation({ document, operation }) {
          traced.resolved(operation ? operationsOf(document, operation) : []);
          return Promise.resolve();
        },
        executionDidStart() {
          const ended = traced.executing();
          return Promise.resolve({
            executionDidEnd: (error) => {
              ended(error);
              return Promise.resolve();
            },
          });
        },
      });
    },
  };
}

interface PgClient {
  query: (...args: unknown[]) => unknown;
}
interface PgPool {
  on(event: 'acquire', listener: (client: PgClient) => void): void;
}

const TRACED = Symbol('verbund.traced');
const MAX_STATEMENT = 2000;

/**
 * Puts a span around every statement sent on the data source's pool: pg-pool hands each client out with
 * `acquire`, and each client's `query` is wrapped once. The statement's text is recorded (with `$1`
 * placeholders), its parameters never.
 */
export function traceDatabase(db: DataSource, part: string): void {
  if (!active) return;
  const pool = (db.driver as unknown as { master?: PgPool }).master;
  pool?.on('acquire', (client) => {
    const marked = client as PgClient & { [TRACED]?: true };
    if (marked[TRACED]) return;
    marked[TRACED] = true;
    const query = client.query.bind(client);
    client.query = (...args: unknown[]) => {
      const first = args[0] as string | { text?: unknown; submit?: unknown } | undefined;
      const text =
        typeof first === 'string'
          ? first
          : typeof first?.text === 'string' && typeof first.submit !== 'function'
            ? first.text
            : undefined;
      if (!active || text === undefined) return query(...args);
      const verb = /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? 'SQL';
      const span = tracer().startSpan(`${verb} ${part}`, {
        kind: SpanKind.CLIENT,
        attributes: {
          [PART_ATTRIBUTE]: part,
          'db.system.name': 'postgresql',
          'db.operation.name': verb,
          'db.query.text': text.replace(/\s+/g, ' ').trim().slice(0, MAX_STATEMENT),
        },
      });
      const callback = args[args.length - 1];
      if (typeof callback === 'function') {
        args[args.length - 1] = (error: unknown, result: unknown) => {
          end(span, error ?? undefined);
          (callback as (e: unknown, r: unknown) => void)(error, result);
        };
        return query(...args);
      }
      const result = query(...args) as Promise<unknown> | undefined;
      if (result && typeof result.then === 'function')
        result.then(
          () => end(span),
          (error: unknown) => end(span, error),
        );
      else end(span);
      return result;
    };
  });
}
