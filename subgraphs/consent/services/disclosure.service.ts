import {
  LOGGING_SUBGRAPHS,
  type LoggingSubgraph,
  type SourcedRecord,
} from '../../../common/audit/witness/log-client.js';
import type { AuditRead } from '../../../common/audit/log/officer-audit.js';
import { MAX_PAGE } from '../../../common/audit/witness/wire.js';
import { CATEGORIES } from '../../../common/domain.js';
import { badUserInput, type FieldProblem } from '../../../common/errors.js';
import { checkPageSize, isUuid, requirePersonId } from '../../../common/validation.js';
import { localDateOf } from '../../../common/district-time.js';
import type { SubgraphContext } from '../../../common/subgraph/definition.js';
import {
  AccessReport,
  AccessReportEntry,
  BasisKind,
  BasisView,
  DisclosurePage,
  DisclosureRecordView,
} from '../entities/disclosure.type.js';
import type { DisclosureFilter } from '../inputs/disclosure.input.js';
import { renderAccessReport } from './access-report.document.js';
import { disclosureCsv } from './disclosure-csv.js';
import { LogVerificationService } from './log-verification.service.js';
import { logClient, officerAuditLog, recordOfficerRead } from './registry-context.js';

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
 * The consent officer's reads of every data subgraph's disclosure log: one merged, filtered timeline, its
 * export, and the person's Art. 15 report (with a receipt, `LogVerificationService` proves its records).
 * Every read is on record in the registry's own log before it is returned.
 */
export class DisclosureService {
  constructor(private readonly ctx: SubgraphContext) {}

  /**
   * Marks each consent basis whose consent was voided since (recorded in error): the disclosure stays on record
   * as it was made, and the timeline and the Art. 15 report say that its consent was later voided, when and why.
   */
  private async markVoided(basis: BasisView[]): Promise<void> {
    const ids = [...new Set(basis.flatMap((b) => (b.consentId && isUuid(b.consentId) ? [b.consentId] : [])))];
    if (ids.length === 0) return;
    const voided: { id: string; voided_at: Date; void_reason: string }[] = await this.ctx.db.query(
      `SELECT id, voided_at, void_reason FROM consent WHERE id = ANY($1::uuid[]) AND is_current AND voided_at IS NOT NULL`,
      [ids],
    );
    const byId = new Map(voided.map((v) => [v.id, v]));
    for (const b of basis) {
      const v = b.consentId ? byId.get(b.consentId) : undefined;
      if (v) Object.assign(b, { consentVoidedAt: v.voided_at, consentVoidReason: v.void_reason });
    }
  }

  private get client() {
    return logClient(this.ctx);
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
    const records = page.records.map((r) => DisclosureRecordView.from(r));
    await this.markVoided(records.flatMap((r) => r.basis));
    return Object.assign(new DisclosurePage(), {
      records,
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
    // An empty or blank id is a malformed id, never "no filter": it would show every person's records.
    const personId = filter.personId != null ? requirePersonId(filter.personId, 'filter.personId') : undefined;
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
    return officerAuditLog(this.ctx);
  }

  /** No record, no data: the officer's read is committed before its answer is returned. */
  private record(read: AuditRead): Promise<void> {
    return recordOfficerRead(this.ctx, read);
  }

  /** GDPR Art. 15 (1) (c): who received which of the person's data, when, why and on what basis. */
  async accessReport(personId: string, withReceipt = false): Promise<AccessReport> {
    const id = requirePersonId(personId);
    // For a receipt every log first signs a checkpoint and the registry witnesses it, so that today's records are proven too.
    const proofs = new LogVerificationService(this.ctx);
    const cosigned = withReceipt ? await proofs.checkpointAndWitness(LOGGING_SUBGRAPHS) : undefined;
    const records = await this.client.all(this.ctx.caller, this.ctx.authorization, {
      filter: { personId: id, decision: 'RELEASED' },
      subgraphs: LOGGING_SUBGRAPHS,
    });
    const report = Object.assign(new AccessReport(), {
      personId: id,
      generatedAt: new Date(),
      entries: groupForReport(records, this.ctx.district.timeZone),
      document: '',
      receipt: null as string | null,
    });
    await this.markVoided(report.entries.flatMap((e) => e.basis));
    report.document = renderAccessReport(report, this.ctx.district.timeZone);
    if (cosigned) report.receipt = JSON.stringify(await proofs.receipt(id, report.generatedAt, records, cosigned));
    await this.record({
      action: 'ACCESS_REPORT',
      operation: 'accessReport',
      personId: id,
      filter: null,
      records: records.length,
    });
    return report;
  }
}

/**
 * One entry per (day, holder, recipient, purpose); officer identities are left out on purpose. The holder is
 * the agency that holds the records (a municipality or welfare organisation, not the subgraph serving them
 * all), and an agency's reads of its own records are marked as such, apart from disclosures to others.
 */
function groupForReport(records: SourcedRecord[], timeZone: string): AccessReportEntry[] {
  const groups = new Map<
    string,
    { entry: AccessReportEntry; fields: Set<string>; categories: Set<string>; basis: Map<string, BasisView> }
  >();
  for (const record of records) {
    const date = localDateOf(record.at, timeZone);
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
        // A basis that names its holders applies to their records only (own task to the caller's own).
        for (const b of record.basis.filter(
          (b) => b.category === f.category && (!b.holders || b.holders.includes(holder)),
        ))
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
