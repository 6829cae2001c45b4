/**
 * Verbund's structured log: one JSON object per line (pino) with the part that wrote it and, inside a
 * request, the request id the disclosure records carry and the trace id of the request's trace. It never
 * carries a person's data or id, SQL parameters or GraphQL variables:
 *
 * - errors are written through one serializer that keeps their type, a cleaned message, the stack frames and
 *   a stable code, and drops everything else an error object carries (a database error's parameters, detail
 *   and where; a GraphQL error's extensions with the person id; a request's variables);
 * - what is left of messages and stacks has every UUID (person, record and consent ids alike) and every
 *   value PostgreSQL quotes replaced, so an id that reached a message by accident stays out of the log too;
 * - known field names that could hold personal data (`variables`, `parameters`, `personId`, …) are removed
 *   wherever a call site passes them.
 *
 * The request id and trace id are the only ids in a line; they name a request, not a person.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { pino, type DestinationStream, type Logger } from 'pino';
import { trace } from '@opentelemetry/api';
import { loggableError, postgresError } from './errors.js';
import { tagRequestId } from './tracing.js';

/** pino's levels, and `silent`. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** What the log knows of the request being served: set by the HTTP handler, read by every line. */
interface RequestScope {
  requestId?: string;
}

const scope = new AsyncLocalStorage<RequestScope>();

/** Runs `serve` in a request scope of its own, so that lines written while it runs carry its request id. */
export function inRequestScope<T>(serve: () => T): T {
  return scope.run({}, serve);
}

/**
 * Names the request being served (the gateway's request id, checked as the token verifier checks it) for
 * the log, and on the request's trace span.
 */
export function setRequestId(requestId: string): void {
  const current = scope.getStore();
  if (current) current.requestId = requestId;
  tagRequestId(requestId);
}

/** The request id of the request being served, if any. */
export function currentRequestId(): string | undefined {
  return scope.getStore()?.requestId;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/**
 * A message or stack with what could name a person taken out: UUIDs, values PostgreSQL quotes (`"…"`), and
 * key values in its detail style (`=(…)`). Query text stays (it has `$1` placeholders, not values).
 */
export function scrubText(text: string): string {
  return text
    .replace(UUID, '<id>')
    .replace(/"(?:[^"\\]|\\.)*"/g, '"…"')
    .replace(/=\([^)]*\)/g, '=(…)');
}

/** The fields an error keeps in the log; everything else it carries (parameters, detail, extensions) is dropped. */
interface LoggedError {
  type: string;
  message: string;
  stack?: string;
  code?: string;
}

/** An error as the log writes it: see the module's comment. */
export function serializeError(error: unknown): LoggedError {
  if (!(error instanceof Error)) {
    // A GraphQL error as a subgraph sent it (a plain object) reaches the gateway's formatter as the original error:
    // its message, never "[object Object]".
    const plain = (typeof error === 'object' && error !== null ? error : {}) as {
      message?: unknown;
      extensions?: { code?: unknown };
    };
    const code = plain.extensions?.code;
    return {
      type: typeof plain.message === 'string' ? 'GraphQL error' : typeof error,
      message: scrubText(typeof plain.message === 'string' ? plain.message : String(error)),
      ...(typeof code === 'string' ? { code } : {}),
    };
  }
  const safe = loggableError(error) as Error;
  const pg = postgresError(error);
  const extensionCode = (error as { extensions?: { code?: unknown } }).extensions?.code;
  // An error already made loggable (`loggableError`) names its SQLSTATE first in its message.
  const code =
    pg?.code ??
    /^SQLSTATE ([0-9A-Z]{5})\b/.exec(safe.message)?.[1] ??
    (typeof extensionCode === 'string' ? extensionCode : undefined);
  const frames = safe.stack?.split('\n').filter((line) => /^\s+at /.test(line)) ?? [];
  return {
    type: safe.name,
    message: scrubText(safe.message),
    ...(frames.length ? { stack: scrubText(frames.join('\n')) } : {}),
    ...(code ? { code } : {}),
  };
}

/** Field names a call site might pass that can hold personal data; pino removes them at any depth it is told. */
const REDACTED = [
  'variables',
  'parameters',
  'params',
  'personId',
  'personIds',
  'person',
  'query',
  'headers',
  'authorization',
  'detail',
];

function createPino(level: LogLevel, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: serializeError, error: serializeError },
      redact: { paths: [...REDACTED, ...REDACTED.map((name) => `*.${name}`)], remove: true },
      hooks: {
        // A message string is scrubbed as error messages are: a call site that interpolates an id by mistake
        // still writes none.
        logMethod(args, method) {
          const scrubbed = args.map((arg) => (typeof arg === 'string' ? scrubText(arg) : arg)) as typeof args;
          method.apply(this, scrubbed);
        },
      },
      mixin() {
        const requestId = currentRequestId();
        const span = trace.getActiveSpan()?.spanContext();
        return {
          ...(requestId ? { requestId } : {}),
          ...(span && trace.isSpanContextValid(span) ? { traceId: span.traceId } : {}),
        };
      },
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

let root = createPino('info');

/**
 * Sets the level (`LOG_LEVEL`) and, for tests, where lines go (stdout otherwise). Called once by the main
 * files after the configuration is read; loggers made before keep working and follow it.
 */
export function configureLogging(options: { level: LogLevel; destination?: DestinationStream }): void {
  root = createPino(options.level, options.destination);
}

type Fields = Record<string, unknown>;

/** A part's logger: every line names the part (`gateway`, `county`, …, `launcher`). */
export interface PartLogger {
  error(message: string, fields?: Fields): void;
  warn(message: string, fields?: Fields): void;
  info(message: string, fields?: Fields): void;
  debug(message: string, fields?: Fields): void;
}

/** The logger of one part of the hub. Pass an error as `{ err }`; it is written by `serializeError`. */
export function partLogger(part: string): PartLogger {
  const write = (level: 'error' | 'warn' | 'info' | 'debug') => (message: string, fields?: Fields) =>
    root[level]({ part, ...fields }, message);
  return { error: write('error'), warn: write('warn'), info: write('info'), debug: write('debug') };
}

/**
 * Warnings of a recurring problem (a subgraph or the trace collector unreachable) at a rate an operator can
 * read: per `key` the first at once, then at most one line per `intervalMs`, which says how many were left out
 * (`suppressed`) since the last. @default intervalMs 60000
 */
export function rateLimitedWarnings(
  log: PartLogger,
  intervalMs = 60_000,
): (key: string, message: string, fields?: Fields) => void {
  const last = new Map<string, { at: number; suppressed: number }>();
  return (key, message, fields) => {
    const now = Date.now();
    const entry = last.get(key);
    if (entry && now - entry.at < intervalMs) {
      entry.suppressed += 1;
      return;
    }
    log.warn(message, { ...fields, ...(entry?.suppressed ? { suppressed: entry.suppressed } : {}) });
    last.set(key, { at: now, suppressed: 0 });
  };
}

/** The logger interface of Apollo Server and @apollo/gateway (their `logger` option). */
export interface ApolloLogger {
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

/**
 * Apollo's own messages (gateway schema loading, server start-up, plugin warnings) as JSON lines of `part`:
 * strings make the message, an error its `err`, so that nothing Apollo says reaches stdout as plain text.
 */
export function apolloLogger(part: string): ApolloLogger {
  const log = partLogger(part);
  const write =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...args: unknown[]): void => {
      const error = args.find((arg) => arg instanceof Error);
      const message = args
        .map((arg) => (arg instanceof Error ? arg.message : typeof arg === 'string' ? arg : JSON.stringify(arg)))
        .join(' ');
      log[level](message || 'Apollo', error ? { err: error } : undefined);
    };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
