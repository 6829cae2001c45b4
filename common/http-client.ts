import { createHttpFetcher } from './http-fetcher.js';

/** A JSON answer: its status and parsed body (undefined when the body is not JSON). */
export interface JsonAnswer {
  status: number;
  body: unknown;
}

/**
 * Sends JSON (POST with a body, GET without) through the keep-alive fetcher, with a timeout: for calls
 * made on every request, such as the consent lookup of each subgraph and the registry's audit reads.
 */
export function createJsonPoster(options: { maxSockets?: number } = {}) {
  const fetcher = createHttpFetcher(options);
  return async (url: string, headers: Record<string, string>, body: unknown, timeoutMs: number): Promise<JsonAnswer> => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const response = await fetcher(url, {
      method: payload === undefined ? 'GET' : 'POST',
      headers: payload === undefined ? headers : { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) },
      body: payload,
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: response.status, body: await response.json().catch(() => undefined) };
  };
}
