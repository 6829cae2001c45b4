import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { REQUEST_LIMITS, limitExceeded, type RequestLimiter } from './limits.js';
import { inRequestScope, partLogger } from './log.js';
import { databaseUnavailable, ErrorCode, isDatabaseUnavailable, loggableError } from './errors.js';
import { refuseWithoutClientCertificate, serverTlsOptions, type TlsFiles } from './tls.js';
import { serveTraced } from './tracing.js';
import { readinessBody, type Readiness } from './health.js';

const MAX_BODY_BYTES = REQUEST_LIMITS.bodyBytes;

export function send(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
}

export function requestError(res: ServerResponse, status: number, message: string): void {
  send(res, status, { errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] });
}

/** The request body as text, or undefined when it exceeds the size limit. */
export async function readBody(req: IncomingMessage): Promise<string | undefined> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Refuses an oversized body without reading the rest of it, and closes the connection it came on. */
function refuseBody(res: ServerResponse, actual: number | string): void {
  const error = limitExceeded('bodyBytes', MAX_BODY_BYTES, actual);
  res.setHeader('connection', 'close');
  send(res, 413, { errors: [{ message: error.message, extensions: { ...error.extensions, http: undefined } }] });
}

/** Answers a request over the limits with its refusal (`limitExceeded`), before it reaches Apollo. */
function refuseOverLimits(
  res: ServerResponse,
  limiter: RequestLimiter,
  body: unknown,
  search: URLSearchParams,
  metrics?: EarlyRefusals,
): boolean {
  try {
    limiter.admit(body, search);
    return false;
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    metrics?.refusedEarly(error.extensions.code);
    const { http, ...extensions } = error.extensions as { http?: { status?: number } };
    send(res, http?.status ?? 400, { errors: [{ message: error.message, extensions }] });
    return true;
  }
}

/**
 * Answers `/health/live` (and its older name `/health`): 200 whenever the process answers at all; and
 * `/health/ready`: 200 when `ready` finds everything the part depends on in order, else 503 naming what is
 * missing. Returns false for any other path. Neither needs a token: probes carry none, and neither tells
 * anything about data.
 */
export async function answerHealth(
  pathname: string,
  res: ServerResponse,
  ready?: () => Promise<Readiness>,
): Promise<boolean> {
  if (pathname === '/health/live' || pathname === '/health') {
    send(res, 200, { status: 'live' });
    return true;
  }
  if (pathname !== '/health/ready') return false;
  const readiness = ready ? await ready() : { ready: true, checks: {} };
  res.setHeader('cache-control', 'no-store');
  send(res, readiness.ready ? 200 : 503, readinessBody(readiness));
  return true;
}

/** What the GraphQL handler counts: requests it refuses before Apollo sees them (`PartMetrics`). */
export interface EarlyRefusals {
  /** The part's name, on its traces. */
  readonly part: string;
  refusedEarly(code: unknown): void;
}

/** What `createGraphQLHandler` serves. */
export interface GraphQLHandlerOptions<C extends BaseContext> {
  server: ApolloServer<C>;
  /** Builds the per-request context, so the server itself stays free of HTTP details. */
  context: (req: IncomingMessage, body: unknown) => Promise<C>;
  /** Requests over its limits are refused before Apollo sees them. @default no limits */
  limiter?: RequestLimiter;
  /** Counts the requests refused here. @default not counted */
  metrics?: EarlyRefusals;
  /**
   * Runs after the body is read and before the limits: refuses the request (answered here, nothing runs) or
   * hands it on, possibly changed (the gateway's trusted documents). @default every request handed on as it came
   */
  admit?: (req: IncomingMessage, body: unknown, search: URLSearchParams) => Promise<AdmitDecision>;
  /**
   * Runs after the limits, before Apollo: serves the request itself and resolves true, or resolves false,
   * having done nothing, and Apollo serves it (the subgraphs' lean path for known plain queries). @default Apollo serves every request
   */
  shortcut?: (request: ShortcutRequest<C>) => Promise<boolean>;
}

/** A request offered to `GraphQLHandlerOptions.shortcut`, after its body was read and its limits admitted it. */
export interface ShortcutRequest<C> {
  req: IncomingMessage;
  res: ServerResponse;
  body: unknown;
  search: URLSearchParams;
  /** Builds the request's context, as the handler gives it to Apollo. */
  context: () => Promise<C>;
  /** Serves the request through Apollo with this context instead of the handler's own (e.g. one already built). */
  apollo: (context: () => Promise<C>) => Promise<void>;
}

/** What `GraphQLHandlerOptions.admit` decides: the request to run, or the refusal to answer with `status`. */
export type AdmitDecision = { body: unknown; search: URLSearchParams } | { status: number; error: GraphQLError };

/**
 * `/graphql` of a process's route table (`common/routes.ts`): a plain Node HTTP handler for an Apollo Server,
 * traced, that refuses an oversized or malformed body or a request over the limiter's limits before Apollo
 * sees it.
 */
export function createGraphQLHandler<C extends BaseContext>(
  options: GraphQLHandlerOptions<C>,
): (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> {
  const { server, context, limiter, metrics, admit, shortcut } = options;
  return (req, res, url) => serveTraced(metrics?.part ?? 'graphql', req, res, () => serveGraphQL(req, res, url));

  async function serveGraphQL(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const declared = Number(req.headers['content-length'] ?? 0);
    const raw = declared > MAX_BODY_BYTES ? undefined : await readBody(req);
    if (raw === undefined) {
      metrics?.refusedEarly('REQUEST_TOO_LARGE');
      return refuseBody(res, declared > MAX_BODY_BYTES ? declared : `more than ${MAX_BODY_BYTES}`);
    }
    let body: unknown = raw;
    if ((req.headers['content-type'] ?? '').includes('application/json')) {
      try {
        body = raw ? JSON.parse(raw) : {};
      } catch {
        metrics?.refusedEarly('BAD_REQUEST');
        return requestError(res, 400, 'Request body is not valid JSON');
      }
    }
    let search = url.searchParams;
    if (admit) {
      const decision = await admit(req, body, search);
      if ('error' in decision) {
        metrics?.refusedEarly(decision.error.extensions.code);
        return send(res, decision.status, {
          errors: [{ message: decision.error.message, extensions: decision.error.extensions }],
        });
      }
      ({ body, search } = decision);
    }
    if (limiter && refuseOverLimits(res, limiter, body, search, metrics)) return;
    const apollo = (contextOf: () => Promise<C>) => serveApollo(req, res, url, body, search, contextOf);
    const contextOf = () => context(req, body);
    if (shortcut && (await shortcut({ req, res, body, search, context: contextOf, apollo }))) return;
    await apollo(contextOf);
  }

  async function serveApollo(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    body: unknown,
    search: URLSearchParams,
    contextOf: () => Promise<C>,
  ): Promise<void> {
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const response = await server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: {
        method: req.method ?? 'GET',
        headers,
        search: search === url.searchParams ? url.search : `?${search.toString()}`,
        body,
      },
      context: contextOf,
    });
    if (response.body.kind === 'complete') {
      writeComplete(res, response.status, response.headers, response.body.string);
    } else {
      for (const [name, value] of response.headers) res.setHeader(name, value);
      res.statusCode = response.status ?? 200;
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      res.end();
    }
  }
}

/** Writes a complete GraphQL response as Apollo Server's HTTP head and body give it. */
export function writeComplete(
  res: ServerResponse,
  status: number | undefined,
  headers: Iterable<[string, string]>,
  body: string,
): void {
  for (const [name, value] of headers) res.setHeader(name, value);
  res.statusCode = status ?? 200;
  res.end(body);
}

const httpLog = partLogger('http');

/** A started HTTP server and how to stop it. */
export interface Listening {
  url: string;
  port: number;
  /** Closes at once, with every connection (tests, the launcher). */
  close(): Promise<void>;
  /**
   * The graceful stop of SIGTERM (common/shutdown.ts): from this moment `/health/ready` answers 503 and every
   * answer closes its connection; the listener closes as soon as no request is in flight, and the requests
   * still in flight after `graceMs` lose their connections. Resolves with how many that were.
   */
  drain(graceMs: number): Promise<{ unfinished: number }>;
}

/** How long a stopping part still accepts connections after answering `/health/ready` with 503. @default 1000 */
export const UNREADY_WINDOW_MS = 1_000;

/** The answer of `/health/ready` while a part is stopping. */
const STOPPING = { status: 'not ready', checks: { shutdown: 'stopping: finishing the requests in flight' } };

/**
 * Listens on `port` (0 picks a free one) on the loopback interface unless `host` says otherwise. With `tls`
 * it serves HTTPS and answers only clients with a certificate of its CA (common/tls.ts), health and metrics
 * excepted.
 */
export async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  port: number,
  host = '127.0.0.1',
  tls?: TlsFiles,
): Promise<Listening> {
  let draining = false;
  const inFlight = new Set<ServerResponse>();
  let drained: (() => void) | undefined;
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    if (draining) {
      // Stopping: callers that kept this connection open reconnect, to another replica, for their next request.
      res.setHeader('connection', 'close');
      if (req.url?.split('?')[0] === '/health/ready') {
        res.setHeader('cache-control', 'no-store');
        return send(res, 503, STOPPING);
      }
    }
    inFlight.add(res);
    res.once('close', () => {
      inFlight.delete(res);
      if (inFlight.size === 0) drained?.();
    });
    if (tls && refuseWithoutClientCertificate(req, res)) return;
    // Every line written while the request is served carries its request id once it is known.
    inRequestScope(() => handler(req, res)).catch((error: unknown) => {
      // The caller gave up (a deadline passed) and closed the connection: there is no one to answer, and
      // nothing here is broken.
      if (req.destroyed && (error as NodeJS.ErrnoException).code === 'ECONNRESET') return;
      if (isDatabaseUnavailable(error)) {
        // An endpoint outside GraphQL (`/audit/*`) lost its database: an outage with a stable code, not a bug.
        httpLog.warn('request failed: database unavailable', { err: loggableError(error) });
        if (!res.headersSent) {
          const lost = databaseUnavailable('part');
          send(res, 503, { errors: [{ message: lost.message, extensions: { code: ErrorCode.DatabaseUnavailable } }] });
        } else res.end();
        return;
      }
      httpLog.error('request failed', { err: error });
      if (!res.headersSent)
        send(res, 500, {
          errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
        });
      else res.end();
    });
  };
  const server: Server = tls ? createTlsServer(serverTlsOptions(tls), listener) : createServer(listener);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `${tls ? 'https' : 'http'}://${host === '0.0.0.0' ? 'localhost' : host}:${actual}/graphql`,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    drain: async (graceMs) => {
      draining = true;
      // For a moment the listener stays open: a balancer's health check learns of the stop from /health/ready,
      // and a request that still comes in is answered. Then no new connection is accepted (callers get a refused
      // connection and go to another replica), idle kept-alive connections close, requests in flight finish.
      await new Promise((resolve) => setTimeout(resolve, Math.min(UNREADY_WINDOW_MS, graceMs)));
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      let timer: NodeJS.Timeout | undefined;
      if (inFlight.size > 0)
        await new Promise<void>((resolve) => {
          drained = resolve;
          timer = setTimeout(resolve, Math.max(0, graceMs - UNREADY_WINDOW_MS));
        });
      clearTimeout(timer);
      const unfinished = inFlight.size;
      server.closeAllConnections();
      await closed;
      return { unfinished };
    },
  };
}
