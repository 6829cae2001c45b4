import http from 'node:http';
import https from 'node:https';
import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import { clientTlsOptions } from './tls.js';
import { callTraced } from './tracing.js';

type Fetcher = RemoteGraphQLDataSource['fetcher'];
type FetcherResponse = Awaited<ReturnType<Fetcher>>;

/**
 * How many connections the gateway keeps open to one subgraph at most; further fetches wait for a free one.
 * Above a subgraph's database pool (`DB_POOL_SIZE`, 10) more parallel requests only queue inside it, so a
 * few times that is enough, and it bounds what one busy gateway can open against a subgraph.
 */
export const SUBGRAPH_SOCKETS = 64;

function response(url: string, status: number, statusText: string, headers: Headers, body: Buffer): FetcherResponse {
  let bodyUsed = false;
  const use = () => {
    bodyUsed = true;
    return body;
  };
  return {
    get bodyUsed() {
      return bodyUsed;
    },
    url,
    redirected: false,
    status,
    ok: status >= 200 && status < 300,
    statusText,
    headers,
    arrayBuffer: async () => {
      const bytes = use();
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    },
    text: async () => use().toString('utf8'),
    json: async () => JSON.parse(use().toString('utf8')) as unknown,
    clone: () => response(url, status, statusText, new Headers(headers), body),
  };
}

/** A keep-alive fetcher; `withTimeout` gives one with another deadline over the same connections. */
export type HttpFetcher = Fetcher & { withTimeout(timeoutMs: number | undefined): Fetcher; destroy(): void };

/** A call between parts that had no complete answer by its deadline; it was aborted. */
export class DeadlineExceededError extends Error {
  constructor(
    readonly url: string,
    readonly timeoutMs: number,
  ) {
    super(`No answer from ${url} within ${timeoutMs} ms`);
    this.name = 'DeadlineExceededError';
  }
}

/**
 * A `fetch`-shaped client for calls made on every request (the gateway's subgraph fetches, the subgraphs'
 * consent lookups, the registry's audit reads): plain `node:http`/`node:https` over keep-alive connections,
 * at most `maxSockets` per host. Node's global `fetch` costs several times the CPU per request (WHATWG streams
 * around undici), which the gateway pays for every subgraph fetch of every request.
 *
 * With `timeoutMs`, every call has a deadline: waiting for a free connection, connecting, sending and
 * reading the whole answer. A peer that hangs (stopped, deadlocked, or sending its body forever) costs the
 * caller at most that long; the call then fails with DeadlineExceededError and its connection is closed.
 * An `init.signal` aborts earlier.
 */
export function createHttpFetcher(options: { maxSockets?: number; timeoutMs?: number } = {}): HttpFetcher {
  // Idle connections close after 30 s, before the subgraph's server drops them (65 s), so no request is
  // sent on a connection the server is closing.
  const agentOptions = { keepAlive: true, timeout: 30_000, maxSockets: options.maxSockets ?? SUBGRAPH_SOCKETS };
  const agents = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) };
  // Each call is a CLIENT span of the caller's trace and passes the trace on (`traceparent`).
  const withTimeout =
    (timeoutMs: number | undefined) =>
    (url: string, init: Parameters<Fetcher>[1] = {}) =>
      callTraced(url, init.method ?? 'GET', init.headers ?? {}, (headers) => send(url, init, headers, timeoutMs));
  const send = (
    url: string,
    init: NonNullable<Parameters<Fetcher>[1]>,
    headers: Record<string, string>,
    timeoutMs: number | undefined,
  ) =>
    new Promise<FetcherResponse>((resolve, reject) => {
      const secure = url.startsWith('https:');
      const client = secure ? https : http;
      const agent = secure ? agents.https : agents.http;
      const signal = init.signal as AbortSignal | undefined;
      let deadline: NodeJS.Timeout | undefined;
      const settle =
        <T>(action: (value: T) => void) =>
        (value: T) => {
          clearTimeout(deadline);
          action(value);
        };
      const fail = settle(reject);
      // Over HTTPS this process presents its certificate (mTLS between the parts, when configured).
      const request = client.request(
        url,
        { method: init.method ?? 'GET', headers, agent, signal, ...(secure ? clientTlsOptions() : {}) },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', fail);
          // A connection cut off in the middle of the body ends the response without 'end' (and, in some Node
          // versions, without 'error'): without this the call would wait forever.
          res.on('close', () => {
            if (!res.complete) fail(new Error(`The connection to ${url} closed before the answer was complete`));
          });
          res.on('end', () => {
            const headers = new Headers();
            for (const [name, value] of Object.entries(res.headers)) {
              for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value])
                headers.append(name, item);
            }
            settle(resolve)(
              response(url, res.statusCode ?? 0, res.statusMessage ?? '', headers, Buffer.concat(chunks)),
            );
          });
        },
      );
      if (timeoutMs !== undefined) {
        deadline = setTimeout(() => request.destroy(new DeadlineExceededError(url, timeoutMs)), timeoutMs);
      }
      request.on('error', fail);
      request.end(init.body);
    });
  return Object.assign(withTimeout(options.timeoutMs), {
    withTimeout,
    destroy: () => {
      agents.http.destroy();
      agents.https.destroy();
    },
  });
}
