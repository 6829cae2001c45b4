import http from 'node:http';
import https from 'node:https';
import type { RemoteGraphQLDataSource } from '@apollo/gateway';

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

/**
 * A `fetch`-shaped client for calls made on every request (the gateway's subgraph fetches, the subgraphs'
 * consent lookups, the registry's audit reads): plain `node:http`/`node:https` over keep-alive connections,
 * at most `maxSockets` per host. Node's global `fetch` costs several times the CPU per request (WHATWG streams
 * around undici), which the gateway pays for every subgraph fetch of every request.
 */
export function createHttpFetcher(options: { maxSockets?: number } = {}): Fetcher & { destroy(): void } {
  // Idle connections close after 30 s, before the subgraph's server drops them (65 s), so no request is
  // sent on a connection the server is closing.
  const agentOptions = { keepAlive: true, timeout: 30_000, maxSockets: options.maxSockets ?? SUBGRAPH_SOCKETS };
  const agents = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) };
  const fetcher = (url: string, init: Parameters<Fetcher>[1] = {}) =>
    new Promise<FetcherResponse>((resolve, reject) => {
      const secure = url.startsWith('https:');
      const client = secure ? https : http;
      const agent = secure ? agents.https : agents.http;
      const signal = init.signal as AbortSignal | undefined;
      const request = client.request(url, { method: init.method ?? 'GET', headers: init.headers, agent, signal }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, item);
          }
          resolve(response(url, res.statusCode ?? 0, res.statusMessage ?? '', headers, Buffer.concat(chunks)));
        });
      });
      request.on('error', reject);
      request.end(init.body);
    });
  return Object.assign(fetcher, {
    destroy: () => {
      agents.http.destroy();
      agents.https.destroy();
    },
  });
}
