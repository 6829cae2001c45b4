import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readiness } from './health.js';
import { answerHealth, requestError } from './http.js';
import { answerMetrics, type PartMetrics } from './metrics.js';

/** Serves one request; `url` is the request's URL, parsed once by the route table. */
export type Serve = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

/** One line of a process's route table. */
export interface Route {
  /** An exact path, or a prefix followed by `*` (`/audit/*`). */
  path: string;
  /** Only this method; any when absent. */
  method?: 'GET' | 'POST';
  serve: Serve;
}

/** A route, written as one line of a table. */
export function route(path: string, serve: Serve, method?: Route['method']): Route {
  return { path, serve, ...(method ? { method } : {}) };
}

/** What a process answers on a path that no route serves. */
export const notFound: Serve = async (_req, res) =>
  requestError(res, 404, 'Not found: the GraphQL endpoint is /graphql');

/**
 * A process's one route table, as a Node HTTP handler: the first route whose path (and method, where it
 * names one) matches serves the request, `fallback` any other.
 */
export function serveRoutes(
  routes: Route[],
  fallback: Serve = notFound,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const matches = (route: Route, pathname: string, method: string | undefined) =>
    (route.path.endsWith('*') ? pathname.startsWith(route.path.slice(0, -1)) : pathname === route.path) &&
    (!route.method || route.method === method);
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = routes.find((candidate) => matches(candidate, url.pathname, req.method));
    return (route?.serve ?? fallback)(req, res, url);
  };
}

/**
 * The routes every process has, none of which needs a token: `/health/live` (and its older name `/health`),
 * `/health/ready` (`answerHealth`; `ready` says whether the part is ready, always when absent) and, with
 * `metrics`, `/metrics` (`answerMetrics`).
 */
export function partRoutes(options: { ready?: () => Promise<Readiness>; metrics?: PartMetrics }): Route[] {
  const health: Serve = async (_req, res, url) => void (await answerHealth(url.pathname, res, options.ready));
  const { metrics } = options;
  return [
    { path: '/health/live', serve: health },
    { path: '/health', serve: health },
    { path: '/health/ready', serve: health },
    ...(metrics
      ? [route('/metrics', async (req, res, url) => void (await answerMetrics(url.pathname, req, res, metrics)))]
      : []),
  ];
}
