/**
 * Lean lookups: small JSON endpoints beside `/graphql` (`POST /lookup/<name>`) for what other subgraphs ask
 * on every request, such as the consent registry's grants. They skip GraphQL's parsing, validation and
 * execution, not its checks: each authenticates the caller's own token and purpose exactly as `/graphql`
 * does (`authenticate`), and each is an operation of the table (`Lookup.<name>` in
 * `common/access/operations.ts`), refused with 403 when its rule does not admit the caller.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import type { DataSource } from 'typeorm';
import { authenticate, type TokenVerifier } from '../auth/token.js';
import type { Caller, SubgraphName } from '../domain.js';
import { databaseUnavailable, ErrorCode, isDatabaseUnavailable, loggableError } from '../errors.js';
import { readBody, send } from '../http.js';
import { partLogger, setRequestId } from '../log.js';
import type { GrantSigningKey, LookupHandler } from './access-context.js';
import { ruleOf } from './operation-guard.js';
import { operationRefusal } from './operations.js';

function refuse(res: ServerResponse, status: number, message: string, extensions: Record<string, unknown>): void {
  send(res, status, { errors: [{ message, extensions }] });
}

/** Serves `POST /lookup/<name>` for the given handlers; answers false for any other path. */
export function createLookupRoutes(options: {
  subgraph: SubgraphName;
  db: DataSource;
  verifier: TokenVerifier;
  lookups: Record<string, LookupHandler>;
  /** The consent registry's grant key, for lookups that answer signed. */
  grantKeys?: GrantSigningKey;
}) {
  return async (req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> => {
    if (!pathname.startsWith('/lookup/')) return false;
    const name = pathname.slice('/lookup/'.length);
    const handler = Object.hasOwn(options.lookups, name) ? options.lookups[name] : undefined;
    if (!handler || req.method !== 'POST') {
      refuse(
        res,
        404,
        `Not found: the lookups here are ${Object.keys(options.lookups)
          .map((n) => `POST /lookup/${n}`)
          .join(', ')}`,
        {
          code: 'BAD_REQUEST',
        },
      );
      return true;
    }
    let caller: Caller;
    try {
      caller = await authenticate(options.verifier, req.headers);
      setRequestId(caller.requestId);
      const operation = `Lookup.${name}`;
      const why = operationRefusal(ruleOf(options.subgraph, operation), caller, operation);
      if (why) throw new GraphQLError(`Refused: ${why}`, { extensions: { code: ErrorCode.Forbidden } });
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      const status = (error.extensions.http as { status?: number } | undefined)?.status ?? 403;
      refuse(res, status, error.message, { code: error.extensions.code });
      return true;
    }
    const raw = await readBody(req);
    if (raw === undefined) {
      refuse(res, 413, 'The request body is too large', { code: ErrorCode.BadUserInput });
      return true;
    }
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : {};
    } catch {
      refuse(res, 400, 'Request body is not valid JSON', { code: ErrorCode.BadUserInput });
      return true;
    }
    try {
      send(
        res,
        200,
        await handler(options.db, caller, body, {
          authorization: req.headers.authorization!,
          grantKeys: options.grantKeys,
        }),
      );
    } catch (error) {
      if (error instanceof GraphQLError && error.extensions.code === ErrorCode.BadUserInput) {
        refuse(res, 400, error.message, error.extensions);
      } else if (isDatabaseUnavailable(error)) {
        partLogger(options.subgraph).warn(`lookup ${name}: database unavailable`, { err: loggableError(error) });
        refuse(res, 503, databaseUnavailable(`${options.subgraph} subgraph`).message, {
          code: ErrorCode.DatabaseUnavailable,
        });
      } else {
        partLogger(options.subgraph).error(`lookup ${name} failed`, { err: error });
        refuse(res, 500, 'Internal server error', { code: 'INTERNAL_SERVER_ERROR' });
      }
    }
    return true;
  };
}
