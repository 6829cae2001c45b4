import autocannon from 'autocannon';

/** What one load run measured. Latencies are per response, in milliseconds. */
export interface LoadResult {
  /** Completed responses with status 2xx. */
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  /** Connection errors and timeouts. */
  errors: number;
  /** Responses with a status other than 2xx. */
  non2xx: number;
  /** 2xx responses whose body failed the run's check, e.g. a person view without the person. */
  mismatches: number;
}

/** One kind of request, the same for the hub and the baseline except for the URL. */
export interface LoadRequest {
  headers: Record<string, string>;
  /** The JSON body of each request, called per request (e.g. a random person each time). */
  body: () => string;
  /** Checks a response body; a failing body counts as a mismatch. */
  verify?: (body: string) => boolean;
}

export interface LoadOptions {
  url: string;
  connections: number;
  /** Seconds; ignored when `amount` is set. */
  duration: number;
  /** A fixed number of requests instead of a duration. */
  amount?: number;
  /** Requests per second over all connections: a constant offered load instead of as fast as possible. */
  overallRate?: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * Drives `url` with autocannon and measures each response's latency itself, because autocannon reports no
 * p95. Latencies are as measured: at a constant rate a server that falls behind shows as a lower achieved
 * rate, not as coordinated-omission-corrected latency.
 */
export function drive(options: LoadOptions, request: LoadRequest): Promise<LoadResult> {
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.duration,
        amount: options.amount,
        overallRate: options.overallRate,
        timeout: 30,
        requests: [
          {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...request.headers },
            setupRequest: (req) => ({ ...req, body: request.body() }),
          },
        ],
        verifyBody: request.verify,
      },
      (error, result) => {
        if (error) return reject(error);
        latencies.sort((a, b) => a - b);
        const ok = result['2xx'];
        resolve({
          requests: ok,
          seconds: result.duration,
          requestsPerSecond: ok / result.duration,
          p50: percentile(latencies, 50),
          p95: percentile(latencies, 95),
          p99: percentile(latencies, 99),
          errors: result.errors,
          non2xx: result.non2xx,
          mismatches: result.mismatches,
        });
      },
    );
    instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
}
