import { createHttpFetcher, DeadlineExceededError } from './http-fetcher.js';

/** A JSON answer: its status and parsed body (undefined when the body is not JSON). */
export interface JsonAnswer {
  status: number;
  body: unknown;
}

/**
 * Sends JSON (POST with a body, GET without) through the keep-alive fetcher, with a deadline per call: for
 * calls made on every request, such as the consent lookup of each subgraph and the registry's audit reads.
 * A peer with no complete answer by then fails the call with DeadlineExceededError.
 */
export function createJsonPoster(options: { maxSockets?: number } = {}) {
  const fetcher = createHttpFetcher(options);
  return async (
    url: string,
    headers: Record<string, string>,
    body: unknown,
    timeoutMs: number,
  ): Promise<JsonAnswer> => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const signal = AbortSignal.timeout(timeoutMs);
    const response = await fetcher(url, {
      method: payload === undefined ? 'GET' : 'POST',
      headers:
        payload === undefined
          ? headers
          : { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) },
      body: payload,
      signal,
    }).catch((error: unknown) => {
      // Say what happened: Node's own AbortError reads "The operation was aborted".
      throw signal.aborted ? new DeadlineExceededError(url, timeoutMs) : error;
    });
    return { status: response.status, body: await response.json().catch(() => undefined) };
  };
}
