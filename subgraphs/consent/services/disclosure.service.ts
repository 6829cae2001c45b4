import { GraphQLError } from 'graphql';
import {
  LOGGING_SUBGRAPHS,
  encodeCursor,
  type LoggingSubgraph,
  type RecordPage,
  type SourcedRecord,
} from '../../../common/audit/witness/log-client.js';
import type { AuditRead } from '../../../common/audit/log/officer-audit.js';
import { MAX_PAGE } from '../../../common/audit/witness/wire.js';
import { ACCESS_REQUEST, CATEGORIES, OFFICER_PURPOSES } from '../../../common/domain.js';
import { badUserInput, ErrorCode, type FieldProblem } from '../../../common/errors.js';
import { checkPageSize, isUuid, requirePersonId } from '../../../common/validation.js';
import { localDateOf, nextLocalDate, startOfLocalDate } from '../../../common/district-time.js';
import type { SubgraphContext } from '../../../common/subgraph/definition.js';
import {
  AccessReport,
  AccessReportEntry,
  BasisKind,
  BasisView,
  DisclosurePage,
  DisclosureRecordView,
  DisclosureSummaryRow,
  ExportFile,
  ExportFormat,
} from '../entities/disclosure.type.js';
import type { DisclosureFilter } from '../inputs/disclosure.input.js';
import { renderAccessReport } from './access-report.document.js';
import { disclosureCsv } from './disclosure-csv.js';
import { excelCsv, exportRows, xlsxOf } from './disclosure-export.js';
import { LogVerificationService } from './log-verification.service.js';
import { logClient, officerAuditLog, recordOfficerRead } from './registry-context.js';

/** The most records one export may carry. */
export const MAX_EXPORT = 10_000;

/**
 * Whether a record is within the filters the logs apply at the source since #23 (category, basis kind, the
 * officers' own reads). The registry checks every record a log answers against them: a log that did not apply
 * them (an older process during a rolling update) fails the read instead of filling a page with records
 * outside the filter.
 */
export function matchesInRegistry(record: SourcedRecord, filter: DisclosureFilter): boolean {
  if (
    filter.officerReads === false &&
    (record.subgraph === 'consent' || (OFFICER_PURPOSES as readonly string[]).includes(record.purpose))
  )
    return false;
  const category = filter.category;
  if (
    category &&
    !record.released.some((f) => f.category === category) &&
    !record.refused.some((f) => f.category === category)
  )
    return false;
  if (filter.basis && !record.basis.some((b) => BasisView.from(b).kind === filter.basis)) return false;
  return true;
}

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
      filter:
        read.action === 'TIMELINE' && Object.keys(filterForRecord({ ...filter, personId: null })).length === 0
          ? null
          : filterForRecord(filter),
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

  /** The newest `first` records in the filter, read a page at a time as the timeline reads them: for the exports. */
  private async newest(filter: DisclosureFilter, first: number): Promise<SourcedRecord[]> {
    const records: SourcedRecord[] = [];
    let after: string | null = null;
    while (records.length < first) {
      const page = await this.readPage(filter, Math.min(MAX_PAGE, first - records.length), after);
      records.push(...page.records);
      if (!page.hasNextPage || !page.endCursor) break;
      after = page.endCursor;
    }
    return records;
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
    const records = await this.newest(filter, first);
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

  /**
   * The newest `first` records in the filter (a person's, or the whole log's) as a file an office opens: CSV as
   * German Excel reads it, or .xlsx; the rows are the records the timeline or log search shows for the same
   * filter, in the same order. On record as an `EXPORT` before it is returned.
   */
  async exportFile(filter: DisclosureFilter, first: number, format: ExportFormat): Promise<ExportFile> {
    const problems: FieldProblem[] = [];
    checkPageSize(problems, first, MAX_EXPORT, 0);
    if (problems.length) throw badUserInput(problems);
    const records = await this.newest(filter, first);
    const { timeZone, agencies } = this.ctx.district;
    const rows = exportRows(records, { timeZone, agencyNames: agencies.displayNames });
    const day = localDateOf(new Date(), timeZone);
    const stem = filter.personId
      ? `offenlegungen-person-${filter.personId.slice(0, 8)}-${day}`
      : `offenlegungen-${day}`;
    const file = Object.assign(new ExportFile(), { records: records.length });
    if (format === ExportFormat.XLSX) {
      Object.assign(file, {
        filename: `${stem}.xlsx`,
        mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        base64: (await xlsxOf(rows)).toString('base64'),
      });
    } else {
      Object.assign(file, {
        filename: `${stem}.csv`,
        mediaType: 'text/csv; charset=utf-8',
        base64: Buffer.from(excelCsv(rows), 'utf8').toString('base64'),
      });
    }
    await this.record({
      action: 'EXPORT',
      operation: 'disclosureExport',
      personId: filter.personId ? filter.personId.toLowerCase() : null,
      filter: filterForRecord({ ...filter, first, format }),
      records: records.length,
    });
    return file;
  }

  /**
   * One page of the merged logs in the filter, newest first: every filter (person, agency, purpose, times,
   * decision, category, basis, officers' reads) is applied by each log at the source, which reads `first + 1`
   * records after the cursor and no more.
   */
  private async readPage(filter: DisclosureFilter, first: number, after?: string | null): Promise<RecordPage> {
    const page = await this.readSourcePage(filter, first, after);
    const stray = page.records.find((r) => !matchesInRegistry(r, filter));
    if (stray)
      throw new GraphQLError(
        `The ${stray.subgraph} subgraph's disclosure log answered record ${stray.sequence} outside the filter (category, basis or officers' reads): it does not apply these filters yet; nothing is shown rather than a wrong page`,
        { extensions: { code: ErrorCode.SubgraphUnavailable, serviceName: stray.subgraph } },
      );
    return page;
  }

  /** The instants a filter's days mean on the district's clock: fromDay 0:00 up to the day after toDay, 0:00. */
  private timesOf(filter: DisclosureFilter, problems: FieldProblem[]): { from?: Date; to?: Date } {
    const zone = this.ctx.district.timeZone;
    if (filter.fromDay && filter.from)
      problems.push({ field: 'filter.fromDay', message: 'give from or fromDay, not both' });
    if (filter.toDay && filter.to) problems.push({ field: 'filter.toDay', message: 'give to or toDay, not both' });
    if (filter.fromDay && filter.toDay && filter.toDay < filter.fromDay)
      problems.push({ field: 'filter.toDay', message: 'must not be before filter.fromDay' });
    const from = filter.fromDay ? startOfLocalDate(filter.fromDay, zone) : (filter.from ?? undefined);
    const to = filter.toDay ? startOfLocalDate(nextLocalDate(filter.toDay), zone) : (filter.to ?? undefined);
    return { from, to };
  }

  private async readSourcePage(filter: DisclosureFilter, first: number, after?: string | null): Promise<RecordPage> {
    const problems: FieldProblem[] = [];
    checkPageSize(problems, first, MAX_PAGE);
    const subgraphs = this.subgraphs(filter.subgraphs, problems);
    const { from, to } = this.timesOf(filter, problems);
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
        from,
        to,
        decision: filter.decision ?? undefined,
        category: filter.category ?? undefined,
        basis: filter.basis ?? undefined,
        officerReads: filter.officerReads ?? undefined,
      },
      subgraphs: subgraphs.filter((n): n is LoggingSubgraph => n !== 'consent'),
      first,
      after: after ?? undefined,
      // The officers' reads of a person belong to that person's records; the whole log shows them when asked.
      local:
        filter.officerReads !== false && (filter.subgraphs ? subgraphs.includes('consent') : !!personId)
          ? this.auditLog
          : undefined,
    });
    return page;
  }

  /**
   * Per recipient × category, what the person's records in the filter say: how many requests released a field
   * of that category, the first and last of them, on which kinds of basis, and how many were refused. On record
   * as a read of the person's timeline.
   */
  async summary(personId: string, filter: DisclosureFilter): Promise<DisclosureSummaryRow[]> {
    const id = requirePersonId(personId);
    const scoped = Object.assign(Object.create(Object.getPrototypeOf(filter) as object) as DisclosureFilter, filter, {
      personId: id,
    });
    const records: SourcedRecord[] = [];
    let after: string | null = null;
    for (;;) {
      const page = await this.readPage(scoped, MAX_PAGE, after);
      records.push(...page.records);
      if (!page.hasNextPage || !page.endCursor || records.length >= MAX_EXPORT) break;
      after = page.endCursor;
    }
    const rows = new Map<string, DisclosureSummaryRow>();
    const row = (recipient: string, category: string) => {
      const key = `${recipient} ${category}`;
      let found = rows.get(key);
      if (!found) {
        found = Object.assign(new DisclosureSummaryRow(), {
          recipient,
          category,
          count: 0,
          refusals: 0,
          firstAt: null as Date | null,
          lastAt: null as Date | null,
          basis: [] as BasisKind[],
        });
        rows.set(key, found);
      }
      return found;
    };
    for (const record of records) {
      for (const category of new Set(record.released.map((f) => f.category))) {
        if (scoped.category && category !== scoped.category) continue;
        const r = row(record.agency, category);
        r.count += 1;
        if (!r.firstAt || record.at < r.firstAt) r.firstAt = record.at;
        if (!r.lastAt || record.at > r.lastAt) r.lastAt = record.at;
        for (const b of record.basis.filter((b) => b.category === category)) {
          const kind = BasisView.from(b).kind;
          if (!r.basis.includes(kind)) r.basis.push(kind);
        }
      }
      for (const category of new Set(record.refused.map((f) => f.category))) {
        if (scoped.category && category !== scoped.category) continue;
        row(record.agency, category).refusals += 1;
      }
    }
    await this.record({
      action: 'TIMELINE',
      operation: 'disclosureSummary',
      personId: id,
      filter: filterForRecord({ ...filter, personId: null }),
      records: records.length,
    });
    return [...rows.values()].sort((a, b) =>
      a.recipient < b.recipient ? -1 : a.recipient > b.recipient ? 1 : a.category < b.category ? -1 : 1,
    );
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

  /**
   * The requests that built an Art. 15 report of this person: this one, and every one the registry recorded as
   * `ACCESS_REPORT` for the person, each with who made it and when. What officers read in them (the person's
   * identity beside the report; with the access request, the copy of the person's data) was read to answer the
   * person and is not a disclosure to report back; it stays in the logs and the timeline.
   */
  private async reportRequests(personId: string): Promise<Map<string, ReportRequest>> {
    const { caller } = this.ctx;
    const ids = new Map<string, ReportRequest>([
      [caller.requestId, { agency: caller.agency.id, officer: caller.officer, at: new Date() }],
    ]);
    const limit = 1000;
    let before: { at: Date; sequence: number } | undefined;
    for (;;) {
      const page = await this.auditLog.records({ personId, operation: 'accessReport', before, limit });
      for (const r of page)
        if (r.audit?.action === 'ACCESS_REPORT' && !ids.has(r.requestId))
          ids.set(r.requestId, { agency: r.agency, officer: r.officer, at: r.at });
      if (page.length < limit) return ids;
      const last = page[page.length - 1];
      before = { at: last.at, sequence: last.sequence };
    }
  }

  /**
   * GDPR Art. 15 (1) (c): who received which of the person's data, when, why and on what basis. One page of the
   * person's released records per request, newest first: each log reads `first + 1` of the person's records
   * after the cursor (its person index, with LIMIT), never all of them. A page ends at the end of a day where it
   * can, so that a day's entries are whole; only a day with more than `first` records is split across pages.
   */
  async accessReport(
    personId: string,
    withReceipt = false,
    first: number = REPORT_PAGE,
    after?: string | null,
  ): Promise<AccessReport> {
    const id = requirePersonId(personId);
    const problems: FieldProblem[] = [];
    checkPageSize(problems, first, MAX_PAGE);
    if (problems.length) throw badUserInput(problems);
    // For a receipt every log first signs a checkpoint and the registry witnesses it, so that today's records are proven too.
    const proofs = new LogVerificationService(this.ctx);
    const cosigned = withReceipt ? await proofs.checkpointAndWitness(LOGGING_SUBGRAPHS) : undefined;
    const reportRequests = await this.reportRequests(id);
    const timeZone = this.ctx.district.timeZone;
    const page = wholeDays(
      await this.client.page(this.ctx.caller, this.ctx.authorization, {
        filter: { personId: id, decision: 'RELEASED' },
        subgraphs: LOGGING_SUBGRAPHS,
        first,
        after: after ?? undefined,
      }),
      timeZone,
    );
    const records = page.records.filter((r) => !readToBuildReport(r, reportRequests));
    const report = Object.assign(new AccessReport(), {
      personId: id,
      generatedAt: new Date(),
      entries: groupForReport(records, timeZone),
      document: '',
      receipt: null as string | null,
      endCursor: page.endCursor,
      hasNextPage: page.hasNextPage,
    });
    await this.markVoided(report.entries.flatMap((e) => e.basis));
    report.document = renderAccessReport(report, timeZone, Boolean(after));
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

/** Who made a request that built a person's Art. 15 report, and when the registry recorded it. */
export interface ReportRequest {
  agency: string;
  officer: string;
  at: Date;
}

/**
 * How far from its report's record a read of the access request (the copy) may lie to count as the report's
 * own: one gateway request's span, generously. A read made later under a report's request id (possible only
 * straight at a subgraph, where the caller names the request id) is listed like any other.
 */
export const REPORT_READ_WINDOW_MS = 2 * 60_000;

/**
 * Left out of a person's Art. 15 report: only what building a report of this person read, in a request that
 * asked for this report — the person's identity, for consent management; or, for the access request itself
 * (`DATA_SUBJECT_ACCESS`, the copy of the data), what the same officer of the same agency read within
 * `REPORT_READ_WINDOW_MS` of the report. Anything else in such a request (another purpose, another officer, a
 * caseworker's read) is a disclosure like any other, so a report request cannot hide a read.
 */
export function readToBuildReport(record: SourcedRecord, reports: ReadonlyMap<string, ReportRequest>): boolean {
  const report = reports.get(record.requestId);
  if (!report) return false;
  if (record.purpose === 'CONSENT_MANAGEMENT') return record.released.every((f) => f.category === 'IDENTITY');
  return (
    record.purpose === ACCESS_REQUEST &&
    record.agency === report.agency &&
    record.officer === report.officer &&
    Math.abs(record.at.getTime() - report.at.getTime()) <= REPORT_READ_WINDOW_MS
  );
}

/** The records one page of an Art. 15 report covers at most, unless asked otherwise. */
export const REPORT_PAGE = MAX_PAGE;

/**
 * A full page cut back to the end of its last whole day on the district's clock, so that the day's records
 * all land on the next page and its entries stay whole; a page of one day only (more than `first` records
 * that day) is kept as it is.
 */
export function wholeDays(page: RecordPage, timeZone: string): RecordPage {
  const { records } = page;
  if (!page.hasNextPage || records.length === 0) return page;
  const lastDay = localDateOf(records[records.length - 1].at, timeZone);
  let end = records.length;
  while (end > 0 && localDateOf(records[end - 1].at, timeZone) === lastDay) end -= 1;
  if (end === 0) return page;
  return { records: records.slice(0, end), endCursor: encodeCursor(records[end - 1]), hasNextPage: true };
}

/**
 * One entry per (day, holder, recipient, purpose); officer identities are left out on purpose. The holder is
 * the agency that holds the records (a municipality or welfare organisation, not the subgraph serving them
 * all), and an agency's reads of its own records are marked as such, apart from disclosures to others.
 */
export function groupForReport(records: SourcedRecord[], timeZone: string): AccessReportEntry[] {
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
