import http from 'node:http';
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
  /**
   * Requests per second, offered evenly spaced and open loop (`driveAtRate`) instead of as fast as the
   * connections allow; `connections` is then ignored.
   */
  overallRate?: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * Drives `url` as fast as `connections` closed-loop connections allow (autocannon), measuring each response's
 * latency itself, because autocannon reports no p95; with `overallRate`, offers that rate open loop instead
 * (`driveAtRate`).
 */
export function drive(options: LoadOptions, request: LoadRequest): Promise<LoadResult> {
  if (options.overallRate) return driveAtRate({ ...options, rate: options.overallRate }, request);
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

/** Sockets the open-loop generator may hold at once: far more than a server answering on time needs. */
const OPEN_LOOP_SOCKETS = 256;

/**
 * Offers `rate` requests per second for `duration` seconds, one every 1000/`rate` ms, each sent when its time
 * comes whether or not earlier ones have been answered (an open loop, as independent callers arrive), and
 * measures each latency from the time the request was due, so that a generator running late, or a server
 * that falls behind, shows in the latencies rather than as fewer requests (no coordinated omission).
 *
 * Not autocannon's `overallRate`: that gives each connection a budget per second, which it spends back to back
 * at the start of the second, so 100 requests/s arrive as a burst of 16 at once every second, and the
 * latencies measure that burst's queue, not a server offered 100 requests/s.
 */
export async function driveAtRate(
  options: { url: string; rate: number; duration: number },
  request: LoadRequest,
): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: OPEN_LOOP_SOCKETS });
  const latencies: number[] = [];
  const counts = { ok: 0, errors: 0, non2xx: 0, mismatches: 0 };
  const interval = 1000 / options.rate;
  const total = Math.round(options.rate * options.duration);
  const answers: Promise<void>[] = [];
  const send = (due: number) =>
    new Promise<void>((answered) => {
      // Each request counts once, however many of its events fire.
      let settled = false;
      const resolve = () => {
        settled = true;
        answered();
      };
      const body = request.body();
      const req = http.request(
        options.url,
        {
          method: 'POST',
          agent,
          timeout: 30_000,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            ...request.headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            if (settled) return;
            const status = res.statusCode ?? 0;
            if (status < 200 || status >= 300) counts.non2xx += 1;
            else if (request.verify && !request.verify(Buffer.concat(chunks).toString())) counts.mismatches += 1;
            else {
              counts.ok += 1;
              latencies.push(performance.now() - due);
            }
            resolve();
          });
          res.on('error', () => {
            if (settled) return;
            counts.errors += 1;
            resolve();
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', () => {
        if (settled) return;
        counts.errors += 1;
        resolve();
      });
      req.end(body);
    });
  const started = performance.now();
  await new Promise<void>((done) => {
    let sent = 0;
    const tick = () => {
      // Every request whose time has come, in order, each with the time it was due.
      while (sent < total && started + sent * interval <= performance.now()) {
        answers.push(send(started + sent * interval));
        sent += 1;
      }
      if (sent >= total) return done();
      setTimeout(tick, Math.max(0, started + sent * interval - performance.now()));
    };
    tick();
  });
  await Promise.all(answers);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    requests: counts.ok,
    seconds: options.duration,
    requestsPerSecond: counts.ok / options.duration,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    errors: counts.errors,
    non2xx: counts.non2xx,
    mismatches: counts.mismatches,
  };
}
