import { GraphQLError } from 'graphql';
import type { DataSource } from 'typeorm';
import type { Caller } from '../../domain.js';
import { ErrorCode } from '../../errors.js';
import { partLogger } from '../../log.js';
import { AttestingDisclosureLog } from './attestation.js';
import { callerFields } from './disclosure-entry.js';
import type { LogKeyRing } from './log-keys.js';
import { DisclosureLog, type LocalLog, type RecordQuery } from './disclosure-log.repository.js';
import { verifyChain, type ChainVerification } from './disclosure-log.verification.js';
import type { AuditAction, DisclosureRecord } from './record.js';

/** What one consent officer's read looked at, as `OfficerAuditLog.record` takes it. */
export interface AuditRead {
  action: AuditAction;
  /** The root field that answered, e.g. `disclosureTimeline`. */
  operation: string;
  personId: string | null;
  filter: Record<string, unknown> | null;
  records: number | null;
}

/**
 * The consent registry's record of consent officers' own reads of the disclosure logs: the same table,
 * chain, triggers and grants as a data subgraph's disclosure log (`disclosure_log`), holding `AUDIT`
 * records. Consent officers are audited too: who looked at whom, when, why, with which filter.
 */
export class OfficerAuditLog implements LocalLog {
  readonly subgraph = 'consent' as const;
  readonly log: DisclosureLog;

  constructor(
    private readonly db: DataSource,
    private readonly policyVersion: string,
    /** The registry's log key: with it every read is attested, so that its checkpoints can cover it. */
    keys?: LogKeyRing,
  ) {
    this.log = keys ? new AttestingDisclosureLog(db, keys) : new DisclosureLog(db);
  }

  /**
   * Commits the record of one read; call it before the answer leaves. No record, no data: when it cannot be
   * written this throws `DISCLOSURE_LOG_UNAVAILABLE`, and the resolver answers nothing else.
   */
  async record(caller: Caller, read: AuditRead): Promise<void> {
    try {
      await this.log.append([
        {
          ...callerFields(caller),
          operation: read.operation,
          kind: 'AUDIT',
          personId: read.personId,
          released: [],
          refused: [],
          basis: [],
          changes: [],
          retention: null,
          policyVersion: this.policyVersion,
          audit: { action: read.action, filter: read.filter, records: read.records },
        },
      ]);
    } catch (error) {
      partLogger('consent').error('officer audit log append failed; answer withheld', { err: error });
      throw new GraphQLError(
        "The consent officers' audit log could not be written, so nothing is shown. Try again later.",
        {
          extensions: { code: ErrorCode.DisclosureLogUnavailable },
        },
      );
    }
  }

  records(query: RecordQuery): Promise<DisclosureRecord[]> {
    return this.log.records(query);
  }

  /** Walks the registry's own chain. No one witnesses its head, so records cut off its end cannot be seen. */
  verify(retentionDays?: number): Promise<ChainVerification> {
    return verifyChain(this.db, undefined, retentionDays);
  }
}
