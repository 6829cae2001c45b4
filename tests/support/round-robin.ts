import { createServer, request, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the balancer forwarded, as the replica test reads it afterwards. */
export interface Forwarded {
  /** The gateway's request id (`X-Request-Id`), when the request carried one. */
  requestId?: string;
  /** The GraphQL operation name the caller sent (the gateway names its fetches `<Operation>__<subgraph>__<n>`). */
  operationName?: string;
  /** Index of the replica that answered; undefined when none did. */
  backend?: number;
  status: number;
  /** The replica's answer, parsed when it was JSON. */
  body?: unknown;
}

/** A round-robin HTTP balancer in front of the replicas of one subgraph, as a Kubernetes Service or HAProxy is. */
export interface RoundRobin {
  /** The subgraph's URL as its callers use it (`…/graphql`). */
  url: string;
  forwarded: Forwarded[];
  /** Takes replica `index` out of rotation, as the endpoints controller does with a terminating pod. */
  remove(index: number): void;
  /** Puts replica `index` back, as the endpoints controller does once the pod is ready. */
  add(index: number): void;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host', 'content-length']);

function headersOf(source: IncomingHttpHeaders): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(source))
    if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
  return headers;
}

async function read(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parse(buffer: Buffer): unknown {
  try {
    return JSON.parse(buffer.toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Forwards each request to the next replica in turn (turns are counted per GraphQL operation), over a new connection each time (so that a dead replica
 * shows as a refused connection, not as a stale kept-alive socket). A replica that refuses a connection is
 * skipped for `downMs` and the request goes to the next one: nothing reached the dead replica, so even a
 * mutation may go elsewhere. A replica that dies with the request in flight is not retried (it may have
 * committed the request); the caller gets 502, as from a real load balancer.
 */
export async function startRoundRobin(backends: string[], options: { downMs?: number } = {}): Promise<RoundRobin> {
  const downMs = options.downMs ?? 1000;
  const downUntil = backends.map(() => 0);
  const removed = new Set<number>();
  const forwarded: Forwarded[] = [];
  // One turn counter per operation (per path for other requests), so that every kind of fetch alternates between the
  // replicas, however the kinds interleave.
  const turns = new Map<string, number>();
  const order = (key: string) => {
    const start = turns.get(key) ?? 0;
    turns.set(key, (start + 1) % backends.length);
    const all = backends.map((_, i) => (start + i) % backends.length).filter((i) => !removed.has(i));
    const now = Date.now();
    return [...all.filter((i) => downUntil[i] <= now), ...all.filter((i) => downUntil[i] > now)];
  };
  const attempt = (index: number, req: IncomingMessage, body: Buffer) =>
    new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      const target = new URL(req.url ?? '/', backends[index]);
      const outgoing = request(
        target,
        { method: req.method, headers: { ...headersOf(req.headers), 'content-length': body.length }, agent: false },
        (res) => {
          read(res).then(
            (buffer) => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: buffer }),
            reject,
          );
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });

  const server = createServer((req, res) => {
    void (async () => {
      const body = await read(req);
      const parsed = parse(body) as { operationName?: string } | undefined;
      const entry: Forwarded = {
        requestId: typeof req.headers['x-request-id'] === 'string' ? req.headers['x-request-id'] : undefined,
        operationName: parsed?.operationName ?? undefined,
        status: 502,
      };
      forwarded.push(entry);
      for (const index of order(entry.operationName ?? req.url ?? '/')) {
        try {
          const answer = await attempt(index, req, body);
          entry.backend = index;
          entry.status = answer.status;
          entry.body = parse(answer.body);
          res.writeHead(answer.status, headersOf(answer.headers));
          res.end(answer.body);
          return;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ECONNREFUSED') break;
          downUntil[index] = Date.now() + downMs;
        }
      }
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ message: 'no replica answered', extensions: { code: 'BAD_GATEWAY' } }] }));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    forwarded,
    remove: (index) => removed.add(index),
    add: (index) => removed.delete(index),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
