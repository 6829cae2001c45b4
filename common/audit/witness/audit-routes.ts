import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import type { DataSource } from 'typeorm';
import { ruleOf } from '../../access/operation-guard.js';
import { operationRefusal } from '../../access/operations.js';
import { authenticate, type TokenVerifier } from '../../auth/token.js';
import { NARROW_PURPOSES, type Caller, type SubgraphName } from '../../domain.js';
import { ErrorCode } from '../../errors.js';
import { readBody, requestError, send } from '../../http.js';
import type { DisclosureLog, RecordQuery } from '../log/disclosure-log.repository.js';
import { cosignatureProblem, logIdOf, type Checkpoint, type Cosignature } from '../proofs/checkpoint.js';
import { KeyDirectory } from '../proofs/key-set.js';
import { REGISTRY_WITNESS } from '../proofs/receipt.js';
import { verifyCheckpointed, verifySlice, type VerifiedPoint } from '../proofs/checkpoint.verification.js';
import type { Checkpointer } from '../proofs/checkpointer.js';
import type { LogKeyRing, PublishedKey } from '../log/log-keys.js';
import { publishKeys } from '../log/log-keys.js';
import { TreeStore } from '../proofs/merkle-store.js';
import { parseRecordQuery, parseWitnessedHead } from './wire.js';

/** The most inclusion proofs one request may ask for. */
export const MAX_PROOFS = 500;

function parseVerifiedPoint(value: unknown): VerifiedPoint | undefined {
  if (value === undefined || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (
    typeof v !== 'object' ||
    !Number.isSafeInteger(v.size) ||
    (v.size as number) < 0 ||
    typeof v.root !== 'string' ||
    !/^[0-9a-f]{64}$/.test(v.root)
  ) {
    throw new Error('from must be { size: a whole number, root: 64 hex digits }');
  }
  return { size: v.size as number, root: v.root };
}

function parseProofRequest(body: unknown): { sequences: number[]; size: number } {
  const b = (body ?? {}) as Record<string, unknown>;
  if (!Number.isSafeInteger(b.size) || (b.size as number) < 1)
    throw new Error('size must be the size of a checkpoint (a positive whole number)');
  if (!Array.isArray(b.sequences) || b.sequences.length === 0 || b.sequences.length > MAX_PROOFS) {
    throw new Error(`sequences must list 1 to ${MAX_PROOFS} record sequence numbers`);
  }
  for (const s of b.sequences) {
    if (!Number.isSafeInteger(s) || s < 1 || s > (b.size as number))
      throw new Error(`sequences must be record sequence numbers from 1 to size (${b.size as number})`);
  }
  return { sequences: b.sequences as number[], size: b.size as number };
}

/** A malformed filter or head: 400 with BAD_USER_INPUT and the parser's message. */
function badInput(res: ServerResponse, error: unknown): void {
  send(res, 400, { errors: [{ message: (error as Error).message, extensions: { code: ErrorCode.BadUserInput } }] });
}

/**
 * `GET …/audit/checkpoint[?from=N]`: the newest signed checkpoint and, from an older size the asker holds,
 * the consistency proof that it extends that one. No personal data, so no token, as for witnesses anywhere.
 */
export async function answerCheckpoint(
  req: IncomingMessage,
  res: ServerResponse,
  db: DataSource,
  checkpointer: Checkpointer,
  /** The cosignatures kept for a checkpoint, published with it (the registry's officers' log). */
  cosignaturesOf?: (size: number) => Promise<Cosignature[]>,
): Promise<void> {
  const raw = new URL(req.url ?? '/', 'http://localhost').searchParams.get('from');
  const from = raw === null ? undefined : Number(raw);
  if (from !== undefined && (!Number.isSafeInteger(from) || from < 1)) {
    return requestError(res, 400, 'from must be the size of a checkpoint held before (a positive integer)');
  }
  const checkpoint = await checkpointer.latest();
  if (!checkpoint) return send(res, 200, { checkpoint: null, consistency: null });
  const { frontier: _frontier, lastHash: _lastHash, ...own } = checkpoint;
  const signed = cosignaturesOf ? { ...own, cosignatures: await cosignaturesOf(own.size) } : own;
  if (from !== undefined && from > checkpoint.size) {
    return send(res, 200, {
      checkpoint: signed,
      consistency: null,
      message: `the log has no checkpoint beyond ${checkpoint.size}, fewer than ${from} records`,
    });
  }
  const consistency =
    from === undefined
      ? null
      : (await new TreeStore(db).consistencyProof(from, checkpoint.size)).map((h) => h.toString('hex'));
  return send(res, 200, { checkpoint: signed, consistency });
}

/**
 * The consent registry's own log of officers' reads, for its witnesses (parties other than the registry):
 * `GET /officer-log/audit/keys` (its log keys, labelled `verbund:consent`, beside the registry's witness key at
 * `/audit/keys`), `GET /officer-log/audit/checkpoint[?from=N]` (the newest checkpoint with the cosignatures
 * kept for it) and `POST /officer-log/audit/cosignature` `{ size, cosignature }`, where a witness hands its
 * cosignature back. A cosignature is kept only when it is of a checkpoint the registry signed, by a witness other
 * than the registry, under a key pinned for that witness (`witnesses` of `PINNED_LOG_KEYS_FILE`; never a log's
 * key, least of all the registry's own), and its signature holds. A witness is pointed at
 * `<registry>/officer-log/`. No personal data, so no token.
 */
export function createOfficerLogRoutes(options: {
  db: DataSource;
  keys: LogKeyRing;
  checkpointer: Checkpointer;
  /** The other parties' witness keys, by witness name, as configured. @default none: no cosignature is kept */
  pinnedWitnesses?: Record<string, PublishedKey[]>;
}) {
  const logId = logIdOf('consent');
  const cosignaturesOf = async (size: number): Promise<Cosignature[]> =>
    (
      await options.db.query<{ witness: string; key_id: string; at: string; signature: string }[]>(
        'SELECT witness, key_id, at, signature FROM officer_log_cosignature WHERE size = $1 ORDER BY witness, key_id',
        [size],
      )
    ).map((r) => ({ witness: r.witness, keyId: r.key_id, at: r.at, signature: r.signature }));
  return async (req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> => {
    if (pathname === '/officer-log/audit/keys' && req.method === 'GET')
      return send(res, 200, { logId, keys: publishKeys(options.keys, { role: 'log', logId }) });
    if (pathname === '/officer-log/audit/checkpoint' && req.method === 'GET')
      return answerCheckpoint(req, res, options.db, options.checkpointer, cosignaturesOf);
    if (pathname === '/officer-log/audit/cosignature' && req.method === 'POST') {
      let body: { size?: unknown; cosignature?: Partial<Cosignature> };
      try {
        body = JSON.parse((await readBody(req)) || '{}') as typeof body;
      } catch {
        return requestError(res, 400, 'Request body is not valid JSON');
      }
      const c = body.cosignature ?? {};
      if (
        !Number.isSafeInteger(body.size) ||
        (body.size as number) < 1 ||
        typeof c.witness !== 'string' ||
        !/^[\w.-]{1,64}$/.test(c.witness) ||
        typeof c.keyId !== 'string' ||
        !/^[0-9a-f]{16}$/.test(c.keyId) ||
        typeof c.at !== 'string' ||
        c.at.length > 40 ||
        typeof c.signature !== 'string' ||
        c.signature.length > 200
      )
        return requestError(res, 400, 'The body must be { size, cosignature: { witness, keyId, at, signature } }');
      const cosignature = { witness: c.witness, keyId: c.keyId, at: c.at, signature: c.signature };
      const [row] = await options.db.query<{ root: string; at: Date; key_id: string; signature: string }[]>(
        'SELECT root, at, key_id, signature FROM disclosure_checkpoint WHERE size = $1',
        [body.size],
      );
      if (!row) return requestError(res, 404, `The registry signed no checkpoint of ${String(body.size)} records`);
      const checkpoint: Checkpoint = {
        logId,
        size: body.size as number,
        root: row.root,
        at: row.at.toISOString(),
        keyId: row.key_id,
        signature: row.signature,
      };
      if (cosignature.witness === REGISTRY_WITNESS)
        return requestError(
          res,
          403,
          `witness ${REGISTRY_WITNESS} runs ${logId} itself: the registry's checkpoints count only with another party's cosignature`,
        );
      const directory = new KeyDirectory(
        {
          logs: { [logId]: publishKeys(options.keys, { role: 'log', logId }) },
          witnesses: options.pinnedWitnesses ?? {},
        },
        { pinned: true },
      );
      const key = directory.witnessKey(logId, cosignature.witness, cosignature.keyId);
      if ('problem' in key) return requestError(res, 403, `cosignature not kept: ${key.problem}`);
      const problem = cosignatureProblem(checkpoint, cosignature, new Map([[cosignature.keyId, key.key]]));
      if (problem) return requestError(res, 400, `cosignature not kept: ${problem}`);
      await options.db.query(
        `INSERT INTO officer_log_cosignature (size, witness, key_id, at, signature) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT DO NOTHING`,
        [checkpoint.size, cosignature.witness, cosignature.keyId, cosignature.at, cosignature.signature],
      );
      return send(res, 200, {
        kept: true,
        checkpoint: { ...checkpoint, cosignatures: await cosignaturesOf(checkpoint.size) },
      });
    }
    return requestError(
      res,
      404,
      'Not found: the officer log endpoints are GET /officer-log/audit/keys and /officer-log/audit/checkpoint, POST /officer-log/audit/cosignature',
    );
  };
}

/**
 * The disclosure log's own endpoints on a data subgraph, beside `/graphql` and outside the supergraph: the
 * consent subgraph reads them with the consent officer's own token and merges all subgraphs into one view.
 *
 * - `GET /audit/head[?check=N]`: the newest (sequence, hash), and the hash now at N; no personal data, so no
 *   token needed.
 * - `POST /audit/records`: records matching a filter, newest first (consent officers only).
 * - `POST /audit/verify`: verifies the log from the last checkpoint the registry verified (`from`), given the
 *   newest head it witnessed; with `slice: { from, until }`, re-reads the older records between two checkpoints
 *   verified before against `until`'s signed root (consent officers only).
 * - `GET /audit/keys`: the public keys checkpoints are signed with (rotation: the retired ones too).
 * - `GET /audit/checkpoint[?from=N]`: the newest signed checkpoint and the consistency proof from size N; no
 *   personal data, so no token, as for witnesses anywhere.
 * - `POST /audit/checkpoint`: makes a checkpoint now (consent officers only).
 * - `POST /audit/proofs`: inclusion proofs of records in a checkpoint, for a receipt (consent officers only).
 */
export function createAuditRoutes(options: {
  subgraph: SubgraphName;
  db: DataSource;
  log: DisclosureLog;
  verifier: TokenVerifier;
  retentionDays: number;
  /** The process's signing keys (public parts published at `/audit/keys`). */
  keys: LogKeyRing;
  checkpointer: Checkpointer;
}) {
  const officerOnly = ['/audit/records', '/audit/verify', '/audit/proofs'];
  return async (req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> => {
    if (pathname === '/audit/head' && req.method === 'GET') {
      const raw = new URL(req.url ?? '/', 'http://localhost').searchParams.get('check');
      const check = raw === null ? undefined : Number(raw);
      if (check !== undefined && (!Number.isSafeInteger(check) || check < 1)) {
        return requestError(res, 400, 'check must be a record sequence number (a positive integer)');
      }
      return send(res, 200, await options.log.headWithCheck(check));
    }
    if (pathname === '/audit/keys' && req.method === 'GET')
      return send(res, 200, {
        logId: logIdOf(options.subgraph),
        keys: publishKeys(options.keys, { role: 'log', logId: logIdOf(options.subgraph) }),
      });
    if (pathname === '/audit/checkpoint' && req.method === 'GET')
      return answerCheckpoint(req, res, options.db, options.checkpointer);
    const known = [...officerOnly, '/audit/checkpoint'];
    if (req.method !== 'POST' || !known.includes(pathname)) {
      return requestError(
        res,
        404,
        'Not found: the audit endpoints are GET /audit/head, /audit/keys and /audit/checkpoint, POST /audit/records, /audit/verify, /audit/proofs and /audit/checkpoint',
      );
    }
    let caller: Caller;
    try {
      caller = await authenticate(options.verifier, req.headers);
      const operation = `Audit.${pathname.slice('/audit/'.length)}`;
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
      // An access request reads one person's records (the Art. 15 report beside the copy), never the whole log.
      if (NARROW_PURPOSES.includes(caller.purpose) && !query.personId) {
        return send(res, 403, {
          errors: [
            {
              message: `Refused: Audit.records serves purpose ${caller.purpose} for one named person only (personId)`,
              extensions: { code: ErrorCode.Forbidden },
            },
          ],
        });
      }
      return send(res, 200, { records: await options.log.records(query) });
    }
    if (pathname === '/audit/checkpoint') {
      const result = await options.checkpointer.checkpoint();
      return send(res, 200, result);
    }
    if (pathname === '/audit/proofs') {
      let asked;
      try {
        asked = parseProofRequest(body);
      } catch (error) {
        return badInput(res, error);
      }
      const checkpoint = await options.checkpointer.latest();
      if (!checkpoint || checkpoint.size < asked.size)
        return badInput(res, new Error(`the log has no checkpoint of ${asked.size} records`));
      const tree = new TreeStore(options.db);
      const proofs = [];
      for (const sequence of asked.sequences) {
        try {
          proofs.push({
            sequence,
            leafIndex: sequence - 1,
            proof: (await tree.inclusionProof(sequence - 1, asked.size)).map((h) => h.toString('hex')),
          });
        } catch (error) {
          // A record the retention operation removed (or its neighbours in the bottom subtree) has no proof any more.
          return badInput(res, new Error(`no inclusion proof for record ${sequence}: ${(error as Error).message}`));
        }
      }
      return send(res, 200, { size: asked.size, proofs });
    }
    if ((body as { slice?: unknown }).slice !== undefined) {
      // Re-reading a stretch of older records between two checkpoints verified before (the rotating slice).
      const slice = (body as { slice: Record<string, unknown> | null }).slice;
      let range;
      try {
        const until = parseVerifiedPoint(slice?.until);
        if (!until || until.size < 1) throw new Error('slice.until must be a verified checkpoint { size, root }');
        const from = parseVerifiedPoint(slice?.from);
        if (from && from.size >= until.size)
          throw new Error('slice.from must be a smaller checkpoint than slice.until');
        range = { from, until };
      } catch (error) {
        return badInput(res, error);
      }
      return send(res, 200, await verifySlice(options.db, options.subgraph, options.keys, range));
    }
    let witnessed;
    let from;
    try {
      witnessed = parseWitnessedHead((body as { witnessed?: unknown }).witnessed);
      from = parseVerifiedPoint((body as { from?: unknown }).from);
    } catch (error) {
      return badInput(res, error);
    }
    return send(
      res,
      200,
      await verifyCheckpointed(options.db, options.subgraph, options.keys, {
        from,
        witnessed,
        retentionDays: options.retentionDays,
      }),
    );
  };
}
