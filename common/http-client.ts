import http from 'node:http';
import https from 'node:https';

/** A JSON answer: its status and parsed body (undefined when the body is not JSON). */
export interface JsonAnswer {
  status: number;
  body: unknown;
}

/**
 * Sends JSON (POST with a body, GET without) over keep-alive connections with `node:http`. Node's global
 * `fetch` costs several times the CPU per request, which matters for calls made on every request (the
 * consent lookup of each subgraph, the audit reads of the consent registry).
 */
export function createJsonPoster(options: { maxSockets?: number } = {}) {
  const agents = {
    'http:': new http.Agent({ keepAlive: true, timeout: 30_000, maxSockets: options.maxSockets ?? 64 }),
    'https:': new https.Agent({ keepAlive: true, timeout: 30_000, maxSockets: options.maxSockets ?? 64 }),
  };
  return (url: string, headers: Record<string, string>, body: unknown, timeoutMs: number): Promise<JsonAnswer> =>
    new Promise((resolve, reject) => {
      const target = new URL(url);
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const client = target.protocol === 'https:' ? https : http;
      const request = client.request(
        target,
        {
          method: payload ? 'POST' : 'GET',
          agent: agents[target.protocol as 'http:' | 'https:'],
          headers: payload ? { ...headers, 'content-type': 'application/json', 'content-length': String(payload.length) } : headers,
          signal: AbortSignal.timeout(timeoutMs),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            let parsed: unknown;
            try {
              parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            } catch {
              parsed = undefined;
            }
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
        },
      );
      request.on('error', reject);
      request.end(payload);
    });
}
