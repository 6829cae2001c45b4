import { latestWitnessedHead, witnessAlarms, witnessHeads } from '../../../common/audit/witness/head-witness.js';
import { logIdOf, type CosignedCheckpoint } from '../../../common/audit/proofs/checkpoint.js';
import { DatabaseWitnessStore, witnessLogs } from '../../../common/audit/witness/checkpoint-witness.js';
import { publishKeys } from '../../../common/audit/log/log-keys.js';
import { RECEIPT_FORMAT, type Receipt } from '../../../common/audit/proofs/receipt.js';
import {
  LOGGING_SUBGRAPHS,
  type LoggingSubgraph,
  type SourcedRecord,
} from '../../../common/audit/witness/log-client.js';
import type { AuditRead } from '../../../common/audit/log/officer-audit.js';
import { MAX_PAGE } from '../../../common/audit/witness/wire.js';
import { CATEGORIES } from '../../../common/domain.js';
import { badUserInput, checkPageSize, requirePersonId, type FieldProblem } from '../../../common/errors.js';
import { partLogger } from '../../../common/log.js';
import type { SubgraphContext } from '../../../common/subgraph/definition.js';
import {
  AccessReport,
  AccessReportEntry,
  BasisKind,
  BasisView,
  ChainProblemKind,
  DisclosurePage,
  DisclosureRecordView,
  LogVerification,
} from '../entities/disclosure.type.js';
import type { DisclosureFilter } from '../inputs/disclosure.input.js';
import { renderAccessReport } from './access-report.document.js';
import { disclosureCsv } from './disclosure-csv.js';

/** The most records one export may carry. */
export const MAX_EXPORT = 10_000;

/** Narrows records as the console does in the page: by a category released or refused, and by a basis kind. */
export interface LocalFilter {
  category?: string | null;
  basis?: BasisKind | null;
}

/** The filter as the audit record keeps it: the fields given, times as ISO strings. */
function filterForRecord(filter: object): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(filter)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => [k, v instanceof Date ? v.toISOString() : (v as unknown)]),
  );
}

/**
 * The consent officer's view of every data subgraph's disclosure log: one merged, filtered timeline, the
 * person's Art. 15 report, and chain verification against the heads this registry witnessed.
 */
export class DisclosureService {
  constructor(private readonly ctx: SubgraphContext) {}

  private get client() {
    if (!this.ctx.logs) throw new Error("The consent subgraph was started without the data subgraphs' addresses");
    return this.ctx.logs;
  }

  /**
   * One page of the merged timeline (`TIMELINE`, a person's) or log (`LOG_SEARCH`), on record as the officer's
   * read before it is returned. A person's records include the consent officers' reads of that person (the
   * registry's own log); the whole-log search includes them only when `filter.subgraphs` names `consent`.
   */
  async page(
    filter: DisclosureFilter,
    first: number,
    after: string | null | undefined,
    read: Pick<AuditRead, 'action' | 'operation'>,
  ): Promise<DisclosurePage> {
    const page = await this.readPage(filter, first, after);
    await this.record({
      ...read,
      personId: filter.personId ? filter.personId.toLowerCase() : null,
      filter: read.action === 'TIMELINE' ? null : filterForRecord(filter),
      records: page.records.length,
    });
    return Object.assign(new DisclosurePage(), {
      records: page.records.map((r) => DisclosureRecordView.from(r)),
      endCursor: page.endCursor,
      hasNextPage: page.hasNextPage,
    });
  }

  /**
   * The filtered log as CSV, `first` records newest first, further narrowed by category and basis as the
   * console's view is; on record as an `EXPORT` before it is returned.
   */
  async exportCsv(filter: DisclosureFilter, first: number, local: LocalFilter): Promise<string> {
    const problems: FieldProblem[] = [];
    checkPageSize(problems, first, MAX_EXPORT, 0);
    // Kept in the audit record, so bounded to the vocabulary.
    if (local.category && !(CATEGORIES as readonly string[]).includes(local.category)) {
      problems.push({ field: 'category', message: `must be one of ${CATEGORIES.join(', ')}` });
    }
    if (problems.length) throw badUserInput(problems);
    const records: SourcedRecord[] = [];
    let after: string | null = null;
    while (records.length < first) {
      const page = await this.readPage(filter, Math.min(MAX_PAGE, first - records.length), after);
      records.push(...page.records);
      if (!page.hasNextPage || !page.endCursor) break;
      after = page.endCursor;
    }
    const shown = records.filter(
      (r) =>
        (!local.category ||
          r.released.some((f) => f.category === local.category) ||
          r.refused.some((f) => f.category === local.category)) &&
        (!local.basis || r.basis.some((b) => BasisView.from(b).kind === local.basis)),
    );
    const csv = disclosureCsv(shown);
    await this.record({
      action: 'EXPORT',
      operation: 'disclosureLogExport',
      personId: filter.personId ? filter.personId.toLowerCase() : null,
      filter: filterForRecord({ ...filter, category: local.category, basis: local.basis, first }),
      records: shown.length,
    });
    return csv;
  }

  private async readPage(filter: DisclosureFilter, first: number, after?: string | null) {
    const problems: FieldProblem[] = [];
    checkPageSize(problems, first, MAX_PAGE);
    const subgraphs = this.subgraphs(filter.subgraphs, problems);
    if (filter.from && filter.to && filter.from >= filter.to)
      problems.push({ field: 'filter.to', message: 'must be after filter.from' });
    const personId = filter.personId ? requirePersonId(filter.personId, 'filter.personId') : undefined;
    if (problems.length) throw badUserInput(problems);
    const page = await this.client.page(this.ctx.caller, this.ctx.authorization, {
      filter: {
        personId,
        requestId: filter.requestId ?? undefined,
        agency: filter.agency ?? undefined,
        officer: filter.officer ?? undefined,
        purpose: filter.purpose ?? undefined,
        from: filter.from ?? undefined,
        to: filter.to ?? undefined,
        decision: filter.decision ?? undefined,
      },
      subgraphs: subgraphs.filter((n): n is LoggingSubgraph => n !== 'consent'),
      first,
      after: after ?? undefined,
      // The officers' reads of a person belong to that person's records; the whole log shows them when asked.
      local: (filter.subgraphs ? subgraphs.includes('consent') : !!personId) ? this.auditLog : undefined,
    });
    return page;
  }

  private subgraphs(names: string[] | null | undefined, problems: FieldProblem[]): (LoggingSubgraph | 'consent')[] {
    if (!names) return [...LOGGING_SUBGRAPHS];
    const known: readonly string[] = [...LOGGING_SUBGRAPHS, 'consent'];
    const unknown = names.filter((n) => !known.includes(n));
    if (unknown.length || names.length === 0) {
      problems.push({ field: 'filter.subgraphs', message: `must name some of ${known.join(', ')}` });
    }
    return [...new Set(names)] as (LoggingSubgraph | 'consent')[];
  }

  private get auditLog() {
    if (!this.ctx.auditLog) throw new Error('The consent subgraph was started without its officer audit log');
    return this.ctx.auditLog;
  }

  /** No record, no data: the officer's read is committed before its answer is returned. */
  private record(read: AuditRead): Promise<void> {
    return this.auditLog.record(this.ctx.caller, read);
  }

  /** GDPR Art. 15 (1) (c): who received which of the person's data, when, why and on what basis. */
  async accessReport(personId: string, withReceipt = false): Promise<AccessReport> {
    const id = requirePersonId(personId);
    // For a receipt every log first signs a checkpoint and the registry witnesses it, so that today's records are proven too.
    const cosigned = withReceipt ? await this.checkpointAndWitness(LOGGING_SUBGRAPHS) : undefined;
    const records = await this.client.all(this.ctx.caller, this.ctx.authorization, {
      filter: { personId: id, decision: 'RELEASED' },
      subgraphs: LOGGING_SUBGRAPHS,
    });
    const report = Object.assign(new AccessReport(), {
      personId: id,
      generatedAt: new Date(),
      entries: groupForReport(records),
      document: '',
      receipt: null as string | null,
    });
    report.document = renderAccessReport(report);
    if (cosigned) report.receipt = JSON.stringify(await this.receipt(id, report.generatedAt, records, cosigned));
    await this.record({
      action: 'ACCESS_REPORT',
      operation: 'accessReport',
      personId: id,
      filter: null,
      records: records.length,
    });
    return report;
  }

  private get witnessKeys() {
    if (!this.ctx.witnessKeys) throw new Error('The consent subgraph was started without its witness key');
    return this.ctx.witnessKeys;
  }

  /**
   * Has each log sign a checkpoint now and witnesses it (consistency with the last one cosigned); the newest
   * cosigned checkpoint of each log that answered.
   */
  private async checkpointAndWitness(
    subgraphs: readonly LoggingSubgraph[],
  ): Promise<Map<LoggingSubgraph, CosignedCheckpoint>> {
    await Promise.all(
      subgraphs.map((subgraph) =>
        this.client.checkpointNow(subgraph, this.ctx.caller, this.ctx.authorization).catch((error: unknown) => {
          partLogger('consent').warn(`${subgraph} did not sign a checkpoint on demand`, { err: error });
        }),
      ),
    );
    await witnessLogs(
      this.ctx.db,
      this.client,
      this.witnessKeys,
      (message) => partLogger('consent').warn(message),
      subgraphs,
    );
    const store = new DatabaseWitnessStore(this.ctx.db);
    const cosigned = new Map<LoggingSubgraph, CosignedCheckpoint>();
    for (const subgraph of subgraphs) {
      const last = await store.last(logIdOf(subgraph));
      if (last) cosigned.set(subgraph, last);
    }
    return cosigned;
  }

  /** The receipt of a report: each released record with its inclusion proof in the newest cosigned checkpoint. */
  private async receipt(
    personId: string,
    generatedAt: Date,
    records: SourcedRecord[],
    cosigned: Map<LoggingSubgraph, CosignedCheckpoint>,
  ): Promise<Receipt> {
    const store = new DatabaseWitnessStore(this.ctx.db);
    const receipt: Receipt = {
      format: RECEIPT_FORMAT,
      personId,
      generatedAt: generatedAt.toISOString(),
      logs: {},
      witnessKeys: publishKeys(this.witnessKeys),
      disclosures: [],
      pending: [],
    };
    for (const subgraph of LOGGING_SUBGRAPHS) {
      const mine = records.filter((r) => r.subgraph === subgraph).sort((a, b) => a.sequence - b.sequence);
      const checkpoint = cosigned.get(subgraph);
      const covered = checkpoint ? mine.filter((r) => r.sequence <= checkpoint.size) : [];
      receipt.pending.push(
        ...mine
          .filter((r) => !checkpoint || r.sequence > checkpoint.size)
          .map((r) => ({ subgraph, sequence: r.sequence })),
      );
      if (!checkpoint || covered.length === 0) continue;
      receipt.logs[subgraph] = { checkpoint, keys: await store.keys(checkpoint.logId) };
      const proofs = await this.client.proofs(
        subgraph,
        this.ctx.caller,
        this.ctx.authorization,
        covered.map((r) => r.sequence),
        checkpoint.size,
      );
      for (const [i, record] of covered.entries()) {
        const { subgraph: _s, ...plain } = record;
        receipt.disclosures.push({
          subgraph,
          record: { ...plain, at: record.at.toISOString() },
          leafIndex: proofs[i].leafIndex,
          proof: proofs[i].proof,
        });
      }
    }
    return receipt;
  }

  /**
   * Verifies every data subgraph's chain, after witnessing the current heads: the chain itself, the newest
   * witnessed head, and every alarm witnessing raised. A subgraph that does not answer is reported as such
   * while the others are still verified.
   */
  async verify(full = false): Promise<LogVerification[]> {
    await witnessHeads(this.ctx.db, this.client, (message) => partLogger('consent').warn(message));
    await this.checkpointAndWitness(LOGGING_SUBGRAPHS);
    const store = new DatabaseWitnessStore(this.ctx.db);
    const results = await Promise.all([
      ...LOGGING_SUBGRAPHS.map(async (subgraph) => {
        const logId = logIdOf(subgraph);
        const witnessed = await latestWitnessedHead(this.ctx.db, subgraph);
        const alarms = await witnessAlarms(this.ctx.db, subgraph);
        const checkpointAlarms = await store.alarms(logId);
        const [verified] = full
          ? []
          : await this.ctx.db.query<{ size: string; root: string }[]>(
              'SELECT size, root FROM verified_checkpoint WHERE log_id = $1 ORDER BY size DESC LIMIT 1',
              [logId],
            );
        const base = {
          subgraph,
          witnessedSequence: witnessed?.sequence ?? null,
          witnessedAt: witnessed?.seenAt ?? null,
        };
        let result;
        try {
          result = await this.client.verify(
            subgraph,
            this.ctx.caller,
            this.ctx.authorization,
            witnessed,
            verified && { size: Number(verified.size), root: verified.root },
          );
        } catch (error) {
          const reason = (error as Error).message;
          return Object.assign(new LogVerification(), {
            ...base,
            available: false,
            intact: false,
            records: 0,
            firstSequence: null,
            lastSequence: 0,
            headHash: '',
            problems: [],
            summary: `${subgraph}: could not be verified: ${reason}`,
            checkpointNumber: null,
            checkpointSize: null,
            cosignedBy: [],
            verifiedFrom: 0,
            pending: 0,
          });
        }
        const cosigned = result.checkpoint ? await store.at(logId, result.checkpoint.size) : null;
        const problems = [
          ...alarms.map((a) => ({
            kind: a.kind,
            sequence: a.sequence,
            message: `${a.message} (found when witnessing, ${a.detectedAt.toISOString()})`,
          })),
          ...checkpointAlarms.map((a) => ({
            kind: 'ALTERED' as const,
            sequence: a.size,
            message: `${a.message} (found when witnessing checkpoints, ${a.detectedAt.toISOString()})`,
          })),
          ...result.problems.filter((p) => !alarms.some((a) => a.kind === p.kind && a.sequence === p.sequence)),
        ];
        if (result.checkpoint && !cosigned) {
          problems.push({
            kind: 'NOT_COVERED',
            sequence: result.checkpoint.size,
            message: `checkpoint ${result.checkpoint.size} is not cosigned by the consent registry: the records it covers are not verified`,
          });
        }
        const checked = { ...result, intact: problems.length === 0, problems };
        // The next verification resumes here: only an intact, cosigned checkpoint counts as verified.
        if (checked.intact && cosigned) {
          await this.ctx.db.query(
            'INSERT INTO verified_checkpoint (log_id, size, root, verified_at) VALUES ($1, $2, $3, now()) ON CONFLICT DO NOTHING',
            [logId, cosigned.size, cosigned.root],
          );
        }
        return Object.assign(new LogVerification(), {
          ...checked,
          ...base,
          available: true,
          problems: problems.map((p) => ({ ...p, kind: ChainProblemKind[p.kind] })),
          checkpointNumber: cosigned ? result.checkpointNumber : null,
          checkpointSize: cosigned?.size ?? null,
          cosignedBy: cosigned?.cosignatures.map((c) => c.witness) ?? [],
          verifiedFrom: result.verifiedFrom,
          pending: result.pending,
          summary: summarise(subgraph, { ...checked, checkpoint: cosigned, checkpointNumber: result.checkpointNumber }),
        });
      }),
      this.verifyOwn(),
    ]);
    await this.record({
      action: 'VERIFICATION',
      operation: 'disclosureLogVerification',
      personId: null,
      filter: null,
      records: null,
    });
    return results;
  }

  /** The registry's own chain of officers' reads; it is in this database, so it is always available. */
  private async verifyOwn(): Promise<LogVerification> {
    const result = await this.auditLog.verify();
    return Object.assign(new LogVerification(), {
      ...result,
      subgraph: 'consent',
      available: true,
      witnessedSequence: null,
      witnessedAt: null,
      checkpointNumber: null,
      checkpointSize: null,
      cosignedBy: [],
      verifiedFrom: 0,
      pending: 0,
      problems: result.problems.map((p) => ({ ...p, kind: ChainProblemKind[p.kind] })),
      summary: summarise('consent', result),
    });
  }
}

/**
 * One sentence per subgraph: verified up to checkpoint N (size S, cosigned by …) and intact up to record N
 * with head hash H, or the first problem found.
 */
export function summarise(
  subgraph: string,
  result: {
    intact: boolean;
    lastSequence: number;
    headHash: string;
    problems: { message: string }[];
    checkpoint?: CosignedCheckpoint | null;
    checkpointNumber?: number;
    pending?: number;
  },
): string {
  if (result.intact && result.lastSequence === 0) return `${subgraph}: intact, no records yet`;
  if (result.intact && result.checkpoint) {
    const c = result.checkpoint;
    const pending = result.pending
      ? `; ${result.pending} newer record${result.pending === 1 ? '' : 's'} await the next checkpoint`
      : '';
    return `${subgraph}: verified up to checkpoint ${result.checkpointNumber} (size ${c.size}, cosigned by ${c.cosignatures.map((s) => s.witness).join(', ')}); intact up to record ${result.lastSequence} with head hash ${result.headHash}${pending}`;
  }
  if (result.intact) return `${subgraph}: intact up to record ${result.lastSequence} with head hash ${result.headHash}`;
  const more = result.problems.length > 1 ? ` (and ${result.problems.length - 1} more)` : '';
  return `${subgraph}: NOT intact: ${result.problems[0].message}${more}`;
}

/**
 * One entry per (day, holder, recipient, purpose); officer identities are left out on purpose. The holder is
 * the agency that holds the records (a municipality or welfare organisation, not the subgraph serving them
 * all), and an agency's reads of its own records are marked as such, apart from disclosures to others.
 */
function groupForReport(records: SourcedRecord[]): AccessReportEntry[] {
  const groups = new Map<
    string,
    { entry: AccessReportEntry; fields: Set<string>; categories: Set<string>; basis: Map<string, BasisView> }
  >();
  for (const record of records) {
    const date = record.at.toISOString().slice(0, 10);
    const touched = new Set<string>();
    for (const f of record.released) {
      for (const holder of f.holders ?? [record.subgraph]) {
        const key = [date, holder, record.agency, record.purpose].join(' ');
        let group = groups.get(key);
        if (!group) {
          const entry = Object.assign(new AccessReportEntry(), {
            date,
            holder,
            recipient: record.agency,
            purpose: record.purpose,
            requests: 0,
            ownRecords: holder === record.agency,
          });
          group = { entry, fields: new Set(), categories: new Set(), basis: new Map() };
          groups.set(key, group);
        }
        if (!touched.has(key)) group.entry.requests += 1;
        touched.add(key);
        group.fields.add(f.field);
        group.categories.add(f.category);
        for (const b of record.basis.filter((b) => b.category === f.category))
          group.basis.set(`${b.category} ${b.basis}`, BasisView.from(b));
      }
    }
  }
  return [...groups.values()]
    .map(({ entry, fields, categories, basis }) =>
      Object.assign(entry, {
        fields: [...fields].sort(),
        categories: [...categories].sort(),
        basis: [...basis.values()].sort((a, b) => (a.category < b.category ? -1 : a.category > b.category ? 1 : 0)),
      }),
    )
    .sort((a, b) => (a.date === b.date ? (a.holder < b.holder ? -1 : 1) : a.date > b.date ? -1 : 1));
}
