import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import type { DataSource } from 'typeorm';
import { ruleOf } from '../access/operation-guard.js';
import { operationRefusal } from '../access/operations.js';
import { authenticate, type TokenVerifier } from '../auth/token.js';
import type { SubgraphName } from '../domain.js';
import { ErrorCode } from '../errors.js';
import { readBody, requestError, send } from '../http.js';
import type { DisclosureLog, RecordQuery } from './disclosure-log.repository.js';
import { verifyChain } from './disclosure-log.verification.js';
import { parseRecordQuery, parseWitnessedHead } from './wire.js';

/** A malformed filter or head: 400 with BAD_USER_INPUT and the parser's message. */
function badInput(res: ServerResponse, error: unknown): void {
  send(res, 400, { errors: [{ message: (error as Error).message, extensions: { code: ErrorCode.BadUserInput } }] });
}

/**
 * The disclosure log's own endpoints on a data subgraph, beside `/graphql` and outside the supergraph: the
 * consent subgraph reads them with the consent officer's own token and merges all subgraphs into one view.
 *
 * - `GET /audit/head[?check=N]`: the newest (sequence, hash), and the hash now at N; no personal data, so no
 *   token needed.
 * - `POST /audit/records`: records matching a filter, newest first (consent officers only).
 * - `POST /audit/verify`: verifies the chain, given the newest head the registry witnessed (consent officers only).
 */
export function createAuditRoutes(options: {
  subgraph: SubgraphName;
  db: DataSource;
  log: DisclosureLog;
  verifier: TokenVerifier;
  retentionDays: number;
}) {
  return async (req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> => {
    if (pathname === '/audit/head' && req.method === 'GET') {
      const raw = new URL(req.url ?? '/', 'http://localhost').searchParams.get('check');
      const check = raw === null ? undefined : Number(raw);
      if (check !== undefined && (!Number.isSafeInteger(check) || check < 1)) {
        return requestError(res, 400, 'check must be a record sequence number (a positive integer)');
      }
      return send(res, 200, await options.log.headWithCheck(check));
    }
    if (req.method !== 'POST' || (pathname !== '/audit/records' && pathname !== '/audit/verify')) {
      return requestError(
        res,
        404,
        'Not found: the audit endpoints are GET /audit/head, POST /audit/records and POST /audit/verify',
      );
    }
    try {
      const caller = await authenticate(options.verifier, req.headers);
      const operation = pathname === '/audit/records' ? 'Audit.records' : 'Audit.verify';
      const why = operationRefusal(ruleOf(options.subgraph, operation), caller, operation);
      if (why) throw new GraphQLError(`Refused: ${why}`, { extensions: { code: ErrorCode.Forbidden } });
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      const status = (error.extensions.http as { status?: number } | undefined)?.status ?? 403;
      return send(res, status, { errors: [{ message: error.message, extensions: { code: error.extensions.code } }] });
    }
    const raw = await readBody(req);
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : {};
    } catch {
      return requestError(res, 400, 'Request body is not valid JSON');
    }
    if (pathname === '/audit/records') {
      let query: RecordQuery;
      try {
        query = parseRecordQuery(body);
      } catch (error) {
        return badInput(res, error);
      }
      return send(res, 200, { records: await options.log.records(query) });
    }
    let witnessed;
    try {
      witnessed = parseWitnessedHead((body as { witnessed?: unknown }).witnessed);
    } catch (error) {
      return badInput(res, error);
    }
    return send(res, 200, await verifyChain(options.db, witnessed, options.retentionDays));
  };
}
