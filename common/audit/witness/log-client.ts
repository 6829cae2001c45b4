import { GraphQLError } from 'graphql';
import type { Caller, SubgraphName } from '../../domain.js';
import { ErrorCode } from '../../errors.js';
import { createJsonPoster, type JsonAnswer } from '../../http-client.js';
import type { HeadReport, LocalLog, RecordQuery } from '../log/disclosure-log.repository.js';
import type { WitnessedHead } from '../log/disclosure-log.verification.js';
import type { CheckpointedVerification, SliceVerification, VerifiedPoint } from '../proofs/checkpoint.verification.js';
import type { CheckpointResult } from '../proofs/checkpointer.js';
import type { DisclosureRecord } from '../log/record.js';
import { isPlausibleTime, recordFromWire } from './wire.js';

const VERIFY_TIMEOUT_MS = 10 * 60_000;

/** The subgraphs that keep a disclosure log. */
export const LOGGING_SUBGRAPHS = [
  'county',
  'municipality',
  'jobcenter',
  'socialcare',
] as const satisfies readonly SubgraphName[];
export type LoggingSubgraph = (typeof LOGGING_SUBGRAPHS)[number];

/** The logs a consent officer reads: the data subgraphs', and the consent registry's record of officers' reads. */
export type AuditedSubgraph = LoggingSubgraph | 'consent';

/** A record together with the subgraph whose log holds it. */
export interface SourcedRecord extends DisclosureRecord {
  subgraph: AuditedSubgraph;
}

/** Where a page ended: the last record's time, subgraph and sequence. */
interface Cursor {
  at: string;
  subgraph: string;
  sequence: number;
}

export function encodeCursor(record: SourcedRecord): string {
  const cursor: Cursor = { at: record.at.toISOString(), subgraph: record.subgraph, sequence: record.sequence };
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodeCursor(value: string): Cursor {
  try {
    const cursor = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Cursor;
    if (
      typeof cursor.subgraph === 'string' &&
      Number.isSafeInteger(cursor.sequence) &&
      isPlausibleTime(new Date(cursor.at))
    ) {
      return cursor;
    }
  } catch {
    // fall through to the error below
  }
  throw new GraphQLError('Invalid input. after: not a cursor this log handed out', {
    extensions: {
      code: ErrorCode.BadUserInput,
      problems: [{ field: 'after', message: 'not a cursor this log handed out' }],
    },
  });
}

/** The order of the merged timeline: newest first, then by subgraph name, then newest in each chain. */
function newestFirst(a: SourcedRecord, b: SourcedRecord): number {
  return (
    b.at.getTime() - a.at.getTime() ||
    (a.subgraph < b.subgraph ? -1 : a.subgraph > b.subgraph ? 1 : 0) ||
    b.sequence - a.sequence
  );
}

/** Which records of `subgraph` come after `cursor` in the merged order, as a (time, sequence) bound. */
function boundFor(subgraph: string, cursor: Cursor): { at: Date; sequence: number } {
  const at = new Date(cursor.at);
  if (subgraph === cursor.subgraph) return { at, sequence: cursor.sequence };
  // At the cursor's own time, subgraphs named later still have all their records to come; earlier ones none.
  return { at, sequence: subgraph > cursor.subgraph ? Number.MAX_SAFE_INTEGER : 0 };
}

export interface RecordPage {
  records: SourcedRecord[];
  endCursor: string | null;
  hasNextPage: boolean;
}

/**
 * Reads the disclosure logs of the data subgraphs over their `/audit` endpoints, with the consent officer's
 * own token, and merges them into one timeline. A subgraph that does not answer fails the whole read: an
 * audit view with a silent gap would mislead.
 */
export class DisclosureLogClient {
  constructor(
    /** Each data subgraph's GraphQL URL; `/audit/...` is found beside `/graphql`. */
    private readonly sources: () => Partial<Record<SubgraphName, string>>,
    /** `AUDIT_TIMEOUT_MS`: below the gateway's deadline, so that a hung log is named, not the registry. @default 5000 */
    private readonly timeoutMs = 5_000,
  ) {}

  private readonly post = createJsonPoster();

  private async call<T>(
    subgraph: LoggingSubgraph,
    path: string,
    init: { caller?: Caller; authorization?: string; body?: unknown; timeoutMs?: number },
  ): Promise<T> {
    const base = this.sources()[subgraph];
    if (!base) throw unavailable(subgraph, 'its address is not configured');
    const url = new URL(path, base);
    let response: JsonAnswer;
    try {
      response = await this.post(
        url.toString(),
        {
          ...(init.authorization ? { authorization: init.authorization } : {}),
          ...(init.caller ? { 'x-purpose': init.caller.purpose, 'x-request-id': init.caller.requestId } : {}),
        },
        init.body,
        init.timeoutMs ?? this.timeoutMs,
      );
    } catch (error) {
      throw unavailable(subgraph, (error as Error).message);
    }
    const body = (response.body ?? {}) as T & { errors?: { message: string; extensions?: { code?: string } }[] };
    if (response.status !== 200) {
      const first = body.errors?.[0];
      if (response.status >= 400 && response.status < 500 && first) {
        throw new GraphQLError(`${subgraph}: ${first.message}`, {
          extensions: { code: first.extensions?.code ?? ErrorCode.Forbidden },
        });
      }
      throw unavailable(subgraph, `HTTP ${response.status}`);
    }
    return body;
  }

  /** The newest head of one subgraph's chain, and the hash now at `check`; needs no token (no personal data). */
  head(subgraph: LoggingSubgraph, check?: number): Promise<HeadReport> {
    return this.call<HeadReport>(subgraph, check === undefined ? '/audit/head' : `/audit/head?check=${check}`, {});
  }

  /**
   * Verifies a log from `from`, the last checkpoint verified before (the whole log without one: about 26 s
   * per million records was measured), against the newest witnessed head.
   */
  async verify(
    subgraph: LoggingSubgraph,
    caller: Caller,
    authorization: string,
    witnessed?: WitnessedHead,
    from?: VerifiedPoint,
  ): Promise<CheckpointedVerification> {
    return this.call<CheckpointedVerification>(subgraph, '/audit/verify', {
      caller,
      authorization,
      body: { witnessed: witnessed ?? null, from: from ?? null },
      timeoutMs: VERIFY_TIMEOUT_MS,
    });
  }

  /** Re-reads the records between two checkpoints the registry verified before (`from` absent: from the start). */
  async verifySlice(
    subgraph: LoggingSubgraph,
    caller: Caller,
    authorization: string,
    range: { from?: VerifiedPoint; until: VerifiedPoint },
  ): Promise<SliceVerification> {
    return this.call<SliceVerification>(subgraph, '/audit/verify', {
      caller,
      authorization,
      body: { slice: { from: range.from ?? null, until: range.until } },
      timeoutMs: VERIFY_TIMEOUT_MS,
    });
  }

  /** GETs a public path of a log (`/audit/keys`, `/audit/checkpoint?from=N`): what a witness reads. */
  read(subgraph: LoggingSubgraph, path: string): Promise<unknown> {
    return this.call<unknown>(subgraph, path, {});
  }

  /** Asks a log to sign a checkpoint now, as the consent officer. */
  checkpointNow(subgraph: LoggingSubgraph, caller: Caller, authorization: string): Promise<CheckpointResult> {
    return this.call<CheckpointResult>(subgraph, '/audit/checkpoint', { caller, authorization, body: {} });
  }

  /** Inclusion proofs of records (by sequence) in the log's checkpoint of `size` records, as the consent officer. */
  async proofs(
    subgraph: LoggingSubgraph,
    caller: Caller,
    authorization: string,
    sequences: number[],
    size: number,
  ): Promise<{ sequence: number; leafIndex: number; proof: string[] }[]> {
    const all = [];
    for (let i = 0; i < sequences.length; i += 500) {
      const answer = await this.call<{ proofs: { sequence: number; leafIndex: number; proof: string[] }[] }>(
        subgraph,
        '/audit/proofs',
        {
          caller,
          authorization,
          body: { sequences: sequences.slice(i, i + 500), size },
        },
      );
      all.push(...answer.proofs);
    }
    return all;
  }

  async records(
    subgraph: LoggingSubgraph,
    caller: Caller,
    authorization: string,
    query: RecordQuery,
  ): Promise<SourcedRecord[]> {
    const { records } = await this.call<{ records: (Omit<DisclosureRecord, 'at'> & { at: string })[] }>(
      subgraph,
      '/audit/records',
      {
        caller,
        authorization,
        body: query,
      },
    );
    return records.map((wire) => ({ ...recordFromWire(wire), subgraph }));
  }

  /** One page of the merged timeline of the chosen subgraphs, newest first. */
  async page(
    caller: Caller,
    authorization: string,
    options: {
      filter: Omit<RecordQuery, 'limit' | 'before'>;
      subgraphs: readonly LoggingSubgraph[];
      first: number;
      after?: string;
      /** The consent registry's own log, merged in when given. */
      local?: LocalLog;
    },
  ): Promise<RecordPage> {
    const cursor = options.after ? decodeCursor(options.after) : undefined;
    const { local } = options;
    const perSubgraph = await Promise.all([
      ...options.subgraphs.map((subgraph) =>
        this.records(subgraph, caller, authorization, {
          ...options.filter,
          before: cursor && boundFor(subgraph, cursor),
          limit: options.first + 1,
        }),
      ),
      ...(local
        ? [
            local
              .records({
                ...options.filter,
                before: cursor && boundFor(local.subgraph, cursor),
                limit: options.first + 1,
              })
              .then((records) => records.map((r): SourcedRecord => ({ ...r, subgraph: local.subgraph }))),
          ]
        : []),
    ]);
    const merged = perSubgraph.flat().sort(newestFirst);
    const records = merged.slice(0, options.first);
    return {
      records,
      endCursor: records.length ? encodeCursor(records[records.length - 1]) : null,
      hasNextPage: merged.length > options.first,
    };
  }
}

function unavailable(subgraph: string, reason: string): GraphQLError {
  return new GraphQLError(
    `The ${subgraph} subgraph's disclosure log did not answer (${reason}); nothing is shown rather than a timeline with a gap`,
    {
      // The gateway names the subgraph that answered (consent) as serviceName; `unreachable` keeps the log's own.
      extensions: { code: ErrorCode.SubgraphUnavailable, serviceName: subgraph, unreachable: subgraph },
    },
  );
}
