import { GraphQLDateTimeISO } from 'graphql-scalars';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { graphqlEnum, type ValueOf } from '../../../common/graphql-enum.js';
import { parseBasis, type AuditDetail, type CategoryBasis } from '../../../common/audit/log/record.js';
import type { AuditedSubgraph, SourcedRecord } from '../../../common/audit/witness/log-client.js';

export const DisclosureKind = graphqlEnum('DisclosureKind', 'READ WRITE RETENTION AUDIT', {
  description: "A read, a change, the retention operation, or a consent officer's look at the disclosure logs (AUDIT).",
});
export type DisclosureKind = ValueOf<typeof DisclosureKind>;

export const AuditAction = graphqlEnum('AuditAction', 'TIMELINE LOG_SEARCH ACCESS_REPORT VERIFICATION EXPORT', {
  description: 'What a consent officer looked at.',
});
export type AuditAction = ValueOf<typeof AuditAction>;

export const BasisKind = graphqlEnum('BasisKind', 'OWN_TASK STATUTE CONSENT', {
  description: 'The legal basis on which a category was released.',
});
export type BasisKind = ValueOf<typeof BasisKind>;

export const DisclosureDecision = graphqlEnum('DisclosureDecision', 'RELEASED REFUSED WRITE', {
  description: 'Records that released, refused or changed something.',
});
export type DisclosureDecision = ValueOf<typeof DisclosureDecision>;

/**
 * - NOT_COVERED: A record no valid signed checkpoint covers and the log's process never attested: not written by the subgraph.
 */
export const ChainProblemKind = graphqlEnum('ChainProblemKind', 'ALTERED REMOVED TRUNCATED NOT_COVERED');
export type ChainProblemKind = ValueOf<typeof ChainProblemKind>;

@ObjectType('ReleasedField')
export class ReleasedFieldView {
  @Field(() => String, { description: 'Type and field, e.g. "Person.languageSkills".' })
  field: string;

  @Field(() => String)
  category: string;

  @Field(() => [String], {
    nullable: true,
    description:
      'The agencies that held the released records, where one subgraph serves several (municipalities, welfare organisations).',
  })
  holders?: string[];
}

@ObjectType('RefusedField')
export class RefusedFieldView {
  @Field(() => String)
  field: string;

  @Field(() => String)
  category: string;

  @Field(() => String, { description: 'The error code the caller saw, e.g. CONSENT_REQUIRED.' })
  reason: string;
}

@ObjectType('DisclosureBasis')
export class BasisView {
  @Field(() => String)
  category: string;

  @Field(() => BasisKind)
  kind: BasisKind;

  @Field(() => String, { nullable: true, description: 'The statute catalogue entry, for STATUTE.' })
  statute: string | null;

  @Field(() => ID, { nullable: true, description: 'The consent, for CONSENT.' })
  consentId: string | null;

  @Field(() => Int, { nullable: true, description: 'The consent version in force, for CONSENT.' })
  consentVersion: number | null;

  @Field(() => GraphQLDateTimeISO, {
    nullable: true,
    description: 'For CONSENT: when the consent was later voided as recorded in error; the disclosure was made on it.',
  })
  consentVoidedAt: Date | null = null;

  @Field(() => String, { nullable: true, description: 'For CONSENT: why the consent was later voided.' })
  consentVoidReason: string | null = null;

  static from(basis: CategoryBasis): BasisView {
    const parsed = parseBasis(basis.basis);
    return Object.assign(new BasisView(), { category: basis.category, ...parsed, kind: BasisKind[parsed.kind] });
  }
}

@ObjectType('RecordChange')
export class ChangeView {
  @Field(() => String, { description: 'The mutation, e.g. recordEmploymentStatus.' })
  operation: string;

  @Field(() => String, { description: 'The record changed, as type and id.' })
  record: string;
}

@ObjectType('AuditRead', {
  description: "A consent officer's look at the disclosure logs, as the consent registry recorded it.",
})
export class AuditView {
  @Field(() => AuditAction)
  action: AuditAction;

  @Field(() => String, { nullable: true, description: 'The filter the officer used, as JSON.' })
  filter: string | null;

  @Field(() => Int, { nullable: true, description: 'How many records the answer carried.' })
  records: number | null;

  static from(detail: AuditDetail): AuditView {
    return Object.assign(new AuditView(), {
      action: AuditAction[detail.action],
      filter: detail.filter ? JSON.stringify(detail.filter) : null,
      records: detail.records,
    });
  }
}

/** One record of a data subgraph's disclosure log, as the consent officer reads it. */
@ObjectType('DisclosureRecord', {
  description: 'What one subgraph released, refused or changed for one caller about one person in one request.',
})
export class DisclosureRecordView {
  @Field(() => String, {
    description:
      "The subgraph whose log holds the record, the data owner answering for the transfer; consent for a consent officer's audit read.",
  })
  subgraph: AuditedSubgraph;

  @Field(() => Int, { description: "The record's place in that subgraph's chain." })
  sequence: number;

  @Field(() => GraphQLDateTimeISO)
  at: Date;

  @Field(() => String, { description: 'The same for every subgraph answering one gateway request.' })
  requestId: string;

  @Field(() => String, {
    nullable: true,
    description: "The client's own X-Request-Id, kept beside the gateway's request id.",
  })
  correlationId?: string | null;

  @Field(() => String, { description: 'The receiving agency.' })
  agency: string;

  @Field(() => String, { description: 'Pseudonymous officer id.' })
  officer: string;

  @Field(() => [String])
  roles: string[];

  @Field(() => String)
  purpose: string;

  @Field(() => String, { nullable: true })
  operation: string | null;

  @Field(() => DisclosureKind)
  kind: DisclosureKind;

  @Field(() => ID, { nullable: true })
  personId: string | null;

  @Field(() => [ReleasedFieldView])
  released: ReleasedFieldView[];

  @Field(() => [RefusedFieldView])
  refused: RefusedFieldView[];

  @Field(() => [BasisView], { description: 'The basis per released category.' })
  basis: BasisView[];

  @Field(() => [ChangeView])
  changes: ChangeView[];

  @Field(() => String)
  policyVersion: string;

  @Field(() => String)
  hash: string;

  @Field(() => AuditView, { nullable: true, description: 'For AUDIT records: what the consent officer looked at.' })
  audit: AuditView | null;

  static from(record: SourcedRecord): DisclosureRecordView {
    return Object.assign(new DisclosureRecordView(), {
      ...record,
      kind: DisclosureKind[record.kind],
      basis: record.basis.map((b) => BasisView.from(b)),
      audit: record.audit ? AuditView.from(record.audit) : null,
    });
  }
}

@ObjectType('DisclosurePage')
export class DisclosurePage {
  @Field(() => [DisclosureRecordView])
  records: DisclosureRecordView[];

  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next page.' })
  endCursor: string | null;

  @Field(() => Boolean)
  hasNextPage: boolean;
}

@ObjectType('AccessReportEntry', {
  description: 'Data of the person that one holder released to one recipient on one day for one purpose.',
})
export class AccessReportEntry {
  @Field(() => String, { description: "The day in the district's time zone (DISTRICT_TIME_ZONE), YYYY-MM-DD." })
  date: string;

  @Field(() => String, {
    description: 'The agency that holds the data: county, jobcenter, municipality:<AGS> or socialcare:<organisation>.',
  })
  holder: string;

  @Field(() => Boolean, {
    description:
      'True when the recipient read its own records (no transfer to another agency); false for a disclosure to another agency.',
  })
  ownRecords: boolean;

  @Field(() => String, { description: 'The receiving agency.' })
  recipient: string;

  @Field(() => String)
  purpose: string;

  @Field(() => [String])
  categories: string[];

  @Field(() => [String])
  fields: string[];

  @Field(() => [BasisView])
  basis: BasisView[];

  @Field(() => Int, { description: 'How many requests released these data that day.' })
  requests: number;
}

@ObjectType('AccessReport', {
  description:
    "A person's report under GDPR Art. 15 (1) (c): recipients, dates, purposes, categories and basis, without officer identities.",
})
export class AccessReport {
  @Field(() => ID)
  personId: string;

  @Field(() => GraphQLDateTimeISO)
  generatedAt: Date;

  @Field(() => [AccessReportEntry], {
    description:
      "This page's entries: the person's released records newest first, at most `first` of them, ending at the end of a day unless one day alone fills the page.",
  })
  entries: AccessReportEntry[];

  @Field(() => String, { description: "This page's report as a printable HTML document." })
  document: string;

  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next page.' })
  endCursor: string | null;

  @Field(() => Boolean, { description: 'True when older records follow on a next page.' })
  hasNextPage: boolean;

  @Field(() => String, {
    nullable: true,
    description:
      'With receipt: true, a JSON receipt: each listed disclosure with its record, its inclusion proof and the cosigned checkpoint it is in; `npm run audit:check-receipt -- receipt.json` verifies it offline.',
  })
  receipt: string | null;
}

@ObjectType('ChainProblem')
export class ChainProblemView {
  @Field(() => ChainProblemKind)
  kind: ChainProblemKind;

  @Field(() => Int)
  sequence: number;

  @Field(() => String)
  message: string;
}

@ObjectType('RecordRange', { description: 'Records from one sequence number through another, both included.' })
export class RecordRange {
  @Field(() => Int)
  from: number;

  @Field(() => Int)
  through: number;
}

@ObjectType('LogVerification', { description: "The result of checking one subgraph's disclosure log." })
export class LogVerification {
  @Field(() => String)
  subgraph: string;

  @Field(() => Boolean, { description: 'False when the subgraph did not answer; the summary says why.' })
  available: boolean;

  @Field(() => Boolean)
  intact: boolean;

  @Field(() => Int, { description: 'Records checked.' })
  records: number;

  @Field(() => Int, { nullable: true })
  firstSequence: number | null;

  @Field(() => Int)
  lastSequence: number;

  @Field(() => String)
  headHash: string;

  @Field(() => Int, { nullable: true, description: 'The newest head the consent registry witnessed.' })
  witnessedSequence: number | null;

  @Field(() => GraphQLDateTimeISO, { nullable: true })
  witnessedAt: Date | null;

  @Field(() => [ChainProblemView])
  problems: ChainProblemView[];

  @Field(() => Int, {
    nullable: true,
    description: 'The number of the newest signed checkpoint verified (1 for the first).',
  })
  checkpointNumber: number | null;

  @Field(() => Int, { nullable: true, description: 'How many records that checkpoint covers.' })
  checkpointSize: number | null;

  @Field(() => [String], { description: 'The witnesses that cosigned that checkpoint.' })
  cosignedBy: string[];

  @Field(() => Int, { description: 'The checkpoint size verification resumed from (0: from the start).' })
  verifiedFrom: number;

  @Field(() => Int, { description: 'Newer records the log process attested, which its next checkpoint covers.' })
  pending: number;

  @Field(() => [RecordRange], {
    description:
      'The records this verification re-read (content against hash, chain, tree against the signed roots): those since the last verified checkpoint and a rotating slice of older ones; with full: true, all.',
  })
  reread: RecordRange[];

  @Field(() => [RecordRange], {
    description:
      'Older records not re-read this time: taken on the strength of the cosigned checkpoint (checkpointNumber), re-read in another slice (coveredLastRereadAt).',
  })
  covered: RecordRange[];

  @Field(() => GraphQLDateTimeISO, {
    nullable: true,
    description:
      'The oldest last re-read among the covered records; every record is re-read within VERIFY_FULL_CYCLE_DAYS.',
  })
  coveredLastRereadAt: Date | null;

  @Field(() => String, {
    description:
      'One sentence: which records were re-read and found intact, which are covered by which cosigned checkpoint and when they were last re-read; or what is wrong.',
  })
  summary: string;
}

@ObjectType('DisclosureSummaryRow', {
  description: "Who received which category of a person's data: one row per recipient agency × data category.",
})
export class DisclosureSummaryRow {
  @Field(() => String, { description: 'The receiving agency, e.g. "jobcenter".' })
  recipient: string;

  @Field(() => String)
  category: string;

  @Field(() => Int, { description: 'Requests that released a field of this category to the recipient.' })
  count: number;

  @Field(() => Int, { description: 'Requests in which a field of this category was refused to the recipient.' })
  refusals: number;

  @Field(() => GraphQLDateTimeISO, { nullable: true, description: 'The first release; null when none.' })
  firstAt: Date | null;

  @Field(() => GraphQLDateTimeISO, { nullable: true, description: 'The last release; null when none.' })
  lastAt: Date | null;

  @Field(() => [BasisKind], { description: 'The kinds of basis the releases were made on.' })
  basis: BasisKind[];
}

export const ExportFormat = graphqlEnum('ExportFormat', 'CSV XLSX', {
  description: 'CSV: as German Excel opens it (UTF-8 with BOM, semicolons, local times); XLSX: an Excel workbook.',
});
export type ExportFormat = ValueOf<typeof ExportFormat>;

@ObjectType('ExportFile', { description: 'A file made by the registry for download; the export is on record.' })
export class ExportFile {
  @Field(() => String, { description: 'A file name to save it under, e.g. offenlegungen-2026-12-06.csv.' })
  filename: string;

  @Field(() => String, { description: 'text/csv; charset=utf-8, or the .xlsx media type.' })
  mediaType: string;

  @Field(() => String, { description: "The file's bytes, base64-encoded." })
  base64: string;

  @Field(() => Int, { description: 'Records in the file (rows after the header).' })
  records: number;
}
